//! What if these servers (or zones) fail: which requests and writes still complete, by
//! which path, and, for what stops, the first dependency with no surviving alternative.

use super::Model;
use crate::graph::Aim;
use crate::model::ServerId;

/// What still works with `failed` down.
pub struct Simulation {
    /// The servers down: those named and those of the zones named, in file order.
    pub failed: Vec<ServerId>,
    /// Per outcome of the logic, in its order; the default class's writes are always
    /// there (saying why none complete when the design takes no writes).
    pub outcomes: Vec<Outcome>,
    /// Per logic node: serves with `failed` down.
    pub serves: Vec<bool>,
}

impl Simulation {
    /// The default class's requests (the first class's, without a default class).
    pub fn requests(&self) -> &Outcome {
        &self.outcomes[0]
    }

    /// The first class's writes.
    pub fn writes(&self) -> &Outcome {
        &self.outcomes[1]
    }
}

pub struct Outcome {
    pub aim: Aim,
    /// The request class, or the worker service of jobs (`None`: the default class).
    pub class: Option<String>,
    pub complete: bool,
    /// When complete: the hops of one surviving path, from a target of the user's flows
    /// down through one serving alternative of every required kind (node pairs).
    pub path: Vec<(usize, usize)>,
    /// When not: why, from the user's targets down (depth, text).
    pub why: Vec<(usize, String)>,
}

impl Outcome {
    /// "requests", "writes of git-ssh", "jobs of sidekiq".
    pub fn name(&self) -> String {
        crate::graph::Outcome {
            aim: self.aim,
            class: self.class.clone(),
            targets: Vec::new(),
        }
        .name()
    }
}

pub fn simulate(model: &Model<'_>, failed: &[ServerId]) -> Simulation {
    let logic = &model.logic;
    let mut down = vec![false; model.design.servers.len()];
    for &s in failed {
        down[s.index()] = true;
    }
    let (serves, writes) =
        logic.evaluate(|n| logic.nodes[n].server.is_some_and(|s| down[s.index()]));
    let mut outcomes = Vec::with_capacity(logic.outcomes.len() + 1);
    for (i, outcome) in logic.outcomes.iter().enumerate() {
        let writing = outcome.aim == Aim::Writes;
        let done = if writing { &writes } else { &serves };
        let target = outcome.targets.iter().copied().find(|&t| done[t]);
        let (path, why) = match target {
            Some(t) => (
                path(model, t, &serves, writing.then_some(&writes[..])),
                Vec::new(),
            ),
            None if writing => (
                Vec::new(),
                writes_why(model, outcome, &serves, &writes, &down),
            ),
            None => (Vec::new(), why(model, outcome, &serves, &down)),
        };
        outcomes.push(Outcome {
            aim: outcome.aim,
            class: outcome.class.clone(),
            complete: target.is_some(),
            path,
            why,
        });
        // Without writes, the first class says so where its writes would be.
        if i == 0 && logic.writes().is_none() {
            outcomes.push(Outcome {
                aim: Aim::Writes,
                class: outcome.class.clone(),
                complete: false,
                path: Vec::new(),
                why: vec![(
                    0,
                    "the design takes no writes: it has no primary database".to_string(),
                )],
            });
        }
    }
    let mut failed: Vec<ServerId> = failed.to_vec();
    failed.sort();
    failed.dedup();
    Simulation {
        failed,
        outcomes,
        serves,
    }
}

/// Why no write of the outcome completes.
fn writes_why(
    model: &Model<'_>,
    outcome: &crate::graph::Outcome,
    serves: &[bool],
    writes: &[bool],
    down: &[bool],
) -> Vec<(usize, String)> {
    let mut reasons = Vec::new();
    if outcome.targets.is_empty() {
        reasons.push((0, "no flow from the user allows writing".to_string()));
    }
    let mut seen = vec![false; model.logic.nodes.len()];
    for &t in &outcome.targets {
        write_why(model, t, serves, writes, down, 0, &mut reasons, &mut seen);
    }
    reasons
}

