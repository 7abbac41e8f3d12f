//! `--format junit`: JUnit XML through quick-junit, for CI dashboards. A test suite per
//! design, a test case per rule that ran: it fails with the messages and places of the
//! rule's open findings that fail the run under `--fail-on` (so a dashboard agrees with
//! the exit status), and passes otherwise (accepted findings, and open ones below
//! `--fail-on`, are said in its output). A design that cannot be analysed has one test
//! case, `design`, failing with its errors.

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use super::{Options, Reporter};
use crate::checked::FileReport;
use crate::source::display_path;

pub struct Junit;

impl Reporter for Junit {
    fn render(&self, reports: &[FileReport], options: &Options) -> String {
        let mut report = Report::new("infralint");
        for file in reports {
            report.add_test_suite(suite(file, options));
        }
        let out = xml_safe(&report.to_string().expect("plain data always serializes"));
        let mut out = without_skipped_on_testsuites(out);
        out.push('\n');
        out
    }
}

/// quick-junit writes `skipped` on `<testsuites>`, which Jenkins' JUnit schema (the
/// xunit plugin's junit-10.xsd) does not allow there; each `<testsuite>` keeps its own
/// (always 0: no rule is skipped, an unselected one has no case).
fn without_skipped_on_testsuites(xml: String) -> String {
    let Some(start) = xml.find("<testsuites ") else {
        return xml;
    };
    let end = start + xml[start..].find('>').unwrap_or(0);
    let Some(at) = xml[start..end].find(" skipped=\"").map(|i| start + i) else {
        return xml;
    };
    let value_end = xml[at + 10..end].find('"').map_or(end, |i| at + 10 + i + 1);
    let mut out = xml;
    out.replace_range(at..value_end, "");
    out
}

/// One design's suite: a failing `design` case when it could not be analysed, else a
/// case per rule that ran, failing exactly when one of its open findings fails the run
/// under `--fail-on` (the others, and accepted ones, said in its output).
fn suite(file: &FileReport, options: &Options) -> TestSuite {
    let path = display_path(&file.path);
    let source = file.source.as_ref();
    let place = |span: Option<crate::source::Span>| match (source, span) {
        (Some(source), Some(span)) => {
            format!("{path}:{}", source.position(span.start as usize))
        }
        _ => path.clone(),
    };
    let mut suite = TestSuite::new(path.clone());
    // One pass: design errors, and each rule's findings, failing or only said.
    let mut errors = Vec::new();
    let mut failing: Vec<Vec<String>> = vec![Vec::new(); options.rules.len()];
    let mut said: Vec<Vec<String>> = vec![Vec::new(); options.rules.len()];
    let mut first: Vec<Option<&crate::rules::Finding>> = vec![None; options.rules.len()];
    for item in file.diagnostics() {
        let diagnostic = item.diagnostic;
        let Some(finding) = item.finding else {
            errors.push(format!(
                "{}: {} {}",
                place(diagnostic.span),
                diagnostic.code,
                diagnostic.message
            ));
            continue;
        };
        let Some(rule) = options.rules.iter().position(|r| r.code == finding.code()) else {
            continue;
        };
        let line = format!(
            "{}: {} {}",
            place(diagnostic.span),
            diagnostic.severity.as_str(),
            diagnostic.message
        );
        let fails = finding.accepted.is_none()
            && options.fail_at.is_some_and(|at| diagnostic.severity >= at);
        if fails {
            first[rule].get_or_insert(finding);
            failing[rule].push(line);
        } else if finding.accepted.is_some() {
            said[rule].push(format!(
                "accepted: {}: {}",
                place(diagnostic.span),
                diagnostic.message
            ));
        } else {
            said[rule].push(line);
        }
    }
    if !errors.is_empty() {
        let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
        status.set_message(format!(
            "{}: the design cannot be analysed",
            crate::prose::plural(errors.len(), "design error", "design errors")
        ));
        status.set_type("design error");
        status.set_description(errors.join("\n"));
        let mut case = TestCase::new("design", status);
        case.set_classname(path.clone());
        suite.add_test_case(case);
        return suite;
    }
    for (i, rule) in options.rules.iter().enumerate() {
        let name = format!("{} {}", rule.code, rule.name);
        let mut case = match first[i] {
            None => TestCase::new(name, TestCaseStatus::success()),
            Some(finding) => {
                let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
                status.set_message(finding.message.clone());
                status.set_type(finding.severity.as_str());
                status.set_description(failing[i].join("\n"));
                TestCase::new(name, status)
            }
        };
        if !said[i].is_empty() {
            case.set_system_out(said[i].join("\n"));
        }
        case.set_classname(path.clone());
        suite.add_test_case(case);
    }
    suite
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
