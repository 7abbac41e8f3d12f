//! A diagram's scene as a Mermaid flowchart (`flowchart TB`), which GitHub and GitLab
//! draw inline in markdown: clusters and zones as subgraphs (see `diagram::groups`; a
//! cluster's subgraph holds a box of its own that says what it is and that flows reach),
//! flows as labelled arrows, each kind in the SVG's stroke (`linkStyle`), findings as
//! badges in the boxes and listed in a box of their own, single points of failure
//! outlined in red, failover and quorum clusters and workers outlined in the SVG's colours.
//!
//! Text from the design goes inside quoted labels, with Mermaid's entity codes for what
//! would end the label or be read as markup (`"`, `<`, `>`, `&`, `#`, and `%`, which
//! could open a `%%{init}%%` directive), so that a name can neither break the chart, nor
//! configure it, nor inject HTML into the page that draws it.

use std::fmt::Write;

use crate::diagram::groups::Groups;
use crate::diagram::scene::WORKER_COLOUR;
use crate::diagram::{Guard, LinkStyle, Scene, Shape, ShapeKind};

/// Design text as the inside of a quoted Mermaid label.
fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '#' => out.push_str("#35;"),
            // `%%` starts a comment, and `%%{init: ...}%%` a directive that Mermaid reads
            // anywhere in the text, inside a label too: themes, CSS, remote URLs.
            '%' => out.push_str("#37;"),
            '\n' | '\r' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

fn node(out: &mut String, indent: &str, index: usize, shape: &Shape) {
    let label = shape
        .label_lines()
        .iter()
        .map(|l| text(l))
        .collect::<Vec<_>>()
        .join("<br/>");
    let (open, close) = match shape.kind {
        ShapeKind::User => ("([", "])"),
        ShapeKind::Dns => ("{{", "}}"),
        ShapeKind::External => ("[/", "/]"),
        ShapeKind::Server | ShapeKind::Cluster => ("[", "]"),
    };
    let _ = writeln!(out, "{indent}s{index}{open}\"{label}\"{close}");
}

pub fn render(scene: &Scene) -> String {
    let groups = Groups::of(scene);
    // The title is YAML front matter, not a label: Mermaid shows entity codes there as
    // written, so a quote stays a quote; in a single-quoted scalar only `'` is special.
    let mut out = format!(
        "---\ntitle: '{}'\n---\nflowchart TB\n",
        text(&scene.title)
            .replace("#quot;", "\"")
            .replace('\'', "''")
    );
    for &index in &groups.top {
        node(&mut out, "  ", index, &scene.shapes[index]);
    }
    // Each zone its own id, numbered: `a-b` and `a.b` both make `a_b`, and one subgraph
    // of both would draw servers of two failure domains as one.
    for (number, (name, shapes)) in groups.zones.iter().enumerate() {
        let _ = writeln!(
            out,
            "  subgraph zone_{}_{number}[\"zone {}\"]",
            ident(name),
            text(name)
        );
        for &index in shapes {
            node(&mut out, "    ", index, &scene.shapes[index]);
        }
        out.push_str("  end\n");
    }
    // A cluster is a subgraph `cN` around a node of its own, `sN`, that says what the
    // title would (Mermaid keeps one line's room for a subgraph's title, and draws a
    // longer one behind the members' boxes) and that flows to the cluster reach (Mermaid
    // places the labels of links into a subgraph on the boxes beside it).
    for (cluster, members) in &groups.clusters {
        let title: Vec<String> = scene
            .cluster_title(*cluster, members)
            .iter()
            .map(|t| text(t))
            .collect();
        let _ = writeln!(out, "  subgraph c{cluster}[\" \"]");
        let _ = writeln!(out, "    s{cluster}[\"{}\"]", title.join("<br/>"));
        for &index in members {
            node(&mut out, "    ", index, &scene.shapes[index]);
        }
        out.push_str("  end\n");
    }
    links(&mut out, scene);
    let alarms: Vec<String> = scene
        .shapes
        .iter()
        .enumerate()
        .filter(|(_, s)| s.alarm)
        .map(|(i, _)| format!("s{i}"))
        .collect();
    if !alarms.is_empty() {
        out.push_str("  classDef spof stroke:#c62828,stroke-width:3px\n");
        let _ = writeln!(out, "  class {} spof", alarms.join(","));
    }
    let down: Vec<String> = scene
        .shapes
        .iter()
        .enumerate()
        .filter(|(_, s)| s.down)
        .map(|(i, _)| format!("s{i}"))
        .collect();
    if !down.is_empty() {
        out.push_str(
            "  classDef down fill:#eeeeee,stroke:#9e9e9e,stroke-dasharray:6 4,color:#9e9e9e\n",
        );
        let _ = writeln!(out, "  class {} down", down.join(","));
    }
    // Failover and quorum clusters outlined as in the SVG (Mermaid draws one border: a
    // failover cluster's is wide), workers in their bar's colour.
    for (cluster, _) in &groups.clusters {
        let guard = scene.shapes[*cluster].guard;
        if guard != Guard::default() {
            let (colour, width, double) = guard.outline();
            let width = if double { width + 2.0 } else { width };
            let _ = writeln!(
                out,
                "  style c{cluster} stroke:{colour},stroke-width:{width}px"
            );
        }
    }
    let workers: Vec<String> = scene
        .shapes
        .iter()
        .enumerate()
        .filter(|(_, s)| s.worker && !s.alarm)
        .map(|(i, _)| format!("s{i}"))
        .collect();
    if !workers.is_empty() {
        let _ = writeln!(
            out,
            "  classDef worker stroke:{WORKER_COLOUR},stroke-width:3px"
        );
        let _ = writeln!(out, "  class {} worker", workers.join(","));
    }
    findings(&mut out, scene);
    out
}

