//! Draft -> design: names connected. Cluster members become server ids; DNS records are
//! checked for CNAME loops and for names that leave the design; every flow endpoint is
//! resolved in the order the design format gives (`user`; `SERVER/COMPONENT`; a server,
//! cluster or external name; a host name through DNS), and every flow entry becomes one
//! flow per pair.

use foldhash::{HashMap, HashMapExt};
use std::net::IpAddr;
use std::sync::Arc;

use smallvec::{SmallVec, smallvec};

use super::lower::{Draft, RawCluster, RawFlow};
use super::{
    ClientId, Cluster, ClusterId, ComponentId, Coordinator, Design, Endpoint, EndpointTarget,
    ExternalId, Failover, FailoverSpec, Flow, FrontError, HostRoute, Member, Protocol, RecordId,
    RecordType, Role, ServerId, Spanned, TlsMode, Via,
};
use crate::diagnostic::{Diagnostic, ErrorCode};
use crate::prose::{list_choices, list_words, suggest};
use crate::source::Span;

/// What an address or a name leads to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Dest {
    Server(ServerId),
    Cluster(ClusterId),
    External(ExternalId),
}

/// Why a host name leads nowhere.
#[derive(Clone)]
enum HostError {
    /// No A, AAAA or CNAME record has this name.
    NoRecord,
    /// Records exist, but no server or cluster has any of their addresses.
    NoOwner(Vec<(RecordId, String)>),
    /// A CNAME loop (reported once, at the record), or a derived error.
    AlreadyReported,
    /// A CNAME leads to a host that no record in the design defines and no external
    /// service takes: fine in DNS, but a flow cannot go through it.
    Leaves { record: RecordId, target: String },
}

struct Resolver<'d> {
    design: &'d Design,
    names: HashMap<&'d str, Dest>,
    addresses: HashMap<IpAddr, Dest>,
    /// Host name -> its A, AAAA and CNAME records.
    hosts: HashMap<&'d str, Vec<RecordId>>,
    /// Host name -> the external service that lists it under `hosts:`.
    external_hosts: HashMap<&'d str, Dest>,
    broken: &'d foldhash::HashSet<String>,
    /// Client name -> client.
    clients: HashMap<&'d str, ClientId>,
    /// Host name -> what it resolved to: each host is followed through DNS once, however
    /// many flows name it.
    resolved: std::cell::RefCell<HashMap<String, HostResult>>,
    /// Endpoint text -> what it resolved to, for the endpoints that resolved and are
    /// written more than once: the texts are shared (`Texts` in lower.rs), so one is known
    /// by its address, and a name that thousands of flows write (`db-01`) is resolved
    /// once.
    targets: std::cell::RefCell<HashMap<(usize, Side), EndpointTarget>>,
}

type HostResult = Result<(Vec<Dest>, Vec<RecordId>), HostError>;

pub(super) fn resolve(
    draft: Draft,
    max_connections: usize,
    errors: &mut Vec<Diagnostic>,
) -> Design {
    let Draft {
        mut design,
        roles_elsewhere,
        clusters,
        flows,
        broken,
        servers_read,
    } = draft;
    let names = namespace(&design, &clusters, errors);
    for client in &design.clients {
        let taken = names.contains_key(&client.name.value);
        if taken || client.name.value == "user" {
            errors.push(
                Diagnostic::at(
                    ErrorCode::DuplicateName,
                    client.name.span,
                    format!("`{}` names a client and something else", client.name.value),
                )
                .label("a client here")
                .help("clients share one set of names with servers, clusters and external services, and `user` is reserved: rename one"),
            );
        }
    }
    if !servers_read {
        return design;
    }
    let failovers: Vec<RawFailover> = clusters
        .iter()
        .map(|c| RawFailover {
            failover: c.failover.clone(),
            coordinator: c.coordinator.clone(),
            leader_lease: c.leader_lease.clone(),
        })
        .collect();
    design.clusters = resolve_clusters(&design, clusters, &names, &broken, errors);
    for (index, raw) in failovers.into_iter().enumerate() {
        let spec = failover_spec(&design, index, raw, &names, errors);
        design.clusters[index].failover = spec;
    }
    check_roles(&design, &roles_elsewhere, errors);
    let addresses = addresses(&design, errors);
    let mut hosts: HashMap<&str, Vec<RecordId>> = HashMap::new();
    for record in &design.records {
        if matches!(
            record.record_type,
            RecordType::A | RecordType::Aaaa | RecordType::Cname
        ) {
            hosts
                .entry(record.host.as_str())
                .or_default()
                .push(record.id);
        }
    }
    let external_hosts = external_hosts(&design, &hosts, errors);
    let resolver = Resolver {
        design: &design,
        external_hosts,
        names: names
            .iter()
            .map(|(name, dest)| (name.as_str(), *dest))
            .collect(),
        addresses,
        hosts,
        broken: &broken,
        clients: design
            .clients
            .iter()
            .map(|c| (c.name.value.as_str(), c.id))
            .collect(),
        resolved: std::cell::RefCell::new(HashMap::new()),
        targets: std::cell::RefCell::new(HashMap::new()),
    };
    check_cname_alone(&design, errors);
    check_cnames(&resolver, errors);
    let mut budget = Budget {
        left: max_connections,
        limit: max_connections,
        spent: false,
    };
    // At most this many pairs (fewer when an endpoint does not resolve): sized once.
    let bound = flows
        .iter()
        .map(|f| f.from.len().saturating_mul(f.to.len()))
        .fold(0usize, usize::saturating_add)
        .min(max_connections);
    let mut pairs = Vec::with_capacity(bound);
    // Each entry is dropped once expanded, so that the entries and their pairs are not
    // all in memory together.
    for flow in flows {
        resolver.flow(&flow, &mut budget, errors, &mut pairs);
    }
    design.flows = pairs;
    check_passthrough(&design, errors);
    check_request_classes(&design, errors);
    design
}

/// The most request classes and worker services together a design may have: each is an
/// outcome of every analysis, and each may copy part of the structure function.
pub(super) const MAX_REQUEST_CLASSES: usize = 64;

