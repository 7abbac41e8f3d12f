//! SE007 certificate-expiry: see the `doc`.

use jiff::ToSpan;

use super::{Context, Emitter, Rule, Target};
use crate::diagnostic::Severity;

pub(super) const RULE: Rule = Rule {
    code: "SE007",
    name: "certificate-expiry",
    severity: Severity::Error,
    summary: "a certificate has expired (an error) or expires within 30 days (a warning)",
    doc: r#"
## What it does

Reads each certificate's `expires` date and compares it with today (in UTC), or with
the date given by `--today YYYY-MM-DD` for reproducible runs. A certificate is expired
the day after its `expires` date (an error), and expires soon from 30 days before that
date through the date itself (a warning).

## Why is this bad?

An expired certificate takes the site down as surely as a crashed server: browsers
refuse the connection. Renewal forgotten for a few days is one of the commonest
outages of well-run sites.

## Example

```yaml
certificate: { domains: [www.foobar.com], expires: 2024-01-31 }
```

Use instead: renew the certificate, and automate renewal (with ACME and Let's Encrypt,
or your provider's managed certificates) so that it never depends on a calendar.
"#,
    security: Some(5.3),
    fix: None,
    check,
};

fn check(context: &Context<'_>, out: &mut Emitter) {
    let design = context.design;
    let today = context.today;
    for component in &design.components {
        let Some(expires) = component
            .certificate
            .as_ref()
            .and_then(|c| c.expires.as_ref())
        else {
            continue;
        };
        let target = Target::component(design, component.id);
        let date = expires.value;
        let soon = date.checked_sub(30.days()).unwrap_or(date);
        let (severity, message, label) = if today > date {
            (
                Severity::Error,
                format!("the certificate of `{target}` expired on {date}"),
                "expired".to_string(),
            )
        } else if today >= soon {
            let days = (date - today).get_days();
            let when = match days {
                0 => "today".to_string(),
                1 => "tomorrow".to_string(),
                n => format!("in {n} days"),
            };
            (
                Severity::Warning,
                format!("the certificate of `{target}` expires on {date}, {when}"),
                format!("expires {when}"),
            )
        } else {
            continue;
        };
        out.emit_at(
            severity,
            target,
            expires.span,
            message,
            "renew it, and automate renewal (for example with ACME) so that it never depends on a calendar",
        )
        .primary(label);
    }
}
