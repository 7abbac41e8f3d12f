//! Syntax tree -> draft design: every key, type and allowed value of the format is
//! checked here. Names that refer to other things (cluster members, flow endpoints)
//! are kept as written, with their spans, for `resolve`.
//!
//! A wrong part is reported and left out, and reading goes on, so that one run reports
//! every error in the file. Servers whose definition had an error are remembered, so
//! that `resolve` does not report a flow to them as a second, derived error.

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use std::net::IpAddr;
use std::sync::Arc;

use super::names::{is_valid_host, is_valid_record_name};
use super::reader::{Fields, Reader};
use super::{
    Acceptance, Access, Algorithm, Certificate, Client, ClientId, Collect, Component, ComponentId,
    ComponentKind, Design, DnsRecord, External, ExternalId, ExternalKind, Failover, Mode, Network,
    Protocol, Purpose, Quorum, RecordId, RecordType, Role, Server, ServerId, Spanned, TlsMode,
    Zone,
};
use crate::diagnostic::{Diagnostic, ErrorCode};
use crate::source::Span;
use crate::syntax::{Node, NodeKind, ScalarValue};

/// The design as read, before names are connected.
pub(super) struct Draft {
    pub design: Design,
    /// `role:` written on a component whose kind takes none (allowed only on a member of
    /// a failover cluster, which resolution checks): the component and the key's span.
    pub roles_elsewhere: Vec<(ComponentId, Span)>,
    pub clusters: Vec<RawCluster>,
    pub flows: Vec<RawFlow>,
    /// Servers whose definition had an error: derived errors about them are not reported.
    pub broken: HashSet<String>,
    /// False when `servers` is missing or unreadable: then no reference can be checked.
    pub servers_read: bool,
}

pub(super) struct RawCluster {
    pub name: Spanned<String>,
    pub members: Vec<Spanned<String>>,
    pub mode: Mode,
    pub virtual_ip: Option<Spanned<IpAddr>>,
    pub quorum: Option<Spanned<Quorum>>,
    pub write_quorum: Option<Spanned<Quorum>>,
    /// `voters:` when given.
    pub voters: Option<Vec<Spanned<String>>>,
    pub failover: Option<Spanned<Failover>>,
    pub coordinator: Option<Spanned<String>>,
    pub leader_lease: Option<Spanned<bool>>,
    /// `hosts:`: a managed endpoint's host names.
    pub hosts: Vec<Spanned<String>>,
    pub span: Span,
}

pub(super) struct RawFlow {
    pub from: Vec<Spanned<Arc<str>>>,
    pub to: Vec<Spanned<Arc<str>>>,
    /// `None` when it was wrong (already reported): the flow's endpoints are still checked.
    pub protocol: Option<Protocol>,
    /// Where `protocol:` and `port:` are written: what a fix edits.
    pub protocol_span: Span,
    pub port: Option<u16>,
    pub port_span: Option<Span>,
    pub access: Access,
    pub purpose: Option<Purpose>,
    pub optional: bool,
    /// `request:`: the request classes the flow belongs to.
    pub request: Vec<Spanned<String>>,
    pub span: Span,
}

pub(super) const DESIGN_KEYS: &[&str] = &[
    "infralint",
    "name",
    "description",
    "domain",
    "exercise",
    "dns",
    "servers",
    "clusters",
    "external",
    "flows",
    "accept",
    "author",
    "zones",
    "clients",
];
pub(super) const DNS_KEYS: &[&str] = &["records", "nameservers"];
pub(super) const RECORD_KEYS: &[&str] = &["name", "type", "value"];
pub(super) const SERVER_KEYS: &[&str] =
    &["ip", "public", "zone", "why", "components", "availability"];
pub(super) const ZONE_KEYS: &[&str] = &["availability", "why"];
pub(super) const CLIENT_KEYS: &[&str] = &["network", "zone", "why"];
pub(super) const COMPONENT_KEYS: &[&str] = &[
    "kind",
    "name",
    "service",
    "software",
    "why",
    "role",
    "promotable",
    "algorithm",
    "tls",
    "certificate",
    "allow",
    "collects",
];
/// The kinds `role:` applies to: databases, and coordination services that take
/// writes (etcd as a datastore).
pub(super) const ROLE_KINDS: &[ComponentKind] = &ComponentKind::WITH_ROLE;

pub(super) const CERTIFICATE_KEYS: &[&str] = &["domains", "expires"];
pub(super) const CLUSTER_KEYS: &[&str] = &[
    "name",
    "members",
    "mode",
    "virtual_ip",
    "quorum",
    "write_quorum",
    "voters",
    "failover",
    "coordinator",
    "leader_lease",
    "hosts",
];
pub(super) const EXTERNAL_KEYS: &[&str] = &[
    "kind",
    "service",
    "software",
    "why",
    "hosts",
    "availability",
    "role",
    "tls",
];
pub(super) const FLOW_KEYS: &[&str] = &[
    "from", "to", "protocol", "port", "access", "purpose", "optional", "request",
];
pub(super) const ACCEPT_KEYS: &[&str] = &["rule", "target", "reason", "until"];