/// `request:` inside the design names a class that some flow from the user or a
/// client starts, or a worker service (its jobs); at most [`MAX_REQUEST_CLASSES`].
fn check_request_classes(design: &Design, errors: &mut Vec<Diagnostic>) {
    let mut known: Vec<&str> = design.request_classes().into_iter().flatten().collect();
    let workers = design.worker_services();
    known.extend(workers.iter().map(|(name, _)| *name));
    known.sort_unstable();
    known.dedup();
    if known.len() > MAX_REQUEST_CLASSES {
        let span = design
            .flows
            .iter()
            .find(|f| !f.request.is_empty())
            .map_or(Span::default(), |f| f.span);
        errors.push(
            Diagnostic::at(
                ErrorCode::LimitExceeded,
                span,
                format!(
                    "the design has {} request classes and worker services, more than the {MAX_REQUEST_CLASSES} the analyses take",
                    known.len()
                ),
            )
            .label("request classes start here")
            .help("each class is an outcome of its own: group requests that fail alike under one `request:` name"),
        );
        return;
    }
    let mut reported = std::collections::HashSet::new();
    for flow in &design.flows {
        if !design.start_classes(flow).is_empty() {
            continue;
        }
        for name in flow.request.iter() {
            if known.binary_search(&name.value.as_str()).is_ok() || !reported.insert(name.span) {
                continue;
            }
            let near = suggest(&name.value, known.iter().copied())
                .map(|n| format!("did you mean `{n}`? "))
                .unwrap_or_default();
            errors.push(
                Diagnostic::at(
                    ErrorCode::UnknownName,
                    name.span,
                    format!("no request of class `{}` starts at the user or a client", name.value),
                )
                .label("no such request class")
                .help(format!("{near}a class starts at a flow from `user` or a client (its `request:`, or the client's name), or is a worker service's jobs")),
            );
        }
    }
}

/// A balancer with `tls: passthrough` forwards the bytes that arrive: its onward flows
/// say `tcp` (read as what arrived) or a protocol that arrives, anything else is an
/// error at the flow. Linear in the flows.
fn check_passthrough(design: &Design, errors: &mut Vec<Diagnostic>) {
    #[derive(Clone, Copy, PartialEq, Eq, Hash)]
    enum At {
        Component(ComponentId),
        External(ExternalId),
    }
    let passes = |at: At| match at {
        At::Component(c) => design.component(c).tls == Some(TlsMode::Passthrough),
        At::External(e) => design.externals[e.index()].tls == Some(TlsMode::Passthrough),
    };
    let ends = |target: &EndpointTarget| -> Vec<At> {
        match target {
            EndpointTarget::Components { components, .. } => {
                components.iter().map(|&c| At::Component(c)).collect()
            }
            EndpointTarget::External(e) => vec![At::External(*e)],
            EndpointTarget::User | EndpointTarget::Client(_) => Vec::new(),
        }
    };
    let mut arriving: HashMap<At, Vec<Protocol>> = HashMap::new();
    for flow in design.flows.iter().filter(|f| f.purpose.is_none()) {
        for at in ends(&flow.to.target).into_iter().filter(|&at| passes(at)) {
            let list = arriving.entry(at).or_default();
            if !list.contains(&flow.protocol) {
                list.push(flow.protocol);
            }
        }
    }
    let mut reported: Vec<Span> = Vec::new();
    for flow in design.flows.iter().filter(|f| f.purpose.is_none()) {
        for at in ends(&flow.from.target).into_iter().filter(|&at| passes(at)) {
            let arrives = arriving.get(&at).map(Vec::as_slice).unwrap_or_default();
            if flow.protocol == Protocol::Tcp
                || arrives.contains(&flow.protocol)
                || reported.contains(&flow.span)
            {
                continue;
            }
            reported.push(flow.span);
            let name = match at {
                At::Component(c) => design.component_target(c),
                At::External(e) => design.externals[e.index()].name.value.clone(),
            };
            let words: Vec<String> = arrives.iter().map(|p| format!("`{p}`")).collect();
            errors.push(
                Diagnostic::at(
                    ErrorCode::InvalidValue,
                    flow.span,
                    format!(
                        "`{name}` passes TLS through (`tls: passthrough`), so it cannot forward `{}`",
                        flow.protocol
                    ),
                )
                .label("not what arrives")
                .help(if words.is_empty() {
                    "write `protocol: tcp` (the bytes that arrive), or say `tls: terminate` on the balancer".to_string()
                } else {
                    format!(
                        "write `protocol: tcp` or what arrives ({}), or say `tls: terminate` on the balancer",
                        crate::prose::or_join(&words)
                    )
                }),
            );
        }
    }
}

/// Host name -> the external service or cluster that takes it (`hosts:`). A host
/// listed twice, or listed and defined by a record of the design, is an error: which
/// one answers it?
fn external_hosts<'d>(
    design: &'d Design,
    records: &HashMap<&str, Vec<RecordId>>,
    errors: &mut Vec<Diagnostic>,
) -> HashMap<&'d str, Dest> {
    let mut taken: HashMap<&'d str, (Dest, &'d str, Span)> = HashMap::new();
    let externals = design
        .externals
        .iter()
        .map(|e| (Dest::External(e.id), &e.name.value, &e.hosts));
    let clusters = design
        .clusters
        .iter()
        .map(|c| (Dest::Cluster(c.id), &c.name.value, &c.hosts));
    for (dest, name, hosts) in externals.chain(clusters) {
        let what = dest_word(dest);
        for host in hosts {
            if let Some(ids) = records.get(host.value.as_str()) {
                errors.push(
                    Diagnostic::at(ErrorCode::DuplicateName,
                        host.span,
                        format!("`{}` is both a host of `{name}` and a name of the design's DNS", host.value),
                    )
                    .label(format!("listed as the {what}'s host here"))
                    .secondary(design.records[ids[0].index()].name.span, "and defined by this record")
                    .help(format!("a host is answered either by the {what} or by the design's records: remove one")),
                );
                continue;
            }
            match taken.get(host.value.as_str()) {
                Some(&(_, other, first)) => errors.push(
                    Diagnostic::at(
                        ErrorCode::DuplicateName,
                        host.span,
                        format!("`{}` is listed twice", host.value),
                    )
                    .label(format!("`{name}` lists it here"))
                    .secondary(first, format!("`{other}` lists it here"))
                    .help(
                        "one host name reaches one service or cluster: remove it from one of them",
                    ),
                ),
                None => {
                    taken.insert(host.value.as_str(), (dest, name, host.span));
                }
            }
        }
    }
    taken
        .into_iter()
        .map(|(host, (dest, _, _))| (host, dest))
        .collect()
}

