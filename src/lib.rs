//! infralint: a design linter for web infrastructure.
//!
//! The pipeline, one function per stage, data flowing one way:
//!
//! ```text
//! path --discover--> SourceFile --syntax::parse--> Node tree (+ errors)
//!      --model::build--> Design --rules (next)--> Vec<Finding> --render--> text | json
//! ```
//!
//! `main.rs` only parses the command line and turns `commands::run`'s answer into an exit
//! code; the command drivers in `commands` drive this pipeline, which knows nothing of them.

/// `eprintln!` for messages that may hold a design's words or a path: whatever a
/// terminal would act on (an escape, a bidirectional override) is shown escaped.
macro_rules! say {
    ($($arg:tt)*) => {
        eprintln!("{}", crate::source::terminal_safe(&format!($($arg)*)))
    };
}

pub mod analysis;
pub mod baseline;
pub mod checked;
pub mod cli;
pub mod commands;
pub mod config;
pub mod diagnostic;
pub mod diagram;
pub mod discover;
pub mod exit_status;
pub mod fix;
pub mod graph;
pub mod lsp;
pub mod markup;
pub mod model;
pub mod output;
pub mod pages;
pub mod pictures;
pub mod profile;
pub mod prose;
pub mod report;
pub mod reporters;
pub mod rules;
pub mod settings;
pub mod source;
pub mod syntax;
#[cfg(test)]
mod testing;

use std::path::PathBuf;

use diagnostic::{Diagnostic, ErrorCode, Severity};
use source::SourceFile;
use syntax::{Limits, NodeKind};

pub use checked::{Checked, FileReport};
pub use exit_status::ExitStatus;

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
    /// Globs the folder walk leaves out, relative to the folder walked (without a
    /// resolver; with one, each design's file says).
    pub exclude: Vec<String>,
    /// Per rule code, a severity over the rule's own (`[rules.CODE]`).
    pub severities: Vec<(&'static str, Severity)>,
    /// Which `infralint.toml` governs each design of a walk: each design's selection,
    /// severities, day and excludes come from it. `None`: these options for all.
    pub settings: Option<std::sync::Arc<settings::Resolver>>,
}

impl CheckOptions {
    /// These options under a design's own settings.
    pub fn for_design(&self, design: &settings::DesignSettings) -> CheckOptions {
        CheckOptions {
            selection: design.selection.clone(),
            severities: design.severities.clone(),
            today: design.today.unwrap_or(self.today),
            settings: None,
            ..self.clone()
        }
    }
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
            severities: Vec::new(),
            settings: None,
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
    let (errors, findings, design) = analyse(&source, parsed, options);
    Checked::Report(Box::new(FileReport {
        path,
        source: Some(source),
        errors,
        findings,
        design,
    }))
}

/// Parses, models and checks a design held in memory.
pub fn check_source(source: SourceFile, options: &CheckOptions) -> FileReport {
    check_source_and(source, options, |_| ()).0
}

