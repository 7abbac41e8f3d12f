//! AV004 unreachable-server: see the `doc`.

use super::{Context, Emitter, Rule};
use crate::diagnostic::Severity;
use crate::model::ComponentKind;

pub(super) const RULE: Rule = Rule {
    code: "AV004",
    name: "unreachable-server",
    severity: Severity::Warning,
    summary: "a server that serves requests is reached by no request path",
    doc: r#"
## What it does

Finds servers with a `load_balancer`, `web_server` or `app_server` that no request
path from `user` reaches: no DNS record, virtual IP or flow leads to them. A server that
runs a `worker` (Sidekiq, Celery) is fed by a queue or a schedule, not by requests, and
is never reported.

## Why is this bad?

Such a server is paid for and maintained, and gives nothing: it takes no load and
does not take over when its twin fails. A second load balancer that no DNS record or
virtual IP points at is the classic case: it looks like redundancy on the diagram, and
is not.

## Example

```yaml
dns:
  records:
    - { name: www, type: A, value: 8.8.8.8 }   # lb-01's address only
servers:
  lb-01: { ip: 8.8.8.8, components: [{ kind: load_balancer }] }
  lb-02: { ip: 8.8.4.4, components: [{ kind: load_balancer }] }
```

Use instead: a cluster whose virtual IP the record points at, so that both receive
traffic:

```yaml
clusters:
  - { name: lb-cluster, members: [lb-01, lb-02], virtual_ip: 8.8.8.8 }
```
"#,
    security: None,
    fix: None,
    check,
};

fn check(context: &Context<'_>, out: &mut Emitter) {
    let design = context.design;
    for server in &design.servers {
        let serving = design.components_of(server.id).find(|c| {
            matches!(
                c.kind,
                ComponentKind::LoadBalancer | ComponentKind::WebServer | ComponentKind::AppServer
            )
        });
        let Some(serving) = serving else { continue };
        // A worker's server is fed by a queue or a schedule, not by requests.
        let runs_worker = design
            .components_of(server.id)
            .any(|c| c.kind == ComponentKind::Worker);
        if runs_worker || context.graph.server_is_requested(server.id) {
            continue;
        }
        let kind = match serving.kind {
            ComponentKind::LoadBalancer => "a load balancer",
            ComponentKind::WebServer => "a web server",
            _ => "an application server",
        };
        out.on_server(
            design,
            server.id,
            format!(
                "`{}` runs {kind} that no request reaches: no DNS record, virtual IP or flow from users leads to it",
                server.name.value
            ),
            "send it traffic (a cluster with a virtual IP, a DNS record or a flow), or remove it",
        );
    }
}
