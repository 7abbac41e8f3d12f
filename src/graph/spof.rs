//! Single points of failure: servers whose failure alone leaves no request able to
//! complete, on the structure function (`structure.rs`): alternatives within a kind,
//! every kind required.
//!
//! Dominators answer reachability, not "all of these and one of those". Instead, each
//! node gets the set of servers it cannot do without: its own server plus, over its
//! required kinds, the union of the intersection of its alternatives' sets, memoised in
//! dependency order (cycles are cut where the structure is built). The single points of
//! failure are the intersection of the sets of the user's targets. See
//! [`structure::Structure::single_points_of_failure`](super::structure) for the cost.
//! The quadratic remove-and-evaluate check is kept as
//! [`Graph::single_points_of_failure_by_removal`], the property test's oracle.

use super::{Graph, Node};
use crate::model::{ComponentId, ServerId};

/// Why requests need a failing server: `dependent` has a required kind whose every
/// alternative is one of `needed`, all on that server.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Need {
    pub dependent: Node,
    pub needed: Vec<ComponentId>,
}

impl Graph<'_> {
    /// Servers whose failure leaves no request of some class able to complete, in file
    /// order. A class none of whose requests completes with every server up has none.
    pub fn single_points_of_failure(&self) -> Vec<ServerId> {
        self.single_points_of_failure_by_class()
            .into_iter()
            .map(|(server, _)| server)
            .collect()
    }

    /// The same, each server with the request outcomes it stops (indexes into
    /// [`Logic::outcomes`](super::Logic)).
    pub fn single_points_of_failure_by_class(&self) -> Vec<(ServerId, Vec<usize>)> {
        self.structure.single_points_of_failure(&self.all_up)
    }

    /// The same answer by brute force: remove each server in turn and evaluate again.
    /// Quadratic; the oracle the fast analysis is tested against.
    pub fn single_points_of_failure_by_removal(&self) -> Vec<ServerId> {
        let logic = &self.structure.logic;
        let stops = |evaluation: &super::Evaluation| {
            logic.outcomes.iter().enumerate().any(|(i, o)| {
                o.aim == super::Aim::Requests && self.all_up.outcomes[i] && !evaluation.outcomes[i]
            })
        };
        self.design
            .servers
            .iter()
            .map(|s| s.id)
            .filter(|&server| stops(&self.evaluate(|s| s == server)))
            .collect()
    }

    /// True when a target of a request class's starting flows (the user's or a
    /// client's) is a component of the server.
    pub fn user_reaches_directly(&self, server: ServerId) -> bool {
        let logic = &self.structure.logic;
        logic
            .outcomes
            .iter()
            .filter(|o| o.aim == super::Aim::Requests)
            .flat_map(|o| &o.targets)
            .any(|&t| logic.nodes[t].server == Some(server))
    }

    /// For each of `failing` (in that order): the serving components and external
    /// services on other servers that need it directly, with what they need. One pass
    /// over every node's dependencies.
    pub fn needs(&self, failing: &[ServerId]) -> Vec<Vec<Need>> {
        let mut slot = vec![usize::MAX; self.design.servers.len()];
        for (i, server) in failing.iter().enumerate() {
            slot[server.index()] = i;
        }
        let mut needs: Vec<Vec<(usize, Need)>> = vec![Vec::new(); failing.len()];
        let logic = &self.structure.logic;
        for &node in &logic.order {
            let deps = &logic.nodes[node];
            // Serving, and on a request's way (a worker fed by a queue is not).
            let requested = match deps.node {
                Node::Component(c) => self.is_requested(c),
                _ => true,
            };
            if !self.all_up.serves[node] || !requested {
                continue;
            }
            for group in &deps.groups {
                let server_of = |t: &usize| logic.nodes[*t].server;
                let Some(Some(first)) = group.of.first().map(server_of) else {
                    continue;
                };
                if Some(first) == deps.server
                    || slot[first.index()] == usize::MAX
                    || !group.of.iter().all(|t| server_of(t) == Some(first))
                {
                    continue;
                }
                let needed = group
                    .of
                    .iter()
                    .filter_map(|&t| match logic.nodes[t].node {
                        Node::Component(c) => Some(c),
                        _ => None,
                    })
                    .collect();
                needs[slot[first.index()]].push((
                    node,
                    Need {
                        dependent: deps.node,
                        needed,
                    },
                ));
            }
        }
        // In graph order: components in file order, then external services.
        needs
            .into_iter()
            .map(|mut list| {
                list.sort_by_key(|&(node, _)| node);
                // A request class's copy of a node needs what the node does: once.
                let mut seen = std::collections::HashSet::new();
                list.into_iter()
                    .map(|(_, need)| need)
                    .filter(|need| seen.insert(need.clone()))
                    .collect()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::testing::design;

    fn names(d: &crate::model::Design, servers: &[ServerId]) -> Vec<String> {
        servers
            .iter()
            .map(|&s| d.server(s).name.value.clone())
            .collect()
    }

    #[test]
    fn two_kinds_from_one_balancer_are_both_required() {
        // lb -> s/web_server and lb -> s2/app_server: two kinds, both needed.
        let d = design(
            "
name: t
servers:
  lb: { components: [{ kind: load_balancer }] }
  s: { components: [{ kind: web_server }] }
  s2: { components: [{ kind: app_server }] }
  db-a: { components: [{ kind: database }] }
  db-b: { components: [{ kind: database }] }
flows:
  - { from: user, to: lb, protocol: http }
  - { from: lb, to: [s, s2], protocol: http }
  - { from: [s, s2], to: [db-a, db-b], protocol: mysql }
",
        );
        let g = Graph::build(&d);
        assert_eq!(names(&d, &g.single_points_of_failure()), ["lb", "s", "s2"]);
        assert_eq!(
            g.single_points_of_failure(),
            g.single_points_of_failure_by_removal()
        );
    }

    #[test]
    fn a_required_cache_is_named_with_who_needs_it() {
        let d = design(
            "
name: t
servers:
  lb: { components: [{ kind: load_balancer }] }
  app-1: { components: [{ kind: app_server }] }
  app-2: { components: [{ kind: app_server }] }
  db-1: { components: [{ kind: database }] }
  db-2: { components: [{ kind: database, role: replica }] }
  cache: { components: [{ kind: cache }, { kind: firewall }, { kind: monitoring_agent }] }
flows:
  - { from: user, to: lb, protocol: http }
  - { from: lb, to: [app-1, app-2], protocol: http }
  - { from: [app-1, app-2], to: db-1, protocol: postgres }
  - { from: [app-1, app-2], to: db-2, protocol: postgres, access: read }
  - { from: [app-1, app-2], to: cache, protocol: redis }
",
        );
        let g = Graph::build(&d);
        let failing = g.single_points_of_failure();
        assert_eq!(names(&d, &failing), ["lb", "cache"]);
        assert!(g.user_reaches_directly(failing[0]));
        assert!(!g.user_reaches_directly(failing[1]));
        let needs = g.needs(&failing);
        let through: Vec<String> = needs[1]
            .iter()
            .map(|n| match n.dependent {
                Node::Component(c) => d.component_target(c),
                _ => String::new(),
            })
            .collect();
        assert_eq!(through, ["app-1/app_server", "app-2/app_server"]);
    }

    #[test]
    fn redundant_tiers_have_no_single_point() {
        let d = design(
            "
name: t
servers:
  lb-1: { ip: 10.0.0.1, components: [{ kind: load_balancer }] }
  lb-2: { ip: 10.0.0.2, components: [{ kind: load_balancer }] }
  web-1: { components: [{ kind: web_server }] }
  web-2: { components: [{ kind: web_server }] }
clusters:
  - { name: lbs, members: [lb-1, lb-2], virtual_ip: 8.8.8.8 }
dns:
  records: [{ name: www.foobar.com, type: A, value: 8.8.8.8 }]
flows:
  - { from: user, to: www.foobar.com, protocol: https }
  - { from: [lb-1, lb-2], to: [web-1, web-2], protocol: http }
",
        );
        let g = Graph::build(&d);
        assert!(g.single_points_of_failure().is_empty());
    }

    #[test]
    fn cycles_and_no_request_at_all() {
        let d = design(
            "
name: t
servers:
  a: { components: [{ kind: web_server }] }
  b: { components: [{ kind: web_server }] }
flows:
  - { from: a, to: b, protocol: http }
  - { from: b, to: a, protocol: http }
",
        );
        let g = Graph::build(&d);
        assert!(
            g.single_points_of_failure().is_empty(),
            "no request from user at all"
        );
        let d = design(
            "
name: t
servers:
  a: { components: [{ kind: web_server }] }
  b: { components: [{ kind: web_server }] }
flows:
  - { from: user, to: a, protocol: http }
  - { from: a, to: b, protocol: http }
  - { from: b, to: a, protocol: http }
",
        );
        let g = Graph::build(&d);
        // A request that reaches `a` waits on `b` (not on its path yet); `b` does not
        // wait on `a`, which is: so both are needed.
        assert_eq!(names(&d, &g.single_points_of_failure()), ["a", "b"]);
    }

    const KINDS: [&str; 6] = [
        "load_balancer",
        "web_server",
        "app_server",
        "database",
        "cache",
        "queue",
    ];

    /// A small design: servers of 1 to 3 components of mixed kinds (so that fan-outs
    /// are sometimes alternatives, sometimes required kinds), flows between random
    /// components (some optional, some cyclic), and from `user` to some of them.
    fn small_design() -> impl Strategy<Value = String> {
        design_of(7, 14)
    }

    fn design_of(max_servers: usize, max_flows: usize) -> impl Strategy<Value = String> {
        let servers = prop::collection::vec(
            prop::collection::vec(0..KINDS.len(), 1..=3),
            1..=max_servers,
        );
        servers.prop_flat_map(move |servers| {
            let count: usize = servers.iter().map(Vec::len).sum();
            let flows = prop::collection::vec(
                (0..count, 0..count, prop::bool::weighted(0.15)),
                0..=max_flows,
            );
            let entries = prop::collection::vec(0..count, 1..=2);
            (Just(servers), flows, entries).prop_map(|(servers, flows, entries)| {
                let mut text = String::from("name: generated\nservers:\n");
                let mut endpoints = Vec::new();
                for (s, kinds) in servers.iter().enumerate() {
                    let components: Vec<String> = kinds
                        .iter()
                        .map(|&k| {
                            let name = format!("c{}", endpoints.len());
                            endpoints.push(format!("s{s}/{name}"));
                            format!("{{ kind: {}, name: {name} }}", KINDS[k])
                        })
                        .collect();
                    text.push_str(&format!(
                        "  s{s}: {{ components: [{}] }}\n",
                        components.join(", ")
                    ));
                }
                text.push_str("flows:\n");
                for entry in entries {
                    text.push_str(&format!(
                        "  - {{ from: user, to: {}, protocol: http }}\n",
                        endpoints[entry]
                    ));
                }
                for (a, b, optional) in flows {
                    text.push_str(&format!(
                        "  - {{ from: {}, to: {}, protocol: http, optional: {optional} }}\n",
                        endpoints[a], endpoints[b]
                    ));
                }
                text
            })
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        #[test]
        fn the_fast_analysis_agrees_with_removal(text in small_design()) {
            let d = design(&text);
            let g = Graph::build(&d);
            prop_assert_eq!(g.single_points_of_failure(), g.single_points_of_failure_by_removal(), "{}", text);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]

        /// Larger designs: longer chains and more shared structure for the set walk.
        #[test]
        fn the_fast_analysis_agrees_with_removal_on_larger_designs(text in design_of(16, 48)) {
            let d = design(&text);
            let g = Graph::build(&d);
            prop_assert_eq!(g.single_points_of_failure(), g.single_points_of_failure_by_removal(), "{}", text);
        }
    }
}
