//! AV001 single-point-of-failure: see the `doc`.

use std::collections::HashMap;

use super::{Context, Emitter, LISTED, Rule, and_list};
use crate::diagnostic::Severity;
use crate::model::{ComponentKind, EndpointTarget, ServerId};

pub const RULE: Rule = Rule {
    code: "AV001",
    name: "single-point-of-failure",
    severity: Severity::Error,
    summary: "the failure of one server leaves no request able to complete",
    doc: r#"
## What it does

Finds every server whose failure alone leaves no request able to complete. A request
follows the flows from `user` (through DNS names and virtual IPs, leaving out
replication and monitoring flows) and completes when it reaches a database, or, in a
design without one, an app server, or else a web server. The analysis is done on the
whole graph: a server is also found when none of its components alone is on every
path, but together they are (a server that is both routes of a load balancer).

When a spare exists that does not help, the message says why: a second load balancer
that no DNS record or virtual IP points at gets no traffic.

## Why is this bad?

One machine failing, rebooting or being updated takes the whole site down. Hardware
fails, kernels need patches, data centres lose power: a single point of failure turns
each of these into an outage.

## Example

```yaml
dns:
  records:
    - { name: www, type: A, value: 8.8.8.8 }
servers:
  lb-01: { ip: 8.8.8.8, components: [{ kind: load_balancer }] }
  lb-02: { ip: 8.8.4.4, components: [{ kind: load_balancer }] }
  # ... web servers behind both
```

`lb-01` is a single point of failure, and `lb-02` does not help: nothing sends it
traffic.

Use instead:

```yaml
clusters:
  - { name: lb-cluster, members: [lb-01, lb-02], mode: active-active, virtual_ip: 8.8.8.8 }
```
"#,
    check,
};

fn check(context: &Context<'_>, out: &mut Emitter<'_>) {
    let design = context.design;
    let graph = context.graph;
    let failing = graph.single_points_of_failure();
    if failing.is_empty() {
        return;
    }
    let mut requested_hosts: Vec<String> = design
        .flows
        .iter()
        .filter(|f| f.from.target == EndpointTarget::User && f.purpose.is_none())
        // Requests to an outside service (a CDN) do not depend on the design's servers.
        .filter(|f| matches!(f.to.target, EndpointTarget::Components { .. }))
        .map(|f| format!("`{}`", f.to.written))
        .collect();
    requested_hosts.sort();
    requested_hosts.dedup();
    let requests = if requested_hosts.is_empty() {
        "every request".to_string()
    } else {
        format!("every request to {}", and_list(&requested_hosts))
    };
    // Servers by front kind, once: the spares of each single point of failure.
    let mut by_front: HashMap<ComponentKind, Vec<ServerId>> = HashMap::new();
    for server in &design.servers {
        if let Ok(front) = design.front_component(server.id) {
            by_front
                .entry(design.component(front).kind)
                .or_default()
                .push(server.id);
        }
    }
    for server in failing {
        let name = &design.server(server).name.value;
        let front = design
            .front_component(server)
            .ok()
            .map(|c| design.component(c).kind);
        let spares: Vec<ServerId> = front
            .and_then(|kind| by_front.get(&kind))
            .map(|servers| servers.iter().copied().filter(|&s| s != server).collect())
            .unwrap_or_default();
        let mut message =
            format!("if `{name}` fails, no request can complete: {requests} depends on it");
        for &spare in spares.iter().take(LISTED) {
            message.push_str("; ");
            message.push_str(&why_no_help(context, spare));
        }
        if spares.len() > LISTED {
            message.push_str(&format!(
                "; and {} more servers of its kind",
                spares.len() - LISTED
            ));
        }
        let help = match front {
            Some(ComponentKind::LoadBalancer) => {
                "add a second load balancer and put both behind one virtual IP (a cluster), so that either can take all traffic"
            }
            Some(ComponentKind::Database) => {
                "add a replica that the application can fail over to, or cluster the database servers"
            }
            Some(ComponentKind::Firewall) => {
                "add a second network firewall on another route, so that traffic can pass either"
            }
            _ => "run a second server that does the same work, and spread requests over both",
        };
        out.on_server(design, server, message, help);
    }
}

/// Why a server of the same front kind does not take over.
fn why_no_help(context: &Context<'_>, spare: ServerId) -> String {
    let name = &context.design.server(spare).name.value;
    if context.graph.server_is_requested(spare) {
        format!("`{name}` is reached only through it")
    } else {
        format!(
            "`{name}` gets no traffic: no DNS record, virtual IP or flow from users leads to it"
        )
    }
}
