//! SC002 co-located-tiers: see the `doc`.

use std::collections::HashMap;

use super::{Context, Emitter, Rule, and_list};
use crate::diagnostic::Severity;
use crate::model::{ComponentKind, Design, ServerId};

pub(super) const RULE: Rule = Rule {
    code: "SC002",
    name: "co-located-tiers",
    severity: Severity::Warning,
    summary: "a server runs a web server, an app server and a database together",
    doc: r#"
## What it does

Finds servers that run a `web_server`, an `app_server` and a `database` together, one
finding per server. When several servers are identical copies (the same components of
the same software), the message says so.

## Why is this bad?

The three tiers compete for the same CPU, memory and disk: a burst of page views slows
the database, and a heavy query slows page views. They cannot be sized or scaled apart:
to add database capacity you must add web servers too, and identical copies of a
database server are not a database cluster (each copy still needs one primary to write
to).

## Example

```yaml
servers:
  web-01:
    components:
      - { kind: web_server }
      - { kind: app_server }
      - { kind: database }
```

Use instead: the database on servers of its own, then the application servers, each
tier behind what feeds it, so that each can be sized and scaled on its own.
"#,
    security: None,
    fix: None,
    check,
};

/// What makes two servers copies of each other: their components' kinds and software.
fn shape(design: &Design, server: ServerId) -> Vec<(ComponentKind, Option<&str>)> {
    let mut shape: Vec<_> = design
        .components_of(server)
        .map(|c| (c.kind, c.software.as_deref()))
        .collect();
    shape.sort();
    shape
}

fn check(context: &Context<'_>, out: &mut Emitter) {
    let design = context.design;
    let colocated: Vec<ServerId> = design
        .servers
        .iter()
        .filter(|s| {
            let has = |kind| design.components_of(s.id).any(|c| c.kind == kind);
            has(ComponentKind::WebServer)
                && has(ComponentKind::AppServer)
                && has(ComponentKind::Database)
        })
        .map(|s| s.id)
        .collect();
    // Copies are found by grouping on shape once, not by comparing every pair.
    let mut by_shape: HashMap<Vec<(ComponentKind, Option<&str>)>, Vec<ServerId>> = HashMap::new();
    for &server in &colocated {
        by_shape
            .entry(shape(design, server))
            .or_default()
            .push(server);
    }
    for &server in &colocated {
        let name = &design.server(server).name.value;
        let copies: Vec<String> = by_shape[&shape(design, server)]
            .iter()
            .filter(|&&other| other != server)
            .map(|&other| format!("`{}`", design.server(other).name.value))
            .collect();
        let mut message = format!(
            "`{name}` runs a web server, an application server and a database together: they compete for CPU, memory and disk and cannot be scaled apart"
        );
        match copies.len() {
            0 => {}
            1 => message.push_str(&format!("; {} is an identical copy of it", copies[0])),
            _ => message.push_str(&format!(
                "; {} are identical copies of it",
                and_list(&copies)
            )),
        }
        out.on_server(
            design,
            server,
            message,
            "move the database to servers of its own, then the application servers, so that each tier can be sized and scaled on its own",
        );
    }
}
