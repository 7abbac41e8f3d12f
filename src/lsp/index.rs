//! What the editor asks about a design, read from its syntax tree: where each name is
//! defined, where names are used, which mapping each key belongs to. Built from the tree
//! rather than the model, so that it works on a design with errors (the model of such a
//! design is never built), and kept from the last text that parsed while the user types.
//!
//! Cost: one walk of the tree to build; each query is one pass over the occurrences.

use crate::model::schema::{OBJECTS, Object};
use crate::source::Span;
use crate::syntax::{Entry, Node, NodeKind};

/// What a defined name is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SymbolKind {
    Server,
    /// Named `SERVER/COMPONENT`.
    Component,
    Cluster,
    External,
    /// A host an external service answers (`hosts:`); named by the host.
    ExternalHost,
    /// A DNS record; named by its full host name, lower case, without a final dot.
    Record,
    Zone,
}

impl SymbolKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SymbolKind::Server => "server",
            SymbolKind::Component => "component",
            SymbolKind::Cluster => "cluster",
            SymbolKind::External => "external service",
            SymbolKind::ExternalHost => "host of an external service",
            SymbolKind::Record => "DNS record",
            SymbolKind::Zone => "zone",
        }
    }
}

/// A name and where it is defined.
#[derive(Clone, Debug)]
pub struct Symbol {
    pub name: String,
    pub kind: SymbolKind,
    /// The defining text: a server's key, a component's `name` or `kind` value, a
    /// record's `name` value...
    pub span: Span,
    /// One line about it: a server's components, a record's type and value.
    pub detail: String,
}

/// What a used word stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// A flow's `from` (`true`) or `to` (`false`).
    Endpoint { from: bool },
    /// A cluster's member: a server.
    Member,
    /// A server's `zone`.
    Zone,
    /// An acceptance's `rule`.
    Rule,
    /// An acceptance's `target`.
    AcceptTarget,
    /// A key of a mapping, by the mapping's definition in the schema.
    Key(&'static str),
}

/// A word used at a place.
#[derive(Clone, Debug)]
pub struct Occurrence {
    pub text: String,
    pub span: Span,
    pub role: Role,
}

#[derive(Debug, Default)]
pub struct Index {
    pub symbols: Vec<Symbol>,
    pub occurrences: Vec<Occurrence>,
}

fn get<'n>(entries: &'n [Entry<'n>], key: &str) -> Option<&'n Node<'n>> {
    entries
        .iter()
        .find(|e| e.key.scalar_text() == Some(key))
        .map(|e| &e.value)
}

fn map<'n>(node: &'n Node<'n>) -> &'n [Entry<'n>] {
    match &node.kind {
        NodeKind::Map(entries) => entries,
        _ => &[],
    }
}

fn items<'n>(node: &'n Node<'n>) -> &'n [Node<'n>] {
    match &node.kind {
        NodeKind::Seq(items) => items,
        _ => std::slice::from_ref(node),
    }
}

fn text<'n>(node: Option<&'n Node<'n>>) -> Option<&'n str> {
    node.and_then(Node::scalar_text)
}

fn object(name: &str) -> &'static Object {
    OBJECTS
        .iter()
        .find(|o| o.name == name)
        .expect("a schema object")
}

/// The full host name a record's name stands for: `@` is the domain, a final dot makes
/// it absolute, otherwise it is relative to the domain when there is one.
pub fn record_host(name: &str, domain: Option<&str>) -> String {
    let host = match (name, domain) {
        ("@", Some(domain)) => domain.to_string(),
        (name, _) if name.ends_with('.') => name.to_string(),
        (name, Some(domain)) => format!("{name}.{domain}"),
        (name, None) => name.to_string(),
    };
    normal_host(&host)
}

/// A host name as compared: lower case, without a final dot.
pub fn normal_host(host: &str) -> String {
    host.trim_end_matches('.').to_ascii_lowercase()
}