/// A node as users write it: `SERVER/NAME` or an external service's name.
pub fn node_name(model: &Model<'_>, node: usize) -> String {
    model.logic.nodes[node].node.written(model.design)
}

/// One surviving path from `start`: for every required kind, the first serving
/// alternative (and, for writes, the first write-capable target that writes).
fn path(
    model: &Model<'_>,
    start: usize,
    serves: &[bool],
    writes: Option<&[bool]>,
) -> Vec<(usize, usize)> {
    let logic = &model.logic;
    let mut hops = Vec::new();
    let mut seen = vec![false; logic.nodes.len()];
    let mut stack = vec![start];
    seen[start] = true;
    while let Some(node) = stack.pop() {
        let info = &logic.nodes[node];
        let mut next: Vec<usize> = info
            .groups
            .iter()
            .filter_map(|g| g.of.iter().copied().find(|&t| serves[t]))
            .collect();
        if let Some(writes) = writes
            && !info.primary
        {
            for group in &info.write_groups {
                if let Some(&w) = group.of.iter().find(|&&w| writes[w])
                    && !next.contains(&w)
                {
                    next.push(w);
                }
            }
        }
        for t in next.into_iter().rev() {
            hops.push((node, t));
            if !std::mem::replace(&mut seen[t], true) {
                stack.push(t);
            }
        }
    }
    hops
}

/// Why none of `targets` serves, one level of reasons per line, each node explained
/// once: its server failed, it forwards nowhere, or a required kind has no serving
/// alternative (then why each of those does not serve).
fn why(
    model: &Model<'_>,
    outcome: &crate::graph::Outcome,
    serves: &[bool],
    down: &[bool],
) -> Vec<(usize, String)> {
    let mut lines = Vec::new();
    if outcome.targets.is_empty() {
        let from = match outcome.class {
            None => "the user",
            Some(_) if outcome.aim == Aim::Jobs => "its workers",
            Some(_) => "the user or a client of the class",
        };
        lines.push((0, format!("no flow from {from} leads into the design")));
    }
    let mut seen = vec![false; model.logic.nodes.len()];
    for &t in &outcome.targets {
        explain(model, t, serves, down, 0, &mut lines, &mut seen);
    }
    lines
}

/// Explains why `start` does not serve, depth first from `depth`, into `lines`. An
/// explicit stack, not recursion: a chain of 50,000 proxies is a design of 4 MB.
fn explain(
    model: &Model<'_>,
    start: usize,
    serves: &[bool],
    down: &[bool],
    depth: usize,
    lines: &mut Vec<(usize, String)>,
    seen: &mut [bool],
) {
    let mut stack = vec![(start, depth)];
    while let Some((node, depth)) = stack.pop() {
        let name = node_name(model, node);
        if std::mem::replace(&mut seen[node], true) {
            lines.push((depth, format!("`{name}` does not serve (see above)")));
            continue;
        }
        let info = &model.logic.nodes[node];
        if let Some(server) = info.server
            && down[server.index()]
        {
            lines.push((
                depth,
                format!(
                    "`{name}` stops: its server `{}` failed",
                    model.design.server(server).name.value
                ),
            ));
            continue;
        }
        if info.groups.is_empty() && !info.serves_alone {
            lines.push((depth, format!("`{name}` forwards to nothing that answers")));
            continue;
        }
        // The first dependency with no surviving alternative is the answer.
        let Some(group) = info
            .groups
            .iter()
            .chain(&info.conditions)
            .find(|g| !g.holds(serves))
        else {
            continue;
        };
        if group.quorum.is_some() {
            lines.push((depth, quorum_lost(model, &name, group, serves)));
            continue;
        }
        lines.push((
            depth,
            format!(
                "`{name}` stops: it needs {} and {} serves",
                alternatives(model, group),
                if group.of.len() == 1 {
                    "it no longer"
                } else {
                    "none of them"
                }
            ),
        ));
        stack.extend(group.of.iter().rev().map(|&t| (t, depth + 1)));
    }
}

