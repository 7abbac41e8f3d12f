//! What an answer report says, as markdown. Every statement about the design is derived
//! from it (general knowledge, such as what a server is, is shared text; what this design
//! does never is). How it is rendered (HTML, files) is `pages::html` and `lib.rs`.
//!
//! A profile's `explain:` points are answered by id (`answer`); the general sections
//! reuse the same answers, so the report and the exercise section never disagree.

mod answers;
pub mod class;

use std::fmt::Write;

use crate::graph::Graph;
use percent_encoding::utf8_percent_encode;

use crate::model::{Design, Explain};
use crate::profile::Profile;
use crate::rules::Finding;

use answers::answer;

/// What a report is written from.
pub struct Input<'a> {
    pub design: &'a Design,
    pub findings: &'a [Finding],
    pub profile: Option<&'a Profile>,
    /// The diagram's file name, linked from the markdown; `None` leaves it out (HTML
    /// inlines the picture instead).
    pub diagram: Option<&'a str>,
}

pub(crate) struct Context<'a> {
    pub design: &'a Design,
    pub graph: Graph<'a>,
    pub findings: &'a [Finding],
}

/// The whole report, as markdown.
pub fn markdown(input: &Input<'_>) -> String {
    let design = input.design;
    let context = Context {
        design,
        graph: Graph::build(design),
        findings: input.findings,
    };
    let mut out = format!("# {}\n\n", md(&design.name.value));
    let mut facts = Vec::new();
    if let Some(author) = &design.author {
        facts.push(format!("**Author:** {}", md(author)));
    }
    if let Some(profile) = input.profile {
        facts.push(format!(
            "**Exercise:** {} (`{}`)",
            md(&profile.title),
            profile.name
        ));
    }
    facts.push(format!(
        "**Servers:** {}, **components:** {}, **findings:** {}",
        design.servers.len(),
        design.components.len(),
        summary(input.findings)
    ));
    out.push_str(&facts.join("  \n"));
    out.push_str("\n\n");
    if let Some(description) = &design.description {
        let _ = writeln!(out, "{}\n", md(description.trim()));
    }
    if let Some(file) = input.diagram {
        let _ = writeln!(
            out,
            "![The whiteboard diagram of {}]({})\n",
            md(&design.name.value),
            relative_href(file)
        );
    }

    out.push_str("## From the browser to the data\n\n");
    out.push_str(&answers::walkthrough(&context));
    out.push_str("\n## Servers and components\n\n");
    out.push_str(&answer(Explain::Server, &context).unwrap_or_default());
    out.push_str(&answers::servers(&context));
    // Where each point is answered, so that the exercise's questions refer to it
    // instead of saying it again.
    let mut answered = vec![
        (Explain::Server, "Servers and components"),
        (Explain::Issues, "Issues"),
    ];
    for (title, id) in [
        ("Load balancing", Explain::Algorithm),
        ("Active-active or active-passive", Explain::ClusterMode),
        ("The database: primary and replica", Explain::PrimaryReplica),
        ("What the application sees", Explain::PrimaryVsReplica),
        ("Firewalls", Explain::Firewalls),
        ("HTTPS and certificates", Explain::Https),
        ("Monitoring", Explain::Monitoring),
        (
            "How the monitoring data is collected",
            Explain::MonitoringCollection,
        ),
        ("Monitoring the web server's QPS", Explain::Qps),
    ] {
        if let Some(text) = answer(id, &context) {
            let _ = write!(out, "\n## {title}\n\n{text}");
            answered.push((id, title));
        }
    }
    out.push_str("\n## What if\n\n");
    out.push_str(&answers::what_if(&context));
    out.push_str("\n## Issues\n\n");
    out.push_str(&answers::issues(&context));

    if let Some(profile) = input.profile {
        let _ = write!(out, "\n## The exercise: {}\n\n", md(&profile.title));
        out.push_str("### Requirements\n\n");
        for requirement in &profile.requirements {
            let outcome = requirement.check(design);
            // An icon and words, not a checkbox alone: met and unmet tell apart at a
            // glance, and without colour.
            let mark = if outcome.met {
                "✅ **Met:**"
            } else {
                "❌ **Not met:**"
            };
            let _ = writeln!(
                out,
                "- {mark} {} ({})",
                capitalise(&outcome.required.replacen("requires ", "", 1)),
                outcome.found
            );
        }
        for point in &profile.explain {
            let _ = write!(out, "\n### {}\n\n", point.question);
            if let Some((_, title)) = answered.iter().find(|(id, _)| *id == point.id) {
                let _ = writeln!(out, "Answered above, under “{title}”.");
                continue;
            }
            match answer(point.id, &context) {
                Some(text) => out.push_str(&text),
                None => out.push_str(&answers::not_in_design(point.id)),
            }
        }
    }
    out
}

