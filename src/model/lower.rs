//! Syntax tree -> draft design: every key, type and allowed value of the format is
//! checked here. Names that refer to other things (cluster members, flow endpoints)
//! are kept as written, with their spans, for `resolve`.
//!
//! A wrong part is reported and left out, and reading goes on, so that one run reports
//! every error in the file. Servers whose definition had an error are remembered, so
//! that `resolve` does not report a flow to them as a second, derived error.

use std::collections::{HashMap, HashSet};
use std::net::IpAddr;

use jiff::civil::Date;

use super::names::{is_valid_host, is_valid_name, is_valid_record_name, list_words, suggest};
use super::vocabulary::Word;
use super::{
    Acceptance, Access, Algorithm, Certificate, Collect, Component, ComponentId, ComponentKind,
    Design, DnsRecord, External, ExternalId, ExternalKind, Mode, Protocol, Purpose, RecordId,
    RecordType, Role, Server, ServerId, Spanned, Zone,
};
use crate::diagnostic::DesignError;
use crate::source::Span;
use crate::syntax::{Entry, Node, NodeKind, ScalarValue};

/// The design as read, before names are connected.
pub(super) struct Draft {
    pub design: Design,
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
    pub span: Span,
}

pub(super) struct RawFlow {
    pub from: Vec<Spanned<String>>,
    pub to: Vec<Spanned<String>>,
    /// `None` when it was wrong (already reported): the flow's endpoints are still checked.
    pub protocol: Option<Protocol>,
    pub port: Option<u16>,
    pub access: Access,
    pub purpose: Option<Purpose>,
    pub optional: bool,
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
];
pub(super) const DNS_KEYS: &[&str] = &["records", "nameservers"];
pub(super) const RECORD_KEYS: &[&str] = &["name", "type", "value"];
pub(super) const SERVER_KEYS: &[&str] =
    &["ip", "public", "zone", "why", "components", "availability"];
pub(super) const ZONE_KEYS: &[&str] = &["availability", "why"];
pub(super) const COMPONENT_KEYS: &[&str] = &[
    "kind",
    "name",
    "software",
    "why",
    "role",
    "algorithm",
    "certificate",
    "allow",
    "collects",
];
pub(super) const CERTIFICATE_KEYS: &[&str] = &["domains", "expires"];
pub(super) const CLUSTER_KEYS: &[&str] = &["name", "members", "mode", "virtual_ip"];
pub(super) const EXTERNAL_KEYS: &[&str] = &["kind", "software", "why", "hosts", "availability"];
pub(super) const FLOW_KEYS: &[&str] = &[
    "from", "to", "protocol", "port", "access", "purpose", "optional",
];
pub(super) const ACCEPT_KEYS: &[&str] = &["rule", "target", "reason", "until"];

