//! The structure function: the one definition of when a component *serves* a request,
//! which every analysis uses (AV001, the failure analysis, the report).
//!
//! - A component serves when its server is up and, for each *kind* of component or
//!   external service that its required request flows go to, at least one of those
//!   targets serves: alternatives within a kind (`lb -> [web-1, web-2]`, reads from a
//!   primary or a replica), every kind required (`app -> database` and `app -> cache`).
//! - A flow marked `optional: true` is a soft dependency: it is left out.
//! - A component with no required dependency serves by itself, unless it only forwards
//!   (a load balancer, a network firewall's firewall) or it is a web or app server in a
//!   design that has a deeper tier: with a database in the design, a request completes
//!   at one, and a web server that leads to none answers nothing.
//! - An external service has no server of ours: it serves when its own onward
//!   dependencies serve (a CDN in front of the origin), or always when it has none.
//! - A request completes when a target of the user's request flows serves it; the
//!   user's flows count together (a request counts over the whole design). A flow from
//!   the user to an external service counts only when the service depends on the design
//!   (has onward flows): a hosted status page does not make the site available.
//! - A write completes when, besides serving, a path of write-capable flows through
//!   serving components reaches a `primary` database.
//! - Cycles: a flow inside a strongly connected group of request flows (`web-1 <->
//!   web-2`, a self-loop) is not a dependency: a request cannot wait on itself. So the
//!   structure is a DAG, evaluated in one pass in dependency order.
//!
//! Building costs O(V + E log E) (Kosaraju's SCCs, iterative in petgraph; one sort of
//! each node's targets by kind); one evaluation under a set of failed servers costs O(V + E).

use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;

use super::{Edge, EdgeKind, Node};
use crate::model::{
    ClusterId, ComponentKind, Coordinator, Design, EndpointTarget, ExternalKind, Flow, Member,
    Role, ServerId, Via,
};

/// At least `need` of `of` serve: alternatives when `need` is 1 (one target of a kind),
/// or a cluster's quorum (`need` of its voters' [`Node::Up`] nodes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    pub need: usize,
    /// Logic node ids, sorted, each once.
    pub of: Vec<usize>,
    /// The cluster whose quorum this is.
    pub quorum: Option<ClusterId>,
}

impl Group {
    fn any(of: Vec<usize>) -> Group {
        Group {
            need: 1,
            of,
            quorum: None,
        }
    }

    /// True when at least `need` of `of` hold in `serves`.
    pub fn holds(&self, serves: &[bool]) -> bool {
        self.need
            <= self
                .of
                .iter()
                .filter(|&&t| serves[t])
                .take(self.need)
                .count()
    }

    /// How many of `of` must fail for the group to fail: `n - need + 1` (every
    /// alternative for `need` 1, a majority's complement for a quorum).
    pub fn fails_at(&self) -> usize {
        (self.of.len() + 1).saturating_sub(self.need)
    }
}

/// The structure function as plain data: one entry per graph node (ids are the graph's
/// node indexes), then one [`Node::Up`] node per voter of a quorum cluster.
#[derive(Clone, Debug)]
pub struct Logic {
    pub nodes: Vec<LogicNode>,
    /// Every node but the user, each after all of its dependencies.
    pub order: Vec<usize>,
    /// What the analyses report on, in order: per request class (the default first),
    /// its requests and, where it writes, its writes; then per worker service its jobs.
    pub outcomes: Vec<Outcome>,
}

/// What an outcome counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Aim {
    Requests,
    Writes,
    Jobs,
}

/// One outcome of the design: it holds when one of its targets serves (takes the
/// write, for writes).
#[derive(Clone, Debug)]
pub struct Outcome {
    pub aim: Aim,
    /// The request class (`None`: the default class, the user's flows without
    /// `request:`), or the worker service whose jobs these are.
    pub class: Option<String>,
    /// Logic node ids, sorted.
    pub targets: Vec<usize>,
}

impl Outcome {
    pub fn holds(&self, serves: &[bool], writes: &[bool]) -> bool {
        let done = if self.aim == Aim::Writes {
            writes
        } else {
            serves
        };
        self.targets.iter().any(|&t| done[t])
    }

    /// "requests", "writes of git-ssh", "jobs of sidekiq".
    pub fn name(&self) -> String {
        let what = match self.aim {
            Aim::Requests => "requests",
            Aim::Writes => "writes",
            Aim::Jobs => "jobs",
        };
        self.of_class(what)
    }

    /// "request", "write of git-ssh", "job of sidekiq".
    pub fn one(&self) -> String {
        let name = self.name();
        let (what, rest) = name.split_once(' ').unwrap_or((&name, ""));
        let one = what.strip_suffix('s').unwrap_or(what);
        if rest.is_empty() {
            one.to_string()
        } else {
            format!("{one} {rest}")
        }
    }

    fn of_class(&self, what: &str) -> String {
        match &self.class {
            Some(class) => format!("{what} of {class}"),
            None => what.to_string(),
        }
    }

    /// A key for machine output: `requests`, `writes`, `requests:git-ssh`,
    /// `jobs:sidekiq`.
    pub fn key(&self) -> String {
        self.name().replacen(" of ", ":", 1)
    }
}

#[derive(Clone, Debug)]
pub struct LogicNode {
    pub node: Node,
    /// Its server; `None` for the user and external services.
    pub server: Option<ServerId>,
    /// Required request flows: one group of alternatives per kind, all required.
    pub groups: Vec<Group>,
    /// Conditions besides its flows, all required: the quorums of its clusters.
    pub conditions: Vec<Group>,
    /// What its writes need, all of it: per service it writes to that leads to a
    /// primary (through write-capable flows), one target that takes the write. Services
    /// that lead to no primary (a cache, an API) are not waited on.
    pub write_groups: Vec<Group>,
    /// Conditions for writes only: the write quorums of its clusters.
    pub write_conditions: Vec<Group>,
    /// With no required flow: serves by itself.
    pub serves_alone: bool,
    /// A primary database: where writes complete.
    pub primary: bool,
}

