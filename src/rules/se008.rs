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
    for component in &design.components {
        if component.kind != ComponentKind::Firewall || component.allow.is_some() {
            continue;
        }
        let server = component.server;
        let name = &design.server(server).name.value;
        // The ports of the flows into the server, as a place to start.
        let mut ports: Vec<u16> = design
            .flows
            .iter()
            .filter(|f| match &f.to.target {
                EndpointTarget::Components { components, .. } => components
                    .iter()
                    .any(|&c| design.component(c).server == server),
                _ => false,
            })
            .filter_map(|f| {
                f.port.or(match f.protocol {
                    Protocol::Http => Some(80),
                    Protocol::Https => Some(443),
                    _ => None,
                })
            })
            .collect();
        ports.sort_unstable();
        ports.dedup();
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