impl Index {
    pub fn build(root: &Node) -> Index {
        let mut index = Index::default();
        let top = map(root);
        index.keys(top, "design");
        let domain = text(get(top, "domain")).map(str::to_owned);
        if let Some(dns) = get(top, "dns") {
            index.keys(map(dns), "dns");
            for record in get(map(dns), "records").map(items).unwrap_or_default() {
                index.record(record, domain.as_deref());
            }
        }
        if let Some(servers) = get(top, "servers") {
            for entry in map(servers).iter() {
                index.server(entry);
            }
        }
        for cluster in get(top, "clusters").map(items).unwrap_or_default() {
            let fields = map(cluster);
            index.keys(fields, "cluster");
            let members = get(fields, "members");
            let names: Vec<&str> = members
                .map(items)
                .unwrap_or_default()
                .iter()
                .filter_map(Node::scalar_text)
                .collect();
            if let Some(name) = get(fields, "name").filter(|n| n.scalar_text().is_some()) {
                index.define(
                    name,
                    SymbolKind::Cluster,
                    format!("members {}", names.join(", ")),
                );
            }
            for member in members.map(items).unwrap_or_default() {
                index.occur(member, Role::Member);
            }
        }
        if let Some(external) = get(top, "external") {
            for entry in map(external).iter() {
                let fields = map(&entry.value);
                index.keys(fields, "external");
                let kind = text(get(fields, "kind")).unwrap_or("other");
                let software = text(get(fields, "software")).unwrap_or_default();
                index.define(
                    &entry.key,
                    SymbolKind::External,
                    format!("{kind} {software}"),
                );
                for host in get(fields, "hosts").map(items).unwrap_or_default() {
                    if let Some(name) = host.scalar_text() {
                        index.symbols.push(Symbol {
                            name: normal_host(name),
                            kind: SymbolKind::ExternalHost,
                            span: host.span,
                            detail: format!(
                                "answered by `{}`",
                                entry.key.scalar_text().unwrap_or_default()
                            ),
                        });
                    }
                }
            }
        }
        if let Some(zones) = get(top, "zones") {
            for entry in map(zones).iter() {
                index.keys(map(&entry.value), "zone");
                index.define(&entry.key, SymbolKind::Zone, String::new());
            }
        }
        for flow in get(top, "flows").map(items).unwrap_or_default() {
            let fields = map(flow);
            index.keys(fields, "flow");
            for (key, from) in [("from", true), ("to", false)] {
                for endpoint in get(fields, key).map(items).unwrap_or_default() {
                    index.occur(endpoint, Role::Endpoint { from });
                }
            }
        }
        for accept in get(top, "accept").map(items).unwrap_or_default() {
            let fields = map(accept);
            index.keys(fields, "acceptance");
            if let Some(rule) = get(fields, "rule") {
                index.occur(rule, Role::Rule);
            }
            if let Some(target) = get(fields, "target") {
                index.occur(target, Role::AcceptTarget);
            }
        }
        index
    }

    fn keys(&mut self, entries: &[Entry], object_name: &'static str) {
        for entry in entries {
            self.occur(&entry.key, Role::Key(object_name));
        }
    }

    fn occur(&mut self, node: &Node, role: Role) {
        if let Some(text) = node.scalar_text() {
            self.occurrences.push(Occurrence {
                text: text.to_string(),
                span: node.span,
                role,
            });
        }
    }

    fn define(&mut self, node: &Node, kind: SymbolKind, detail: String) {
        if let Some(name) = node.scalar_text() {
            self.symbols.push(Symbol {
                name: name.to_string(),
                kind,
                span: node.span,
                detail,
            });
        }
    }

    fn record(&mut self, record: &Node, domain: Option<&str>) {
        let fields = map(record);
        self.keys(fields, "record");
        let (Some(name), Some(kind), Some(value)) = (
            get(fields, "name"),
            get(fields, "type"),
            text(get(fields, "value")),
        ) else {
            return;
        };
        let (Some(written), Some(type_text)) = (name.scalar_text(), kind.scalar_text()) else {
            return;
        };
        self.symbols.push(Symbol {
            name: record_host(written, domain),
            kind: SymbolKind::Record,
            span: name.span,
            detail: format!("{type_text} {value}"),
        });
    }

    fn server(&mut self, entry: &Entry) {
        let Some(server) = entry.key.scalar_text() else {
            return;
        };
        let fields = map(&entry.value);
        self.keys(fields, "server");
        if let Some(zone) = get(fields, "zone") {
            self.occur(zone, Role::Zone);
        }
        let mut kinds = Vec::new();
        for component in get(fields, "components").map(items).unwrap_or_default() {
            let fields = map(component);
            self.keys(fields, "component");
            if let Some(certificate) = get(fields, "certificate") {
                self.keys(map(certificate), "certificate");
            }
            let kind = get(fields, "kind");
            let Some(defining) = get(fields, "name").or(kind) else {
                continue;
            };
            let (Some(name), Some(kind_text)) = (defining.scalar_text(), text(kind)) else {
                continue;
            };
            kinds.push(kind_text.to_string());
            let software = text(get(fields, "software"))
                .map(|s| format!(" ({s})"))
                .unwrap_or_default();
            self.symbols.push(Symbol {
                name: format!("{server}/{name}"),
                kind: SymbolKind::Component,
                span: defining.span,
                detail: format!("{kind_text}{software}"),
            });
        }
        let ip = text(get(fields, "ip"))
            .map(|ip| format!("{ip}: "))
            .unwrap_or_default();
        self.define(
            &entry.key,
            SymbolKind::Server,
            format!("{ip}{}", kinds.join(", ")),
        );
    }

    /// The occurrence under a byte offset (its end included, where the cursor stands
    /// after typing).
    pub fn occurrence_at(&self, offset: u32) -> Option<&Occurrence> {
        self.occurrences
            .iter()
            .find(|o| o.span.start <= offset && offset <= o.span.end)
    }

    /// The symbol whose definition is under a byte offset.
    pub fn symbol_at(&self, offset: u32) -> Option<&Symbol> {
        self.symbols
            .iter()
            .find(|s| s.span.start <= offset && offset <= s.span.end)
    }