/// A group's targets as users write them: "`a` or `b`".
fn alternatives(model: &Model<'_>, group: &crate::graph::Group) -> String {
    let names: Vec<String> = group
        .of
        .iter()
        .map(|&t| format!("`{}`", node_name(model, t)))
        .collect();
    crate::prose::or_join(&names)
}

/// "`db-1/database` stops: cluster `galera` has 1 of the 2 voters its quorum needs up
/// (`db-1`; down: `db-2`, `db-3`)".
fn quorum_lost(
    model: &Model<'_>,
    name: &str,
    group: &crate::graph::Group,
    serves: &[bool],
) -> String {
    let cluster = group
        .quorum
        .map(|c| format!("cluster `{}`", model.design.clusters[c.index()].name.value))
        .unwrap_or_else(|| "its cluster".to_string());
    let server = |t: usize| {
        model.logic.nodes[t]
            .server
            .map(|s| format!("`{}`", model.design.server(s).name.value))
            .unwrap_or_default()
    };
    let (up, down): (Vec<usize>, Vec<usize>) = group.of.iter().partition(|&&t| serves[t]);
    let up_names: Vec<String> = up.iter().map(|&t| server(t)).collect();
    let down_names: Vec<String> = down.iter().map(|&t| server(t)).collect();
    let up_part = if up_names.is_empty() {
        String::new()
    } else {
        format!("{}; ", crate::prose::and_join(&up_names))
    };
    format!(
        "`{name}` stops: {cluster} has {} of the {} voters its quorum needs up ({up_part}down: {})",
        up.len(),
        group.need,
        crate::prose::and_join(&down_names)
    )
}

