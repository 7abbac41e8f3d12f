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
                    "{} design errors: the design cannot be analysed",
                    file.errors.len()
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
                        .map(|f| format!("accepted: {}: {}", place(f.span), f.message))
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
                            format!("{}: {} {}", place(f.span), f.severity.as_str(), f.message)
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
        let mut out = report.to_string().expect("plain data always serializes");
        out.push('\n');
        out
    }
}
