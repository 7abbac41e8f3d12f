//! EX001 requirement-not-met: see the `doc`.

use super::{Context, Emitter, Rule, Target};
use crate::diagnostic::Severity;
use crate::source::Span;

pub(super) const RULE: Rule = Rule {
    code: "EX001",
    name: "requirement-not-met",
    severity: Severity::Error,
    summary: "a requirement of the design's exercise profile is not met",
    doc: r#"
## What it does

Checks the design against its profile: the one it names with `exercise:`, or the one
given with `--profile NAME|FILE`. Each requirement that is not met is one finding whose
message says what is required and what was found ("requires at least 3 firewall
components, found 1"). Requirements count components by kind; `software` is free text
and never matched.

The four exercise profiles are built in, and their files are under `rules/profiles/`:
`0-simple_web_stack`, `1-distributed_web_infrastructure`,
`2-secured_and_monitored_web_infrastructure` and `3-scale_up`. A teacher can write a
profile file of their own in the same format and pass it with `--profile`.

## Why is this bad?

An exercise answer that lacks a required element does not answer the exercise, however
good the rest of it is.

## Example

```yaml
exercise: 2-secured_and_monitored_web_infrastructure
servers:
  lb-01:
    components:
      - { kind: firewall }
      - { kind: load_balancer }
  # web-01 and web-02 without firewalls
```

Use instead: a firewall on each of the three servers, as the exercise requires.
"#,
    security: None,
    fix: None,
    check,
};

fn check(context: &Context<'_>, out: &mut Emitter) {
    let Some(profile) = context.profile else {
        return;
    };
    let design = context.design;
    // Point at `exercise:` when the design names its profile, else at its name.
    let span: Span = design
        .exercise
        .as_ref()
        .filter(|e| e.value == profile.name)
        .map_or(design.name.span, |e| e.span);
    for requirement in &profile.requirements {
        let outcome = requirement.check(design);
        if outcome.met {
            continue;
        }
        out.emit(
            Target::Design(profile.name.clone()),
            span,
            format!("{}, {}", outcome.required, outcome.found),
            requirement.help(),
        );
    }
}
