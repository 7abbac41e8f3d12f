//! SE005 missing-certificate: see the `doc`.

use super::{Context, Emitter, Rule};
use crate::diagnostic::Severity;
use crate::model::{EndpointTarget, Via};

pub(super) const RULE: Rule = Rule {
    code: "SE005",
    name: "missing-certificate",
    severity: Severity::Error,
    summary: "an encrypted flow from users ends its TLS at a component with no certificate",
    doc: r#"
## What it does

Follows each encrypted flow from `user` to the component where its TLS ends (past
network firewalls) and reports that component when it has no `certificate`.

## Why is this bad?

TLS cannot start without a certificate: browsers refuse the connection, or show a
warning that teaches users to click through warnings. The design says "https" and the
site does not serve it.

## Example

```yaml
servers:
  lb-01:
    components:
      - { kind: load_balancer }
flows:
  - { from: user, to: www.foobar.com, protocol: https }
```

Use instead:

```yaml
servers:
  lb-01:
    components:
      - kind: load_balancer
        certificate: { domains: [www.foobar.com], expires: 2027-06-30 }
```
"#,
    security: Some(7.5),
    fix: None,
    check,
};

fn check(context: &Context<'_>, out: &mut Emitter) {
    let design = context.design;
    let mut reported = Vec::new();
    for (flow, end) in context.graph.user_tls_ends() {
        if design.component(end).certificate.is_some() || reported.contains(&end) {
            continue;
        }
        reported.push(end);
        let target = design.component_target(end);
        let to = &design.flow(flow).to;
        // Suggest the host name users type: the one the flow names, else one of the domain.
        let host = match (&to.target, &design.domain) {
            (
                EndpointTarget::Components {
                    via: Via::Host(_), ..
                },
                _,
            ) => to.written.to_string(),
            (_, Some(domain)) => format!("www.{}", domain.value),
            (_, None) => "www.example.com".to_string(),
        };
        out.on_component(
            design,
            end,
            format!(
                "TLS from users to `{}` ends at `{target}`, which has no certificate",
                to.written
            ),
            format!("give it `certificate: {{ domains: [{host}], expires: YYYY-MM-DD }}`"),
        )
        .label(design.flow(flow).span, "the encrypted flow from users");
    }
}
