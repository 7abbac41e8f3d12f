//! Compiler-style text: each design error and finding through miette, with the source
//! line and the span underlined, then one summary line.
//!
//! miette is handed our own [`SourceCode`], which answers from the file's line index with
//! only the lines around a span. miette's own `impl SourceCode for str` scans from the
//! start of the text for every span, which made 1,000 diagnostics on a 4 MB file cost
//! seconds; this keeps rendering linear in the number of diagnostics.

use std::fmt;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};

use super::Summary;
use crate::checked::FileReport;
use crate::diagnostic::{Label, Severity};
use crate::prose::plural;
use crate::source::{SourceFile, Span};

#[derive(Clone, Copy, Debug)]
pub struct Style {
    pub color: bool,
    pub width: usize,
}

impl Style {
    /// What snapshots use: no colour, 80 columns.
    pub const PLAIN: Style = Style {
        color: false,
        width: 80,
    };
}

pub struct Text;

impl super::Reporter for Text {
    fn render(&self, reports: &[FileReport], options: &super::Options) -> String {
        render(reports, options.style)
    }
}

pub fn render(reports: &[FileReport], style: Style) -> String {
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_context_lines(1);
    let mut out = String::new();
    for report in reports {
        render_file(&handler, report, &mut out);
    }
    out.push_str(&summary_line(&Summary::of(reports)));
    out
}

fn render_file(handler: &GraphicalReportHandler, report: &FileReport, out: &mut String) {
    let source = report.source.as_ref();
    let path = safe_path(&crate::source::display_path(&report.path));
    // One view of the file per report, with anything a terminal would act on replaced.
    let indexed = source.map(Indexed::new);
    for item in report.diagnostics() {
        let diagnostic = item.diagnostic;
        let mut labels = Vec::new();
        // An error about the path, or about a file that was not read, has nothing to show.
        let shown = source
            .filter(|s| !s.text().is_empty())
            .zip(diagnostic.span);
        if let Some((_, span)) = shown {
            // A finding's place is labelled with the rule's own words, else its name.
            let label = match item.finding {
                Some(finding) => Some(finding.label()),
                None => diagnostic.label.as_deref(),
            };
            labels.push(labeled(span, label.map(safe), true));
            labels.extend(diagnostic.secondary.iter().map(secondary));
        }
        let message = match (source, diagnostic.span, shown) {
            (Some(source), Some(span), None) => {
                format!(
                    "{path}:{}: {}",
                    source.position(span.start as usize),
                    safe(&diagnostic.message)
                )
            }
            _ => safe(&diagnostic.message),
        };
        let mut help = diagnostic.help.clone();
        if let Some(finding) = item.finding {
            let mut said = help.unwrap_or_default();
            if let Some(reason) = &finding.accepted {
                said = format!("{said}\naccepted: {reason}");
            }
            if let Some(note) = &finding.note {
                said = format!("{said}\nnote: {note}");
            }
            help = Some(said);
        }
        let severity = match (item.accepted(), diagnostic.severity) {
            (true, _) | (false, Severity::Info) => miette::Severity::Advice,
            (false, Severity::Warning) => miette::Severity::Warning,
            (false, Severity::Error) => miette::Severity::Error,
        };
        let rendered = Rendered {
            code: Some(format!("{}({})", diagnostic.code, diagnostic.code.name())),
            message,
            help: help.as_deref().map(safe),
            severity,
            labels,
            source: shown.and(indexed.as_ref()),
        };
        write_diagnostic(handler, &rendered, out);
    }
}

fn write_diagnostic(handler: &GraphicalReportHandler, diagnostic: &Rendered<'_>, out: &mut String) {
    let mut text = String::new();
    if handler.render_report(&mut text, diagnostic).is_err() {
        // miette fails only when the source cannot serve a span; say the message plainly.
        text = format!("  × {}\n", diagnostic.message);
    }
    out.push_str(&text);
    out.push('\n');
}