/// Takes the tree: the servers and the flows, most of it, are each dropped once read, so
/// that the whole tree and the whole model are never in memory together.
pub(super) fn lower(mut root: Node<'_>, errors: &mut Vec<Diagnostic>) -> Draft {
    let mut reader = Lower {
        r: Reader::new(errors, example),
        texts: Texts::default(),
        broken: HashSet::new(),
        roles_elsewhere: Vec::new(),
    };
    let mut draft = empty_draft();
    let NodeKind::Map(_) = root.kind else {
        reader.r.error(
            Diagnostic::at(ErrorCode::WrongType,
                root.span,
                format!("a design is a mapping of keys, but this file holds {}", root.describe()),
            )
            .label("expected keys such as `name:` and `servers:` here")
            .help("start the file with `name: ...` and `servers:`; see the design format in the README"),
        );
        return draft;
    };
    let servers = root.take("servers");
    let flows = root.take("flows");
    // A missing top-level key is reported where the design starts.
    let design_start = Span::at(root.span.start as usize);
    let Some(top) = reader.r.map(&root, "the design", DESIGN_KEYS, design_start) else {
        return draft;
    };

    reader.header(&top, &mut draft.design);
    if let Some(node) = top.get("dns") {
        let domain = draft.design.domain.as_ref().map(|d| d.value.clone());
        reader.dns(node, domain.as_deref(), &mut draft.design);
    }
    if let (Some(_), Some(node)) = (reader.r.required(&top, "servers"), servers) {
        draft.servers_read = reader.servers(&node, &mut draft.design);
    }
    if let Some(node) = top.get("clusters") {
        for item in reader.r.list(node, "clusters").unwrap_or_default() {
            if let Some(cluster) = reader.cluster(item) {
                draft.clusters.push(cluster);
            }
        }
    }
    if let Some(node) = top.get("external") {
        reader.externals(node, &mut draft.design);
    }
    if let Some(node) = top.get("zones") {
        reader.zones(node, &mut draft.design);
    }
    if let Some(node) = top.get("clients") {
        reader.clients(node, &mut draft.design);
    }
    if let Some(node) = flows {
        let items = reader.r.list(&node, "flows").unwrap_or_default();
        draft.flows.reserve_exact(items.len());
        for item in items {
            if let Some(flow) = reader.flow(item) {
                draft.flows.push(flow);
            }
        }
    }
    if let Some(node) = top.get("accept") {
        for item in reader.r.list(node, "accept").unwrap_or_default() {
            if let Some(acceptance) = reader.acceptance(item) {
                draft.design.accepts.push(acceptance);
            }
        }
    }
    draft.broken = reader.broken;
    draft.roles_elsewhere = reader.roles_elsewhere;
    draft
}

/// How a key is written, for the help of a type error.
fn example(key: &str) -> Option<&'static str> {
    Some(match key {
        "infralint" => "infralint: 1",
        "name" => "name: Simple web stack",
        "public" => "public: true",
        "servers" => "servers: { web-01: { components: [{ kind: web_server }] } }",
        "components" => "components: [{ kind: web_server, software: Nginx }]",
        "clusters" => "clusters: [{ name: lb-cluster, members: [lb-01, lb-02] }]",
        "members" => "members: [lb-01, lb-02]",
        "flows" => "flows: [{ from: user, to: www.foobar.com, protocol: https }]",
        "records" => "records: [{ name: www, type: A, value: 8.8.8.8 }]",
        "nameservers" => "nameservers: [ns1.foobar.com, ns2.foobar.com]",
        "external" => "external: { sumologic: { kind: monitoring } }",
        "accept" => "accept: [{ rule: AV001, target: lb-01, reason: ... }]",
        "allow" => "allow: [80, 443]",
        "collects" => "collects: [metrics, logs]",
        _ => return None,
    })
}

/// The design's reading: the schema reader, and the servers whose definition had an
/// error.
/// One shared copy of each distinct text: a big design writes the same endpoint, software
/// and zone thousands of times.
#[derive(Default)]
pub(super) struct Texts {
    known: HashSet<Arc<str>>,
}

impl Texts {
    pub(super) fn get(&mut self, text: &str) -> Arc<str> {
        if let Some(known) = self.known.get(text) {
            return Arc::clone(known);
        }
        let new: Arc<str> = Arc::from(text);
        self.known.insert(Arc::clone(&new));
        new
    }
}

