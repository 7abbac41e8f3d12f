//! SE002 plaintext-user-traffic: see the `doc`.

use super::{Context, Emitter, Rule, Target};
use crate::diagnostic::{Applicability, Edit, Fix, Severity};
use crate::model::{Design, EndpointTarget, Flow, Network, Protocol};

pub(super) const RULE: Rule = Rule {
    code: "SE002",
    name: "plaintext-user-traffic",
    severity: Severity::Error,
    summary: "a flow from users uses a plaintext protocol",
    doc: r#"
## What it does

Finds flows from `user` whose protocol is not encrypted (`http`, `tcp`, ...): `https`,
`tls`, the `+tls` protocols and `ssh` are encrypted. Flows from a client of `clients:`
are judged too: an error from a client on the internet, a warning from one on the
private network, the finding's target naming the client.

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
    security: Some(7.5),
    fix: Some((
        Applicability::Safe,
        "makes an http flow https (and port 80 443) where every server it reaches holds a certificate for the host it names",
    )),
    check,
};

fn check(context: &Context<'_>, out: &mut Emitter) {
    let design = context.design;
    for (index, flow) in design.flows() {
        if flow.protocol.is_encrypted() || flow.purpose.is_some() {
            continue;
        }
        let (who, severity, across) = match flow.from.target {
            EndpointTarget::User => ("users reach".to_string(), Severity::Error, "the internet"),
            EndpointTarget::Client(id) => {
                let client = &design.clients[id.index()];
                let (severity, across) = match client.network {
                    Network::Internet => (Severity::Error, "the internet"),
                    Network::Private => (Severity::Warning, "the private network"),
                };
                (
                    format!("client `{}` reaches", client.name.value),
                    severity,
                    across,
                )
            }
            _ => continue,
        };
        let what = if flow.from.target == EndpointTarget::User {
            "passwords and cookies"
        } else {
            "credentials and data"
        };
        let emitted = out.emit_at(
            severity,
            Target::flow(design, index),
            flow.span,
            format!(
                "{who} `{}` over plaintext {}: {what} cross {across} readable",
                flow.to.written, flow.protocol
            ),
            format!(
                "serve `{}` over https, with a certificate for it",
                flow.to.written
            ),
        );
        if let Some(fix) = to_https(design, flow) {
            emitted.fix(fix);
        }
    }
}

/// An http flow made https where every component it reaches holds a certificate for the
/// host it names: nothing else has to change for TLS to work.
fn to_https(design: &Design, flow: &Flow) -> Option<Fix> {
    let EndpointTarget::Components { components, .. } = &flow.to.target else {
        return None;
    };
    let certified = components.iter().all(|&c| {
        design
            .component(c)
            .certificate
            .as_ref()
            .is_some_and(|certificate| certificate.covers(&flow.to.written))
    });
    if flow.protocol != Protocol::Http || components.is_empty() || !certified {
        return None;
    }
    let mut edits = vec![Edit {
        span: flow.protocol_span,
        text: "https".into(),
    }];
    if let (Some(80), Some(span)) = (flow.port, flow.port_span) {
        edits.push(Edit {
            span,
            text: "443".into(),
        });
    }
    Some(Fix {
        title: format!("Serve `{}` over https", flow.to.written),
        edits,
        applicability: Applicability::Safe,
    })
}
