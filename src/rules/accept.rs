//! `accept:` entries: an acceptance covers the findings of its rule (by code or name)
//! whose target it names, or all of them when it names none, through its `until` day.

use jiff::civil::Date;

use super::{Selection, find, suggest_rule};
use crate::diagnostic::{DesignError, Finding};
use crate::model::Design;

/// An acceptance naming no rule is a design error.
pub(super) fn validate(design: &Design) -> Vec<DesignError> {
    design
        .accepts
        .iter()
        .filter(|a| find(&a.rule.value).is_none())
        .map(|a| {
            let help = match suggest_rule(&a.rule.value) {
                Some(near) => format!("did you mean `{near}`? `infralint rules` lists every rule"),
                None => {
                    "name a rule by code or name; `infralint rules` lists every rule".to_string()
                }
            };
            DesignError::at(a.rule.span, format!("`{}` names no rule", a.rule.value))
                .label("no such rule")
                .help(help)
        })
        .collect()
}

/// Targets compare without white space: `user->www.foobar.com` is `user -> www.foobar.com`.
fn same_target(a: &str, b: &str) -> bool {
    a.chars()
        .filter(|c| !c.is_whitespace())
        .eq(b.chars().filter(|c| !c.is_whitespace()))
}

/// Marks accepted findings, and notes lapsed acceptances on the findings they no longer
/// cover. Returns the indices of acceptances that matched no finding, leaving out those
/// whose rule the selection turned off.
pub fn apply_acceptances(
    design: &Design,
    findings: &mut [Finding],
    today: Date,
    selection: &Selection,
) -> Vec<usize> {
    let mut unused = Vec::new();
    for (index, acceptance) in design.accepts.iter().enumerate() {
        let Some(rule) = find(&acceptance.rule.value) else {
            continue;
        };
        let mut matched = false;
        for finding in findings.iter_mut().filter(|f| f.code == rule.code) {
            let covers = acceptance
                .target
                .as_ref()
                .is_none_or(|t| same_target(&t.value, &finding.target));
            if !covers {
                continue;
            }
            matched = true;
            match &acceptance.until {
                Some(until) if today > until.value => {
                    finding.note = Some(format!(
                        "an acceptance of this finding lapsed after {}: \"{}\"",
                        until.value, acceptance.reason
                    ));
                }
                _ => finding.accepted = Some(acceptance.reason.clone()),
            }
        }
        if !matched && selection.enabled(rule) {
            unused.push(index);
        }
    }
    unused
}
