//! The resolved model of one design: servers, components, DNS records, clusters,
//! external services, flows expanded to pairs with both endpoints resolved, and
//! acceptances.
//!
//! Built in two steps: [`lower`] reads the syntax tree against the schema (every key,
//! type and allowed value), [`resolve`] connects names (cluster members, flow endpoints
//! through DNS and virtual IPs). Both report every error they find, not only the first.
//! Spans live here so that any later stage can point at any node.

mod address;
mod lower;
mod reader;
pub(crate) use reader::{Fields, Reader};
mod names;
mod resolve;
pub mod schema;
mod vocabulary;

use std::net::IpAddr;
use std::sync::Arc;

use jiff::civil::Date;
use smallvec::SmallVec;

use crate::diagnostic::Diagnostic;
use crate::source::Span;
use crate::syntax::Node;

pub use address::is_private;
pub use names::is_valid_name;
pub use vocabulary::{
    Access, Algorithm, Collect, ComponentKind, Explain, ExternalKind, Failover, Mode, Network,
    Protocol, Purpose, RecordType, Role, TlsMode, Word,
};

/// A value and the span of the YAML node it was read from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(value: T, span: Span) -> Spanned<T> {
        Spanned { value, span }
    }
}

macro_rules! index_id {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub u32);

        impl $name {
            pub fn index(self) -> usize {
                self.0 as usize
            }

            pub fn from_index(index: usize) -> $name {
                $name(u32::try_from(index).expect("designs are far smaller than 4 billion items"))
            }
        }
    )*};
}

index_id! {
    /// A server: an index into [`Design::servers`].
    ServerId;
    /// A component: an index into [`Design::components`].
    ComponentId;
    /// A cluster: an index into [`Design::clusters`].
    ClusterId;
    /// An external service: an index into [`Design::externals`].
    ExternalId;
    /// A DNS record: an index into [`Design::records`].
    RecordId;
    /// A flow pair: an index into [`Design::flows`].
    FlowId;
    /// A client: an index into [`Design::clients`].
    ClientId;
}

#[derive(Debug)]
pub struct Design {
    pub name: Spanned<String>,
    pub description: Option<String>,
    pub domain: Option<Spanned<String>>,
    pub exercise: Option<Spanned<String>>,
    pub author: Option<String>,
    pub servers: Vec<Server>,
    pub components: Vec<Component>,
    pub records: Vec<DnsRecord>,
    pub nameservers: Vec<Spanned<String>>,
    /// The span of the `nameservers` key, when present.
    pub nameservers_span: Option<Span>,
    pub clusters: Vec<Cluster>,
    pub externals: Vec<External>,
    /// `zones:`, in file order: failure domains that fail as a whole.
    pub zones: Vec<Zone>,
    /// `clients:`, in file order: who starts requests besides `user`.
    pub clients: Vec<Client>,
    pub flows: Vec<Flow>,
    pub accepts: Vec<Acceptance>,
}

#[derive(Debug)]
pub struct Server {
    pub id: ServerId,
    /// The name and the span of its key under `servers`.
    pub name: Spanned<String>,
    pub ip: Option<Spanned<IpAddr>>,
    pub public: bool,
    pub zone: Option<Spanned<Arc<str>>>,
    pub why: Option<Arc<str>>,
    /// `availability:` in percent (`99.95`), when stated.
    pub availability: Option<Spanned<f64>>,
    /// In file order.
    pub components: Vec<ComponentId>,
}

