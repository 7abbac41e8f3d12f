//! Baselines: adopt infralint on an existing design without fixing everything first.
//! `--write-baseline FILE` records the current findings; `--baseline FILE` reports only
//! the findings not in it (and exits as if the others were not there), and lists the
//! entries that no longer match as fixed, so that the file can be refreshed.
//!
//! Entries match by fingerprint: the rule, the design's path (`source::identity_path`: from
//! the repository root, however it was typed) and the finding's target
//! (`Finding::fingerprint`), never the line: moving lines, reordering servers or
//! reformatting a file keeps the match; renaming the target does not.

use serde::{Deserialize, Serialize};

use crate::checked::FileReport;
use crate::rules::fingerprint;
use crate::source::{display_path, identity_path};

#[derive(Debug, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord, Clone)]
pub struct Entry {
    pub fingerprint: String,
    pub code: String,
    pub path: String,
    pub target: String,
    pub message: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    /// The day it was written, `YYYY-MM-DD`.
    pub created: String,
    /// Sorted by path, code, target.
    pub findings: Vec<Entry>,
}

/// The open findings of a run as a baseline, sorted.
pub fn of(reports: &[FileReport], today: jiff::civil::Date) -> Baseline {
    let mut findings: Vec<Entry> = reports
        .iter()
        .flat_map(|report| {
            let path = identity_path(&report.path);
            report
                .findings
                .iter()
                .filter(|f| f.accepted.is_none())
                .map(move |f| Entry {
                    fingerprint: fingerprint(f.code(), &path, f.target.as_str()),
                    code: f.code().to_string(),
                    path: path.clone(),
                    target: f.target.to_string(),
                    message: f.message.clone(),
                })
        })
        .collect();
    findings.sort_by(|a, b| (&a.path, &a.code, &a.target).cmp(&(&b.path, &b.code, &b.target)));
    findings.dedup_by(|a, b| a.fingerprint == b.fingerprint);
    Baseline {
        version: 1,
        created: today.to_string(),
        findings,
    }
}

pub fn to_json(baseline: &Baseline) -> String {
    let mut out = serde_json::to_string_pretty(baseline).expect("plain data");
    out.push('\n');
    out
}

/// Reads a baseline; `Err` says what is wrong with the file.
pub fn read(path: &std::path::Path) -> Result<Baseline, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read the baseline `{}`: {e}", display_path(path)))?;
    let baseline: Baseline = serde_json::from_str(&text).map_err(|e| {
        format!(
            "`{}` is not an infralint baseline: {e} (write one with `--write-baseline`)",
            display_path(path)
        )
    })?;
    if baseline.version != 1 {
        return Err(format!(
            "`{}`: unsupported baseline version {}",
            display_path(path),
            baseline.version
        ));
    }
    Ok(baseline)
}

/// Drops the findings the baseline holds from the reports; returns its entries that
/// matched nothing (fixed since).
pub fn apply(baseline: &Baseline, reports: &mut [FileReport]) -> Vec<Entry> {
    let known: std::collections::HashSet<&str> = baseline
        .findings
        .iter()
        .map(|e| e.fingerprint.as_str())
        .collect();
    let mut seen = std::collections::HashSet::new();
    for report in reports.iter_mut() {
        let path = identity_path(&report.path);
        report.findings.retain(|f| {
            if f.accepted.is_some() {
                return true;
            }
            let print = fingerprint(f.code(), &path, f.target.as_str());
            if known.contains(print.as_str()) {
                seen.insert(print);
                false
            } else {
                true
            }
        });
    }
    baseline
        .findings
        .iter()
        .filter(|e| !seen.contains(&e.fingerprint))
        .cloned()
        .collect()
}
