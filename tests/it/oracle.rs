//! An oracle for the failure analysis that cannot agree with it by construction: it
//! evaluates the definition of docs/design-format.md ("When a request completes") by
//! brute force, from the resolved model alone, sharing no code with `src/graph` or
//! `src/analysis`, on designs a seeded generator writes with every key the definition
//! has so far (services, quorums, voters, write quorums, failover with and without a
//! coordinator and a lease, standby members, outside members, workers, request classes
//! and clients, zones, outside services, optional flows, cycles). Each accepted
//! design's every state of its basic events is evaluated, and every outcome's
//! `availability` (1e-9 relative), `cuts` (every minimal set of servers), `simulate`
//! (one random failure set) and, where SCRAM is installed, the MEF export's
//! probabilities must agree.

use crate::common;
use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;
use std::process::Command;

use infralint::analysis::{self, Model};
use infralint::graph::{Aim, Graph};
use infralint::model::{
    ClusterId, ComponentId, ComponentKind, Coordinator, Design, EndpointTarget, ExternalKind,
    Member, Role, ServerId, Via,
};
use infralint::source::SourceFile;
use infralint::{CheckOptions, check_source};

/// How many designs are generated, and how many must be accepted (valid) and compared.
const DESIGNS: u64 = 600;
const AT_LEAST: usize = 500;

// ---------------------------------------------------------------------------------------
// The generator.

/// Databases twice: writes to two services that each lead to a primary are what tell
/// "every service written to" from "any".
const KINDS: [&str; 10] = [
    "load_balancer",
    "web_server",
    "app_server",
    "database",
    "database",
    "cache",
    "proxy",
    "coordination",
    "worker",
    "other",
];

