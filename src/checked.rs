//! What the pipeline gives for one file: the type every renderer, report and command
//! reads. Its own module, so that nothing downstream imports from `lib.rs`.

use std::path::PathBuf;

use crate::diagnostic::DesignError;
use crate::model::Design;
use crate::rules::Finding;
use crate::source::SourceFile;

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
