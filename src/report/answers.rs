//! One answer per point to explain, each derived from the design. General knowledge is
//! shared text; every sentence about this design is built from its model and graph.

use std::fmt::Write;

use super::{Context, capitalise, md};
use crate::diagnostic::Severity;
use crate::graph::Node;
use crate::model::{
    Access, Algorithm, Component, ComponentKind, Design, EndpointTarget, Mode, Purpose, RecordType,
    Role, ServerId, Via, and_join,
};

/// The answer to a point, by its id; `None` when the design has nothing to say about it
/// (no load balancer for `algorithm`, say) or the id is unknown.
pub(crate) fn answer(id: &str, context: &Context<'_>) -> Option<String> {
    Some(match id {
        "server" => SERVER.to_string(),
        "domain" => domain(context.design)?,
        "record_type" => record_type(context.design)?,
        "web_server" => role_of(context, ComponentKind::WebServer, WEB_SERVER)?,
        "app_server" => role_of(context, ComponentKind::AppServer, APP_SERVER)?,
        "database" => role_of(context, ComponentKind::Database, DATABASE)?,
        "protocol" => protocol(context.design)?,
        "issues" => issues(context),
        "added_elements" => added_elements(context.design),
        "algorithm" => algorithm(context.design)?,
        "cluster_mode" => cluster_mode(context.design)?,
        "primary_replica" => primary_replica(context)?,
        "primary_vs_replica" => primary_vs_replica(context)?,
        "firewalls" => firewalls(context.design)?,
        "https" => https(context)?,
        "monitoring" => monitoring(context.design)?,
        "monitoring_collection" => monitoring_collection(context)?,
        "qps" => qps(context.design)?,
        _ => return None,
    })
}

/// What the report says for a point the design gives nothing to answer with.
pub(crate) fn not_in_design(id: &str) -> String {
    format!(
        "This design has nothing that answers this point yet (`{id}`): the elements it asks about are missing.\n"
    )
}

const SERVER: &str = "A server is a computer, physical or virtual, that runs programs which \
answer requests from other computers over a network. It has a CPU, memory, disks and a \
network address, and runs an operating system (usually Linux) and the services it hosts. \
It sits in a data centre or a cloud, and clients reach it through the internet.\n\n";

const WEB_SERVER: &str = "A web server accepts HTTP connections from browsers, serves static \
files (images, stylesheets, scripts) itself, and passes requests for dynamic pages on to the \
application server, then returns its answer to the browser.";

const APP_SERVER: &str = "An application server runs the site's code (the code base): for \
each dynamic request it executes the business logic, reads and writes data in the database, \
and builds the page or the API answer that the web server sends back.";

const DATABASE: &str = "A database stores the site's data durably (users, orders, posts) and \
answers the application's queries: it reads and writes records, keeps them consistent when \
many requests change them at once, and keeps them when servers restart.";

fn names(design: &Design, servers: &[ServerId]) -> String {
    let names: Vec<String> = servers
        .iter()
        .map(|&s| format!("`{}`", design.server(s).name.value))
        .collect();
    and_join(&names)
}

fn described(component: &Component) -> String {
    match &component.software {
        Some(software) => md(software),
        None => component.kind.as_str().replace('_', " "),
    }
}

/// The flows from `user`.
fn user_flows(design: &Design) -> impl Iterator<Item = &crate::model::Flow> {
    design
        .flows
        .iter()
        .filter(|f| f.from.target == EndpointTarget::User && f.purpose.is_none())
}

fn domain(design: &Design) -> Option<String> {
    let domain = design.domain.as_ref()?;
    let mut text = format!(
        "The domain name `{}` is the site's human-readable address. People remember names, \
         computers connect to IP addresses: the Domain Name System (DNS) turns one into the \
         other. The domain's owner publishes records for it, and every name under it \
         (`www.{}`, say) is looked up through those records.\n\n",
        domain.value, domain.value
    );
    let records: Vec<String> = design
        .records
        .iter()
        .map(|r| format!("`{}` ({} → `{}`)", r.host, r.record_type, r.value.value))
        .collect();
    if !records.is_empty() {
        let _ = writeln!(text, "This design publishes {}.\n", and_join(&records));
    }
    Some(text)
}

fn record_type(design: &Design) -> Option<String> {
    let record = design
        .records
        .iter()
        .find(|r| r.name.value.eq_ignore_ascii_case("www"))
        .or_else(|| design.records.first())?;
    let value = &record.value.value;
    let is_address = value.parse::<std::net::IpAddr>().is_ok();
    Some(match record.record_type {
        RecordType::A | RecordType::Aaaa => format!(
            "`{}` is an **{} record**: it maps the name straight to the IP address `{value}`. \
             An {} record is what a name needs when it points at an address. It is not a \
             CNAME: a CNAME makes a name an alias of another *name*, and can never hold an \
             address.\n",
            record.host, record.record_type, record.record_type
        ),
        RecordType::Cname if is_address => format!(
            "`{}` is written as a **CNAME record** whose value is an address, `{value}`. That \
             is a mistake DNS servers refuse: a CNAME makes a name an alias of another name. \
             A name that points at an address needs an **A record** (finding DN001).\n",
            record.host
        ),
        RecordType::Cname => format!(
            "`{}` is a **CNAME record**: an alias of the name `{value}`. A resolver that asks \
             for `{}` is told to ask for `{value}` instead, and follows that name's records to \
             an address.\n",
            record.host, record.host
        ),
        RecordType::Mx | RecordType::Txt => format!(
            "`{}` is a {} record, which does not lead browsers to a server.\n",
            record.host, record.record_type
        ),
    })
}

