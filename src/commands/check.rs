//! `infralint check`: settings (command line, `infralint.toml`, defaults), the run, the
//! baseline, the chosen format.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::Arc;

use super::print;
use crate::checked::FileReport;
use crate::cli::{CheckArgs, FailOn, Format};
use crate::diagnostic::Severity;
use crate::prose::plural;
use crate::settings::{CommandLine, Resolver, Scope};
use crate::syntax::Limits;
use crate::{
    CheckOptions, ExitStatus, baseline, check_paths, commands, config, diagnostic, output, profile,
    reporters, rules, source, today_utc,
};

/// The settings of a `check` run: the command line, else `infralint.toml`, else the
/// defaults; each with where it came from, for `--show-config`.
struct Settings {
    select: (Vec<String>, String),
    ignore: (Vec<String>, String),
    fail_on: (FailOn, String),
    today: (Option<jiff::civil::Date>, String),
    format: (Format, String),
    baseline: (Option<PathBuf>, String),
    exclude: (Vec<String>, String),
    force_exclude: (bool, String),
    severities: Vec<(&'static str, Severity, String)>,
}

/// The resolver of every design's settings, and the run's own settings: the command
/// line, else the run's `infralint.toml` (`--config`, else the nearest from the current
/// folder up), else the defaults.
fn settings(args: &CheckArgs) -> Result<(Settings, Arc<Resolver>), ExitStatus> {
    let scope = match (&args.config, args.isolated) {
        (_, true) => Scope::Isolated,
        (Some(file), false) => Scope::Fixed(file.clone()),
        (None, false) => Scope::Nearest,
    };
    let command_line = CommandLine {
        select: args.select.clone(),
        ignore: args.ignore.clone(),
        today: args.today,
        force_exclude: args.force_exclude,
    };
    // A file that cannot be read is never a clean run: its errors in the format asked
    // on the command line (the file cannot say which), as a design's errors are.
    let broken = |error: &crate::settings::ConfigError| {
        let mut report = error.report();
        report.path = PathBuf::from(relative(&report.path));
        let reports = [report];
        eprint!(
            "{}",
            reporters::text::render(&reports, reporters::text::Style::PLAIN)
        );
        if let Some(format) = args.format.filter(|f| *f != Format::Text) {
            let options = reporters::Options {
                style: reporters::text::Style::PLAIN,
                rules: Vec::new(),
                fail_at: None,
            };
            print(&reporters::reporter(format).render(&reports, &options));
        }
        ExitStatus::Error
    };
    let resolver = Resolver::new(scope, command_line).map_err(|e| broken(&e))?;
    let loaded = resolver
        .run_config(std::path::Path::new("."))
        .map_err(|e| broken(&e))?;
    let file = loaded.as_ref().map(|c| c.path.clone());
    let from = |line: usize| -> String {
        let shown = file.as_deref().map(relative).unwrap_or_default();
        format!("{shown}:{line}")
    };
    let cli = "command line".to_string();
    let default = "default".to_string();
    let pick = |given: bool, of_file: Option<String>| -> String {
        if given {
            cli.clone()
        } else {
            of_file.unwrap_or_else(|| default.clone())
        }
    };
    let c = loaded.as_deref();
    let list =
        |given: &Vec<String>, stated: Option<&(Vec<String>, usize)>| -> (Vec<String>, String) {
            if !given.is_empty() {
                (given.clone(), cli.clone())
            } else if let Some((list, line)) = stated {
                (list.clone(), from(*line))
            } else {
                (Vec::new(), default.clone())
            }
        };
    let mut ignore = list(&args.ignore, c.and_then(|c| c.ignore.as_ref()));
    let mut severities = Vec::new();
    for &(code, setting, line) in c.map(|c| c.rules.as_slice()).unwrap_or_default() {
        match setting {
            config::RuleSetting::Off => ignore.0.push(code.to_string()),
            config::RuleSetting::Severity(severity) => {
                severities.push((code, severity, from(line)))
            }
        }
    }
    let settings = Settings {
        select: list(&args.select, c.and_then(|c| c.select.as_ref())),
        ignore,
        fail_on: match (args.fail_on, c.and_then(|c| c.fail_on)) {
            (Some(f), _) => (f, cli.clone()),
            (None, Some((f, line))) => (f, from(line)),
            (None, None) => (FailOn::Warning, default.clone()),
        },
        today: match (args.today, c.and_then(|c| c.today)) {
            (Some(d), _) => (Some(d), cli.clone()),
            (None, Some((d, line))) => (Some(d), from(line)),
            (None, None) => (None, default.clone()),
        },
        format: match (args.format, c.and_then(|c| c.format)) {
            (Some(f), _) => (f, cli.clone()),
            (None, Some((f, line))) => (f, from(line)),
            (None, None) => (Format::Text, default.clone()),
        },
        baseline: match (&args.baseline, c.and_then(|c| c.baseline.clone())) {
            (Some(b), _) => (Some(b.clone()), pick(true, None)),
            (None, Some((b, line))) => (Some(b), from(line)),
            (None, None) => (None, default.clone()),
        },
        exclude: list(&Vec::new(), c.and_then(|c| c.exclude.as_ref())),
        force_exclude: match (args.force_exclude, c.and_then(|c| c.force_exclude)) {
            (true, _) => (true, cli.clone()),
            (false, Some((on, line))) => (on, from(line)),
            (false, None) => (false, default.clone()),
        },
        severities,
    };
    Ok((settings, Arc::new(resolver)))
}

/// A path as shown to the user: relative to the current folder when under it.
fn relative(path: &std::path::Path) -> String {
    let here = std::env::current_dir().and_then(std::fs::canonicalize);
    match here.as_deref().map(|here| path.strip_prefix(here)) {
        Ok(Ok(inside)) => source::display_path(inside),
        _ => source::display_path(path),
    }
}

fn show_settings(settings: &Settings) -> String {
    // A list of words, or what an empty one means.
    let words = |list: &[String], empty: &str| {
        if list.is_empty() {
            empty.to_string()
        } else {
            list.join(",")
        }
    };
    let mut out = String::new();
    let mut row = |key: &str, value: String, from: &str| {
        out.push_str(&format!("{key:<14} {value:<28} {from}\n"));
    };
    row(
        "select",
        words(&settings.select.0, "(all)"),
        &settings.select.1,
    );
    row(
        "ignore",
        words(&settings.ignore.0, "(none)"),
        &settings.ignore.1,
    );
    row(
        "fail-on",
        format!("{:?}", settings.fail_on.0).to_lowercase(),
        &settings.fail_on.1,
    );
    row(
        "today",
        settings
            .today
            .0
            .map_or("(today, UTC)".to_string(), |d| d.to_string()),
        &settings.today.1,
    );
    row(
        "format",
        format!("{:?}", settings.format.0).to_lowercase(),
        &settings.format.1,
    );
    row(
        "baseline",
        settings
            .baseline
            .0
            .as_deref()
            .map_or("(none)".to_string(), source::display_path),
        &settings.baseline.1,
    );
    row(
        "exclude",
        words(&settings.exclude.0, "(none)"),
        &settings.exclude.1,
    );
    row(
        "force-exclude",
        settings.force_exclude.0.to_string(),
        &settings.force_exclude.1,
    );
    for (code, severity, from) in &settings.severities {
        row(
            &format!("rules.{code}"),
            format!("severity {}", severity.as_str()),
            from,
        );
    }
    out
}

pub fn check(args: &CheckArgs) -> ExitStatus {
    let (settings, resolver) = match settings(args) {
        Ok(found) => found,
        Err(code) => return code,
    };
    if args.show_config {
        return print(&show_config(args, &settings, &resolver));
    }
    if args.unsafe_fixes && !(args.fix || args.diff) {
        say!("error: --unsafe-fixes says which fixes --fix or --diff apply: give one of them");
        return ExitStatus::Error;
    }
    let options = match run_options(args, &settings, resolver) {
        Ok(options) => options,
        Err(status) => return status,
    };
    let stdin = args.paths.len() == 1 && args.paths[0].as_os_str() == "-";
    if stdin && args.fix {
        say!("error: --fix writes design files, and standard input is none: use --diff");
        return ExitStatus::Error;
    }
    let (mut reports, skipped) = if stdin {
        (vec![stdin_report(args, &options)], Vec::new())
    } else {
        check_paths(&args.paths, &options)
    };
    let mut fixes_failed = false;
    if args.fix || args.diff {
        let fixed = apply_fixes(args, &options, &mut reports);
        fixes_failed = !fixed.failed.is_empty();
        if args.diff {
            print(&fixed.diff);
            return if fixes_failed || reports.iter().any(|r| !r.errors.is_empty()) {
                ExitStatus::Error
            } else if fixed.fixes > 0 {
                ExitStatus::Failure
            } else {
                ExitStatus::Success
            };
        }
    }
    if let Some(file) = &args.write_baseline {
        return write_baseline(file, args, &reports, options.today);
    }
    if let Some(file) = &settings.baseline.0
        && let Err(message) = apply_baseline(file, &mut reports)
    {
        say!("error: {message}");
        return ExitStatus::Error;
    }
    if let Err(message) = write_output(args, &settings, &options, &reports, &skipped) {
        say!("error: cannot write the results: {message}");
        return ExitStatus::Error;
    }
    if fixes_failed {
        return ExitStatus::Error;
    }
    exit_code(&reports, settings.fail_on.0)
}

/// `check -`: one design from standard input, named `--stdin-filename`, under the
/// settings that name's folder would have.
fn stdin_report(args: &CheckArgs, options: &CheckOptions) -> FileReport {
    let name = args
        .stdin_filename
        .clone()
        .unwrap_or_else(|| PathBuf::from("-"));
    let options = match &options.settings {
        Some(resolver) => match resolver.for_design(&name) {
            Ok(settings) => options.for_design(&settings),
            Err(error) => return error.report(),
        },
        None => options.clone(),
    };
    match crate::discover::read_stdin(&name, options.max_file_bytes) {
        Ok(source) => crate::check_source(source, &options),
        Err(unreadable) => FileReport {
            path: name,
            source: Some(unreadable.source),
            errors: vec![unreadable.error],
            findings: Vec::new(),
            design: None,
        },
    }
}

/// `--show-config`: the settings in force, and which file governs the designs under
/// each path.
fn show_config(args: &CheckArgs, settings: &Settings, resolver: &Resolver) -> String {
    let mut shown = show_settings(settings);
    for path in &args.paths {
        let governing = match resolver.governing(path) {
            Ok(Some(config)) => relative(&config.path),
            Ok(None) => "no infralint.toml (the defaults)".to_string(),
            Err(error) => format!("{} (cannot be read)", relative(&error.path)),
        };
        shown.push_str(&format!(
            "designs under `{}` follow {governing}\n",
            source::display_path(path)
        ));
    }
    shown
}

/// The run's options: the selection checked, the profile read; `Err` after saying why
/// either cannot be used.
fn run_options(
    args: &CheckArgs,
    settings: &Settings,
    resolver: Arc<Resolver>,
) -> Result<CheckOptions, ExitStatus> {
    let selection = rules::Selection {
        select: settings.select.0.clone(),
        ignore: settings.ignore.0.clone(),
    };
    if let Err(message) = selection.validate() {
        say!("error: {message}");
        return Err(ExitStatus::Error);
    }
    let profile = match args.profile.as_deref().map(profile::load) {
        None => None,
        Some(Ok(profile)) => Some(profile),
        Some(Err((source, errors))) => {
            let path = source.as_ref().map_or_else(
                || PathBuf::from(args.profile.clone().unwrap_or_default()),
                |s| s.path().to_path_buf(),
            );
            print_errors(path, source, errors);
            return Err(ExitStatus::Error);
        }
    };
    Ok(CheckOptions {
        max_file_bytes: args.max_file_size.saturating_mul(1024 * 1024),
        limits: Limits::default(),
        today: settings.today.0.unwrap_or_else(today_utc),
        selection,
        profile,
        // Each design's file decides its excludes, rules and severities.
        exclude: Vec::new(),
        severities: Vec::new(),
        settings: Some(resolver),
    })
}

/// `--write-baseline`: the open findings recorded, whole or not at all.
fn write_baseline(
    file: &std::path::Path,
    args: &CheckArgs,
    reports: &[FileReport],
    today: jiff::civil::Date,
) -> ExitStatus {
    let written = output::resolve(file, &args.paths)
        .map_err(|e| e.to_string())
        .and_then(|target| {
            output::write(
                &target,
                baseline::to_json(&baseline::of(reports, today)).as_bytes(),
            )
            .map_err(|e| e.to_string())
        });
    match written {
        Ok(()) => {
            say!("wrote the baseline `{}`", source::display_path(file));
            if reports.iter().any(|r| !r.errors.is_empty()) {
                ExitStatus::Error
            } else {
                ExitStatus::Success
            }
        }
        Err(message) => {
            say!("error: cannot write the baseline: {message}");
            ExitStatus::Error
        }
    }
}

/// `--baseline`: the findings it knows taken out; its entries that match nothing listed
/// as fixed.
fn apply_baseline(file: &std::path::Path, reports: &mut [FileReport]) -> Result<(), String> {
    let known = baseline::read(file)?;
    for fixed in baseline::apply(&known, reports) {
        // A committed baseline's words, on one line each.
        say!(
            "fixed since the baseline: {} {} in {} (refresh it with --write-baseline)",
            source::one_line(&fixed.code),
            source::one_line(&fixed.target),
            source::one_line(&fixed.path)
        );
    }
    Ok(())
}

/// The reports in the run's format, on standard output.
fn write_output(
    args: &CheckArgs,
    settings: &Settings,
    options: &CheckOptions,
    reports: &[FileReport],
    skipped: &[PathBuf],
) -> Result<(), String> {
    let stdout = std::io::stdout();
    let options = reporters::Options {
        fail_at: threshold(settings.fail_on.0),
        rules: rules::ALL
            .iter()
            .copied()
            .filter(|rule| options.selection.enabled(rule))
            .collect(),
        style: reporters::text::Style {
            color: stdout.is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
            width: 80,
        },
    };
    let mut rendered = String::new();
    if args.verbose && settings.format.0 == Format::Text {
        for path in skipped {
            rendered.push_str(&format!(
                "skipped `{}`: not a design (no `servers` or `infralint` at its top level)\n",
                source::display_path(path)
            ));
        }
    }
    if args.statistics {
        rendered.push_str(&statistics(reports));
    } else {
        rendered.push_str(&reporters::reporter(settings.format.0).render(reports, &options));
    }
    if let Some(file) = &args.output {
        let target = output::resolve(file, &args.paths)?;
        return output::write(&target, rendered.as_bytes()).map_err(|e| e.to_string());
    }
    let mut lock = stdout.lock();
    // A closed pipe (`infralint check ... | head`) is not an error worth a panic.
    let _ = lock
        .write_all(rendered.as_bytes())
        .and_then(|()| lock.flush());
    Ok(())
}

/// `--statistics`: per rule that found something, its open findings by severity and
/// its accepted ones, most first, as ruff counts them.
fn statistics(reports: &[FileReport]) -> String {
    let mut rows: Vec<(&'static rules::Rule, rules::Counts)> = Vec::new();
    for report in reports {
        for finding in &report.findings {
            let counts = match rows.iter_mut().find(|(r, _)| *r == finding.rule) {
                Some((_, counts)) => counts,
                None => {
                    rows.push((finding.rule, rules::Counts::default()));
                    &mut rows.last_mut().expect("just pushed").1
                }
            };
            match (&finding.accepted, finding.severity) {
                (Some(_), _) => counts.accepted += 1,
                (None, Severity::Error) => counts.error += 1,
                (None, Severity::Warning) => counts.warning += 1,
                (None, Severity::Info) => counts.info += 1,
            }
        }
    }
    let open = |c: &rules::Counts| c.error + c.warning + c.info;
    rows.sort_by(|a, b| open(&b.1).cmp(&open(&a.1)).then(a.0.code.cmp(b.0.code)));
    let mut out = format!(
        "{:>5} {:>5} {:>5} {:>5}  {:<6} {}\n",
        "error", "warn", "info", "acc", "code", "name"
    );
    for (rule, c) in &rows {
        out.push_str(&format!(
            "{:>5} {:>5} {:>5} {:>5}  {:<6} {}\n",
            c.error, c.warning, c.info, c.accepted, rule.code, rule.name
        ));
    }
    let errors: usize = reports.iter().map(|r| r.errors.len()).sum();
    if errors > 0 {
        out.push_str(&format!(
            "{}, not analysed\n",
            plural(errors, "design error", "design errors")
        ));
    }
    out
}

/// `--fix` and `--diff`: each design's fixes applied under the options it was checked
/// with; what was fixed, or could not be, said on standard error.
fn apply_fixes(
    args: &CheckArgs,
    options: &CheckOptions,
    reports: &mut [FileReport],
) -> commands::fix::Fixed {
    use crate::diagnostic::Applicability;
    let at_least = if args.unsafe_fixes {
        Applicability::Unsafe
    } else {
        Applicability::Safe
    };
    let mode = if args.diff {
        commands::fix::Mode::Diff
    } else {
        commands::fix::Mode::Write
    };
    let options_for = |path: &std::path::Path| match &options.settings {
        None => Some(options.clone()),
        Some(resolver) => resolver
            .for_design(path)
            .ok()
            .map(|settings| options.for_design(&settings)),
    };
    let fixed = commands::fix::apply(reports, at_least, mode, options_for);
    for problem in &fixed.failed {
        say!("error: {problem}");
    }
    let (verb, files) = match mode {
        commands::fix::Mode::Write => ("fixed", fixed.files),
        commands::fix::Mode::Diff => ("would fix", fixed.files),
    };
    say!(
        "{verb} {} in {}",
        plural(fixed.fixes, "finding", "findings"),
        plural(files, "file", "files")
    );
    fixed
}

/// The errors of a file that is not a design (a config file, a profile), on stderr as
/// design errors are shown.
fn print_errors(
    path: PathBuf,
    source: Option<source::SourceFile>,
    errors: Vec<diagnostic::Diagnostic>,
) {
    let report = FileReport {
        path,
        source,
        errors,
        findings: Vec::new(),
        design: None,
    };
    eprint!(
        "{}",
        reporters::text::render(std::slice::from_ref(&report), reporters::text::Style::PLAIN)
    );
}

/// 2 when any design could not be analysed; 1 when a finding that is not accepted is at or
/// above `fail_on`; 0 otherwise.
pub(crate) fn exit_code(reports: &[FileReport], fail_on: FailOn) -> ExitStatus {
    if reports.iter().any(|r| !r.errors.is_empty()) {
        return ExitStatus::Error;
    }
    let threshold = threshold(fail_on);
    let failing = threshold.is_some_and(|threshold| {
        reports
            .iter()
            .flat_map(|r| &r.findings)
            .any(|f| f.accepted.is_none() && f.severity >= threshold)
    });
    if failing {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    }
}

/// The lowest severity of an open finding that fails the run: `None` for `never`.
fn threshold(fail_on: FailOn) -> Option<Severity> {
    match fail_on {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Info => Some(Severity::Info),
        FailOn::Never => None,
    }
}
