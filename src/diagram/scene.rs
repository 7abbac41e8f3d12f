//! What the picture shows, decided from the design and its findings: boxes (the user,
//! DNS, servers with their components, clusters, external services), links between
//! them, and the numbered findings. No geometry here; `layout` places it.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use crate::diagnostic::Severity;
use crate::model::{
    Access, ClusterId, ComponentKind, Design, EndpointTarget, Purpose, ServerId, Via,
};
use crate::rules::{self, Finding, Target};

/// Up to this many monitoring links are drawn as lines; past it, as a line in each source
/// box.
pub const MONITORING_LINES_UP_TO: usize = 6;

/// This many servers alike, or more, are drawn as one box.
pub const FOLD_AT: usize = 4;

/// What makes servers alike: their tier, and their components' kinds, names and software.
type Alike<'d> = (u8, Vec<(ComponentKind, &'d str, Option<&'d str>)>);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShapeKind {
    User,
    Dns,
    Server,
    Cluster,
    External,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub text: String,
    /// Drawn with a padlock: the component presents a certificate.
    pub lock: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Badge {
    pub text: String,
    pub severity: Severity,
    pub accepted: bool,
}

#[derive(Clone, Debug)]
pub struct Shape {
    pub kind: ShapeKind,
    pub title: String,
    pub subtitle: Option<String>,
    pub lines: Vec<Line>,
    /// A single point of failure: outlined in the error colour.
    pub alarm: bool,
    /// Failed in a what-if (`simulate --svg`): drawn greyed out.
    pub down: bool,
    /// Findings on this shape: "3 SE001", or on a folded shape "12× SE001".
    pub badges: Vec<Badge>,
    /// Where it sits in the request path's reading order, top to bottom: the user, DNS,
    /// network firewalls, load balancers, web, app, data, outside services.
    pub tier: u8,
    /// A server that only runs workers (beside a firewall, agents and code): it takes
    /// jobs and serves no request.
    pub worker: bool,
    /// A cluster's way of surviving a member's failure, drawn on its container.
    pub guard: Guard,
}

/// How a cluster keeps serving when a member fails, beyond its members sharing the
/// work: drawn on its container (and in Mermaid and D2) and named in the legend.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Guard {
    /// `failover:` set: a standby is promoted automatically.
    pub failover: bool,
    /// `quorum:` or `write_quorum:` set: it serves while enough voters do.
    pub quorum: bool,
}

impl Guard {
    /// What the legend says of a container drawn this way.
    pub fn legend(self) -> &'static str {
        match (self.failover, self.quorum) {
            (true, true) => "cluster with automatic failover and a quorum",
            (true, false) => "cluster with automatic failover (a standby is promoted)",
            (false, true) => "quorum cluster (serves while a quorum of its voters does)",
            (false, false) => "cluster (its members share the work)",
        }
    }

    /// The outline's colour and width, and whether it is drawn twice (failover).
    pub fn outline(self) -> (&'static str, f64, bool) {
        let colour = if self.quorum {
            "#4527a0"
        } else if self.failover {
            "#00695c"
        } else {
            "#455a64"
        };
        let width = if self.quorum { 3.0 } else { 1.5 };
        (colour, width, self.failover)
    }
}

/// A worker's box is marked with a bar of this colour down its left side.
pub const WORKER_COLOUR: &str = "#6d4c41";

impl Shape {
    /// A shape with no lines, findings or marks.
    fn new(kind: ShapeKind, title: String, subtitle: Option<String>, tier: u8) -> Shape {
        Shape {
            kind,
            title,
            subtitle,
            lines: Vec::new(),
            alarm: false,
            down: false,
            badges: Vec::new(),
            tier,
            worker: false,
            guard: Guard::default(),
        }
    }

    /// A shape's label: its title, subtitle, lines and badges, a line each; a line whose
    /// component presents a certificate says `TLS` (a word, not a padlock: the fonts that
    /// draw Mermaid and D2 need not have one).
    pub fn label_lines(&self) -> Vec<String> {
        let mut lines = vec![self.title.clone()];
        lines.extend(self.subtitle.clone());
        lines.extend(self.lines.iter().map(|l| {
            if l.lock {
                format!("TLS · {}", l.text)
            } else {
                l.text.clone()
            }
        }));
        if !self.badges.is_empty() {
            let badges: Vec<&str> = self.badges.iter().map(|b| b.text.as_str()).collect();
            lines.push(format!("⚠ {}", badges.join(", ")));
        }
        lines
    }
}