/// "1 error, 3 warnings" or "none".
fn summary(findings: &[Finding]) -> String {
    let counts = crate::rules::Counts::of(findings);
    let mut parts = Vec::new();
    for (count, one, many) in [
        (counts.error, "error", "errors"),
        (counts.warning, "warning", "warnings"),
        (counts.info, "info", "info"),
    ] {
        if count > 0 {
            parts.push(crate::prose::plural(count, one, many));
        }
    }
    if counts.accepted > 0 {
        parts.push(format!("{} accepted", counts.accepted));
    }
    if parts.is_empty() {
        "none".to_string()
    } else {
        parts.join(", ")
    }
}

/// A page's relative address: `./` and each segment percent-encoded, so that a file named
/// `javascript:alert(1).html` is a file, never a URL scheme.
pub fn relative_href(page: &str) -> String {
    let segments: Vec<String> = page
        .split('/')
        .map(|segment| utf8_percent_encode(segment, crate::source::PATH_SEGMENT).to_string())
        .collect();
    format!("./{}", segments.join("/"))
}

pub(crate) fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Free text from a design (a name, a description, `why`, `software`, a reason) as
/// markdown that shows exactly that text: every character markdown or HTML would
/// interpret is backslash-escaped, and line breaks become spaces, so no design can add
/// a heading, a link, an image or markup to a report.
pub(crate) fn md(text: &str) -> String {
    let text = text.trim_start();
    let mut out = String::with_capacity(text.len() + 8);
    // What would start a block at the start of a line: a heading, a list item, a
    // setext underline, a quote (`>` is escaped below anyway).
    if text.starts_with(['#', '-', '+', '=']) {
        out.push('\\');
    }
    out.push_str(&md_inline(text));
    // A text starting with a number and a dot would be a numbered list item.
    if let Some(dot) = out.find(['.', ')'])
        && dot > 0
        && out[..dot].chars().all(|c| c.is_ascii_digit())
    {
        out.insert(dot, '\\');
    }
    out
}

