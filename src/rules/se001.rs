//! SE001 missing-firewall: see the `doc`.

use super::{Context, Emitter, Rule};
use crate::diagnostic::Severity;

pub(super) const RULE: Rule = Rule {
    code: "SE001",
    name: "missing-firewall",
    severity: Severity::Error,
    summary: "a server is not guarded by a firewall (an error when it is internet-facing, a warning otherwise)",
    doc: r#"
## What it does

Finds servers that are not guarded. A server is guarded when it runs a `firewall`
component, or when traffic reaches it from other servers and all of it comes through
a network firewall (a server running only firewalls and monitoring agents). Flows
between components of the server itself do not count; flows from users count as
unguarded.

The finding is an error on an internet-facing server (a public address, `public: true`,
or the first hop of users' requests) and a warning on the others.

## Why is this bad?

Without a firewall every port the server listens on is open to whoever can reach it:
the database port, SSH, an admin console left on by a package. One forgotten service
is enough for an intrusion.

## Example

```yaml
servers:
  lb-01:
    ip: 8.8.8.8
    components:
      - { kind: load_balancer }
```

Use instead:

```yaml
servers:
  lb-01:
    ip: 8.8.8.8
    components:
      - { kind: firewall, allow: [443] }
      - { kind: load_balancer }
```
"#,
    security: Some(7.5),
    fix: None,
    check,
};

fn check(context: &Context<'_>, out: &mut Emitter) {
    let design = context.design;
    for server in &design.servers {
        if context.graph.is_guarded(server.id) {
            continue;
        }
        let name = &server.name.value;
        let (severity, message) = if context.graph.is_internet_facing(server.id) {
            (
                Severity::Error,
                format!(
                    "`{name}` is reachable from the internet and has no firewall: every port it listens on is open"
                ),
            )
        } else {
            (
                Severity::Warning,
                format!("`{name}` has no firewall and no network firewall in front of it"),
            )
        };
        out.on_server_at(
            severity,
            design,
            server.id,
            message,
            "add a `firewall` component that lets in only the ports the server serves, or put the server behind a network firewall",
        );
    }
}