/// A draft with nothing read yet.
fn empty_draft() -> Draft {
    Draft {
        roles_elsewhere: Vec::new(),
        design: Design {
            name: Spanned::new(String::new(), Span::at(0)),
            description: None,
            domain: None,
            exercise: None,
            author: None,
            servers: Vec::new(),
            components: Vec::new(),
            records: Vec::new(),
            nameservers: Vec::new(),
            nameservers_span: None,
            clusters: Vec::new(),
            externals: Vec::new(),
            zones: Vec::new(),
            clients: Vec::new(),
            flows: Vec::new(),
            accepts: Vec::new(),
        },
        clusters: Vec::new(),
        flows: Vec::new(),
        broken: HashSet::new(),
        servers_read: false,
    }
}
impl Lower<'_> {
    /// The design's own keys: the format version, name, description, author, exercise
    /// and domain.
    fn header(&mut self, top: &Fields<'_>, design: &mut Design) {
        if let Some(node) = top.get("infralint") {
            match node.as_scalar().map(|s| s.value()) {
                Some(ScalarValue::Int(1)) => {}
                Some(ScalarValue::Int(n)) => self.r.error(
                    Diagnostic::at(
                        ErrorCode::InvalidValue,
                        node.span,
                        format!("unsupported design format version {n}"),
                    )
                    .label("this infralint reads version 1")
                    .help("write `infralint: 1`, or leave the key out"),
                ),
                _ => self
                    .r
                    .type_error(node, "infralint", "the format version, `1`"),
            }
        }
        if let Some(name) = self
            .r
            .required(top, "name")
            .and_then(|n| self.r.text(n, "name"))
        {
            design.name = name;
        }
        design.description = top
            .get("description")
            .and_then(|n| self.r.free_text(n, "description"));
        design.author = top
            .get("author")
            .and_then(|n| self.r.free_text(n, "author"));
        design.exercise = top.get("exercise").and_then(|n| self.r.text(n, "exercise"));
        if let Some(domain) = top.get("domain").and_then(|n| self.r.text(n, "domain")) {
            if is_valid_host(&domain.value, false) {
                let value = domain.value.trim_end_matches('.').to_ascii_lowercase();
                design.domain = Some(Spanned::new(value, domain.span));
            } else {
                self.r.error(
                    Diagnostic::at(
                        ErrorCode::InvalidValue,
                        domain.span,
                        format!("`{}` is not a domain name", domain.value),
                    )
                    .label("not a domain name")
                    .help("write the bare domain, such as `foobar.com`"),
                );
            }
        }
    }
}

struct Lower<'e> {
    texts: Texts,
    r: Reader<'e>,
    broken: HashSet<String>,
    roles_elsewhere: Vec<(ComponentId, Span)>,
}

