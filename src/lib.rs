//! infralint: a design linter for web infrastructure.
//!
//! The pipeline, one function per stage, data flowing one way:
//!
//! ```text
//! path --discover--> SourceFile --syntax::parse--> Node tree (+ errors)
//!      --model::build--> Design --rules (next)--> Vec<Finding> --render--> text | json
//! ```
//!
//! `main.rs` only parses the command line and turns [`run`]'s answer into an exit code.

/// `eprintln!` for messages that may hold a design's words or a path: whatever a
/// terminal would act on (an escape, a bidirectional override) is shown escaped.
macro_rules! say {
    ($($arg:tt)*) => {
        eprintln!("{}", crate::source::terminal_safe(&format!($($arg)*)))
    };
}

pub mod analysis;
pub mod baseline;
pub mod cli;
pub mod commands;
pub mod config;
pub mod diagnostic;
pub mod diagram;
pub mod discover;
pub mod graph;
pub mod model;
pub mod output;
pub mod profile;
pub mod render;
pub mod report;
pub mod rules;
pub mod source;
pub mod syntax;
#[cfg(test)]
mod testing;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use cli::{CheckArgs, Cli, Command, FailOn, Format};
use diagnostic::{DesignError, Finding, Severity};
use model::Design;
use source::SourceFile;
use syntax::{Limits, NodeKind};

/// Everything learned about one file.
pub struct FileReport {
    /// As named on the command line, or as the walk found it.
    pub path: PathBuf,
    /// `None` for a path that could not be read at all.
    pub source: Option<SourceFile>,
    pub errors: Vec<DesignError>,
    pub findings: Vec<Finding>,
    pub design: Option<Design>,
}

/// What checking one candidate file gave.
pub enum Checked {
    Report(Box<FileReport>),
    /// A walked file whose top level has neither `servers` nor `infralint`.
    NotADesign(PathBuf),
}

/// Options of one check run that the pipeline needs.
#[derive(Clone, Debug)]
pub struct CheckOptions {
    pub max_file_bytes: u64,
    pub limits: Limits,
    /// The day certificate expiry and `until:` are judged against.
    pub today: jiff::civil::Date,
    pub selection: rules::Selection,
    /// `--profile`: overrides each design's `exercise:`.
    pub profile: Option<profile::Profile>,
    /// Globs the folder walk leaves out (`exclude` in `infralint.toml`).
    pub exclude: Vec<String>,
}

impl Default for CheckOptions {
    fn default() -> CheckOptions {
        CheckOptions {
            max_file_bytes: 64 * 1024 * 1024,
            limits: Limits::default(),
            today: today_utc(),
            selection: rules::Selection::default(),
            exclude: Vec::new(),
            profile: None,
        }
    }
}

/// Today's date in UTC.
pub fn today_utc() -> jiff::civil::Date {
    jiff::tz::Offset::UTC
        .to_datetime(jiff::Timestamp::now())
        .date()
}

/// Reads, parses and models one file.
pub fn check_file(candidate: &discover::Candidate, options: &CheckOptions) -> Checked {
    let path = candidate.path.clone();
    let source = match discover::read(&path, options.max_file_bytes) {
        Ok(source) => source,
        Err(unreadable) => {
            let discover::Unreadable { source, error } = *unreadable;
            return Checked::Report(Box::new(FileReport {
                path,
                source: Some(source),
                errors: vec![error],
                findings: Vec::new(),
                design: None,
            }));
        }
    };
    let parsed = syntax::parse(&source, options.limits);
    if candidate.walked && !looks_like_design(parsed.root.as_ref(), !parsed.errors.is_empty()) {
        return Checked::NotADesign(path);
    }
    Checked::Report(Box::new(analyse(source, parsed, options)))
}

/// Parses, models and checks a design held in memory.
pub fn check_source(source: SourceFile, options: &CheckOptions) -> FileReport {
    let parsed = syntax::parse(&source, options.limits);
    analyse(source, parsed, options)
}

