//! DB002 write-to-replica: see the `doc`.

use super::{Context, Emitter, Rule, Target};
use crate::diagnostic::{Applicability, Fix, Severity};
use crate::model::{ClusterId, Component, ComponentKind, Design, EndpointTarget, Role, Via};

pub(super) const RULE: Rule = Rule {
    code: "DB002",
    name: "write-to-replica",
    severity: Severity::Error,
    summary: "a flow that may write goes into a replica database",
    doc: r#"
## What it does

Finds flows into a `replica` database whose `access` allows writing (`write` or
`read-write`, the default). Replication flows are what keep a replica up to date and
are not counted, and neither are flows to a cluster with `failover: automatic` (its
name, virtual IP or host name): they reach its current primary, as AWS says to write
to Aurora's cluster endpoint.

## Why is this bad?

A replica is read-only: writes sent to it are rejected, or, where the database lets
them through, silently diverge from the primary and are lost at the next resync.

## Example

```yaml
flows:
  - { from: web-02/app_server, to: web-02/database, protocol: mysql }   # read-write by default
```

Use instead:

```yaml
flows:
  - { from: web-02/app_server, to: web-01/database, protocol: mysql, access: read-write }
  - { from: web-02/app_server, to: web-02/database, protocol: mysql, access: read }
```
"#,
    security: None,
    fix: Some((
        Applicability::Unsafe,
        "points the flow at the replica's failover cluster, else at the one primary of its service",
    )),
    check,
};

fn check(context: &Context<'_>, out: &mut Emitter) {
    let design = context.design;
    for (index, flow) in design.flows() {
        if flow.purpose.is_some() || !flow.access.allows_write() {
            continue;
        }
        let EndpointTarget::Components { components, via } = &flow.to.target else {
            continue;
        };
        // A write to a failover cluster's endpoint reaches its current primary.
        let failover = |id: &ClusterId| design.clusters[id.index()].failover.is_some();
        let to_endpoint = match via {
            Via::Cluster(id) => failover(id),
            Via::Host(route) => route.clusters.iter().any(failover),
            Via::Component | Via::Server => false,
        };
        if to_endpoint {
            continue;
        }
        let replica = components
            .iter()
            .map(|&c| design.component(c))
            .find(|c| c.kind == ComponentKind::Database && c.role == Some(Role::Replica));
        let Some(replica) = replica else { continue };
        let emitted = out.emit(
            Target::flow(design, index),
            flow.span,
            format!(
                "`{}` may write to `{}`, a read-only replica (access `{}`)",
                flow.target(),
                design.component_target(replica.id),
                flow.access
            ),
            "send writes to the primary, and mark flows to the replica `access: read`",
        );
        if let Some(writer) = writer_of(design, replica) {
            emitted.fix(Fix::replace(
                format!("Write to `{writer}`"),
                flow.to.span,
                writer,
                Applicability::Unsafe,
            ));
        }
    }
}

/// Where writes meant for a replica belong: the failover cluster it is a member of
/// (whose endpoint reaches the current primary), else the one primary of its service.
/// Unsafe: the flow may really be meant for reads.
fn writer_of(design: &Design, replica: &Component) -> Option<String> {
    let cluster = design
        .clusters
        .iter()
        .find(|cluster| cluster.failover.is_some() && cluster.members.contains(&replica.server));
    if let Some(cluster) = cluster {
        return Some(cluster.name.value.clone());
    }
    let mut primaries = design.components.iter().filter(|c| {
        c.kind == ComponentKind::Database
            && c.role == Some(Role::Primary)
            && c.service_name() == replica.service_name()
    });
    match (primaries.next(), primaries.next()) {
        (Some(primary), None) => Some(design.component_target(primary.id)),
        _ => None,
    }
}