/// [`check_source`], letting `read` see the syntax tree before it is modelled and
/// dropped (the language server indexes it), so that the text is parsed once.
pub fn check_source_and<T>(
    source: SourceFile,
    options: &CheckOptions,
    read: impl FnOnce(&syntax::Parsed<'_>) -> T,
) -> (FileReport, T) {
    let parsed = syntax::parse(&source, options.limits);
    let seen = read(&parsed);
    let (errors, findings, design) = analyse(&source, parsed, options);
    let report = FileReport {
        path: source.path().to_path_buf(),
        source: Some(source),
        errors,
        findings,
        design,
    };
    (report, seen)
}

/// The stages after parsing: model, then rules when the model has no error. The tree,
/// which borrows the source, is gone when this returns.
fn analyse(
    source: &SourceFile,
    parsed: syntax::Parsed<'_>,
    options: &CheckOptions,
) -> (Vec<Diagnostic>, Vec<rules::Finding>, Option<model::Design>) {
    let mut errors = parsed.errors;
    let shared = parsed.shared;
    // What an empty file should hold is the caller's to say: here, a design.
    for error in errors.iter_mut().filter(|e| e.code == ErrorCode::Empty) {
        error.help = Some("a design is a mapping with at least `name` and `servers`".into());
    }
    let mut design = None;
    let mut findings = Vec::new();
    if let Some(root) = parsed.root {
        match model::build(root, model::max_connections(source.text().len())) {
            Ok(built) if errors.is_empty() => {
                let analysis = rules::Options {
                    today: options.today,
                    selection: &options.selection,
                    profile: options.profile.as_ref(),
                    severities: &options.severities,
                    text: source.text(),
                };
                match rules::check(&built, &analysis) {
                    Ok(mut found) => {
                        // A fix in text an alias repeats or a `<<` merges would change
                        // more than its finding: none is offered there.
                        for finding in &mut found {
                            if finding
                                .fix
                                .as_ref()
                                .is_some_and(|fix| fix::touches(fix, &shared))
                            {
                                finding.fix = None;
                            }
                        }
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
    (errors, findings, design)
}

/// A walked file is a design when its top level has `servers` or `infralint`. A file that
/// does not parse may be a broken design, so it is checked and its errors reported.
pub(crate) fn looks_like_design(root: Option<&syntax::Node>, broken: bool) -> bool {
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

/// Every design file a list of paths stands for, checked in parallel; path errors become
/// reports. The order is the order of the paths and of each folder's walk, whatever the
/// number of threads, so every output is the same as a one-thread run's.
pub(crate) fn check_paths(
    paths: &[PathBuf],
    options: &CheckOptions,
) -> (Vec<FileReport>, Vec<PathBuf>) {
    check_paths_with(paths, options, &indicatif::ProgressBar::hidden())
}

/// Each candidate with its own options when a resolver decides them (`None`: the run's
/// options). A walked design that its file's `exclude` leaves out is dropped; with
/// `force-exclude`, a named file is taken as a walk would take it (left out when
/// excluded, skipped when it is no design: pre-commit names every changed YAML file). A
/// design whose file cannot be read is not checked, and the file's errors are reported
/// once.
fn with_settings(
    candidates: &[discover::Candidate],
    options: &CheckOptions,
    reports: &mut Vec<FileReport>,
    broken: &mut Vec<PathBuf>,
) -> Vec<(discover::Candidate, Option<CheckOptions>)> {
    let Some(resolver) = &options.settings else {
        return candidates.iter().map(|c| (c.clone(), None)).collect();
    };
    let mut planned = Vec::with_capacity(candidates.len());
    for candidate in candidates {
        match resolver.for_design(&candidate.path) {
            Ok(settings) if settings.excludes(&candidate.path, candidate.walked) => {}
            Ok(settings) => {
                let taken = discover::Candidate {
                    path: candidate.path.clone(),
                    walked: candidate.walked || settings.force_exclude,
                };
                planned.push((taken, Some(options.for_design(&settings))));
            }
            Err(error) if !broken.contains(&error.path) => {
                broken.push(error.path.clone());
                reports.push(error.report());
            }
            Err(_) => {}
        }
    }
    planned
}

pub(crate) fn check_paths_with(
    paths: &[PathBuf],
    options: &CheckOptions,
    progress: &indicatif::ProgressBar,
) -> (Vec<FileReport>, Vec<PathBuf>) {
    use rayon::prelude::*;
    enum Planned {
        Missing(PathBuf, Diagnostic),
        Files(
            PathBuf,
            Vec<discover::Candidate>,
            Vec<(PathBuf, Diagnostic)>,
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
    // Config files that could not be read, each reported once.
    let mut broken: Vec<PathBuf> = Vec::new();
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
                let planned = with_settings(&candidates, options, &mut reports, &mut broken);
                let check = |(candidate, own): &(discover::Candidate, Option<CheckOptions>)| {
                    let checked = check_file(candidate, own.as_ref().unwrap_or(options));
                    progress.inc(1);
                    checked
                };
                // One file is checked on this thread: handing it to the pool costs a
                // thread and splits its memory between two allocator heaps.
                let checked: Vec<Checked> = if planned.len() == 1 {
                    planned.iter().map(check).collect()
                } else {
                    planned.par_iter().map(check).collect()
                };
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

fn no_designs(path: &std::path::Path, yaml_files: usize) -> Diagnostic {
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
    Diagnostic::about_path(ErrorCode::Unreadable, message)
        .help("name a design file, or a folder that holds designs")
}