/// How a link is drawn; the legend lists the styles a picture uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LinkStyle {
    /// A request over an encrypted protocol: solid, with a padlock.
    Encrypted,
    /// A request in plaintext: dashed.
    Plaintext,
    Replication,
    Monitoring,
    /// A cluster and its members.
    Member,
    /// The user asking DNS for the site's address.
    Lookup,
}

/// How a link style is drawn, in every format that can draw it (SVG, Mermaid, D2).
#[derive(Clone, Copy, Debug)]
pub struct Stroke {
    pub colour: &'static str,
    pub width: f64,
    /// Dash and gap lengths; empty: solid.
    pub dash: &'static [u8],
}

impl Stroke {
    /// The dash and gap lengths joined by `separator` (`7,5` in SVG, `7 5` in CSS);
    /// empty when solid.
    pub fn dashes(&self, separator: &str) -> String {
        let lengths: Vec<String> = self.dash.iter().map(u8::to_string).collect();
        lengths.join(separator)
    }
}

impl LinkStyle {
    pub const fn stroke(self) -> Stroke {
        let (colour, width, dash): (&str, f64, &[u8]) = match self {
            LinkStyle::Encrypted => ("#2e7d32", 2.0, &[]),
            LinkStyle::Plaintext => ("#c62828", 2.0, &[7, 5]),
            LinkStyle::Replication => ("#6a1b9a", 2.0, &[2, 4]),
            LinkStyle::Monitoring => ("#78909c", 1.5, &[1, 3]),
            LinkStyle::Member => ("#455a64", 1.5, &[10, 3, 2, 3]),
            LinkStyle::Lookup => ("#1565c0", 1.5, &[4, 3]),
        };
        Stroke {
            colour,
            width,
            dash,
        }
    }

    pub fn legend(self) -> &'static str {
        match self {
            LinkStyle::Encrypted => "encrypted request",
            LinkStyle::Plaintext => "plaintext request",
            LinkStyle::Replication => "database replication",
            LinkStyle::Monitoring => "monitoring data",
            LinkStyle::Member => "cluster member",
            LinkStyle::Lookup => "DNS lookup",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    pub from: usize,
    pub to: usize,
    pub style: LinkStyle,
    pub label: String,
    /// On a surviving path in a what-if: drawn bold.
    pub bold: bool,
    /// Every flow it stands for is `optional: true` (its target's failure degrades the
    /// service, stops nothing): drawn faded, its label says so.
    pub optional: bool,
    /// It stands for a flow that counts only for some request classes or workers' jobs
    /// (`request:`), named in brackets in its label.
    pub classed: bool,
}

/// A finding in the numbered list under the drawing.
#[derive(Clone, Debug)]
pub struct Note {
    pub number: usize,
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    pub accepted: bool,
}

#[derive(Clone, Debug)]
pub struct Scene {
    pub title: String,
    pub shapes: Vec<Shape>,
    pub links: Vec<Link>,
    /// `None` when findings are left off (`--no-findings`).
    pub notes: Option<Vec<Note>>,
    /// The shape of each server (folded servers share one), and of each external service.
    pub server_shape: Vec<usize>,
    /// Each server's name, by its id: what a folded shape holds.
    pub server_names: Vec<String>,
    /// Each server's zone, by its id.
    pub server_zones: Vec<Option<Arc<str>>>,
    /// Each shape's servers, by id: one pass over `server_shape`, so that asking a shape
    /// for its servers costs its own servers, not all of them.
    pub shape_servers: Vec<Vec<usize>>,
    pub external_shape: Vec<usize>,
    /// The shapes of clusters with no virtual IP: nothing to address but the cluster
    /// itself, so where a container is drawn, the cluster's box is its header.
    pub unaddressed: Vec<usize>,
}

impl Scene {
    /// The servers a shape stands for: one, or every server of a folded shape.
    pub fn servers_of(&self, shape: usize) -> Vec<&str> {
        self.shape_servers[shape]
            .iter()
            .map(|&s| self.server_names[s].as_str())
            .collect()
    }
}

fn kind_words(kind: ComponentKind) -> &'static str {
    match kind {
        ComponentKind::LoadBalancer => "load balancer",
        ComponentKind::WebServer => "web server",
        ComponentKind::AppServer => "application server",
        ComponentKind::Codebase => "code base",
        ComponentKind::Database => "database",
        ComponentKind::Cache => "cache",
        ComponentKind::Queue => "queue",
        ComponentKind::Storage => "storage",
        ComponentKind::Firewall => "firewall",
        ComponentKind::MonitoringAgent => "monitoring agent",
        ComponentKind::Cdn => "CDN",
        ComponentKind::Proxy => "proxy",
        ComponentKind::Search => "search",
        ComponentKind::Coordination => "coordination",
        ComponentKind::Worker => "worker",
        ComponentKind::Other => "other",
    }
}

