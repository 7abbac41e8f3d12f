//! A class at once: one row per design for the teacher's index (and spreadsheet).

use crate::checked::FileReport;
use crate::diagnostic::Severity;
use crate::profile::Profile;
use crate::source::display_path;

/// One design in the class index.
pub struct Row {
    pub path: String,
    /// The design's page, relative to the index; `None` when the design has errors.
    pub page: Option<String>,
    pub name: String,
    pub author: String,
    pub exercise: String,
    /// Each requirement of the profile, met or not.
    pub checklist: Vec<(String, bool)>,
    pub error: usize,
    pub warning: usize,
    pub info: usize,
    pub accepted: usize,
    /// `LINE:COLUMN message` of each design error.
    pub errors: Vec<String>,
}

impl Row {
    pub fn met(&self) -> usize {
        self.checklist.iter().filter(|(_, met)| *met).count()
    }
}

/// The row of one design: `profile` is the class's (`--profile`) or the design's own.
pub fn row(file: &FileReport, page: Option<String>, profile: Option<&Profile>) -> Row {
    let counts = crate::rules::Counts::of(&file.findings);
    let count = |severity| counts.open(severity);
    let design = file.design.as_ref();
    let checklist = match (design, profile) {
        (Some(design), Some(profile)) => profile
            .requirements
            .iter()
            .map(|r| {
                let outcome = r.check(design);
                (outcome.required.replacen("requires ", "", 1), outcome.met)
            })
            .collect(),
        _ => Vec::new(),
    };
    let errors = file
        .errors
        .iter()
        .map(|e| match (&file.source, e.span) {
            (Some(source), Some(span)) => {
                format!("{} {}", source.position(span.start as usize), e.message)
            }
            _ => e.message.clone(),
        })
        .collect();
    Row {
        path: display_path(&file.path),
        page,
        name: design.map(|d| d.name.value.clone()).unwrap_or_default(),
        author: design.and_then(|d| d.author.clone()).unwrap_or_default(),
        exercise: profile
            .map(|p| p.name.clone())
            .or_else(|| design.and_then(|d| d.exercise.as_ref().map(|e| e.value.clone())))
            .unwrap_or_default(),
        checklist,
        error: count(Severity::Error),
        warning: count(Severity::Warning),
        info: count(Severity::Info),
        accepted: file
            .findings
            .iter()
            .filter(|f| f.accepted.is_some())
            .count(),
        errors,
    }
}
