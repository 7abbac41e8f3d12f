//! The design's fault tree in Open-PSA MEF XML, for reliability tools (SCRAM, and the
//! others that read the Model Exchange Format).
//!
//! One fault tree per outcome that `availability` reports, each with one top gate:
//! `no-request-completes`, `no-write-completes` when the design takes writes, and per
//! request class or worker service `no-request-of-CLASS-completes`,
//! `no-write-of-CLASS-completes`, `no-job-of-SERVICE-completes` (a tool
//! takes every gate no other gate names as a top event, so only gates that a top needs
//! are written, and a gate shared by both trees is defined once, in the first). One
//! basic event per server, per zone that states an availability and per external
//! service that does, with its probability of being down (1 - availability); the real
//! name is the event's `label`. A gate per node of the structure function: the node
//! fails when one of its events occurs, or, for some group it needs, enough members
//! fail (every alternative: `and`; n - k + 1 voters of a quorum of k: a threshold,
//! written with `and` and `or` gates by counting, see `Gates::count`).
//! Constants are folded away and no gate names an argument twice.

use std::collections::BTreeSet;
use std::fmt::Write;

use super::{Event, Model};
use crate::graph::{Aim, Group, WriteNeed};

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
        if k > 1 && k < rest.len() {
            let distinct: BTreeSet<&Logic> = rest.iter().collect();
            assert!(
                distinct.len() == rest.len(),
                "a quorum counts each voter's server once"
            );
            return self.count(&name, k, rest);
        }
        let op = if k == 1 { Op::Or } else { Op::And };
        rest.sort();
        rest.dedup();
        if rest.len() == 1 {
            return rest.pop().expect("one part");
        }
        self.list.push((name, op, rest));
        Logic::Gate(self.list.len() - 1)
    }

    /// At least `k` of `parts` (1 < k < n) by counting, one part at a time: `at[j]` is
    /// "at least j of the parts so far", `at[j] or (at[j - 1] and part)`. SCRAM 0.16.2
    /// (Debian's) gets some `atleast` gates wrong: `or(s2, z, s4, s0, atleast 2 of
    /// (or(s2, z), or(s4, z), or(s0, z), s1))` comes out with `s1` alone a cut set
    /// (tests/fixtures/scram/atleast_bug.xml), so the export writes thresholds with
    /// `and` and `or` only: exact, O(n k) gates.
    fn count(&mut self, name: &str, k: usize, parts: Vec<Logic>) -> Logic {
        let mut at = vec![Logic::False; k + 1];
        at[0] = Logic::True;
        for (i, part) in parts.into_iter().enumerate() {
            for j in (1..=k.min(i + 1)).rev() {
                let both = self.and(
                    format!("{name}-{i}-{j}-and"),
                    vec![at[j - 1].clone(), part.clone()],
                );
                at[j] = self.or(format!("{name}-{i}-{j}"), vec![at[j].clone(), both]);
            }
        }
        at.pop().expect("k + 1 entries")
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
        };
        let close = match op {
            Op::And => "</and>",
            Op::Or => "</or>",
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
        for (g, need) in info.write_needs().enumerate() {
            any.push(match need {
                WriteNeed::Serves(group) => gates.group(format!("w-{node}-q{g}"), group, &fail),
                WriteNeed::Writes(group) => {
                    gates.group(format!("w-{node}-{g}"), group, &fail_write)
                }
                WriteNeed::Never => Logic::True,
            });
        }
        fail_write[node] = gates.or(format!("w-{node}"), any);
    }
    let mut top = |name: &str, targets: &[usize], of: &[Logic]| -> Logic {
        let parts = targets.iter().map(|&t| of[t].clone()).collect();
        gates.and(name.to_string(), parts)
    };
    let trees: Vec<(Tree, Logic)> = tree_names(logic)
        .into_iter()
        .zip(&logic.outcomes)
        .map(|(tree, outcome)| {
            let families = if outcome.aim == Aim::Writes {
                &fail_write
            } else {
                &fail
            };
            let root = top(&format!("{}-all", tree.tree), &outcome.targets, families);
            (tree, root)
        })
        .collect();

    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<!-- The fault tree of \"{}\", written by infralint from the design's structure function. -->",
        comment(&model.design.name.value)
    );
    out.push_str("<opsa-mef>\n");
    let mut done = vec![false; gates.list.len()];
    for (tree, top) in &trees {
        let _ = writeln!(out, "  <define-fault-tree name=\"{}\">", tree.tree);
        let _ = writeln!(out, "    <define-gate name=\"{}\">", tree.gate);
        let _ = writeln!(out, "      <label>{}</label>", xml(&tree.label));
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
            decimal(model.unavailability[e])
        );
    }
    out.push_str("  </model-data>\n</opsa-mef>\n");
    out
}

/// A probability as people write it: rounded to 12 significant digits, then the
/// shortest decimal that reads back to that (`1 - 0.999` is `0.001`, not
/// `0.0009999999999998899`, the float subtraction's own error).
fn decimal(p: f64) -> String {
    let rounded: f64 = format!("{p:.11e}").parse().unwrap_or(p);
    format!("{rounded}")
}

/// The fault tree of one outcome: its name, its top gate's and its label.
pub struct Tree {
    /// `requests`, `writes`, `requests-of-CLASS`, `jobs-of-SERVICE`.
    pub tree: String,
    /// `no-request-completes`, `no-job-of-SERVICE-completes`: the top event.
    pub gate: String,
    /// "No request of git-ssh completes".
    pub label: String,
}

/// One tree per outcome of the logic, in its order. A class name keeps its letters and
/// digits (anything else becomes `_`, so no name holds `--` or `.`), and a number is
/// added where two classes would meet.
pub fn tree_names(logic: &crate::graph::Logic) -> Vec<Tree> {
    let mut taken = std::collections::HashSet::new();
    let mut trees = Vec::with_capacity(logic.outcomes.len());
    for (i, outcome) in logic.outcomes.iter().enumerate() {
        let what = match outcome.aim {
            Aim::Requests => "request",
            Aim::Writes => "write",
            Aim::Jobs => "job",
        };
        let of = match &outcome.class {
            Some(class) => {
                let clean: String = class
                    .chars()
                    .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                    .collect();
                let mut of = format!("-of-{clean}");
                if !taken.insert((what, of.clone())) {
                    of = format!("-of-{clean}-{i}");
                }
                of
            }
            None => String::new(),
        };
        trees.push(Tree {
            tree: format!("{what}s{of}"),
            gate: format!("no-{what}{of}-completes"),
            label: format!("No {} completes", outcome.one()),
        });
    }
    trees
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
    #[test]
    fn probabilities_are_written_as_people_write_them() {
        assert_eq!(decimal(1.0 - 0.999), "0.001");
        assert_eq!(decimal(1.0 - 0.9995), "0.0005");
        assert_eq!(decimal(2.5e-7), "0.00000025");
        assert_eq!(decimal(0.0), "0");
    }

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