fn role_of(context: &Context<'_>, kind: ComponentKind, general: &str) -> Option<String> {
    let design = context.design;
    let of_kind: Vec<&Component> = design
        .components
        .iter()
        .filter(|c| c.kind == kind)
        .collect();
    if of_kind.is_empty() {
        return None;
    }
    let places: Vec<String> = of_kind
        .iter()
        .map(|c| {
            format!(
                "{} on `{}`",
                described(c),
                design.server(c.server).name.value
            )
        })
        .collect();
    Some(format!(
        "{general} In this design: {}.\n",
        and_join(&places)
    ))
}

fn protocol(design: &Design) -> Option<String> {
    let flows: Vec<_> = user_flows(design).collect();
    let first = flows.first()?;
    let port = first
        .port
        .map(|p| format!(" on port {p}"))
        .unwrap_or_default();
    let (what, note) = if first.protocol.is_encrypted() {
        (
            format!(
                "**{}**: HTTP inside TLS, so the traffic is encrypted",
                first.protocol
            ),
            "",
        )
    } else {
        (
            format!("**{}**, in plaintext", first.protocol),
            " Anyone on the way can read and change it, which is why sites serve HTTPS.",
        )
    };
    Some(format!(
        "The server talks to the user's computer over {what}{port}, carried by TCP/IP across \
         the internet: the browser opens a TCP connection to the address DNS gave it, sends \
         its request, and the answer comes back on the same connection.{note}\n"
    ))
}

pub(crate) fn walkthrough(context: &Context<'_>) -> String {
    let design = context.design;
    let mut out = String::new();
    let Some(first) = user_flows(design).next() else {
        return "No flow starts at `user` in this design, so no request path can be followed.\n"
            .to_string();
    };
    let _ = writeln!(
        out,
        "1. A user types `{}` in their browser.",
        first.to.written
    );
    let mut step = 2;
    if let EndpointTarget::Components {
        via: Via::Host { records, clusters },
        ..
    } = &first.to.target
    {
        let chain: Vec<String> = records
            .iter()
            .map(|r| {
                let record = &design.records[r.index()];
                let article = if record.record_type == RecordType::Cname {
                    "a"
                } else {
                    "an"
                };
                format!(
                    "`{}` is {article} {} record for `{}`",
                    record.host, record.record_type, record.value.value
                )
            })
            .collect();
        let _ = writeln!(
            out,
            "{step}. The browser asks DNS for the address: {}.{}",
            chain.join(", then "),
            if clusters.is_empty() {
                String::new()
            } else {
                let names: Vec<String> = clusters
                    .iter()
                    .map(|c| format!("`{}`", design.clusters[c.index()].name.value))
                    .collect();
                format!(
                    " That address is the virtual IP of {}, shared by its members.",
                    and_join(&names)
                )
            }
        );
        step += 1;
    }
    // An outside service in front (a CDN): what it does, said once the user connects.
    let mut edge = None;
    if let EndpointTarget::External(id) = first.to.target {
        let external = &design.externals[id.index()];
        let host = first.to.written.trim_end_matches('.').to_ascii_lowercase();
        let record = design.records.iter().find(|r| r.host == host);
        let dns = match record {
            Some(r) => format!(
                "`{}` is a {} record for `{}`, a host of the outside service `{}`",
                r.host, r.record_type, r.value.value, external.name.value
            ),
            None => format!(
                "`{host}` is a host of the outside service `{}`",
                external.name.value
            ),
        };
        let _ = writeln!(out, "{step}. The browser asks DNS for the address: {dns}.");
        step += 1;
        let onward: Vec<String> = design
            .flows
            .iter()
            .filter(|f| f.from.target == first.to.target && f.purpose.is_none())
            .map(|f| format!("`{}`", f.to.written))
            .collect();
        let software = external
            .software
            .as_ref()
            .map(|s| format!(" ({})", md(s)))
            .unwrap_or_default();
        if !onward.is_empty() {
            edge = Some(format!(
                "`{}`{software}, an outside {} service, answers what it can itself and forwards the rest to {}.",
                external.name.value,
                external.kind,
                and_join(&onward)
            ));
        }
    }
    let _ = writeln!(
        out,
        "{step}. It connects to that address over {}{}.",
        first.protocol,
        first
            .port
            .map(|p| format!(" on port {p}"))
            .unwrap_or_default()
    );
    step += 1;
    if let Some(edge) = edge {
        let _ = writeln!(out, "{step}. {edge}");
        step += 1;
    }
    for level in context.graph.request_levels() {
        let mut by_kind: Vec<(ComponentKind, Vec<&Component>)> = Vec::new();
        for &c in &level {
            let component = design.component(c);
            match by_kind.iter_mut().find(|(k, _)| *k == component.kind) {
                Some((_, list)) => list.push(component),
                None => by_kind.push((component.kind, vec![component])),
            }
        }
        for (kind, components) in by_kind {
            let places: Vec<String> = components
                .iter()
                .map(|c| format!("`{}`", design.component_target(c.id)))
                .collect();
            let what = match kind {
                ComponentKind::Firewall => "a firewall lets the request through",
                ComponentKind::LoadBalancer => "the load balancer picks a server to forward it to",
                ComponentKind::WebServer => {
                    "the web server answers static files itself and passes dynamic requests on"
                }
                ComponentKind::AppServer => {
                    "the application server runs the code to build the answer"
                }
                ComponentKind::Database => "the database reads or writes the data the answer needs",
                ComponentKind::Cache => "the cache answers what it already holds",
                ComponentKind::Queue => {
                    "the queue takes work to be done later (an order to charge, a mail to send), so the answer need not wait for it"
                }
                ComponentKind::Storage => "the storage keeps and returns files",
                _ => "the request is handled",
            };
            let software: Vec<String> = components
                .iter()
                .filter_map(|c| c.software.as_deref().map(md))
                .collect();
            let software = if software.is_empty() {
                String::new()
            } else {
                let mut software = software;
                software.dedup();
                format!(" ({})", software.join(", "))
            };
            let _ = writeln!(out, "{step}. At {}{software}, {what}.", and_join(&places));
            step += 1;
        }
    }
    let _ = writeln!(
        out,
        "{step}. The answer travels back the same way, and the browser shows the page.\n"
    );
    out.push_str(&needs_and_degrades(context));
    out.push_str(&protocol(design).unwrap_or_default());
    out
}

