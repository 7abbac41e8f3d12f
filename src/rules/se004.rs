//! SE004 exposed-database: see the `doc`.

use super::{Context, Emitter, Rule};
use crate::diagnostic::Severity;
use crate::model::ComponentKind;

/// MySQL, PostgreSQL, Redis, MongoDB.
const DATABASE_PORTS: [u16; 4] = [3306, 5432, 6379, 27017];

pub(super) const RULE: Rule = Rule {
    code: "SE004",
    name: "exposed-database",
    severity: Severity::Error,
    summary: "a database runs on an internet-facing server that is not guarded or lets a database port in",
    doc: r#"
## What it does

Finds `database` components on internet-facing servers (a public address,
`public: true`, or the first hop of users' requests) when the server is not guarded, or
has a firewall whose `allow` list includes a database port: 3306 (MySQL), 5432
(PostgreSQL), 6379 (Redis) or 27017 (MongoDB).

## Why is this bad?

Databases on the internet are found by scanners within hours and attacked by password
guessing and known exploits; a database holds exactly what an attacker wants.

## Example

```yaml
servers:
  server-01:
    ip: 8.8.8.8
    components:
      - { kind: firewall, allow: [80, 443, 3306] }
      - { kind: web_server }
      - { kind: database, software: MySQL }
```

Use instead: close the database port (`allow: [80, 443]`), and better, run the database
on a private address that only the application servers reach.
"#,
    security: Some(9.1),
    fix: None,
    check,
};

fn check(context: &Context<'_>, out: &mut Emitter) {
    let design = context.design;
    for database in design
        .components
        .iter()
        .filter(|c| c.kind == ComponentKind::Database)
    {
        let server = database.server;
        if !context.graph.is_internet_facing(server) {
            continue;
        }
        let open_port = design
            .components_of(server)
            .filter(|c| c.kind == ComponentKind::Firewall)
            .flat_map(|c| c.allow.iter().flatten())
            .find(|p| DATABASE_PORTS.contains(&p.value));
        let name = &design.server(server).name.value;
        let target = design.component_target(database.id);
        let cause = if let Some(port) = open_port {
            format!("its firewall lets port {} in", port.value)
        } else if !context.graph.is_guarded(server) {
            "no firewall guards it".to_string()
        } else {
            continue;
        };
        let emitted = out.on_component(
            design,
            database.id,
            format!("`{target}` runs on `{name}`, which is reachable from the internet, and {cause}"),
            "run the database on a private address, behind a firewall that lets in only the application servers",
        );
        if let Some(port) = open_port {
            emitted.label(port.span, "a database port");
        }
    }
}