/// One line per component: "web server · Nginx", with what matters most about it.
fn component_line(component: &crate::model::Component) -> Line {
    let mut text = kind_words(component.kind).to_string();
    if *component.name.value != *component.kind.as_str() {
        text = format!("{} ({text})", component.name.value);
    }
    if let Some(software) = &component.software {
        text.push_str(" · ");
        text.push_str(software);
    }
    let detail = match component.kind {
        ComponentKind::LoadBalancer => component.algorithm.map(|a| a.as_str().replace('_', " ")),
        _ if component.role.is_some() => component.role.map(|r| r.as_str().to_string()),
        ComponentKind::Firewall => component.allow.as_ref().map(|ports| {
            let ports: Vec<String> = ports.iter().map(|p| p.value.to_string()).collect();
            format!("allows {}", ports.join(", "))
        }),
        ComponentKind::MonitoringAgent if !component.collects.is_empty() => {
            let what: Vec<&str> = component.collects.iter().map(|c| c.as_str()).collect();
            Some(what.join(", "))
        }
        _ => None,
    };
    if let Some(detail) = detail {
        text.push_str(&format!(" ({detail})"));
    }
    Line {
        text,
        lock: component.certificate.is_some(),
    }
}

/// How a failover cluster's coordinator is written: a cluster's or outside service's
/// name, or a service.
fn coordinator_name(design: &Design, coordinator: &crate::model::Coordinator) -> String {
    match coordinator {
        crate::model::Coordinator::Cluster(id) => design.clusters[id.index()].name.value.clone(),
        crate::model::Coordinator::External(id) => design.externals[id.index()].name.value.clone(),
        crate::model::Coordinator::Service(components) => components
            .first()
            .map(|&c| design.component(c).service_name().to_string())
            .unwrap_or_default(),
    }
}

/// A server's tier, from its front kind (or what else it runs).
/// Whether a server runs workers and nothing else that serves: beside them only a
/// firewall, monitoring agents and code.
fn only_works(design: &Design, server: ServerId) -> bool {
    let kinds: Vec<ComponentKind> = design.components_of(server).map(|c| c.kind).collect();
    kinds.contains(&ComponentKind::Worker)
        && kinds.iter().all(|k| {
            matches!(
                k,
                ComponentKind::Worker
                    | ComponentKind::Firewall
                    | ComponentKind::MonitoringAgent
                    | ComponentKind::Codebase
            )
        })
}

fn server_tier(design: &Design, server: ServerId) -> u8 {
    if design.is_network_firewall(server) {
        return 4;
    }
    let kinds: Vec<ComponentKind> = design.components_of(server).map(|c| c.kind).collect();
    let has = |kind| kinds.contains(&kind);
    if has(ComponentKind::Cdn) {
        4
    } else if has(ComponentKind::LoadBalancer) {
        6
    } else if has(ComponentKind::WebServer) {
        8
    } else if has(ComponentKind::AppServer) || has(ComponentKind::Worker) {
        10
    } else if has(ComponentKind::Proxy) {
        11
    } else {
        12
    }
}

pub fn build(design: &Design, findings: Option<&[Finding]>) -> Scene {
    build_with(design, findings, Monitoring::Auto)
}

/// How monitoring flows are drawn (`diagram --monitoring`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Monitoring {
    /// Lines up to 6 monitoring flows, a line in each source box past that.
    #[default]
    Auto,
    /// Always a line from each agent to where its data goes.
    Lines,
    /// Always a line of text in each source box, and no line across the picture.
    Badges,
}

/// The user's shape: the first, in the top tier.
const USER: usize = 0;

