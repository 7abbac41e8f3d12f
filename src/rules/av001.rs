//! AV001 single-point-of-failure: see the `doc`.

use std::collections::HashMap;

use super::{Context, Emitter, LISTED, Rule, and_list, class_list};
use crate::diagnostic::Severity;
use crate::graph::{Aim, Need, Node};
use crate::model::{ComponentId, ComponentKind, EndpointTarget, ServerId};

pub(super) const RULE: Rule = Rule {
    code: "AV001",
    name: "single-point-of-failure",
    severity: Severity::Error,
    summary: "the failure of one server leaves no request able to complete",
    doc: r#"
## What it does

Finds every server whose failure alone leaves no request able to complete, by the
design format's structure function ("When a request completes" in
`docs/design-format.md`): a component serves when its server is up and, for each
*kind* of component or external service its request flows go to, at least one of
those targets serves. So `lb -> [web-01, web-02]` are alternatives, while an app server
with flows to a database, a cache and a queue needs all three; a flow marked
`optional: true` is left out, and so are replication and monitoring flows. A request
completes when a target of the user's flows serves it.

The analysis is done on the whole graph: a server is also found when none of its
components alone is needed, but together they are (a server that hosts both
alternatives of a load balancer). An external service (a CDN, a payment API) is never
the target: its failure is outside the design's control. The message says which
requests stop and through which dependency: "every request to `www.shop.example` needs
`cache-01/cache` (Redis) through `app-01/app_server` and `app-02/app_server`".

When a spare exists that does not help, the message says why: a second load balancer
that no DNS record or virtual IP points at gets no traffic. A cluster with a `quorum:`
serves only while that many of its voters are up, so a two-node cluster that needs a
majority (2 of 2) loses it with either node: each is reported, with the quorum.

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
    security: None,
    fix: None,
    check,
};

fn check(context: &Context<'_>, out: &mut Emitter) {
    let design = context.design;
    let graph = context.graph;
    let by_class = graph.single_points_of_failure_by_class();
    if by_class.is_empty() {
        return;
    }
    let outcomes = graph.outcomes();
    let request_classes = outcomes.iter().filter(|o| o.aim == Aim::Requests).count();
    // A failure that stops some request classes and not others names them.
    let class_names = |stopped: &[usize]| -> String {
        class_list(stopped.iter().map(|&i| outcomes[i].class.as_deref()))
    };
    let (failing, stopped): (Vec<ServerId>, Vec<Vec<usize>>) = by_class.into_iter().unzip();
    let requests = every_request(context);
    let by_front = servers_by_front(design);
    let needs = graph.needs(&failing);
    for ((server, needs), stopped) in failing.into_iter().zip(needs).zip(stopped) {
        let name = &design.server(server).name.value;
        let (no_request, requests) = if stopped.len() < request_classes {
            let classes = class_names(&stopped);
            (
                format!("no request of {classes} can complete"),
                format!("every request of {classes}"),
            )
        } else {
            ("no request can complete".to_string(), requests.clone())
        };
        let front_component = design
            .front_component(server)
            .ok()
            .map(|c| design.component(c));
        let front = front_component.map(|c| c.kind);
        // Only the spares the message lists, and how many there are: a design with many
        // single points of failure of one kind must not compare every pair.
        let same_kind = front_component.and_then(|c| by_front.get(c.service_name()));
        let spares: Vec<ServerId> = same_kind
            .map(|servers| {
                servers
                    .iter()
                    .copied()
                    .filter(|&s| s != server)
                    .take(LISTED)
                    .collect()
            })
            .unwrap_or_default();
        let spare_count = same_kind.map_or(0, |servers| servers.len().saturating_sub(1));
        // A voter whose loss breaks a quorum: the other members are no spares.
        let quorum = design.clusters.iter().find_map(|c| {
            let need = c.quorum.as_ref()?.value.of(c.voters.len());
            (c.voters.contains(&server) && need >= c.voters.len()).then_some((c, need))
        });
        if let Some((cluster, need)) = quorum {
            let message = format!(
                "if `{name}` fails, {no_request}: cluster `{}` needs {need} of its {} voters up, and loses its quorum without `{name}`",
                cluster.name.value,
                cluster.voters.len()
            );
            let help = "give the cluster one more voter (a member, or an arbitrator that only votes: `voters:`), so that its quorum survives one failure";
            out.on_server(design, server, message, help);
            continue;
        }
        let mut message = if graph.user_reaches_directly(server) || needs.is_empty() {
            format!("if `{name}` fails, {no_request}: {requests} depends on it")
        } else {
            format!(
                "if `{name}` fails, {no_request}: {requests} needs {}",
                through(design, &needs)
            )
        };
        for &spare in &spares {
            message.push_str("; ");
            message.push_str(&why_no_help(context, spare));
        }
        if spare_count > LISTED {
            message.push_str(&format!(
                "; and {} more servers of its kind",
                spare_count - LISTED
            ));
        }
        out.on_server(design, server, message, help_for(front));
    }
}

