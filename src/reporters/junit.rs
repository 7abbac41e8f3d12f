//! `--format junit`: JUnit XML through quick-junit, for CI dashboards. A test suite per
//! design, a test case per rule that ran: it fails with the messages and places of the
//! rule's open findings, and passes otherwise (accepted findings are named in its
//! output). A design that cannot be analysed has one test case, `design`, failing with
//! its errors.

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use super::{Options, Reporter};
use crate::checked::FileReport;
use crate::source::display_path;

pub struct Junit;

impl Reporter for Junit {
    fn render(&self, reports: &[FileReport], options: &Options) -> String {
        let mut report = Report::new("infralint");
        for file in reports {
            let path = display_path(&file.path);
            let source = file.source.as_ref();
            let place = |span: crate::source::Span| match source {
                Some(source) => format!("{path}:{}", source.position(span.start as usize)),
                None => path.clone(),
            };
            let mut suite = TestSuite::new(path.clone());
            if !file.errors.is_empty() {
                let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
                status.set_message(format!(
                    "{}: the design cannot be analysed",
                    crate::prose::plural(file.errors.len(), "design error", "design errors")
                ));
                status.set_type("design error");
                let lines: Vec<String> = file
                    .errors
                    .iter()
                    .map(|e| match e.span {
                        Some(span) => format!("{}: {} {}", place(span), e.code, e.message),
                        None => format!("{path}: {} {}", e.code, e.message),
                    })
                    .collect();
                status.set_description(lines.join("\n"));
                let mut case = TestCase::new("design", status);
                case.set_classname(path.clone());
                suite.add_test_case(case);
                report.add_test_suite(suite);
                continue;
            }
            for rule in &options.rules {
                let findings: Vec<_> = file
                    .findings
                    .iter()
                    .filter(|f| f.code() == rule.code)
                    .collect();
                let open: Vec<_> = findings.iter().filter(|f| f.accepted.is_none()).collect();
                let name = format!("{} {}", rule.code, rule.name);
                let mut case = if open.is_empty() {
                    let mut case = TestCase::new(name, TestCaseStatus::success());
                    let accepted: Vec<String> = findings
                        .iter()
                        .map(|f| format!("accepted: {}: {}", place(f.span()), f.message))
                        .collect();
                    if !accepted.is_empty() {
                        case.set_system_out(accepted.join("\n"));
                    }
                    case
                } else {
                    let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
                    status.set_message(open[0].message.clone());
                    status.set_type(open[0].severity.as_str());
                    let lines: Vec<String> = open
                        .iter()
                        .map(|f| {
                            format!("{}: {} {}", place(f.span()), f.severity.as_str(), f.message)
                        })
                        .collect();
                    status.set_description(lines.join("\n"));
                    TestCase::new(name, status)
                };
                case.set_classname(path.clone());
                suite.add_test_case(case);
            }
            report.add_test_suite(suite);
        }
        let mut out = xml_safe(&report.to_string().expect("plain data always serializes"));
        out.push('\n');
        out
    }
}

/// The document with what XML 1.0 forbids anywhere (C0 controls but tab and line
/// breaks, U+FFFE, U+FFFF) replaced by U+FFFD, so that one design's words cannot make a
/// whole class's report unreadable, and the bidirectional controls that reorder what a
/// dashboard shows written as `\u{202e}`. Nothing else in the document changes: the
/// markup is all ASCII.
fn xml_safe(document: &str) -> String {
    let forbidden = |c: char| {
        matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')
    };
    let mut out = String::with_capacity(document.len());
    for c in document.chars() {
        if forbidden(c) {
            out.push('\u{fffd}');
        } else if crate::source::is_unsafe_for_terminal(c) && !c.is_ascii() {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}
