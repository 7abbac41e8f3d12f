//! The component graph: the design as nodes (the user, every component, every external
//! service) and edges (one per flow pair and target component). The only module that
//! names petgraph.
//!
//! The terms of the rule catalog are functions here, each with tests of its own:
//! request paths, when a request and a write complete (the structure function, in
//! `structure.rs`), internet-facing and guarded servers, where TLS ends. Network
//! firewalls need no special case in the graph: traffic flows into their firewall
//! component and on along its onward flows.

mod spof;
mod structure;

pub use spof::Need;
use structure::Structure;
pub use structure::{Aim, DeadEnd, Evaluation, Group, Logic, LogicNode, Outcome, WriteNeed};

use std::collections::VecDeque;

use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;

use crate::model::{
    ClientId, ClusterId, ComponentId, ComponentKind, Design, EndpointTarget, ExternalId, FlowId,
    Network, Protocol, Purpose, ServerId, TlsMode, Via, is_private,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Node {
    User,
    Component(ComponentId),
    External(ExternalId),
    /// A client of `clients:`, which starts requests as `user` does.
    Client(ClientId),
    /// Only in [`Logic`], never in the graph: a server being up (its server and zone),
    /// as a quorum counts its voters.
    Up(ServerId),
    /// Only in [`Logic`]: a failover cluster's endpoint, which reaches its current
    /// primary.
    Endpoint(ClusterId),
    /// Only in [`Logic`]: a failover cluster's promotion of a member (the coordinator
    /// serves, and a promotable member does).
    Promotion(ClusterId),
    /// Only in [`Logic`]: a write through a failover cluster's primary under its leader
    /// lease (the primary and the coordinator).
    Lease(ClusterId),
}

impl Node {
    /// The node as users write it: `SERVER/NAME`, an external service's name, `user`,
    /// or a voter's server name.
    pub fn written(self, design: &Design) -> String {
        match self {
            Node::Component(c) => design.component_target(c),
            Node::External(e) => design.externals[e.index()].name.value.clone(),
            Node::User => "user".to_string(),
            Node::Client(c) => design.clients[c.index()].name.value.clone(),
            Node::Up(s) => design.server(s).name.value.clone(),
            Node::Endpoint(c) => design.clusters[c.index()].name.value.clone(),
            Node::Promotion(c) => {
                format!(
                    "{} (a promoted member)",
                    design.clusters[c.index()].name.value
                )
            }
            Node::Lease(c) => {
                format!(
                    "{} (the primary's lease)",
                    design.clusters[c.index()].name.value
                )
            }
        }
    }
}

/// What a flow carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EdgeKind {
    /// Requests on their way to an answer: every flow without a `purpose`.
    Request,
    Replication,
    Monitoring,
}

#[derive(Clone, Copy, Debug)]
pub struct Edge {
    /// An index into `Design::flows`.
    pub flow: FlowId,
    pub kind: EdgeKind,
}

pub struct Graph<'d> {
    design: &'d Design,
    graph: DiGraph<Node, Edge>,
    user: NodeIndex,
    components: Vec<NodeIndex>,
    externals: Vec<NodeIndex>,
    structure: Structure,
    /// The structure function with every server up.
    all_up: Evaluation,
    /// For each component: reached from `user` by a request path.
    requested: Vec<bool>,
    /// For each server: the first hop of a request from `user`.
    first_hop: Vec<bool>,
}