#[derive(Debug)]
pub struct Component {
    pub id: ComponentId,
    pub server: ServerId,
    /// `name:` when given, else the kind; the span is the `name` value or the `kind` value.
    pub name: Spanned<Arc<str>>,
    pub kind: ComponentKind,
    /// The whole list item.
    pub span: Span,
    pub software: Option<Arc<str>>,
    pub why: Option<Arc<str>>,
    /// `service:`: targets of one service are alternatives; `None` means its kind.
    pub service: Option<Spanned<String>>,
    /// Databases and coordination services (`primary` unless stated for a database), and
    /// any member of a failover cluster.
    pub role: Option<Role>,
    /// `promotable:` (default true): a failover cluster may promote it when it is a
    /// replica or a standby.
    pub promotable: bool,
    /// Load balancers only: what it does with TLS that reaches it (`terminate` unless
    /// stated).
    pub tls: Option<TlsMode>,
    /// Load balancers only: `round_robin` unless stated.
    pub algorithm: Option<Algorithm>,
    /// Boxed: few components have one.
    pub certificate: Option<Box<Certificate>>,
    /// Firewalls only: the ports let in, `None` when not stated.
    pub allow: Option<Vec<Spanned<u16>>>,
    /// Monitoring agents only.
    pub collects: Vec<Collect>,
}

impl Component {
    /// The service it belongs to: `service:`, else its kind.
    pub fn service_name(&self) -> &str {
        self.service
            .as_ref()
            .map_or(self.kind.as_str(), |s| &s.value)
    }
}

#[derive(Debug)]
pub struct Certificate {
    pub domains: Vec<Spanned<String>>,
    pub expires: Option<Spanned<Date>>,
    pub span: Span,
}

impl Certificate {
    /// True when one of its domains covers the host: the same name, or a wildcard over
    /// exactly one label (`*.foobar.com` covers `www.foobar.com`, not `foobar.com`).
    pub fn covers(&self, host: &str) -> bool {
        self.domains.iter().any(|d| covers(&d.value, host))
    }
}

/// True when a certificate domain covers the host: the same name, or a wildcard over
/// exactly one label.
pub fn covers(domain: &str, host: &str) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let domain = domain.trim_end_matches('.').to_ascii_lowercase();
    match domain.strip_prefix("*.") {
        Some(parent) => host
            .strip_suffix(parent)
            .and_then(|label| label.strip_suffix('.'))
            .is_some_and(|label| !label.is_empty() && !label.contains('.')),
        None => host == domain,
    }
}

#[derive(Debug)]
pub struct Cluster {
    pub id: ClusterId,
    pub name: Spanned<String>,
    /// The member servers, each once, in the order listed.
    pub members: Vec<ServerId>,
    /// Per member: the component written as `SERVER/COMPONENT`; `None` for a bare
    /// server name, which stands for the server's front component.
    pub member_components: Vec<Option<ComponentId>>,
    /// Members that are external services (named in `members:`): a flow to the
    /// cluster reaches them too; they have no server, so they never vote.
    pub external_members: Vec<ExternalId>,
    pub mode: Mode,
    pub virtual_ip: Option<Spanned<IpAddr>>,
    /// `quorum:`: a member serves only while this many voters' servers are up.
    pub quorum: Option<Spanned<Quorum>>,
    /// `write_quorum:`: a member takes writes only while this many voters are up.
    pub write_quorum: Option<Spanned<Quorum>>,
    /// The servers that vote: `voters:`, else the members.
    pub voters: Vec<ServerId>,
    /// `failover: automatic`: flows to the cluster reach its current primary.
    pub failover: Option<FailoverSpec>,
    /// `hosts:`: a managed endpoint's host names (lower case, no final dot): a flow to
    /// one, or a CNAME to one, reaches the cluster as its name does.
    pub hosts: Vec<Spanned<String>>,
    pub span: Span,
}

/// A client that starts requests besides `user` (kubelets, an operator's CLI, a cron
/// host, another system). Clients never fail.
#[derive(Debug)]
pub struct Client {
    pub id: ClientId,
    pub name: Spanned<String>,
    pub network: Network,
    pub zone: Option<Spanned<Arc<str>>>,
}

/// A failover cluster: flows to its endpoint reach the current primary, which serves,
/// or else the coordinator promotes a member that can be promoted.
#[derive(Debug)]
pub struct FailoverSpec {
    /// The member with `role: primary`.
    pub primary: Member,
    /// Replicas and standbys that are not `promotable: false`.
    pub promotable: Vec<Member>,
    /// Who promotes; `None`: the platform, which never fails (Aurora).
    pub coordinator: Option<Coordinator>,
    /// `leader_lease: true`: a write to the primary also needs the coordinator.
    pub leader_lease: bool,
}