/// A node as the report names it: `SERVER/NAME`, or an external service's name.
fn node_name(design: &Design, node: Node) -> String {
    match node {
        Node::Component(c) => format!("`{}`", design.component_target(c)),
        Node::External(e) => format!(
            "`{}` (outside service)",
            design.externals[e.index()].name.value
        ),
        Node::User => "the user".to_string(),
    }
}

/// What requests need all of (components with several required kinds) and what only
/// degrades (optional flows), from the structure function. Empty when neither applies.
fn needs_and_degrades(context: &Context<'_>) -> String {
    let design = context.design;
    let graph = &context.graph;
    let mut out = String::new();
    let mut needs = Vec::new();
    for component in &design.components {
        if !graph.is_requested(component.id) {
            continue;
        }
        let kinds = graph.required_kinds(component.id);
        if kinds.len() < 2 {
            continue;
        }
        let parts: Vec<String> = kinds
            .iter()
            .map(|alternatives| {
                let names: Vec<String> =
                    alternatives.iter().map(|&n| node_name(design, n)).collect();
                if names.len() == 1 {
                    names[0].clone()
                } else {
                    format!("one of {}", and_join(&names).replacen(" and ", " or ", 1))
                }
            })
            .collect();
        needs.push(format!(
            "- {} needs all of these: {}.",
            node_name(design, Node::Component(component.id)),
            and_join(&parts)
        ));
    }
    if !needs.is_empty() {
        out.push_str("Each request needs every kind of part its path calls, one of each: a part that calls a database and a cache stops when either has no copy left.\n\n");
        out.push_str(&needs.join("\n"));
        out.push_str("\n\n");
    }
    let optional = graph.optional_dependencies();
    if !optional.is_empty() {
        out.push_str("Some calls are optional (`optional: true`): when their target fails, the service degrades and nothing stops.\n\n");
        for (component, targets) in optional {
            let names: Vec<String> = targets.iter().map(|&n| node_name(design, n)).collect();
            let _ = writeln!(
                out,
                "- If {} fails, {} keeps serving without it.",
                and_join(&names).replacen(" and ", " or ", 1),
                node_name(design, Node::Component(component))
            );
        }
        out.push('\n');
    }
    out
}

