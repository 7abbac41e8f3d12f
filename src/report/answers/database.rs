//! The database: primary and replica, and what the application sees.

use super::*;

pub(super) fn databases(design: &Design, role: Role) -> Vec<&Component> {
    design
        .components
        .iter()
        .filter(|c| c.kind == ComponentKind::Database && c.role == Some(role))
        .collect()
}

pub(super) fn primary_replica(context: &Context<'_>) -> Option<String> {
    let design = context.design;
    let primaries = databases(design, Role::Primary);
    let replicas = databases(design, Role::Replica);
    if replicas.is_empty() {
        return Some(
            "This design has no replica: every database is a primary, and there is no \
             primary-replica cluster. In such a cluster, one primary (master) node accepts every \
             write and sends each change to one or more replica (slave) nodes, which apply it \
             and serve reads.\n"
                .to_string(),
        );
    }
    let mut out = String::from(
        "In a primary-replica (master-slave) cluster, one node, the **primary**, accepts every \
         write. It records each change in its log (MySQL's binary log) and sends it to the \
         **replicas**, which apply the changes in the same order and so hold a copy of the \
         data, usually a fraction of a second behind. Replicas serve reads; if the primary \
         fails, a replica can be promoted to take its place.\n\n",
    );
    let show = |list: &[&Component]| -> String {
        let names: Vec<String> = list
            .iter()
            .map(|c| format!("`{}` ({})", design.component_target(c.id), described(c)))
            .collect();
        and_join(&names)
    };
    let _ = write!(
        out,
        "Here the primary is {} and the {} {}.",
        show(&primaries),
        if replicas.len() == 1 {
            "replica is"
        } else {
            "replicas are"
        },
        show(&replicas)
    );
    let replication: Vec<String> = design
        .flows
        .iter()
        .filter(|f| f.purpose == Some(Purpose::Replication))
        .map(|f| format!("`{}`", f.target()))
        .collect();
    if replication.is_empty() {
        out.push_str(
            " No replication flow feeds the replica, so its data goes stale (finding DB001).\n",
        );
    } else {
        let _ = writeln!(out, " Replication runs along {}.", and_join(&replication));
    }
    out.push('\n');
    Some(out)
}

pub(super) fn primary_vs_replica(context: &Context<'_>) -> Option<String> {
    let design = context.design;
    if databases(design, Role::Replica).is_empty() {
        return None;
    }
    let mut writes = Vec::new();
    let mut reads = Vec::new();
    for flow in design.flows.iter().filter(|f| f.purpose.is_none()) {
        let EndpointTarget::Components { components, .. } = &flow.to.target else {
            continue;
        };
        for &c in components {
            let database = design.component(c);
            if database.kind != ComponentKind::Database {
                continue;
            }
            let line = format!("`{}` ({})", flow.target(), flow.access);
            match (database.role, flow.access) {
                (Some(Role::Replica), _) | (_, Access::Read) => reads.push(line),
                _ => writes.push(line),
            }
        }
    }
    writes.dedup();
    reads.dedup();
    let mut out = String::from(
        "For the application, the primary is the only node it may write to: inserts, updates \
         and deletes go there. A replica is read-only: the application sends it queries that \
         only read, and accepts that the data may be slightly behind.\n\n",
    );
    if !writes.is_empty() {
        let _ = writeln!(
            out,
            "In this design, the application writes through {}.",
            and_join(&writes)
        );
    }
    if !reads.is_empty() {
        let _ = writeln!(out, "It only reads through {}.", and_join(&reads));
    }
    out.push('\n');
    Some(out)
}
