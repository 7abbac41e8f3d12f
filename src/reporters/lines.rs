//! Every design error and every open finding of a run as one flat list, with start and
//! end positions: what the line-based formats (`compact`, `github`) print. Accepted
//! findings are left out: they never fail a run, and CI annotations are for what does.

use crate::checked::FileReport;
use crate::source::{Position, display_path};

pub(super) struct Line<'a> {
    pub path: String,
    /// `None` for an error about a path rather than a place in a file.
    pub start: Option<Position>,
    pub end: Option<Position>,
    /// `error`, `warning` or `info`.
    pub severity: &'static str,
    /// The rule's or the design error's code and name.
    pub rule: (&'static str, &'static str),
    pub message: &'a str,
}

pub(super) fn lines(reports: &[FileReport]) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    for report in reports {
        let path = display_path(&report.path);
        let source = report.source.as_ref();
        let place = |span: crate::source::Span| {
            source.map(|s| {
                (
                    s.position(span.start as usize),
                    s.position(span.end as usize),
                )
            })
        };
        for item in report.diagnostics().filter(|item| !item.accepted()) {
            let diagnostic = item.diagnostic;
            let range = diagnostic.span.and_then(place);
            out.push(Line {
                path: path.clone(),
                start: range.map(|r| r.0),
                end: range.map(|r| r.1),
                severity: diagnostic.severity.as_str(),
                rule: (diagnostic.code.as_str(), diagnostic.code.name()),
                message: &diagnostic.message,
            });
        }
    }
    out
}
