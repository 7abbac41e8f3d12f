//! `--format json`: one document, its fields fixed by the rule catalog's contract.
//! Fields may be added; none may change.

use serde::Serialize;

use super::Summary;
use crate::checked::FileReport;
use crate::diagnostic::Label;
use crate::source::{SourceFile, Span, display_path};

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    files: Vec<File<'a>>,
    summary: JsonSummary,
}

#[derive(Serialize)]
struct File<'a> {
    path: String,
    errors: Vec<Error<'a>>,
    findings: Vec<Finding<'a>>,
}

#[derive(Serialize)]
struct Error<'a> {
    message: &'a str,
    help: Option<&'a str>,
    line: Option<usize>,
    column: Option<usize>,
    /// Added after version 1's first fields: the design error's code and name, where
    /// its span ends, and its labelled places (the primary one first).
    code: &'static str,
    name: &'static str,
    end_line: Option<usize>,
    end_column: Option<usize>,
    labels: Vec<JsonLabel<'a>>,
}

/// A labelled place: what is there, and where.
#[derive(Serialize)]
struct JsonLabel<'a> {
    message: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Serialize)]
struct Finding<'a> {
    code: &'a str,
    name: &'a str,
    severity: &'a str,
    target: &'a str,
    message: &'a str,
    help: &'a str,
    line: Option<usize>,
    column: Option<usize>,
    accepted: bool,
    reason: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
    /// Added: where the finding's span ends, and its labelled places.
    end_line: Option<usize>,
    end_column: Option<usize>,
    labels: Vec<JsonLabel<'a>>,
}

/// Version 1's fields stay (`errors`: every design error, read failures included;
/// `error`, `warning`, `info`: open findings by severity); the plainer names beside
/// them were added.
#[derive(Serialize)]
struct JsonSummary {
    files: usize,
    errors: usize,
    error: usize,
    warning: usize,
    info: usize,
    accepted: usize,
    /// Added: the design errors of design files; the paths that could not be read and
    /// the config files with errors (files, each with its errors in `errors`); the open
    /// findings (`error` + `warning` + `info`).
    design_errors: usize,
    unread: usize,
    broken_configs: usize,
    findings: usize,
}

fn position(source: Option<&SourceFile>, span: Option<Span>) -> (Option<usize>, Option<usize>) {
    match (source, span) {
        (Some(source), Some(span)) => {
            let position = source.position(span.start as usize);
            (Some(position.line), Some(position.column))
        }
        _ => (None, None),
    }
}

fn end(source: Option<&SourceFile>, span: Option<Span>) -> (Option<usize>, Option<usize>) {
    position(source, span.map(|s| Span::at(s.end as usize)))
}

/// The primary place (with its label, when it has one) and the secondary ones.
fn labels<'a>(
    source: Option<&SourceFile>,
    primary: Option<(Span, &'a str)>,
    secondary: &'a [Label],
) -> Vec<JsonLabel<'a>> {
    let Some(source) = source else {
        return Vec::new();
    };
    primary
        .into_iter()
        .chain(secondary.iter().map(|l| (l.span, l.message.as_str())))
        .map(|(span, message)| {
            let start = source.position(span.start as usize);
            let end = source.position(span.end as usize);
            JsonLabel {
                message,
                line: start.line,
                column: start.column,
                end_line: end.line,
                end_column: end.column,
            }
        })
        .collect()
}

/// One file's diagnostics, in one loop: design errors and findings keep their own lists
/// (the document's contract), with the same places and labels.
fn file(report: &FileReport) -> File<'_> {
    let source = report.source.as_ref();
    let mut file = File {
        path: display_path(&report.path),
        errors: Vec::new(),
        findings: Vec::new(),
    };
    for item in report.diagnostics() {
        let diagnostic = item.diagnostic;
        let (line, column) = position(source, diagnostic.span);
        let (end_line, end_column) = end(source, diagnostic.span);
        match item.finding {
            None => {
                let primary = diagnostic
                    .span
                    .map(|s| (s, diagnostic.label.as_deref().unwrap_or("")));
                file.errors.push(Error {
                    message: &diagnostic.message,
                    help: diagnostic.help.as_deref(),
                    line,
                    column,
                    code: diagnostic.code.as_str(),
                    name: diagnostic.code.name(),
                    end_line,
                    end_column,
                    labels: labels(source, primary, &diagnostic.secondary),
                });
            }
            Some(finding) => file.findings.push(Finding {
                code: finding.code(),
                name: finding.name(),
                severity: diagnostic.severity.as_str(),
                target: finding.target.as_str(),
                message: &diagnostic.message,
                help: finding.help(),
                line,
                column,
                accepted: finding.accepted.is_some(),
                reason: finding.accepted.as_deref(),
                note: finding.note.as_deref(),
                end_line,
                end_column,
                labels: labels(
                    source,
                    Some((finding.span(), finding.label())),
                    &diagnostic.secondary,
                ),
            }),
        }
    }
    file
}

pub struct Json;

impl super::Reporter for Json {
    fn render(&self, reports: &[FileReport], _: &super::Options) -> String {
        render(reports)
    }
}

pub fn render(reports: &[FileReport]) -> String {
    let files = reports.iter().map(file).collect();
    let summary = Summary::of(reports);
    let document = Document {
        version: 1,
        files,
        summary: JsonSummary {
            files: summary.files,
            errors: summary.errors,
            error: summary.error,
            warning: summary.warning,
            info: summary.info,
            accepted: summary.accepted,
            design_errors: summary.design_errors,
            unread: summary.unread,
            broken_configs: summary.broken_configs,
            findings: summary.error + summary.warning + summary.info,
        },
    };
    let mut out = serde_json::to_string_pretty(&document).expect("plain structs always serialize");
    out.push('\n');
    out
}