/// [`build`], with monitoring drawn as asked.
pub fn build_with(design: &Design, findings: Option<&[Finding]>, monitoring: Monitoring) -> Scene {
    let mut shapes = Vec::new();
    let mut links: Vec<Link> = Vec::new();
    let client_shape = people(design, &mut shapes);
    let dns = dns_shape(design, &mut shapes);
    let (server_shape, folded) = server_shapes(design, &mut shapes);
    let cluster_shape = cluster_shapes(design, &mut shapes, &mut links, &server_shape);
    let external_shape = external_shapes(design, &mut shapes);
    let drawn = Drawn {
        client_shape: &client_shape,
        server_shape: &server_shape,
        cluster_shape: &cluster_shape,
        external_shape: &external_shape,
    };
    if let Some(dns) = dns {
        links.push(lookup(design, dns));
    }
    flow_links(design, &drawn, &mut shapes, &mut links);
    monitoring_in_boxes(&mut shapes, &mut links, monitoring);
    settle_tiers(&mut shapes, &links);
    let notes = findings.map(|findings| {
        let on = Noted {
            client_shape: &client_shape,
            server_shape: &server_shape,
            dns,
            folded: &folded,
        };
        notes(design, findings, &on, &mut shapes)
    });
    let mut shape_servers = vec![Vec::new(); shapes.len()];
    for (server, &shape) in server_shape.iter().enumerate() {
        shape_servers[shape].push(server);
    }
    Scene {
        title: design.name.value.clone(),
        shapes,
        links,
        notes,
        shape_servers,
        server_shape,
        server_names: design
            .servers
            .iter()
            .map(|s| s.name.value.clone())
            .collect(),
        server_zones: design
            .servers
            .iter()
            .map(|s| s.zone.as_ref().map(|z| z.value.clone()))
            .collect(),
        external_shape,
        unaddressed: design
            .clusters
            .iter()
            .zip(&cluster_shape)
            .filter(|(c, _)| c.virtual_ip.is_none())
            .map(|(_, &shape)| shape)
            .collect(),
    }
}

/// The shapes' tiers settled so that requests read down (`tiers::settle`).
fn settle_tiers(shapes: &mut [Shape], links: &[Link]) {
    use super::tiers::{Role, Tie};
    let roles: Vec<Role> = shapes
        .iter()
        .map(|s| match s.kind {
            ShapeKind::Server => Role::Server,
            ShapeKind::Cluster => Role::Cluster,
            _ => Role::Other,
        })
        .collect();
    let ties: Vec<Tie> = links
        .iter()
        .map(|l| Tie {
            from: l.from,
            to: l.to,
            request: matches!(l.style, LinkStyle::Encrypted | LinkStyle::Plaintext),
            member: l.style == LinkStyle::Member,
        })
        .collect();
    let mut tiers: Vec<u8> = shapes.iter().map(|s| s.tier).collect();
    super::tiers::settle(&mut tiers, &roles, &ties);
    for (shape, tier) in shapes.iter_mut().zip(tiers) {
        shape.tier = tier;
    }
}

/// Where the shapes of a design's parts are, for the links between them.
struct Drawn<'a> {
    client_shape: &'a [usize],
    server_shape: &'a [usize],
    cluster_shape: &'a [usize],
    external_shape: &'a [usize],
}

impl Drawn<'_> {
    // The shapes an endpoint stands for: a host name that reaches a cluster's virtual IP,
    // or a bare cluster name, is the cluster; otherwise the servers of its components.
    fn shapes_of(&self, design: &Design, target: &EndpointTarget) -> Vec<usize> {
        match target {
            EndpointTarget::User => vec![USER],
            EndpointTarget::Client(id) => vec![self.client_shape[id.index()]],
            EndpointTarget::External(id) => vec![self.external_shape[id.index()]],
            EndpointTarget::Components { components, via } => {
                let clusters: Vec<ClusterId> = match via {
                    Via::Cluster(id) => vec![*id],
                    Via::Host(route) => route.clusters.clone(),
                    _ => Vec::new(),
                };
                let mut out: Vec<usize> = clusters
                    .iter()
                    .map(|c| self.cluster_shape[c.index()])
                    .collect();
                for &component in components {
                    let server = design.component(component).server;
                    let in_cluster = clusters
                        .iter()
                        .any(|c| design.clusters[c.index()].members.contains(&server));
                    if !in_cluster {
                        out.push(self.server_shape[server.index()]);
                    }
                }
                out.sort_unstable();
                out.dedup();
                out
            }
        }
    }
}