/// A member of a cluster that fails over: a component of the design, or an outside
/// service (an Aurora instance you do not run).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Member {
    Component(ComponentId),
    External(ExternalId),
}

/// What a failover cluster's `coordinator:` names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Coordinator {
    /// A cluster: serves while its quorum holds (without one, while a member is up).
    Cluster(ClusterId),
    /// The components of a service: serves while one of them does.
    Service(Vec<ComponentId>),
    External(ExternalId),
}

/// How many voters a quorum needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quorum {
    Count(u32),
    /// floor(n/2) + 1 of the n voters.
    Majority,
}

impl Quorum {
    /// The count it needs of `voters` voters.
    pub fn of(self, voters: usize) -> usize {
        match self {
            Quorum::Count(n) => n as usize,
            Quorum::Majority => voters / 2 + 1,
        }
    }
}

#[derive(Debug)]
pub struct External {
    pub id: ExternalId,
    pub name: Spanned<String>,
    pub kind: ExternalKind,
    /// `service:`: targets of one service are alternatives; `None` means its kind.
    pub service: Option<Spanned<String>>,
    /// Outside databases and coordination services: a database is `primary` unless
    /// stated, and takes writes.
    pub role: Option<Role>,
    /// An outside load balancer: what it does with TLS (`terminate` unless stated).
    pub tls: Option<TlsMode>,
    /// Host names the service answers (`hosts:`), lower case, without a final dot: a
    /// CNAME or a flow to one of them reaches the service.
    pub hosts: Vec<Spanned<String>>,
    /// `availability:` in percent, when stated.
    pub availability: Option<f64>,
    pub software: Option<String>,
    pub why: Option<String>,
}

/// A failure domain under `zones:`: its servers fail together when it does.
#[derive(Debug)]
pub struct Zone {
    pub name: Spanned<String>,
    /// In percent, when stated; a zone without one never fails on its own.
    pub availability: Option<Spanned<f64>>,
}

#[derive(Debug)]
pub struct DnsRecord {
    pub id: RecordId,
    /// As written: `www`, `@`.
    pub name: Spanned<String>,
    /// The full host name: `www.foobar.com`.
    pub host: String,
    pub record_type: RecordType,
    /// Where the type is written: what a fix edits.
    pub type_span: Span,
    pub value: Spanned<String>,
    /// The whole list item.
    pub span: Span,
}

/// One pair of a flow entry: a list on either side of an entry becomes every pair.
#[derive(Debug)]
pub struct Flow {
    pub from: Endpoint,
    pub to: Endpoint,
    pub protocol: Protocol,
    /// Where `protocol:` is written (an alias's anchor, when it came from one).
    pub protocol_span: Span,
    pub port: Option<u16>,
    /// Where `port:` is written, when it is.
    pub port_span: Option<Span>,
    pub access: Access,
    pub purpose: Option<Purpose>,
    /// `optional: true`: a soft dependency. Its target's failure degrades the service
    /// but stops nothing, so the structure function leaves it out.
    pub optional: bool,
    /// `request:`: the request classes the flow belongs to (empty: every class), shared
    /// by the pairs of one entry.
    pub request: Arc<[Spanned<String>]>,
    /// The whole flow entry.
    pub span: Span,
}

impl Flow {
    /// The flow as targets are written: `FROM -> TO`, each side as written in the file.
    pub fn target(&self) -> String {
        format!("{} -> {}", self.from.written, self.to.written)
    }
}

#[derive(Clone, Debug)]
pub struct Endpoint {
    /// As written in the file for this pair: one shared text however many pairs and
    /// flows write it.
    pub written: Arc<str>,
    pub span: Span,
    pub target: EndpointTarget,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EndpointTarget {
    /// The person with a browser, on the internet.
    User,
    /// A client of `clients:`: like `user`, only a flow's `from`.
    Client(ClientId),
    /// One or more components: several when a host name or a cluster reaches several
    /// servers.
    Components {
        /// One or two components nearly always: held inline, so that the tens of
        /// thousands of flow pairs of a big design allocate nothing for them.
        components: SmallVec<[ComponentId; 2]>,
        via: Via,
    },
    External(ExternalId),
}

/// How an endpoint reached its components.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Via {
    /// `SERVER/COMPONENT`.
    Component,
    /// A bare server name: its front component.
    Server,
    /// A bare cluster name: its members' front components.
    Cluster(ClusterId),
    /// A host name, through its records (CNAMEs followed), then through a cluster's
    /// virtual IP. Boxed: most endpoints name a server, and every endpoint pays the size
    /// of the largest way.
    Host(Box<HostRoute>),
}