/// One part of what a write through a node needs besides the node serving: every part
/// must hold.
#[derive(Clone, Copy, Debug)]
pub enum WriteNeed<'a> {
    /// A write quorum: judged on what serves.
    Serves(&'a Group),
    /// A service written to: one target takes the write (judged on what writes).
    Writes(&'a Group),
    /// Nothing it writes to takes writes, and it is no primary: a write never gets
    /// through it.
    Never,
}

impl LogicNode {
    /// What a write through the node needs besides the node serving: its write quorums,
    /// then, unless it is a primary, every service it writes to (or [`WriteNeed::Never`]
    /// when it writes to none that takes writes). The one reading of `write_groups` that
    /// every interpreter (evaluate, BDD, cut sets, MEF) shares.
    pub fn write_needs(&self) -> impl Iterator<Item = WriteNeed<'_>> {
        let through = (!self.primary).then_some(&self.write_groups);
        let never = through.is_some_and(|groups| groups.is_empty());
        self.write_conditions
            .iter()
            .map(WriteNeed::Serves)
            .chain(through.into_iter().flatten().map(WriteNeed::Writes))
            .chain(never.then_some(WriteNeed::Never))
    }

    fn new(node: Node) -> LogicNode {
        LogicNode {
            node,
            server: None,
            groups: Vec::new(),
            conditions: Vec::new(),
            write_groups: Vec::new(),
            write_conditions: Vec::new(),
            serves_alone: false,
            primary: false,
        }
    }
}

/// Where requests that never complete first stop (see [`Logic::dead_ends`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeadEnd {
    /// A node that needs an onward flow and has none: it answers nothing.
    ForwardsNowhere(usize),
    /// A node whose cluster's quorum is never met.
    Quorum(usize, ClusterId),
}

impl Logic {
    /// The work of one [`Logic::evaluate`]: its nodes and every member of every group
    /// they read.
    pub fn size(&self) -> usize {
        let members = |groups: &[Group]| groups.iter().map(|g| g.of.len()).sum::<usize>();
        self.nodes
            .iter()
            .map(|n| {
                1 + members(&n.groups)
                    + members(&n.conditions)
                    + members(&n.write_groups)
                    + members(&n.write_conditions)
            })
            .sum()
    }

    /// The nodes that answer nothing of themselves, walking down from `targets` through
    /// what does not serve in `serves` (into every required service with no serving
    /// alternative): each forwards nowhere, or its quorum is not met. Empty when the
    /// targets serve, or when what stops them only waits on itself in a loop. In the
    /// order met, depth first; iterative and linear in the logic's size (each node is
    /// looked at once).
    pub fn dead_ends(&self, targets: &[usize], serves: &[bool]) -> Vec<DeadEnd> {
        let mut found = Vec::new();
        let mut seen = vec![false; self.nodes.len()];
        let mut stack: Vec<usize> = targets.iter().rev().copied().collect();
        while let Some(n) = stack.pop() {
            if serves[n] || std::mem::replace(&mut seen[n], true) {
                continue;
            }
            let node = &self.nodes[n];
            if node.groups.is_empty() && !node.serves_alone {
                found.push(DeadEnd::ForwardsNowhere(n));
                continue;
            }
            let failing: Vec<&Group> = node
                .groups
                .iter()
                .chain(&node.conditions)
                .filter(|g| !g.holds(serves))
                .collect();
            for group in failing.into_iter().rev() {
                match group.quorum {
                    Some(cluster) => found.push(DeadEnd::Quorum(n, cluster)),
                    None => stack.extend(group.of.iter().rev()),
                }
            }
        }
        found
    }

    /// What serves (and writes) while `down` says which nodes are down (their server,
    /// zone or external service failed): one pass in dependency order.
    pub fn evaluate(&self, down: impl Fn(usize) -> bool) -> (Vec<bool>, Vec<bool>) {
        let mut serves = vec![false; self.nodes.len()];
        let mut writes = vec![false; self.nodes.len()];
        for &n in &self.order {
            if down(n) {
                continue;
            }
            let node = &self.nodes[n];
            let flows = if node.groups.is_empty() {
                node.serves_alone
            } else {
                node.groups.iter().all(|g| g.holds(&serves))
            };
            let serving = flows && node.conditions.iter().all(|g| g.holds(&serves));
            serves[n] = serving;
            writes[n] = serving
                && node.write_needs().all(|need| match need {
                    WriteNeed::Serves(g) => g.holds(&serves),
                    WriteNeed::Writes(g) => g.holds(&writes),
                    WriteNeed::Never => false,
                });
        }
        (serves, writes)
    }

    /// Whether each outcome holds in an evaluation, in [`Logic::outcomes`]' order.
    pub fn outcomes(&self, serves: &[bool], writes: &[bool]) -> Vec<bool> {
        self.outcomes
            .iter()
            .map(|o| o.holds(serves, writes))
            .collect()
    }

    /// The default class's requests (the first class's, without a default class).
    pub fn requests(&self) -> usize {
        self.outcomes
            .iter()
            .position(|o| o.aim == Aim::Requests)
            .expect("every design has a request class")
    }

    /// The default class's writes, when the design takes writes.
    pub fn writes(&self) -> Option<usize> {
        let requests = self.requests();
        self.outcomes
            .get(requests + 1)
            .filter(|o| o.aim == Aim::Writes)
            .map(|_| requests + 1)
    }

    /// True when some node takes writes (a primary database): without one, writes are
    /// no outcome of the design, and the analyses say so instead of "0%".
    pub fn takes_writes(&self) -> bool {
        self.nodes.iter().any(|n| n.primary)
    }

    /// Every group a node needs in order to serve: its flows' and its conditions.
    pub fn requirements(&self, node: usize) -> impl Iterator<Item = &Group> {
        let info = &self.nodes[node];
        info.groups.iter().chain(&info.conditions)
    }
}

/// What serves and what writes, with some servers down.
pub struct Evaluation {
    pub(super) serves: Vec<bool>,
    pub(super) writes: Vec<bool>,
    /// Per outcome of [`Logic::outcomes`]: it holds.
    pub outcomes: Vec<bool>,
    /// Every request class has a request that completes.
    pub requests_complete: bool,
    /// Every class that writes has a write that completes.
    pub writes_complete: bool,
}

/// One required target of a node, before it is grouped per class.
#[derive(Clone, Copy, Debug)]
struct Entry<'d> {
    service: (u8, &'d str),
    target: usize,
    /// Through a write-capable flow.
    write: bool,
    /// The `request:` classes of its flow, one bit each ([`ClassNames`]); 0 for a flow
    /// of every class.
    classes: u64,
}

/// The named request classes and worker services, sorted: a class's bit is its index.
struct ClassNames<'d> {
    names: Vec<&'d str>,
}