/// Servers, clusters and external services share one namespace; `user` is reserved.
fn namespace(
    design: &Design,
    clusters: &[RawCluster],
    errors: &mut Vec<Diagnostic>,
) -> HashMap<String, Dest> {
    let mut names: HashMap<String, (Dest, Span)> = HashMap::new();
    let servers = design
        .servers
        .iter()
        .map(|s| (&s.name, Dest::Server(s.id), "server"));
    let clusters = clusters
        .iter()
        .enumerate()
        .map(|(i, c)| (&c.name, Dest::Cluster(ClusterId::from_index(i)), "cluster"));
    let externals = design
        .externals
        .iter()
        .map(|e| (&e.name, Dest::External(e.id), "external service"));
    for (name, dest, what) in servers.chain(clusters).chain(externals) {
        if name.value == "user" && what != "server" {
            errors.push(
                Diagnostic::at(
                    ErrorCode::InvalidValue,
                    name.span,
                    format!("`user` cannot name a {what}"),
                )
                .label("reserved for the person with a browser")
                .help(format!("rename the {what}")),
            );
            continue;
        }
        match names.get(&name.value) {
            // Two servers of one name are a duplicate key, reported by the parser.
            Some((Dest::Server(_), _)) if what == "server" => {}
            Some(&(other, first)) => errors.push(
                Diagnostic::at(
                    ErrorCode::DuplicateName,
                    name.span,
                    format!("`{}` names two things", name.value),
                )
                .label(format!("a {what} here"))
                .secondary(first, format!("a {} here", dest_word(other)))
                .help("servers, clusters and external services share one set of names: rename one"),
            ),
            None => {
                names.insert(name.value.clone(), (dest, name.span));
            }
        }
    }
    names.into_iter().map(|(k, (dest, _))| (k, dest)).collect()
}

fn dest_word(dest: Dest) -> &'static str {
    match dest {
        Dest::Server(_) => "server",
        Dest::Cluster(_) => "cluster",
        Dest::External(_) => "external service",
    }
}

/// `voters:` as servers of the design, each once.
fn resolve_voters(
    design: &Design,
    list: &[Spanned<String>],
    names: &HashMap<String, Dest>,
    broken: &foldhash::HashSet<String>,
    errors: &mut Vec<Diagnostic>,
) -> Vec<ServerId> {
    let mut voters = Vec::new();
    for voter in list {
        let Some(id) = cluster_server(design, names, broken, voter, &voter.value, errors) else {
            continue;
        };
        if voters.contains(&id) {
            errors.push(
                Diagnostic::at(
                    ErrorCode::DuplicateName,
                    voter.span,
                    format!("`{}` is listed twice", voter.value),
                )
                .label("listed again here")
                .help("list each voter once"),
            );
        } else {
            voters.push(id);
        }
    }
    voters
}

/// The component a `SERVER/COMPONENT` member names, with did-you-mean when none.
fn member_component(
    design: &Design,
    server_id: ServerId,
    server: &str,
    name: &str,
    at: Span,
) -> Result<ComponentId, Box<Diagnostic>> {
    if let Some(c) = design
        .components_of(server_id)
        .find(|c| *c.name.value == *name)
    {
        return Ok(c.id);
    }
    let names: Vec<String> = design
        .components_of(server_id)
        .map(|c| c.name.value.to_string())
        .collect();
    Err(Box::new(
        Diagnostic::at(
            ErrorCode::UnknownName,
            at,
            format!("server `{server}` has no component `{name}`"),
        )
        .label("no such component")
        .help(format!(
            "its components: {}",
            list_choices(names.iter().map(String::as_str))
        ))
        .maybe_fix(
            suggest(name, names.iter().map(String::as_str)).map(|near| format!("{server}/{near}")),
        ),
    ))
}

fn resolve_clusters(
    design: &Design,
    raw: Vec<RawCluster>,
    names: &HashMap<String, Dest>,
    broken: &foldhash::HashSet<String>,
    errors: &mut Vec<Diagnostic>,
) -> Vec<Cluster> {
    let mut clusters = Vec::with_capacity(raw.len());
    for (index, cluster) in raw.into_iter().enumerate() {
        let mut members: Vec<ServerId> = Vec::new();
        let mut member_components = Vec::new();
        let mut external_members: Vec<ExternalId> = Vec::new();
        for member in &cluster.members {
            // An outside service as a member (an Aurora instance you do not run).
            if let Some(&Dest::External(id)) = names.get(member.value.as_str()) {
                if external_members.contains(&id) {
                    errors.push(
                        Diagnostic::at(
                            ErrorCode::DuplicateName,
                            member.span,
                            format!("`{}` is listed twice", member.value),
                        )
                        .label("listed again here")
                        .help("list each member of the cluster once"),
                    );
                } else {
                    external_members.push(id);
                }
                continue;
            }
            let (server, component) = match member.value.split_once('/') {
                Some((server, component)) => (server, Some(component)),
                None => (member.value.as_str(), None),
            };
            let Some(id) = cluster_server(design, names, broken, member, server, errors) else {
                continue;
            };
            let component = match component {
                None => None,
                Some(name) => match member_component(design, id, server, name, member.span) {
                    Ok(id) => Some(id),
                    Err(error) => {
                        errors.push(*error);
                        continue;
                    }
                },
            };
            if members.contains(&id) {
                errors.push(
                    Diagnostic::at(
                        ErrorCode::DuplicateName,
                        member.span,
                        format!("server `{server}` is listed twice"),
                    )
                    .label("listed again here")
                    .help("list each member of the cluster once: one component per server"),
                );
                continue;
            }
            members.push(id);
            member_components.push(component);
        }
        let voters = match &cluster.voters {
            None => members.clone(),
            Some(list) => resolve_voters(design, list, names, broken, errors),
        };
        for (key, quorum) in [
            ("quorum", &cluster.quorum),
            ("write_quorum", &cluster.write_quorum),
        ] {
            if let Some(q) = quorum
                && q.value.of(voters.len()) > voters.len()
            {
                errors.push(
                    Diagnostic::at(
                        ErrorCode::InvalidValue,
                        q.span,
                        format!(
                            "`{key}` needs {} voters, and the cluster has {}",
                            q.value.of(voters.len()),
                            voters.len()
                        ),
                    )
                    .label("more than the voters")
                    .help("a quorum is at most the number of voters: the members, or `voters:` when given"),
                );
            }
        }
        clusters.push(Cluster {
            id: ClusterId::from_index(index),
            name: cluster.name,
            members,
            member_components,
            external_members,
            mode: cluster.mode,
            virtual_ip: cluster.virtual_ip,
            quorum: cluster.quorum,
            failover: None,
            write_quorum: cluster.write_quorum,
            voters,
            hosts: cluster.hosts,
            span: cluster.span,
        });
    }
    clusters
}

