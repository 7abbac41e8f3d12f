//! SE003 tls-terminated-early: see the `doc`.

use super::{Context, Emitter, Rule, Target, and_list};
use crate::diagnostic::Severity;
use crate::graph::Node;
use crate::model::{EndpointTarget, FlowId, ServerId};

pub(super) const RULE: Rule = Rule {
    code: "SE003",
    name: "tls-terminated-early",
    severity: Severity::Warning,
    summary: "TLS ends at a component that forwards requests in plaintext to another server",
    doc: r#"
## What it does

Follows each encrypted flow on a request path to the component where its TLS ends
(past network firewalls, which do not end TLS). When that component forwards requests
over a plaintext flow to a component on another server, it reports the terminating
component and names the plaintext hops. Only that component's own outgoing flows are
judged, not hops further on.

## Why is this bad?

This is SSL termination at the load balancer: users' traffic is encrypted up to the
load balancer, then crosses the internal network readable. Anyone who gets onto that
network (a compromised server, a misconfigured switch, a shared cloud network) reads
passwords and cookies.

## Example

```yaml
flows:
  - { from: user, to: www.foobar.com, protocol: https }
  - { from: lb-01, to: [web-01, web-02], protocol: http }
```

Use instead: encrypt the hop behind the load balancer too (or pass TLS through to the
web servers):

```yaml
flows:
  - { from: lb-01, to: [web-01, web-02], protocol: https }
```
"#,
    security: Some(5.3),
    fix: None,
    check,
};

fn check(context: &Context<'_>, out: &mut Emitter) {
    let design = context.design;
    let graph = context.graph;
    for end in tls_ends(context) {
        let (server, onward): (Option<ServerId>, Vec<(FlowId, Node)>) = match end {
            Node::Component(c) => (
                Some(design.component(c).server),
                graph.outgoing(c).collect(),
            ),
            Node::External(e) => (None, graph.outgoing_external(e).collect()),
            _ => continue,
        };
        let mut hops: Vec<(FlowId, String)> = Vec::new();
        for (index, next) in onward {
            let flow = design.flow(index);
            let Node::Component(next) = next else {
                continue;
            };
            if flow.purpose.is_some()
                || flow.protocol.is_encrypted()
                || Some(design.component(next).server) == server
            {
                continue;
            }
            hops.push((index, format!("{} ({})", flow.target(), flow.protocol)));
        }
        if hops.is_empty() {
            continue;
        }
        // In file order: the order of the flows, then of the targets as written.
        hops.sort();
        hops.dedup_by(|a, b| a.1 == b.1);
        let list: Vec<String> = hops.iter().map(|(_, h)| h.clone()).collect();
        let help = "encrypt the hops behind it as well (https to the servers it forwards to), or pass TLS through to them";
        let mut emitted = match end {
            Node::Component(c) => out.on_component(
                design,
                c,
                format!(
                    "TLS ends at `{}`, which forwards requests in plaintext: {}",
                    design.component_target(c),
                    and_list(&list)
                ),
                help,
            ),
            Node::External(e) => out.emit(
                Target::flow(design, hops[0].0),
                design.flow(hops[0].0).span,
                format!(
                    "TLS ends at the outside service `{}`, which forwards requests in plaintext: {}",
                    design.externals[e.index()].name.value,
                    and_list(&list)
                ),
                "have the CDN or managed balancer connect to the origin over https (and give the origin a certificate)",
            ),
            _ => continue,
        };
        let mut labelled: Vec<crate::source::Span> = Vec::new();
        for (index, _) in &hops {
            let span = design.flow(*index).span;
            if !labelled.contains(&span) {
                labelled.push(span);
                emitted = emitted.label(span, "plaintext from here on");
            }
        }
    }
}

/// Where TLS from a request path ends: components and outside services, each once, in
/// id order.
fn tls_ends(context: &Context<'_>) -> Vec<Node> {
    let design = context.design;
    let graph = context.graph;
    // Outside services that requests reach: from users or from a requested component
    // (one pass over the flows).
    let mut reached = vec![false; design.externals.len()];
    for f in design.flows.iter().filter(|f| f.purpose.is_none()) {
        if let EndpointTarget::External(e) = f.to.target {
            reached[e.index()] |= match &f.from.target {
                EndpointTarget::User | EndpointTarget::Client(_) => true,
                EndpointTarget::Components { components, .. } => {
                    components.iter().any(|&c| graph.is_requested(c))
                }
                EndpointTarget::External(_) => false,
            };
        }
    }
    let mut ends: Vec<Node> = Vec::new();
    for flow in &design.flows {
        if flow.purpose.is_some() || !flow.protocol.is_tls() {
            continue;
        }
        let on_request_path = match &flow.from.target {
            EndpointTarget::User | EndpointTarget::Client(_) => true,
            EndpointTarget::Components { components, .. } => {
                components.iter().any(|&c| graph.is_requested(c))
            }
            EndpointTarget::External(e) => reached[e.index()],
        };
        if on_request_path {
            for start in graph.endpoint_nodes(&flow.to.target) {
                ends.extend(graph.tls_ends_from(start));
            }
        }
    }
    let key = |n: &Node| match n {
        Node::Component(c) => (0, c.index()),
        Node::External(e) => (1, e.index()),
        _ => (2, 0),
    };
    ends.sort_by_key(key);
    ends.dedup();
    ends
}