    pub fn of_kind(&self, kind: SymbolKind) -> impl Iterator<Item = &Symbol> {
        self.symbols.iter().filter(move |s| s.kind == kind)
    }

    /// What a used word names, as the format reads it: `SERVER/COMPONENT`, a server,
    /// cluster or external name, else a host name (records, external hosts).
    pub fn definitions(&self, occurrence: &Occurrence) -> Vec<&Symbol> {
        let word = occurrence.text.as_str();
        let named = |kinds: &[SymbolKind]| -> Vec<&Symbol> {
            self.symbols
                .iter()
                .filter(|s| kinds.contains(&s.kind) && s.name == word)
                .collect()
        };
        match occurrence.role {
            Role::Member => named(&[SymbolKind::Server]),
            Role::Zone => named(&[SymbolKind::Zone]),
            Role::Rule | Role::Key(_) => Vec::new(),
            Role::Endpoint { .. } | Role::AcceptTarget => {
                if word.contains('/') {
                    return named(&[SymbolKind::Component]);
                }
                let names = named(&[
                    SymbolKind::Server,
                    SymbolKind::Cluster,
                    SymbolKind::External,
                ]);
                if !names.is_empty() {
                    return names;
                }
                let host = normal_host(word);
                self.symbols
                    .iter()
                    .filter(|s| {
                        matches!(s.kind, SymbolKind::Record | SymbolKind::ExternalHost)
                            && s.name == host
                    })
                    .collect()
            }
        }
    }

    /// The description of a key, from the schema.
    pub fn key_doc(object_name: &str, key: &str) -> Option<&'static str> {
        object(object_name)
            .fields
            .iter()
            .find(|f| f.key == key)
            .map(|f| f.description)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;
    use crate::syntax::{Limits, parse};

    const DESIGN: &str = "\
name: T
domain: foobar.com
dns:
  records:
    - { name: www, type: A, value: 8.8.8.8 }
    - { name: api.other.example., type: CNAME, value: www.foobar.com }
servers:
  lb-01:
    ip: 8.8.8.8
    zone: rack1
    components: [{ kind: load_balancer, software: HAProxy }]
  web-01:
    components:
      - { kind: web_server, name: front }
clusters:
  - { name: lbs, members: [lb-01, web-01] }
external:
  cdn: { kind: cdn, hosts: [Shop.CDN.example.] }
zones:
  rack1: {}
flows:
  - { from: user, to: [www.foobar.com, shop.cdn.example] }
  - { from: lb-01, to: web-01/front }
accept:
  - { rule: AV001, target: lbs, reason: r }
";

    fn index() -> Index {
        let source = SourceFile::new("t.yaml", DESIGN);
        Index::build(&parse(&source, Limits::default()).root.unwrap())
    }

    fn at(word: &str, nth: usize) -> u32 {
        DESIGN.match_indices(word).nth(nth).unwrap().0 as u32 + 1
    }

    fn defined(index: &Index, offset: u32) -> Vec<String> {
        let occurrence = index.occurrence_at(offset).expect("an occurrence");
        index
            .definitions(occurrence)
            .iter()
            .map(|s| {
                format!(
                    "{} {} {}",
                    s.kind.as_str(),
                    s.name,
                    &DESIGN[s.span.start as usize..s.span.end as usize]
                )
            })
            .collect()
    }

    #[test]
    fn names_resolve_as_the_format_reads_them() {
        let index = index();
        assert_eq!(
            defined(&index, at("www.foobar.com", 1)),
            ["DNS record www.foobar.com www"]
        );
        assert_eq!(
            defined(&index, at("shop.cdn.example", 0)),
            ["host of an external service shop.cdn.example Shop.CDN.example."]
        );
        assert_eq!(
            defined(&index, at("web-01/front", 0)),
            ["component web-01/front front"]
        );
        assert_eq!(defined(&index, at("lb-01", 2)), ["server lb-01 lb-01"]);
        assert_eq!(
            defined(&index, at("lb-01, web-01", 0)),
            ["server lb-01 lb-01"]
        );
        assert_eq!(defined(&index, at("lbs, reason", 0)), ["cluster lbs lbs"]);
        assert_eq!(defined(&index, at("rack1", 0)), ["zone rack1 rack1"]);
        let absolute = index
            .symbols
            .iter()
            .find(|s| s.detail.starts_with("CNAME"))
            .unwrap();
        assert_eq!(absolute.name, "api.other.example");
    }

    #[test]
    fn keys_know_their_mapping() {
        let index = index();
        let occurrence = index.occurrence_at(at("software", 0)).unwrap();
        assert_eq!(occurrence.role, Role::Key("component"));
        assert!(
            Index::key_doc("component", "software")
                .unwrap()
                .contains("Nginx")
        );
        let server = index.of_kind(SymbolKind::Server).next().unwrap();
        assert_eq!(server.detail, "8.8.8.8: load_balancer");
    }
}
