//! A diagram's scene as D2 (https://d2lang.com): clusters and zones as containers (see
//! `diagram::groups`), flows as labelled connections, each kind in the SVG's colour and
//! dash, findings as badges in the boxes and listed in a box of their own, and single
//! points of failure outlined in red; a failover cluster's container has a double border, a
//! quorum cluster's a wide one, and a worker's box its bar's colour. Design text goes inside double-quoted strings with `\`, `"` and `$` escaped, so
//! that it can neither end a string nor start a substitution.

use std::fmt::Write;

use crate::diagram::groups::Groups;
use crate::diagram::scene::WORKER_COLOUR;
use crate::diagram::{Guard, LinkStyle, Scene, Shape, ShapeKind};

/// Design text as a double-quoted D2 string.
fn quoted(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '$' => out.push_str("\\$"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn node(out: &mut String, indent: &str, index: usize, shape: &Shape) {
    let label = quoted(&shape.label_lines().join("\n"));
    let kind = match shape.kind {
        ShapeKind::User => Some("person"),
        ShapeKind::Dns => Some("hexagon"),
        ShapeKind::External => Some("cloud"),
        ShapeKind::Server | ShapeKind::Cluster => None,
    };
    let mut style = Vec::new();
    if let Some(kind) = kind {
        style.push(format!("shape: {kind}"));
    }
    if shape.alarm {
        style.push("style.stroke: \"#c62828\"".to_string());
        style.push("style.stroke-width: 3".to_string());
    } else if shape.worker {
        // A worker's bar in the SVG; here its outline in the bar's colour.
        style.push(format!("style.stroke: \"{WORKER_COLOUR}\""));
        style.push("style.stroke-width: 3".to_string());
    }
    if shape.down {
        style.push("style.opacity: 0.45".to_string());
        style.push("style.stroke-dash: 4".to_string());
    }
    if style.is_empty() {
        let _ = writeln!(out, "{indent}s{index}: {label}");
    } else {
        let _ = writeln!(out, "{indent}s{index}: {label} {{");
        for line in style {
            let _ = writeln!(out, "{indent}  {line}");
        }
        let _ = writeln!(out, "{indent}}}");
    }
}

pub fn render(scene: &Scene) -> String {
    let groups = Groups::of(scene);
    // Where each shape is, as D2 paths name it: `s3`, `zone_1.s3`, `s2.s3`.
    let mut path: Vec<String> = (0..scene.shapes.len()).map(|i| format!("s{i}")).collect();
    let mut out = format!(
        "title: {} {{\n  near: top-center\n  shape: text\n  style.font-size: 20\n}}\ndirection: down\n",
        quoted(&scene.title)
    );
    for &index in &groups.top {
        node(&mut out, "", index, &scene.shapes[index]);
    }
    for (number, (name, shapes)) in groups.zones.iter().enumerate() {
        let _ = writeln!(
            out,
            "zone_{number}: {} {{\n  style.stroke-dash: 5\n  style.fill: \"#f5f5f5\"",
            quoted(&format!("zone {name}"))
        );
        for &index in shapes {
            node(&mut out, "  ", index, &scene.shapes[index]);
            path[index] = format!("zone_{number}.s{index}");
        }
        out.push_str("}\n");
    }
    for (cluster, members) in &groups.clusters {
        let title = scene.cluster_title(*cluster, members);
        let _ = writeln!(out, "s{cluster}: {} {{", quoted(&title.join("\n")));
        // Failover drawn twice, a quorum wider, as in the SVG.
        let guard = scene.shapes[*cluster].guard;
        if guard != Guard::default() {
            let (colour, width, double) = guard.outline();
            let _ = writeln!(
                out,
                "  style.stroke: \"{colour}\"\n  style.stroke-width: {}",
                width.round()
            );
            if double {
                out.push_str("  style.double-border: true\n");
            }
        }
        for &index in members {
            node(&mut out, "  ", index, &scene.shapes[index]);
            path[index] = format!("s{cluster}.s{index}");
        }
        out.push_str("}\n");
    }
    for link in scene.links.iter().filter(|l| l.style != LinkStyle::Member) {
        let label = if link.label.is_empty() {
            String::new()
        } else {
            format!(": {}", quoted(&link.label))
        };
        let stroke = link.style.stroke();
        let _ = write!(
            out,
            "{} -> {}{label} {{\n  style.stroke: \"{}\"\n  style.stroke-width: {}\n",
            path[link.from],
            path[link.to],
            stroke.colour,
            stroke.width.round()
        );
        if let Some(&dash) = stroke.dash.first() {
            let _ = writeln!(out, "  style.stroke-dash: {dash}");
        }
        if link.optional {
            out.push_str("  style.opacity: 0.45\n");
        }
        out.push_str("}\n");
    }
    // The findings, numbered as the badges in the boxes, in a box of their own: a
    // comment would be invisible.
    if let Some(notes) = scene.notes.as_ref().filter(|n| !n.is_empty()) {
        let lines: Vec<String> = notes
            .iter()
            .map(|note| {
                format!(
                    "{}. {} {}{}: {}",
                    note.number,
                    note.code,
                    note.severity.as_str(),
                    if note.accepted { " (accepted)" } else { "" },
                    note.message.replace(['\n', '\r'], " ")
                )
            })
            .collect();
        let _ = writeln!(
            out,
            "findings: {} {{\n  near: bottom-left\n  style.fill: \"#fffde7\"\n  style.stroke: \"#f9a825\"\n}}",
            quoted(&format!("Findings\n{}", lines.join("\n")))
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn design_text_cannot_end_a_string_or_substitute() {
        assert_eq!(quoted("a\"b\\c${x}\nd"), "\"a\\\"b\\\\c\\${x}\\nd\"");
    }
}