/// How a host name reached its components.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostRoute {
    /// The records followed, CNAMEs included.
    pub records: Vec<RecordId>,
    /// The clusters whose virtual IP the records point at.
    pub clusters: Vec<ClusterId>,
}

#[derive(Debug)]
pub struct Acceptance {
    /// A rule's code or name, as written.
    pub rule: Spanned<String>,
    /// `None` accepts every finding of the rule.
    pub target: Option<Spanned<String>>,
    pub reason: String,
    pub until: Option<Spanned<Date>>,
    pub span: Span,
}

impl Design {
    pub fn server(&self, id: ServerId) -> &Server {
        &self.servers[id.index()]
    }

    pub fn component(&self, id: ComponentId) -> &Component {
        &self.components[id.index()]
    }

    pub fn flow(&self, id: FlowId) -> &Flow {
        &self.flows[id.index()]
    }

    /// Every flow pair with its id.
    pub fn flows(&self) -> impl Iterator<Item = (FlowId, &Flow)> {
        self.flows
            .iter()
            .enumerate()
            .map(|(index, flow)| (FlowId::from_index(index), flow))
    }

    /// `SERVER/NAME`, as targets are written.
    pub fn component_target(&self, id: ComponentId) -> String {
        let component = self.component(id);
        format!(
            "{}/{}",
            self.server(component.server).name.value,
            component.name.value
        )
    }

    /// The components of a server, in file order.
    pub fn components_of(&self, server: ServerId) -> impl Iterator<Item = &Component> {
        self.server(server)
            .components
            .iter()
            .map(|&c| self.component(c))
    }

    /// A network firewall: every component a firewall or a monitoring agent, and at least
    /// one firewall. Traffic passes through it unchanged.
    /// Per component: its database group, a representative component's index. Databases
    /// tied by replication flows or by a cluster are one group (they hold the same data);
    /// every other component is a group of its own. Union-find, near-linear.
    pub fn database_groups(&self) -> Vec<usize> {
        fn root(parent: &mut [usize], mut x: usize) -> usize {
            while parent[x] != x {
                parent[x] = parent[parent[x]];
                x = parent[x];
            }
            x
        }
        let mut parent: Vec<usize> = (0..self.components.len()).collect();
        let mut join = |a: ComponentId, b: ComponentId| {
            let (ra, rb) = (root(&mut parent, a.index()), root(&mut parent, b.index()));
            parent[ra] = rb;
        };
        for flow in self
            .flows
            .iter()
            .filter(|f| f.purpose == Some(Purpose::Replication))
        {
            if let (
                EndpointTarget::Components {
                    components: from, ..
                },
                EndpointTarget::Components { components: to, .. },
            ) = (&flow.from.target, &flow.to.target)
            {
                for &a in from {
                    for &b in to {
                        join(a, b);
                    }
                }
            }
        }
        for cluster in &self.clusters {
            for pair in self.cluster_components(cluster).windows(2) {
                join(pair[0], pair[1]);
            }
        }
        (0..self.components.len())
            .map(|c| root(&mut parent, c))
            .collect()
    }

    /// The request classes a flow starts, when it starts at the user or a client: its
    /// `request:` names, else the default class (`None`, from the user) or the class
    /// named after its client. Empty for a flow that starts anywhere else.
    pub fn start_classes<'a>(&'a self, flow: &'a Flow) -> Vec<Option<&'a str>> {
        let opened = match flow.from.target {
            EndpointTarget::User => None,
            EndpointTarget::Client(c) => Some(self.clients[c.index()].name.value.as_str()),
            _ => return Vec::new(),
        };
        if flow.request.is_empty() {
            vec![opened]
        } else {
            flow.request
                .iter()
                .map(|r| Some(r.value.as_str()))
                .collect()
        }
    }

