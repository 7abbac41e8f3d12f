//! AV002 single-writer-database: see the `doc`.

use super::{Context, Emitter, Rule};
use crate::diagnostic::Severity;
use std::collections::HashMap;

use crate::model::{ComponentId, ComponentKind, Role};

pub(super) const RULE: Rule = Rule {
    code: "AV002",
    name: "single-writer-database",
    severity: Severity::Warning,
    summary: "the design has one database that accepts writes, and no failover for it",
    doc: r#"
## What it does

Finds each group of databases with exactly one `primary` whose server no cluster lists.
A group is the databases tied together by replication flows or by a cluster: two
unrelated databases (the shop's and the analytics') are judged apart, so a second
single writer does not hide behind the first. Any cluster counts as a failover
arrangement, with or without a virtual IP; `failover: automatic` says how the replica is
promoted, and then `cuts` and AV001 show what the failover itself depends on (its
coordinator).

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

Use instead automatic failover (MySQL Group Replication, Patroni for PostgreSQL, a
managed database), so that a replica is promoted when the primary fails, and send
writes to the cluster:

```yaml
servers:
  db-01: { components: [{ kind: database, role: primary }] }
  db-02: { components: [{ kind: database, role: replica }] }
clusters:
  - { name: db, members: [db-01, db-02], failover: automatic, coordinator: etcd }
```
"#,
    security: None,
    fix: None,
    check,
};

fn check(context: &Context<'_>, out: &mut Emitter) {
    let design = context.design;
    let databases: Vec<ComponentId> = design
        .components
        .iter()
        .filter(|c| c.kind == ComponentKind::Database)
        .map(|c| c.id)
        .collect();
    let group_of = design.database_groups();
    let mut primaries: HashMap<usize, Vec<ComponentId>> = HashMap::new();
    for &db in &databases {
        if design.component(db).role == Some(Role::Primary) {
            primaries.entry(group_of[db.index()]).or_default().push(db);
        }
    }
    // With one group of databases, "the only database" says it all.
    let only = if primaries.len() == 1 {
        "the only database"
    } else {
        "the only database of its group (tied by replication or a cluster)"
    };
    let mut single: Vec<ComponentId> = primaries
        .into_values()
        .filter_map(|list| match list.as_slice() {
            [one] => Some(*one),
            _ => None,
        })
        .collect();
    single.sort();
    for primary in single {
        let component = design.component(primary);
        if design
            .clusters
            .iter()
            .any(|c| c.members.contains(&component.server))
        {
            continue;
        }
        let server = &design.server(component.server).name.value;
        out.on_component(
            design,
            primary,
            format!(
                "`{}` is {only} that accepts writes: if `{server}` fails, writes stop until a replica is promoted by hand",
                design.component_target(primary)
            ),
            "set up automatic failover: a cluster of the primary and a replica with `failover: automatic`, or a database that elects a new primary",
        );
    }
}
