//! SE003 tls-terminated-early: see the `doc`.

use super::{Context, Emitter, Rule, and_list};
use crate::diagnostic::Severity;
use crate::graph::Node;
use crate::model::{ComponentId, EndpointTarget, FlowId};

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
    check,
};

fn check(context: &Context<'_>, out: &mut Emitter) {
    let design = context.design;
    let graph = context.graph;
    let mut ends: Vec<ComponentId> = Vec::new();
    for flow in &design.flows {
        if flow.purpose.is_some() || !flow.protocol.is_encrypted() {
            continue;
        }
        let on_request_path = match &flow.from.target {
            EndpointTarget::User => true,
            EndpointTarget::Components { components, .. } => {
                components.iter().any(|&c| graph.is_requested(c))
            }
            EndpointTarget::External(_) => false,
        };
        let EndpointTarget::Components { components, .. } = &flow.to.target else {
            continue;
        };
        if on_request_path {
            for &component in components {
                ends.extend(graph.tls_ends(component));
            }
        }
    }
    ends.sort();
    ends.dedup();
    for end in ends {
        let server = design.component(end).server;
        let mut hops: Vec<(FlowId, String)> = Vec::new();
        for (index, next) in graph.outgoing(end) {
            let flow = design.flow(index);
            let Node::Component(next) = next else {
                continue;
            };
            if flow.purpose.is_some()
                || flow.protocol.is_encrypted()
                || design.component(next).server == server
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
        let target = design.component_target(end);
        let list: Vec<String> = hops.iter().map(|(_, h)| h.clone()).collect();
        out.on_component(
            design,
            end,
            format!("TLS ends at `{target}`, which forwards requests in plaintext: {}", and_list(&list)),
            "encrypt the hops behind it as well (https to the servers it forwards to), or pass TLS through to them",
        );
        let mut labelled: Vec<crate::source::Span> = Vec::new();
        for (index, _) in &hops {
            let span = design.flow(*index).span;
            if !labelled.contains(&span) {
                labelled.push(span);
                out.label(span, "plaintext from here on");
            }
        }
    }
}