/// A cluster's member or voter, which must be a server; `None` after an error (reported
/// here unless the server's own definition was broken).
fn cluster_server(
    design: &Design,
    names: &HashMap<String, Dest>,
    broken: &foldhash::HashSet<String>,
    written: &Spanned<String>,
    server: &str,
    errors: &mut Vec<Diagnostic>,
) -> Option<ServerId> {
    match names.get(server) {
        Some(&Dest::Server(id)) => Some(id),
        Some(&other) => {
            errors.push(
                Diagnostic::at(
                    ErrorCode::UnknownName,
                    written.span,
                    format!("`{server}` is a {}, not a server", dest_word(other)),
                )
                .label("not a server")
                .help("a cluster's members are servers, `SERVER/COMPONENT` or external services, and its voters servers"),
            );
            None
        }
        None if broken.contains(server) => None,
        None => {
            errors.push(
                Diagnostic::at(
                    ErrorCode::UnknownName,
                    written.span,
                    format!("no server `{server}`"),
                )
                .label("no such server")
                .maybe_help(server_suggestion(design, server))
                .maybe_fix(
                    suggest(server, design.servers.iter().map(|s| s.name.value.as_str()))
                        .map(str::to_owned),
                ),
            );
            None
        }
    }
}

/// What a cluster says about failover, kept while its members are resolved.
struct RawFailover {
    failover: Option<Spanned<Failover>>,
    coordinator: Option<Spanned<String>>,
    leader_lease: Option<Spanned<bool>>,
}

/// A failover cluster's primary, promotable members and coordinator, or `None` (with an
/// error where the cluster says something it cannot mean).
fn failover_spec(
    design: &Design,
    index: usize,
    raw: RawFailover,
    names: &HashMap<String, Dest>,
    errors: &mut Vec<Diagnostic>,
) -> Option<FailoverSpec> {
    let cluster = &design.clusters[index];
    let Some(failover) = raw.failover else {
        for (key, span) in [
            ("coordinator", raw.coordinator.map(|c| c.span)),
            ("leader_lease", raw.leader_lease.map(|l| l.span)),
        ] {
            if let Some(span) = span {
                errors.push(
                    Diagnostic::at(
                        ErrorCode::InvalidValue,
                        span,
                        format!("`{key}` applies to a cluster with `failover: automatic`"),
                    )
                    .label("no failover here")
                    .help("add `failover: automatic` to the cluster, or remove this key"),
                );
            }
        }
        return None;
    };
    let members: Vec<(Member, Option<Role>, bool)> = design
        .cluster_components(cluster)
        .into_iter()
        .map(|c| {
            let component = design.component(c);
            (Member::Component(c), component.role, component.promotable)
        })
        .chain(
            cluster
                .external_members
                .iter()
                .map(|&e| (Member::External(e), design.externals[e.index()].role, true)),
        )
        .collect();
    let primaries: Vec<Member> = members
        .iter()
        .filter(|m| m.1 == Some(Role::Primary))
        .map(|m| m.0)
        .collect();
    let [primary] = primaries.as_slice() else {
        let found = match primaries.len() {
            0 => "none does".to_string(),
            n => {
                let names: Vec<String> = primaries
                    .iter()
                    .map(|&m| format!("`{}`", design.member_name(m)))
                    .collect();
                format!("{n} do: {}", crate::prose::and_join(&names))
            }
        };
        errors.push(
            Diagnostic::at(
                ErrorCode::InvalidValue,
                failover.span,
                format!(
                    "cluster `{}` fails over automatically, so exactly one member says `role: primary`; {found}",
                    cluster.name.value
                ),
            )
            .label("which member is the primary?")
            .help("give one member `role: primary` and the others `role: replica` (or `standby`: takes no reads); an outside database is a primary unless it says otherwise"),
        );
        return None;
    };
    let promotable = members
        .iter()
        .filter(|m| matches!(m.1, Some(Role::Replica | Role::Standby)) && m.2)
        .map(|m| m.0)
        .collect();
    let coordinator = match raw.coordinator {
        None => None,
        Some(name) => Some(coordinator(design, index, &name, names, errors)?),
    };
    Some(FailoverSpec {
        primary: *primary,
        promotable,
        coordinator,
        leader_lease: raw.leader_lease.is_some_and(|l| l.value),
    })
}

