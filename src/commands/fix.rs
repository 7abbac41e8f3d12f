//! `check --fix` and `check --diff`: the fixes of a checked design applied to its text,
//! re-checked, then written whole (the atomic writer every output goes through) or shown
//! as a unified diff.
//!
//! Per design, at most [`MAX_PASSES`] passes, as ruff does: each applies every fix that
//! does not overlap another (`fix::apply`), then checks the new text; a fix can make
//! another (removing an https flow's lapsed acceptance once the flow is https). A pass
//! whose text no longer checks clean is retried with its first fix alone, and stops the
//! design if that fails too: a fix never writes a design with a design error. Cost: at
//! most one check per pass (two when a pass is retried), each near-linear in the design.

use std::path::Path;

use crate::checked::FileReport;
use crate::diagnostic::{Applicability, Fix};
use crate::source::{SourceFile, display_path};
use crate::{CheckOptions, check_source_and, fix, output};

/// As ruff: enough for fixes that unlock others, a bound for a fix that never settles.
const MAX_PASSES: usize = 100;

/// What `--fix` or `--diff` does with the fixed text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    Write,
    Diff,
}

/// What the fixes did over a run.
#[derive(Debug, Default)]
pub(crate) struct Fixed {
    /// Fixes applied (or, with `--diff`, that would be).
    pub fixes: usize,
    pub files: usize,
    /// The unified diffs, with `--diff`.
    pub diff: String,
    /// Designs the fixes could not be written to, and why.
    pub failed: Vec<String>,
}

/// Applies the fixes of every report that checked clean of design errors, in place:
/// each fixed report becomes the report of its fixed text, so what is printed after is
/// what is left. `options_for` gives the options a design was checked with.
pub(crate) fn apply(
    reports: &mut [FileReport],
    at_least: Applicability,
    mode: Mode,
    options_for: impl Fn(&Path) -> Option<CheckOptions>,
) -> Fixed {
    let mut fixed = Fixed::default();
    for report in reports.iter_mut() {
        let applicable = report
            .findings
            .iter()
            .any(|f| f.fix.as_ref().is_some_and(|f| f.applicability >= at_least));
        let (Some(source), true, true) = (&report.source, report.errors.is_empty(), applicable)
        else {
            continue;
        };
        let Some(options) = options_for(&report.path) else {
            continue;
        };
        let original = source.text().to_string();
        let (after, count, problem) = fix_design(&report.path, &original, &options, at_least);
        if let Some(problem) = problem {
            fixed.failed.push(problem);
        }
        let Some(after) = after.filter(|_| count > 0) else {
            continue;
        };
        let shown = display_path(&report.path);
        match mode {
            Mode::Diff => fixed.diff.push_str(
                &similar::TextDiff::from_lines(&original, &after.1)
                    .unified_diff()
                    .header(&shown, &shown)
                    .to_string(),
            ),
            Mode::Write => {
                if let Err(message) = write_fixed(&report.path, &original, &after.1) {
                    fixed
                        .failed
                        .push(format!("cannot write the fixes to `{shown}`: {message}"));
                    continue;
                }
                *report = after.0;
            }
        }
        fixed.fixes += count;
        fixed.files += 1;
    }
    fixed
}

/// The fixed report and text of one design, the number of fixes applied, and why it
/// stopped early, if it did.
fn fix_design(
    path: &Path,
    original: &str,
    options: &CheckOptions,
    at_least: Applicability,
) -> (Option<(FileReport, String)>, usize, Option<String>) {
    let check = |text: &str| {
        check_source_and(SourceFile::new(path, text), options, |parsed| {
            parsed.shared.clone()
        })
    };
    let (mut report, mut shared) = check(original);
    let mut text = original.to_string();
    let mut count = 0;
    for _ in 0..MAX_PASSES {
        let fixes: Vec<&Fix> = report
            .findings
            .iter()
            .filter_map(|f| f.fix.as_deref())
            .collect();
        let applied = fix::apply(&text, &fixes, at_least, &shared);
        if applied.applied.is_empty() {
            return (Some((report, text)), count, None);
        }
        let (next, next_shared) = check(&applied.text);
        if next.errors.is_empty() {
            count += applied.applied.len();
            (report, shared, text) = (next, next_shared, applied.text);
            continue;
        }
        // Together they break the design: the first alone may not.
        let first = fixes[applied.applied[0]];
        let alone = fix::apply(&text, &[first], at_least, &shared);
        let (next, next_shared) = check(&alone.text);
        if !next.errors.is_empty() || alone.applied.is_empty() {
            let why = next.errors.first().map_or_else(String::new, |e| {
                format!(" ({}: {})", e.code, crate::source::one_line(&e.message))
            });
            let problem = format!(
                "`{}`: the fix \"{}\" would make the design invalid{why}; left as it was",
                display_path(path),
                first.title
            );
            return (Some((report, text)), count, Some(problem));
        }
        count += 1;
        (report, shared, text) = (next, next_shared, alone.text);
    }
    let problem = format!(
        "`{}`: fixes did not settle after {MAX_PASSES} passes; the last text is kept",
        display_path(path)
    );
    (Some((report, text)), count, Some(problem))
}

/// Writes the fixed design over the file, through the atomic writer, if the file still
/// holds what was checked (a byte-order mark kept).
fn write_fixed(path: &Path, checked: &str, fixed: &str) -> Result<(), String> {
    let now = std::fs::read(path).map_err(|e| e.to_string())?;
    let bom = "\u{feff}".as_bytes();
    let (mark, body) = match now.strip_prefix(bom) {
        Some(body) => (bom, body),
        None => (&[][..], now.as_slice()),
    };
    if body != checked.as_bytes() {
        return Err("it changed while it was checked; run again".into());
    }
    let mut contents = mark.to_vec();
    contents.extend_from_slice(fixed.as_bytes());
    output::replace(path, &contents).map_err(|e| e.to_string())
}
