//! SC001 no-horizontal-scaling: see the `doc`.

use super::{Context, Emitter, Rule};
use crate::diagnostic::Severity;
use crate::model::ComponentKind;

pub(super) const RULE: Rule = Rule {
    code: "SC001",
    name: "no-horizontal-scaling",
    severity: Severity::Warning,
    summary: "requests from users reach a web or app server with no load balancer in front",
    doc: r#"
## What it does

Finds the first component that requests from `user` reach (passing through network
firewalls) when it is a `web_server` or an `app_server`: nothing in front of it can
spread requests over more servers.

## Why is this bad?

When traffic grows, the only way to serve it is a bigger machine, which has a ceiling
and means downtime to swap. With a load balancer in front, you add servers instead, and
remove them when traffic falls.

## Example

```yaml
dns:
  records:
    - { name: www, type: A, value: 8.8.8.8 }
servers:
  server-01: { ip: 8.8.8.8, components: [{ kind: web_server }] }
```

Use instead: point the site's address at a load balancer (or a cluster of two), and put
the web servers behind it.
"#,
    security: None,
    fix: None,
    check,
};

fn check(context: &Context<'_>, out: &mut Emitter) {
    let design = context.design;
    let mut reported = Vec::new();
    for (flow, component) in context.graph.first_request_components() {
        let kind = design.component(component).kind;
        if !matches!(kind, ComponentKind::WebServer | ComponentKind::AppServer)
            || reported.contains(&component)
        {
            continue;
        }
        reported.push(component);
        let target = design.component_target(component);
        out.on_component(
            design,
            component,
            format!(
                "requests to `{}` reach `{target}` directly, with no load balancer in front: adding servers cannot spread the load",
                design.flow(flow).to.written
            ),
            "put a load balancer in front of the web servers, so that more servers can share the traffic",
        )
        .label(design.flow(flow).span, "the request from users");
    }
}
