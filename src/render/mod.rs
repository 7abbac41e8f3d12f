//! Output formats. Renderers decide nothing: they turn reports into text.

pub mod compact;
pub mod dot;
pub mod github;
pub mod html;
pub mod index;
pub mod json;
pub mod junit;
mod lines;
pub mod markup;
pub mod png;
pub mod sarif;
pub mod svg;
pub mod text;

use crate::checked::FileReport;
use crate::cli::Format;

/// How a run's reports are printed, whatever the format: what a terminal allows.
pub struct Options {
    pub style: text::Style,
    /// The rules that ran (after `--select` and `--ignore`).
    pub rules: Vec<&'static crate::rules::Rule>,
}

/// One output format of `check`. Adding a format is a module that implements this and
/// one line in [`reporter`].
pub trait Reporter {
    fn render(&self, reports: &[FileReport], options: &Options) -> String;
}

/// The reporter of a format: the one registration point.
pub fn reporter(format: Format) -> &'static dyn Reporter {
    match format {
        Format::Text => &text::Text,
        Format::Json => &json::Json,
        Format::Compact => &compact::Compact,
        Format::Github => &github::Github,
        Format::Sarif => &sarif::Sarif,
        Format::Junit => &junit::Junit,
    }
}

/// The counts every format ends with.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub files: usize,
    /// Design errors.
    pub errors: usize,
    /// Findings that are not accepted, by severity.
    pub error: usize,
    pub warning: usize,
    pub info: usize,
    pub accepted: usize,
    /// Files with at least one design error.
    pub broken_files: usize,
}

impl Summary {
    pub fn of(reports: &[FileReport]) -> Summary {
        let mut summary = Summary {
            files: reports.len(),
            ..Summary::default()
        };
        for report in reports {
            summary.errors += report.errors.len();
            summary.broken_files += usize::from(!report.errors.is_empty());
            let counts = crate::rules::Counts::of(&report.findings);
            summary.error += counts.error;
            summary.warning += counts.warning;
            summary.info += counts.info;
            summary.accepted += counts.accepted;
        }
        summary
    }
}

/// `infralint rules`: every rule, one line each.
pub fn rules_table() -> String {
    let mut out = format!(
        "{:<6} {:<27} {:<8} {}\n",
        "code", "name", "severity", "finds"
    );
    for rule in crate::rules::ALL {
        out.push_str(&format!(
            "{:<6} {:<27} {:<8} {}\n",
            rule.code,
            rule.name,
            rule.severity.as_str(),
            rule.summary
        ));
    }
    out.push_str(
        "\nrun `infralint explain CODE` for what a rule checks, why it matters and how to fix it\n",
    );
    out
}