/// `coordinator:`: a cluster (not the failover cluster itself), an external service, or
/// a service of components.
fn coordinator(
    design: &Design,
    index: usize,
    name: &Spanned<String>,
    names: &HashMap<String, Dest>,
    errors: &mut Vec<Diagnostic>,
) -> Option<Coordinator> {
    let refuse = |message: String, help: String| {
        Diagnostic::at(ErrorCode::UnknownName, name.span, message)
            .label("not a coordinator")
            .help(help)
    };
    match names.get(&name.value) {
        Some(&Dest::Cluster(id)) if id.index() != index => Some(Coordinator::Cluster(id)),
        Some(&Dest::External(id)) => Some(Coordinator::External(id)),
        Some(&Dest::Cluster(_)) => {
            errors.push(refuse(
                format!("cluster `{}` cannot coordinate its own failover", name.value),
                "name the cluster, service or external service that promotes a member (Consul, etcd, a Sentinel group)".to_string(),
            ));
            None
        }
        Some(&Dest::Server(_)) => {
            errors.push(refuse(
                format!("`{}` is a server; a coordinator is a cluster, a service or an external service", name.value),
                "name the cluster of the coordination servers, or their `service:`".to_string(),
            ));
            None
        }
        None => {
            let members: Vec<ComponentId> = design
                .components
                .iter()
                .filter(|c| c.service_name() == name.value)
                .map(|c| c.id)
                .collect();
            if !members.is_empty() {
                return Some(Coordinator::Service(members));
            }
            let candidates = design
                .clusters
                .iter()
                .map(|c| c.name.value.as_str())
                .chain(design.externals.iter().map(|e| e.name.value.as_str()))
                .chain(design.components.iter().map(|c| c.service_name()));
            let near = suggest(&name.value, candidates);
            errors.push(
                refuse(
                    format!("no cluster, service or external service `{}`", name.value),
                    near.map_or_else(
                        || "a coordinator is a cluster, a service (a component's `service:` or kind) or an external service".to_string(),
                        |near| format!("did you mean `{near}`?"),
                    ),
                )
                .maybe_fix(near.map(str::to_owned)),
            );
            None
        }
    }
}

/// `role:` on a component of a kind that takes none is allowed only on a member of a
/// failover cluster (a Redis primary and its replicas).
fn check_roles(design: &Design, roles: &[(ComponentId, Span)], errors: &mut Vec<Diagnostic>) {
    for &(component, span) in roles {
        let member = design
            .clusters
            .iter()
            .any(|c| c.failover.is_some() && design.cluster_components(c).contains(&component));
        if !member {
            let kind = design.component(component).kind;
            errors.push(
                Diagnostic::at(
                    ErrorCode::InvalidValue,
                    span,
                    "`role` applies to `database` or `coordination` components, or to members of a cluster with `failover: automatic`",
                )
                .label(format!("its kind is `{kind}`"))
                .help("remove `role`, or make the component a member of a failover cluster"),
            );
        }
    }
}

fn server_suggestion(design: &Design, word: &str) -> Option<String> {
    suggest(word, design.servers.iter().map(|s| s.name.value.as_str()))
        .map(|near| format!("did you mean `{near}`?"))
}

/// Address -> server or cluster. Two servers may share an address only when it is a
/// cluster's virtual IP, and then the address reaches the cluster.
fn addresses(design: &Design, errors: &mut Vec<Diagnostic>) -> HashMap<IpAddr, Dest> {
    let mut addresses: HashMap<IpAddr, Dest> = HashMap::new();
    for cluster in &design.clusters {
        if let Some(vip) = &cluster.virtual_ip {
            addresses.insert(vip.value, Dest::Cluster(cluster.id));
        }
    }
    let mut servers_at: HashMap<IpAddr, ServerId> = HashMap::new();
    for server in &design.servers {
        let Some(ip) = &server.ip else { continue };
        if matches!(addresses.get(&ip.value), Some(Dest::Cluster(_))) {
            continue;
        }
        match servers_at.get(&ip.value) {
            Some(&first) => errors.push(
                Diagnostic::at(ErrorCode::DuplicateName, ip.span, format!("two servers have the address {}", ip.value))
                    .label(format!("`{}` has it here", server.name.value))
                    .secondary(
                        design.server(first).ip.as_ref().map_or(ip.span, |i| i.span),
                        format!("`{}` has it here", design.server(first).name.value),
                    )
                    .help("give each server its own address; an address that reaches several servers is a cluster's `virtual_ip`"),
            ),
            None => {
                servers_at.insert(ip.value, server.id);
                addresses.insert(ip.value, Dest::Server(server.id));
            }
        }
    }
    addresses
}

/// A CNAME must be the only record at its name (DNS refuses anything else, and a
/// resolver would pick one at random): a second CNAME, or any other record beside one,
/// is an error at that record.
fn check_cname_alone(design: &Design, errors: &mut Vec<Diagnostic>) {
    let mut at: HashMap<&str, Vec<RecordId>> = HashMap::new();
    for record in &design.records {
        at.entry(record.host.as_str()).or_default().push(record.id);
    }
    let mut hosts: Vec<(&str, Vec<RecordId>)> = at.into_iter().collect();
    hosts.sort_by_key(|(_, ids)| ids[0]);
    for (host, ids) in hosts {
        let Some(&cname) = ids
            .iter()
            .find(|id| design.records[id.index()].record_type == RecordType::Cname)
        else {
            continue;
        };
        for &other in ids.iter().filter(|&&id| id != cname) {
            let record = &design.records[other.index()];
            errors.push(
                Diagnostic::at(ErrorCode::Dns,
                    record.name.span,
                    if record.record_type == RecordType::Cname {
                        format!("`{host}` has two CNAME records: a CNAME must be the only record at its name")
                    } else {
                        format!(
                            "`{host}` has a CNAME and an {} record: a CNAME must be the only record at its name",
                            record.record_type
                        )
                    },
                )
                .label("another record at the same name")
                .secondary(design.records[cname.index()].name.span, "the CNAME")
                .help("keep one: a CNAME, or the address records; point other names at it with their own CNAMEs"),
            );
        }
    }
}