fn labeled(span: Span, label: Option<String>, primary: bool) -> LabeledSpan {
    let span = SourceSpan::new((span.start as usize).into(), span.len());
    if primary {
        LabeledSpan::new_primary_with_span(label, span)
    } else {
        LabeledSpan::new_with_span(label, span)
    }
}

fn secondary(label: &Label) -> LabeledSpan {
    labeled(label.span, Some(safe(&label.message)), false)
}

/// Text from a design, for a terminal: control and bidirectional characters escaped,
/// and a carriage return too (a CI runner splits lines on it, so `x\r::add-mask::y` in
/// a `software:` would read as a workflow command of its own).
fn safe(text: &str) -> String {
    crate::source::terminal_safe(text).replace('\r', "\\r")
}

/// A path, for a terminal: as [`safe`], and a line feed escaped too (a file name with
/// one would split every line that names it).
fn safe_path(text: &str) -> String {
    safe(text).replace('\n', "\\n")
}

pub fn summary_line(summary: &Summary) -> String {
    let mut parts = Vec::new();
    if summary.unread > 0 {
        parts.push(format!(
            "{} could not be read",
            plural(summary.unread, "path", "paths")
        ));
    }
    if summary.broken_configs > 0 {
        parts.push(plural(
            summary.broken_configs,
            "config file with errors",
            "config files with errors",
        ));
    }
    if summary.broken_files > 0 {
        parts.push(format!(
            "{} in {}",
            plural(summary.design_errors, "design error", "design errors"),
            plural(summary.broken_files, "file", "files")
        ));
    }
    let findings = summary.error + summary.warning + summary.info;
    if findings > 0 || summary.accepted > 0 {
        let mut counts = format!(
            "{}, {}, {} info",
            plural(summary.error, "error", "errors"),
            plural(summary.warning, "warning", "warnings"),
            summary.info
        );
        if summary.accepted > 0 {
            counts.push_str(&format!(" ({} accepted)", summary.accepted));
        }
        parts.push(counts);
    }
    if parts.is_empty() {
        parts.push("no problems found".to_string());
    }
    let checked = summary.files - summary.unread - summary.broken_configs;
    let mut line = match checked {
        0 => format!("nothing checked: {}\n", parts.join("; ")),
        _ => format!(
            "{} checked: {}\n",
            plural(checked, "file", "files"),
            parts.join("; ")
        ),
    };
    if findings > 0 {
        line.push_str("for what a rule checks and how to fix it, run `infralint explain CODE`\n");
    }
    match (summary.fixable, summary.unsafe_fixable) {
        (0, 0) => {}
        (0, more) => line.push_str(&format!(
            "{} with `infralint check --fix --unsafe-fixes` (it may change what you meant: see `--diff`)\n",
            plural(more, "finding is fixable", "findings are fixable")
        )),
        (safe, 0) => line.push_str(&format!(
            "{} with `infralint check --fix`\n",
            plural(safe, "finding is fixable", "findings are fixable")
        )),
        (safe, more) => line.push_str(&format!(
            "{} with `infralint check --fix` ({more} more with `--unsafe-fixes`)\n",
            plural(safe, "finding is fixable", "findings are fixable")
        )),
    }
    line
}

/// One diagnostic as miette wants it.
struct Rendered<'a> {
    code: Option<String>,
    message: String,
    help: Option<String>,
    severity: miette::Severity,
    labels: Vec<LabeledSpan>,
    source: Option<&'a Indexed<'a>>,
}

impl fmt::Debug for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Rendered<'_> {}

impl Diagnostic for Rendered<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.code
            .as_ref()
            .map(|c| Box::new(c) as Box<dyn fmt::Display>)
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            None
        } else {
            Some(Box::new(self.labels.iter().cloned()))
        }
    }
}

