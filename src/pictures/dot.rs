//! A diagram's scene as Graphviz DOT, for people who lay out with Graphviz.

use std::fmt::Write;

use crate::diagram::{LinkStyle, Scene};
use crate::markup::{dot_escape as escape, dot_quote as quote};

pub fn render(scene: &Scene) -> String {
    let mut out = format!(
        "digraph {} {{\n  rankdir=TB;\n  node [shape=box, style=rounded, fontname=\"DejaVu Sans\"];\n  edge [fontname=\"DejaVu Sans\", fontsize=10];\n",
        quote(&scene.title)
    );
    for (i, shape) in scene.shapes.iter().enumerate() {
        let mut lines = vec![shape.title.clone()];
        lines.extend(shape.subtitle.clone());
        lines.extend(shape.lines.iter().map(|l| l.text.clone()));
        if !shape.badges.is_empty() {
            let badges: Vec<&str> = shape.badges.iter().map(|b| b.text.as_str()).collect();
            lines.push(badges.join("  "));
        }
        // DOT's own line break is the two characters `\n` inside a quoted string.
        let label: Vec<String> = lines.iter().map(|l| escape(l)).collect();
        let colour = if shape.alarm {
            ", color=\"#c62828\", penwidth=3"
        } else {
            ""
        };
        let _ = writeln!(out, "  n{i} [label=\"{}\"{colour}];", label.join("\\n"));
    }
    // Clusters and zones as Graphviz clusters: a cluster's box holds its own shape and its
    // members (so no line is drawn to each member), a zone's dashed box its servers.
    for (k, container) in crate::diagram::groups::containers(scene).iter().enumerate() {
        let names: Vec<String> = container.members.iter().map(|m| format!("n{m}")).collect();
        let style = if container.zone {
            "style=dashed; color=\"#78909c\""
        } else {
            "style=rounded; color=\"#455a64\""
        };
        let _ = writeln!(
            out,
            "  subgraph cluster_{k} {{ label={}; {style}; {}; }}",
            quote(&container.title),
            names.join("; ")
        );
    }
    for link in scene.links.iter().filter(|l| l.style != LinkStyle::Member) {
        let style = match link.style {
            LinkStyle::Encrypted => "color=\"#2e7d32\"",
            LinkStyle::Plaintext => "color=\"#c62828\", style=dashed",
            LinkStyle::Replication => "color=\"#6a1b9a\", style=dotted",
            LinkStyle::Monitoring => "color=\"#78909c\", style=dotted",
            LinkStyle::Member => "color=\"#455a64\", style=dashed, arrowhead=none",
            LinkStyle::Lookup => "color=\"#1565c0\", style=dashed",
        };
        let _ = writeln!(
            out,
            "  n{} -> n{} [label={}, {style}];",
            link.from,
            link.to,
            quote(&link.label)
        );
    }
    out.push_str("}\n");
    out
}
