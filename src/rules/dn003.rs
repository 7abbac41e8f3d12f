//! DN003 single-nameserver: see the `doc`.

use super::{Context, Emitter, Rule, Target};
use crate::diagnostic::Severity;

pub(super) const RULE: Rule = Rule {
    code: "DN003",
    name: "single-nameserver",
    severity: Severity::Warning,
    summary: "the domain lists exactly one name server",
    doc: r#"
## What it does

Finds a `dns.nameservers` list with exactly one name server.

## Why is this bad?

Every visit starts with a DNS lookup. When the only name server is down or
unreachable, the site's name stops resolving once caches expire, however many web
servers stand behind it. Registries ask for two name servers or more for this reason.

## Example

```yaml
dns:
  nameservers: [ns1.foobar.com]
```

Use instead:

```yaml
dns:
  nameservers: [ns1.foobar.com, ns2.foobar.com]
```

preferably on different networks, or a DNS provider's set of name servers.
"#,
    security: None,
    fix: None,
    check,
};

fn check(context: &Context<'_>, out: &mut Emitter) {
    let design = context.design;
    let [only] = design.nameservers.as_slice() else {
        return;
    };
    let domain = design
        .domain
        .as_ref()
        .map_or("the domain".to_string(), |d| d.value.clone());
    out.emit(
        Target::Domain(domain.clone()),
        design.nameservers_span.unwrap_or(only.span),
        format!(
            "`{domain}` has a single name server, `{}`: when it is down, the site's name stops resolving",
            only.value
        ),
        "list two name servers or more, on different networks",
    );
}