/// A design as YAML text, from a seed.
fn generate(seed: u64) -> String {
    let mut rng = fastrand::Rng::with_seed(seed);
    let n = rng.usize(3..=7);
    let mut out = String::from("name: generated\n");
    let zones = rng.usize(0..=2);
    if zones > 0 {
        out.push_str("zones:\n");
        for z in 0..zones {
            let _ = writeln!(out, "  z{z}: {{ availability: {} }}", 95 + rng.usize(0..5));
        }
    }
    let external = rng.bool();
    let external_kind = if rng.bool() { "database" } else { "other" };
    if external {
        let _ = writeln!(
            out,
            "external:\n  ext: {{ kind: {external_kind}, availability: {} }}",
            90 + rng.usize(0..10)
        );
    }
    // Now and then two outside databases that fail over as one cluster.
    let outside_pair = rng.usize(0..4) == 0;
    if outside_pair {
        if !external {
            out.push_str("external:\n");
        }
        let role = if rng.bool() { "replica" } else { "standby" };
        let _ = writeln!(
            out,
            "  xw: {{ kind: database, availability: {} }}\n  xr: {{ kind: database, role: {role}, availability: {} }}",
            90 + rng.usize(0..10),
            90 + rng.usize(0..10)
        );
    }
    // Kinds first, so that clusters can pick alike members.
    let kinds: Vec<&str> = (0..n).map(|_| KINDS[rng.usize(0..KINDS.len())]).collect();
    let services: Vec<Option<&str>> = (0..n)
        .map(
            |i| match rng.usize(0..if kinds[i] == "database" { 3 } else { 6 }) {
                0 => Some("svc-a"),
                1 => Some("svc-b"),
                _ => None,
            },
        )
        .collect();
    // Failover: two or three servers of one kind, the first the primary.
    let mut roles: Vec<Option<&str>> = vec![None; n];
    let mut promotable_false = vec![false; n];
    let mut clusters = Vec::new();
    for kind in ["database", "cache", "coordination"] {
        let same: Vec<usize> = (0..n).filter(|&i| kinds[i] == kind).collect();
        if same.len() < 2 || rng.usize(0..4) == 0 {
            continue;
        }
        let members: Vec<usize> = same.into_iter().take(3).collect();
        roles[members[0]] = Some("primary");
        for &m in &members[1..] {
            roles[m] = Some(if rng.usize(0..3) == 0 {
                "standby"
            } else {
                "replica"
            });
            promotable_false[m] = rng.usize(0..5) == 0;
        }
        let coordinator = match rng.usize(0..4) {
            0 => String::new(),
            1 => ", coordinator: quorum-0".to_string(),
            2 => ", coordinator: svc-a".to_string(),
            _ if external => ", coordinator: ext".to_string(),
            _ => String::new(),
        };
        let lease = if !coordinator.is_empty() && rng.bool() {
            ", leader_lease: true"
        } else {
            ""
        };
        let names: Vec<String> = members.iter().map(|m| format!("s{m}")).collect();
        clusters.push(format!(
            "  - {{ name: fo-{kind}, members: [{}], failover: automatic{coordinator}{lease} }}",
            names.join(", ")
        ));
    }
    if outside_pair {
        let coordinator = match rng.usize(0..3) {
            0 => ", coordinator: quorum-0",
            1 if external => ", coordinator: ext",
            _ => "",
        };
        let lease = if !coordinator.is_empty() && rng.bool() {
            ", leader_lease: true"
        } else {
            ""
        };
        clusters.push(format!(
            "  - {{ name: fo-outside, members: [xw, xr], failover: automatic{coordinator}{lease} }}"
        ));
    }
    // Databases outside failover clusters get a role now and then.
    for i in 0..n {
        if kinds[i] == "database" && roles[i].is_none() {
            roles[i] = match rng.usize(0..4) {
                0 => Some("replica"),
                1 => Some("standby"),
                _ => None,
            };
        }
    }
    // Quorum clusters: always one named quorum-0 (a coordinator may name it).
    for q in 0..rng.usize(1..=2) {
        let size = rng.usize(2..=n.min(4));
        let mut members: Vec<usize> = (0..n).collect();
        rng.shuffle(&mut members);
        members.truncate(size);
        members.sort_unstable();
        let mut voters = members.clone();
        let extra = if rng.bool() {
            let other: Vec<usize> = (0..n).filter(|i| !members.contains(i)).collect();
            other.first().copied()
        } else {
            None
        };
        let mut keys = String::new();
        if let Some(v) = extra {
            voters.push(v);
            let names: Vec<String> = voters.iter().map(|m| format!("s{m}")).collect();
            let _ = write!(keys, ", voters: [{}]", names.join(", "));
        }
        let quorum = if rng.bool() {
            "majority".to_string()
        } else {
            rng.usize(1..=voters.len()).to_string()
        };
        let _ = write!(keys, ", quorum: {quorum}");
        if rng.bool() {
            let _ = write!(keys, ", write_quorum: {}", rng.usize(1..=voters.len()));
        }
        let names: Vec<String> = members.iter().map(|m| format!("s{m}")).collect();
        clusters.push(format!(
            "  - {{ name: quorum-{q}, members: [{}]{keys} }}",
            names.join(", ")
        ));
    }
    out.push_str("servers:\n");
    for i in 0..n {
        let zone = if zones > 0 && rng.bool() {
            format!(", zone: z{}", rng.usize(0..zones))
        } else if rng.usize(0..5) == 0 {
            // A zone only servers name.
            ", zone: rack".to_string()
        } else {
            String::new()
        };
        let mut component = format!("kind: {}", kinds[i]);
        if let Some(service) = services[i] {
            let _ = write!(component, ", service: {service}");
        }
        if let Some(role) = roles[i] {
            let _ = write!(component, ", role: {role}");
        }
        if promotable_false[i] {
            component.push_str(", promotable: false");
        }
        let _ = writeln!(
            out,
            "  s{i}: {{ availability: {}{zone}, components: [{{ {component} }}] }}",
            90 + rng.usize(0..10)
        );
    }
    // Now and then, three more databases that one server writes to as two services.
    let two_services = (n <= 5 && rng.usize(0..3) == 0).then(|| rng.usize(0..n));
    if two_services.is_some() {
        out.push_str(
            "  wa: { availability: 97, components: [{ kind: database, service: svc-w }] }\n",
        );
        out.push_str("  wb: { availability: 96, components: [{ kind: database }] }\n");
        out.push_str(
            "  wr: { availability: 95, components: [{ kind: database, role: replica }] }\n",
        );
    }
    out.push_str("clusters:\n");
    for c in &clusters {
        out.push_str(c);
        out.push('\n');
    }
    let cluster_names: Vec<String> = clusters
        .iter()
        .map(|c| {
            c.split("name: ")
                .nth(1)
                .unwrap()
                .split(',')
                .next()
                .unwrap()
                .to_string()
        })
        .collect();
    let target = |rng: &mut fastrand::Rng| -> String {
        if rng.usize(0..4) == 0 {
            cluster_names[rng.usize(0..cluster_names.len())].clone()
        } else if external && rng.usize(0..6) == 0 {
            "ext".to_string()
        } else {
            format!("s{}", rng.usize(0..n))
        }
    };
    // Request classes: `ssh` from the user now and then, a private client `ops` (its
    // own class), and the worker services' jobs; inner flows name some of them.
    let ssh = rng.usize(0..3) == 0;
    let client = rng.usize(0..3) == 0;
    let mut classes: Vec<String> = Vec::new();
    if ssh {
        classes.push("ssh".into());
    }
    if client {
        classes.push("ops".into());
        out.push_str("clients:\n  ops: { network: private }\n");
    }
    for i in 0..n {
        if kinds[i] == "worker" {
            classes.push(services[i].unwrap_or("worker").to_string());
        }
    }
    let label = |rng: &mut fastrand::Rng| -> String {
        if classes.is_empty() || rng.usize(0..4) != 0 {
            return String::new();
        }
        let first = classes[rng.usize(0..classes.len())].clone();
        if rng.usize(0..3) == 0 {
            let second = classes[rng.usize(0..classes.len())].clone();
            format!(", request: [{first}, {second}]")
        } else {
            format!(", request: {first}")
        }
    };
    out.push_str("flows:\n");
    for _ in 0..rng.usize(1..=2) {
        let to = target(&mut rng);
        let access = ["read", "write", "read-write"][rng.usize(0..3)];
        let _ = writeln!(
            out,
            "  - {{ from: user, to: {to}, protocol: https, access: {access} }}"
        );
    }
    if ssh {
        let to = target(&mut rng);
        let _ = writeln!(
            out,
            "  - {{ from: user, to: {to}, protocol: ssh, request: ssh }}"
        );
    }
    if client {
        let to = target(&mut rng);
        let access = ["read", "write", "read-write"][rng.usize(0..3)];
        let _ = writeln!(
            out,
            "  - {{ from: ops, to: {to}, protocol: https, access: {access} }}"
        );
    }
    for i in 0..n {
        for _ in 0..rng.usize(0..=3) {
            let to = target(&mut rng);
            let access = ["read", "write", "read-write"][rng.usize(0..3)];
            let optional = if rng.usize(0..5) == 0 {
                ", optional: true"
            } else {
                ""
            };
            let request = label(&mut rng);
            let _ = writeln!(
                out,
                "  - {{ from: s{i}, to: {to}, protocol: tcp, access: {access}{optional}{request} }}"
            );
        }
    }
    if external && rng.bool() {
        let _ = writeln!(
            out,
            "  - {{ from: ext, to: s{}, protocol: tcp }}",
            rng.usize(0..n)
        );
    }
    if let Some(source) = two_services {
        // Writes to two services: one a primary alone, the other a primary beside a
        // replica that reads reach, so that it serves when its primary cannot write.
        let _ = writeln!(
            out,
            "  - {{ from: s{source}, to: [wa, wb], protocol: tcp }}\n  - {{ from: s{source}, to: wr, protocol: tcp, access: read }}"
        );
    }
    out
}

