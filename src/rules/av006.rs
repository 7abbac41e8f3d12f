//! AV006 requests-never-complete: see the `doc`.

use super::{Context, Emitter, Rule, Target, class_list};
use crate::diagnostic::Severity;
use crate::graph::{Aim, DeadEnd, Node};
use crate::model::{ComponentKind, Design, ExternalKind};

pub(super) const RULE: Rule = Rule {
    code: "AV006",
    name: "requests-never-complete",
    severity: Severity::Error,
    summary: "no request of a class can complete, even with every server up",
    doc: r#"
## What it does

Finds a request class (the user's requests, or those of a `request:` class) of which no
request can complete in the design as written, with every server up, by the design
format's structure function ("When a request completes" in `docs/design-format.md`). It
names where requests first stop, walking down from the user through what does not serve:
each dependency that answers nothing of itself, once (a load balancer, proxy or network
firewall with no request flow onward, a web server with no flow to the application server
the design has, an application server with no flow to its database, an outside balancer
that forwards nowhere), with the classes it stops. When no flow from the user (or a
client) leads into the design at all, it says that, on the design's name.

`availability` says 0% for such a design, and `simulate` says where requests stop; this
rule makes `check` say it too, so a design that cannot serve a single request never
passes as nearly done.

## Why is this bad?

A site whose requests cannot complete serves nobody, however redundant its servers.
Usually a flow is missing: the balancer was drawn, but not what it balances.

## Example

```yaml
dns:
  records:
    - { name: www, type: A, value: 8.8.8.8 }
servers:
  lb-01: { ip: 8.8.8.8, components: [{ kind: load_balancer }] }
  web-01: { ip: 10.0.0.11, components: [{ kind: web_server }] }
flows:
  - { from: user, to: www.foobar.com, protocol: https }
```

`lb-01/load_balancer` forwards to nothing that answers: no request completes.

Use instead:

```yaml
flows:
  - { from: user, to: www.foobar.com, protocol: https }
  - { from: lb-01, to: web-01, protocol: http }
```
"#,
    security: None,
    fix: None,
    check,
};

fn check(context: &Context<'_>, out: &mut Emitter) {
    let (design, graph) = (context.design, context.graph);
    let outcomes = graph.outcomes();
    let classes = outcomes.iter().filter(|o| o.aim == Aim::Requests).count();
    // Per dead end, once, the classes it stops; the classes no flow leads into.
    let mut ends: Vec<(Node, DeadEnd, Vec<Option<&str>>)> = Vec::new();
    let mut unreached: Vec<Option<&str>> = Vec::new();
    for (i, outcome) in outcomes.iter().enumerate() {
        if outcome.aim != Aim::Requests || graph.completes(i) {
            continue;
        }
        let class = outcome.class.as_deref();
        if outcome.targets.is_empty() {
            unreached.push(class);
        }
        for (node, end) in graph.dead_ends(i) {
            match ends.iter_mut().find(|(n, ..)| *n == node) {
                Some((.., stopped)) => stopped.push(class),
                None => ends.push((node, end, vec![class])),
            }
        }
    }
    let requests = |stopped: &[Option<&str>]| -> String {
        if stopped.len() == classes {
            return "no request can complete".to_string();
        }
        format!(
            "no request of {} can complete",
            class_list(stopped.iter().copied())
        )
    };
    if !unreached.is_empty() {
        out.emit(
            Target::Design(design.name.value.clone()),
            design.name.span,
            format!(
                "{}: no request flow from the user or a client leads into the design",
                requests(&unreached)
            ),
            "add a flow from `user` to what users reach first, such as `- { from: user, to: www.foobar.com, protocol: https }` with a DNS record for the host",
        )
        .primary("the design");
    }
    for (node, end, stopped) in ends {
        let written = node.written(design);
        let (what, help) = match end {
            DeadEnd::Quorum(_, cluster) => (
                format!(
                    "cluster `{}` never has the quorum `{written}` needs",
                    design.clusters[cluster.index()].name.value
                ),
                "give the cluster as many voters as its `quorum:` asks for".to_string(),
            ),
            DeadEnd::ForwardsNowhere(_) => (
                format!("`{written}` forwards to nothing that answers"),
                onward(design, node, &written),
            ),
        };
        let message = format!("{}, even with every server up: {what}", requests(&stopped));
        let span = match node {
            Node::Component(c) => {
                out.on_component(design, c, message, help)
                    .primary("answers nothing");
                continue;
            }
            Node::External(e) => design.externals[e.index()].name.span,
            _ => design.name.span,
        };
        out.emit(
            Target::Design(design.name.value.clone()),
            span,
            message,
            help,
        )
        .primary("answers nothing");
    }
}

/// What the dead end lacks, in the help's words.
fn onward(design: &Design, node: Node, written: &str) -> String {
    let to = match node {
        Node::Component(c) => match design.component(c).kind {
            ComponentKind::LoadBalancer => "the servers it balances",
            ComponentKind::WebServer => "the application server it passes dynamic requests to",
            ComponentKind::AppServer => "the database it reads and writes",
            ComponentKind::Firewall => "what it guards",
            _ => "what answers its requests",
        },
        Node::External(e) if design.externals[e.index()].kind == ExternalKind::LoadBalancer => {
            "the servers it balances"
        }
        _ => "what answers its requests",
    };
    format!(
        "add a request flow from `{written}` to {to}, such as `- {{ from: {written}, to: TARGET, protocol: http }}`"
    )
}