impl<'d> ClassNames<'d> {
    fn of(design: &'d Design) -> ClassNames<'d> {
        let mut names: Vec<&str> = design.request_classes().into_iter().flatten().collect();
        names.extend(design.worker_services().into_iter().map(|(name, _)| name));
        names.sort_unstable();
        names.dedup();
        // The model refuses more (`MAX_REQUEST_CLASSES`); a design that reached here
        // with errors keeps the first 64.
        names.truncate(64);
        ClassNames { names }
    }

    fn bit(&self, name: &str) -> usize {
        self.names.binary_search(&name).unwrap_or(usize::MAX)
    }

    fn mask(&self, flow: &Flow) -> u64 {
        flow.request
            .iter()
            .filter_map(|r| self.names.binary_search(&r.value.as_str()).ok())
            .fold(0, |mask, bit| mask | (1u64 << bit))
    }
}

/// A node's groups and write targets from its entries of every class and of class
/// `bit`'s mask (0: every class only), each target through `map`.
fn grouped(
    entries: &[Entry<'_>],
    mask: u64,
    map: impl Fn(usize) -> usize,
) -> (Vec<Group>, Vec<usize>) {
    let mut targets: Vec<((u8, &str), usize)> = Vec::with_capacity(entries.len());
    let mut writes = Vec::new();
    for entry in entries {
        if entry.classes != 0 && entry.classes & mask == 0 {
            continue;
        }
        let target = map(entry.target);
        targets.push((entry.service, target));
        if entry.write {
            writes.push(target);
        }
    }
    targets.sort_unstable();
    targets.dedup();
    writes.sort_unstable();
    writes.dedup();
    let groups = targets
        .chunk_by(|a, b| a.0 == b.0)
        .map(|run| Group::any(run.iter().map(|&(_, t)| t).collect()))
        .collect();
    (groups, writes)
}

/// A failover member's graph node.
fn member_node(member: Member) -> Node {
    match member {
        Member::Component(c) => Node::Component(c),
        Member::External(e) => Node::External(e),
    }
}

/// The service a target belongs to: targets of one service are alternatives, and every
/// service a component calls is required. `service:` when stated, else its kind (an
/// outside service counts as the kind it names: an outside `database` is a database).
/// Services are ordered by kind first (the format's order of kinds, then named
/// services), so that reports and paths list a component's needs as the kinds read.
fn service_of(design: &Design, node: Node) -> (u8, &str) {
    fn by_kind(
        kind: Option<ComponentKind>,
        service: &Option<crate::model::Spanned<String>>,
    ) -> (u8, &str) {
        match (service, kind) {
            (Some(service), _) => (u8::MAX, service.value.as_str()),
            (None, Some(kind)) => (kind as u8, kind.as_str()),
            (None, None) => (u8::MAX - 1, ""),
        }
    }
    match node {
        // A failover endpoint is of its primary's service: reads through it and from a
        // replica are alternatives.
        Node::Endpoint(c) | Node::Promotion(c) | Node::Lease(c) => {
            match &design.clusters[c.index()].failover {
                Some(spec) => service_of(design, member_node(spec.primary)),
                None => (u8::MAX, ""),
            }
        }
        Node::User | Node::Client(_) | Node::Up(_) => (u8::MAX, ""),
        Node::Component(c) => {
            let component = design.component(c);
            by_kind(Some(component.kind), &component.service)
        }
        Node::External(e) => {
            let external = &design.externals[e.index()];
            match (&external.service, external.kind.as_component()) {
                (None, None) => (u8::MAX - 1, external.kind.as_str()),
                (service, kind) => by_kind(kind, service),
            }
        }
    }
}

/// The structure function of a design, built once with its graph.
pub(super) struct Structure {
    pub logic: Logic,
}

impl Structure {
    /// Builds the structure function: a node per graph node, with its groups of
    /// alternatives from its required request flows (a flow to a failover cluster's
    /// endpoint goes to the cluster's endpoint node instead of its members), then the
    /// logic-only nodes (voters' [`Node::Up`], failover endpoints), then the order.
    /// Cycles are cut here: a dependency inside a strongly connected group of the
    /// logic's dependencies is left out (a request cannot wait on itself).
    pub(super) fn build(design: &Design, graph: &DiGraph<Node, Edge>, user: NodeIndex) -> Self {
        let has = |kind: ComponentKind| design.components.iter().any(|c| c.kind == kind);
        let (has_database, has_app) = (has(ComponentKind::Database), has(ComponentKind::AppServer));
        let mut builder = Builder {
            design,
            nodes: Vec::with_capacity(graph.node_count()),
            component_node: vec![usize::MAX; design.components.len()],
            external_node: vec![usize::MAX; design.externals.len()],
            up_of: vec![None; design.servers.len()],
            writes: Vec::with_capacity(graph.node_count()),
        };
        for index in graph.node_indices() {
            builder.add_node(graph[index], index.index(), has_database, has_app);
        }
        let endpoints = builder.failover_endpoints();
        // Request classes named by `request:` and worker services: one bit each.
        let classes = ClassNames::of(design);

        // Each node's required targets, by service, with the classes of their flows;
        // kept per node only when the design has classes to copy nodes for.
        let mut entries: Vec<Vec<Entry<'_>>> = Vec::new();
        if !classes.names.is_empty() {
            entries = vec![Vec::new(); builder.nodes.len()];
        }
        let mut list: Vec<Entry<'_>> = Vec::new();
        for index in graph.node_indices() {
            // Requests start at the user and the clients; nothing depends on them.
            if matches!(graph[index], Node::User | Node::Client(_)) {
                continue;
            }
            list.clear();
            for edge in graph.edges(index) {
                let to = edge.target();
                if edge.weight().kind != EdgeKind::Request || to == user {
                    continue;
                }
                let flow = design.flow(edge.weight().flow);
                if flow.optional {
                    continue;
                }
                let target = endpoints.redirect(flow, graph[to]).unwrap_or(to.index());
                list.push(Entry {
                    service: service_of(design, builder.nodes[target].node),
                    target,
                    write: flow.access.allows_write(),
                    classes: classes.mask(flow),
                });
            }
            let (groups, writes) = grouped(&list, 0, |t| t);
            let n = index.index();
            builder.nodes[n].groups.extend(groups);
            builder.writes[n].extend(writes);
            if let Some(kept) = entries.get_mut(n) {
                kept.clone_from(&list);
            }
        }
        builder.quorums();
        let base = builder.nodes.len();
        let copies: Vec<Vec<usize>> = (0..classes.names.len())
            .map(|bit| builder.copy_for_class(&entries, base, bit))
            .collect();
        let outcomes = builder.outcomes(graph, &endpoints, &classes, &copies);

        let mut nodes = builder.nodes;
        let mut writes = builder.writes;
        // Without a cycle, the first SCC order is the evaluation order already.
        let order = match unroll_cycles(&mut nodes, &mut writes, user.index()) {
            Some(order) => order,
            None => cut_cycles(&mut nodes, &mut writes, user.index()),
        };
        write_groups(design, &mut nodes, &writes, &order);
        Structure {
            logic: Logic {
                nodes,
                order,
                outcomes,
            },
        }
    }

    /// What serves and what writes while the servers for which `down` is true are down.
    pub(super) fn evaluate(&self, down: impl Fn(ServerId) -> bool) -> Evaluation {
        let logic = &self.logic;
        let (serves, writes) = logic.evaluate(|n| logic.nodes[n].server.is_some_and(&down));
        let outcomes = logic.outcomes(&serves, &writes);
        let all = |aim: Aim| {
            logic
                .outcomes
                .iter()
                .zip(&outcomes)
                .all(|(o, &holds)| o.aim != aim || holds)
        };
        Evaluation {
            requests_complete: all(Aim::Requests),
            writes_complete: all(Aim::Writes),
            serves,
            writes,
            outcomes,
        }
    }

    /// Servers whose failure alone stops every request of a class, sorted by id, each
    /// with the request outcomes it stops (indexes into [`Logic::outcomes`]); a class
    /// none of whose requests completes with every server up has none.
    ///
    /// The set of a node is its own server plus, over each group it needs, the servers
    /// that group cannot do without, computed once per node in dependency order: for
    /// alternatives (need one), the intersection of their sets; for a quorum (need k of
    /// n), the servers in at least n - k + 1 of its voters' sets. Sets are persistent: a
    /// node's set points at its groups' sets instead of copying them, and
    /// [`Sets::intersect`] walks two sets from their newest part down and stops at the
    /// parts they share (as Cooper, Harvey and Kennedy intersect dominators). So a chain
    /// of N required hops costs O(N), not O(N²), and memory stays linear in the design;
    /// a quorum's count costs the size of its voters' sets (one server each). See
    /// ARCHITECTURE.md for the cost.
    pub(super) fn single_points_of_failure(
        &self,
        all_up: &Evaluation,
    ) -> Vec<(ServerId, Vec<usize>)> {
        let logic = &self.logic;
        let mut sets = Sets::default();
        let mut of: Vec<Option<SetId>> = vec![None; logic.nodes.len()];
        let mut parts: Vec<SetId> = Vec::new();
        for &node in &logic.order {
            if !all_up.serves[node] {
                continue;
            }
            let deps = &logic.nodes[node];
            parts.clear();
            for group in logic.requirements(node) {
                let alternatives = group.of.iter().filter_map(|&t| of[t]);
                let needed = if group.need == 1 {
                    sets.intersect_all(alternatives)
                } else {
                    // Of the alternatives that serve, losing more than `len - need`.
                    let lists: Vec<SetId> = alternatives.collect();
                    let times = (lists.len() + 1).saturating_sub(group.need);
                    sets.in_at_least(&lists, times)
                };
                if !sets.is_empty(needed) {
                    parts.push(needed);
                }
            }
            let own: Vec<u32> = deps.server.map(|s| s.0).into_iter().collect();
            of[node] = Some(sets.union(own, &parts));
        }
        let mut stops: Vec<(ServerId, Vec<usize>)> = Vec::new();
        for (i, outcome) in logic.outcomes.iter().enumerate() {
            if outcome.aim != Aim::Requests || !all_up.outcomes[i] {
                continue;
            }
            let top = sets.intersect_all(outcome.targets.iter().filter_map(|&t| of[t]));
            stops.extend(
                sets.elements(top)
                    .into_iter()
                    .map(|s| (ServerId(s), vec![i])),
            );
        }
        stops.sort_unstable();
        let mut merged: Vec<(ServerId, Vec<usize>)> = Vec::with_capacity(stops.len());
        for (server, outcomes) in stops {
            match merged.last_mut() {
                Some((last, list)) if *last == server => list.extend(outcomes),
                _ => merged.push((server, outcomes)),
            }
        }
        merged
    }
}

/// What the structure is built from, and the logic-only nodes made on the way.
struct Builder<'d> {
    design: &'d Design,
    nodes: Vec<LogicNode>,
    /// Per component and external service: its logic node.
    component_node: Vec<usize>,
    external_node: Vec<usize>,
    /// Per server: its [`Node::Up`] node, once made.
    up_of: Vec<Option<usize>>,
    /// Per node: the targets of its write-capable required flows.
    writes: Vec<Vec<usize>>,
}

impl Builder<'_> {
    /// The logic node of a graph node (at index `n` of both), with what it needs to
    /// serve alone.
    fn add_node(&mut self, node: Node, n: usize, has_database: bool, has_app: bool) {
        let design = self.design;
        let mut deps = LogicNode::new(node);
        match node {
            Node::Component(c) => {
                self.component_node[c.index()] = n;
                let component = design.component(c);
                deps.server = Some(component.server);
                deps.primary = component.role == Some(Role::Primary)
                    && ComponentKind::WITH_ROLE.contains(&component.kind);
                deps.serves_alone = match component.kind {
                    ComponentKind::LoadBalancer | ComponentKind::Proxy => false,
                    ComponentKind::Firewall => !design.is_network_firewall(component.server),
                    ComponentKind::WebServer => !has_database && !has_app,
                    ComponentKind::AppServer => !has_database,
                    _ => true,
                };
            }
            Node::External(e) => {
                self.external_node[e.index()] = n;
                let external = &design.externals[e.index()];
                deps.primary = external.role == Some(Role::Primary);
                // An outside balancer or proxy that forwards nowhere answers nothing.
                deps.serves_alone = !matches!(
                    external.kind,
                    ExternalKind::LoadBalancer | ExternalKind::Proxy
                );
            }
            _ => {}
        }
        self.nodes.push(deps);
        self.writes.push(Vec::new());
    }