// ---------------------------------------------------------------------------------------
// The oracle: the definition, evaluated directly.

/// What the definition speaks of: components, outside services, and a failover
/// cluster's endpoint, its promotion of a member and its primary's lease.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Thing {
    Component(ComponentId),
    External(usize),
    Endpoint(ClusterId),
    Promotion(ClusterId),
    Lease(ClusterId),
}

/// A dependency: its service (or the failover part's name), its target, and the
/// `request:` classes of its flow (empty: every class).
type Dep = (String, usize, Vec<String>);

/// An outcome: what it counts ("requests", "writes", "jobs"), its class (`None`: the
/// default), and the things one of which must serve (take the write).
type Aimed = (&'static str, Option<String>, Vec<usize>);

struct Oracle<'d> {
    design: &'d Design,
    things: Vec<Thing>,
    /// Per thing: its required dependencies.
    deps: Vec<Vec<Dep>>,
    /// Per thing: its write-capable required dependencies.
    writes: Vec<Vec<Dep>>,
    /// Per thing: it takes writes itself.
    takes: Vec<bool>,
    /// Per thing: with no group, it serves by itself.
    alone: Vec<bool>,
    /// The outcomes in the documented order: per class (the default first, then by
    /// name) its requests and writes, then per worker service (by name) its jobs.
    outcomes: Vec<Aimed>,
    /// True when the design has a cycle of dependencies.
    cut: bool,
    /// Events: servers, then zones with an availability (by name), then outside services
    /// with one.
    zone_event: HashMap<String, usize>,
    external_event: HashMap<usize, usize>,
    probabilities: Vec<f64>,
}

/// Warshall's algorithm: `reach[i][j]` becomes true when j can be reached from i.
#[allow(clippy::needless_range_loop)]
fn transitive_closure(reach: &mut [Vec<bool>]) {
    let count = reach.len();
    for k in 0..count {
        for i in 0..count {
            if reach[i][k] {
                for j in 0..count {
                    if reach[k][j] {
                        reach[i][j] = true;
                    }
                }
            }
        }
    }
}

/// What is known of a thing along a path: (thing, path, for writes) -> answer, per class.
type Memo = HashMap<(usize, u64, bool), bool>;

/// A dependency counts for a class when its flow names no class or names that one.
fn applies(dep: &Dep, class: &Option<String>) -> bool {
    dep.2.is_empty() || class.as_ref().is_some_and(|c| dep.2.contains(c))
}

/// The state of every basic event: true when it occurred (failed).
type State = Vec<bool>;