impl<'d> Graph<'d> {
    pub fn build(design: &'d Design) -> Graph<'d> {
        let mut graph = DiGraph::with_capacity(
            design.components.len() + design.externals.len() + 1,
            design.flows.len(),
        );
        let user = graph.add_node(Node::User);
        let components: Vec<NodeIndex> = design
            .components
            .iter()
            .map(|c| graph.add_node(Node::Component(c.id)))
            .collect();
        let externals: Vec<NodeIndex> = design
            .externals
            .iter()
            .map(|e| graph.add_node(Node::External(e.id)))
            .collect();
        // Clients last, so that components and externals keep their indexes.
        let clients: Vec<NodeIndex> = design
            .clients
            .iter()
            .map(|c| graph.add_node(Node::Client(c.id)))
            .collect();
        let nodes_of = |target: &EndpointTarget| -> Vec<NodeIndex> {
            match target {
                EndpointTarget::User => vec![user],
                EndpointTarget::Client(id) => vec![clients[id.index()]],
                EndpointTarget::Components {
                    components: ids,
                    via,
                } => {
                    // A cluster's outside members are reached with its components.
                    let clusters: &[ClusterId] = match via {
                        Via::Cluster(id) => std::slice::from_ref(id),
                        Via::Host(route) => &route.clusters,
                        Via::Component | Via::Server => &[],
                    };
                    let outside = clusters
                        .iter()
                        .flat_map(|c| &design.clusters[c.index()].external_members)
                        .map(|e| externals[e.index()]);
                    ids.iter()
                        .map(|c| components[c.index()])
                        .chain(outside)
                        .collect()
                }
                EndpointTarget::External(id) => vec![externals[id.index()]],
            }
        };
        for (index, flow) in design.flows.iter().enumerate() {
            let kind = match flow.purpose {
                None => EdgeKind::Request,
                Some(Purpose::Replication) => EdgeKind::Replication,
                Some(Purpose::Monitoring) => EdgeKind::Monitoring,
            };
            for &from in &nodes_of(&flow.from.target) {
                for &to in &nodes_of(&flow.to.target) {
                    graph.add_edge(
                        from,
                        to,
                        Edge {
                            flow: FlowId::from_index(index),
                            kind,
                        },
                    );
                }
            }
        }
        let structure = Structure::build(design, &graph, user);
        let all_up = structure.evaluate(|_| false);
        let mut built = Graph {
            design,
            graph,
            user,
            components,
            externals,
            structure,
            all_up,
            requested: Vec::new(),
            first_hop: vec![false; design.servers.len()],
        };
        // Requests start at `user` and at every client; only those from the internet
        // make their first hop internet-facing.
        let starts: Vec<NodeIndex> = [user].into_iter().chain(clients.iter().copied()).collect();
        built.requested = built.request_reach(&starts, |_| true);
        let internet = [user].into_iter().chain(
            design
                .clients
                .iter()
                .filter(|c| c.network == Network::Internet)
                .map(|c| clients[c.id.index()]),
        );
        let first_edges: Vec<(EdgeKind, Node)> = internet
            .flat_map(|start| built.graph.edges(start))
            .map(|edge| (edge.weight().kind, built.graph[edge.target()]))
            .collect();
        for (kind, target) in first_edges {
            if let (EdgeKind::Request, Node::Component(c)) = (kind, target) {
                built.first_hop[design.component(c).server.index()] = true;
            }
        }
        built
    }

    pub fn design(&self) -> &'d Design {
        self.design
    }

    /// The node of a component.
    fn node(&self, component: ComponentId) -> NodeIndex {
        self.components[component.index()]
    }

    /// True when the component serves with every server up (the structure function).
    pub fn serves(&self, component: ComponentId) -> bool {
        self.all_up.serves[self.node(component).index()]
    }

    /// True when some request path from `user` reaches the component.
    pub fn is_requested(&self, component: ComponentId) -> bool {
        self.requested[component.index()]
    }

    /// True when some request path from `user` reaches a component of the server.
    pub fn server_is_requested(&self, server: ServerId) -> bool {
        self.design
            .server(server)
            .components
            .iter()
            .any(|&c| self.is_requested(c))
    }

    /// True when a request can complete with every server up.
    pub fn requests_complete(&self) -> bool {
        self.all_up.requests_complete
    }

    /// The structure function while the servers for which `down` is true are down.
    pub fn evaluate(&self, down: impl Fn(ServerId) -> bool) -> Evaluation {
        self.structure.evaluate(down)
    }

    /// The structure function as plain data (node ids are indexes into `nodes`), for
    /// the failure analysis and for the interactive report page.
    pub fn logic(&self) -> Logic {
        self.structure.logic.clone()
    }