    /// The outcomes: per request class its requests (and writes, where the design takes
    /// them), then per worker service its jobs; each on its class's copy of the nodes.
    fn outcomes(
        &self,
        graph: &DiGraph<Node, Edge>,
        endpoints: &Endpoints,
        classes: &ClassNames<'_>,
        copies: &[Vec<usize>],
    ) -> Vec<Outcome> {
        let design = self.design;
        let class_node = |bit: Option<usize>, n: usize| match bit {
            Some(bit) if bit < copies.len() && copies[bit][n] != usize::MAX => copies[bit][n],
            _ => n,
        };
        let required =
            |edge: &Edge| edge.kind == EdgeKind::Request && !design.flow(edge.flow).optional;
        let takes_writes = self.nodes.iter().any(|n| n.primary);
        let mut outcomes = Vec::new();
        let starts: Vec<NodeIndex> = graph
            .node_indices()
            .filter(|&n| matches!(graph[n], Node::User | Node::Client(_)))
            .collect();
        for class in design.request_classes() {
            let bit = class.map(|name| classes.bit(name));
            let mut targets = Vec::new();
            let mut write_targets = Vec::new();
            for edge in starts.iter().flat_map(|&start| graph.edges(start)) {
                if !required(edge.weight()) {
                    continue;
                }
                let flow = design.flow(edge.weight().flow);
                if !design.start_classes(flow).contains(&class) {
                    continue;
                }
                let target = endpoints
                    .redirect(flow, graph[edge.target()])
                    .unwrap_or(edge.target().index());
                let target = class_node(bit, target);
                // An outside service counts when it depends on the design (a CDN).
                let counts = match self.nodes[target].node {
                    Node::External(_) => !self.nodes[target].groups.is_empty(),
                    Node::User | Node::Client(_) | Node::Up(_) => false,
                    _ => true,
                };
                if !counts {
                    continue;
                }
                targets.push(target);
                if flow.access.allows_write() {
                    write_targets.push(target);
                }
            }
            for list in [&mut targets, &mut write_targets] {
                list.sort_unstable();
                list.dedup();
            }
            let class = class.map(str::to_string);
            let writes = takes_writes && (class.is_none() || !write_targets.is_empty());
            outcomes.push(Outcome {
                aim: Aim::Requests,
                class: class.clone(),
                targets,
            });
            if writes {
                outcomes.push(Outcome {
                    aim: Aim::Writes,
                    class,
                    targets: write_targets,
                });
            }
        }
        for (service, components) in design.worker_services() {
            let bit = Some(classes.bit(service));
            let mut targets: Vec<usize> = components
                .iter()
                .map(|c| class_node(bit, self.component_node[c.index()]))
                .collect();
            targets.sort_unstable();
            outcomes.push(Outcome {
                aim: Aim::Jobs,
                class: Some(service.to_string()),
                targets,
            });
        }
        outcomes
    }
}