/// Text inside a line of markdown: what markdown or HTML would act on escaped, line
/// breaks and tabs made spaces, and what a terminal would act on (controls, bidi
/// overrides) left out.
fn md_inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            c if crate::source::is_unsafe_for_terminal(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// A finding's text (message, help, note) for markdown: its `code spans` stay code (a
/// design's names, written by the rules), everything between them is escaped as
/// [`md`] escapes a design's words (a `software:` in a message could hold HTML or
/// markdown), and control characters go. Text with an odd number of backticks is
/// escaped whole.
pub(crate) fn md_message(text: &str) -> String {
    if text.matches('`').count() % 2 == 1 {
        return md_inline(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for (i, part) in text.split('`').enumerate() {
        if i % 2 == 1 {
            out.push('`');
            out.extend(
                part.chars()
                    .filter(|&c| {
                        !crate::source::is_unsafe_for_terminal(c) || matches!(c, '\n' | '\r' | '\t')
                    })
                    .map(|c| match c {
                        '\n' | '\r' | '\t' => ' ',
                        c => c,
                    }),
            );
            out.push('`');
        } else {
            out.push_str(&md_inline(part));
        }
    }
    out
}

/// The data an interactive report page evaluates when a server is clicked: the design's
/// structure function (`graph::Logic`), the servers' names and the shape each is drawn
/// in, as JSON. Plain data; the page's script does the rest.
pub fn what_if_data(design: &Design, scene: &crate::diagram::scene::Scene) -> String {
    let graph = Graph::build(design);
    let logic = graph.logic();
    let groups = |list: &[crate::graph::Group]| -> Vec<serde_json::Value> {
        list.iter()
            .map(|g| serde_json::json!({ "need": g.need, "of": g.of }))
            .collect()
    };
    let nodes: Vec<serde_json::Value> = logic
        .nodes
        .iter()
        .map(|n| {
            serde_json::json!({
                "server": n.server.map(|s| s.index()),
                "up": matches!(n.node, crate::graph::Node::Up(_)),
                "groups": groups(&n.groups),
                "conditions": groups(&n.conditions),
                "write_groups": groups(&n.write_groups),
                "write_conditions": groups(&n.write_conditions),
                "alone": n.serves_alone,
                "primary": n.primary,
            })
        })
        .collect();
    // Per server, the logic nodes of its front component (what requests reach; one copy
    // per request class that reaches it): the page shows a server stopped when none of
    // those that served with every server up still does. Empty for a server that has none
    // (only an agent).
    let mut component_nodes: Vec<Vec<usize>> = vec![Vec::new(); design.components.len()];
    for (n, node) in logic.nodes.iter().enumerate() {
        if let crate::graph::Node::Component(c) = node.node {
            component_nodes[c.index()].push(n);
        }
    }
    let front: Vec<&[usize]> = design
        .servers
        .iter()
        .map(|s| {
            design
                .front_component(s.id)
                .map_or(&[][..], |c| &component_nodes[c.index()][..])
        })
        .collect();
    serde_json::json!({
        "servers": design.servers.iter().map(|s| &s.name.value).collect::<Vec<_>>(),
        "front": front,
        "server_shape": scene.server_shape,
        "nodes": nodes,
        "order": logic.order,
        // The first request class (the default one) and its writes, then every other
        // outcome (request classes, jobs) by name.
        "targets": logic.outcomes[logic.requests()].targets,
        "write_targets": logic.writes().map(|w| logic.outcomes[w].targets.clone()).unwrap_or_default(),
        // How the first class is named: "requests", or "requests of git-ssh".
        "first": {
            "requests": logic.outcomes[logic.requests()].name(),
            "request": logic.outcomes[logic.requests()].one(),
            "writes": logic.outcomes[logic.requests()].name().replacen("requests", "writes", 1),
            "write": logic.outcomes[logic.requests()].one().replacen("request", "write", 1),
        },
        "others": logic
            .outcomes
            .iter()
            .enumerate()
            .filter(|&(i, _)| i != logic.requests() && Some(i) != logic.writes())
            .map(|(_, o)| serde_json::json!({
                "name": o.name(),
                "writes": o.aim == crate::graph::Aim::Writes,
                "targets": o.targets,
            }))
            .collect::<Vec<_>>(),
    })
    .to_string()
}

#[cfg(test)]
mod md_tests {
    use super::md;
    use crate::pages::html::markdown_to_html;

    #[test]
    fn design_text_stays_text() {
        for hostile in [
            "<script>alert(1)</script>",
            "[click](javascript:alert(1))",
            "![x](https://tracker.example/p.png)",
            "# Heading\n\n- list",
            "- item",
            "2) item",
            "**bold** `code` _em_",
            "1. not a list",
            "<img src=x onerror=alert(1)>",
            "a & b < c",
        ] {
            let html = markdown_to_html(&md(hostile));
            assert!(!html.contains("<script"), "{hostile}: {html}");
            assert!(!html.contains("<a "), "{hostile}: {html}");
            assert!(!html.contains("<img"), "{hostile}: {html}");
            assert!(!html.contains("<h1"), "{hostile}: {html}");
            assert!(!html.contains("<strong"), "{hostile}: {html}");
            assert!(!html.contains("<code"), "{hostile}: {html}");
            assert!(!html.contains("<ol"), "{hostile}: {html}");
            assert!(!html.contains("<li"), "{hostile}: {html}");
        }
        assert_eq!(
            markdown_to_html(&md("Nginx 1.25 & <b>")),
            "<p>Nginx 1.25 &amp; &lt;b&gt;</p>\n"
        );
    }
}
