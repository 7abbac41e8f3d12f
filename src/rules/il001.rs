//! IL001 unused-acceptance: see the `doc`.

use super::{Emitter, Rule, Target};
use crate::diagnostic::{Applicability, Fix, Severity};
use crate::model::Design;

pub(super) const RULE: Rule = Rule {
    code: "IL001",
    name: "unused-acceptance",
    severity: Severity::Warning,
    summary: "an `accept:` entry matches no finding",
    doc: r#"
## What it does

Finds `accept:` entries that match no finding: the rule no longer fires on that target,
or it never fired there (the target is another server, component or flow than the
finding's). An entry for a rule that `--select` or `--ignore` turned off is not
reported. A misspelt rule, or a target that names nothing in the design, is not left to
this rule: it is a design error, with the nearest name.

## Why is this bad?

An acceptance that matches nothing is dead text at best. At worst it was meant to
cover a finding and does not, because its target is written differently, and it will
silently cover a different finding later.

## Example

```yaml
accept:
  # AV001 is reported on lb-01, not on the web server behind it
  - { rule: AV001, target: web-01, reason: A second load balancer is budgeted. }
```

Use instead: write the target exactly as the finding shows it (`lb-01`), or remove the
entry once the finding is gone.
"#,
    security: None,
    fix: Some((
        Applicability::Safe,
        "removes the entry (and `accept:` with its last entry)",
    )),
    check: |_, _| {},
};

/// Reports the acceptances that `apply_acceptances` found unused.
pub(super) fn report(design: &Design, text: &str, unused: &[usize], out: &mut Emitter) {
    for &index in unused {
        let acceptance = &design.accepts[index];
        let written = match &acceptance.target {
            Some(target) => format!("{} {}", acceptance.rule.value, target.value),
            None => acceptance.rule.value.clone(),
        };
        let emitted = out.emit(
            Target::Acceptance {
                index,
                name: written.clone(),
            },
            acceptance.span,
            format!("the acceptance `{written}` matches no finding"),
            "remove it, or write its rule and target exactly as the finding shows them",
        );
        if let Some(edit) = super::accept::removal(design, text, index) {
            emitted.fix(Fix {
                title: "Remove the unused acceptance".into(),
                edits: vec![edit],
                applicability: Applicability::Safe,
            });
        }
    }
}