/// Reports each CNAME loop once. A CNAME to a host outside the design is ordinary DNS;
/// it is an error only when a flow must go through it (see [`HostError::Leaves`]).
fn check_cnames(resolver: &Resolver<'_>, errors: &mut Vec<Diagnostic>) {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        OnPath,
        Done,
    }
    let design = resolver.design;
    let mut state: HashMap<&str, State> = HashMap::new();
    for start in design
        .records
        .iter()
        .filter(|r| r.record_type == RecordType::Cname)
    {
        let mut path: Vec<RecordId> = Vec::new();
        let mut record = start;
        loop {
            match state.get(record.host.as_str()) {
                Some(State::Done) => break,
                Some(State::OnPath) => {
                    let first = path
                        .iter()
                        .position(|&r| design.records[r.index()].host == record.host)
                        .expect("a host on the path was pushed with its record");
                    let cycle: Vec<&str> = path[first..]
                        .iter()
                        .map(|&r| design.records[r.index()].host.as_str())
                        .chain(std::iter::once(record.host.as_str()))
                        .collect();
                    errors.push(
                        Diagnostic::at(
                            ErrorCode::Dns,
                            record.value.span,
                            format!("CNAME loop: {}", cycle.join(" -> ")),
                        )
                        .label("this CNAME leads back to itself")
                        .help("make one record of the loop an A record that points at an address"),
                    );
                    break;
                }
                None => {}
            }
            state.insert(record.host.as_str(), State::OnPath);
            path.push(record.id);
            if record.value.value.parse::<IpAddr>().is_ok() {
                break;
            }
            let target = normal_host(&record.value.value);
            let next = resolver.hosts.get(target.as_str()).and_then(|ids| {
                ids.iter()
                    .map(|id| &design.records[id.index()])
                    .find(|r| r.record_type == RecordType::Cname)
            });
            match next {
                Some(next) => record = next,
                None => break,
            }
        }
        for id in path {
            state.insert(design.records[id.index()].host.as_str(), State::Done);
        }
    }
}

fn normal_host(host: &str) -> String {
    host.trim_end_matches('.').to_ascii_lowercase()
}

/// The connections a design may still make; once spent, reported once and no further
/// flow is expanded.
struct Budget {
    left: usize,
    limit: usize,
    spent: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Side {
    From,
    To,
}

impl Resolver<'_> {
    /// Expands one flow entry into its pairs, pushed onto `pairs`.
    fn flow(
        &self,
        raw: &RawFlow,
        budget: &mut Budget,
        errors: &mut Vec<Diagnostic>,
        pairs: &mut Vec<Flow>,
    ) {
        let from: SmallVec<[Option<Endpoint>; 2]> = raw
            .from
            .iter()
            .map(|e| self.endpoint(e, Side::From, errors))
            .collect();
        let to: SmallVec<[Option<Endpoint>; 2]> = raw
            .to
            .iter()
            .map(|e| self.endpoint(e, Side::To, errors))
            .collect();
        let Some(protocol) = raw.protocol else {
            return;
        };
        // Every pair becomes one flow, and one graph edge per component each side
        // reaches: counted before anything is expanded.
        let reach = |side: &[Option<Endpoint>]| -> usize {
            side.iter()
                .flatten()
                .map(|e| match &e.target {
                    EndpointTarget::Components { components, .. } => components.len().max(1),
                    _ => 1,
                })
                .fold(0usize, usize::saturating_add)
        };
        let cost = reach(&from).saturating_mul(reach(&to));
        if budget.spent {
            return;
        }
        if cost > budget.left {
            budget.spent = true;
            errors.push(
                Diagnostic::at(ErrorCode::LimitExceeded,
                    raw.span,
                    format!(
                        "the flows expand to more than {} connections, the limit for a design of this size",
                        budget.limit
                    ),
                )
                .label(format!("this flow alone makes {cost}"))
                .help("a list on either side means every pair: split long lists, or name a cluster instead of its members"),
            );
            return;
        }
        budget.left -= cost;
        let request: Arc<[Spanned<String>]> = raw.request.clone().into();
        for from in from.iter().flatten() {
            for to in to.iter().flatten() {
                pairs.push(Flow {
                    from: from.clone(),
                    to: to.clone(),
                    protocol,
                    protocol_span: raw.protocol_span,
                    port: raw.port,
                    port_span: raw.port_span,
                    access: raw.access,
                    purpose: raw.purpose,
                    optional: raw.optional,
                    request: Arc::clone(&request),
                    span: raw.span,
                });
            }
        }
    }

    /// Resolves one endpoint as written; `None` after reporting why it resolves to nothing
    /// (or when the reason was already reported elsewhere).
    fn endpoint(
        &self,
        written: &Spanned<Arc<str>>,
        side: Side,
        errors: &mut Vec<Diagnostic>,
    ) -> Option<Endpoint> {
        let key = (written.value.as_ptr() as usize, side);
        if let Some(target) = self.targets.borrow().get(&key) {
            return Some(Endpoint {
                written: Arc::clone(&written.value),
                span: written.span,
                target: target.clone(),
            });
        }
        let resolved = self.target(&written.value, side);
        if let Ok(target) = &resolved {
            // Only a text written more than once is remembered (its one copy is shared by
            // every entry that writes it): a name written once is never asked again.
            if Arc::strong_count(&written.value) > 1 {
                self.targets.borrow_mut().insert(key, target.clone());
            }
        }
        match resolved {
            Ok(target) => Some(Endpoint {
                written: written.value.clone(),
                span: written.span,
                target,
            }),
            Err(Some(error)) => {
                errors.push(error.place(written.span));
                None
            }
            Err(None) => None,
        }
    }