pub(super) fn lower(root: &Node, errors: &mut Vec<DesignError>) -> Draft {
    let mut reader = Reader::new(errors);
    let mut draft = Draft {
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
            flows: Vec::new(),
            accepts: Vec::new(),
        },
        clusters: Vec::new(),
        flows: Vec::new(),
        broken: HashSet::new(),
        servers_read: false,
    };
    let NodeKind::Map(_) = root.kind else {
        reader.errors.push(
            DesignError::at(
                root.span,
                format!("a design is a mapping of keys, but this file holds {}", root.describe()),
            )
            .label("expected keys such as `name:` and `servers:` here")
            .help("start the file with `name: ...` and `servers:`; see the design format in the README"),
        );
        return draft;
    };
    // A missing top-level key is reported where the design starts.
    let design_start = Span::at(root.span.start as usize);
    let Some(top) = reader.map(root, "the design", DESIGN_KEYS, design_start) else {
        return draft;
    };

    if let Some(node) = top.get("infralint") {
        match node.as_scalar().map(|s| s.value()) {
            Some(ScalarValue::Int(1)) => {}
            Some(ScalarValue::Int(n)) => reader.errors.push(
                DesignError::at(node.span, format!("unsupported design format version {n}"))
                    .label("this infralint reads version 1")
                    .help("write `infralint: 1`, or leave the key out"),
            ),
            _ => reader.type_error(node, "infralint", "the format version, `1`"),
        }
    }
    if let Some(name) = reader
        .required(&top, "name")
        .and_then(|n| reader.text(n, "name"))
    {
        draft.design.name = name;
    }
    draft.design.description = top
        .get("description")
        .and_then(|n| reader.free_text(n, "description"));
    draft.design.author = top
        .get("author")
        .and_then(|n| reader.free_text(n, "author"));
    draft.design.exercise = top.get("exercise").and_then(|n| reader.text(n, "exercise"));
    if let Some(domain) = top.get("domain").and_then(|n| reader.text(n, "domain")) {
        if is_valid_host(&domain.value, false) {
            let value = domain.value.trim_end_matches('.').to_ascii_lowercase();
            draft.design.domain = Some(Spanned::new(value, domain.span));
        } else {
            reader.errors.push(
                DesignError::at(
                    domain.span,
                    format!("`{}` is not a domain name", domain.value),
                )
                .label("not a domain name")
                .help("write the bare domain, such as `foobar.com`"),
            );
        }
    }
    if let Some(node) = top.get("dns") {
        let domain = draft.design.domain.as_ref().map(|d| d.value.clone());
        reader.dns(node, domain.as_deref(), &mut draft.design);
    }
    if let Some(node) = reader.required(&top, "servers") {
        draft.servers_read = reader.servers(node, &mut draft.design);
    }
    if let Some(node) = top.get("clusters") {
        for item in reader.list(node, "clusters").unwrap_or_default() {
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
    if let Some(node) = top.get("flows") {
        for item in reader.list(node, "flows").unwrap_or_default() {
            if let Some(flow) = reader.flow(item) {
                draft.flows.push(flow);
            }
        }
    }
    if let Some(node) = top.get("accept") {
        for item in reader.list(node, "accept").unwrap_or_default() {
            if let Some(acceptance) = reader.acceptance(item) {
                draft.design.accepts.push(acceptance);
            }
        }
    }
    draft.broken = reader.broken;
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

/// The entries of one mapping, already checked against the keys allowed there.
pub(crate) struct Fields<'t> {
    entries: &'t [Entry],
    /// Where to point when a required key is missing: the mapping's own key or item.
    owner: Span,
    what: &'static str,
}

impl<'t> Fields<'t> {
    pub(crate) fn entries(&self) -> &'t [Entry] {
        self.entries
    }

    pub(crate) fn get(&self, key: &str) -> Option<&'t Node> {
        self.entries
            .iter()
            .find(|e| e.key.scalar_text() == Some(key))
            .map(|e| &e.value)
    }
}

pub(crate) struct Reader<'e> {
    errors: &'e mut Vec<DesignError>,
    broken: HashSet<String>,
}

