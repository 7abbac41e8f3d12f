//! One answer per point to explain, each derived from the design. General knowledge is
//! shared text; every sentence about this design is built from its model and graph.
//! One module per topic; this one dispatches a profile's points (`answer`) and holds
//! what the topics share.

use std::fmt::Write;

use super::{Context, capitalise, md, md_message};
use crate::diagnostic::Severity;
use crate::graph::Node;
use crate::model::{
    Access, Algorithm, Component, ComponentKind, Design, EndpointTarget, Explain, HostRoute, Mode,
    Purpose, RecordType, Role, ServerId, Via,
};
use crate::prose::and_join;

mod balancing;
mod database;
mod dns;
mod issues;
mod monitoring;
mod security;
mod tiers;
mod walkthrough;

// The topics share this module's imports and helpers (`use super::*`), and `answer`
// reaches their answers through these.
use balancing::*;
use database::*;
use dns::*;
use monitoring::*;
use security::*;
use tiers::*;

pub(crate) use issues::{issues, what_if};
pub(crate) use tiers::servers;
pub(crate) use walkthrough::walkthrough;

/// The answer to a point; `None` when the design has nothing to say about it (no load
/// balancer for `algorithm`, say).
pub(crate) fn answer(id: Explain, context: &Context<'_>) -> Option<String> {
    Some(match id {
        Explain::Server => SERVER.to_string(),
        Explain::Domain => domain(context.design)?,
        Explain::RecordType => record_type(context.design)?,
        Explain::WebServer => role_of(context, ComponentKind::WebServer, WEB_SERVER)?,
        Explain::AppServer => role_of(context, ComponentKind::AppServer, APP_SERVER)?,
        Explain::Database => role_of(context, ComponentKind::Database, DATABASE)?,
        Explain::Protocol => protocol(context.design)?,
        Explain::Issues => issues(context),
        Explain::AddedElements => added_elements(context.design),
        Explain::Algorithm => algorithm(context.design)?,
        Explain::ClusterMode => cluster_mode(context.design)?,
        Explain::PrimaryReplica => primary_replica(context)?,
        Explain::PrimaryVsReplica => primary_vs_replica(context)?,
        Explain::Firewalls => firewalls(context.design)?,
        Explain::Https => https(context)?,
        Explain::Monitoring => monitoring(context.design)?,
        Explain::MonitoringCollection => monitoring_collection(context)?,
        Explain::Qps => qps(context.design)?,
    })
}

/// What the report says for a point the design gives nothing to answer with.
pub(crate) fn not_in_design(id: Explain) -> String {
    format!(
        "This design has nothing that answers this point yet (`{id}`): the elements it asks about are missing.\n"
    )
}

const SERVER: &str = "A server is a computer, physical or virtual, that runs programs which \
answer requests from other computers over a network. It has a CPU, memory, disks and a \
network address, and runs an operating system (usually Linux) and the services it hosts. \
It sits in a data centre or a cloud, and clients reach it through the internet.\n\n";

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

/// A node as the report names it: `SERVER/NAME`, or an external service's name.
fn node_name(design: &Design, node: Node) -> String {
    match node {
        Node::Component(c) => format!("`{}`", design.component_target(c)),
        Node::External(e) => format!(
            "`{}` (outside service)",
            design.externals[e.index()].name.value
        ),
        Node::User => "the user".to_string(),
        _ => format!("`{}`", node.written(design)),
    }
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
            "answers HTTP and serves static files; it passes dynamic requests on to the application server, where the design has one."
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
            Some(Role::Standby) => {
                "a standby copy of the primary database: it takes no reads, and is promoted when the primary fails."
                    .to_string()
            }
            _ => "the primary database: it accepts writes.".to_string(),
        },
        ComponentKind::Firewall => match &component.allow {
            Some(ports) => {
                let ports: Vec<String> = ports.iter().map(|p| p.value.to_string()).collect();
                format!(
                    "lets in only {} {} and drops everything else.",
                    if ports.len() == 1 { "port" } else { "ports" },
                    and_join(&ports)
                )
            }
            None => {
                "filters the traffic that reaches the server (which ports it allows is not stated)."
                    .to_string()
            }
        },
        ComponentKind::MonitoringAgent => {
            let what: Vec<String> = component
                .collects
                .iter()
                .map(|c| c.as_str().to_string())
                .collect();
            if what.is_empty() {
                "collects data about the server and ships it to a monitoring service.".to_string()
            } else {
                format!(
                    "sends the server's {} to a monitoring service.",
                    and_join(&what)
                )
            }
        }
        ComponentKind::Cache => {
            "keeps answers in memory so that repeated requests skip the slower work.".to_string()
        }
        ComponentKind::Queue => "holds work to be done later, in order.".to_string(),
        ComponentKind::Storage => "stores files.".to_string(),
        ComponentKind::Cdn => "serves static content from locations near the users.".to_string(),
        ComponentKind::Proxy => {
            "stands between clients and the servers behind it (a connection pooler, a router, a sidecar) and forwards each request to one of them."
                .to_string()
        }
        ComponentKind::Search => "indexes documents and answers search queries.".to_string(),
        ComponentKind::Coordination => {
            "keeps the cluster's shared state and elects its leaders (service discovery, locks, configuration)."
                .to_string()
        }
        ComponentKind::Worker => {
            "runs background jobs that a queue or a schedule hands it, outside the request path."
                .to_string()
        }
        ComponentKind::Other => "another service the site uses.".to_string(),
    }
}