    fn target(&self, word: &str, side: Side) -> Result<EndpointTarget, Option<Diagnostic>> {
        if let Some(&client) = self.clients.get(word) {
            return match side {
                Side::From => Ok(EndpointTarget::Client(client)),
                Side::To => Err(Some(
                    Diagnostic::unplaced(
                        ErrorCode::InvalidValue,
                        format!("client `{word}` can only start a flow"),
                    )
                    .label("a client as a destination")
                    .help(
                        "a client sends requests: write the flow `from: CLIENT`, to what it calls",
                    ),
                )),
            };
        }
        if word == "user" {
            return match side {
                Side::From => Ok(EndpointTarget::User),
                Side::To => Err(Some(
                    Diagnostic::unplaced(ErrorCode::InvalidValue, "`user` can only start a flow")
                        .label("`user` as a destination")
                        .help("the user sends requests: write the flow `from: user`, to the site"),
                )),
            };
        }
        if let Some((server, component)) = word.split_once('/') {
            return self.server_component(server, component);
        }
        let host = normal_host(word);
        let host_hit = self.hosts.contains_key(host.as_str());
        if let Some(&dest) = self.names.get(word) {
            if host_hit && self.resolve_host(&host).is_ok() {
                return Err(Some(
                    Diagnostic::unplaced(ErrorCode::AmbiguousName, format!("`{word}` is both a {} name and a host name", dest_word(dest)))
                        .label("ambiguous")
                        .help(format!(
                            "write `{word}/COMPONENT` to mean the server, or rename it so the host name is unambiguous"
                        )),
                ));
            }
            return match dest {
                Dest::Server(id) => self.front(id, word).map(|c| EndpointTarget::Components {
                    components: smallvec![c],
                    via: Via::Server,
                }),
                Dest::Cluster(id) => {
                    self.cluster_fronts(id)
                        .map(|components| EndpointTarget::Components {
                            components: components.into(),
                            via: Via::Cluster(id),
                        })
                }
                Dest::External(id) => Ok(EndpointTarget::External(id)),
            };
        }
        match self.resolve_host(&host) {
            Ok((dests, records)) => self.host_target(word, dests, records),
            Err(HostError::AlreadyReported) => Err(None),
            Err(HostError::Leaves { record, target }) => {
                let record = &self.design.records[record.index()];
                Err(Some(
                    Diagnostic::unplaced(ErrorCode::Dns, format!(
                        "`{word}` leads to `{target}`, which no record in the design defines and no external service takes"
                    ))
                    .label("the flow cannot go through it")
                    .secondary(record.value.span, format!("`{}` is a CNAME to `{target}` here", record.host))
                    .help(format!(
                        "declare the service that answers it: `external: {{ NAME: {{ kind: cdn, hosts: [{target}] }} }}`, or add a record for `{target}`"
                    )),
                ))
            }
            Err(HostError::NoRecord) => Err(Some(self.unknown_word(word))),
            Err(HostError::NoOwner(addresses)) => {
                let list: Vec<String> = addresses.iter().map(|(_, a)| a.clone()).collect();
                let mut error = Diagnostic::unplaced(
                    ErrorCode::Dns,
                    format!(
                        "`{word}` resolves to {}, and no server or cluster has that address",
                        list.join(", ")
                    ),
                )
                .label("resolves to no server")
                .help("give the server that answers it this `ip`, or fix the DNS record");
                for (record, address) in &addresses {
                    error = error.secondary(
                        self.design.records[record.index()].value.span,
                        format!("the record points at {address} here"),
                    );
                }
                Err(Some(error))
            }
        }
    }

    fn server_component(
        &self,
        server: &str,
        component: &str,
    ) -> Result<EndpointTarget, Option<Diagnostic>> {
        let id = match self.names.get(server) {
            Some(&Dest::Server(id)) => id,
            Some(&other) => {
                return Err(Some(
                    Diagnostic::unplaced(
                        ErrorCode::UnknownName,
                        format!("`{server}` is a {}, not a server", dest_word(other)),
                    )
                    .label("`SERVER/COMPONENT` names a server")
                    .help(format!(
                        "name the {} bare, `{server}`, or one of its members' components",
                        dest_word(other)
                    )),
                ));
            }
            None if self.broken.contains(server) => return Err(None),
            None => {
                return Err(Some(
                    Diagnostic::unplaced(ErrorCode::UnknownName, format!("no server `{server}`"))
                        .label("no such server")
                        .maybe_help(server_suggestion(self.design, server)),
                ));
            }
        };
        if let Some(c) = self
            .design
            .components_of(id)
            .find(|c| *c.name.value == *component)
        {
            return Ok(EndpointTarget::Components {
                components: smallvec![c.id],
                via: Via::Component,
            });
        }
        if self.broken.contains(server) {
            return Err(None);
        }
        let names: Vec<&str> = self
            .design
            .components_of(id)
            .map(|c| &*c.name.value)
            .collect();
        let near = suggest(component, names.iter().copied());
        let help = match near {
            Some(near) => format!("did you mean `{server}/{near}`?"),
            None => format!(
                "the components of `{server}` are {}",
                list_words(names.iter().copied())
            ),
        };
        Err(Some(
            Diagnostic::unplaced(
                ErrorCode::UnknownName,
                format!("server `{server}` has no component `{component}`"),
            )
            .label("no such component")
            .help(help)
            .maybe_fix(near.map(|near| format!("{server}/{near}"))),
        ))
    }