    /// True when the outcome (an index into [`Graph::outcomes`]) completes with every
    /// server up.
    pub fn completes(&self, outcome: usize) -> bool {
        self.all_up.outcomes[outcome]
    }

    /// Where the outcome's requests stop with every server up ([`Logic::dead_ends`]),
    /// each node as a graph node.
    pub fn dead_ends(&self, outcome: usize) -> Vec<(Node, DeadEnd)> {
        let logic = &self.structure.logic;
        logic
            .dead_ends(&logic.outcomes[outcome].targets, &self.all_up.serves)
            .into_iter()
            .map(|end| {
                let (DeadEnd::ForwardsNowhere(n) | DeadEnd::Quorum(n, _)) = end;
                (logic.nodes[n].node, end)
            })
            .collect()
    }

    /// What the analyses report on: per request class its requests and writes, per
    /// worker service its jobs ([`Logic::outcomes`]).
    pub fn outcomes(&self) -> &[Outcome] {
        &self.structure.logic.outcomes
    }

    /// True when the external service forwards into the design: it has required onward
    /// request flows (a CDN in front of the origin).
    pub fn external_forwards(&self, external: ExternalId) -> bool {
        let node = self.externals[external.index()];
        self.graph.edges(node).any(|edge| {
            edge.weight().kind == EdgeKind::Request
                && !self.design.flow(edge.weight().flow).optional
        })
    }

    /// True when the component serves in this evaluation.
    pub fn serves_in(&self, evaluation: &Evaluation, component: ComponentId) -> bool {
        evaluation.serves[self.node(component).index()]
    }

    /// True when writes through the component reach a primary in this evaluation.
    pub fn writes_in(&self, evaluation: &Evaluation, component: ComponentId) -> bool {
        evaluation.writes[self.node(component).index()]
    }

    /// True when a request can complete while the servers for which `down` is true are down.
    pub fn requests_complete_without(&self, down: impl Fn(ServerId) -> bool) -> bool {
        self.evaluate(down).requests_complete
    }

    /// True when a write can complete: the request is served, and a path of flows that
    /// all allow writing, through serving components, reaches a primary database.
    pub fn writes_complete_without(&self, down: impl Fn(ServerId) -> bool) -> bool {
        self.evaluate(down).writes_complete
    }

    /// The required dependencies of a component, one list of alternatives per kind
    /// (the structure function's groups).
    pub fn required_kinds(&self, component: ComponentId) -> Vec<Vec<Node>> {
        let logic = &self.structure.logic;
        logic.nodes[self.node(component).index()]
            .groups
            .iter()
            .map(|group| group.of.iter().map(|&n| logic.nodes[n].node).collect())
            .collect()
    }

    /// Components whose flows to these targets are optional (`optional: true`): what
    /// degrades, and does not stop, when a target fails. In component order.
    pub fn optional_dependencies(&self) -> Vec<(ComponentId, Vec<Node>)> {
        self.design
            .components
            .iter()
            .filter_map(|c| {
                let mut targets: Vec<NodeIndex> = self
                    .graph
                    .edges(self.node(c.id))
                    .filter(|edge| {
                        edge.weight().kind == EdgeKind::Request
                            && self.design.flow(edge.weight().flow).optional
                    })
                    .map(|edge| edge.target())
                    .collect();
                targets.sort_unstable();
                targets.dedup();
                (!targets.is_empty())
                    .then(|| (c.id, targets.iter().map(|&t| self.graph[t]).collect()))
            })
            .collect()
    }

    /// Components reached from `start` along request edges, through nodes `pass` allows.
    fn request_reach(&self, starts: &[NodeIndex], pass: impl Fn(ComponentId) -> bool) -> Vec<bool> {
        let mut reached = vec![false; self.design.components.len()];
        let mut seen = vec![false; self.graph.node_count()];
        let mut queue: VecDeque<NodeIndex> = starts.iter().copied().collect();
        for start in starts {
            seen[start.index()] = true;
        }
        while let Some(node) = queue.pop_front() {
            for edge in self.graph.edges(node) {
                if edge.weight().kind != EdgeKind::Request {
                    continue;
                }
                let next = edge.target();
                if seen[next.index()] {
                    continue;
                }
                if let Node::Component(c) = self.graph[next] {
                    if !pass(c) {
                        continue;
                    }
                    reached[c.index()] = true;
                }
                seen[next.index()] = true;
                queue.push_back(next);
            }
        }
        reached
    }

