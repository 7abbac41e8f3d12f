//! Single points of failure: servers whose failure leaves no request able to complete.
//!
//! Removing each server in turn and searching again is quadratic (7.7 s at 10,000
//! servers). Instead:
//!
//! 1. Add a sink fed by every component where a request completes, and compute the
//!    dominators of the sink from `user` over request edges (petgraph's Cooper-Harvey-
//!    Kennedy). A server that owns a dominator is a single point of failure.
//! 2. A server can also cut every path without owning a dominator, when two of its
//!    components sit on different routes (`lb -> S/web` and `lb -> S/app`). Such a cut lies
//!    between two consecutive dominators `a` and `b` of the sink: every request passes
//!    `a`, then `b`, and no single node between them cuts. So the server has two or more
//!    requested components, one of them on any path from `a` to `b`. For each segment,
//!    one breadth-first path gives the candidates, and one search per candidate decides.
//!
//! The cost is O((V + E) · (1 + C)), where C counts the servers with several requested
//! components on the chosen path of a segment: a handful in any design, whatever its size.
//! The quadratic check is kept as [`Graph::single_points_of_failure_by_removal`], the test
//! oracle.

use std::collections::VecDeque;

use petgraph::algo::dominators::simple_fast;
use petgraph::graph::{DiGraph, NodeIndex};

use super::{Graph, Node};
use crate::model::ServerId;

impl Graph<'_> {
    /// Servers whose failure leaves no request able to complete, in file order. Empty when
    /// no request can complete even with every server up.
    pub fn single_points_of_failure(&self) -> Vec<ServerId> {
        if !self.requests_complete() {
            return Vec::new();
        }
        let design = self.design;
        let mut graph: DiGraph<(), ()> =
            DiGraph::with_capacity(self.graph.node_count() + 1, self.graph.edge_count());
        for _ in 0..self.graph.node_count() {
            graph.add_node(());
        }
        let sink = graph.add_node(());
        for (from, to) in self.request_edges() {
            graph.add_edge(from, to, ());
        }
        for component in &design.components {
            if self.is_requested(component.id) && self.completes(component.id) {
                graph.add_edge(self.components[component.id.index()], sink, ());
            }
        }
        let server_of = |node: NodeIndex| match self.graph.node_weight(node) {
            Some(&Node::Component(c)) => Some(design.component(c).server),
            _ => None,
        };

        let dominators = simple_fast(&graph, self.user);
        let mut chain = vec![sink];
        let mut node = sink;
        while let Some(up) = dominators.immediate_dominator(node) {
            chain.push(up);
            node = up;
        }
        chain.reverse();

        let mut failing = vec![false; design.servers.len()];
        for &node in &chain {
            if let Some(server) = server_of(node) {
                failing[server.index()] = true;
            }
        }
        for pair in chain.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            let Some(path) = search(&graph, a, b, |_| false) else {
                continue;
            };
            let mut candidates: Vec<ServerId> = path
                .iter()
                .filter_map(|&n| server_of(n))
                .filter(|&s| !failing[s.index()])
                .filter(|&s| {
                    design
                        .server(s)
                        .components
                        .iter()
                        .filter(|&&c| self.is_requested(c))
                        .count()
                        >= 2
                })
                .collect();
            candidates.sort();
            candidates.dedup();
            for server in candidates {
                let cut = search(&graph, a, b, |n| server_of(n) == Some(server)).is_none();
                if cut {
                    failing[server.index()] = true;
                }
            }
        }
        design
            .servers
            .iter()
            .filter(|s| failing[s.id.index()])
            .map(|s| s.id)
            .collect()
    }

    /// The same answer by brute force: remove each server in turn and search again.
    /// Quadratic; the oracle the fast analysis is tested against.
    pub fn single_points_of_failure_by_removal(&self) -> Vec<ServerId> {
        if !self.requests_complete() {
            return Vec::new();
        }
        self.design
            .servers
            .iter()
            .map(|s| s.id)
            .filter(|&server| !self.requests_complete_without(|s| s == server))
            .collect()
    }
}

/// A breadth-first path from `from` to `to` that avoids blocked nodes; its nodes between
/// the two ends, or `None` when there is no such path.
fn search(
    graph: &DiGraph<(), ()>,
    from: NodeIndex,
    to: NodeIndex,
    blocked: impl Fn(NodeIndex) -> bool,
) -> Option<Vec<NodeIndex>> {
    let mut parent: Vec<Option<NodeIndex>> = vec![None; graph.node_count()];
    let mut seen = vec![false; graph.node_count()];
    seen[from.index()] = true;
    let mut queue = VecDeque::from([from]);
    while let Some(node) = queue.pop_front() {
        for next in graph.neighbors(node) {
            if seen[next.index()] || (next != to && blocked(next)) {
                continue;
            }
            seen[next.index()] = true;
            parent[next.index()] = Some(node);
            if next == to {
                let mut interior = Vec::new();
                let mut at = node;
                while at != from {
                    interior.push(at);
                    at = parent[at.index()].expect("every reached node has a parent");
                }
                return Some(interior);
            }
            queue.push_back(next);
        }
    }
    None
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
    fn a_server_on_two_routes_cuts_where_no_component_does() {
        // lb -> s/web -> db-a and lb -> s/app -> db-b: neither component of s dominates,
        // but s down stops everything.
        let d = design(
            "
name: t
servers:
  lb: { components: [{ kind: load_balancer }] }
  s: { components: [{ kind: web_server }, { kind: app_server }] }
  db-a: { components: [{ kind: database }] }
  db-b: { components: [{ kind: database }] }
flows:
  - { from: user, to: lb, protocol: http }
  - { from: lb, to: [s/web_server, s/app_server], protocol: http }
  - { from: s/web_server, to: db-a, protocol: mysql }
  - { from: s/app_server, to: db-b, protocol: mysql }
",
        );
        let g = Graph::build(&d);
        assert_eq!(names(&d, &g.single_points_of_failure()), ["lb", "s"]);
        assert_eq!(
            g.single_points_of_failure(),
            g.single_points_of_failure_by_removal()
        );
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
        assert_eq!(names(&d, &g.single_points_of_failure()), ["a"]);
    }

    const KINDS: [&str; 4] = ["load_balancer", "web_server", "app_server", "database"];

    /// A small design: servers of 1 to 3 components, flows between random components, and
    /// from `user` to some of them.
    fn small_design() -> impl Strategy<Value = String> {
        let servers = prop::collection::vec(prop::collection::vec(0..KINDS.len(), 1..=3), 1..=6);
        servers.prop_flat_map(|servers| {
            let count: usize = servers.iter().map(Vec::len).sum();
            let flows = prop::collection::vec((0..count, 0..count), 0..=12);
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
                for (a, b) in flows {
                    text.push_str(&format!(
                        "  - {{ from: {}, to: {}, protocol: http }}\n",
                        endpoints[a], endpoints[b]
                    ));
                }
                text
            })
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn the_fast_analysis_agrees_with_removal(text in small_design()) {
            let d = design(&text);
            let g = Graph::build(&d);
            prop_assert_eq!(g.single_points_of_failure(), g.single_points_of_failure_by_removal(), "{}", text);
        }
    }
}