pub(crate) fn servers(context: &Context<'_>) -> String {
    let design = context.design;
    let mut out = String::new();
    for server in &design.servers {
        let mut header = format!("### `{}`", server.name.value);
        if let Some(ip) = &server.ip {
            let _ = write!(header, " ({})", ip.value);
        }
        let _ = writeln!(out, "{header}\n");
        if let Some(why) = &server.why {
            let _ = writeln!(out, "> {}\n", md(why));
        }
        for component in design.components_of(server.id) {
            let _ = write!(out, "- **{}**", kind_title(component.kind));
            if let Some(software) = &component.software {
                let _ = write!(out, " ({})", md(software));
            }
            let _ = write!(out, ": {}", kind_role(component));
            if let Some(why) = &component.why {
                let _ = write!(out, " *Why:* “{}”", md(why));
            }
            out.push('\n');
        }
        out.push('\n');
    }
    for external in &design.externals {
        let _ = write!(
            out,
            "### `{}` (outside the design)\n\n",
            external.name.value
        );
        let _ = write!(out, "An external {} service", external.kind);
        if let Some(software) = &external.software {
            let _ = write!(out, ", {}", md(software));
        }
        out.push('.');
        if let Some(why) = &external.why {
            let _ = write!(out, " *Why:* “{}”", md(why));
        }
        out.push_str("\n\n");
    }
    out
}

fn kind_title(kind: ComponentKind) -> String {
    match kind {
        ComponentKind::Codebase => "Code base".to_string(),
        ComponentKind::AppServer => "Application server".to_string(),
        ComponentKind::Cdn => "CDN".to_string(),
        _ => capitalise(&kind.as_str().replace('_', " ")),
    }
}

/// One sentence of what a component does here.
fn kind_role(component: &Component) -> String {
    match component.kind {
        ComponentKind::LoadBalancer => format!(
            "spreads requests over the servers behind it ({}).",
            component
                .algorithm
                .map_or("round robin".to_string(), |a| a.as_str().replace('_', " "))
        ),
        ComponentKind::WebServer => {
            "answers HTTP, serves static files, passes dynamic requests to the application server."
                .to_string()
        }
        ComponentKind::AppServer => "runs the code base to build dynamic answers.".to_string(),
        ComponentKind::Codebase => {
            "the application's code, which the application server runs.".to_string()
        }
        ComponentKind::Database => match component.role {
            Some(Role::Replica) => {
                "a read-only copy of the primary database, kept up to date by replication."
                    .to_string()
            }
            _ => "the primary database: it accepts writes.".to_string(),
        },
        ComponentKind::Firewall => match &component.allow {
            Some(ports) => {
                let ports: Vec<String> = ports.iter().map(|p| p.value.to_string()).collect();
                format!(
                    "lets in only ports {} and drops everything else.",
                    ports.join(", ")
                )
            }
            None => {
                "filters the traffic that reaches the server (which ports it allows is not stated)."
                    .to_string()
            }
        },
        ComponentKind::MonitoringAgent => {
            let what: Vec<&str> = component.collects.iter().map(|c| c.as_str()).collect();
            if what.is_empty() {
                "collects data about the server and ships it to a monitoring service.".to_string()
            } else {
                format!(
                    "collects {} and ships them to a monitoring service.",
                    what.join(", ")
                )
            }
        }
        ComponentKind::Cache => {
            "keeps answers in memory so that repeated requests skip the slower work.".to_string()
        }
        ComponentKind::Queue => "holds work to be done later, in order.".to_string(),
        ComponentKind::Storage => "stores files.".to_string(),
        ComponentKind::Cdn => "serves static content from locations near the users.".to_string(),
        ComponentKind::Other => "another service the site uses.".to_string(),
    }
}

fn added_elements(design: &Design) -> String {
    let mut out = String::new();
    let mut any = false;
    for server in &design.servers {
        if let Some(why) = &server.why {
            let _ = writeln!(out, "- **`{}`** (server): {}", server.name.value, md(why));
            any = true;
        }
        for component in design.components_of(server.id) {
            if let Some(why) = &component.why {
                let _ = writeln!(
                    out,
                    "- **`{}`** ({}): {}",
                    design.component_target(component.id),
                    component.kind.as_str().replace('_', " "),
                    md(why)
                );
                any = true;
            }
        }
    }
    for cluster in &design.clusters {
        let _ = writeln!(
            out,
            "- **`{}`** (cluster of {}): lets the members share the load and stand in for each other.",
            cluster.name.value,
            names(design, &cluster.members)
        );
        any = true;
    }
    if !any {
        out.push_str("The design gives no `why` for its elements.\n");
    }
    out.push('\n');
    out
}

fn algorithm_text(algorithm: Algorithm) -> &'static str {
    match algorithm {
        Algorithm::RoundRobin => {
            "**round robin**: requests go to the servers in turn, the first to server 1, the second to server 2, and so on, starting again at the first once every server has had one. Every server gets the same share, which suits servers of equal power and requests of similar cost."
        }
        Algorithm::LeastConnections => {
            "**least connections**: each request goes to the server that has the fewest open connections right now. Servers busy with slow requests get fewer new ones, which suits requests of very different costs."
        }
        Algorithm::SourceHash => {
            "**source hash**: the client's IP address is hashed to pick the server, so the same client always reaches the same server (useful when sessions live on the server), as long as the set of servers does not change."
        }
        Algorithm::WeightedRoundRobin => {
            "**weighted round robin**: round robin in which each server gets turns in proportion to its weight, so a server twice as powerful can take twice the requests."
        }
        Algorithm::Random => {
            "**random**: each request goes to a server picked at random; over many requests the load evens out."
        }
    }
}