/// Per cluster: its failover endpoint node, when it fails over.
struct Endpoints {
    of: Vec<Option<usize>>,
    /// Per component: the failover clusters it is a member of.
    member_of: Vec<Vec<ClusterId>>,
    /// Per external service: the same.
    external_member_of: Vec<Vec<ClusterId>>,
}

impl Endpoints {
    /// Where a flow's pair goes in the structure: a member of a failover cluster
    /// reached through the cluster's endpoint (its name, virtual IP or a host name
    /// that leads to it) is the endpoint; `None` otherwise.
    fn redirect(&self, flow: &Flow, to: Node) -> Option<usize> {
        let member_of = match to {
            Node::Component(c) => &self.member_of[c.index()],
            Node::External(e) => &self.external_member_of[e.index()],
            _ => return None,
        };
        let via_cluster = |id: ClusterId| match &flow.to.target {
            EndpointTarget::Components { via, .. } => match via {
                Via::Cluster(reached) => *reached == id,
                Via::Host(route) => route.clusters.contains(&id),
                Via::Component | Via::Server => false,
            },
            _ => false,
        };
        member_of
            .iter()
            .find(|&&id| via_cluster(id))
            .and_then(|id| self.of[id.index()])
    }
}

impl Builder<'_> {
    /// The copies class `bit` needs, and their ids per node (`usize::MAX`: none, the
    /// node serves the class as it serves every class). A node needs a copy when it has
    /// a flow of the class, or depends on a node that has one: found by a walk up the
    /// dependencies from those nodes, then each copy takes its flows of every class and
    /// of this one, its targets through their copies. O(V + E) per class; the nodes
    /// below `base` are the ones of every class.
    fn copy_for_class(
        &mut self,
        entries: &[Vec<Entry<'_>>],
        base: usize,
        bit: usize,
    ) -> Vec<usize> {
        let mask = 1u64 << bit;
        let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); base];
        let mut seeds = Vec::new();
        for n in 0..base {
            let node = &self.nodes[n];
            let groups = node
                .groups
                .iter()
                .chain(&node.conditions)
                .chain(&node.write_conditions);
            for t in groups.flat_map(|g| &g.of).chain(&self.writes[n]) {
                dependents[*t].push(n);
            }
            for entry in entries.get(n).into_iter().flatten() {
                if entry.classes & mask != 0 {
                    dependents[entry.target].push(n);
                    seeds.push(n);
                }
            }
        }
        let mut copy = vec![usize::MAX; base];
        let mut stack = seeds;
        let mut found = Vec::new();
        while let Some(n) = stack.pop() {
            if copy[n] != usize::MAX {
                continue;
            }
            copy[n] = self.nodes.len() + found.len();
            found.push(n);
            stack.extend(
                dependents[n]
                    .iter()
                    .copied()
                    .filter(|&d| copy[d] == usize::MAX),
            );
        }
        let map = |t: usize| if copy[t] == usize::MAX { t } else { copy[t] };
        let map_groups = |groups: &[Group]| -> Vec<Group> {
            groups
                .iter()
                .map(|g| {
                    let mut of: Vec<usize> = g.of.iter().map(|&t| map(t)).collect();
                    of.sort_unstable();
                    Group { of, ..g.clone() }
                })
                .collect()
        };
        for &n in &found {
            let original = &self.nodes[n];
            let mut twin = original.clone();
            let writes = match entries.get(n).filter(|list| !list.is_empty()) {
                Some(list) => {
                    let (groups, writes) = grouped(list, mask, map);
                    // Groups that are not a flow's (a failover endpoint's) stay.
                    twin.groups = groups;
                    writes
                }
                None => {
                    twin.groups = map_groups(&original.groups);
                    let mut writes: Vec<usize> = self.writes[n].iter().map(|&t| map(t)).collect();
                    writes.sort_unstable();
                    writes
                }
            };
            twin.conditions = map_groups(&original.conditions);
            twin.write_conditions = map_groups(&original.write_conditions);
            self.nodes.push(twin);
            self.writes.push(writes);
        }
        copy
    }

    /// A failover member's logic node.
    fn member_of(&self, member: Member) -> usize {
        match member {
            Member::Component(c) => self.component_node[c.index()],
            Member::External(e) => self.external_node[e.index()],
        }
    }

    fn push(&mut self, node: LogicNode) -> usize {
        self.push_writing(node, Vec::new())
    }

    fn push_writing(&mut self, node: LogicNode, writes: Vec<usize>) -> usize {
        self.nodes.push(node);
        self.writes.push(writes);
        self.nodes.len() - 1
    }

    /// The node that is up while the server (and its zone) is.
    fn up(&mut self, server: ServerId) -> usize {
        if let Some(up) = self.up_of[server.index()] {
            return up;
        }
        let mut up = LogicNode::new(Node::Up(server));
        up.server = Some(server);
        up.serves_alone = true;
        let id = self.push(up);
        self.up_of[server.index()] = Some(id);
        id
    }

    /// A cluster's quorum over its voters, for `need` of them.
    fn quorum(&mut self, cluster: ClusterId, need: usize) -> Group {
        let voters = self.design.clusters[cluster.index()].voters.clone();
        let mut of: Vec<usize> = voters.into_iter().map(|s| self.up(s)).collect();
        of.sort_unstable();
        of.dedup();
        Group {
            need,
            of,
            quorum: Some(cluster),
        }
    }

    /// The quorum conditions of every member of a cluster with `quorum:` or
    /// `write_quorum:`.
    fn quorums(&mut self) {
        let design = self.design;
        for cluster in &design.clusters {
            let n = cluster.voters.len();
            for (quorum, writes_only) in [(&cluster.quorum, false), (&cluster.write_quorum, true)] {
                let Some(quorum) = quorum else { continue };
                let group = self.quorum(cluster.id, quorum.value.of(n));
                for member in design.cluster_components(cluster) {
                    let node = &mut self.nodes[self.component_node[member.index()]];
                    if writes_only {
                        node.write_conditions.push(group.clone());
                    } else {
                        node.conditions.push(group.clone());
                    }
                }
            }
        }
    }

    /// What a coordinator serves by: a cluster's quorum of its voters (without
    /// `quorum:`, one member's server up), a service's components, an outside service.
    /// Their own flows do not count, so failover never waits on itself.
    fn coordinator(&mut self, coordinator: &Coordinator) -> Group {
        match coordinator {
            Coordinator::Cluster(id) => {
                let cluster = &self.design.clusters[id.index()];
                match &cluster.quorum {
                    Some(q) => {
                        let need = q.value.of(cluster.voters.len());
                        self.quorum(*id, need)
                    }
                    None => {
                        let members = cluster.members.clone();
                        let mut of: Vec<usize> = members.into_iter().map(|s| self.up(s)).collect();
                        of.sort_unstable();
                        of.dedup();
                        Group::any(of)
                    }
                }
            }
            Coordinator::Service(components) => {
                let mut of: Vec<usize> = components
                    .iter()
                    .map(|c| self.component_node[c.index()])
                    .collect();
                of.sort_unstable();
                Group::any(of)
            }
            Coordinator::External(e) => Group::any(vec![self.external_node[e.index()]]),
        }
    }

    /// One endpoint node per failover cluster: it serves when the primary serves, or
    /// when the coordinator serves and a promotable member does (`Node::Promotion`,
    /// which takes writes once promoted). With `leader_lease: true`, a write through
    /// the primary also needs the coordinator (`Node::Lease`). No negation anywhere.
    fn failover_endpoints(&mut self) -> Endpoints {
        let design = self.design;
        let mut endpoints = Endpoints {
            of: vec![None; design.clusters.len()],
            member_of: vec![Vec::new(); design.components.len()],
            external_member_of: vec![Vec::new(); design.externals.len()],
        };
        for cluster in &design.clusters {
            let Some(spec) = &cluster.failover else {
                continue;
            };
            for member in design.cluster_components(cluster) {
                endpoints.member_of[member.index()].push(cluster.id);
            }
            for member in &cluster.external_members {
                endpoints.external_member_of[member.index()].push(cluster.id);
            }
            let primary = self.member_of(spec.primary);
            let coordinator = spec.coordinator.as_ref().map(|c| self.coordinator(c));
            let mut promotable: Vec<usize> =
                spec.promotable.iter().map(|&m| self.member_of(m)).collect();
            promotable.sort_unstable();
            // No member to promote: the endpoint is the primary alone.
            let promotion = (!promotable.is_empty()).then(|| {
                let mut promotion = LogicNode::new(Node::Promotion(cluster.id));
                promotion.groups.push(Group::any(promotable));
                promotion.groups.extend(coordinator.clone());
                // A promoted member takes writes where the primary does (a database).
                promotion.primary = self.nodes[primary].primary;
                self.push(promotion)
            });
            let write_path = match (&coordinator, spec.leader_lease) {
                (Some(coordinator), true) => {
                    let mut lease = LogicNode::new(Node::Lease(cluster.id));
                    lease.groups.push(Group::any(vec![primary]));
                    lease.groups.push(coordinator.clone());
                    self.push_writing(lease, vec![primary])
                }
                _ => primary,
            };
            let mut endpoint = LogicNode::new(Node::Endpoint(cluster.id));
            let mut either: Vec<usize> = [primary].into_iter().chain(promotion).collect();
            either.sort_unstable();
            endpoint.groups.push(Group::any(either));
            let mut writes: Vec<usize> = [write_path].into_iter().chain(promotion).collect();
            writes.sort_unstable();
            endpoints.of[cluster.id.index()] = Some(self.push_writing(endpoint, writes));
        }
        endpoints
    }
}

