//! SE008 firewall-without-ports: see the `doc`.

use super::{Context, Emitter, Rule, and_list};
use crate::diagnostic::Severity;
use crate::model::{ComponentKind, EndpointTarget, Protocol};

pub(super) const RULE: Rule = Rule {
    code: "SE008",
    name: "firewall-without-ports",
    severity: Severity::Warning,
    summary: "a firewall states no ports it lets in",
    doc: r#"
## What it does

Finds `firewall` components with no `allow:` list. The help lists the ports the flows
into the server state (`port:`), or 80 and 443 for `http` and `https` flows, as a place
to start. An empty list (`allow: []`) is a statement (nothing gets in) and is left
alone.

## Why is this bad?

A firewall is only as good as its rules. One that names no port says nothing a reviewer
can check: whether it lets in only HTTPS, or also the database port and SSH from
anywhere. Stating the ports is also what lets SE004 see a database port open to the
internet.

## Example

```yaml
servers:
  web-01:
    components:
      - { kind: firewall }
      - { kind: web_server }
```

Use instead:

```yaml
servers:
  web-01:
    components:
      - { kind: firewall, allow: [80] }
      - { kind: web_server }
```
"#,
    security: Some(4.0),
    fix: None,
    check,
};

fn check(context: &Context<'_>, out: &mut Emitter) {
    let design = context.design;
    let silent: Vec<&crate::model::Component> = design
        .components
        .iter()
        .filter(|c| c.kind == ComponentKind::Firewall && c.allow.is_none())
        .collect();
    if silent.is_empty() {
        return;
    }
    // The ports of the flows into each server, as a place to start: one pass over the
    // flows, not one per firewall.
    let mut ports_into: Vec<Vec<u16>> = vec![Vec::new(); design.servers.len()];
    for flow in &design.flows {
        let EndpointTarget::Components { components, .. } = &flow.to.target else {
            continue;
        };
        let Some(port) = flow.port.or(match flow.protocol {
            Protocol::Http => Some(80),
            Protocol::Https => Some(443),
            _ => None,
        }) else {
            continue;
        };
        for &c in components {
            ports_into[design.component(c).server.index()].push(port);
        }
    }
    for ports in &mut ports_into {
        ports.sort_unstable();
        ports.dedup();
    }
    for component in silent {
        let server = component.server;
        let name = &design.server(server).name.value;
        let ports = &ports_into[server.index()];
        let help = if ports.is_empty() {
            "state the ports it lets in, such as `allow: [443]` for HTTPS only".to_string()
        } else {
            let listed: Vec<String> = ports.iter().map(u16::to_string).collect();
            format!(
                "state the ports it lets in: the flows into `{name}` use {} {}, so `allow: [{}]`",
                if ports.len() == 1 { "port" } else { "ports" },
                and_list(&listed),
                listed.join(", ")
            )
        };
        out.on_component(
            design,
            component.id,
            format!("the firewall on `{name}` states no ports it lets in: nobody can review what it lets through"),
            help,
        )
        .primary("no `allow:`");
    }
}
