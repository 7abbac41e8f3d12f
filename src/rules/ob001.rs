//! OB001 unmonitored-server: see the `doc`.

use super::{Context, Emitter, Rule};
use crate::diagnostic::Severity;
use crate::model::ComponentKind;

pub(super) const RULE: Rule = Rule {
    code: "OB001",
    name: "unmonitored-server",
    severity: Severity::Warning,
    summary: "a server runs no monitoring agent",
    doc: r#"
## What it does

Finds servers with no `monitoring_agent` component.

## Why is this bad?

Without an agent shipping the server's metrics and logs, nobody learns that its disk is
filling, its error rate is climbing or its requests per second have doubled until users
complain. Monitoring is also how you know your fixes worked.

## Example

```yaml
servers:
  web-01:
    components:
      - { kind: web_server, software: Nginx }
```

Use instead:

```yaml
servers:
  web-01:
    components:
      - { kind: web_server, software: Nginx }
      - { kind: monitoring_agent, software: Sumo Logic collector, collects: [metrics, logs, qps] }
```
"#,
    security: None,
    fix: None,
    check,
};

fn check(context: &Context<'_>, out: &mut Emitter) {
    let design = context.design;
    for server in &design.servers {
        if design
            .components_of(server.id)
            .any(|c| c.kind == ComponentKind::MonitoringAgent)
        {
            continue;
        }
        out.on_server(
            design,
            server.id,
            format!(
                "`{}` runs no monitoring agent: when it slows down or fails, nobody is told",
                server.name.value
            ),
            "add a `monitoring_agent` component that ships the server's metrics and logs to a monitoring service",
        );
    }
}
