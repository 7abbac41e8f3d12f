//! DB003 unrelated-alternatives: see the `doc`.

use super::{Context, Emitter, Rule, and_list};
use crate::diagnostic::Severity;
use crate::graph::Node;
use crate::model::{ComponentId, ComponentKind};

pub(super) const RULE: Rule = Rule {
    code: "DB003",
    name: "unrelated-alternatives",
    severity: Severity::Warning,
    summary: "a component takes databases that share no data as alternatives",
    doc: r#"
## What it does

Finds a component whose required flows reach databases of the default service (no
`service:`) that belong to different database groups: no replication flow and no
cluster ties them together. Targets of one service are alternatives ("When a request
completes" in `docs/design-format.md`), so the component is taken to work with either,
which two databases holding different data (the orders and the analytics) do not
allow.

## Why is this bad?

The failure analysis then believes that losing one of them is harmless, and misses the
single points of failure behind each: the answers are optimistic exactly where an
outage would hurt.

## Example

```yaml
servers:
  orders-db: { components: [{ kind: database }] }
  analytics-db: { components: [{ kind: database }] }
flows:
  - { from: app-01, to: [orders-db, analytics-db], protocol: postgres }
```

Use instead: name what each holds, so that the application needs both:

```yaml
servers:
  orders-db: { components: [{ kind: database, service: orders }] }
  analytics-db: { components: [{ kind: database, service: analytics }] }
```

or, when they do hold the same data, the replication flow or the cluster that keeps
them so.
"#,
    security: None,
    fix: None,
    check,
};

fn check(context: &Context<'_>, out: &mut Emitter) {
    let design = context.design;
    let graph = context.graph;
    let group_of = design.database_groups();
    for component in &design.components {
        for alternatives in graph.required_kinds(component.id) {
            // Databases of the default service, each with its group.
            let databases: Vec<ComponentId> = alternatives
                .iter()
                .filter_map(|node| match *node {
                    Node::Component(c) => Some(c),
                    _ => None,
                })
                .filter(|&c| {
                    let c = design.component(c);
                    c.kind == ComponentKind::Database && c.service.is_none()
                })
                .collect();
            let Some(&first) = databases.first() else {
                continue;
            };
            let apart: Vec<ComponentId> = databases
                .iter()
                .copied()
                .filter(|&c| group_of[c.index()] != group_of[first.index()])
                .collect();
            if apart.is_empty() {
                continue;
            }
            let names: Vec<String> = [first]
                .into_iter()
                .chain(apart.iter().copied())
                .map(|c| format!("`{}`", design.component_target(c)))
                .collect();
            out.on_component(
                design,
                component.id,
                format!(
                    "`{}` takes {} as alternatives, though no replication flow or cluster ties them: if they hold different data, it needs each",
                    design.component_target(component.id),
                    and_list(&names)
                ),
                "give each database the `service:` it provides (`service: orders`), or add the replication flow or cluster that keeps them the same",
            );
        }
    }
}
