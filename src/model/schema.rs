//! The JSON Schema of the design format (draft 2020-12), for editors: completion of keys
//! and words, hover docs, and a first check before infralint runs.
//!
//! It is made from the parser's own vocabulary: each mapping's keys are the key table
//! `lower.rs` reads it with (a test fails when a field here and a key there differ), and
//! every closed set of words is its [`Word::WORDS`]. What JSON Schema cannot say (names
//! that resolve, a CNAME alone at its name, a cluster's members being servers) is left to
//! `infralint check`.

use serde_json::{Map, Value, json};

use super::lower::{
    ACCEPT_KEYS, CERTIFICATE_KEYS, CLIENT_KEYS, CLUSTER_KEYS, COMPONENT_KEYS, DESIGN_KEYS,
    DNS_KEYS, EXTERNAL_KEYS, FLOW_KEYS, RECORD_KEYS, SERVER_KEYS, ZONE_KEYS,
};
use super::vocabulary::{
    Access, Algorithm, Collect, ComponentKind, ExternalKind, Failover, Mode, Network, Protocol,
    Purpose, RecordType, Role, TlsMode, Word,
};

/// The schema's address in the repository, as its `$id`.
pub const ID: &str =
    "https://raw.githubusercontent.com/infralint/infralint/main/docs/design.schema.json";