/// The user, then each client beside it in the top tier; the clients' shapes.
fn people(design: &Design, shapes: &mut Vec<Shape>) -> Vec<usize> {
    shapes.push(Shape::new(
        ShapeKind::User,
        "User".to_string(),
        Some("browser on the internet".to_string()),
        0,
    ));
    // Each client beside the user, in the top tier.
    design
        .clients
        .iter()
        .map(|client| {
            shapes.push(Shape::new(
                ShapeKind::User,
                client.name.value.clone(),
                Some(format!("client on the {} network", client.network)),
                0,
            ));
            shapes.len() - 1
        })
        .collect()
}

/// DNS, when the user's requests are resolved through records.
fn dns_shape(design: &Design, shapes: &mut Vec<Shape>) -> Option<usize> {
    // DNS: the records that the user's requests are resolved through.
    let mut records = BTreeSet::new();
    for flow in design
        .flows
        .iter()
        .filter(|f| f.from.target == EndpointTarget::User)
    {
        if let EndpointTarget::Components {
            via: Via::Host(route),
            ..
        } = &flow.to.target
        {
            records.extend(route.records.iter().copied());
        }
    }
    (!records.is_empty()).then(|| {
        shapes.push(Shape {
            lines: records
                .iter()
                .map(|r| {
                    let record = &design.records[r.index()];
                    Line {
                        text: format!(
                            "{}  {}  {}",
                            record.host, record.record_type, record.value.value
                        ),
                        lock: false,
                    }
                })
                .collect(),
            ..Shape::new(
                ShapeKind::Dns,
                "DNS".to_string(),
                design.domain.as_ref().map(|d| d.value.clone()),
                2,
            )
        });
        shapes.len() - 1
    })
}

/// Each server's shape (servers alike folded into one), and the folded shapes.
fn server_shapes(design: &Design, shapes: &mut Vec<Shape>) -> (Vec<usize>, Vec<usize>) {
    // Servers alike (one tier, the same components and software), four or more of them,
    // are folded into one box: the picture stays readable and its layout small.
    let mut groups: Vec<Vec<ServerId>> = Vec::new();
    let mut group_of: HashMap<Alike<'_>, usize> = HashMap::new();
    for server in &design.servers {
        let mut alike: Vec<_> = design
            .components_of(server.id)
            .map(|c| (c.kind, &*c.name.value, c.software.as_deref()))
            .collect();
        alike.sort();
        let key = (server_tier(design, server.id), alike);
        let group = *group_of.entry(key).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[group].push(server.id);
    }
    let mut server_shape = vec![0; design.servers.len()];
    let mut folded = Vec::new();
    for group in &groups {
        let members: Vec<Vec<ServerId>> = if group.len() >= FOLD_AT {
            vec![group.clone()]
        } else {
            group.iter().map(|&s| vec![s]).collect()
        };
        for members in members {
            let first = design.server(members[0]);
            let (title, subtitle) = if let [only] = members.as_slice() {
                let server = design.server(*only);
                let mut subtitle = Vec::new();
                if let Some(ip) = &server.ip {
                    subtitle.push(ip.value.to_string());
                }
                if let Some(zone) = &server.zone {
                    subtitle.push(format!("zone {}", zone.value));
                }
                (server.name.value.clone(), subtitle)
            } else {
                let last = design.server(*members.last().expect("a group has members"));
                let mut zones: Vec<&str> = members
                    .iter()
                    .filter_map(|&m| design.server(m).zone.as_ref().map(|z| &*z.value))
                    .collect();
                zones.sort_unstable();
                zones.dedup();
                let mut subtitle = vec![format!("{} servers alike", members.len())];
                match zones.as_slice() {
                    [] => {}
                    [zone] => subtitle.push(format!("zone {zone}")),
                    _ => subtitle.push(format!("zones {}", zones.join(", "))),
                }
                (
                    format!("{} … {}", first.name.value, last.name.value),
                    subtitle,
                )
            };
            shapes.push(Shape {
                lines: design.components_of(first.id).map(component_line).collect(),
                worker: only_works(design, first.id),
                ..Shape::new(
                    ShapeKind::Server,
                    title,
                    (!subtitle.is_empty()).then(|| subtitle.join(" · ")),
                    server_tier(design, first.id),
                )
            });
            let shape = shapes.len() - 1;
            if members.len() > 1 {
                folded.push(shape);
            }
            for &member in &members {
                server_shape[member.index()] = shape;
            }
        }
    }
    (server_shape, folded)
}