impl<'e> Reader<'e> {
    /// A reader that reports into `errors`: what other data files (profiles) use to read
    /// YAML against a schema with the same messages as designs.
    pub(crate) fn new(errors: &'e mut Vec<DesignError>) -> Reader<'e> {
        Reader {
            errors,
            broken: HashSet::new(),
        }
    }

    /// A whole number of at least `min`.
    pub(crate) fn count(&mut self, node: &Node, key: &str, min: i64) -> Option<u32> {
        match node.as_scalar().map(|s| s.value()) {
            Some(ScalarValue::Int(n)) if n >= min => u32::try_from(n).ok(),
            _ => {
                self.type_error(node, key, &format!("a whole number of at least {min}"));
                None
            }
        }
    }

    /// Reports an error found by the caller.
    pub(crate) fn error(&mut self, error: DesignError) {
        self.errors.push(error);
    }
    /// Reads a mapping, reporting every key not allowed at this place.
    pub(crate) fn map<'t>(
        &mut self,
        node: &'t Node,
        what: &'static str,
        allowed: &[&str],
        owner: Span,
    ) -> Option<Fields<'t>> {
        let NodeKind::Map(entries) = &node.kind else {
            self.errors.push(
                DesignError::at(
                    node.span,
                    format!("{what} must be a mapping, found {}", node.describe()),
                )
                .label("expected `key: value` lines here")
                .help(format!(
                    "the keys of {what} are {}",
                    list_words(allowed.iter().copied())
                )),
            );
            return None;
        };
        for entry in entries.iter() {
            match entry.key.scalar_text() {
                Some(key) if allowed.contains(&key) => {}
                Some(key) => {
                    let near = suggest(key, allowed.iter().copied());
                    let help = match near {
                        Some(near) => format!("did you mean `{near}`?"),
                        None => format!(
                            "the keys of {what} are {}",
                            list_words(allowed.iter().copied())
                        ),
                    };
                    self.errors.push(
                        DesignError::at(entry.key.span, format!("unknown key `{key}`"))
                            .label(format!("not a key of {what}"))
                            .help(help)
                            .maybe_fix(near.map(str::to_owned)),
                    );
                }
                None => self.errors.push(
                    DesignError::at(entry.key.span, "a key must be plain text")
                        .label("this key is a list or a mapping")
                        .help(format!(
                            "the keys of {what} are {}",
                            list_words(allowed.iter().copied())
                        )),
                ),
            }
        }
        Some(Fields {
            entries,
            owner,
            what,
        })
    }

    pub(crate) fn required<'t>(&mut self, fields: &Fields<'t>, key: &str) -> Option<&'t Node> {
        let node = fields.get(key);
        if node.is_none() {
            self.errors.push(
                DesignError::at(fields.owner, format!("{} has no `{key}`", fields.what))
                    .label(format!("`{key}` is required here"))
                    .help(format!("add `{key}:` to {}", fields.what)),
            );
        }
        node
    }

    fn type_error(&mut self, node: &Node, key: &str, expected: &str) {
        self.errors.push(
            DesignError::at(
                node.span,
                format!("`{key}` must be {expected}, found {}", node.describe()),
            )
            .label(format!("expected {expected}"))
            .maybe_help(example(key).map(|e| format!("for example: `{e}`"))),
        );
    }

    /// A non-empty text. Numbers and booleans are read as their text.
    pub(crate) fn text(&mut self, node: &Node, key: &str) -> Option<Spanned<String>> {
        match node.as_scalar() {
            Some(s) if !(s.text.is_empty() || s.plain && s.value() == ScalarValue::Null) => {
                Some(Spanned::new(s.text.to_string(), node.span))
            }
            _ => {
                self.type_error(node, key, "text");
                None
            }
        }
    }

    /// Free text such as `why` or `software`.
    pub(crate) fn free_text(&mut self, node: &Node, key: &str) -> Option<String> {
        self.text(node, key).map(|t| t.value)
    }

    fn name(&mut self, node: &Node, key: &str) -> Option<Spanned<String>> {
        let name = self.text(node, key)?;
        self.check_name(&name, key).then_some(name)
    }

    fn check_name(&mut self, name: &Spanned<String>, what: &str) -> bool {
        if is_valid_name(&name.value) {
            return true;
        }
        self.errors.push(
            DesignError::at(
                name.span,
                format!("`{}` is not a valid {what} name", name.value),
            )
            .label("not a valid name")
            .help("a name starts with a letter or digit, then letters, digits, `_`, `.` or `-`"),
        );
        false
    }

    fn boolean(&mut self, node: &Node, key: &str) -> Option<bool> {
        match node.as_scalar().map(|s| s.value()) {
            Some(ScalarValue::Bool(b)) => Some(b),
            _ => {
                self.type_error(node, key, "`true` or `false`");
                None
            }
        }
    }

    pub(crate) fn list<'t>(&mut self, node: &'t Node, key: &str) -> Option<&'t [Node]> {
        match &node.kind {
            NodeKind::Seq(items) => Some(items),
            _ => {
                self.type_error(node, key, "a list");
                None
            }
        }
    }

    /// One item or a list of them, as `from:` and `to:` allow.
    pub(crate) fn one_or_list<'t>(&mut self, node: &'t Node) -> Vec<&'t Node> {
        match &node.kind {
            NodeKind::Seq(items) => items.iter().collect(),
            _ => vec![node],
        }
    }

    pub(crate) fn word<W: Word>(&mut self, node: &Node, key: &str) -> Option<W> {
        let text = self.text(node, key)?;
        if let Some(word) = W::parse(&text.value) {
            return Some(word);
        }
        let allowed = list_words(W::WORDS.iter().copied());
        let near = suggest(&text.value, W::WORDS.iter().copied());
        let help = match near {
            Some(near) => format!("did you mean `{near}`? allowed: {allowed}"),
            None => format!("allowed: {allowed}"),
        };
        self.errors.push(
            DesignError::at(text.span, format!("unknown {} `{}`", W::WHAT, text.value))
                .label(format!("not a known {}", W::WHAT))
                .help(help)
                .maybe_fix(near.map(str::to_owned)),
        );
        None
    }

    fn port(&mut self, node: &Node, key: &str) -> Option<u16> {
        match node.as_scalar().map(|s| s.value()) {
            Some(ScalarValue::Int(n)) if (1..=65535).contains(&n) => u16::try_from(n).ok(),
            Some(ScalarValue::Int(n)) => {
                self.errors.push(
                    DesignError::at(node.span, format!("port {n} is out of range"))
                        .label("not a port")
                        .help("a port is a number from 1 to 65535"),
                );
                None
            }
            _ => {
                let text = node.scalar_text().unwrap_or_default();
                let well_known = match text {
                    "http" => Some(80),
                    "https" => Some(443),
                    "ssh" => Some(22),
                    "mysql" => Some(3306),
                    "postgres" => Some(5432),
                    _ => None,
                };
                self.errors.push(
                    DesignError::at(
                        node.span,
                        format!("`{key}` takes port numbers, found {}", node.describe()),
                    )
                    .label("not a port number")
                    .maybe_help(well_known.map(|p| format!("did you mean {p}?"))),
                );
                None
            }
        }
    }

    pub(crate) fn date(&mut self, node: &Node, key: &str) -> Option<Spanned<Date>> {
        let text = self.text(node, key)?;
        match text.value.parse::<Date>() {
            Ok(date) if text.value.len() == 10 => Some(Spanned::new(date, text.span)),
            _ => {
                self.errors.push(
                    DesignError::at(text.span, format!("`{}` is not a date", text.value))
                        .label("expected a date")
                        .help("write dates as YYYY-MM-DD, such as 2027-06-30"),
                );
                None
            }
        }
    }

    fn ip(&mut self, node: &Node, key: &str) -> Option<Spanned<IpAddr>> {
        let text = self.text(node, key)?;
        match text.value.parse::<IpAddr>() {
            Ok(ip) => Some(Spanned::new(ip, text.span)),
            Err(_) => {
                self.errors.push(
                    DesignError::at(text.span, format!("`{}` is not an IP address", text.value))
                        .label("expected an address")
                        .help("write an IPv4 address such as 10.0.0.11, or an IPv6 address"),
                );
                None
            }
        }
    }

    fn dns(&mut self, node: &Node, domain: Option<&str>, design: &mut Design) {
        let Some(dns) = self.map(node, "`dns`", DNS_KEYS, node.span) else {
            return;
        };
        if let Some(records) = dns.get("records") {
            for item in self.list(records, "records").unwrap_or_default() {
                if let Some(record) = self.record(item, domain, design.records.len()) {
                    design.records.push(record);
                }
            }
        }
        if let Some(list) = dns.get("nameservers") {
            design.nameservers_span = dns
                .entries
                .iter()
                .find(|e| e.key.scalar_text() == Some("nameservers"))
                .map(|e| e.key.span);
            for item in self.list(list, "nameservers").unwrap_or_default() {
                if let Some(host) = self.text(item, "nameservers") {
                    if is_valid_host(&host.value, false) {
                        design.nameservers.push(host);
                    } else {
                        self.errors.push(
                            DesignError::at(
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
        let fields = self.map(node, "a DNS record", RECORD_KEYS, node.span)?;
        let name = self
            .required(&fields, "name")
            .and_then(|n| self.text(n, "name"));
        let record_type = self
            .required(&fields, "type")
            .and_then(|n| self.word::<RecordType>(n, "type"));
        let value = self
            .required(&fields, "value")
            .and_then(|n| self.text(n, "value"));
        let (name, record_type, value) = (name?, record_type?, value?);
        if !is_valid_record_name(&name.value) {
            self.errors.push(
                DesignError::at(name.span, format!("`{}` is not a DNS record name", name.value))
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
                self.errors.push(
                    DesignError::at(
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
                    self.errors.push(
                        DesignError::at(
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
                    self.errors.push(
                        DesignError::at(
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
            value,
            span: node.span,
        })
    }

    /// Reads `servers:`; false when it could not be read at all.
    fn servers(&mut self, node: &Node, design: &mut Design) -> bool {
        let NodeKind::Map(entries) = &node.kind else {
            self.type_error(node, "servers", "a mapping from server name to server");
            return false;
        };
        if entries.is_empty() {
            self.errors.push(
                DesignError::at(node.span, "the design has no server")
                    .label("no server here")
                    .help("add at least one server under `servers:`"),
            );
            return false;
        }
        for entry in entries.iter() {
            let errors_before = self.errors.len();
            let Some(name) = self.text(&entry.key, "server") else {
                continue;
            };
            let name_ok = self.check_name(&name, "server");
            if name.value == "user" {
                self.errors.push(
                    DesignError::at(name.span, "`user` cannot name a server")
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
            if let Some(fields) = self.map(&entry.value, "a server", SERVER_KEYS, name.span) {
                server.ip = fields.get("ip").and_then(|n| self.ip(n, "ip"));
                server.public = fields
                    .get("public")
                    .and_then(|n| self.boolean(n, "public"))
                    .unwrap_or(false);
                server.zone = fields.get("zone").and_then(|n| self.text(n, "zone"));
                server.availability = fields
                    .get("availability")
                    .and_then(|n| self.percentage(n, "availability"));
                server.why = fields.get("why").and_then(|n| self.free_text(n, "why"));
                if let Some(list) = self.required(&fields, "components") {
                    self.components(list, &name, id, &mut server, design);
                }
            }
            if !name_ok || self.errors.len() > errors_before {
                self.broken.insert(name.value.clone());
            }
            design.servers.push(server);
        }
        true
    }

    fn components(
        &mut self,
        list: &Node,
        server_name: &Spanned<String>,
        server_id: ServerId,
        server: &mut Server,
        design: &mut Design,
    ) {
        let Some(items) = self.list(list, "components") else {
            return;
        };
        if items.is_empty() {
            self.errors.push(
                DesignError::at(
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
        let mut names: HashMap<String, Span> = HashMap::new();
        for item in items {
            let Some(fields) = self.map(item, "a component", COMPONENT_KEYS, item.span) else {
                continue;
            };
            let Some(kind_node) = self.required(&fields, "kind") else {
                continue;
            };
            let Some(kind) = self.word::<ComponentKind>(kind_node, "kind") else {
                continue;
            };
            let name = match fields.get("name") {
                Some(node) => match self.name(node, "component") {
                    Some(name) => name,
                    None => continue,
                },
                None => Spanned::new(kind.as_str().to_string(), kind_node.span),
            };
            if let Some(&first) = names.get(&name.value) {
                self.errors.push(
                    DesignError::at(
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
            let role = self.only_for(&fields, "role", kind, ComponentKind::Database, |r, n| {
                r.word::<Role>(n, "role")
            });
            let algorithm = self.only_for(
                &fields,
                "algorithm",
                kind,
                ComponentKind::LoadBalancer,
                |r, n| r.word::<Algorithm>(n, "algorithm"),
            );
            let allow = self.only_for(&fields, "allow", kind, ComponentKind::Firewall, |r, n| {
                let items = r.list(n, "allow")?;
                Some(
                    items
                        .iter()
                        .filter_map(|i| r.port(i, "allow").map(|p| Spanned::new(p, i.span)))
                        .collect(),
                )
            });
            let collects = self
                .only_for(
                    &fields,
                    "collects",
                    kind,
                    ComponentKind::MonitoringAgent,
                    |r, n| {
                        let items = r.list(n, "collects")?;
                        Some(
                            items
                                .iter()
                                .filter_map(|i| r.word::<Collect>(i, "collects"))
                                .collect(),
                        )
                    },
                )
                .unwrap_or_default();
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
                    .and_then(|n| self.free_text(n, "software")),
                why: fields.get("why").and_then(|n| self.free_text(n, "why")),
                role: role.or((kind == ComponentKind::Database).then_some(Role::Primary)),
                algorithm: algorithm
                    .or((kind == ComponentKind::LoadBalancer).then_some(Algorithm::RoundRobin)),
                certificate,
                allow,
                collects,
            });
        }
    }

    /// Reads a key that only one kind of component may have.
    fn only_for<T>(
        &mut self,
        fields: &Fields<'_>,
        key: &str,
        kind: ComponentKind,
        allowed_kind: ComponentKind,
        read: impl FnOnce(&mut Self, &Node) -> Option<T>,
    ) -> Option<T> {
        let node = fields.get(key)?;
        if kind != allowed_kind {
            let key_span = fields
                .entries
                .iter()
                .find(|e| e.key.scalar_text() == Some(key))
                .map_or(node.span, |e| e.key.span);
            self.errors.push(
                DesignError::at(
                    key_span,
                    format!("`{key}` applies to {allowed_kind} components only"),
                )
                .label(format!("this component's kind is `{kind}`"))
                .help(format!(
                    "remove `{key}`, or change the kind to {allowed_kind}"
                )),
            );
            return None;
        }
        read(self, node)
    }

    fn certificate(&mut self, node: &Node) -> Option<Certificate> {
        let fields = self.map(node, "a certificate", CERTIFICATE_KEYS, node.span)?;
        let domains_node = self.required(&fields, "domains")?;
        let mut domains = Vec::new();
        for item in self.one_or_list(domains_node) {
            let Some(host) = self.text(item, "domains") else {
                continue;
            };
            if is_valid_host(&host.value, true) {
                domains.push(Spanned::new(host.value.to_ascii_lowercase(), host.span));
            } else {
                self.errors.push(
                    DesignError::at(host.span, format!("`{}` is not a host name", host.value))
                        .label("expected a host name")
                        .help("a certificate covers host names such as `www.foobar.com` or `*.foobar.com`"),
                );
            }
        }
        let expires = fields.get("expires").and_then(|n| self.date(n, "expires"));
        Some(Certificate {
            domains,
            expires,
            span: node.span,
        })
    }

    fn cluster(&mut self, node: &Node) -> Option<RawCluster> {
        let fields = self.map(node, "a cluster", CLUSTER_KEYS, node.span)?;
        let name = self
            .required(&fields, "name")
            .and_then(|n| self.name(n, "cluster"));
        let members_node = self.required(&fields, "members");
        let mode = match fields.get("mode") {
            Some(n) => self.word::<Mode>(n, "mode"),
            None => Some(Mode::ActiveActive),
        };
        let virtual_ip = fields
            .get("virtual_ip")
            .and_then(|n| self.ip(n, "virtual_ip"));
        let mut members = Vec::new();
        if let Some(list) = members_node.and_then(|n| self.list(n, "members")) {
            for item in list {
                if let Some(member) = self.text(item, "members") {
                    members.push(member);
                }
            }
            if list.len() < 2 {
                self.errors.push(
                    DesignError::at(
                        members_node.map_or(node.span, |n| n.span),
                        "a cluster needs two members or more",
                    )
                    .label(format!("{} member", list.len()))
                    .help("list every server of the cluster under `members`"),
                );
            }
        }
        Some(RawCluster {
            name: name?,
            members,
            mode: mode?,
            virtual_ip,
            span: node.span,
        })
    }

    fn externals(&mut self, node: &Node, design: &mut Design) {
        let NodeKind::Map(entries) = &node.kind else {
            self.type_error(node, "external", "a mapping from name to external service");
            return;
        };
        for entry in entries.iter() {
            let Some(name) = self.text(&entry.key, "external") else {
                continue;
            };
            if !self.check_name(&name, "external service") {
                continue;
            }
            let Some(fields) = self.map(
                &entry.value,
                "an external service",
                EXTERNAL_KEYS,
                name.span,
            ) else {
                continue;
            };
            let kind = match fields.get("kind") {
                Some(n) => match self.word::<ExternalKind>(n, "kind") {
                    Some(kind) => kind,
                    None => continue,
                },
                None => ExternalKind::Other,
            };
            let hosts = fields
                .get("hosts")
                .map(|n| self.external_hosts(n))
                .unwrap_or_default();
            design.externals.push(External {
                id: ExternalId::from_index(design.externals.len()),
                name,
                kind,
                hosts,
                software: fields
                    .get("software")
                    .and_then(|n| self.free_text(n, "software")),
                why: fields.get("why").and_then(|n| self.free_text(n, "why")),
                availability: fields
                    .get("availability")
                    .and_then(|n| self.percentage(n, "availability"))
                    .map(|a| a.value),
            });
        }
    }

    /// `zones:`: failure domains by name, each with an optional availability.
    fn zones(&mut self, node: &Node, design: &mut Design) {
        let NodeKind::Map(entries) = &node.kind else {
            self.type_error(node, "zones", "a mapping from zone name to zone");
            return;
        };
        for entry in entries.iter() {
            let Some(name) = self.text(&entry.key, "zones") else {
                continue;
            };
            if !self.check_name(&name, "zone") {
                continue;
            }
            let Some(fields) = self.map(&entry.value, "a zone", ZONE_KEYS, name.span) else {
                continue;
            };
            let availability = fields
                .get("availability")
                .and_then(|n| self.percentage(n, "availability"));
            let _ = fields.get("why").and_then(|n| self.free_text(n, "why"));
            design.zones.push(Zone { name, availability });
        }
    }

    /// An availability as a percentage: a number above 0 and at most 100 (`99.95`).
    fn percentage(&mut self, node: &Node, key: &str) -> Option<Spanned<f64>> {
        let number = node
            .as_scalar()
            .filter(|s| matches!(s.value(), ScalarValue::Int(_) | ScalarValue::Float))
            .and_then(|s| s.text.parse::<f64>().ok())
            .filter(|v| v.is_finite());
        match number {
            Some(value) if value > 0.0 && value <= 100.0 => Some(Spanned::new(value, node.span)),
            Some(value) => {
                self.errors.push(
                    DesignError::at(
                        node.span,
                        format!("`{value}` is not a percentage above 0 and at most 100"),
                    )
                    .label("an availability in percent")
                    .help(format!("write `{key}: 99.95` for 99.95%")),
                );
                None
            }
            None => {
                self.type_error(node, key, "a percentage such as `99.95`");
                None
            }
        }
    }

    /// `hosts:` of an external service: host names, lower case, without a final dot.
    fn external_hosts(&mut self, node: &Node) -> Vec<Spanned<String>> {
        let Some(items) = self.list(node, "hosts") else {
            return Vec::new();
        };
        let mut hosts = Vec::new();
        for item in items {
            let Some(host) = self.text(item, "hosts") else {
                continue;
            };
            if is_valid_host(&host.value, false) {
                let normal = host.value.trim_end_matches('.').to_ascii_lowercase();
                hosts.push(Spanned::new(normal, host.span));
            } else {
                self.errors.push(
                    DesignError::at(host.span, format!("`{}` is not a host name", host.value))
                        .label("expected a host name")
                        .help("list the host names the service answers, such as `shop-example.cdn.example`"),
                );
            }
        }
        hosts
    }

    fn flow(&mut self, node: &Node) -> Option<RawFlow> {
        let fields = self.map(node, "a flow", FLOW_KEYS, node.span)?;
        let endpoints = |reader: &mut Self, key: &str| -> Vec<Spanned<String>> {
            let Some(side) = reader.required(&fields, key) else {
                return Vec::new();
            };
            let items = reader.one_or_list(side);
            if items.is_empty() {
                reader.errors.push(
                    DesignError::at(side.span, format!("`{key}` lists no endpoint"))
                        .label("empty list")
                        .help("name at least one endpoint: `user`, `SERVER/COMPONENT`, a server or a host name"),
                );
            }
            items
                .into_iter()
                .filter_map(|i| reader.text(i, key))
                .collect()
        };
        let from = endpoints(self, "from");
        let to = endpoints(self, "to");
        let protocol = self
            .required(&fields, "protocol")
            .and_then(|n| self.word::<Protocol>(n, "protocol"));
        let port = fields.get("port").and_then(|n| self.port(n, "port"));
        let access = fields
            .get("access")
            .and_then(|n| self.word::<Access>(n, "access"))
            .unwrap_or(Access::ReadWrite);
        let purpose = fields
            .get("purpose")
            .and_then(|n| self.word::<Purpose>(n, "purpose"));
        let optional = fields
            .get("optional")
            .and_then(|n| self.boolean(n, "optional"))
            .unwrap_or(false);
        Some(RawFlow {
            from,
            to,
            protocol,
            port,
            access,
            purpose,
            optional,
            span: node.span,
        })
    }

    fn acceptance(&mut self, node: &Node) -> Option<Acceptance> {
        let fields = self.map(node, "an acceptance", ACCEPT_KEYS, node.span)?;
        let rule = self
            .required(&fields, "rule")
            .and_then(|n| self.text(n, "rule"));
        let target = fields.get("target").and_then(|n| self.text(n, "target"));
        let reason = self
            .required(&fields, "reason")
            .and_then(|n| self.free_text(n, "reason"));
        let until = fields.get("until").and_then(|n| self.date(n, "until"));
        Some(Acceptance {
            rule: rule?,
            target,
            reason: reason?,
            until,
            span: node.span,
        })
    }
}