/// What a value must be.
#[derive(Clone, Copy, Debug)]
pub enum Type {
    /// Non-empty text; a number or a boolean is read as its text.
    Text,
    /// A name: a letter or digit, then letters, digits, `_`, `.` or `-`.
    Name,
    /// A cluster member: a server name, or `SERVER/COMPONENT`.
    Member,
    /// A quorum: a whole number of at least 1, or `majority`.
    Quorum,
    /// `true` or `false`.
    Bool,
    /// A port number, 1 to 65535.
    Port,
    /// A share of time in percent, above 0 and at most 100.
    Percent,
    /// A date, `YYYY-MM-DD`.
    Date,
    /// An IPv4 or IPv6 address.
    Address,
    /// The format version: `1`.
    Version,
    /// One of a closed set of words.
    Word(&'static [&'static str]),
    /// A list of these.
    List(&'static Type),
    /// One of these, or a list of them.
    OneOrList(&'static Type),
    /// A mapping described by one of [`OBJECTS`], by its definition name.
    Object(&'static str),
    /// A mapping from names to mappings of one kind, by the definition name.
    Named(&'static str),
}

/// One key of a mapping.
#[derive(Debug)]
pub struct Field {
    pub key: &'static str,
    pub ty: Type,
    pub description: &'static str,
}

/// One kind of mapping of the format.
#[derive(Debug)]
pub struct Object {
    /// The definition's name in `$defs` (`server`), `design` for the top level.
    pub name: &'static str,
    pub description: &'static str,
    /// The key table the parser reads this mapping with.
    pub keys: &'static [&'static str],
    pub required: &'static [&'static str],
    pub fields: &'static [Field],
}

const fn field(key: &'static str, ty: Type, description: &'static str) -> Field {
    Field {
        key,
        ty,
        description,
    }
}

const WHY: &str = "Why it is there, in a sentence; reports quote it.";

/// Every mapping of the format, the top level first.
pub const OBJECTS: &[Object] = &[
    Object {
        name: "design",
        description: "An infralint design: one web infrastructure, its servers, DNS records, clusters, outside services and flows of traffic.",
        keys: DESIGN_KEYS,
        required: &["name", "servers"],
        fields: &[
            field(
                "infralint",
                Type::Version,
                "The format version; only `1` exists (the default).",
            ),
            field(
                "name",
                Type::Text,
                "The design's title, used by diagrams and reports.",
            ),
            field("description", Type::Text, "A paragraph for reports."),
            field(
                "author",
                Type::Text,
                "Who wrote the design (a student, a team); reports and class indexes show it.",
            ),
            field(
                "domain",
                Type::Text,
                "The site's domain, such as `foobar.com`; DNS record names are relative to it.",
            ),
            field(
                "exercise",
                Type::Text,
                "The requirement profile this design answers: a built-in exercise (`0-simple_web_stack`, `1-distributed_web_infrastructure`, `2-secured_and_monitored_web_infrastructure`, `3-scale_up`) or a profile file.",
            ),
            field(
                "dns",
                Type::Object("dns"),
                "The DNS zone: `records` and `nameservers`.",
            ),
            field(
                "servers",
                Type::Named("server"),
                "The servers, by name; at least one.",
            ),
            field(
                "clusters",
                Type::List(&Type::Object("cluster")),
                "Groups of servers that answer as one.",
            ),
            field(
                "external",
                Type::Named("external"),
                "Outside services (monitoring, CDN, SaaS), by name.",
            ),
            field(
                "flows",
                Type::List(&Type::Object("flow")),
                "The flows of traffic between the user, servers, components, clusters, host names and outside services.",
            ),
            field(
                "accept",
                Type::List(&Type::Object("acceptance")),
                "Findings accepted on purpose, each with its reason.",
            ),
            field(
                "zones",
                Type::Named("zone"),
                "Failure domains (a rack, a data centre) that fail as a whole, by name.",
            ),
            field(
                "clients",
                Type::Named("client"),
                "Who starts requests besides `user` (kubelets, an operator's CLI, a cron host, another system), by name; they share names with servers.",
            ),
        ],
    },
    Object {
        name: "dns",
        description: "The DNS zone of the design.",
        keys: DNS_KEYS,
        required: &[],
        fields: &[
            field(
                "records",
                Type::List(&Type::Object("record")),
                "The DNS records.",
            ),
            field(
                "nameservers",
                Type::List(&Type::Text),
                "The zone's name servers, as host names.",
            ),
        ],
    },
    Object {
        name: "record",
        description: "A DNS record: `{ name: www, type: A, value: 8.8.8.8 }`.",
        keys: RECORD_KEYS,
        required: &["name", "type", "value"],
        fields: &[
            field(
                "name",
                Type::Text,
                "The record's name, relative to `domain` (`www`; `@` is the domain itself); a name ending in a dot is absolute.",
            ),
            field("type", Type::Word(RecordType::WORDS), "The record's type."),
            field(
                "value",
                Type::Text,
                "An IPv4 address for `A`, an IPv6 address for `AAAA`, a full host name for `CNAME`.",
            ),
        ],
    },
    Object {
        name: "server",
        description: "A server (a machine or a VM) and what runs on it.",
        keys: SERVER_KEYS,
        required: &["components"],
        fields: &[
            field(
                "ip",
                Type::Address,
                "The server's IPv4 or IPv6 address; a public address makes it internet-facing.",
            ),
            field(
                "public",
                Type::Bool,
                "`true` marks the server as internet-facing whatever its address.",
            ),
            field(
                "zone",
                Type::Name,
                "The failure domain it is in: a rack, a data centre, a region.",
            ),
            field("why", Type::Text, WHY),
            field(
                "components",
                Type::List(&Type::Object("component")),
                "What runs on the server; at least one.",
            ),
            field(
                "availability",
                Type::Percent,
                "The share of time it is up, in percent (`99.95`), for the failure analysis; default 99.9.",
            ),
        ],
    },
    Object {
        name: "zone",
        description: "A failure domain that fails as a whole.",
        keys: ZONE_KEYS,
        required: &[],
        fields: &[
            field(
                "availability",
                Type::Percent,
                "The share of time the zone is up, in percent; without it, the zone never fails on its own.",
            ),
            field("why", Type::Text, WHY),
        ],
    },
    Object {
        name: "client",
        description: "A client that starts requests: `{ network: private }`. Clients never fail.",
        keys: CLIENT_KEYS,
        required: &["network"],
        fields: &[
            field(
                "network",
                Type::Word(Network::WORDS),
                "Where it is: `internet` (what it reaches first is internet-facing) or `private`.",
            ),
            field("zone", Type::Name, "The zone it sits in, for the reader."),
            field("why", Type::Text, WHY),
        ],
    },
    Object {
        name: "component",
        description: "A piece of software on a server: `{ kind: web_server, software: Nginx }`.",
        keys: COMPONENT_KEYS,
        required: &["kind"],
        fields: &[
            field(
                "kind",
                Type::Word(ComponentKind::WORDS),
                "What the component is.",
            ),
            field(
                "name",
                Type::Name,
                "How flows name it, `SERVER/NAME`; default: the kind.",
            ),
            field("service", Type::Name, SERVICE),
            field(
                "software",
                Type::Text,
                "Free text: `Nginx`, `HAProxy`, `MySQL`.",
            ),
            field("why", Type::Text, WHY),
            field(
                "role",
                Type::Word(Role::WORDS),
                "Databases, coordination services and members of a failover cluster: `primary` (a database's default: it accepts writes), `replica` (a read-only copy) or `standby` (takes no reads until promoted).",
            ),
            field(
                "promotable",
                Type::Bool,
                "In a failover cluster: `false` keeps a replica or standby from being promoted; default `true`.",
            ),
            field("tls", Type::Word(TlsMode::WORDS), TLS),
            field(
                "algorithm",
                Type::Word(Algorithm::WORDS),
                "Load balancers only: how requests are spread; default `round_robin`.",
            ),
            field(
                "certificate",
                Type::Object("certificate"),
                "The TLS certificate it presents.",
            ),
            field(
                "allow",
                Type::List(&Type::Port),
                "Firewalls only: the ports it lets in, such as `[80, 443]`.",
            ),
            field(
                "collects",
                Type::List(&Type::Word(Collect::WORDS)),
                "Monitoring agents only: what it ships.",
            ),
        ],
    },
    Object {
        name: "certificate",
        description: "A TLS certificate: `{ domains: [www.foobar.com], expires: 2027-06-30 }`.",
        keys: CERTIFICATE_KEYS,
        required: &["domains"],
        fields: &[
            field(
                "domains",
                Type::OneOrList(&Type::Text),
                "The host names it covers; `*.foobar.com` covers one label.",
            ),
            field("expires", Type::Date, "The day it expires, `YYYY-MM-DD`."),
        ],
    },
    Object {
        name: "cluster",
        description: "Servers that answer as one: `{ name: lb-cluster, members: [lb-01, lb-02], mode: active-active, virtual_ip: 8.8.8.8 }`.",
        keys: CLUSTER_KEYS,
        required: &["name", "members"],
        fields: &[
            field(
                "name",
                Type::Name,
                "The cluster's name, shared with servers and external services.",
            ),
            field(
                "members",
                Type::List(&Type::Member),
                "Two or more members, each once: a server name (its front component), `SERVER/COMPONENT` or an external service.",
            ),
            field(
                "mode",
                Type::Word(Mode::WORDS),
                "How the members share the work; default `active-active`.",
            ),
            field(
                "virtual_ip",
                Type::Address,
                "An address that reaches every member.",
            ),
            field(
                "quorum",
                Type::Quorum,
                "A member serves only while this many voters' servers are up: a number, or `majority` (floor(n/2) + 1 of the n voters).",
            ),
            field(
                "write_quorum",
                Type::Quorum,
                "A member takes writes only while this many voters' servers are up (Kafka's min.insync.replicas, MongoDB's majority writes).",
            ),
            field(
                "voters",
                Type::List(&Type::Name),
                "The servers that vote for the quorum; default: the members. A server may only vote (an arbitrator, a dedicated master).",
            ),
            field(
                "failover",
                Type::Word(Failover::WORDS),
                "`automatic`: flows to the cluster reach its current primary (the member with `role: primary`); when it fails, the coordinator promotes a replica or standby.",
            ),
            field(
                "coordinator",
                Type::Name,
                "Who promotes a member: a cluster (Consul, etcd: serves while its quorum holds), a service or an external service (a Sentinel group). Without it, the platform promotes and never fails (Aurora).",
            ),
            field(
                "leader_lease",
                Type::Bool,
                "`true`: a write through the primary also needs the coordinator (Patroni's leader lock).",
            ),
            field(
                "hosts",
                Type::List(&Type::Text),
                "A managed endpoint's host names (an Aurora or ElastiCache endpoint): a flow to one, or a CNAME to one, reaches the cluster as its name does.",
            ),
        ],
    },
    Object {
        name: "external",
        description: "A service outside the design: `{ kind: monitoring, software: Sumo Logic }`.",
        keys: EXTERNAL_KEYS,
        required: &[],
        fields: &[
            field(
                "kind",
                Type::Word(ExternalKind::WORDS),
                "What the service is; default `other`.",
            ),
            field("service", Type::Name, SERVICE),
            field("software", Type::Text, "Free text: the product or vendor."),
            field("why", Type::Text, WHY),
            field(
                "hosts",
                Type::List(&Type::Text),
                "The host names it answers: a CNAME to one of them, or a flow to one, reaches the service.",
            ),
            field(
                "availability",
                Type::Percent,
                "The share of time it is up, in percent; without it, it never fails in the failure analysis.",
            ),
            field(
                "role",
                Type::Word(Role::WORDS),
                "Outside databases and coordination services: `primary` (a database's default: it takes writes) or `replica`.",
            ),
            field("tls", Type::Word(TlsMode::WORDS), TLS),
        ],
    },
    Object {
        name: "flow",
        description: "Traffic from endpoints to endpoints: `{ from: lb-01, to: [web-01, web-02], protocol: http }`. A list on either side means every pair.",
        keys: FLOW_KEYS,
        required: &["from", "to", "protocol"],
        fields: &[
            field(
                "from",
                Type::OneOrList(&Type::Text),
                "Where the traffic comes from: `user`, `SERVER/COMPONENT`, a server, cluster or external name, or a host name.",
            ),
            field(
                "to",
                Type::OneOrList(&Type::Text),
                "Where the traffic goes: `SERVER/COMPONENT`, a server, cluster or external name, or a host name.",
            ),
            field(
                "protocol",
                Type::Word(Protocol::WORDS),
                "The protocol; `https`, `tls` and the `+tls` ones are encrypted.",
            ),
            field("port", Type::Port, "The port, 1 to 65535."),
            field(
                "access",
                Type::Word(Access::WORDS),
                "For flows into databases; default `read-write`.",
            ),
            field(
                "purpose",
                Type::Word(Purpose::WORDS),
                "`replication` (copies between databases) or `monitoring` (agent traffic).",
            ),
            field(
                "optional",
                Type::Bool,
                "`true` marks a soft dependency: its target's failure degrades the service, it stops nothing.",
            ),
            field(
                "request",
                Type::OneOrList(&Type::Name),
                "The request classes the flow belongs to. From `user` or a client, it starts them; inside the design, it counts only for them (a flow without it counts for every class). A worker service's name counts for its jobs.",
            ),
        ],
    },
    Object {
        name: "acceptance",
        description: "A finding accepted on purpose: `{ rule: AV001, target: lb-01, reason: ..., until: 2027-03-31 }`.",
        keys: ACCEPT_KEYS,
        required: &["rule", "reason"],
        fields: &[
            field(
                "rule",
                Type::Text,
                "The rule's code (`AV001`) or name (`single-point-of-failure`).",
            ),
            field(
                "target",
                Type::Text,
                "The finding's target as the rules write it (`lb-01`, `web-01/web_server`, `user -> www.foobar.com`); without it, every finding of the rule.",
            ),
            field(
                "reason",
                Type::Text,
                "Why the finding is accepted; reports show it.",
            ),
            field(
                "until",
                Type::Date,
                "The last day the acceptance holds, `YYYY-MM-DD`.",
            ),
        ],
    },
];

/// Keys allowed on a component of one kind only, and that kind.
/// Keys that only some kinds take (`role` is left out: a member of a failover cluster
/// of any kind takes it, which one mapping cannot tell).
const KIND_ONLY: &[(&str, &[ComponentKind])] = &[
    ("algorithm", &[ComponentKind::LoadBalancer]),
    ("tls", &[ComponentKind::LoadBalancer]),
    ("allow", &[ComponentKind::Firewall]),
    ("collects", &[ComponentKind::MonitoringAgent]),
];

const SERVICE: &str = "The service it belongs to: targets of one service are alternatives, and a component needs every service it calls. Default: its kind.";
const TLS: &str = "Load balancers only: `terminate` (the default: TLS ends here), `reencrypt` (ends here, and the onward flows start their own) or `passthrough` (the bytes go on unchanged: TLS ends behind it, and onward flows say `tcp` or what arrives).";

const NAME_PATTERN: &str = "^[A-Za-z0-9][A-Za-z0-9_.-]*$";

fn type_schema(ty: Type) -> Value {
    match ty {
        Type::Text => json!({ "type": ["string", "number", "boolean"], "minLength": 1 }),
        Type::Name => json!({ "type": ["string", "number"], "pattern": NAME_PATTERN }),
        Type::Member => json!({
            "type": ["string", "number"],
            "pattern": "^[A-Za-z0-9][A-Za-z0-9_.-]*(/[A-Za-z0-9][A-Za-z0-9_.-]*)?$",
        }),
        Type::Quorum => json!({
            "anyOf": [{ "type": "integer", "minimum": 1 }, { "const": "majority" }],
        }),
        Type::Bool => json!({ "type": "boolean" }),
        Type::Port => json!({ "type": "integer", "minimum": 1, "maximum": 65535 }),
        Type::Percent => json!({ "type": "number", "exclusiveMinimum": 0, "maximum": 100 }),
        Type::Date => json!({ "type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$" }),
        Type::Address => json!({
            "type": "string",
            "anyOf": [{ "format": "ipv4" }, { "format": "ipv6" }],
        }),
        Type::Version => json!({ "const": 1 }),
        Type::Word(words) => json!({ "enum": words }),
        Type::List(item) => json!({ "type": "array", "items": type_schema(*item) }),
        Type::OneOrList(item) => json!({
            "anyOf": [type_schema(*item), { "type": "array", "items": type_schema(*item) }],
        }),
        Type::Object(name) => json!({ "$ref": format!("#/$defs/{name}") }),
        Type::Named(name) => json!({
            "type": "object",
            "propertyNames": { "pattern": NAME_PATTERN, "not": { "const": "user" } },
            "additionalProperties": { "$ref": format!("#/$defs/{name}") },
        }),
    }
}

fn object_schema(object: &Object) -> Value {
    let mut properties = Map::new();
    for field in object.fields {
        let mut schema = type_schema(field.ty);
        schema["description"] = Value::from(field.description);
        properties.insert(field.key.to_string(), schema);
    }
    let mut schema = json!({
        "type": "object",
        "description": object.description,
        "properties": properties,
        "additionalProperties": false,
    });
    if !object.required.is_empty() {
        schema["required"] = json!(object.required);
    }
    match object.name {
        "server" => schema["properties"]["components"]["minItems"] = json!(1),
        "cluster" => {
            schema["properties"]["members"]["minItems"] = json!(2);
            schema["properties"]["members"]["uniqueItems"] = json!(true);
        }
        "component" => {
            schema["allOf"] = KIND_ONLY
                .iter()
                .map(|(key, kinds)| {
                    let kinds: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
                    json!({
                        "if": { "required": [key] },
                        "then": { "properties": { "kind": { "enum": kinds } } },
                    })
                })
                .collect();
        }
        _ => {}
    }
    schema
}

/// The whole schema.
pub fn json_schema() -> Value {
    let (top, rest) = OBJECTS.split_first().expect("the top level is first");
    let mut schema = object_schema(top);
    schema["properties"]["servers"]["minProperties"] = json!(1);
    let mut root = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": ID,
        "title": "infralint design",
    });
    if let (Value::Object(root), Value::Object(schema)) = (&mut root, schema) {
        root.extend(schema);
    }
    root["$defs"] = rest
        .iter()
        .map(|object| (object.name.to_string(), object_schema(object)))
        .collect::<Map<_, _>>()
        .into();
    root
}

