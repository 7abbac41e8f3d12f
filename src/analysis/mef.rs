//! The design's fault tree in Open-PSA MEF XML, for reliability tools (SCRAM, and the
//! others that read the Model Exchange Format).
//!
//! One fault tree per outcome that `availability` reports, each with one top gate:
//! `no-request-completes`, and `no-write-completes` when the design takes writes (a tool
//! takes every gate no other gate names as a top event, so only gates that a top needs
//! are written, and a gate shared by both trees is defined once, in the first). One
//! basic event per server, per zone that states an availability and per external
//! service that does, with its probability of being down (1 - availability); the real
//! name is the event's `label`. A gate per node of the structure function: the node
//! fails when one of its events occurs, or, for some group it needs, enough members
//! fail (every alternative: `and`; n - k + 1 voters of a quorum of k: `atleast`).
//! Constants are folded away and no gate names an argument twice.

use std::collections::BTreeSet;
use std::fmt::Write;

use super::{Event, Model};
use crate::graph::Group;

/// A node's failure logic, folded.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Logic {
    True,
    False,
    /// A basic event, by name.
    Event(String),
    /// A gate, by its index in [`Gates::list`].
    Gate(usize),
}

/// An operator of a gate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    And,
    Or,
    /// At least this many of the arguments.
    AtLeast(usize),
}

#[derive(Default)]
struct Gates {
    /// Name, operator, arguments.
    list: Vec<(String, Op, Vec<Logic>)>,
}

impl Gates {
    /// At least `k` of `parts` (AND is k = n, OR is k = 1), constants folded; a gate
    /// is made when two parts or more remain. Arguments are distinct: for AND and OR a
    /// repeat is dropped; a threshold over repeats is unfolded into OR/AND first, so
    /// that never happens for the quorums the structure makes (one voter per server).
    fn fold(&mut self, name: String, k: usize, parts: Vec<Logic>) -> Logic {
        let trues = parts.iter().filter(|p| **p == Logic::True).count();
        let mut rest: Vec<Logic> = parts
            .into_iter()
            .filter(|p| !matches!(p, Logic::True | Logic::False))
            .collect();
        let k = k.saturating_sub(trues);
        if k == 0 {
            return Logic::True;
        }
        if k > rest.len() {
            return Logic::False;
        }
        let op = if k == rest.len() {
            Op::And
        } else if k == 1 {
            Op::Or
        } else {
            Op::AtLeast(k)
        };
        if op != Op::AtLeast(k) {
            rest.sort();
            rest.dedup();
        }
        if rest.len() == 1 {
            return rest.pop().expect("one part");
        }
        let distinct: BTreeSet<&Logic> = rest.iter().collect();
        assert!(
            distinct.len() == rest.len(),
            "a quorum counts each voter's server once"
        );
        self.list.push((name, op, rest));
        Logic::Gate(self.list.len() - 1)
    }

    fn and(&mut self, name: String, parts: Vec<Logic>) -> Logic {
        let k = parts.len();
        self.fold(name, k, parts)
    }

    fn or(&mut self, name: String, parts: Vec<Logic>) -> Logic {
        self.fold(name, 1, parts)
    }

    /// A group of the structure function fails: `fails_at` of its members fail.
    fn group(&mut self, name: String, group: &Group, fail: &[Logic]) -> Logic {
        let parts = group.of.iter().map(|&t| fail[t].clone()).collect();
        self.fold(name, group.fails_at(), parts)
    }

    /// A reference as MEF writes it.
    fn formula(&self, logic: &Logic) -> String {
        match logic {
            Logic::True => "<constant value=\"true\"/>".to_string(),
            Logic::False => "<constant value=\"false\"/>".to_string(),
            Logic::Event(name) => format!("<basic-event name=\"{name}\"/>"),
            Logic::Gate(g) => format!("<gate name=\"{}\"/>", self.list[*g].0),
        }
    }

    /// The gates `top` needs, each once, in the order they were made.
    fn needed(&self, tops: &[&Logic], done: &mut [bool]) -> Vec<usize> {
        let mut stack: Vec<usize> = tops
            .iter()
            .filter_map(|t| match t {
                Logic::Gate(g) => Some(*g),
                _ => None,
            })
            .collect();
        let mut out = Vec::new();
        while let Some(g) = stack.pop() {
            if std::mem::replace(&mut done[g], true) {
                continue;
            }
            out.push(g);
            for arg in &self.list[g].2 {
                if let Logic::Gate(h) = arg {
                    stack.push(*h);
                }
            }
        }
        out.sort_unstable();
        out
    }

