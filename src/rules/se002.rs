//! SE002 plaintext-user-traffic: see the `doc`.

use super::{Context, Emitter, Rule, Target};
use crate::diagnostic::Severity;
use crate::model::EndpointTarget;

pub(super) const RULE: Rule = Rule {
    code: "SE002",
    name: "plaintext-user-traffic",
    severity: Severity::Error,
    summary: "a flow from users uses a plaintext protocol",
    doc: r#"
## What it does

Finds flows from `user` whose protocol is not encrypted (`http`, `tcp`, ...). `https`,
`tls`, `mysql+tls` and `postgres+tls` are encrypted.

## Why is this bad?

Users' requests cross networks you do not control: a café's Wi-Fi, their provider, the
internet's routers. In plaintext, anyone on the way can read passwords and session
cookies, and change the pages on their way back.

## Example

```yaml
flows:
  - { from: user, to: www.foobar.com, protocol: http }
```

Use instead:

```yaml
flows:
  - { from: user, to: www.foobar.com, protocol: https, port: 443 }
```

and a `certificate` for `www.foobar.com` where the TLS ends.
"#,
    check,
};

fn check(context: &Context<'_>, out: &mut Emitter) {
    for (index, flow) in context.design.flows() {
        if flow.from.target != EndpointTarget::User || flow.protocol.is_encrypted() {
            continue;
        }
        out.emit(
            Target::flow(context.design, index),
            flow.span,
            format!(
                "users reach `{}` over plaintext {}: passwords and cookies cross the internet readable",
                flow.to.written, flow.protocol
            ),
            format!("serve `{}` over https, with a certificate for it", flow.to.written),
        );
    }
}