/// Each node's write groups: its write targets that lead to a primary (found in
/// dependency order), grouped by service. O(V + E).
fn write_groups(design: &Design, nodes: &mut [LogicNode], writes: &[Vec<usize>], order: &[usize]) {
    let mut leads = vec![false; nodes.len()];
    for &n in order {
        leads[n] = nodes[n].primary || writes[n].iter().any(|&t| leads[t]);
        let mut targets: Vec<((u8, &str), usize)> = writes[n]
            .iter()
            .filter(|&&t| leads[t])
            .map(|&t| (service_of(design, nodes[t].node), t))
            .collect();
        targets.sort_unstable();
        targets.dedup();
        nodes[n].write_groups = targets
            .chunk_by(|a, b| a.0 == b.0)
            .map(|run| Group::any(run.iter().map(|&(_, t)| t).collect()))
            .collect();
    }
}

/// The most logic nodes the unrolling of cycles may add; past it, a cycle group is cut
/// instead (its dependencies inside the group left out), as the analysis budget says.
pub(super) const MAX_CYCLE_INSTANCES: usize = 100_000;

/// Every node's dependencies (groups, conditions, write targets), for the SCCs:
/// Kosaraju's, iterative (petgraph's Tarjan recurses once per node of a chain, and
/// overflowed the stack on a chain of 50,000 proxies).
fn dependency_graph(nodes: &[LogicNode], writes: &[Vec<usize>]) -> DiGraph<(), ()> {
    let mut deps: DiGraph<(), ()> = DiGraph::with_capacity(nodes.len(), nodes.len());
    for _ in 0..nodes.len() {
        deps.add_node(());
    }
    for (n, node) in nodes.iter().enumerate() {
        let groups = node
            .groups
            .iter()
            .chain(&node.conditions)
            .chain(&node.write_conditions);
        for t in groups.flat_map(|g| &g.of).chain(&writes[n]) {
            deps.add_edge(NodeIndex::new(n), NodeIndex::new(*t), ());
        }
    }
    deps
}

