//! AV002 single-writer-database: see the `doc`.

use super::{Context, Emitter, Rule};
use crate::diagnostic::Severity;
use crate::model::{ComponentKind, Role};

pub(super) const RULE: Rule = Rule {
    code: "AV002",
    name: "single-writer-database",
    severity: Severity::Warning,
    summary: "the design has one database that accepts writes, and no failover for it",
    doc: r#"
## What it does

Finds a design with exactly one `primary` database whose server no cluster lists. Any
cluster counts as a failover arrangement, with or without a virtual IP.

## Why is this bad?

Replicas keep the site readable when the primary's server fails, but every write
(a sign-up, an order, a comment) needs the primary. Until someone promotes a replica by
hand and points the application at it, writes fail.

## Example

```yaml
servers:
  db-01: { components: [{ kind: database, role: primary }] }
  db-02: { components: [{ kind: database, role: replica }] }
```

Use instead:

```yaml
clusters:
  - { name: db-cluster, members: [db-01, db-02], mode: active-passive }
```

with automatic failover (MySQL Group Replication, Patroni for PostgreSQL, a managed
database), so that a replica is promoted when the primary fails.
"#,
    check,
};

fn check(context: &Context<'_>, out: &mut Emitter) {
    let design = context.design;
    let primaries: Vec<_> = design
        .components
        .iter()
        .filter(|c| c.kind == ComponentKind::Database && c.role == Some(Role::Primary))
        .collect();
    let [primary] = primaries.as_slice() else {
        return;
    };
    if design
        .clusters
        .iter()
        .any(|c| c.members.contains(&primary.server))
    {
        return;
    }
    let server = &design.server(primary.server).name.value;
    out.on_component(
        design,
        primary.id,
        format!(
            "`{}` is the only database that accepts writes: if `{server}` fails, writes stop until a replica is promoted by hand",
            design.component_target(primary.id)
        ),
        "set up automatic failover: cluster the primary with a replica that can be promoted, or use a database that elects a new primary",
    );
}
