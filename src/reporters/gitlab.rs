//! `--format gitlab`: GitLab Code Quality, the JSON array a merge request's widget reads
//! (`artifacts: reports: codequality:`): per open finding and design error its
//! description, check name (the code), fingerprint, severity and place (the path from
//! the repository root, as GitLab names files, and the first line).

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::{Options, Reporter};
use crate::checked::FileReport;
use crate::diagnostic::Severity;
use crate::source::identity_path;

pub struct Gitlab;

#[derive(Serialize)]
struct Issue<'a> {
    description: &'a str,
    check_name: &'static str,
    fingerprint: String,
    severity: &'static str,
    location: Location,
}

#[derive(Serialize)]
struct Location {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
}

impl Reporter for Gitlab {
    fn render(&self, reports: &[FileReport], _: &Options) -> String {
        let mut issues = Vec::new();
        for report in reports {
            let path = identity_path(&report.path);
            for item in report.diagnostics().filter(|item| !item.accepted()) {
                let diagnostic = item.diagnostic;
                let line = match (&report.source, diagnostic.span) {
                    (Some(source), Some(span)) => source.position(span.start as usize).line,
                    _ => 1,
                };
                let (fingerprint, severity) = match item.finding {
                    // A finding's own identity, as SARIF and baselines have it.
                    Some(finding) => (
                        finding.fingerprint(&path),
                        match diagnostic.severity {
                            Severity::Error => "major",
                            Severity::Warning => "minor",
                            Severity::Info => "info",
                        },
                    ),
                    // A design error: the file cannot be analysed at all.
                    None => (
                        error_fingerprint(diagnostic.code.as_str(), &path, line),
                        "critical",
                    ),
                };
                issues.push(Issue {
                    description: &diagnostic.message,
                    check_name: diagnostic.code.as_str(),
                    fingerprint,
                    severity,
                    location: Location {
                        path: path.clone(),
                        lines: Lines { begin: line },
                    },
                });
            }
        }
        let mut out = serde_json::to_string_pretty(&issues).expect("plain data always serializes");
        out.push('\n');
        out
    }
}

/// A design error's identity: its code, file and line (it has no target).
fn error_fingerprint(code: &str, path: &str, line: usize) -> String {
    let digest = Sha256::digest(format!("{code}\0{path}\0{line}").as_bytes());
    digest.iter().take(16).map(|b| format!("{b:02x}")).collect()
}
