//! DN001 cname-to-address: see the `doc`.

use std::net::IpAddr;

use super::{Context, Emitter, Rule, Target};
use crate::diagnostic::{Applicability, Fix, Severity};
use crate::model::RecordType;

pub(super) const RULE: Rule = Rule {
    code: "DN001",
    name: "cname-to-address",
    severity: Severity::Error,
    summary: "a CNAME record's value is an IP address",
    doc: r#"
## What it does

Finds `CNAME` records whose value is an IP address. The design is still analysed: the
record is followed as if it were an `A` record.

## Why is this bad?

A CNAME says "this name is an alias of that name": its value must be another host
name. DNS servers either refuse a CNAME to an address or serve something no resolver
can use, and the site's name stops resolving. A `www` record that points at the
server's address is an `A` record.

## Example

```yaml
dns:
  records:
    - { name: www, type: CNAME, value: 8.8.8.8 }
```

Use instead:

```yaml
dns:
  records:
    - { name: www, type: A, value: 8.8.8.8 }
```
"#,
    security: None,
    fix: Some((
        Applicability::Safe,
        "makes the record an A (or AAAA) record",
    )),
    check,
};

fn check(context: &Context<'_>, out: &mut Emitter) {
    for record in &context.design.records {
        if record.record_type != RecordType::Cname {
            continue;
        }
        let Ok(address) = record.value.value.parse::<IpAddr>() else {
            continue;
        };
        let new_type = if address.is_ipv6() { "AAAA" } else { "A" };
        out.emit(
            Target::Record {
                id: record.id,
                name: record.host.clone(),
            },
            record.span,
            format!(
                "`{}` is a CNAME record whose value is an address, {}: a CNAME names another host",
                record.host, record.value.value
            ),
            "make it an A record (`type: A`), or point the CNAME at a host name",
        )
        .primary("a CNAME to an address")
        .fix(Fix::replace(
            format!("Make it an {new_type} record"),
            record.type_span,
            new_type,
            Applicability::Safe,
        ));
    }
}
