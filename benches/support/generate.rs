//! A generated design of realistic shape, for benchmarks (`benches/`) and
//! `scripts/bench.sh` (through `examples/generate.rs`): a load-balancer pair behind a
//! virtual IP, web servers each with an application server of its own, a primary
//! database and two replicas, a firewall and a monitoring agent on every server, an
//! external monitoring service, and one flow entry per pair of talking servers.

use std::fmt::Write;

/// A design of about `servers` servers (at least 8): `(servers - 5) / 2` web servers and
/// as many application servers, plus the balancers and the databases.
#[allow(dead_code)]
pub(crate) fn design(servers: usize) -> String {
    design_with(servers, false)
}

/// The same; with `distinct`, every web and application server runs another version of
/// its software, so that a diagram folds none of them.
pub(crate) fn design_with(servers: usize, distinct: bool) -> String {
    let pairs = servers.saturating_sub(5).max(2) / 2;
    let mut out = String::with_capacity(servers * 420);
    out.push_str(
        "infralint: 1\nname: Generated\nauthor: scripts/bench.sh\ndomain: example.com\n\
         description: A generated design of realistic shape for benchmarks.\n\
         dns:\n  records:\n    - { name: www, type: A, value: 203.0.113.10 }\n\
         \x20   - { name: api, type: CNAME, value: www.example.com }\n\
         \x20 nameservers: [ns1.example.com, ns2.example.com]\n\
         clusters:\n  - { name: lbs, members: [lb-01, lb-02], mode: active-active, virtual_ip: 203.0.113.10 }\n\
         external:\n  monitoring: { kind: monitoring, software: Datadog, why: Receives metrics and logs. }\n\
         servers:\n",
    );
    let guarded = "      - { kind: firewall, allow: [443] }\n      - { kind: monitoring_agent, collects: [metrics, logs] }\n";
    for (name, ip, component) in [
        (
            "lb-01",
            "10.0.0.1",
            "{ kind: load_balancer, software: HAProxy, algorithm: least_connections, certificate: { domains: [www.example.com], expires: 2030-01-01 } }",
        ),
        (
            "lb-02",
            "10.0.0.2",
            "{ kind: load_balancer, software: HAProxy, algorithm: least_connections, certificate: { domains: [www.example.com], expires: 2030-01-01 } }",
        ),
        (
            "db-01",
            "10.0.0.3",
            "{ kind: database, software: PostgreSQL, role: primary }",
        ),
        (
            "db-02",
            "10.0.0.4",
            "{ kind: database, software: PostgreSQL, role: replica }",
        ),
        (
            "db-03",
            "10.0.0.5",
            "{ kind: database, software: PostgreSQL, role: replica }",
        ),
    ] {
        let _ = write!(
            out,
            "  {name}:\n    ip: {ip}\n    why: A server of the generated design.\n    components:\n      - {component}\n{guarded}"
        );
    }
    for i in 0..pairs {
        for (tier, kind, software, octet) in [
            ("web", "web_server", "Nginx", 1),
            ("app", "app_server", "Gunicorn", 2),
        ] {
            let version = if distinct {
                format!(" 1.{i}")
            } else {
                String::new()
            };
            let _ = write!(
                out,
                "  {tier}-{i:05}:\n    ip: 10.{}.{}.{}\n    zone: zone-{}\n    why: One of many alike, serving its share of requests.\n    components:\n      - {{ kind: {kind}, software: {software}{version} }}\n{guarded}",
                octet + 2 * (i / 65536),
                (i / 256) % 256,
                i % 256,
                i % 3
            );
        }
    }
    out.push_str("flows:\n  - { from: user, to: www.example.com, protocol: https, port: 443 }\n");
    for i in 0..pairs {
        let _ = write!(
            out,
            "  - {{ from: lbs, to: web-{i:05}, protocol: https }}\n\
             \x20 - {{ from: web-{i:05}/web_server, to: app-{i:05}/app_server, protocol: https }}\n\
             \x20 - {{ from: app-{i:05}/app_server, to: db-01, protocol: postgres+tls, access: write }}\n\
             \x20 - {{ from: app-{i:05}/app_server, to: [db-02, db-03], protocol: postgres+tls, access: read }}\n\
             \x20 - {{ from: [web-{i:05}/monitoring_agent, app-{i:05}/monitoring_agent], to: monitoring, protocol: https, purpose: monitoring }}\n"
        );
    }
    out.push_str(
        "  - { from: db-01, to: [db-02, db-03], protocol: postgres+tls, purpose: replication }\n",
    );
    out
}
