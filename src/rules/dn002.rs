//! DN002 dangling-record: see the `doc`.

use std::net::IpAddr;

use super::{Context, Emitter, Rule, Target};
use crate::diagnostic::Severity;
use crate::model::RecordType;

pub(super) const RULE: Rule = Rule {
    code: "DN002",
    name: "dangling-record",
    severity: Severity::Warning,
    summary: "an A or AAAA record points at an address no server or cluster has",
    doc: r#"
## What it does

Finds `A` and `AAAA` records whose address is neither a server's `ip` nor a cluster's
`virtual_ip`.

## Why is this bad?

The name resolves to a machine the design does not have: an old server's address left
behind, a typo, or someone else's machine. At best requests fail; at worst, when a
cloud address is released and handed to another customer, they serve that customer's
content under your name.

## Example

```yaml
dns:
  records:
    - { name: api, type: A, value: 203.0.113.9 }   # no server has this address
```

Use instead: give the server that should answer the name this address, or remove the
record.
"#,
    security: None,
    fix: None,
    check,
};

fn check(context: &Context<'_>, out: &mut Emitter) {
    let design = context.design;
    let known: Vec<IpAddr> = design
        .servers
        .iter()
        .filter_map(|s| s.ip.as_ref().map(|ip| ip.value))
        .chain(
            design
                .clusters
                .iter()
                .filter_map(|c| c.virtual_ip.as_ref().map(|ip| ip.value)),
        )
        .collect();
    let mut known = known;
    known.sort();
    for record in &design.records {
        if !matches!(record.record_type, RecordType::A | RecordType::Aaaa) {
            continue;
        }
        let Ok(address) = record.value.value.parse::<IpAddr>() else {
            continue;
        };
        if known.binary_search(&address).is_ok() {
            continue;
        }
        out.emit(
            Target::Record {
                id: record.id,
                name: record.host.clone(),
            },
            record.span,
            format!(
                "`{}` points at {address}, an address that no server or cluster in the design has",
                record.host
            ),
            "give the server that should answer it this `ip`, or remove the record",
        );
    }
}
