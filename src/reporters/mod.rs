//! The formats of `check`'s diagnostics: text, JSON, compact lines, GitHub annotations,
//! SARIF and JUnit. Reporters decide nothing: they turn reports into text, each in one
//! loop over `FileReport::diagnostics`.

mod lines;

use crate::checked::FileReport;

/// How a run's reports are printed, whatever the format: what a terminal allows.
pub struct Options {
    pub style: text::Style,
    /// The rules that ran (after `--select` and `--ignore`).
    pub rules: Vec<&'static crate::rules::Rule>,
    /// The lowest severity of an open finding that fails the run (`--fail-on`); `None`
    /// for `never`. JUnit fails a test case exactly for those.
    pub fail_at: Option<crate::diagnostic::Severity>,
}

/// One output format of `check`. Adding a format is a module that implements this and
/// one line in the `formats!` list below.
pub trait Reporter {
    fn render(&self, reports: &[FileReport], options: &Options) -> String;
}

/// Declares the formats of `check` from one list: each line is a module (declared
/// here), the `--format` word (its variant, lower case; `infralint.toml` reads the same
/// words) with its help (the doc comment), and its reporter.
macro_rules! formats {
    ($($(#[$doc:meta])* $variant:ident => $module:ident::$reporter:ident,)*) => {
        $(pub mod $module;)*

        /// `--format` of `check`.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
        pub enum Format {
            $($(#[$doc])* $variant,)*
        }

        /// The reporter of a format.
        pub fn reporter(format: Format) -> &'static dyn Reporter {
            match format {
                $(Format::$variant => &$module::$reporter,)*
            }
        }
    };
}

formats! {
    /// Compiler-style diagnostics with the source line underlined.
    Text => text::Text,
    /// One JSON document on stdout, whatever the exit status.
    Json => json::Json,
    /// `path:line:col: severity CODE message`, a line each, for grep and problem matchers.
    Compact => compact::Compact,
    /// GitHub Actions workflow commands: annotations on the pull request's lines.
    Github => github::Github,
    /// SARIF 2.1.0, for code scanning (GitHub's upload-sarif and other tools).
    Sarif => sarif::Sarif,
    /// JUnit XML: a test suite per design, a test case per rule that ran.
    Junit => junit::Junit,
    /// GitLab Code Quality JSON, for the merge request widget.
    Gitlab => gitlab::Gitlab,
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
    /// Design files with at least one design error.
    pub broken_files: usize,
    /// Of `files`: paths that could not be read at all (missing, a folder without
    /// designs, unreadable, too large), and config files that could not be read; each
    /// counted in `errors` too.
    pub unread: usize,
    pub broken_configs: usize,
    /// The design errors of design files (not of unread paths or configs).
    pub design_errors: usize,
    /// Open findings that `check --fix` would mend, and those only `--unsafe-fixes`
    /// would.
    pub fixable: usize,
    pub unsafe_fixable: usize,
}

impl Summary {
    pub fn of(reports: &[FileReport]) -> Summary {
        let mut summary = Summary {
            files: reports.len(),
            ..Summary::default()
        };
        for report in reports {
            summary.errors += report.errors.len();
            let broken = !report.errors.is_empty();
            if report.path.file_name() == Some(std::ffi::OsStr::new(crate::source::CONFIG_FILE)) {
                summary.broken_configs += usize::from(broken);
            } else if report.source.is_none() {
                summary.unread += usize::from(broken);
            } else {
                summary.broken_files += usize::from(broken);
                summary.design_errors += report.errors.len();
            }
            let counts = crate::rules::Counts::of(&report.findings);
            summary.error += counts.error;
            summary.warning += counts.warning;
            summary.info += counts.info;
            summary.accepted += counts.accepted;
            for item in report.diagnostics().filter(|item| !item.accepted()) {
                match item.diagnostic.fix.as_ref().map(|fix| fix.applicability) {
                    Some(crate::diagnostic::Applicability::Safe) => summary.fixable += 1,
                    Some(crate::diagnostic::Applicability::Unsafe) => summary.unsafe_fixable += 1,
                    _ => {}
                }
            }
        }
        summary
    }
}

/// `infralint rules`: every rule, one line each.
pub fn rules_table() -> String {
    let mut out = format!(
        "{:<6} {:<27} {:<8} {:<6} {}\n",
        "code", "name", "severity", "fix", "finds"
    );
    for rule in crate::rules::ALL {
        out.push_str(&format!(
            "{:<6} {:<27} {:<8} {:<6} {}\n",
            rule.code,
            rule.name,
            rule.severity.as_str(),
            rule.fix
                .map_or("", |(applicability, _)| applicability.as_str()),
            rule.summary
        ));
    }
    out.push_str(
        "\nrun `infralint explain CODE` for what a rule checks, why it matters and how to fix it;\n\
         `infralint check --fix` applies the safe fixes, `--unsafe-fixes` the unsafe ones too\n",
    );
    out
}