/// The flows, then each kind of flow in its own stroke, as in the SVG (`linkStyle`
/// numbers the links in the order written).
fn links(out: &mut String, scene: &Scene) {
    let mut by_style: Vec<(LinkStyle, Vec<usize>)> = Vec::new();
    let mut optional: Vec<String> = Vec::new();
    let mut from_said = std::collections::HashSet::new();
    let mut to_said = std::collections::HashSet::new();
    for (number, link) in scene
        .links
        .iter()
        .filter(|l| l.style != LinkStyle::Member)
        .enumerate()
    {
        let arrow = match link.style {
            LinkStyle::Encrypted => "==>",
            _ => "-.->",
        };
        // A label said once for the links of one kind that leave one box, and once for
        // those that reach one (as the SVG's trunks are): Mermaid puts each label at the
        // middle of its line, and the labels of lines that cross there overlap.
        let said = !from_said.insert((link.from, link.style, &link.label))
            | !to_said.insert((link.to, link.style, &link.label));
        let label = if link.label.is_empty() || said {
            String::new()
        } else {
            format!("|\"{}\"|", text(&link.label))
        };
        let _ = writeln!(out, "  s{} {arrow}{label} s{}", link.from, link.to);
        match by_style.iter_mut().find(|(style, _)| *style == link.style) {
            Some((_, numbers)) => numbers.push(number),
            None => by_style.push((link.style, vec![number])),
        }
        if link.optional {
            optional.push(number.to_string());
        }
    }
    for (style, numbers) in &by_style {
        let stroke = style.stroke();
        let numbers: Vec<String> = numbers.iter().map(usize::to_string).collect();
        let _ = write!(
            out,
            "  linkStyle {} stroke:{},stroke-width:{}px",
            numbers.join(","),
            stroke.colour,
            stroke.width
        );
        if !stroke.dash.is_empty() {
            let _ = write!(out, ",stroke-dasharray:{}", stroke.dashes(" "));
        }
        out.push('\n');
    }
    // Optional flows faded, as in the SVG (a later linkStyle adds to the earlier).
    if !optional.is_empty() {
        let _ = writeln!(
            out,
            "  linkStyle {} stroke-opacity:0.45",
            optional.join(",")
        );
    }
}

/// The findings, numbered as the badges in the boxes, in a box of their own: a comment
/// would be invisible.
fn findings(out: &mut String, scene: &Scene) {
    if let Some(notes) = scene.notes.as_ref().filter(|n| !n.is_empty()) {
        let lines: Vec<String> = notes
            .iter()
            .map(|note| {
                text(&format!(
                    "{}. {} {}{}: {}",
                    note.number,
                    note.code,
                    note.severity.as_str(),
                    if note.accepted { " (accepted)" } else { "" },
                    note.message
                ))
            })
            .collect();
        let _ = writeln!(out, "  findings[\"Findings<br/>{}\"]", lines.join("<br/>"));
        out.push_str("  classDef note fill:#fffde7,stroke:#f9a825,text-align:left\n");
        out.push_str("  class findings note\n");
    }
}

/// A zone name as part of a subgraph id: letters, digits and `_` only.
fn ident(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn design_text_cannot_end_a_label_or_inject_markup() {
        assert_eq!(
            text("a\"] --> x[\"<script>&#"),
            "a#quot;] --#gt; x[#quot;#lt;script#gt;#amp;#35;"
        );
        assert!(!text("line\nbreak").contains('\n'));
        // Issue 23, case 5: no directive survives in a label.
        let directive = text("%%{init: {'theme': 'dark', 'themeCSS': 'url(http://x)'}}%%");
        assert!(!directive.contains('%'), "{directive}");
    }
}