/// Cycles, exactly: a node reached along a path serves when, for each of its groups,
/// every target is on the path (it is not waited on) or some target off the path serves
/// when reached along the path and the node. Only the members of the node's strongly
/// connected group can be on its path, so a node of a cycle group is copied once per
/// set of the group's members on the path (the node itself included): the node's own
/// index stands for the set {itself} (reached from outside the group), the copies for
/// larger sets, each copy's targets inside the group being copies with the larger set.
/// The result has no cycle. Linear where there is no cycle; exponential in the size of
/// the largest cycle group, bounded by [`MAX_CYCLE_INSTANCES`] (a larger group, or one
/// of more than 63 nodes, is cut by [`cut_cycles`] instead).
fn unroll_cycles(
    nodes: &mut Vec<LogicNode>,
    writes: &mut Vec<Vec<usize>>,
    user: usize,
) -> Option<Vec<usize>> {
    let sccs = petgraph::algo::kosaraju_scc(&dependency_graph(nodes, writes));
    let mut acyclic = true;
    let mut scc_of = vec![usize::MAX; nodes.len()];
    let mut bit = vec![0u64; nodes.len()];
    let mut budget = MAX_CYCLE_INSTANCES;
    for (i, scc) in sccs.iter().enumerate() {
        let looped =
            |n: usize| nodes[n].groups.iter().any(|g| g.of.contains(&n)) || writes[n].contains(&n);
        let cyclic = scc.len() > 1 || looped(scc[0].index());
        acyclic &= !cyclic;
        // 2^(k-1) sets per member at most: refuse a group that could pass the budget.
        let sets = u32::try_from(scc.len().saturating_sub(1))
            .ok()
            .and_then(|k| 1usize.checked_shl(k))
            .unwrap_or(usize::MAX);
        let worst = scc.len().saturating_mul(sets);
        if !cyclic || scc.len() > 63 || worst > budget {
            continue;
        }
        budget -= worst;
        for (position, node) in scc.iter().enumerate() {
            scc_of[node.index()] = i;
            bit[node.index()] = 1 << position;
        }
    }
    if acyclic {
        return Some(
            sccs.into_iter()
                .flatten()
                .map(NodeIndex::index)
                .filter(|&n| n != user)
                .collect(),
        );
    }
    // The members' own dependencies, before they are rewritten.
    let original: std::collections::HashMap<usize, (Vec<Group>, Vec<usize>)> = (0..nodes.len())
        .filter(|&n| scc_of[n] != usize::MAX)
        .map(|n| (n, (nodes[n].groups.clone(), writes[n].clone())))
        .collect();
    let mut instance: std::collections::HashMap<(usize, u64), usize> =
        original.keys().map(|&n| ((n, bit[n]), n)).collect();
    let mut work: Vec<(usize, u64, usize)> = original.keys().map(|&n| (n, bit[n], n)).collect();
    while let Some((n, on_path, id)) = work.pop() {
        let (groups, targets) = &original[&n];
        let mut copy = |t: usize, nodes: &mut Vec<LogicNode>, writes: &mut Vec<Vec<usize>>| {
            let key = (t, on_path | bit[t]);
            *instance.entry(key).or_insert_with(|| {
                let mut twin = nodes[t].clone();
                twin.groups.clear();
                nodes.push(twin);
                writes.push(Vec::new());
                work.push((t, key.1, nodes.len() - 1));
                nodes.len() - 1
            })
        };
        let mut rewritten = Vec::with_capacity(groups.len());
        for group in groups {
            let mut of = Vec::with_capacity(group.of.len());
            for &t in &group.of {
                if scc_of[t] != scc_of[n] {
                    of.push(t);
                } else if on_path & bit[t] == 0 {
                    of.push(copy(t, nodes, writes));
                }
            }
            // A group whose every target is on the path is not waited on.
            if !of.is_empty() || group.of.is_empty() {
                of.sort_unstable();
                rewritten.push(Group {
                    of,
                    ..group.clone()
                });
            }
        }
        let mut write_targets = Vec::with_capacity(targets.len());
        for &t in targets {
            if scc_of[t] != scc_of[n] {
                write_targets.push(t);
            } else if on_path & bit[t] == 0 {
                write_targets.push(copy(t, nodes, writes));
            }
        }
        write_targets.sort_unstable();
        nodes[id].groups = rewritten;
        writes[id] = write_targets;
    }
    None
}