/// The stages after parsing: model, then rules when the model has no error.
fn analyse(source: SourceFile, parsed: syntax::Parsed, options: &CheckOptions) -> FileReport {
    let mut errors = parsed.errors;
    let mut design = None;
    let mut findings = Vec::new();
    if let Some(root) = &parsed.root {
        match model::build(root, model::max_connections(source.text().len())) {
            Ok(built) if errors.is_empty() => {
                let analysis = rules::Options {
                    today: options.today,
                    selection: &options.selection,
                    profile: options.profile.as_ref(),
                };
                match rules::check(&built, &analysis) {
                    Ok(found) => {
                        findings = found;
                        design = Some(built);
                    }
                    Err(rule_errors) => errors.extend(rule_errors),
                }
            }
            Ok(_) => {}
            Err(model_errors) => errors.extend(model_errors),
        }
    }
    errors.sort_by_key(|e| e.span.map(|s| (s.start, s.end)));
    FileReport {
        path: source.path().to_path_buf(),
        source: Some(source),
        errors,
        findings,
        design,
    }
}

/// A walked file is a design when its top level has `servers` or `infralint`. A file that
/// does not parse may be a broken design, so it is checked and its errors reported.
fn looks_like_design(root: Option<&syntax::Node>, broken: bool) -> bool {
    match root {
        Some(syntax::Node {
            kind: NodeKind::Map(entries),
            ..
        }) => entries
            .iter()
            .any(|e| matches!(e.key.scalar_text(), Some("servers" | "infralint"))),
        Some(_) => false,
        None => broken,
    }
}

/// Runs a parsed command line; the answer is the process's exit code.
pub fn run(cli: Cli) -> u8 {
    match cli.command {
        Command::Check(args) => check(&args),
        Command::Diagram(args) => diagram(&args),
        Command::Report(args) => report(&args),
        Command::Simulate(args) => commands::analysis::simulate(&args),
        Command::Cuts(args) => commands::analysis::cuts(&args),
        Command::Availability(args) => commands::analysis::availability(&args),
        Command::Export(args) => commands::analysis::export(&args),
        Command::Rules => print(&render::rules_table()),
        Command::Explain { rule } => match rules::find(&rule) {
            Some(rule) => print(&rules::page(rule)),
            None => {
                let hint = rules::suggest_rule(&rule)
                    .map(|near| format!(" (did you mean `{near}`?)"))
                    .unwrap_or_default();
                say!("error: `{rule}` names no rule{hint}; `infralint rules` lists them all");
                2
            }
        },
    }
}

/// Writes to stdout; a closed pipe (`infralint ... | head`) is not an error worth a panic.
fn print(text: &str) -> u8 {
    let mut lock = std::io::stdout().lock();
    let _ = lock.write_all(text.as_bytes()).and_then(|()| lock.flush());
    0
}

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
    severities: Vec<(&'static str, diagnostic::Severity, String)>,
}