    fn write_gate(&self, out: &mut String, g: usize) {
        let (name, op, args) = &self.list[g];
        let open = match op {
            Op::And => "<and>".to_string(),
            Op::Or => "<or>".to_string(),
            Op::AtLeast(k) => format!("<atleast min=\"{k}\">"),
        };
        let close = match op {
            Op::And => "</and>",
            Op::Or => "</or>",
            Op::AtLeast(_) => "</atleast>",
        };
        let _ = writeln!(out, "    <define-gate name=\"{name}\">\n      {open}");
        for arg in args {
            let _ = writeln!(out, "        {}", self.formula(arg));
        }
        let _ = writeln!(out, "      {close}\n    </define-gate>");
    }
}

pub fn export(model: &Model<'_>) -> String {
    let names = event_names(model);
    let logic = &model.logic;
    let mut gates = Gates::default();
    let mut fail: Vec<Logic> = vec![Logic::False; logic.nodes.len()];
    for &node in &logic.order {
        let info = &logic.nodes[node];
        let mut any: Vec<Logic> = model.node_events[node]
            .iter()
            .map(|&e| Logic::Event(names[e].clone()))
            .collect();
        if info.groups.is_empty() && !info.serves_alone {
            any.push(Logic::True);
        }
        for (g, group) in info.groups.iter().chain(&info.conditions).enumerate() {
            any.push(gates.group(format!("r-{node}-{g}"), group, &fail));
        }
        fail[node] = gates.or(format!("r-{node}"), any);
    }
    let mut fail_write: Vec<Logic> = vec![Logic::False; logic.nodes.len()];
    for &node in &logic.order {
        let info = &logic.nodes[node];
        let mut any = vec![fail[node].clone()];
        for (g, group) in info.write_conditions.iter().enumerate() {
            any.push(gates.group(format!("w-{node}-q{g}"), group, &fail));
        }
        if !info.primary {
            if info.write_groups.is_empty() {
                any.push(Logic::True);
            }
            for (g, group) in info.write_groups.iter().enumerate() {
                any.push(gates.group(format!("w-{node}-{g}"), group, &fail_write));
            }
        }
        fail_write[node] = gates.or(format!("w-{node}"), any);
    }
    let mut top = |name: &str, targets: &[usize], of: &[Logic]| -> Logic {
        let parts = targets.iter().map(|&t| of[t].clone()).collect();
        gates.and(name.to_string(), parts)
    };
    let requests = top("requests-all", &logic.user_targets, &fail);
    let writes = logic
        .takes_writes()
        .then(|| top("writes-all", &logic.user_write_targets, &fail_write));

    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<!-- The fault tree of \"{}\", written by infralint from the design's structure function. -->",
        comment(&model.design.name.value)
    );
    out.push_str("<opsa-mef>\n");
    let mut done = vec![false; gates.list.len()];
    let trees = [
        (
            "requests",
            "no-request-completes",
            "No request completes",
            Some(&requests),
        ),
        (
            "writes",
            "no-write-completes",
            "No write completes",
            writes.as_ref(),
        ),
    ];
    for (tree, gate, label, top) in trees {
        let Some(top) = top else { continue };
        let _ = writeln!(out, "  <define-fault-tree name=\"{tree}\">");
        let _ = writeln!(out, "    <define-gate name=\"{gate}\">");
        let _ = writeln!(out, "      <label>{label}</label>");
        let _ = writeln!(out, "      {}", gates.formula(top));
        out.push_str("    </define-gate>\n");
        for g in gates.needed(&[top], &mut done) {
            gates.write_gate(&mut out, g);
        }
        out.push_str("  </define-fault-tree>\n");
    }
    out.push_str("  <model-data>\n");
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

/// Text for inside an XML comment: escaped, with no `--` and no character XML forbids.
fn comment(text: &str) -> String {
    let mut out = xml(text);
    out.retain(|c| !c.is_control() && !matches!(c, '\u{fffe}' | '\u{ffff}'));
    while out.contains("--") {
        out = out.replace("--", "- -");
    }
    out
}

/// The MEF name of every event: `server-`, `zone-` or `external-` and the name with
/// anything but letters, digits, `-` and `_` made `_`; a number is added where two
/// would meet.
pub fn event_names(model: &Model<'_>) -> Vec<String> {
    let mut names: Vec<String> = Vec::with_capacity(model.events.len());
    let mut taken: std::collections::HashSet<String> = std::collections::HashSet::new();
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
        let mut n = e;
        while taken.contains(&name) {
            name = format!("{prefix}-{clean}-{n}");
            n += 1;
        }
        taken.insert(name.clone());
        names.push(name);
    }
    names
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
