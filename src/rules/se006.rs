//! SE006 certificate-name-mismatch: see the `doc`.

use super::{Context, Emitter, Rule};
use crate::diagnostic::Severity;
use crate::model::Via;

pub(super) const RULE: Rule = Rule {
    code: "SE006",
    name: "certificate-name-mismatch",
    severity: Severity::Error,
    summary: "users reach a host name through a certificate that does not cover it",
    doc: r#"
## What it does

Follows each encrypted flow from `user` to a host name to the component where its TLS
ends, and reports that component when its certificate's `domains` do not cover the host
name. `*.foobar.com` covers one label (`www.foobar.com`, not `foobar.com` nor
`a.b.foobar.com`). A component with no certificate at all is left to SE005.

## Why is this bad?

Browsers check that the certificate names the host they asked for; when it does not,
they refuse the page with a full-screen warning. The site is down for every user who
does not click through, and those who do learn to ignore the warning.

## Example

```yaml
certificate: { domains: [foobar.com], expires: 2027-06-30 }
# users go to www.foobar.com
```

Use instead:

```yaml
certificate: { domains: [foobar.com, www.foobar.com], expires: 2027-06-30 }
```
"#,
    security: Some(7.5),
    fix: None,
    check,
};

fn check(context: &Context<'_>, out: &mut Emitter) {
    let design = context.design;
    let mut reported = Vec::new();
    for (index, end) in context.graph.user_tls_ends() {
        let flow = &design.flow(index);
        if !matches!(
            &flow.to.target,
            crate::model::EndpointTarget::Components {
                via: Via::Host(_),
                ..
            }
        ) {
            continue;
        }
        let Some(certificate) = &design.component(end).certificate else {
            continue;
        };
        let host = &flow.to.written;
        if certificate.covers(host) || reported.contains(&(end, host)) {
            continue;
        }
        reported.push((end, host));
        let target = design.component_target(end);
        let names: Vec<&str> = certificate
            .domains
            .iter()
            .map(|d| d.value.as_str())
            .collect();
        out.on_component(
            design,
            end,
            format!(
                "users reach `{host}` through `{target}`, whose certificate covers {}, not `{host}`",
                if names.is_empty() { "no name".to_string() } else { names.join(", ") }
            ),
            format!("add `{host}` to the certificate's `domains`"),
        )
        .label(certificate.span, "the certificate");
    }
}