fn algorithm(design: &Design) -> Option<String> {
    let balancers: Vec<&Component> = design
        .components
        .iter()
        .filter(|c| c.kind == ComponentKind::LoadBalancer)
        .collect();
    if balancers.is_empty() {
        return None;
    }
    let mut out = String::new();
    let mut algorithms: Vec<Algorithm> = balancers.iter().filter_map(|b| b.algorithm).collect();
    algorithms.sort();
    algorithms.dedup();
    let places: Vec<String> = balancers
        .iter()
        .map(|b| {
            format!(
                "{} on `{}`",
                described(b),
                design.server(b.server).name.value
            )
        })
        .collect();
    let _ = writeln!(
        out,
        "The load balancer ({}) is configured with:\n",
        and_join(&places)
    );
    for algorithm in algorithms {
        let _ = writeln!(out, "- {}", algorithm_text(algorithm));
    }
    out.push('\n');
    Some(out)
}

const MODES: &str = "In an **active-active** setup every node serves traffic at the same \
time: the load is shared, and when one fails the others take all of it. In an \
**active-passive** setup one node serves while the other stands by, kept in sync, and \
takes over (usually taking the shared address) only when the active one fails: simpler, \
but the standby's capacity is idle.\n";

fn cluster_mode(design: &Design) -> Option<String> {
    let has_balancer = design
        .components
        .iter()
        .any(|c| c.kind == ComponentKind::LoadBalancer);
    if !has_balancer && design.clusters.is_empty() {
        return None;
    }
    let mut out = String::new();
    let balancer_clusters: Vec<_> = design
        .clusters
        .iter()
        .filter(|c| {
            c.members.iter().any(|&m| {
                design
                    .components_of(m)
                    .any(|k| k.kind == ComponentKind::LoadBalancer)
            })
        })
        .collect();
    if balancer_clusters.is_empty() {
        let backends = design
            .components
            .iter()
            .filter(|c| c.kind == ComponentKind::WebServer)
            .count();
        let servers = if backends == 1 {
            "the one web server receives every request".to_string()
        } else {
            format!(
                "the {backends} web servers all receive requests at the same time, so they form an **active-active** setup"
            )
        };
        let _ = writeln!(
            out,
            "The load balancer is not clustered: it is a single node, with no partner to take \
             over when it fails. Behind it, {servers}.\n"
        );
    }
    for cluster in &design.clusters {
        let mode = match cluster.mode {
            Mode::ActiveActive => "**active-active**: both serve traffic at once",
            Mode::ActivePassive => "**active-passive**: one serves, the other stands by",
        };
        let vip = cluster
            .virtual_ip
            .as_ref()
            .map(|v| format!(", sharing the virtual IP `{}`", v.value))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "The cluster `{}` ({}{vip}) is {mode}.\n",
            cluster.name.value,
            names(design, &cluster.members)
        );
    }
    out.push_str(MODES);
    Some(out)
}

fn databases(design: &Design, role: Role) -> Vec<&Component> {
    design
        .components
        .iter()
        .filter(|c| c.kind == ComponentKind::Database && c.role == Some(role))
        .collect()
}

fn primary_replica(context: &Context<'_>) -> Option<String> {
    let design = context.design;
    let primaries = databases(design, Role::Primary);
    let replicas = databases(design, Role::Replica);
    if replicas.is_empty() {
        return Some(
            "This design has no replica: every database is a primary, and there is no \
             primary-replica cluster. In such a cluster, one primary (master) node accepts every \
             write and sends each change to one or more replica (slave) nodes, which apply it \
             and serve reads.\n"
                .to_string(),
        );
    }
    let mut out = String::from(
        "In a primary-replica (master-slave) cluster, one node, the **primary**, accepts every \
         write. It records each change in its log (MySQL's binary log) and sends it to the \
         **replicas**, which apply the changes in the same order and so hold a copy of the \
         data, usually a fraction of a second behind. Replicas serve reads; if the primary \
         fails, a replica can be promoted to take its place.\n\n",
    );
    let show = |list: &[&Component]| -> String {
        let names: Vec<String> = list
            .iter()
            .map(|c| format!("`{}` ({})", design.component_target(c.id), described(c)))
            .collect();
        and_join(&names)
    };
    let _ = write!(
        out,
        "Here the primary is {} and the {} {}.",
        show(&primaries),
        if replicas.len() == 1 {
            "replica is"
        } else {
            "replicas are"
        },
        show(&replicas)
    );
    let replication: Vec<String> = design
        .flows
        .iter()
        .filter(|f| f.purpose == Some(Purpose::Replication))
        .map(|f| format!("`{}`", f.target()))
        .collect();
    if replication.is_empty() {
        out.push_str(
            " No replication flow feeds the replica, so its data goes stale (finding DB001).\n",
        );
    } else {
        let _ = writeln!(out, " Replication runs along {}.", and_join(&replication));
    }
    out.push('\n');
    Some(out)
}

