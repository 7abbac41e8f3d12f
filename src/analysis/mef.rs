//! The design's fault tree in Open-PSA MEF XML, for reliability tools (SCRAM, and the
//! others that read the Model Exchange Format).
//!
//! Two fault trees, each with one top gate: `no-request-completes` and
//! `no-write-completes` (a tool takes every gate no other gate names as a top event).
//! One basic event per server, per zone that states an availability and per external
//! service that does, with its probability of being down (1 - availability); the real
//! name is the event's `label`. A gate per node of the structure function: the node
//! fails when one of its events occurs, or, for some required kind, every alternative
//! fails; constants are folded away.

use std::fmt::Write;

use super::{Event, Model};

/// A node's failure logic, folded.
#[derive(Clone, Debug, PartialEq)]
enum Logic {
    True,
    False,
    /// A gate to define, or a basic event, by name.
    Ref(String),
}

pub fn export(model: &Model<'_>) -> String {
    let names = event_names(model);
    let logic = &model.logic;
    let mut gates: Vec<(String, &'static str, Vec<String>)> = Vec::new();
    let mut fail: Vec<Logic> = vec![Logic::False; logic.nodes.len()];
    for &node in &logic.order {
        let info = &logic.nodes[node];
        let mut any: Vec<Logic> = model.node_events[node]
            .iter()
            .map(|&e| Logic::Ref(names[e].clone()))
            .collect();
        if info.groups.is_empty() {
            if !info.serves_alone {
                any.push(Logic::True);
            }
        } else {
            for (g, group) in info.groups.iter().enumerate() {
                let all: Vec<Logic> = group.iter().map(|&t| fail[t].clone()).collect();
                any.push(fold(&mut gates, format!("r-{node}-{g}"), "and", all));
            }
        }
        fail[node] = fold(&mut gates, format!("r-{node}"), "or", any);
    }
    let mut fail_write: Vec<Logic> = vec![Logic::False; logic.nodes.len()];
    for &node in &logic.order {
        let info = &logic.nodes[node];
        let mut any = vec![fail[node].clone()];
        if !info.primary {
            let all: Vec<Logic> = info.writes.iter().map(|&t| fail_write[t].clone()).collect();
            any.push(fold(&mut gates, format!("w-{node}-all"), "and", all));
        }
        fail_write[node] = fold(&mut gates, format!("w-{node}"), "or", any);
    }
    let top = |targets: &[usize], of: &[Logic]| -> Vec<String> {
        targets.iter().map(|&t| formula(&of[t])).collect()
    };
    let requests = top(&logic.user_targets, &fail);
    let writes = top(&logic.user_write_targets, &fail_write);

    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<!-- The fault tree of \"{}\", written by infralint from the design's structure function. -->",
        xml(&model.design.name.value).replace("--", "- -")
    );
    out.push_str("<opsa-mef>\n");
    // Gates are shared by both trees; each tree's top is named by no other gate.
    let _ = writeln!(out, "  <define-fault-tree name=\"requests\">");
    let _ = writeln!(out, "    <define-gate name=\"no-request-completes\">");
    let _ = writeln!(out, "      <label>No request completes</label>");
    write_and(&mut out, &requests);
    out.push_str("    </define-gate>\n");
    for (name, op, args) in &gates {
        let _ = writeln!(out, "    <define-gate name=\"{name}\">\n      <{op}>");
        for arg in args {
            let _ = writeln!(out, "        {arg}");
        }
        let _ = writeln!(out, "      </{op}>\n    </define-gate>");
    }
    out.push_str("  </define-fault-tree>\n");
    let _ = writeln!(out, "  <define-fault-tree name=\"writes\">");
    let _ = writeln!(out, "    <define-gate name=\"no-write-completes\">");
    let _ = writeln!(out, "      <label>No write completes</label>");
    write_and(&mut out, &writes);
    out.push_str("    </define-gate>\n  </define-fault-tree>\n  <model-data>\n");
    for (e, name) in names.iter().enumerate() {
        let what = match model.events[e] {
            Event::Server(_) => "server",
            Event::Zone(_) => "zone",
            Event::External(_) => "external service",
        };
        let _ = writeln!(
            out,
            "    <define-basic-event name=\"{name}\">\n      <label>{what} {}</label>\n      <float value=\"{}\"/>\n    </define-basic-event>",
            xml(model.event_name(e)),
            model.unavailability[e]
        );
    }
    out.push_str("  </model-data>\n</opsa-mef>\n");
    out
}

/// The MEF name of every event: `server-`, `zone-` or `external-` and the name with
/// anything but letters, digits, `-` and `_` made `_`; a number is added where two
/// would meet.
pub fn event_names(model: &Model<'_>) -> Vec<String> {
    let mut names: Vec<String> = Vec::with_capacity(model.events.len());
    for (e, event) in model.events.iter().enumerate() {
        let prefix = match event {
            Event::Server(_) => "server",
            Event::Zone(_) => "zone",
            Event::External(_) => "external",
        };
        let clean: String = model
            .event_name(e)
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let mut name = format!("{prefix}-{clean}");
        if names.contains(&name) {
            name = format!("{name}-{e}");
        }
        names.push(name);
    }
    names
}

/// An AND or OR of parts, constants folded; a gate is defined when two parts or more
/// remain.
fn fold(
    gates: &mut Vec<(String, &'static str, Vec<String>)>,
    name: String,
    op: &'static str,
    parts: Vec<Logic>,
) -> Logic {
    let (absorbing, neutral) = if op == "and" {
        (Logic::False, Logic::True)
    } else {
        (Logic::True, Logic::False)
    };
    if parts.contains(&absorbing) {
        return absorbing;
    }
    let mut rest: Vec<Logic> = parts.into_iter().filter(|p| *p != neutral).collect();
    rest.dedup();
    match rest.len() {
        0 => neutral,
        1 => rest.pop().expect("one part"),
        _ => {
            let args = rest.iter().map(formula).collect();
            gates.push((name.clone(), op, args));
            Logic::Ref(format!("gate:{name}"))
        }
    }
}

/// A reference as MEF writes it.
fn formula(logic: &Logic) -> String {
    match logic {
        Logic::True => "<constant value=\"true\"/>".to_string(),
        Logic::False => "<constant value=\"false\"/>".to_string(),
        Logic::Ref(name) => match name.strip_prefix("gate:") {
            Some(gate) => format!("<gate name=\"{gate}\"/>"),
            None => format!("<basic-event name=\"{name}\"/>"),
        },
    }
}

/// A top gate's formula: the AND of the user's targets (no target: it has failed).
fn write_and(out: &mut String, parts: &[String]) {
    match parts {
        [] => out.push_str("      <constant value=\"true\"/>\n"),
        [one] => {
            let _ = writeln!(out, "      {one}");
        }
        _ => {
            out.push_str("      <and>\n");
            for part in parts {
                let _ = writeln!(out, "        {part}");
            }
            out.push_str("      </and>\n");
        }
    }
}

fn xml(text: &str) -> String {
    crate::markup::escape(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::tests::with_model;

    #[test]
    fn names_are_identifiers_and_unique() {
        with_model(
            "name: t\nservers:\n  web.1: { components: [{ kind: web_server }] }\n  web_1: { components: [{ kind: web_server }] }\nflows:\n  - { from: user, to: [web.1, web_1], protocol: http }\n",
            |m| {
                assert_eq!(event_names(m), ["server-web_1", "server-web_1-1"]);
                let xml = export(m);
                assert!(xml.contains("<label>server web.1</label>"));
                assert!(roxmltree::Document::parse(&xml).is_ok());
            },
        );
    }
}
