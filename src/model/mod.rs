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
mod names;
mod resolve;
mod vocabulary;

use std::net::IpAddr;

use jiff::civil::Date;

use crate::diagnostic::DesignError;
use crate::source::Span;
use crate::syntax::Node;

pub use address::is_private;
pub use names::{is_valid_name, suggest};
pub use vocabulary::{
    Access, Algorithm, Collect, ComponentKind, ExternalKind, Mode, Protocol, Purpose, RecordType,
    Role,
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
    pub zone: Option<Spanned<String>>,
    pub why: Option<String>,
    /// In file order.
    pub components: Vec<ComponentId>,
}

#[derive(Debug)]
pub struct Component {
    pub id: ComponentId,
    pub server: ServerId,
    /// `name:` when given, else the kind; the span is the `name` value or the `kind` value.
    pub name: Spanned<String>,
    pub kind: ComponentKind,
    /// The whole list item.
    pub span: Span,
    pub software: Option<String>,
    pub why: Option<String>,
    /// Databases only: `primary` unless stated.
    pub role: Option<Role>,
    /// Load balancers only: `round_robin` unless stated.
    pub algorithm: Option<Algorithm>,
    pub certificate: Option<Certificate>,
    /// Firewalls only: the ports let in, `None` when not stated.
    pub allow: Option<Vec<Spanned<u16>>>,
    /// Monitoring agents only.
    pub collects: Vec<Collect>,
}

#[derive(Debug)]
pub struct Certificate {
    pub domains: Vec<Spanned<String>>,
    pub expires: Option<Spanned<Date>>,
    pub span: Span,
}

#[derive(Debug)]
pub struct Cluster {
    pub id: ClusterId,
    pub name: Spanned<String>,
    pub members: Vec<ServerId>,
    pub mode: Mode,
    pub virtual_ip: Option<Spanned<IpAddr>>,
    pub span: Span,
}

#[derive(Debug)]
pub struct External {
    pub id: ExternalId,
    pub name: Spanned<String>,
    pub kind: ExternalKind,
    pub software: Option<String>,
    pub why: Option<String>,
}

#[derive(Debug)]
pub struct DnsRecord {
    pub id: RecordId,
    /// As written: `www`, `@`.
    pub name: Spanned<String>,
    /// The full host name: `www.foobar.com`.
    pub host: String,
    pub record_type: RecordType,
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
    pub port: Option<u16>,
    pub access: Access,
    pub purpose: Option<Purpose>,
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
    /// As written in the file for this pair.
    pub written: String,
    pub span: Span,
    pub target: EndpointTarget,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EndpointTarget {
    /// The person with a browser, on the internet.
    User,
    /// One or more components: several when a host name or a cluster reaches several
    /// servers.
    Components {
        components: Vec<ComponentId>,
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
    /// A host name, through these records (CNAMEs followed), then through a cluster's
    /// virtual IP when `cluster` is set.
    Host {
        records: Vec<RecordId>,
        clusters: Vec<ClusterId>,
    },
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

    /// The component a bare server name stands for. `Err` says why there is none.
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
        Err(FrontError::None)
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
}

/// Reads a design from its syntax tree. `Err` holds every design error found.
pub fn build(root: &Node) -> Result<Design, Vec<DesignError>> {
    let mut errors = Vec::new();
    let draft = lower::lower(root, &mut errors);
    let design = resolve::resolve(draft, &mut errors);
    if errors.is_empty() {
        Ok(design)
    } else {
        errors.sort_by_key(|e| e.span.map(|s| s.start));
        Err(errors)
    }
}
