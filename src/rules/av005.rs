//! AV005 shared-failure-domain: see the `doc`.

use std::collections::BTreeMap;

use super::{Context, Emitter, Rule, and_list};
use crate::diagnostic::Severity;
use crate::model::{ComponentKind, ServerId};

pub(super) const RULE: Rule = Rule {
    code: "AV005",
    name: "shared-failure-domain",
    severity: Severity::Warning,
    summary: "every server of a redundant tier sits in the same zone",
    doc: r#"
## What it does

Groups servers into tiers by their front kind (the kind a bare server name stands for:
load balancer, web server, app server, database). When a tier has two servers or more,
and every one of them states the same `zone`, it reports the tier once, at its first
server. Servers without a `zone` share no zone with anyone.

## Why is this bad?

Redundancy protects against one server failing, not against the rack, the data centre
or the region they share losing power or network. When it does, the whole tier fails
at once.

## Example

```yaml
servers:
  web-01: { zone: eu-west-1a, components: [{ kind: web_server }] }
  web-02: { zone: eu-west-1a, components: [{ kind: web_server }] }
```

Use instead:

```yaml
servers:
  web-01: { zone: eu-west-1a, components: [{ kind: web_server }] }
  web-02: { zone: eu-west-1b, components: [{ kind: web_server }] }
```
"#,
    security: None,
    fix: None,
    check,
};

fn check(context: &Context<'_>, out: &mut Emitter) {
    let design = context.design;
    let mut tiers: BTreeMap<ComponentKind, Vec<ServerId>> = BTreeMap::new();
    for server in &design.servers {
        if let Ok(front) = design.front_component(server.id) {
            tiers
                .entry(design.component(front).kind)
                .or_default()
                .push(server.id);
        }
    }
    for (kind, servers) in tiers {
        if servers.len() < 2 {
            continue;
        }
        let zones: Vec<Option<&str>> = servers
            .iter()
            .map(|&s| design.server(s).zone.as_ref().map(|z| &*z.value))
            .collect();
        let Some(zone) = zones[0] else { continue };
        if !zones.iter().all(|z| *z == Some(zone)) {
            continue;
        }
        let first = design.server(servers[0]);
        let names: Vec<String> = servers
            .iter()
            .map(|&s| format!("`{}`", design.server(s).name.value))
            .collect();
        let mut emitted = out.on_server(
            design,
            first.id,
            format!(
                "the {kind} tier ({}) sits entirely in zone `{zone}`: one outage there takes the whole tier down",
                and_list(&names)
            ),
            "spread the tier's servers over two zones or more",
        );
        for &server in &servers[1..] {
            if let Some(zone) = &design.server(server).zone {
                emitted = emitted.label(zone.span, "the same zone");
            }
        }
    }
}