/// A source file served to miette from its line index, through a view of its text in
/// which whatever a terminal would act on (an escape, a bidirectional override) is
/// replaced by a visible character of the same length, so that offsets stay right.
struct Indexed<'a> {
    file: &'a SourceFile,
    shown: std::borrow::Cow<'a, str>,
    name: String,
}

impl<'a> Indexed<'a> {
    fn new(file: &'a SourceFile) -> Indexed<'a> {
        Indexed {
            file,
            shown: lone_returns_as_line_feeds(crate::source::terminal_safe_same_length(
                file.text(),
            )),
            name: safe_path(&file.display_path()),
        }
    }
}

impl SourceCode for Indexed<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let file = self.file;
        let text: &str = &self.shown;
        if span.offset() + span.len() > text.len() {
            return Err(MietteError::OutOfBounds);
        }
        let first_line = file.line_index(span.offset());
        if let Some(window) = long_line_window(self, span, first_line) {
            return Ok(window);
        }
        let last_line = file.line_index(
            (span.offset() + span.len())
                .saturating_sub(1)
                .max(span.offset()),
        );
        let from_line = first_line.saturating_sub(context_lines_before);
        let to_line = (last_line + context_lines_after).min(file.line_count() - 1);
        let start = file.line_range(from_line).start;
        let mut end = file.line_range(to_line).end;
        // miette counts a trailing line break as the start of one more line.
        if to_line == file.line_count() - 1 {
            end = end.min(text.len());
        }
        let data = &text.as_bytes()[start..end];
        // miette shows the line and column of a label's contents in the snippet's header.
        let column = file.position(span.offset()).column - 1;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            data,
            SourceSpan::new(start.into(), end - start),
            from_line,
            column,
            to_line - from_line + 1,
        )))
    }
}

/// A carriage return not followed by a line feed is a line break to YAML and to the
/// line index, so it is shown as one (a line feed, the same length): printed raw, it
/// would move a terminal's cursor, and a CI runner would read what follows it in a
/// comment as a line of its own (a forged workflow command). Found by fuzzing.
fn lone_returns_as_line_feeds(text: std::borrow::Cow<'_, str>) -> std::borrow::Cow<'_, str> {
    let bytes = text.as_bytes();
    let lone = |i: usize| bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n');
    if !(0..bytes.len()).any(lone) {
        return text;
    }
    let mut out = text.into_owned().into_bytes();
    for i in 0..out.len() {
        if out[i] == b'\r' && out.get(i + 1) != Some(&b'\n') {
            out[i] = b'\n';
        }
    }
    std::borrow::Cow::Owned(String::from_utf8(out).expect("one ASCII byte for another"))
}

/// A line longer than this is shown as a window around the span.
const LONG_LINE: usize = 160;
const WINDOW_MARGIN: usize = 60;

/// For a span on one very long line (minified or hostile input), only the part of the line
/// around the span, without context lines: the snippet stays readable and its cost bounded.
fn long_line_window<'a>(
    indexed: &'a Indexed<'a>,
    span: &SourceSpan,
    line: usize,
) -> Option<Box<dyn SpanContents<'a> + 'a>> {
    let file = indexed.file;
    let range = file.line_range(line);
    let text: &str = &indexed.shown;
    let line_text = text[range.clone()].trim_end_matches(['\r', '\n']);
    if line_text.len() <= LONG_LINE || span.offset() + span.len() > range.start + line_text.len() {
        return None;
    }
    let floor = |mut i: usize| {
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let start = floor(span.offset().saturating_sub(WINDOW_MARGIN).max(range.start));
    let end =
        floor((span.offset() + span.len() + WINDOW_MARGIN).min(range.start + line_text.len()));
    Some(Box::new(MietteSpanContents::new_named(
        indexed.name.clone(),
        &text.as_bytes()[start..end],
        SourceSpan::new(start.into(), end - start),
        line,
        file.position(span.offset()).column - 1,
        1,
    )))
}