impl<'d> Oracle<'d> {
    fn new(design: &'d Design) -> Oracle<'d> {
        let mut things: Vec<Thing> = design
            .components
            .iter()
            .map(|c| Thing::Component(c.id))
            .collect();
        things.extend((0..design.externals.len()).map(Thing::External));
        for cluster in &design.clusters {
            if let Some(spec) = &cluster.failover {
                things.push(Thing::Endpoint(cluster.id));
                if !spec.promotable.is_empty() {
                    things.push(Thing::Promotion(cluster.id));
                }
                if spec.leader_lease && spec.coordinator.is_some() {
                    things.push(Thing::Lease(cluster.id));
                }
            }
        }
        let index: HashMap<Thing, usize> =
            things.iter().enumerate().map(|(i, t)| (*t, i)).collect();
        let count = things.len();
        let has = |kind| design.components.iter().any(|c| c.kind == kind);
        let (database, app) = (has(ComponentKind::Database), has(ComponentKind::AppServer));
        let kind_word = |t: &Thing| -> String {
            match *t {
                Thing::Component(c) => {
                    let c = design.component(c);
                    c.service
                        .as_ref()
                        .map_or(c.kind.as_str().to_string(), |s| s.value.clone())
                }
                Thing::External(e) => {
                    let e = &design.externals[e];
                    e.service
                        .as_ref()
                        .map_or(e.kind.as_str().to_string(), |s| s.value.clone())
                }
                Thing::Endpoint(c) | Thing::Promotion(c) | Thing::Lease(c) => {
                    let primary = design.clusters[c.index()]
                        .failover
                        .as_ref()
                        .unwrap()
                        .primary;
                    let (service, kind) = match primary {
                        Member::Component(p) => {
                            let p = design.component(p);
                            (&p.service, p.kind.as_str())
                        }
                        Member::External(e) => {
                            let e = &design.externals[e.index()];
                            (&e.service, e.kind.as_str())
                        }
                    };
                    service
                        .as_ref()
                        .map_or(kind.to_string(), |s| s.value.clone())
                }
            }
        };
        let thing_of = |member: Member| match member {
            Member::Component(c) => Thing::Component(c),
            Member::External(e) => Thing::External(e.index()),
        };
        // Where a flow pair goes: a failover cluster's member reached through the
        // cluster goes to its endpoint.
        let goes = |via: &EndpointTarget, to: Thing| -> Thing {
            if let EndpointTarget::Components {
                via: Via::Cluster(c),
                ..
            } = via
            {
                let cluster = &design.clusters[c.index()];
                let member = match to {
                    Thing::Component(m) => design.cluster_components(cluster).contains(&m),
                    Thing::External(e) => cluster.external_members.iter().any(|x| x.index() == e),
                    _ => false,
                };
                if cluster.failover.is_some() && member {
                    return Thing::Endpoint(*c);
                }
            }
            to
        };
        let ends = |target: &EndpointTarget| -> Vec<Thing> {
            match target {
                EndpointTarget::Components { components, via } => {
                    // A cluster's outside members are reached with its components.
                    let outside: Vec<Thing> = match via {
                        Via::Cluster(c) => design.clusters[c.index()]
                            .external_members
                            .iter()
                            .map(|e| Thing::External(e.index()))
                            .collect(),
                        _ => Vec::new(),
                    };
                    let mut things: Vec<Thing> = components
                        .iter()
                        .map(|&c| goes(target, Thing::Component(c)))
                        .chain(outside.into_iter().map(|t| goes(target, t)))
                        .collect();
                    things.dedup();
                    things
                }
                EndpointTarget::External(e) => vec![Thing::External(e.index())],
                EndpointTarget::User | EndpointTarget::Client(_) => Vec::new(),
            }
        };
        // Raw dependencies, each with its flow's classes.
        let mut raw: Vec<Vec<Dep>> = vec![Vec::new(); count];
        let mut writes: Vec<Vec<Dep>> = vec![Vec::new(); count];
        // Flows that start a class: (class, target, write-capable).
        let mut starts: Vec<(Option<String>, usize, bool)> = Vec::new();
        for flow in &design.flows {
            if flow.purpose.is_some() || flow.optional {
                continue;
            }
            let labels: Vec<String> = flow.request.iter().map(|r| r.value.clone()).collect();
            let to = ends(&flow.to.target);
            let from: Vec<Thing> = match &flow.from.target {
                EndpointTarget::User | EndpointTarget::Client(_) => {
                    // Its `request:` classes, else the default (the user's) or the
                    // client's own class.
                    let classes: Vec<Option<String>> = match (&flow.from.target, labels.is_empty())
                    {
                        (_, false) => labels.iter().cloned().map(Some).collect(),
                        (EndpointTarget::Client(c), true) => {
                            vec![Some(design.clients[c.index()].name.value.clone())]
                        }
                        _ => vec![None],
                    };
                    for class in classes {
                        for t in &to {
                            starts.push((class.clone(), index[t], flow.access.allows_write()));
                        }
                    }
                    continue;
                }
                EndpointTarget::Components { components, .. } => {
                    components.iter().map(|&c| Thing::Component(c)).collect()
                }
                EndpointTarget::External(e) => vec![Thing::External(e.index())],
            };
            for f in &from {
                for t in &to {
                    let (fi, ti) = (index[f], index[t]);
                    raw[fi].push((kind_word(t), ti, labels.clone()));
                    if flow.access.allows_write() {
                        writes[fi].push((kind_word(t), ti, labels.clone()));
                    }
                }
            }
        }
        // A coordinator that is a service or an outside service is a group of things; a
        // cluster coordinator is counted by its voters (`Oracle::coordinator_cluster`).
        let coordinator_group = |coordinator: &Option<Coordinator>| -> Vec<Dep> {
            let of: Vec<usize> = match coordinator {
                Some(Coordinator::Service(list)) => {
                    list.iter().map(|m| index[&Thing::Component(*m)]).collect()
                }
                Some(Coordinator::External(e)) => vec![index[&Thing::External(e.index())]],
                _ => return Vec::new(),
            };
            of.into_iter()
                .map(|t| ("coordinator".to_string(), t, Vec::new()))
                .collect()
        };
        let part = |name: &str, of: Vec<usize>| -> Vec<Dep> {
            of.into_iter()
                .map(|t| (name.to_string(), t, Vec::new()))
                .collect()
        };
        // The failover things' own groups.
        let mut alone = vec![false; count];
        let mut takes = vec![false; count];
        for (i, thing) in things.iter().enumerate() {
            match *thing {
                Thing::Component(c) => {
                    let c = design.component(c);
                    alone[i] = match c.kind {
                        ComponentKind::LoadBalancer | ComponentKind::Proxy => false,
                        ComponentKind::WebServer => !database && !app,
                        ComponentKind::AppServer => !database,
                        _ => true,
                    };
                    takes[i] = c.role == Some(Role::Primary)
                        && matches!(
                            c.kind,
                            ComponentKind::Database | ComponentKind::Coordination
                        );
                }
                Thing::External(e) => {
                    let e = &design.externals[e];
                    alone[i] = !matches!(e.kind, ExternalKind::LoadBalancer | ExternalKind::Proxy);
                    takes[i] = e.role == Some(Role::Primary);
                }
                Thing::Endpoint(c) => {
                    let spec = design.clusters[c.index()].failover.as_ref().unwrap();
                    let primary = index[&thing_of(spec.primary)];
                    let mut either = vec![primary];
                    if let Some(&p) = index.get(&Thing::Promotion(c)) {
                        either.push(p);
                    }
                    raw[i].extend(part("either", either.clone()));
                    let path = index.get(&Thing::Lease(c)).copied().unwrap_or(primary);
                    writes[i] = part(
                        "either",
                        either
                            .into_iter()
                            .map(|t| if t == primary { path } else { t })
                            .collect(),
                    );
                }
                Thing::Promotion(c) => {
                    let spec = design.clusters[c.index()].failover.as_ref().unwrap();
                    let promotable = spec
                        .promotable
                        .iter()
                        .map(|m| index[&thing_of(*m)])
                        .collect();
                    raw[i].extend(part("promotable", promotable));
                    raw[i].extend(coordinator_group(&spec.coordinator));
                    // A promoted member takes writes where the primary does.
                    takes[i] = match spec.primary {
                        Member::Component(p) => {
                            design.component(p).role == Some(Role::Primary)
                                && matches!(
                                    design.component(p).kind,
                                    ComponentKind::Database | ComponentKind::Coordination
                                )
                        }
                        Member::External(e) => {
                            design.externals[e.index()].role == Some(Role::Primary)
                        }
                    };
                }
                Thing::Lease(c) => {
                    let spec = design.clusters[c.index()].failover.as_ref().unwrap();
                    let primary = index[&thing_of(spec.primary)];
                    raw[i].extend(part("primary", vec![primary]));
                    raw[i].extend(coordinator_group(&spec.coordinator));
                    writes[i] = part("primary", vec![primary]);
                }
            }
        }
        // Cycles are decided on the path (`serves`): here only whether there are any.
        let mut reach = vec![vec![false; count]; count];
        for i in 0..count {
            for &(_, t, _) in raw[i].iter().chain(&writes[i]) {
                reach[i][t] = true;
            }
        }
        transitive_closure(&mut reach);
        let cut = (0..count).any(|i| reach[i][i]);
        // The classes: the default when the user starts one (or nothing starts any),
        // then the named ones by name; each with its requests and, where the design
        // takes writes and the class writes (the default always), its writes.
        let takes_writes = takes.iter().any(|&t| t);
        let mut classes: Vec<Option<String>> = starts.iter().map(|s| s.0.clone()).collect();
        classes.sort();
        classes.dedup();
        if classes.is_empty() {
            classes.push(None);
        }
        let mut outcomes: Vec<Aimed> = Vec::new();
        for class in classes {
            // A target counts unless it is an outside service the class reaches with
            // no onward flow of its own.
            let counts = |t: usize| {
                !matches!(things[t], Thing::External(_))
                    || raw[t].iter().any(|d| applies(d, &class))
            };
            let mut targets = Vec::new();
            let mut write_targets = Vec::new();
            for (c, t, w) in &starts {
                if *c == class && counts(*t) {
                    targets.push(*t);
                    if *w {
                        write_targets.push(*t);
                    }
                }
            }
            let writing = takes_writes && (class.is_none() || !write_targets.is_empty());
            outcomes.push(("requests", class.clone(), targets));
            if writing {
                outcomes.push(("writes", class, write_targets));
            }
        }
        let mut workers: Vec<(String, usize)> = things
            .iter()
            .enumerate()
            .filter_map(|(i, t)| match t {
                Thing::Component(c) if design.component(*c).kind == ComponentKind::Worker => {
                    Some((kind_word(t), i))
                }
                _ => None,
            })
            .collect();
        workers.sort();
        for run in workers.chunk_by(|a, b| a.0 == b.0) {
            outcomes.push((
                "jobs",
                Some(run[0].0.clone()),
                run.iter().map(|w| w.1).collect(),
            ));
        }
        // Events.
        let mut probabilities: Vec<f64> = design
            .servers
            .iter()
            .map(|s| 1.0 - s.availability.as_ref().map_or(99.9, |a| a.value) / 100.0)
            .collect();
        let mut zone_event = HashMap::new();
        for zone in &design.zones {
            if let Some(a) = &zone.availability {
                zone_event.insert(zone.name.value.clone(), probabilities.len());
                probabilities.push(1.0 - a.value / 100.0);
            }
        }
        let mut external_event = HashMap::new();
        for (e, external) in design.externals.iter().enumerate() {
            if let Some(a) = external.availability {
                external_event.insert(e, probabilities.len());
                probabilities.push(1.0 - a / 100.0);
            }
        }
        Oracle {
            design,
            things,
            deps: raw,
            writes,
            takes,
            alone,
            outcomes,
            cut,
            zone_event,
            external_event,
            probabilities,
        }
    }

    /// A server is up when neither it nor its zone failed.
    fn server_up(&self, state: &State, server: ServerId) -> bool {
        let s = self.design.server(server);
        !state[server.index()]
            && !s
                .zone
                .as_ref()
                .and_then(|z| self.zone_event.get(&*z.value))
                .is_some_and(|&e| state[e])
    }

    /// A cluster's count of voters up reaches `need`.
    fn quorum(&self, state: &State, cluster: ClusterId, need: usize) -> bool {
        let c = &self.design.clusters[cluster.index()];
        c.voters
            .iter()
            .filter(|&&v| self.server_up(state, v))
            .count()
            >= need
    }

    /// The coordinator of a failover cluster serves (a cluster: by its quorum of
    /// voters, or one member up; service and outside coordinators are groups).
    fn coordinator_cluster(&self, state: &State, cluster: ClusterId) -> bool {
        let spec = self.design.clusters[cluster.index()]
            .failover
            .as_ref()
            .unwrap();
        match &spec.coordinator {
            Some(Coordinator::Cluster(id)) => {
                let c = &self.design.clusters[id.index()];
                match &c.quorum {
                    Some(q) => self.quorum(state, *id, q.value.of(c.voters.len())),
                    None => c.members.iter().any(|&m| self.server_up(state, m)),
                }
            }
            _ => true,
        }
    }

    /// Whether `i`, reached along `path` (a set of things, `i` in it), serves: its own
    /// events and quorums, and for each group the targets off the path: none left, the
    /// group is not waited on; else one of them serves when reached along the path and
    /// it. With no group left, it serves by itself when it answers alone.
    fn serves(
        &self,
        state: &State,
        class: &Option<String>,
        i: usize,
        path: u64,
        memo: &mut Memo,
    ) -> bool {
        if let Some(&known) = memo.get(&(i, path, false)) {
            return known;
        }
        let own = match self.things[i] {
            Thing::Component(c) => {
                let component = self.design.component(c);
                self.server_up(state, component.server)
                    && self.design.clusters.iter().all(|cl| {
                        !self.design.cluster_components(cl).contains(&c)
                            || cl.quorum.as_ref().is_none_or(|q| {
                                self.quorum(state, cl.id, q.value.of(cl.voters.len()))
                            })
                    })
            }
            Thing::External(e) => !self.external_event.get(&e).is_some_and(|&ev| state[ev]),
            Thing::Promotion(c) | Thing::Lease(c) => self.coordinator_cluster(state, c),
            Thing::Endpoint(_) => true,
        };
        let result = own && {
            // Its groups for the class: dependencies that apply, by service.
            let mut groups: Vec<(&str, Vec<usize>)> = Vec::new();
            for dep in self.deps[i].iter().filter(|d| applies(d, class)) {
                match groups.iter_mut().find(|(s, _)| *s == dep.0) {
                    Some((_, list)) => list.push(dep.1),
                    None => groups.push((&dep.0, vec![dep.1])),
                }
            }
            let waited: Vec<Vec<usize>> = groups
                .iter()
                .map(|(_, g)| g)
                .filter_map(|g| {
                    let off: Vec<usize> = g
                        .iter()
                        .copied()
                        .filter(|&t| path & (1 << t) == 0)
                        .collect();
                    (!off.is_empty() || g.is_empty()).then_some(off)
                })
                .collect();
            // A cluster that coordinates a promotion or a lease is one more group of
            // it (its voters' count), never on a path.
            let by_cluster = match self.things[i] {
                Thing::Promotion(c) | Thing::Lease(c) => matches!(
                    self.design.clusters[c.index()]
                        .failover
                        .as_ref()
                        .unwrap()
                        .coordinator,
                    Some(Coordinator::Cluster(_))
                ),
                _ => false,
            };
            if waited.is_empty() && !by_cluster {
                self.alone[i]
            } else {
                waited.iter().all(|g| {
                    g.iter()
                        .any(|&t| self.serves(state, class, t, path | 1 << t, memo))
                })
            }
        };
        memo.insert((i, path, false), result);
        result
    }

    /// Whether a write targets `i` along `path` leads to something that takes writes.
    fn leads(&self, class: &Option<String>, i: usize, path: u64) -> bool {
        self.takes[i]
            || self.writes[i].iter().any(|d| {
                applies(d, class)
                    && path & (1 << d.1) == 0
                    && self.leads(class, d.1, path | 1 << d.1)
            })
    }

    /// Whether a write through `i` along `path` gets through: it serves, its write
    /// quorums hold, and it takes writes, or every service it writes to that leads to
    /// a taker has a target off the path that takes the write.
    fn writes_at(
        &self,
        state: &State,
        class: &Option<String>,
        i: usize,
        path: u64,
        memo: &mut Memo,
    ) -> bool {
        if let Some(&known) = memo.get(&(i, path, true)) {
            return known;
        }
        let write_quorums = match self.things[i] {
            Thing::Component(c) => self.design.clusters.iter().all(|cl| {
                !self.design.cluster_components(cl).contains(&c)
                    || cl
                        .write_quorum
                        .as_ref()
                        .is_none_or(|q| self.quorum(state, cl.id, q.value.of(cl.voters.len())))
            }),
            _ => true,
        };
        let result = self.serves(state, class, i, path, memo)
            && write_quorums
            && (self.takes[i] || {
                let mut services: Vec<(&str, Vec<usize>)> = Vec::new();
                for (service, t, _) in self.writes[i].iter().filter(|d| applies(d, class)) {
                    if path & (1 << t) != 0 || !self.leads(class, *t, path | 1 << t) {
                        continue;
                    }
                    match services.iter_mut().find(|(s, _)| s == service) {
                        Some((_, list)) => list.push(*t),
                        None => services.push((service, vec![*t])),
                    }
                }
                !services.is_empty()
                    && services.iter().all(|(_, list)| {
                        list.iter()
                            .any(|&t| self.writes_at(state, class, t, path | 1 << t, memo))
                    })
            });
        memo.insert((i, path, true), result);
        result
    }

    /// Whether each outcome holds, in the documented order.
    fn outcome(&self, state: &State) -> Vec<bool> {
        self.outcomes
            .iter()
            .map(|(aim, class, targets)| {
                // One memo per class: what serves depends on the class.
                let mut memo = Memo::new();
                targets.iter().any(|&t| {
                    if *aim == "writes" {
                        self.writes_at(state, class, t, 1 << t, &mut memo)
                    } else {
                        self.serves(state, class, t, 1 << t, &mut memo)
                    }
                })
            })
            .collect()
    }
}

// ---------------------------------------------------------------------------------------
// The comparison.

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1e-300) + 1e-15
}