/// Leaves out every dependency inside a strongly connected group of the logic's
/// dependencies (a request cannot wait on itself; a group left with no target goes),
/// and gives the evaluation order: every node but `user` after its dependencies
/// (the SCCs' reverse topological order). O(V + E).
fn cut_cycles(nodes: &mut [LogicNode], writes: &mut [Vec<usize>], user: usize) -> Vec<usize> {
    let sccs = petgraph::algo::kosaraju_scc(&dependency_graph(nodes, writes));
    let mut scc_of = vec![0usize; nodes.len()];
    for (i, scc) in sccs.iter().enumerate() {
        for node in scc {
            scc_of[node.index()] = i;
        }
    }
    for (n, node) in nodes.iter_mut().enumerate() {
        let outside = |t: &usize| scc_of[*t] != scc_of[n];
        // A group that loses every target to the cycle goes (nothing is waited on).
        node.groups.retain_mut(|group| {
            let before = group.of.len();
            group.of.retain(outside);
            before == 0 || !group.of.is_empty()
        });
        writes[n].retain(outside);
    }
    sccs.into_iter()
        .flatten()
        .map(NodeIndex::index)
        .filter(|&n| n != user)
        .collect()
}

/// A set in [`Sets`]: an index, which is also its creation order.
type SetId = u32;

/// Persistent sets of servers: each set is its own elements plus the union of earlier
/// sets (its parts), so sets share structure instead of copying it. Set 0 is empty.
struct Sets {
    own: Vec<Box<[u32]>>,
    parts: Vec<Box<[SetId]>>,
}

impl Default for Sets {
    fn default() -> Self {
        Sets {
            own: vec![Box::default()],
            parts: vec![Box::default()],
        }
    }
}

impl Sets {
    const EMPTY: SetId = 0;

    fn is_empty(&self, set: SetId) -> bool {
        set == Self::EMPTY
    }

    /// `own` ∪ every part; a lone part with nothing of its own is that part.
    fn union(&mut self, mut own: Vec<u32>, parts: &[SetId]) -> SetId {
        let mut parts: Vec<SetId> = parts
            .iter()
            .copied()
            .filter(|&p| p != Self::EMPTY)
            .collect();
        parts.sort_unstable();
        parts.dedup();
        own.sort_unstable();
        own.dedup();
        match (own.is_empty(), parts.as_slice()) {
            (true, []) => Self::EMPTY,
            (true, [one]) => *one,
            _ => {
                self.own.push(own.into_boxed_slice());
                self.parts.push(parts.into_boxed_slice());
                SetId::try_from(self.own.len() - 1).expect("fewer sets than nodes and edges")
            }
        }
    }

    /// The intersection of several sets (of none: the empty set); stops once empty.
    fn intersect_all(&mut self, mut sets: impl Iterator<Item = SetId>) -> SetId {
        let Some(mut acc) = sets.next() else {
            return Self::EMPTY;
        };
        for set in sets {
            if acc == Self::EMPTY {
                break;
            }
            acc = self.intersect(acc, set);
        }
        acc
    }

    /// The elements found in at least `times` of the sets (none when fewer sets serve
    /// than that): what a quorum cannot do without. Counts elements, so it costs the
    /// sets' sizes; quorums are small.
    fn in_at_least(&mut self, sets: &[SetId], times: usize) -> SetId {
        if times == 0 || sets.len() < times {
            return Self::EMPTY;
        }
        let mut counts: std::collections::BTreeMap<u32, usize> = std::collections::BTreeMap::new();
        for &set in sets {
            for element in self.elements(set) {
                *counts.entry(element).or_default() += 1;
            }
        }
        let own = counts
            .into_iter()
            .filter(|&(_, n)| n >= times)
            .map(|(e, _)| e)
            .collect();
        self.union(own, &[])
    }

    /// A ∩ B. Walks both sets' parts from the newest down (a part is always older than
    /// the sets that hold it, so a set's sides are final when it is reached). A part
    /// reached from both sides is shared: it belongs to the intersection whole and is
    /// not opened; parts under a shared part are only covered. The walk stops as soon
    /// as nothing but shared or covered parts is left. Elements of the parts only one
    /// side reaches are compared: those both sides hold belong to the result too.
    fn intersect(&mut self, a: SetId, b: SetId) -> SetId {
        const A: u8 = 1;
        const B: u8 = 2;
        const BOTH: u8 = A | B;
        const COVERED: u8 = 4;
        if a == b || a == Self::EMPTY || b == Self::EMPTY {
            return if a == b { a } else { Self::EMPTY };
        }
        let mut side: std::collections::HashMap<SetId, u8> = std::collections::HashMap::new();
        let mut heap = std::collections::BinaryHeap::new();
        // How many parts in the heap are still reached from one side only.
        let mut open = 0usize;
        for (set, mark) in [(a, A), (b, B)] {
            side.insert(set, mark);
            heap.push(set);
            open += 1;
        }
        let mut shared = Vec::new();
        let mut only: [Vec<u32>; 2] = [Vec::new(), Vec::new()];
        while open > 0 {
            let Some(set) = heap.pop() else { break };
            let mark = side[&set];
            let inherited = if mark & COVERED != 0 {
                COVERED
            } else if mark == BOTH {
                shared.push(set);
                COVERED
            } else {
                open -= 1;
                only[usize::from(mark == B)].extend_from_slice(&self.own[set as usize]);
                mark
            };
            for &part in self.parts[set as usize].iter() {
                let entry = side.entry(part).or_insert(0);
                let before = *entry;
                let after = if inherited == COVERED || before & COVERED != 0 {
                    COVERED
                } else {
                    before | inherited
                };
                if before == 0 {
                    heap.push(part);
                }
                // Count the part as open while it is reached from one side only.
                let was_open = before == A || before == B;
                let is_open = after == A || after == B;
                match (was_open, is_open) {
                    (false, true) => open += 1,
                    (true, false) => open -= 1,
                    _ => {}
                }
                *entry = after;
            }
        }
        // Parts still waiting are shared or covered: the shared ones belong to the
        // result (one may lie under another; the union does not mind).
        shared.extend(heap.into_iter().filter(|set| side[set] == BOTH));
        let [mut from_a, mut from_b] = only;
        from_a.sort_unstable();
        from_a.dedup();
        from_b.sort_unstable();
        let common: Vec<u32> = from_a
            .into_iter()
            .filter(|x| from_b.binary_search(x).is_ok())
            .collect();
        self.union(common, &shared)
    }

    /// Every element of a set, sorted.
    fn elements(&self, set: SetId) -> Vec<u32> {
        let mut seen = vec![false; self.own.len()];
        let mut stack = vec![set];
        let mut out = Vec::new();
        while let Some(set) = stack.pop() {
            if std::mem::replace(&mut seen[set as usize], true) {
                continue;
            }
            out.extend_from_slice(&self.own[set as usize]);
            stack.extend_from_slice(&self.parts[set as usize]);
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}