    fn front(&self, id: ServerId, written: &str) -> Result<ComponentId, Option<Diagnostic>> {
        let server = &self.design.server(id).name.value;
        match self.design.front_component(id) {
            Ok(component) => Ok(component),
            Err(_) if self.broken.contains(server) => Err(None),
            Err(FrontError::Several) => {
                let working: Vec<&super::Component> = self
                    .design
                    .components_of(id)
                    .filter(|c| {
                        !matches!(
                            c.kind,
                            super::ComponentKind::Firewall | super::ComponentKind::MonitoringAgent
                        )
                    })
                    .collect();
                let names: Vec<String> = working
                    .iter()
                    .map(|c| format!("{server}/{}", c.name.value))
                    .collect();
                let kinds: Vec<String> = working.iter().map(|c| format!("a `{}`", c.kind)).collect();
                let kinds = crate::prose::and_join(&kinds);
                Err(Some(
                    Diagnostic::unplaced(ErrorCode::AmbiguousName, if written == server {
                        format!("`{written}` is ambiguous: server `{server}` runs {kinds}")
                    } else {
                        format!("`{written}` leads to server `{server}`, which runs {kinds}: which one?")
                    })
                    .label("which one?")
                    .help(format!("name one: {}", list_choices(names.iter().map(String::as_str)))),
                ))
            }
            Err(FrontError::None) => Err(Some(
                Diagnostic::unplaced(ErrorCode::UnknownName, if written == server {
                    format!("server `{server}` has no component that a bare name can stand for")
                } else {
                    format!("`{written}` leads to server `{server}`, which has no component that a bare name can stand for")
                })
                .label("no front component")
                .help(format!(
                    "a bare server name stands for its load balancer, web server, app server or database, else its only component that is not a firewall or monitoring agent; name a component: `{server}/NAME`"
                )),
            )),
            Err(FrontError::Ambiguous(kind)) => {
                let names: Vec<String> = self
                    .design
                    .components_of(id)
                    .filter(|c| c.kind == kind)
                    .map(|c| format!("{server}/{}", c.name.value))
                    .collect();
                Err(Some(
                    Diagnostic::unplaced(ErrorCode::AmbiguousName, format!(
                        "`{written}` is ambiguous: server `{server}` runs {} {kind} components",
                        names.len()
                    ))
                    .label("which one?")
                    .help(format!("name one: {}", list_choices(names.iter().map(String::as_str)))),
                ))
            }
        }
    }

    fn cluster_fronts(&self, id: ClusterId) -> Result<Vec<ComponentId>, Option<Diagnostic>> {
        let cluster = &self.design.clusters[id.index()];
        cluster
            .members
            .iter()
            .zip(&cluster.member_components)
            .map(|(&member, &component)| match component {
                Some(component) => Ok(component),
                None => self.front(member, &cluster.name.value),
            })
            .collect()
    }

    fn host_target(
        &self,
        word: &str,
        dests: Vec<Dest>,
        records: Vec<RecordId>,
    ) -> Result<EndpointTarget, Option<Diagnostic>> {
        let mut components = Vec::new();
        let mut clusters = Vec::new();
        let mut external = None;
        for dest in dests {
            match dest {
                Dest::Server(id) => components.push(self.front(id, word)?),
                Dest::Cluster(id) => {
                    components.extend(self.cluster_fronts(id)?);
                    clusters.push(id);
                }
                Dest::External(id) => external = Some(id),
            }
        }
        match (external, components.is_empty()) {
            (Some(id), true) => Ok(EndpointTarget::External(id)),
            _ => {
                components.sort();
                components.dedup();
                Ok(EndpointTarget::Components {
                    components: components.into(),
                    via: Via::Host(Box::new(HostRoute { records, clusters })),
                })
            }
        }
    }

    /// Follows a host name through A, AAAA and CNAME records to what it reaches, and the
    /// records used on the way; remembered per host.
    fn resolve_host(&self, host: &str) -> HostResult {
        if let Some(known) = self.resolved.borrow().get(host) {
            return known.clone();
        }
        let result = self.follow_host(host);
        self.resolved
            .borrow_mut()
            .insert(host.to_string(), result.clone());
        result
    }

    /// [`Self::resolve_host`] without the memo: linear in the records followed.
    fn follow_host(&self, host: &str) -> HostResult {
        let mut dests = Vec::new();
        let mut used = Vec::new();
        let mut unowned = Vec::new();
        let mut visited: std::collections::HashSet<String> = std::collections::HashSet::new();
        // Each name with the CNAME record that led to it (none for the first).
        let mut queue: Vec<(String, Option<RecordId>)> = vec![(host.to_string(), None)];
        while let Some((name, via)) = queue.pop() {
            if !visited.insert(name.clone()) {
                return Err(HostError::AlreadyReported);
            }
            let Some(ids) = self.hosts.get(name.as_str()) else {
                if let Some(&dest) = self.external_hosts.get(name.as_str()) {
                    dests.push(dest);
                    continue;
                }
                if name == host {
                    return Err(HostError::NoRecord);
                }
                match self.names.get(name.as_str()) {
                    Some(&dest @ Dest::External(_)) => {
                        dests.push(dest);
                        continue;
                    }
                    _ => {
                        return Err(HostError::Leaves {
                            record: via
                                .expect("a name other than the first was reached by a CNAME"),
                            target: name,
                        });
                    }
                }
            };
            for &id in ids {
                let record = &self.design.records[id.index()];
                used.push(id);
                match record.value.value.parse::<IpAddr>() {
                    Ok(address) => match self.addresses.get(&address) {
                        Some(&dest) => dests.push(dest),
                        None => unowned.push((id, record.value.value.clone())),
                    },
                    Err(_) => queue.push((normal_host(&record.value.value), Some(id))),
                }
            }
        }
        if dests.is_empty() {
            return Err(HostError::NoOwner(unowned));
        }
        dests.dedup();
        Ok((dests, used))
    }

    fn unknown_word(&self, word: &str) -> Diagnostic {
        let names = self.names.keys().copied();
        let hosts = self.hosts.keys().copied();
        let near = suggest(word, names.chain(hosts));
        let help = near.map(|near| format!("did you mean `{near}`?"));
        let looks_like_host = word.contains('.');
        let message = if looks_like_host {
            format!("`{word}` has no DNS record in this design")
        } else {
            format!("no server, cluster or external service `{word}`, and no DNS record for it")
        };
        let help = help.or_else(|| {
            Some(if looks_like_host {
                match &self.design.domain {
                    Some(domain) => format!(
                        "add a record under `dns: records:`; names there are relative to `{}`",
                        domain.value
                    ),
                    None => "add a record under `dns: records:`, and `domain:` if the records are relative to it".to_string(),
                }
            } else {
                "an endpoint is `user`, `SERVER/COMPONENT`, a server, cluster or external name, or a host name".to_string()
            })
        });
        Diagnostic::unplaced(ErrorCode::UnknownName, message)
            .label("resolves to nothing")
            .maybe_help(help)
            .maybe_fix(near.map(str::to_owned))
    }
}
