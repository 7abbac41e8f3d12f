//! Designs generated from structured data: valid names, mixed component kinds, flows
//! (lists, optional, replication), DNS records (CNAME chains, absolute names), clusters
//! and external services with hosts, so that most inputs reach the graph and the rules.
#![no_main]

use std::fmt::Write;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

const KINDS: [&str; 12] = [
    "load_balancer",
    "web_server",
    "app_server",
    "codebase",
    "database",
    "cache",
    "queue",
    "storage",
    "firewall",
    "monitoring_agent",
    "cdn",
    "other",
];
const PROTOCOLS: [&str; 6] = ["http", "https", "tcp", "tls", "mysql", "postgres+tls"];

#[derive(Arbitrary, Debug)]
struct Design {
    servers: Vec<Server>,
    flows: Vec<Flow>,
    records: Vec<Record>,
    clusters: Vec<Cluster>,
    externals: Vec<External>,
    zones: bool,
}

#[derive(Arbitrary, Debug)]
struct Server {
    components: Vec<(u8, bool)>,
    ip: Option<u8>,
    public: bool,
    zone: u8,
}

#[derive(Arbitrary, Debug)]
enum Endpoint {
    User,
    Server(u8),
    Component(u8, u8),
    Cluster(u8),
    External(u8),
    Host(u8),
}

#[derive(Arbitrary, Debug)]
struct Flow {
    from: Vec<Endpoint>,
    to: Vec<Endpoint>,
    protocol: u8,
    access: u8,
    purpose: u8,
    optional: bool,
}

#[derive(Arbitrary, Debug)]
struct Record {
    name: u8,
    cname: Option<u8>,
    address: u8,
    absolute: bool,
}

#[derive(Arbitrary, Debug)]
struct Cluster {
    members: Vec<u8>,
    vip: Option<u8>,
    passive: bool,
}

#[derive(Arbitrary, Debug)]
struct External {
    kind: u8,
    host: Option<u8>,
}