/// "every request to `www.foobar.com`": the hosts users request, as written.
fn every_request(context: &Context<'_>) -> String {
    let (design, graph) = (context.design, context.graph);
    let mut requested_hosts: Vec<String> = design
        .flows
        .iter()
        .filter(|f| f.from.target == EndpointTarget::User && f.purpose.is_none() && !f.optional)
        // Requests to an outside service count when it forwards into the design (a CDN).
        .filter(|f| match f.to.target {
            EndpointTarget::Components { .. } => true,
            EndpointTarget::External(id) => graph.external_forwards(id),
            EndpointTarget::User | EndpointTarget::Client(_) => false,
        })
        .map(|f| format!("`{}`", f.to.written))
        .collect();
    requested_hosts.sort();
    requested_hosts.dedup();
    if requested_hosts.is_empty() {
        "every request".to_string()
    } else {
        format!("every request to {}", and_list(&requested_hosts))
    }
}

/// Servers by their front component's service, once: the spares of each single point of
/// failure. A worker's server takes no requests: it is no spare.
fn servers_by_front(design: &crate::model::Design) -> HashMap<&str, Vec<ServerId>> {
    let mut by_front: HashMap<&str, Vec<ServerId>> = HashMap::new();
    for server in &design.servers {
        let worker = design
            .components_of(server.id)
            .any(|c| c.kind == ComponentKind::Worker);
        if let Ok(front) = design.front_component(server.id)
            && !worker
        {
            by_front
                .entry(design.component(front).service_name())
                .or_default()
                .push(server.id);
        }
    }
    by_front
}

/// What to do about a single point of failure, by what its server runs in front.
fn help_for(front: Option<ComponentKind>) -> &'static str {
    match front {
        Some(ComponentKind::LoadBalancer) => {
            "add a second load balancer and put both behind one virtual IP (a cluster), so that either can take all traffic"
        }
        Some(ComponentKind::Database) => {
            "add a replica that the application can fail over to, or cluster the database servers"
        }
        Some(ComponentKind::Firewall) => {
            "add a second network firewall on another route, so that traffic can pass either"
        }
        Some(ComponentKind::Cache | ComponentKind::Queue) => {
            "run it as a replicated pair or cluster the clients can fail over to, or mark the flows to it `optional: true` if the service works without it"
        }
        _ => "run a second server that does the same work, and spread requests over both",
    }
}

/// "`cache/cache` (Redis) through `app-1/app_server` and `app-2/app_server`".
fn through(design: &crate::model::Design, needs: &[Need]) -> String {
    let mut needed: Vec<ComponentId> = needs
        .iter()
        .flat_map(|n| n.needed.iter().copied())
        .collect();
    needed.sort();
    needed.dedup();
    let needed: Vec<String> = needed
        .iter()
        .map(|&c| {
            let component = design.component(c);
            match &component.software {
                Some(software) => format!("`{}` ({software})", design.component_target(c)),
                None => format!("`{}`", design.component_target(c)),
            }
        })
        .collect();
    let mut dependents: Vec<String> = needs
        .iter()
        .map(|n| match n.dependent {
            Node::User => "the user".to_string(),
            other => format!("`{}`", other.written(design)),
        })
        .collect();
    dependents.dedup();
    format!("{} through {}", and_list(&needed), and_list(&dependents))
}

/// Why a server of the same front kind does not take over.
fn why_no_help(context: &Context<'_>, spare: ServerId) -> String {
    let name = &context.design.server(spare).name.value;
    if context.graph.server_is_requested(spare) {
        format!("`{name}` is no alternative to it: nothing that needs it can use `{name}` instead")
    } else {
        format!(
            "`{name}` gets no traffic: no DNS record, virtual IP or flow from users leads to it"
        )
    }
}
