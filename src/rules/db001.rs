//! DB001 orphan-replica: see the `doc`.

use super::{Context, Emitter, Rule};
use crate::diagnostic::Severity;
use crate::graph::Node;
use crate::model::{ComponentKind, Purpose, Role};

pub(super) const RULE: Rule = Rule {
    code: "DB001",
    name: "orphan-replica",
    severity: Severity::Error,
    summary: "a replica database receives no replication flow from a database",
    doc: r#"
## What it does

Finds `replica` databases that no flow with `purpose: replication` from another
database reaches.

## Why is this bad?

A replica is a copy kept up to date by replication from the primary. Without it, the
replica's data goes stale from the moment it is created: reads served from it are
wrong, and promoting it after a failure loses every change since.

## Example

```yaml
servers:
  db-02: { components: [{ kind: database, role: replica }] }
```

Use instead:

```yaml
flows:
  - { from: db-01/database, to: db-02/database, protocol: mysql, purpose: replication }
```
"#,
    security: None,
    fix: None,
    check,
};

fn check(context: &Context<'_>, out: &mut Emitter) {
    let design = context.design;
    for replica in &design.components {
        if replica.kind != ComponentKind::Database || replica.role != Some(Role::Replica) {
            continue;
        }
        let fed = context.graph.incoming(replica.id).any(|(flow, from)| {
            design.flow(flow).purpose == Some(Purpose::Replication)
                && matches!(from, Node::Component(c) if design.component(c).kind == ComponentKind::Database)
        });
        if fed {
            continue;
        }
        let target = design.component_target(replica.id);
        out.on_component(
            design,
            replica.id,
            format!("`{target}` is a replica that receives no replication flow: its data goes stale"),
            format!(
                "add a flow from the primary: `{{ from: PRIMARY/database, to: {target}, protocol: mysql, purpose: replication }}`"
            ),
        );
    }
}