fn primary_vs_replica(context: &Context<'_>) -> Option<String> {
    let design = context.design;
    if databases(design, Role::Replica).is_empty() {
        return None;
    }
    let mut writes = Vec::new();
    let mut reads = Vec::new();
    for flow in design.flows.iter().filter(|f| f.purpose.is_none()) {
        let EndpointTarget::Components { components, .. } = &flow.to.target else {
            continue;
        };
        for &c in components {
            let database = design.component(c);
            if database.kind != ComponentKind::Database {
                continue;
            }
            let line = format!("`{}` ({})", flow.target(), flow.access);
            match (database.role, flow.access) {
                (Some(Role::Replica), _) | (_, Access::Read) => reads.push(line),
                _ => writes.push(line),
            }
        }
    }
    writes.dedup();
    reads.dedup();
    let mut out = String::from(
        "For the application, the primary is the only node it may write to: inserts, updates \
         and deletes go there. A replica is read-only: the application sends it queries that \
         only read, and accepts that the data may be slightly behind.\n\n",
    );
    if !writes.is_empty() {
        let _ = writeln!(
            out,
            "In this design, the application writes through {}.",
            and_join(&writes)
        );
    }
    if !reads.is_empty() {
        let _ = writeln!(out, "It only reads through {}.", and_join(&reads));
    }
    out.push('\n');
    Some(out)
}

fn firewalls(design: &Design) -> Option<String> {
    let mut out = String::from(
        "A firewall filters network traffic by rules: it lets in only the connections a \
         server is meant to accept (its service ports, from the right sources) and drops the \
         rest, so that a forgotten or vulnerable service is not reachable from outside.\n\n",
    );
    let walls: Vec<&Component> = design
        .components
        .iter()
        .filter(|c| c.kind == ComponentKind::Firewall)
        .collect();
    if walls.is_empty() {
        out.push_str("This design has no firewall: every port its servers listen on is open to whoever reaches them (finding SE001).\n");
        return Some(out);
    }
    for wall in walls {
        let server = wall.server;
        let place = if design.is_network_firewall(server) {
            format!(
                "`{}` is a network firewall: traffic passes through it",
                design.server(server).name.value
            )
        } else {
            format!("a firewall guards `{}`", design.server(server).name.value)
        };
        let allows = match &wall.allow {
            Some(ports) => {
                let ports: Vec<String> = ports.iter().map(|p| p.value.to_string()).collect();
                match ports.as_slice() {
                    [] => "it lets nothing in".to_string(),
                    [one] => format!("it lets in port {one}"),
                    _ => format!("it lets in ports {}", and_join(&ports)),
                }
            }
            None => "the ports it allows are not stated".to_string(),
        };
        let _ = writeln!(out, "- {}; {allows}.", capitalise(&place));
    }
    out.push('\n');
    Some(out)
}

fn https(context: &Context<'_>) -> Option<String> {
    let design = context.design;
    let flows: Vec<_> = user_flows(design).collect();
    if flows.is_empty() {
        return None;
    }
    let mut out = String::from(
        "HTTPS is HTTP inside TLS: the connection is encrypted, so nobody on the way (a café's \
         Wi-Fi, an internet provider) can read or change passwords, cookies or pages, and the \
         server proves with its certificate that it really is the site the user asked for.\n\n",
    );
    for flow in &flows {
        if !flow.protocol.is_encrypted() {
            let _ = writeln!(
                out,
                "Users reach `{}` over plaintext {}: this design does not serve HTTPS (finding SE002).\n",
                flow.to.written, flow.protocol
            );
            continue;
        }
        let EndpointTarget::Components { components, .. } = &flow.to.target else {
            continue;
        };
        let mut ends: Vec<String> = Vec::new();
        for &c in components {
            for end in context.graph.tls_ends(c) {
                let component = design.component(end);
                let certificate = match &component.certificate {
                    Some(cert) => {
                        let domains: Vec<&str> =
                            cert.domains.iter().map(|d| d.value.as_str()).collect();
                        let expires = cert
                            .expires
                            .as_ref()
                            .map(|e| format!(", valid until {}", e.value))
                            .unwrap_or_default();
                        format!(
                            "which presents a certificate for {}{expires}",
                            domains.join(", ")
                        )
                    }
                    None => "which has no certificate (finding SE005)".to_string(),
                };
                ends.push(format!("`{}`, {certificate}", design.component_target(end)));
            }
        }
        ends.dedup();
        let _ = writeln!(
            out,
            "Users reach `{}` over {}; the TLS connection ends at {}.\n",
            flow.to.written,
            flow.protocol,
            ends.join("; and at ")
        );
        let plaintext: Vec<String> = context
            .findings
            .iter()
            .filter(|f| f.code == crate::rules::TLS_TERMINATED_EARLY.code)
            .map(|f| format!("`{}`", f.target))
            .collect();
        if !plaintext.is_empty() {
            let _ = writeln!(
                out,
                "Behind {}, requests travel on in plaintext: TLS is terminated at the load balancer (finding SE003).",
                and_join(&plaintext)
            );
        }
        out.push('\n');
    }
    Some(out)
}