/// Each cluster's shape, linked to its members' shapes.
fn cluster_shapes(
    design: &Design,
    shapes: &mut Vec<Shape>,
    links: &mut Vec<Link>,
    server_shape: &[usize],
) -> Vec<usize> {
    design
        .clusters
        .iter()
        .map(|cluster| {
            let mut subtitle = vec![cluster.mode.as_str().to_string()];
            if let Some(vip) = &cluster.virtual_ip {
                subtitle.insert(0, format!("virtual IP {}", vip.value));
            }
            if let Some(failover) = &cluster.failover {
                subtitle[0] = match &failover.coordinator {
                    Some(coordinator) => format!(
                        "automatic failover, coordinator {}",
                        coordinator_name(design, coordinator)
                    ),
                    None => "automatic failover".to_string(),
                };
            }
            let voters = cluster.voters.len();
            for (what, quorum) in [
                ("quorum", &cluster.quorum),
                ("write quorum", &cluster.write_quorum),
            ] {
                if let Some(q) = quorum {
                    subtitle.push(format!("{what} {} of {voters}", q.value.of(voters)));
                }
            }
            // Just above its highest member.
            let tier = cluster
                .members
                .iter()
                .map(|&m| server_tier(design, m))
                .min()
                .unwrap_or(6)
                .saturating_sub(1);
            shapes.push(Shape {
                guard: Guard {
                    failover: cluster.failover.is_some(),
                    quorum: cluster.quorum.is_some() || cluster.write_quorum.is_some(),
                },
                ..Shape::new(
                    ShapeKind::Cluster,
                    cluster.name.value.clone(),
                    Some(subtitle.join(" · ")),
                    tier,
                )
            });
            let index = shapes.len() - 1;
            let mut member_shapes: Vec<usize> = cluster
                .members
                .iter()
                .map(|m| server_shape[m.index()])
                .collect();
            member_shapes.dedup();
            for to in member_shapes {
                links.push(Link {
                    from: index,
                    to,
                    style: LinkStyle::Member,
                    label: String::new(),
                    bold: false,
                    optional: false,
                    classed: false,
                });
            }
            index
        })
        .collect()
}

/// Each outside service's shape.
fn external_shapes(design: &Design, shapes: &mut Vec<Shape>) -> Vec<usize> {
    design
        .externals
        .iter()
        .map(|external| {
            let mut subtitle = external.kind.as_str().to_string();
            if let Some(software) = &external.software {
                subtitle.push_str(&format!(" · {software}"));
            }
            // A service that forwards requests into the design (a CDN in front of the
            // origin) stands in front, between DNS and the first servers; the others
            // (monitoring, a payment API) below everything.
            let forwards = design.flows.iter().any(|f| {
                f.from.target == EndpointTarget::External(external.id) && f.purpose.is_none()
            });
            shapes.push(Shape::new(
                ShapeKind::External,
                external.name.value.clone(),
                Some(subtitle),
                if forwards { 3 } else { 16 },
            ));
            shapes.len() - 1
        })
        .collect()
}

/// The user looking up the hosts it asks for, at DNS.
fn lookup(design: &Design, dns: usize) -> Link {
    let mut hosts: Vec<&str> = design
        .flows
        .iter()
        .filter(|f| f.from.target == EndpointTarget::User)
        .filter(|f| {
            matches!(
                f.to.target,
                EndpointTarget::Components {
                    via: Via::Host(_),
                    ..
                }
            )
        })
        .map(|f| &*f.to.written)
        .collect();
    hosts.sort_unstable();
    hosts.dedup();
    Link {
        from: USER,
        to: dns,
        style: LinkStyle::Lookup,
        label: format!("looks up {}", hosts.join(", ")),
        bold: false,
        optional: false,
        classed: false,
    }
}