impl Lower<'_> {
    fn dns(&mut self, node: &Node, domain: Option<&str>, design: &mut Design) {
        let Some(dns) = self.r.map(node, "`dns`", DNS_KEYS, node.span) else {
            return;
        };
        if let Some(records) = dns.get("records") {
            for item in self.r.list(records, "records").unwrap_or_default() {
                if let Some(record) = self.record(item, domain, design.records.len()) {
                    design.records.push(record);
                }
            }
        }
        if let Some(list) = dns.get("nameservers") {
            design.nameservers_span = dns
                .entries()
                .iter()
                .find(|e| e.key.scalar_text() == Some("nameservers"))
                .map(|e| e.key.span);
            for item in self.r.list(list, "nameservers").unwrap_or_default() {
                if let Some(host) = self.r.text(item, "nameservers") {
                    if is_valid_host(&host.value, false) {
                        design.nameservers.push(host);
                    } else {
                        self.r.error(
                            Diagnostic::at(
                                ErrorCode::InvalidValue,
                                host.span,
                                format!("`{}` is not a host name", host.value),
                            )
                            .label("expected a host name")
                            .help("list name servers by host name, such as `ns1.foobar.com`"),
                        );
                    }
                }
            }
        }
    }

    fn record(&mut self, node: &Node, domain: Option<&str>, index: usize) -> Option<DnsRecord> {
        let fields = self.r.map(node, "a DNS record", RECORD_KEYS, node.span)?;
        let name = self
            .r
            .required(&fields, "name")
            .and_then(|n| self.r.text(n, "name"));
        let type_node = self.r.required(&fields, "type");
        let type_span = type_node.map_or(node.span, |n| n.span);
        let record_type = type_node.and_then(|n| self.r.word::<RecordType>(n, "type"));
        let value = self
            .r
            .required(&fields, "value")
            .and_then(|n| self.r.text(n, "value"));
        let (name, record_type, value) = (name?, record_type?, value?);
        if !is_valid_record_name(&name.value) {
            self.r.error(
                Diagnostic::at(ErrorCode::InvalidValue, name.span, format!("`{}` is not a DNS record name", name.value))
                    .label("not a record name")
                    .help("a record name is relative to `domain`: `www`, `api.eu`, or `@` for the domain itself"),
            );
            return None;
        }
        // A name ending in a dot is absolute (`shop.example.net.`): it is the host name
        // whatever `domain` says, so one design can serve several domains.
        let absolute = name.value.len() > 1 && name.value.ends_with('.');
        let relative = name.value.trim_end_matches('.').to_ascii_lowercase();
        let host = match (relative.as_str(), domain) {
            (_, _) if absolute => relative,
            ("@", Some(domain)) => domain.to_string(),
            ("@", None) => {
                self.r.error(
                    Diagnostic::at(
                        ErrorCode::InvalidValue,
                        name.span,
                        "`@` stands for the domain, but the design has no `domain`",
                    )
                    .label("no domain to stand for")
                    .help("add `domain: foobar.com` at the top of the design"),
                );
                return None;
            }
            (_, Some(domain)) => format!("{relative}.{domain}"),
            (_, None) => relative,
        };
        match record_type {
            RecordType::A | RecordType::Aaaa => {
                let parsed = value.value.parse::<IpAddr>();
                let fits = matches!(
                    (&parsed, record_type),
                    (Ok(IpAddr::V4(_)), RecordType::A) | (Ok(IpAddr::V6(_)), RecordType::Aaaa)
                );
                if !fits {
                    let (family, example) = if record_type == RecordType::A {
                        ("an IPv4", "8.8.8.8")
                    } else {
                        ("an IPv6", "2001:db8::1")
                    };
                    let help = if parsed.is_err() && is_valid_host(&value.value, false) {
                        format!("to point `{host}` at another host name, use a CNAME record")
                    } else {
                        format!(
                            "an {record_type} record's value is {family} address, such as {example}"
                        )
                    };
                    self.r.error(
                        Diagnostic::at(
                            ErrorCode::InvalidValue,
                            value.span,
                            format!("`{}` is not {family} address", value.value),
                        )
                        .label(format!("the value of an {record_type} record"))
                        .help(help),
                    );
                    return None;
                }
            }
            RecordType::Cname => {
                if value.value.parse::<IpAddr>().is_err() && !is_valid_host(&value.value, false) {
                    self.r.error(
                        Diagnostic::at(
                            ErrorCode::InvalidValue,
                            value.span,
                            format!("`{}` is not a host name", value.value),
                        )
                        .label("the value of a CNAME record")
                        .help(
                            "a CNAME record's value is a full host name, such as `www.foobar.com`",
                        ),
                    );
                    return None;
                }
            }
            RecordType::Mx | RecordType::Txt => {}
        }
        Some(DnsRecord {
            id: RecordId::from_index(index),
            name,
            host,
            record_type,
            type_span,
            value,
            span: node.span,
        })
    }

    /// Reads `servers:`; false when it could not be read at all.
    fn servers(&mut self, node: &Node, design: &mut Design) -> bool {
        let NodeKind::Map(entries) = &node.kind else {
            self.r
                .type_error(node, "servers", "a mapping from server name to server");
            return false;
        };
        if entries.is_empty() {
            self.r.error(
                Diagnostic::at(ErrorCode::MissingKey, node.span, "the design has no server")
                    .label("no server here")
                    .help("add at least one server under `servers:`"),
            );
            return false;
        }
        // Sized once: a big design's vectors are megabytes, and growing them step by step
        // leaves the smaller copies behind in the allocator.
        design.servers.reserve_exact(entries.len());
        let components: usize = entries
            .iter()
            .filter_map(|server| match &server.value.kind {
                NodeKind::Map(keys) => keys
                    .iter()
                    .find(|k| k.key.scalar_text() == Some("components")),
                _ => None,
            })
            .map(|list| match &list.value.kind {
                NodeKind::Seq(items) => items.len(),
                _ => 0,
            })
            .sum();
        design.components.reserve_exact(components);
        for entry in entries.iter() {
            let errors_before = self.r.error_count();
            let Some(name) = self.r.text(&entry.key, "server") else {
                continue;
            };
            let name_ok = self.r.check_name(&name, "server");
            if name.value == "user" {
                self.r.error(
                    Diagnostic::at(
                        ErrorCode::InvalidValue,
                        name.span,
                        "`user` cannot name a server",
                    )
                    .label("reserved for the person with a browser")
                    .help("rename the server, such as `client-01`"),
                );
            }
            let id = ServerId::from_index(design.servers.len());
            let mut server = Server {
                id,
                name: name.clone(),
                ip: None,
                public: false,
                zone: None,
                why: None,
                availability: None,
                components: Vec::new(),
            };
            if let Some(fields) = self.r.map(&entry.value, "a server", SERVER_KEYS, name.span) {
                server.ip = fields.get("ip").and_then(|n| self.r.ip(n, "ip"));
                server.public = fields
                    .get("public")
                    .and_then(|n| self.r.boolean(n, "public"))
                    .unwrap_or(false);
                server.zone = fields.get("zone").and_then(|n| self.shared_text(n, "zone"));
                server.availability = fields
                    .get("availability")
                    .and_then(|n| self.r.percentage(n, "availability"));
                server.why = fields
                    .get("why")
                    .and_then(|n| self.shared_text(n, "why"))
                    .map(|t| t.value);
                if let Some(list) = self.r.required(&fields, "components") {
                    self.components(list, &name, id, &mut server, design);
                }
            }
            if !name_ok || self.r.error_count() > errors_before {
                self.broken.insert(name.value.clone());
            }
            design.servers.push(server);
        }
        true
    }

    /// A firewall's `allow:` ports and an agent's `collects:`, refused on other kinds.
    fn firewall_and_agent_lists(
        &mut self,
        fields: &Fields<'_>,
        kind: ComponentKind,
    ) -> (Option<Vec<Spanned<u16>>>, Vec<Collect>) {
        let allow = self.only_for(fields, "allow", kind, &[ComponentKind::Firewall], |r, n| {
            let items = r.r.list(n, "allow")?;
            Some(
                items
                    .iter()
                    .filter_map(|i| r.r.port(i, "allow").map(|p| Spanned::new(p, i.span)))
                    .collect(),
            )
        });
        let collects = self
            .only_for(
                fields,
                "collects",
                kind,
                &[ComponentKind::MonitoringAgent],
                |r, n| {
                    let items = r.r.list(n, "collects")?;
                    Some(
                        items
                            .iter()
                            .filter_map(|i| r.r.word::<Collect>(i, "collects"))
                            .collect(),
                    )
                },
            )
            .unwrap_or_default();
        (allow, collects)
    }

    /// `role:`; on a kind that has no roles, remembered: allowed only for a failover
    /// cluster's member, which is known once clusters are resolved.
    fn role(
        &mut self,
        fields: &Fields<'_>,
        kind: ComponentKind,
        item: Span,
        next_id: usize,
    ) -> Option<Role> {
        let role = fields
            .get("role")
            .and_then(|n| self.r.word::<Role>(n, "role"));
        if role.is_some() && !ROLE_KINDS.contains(&kind) {
            let key = fields
                .entries()
                .iter()
                .find(|e| e.key.scalar_text() == Some("role"))
                .map_or(item, |e| e.key.span);
            self.roles_elsewhere
                .push((ComponentId::from_index(next_id), key));
        }
        role
    }

    fn components(
        &mut self,
        list: &Node,
        server_name: &Spanned<String>,
        server_id: ServerId,
        server: &mut Server,
        design: &mut Design,
    ) {
        let Some(items) = self.r.list(list, "components") else {
            return;
        };
        if items.is_empty() {
            self.r.error(
                Diagnostic::at(
                    ErrorCode::MissingKey,
                    list.span,
                    format!("server `{}` has no component", server_name.value),
                )
                .label("empty list")
                .help(
                    "list what the server runs, such as `- { kind: web_server, software: Nginx }`",
                ),
            );
            return;
        }
        let mut names: HashMap<Arc<str>, Span> = HashMap::new();
        for item in items {
            let Some(fields) = self.r.map(item, "a component", COMPONENT_KEYS, item.span) else {
                continue;
            };
            let Some(kind_node) = self.r.required(&fields, "kind") else {
                continue;
            };
            let Some(kind) = self.r.word::<ComponentKind>(kind_node, "kind") else {
                continue;
            };
            let name = match fields.get("name") {
                Some(node) => match self.r.name(node, "component") {
                    Some(name) => Spanned::new(self.texts.get(&name.value), name.span),
                    None => continue,
                },
                None => Spanned::new(self.texts.get(kind.as_str()), kind_node.span),
            };
            if let Some(&first) = names.get(&name.value) {
                self.r.error(
                    Diagnostic::at(
                        ErrorCode::DuplicateName,
                        name.span,
                        format!(
                            "server `{}` has two components named `{}`",
                            server_name.value, name.value
                        ),
                    )
                    .label("named again here")
                    .secondary(first, "first named here")
                    .help("give one of them its own `name:`, such as `name: web-admin`"),
                );
                continue;
            }
            names.insert(name.value.clone(), name.span);
            let role = self.role(&fields, kind, item.span, design.components.len());
            let promotable = fields
                .get("promotable")
                .and_then(|n| self.r.boolean(n, "promotable"))
                .unwrap_or(true);
            let algorithm = self.only_for(
                &fields,
                "algorithm",
                kind,
                &[ComponentKind::LoadBalancer],
                |r, n| r.r.word::<Algorithm>(n, "algorithm"),
            );
            let (tls, service) = self.tls_and_service(&fields, kind);
            let (allow, collects) = self.firewall_and_agent_lists(&fields, kind);
            let certificate = fields.get("certificate").and_then(|n| self.certificate(n));
            let id = ComponentId::from_index(design.components.len());
            server.components.push(id);
            design.components.push(Component {
                id,
                server: server_id,
                name,
                kind,
                span: item.span,
                software: fields
                    .get("software")
                    .and_then(|n| self.shared_text(n, "software"))
                    .map(|t| t.value),
                why: fields
                    .get("why")
                    .and_then(|n| self.shared_text(n, "why"))
                    .map(|t| t.value),
                role: role.or(ROLE_KINDS[..1].contains(&kind).then_some(Role::Primary)),
                promotable,
                service,
                tls,
                algorithm: algorithm
                    .or((kind == ComponentKind::LoadBalancer).then_some(Algorithm::RoundRobin)),
                certificate: certificate.map(Box::new),
                allow,
                collects,
            });
        }
    }

    /// `tls:` (balancers only) and `service:`, read alike on components and on the
    /// outside services that count as `kind`.
    fn tls_and_service(
        &mut self,
        fields: &Fields<'_>,
        kind: ComponentKind,
    ) -> (Option<TlsMode>, Option<Spanned<String>>) {
        let tls = self.only_for(
            fields,
            "tls",
            kind,
            &[ComponentKind::LoadBalancer],
            |r, n| r.r.word::<TlsMode>(n, "tls"),
        );
        let service = fields
            .get("service")
            .and_then(|n| self.r.name(n, "service"));
        (tls, service)
    }

    /// Reads a key that only some kinds of component may have.
    fn only_for<T>(
        &mut self,
        fields: &Fields<'_>,
        key: &str,
        kind: ComponentKind,
        allowed: &[ComponentKind],
        read: impl FnOnce(&mut Self, &Node) -> Option<T>,
    ) -> Option<T> {
        let node = fields.get(key)?;
        if !allowed.contains(&kind) {
            let words: Vec<String> = allowed.iter().map(|k| format!("`{k}`")).collect();
            let allowed_kind = crate::prose::or_join(&words);
            let key_span = fields
                .entries()
                .iter()
                .find(|e| e.key.scalar_text() == Some(key))
                .map_or(node.span, |e| e.key.span);
            self.r.error(
                Diagnostic::at(
                    ErrorCode::InvalidValue,
                    key_span,
                    format!("`{key}` applies to {allowed_kind} components only"),
                )
                .label(format!("its kind is `{kind}`"))
                .help(format!(
                    "remove `{key}`, or change the kind to {allowed_kind}"
                )),
            );
            return None;
        }
        read(self, node)
    }

    fn certificate(&mut self, node: &Node) -> Option<Certificate> {
        let fields = self
            .r
            .map(node, "a certificate", CERTIFICATE_KEYS, node.span)?;
        let domains_node = self.r.required(&fields, "domains")?;
        let mut domains = Vec::new();
        for item in self.r.one_or_list(domains_node) {
            let Some(host) = self.r.text(item, "domains") else {
                continue;
            };
            if is_valid_host(&host.value, true) {
                domains.push(Spanned::new(host.value.to_ascii_lowercase(), host.span));
            } else {
                self.r.error(
                    Diagnostic::at(ErrorCode::InvalidValue, host.span, format!("`{}` is not a host name", host.value))
                        .label("expected a host name")
                        .help("a certificate covers host names such as `www.foobar.com` or `*.foobar.com`"),
                );
            }
        }
        let expires = fields
            .get("expires")
            .and_then(|n| self.r.date(n, "expires"));
        Some(Certificate {
            domains,
            expires,
            span: node.span,
        })
    }

    fn cluster(&mut self, node: &Node) -> Option<RawCluster> {
        let fields = self.r.map(node, "a cluster", CLUSTER_KEYS, node.span)?;
        let name = self
            .r
            .required(&fields, "name")
            .and_then(|n| self.r.name(n, "cluster"));
        let members_node = self.r.required(&fields, "members");
        let mode = match fields.get("mode") {
            Some(n) => self.r.word::<Mode>(n, "mode"),
            None => Some(Mode::ActiveActive),
        };
        let virtual_ip = fields
            .get("virtual_ip")
            .and_then(|n| self.r.ip(n, "virtual_ip"));
        let quorum = fields.get("quorum").and_then(|n| self.quorum(n, "quorum"));
        let write_quorum = fields
            .get("write_quorum")
            .and_then(|n| self.quorum(n, "write_quorum"));
        let voters = fields.get("voters").map(|node| {
            let list = self.r.list(node, "voters").unwrap_or_default();
            list.iter()
                .filter_map(|item| self.r.text(item, "voters"))
                .collect()
        });
        let mut members = Vec::new();
        if let Some(list) = members_node.and_then(|n| self.r.list(n, "members")) {
            for item in list {
                if let Some(member) = self.r.text(item, "members") {
                    members.push(member);
                }
            }
            if list.len() < 2 {
                self.r.error(
                    Diagnostic::at(
                        ErrorCode::InvalidValue,
                        members_node.map_or(node.span, |n| n.span),
                        "a cluster needs two members or more",
                    )
                    .label(format!("{} member", list.len()))
                    .help("list every server of the cluster under `members`"),
                );
            }
        }
        let failover = fields.get("failover").and_then(|n| {
            self.r
                .word::<Failover>(n, "failover")
                .map(|f| Spanned::new(f, n.span))
        });
        let coordinator = fields
            .get("coordinator")
            .and_then(|n| self.r.name(n, "coordinator"));
        let leader_lease = fields.get("leader_lease").and_then(|n| {
            self.r
                .boolean(n, "leader_lease")
                .map(|b| Spanned::new(b, n.span))
        });
        let hosts = fields
            .get("hosts")
            .map(|n| self.external_hosts(n))
            .unwrap_or_default();
        Some(RawCluster {
            name: name?,
            hosts,
            members,
            mode: mode?,
            virtual_ip,
            quorum,
            write_quorum,
            voters,
            failover,
            coordinator,
            leader_lease,
            span: node.span,
        })
    }

    /// `quorum:` and `write_quorum:`: a whole number of at least 1, or `majority`.
    fn quorum(&mut self, node: &Node, key: &str) -> Option<Spanned<Quorum>> {
        let value = match node.as_scalar().map(|s| (s.value(), s.text)) {
            Some((ScalarValue::Int(n), _)) if n >= 1 => u32::try_from(n).ok().map(Quorum::Count),
            Some((ScalarValue::Str, "majority")) => Some(Quorum::Majority),
            _ => None,
        };
        if value.is_none() {
            self.r
                .type_error(node, key, "a whole number of at least 1, or `majority`");
        }
        Some(Spanned::new(value?, node.span))
    }

    fn externals(&mut self, node: &Node, design: &mut Design) {
        let NodeKind::Map(entries) = &node.kind else {
            self.r
                .type_error(node, "external", "a mapping from name to external service");
            return;
        };
        for entry in entries.iter() {
            let Some(name) = self.r.text(&entry.key, "external") else {
                continue;
            };
            if !self.r.check_name(&name, "external service") {
                continue;
            }
            let Some(fields) = self.r.map(
                &entry.value,
                "an external service",
                EXTERNAL_KEYS,
                name.span,
            ) else {
                continue;
            };
            let kind = match fields.get("kind") {
                Some(n) => match self.r.word::<ExternalKind>(n, "kind") {
                    Some(kind) => kind,
                    None => continue,
                },
                None => ExternalKind::Other,
            };
            let hosts = fields
                .get("hosts")
                .map(|n| self.external_hosts(n))
                .unwrap_or_default();
            // `role` and `tls` as on a component of the kind it names.
            let as_kind = kind.as_component().unwrap_or(ComponentKind::Other);
            let role = self.only_for(&fields, "role", as_kind, ROLE_KINDS, |r, n| {
                r.r.word::<Role>(n, "role")
            });
            let (tls, service) = self.tls_and_service(&fields, as_kind);
            design.externals.push(External {
                id: ExternalId::from_index(design.externals.len()),
                name,
                kind,
                service,
                role: role.or((kind == ExternalKind::Database).then_some(Role::Primary)),
                tls,
                hosts,
                software: fields
                    .get("software")
                    .and_then(|n| self.r.free_text(n, "software")),
                why: fields.get("why").and_then(|n| self.r.free_text(n, "why")),
                availability: fields
                    .get("availability")
                    .and_then(|n| self.r.percentage(n, "availability"))
                    .map(|a| a.value),
            });
        }
    }

    /// A mapping from names to mappings of one kind (`zones:`, `clients:`): each valid
    /// name with its mapping's fields, every mistake reported.
    fn named<'t>(
        &mut self,
        node: &'t Node<'t>,
        key: &str,
        what: &'static str,
        a: &'static str,
        keys: &[&str],
    ) -> Vec<(Spanned<String>, Fields<'t>)> {
        let NodeKind::Map(entries) = &node.kind else {
            self.r
                .type_error(node, key, &format!("a mapping from {what} name to {what}"));
            return Vec::new();
        };
        let mut named = Vec::with_capacity(entries.len());
        for entry in entries.iter() {
            let Some(name) = self.r.text(&entry.key, key) else {
                continue;
            };
            if !self.r.check_name(&name, what) {
                continue;
            }
            if let Some(fields) = self.r.map(&entry.value, a, keys, name.span) {
                named.push((name, fields));
            }
        }
        named
    }

    /// `clients:`: who starts requests besides `user`, by name.
    fn clients(&mut self, node: &Node, design: &mut Design) {
        for (name, fields) in self.named(node, "clients", "client", "a client", CLIENT_KEYS) {
            let Some(network) = self
                .r
                .required(&fields, "network")
                .and_then(|n| self.r.word::<Network>(n, "network"))
            else {
                continue;
            };
            let zone = fields.get("zone").and_then(|n| self.shared_text(n, "zone"));
            let _ = fields.get("why").and_then(|n| self.r.free_text(n, "why"));
            design.clients.push(Client {
                id: ClientId::from_index(design.clients.len()),
                name,
                network,
                zone,
            });
        }
    }

    /// `zones:`: failure domains by name, each with an optional availability.
    fn zones(&mut self, node: &Node, design: &mut Design) {
        for (name, fields) in self.named(node, "zones", "zone", "a zone", ZONE_KEYS) {
            let availability = fields
                .get("availability")
                .and_then(|n| self.r.percentage(n, "availability"));
            let _ = fields.get("why").and_then(|n| self.r.free_text(n, "why"));
            design.zones.push(Zone { name, availability });
        }
    }

    /// `hosts:` of an external service or a cluster: host names, lower case, without a
    /// final dot.
    fn external_hosts(&mut self, node: &Node) -> Vec<Spanned<String>> {
        let Some(items) = self.r.list(node, "hosts") else {
            return Vec::new();
        };
        let mut hosts = Vec::new();
        for item in items {
            let Some(host) = self.r.text(item, "hosts") else {
                continue;
            };
            if is_valid_host(&host.value, false) {
                let normal = host.value.trim_end_matches('.').to_ascii_lowercase();
                hosts.push(Spanned::new(normal, host.span));
            } else {
                self.r.error(
                    Diagnostic::at(ErrorCode::InvalidValue, host.span, format!("`{}` is not a host name", host.value))
                        .label("expected a host name")
                        .help("list the host names the service answers, such as `shop-example.cdn.example`"),
                );
            }
        }
        hosts
    }

    /// Text, as [`Reader::text`], held once however often the design writes it.
    fn shared_text(&mut self, node: &Node, key: &str) -> Option<Spanned<Arc<str>>> {
        let text = self.r.text_slice(node, key)?;
        Some(Spanned::new(self.texts.get(text.value), text.span))
    }

    fn flow(&mut self, node: &Node) -> Option<RawFlow> {
        let fields = self.r.map(node, "a flow", FLOW_KEYS, node.span)?;
        let endpoints = |reader: &mut Self, key: &str| -> Vec<Spanned<Arc<str>>> {
            let Some(side) = reader.r.required(&fields, key) else {
                return Vec::new();
            };
            let items = reader.r.one_or_list(side);
            if items.is_empty() {
                reader.r.error(
                    Diagnostic::at(ErrorCode::MissingKey, side.span, format!("`{key}` lists no endpoint"))
                        .label("empty list")
                        .help("name at least one endpoint: `user`, `SERVER/COMPONENT`, a server or a host name"),
                );
            }
            items
                .iter()
                .filter_map(|i| reader.r.text_slice(i, key))
                .map(|text| Spanned::new(reader.texts.get(text.value), text.span))
                .collect()
        };
        let from = endpoints(self, "from");
        let to = endpoints(self, "to");
        let protocol_node = self.r.required(&fields, "protocol");
        let protocol_span = protocol_node.map_or(node.span, |n| n.span);
        let protocol = protocol_node.and_then(|n| self.r.word::<Protocol>(n, "protocol"));
        let port_span = fields.get("port").map(|n| n.span);
        let port = fields.get("port").and_then(|n| self.r.port(n, "port"));
        let access = fields
            .get("access")
            .and_then(|n| self.r.word::<Access>(n, "access"))
            .unwrap_or(Access::ReadWrite);
        let purpose = fields
            .get("purpose")
            .and_then(|n| self.r.word::<Purpose>(n, "purpose"));
        let optional = fields
            .get("optional")
            .and_then(|n| self.r.boolean(n, "optional"))
            .unwrap_or(false);
        let request = match fields.get("request") {
            Some(node) => {
                let items = self.r.one_or_list(node);
                items
                    .iter()
                    .filter_map(|item| self.r.name(item, "request"))
                    .collect()
            }
            None => Vec::new(),
        };
        Some(RawFlow {
            from,
            to,
            protocol,
            protocol_span,
            port,
            port_span,
            access,
            purpose,
            optional,
            request,
            span: node.span,
        })
    }

    fn acceptance(&mut self, node: &Node) -> Option<Acceptance> {
        let fields = self.r.map(node, "an acceptance", ACCEPT_KEYS, node.span)?;
        let rule = self
            .r
            .required(&fields, "rule")
            .and_then(|n| self.r.text(n, "rule"));
        let target = fields.get("target").and_then(|n| self.r.text(n, "target"));
        let reason = self
            .r
            .required(&fields, "reason")
            .and_then(|n| self.r.free_text(n, "reason"));
        let until = fields.get("until").and_then(|n| self.r.date(n, "until"));
        Some(Acceptance {
            rule: rule?,
            target,
            reason: reason?,
            until,
            span: node.span,
        })
    }
}