/// Why no write gets through `start`, depth first (an explicit stack, as [`explain`]).
#[allow(clippy::too_many_arguments)]
fn write_why(
    model: &Model<'_>,
    start: usize,
    serves: &[bool],
    writes: &[bool],
    down: &[bool],
    depth: usize,
    lines: &mut Vec<(usize, String)>,
    seen: &mut [bool],
) {
    // Each node that does not serve is explained once over the whole walk: one
    // allocation, not one per node.
    let mut explained = vec![false; seen.len()];
    let mut stack = vec![(start, depth)];
    while let Some((node, depth)) = stack.pop() {
        if std::mem::replace(&mut seen[node], true) {
            continue;
        }
        if !serves[node] {
            explain(model, node, serves, down, depth, lines, &mut explained);
            continue;
        }
        let info = &model.logic.nodes[node];
        let name = node_name(model, node);
        if let Some(group) = info.write_conditions.iter().find(|g| !g.holds(serves)) {
            let lost = quorum_lost(model, &name, group, serves);
            lines.push((depth, lost.replacen("stops:", "takes no write:", 1)));
            continue;
        }
        if info.write_groups.is_empty() {
            lines.push((
                depth,
                format!("`{name}` has no flow that allows writing to a primary database"),
            ));
            continue;
        }
        // The first service written to with no target that takes the write is the answer.
        let Some(group) = info.write_groups.iter().find(|g| !g.holds(writes)) else {
            continue;
        };
        lines.push((
            depth,
            format!(
                "`{name}` serves, but no write gets through {}",
                alternatives(model, group)
            ),
        ));
        stack.extend(group.of.iter().rev().map(|&t| (t, depth + 1)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::tests::with_model;

    const SHOP: &str = "
name: t
servers:
  lb-01: { components: [{ kind: load_balancer }] }
  web-01: { components: [{ kind: web_server }, { kind: app_server }] }
  web-02: { components: [{ kind: web_server }, { kind: app_server }] }
  db-01: { components: [{ kind: database }] }
  db-02: { components: [{ kind: database, role: replica }] }
flows:
  - { from: user, to: lb-01, protocol: https }
  - { from: lb-01, to: [web-01/web_server, web-02/web_server], protocol: http }
  - { from: web-01/web_server, to: web-01/app_server, protocol: http }
  - { from: web-02/web_server, to: web-02/app_server, protocol: http }
  - { from: [web-01/app_server, web-02/app_server], to: db-01, protocol: mysql }
  - { from: [web-01/app_server, web-02/app_server], to: db-02, protocol: mysql, access: read }
  - { from: db-01, to: db-02, protocol: mysql, purpose: replication }
";

    fn server(model: &Model<'_>, name: &str) -> ServerId {
        model
            .design
            .servers
            .iter()
            .find(|s| s.name.value == name)
            .unwrap()
            .id
    }

    #[test]
    fn the_balancer_stops_everything() {
        with_model(SHOP, |m| {
            let sim = simulate(m, &[server(m, "lb-01")]);
            assert!(!sim.requests().complete && !sim.writes().complete);
            assert_eq!(
                sim.requests().why,
                [(
                    0,
                    "`lb-01/load_balancer` stops: its server `lb-01` failed".to_string()
                )]
            );
        });
    }

    #[test]
    fn reads_survive_the_primary_writes_do_not() {
        with_model(SHOP, |m| {
            let sim = simulate(m, &[server(m, "db-01"), server(m, "web-01")]);
            assert!(sim.requests().complete);
            let hops: Vec<String> = sim
                .requests()
                .path
                .iter()
                .map(|&(a, b)| format!("{} -> {}", node_name(m, a), node_name(m, b)))
                .collect();
            assert_eq!(
                hops,
                [
                    "lb-01/load_balancer -> web-02/web_server",
                    "web-02/web_server -> web-02/app_server",
                    "web-02/app_server -> db-02/database"
                ]
            );
            assert!(!sim.writes().complete);
            let why: Vec<&str> = sim.writes().why.iter().map(|(_, t)| t.as_str()).collect();
            assert!(
                why.iter()
                    .any(|l| l.contains("`db-01/database` stops: its server `db-01` failed")),
                "{why:?}"
            );
        });
    }

    #[test]
    fn an_outside_database_takes_writes() {
        with_model(
            "name: t\nexternal:\n  rds: { kind: database, software: Amazon RDS }\nservers:\n  app: { components: [{ kind: app_server }] }\nflows:\n  - { from: user, to: app, protocol: https }\n  - { from: app, to: rds, protocol: postgres+tls }\n",
            |m| {
                let sim = simulate(m, &[]);
                assert!(
                    sim.requests().complete && sim.writes().complete,
                    "{:?}",
                    sim.writes().why
                );
                let sim = simulate(m, &[server(m, "app")]);
                assert!(!sim.writes().complete);
            },
        );
    }

    #[test]
    fn a_design_without_a_primary_takes_no_writes() {
        with_model(
            "name: t\nservers:\n  web: { components: [{ kind: web_server }] }\nflows:\n  - { from: user, to: web, protocol: https }\n",
            |m| {
                let sim = simulate(m, &[]);
                assert!(sim.requests().complete && !sim.writes().complete);
                assert_eq!(
                    sim.writes().why[0].1,
                    "the design takes no writes: it has no primary database"
                );
            },
        );
    }

    #[test]
    fn both_web_servers_down_names_the_kind_with_no_survivor() {
        with_model(SHOP, |m| {
            let sim = simulate(m, &[server(m, "web-01"), server(m, "web-02")]);
            assert_eq!(
                sim.requests().why[0].1,
                "`lb-01/load_balancer` stops: it needs `web-01/web_server` or `web-02/web_server` and none of them serves"
            );
            assert_eq!(sim.requests().why.len(), 3);
        });
    }
}