fn settings(args: &CheckArgs) -> Result<Settings, u8> {
    let file = if args.no_config {
        None
    } else {
        args.config.clone().or_else(|| config::find(&args.paths))
    };
    let loaded = match &file {
        None => None,
        Some(path) => match config::load(path) {
            Ok(found) => Some(found),
            Err((source, errors)) => {
                let report = FileReport {
                    path: path.clone(),
                    source,
                    errors,
                    findings: Vec::new(),
                    design: None,
                };
                eprint!(
                    "{}",
                    render::text::render(std::slice::from_ref(&report), render::text::Style::PLAIN)
                );
                return Err(2);
            }
        },
    };
    let from = |line: usize| -> String {
        let shown = file
            .as_deref()
            .map(source::display_path)
            .unwrap_or_default();
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
    let c = loaded.as_ref();
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
    Ok(Settings {
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
        severities,
    })
}

fn show_settings(settings: &Settings) -> String {
    let words = |list: &[String]| {
        if list.is_empty() {
            "(all)".to_string()
        } else {
            list.join(",")
        }
    };
    let mut out = String::new();
    let mut row = |key: &str, value: String, from: &str| {
        out.push_str(&format!("{key:<14} {value:<28} {from}\n"));
    };
    row("select", words(&settings.select.0), &settings.select.1);
    row(
        "ignore",
        if settings.ignore.0.is_empty() {
            "(none)".to_string()
        } else {
            settings.ignore.0.join(",")
        },
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
        if settings.exclude.0.is_empty() {
            "(none)".to_string()
        } else {
            settings.exclude.0.join(",")
        },
        &settings.exclude.1,
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

fn check(args: &CheckArgs) -> u8 {
    let settings = match settings(args) {
        Ok(settings) => settings,
        Err(code) => return code,
    };
    if args.show_config {
        return print(&show_settings(&settings));
    }
    let selection = rules::Selection {
        select: settings.select.0.clone(),
        ignore: settings.ignore.0.clone(),
    };
    if let Err(message) = selection.validate() {
        say!("error: {message}");
        return 2;
    }
    let profile = match args.profile.as_deref().map(profile::load) {
        None => None,
        Some(Ok(profile)) => Some(profile),
        Some(Err((source, errors))) => {
            let report = FileReport {
                path: source.as_ref().map_or_else(
                    || PathBuf::from(args.profile.clone().unwrap_or_default()),
                    |s| s.path().to_path_buf(),
                ),
                source,
                errors,
                findings: Vec::new(),
                design: None,
            };
            eprint!(
                "{}",
                render::text::render(std::slice::from_ref(&report), render::text::Style::PLAIN)
            );
            return 2;
        }
    };
    let options = CheckOptions {
        max_file_bytes: args.max_file_size.saturating_mul(1024 * 1024),
        limits: Limits::default(),
        today: settings.today.0.unwrap_or_else(today_utc),
        selection,
        profile,
        exclude: settings.exclude.0.clone(),
    };
    let (mut reports, skipped) = check_paths(&args.paths, &options);
    if let Some(file) = &args.write_baseline {
        let written = output::resolve(file, &args.paths)
            .map_err(|e| e.to_string())
            .and_then(|target| {
                output::write(
                    &target,
                    baseline::to_json(&baseline::of(&reports, options.today)).as_bytes(),
                )
                .map_err(|e| e.to_string())
            });
        return match written {
            Ok(()) => {
                say!("wrote the baseline `{}`", source::display_path(file));
                if reports.iter().any(|r| !r.errors.is_empty()) {
                    2
                } else {
                    0
                }
            }
            Err(message) => {
                say!("error: cannot write the baseline: {message}");
                2
            }
        };
    }
    // Severity overrides from the config file show in every format and in the exit code.
    for report in &mut reports {
        for finding in &mut report.findings {
            if let Some((_, severity, _)) = settings
                .severities
                .iter()
                .find(|(c, _, _)| *c == finding.code)
            {
                finding.severity = *severity;
            }
        }
    }
    if let Some(file) = &settings.baseline.0 {
        match baseline::read(file) {
            Ok(known) => {
                for fixed in baseline::apply(&known, &mut reports) {
                    say!(
                        "fixed since the baseline: {} {} in {} (refresh it with --write-baseline)",
                        fixed.code,
                        fixed.target,
                        fixed.path
                    );
                }
            }
            Err(message) => {
                say!("error: {message}");
                return 2;
            }
        }
    }
    let stdout = std::io::stdout();
    let options = render::Options {
        rules: rules::ALL
            .iter()
            .copied()
            .filter(|rule| options.selection.enabled(rule))
            .collect(),
        style: render::text::Style {
            color: stdout.is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
            width: 80,
        },
    };
    let mut rendered = String::new();
    if args.verbose && settings.format.0 == Format::Text {
        for path in &skipped {
            rendered.push_str(&format!(
                "skipped `{}`: not a design (no `servers` or `infralint` at its top level)\n",
                source::display_path(path)
            ));
        }
    }
    rendered.push_str(&render::reporter(settings.format.0).render(&reports, &options));
    let mut lock = stdout.lock();
    // A closed pipe (`infralint check ... | head`) is not an error worth a panic.
    let _ = lock
        .write_all(rendered.as_bytes())
        .and_then(|()| lock.flush());
    exit_code(&reports, settings.fail_on.0)
}

/// Every design file a list of paths stands for, checked in parallel; path errors become
/// reports. The order is the order of the paths and of each folder's walk, whatever the
/// number of threads, so every output is the same as a one-thread run's.
fn check_paths(paths: &[PathBuf], options: &CheckOptions) -> (Vec<FileReport>, Vec<PathBuf>) {
    check_paths_with(paths, options, &indicatif::ProgressBar::hidden())
}

fn check_paths_with(
    paths: &[PathBuf],
    options: &CheckOptions,
    progress: &indicatif::ProgressBar,
) -> (Vec<FileReport>, Vec<PathBuf>) {
    use rayon::prelude::*;
    enum Planned {
        Missing(PathBuf, DesignError),
        Files(
            PathBuf,
            Vec<discover::Candidate>,
            Vec<(PathBuf, DesignError)>,
        ),
    }
    let planned: Vec<Planned> = paths
        .iter()
        .map(|path| match discover::expand(path, &options.exclude) {
            discover::Target::Missing(path, error) => Planned::Missing(path, error),
            discover::Target::Files(candidates, unread) => {
                Planned::Files(path.clone(), candidates, unread)
            }
        })
        .collect();
    let total: usize = planned
        .iter()
        .map(|p| match p {
            Planned::Files(_, c, _) => c.len(),
            Planned::Missing(..) => 0,
        })
        .sum();
    progress.set_length(total as u64);
    let mut reports = Vec::new();
    let mut skipped = Vec::new();
    for plan in planned {
        match plan {
            Planned::Missing(path, error) => reports.push(FileReport {
                path,
                source: None,
                errors: vec![error],
                findings: Vec::new(),
                design: None,
            }),
            Planned::Files(path, candidates, unread) => {
                let checked: Vec<Checked> = candidates
                    .par_iter()
                    .map(|candidate| {
                        let checked = check_file(candidate, options);
                        progress.inc(1);
                        checked
                    })
                    .collect();
                let before = reports.len();
                for result in checked {
                    match result {
                        Checked::Report(report) => reports.push(*report),
                        Checked::NotADesign(path) => skipped.push(path),
                    }
                }
                let found = reports.len() > before;
                for (place, error) in unread {
                    reports.push(FileReport {
                        path: place,
                        source: None,
                        errors: vec![error],
                        findings: Vec::new(),
                        design: None,
                    });
                }
                if !found && path.is_dir() {
                    reports.push(FileReport {
                        errors: vec![no_designs(&path, candidates.len())],
                        path,
                        source: None,
                        findings: Vec::new(),
                        design: None,
                    });
                }
            }
        }
    }
    (reports, skipped)
}

/// Where each design's output goes, by its output name (see [`output::names`]) and an
/// extension: one file or standard output for one design, a folder for several (or when
/// `-o` is a folder), else beside each design. `None` for standard output. Every file is
/// resolved (symlinks followed, non-regular files and inputs refused). `Err` is the
/// message of a run that must stop, with exit code 2.
fn destinations(
    output: Option<&std::path::Path>,
    inputs: &[PathBuf],
    several: bool,
    extension: &str,
) -> Result<(Vec<Option<PathBuf>>, bool), String> {
    let into_folder = match output {
        Some(out) if out.as_os_str() == "-" => {
            if several {
                return Err(
                    "`-o -` writes one design to standard output; name a folder for several"
                        .to_string(),
                );
            }
            false
        }
        Some(out) => several || out.is_dir(),
        None => false,
    };
    let reserved: &[&str] = if into_folder { &["index"] } else { &[] };
    let names = output::names(inputs, reserved)?;
    let mut targets = Vec::with_capacity(inputs.len());
    for (input, name) in inputs.iter().zip(&names) {
        let requested = match output {
            Some(out) if into_folder => out.join(output::with_extension(name, extension)),
            Some(out) => out.to_path_buf(),
            None if several => {
                input
                    .parent()
                    .unwrap_or(std::path::Path::new(""))
                    .join(output::with_extension(
                        std::path::Path::new(name.file_name().unwrap_or_default()),
                        extension,
                    ))
            }
            None => {
                targets.push(None);
                continue;
            }
        };
        targets.push(match output::resolve(&requested, inputs)? {
            output::Target::Stdout => None,
            output::Target::File(path) => Some(path),
        });
    }
    Ok((targets, into_folder))
}

fn diagram(args: &cli::DiagramArgs) -> u8 {
    output::clean_up_on_interrupt();
    let options = CheckOptions {
        today: args.today.unwrap_or_else(today_utc),
        ..CheckOptions::default()
    };
    let (reports, _) = check_paths(&args.paths, &options);
    let broken: Vec<&FileReport> = reports.iter().filter(|r| !r.errors.is_empty()).collect();
    let mut status = 0;
    if !broken.is_empty() {
        let text: String = broken
            .iter()
            .map(|r| render::text::render(std::slice::from_ref(*r), render::text::Style::PLAIN))
            .collect();
        eprint!("{text}");
        status = 2;
    }
    let inputs: Vec<PathBuf> = reports.iter().map(|r| r.path.clone()).collect();
    let several = reports.len() > 1;
    let targets = match destinations(
        args.output.as_deref(),
        &inputs,
        several,
        args.format.extension(),
    ) {
        Ok((targets, _)) => targets,
        Err(message) => {
            say!("error: {message}");
            return 2;
        }
    };
    for (report, target) in reports.iter().zip(targets) {
        let Some(design) = report.design.as_ref() else {
            continue;
        };
        let findings = (!args.no_findings).then_some(report.findings.as_slice());
        let picture = diagram::build(design, findings);
        let bytes = match args.format {
            cli::PictureFormat::Svg => render::svg::render(&picture).into_bytes(),
            cli::PictureFormat::Dot => render::dot::render(&picture.scene).into_bytes(),
            cli::PictureFormat::Png => match render::png::render(&render::svg::render(&picture)) {
                Ok(png) => png,
                Err(e) => {
                    say!(
                        "error: cannot draw `{}` as PNG: {e}",
                        source::display_path(&report.path)
                    );
                    status = 2;
                    continue;
                }
            },
        };
        let Some(destination) = target else {
            let _ = output::write(&output::Target::Stdout, &bytes);
            continue;
        };
        match output::write_atomically(&destination, &bytes) {
            Ok(()) => say!("wrote {}", source::display_path(&destination)),
            Err(e) => {
                say!(
                    "error: cannot write `{}`: {e}",
                    source::display_path(&destination)
                );
                status = 2;
            }
        }
    }
    status
}

/// One design's report: where it goes (`None`: standard output), and every file to
/// write for it (the page, and for markdown its sibling SVG).
struct Page {
    destination: Option<PathBuf>,
    files: Vec<(Option<PathBuf>, String)>,
}

fn report(args: &cli::ReportArgs) -> u8 {
    use rayon::prelude::*;
    output::clean_up_on_interrupt();
    let profile = match args.profile.as_deref().map(profile::load) {
        None => None,
        Some(Ok(profile)) => Some(profile),
        Some(Err((_, errors))) => {
            for error in errors {
                say!("error: {}", error.message);
            }
            return 2;
        }
    };
    let options = CheckOptions {
        today: args.today.unwrap_or_else(today_utc),
        profile: profile.clone(),
        ..CheckOptions::default()
    };
    let progress = if args.quiet || !std::io::stderr().is_terminal() {
        indicatif::ProgressBar::hidden()
    } else {
        indicatif::ProgressBar::new(0)
    };
    let (reports, _) = check_paths_with(&args.paths, &options, &progress);
    progress.finish_and_clear();
    let mut status = 0;
    for broken in reports.iter().filter(|r| !r.errors.is_empty()) {
        if !args.quiet {
            eprint!(
                "{}",
                render::text::render(std::slice::from_ref(broken), render::text::Style::PLAIN)
            );
        }
        status = 2;
    }
    // A class: several designs (or a folder) into a folder: HTML pages and an index.
    let several = reports.len() > 1 || args.paths.iter().any(|p| p.is_dir());
    // A class is several designs, or a folder `-o`: pages are HTML there.
    let html = args.html
        || args
            .output
            .as_ref()
            .is_some_and(|o| o.as_os_str() != "-" && (several || o.is_dir()));
    let extension = if html { "html" } else { "md" };
    let inputs: Vec<PathBuf> = reports.iter().map(|r| r.path.clone()).collect();
    let (targets, into_folder) =
        match destinations(args.output.as_deref(), &inputs, several, extension) {
            Ok(found) => found,
            Err(message) => {
                say!("error: {message}");
                return 2;
            }
        };
    let class = into_folder;
    // A markdown report's diagram is a sibling SVG: resolved like the report.
    let mut svgs = Vec::with_capacity(targets.len());
    for target in &targets {
        svgs.push(match target {
            Some(path) if !html => match output::resolve(&path.with_extension("svg"), &inputs) {
                Ok(output::Target::File(svg)) => Some(svg),
                Ok(output::Target::Stdout) => None,
                Err(message) => {
                    say!("error: {message}");
                    return 2;
                }
            },
            _ => None,
        });
    }
    // Each design's files, made in parallel, in order.
    let pages: Vec<Option<Page>> = reports
        .par_iter()
        .zip(targets.par_iter().zip(svgs.par_iter()))
        .map(|(file, (destination, svg_path))| {
            let design = file.design.as_ref()?;
            let own = design
                .exercise
                .as_ref()
                .and_then(|e| profile::builtin(&e.value).ok());
            let profile = profile.as_ref().or(own.as_ref());
            let drawn = diagram::build(design, Some(&file.findings));
            let picture = render::svg::render(&drawn);
            let files = if html {
                let what_if = report::what_if_data(design, &drawn.scene);
                let markdown = report::markdown(&report::Input {
                    design,
                    findings: &file.findings,
                    profile,
                    diagram: None,
                });
                vec![(
                    destination.clone(),
                    render::html::page(
                        &design.name.value,
                        &markdown,
                        Some(&picture),
                        Some(&what_if),
                    ),
                )]
            } else {
                let svg_name = svg_path
                    .as_ref()
                    .and_then(|p| p.file_name())
                    .map(|n| n.to_string_lossy().into_owned());
                let markdown = report::markdown(&report::Input {
                    design,
                    findings: &file.findings,
                    profile,
                    diagram: svg_name.as_deref(),
                });
                let mut files = Vec::new();
                if let Some(svg) = svg_path {
                    files.push((Some(svg.clone()), picture));
                }
                files.push((destination.clone(), markdown));
                files
            };
            Some(Page {
                destination: destination.clone(),
                files,
            })
        })
        .collect();
    let mut rows = Vec::new();
    let site = args.output.clone().unwrap_or_default();
    for (file, page) in reports.iter().zip(&pages) {
        let mut written = None;
        if let Some(Page { destination, files }) = page {
            let result = files.iter().try_for_each(|(path, text)| match path {
                Some(path) => output::write_atomically(path, text.as_bytes()),
                None => output::write(&output::Target::Stdout, text.as_bytes()),
            });
            match (result, destination) {
                (Ok(()), Some(destination)) => {
                    if !args.quiet {
                        say!("wrote {}", source::display_path(destination));
                    }
                    // The index links each page by its path inside the site.
                    written = destination
                        .strip_prefix(&site)
                        .ok()
                        .map(|p| p.to_string_lossy().replace('\\', "/"));
                }
                (Ok(()), None) => {}
                (Err(e), destination) => {
                    say!(
                        "error: cannot write `{}`: {e}",
                        destination
                            .as_deref()
                            .map(source::display_path)
                            .unwrap_or_else(|| "standard output".to_string())
                    );
                    status = 2;
                }
            }
        }
        if class {
            let own = file
                .design
                .as_ref()
                .and_then(|d| d.exercise.as_ref())
                .and_then(|e| profile::builtin(&e.value).ok());
            rows.push(report::class::row(
                file,
                written,
                profile.as_ref().or(own.as_ref()),
            ));
        }
    }
    if class && let Some(out) = &args.output {
        let index = out.join("index.html");
        let csv = out.join("index.csv");
        let written = [
            (&index, render::index::html("Designs", &rows)),
            (&csv, render::index::csv(&rows)),
        ]
        .into_iter()
        .try_for_each(|(path, text)| match output::resolve(path, &inputs) {
            Ok(output::Target::File(path)) => {
                output::write_atomically(&path, text.as_bytes()).map_err(|e| e.to_string())
            }
            Ok(output::Target::Stdout) => Ok(()),
            Err(message) => Err(message),
        });
        match written {
            Ok(()) if !args.quiet => say!(
                "wrote {} and {}",
                source::display_path(&index),
                source::display_path(&csv)
            ),
            Ok(()) => {}
            Err(e) => {
                say!("error: cannot write the index: {e}");
                status = 2;
            }
        }
    }
    status
}

fn no_designs(path: &std::path::Path, yaml_files: usize) -> DesignError {
    let shown = source::display_path(path);
    let message = if yaml_files == 0 {
        format!("no design files in `{shown}`: it holds no `*.yaml` or `*.yml` file")
    } else if yaml_files == 1 {
        format!(
            "no design files in `{shown}`: its one YAML file has neither `servers` nor `infralint` at its top level"
        )
    } else {
        format!(
            "no design files in `{shown}`: none of its {yaml_files} YAML files has `servers` or `infralint` at its top level"
        )
    };
    DesignError::about_path(message).help("name a design file, or a folder that holds designs")
}

/// 2 when any design could not be analysed; 1 when a finding that is not accepted is at or
/// above `fail_on`; 0 otherwise.
pub fn exit_code(reports: &[FileReport], fail_on: FailOn) -> u8 {
    if reports.iter().any(|r| !r.errors.is_empty()) {
        return 2;
    }
    let threshold = match fail_on {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Info => Some(Severity::Info),
        FailOn::Never => None,
    };
    let failing = threshold.is_some_and(|threshold| {
        reports
            .iter()
            .flat_map(|r| &r.findings)
            .any(|f| f.accepted.is_none() && f.severity >= threshold)
    });
    u8::from(failing)
}