    /// The components requests reach, hop by hop from `user`: level 0 holds what users
    /// connect to, level 1 what those forward to, and so on; each component once, at the
    /// first hop that reaches it (breadth first, so linear in the graph).
    pub fn request_levels(&self) -> Vec<Vec<ComponentId>> {
        let mut levels: Vec<Vec<ComponentId>> = Vec::new();
        let mut seen = vec![false; self.graph.node_count()];
        seen[self.user.index()] = true;
        let mut frontier = vec![self.user];
        while !frontier.is_empty() {
            let mut next = Vec::new();
            let mut level = Vec::new();
            for node in frontier {
                for edge in self.graph.edges(node) {
                    let target = edge.target();
                    if edge.weight().kind != EdgeKind::Request || seen[target.index()] {
                        continue;
                    }
                    seen[target.index()] = true;
                    if let Node::Component(c) = self.graph[target] {
                        level.push(c);
                    }
                    next.push(target);
                }
            }
            level.sort();
            if !level.is_empty() {
                levels.push(level);
            }
            frontier = next;
        }
        levels
    }

    /// The flows that leave a component, with the components they reach.
    pub fn outgoing(&self, component: ComponentId) -> impl Iterator<Item = (FlowId, Node)> + '_ {
        self.graph
            .edges(self.components[component.index()])
            .map(|e| (e.weight().flow, self.graph[e.target()]))
    }

    /// The flows out of an outside service, with where they go.
    pub fn outgoing_external(
        &self,
        external: ExternalId,
    ) -> impl Iterator<Item = (FlowId, Node)> + '_ {
        self.graph
            .edges(self.externals[external.index()])
            .map(|e| (e.weight().flow, self.graph[e.target()]))
    }

    /// The flows into a component, with where they come from.
    pub fn incoming(&self, component: ComponentId) -> impl Iterator<Item = (FlowId, Node)> + '_ {
        self.graph
            .edges_directed(
                self.components[component.index()],
                petgraph::Direction::Incoming,
            )
            .map(|e| (e.weight().flow, self.graph[e.source()]))
    }

    /// Internet-facing: a public address, `public: true`, or the first hop of a request
    /// path from `user`.
    pub fn is_internet_facing(&self, server: ServerId) -> bool {
        let s = self.design.server(server);
        s.public
            || s.ip.as_ref().is_some_and(|ip| !is_private(ip.value))
            || self.first_hop[server.index()]
    }

    /// Guarded: the server has a firewall component, or at least one flow comes into it
    /// from elsewhere and every such flow comes from a network firewall. Flows between
    /// components of the server itself do not count; flows from `user` and from external
    /// services count as not coming from a network firewall.
    pub fn is_guarded(&self, server: ServerId) -> bool {
        let design = self.design;
        if design
            .components_of(server)
            .any(|c| c.kind == ComponentKind::Firewall)
        {
            return true;
        }
        let mut inbound = 0;
        for component in design.server(server).components.iter() {
            for (_, from) in self.incoming(*component) {
                let from_server = match from {
                    Node::Component(c) => Some(design.component(c).server),
                    _ => None,
                };
                if from_server == Some(server) {
                    continue;
                }
                inbound += 1;
                if !from_server.is_some_and(|s| design.is_network_firewall(s)) {
                    return false;
                }
            }
        }
        inbound > 0
    }

    /// Where the TLS of encrypted flows from users ends: each such flow's index in
    /// `design.flows` with a component where it ends (SE005 wants a certificate there,
    /// SE006 warns when it is a load balancer). TLS that ends at an outside service (a
    /// CDN, a managed balancer) needs no certificate of ours, and is not listed.
    pub fn user_tls_ends(&self) -> Vec<(FlowId, ComponentId)> {
        let mut ends = Vec::new();
        for (index, flow) in self.design.flows() {
            if flow.from.target != EndpointTarget::User || !flow.protocol.is_tls() {
                continue;
            }
            for start in self.endpoint_nodes(&flow.to.target) {
                for end in self.tls_ends_from(start) {
                    if let Node::Component(end) = end {
                        ends.push((index, end));
                    }
                }
            }
        }
        ends
    }

    /// The graph nodes an endpoint reaches: its components, or its outside service.
    pub fn endpoint_nodes(&self, target: &EndpointTarget) -> Vec<Node> {
        match target {
            EndpointTarget::Components { components, .. } => {
                components.iter().map(|&c| Node::Component(c)).collect()
            }
            EndpointTarget::External(e) => vec![Node::External(*e)],
            EndpointTarget::User | EndpointTarget::Client(_) => Vec::new(),
        }
    }

    /// True when TLS passes through the node unchanged: a network firewall, or a load
    /// balancer (ours or outside) with `tls: passthrough`.
    pub fn passes_tls(&self, node: Node) -> bool {
        match node {
            Node::Component(c) => {
                let component = self.design.component(c);
                self.design.is_network_firewall(component.server)
                    || component.tls == Some(TlsMode::Passthrough)
            }
            Node::External(e) => self.design.externals[e.index()].tls == Some(TlsMode::Passthrough),
            _ => false,
        }
    }

    /// Where the TLS of an encrypted flow into `start` ends: `start` itself, or, when
    /// TLS passes through it ([`Graph::passes_tls`]), wherever its onward request flows
    /// go (through further such nodes too): components or outside services.
    pub fn tls_ends_from(&self, start: Node) -> Vec<Node> {
        let mut ends = Vec::new();
        // A set, not a vector as long as the design: this runs once per encrypted flow.
        let mut seen = std::collections::HashSet::new();
        let mut stack = vec![start];
        while let Some(node) = stack.pop() {
            let index = match node {
                Node::Component(c) => self.node(c),
                Node::External(e) => self.externals[e.index()],
                _ => continue,
            };
            if !seen.insert(index) {
                continue;
            }
            if !self.passes_tls(node) {
                ends.push(node);
                continue;
            }
            // A passthrough balancer forwards the TLS only on flows that carry it (TLS,
            // or `tcp`: what arrived); a network firewall passes everything on.
            let firewall = matches!(node, Node::Component(c)
                if self.design.is_network_firewall(self.design.component(c).server));
            for edge in self.graph.edges(index) {
                let protocol = self.design.flow(edge.weight().flow).protocol;
                let carries = firewall || protocol.is_tls() || protocol == Protocol::Tcp;
                if edge.weight().kind == EdgeKind::Request && carries {
                    stack.push(self.graph[edge.target()]);
                }
            }
        }
        ends.sort_by_key(|n| match n {
            Node::Component(c) => (0, c.index()),
            Node::External(e) => (1, e.index()),
            _ => (2, 0),
        });
        ends.dedup();
        ends
    }

    /// Where the TLS of an encrypted flow into `component` ends, among components.
    pub fn tls_ends(&self, component: ComponentId) -> Vec<ComponentId> {
        self.tls_ends_from(Node::Component(component))
            .into_iter()
            .filter_map(|n| match n {
                Node::Component(c) => Some(c),
                _ => None,
            })
            .collect()
    }

    /// The first components that requests from `user` reach, passing through network
    /// firewalls: with the flow from `user` that leads there.
    pub fn first_request_components(&self) -> Vec<(FlowId, ComponentId)> {
        let mut first = Vec::new();
        for edge in self.graph.edges(self.user) {
            if edge.weight().kind != EdgeKind::Request {
                continue;
            }
            if let Node::Component(c) = self.graph[edge.target()] {
                for end in self.tls_ends(c) {
                    first.push((edge.weight().flow, end));
                }
            }
        }
        first.sort();
        first.dedup();
        first
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{design, server};

    const SHOP: &str = "
name: shop
domain: foobar.com
dns:
  records: [{ name: www, type: A, value: 203.0.113.1 }]
servers:
  fw-01:
    ip: 203.0.113.1
    components: [{ kind: firewall }, { kind: monitoring_agent }]
  lb-01:
    ip: 10.0.0.1
    components: [{ kind: load_balancer }]
  web-01:
    ip: 10.0.0.11
    components: [{ kind: web_server }, { kind: app_server }, { kind: firewall }]
  db-01:
    ip: 10.0.0.21
    components: [{ kind: database }]
  db-02:
    ip: 10.0.0.22
    components: [{ kind: database, role: replica }]
  idle:
    ip: 10.0.0.99
    components: [{ kind: web_server }]
flows:
  - { from: user, to: www.foobar.com, protocol: https }
  - { from: fw-01, to: lb-01, protocol: https }
  - { from: lb-01, to: web-01, protocol: http }
  - { from: web-01/web_server, to: web-01/app_server, protocol: http }
  - { from: web-01/app_server, to: db-01, protocol: mysql, access: read-write }
  - { from: web-01/app_server, to: db-02, protocol: mysql, access: read }
  - { from: db-01, to: db-02, protocol: mysql, purpose: replication }
";

    #[test]
    fn request_paths_pass_network_firewalls_and_skip_replication() {
        let d = design(SHOP);
        let g = Graph::build(&d);
        assert!(g.server_is_requested(server(&d, "lb-01")));
        assert!(g.server_is_requested(server(&d, "db-02")));
        assert!(!g.server_is_requested(server(&d, "idle")));
        assert!(g.requests_complete());
        // db-01 down: reads still complete at the replica, writes do not.
        let db01 = server(&d, "db-01");
        assert!(g.requests_complete_without(|s| s == db01));
        assert!(g.writes_complete_without(|_| false));
        assert!(!g.writes_complete_without(|s| s == db01));
        let lb = server(&d, "lb-01");
        assert!(!g.requests_complete_without(|s| s == lb));
    }

    #[test]
    fn internet_facing_and_guarded() {
        let d = design(SHOP);
        let g = Graph::build(&d);
        let facing = |name| g.is_internet_facing(server(&d, name));
        let guarded = |name| g.is_guarded(server(&d, name));
        assert!(facing("fw-01"), "a public address, and the first hop");
        assert!(!facing("lb-01"));
        assert!(
            guarded("lb-01"),
            "its one inbound flow comes from a network firewall"
        );
        assert!(guarded("web-01"), "a host firewall");
        assert!(
            !guarded("db-01"),
            "reached from web-01, which is no network firewall"
        );
        assert!(!guarded("idle"), "no flow in at all");
        assert!(guarded("fw-01"));
    }

    #[test]
    fn tls_ends_behind_network_firewalls() {
        let d = design(SHOP);
        let g = Graph::build(&d);
        let fw = d.server(server(&d, "fw-01")).components[0];
        let ends: Vec<String> = g
            .tls_ends(fw)
            .iter()
            .map(|&c| d.component_target(c))
            .collect();
        assert_eq!(ends, ["lb-01/load_balancer"]);
        let first: Vec<String> = g
            .first_request_components()
            .iter()
            .map(|&(_, c)| d.component_target(c))
            .collect();
        assert_eq!(first, ["lb-01/load_balancer"]);
    }

    #[test]
    fn leaves_serve_by_the_deepest_tier_the_design_has() {
        let d = design(
            "name: t\nservers:\n  a: { components: [{ kind: web_server }, { kind: app_server }] }\nflows:\n  - { from: user, to: a/web_server, protocol: http }\n",
        );
        assert!(
            !Graph::build(&d).requests_complete(),
            "the web server leads to no app server"
        );
        let d = design(
            "name: t\nservers:\n  a: { components: [{ kind: web_server }] }\nflows:\n  - { from: user, to: a, protocol: http }\n",
        );
        assert!(Graph::build(&d).requests_complete());
        let d = design(
            "name: t\nservers:\n  a: { components: [{ kind: load_balancer }] }\nflows:\n  - { from: user, to: a, protocol: http }\n",
        );
        assert!(
            !Graph::build(&d).requests_complete(),
            "a load balancer only forwards"
        );
        let d = design("name: t\nservers:\n  a: { components: [{ kind: cache }] }\n");
        assert!(
            !Graph::build(&d).requests_complete(),
            "no request from the user"
        );
    }

    const SHOP_WITH_CACHE: &str = "
name: t
servers:
  lb: { components: [{ kind: load_balancer }] }
  app-1: { components: [{ kind: app_server }] }
  app-2: { components: [{ kind: app_server }] }
  db: { components: [{ kind: database }] }
  cache: { components: [{ kind: cache }] }
  mail: { components: [{ kind: other }] }
flows:
  - { from: user, to: lb, protocol: http }
  - { from: lb, to: [app-1, app-2], protocol: http }
  - { from: [app-1, app-2], to: db, protocol: postgres }
  - { from: [app-1, app-2], to: cache, protocol: redis }
  - { from: [app-1, app-2], to: mail, protocol: tcp, optional: true }
";

    #[test]
    fn a_cycle_keeps_the_path_that_does_not_need_it() {
        // w1 -> a1, a1 <-> a2, a2 -> db: a request through a1 goes on to a2 (a1 is on
        // its path, not waited on) and completes at the database.
        let d = design(
            "name: t\nservers:\n  w1: { components: [{ kind: web_server }] }\n  a1: { components: [{ kind: app_server }] }\n  a2: { components: [{ kind: app_server }] }\n  db: { components: [{ kind: database }] }\nflows:\n  - { from: user, to: w1, protocol: https }\n  - { from: w1, to: a1, protocol: http }\n  - { from: a1, to: a2, protocol: http }\n  - { from: a2, to: a1, protocol: http }\n  - { from: a2, to: db, protocol: postgres }\n",
        );
        let g = Graph::build(&d);
        assert!(g.requests_complete(), "the only path survives the cycle");
        assert!(g.writes_complete_without(|_| false));
        let names: Vec<&str> = g
            .single_points_of_failure()
            .iter()
            .map(|&s| d.server(s).name.value.as_str())
            .collect();
        assert_eq!(names, ["w1", "a1", "a2", "db"]);
    }

    #[test]
    fn a_large_cycle_group_is_cut_within_the_budget() {
        // 40 app servers that all call each other: 2^39 paths would be unrolled; the
        // group is cut instead, at once.
        let mut text =
            String::from("name: t\nservers:\n  db: { components: [{ kind: database }] }\n");
        for i in 0..40 {
            text.push_str(&format!(
                "  a{i}: {{ components: [{{ kind: app_server }}] }}\n"
            ));
        }
        text.push_str("flows:\n  - { from: user, to: a0, protocol: https }\n");
        for i in 0..40 {
            let others: Vec<String> = (0..40)
                .filter(|&j| j != i)
                .map(|j| format!("a{j}"))
                .collect();
            text.push_str(&format!(
                "  - {{ from: a{i}, to: [{}], protocol: http }}\n  - {{ from: a{i}, to: db, protocol: postgres }}\n",
                others.join(", ")
            ));
        }
        let d = design(&text);
        // Unrolled, it would not finish; cut, a0 needs the database (its only group
        // left outside the cycle group), and so does every request.
        let g = Graph::build(&d);
        assert!(g.requests_complete());
    }

    #[test]
    fn every_kind_is_required_and_alternatives_are_within_a_kind() {
        let d = design(SHOP_WITH_CACHE);
        let g = Graph::build(&d);
        assert!(g.requests_complete());
        let down = |name: &'static str| {
            let s = server(&d, name);
            move |x| x == s
        };
        assert!(
            g.requests_complete_without(down("app-1")),
            "app-2 is an alternative"
        );
        assert!(
            !g.requests_complete_without(down("cache")),
            "the cache is required"
        );
        assert!(!g.requests_complete_without(down("db")));
        assert!(
            g.requests_complete_without(down("mail")),
            "optional: degrades only"
        );
        assert!(g.writes_complete_without(down("mail")));
        assert!(
            !g.writes_complete_without(down("cache")),
            "a write is a request too"
        );
        let optional = g.optional_dependencies();
        assert_eq!(optional.len(), 2);
    }
}