fn yaml(d: &Design) -> String {
    let servers = d.servers.len().clamp(1, 12);
    let mut out = String::from("name: fuzz\ndomain: foobar.com\n");
    let _ = writeln!(out, "dns:\n  records:");
    for r in d.records.iter().take(12) {
        let name = if r.absolute {
            format!("h{}.other.net.", r.name % 8)
        } else {
            format!("h{}", r.name % 8)
        };
        match r.cname {
            Some(target) => {
                let _ = writeln!(
                    out,
                    "    - {{ name: '{name}', type: CNAME, value: h{}.foobar.com }}",
                    target % 8
                );
            }
            None => {
                let _ = writeln!(
                    out,
                    "    - {{ name: '{name}', type: A, value: 10.0.0.{} }}",
                    r.address % 16
                );
            }
        }
    }
    if d.records.is_empty() {
        out.push_str("    - { name: www, type: A, value: 10.0.0.1 }\n");
    }
    out.push_str("servers:\n");
    // Each server's component endpoints, so that flows name components that exist.
    let mut named: Vec<Vec<String>> = Vec::new();
    let none = Server {
        components: Vec::new(),
        ip: None,
        public: false,
        zone: 0,
    };
    for i in 0..servers {
        let s = d.servers.get(i).unwrap_or(&none);
        let _ = write!(out, "  s{i}: {{ ");
        if let Some(ip) = s.ip {
            let _ = write!(out, "ip: 10.0.0.{}, ", ip % 16);
        }
        if s.public {
            out.push_str("public: true, ");
        }
        if d.zones {
            let _ = write!(out, "zone: z{}, ", s.zone % 3);
        }
        out.push_str("components: [");
        let mut components = Vec::new();
        let mut names = Vec::new();
        for (j, (k, own_name)) in s.components.iter().take(4).enumerate() {
            let kind = KINDS[*k as usize % KINDS.len()];
            let name = if *own_name {
                format!("c{j}")
            } else {
                kind.to_string()
            };
            if names.contains(&name) {
                continue;
            }
            components.push(if *own_name {
                format!("{{ kind: {kind}, name: {name} }}")
            } else {
                format!("{{ kind: {kind} }}")
            });
            names.push(name);
        }
        if components.is_empty() {
            components.push("{ kind: web_server }".to_string());
            names.push("web_server".to_string());
        }
        let _ = writeln!(out, "{}] }}", components.join(", "));
        named.push(names.into_iter().map(|n| format!("s{i}/{n}")).collect());
    }
    let clusters = d.clusters.len().min(3);
    if clusters > 0 {
        out.push_str("clusters:\n");
        for (i, c) in d.clusters.iter().take(3).enumerate() {
            let mut members: Vec<String> = Vec::new();
            for m in c.members.iter().take(4) {
                let member = format!("s{}", *m as usize % servers);
                if !members.contains(&member) {
                    members.push(member);
                }
            }
            for j in 0..servers {
                if members.len() >= 2 {
                    break;
                }
                let member = format!("s{j}");
                if !members.contains(&member) {
                    members.push(member);
                }
            }
            let _ = write!(out, "  - {{ name: k{i}, members: [{}]", members.join(", "));
            if let Some(vip) = c.vip {
                let _ = write!(out, ", virtual_ip: 10.0.0.{}", vip % 16);
            }
            if c.passive {
                out.push_str(", mode: active-passive");
            }
            out.push_str(" }\n");
        }
    }
    let externals = d.externals.len().min(3);
    if externals > 0 {
        out.push_str("external:\n");
        for (i, e) in d.externals.iter().take(3).enumerate() {
            let kind = ["monitoring", "cdn", "database", "other"][e.kind as usize % 4];
            let _ = write!(out, "  x{i}: {{ kind: {kind}");
            if let Some(h) = e.host {
                let _ = write!(out, ", hosts: [x{i}-{}.cdn.example]", h % 4);
            }
            out.push_str(" }\n");
        }
    }
    let hosts: Vec<String> = if d.records.is_empty() {
        vec!["www.foobar.com".to_string()]
    } else {
        d.records
            .iter()
            .take(12)
            .map(|r| {
                if r.absolute {
                    format!("h{}.other.net", r.name % 8)
                } else {
                    format!("h{}.foobar.com", r.name % 8)
                }
            })
            .collect()
    };
    let endpoint = |e: &Endpoint| -> String {
        match e {
            Endpoint::User => "user".to_string(),
            Endpoint::Server(s) => format!("s{}", *s as usize % servers),
            Endpoint::Component(s, c) => {
                let list = &named[*s as usize % servers];
                list[*c as usize % list.len()].clone()
            }
            Endpoint::Cluster(c) if clusters > 0 => format!("k{}", *c as usize % clusters),
            Endpoint::External(x) if externals > 0 => format!("x{}", *x as usize % externals),
            Endpoint::Host(h) => hosts[*h as usize % hosts.len()].clone(),
            Endpoint::Cluster(c) | Endpoint::External(c) => format!("s{}", *c as usize % servers),
        }
    };
    if d.flows.is_empty() {
        out.push_str("flows: []\n");
    } else {
        out.push_str("flows:\n");
    }
    for f in d.flows.iter().take(16) {
        let list = |side: &Vec<Endpoint>, to: bool| -> String {
            let mut items: Vec<String> = side.iter().take(3).map(endpoint).collect();
            if to {
                // `user` only starts flows: a destination is the site instead.
                for item in &mut items {
                    if item == "user" {
                        item.clone_from(&hosts[0]);
                    }
                }
            }
            if items.is_empty() {
                (if to { "s0" } else { "user" }).to_string()
            } else {
                format!("[{}]", items.join(", "))
            }
        };
        let _ = write!(
            out,
            "  - {{ from: {}, to: {}, protocol: {}",
            list(&f.from, false),
            list(&f.to, true),
            PROTOCOLS[f.protocol as usize % PROTOCOLS.len()]
        );
        match f.access % 4 {
            1 => out.push_str(", access: read"),
            2 => out.push_str(", access: write"),
            _ => {}
        }
        match f.purpose % 6 {
            1 => out.push_str(", purpose: replication"),
            2 => out.push_str(", purpose: monitoring"),
            _ => {}
        }
        if f.optional {
            out.push_str(", optional: true");
        }
        out.push_str(" }\n");
    }
    out
}

static RUNS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
static RESOLVED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

fuzz_target!(|design: Design| {
    let text = yaml(&design);
    // INFRALINT_FUZZ_STATS=1: how many generated designs get past the model (and so
    // reach the graph, the rules, the diagram and the report), every 10,000 runs.
    if std::env::var_os("INFRALINT_FUZZ_STATS").is_some() {
        use std::sync::atomic::Ordering::Relaxed;
        let runs = RUNS.fetch_add(1, Relaxed) + 1;
        match common::resolves(&text) {
            Ok(()) => {
                RESOLVED.fetch_add(1, Relaxed);
            }
            Err(message) if runs.is_multiple_of(97) => eprintln!("structured: refused: {message}"),
            Err(_) => {}
        }
        if runs.is_multiple_of(10_000) {
            eprintln!(
                "structured: {} of {runs} designs resolve",
                RESOLVED.load(Relaxed)
            );
        }
    }
    common::exercise(&text);
});