/// The flows as links: one per pair of shapes and style, in file order; parallel flows
/// of one style between one pair are bundled into one link, their labels joined. A flow
/// between components of one server is a line in the server's box.
fn flow_links(design: &Design, drawn: &Drawn<'_>, shapes: &mut [Shape], links: &mut Vec<Link>) {
    let mut seen = BTreeSet::new();
    let mut bundled: HashMap<(usize, usize, LinkStyle), usize> = HashMap::new();
    let mut inside: BTreeSet<(usize, String)> = BTreeSet::new();
    for flow in &design.flows {
        let style = match flow.purpose {
            Some(Purpose::Replication) => LinkStyle::Replication,
            Some(Purpose::Monitoring) => LinkStyle::Monitoring,
            None if flow.protocol.is_encrypted() => LinkStyle::Encrypted,
            None => LinkStyle::Plaintext,
        };
        let mut label = flow.protocol.as_str().to_string();
        if let Some(port) = flow.port {
            label.push_str(&format!(" :{port}"));
        }
        if !flow.request.is_empty() {
            let classes: Vec<&str> = flow.request.iter().map(|c| c.value.as_str()).collect();
            label.push_str(&format!(" [{}]", classes.join(", ")));
        }
        if matches!(flow.access, Access::Read) {
            label.push_str(" (reads)");
        }
        if flow.optional {
            label.push_str(" (optional)");
        }
        if let Some(line) = within_one_server(design, flow, &label) {
            let server = drawn.server_shape[line.0.index()];
            if inside.insert((server, line.1.clone())) {
                shapes[server].lines.push(Line {
                    text: line.1,
                    lock: false,
                });
            }
            continue;
        }
        for &from in &drawn.shapes_of(design, &flow.from.target) {
            for &to in &drawn.shapes_of(design, &flow.to.target) {
                if from == to || !seen.insert((from, to, style, label.clone())) {
                    continue;
                }
                match bundled.get(&(from, to, style)) {
                    Some(&index) => {
                        let link: &mut Link = &mut links[index];
                        link.label = format!("{}, {label}", link.label);
                        link.optional &= flow.optional;
                        link.classed |= !flow.request.is_empty();
                    }
                    None => {
                        bundled.insert((from, to, style), links.len());
                        links.push(Link {
                            from,
                            to,
                            style,
                            label: label.clone(),
                            bold: false,
                            optional: flow.optional,
                            classed: !flow.request.is_empty(),
                        });
                    }
                }
            }
        }
    }
}

/// Many monitoring lines run the height of the picture and cross everything: past
/// [`MONITORING_LINES_UP_TO`] of them, each source box says where its data goes instead
/// (one line in the box), and the picture draws no monitoring line.
fn monitoring_in_boxes(shapes: &mut [Shape], links: &mut Vec<Link>, monitoring: Monitoring) {
    let monitoring_links = links
        .iter()
        .filter(|l| l.style == LinkStyle::Monitoring)
        .count();
    let in_boxes = match monitoring {
        Monitoring::Auto => monitoring_links > MONITORING_LINES_UP_TO,
        Monitoring::Lines => false,
        Monitoring::Badges => true,
    };
    if in_boxes {
        let mut said = BTreeSet::new();
        for link in links.iter().filter(|l| l.style == LinkStyle::Monitoring) {
            let text = format!(
                "monitoring data → {} · {}",
                shapes[link.to].title, link.label
            );
            if said.insert((link.from, text.clone())) {
                shapes[link.from].lines.push(Line { text, lock: false });
            }
        }
        links.retain(|l| l.style != LinkStyle::Monitoring);
    }
}

/// Where findings are drawn: on a server's, a client's or DNS's shape (a folded shape
/// counts them by code).
struct Noted<'a> {
    client_shape: &'a [usize],
    server_shape: &'a [usize],
    dns: Option<usize>,
    folded: &'a [usize],
}

