//! What the pipeline gives for one file: the type every renderer, report and command
//! reads. Its own module, so that nothing downstream imports from `lib.rs`.

use std::path::PathBuf;

use crate::diagnostic::Diagnostic;
use crate::model::Design;
use crate::rules::Finding;
use crate::source::SourceFile;

/// Everything learned about one file.
pub struct FileReport {
    /// As named on the command line, or as the walk found it.
    pub path: PathBuf,
    /// `None` for a path that could not be read at all.
    pub source: Option<SourceFile>,
    pub errors: Vec<Diagnostic>,
    pub findings: Vec<Finding>,
    pub design: Option<Design>,
}

/// One diagnostic of a report, as every reporter reads it: the diagnostic, and the
/// finding it belongs to when a rule made it (its target and acceptance).
#[derive(Clone, Copy)]
pub struct Item<'a> {
    pub diagnostic: &'a Diagnostic,
    pub finding: Option<&'a Finding>,
}

impl Item<'_> {
    /// Accepted by an `accept:` entry: shown, never failing a run.
    pub fn accepted(&self) -> bool {
        self.finding.is_some_and(|f| f.accepted.is_some())
    }
}

impl FileReport {
    /// Every diagnostic of the file, design errors first (a design with errors has no
    /// finding), then findings in the order the rule stage sorted them.
    pub fn diagnostics(&self) -> impl Iterator<Item = Item<'_>> {
        let errors = self.errors.iter().map(|diagnostic| Item {
            diagnostic,
            finding: None,
        });
        let findings = self.findings.iter().map(|finding| Item {
            diagnostic: &finding.diagnostic,
            finding: Some(finding),
        });
        errors.chain(findings)
    }
}

/// What checking one candidate file gave.
pub enum Checked {
    Report(Box<FileReport>),
    /// A walked file whose top level has neither `servers` nor `infralint`.
    NotADesign(PathBuf),
}
