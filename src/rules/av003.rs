//! AV003 maintenance-downtime: see the `doc`.

use super::{Context, Emitter, Rule};
use crate::diagnostic::Severity;
use crate::model::ComponentKind;

pub(super) const RULE: Rule = Rule {
    code: "AV003",
    name: "maintenance-downtime",
    severity: Severity::Warning,
    summary: "only one web server, or only one app server, exists in the design",
    doc: r#"
## What it does

Finds the only `web_server`, and the only `app_server`, of a design: one finding for
each that is alone of its kind.

## Why is this bad?

Deploying new code restarts the web server or the application server. With one of
them, every deployment is a moment of downtime, and so is every configuration change,
restart or upgrade.

## Example

```yaml
servers:
  server-01:
    components:
      - { kind: web_server, software: Nginx }
      - { kind: app_server }
```

Use instead: two servers or more behind a load balancer, and deployments that update one
server at a time (a rolling deployment), so that another serves while one restarts.
"#,
    security: None,
    fix: None,
    check,
};

fn check(context: &Context<'_>, out: &mut Emitter) {
    let design = context.design;
    for (kind, what) in [
        (ComponentKind::WebServer, "web server"),
        (ComponentKind::AppServer, "application server"),
    ] {
        let mut of_kind = design.components.iter().filter(|c| c.kind == kind);
        let (Some(only), None) = (of_kind.next(), of_kind.next()) else {
            continue;
        };
        let target = design.component_target(only.id);
        out.on_component(
            design,
            only.id,
            format!("`{target}` is the only {what}: restarting it to deploy new code takes the site down"),
            format!("run a second {what} behind a load balancer and deploy to one at a time"),
        );
    }
}