fn agents(design: &Design) -> Vec<&Component> {
    design
        .components
        .iter()
        .filter(|c| c.kind == ComponentKind::MonitoringAgent)
        .collect()
}

fn monitoring(design: &Design) -> Option<String> {
    let mut out = String::from(
        "Monitoring collects measurements (metrics such as CPU, memory, disk, requests per \
         second, error rates, response times) and logs from every server, stores them, draws \
         them on dashboards and raises alerts when something crosses a threshold. It tells the \
         team that something is wrong before users do, shows trends for capacity planning, and \
         proves that a fix worked.\n\n",
    );
    let agents = agents(design);
    if agents.is_empty() {
        out.push_str("This design has no monitoring agent: nobody learns that a server slows down or fails (finding OB001).\n");
        return Some(out);
    }
    let monitored: Vec<ServerId> = {
        let mut s: Vec<ServerId> = agents.iter().map(|a| a.server).collect();
        s.dedup();
        s
    };
    let _ = write!(
        out,
        "In this design, {} on {}.",
        if agents.len() == 1 {
            "one monitoring agent runs".to_string()
        } else {
            format!("{} monitoring agents run", agents.len())
        },
        names(design, &monitored)
    );
    let unmonitored: Vec<ServerId> = design
        .servers
        .iter()
        .map(|s| s.id)
        .filter(|s| !monitored.contains(s))
        .collect();
    if !unmonitored.is_empty() {
        let _ = writeln!(out, " {} run none.", names(design, &unmonitored));
    }
    out.push('\n');
    Some(out)
}

fn monitoring_collection(context: &Context<'_>) -> Option<String> {
    let design = context.design;
    let agents = agents(design);
    if agents.is_empty() {
        return None;
    }
    let mut out = String::from(
        "A monitoring client (an agent, or collector) runs on each server. It reads the \
         machine's counters (CPU, memory, disks, network), tails log files (the web server's \
         access and error logs) and queries local services for their statistics, then sends \
         what it gathered, in batches, over an encrypted connection to the monitoring \
         service, which stores and indexes it.\n\n",
    );
    for agent in &agents {
        let destinations: Vec<String> = context
            .graph
            .outgoing(agent.id)
            .filter(|(flow, _)| design.flows[*flow].purpose == Some(Purpose::Monitoring))
            .map(|(flow, to)| {
                let target = match to {
                    Node::External(e) => design.externals[e.index()].name.value.clone(),
                    Node::Component(c) => design.component_target(c),
                    Node::User => "user".to_string(),
                };
                format!("`{target}` over {}", design.flows[flow].protocol)
            })
            .collect();
        let what: Vec<&str> = agent.collects.iter().map(|c| c.as_str()).collect();
        let _ = writeln!(
            out,
            "- `{}` ({}) collects {}{}.",
            design.component_target(agent.id),
            described(agent),
            if what.is_empty() {
                "what it is configured to".to_string()
            } else {
                what.join(", ")
            },
            if destinations.is_empty() {
                " (the design shows no flow to where it sends it)".to_string()
            } else {
                format!(" and sends it to {}", and_join(&destinations))
            }
        );
    }
    out.push('\n');
    Some(out)
}

fn qps(design: &Design) -> Option<String> {
    let web_servers: Vec<&Component> = design
        .components
        .iter()
        .filter(|c| c.kind == ComponentKind::WebServer)
        .collect();
    if web_servers.is_empty() {
        return None;
    }
    let mut out = String::from(
        "QPS (queries, or requests, per second) is counted from the web server itself: either \
         from its access log (one line per request: the collector counts lines per second) or \
         from its status endpoint (Nginx's `stub_status` module reports the requests it has \
         handled; the collector reads it every few seconds and takes the difference). The \
         monitoring service then graphs QPS per server and in total, and alerts on sudden \
         rises or falls.\n\n",
    );
    let counting: Vec<String> = web_servers
        .iter()
        .filter(|w| {
            design.components_of(w.server).any(|c| {
                c.kind == ComponentKind::MonitoringAgent
                    && c.collects.contains(&crate::model::Collect::Qps)
            })
        })
        .map(|w| format!("`{}`", design.server(w.server).name.value))
        .collect();
    if counting.is_empty() {
        out.push_str("In this design no agent on a web server collects `qps` yet: add `qps` to the `collects` of the monitoring agent on each web server.\n");
    } else {
        let _ = writeln!(
            out,
            "In this design, the agents on {} collect `qps`.",
            and_join(&counting)
        );
    }
    out.push('\n');
    Some(out)
}

