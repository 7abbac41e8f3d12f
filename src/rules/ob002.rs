//! OB002 agent-sends-nowhere: see the `doc`.

use super::{Context, Emitter, Rule};
use crate::diagnostic::Severity;
use crate::model::{ComponentKind, EndpointTarget, Purpose};

pub(super) const RULE: Rule = Rule {
    code: "OB002",
    name: "agent-sends-nowhere",
    severity: Severity::Warning,
    summary: "a monitoring agent has no flow to where it sends what it collects",
    doc: r#"
## What it does

Finds `monitoring_agent` components from which no flow leaves: neither a flow from the
agent itself (`from: web-01/monitoring_agent`) nor a `purpose: monitoring` flow from
its server.

## Why is this bad?

An agent that sends nowhere watches nothing anyone sees: metrics and logs pile up on the
server they describe, and go down with it. The flow to the monitoring service is also
where the design says how that traffic travels (encrypted, through which firewall
port).

## Example

```yaml
servers:
  web-01:
    components:
      - { kind: web_server }
      - { kind: monitoring_agent, collects: [metrics, logs] }
```

Use instead:

```yaml
external:
  sumologic: { kind: monitoring, software: Sumo Logic }
flows:
  - { from: web-01/monitoring_agent, to: sumologic, protocol: https, purpose: monitoring }
```
"#,
    security: None,
    fix: None,
    check,
};

fn check(context: &Context<'_>, out: &mut Emitter) {
    let design = context.design;
    // Per component: a flow leaves it; per server: a monitoring flow leaves it.
    let mut sends = vec![false; design.components.len()];
    let mut monitored = vec![false; design.servers.len()];
    for flow in &design.flows {
        if let EndpointTarget::Components { components, .. } = &flow.from.target {
            for &c in components {
                sends[c.index()] = true;
                if flow.purpose == Some(Purpose::Monitoring) {
                    monitored[design.component(c).server.index()] = true;
                }
            }
        }
    }
    for component in &design.components {
        if component.kind != ComponentKind::MonitoringAgent
            || sends[component.id.index()]
            || monitored[component.server.index()]
        {
            continue;
        }
        let target = design.component_target(component.id);
        out.on_component(
            design,
            component.id,
            format!("`{target}` sends what it collects nowhere: no flow leaves it"),
            format!(
                "add a flow from it to the monitoring service, such as `- {{ from: {target}, to: MONITORING, protocol: https, purpose: monitoring }}`"
            ),
        )
        .primary("no flow out");
    }
}
