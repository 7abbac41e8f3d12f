//! `accept:` entries: an acceptance covers the findings of its rule (by code or name)
//! whose target it names, or all of them when it names none, through its `until` day.

use jiff::civil::Date;

use std::collections::HashSet;

use super::Finding;
use super::{Selection, find, suggest_rule};
use crate::diagnostic::{Applicability, Diagnostic, Edit, ErrorCode, Fix};
use crate::fix;
use crate::model::Design;
use crate::profile::Profile;
use crate::prose::suggest;

/// An acceptance naming no rule is a design error.
pub(super) fn validate(design: &Design) -> Vec<Diagnostic> {
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
            Diagnostic::at(
                ErrorCode::UnknownWord,
                a.rule.span,
                format!("`{}` names no rule", a.rule.value),
            )
            .label("no such rule")
            .help(help)
        })
        .collect()
}

/// An acceptance's target must name something a finding can be about: a server, a
/// component (`SERVER/NAME`), a flow (`FROM -> TO` as written), a DNS record's host, the
/// domain, or the profile the design is checked against. Anything else is a design
/// error with the nearest of these: a misspelt target would otherwise accept nothing,
/// silently until IL001 said so.
pub(super) fn validate_targets(design: &Design, profile: Option<&Profile>) -> Vec<Diagnostic> {
    if design.accepts.iter().all(|a| a.target.is_none()) {
        return Vec::new();
    }
    let mut names: Vec<String> = Vec::new();
    names.extend(design.servers.iter().map(|s| s.name.value.clone()));
    names.extend(
        design
            .components
            .iter()
            .map(|c| design.component_target(c.id)),
    );
    names.extend(design.flows.iter().map(|f| f.target()));
    names.extend(design.records.iter().map(|r| r.host.clone()));
    names.extend(design.domain.iter().map(|d| d.value.clone()));
    names.extend(profile.map(|p| p.name.clone()));
    let known: HashSet<String> = names.iter().map(|n| compact(n)).collect();
    design
        .accepts
        .iter()
        .filter_map(|a| a.target.as_ref())
        .filter(|target| !known.contains(&compact(&target.value)))
        .map(|target| {
            let near = suggest(&target.value, names.iter().map(String::as_str));
            Diagnostic::at(ErrorCode::UnknownName,
                target.span,
                format!("the accepted target `{}` names nothing in this design", target.value),
            )
            .label("no server, component, flow, record or profile of this name")
            .help(match near {
                Some(near) => format!("did you mean `{near}`?"),
                None => "write the target as the finding shows it: `lb-01`, `web-01/web_server`, `user -> www.foobar.com`".to_string(),
            })
            .maybe_fix(near.map(str::to_owned))
        })
        .collect()
}

/// A target without its white space, as targets compare.
fn compact(target: &str) -> String {
    target.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Targets compare without white space: `user->www.foobar.com` is `user -> www.foobar.com`.
fn same_target(a: &str, b: &str) -> bool {
    a.chars()
        .filter(|c| !c.is_whitespace())
        .eq(b.chars().filter(|c| !c.is_whitespace()))
}

/// The edit that removes an acceptance from the design's text: its lines, and the
/// `accept:` key with them when it is the only one. `None` when other text shares its
/// lines (a flow list `accept: [...]`).
pub(super) fn removal(design: &Design, text: &str, index: usize) -> Option<Edit> {
    let lines = fix::item_lines(text, design.accepts.get(index)?.span)?;
    let span = if design.accepts.len() == 1 {
        fix::with_key_line(text, lines, "accept")?
    } else {
        lines
    };
    Some(Edit {
        span,
        text: String::new(),
    })
}

/// Marks accepted findings, and notes lapsed acceptances on the findings they no longer
/// cover, with the unsafe fix of removing the acceptance (the user may rather extend
/// `until`) where the rule gave none. Returns the indices of acceptances that matched no
/// finding, leaving out those whose rule the selection turned off.
pub fn apply_acceptances(
    design: &Design,
    findings: &mut [Finding],
    today: Date,
    selection: &Selection,
    text: &str,
) -> Vec<usize> {
    let mut unused = Vec::new();
    for (index, acceptance) in design.accepts.iter().enumerate() {
        let Some(rule) = find(&acceptance.rule.value) else {
            continue;
        };
        let mut matched = false;
        for finding in findings.iter_mut().filter(|f| f.code() == rule.code) {
            let covers = acceptance
                .target
                .as_ref()
                .is_none_or(|t| same_target(&t.value, finding.target.as_str()));
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
                    if finding.fix.is_none() {
                        finding.fix = removal(design, text, index).map(|edit| {
                            Box::new(Fix {
                                title: format!(
                                    "Remove the acceptance that lapsed after {}",
                                    until.value
                                ),
                                edits: vec![edit],
                                applicability: Applicability::Unsafe,
                            })
                        });
                    }
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