/// Why a finding matters: the rule documentation's own paragraph.
fn why_it_matters(code: &str) -> String {
    let Some(rule) = crate::rules::find(code) else {
        return String::new();
    };
    rule.doc
        .split("## Why is this bad?")
        .nth(1)
        .and_then(|rest| rest.split("##").next())
        .map(|text| text.split_whitespace().collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

pub(crate) fn issues(context: &Context<'_>) -> String {
    let findings = context.findings;
    let open: Vec<_> = findings.iter().filter(|f| f.accepted.is_none()).collect();
    let accepted: Vec<_> = findings.iter().filter(|f| f.accepted.is_some()).collect();
    let mut out = String::new();
    if open.is_empty() {
        out.push_str("infralint finds no open issue in this design.\n");
    }
    for finding in &open {
        let severity = match finding.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        };
        let _ = writeln!(
            out,
            "- **{} {}** ({severity}): {}.  \n  *Why it matters:* {}  \n  *What to do:* {}.",
            finding.code,
            finding.name,
            finding.message.replace('\n', " "),
            why_it_matters(finding.code),
            finding.help
        );
        if let Some(note) = &finding.note {
            let _ = writeln!(out, "  *Note:* {note}.");
        }
    }
    if !accepted.is_empty() {
        out.push_str("\n### Accepted findings\n\n");
        for finding in accepted {
            let _ = writeln!(
                out,
                "- **{} {}** on `{}`: {}.  \n  *Accepted because:* {}",
                finding.code,
                finding.name,
                finding.target,
                finding.message,
                md(finding.accepted.as_deref().unwrap_or_default())
            );
        }
    }
    out.push('\n');
    out
}

/// What fails when this fails: the single servers and the pairs whose failure stops
/// every request (and every write, where that differs), zones that hold such a pair,
/// the availability when the design states any, and the server worth improving first.
pub(crate) fn what_if(context: &Context<'_>) -> String {
    use crate::analysis::{Model, availability, cuts};
    let design = context.design;
    let model = Model::new(&context.graph);
    let found = cuts::cuts(&model, 2);
    let mut out = String::new();
    if !found.requests_complete {
        return "No request completes even with every server up, so there is nothing that a failure could stop.\n".to_string();
    }
    let list = |sets: &[Vec<ServerId>], size: usize| -> Vec<String> {
        sets.iter()
            .filter(|s| s.len() == size)
            .map(|set| {
                let mut names: Vec<String> = set
                    .iter()
                    .map(|&s| format!("`{}`", design.server(s).name.value))
                    .collect();
                names.sort();
                and_join(&names)
            })
            .collect()
    };
    let say = |what: &str, sets: &[Vec<ServerId>], out: &mut String| {
        let singles = list(sets, 1);
        let pairs = list(sets, 2);
        if singles.is_empty() {
            let _ = write!(out, "No single server's failure stops every {what}");
        } else {
            let _ = write!(out, "Every {what} stops if {} fails", singles.join(" or "));
        }
        if pairs.is_empty() {
            let _ = writeln!(
                out,
                "{}.",
                if singles.is_empty() {
                    ", nor does any pair's"
                } else {
                    "; no pair of other servers does"
                }
            );
        } else {
            let _ = writeln!(
                out,
                "; {}if both of {} fail together.",
                if singles.is_empty() {
                    "it does "
                } else {
                    "and "
                },
                pairs.join(", or both of ")
            );
        }
    };
    say("request", &found.requests, &mut out);
    if found.writes != found.requests {
        out.push('\n');
        if found.writes_complete {
            say("write", &found.writes, &mut out);
        } else {
            out.push_str("No write completes even with every server up.\n");
        }
    }
    for (zone, cut) in &found.zone_cuts {
        let mut names: Vec<String> = cut
            .iter()
            .map(|&s| format!("`{}`", design.server(s).name.value))
            .collect();
        names.sort();
        let _ = writeln!(
            out,
            "\nThe zone `{}` holds {}: when it fails, they fail together, and so does every request that needs one of them.",
            design.zones[*zone].name.value,
            and_join(&names)
        );
    }
    let stated = design.servers.iter().any(|s| s.availability.is_some())
        || design.zones.iter().any(|z| z.availability.is_some())
        || design.externals.iter().any(|e| e.availability.is_some());
    let found = availability::availability(&model);
    if stated {
        let _ = writeln!(
            out,
            "\nWith the availabilities the design states{}, requests complete {} of the time and writes {}.",
            if model.defaulted.is_empty() {
                String::new()
            } else {
                format!(
                    " ({}% for the servers that state none)",
                    crate::analysis::DEFAULT_SERVER_AVAILABILITY
                )
            },
            crate::commands::analysis::percent(&found.requests),
            crate::commands::analysis::percent(&found.writes)
        );
    }
    if let Some(&(server, birnbaum)) = found.importance.first() {
        let _ = writeln!(
            out,
            "\nThe server to improve first is `{}`: each point of its availability adds {birnbaum:.4} points to the design's{}.",
            design.server(server).name.value,
            if stated {
                ""
            } else {
                " (every server taken at 99.9%, since the design states no availability)"
            }
        );
    }
    out
}