    /// Every request class, the default first (it exists when the user has a flow
    /// without `request:`, or when no flow starts a class at all), then the named ones
    /// by name.
    pub fn request_classes(&self) -> Vec<Option<&str>> {
        let mut classes: Vec<Option<&str>> = self
            .flows
            .iter()
            .flat_map(|f| self.start_classes(f))
            .collect();
        classes.sort_unstable();
        classes.dedup();
        if classes.is_empty() {
            classes.push(None);
        }
        classes
    }

    /// The worker services by name, each with its components: their jobs are an
    /// outcome of their own.
    pub fn worker_services(&self) -> Vec<(&str, Vec<ComponentId>)> {
        let mut workers: Vec<(&str, ComponentId)> = self
            .components
            .iter()
            .filter(|c| c.kind == ComponentKind::Worker)
            .map(|c| (c.service_name(), c.id))
            .collect();
        workers.sort_unstable();
        workers
            .chunk_by(|a, b| a.0 == b.0)
            .map(|run| (run[0].0, run.iter().map(|&(_, c)| c).collect()))
            .collect()
    }

    /// A failover member as users write it: `SERVER/COMPONENT` or the service's name.
    pub fn member_name(&self, member: Member) -> String {
        match member {
            Member::Component(c) => self.component_target(c),
            Member::External(e) => self.externals[e.index()].name.value.clone(),
        }
    }

    /// The components a cluster stands for: each member's written component, else its
    /// front component (a member without one stands for nothing).
    pub fn cluster_components(&self, cluster: &Cluster) -> Vec<ComponentId> {
        cluster
            .members
            .iter()
            .zip(&cluster.member_components)
            .filter_map(|(&server, &component)| {
                component.or_else(|| self.front_component(server).ok())
            })
            .collect()
    }

    pub fn is_network_firewall(&self, server: ServerId) -> bool {
        let mut firewalls = 0;
        for component in self.components_of(server) {
            match component.kind {
                ComponentKind::Firewall => firewalls += 1,
                ComponentKind::MonitoringAgent => {}
                _ => return false,
            }
        }
        firewalls > 0
    }

    /// The component a bare server name stands for: the first present of the front
    /// kinds (load balancer, web server, app server, database); else the server's only
    /// component that is not a firewall or a monitoring agent, whatever its kind (a cache,
    /// a queue); on a network firewall, its first firewall. `Err` says why there is none.
    pub fn front_component(&self, server: ServerId) -> Result<ComponentId, FrontError> {
        let kinds: &[ComponentKind] = if self.is_network_firewall(server) {
            &[ComponentKind::Firewall]
        } else {
            &ComponentKind::FRONT_ORDER
        };
        for &kind in kinds {
            let mut of_kind = self.components_of(server).filter(|c| c.kind == kind);
            if let Some(first) = of_kind.next() {
                if kind != ComponentKind::Firewall && of_kind.next().is_some() {
                    return Err(FrontError::Ambiguous(kind));
                }
                return Ok(first.id);
            }
        }
        let mut working = self.components_of(server).filter(|c| {
            !matches!(
                c.kind,
                ComponentKind::Firewall | ComponentKind::MonitoringAgent
            )
        });
        match (working.next(), working.next()) {
            (Some(only), None) => Ok(only.id),
            (Some(_), Some(_)) => Err(FrontError::Several),
            (None, _) => Err(FrontError::None),
        }
    }
}

/// Why a bare server name stands for no component.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FrontError {
    /// No load balancer, web server, app server or database (nor, on a network firewall,
    /// a firewall).
    None,
    /// Two components of the front kind.
    Ambiguous(ComponentKind),
    /// No front kind, and several components that are not firewalls or agents (a cache
    /// and a queue): which one is meant?
    Several,
}