/// The schema as `infralint schema` prints it.
pub fn json_schema_text() -> String {
    let mut text = serde_json::to_string_pretty(&json_schema()).expect("a schema serialises");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// The drift test: every object's fields are exactly the keys the parser reads it
    /// with, its required keys are among them, and every definition it refers to exists.
    #[test]
    fn fields_are_the_parsers_keys() {
        let names: BTreeSet<&str> = OBJECTS.iter().map(|o| o.name).collect();
        for object in OBJECTS {
            let fields: BTreeSet<&str> = object.fields.iter().map(|f| f.key).collect();
            let keys: BTreeSet<&str> = object.keys.iter().copied().collect();
            assert_eq!(
                fields, keys,
                "{}: the schema's fields and the parser's keys",
                object.name
            );
            assert_eq!(
                fields.len(),
                object.fields.len(),
                "{}: a field twice",
                object.name
            );
            for key in object.required {
                assert!(
                    keys.contains(key),
                    "{}: required `{key}` is no key",
                    object.name
                );
            }
            for field in object.fields {
                assert!(
                    !field.description.is_empty(),
                    "{}.{}",
                    object.name,
                    field.key
                );
                let mut ty = field.ty;
                loop {
                    match ty {
                        Type::List(item) | Type::OneOrList(item) => ty = *item,
                        Type::Object(name) | Type::Named(name) => {
                            assert!(
                                names.contains(name),
                                "{}.{}: no `{name}`",
                                object.name,
                                field.key
                            );
                            break;
                        }
                        _ => break,
                    }
                }
            }
        }
        let referenced: BTreeSet<&str> = OBJECTS
            .iter()
            .flat_map(|o| o.fields)
            .filter_map(|f| {
                let mut ty = f.ty;
                loop {
                    match ty {
                        Type::List(item) | Type::OneOrList(item) => ty = *item,
                        Type::Object(name) | Type::Named(name) => return Some(name),
                        _ => return None,
                    }
                }
            })
            .collect();
        let unreferenced: Vec<_> = names.difference(&referenced).collect();
        assert_eq!(
            unreferenced,
            [&"design"],
            "every mapping is reachable from the top"
        );
    }

    #[test]
    fn kind_only_keys_are_component_keys() {
        for (key, _) in KIND_ONLY {
            assert!(COMPONENT_KEYS.contains(key));
        }
    }
}