/// The numbered findings, each drawn as a badge on its shape; single points of failure
/// outline theirs.
fn notes(design: &Design, findings: &[Finding], on: &Noted<'_>, shapes: &mut [Shape]) -> Vec<Note> {
    // Folded shapes count their findings by code: "12× SE001".
    let mut counts: BTreeMap<(usize, &'static str), (usize, Severity, bool)> = BTreeMap::new();
    let notes = findings
        .iter()
        .enumerate()
        .map(|(i, finding)| {
            let number = i + 1;
            let accepted = finding.accepted.is_some();
            // A finding is drawn on the server of its target, on the user or the
            // server a flow leaves from, or on the DNS.
            let on_server = |id: ServerId| on.server_shape[id.index()];
            let shape = match &finding.target {
                Target::Server { .. } | Target::Component { .. } => {
                    finding.target.server().map(on_server)
                }
                Target::Flow { id, .. } => match &design.flow(*id).from.target {
                    EndpointTarget::User => Some(USER),
                    EndpointTarget::Client(id) => Some(on.client_shape[id.index()]),
                    EndpointTarget::Components {
                        components,
                        via: Via::Component | Via::Server,
                    } => components
                        .first()
                        .map(|&c| on_server(design.component(c).server)),
                    _ => None,
                },
                Target::Record { .. } | Target::Domain(_) => on.dns,
                Target::Design(_) | Target::Acceptance { .. } => None,
            };
            if let Some(shape) = shape {
                if on.folded.contains(&shape) {
                    let entry = counts.entry((shape, finding.code())).or_insert((
                        0,
                        finding.severity,
                        accepted,
                    ));
                    entry.0 += 1;
                    entry.1 = entry.1.max(finding.severity);
                    entry.2 &= accepted;
                } else {
                    shapes[shape].badges.push(Badge {
                        text: format!("{number} {}", finding.code()),
                        severity: finding.severity,
                        accepted,
                    });
                }
                if finding.rule == rules::SINGLE_POINT_OF_FAILURE && !accepted {
                    shapes[shape].alarm = true;
                }
            }
            Note {
                number,
                code: finding.code(),
                severity: finding.severity,
                message: finding.message.clone(),
                accepted,
            }
        })
        .collect();
    for ((shape, code), (count, severity, accepted)) in counts {
        shapes[shape].badges.push(Badge {
            text: format!("{count}× {code}"),
            severity,
            accepted,
        });
    }
    notes
}

/// A flow between two components of one server, as a line of the server's box:
/// `web_server → app_server · http :8000`. `None` for a flow that leaves its server.
fn within_one_server(
    design: &Design,
    flow: &crate::model::Flow,
    label: &str,
) -> Option<(ServerId, String)> {
    let single = |target: &EndpointTarget| match target {
        EndpointTarget::Components { components, .. } if components.len() == 1 => {
            Some(components[0])
        }
        _ => None,
    };
    let (from, to) = (single(&flow.from.target)?, single(&flow.to.target)?);
    let server = design.component(from).server;
    (server == design.component(to).server && from != to).then(|| {
        (
            server,
            format!(
                "{} → {} · {label}",
                design.component(from).name.value,
                design.component(to).name.value
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::design;

    /// A design with `agents` servers each sending monitoring data to one service.
    fn monitored(agents: usize) -> Design {
        let mut text =
            String::from("name: M\nexternal:\n  watch: { kind: monitoring }\nservers:\n");
        for i in 0..agents {
            text.push_str(&format!(
                "  s{i}:\n    components: [{{ kind: web_server, software: v{i} }}, {{ kind: monitoring_agent }}]\n"
            ));
        }
        text.push_str("flows:\n");
        for i in 0..agents {
            text.push_str(&format!(
                "  - {{ from: user, to: s{i}, protocol: https }}\n  - {{ from: s{i}/monitoring_agent, to: watch, protocol: https, purpose: monitoring }}\n"
            ));
        }
        design(&text)
    }

    #[test]
    fn monitoring_is_drawn_as_asked() {
        let few = monitored(2);
        let lines = build_with(&few, None, Monitoring::Lines);
        let badges = build_with(&few, None, Monitoring::Badges);
        let count = |scene: &Scene| {
            scene
                .links
                .iter()
                .filter(|l| l.style == LinkStyle::Monitoring)
                .count()
        };
        assert_eq!((count(&lines), count(&badges)), (2, 0));
        let many = monitored(MONITORING_LINES_UP_TO + 1);
        assert_eq!(
            count(&build_with(&many, None, Monitoring::Lines)),
            MONITORING_LINES_UP_TO + 1
        );
    }

    #[test]
    fn many_monitoring_lines_become_a_line_in_each_box() {
        let few = build(&monitored(MONITORING_LINES_UP_TO), None);
        assert_eq!(
            few.links
                .iter()
                .filter(|l| l.style == LinkStyle::Monitoring)
                .count(),
            MONITORING_LINES_UP_TO
        );
        let many = build(&monitored(MONITORING_LINES_UP_TO + 1), None);
        assert!(many.links.iter().all(|l| l.style != LinkStyle::Monitoring));
        let servers: Vec<&Shape> = many
            .shapes
            .iter()
            .filter(|s| s.kind == ShapeKind::Server)
            .collect();
        assert_eq!(servers.len(), MONITORING_LINES_UP_TO + 1);
        for shape in servers {
            assert!(
                shape
                    .lines
                    .iter()
                    .any(|l| l.text == "monitoring data → watch · https"),
                "{}: {:?}",
                shape.title,
                shape.lines
            );
        }
    }
}