fn scram_installed() -> bool {
    Command::new("scram")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// SCRAM's probability of each top event.
fn scram(xml: &str, dir: &std::path::Path) -> HashMap<String, f64> {
    let path = dir.join("oracle.xml");
    std::fs::write(&path, xml).unwrap();
    let output = Command::new("scram")
        .args(["--bdd", "--probability", "1"])
        .arg(&path)
        .output()
        .expect("scram runs");
    assert!(
        output.status.success(),
        "scram refused the export: {}\n{xml}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8_lossy(&output.stdout);
    let document = roxmltree::Document::parse(&text).expect("scram's report is XML");
    document
        .descendants()
        .filter(|n| n.has_tag_name("sum-of-products"))
        .map(|n| {
            (
                n.attribute("name").unwrap().to_string(),
                n.attribute("probability")
                    .map_or(0.0, |p| p.parse().unwrap()),
            )
        })
        .collect()
}

#[test]
fn the_analysis_agrees_with_the_definition_by_brute_force() {
    let scram_here = scram_installed();
    if !scram_here {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI=true and no scram: .ci/run installs Debian's `scram`"
        );
        eprintln!("SKIPPED (the SCRAM part only): no scram on this machine");
    }
    let dir = tempfile::tempdir().unwrap();
    let options = CheckOptions {
        today: common::TODAY.parse().unwrap(),
        ..CheckOptions::default()
    };
    let (mut compared, mut failover, mut quorum, mut cyclic) = (0, 0, 0, 0);
    let (mut classes, mut jobs, mut outside) = (0, 0, 0);
    for seed in 0..DESIGNS {
        let text = generate(seed);
        let report = check_source(SourceFile::new("generated.yaml", text.as_str()), &options);
        let Some(design) = report.design.as_ref() else {
            continue;
        };
        let place = format!("seed {seed}:\n{text}");
        let oracle = Oracle::new(design);
        let graph = Graph::build(design);
        let model = Model::new(&graph);
        assert_eq!(
            model.unavailability.len(),
            oracle.probabilities.len(),
            "{place}: the events"
        );
        let events = oracle.probabilities.len();
        let servers = design.servers.len();
        // Every state of the events: each outcome's availability, and the sets of
        // servers that stop it.
        let outcomes = oracle.outcomes.len();
        let mut available = vec![0.0; outcomes];
        let mut failing: Vec<Vec<Vec<u32>>> = vec![Vec::new(); outcomes];
        let all_up = oracle.outcome(&vec![false; events]);
        for mask in 0u32..(1 << events) {
            let state: State = (0..events).map(|e| mask & (1 << e) != 0).collect();
            let p: f64 = (0..events)
                .map(|e| {
                    if state[e] {
                        oracle.probabilities[e]
                    } else {
                        1.0 - oracle.probabilities[e]
                    }
                })
                .product();
            let holds = oracle.outcome(&state);
            for (o, &h) in holds.iter().enumerate() {
                available[o] += if h { p } else { 0.0 };
                // Cut sets are of servers alone.
                if !h && mask >> servers == 0 {
                    failing[o].push(
                        (0..servers as u32)
                            .filter(|s| mask & (1 << s) != 0)
                            .collect(),
                    );
                }
            }
        }
        // The outcomes themselves: the same, in the same order.
        let theirs: Vec<(&str, Option<String>)> = graph
            .outcomes()
            .iter()
            .map(|o| {
                let aim = match o.aim {
                    Aim::Requests => "requests",
                    Aim::Writes => "writes",
                    Aim::Jobs => "jobs",
                };
                (aim, o.class.clone())
            })
            .collect();
        let expected: Vec<(&str, Option<String>)> = oracle
            .outcomes
            .iter()
            .map(|(aim, class, _)| (*aim, class.clone()))
            .collect();
        assert_eq!(theirs, expected, "{place}: the outcomes");
        let found = analysis::availability::availability(&model);
        for (o, measured) in found.outcomes.iter().enumerate() {
            assert!(
                close(measured.estimate.availability, available[o]),
                "{place}: {:?} {} against the oracle's {}",
                expected[o],
                measured.estimate.availability,
                available[o]
            );
        }
        // Minimal cut sets, when the outcome completes with every server up.
        let minimal = |family: Vec<Vec<u32>>| -> BTreeSet<Vec<u32>> {
            let sets: Vec<Vec<u32>> = family.clone();
            family
                .into_iter()
                .filter(|s| {
                    !sets
                        .iter()
                        .any(|o| o.len() < s.len() && o.iter().all(|x| s.contains(x)))
                })
                .collect()
        };
        let cuts = analysis::cuts::cuts(&model, servers);
        let ours = |sets: &[Vec<ServerId>]| -> BTreeSet<Vec<u32>> {
            sets.iter()
                .map(|s| {
                    let mut ids: Vec<u32> = s.iter().map(|x| x.0).collect();
                    ids.sort_unstable();
                    ids
                })
                .collect()
        };
        for (o, cut) in cuts.outcomes.iter().enumerate() {
            assert_eq!(
                cut.complete, all_up[o],
                "{place}: {:?} complete",
                expected[o]
            );
            if all_up[o] {
                assert_eq!(
                    ours(&cut.sets),
                    minimal(std::mem::take(&mut failing[o])),
                    "{place}: {:?} cuts",
                    expected[o]
                );
            }
        }
        // One random failure set through simulate.
        let mut rng = fastrand::Rng::with_seed(seed);
        let failed: Vec<ServerId> = (0..servers)
            .filter(|_| rng.usize(0..3) == 0)
            .map(ServerId::from_index)
            .collect();
        let sim = analysis::simulate::simulate(&model, &failed);
        let mut state = vec![false; events];
        for s in &failed {
            state[s.index()] = true;
        }
        let holds = oracle.outcome(&state);
        // The simulation adds the first class's writes when the design takes none.
        let simulated: Vec<bool> = sim
            .outcomes
            .iter()
            .filter(|o| {
                !(o.aim == Aim::Writes
                    && o.why
                        .first()
                        .is_some_and(|w| w.1.contains("takes no writes")))
            })
            .map(|o| o.complete)
            .collect();
        assert_eq!(simulated, holds, "{place}: simulate {failed:?}");
        // SCRAM on the export: one top event per outcome, the same probabilities.
        if scram_here {
            let tops = scram(&analysis::mef::export(&model), dir.path());
            let trees = analysis::mef::tree_names(&model.logic);
            assert_eq!(tops.len(), outcomes, "{place}: top events {tops:?}");
            for (tree, a) in trees.iter().zip(&available) {
                let unavailability = 1.0 - a;
                let theirs = tops[&tree.gate];
                // SCRAM prints six significant digits.
                assert!(
                    (theirs - unavailability).abs() <= 1e-5 * unavailability.abs() + 1e-12,
                    "{place}: {}: scram {theirs} against the oracle's {unavailability}",
                    tree.gate
                );
            }
        }
        classes += usize::from(
            oracle
                .outcomes
                .iter()
                .any(|o| o.1.is_some() && o.0 != "jobs"),
        );
        jobs += usize::from(oracle.outcomes.iter().any(|o| o.0 == "jobs"));
        outside += usize::from(
            design
                .clusters
                .iter()
                .any(|c| !c.external_members.is_empty()),
        );
        compared += 1;
        failover += usize::from(design.clusters.iter().any(|c| c.failover.is_some()));
        quorum += usize::from(design.clusters.iter().any(|c| c.quorum.is_some()));
        cyclic += usize::from(oracle.cut);
    }
    eprintln!(
        "{compared} generated designs agree with the oracle ({failover} with failover, {quorum} with a quorum, {cyclic} with a cycle, {classes} with request classes, {jobs} with jobs, {outside} with outside members)"
    );
    assert!(
        compared >= AT_LEAST,
        "only {compared} generated designs were valid"
    );
    assert!(
        failover >= 100
            && quorum >= 300
            && cyclic >= 50
            && classes >= 100
            && jobs >= 100
            && outside >= 50,
        "{failover} failover, {quorum} quorum, {cyclic} cyclic, {classes} classes, {jobs} jobs, {outside} outside"
    );
}