/// How many connections (flow pairs, times the components each side reaches) a design
/// of `bytes` may make: 100,000 plus one per byte. Counted before anything is expanded,
/// so that an 80 KB file of long flow lists cannot ask for 100 million pairs.
pub fn max_connections(bytes: usize) -> usize {
    100_000usize.saturating_add(bytes)
}

/// Reads a design from its syntax tree. `Err` holds every design error found.
///
/// Takes the tree and drops it once read, before names are connected: the tree and the
/// finished model are never in memory together (the peak of a check; BENCHMARKS.md).
pub fn build(root: Node<'_>, max_connections: usize) -> Result<Design, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let draft = lower::lower(root, &mut errors);
    let design = resolve::resolve(draft, max_connections, &mut errors);
    if errors.is_empty() {
        Ok(design)
    } else {
        errors.sort_by_key(|e| e.span.map(|s| s.start));
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{design, errors};

    /// The components a flow's `to` reaches, as `SERVER/NAME`.
    fn to_targets(design: &Design, flow: usize) -> Vec<String> {
        match &design.flows[flow].to.target {
            EndpointTarget::Components { components, .. } => components
                .iter()
                .map(|&c| design.component_target(c))
                .collect(),
            EndpointTarget::External(id) => vec![design.externals[id.index()].name.value.clone()],
            EndpointTarget::User | EndpointTarget::Client(_) => vec!["user".to_string()],
        }
    }

    const SERVERS: &str = "
name: t
domain: foobar.com
servers:
  lb-01:
    ip: 10.0.0.1
    components: [{ kind: load_balancer }, { kind: firewall }]
  lb-02:
    ip: 10.0.0.2
    components: [{ kind: load_balancer }]
  web-01:
    ip: 10.0.0.11
    components: [{ kind: app_server }, { kind: web_server }, { kind: database }]
  web-02:
    ip: 10.0.0.12
    components: [{ kind: web_server, name: front }]
  fw-01:
    ip: 203.0.113.1
    components: [{ kind: monitoring_agent }, { kind: firewall, name: edge }]
external:
  cdn.example.net: { kind: cdn }
clusters:
  - { name: lbs, members: [lb-01, lb-02], virtual_ip: 8.8.8.8 }
";

    #[test]
    fn every_endpoint_form_resolves() {
        let d = design(&format!(
            "{SERVERS}dns:
  records:
    - {{ name: www, type: A, value: 8.8.8.8 }}
    - {{ name: api, type: A, value: 10.0.0.11 }}
    - {{ name: api, type: A, value: 10.0.0.12 }}
    - {{ name: blog, type: CNAME, value: www.foobar.com. }}
    - {{ name: static, type: CNAME, value: cdn.example.net }}
    - {{ name: edge, type: A, value: 203.0.113.1 }}
    - {{ name: '@', type: CNAME, value: 10.0.0.11 }}
flows:
  - {{ from: user, to: www.foobar.com, protocol: https }}
  - {{ from: user, to: web-01/database, protocol: tcp }}
  - {{ from: user, to: web-01, protocol: http }}
  - {{ from: user, to: lbs, protocol: http }}
  - {{ from: user, to: API.foobar.com, protocol: http }}
  - {{ from: user, to: blog.foobar.com, protocol: http }}
  - {{ from: user, to: static.foobar.com, protocol: http }}
  - {{ from: user, to: cdn.example.net, protocol: http }}
  - {{ from: user, to: edge.foobar.com, protocol: https }}
  - {{ from: user, to: foobar.com, protocol: http }}
"
        ));
        let all: Vec<Vec<String>> = (0..d.flows.len()).map(|i| to_targets(&d, i)).collect();
        assert_eq!(
            all[0],
            ["lb-01/load_balancer", "lb-02/load_balancer"],
            "www -> virtual IP -> both members"
        );
        assert_eq!(all[1], ["web-01/database"]);
        assert_eq!(
            all[2],
            ["web-01/web_server"],
            "the front kind order, not file order"
        );
        assert_eq!(all[3], ["lb-01/load_balancer", "lb-02/load_balancer"]);
        assert_eq!(
            all[4],
            ["web-01/web_server", "web-02/front"],
            "several A records, any case"
        );
        assert_eq!(all[5], all[0], "a CNAME is followed, a final dot is fine");
        assert_eq!(
            all[6],
            ["cdn.example.net"],
            "a CNAME to an external service"
        );
        assert_eq!(all[7], ["cdn.example.net"]);
        assert_eq!(
            all[8],
            ["fw-01/edge"],
            "a network firewall's front is its firewall"
        );
        assert_eq!(
            all[9],
            ["web-01/web_server"],
            "a CNAME to an address is followed like an A"
        );
        assert!(matches!(
            &d.flows[0].to.target,
            EndpointTarget::Components { via: Via::Host(route), .. } if route.clusters.len() == 1
        ));
    }

    #[test]
    fn lists_expand_to_every_pair_and_keep_what_was_written() {
        let d = design(&format!(
            "{SERVERS}flows:
  - {{ from: [lb-01, lb-02], to: [web-01, web-02/front], protocol: http }}
"
        ));
        let pairs: Vec<String> = d.flows.iter().map(Flow::target).collect();
        assert_eq!(
            pairs,
            [
                "lb-01 -> web-01",
                "lb-01 -> web-02/front",
                "lb-02 -> web-01",
                "lb-02 -> web-02/front"
            ]
        );
        assert!(
            d.flows
                .iter()
                .all(|f| f.access == Access::ReadWrite && f.purpose.is_none())
        );
    }

    #[test]
    fn defaults() {
        let d = design(SERVERS);
        let lb = &d.components[0];
        assert_eq!(lb.algorithm, Some(Algorithm::RoundRobin));
        assert_eq!(d.component(ComponentId(5)).role, Some(Role::Primary));
        assert_eq!(
            d.component(ComponentId(4)).role,
            None,
            "a role only on databases"
        );
        assert_eq!(d.clusters[0].mode, Mode::ActiveActive);
        assert!(d.is_network_firewall(ServerId(4)));
        assert!(!d.is_network_firewall(ServerId(0)));
        assert_eq!(
            d.components_of(ServerId(3))
                .next()
                .unwrap()
                .name
                .value
                .as_ref(),
            "front"
        );
    }

    #[test]
    fn a_server_address_inside_a_cluster_is_not_a_duplicate() {
        let text = "
name: t
servers:
  a: { ip: 8.8.8.8, components: [{ kind: load_balancer }] }
  b: { ip: 8.8.8.8, components: [{ kind: load_balancer }] }
clusters:
  - { name: pair, members: [a, b], virtual_ip: 8.8.8.8 }
";
        assert!(errors(text).is_empty());
        let without_cluster = text.replace(
            "clusters:\n  - { name: pair, members: [a, b], virtual_ip: 8.8.8.8 }\n",
            "",
        );
        assert_eq!(
            errors(&without_cluster),
            ["two servers have the address 8.8.8.8"]
        );
    }

    #[test]
    fn derived_errors_are_not_reported_twice() {
        // The server's kind is wrong; the flow to it must not add a second error.
        let found = errors(
            "
name: t
servers:
  web-01: { components: [{ kind: web_servr }] }
flows:
  - { from: user, to: web-01/web_servr, protocol: http }
  - { from: user, to: web-01, protocol: http }
",
        );
        assert_eq!(found, ["unknown kind `web_servr`"]);
    }

    #[test]
    fn wildcards_cover_one_label() {
        assert!(covers("www.foobar.com", "WWW.foobar.com."));
        assert!(covers("*.foobar.com", "www.foobar.com"));
        assert!(!covers("*.foobar.com", "foobar.com"));
        assert!(!covers("*.foobar.com", "a.b.foobar.com"));
        assert!(!covers("*.foobar.com", "wwwfoobar.com"));
        assert!(!covers("foobar.com", "www.foobar.com"));
    }

    #[test]
    fn a_missing_servers_key_stops_reference_checks() {
        let found = errors("name: t\nflows:\n  - { from: user, to: web-01, protocol: http }\n");
        assert_eq!(found, ["the design has no `servers`"]);
    }
}
