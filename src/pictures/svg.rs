//! A placed diagram as SVG. Deterministic: the same design gives the same bytes.

use crate::markup::escape;
use std::fmt::Write;

use crate::diagnostic::Severity;
use crate::diagram::metrics::*;
use crate::diagram::{Diagram, LinkStyle, Rect, ShapeKind, font, labels};

const MARGIN: f64 = 24.0;
const HEADER: f64 = 40.0;
const ERROR: &str = "#c62828";
const WARNING: &str = "#955a00";
const INFO: &str = "#1565c0";
const ACCEPTED: &str = "#616161";

/// A number with one decimal: stable output, sub-pixel precision.
fn n(value: f64) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    if rounded == rounded.trunc() {
        format!("{}", rounded as i64)
    } else {
        format!("{rounded:.1}")
    }
}

fn severity_colour(severity: Severity, accepted: bool) -> &'static str {
    match (accepted, severity) {
        (true, _) => ACCEPTED,
        (false, Severity::Error) => ERROR,
        (false, Severity::Warning) => WARNING,
        (false, Severity::Info) => INFO,
    }
}

/// A padlock drawn as paths (no emoji: PNG rendering has no emoji font), its top-left at
/// (x, y), 10 by 12 pixels.
fn lock(out: &mut String, x: f64, y: f64, colour: &str) {
    let _ = write!(
        out,
        r#"<path class="lock" d="M {} {} v -3 a 3 3 0 0 1 6 0 v 3" fill="none" stroke="{colour}" stroke-width="1.5"/><rect x="{}" y="{}" width="9" height="7" rx="1" fill="{colour}"/>"#,
        n(x + 1.5),
        n(y + 5.0),
        n(x),
        n(y + 5.0)
    );
}

fn style_attributes(style: LinkStyle) -> String {
    let stroke = style.stroke();
    let mut out = format!(
        r#"stroke="{}" stroke-width="{}""#,
        stroke.colour, stroke.width
    );
    if !stroke.dash.is_empty() {
        let _ = write!(out, r#" stroke-dasharray="{}""#, stroke.dashes(","));
    }
    out
}

/// A link's stroke; on a surviving path in a what-if, 4.5 px wide whatever its style.
fn link_attributes(style: LinkStyle, bold: bool) -> String {
    let attributes = style_attributes(style);
    if !bold {
        return attributes;
    }
    let start = attributes
        .find("stroke-width=\"")
        .expect("every style has a width");
    let end = start + 14 + attributes[start + 14..].find('"').expect("a closed value") + 1;
    format!(
        "{}stroke-width=\"4.5\"{}",
        &attributes[..start],
        &attributes[end..]
    )
}

fn class(style: LinkStyle) -> &'static str {
    match style {
        LinkStyle::Encrypted => "encrypted",
        LinkStyle::Plaintext => "plaintext",
        LinkStyle::Replication => "replication",
        LinkStyle::Monitoring => "monitoring",
        LinkStyle::Member => "member",
        LinkStyle::Lookup => "lookup",
    }
}

/// Splits text into lines no wider than `width` at `size`.
fn wrap(text: &str, size: f64, width: f64) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if font::width(&candidate, size) > width && !line.is_empty() {
            lines.push(std::mem::take(&mut line));
            line = word.to_string();
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// A flow's name in the picture: `FROM -> TO`, by the names of the shapes it joins.
fn flow_name(scene: &crate::diagram::Scene, link: &crate::diagram::Link) -> String {
    format!(
        "{} -> {}",
        scene.shapes[link.from].title, scene.shapes[link.to].title
    )
}

#[expect(
    clippy::too_many_lines,
    reason = "the diagram modules are split by the pictures issue (25), which rewrites them"
)]
pub fn render(diagram: &Diagram) -> String {
    let scene = &diagram.scene;
    // The drawing's extent, from boxes and paths.
    let (mut min_x, mut min_y, mut max_x, mut max_y) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    let mut grow = |x: f64, y: f64| {
        min_x = min_x.min(x);
        min_y = min_y.min(y);
        max_x = max_x.max(x);
        max_y = max_y.max(y);
    };
    for b in diagram
        .boxes
        .iter()
        .chain(diagram.containers.iter().map(|c| &c.rect))
    {
        grow(b.x, b.y);
        grow(b.right(), b.bottom());
    }
    for path in &diagram.paths {
        for (a, c) in path {
            grow(a.0, a.1);
            grow(c.0, c.1);
        }
    }
    for ((i, link), &anchor) in scene.links.iter().enumerate().zip(&diagram.anchors) {
        if diagram.labelled(i) {
            let r = labels::rect(link, anchor);
            grow(r.x, r.y);
            grow(r.right(), r.bottom());
        }
    }
    if diagram.boxes.is_empty() {
        (min_x, min_y, max_x, max_y) = (0.0, 0.0, 0.0, 0.0);
    }
    let dx = MARGIN - min_x;
    let dy = MARGIN + HEADER - min_y;
    let drawing_width = max_x - min_x;
    // The styles of the links drawn (a cluster drawn as a container has no member lines).
    let styles: std::collections::BTreeSet<_> = scene
        .links
        .iter()
        .zip(&diagram.paths)
        .filter(|(_, path)| path.len() >= 2)
        .map(|(link, _)| link.style)
        .collect();

    // Below the drawing: the legend, then the numbered findings.
    let legend_top = max_y + dy + MARGIN;
    // A faded line for optional flows, when there are any, after the styles.
    let optional = scene
        .links
        .iter()
        .zip(&diagram.paths)
        .any(|(link, path)| link.optional && path.len() >= 2);
    let legend_rows = styles.len() + usize::from(optional);
    let legend_height = if styles.is_empty() {
        0.0
    } else {
        20.0 + 18.0 * legend_rows as f64
    };
    let text_width = drawing_width.max(520.0);
    let notes_top = legend_top + legend_height + 12.0;
    let mut note_lines: Vec<(String, &'static str)> = Vec::new();
    match &scene.notes {
        None => {}
        Some(notes) if notes.is_empty() => {
            note_lines.push((
                "No findings: this design passes every rule.".to_string(),
                "#2e7d32",
            ));
        }
        Some(notes) => {
            for note in notes {
                let status = if note.accepted { " (accepted)" } else { "" };
                let text = format!(
                    "{}. {} {}{status}: {}",
                    note.number,
                    note.code,
                    note.severity.as_str(),
                    note.message
                );
                let colour = severity_colour(note.severity, note.accepted);
                for (i, line) in wrap(&text, TEXT, text_width - 20.0).into_iter().enumerate() {
                    let line = if i == 0 { line } else { format!("    {line}") };
                    note_lines.push((line, colour));
                }
            }
        }
    }
    let notes_height = if note_lines.is_empty() {
        0.0
    } else {
        24.0 + LINE * note_lines.len() as f64
    };
    let width = (text_width + 2.0 * MARGIN).max(font::width(&scene.title, 20.0) + 2.0 * MARGIN);
    let height = notes_top + notes_height + MARGIN;

    let mut out = String::new();
    let _ = write!(
        out,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="{family}, sans-serif">
<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="12" markerHeight="12" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#37474f"/></marker></defs>
<rect width="100%" height="100%" fill="#ffffff"/>
<text class="title" x="{m}" y="{ty}" font-size="20" fill="#212121">{title}</text>
"##,
        w = n(width),
        h = n(height),
        family = font::FAMILY,
        m = n(MARGIN),
        ty = n(MARGIN + 18.0),
        title = escape(&scene.title),
    );

    // Containers first, under everything: a cluster's box, a zone's dashed region, each
    // titled at its top left.
    if !diagram.containers.is_empty() {
        out.push_str("<g class=\"containers\">\n");
        for container in &diagram.containers {
            let r = &container.rect;
            let (class, style) = if container.zone {
                (
                    "zone",
                    r##"fill="#fafafa" stroke="#90a4ae" stroke-width="1.5" stroke-dasharray="8,5""##,
                )
            } else {
                (
                    "cluster",
                    r##"fill="#eef3f6" stroke="#455a64" stroke-width="1.5""##,
                )
            };
            let title = &container.title;
            let _ = writeln!(
                out,
                r##"<g class="container {class}" data-name="{}"><rect x="{}" y="{}" width="{}" height="{}" rx="10" {style}/><text x="{}" y="{}" font-size="{}" fill="#546e7a">{}</text></g>"##,
                escape(&container.name),
                n(r.x + dx),
                n(r.y + dy),
                n(r.width),
                n(r.height),
                n(r.x + dx + 8.0),
                n(r.y + dy + 13.0),
                n(SMALL),
                escape(title)
            );
        }
        out.push_str("</g>\n");
    }
    // Links under boxes, so that a line never hides a label.
    out.push_str("<g class=\"links\">\n");
    for (i, (link, path)) in scene.links.iter().zip(&diagram.paths).enumerate() {
        if path.len() < 2 {
            continue;
        }
        let p = |(x, y): (f64, f64)| format!("{} {}", n(x + dx), n(y + dy));
        let mut d = format!(
            "M {} C {}, {}, {}",
            p(path[0].0),
            p(path[0].1),
            p(path[1].0),
            p(path[1].1)
        );
        for pair in &path[2..] {
            let _ = write!(d, " S {}, {}", p(pair.0), p(pair.1));
        }
        // Each flow is a group named `FROM -> TO` (the shapes' names), for tests, the
        // interactive report and users' own scripts; `data-link` ties it to its label.
        let _ = writeln!(
            out,
            r#"<g class="flow" data-name="{}" data-link="{i}"><path class="link {}{}{}" data-from="{}" data-to="{}" d="{d}" fill="none" {} marker-end="url(#arrow)"/></g>"#,
            escape(&flow_name(scene, link)),
            class(link.style),
            if link.bold { " surviving" } else { "" },
            if link.optional { " optional" } else { "" },
            link.from,
            link.to,
            link_attributes(link.style, link.bold)
                + if link.optional {
                    r#" stroke-opacity="0.45""#
                } else {
                    ""
                },
        );
    }
    // Labels at the middle point of their path, on a white ground.
    for ((i, link), &(x, y)) in scene.links.iter().enumerate().zip(&diagram.anchors) {
        if !diagram.labelled(i) {
            continue;
        }
        let (x, y) = (x + dx, y + dy);
        let lock_width = labels::lock(link);
        let r = labels::rect(link, (x, y));
        let w = r.width;
        let _ = write!(
            out,
            r##"<g class="label flow-label" data-name="{}" data-link="{i}"><rect x="{}" y="{}" width="{}" height="{}" fill="#ffffff" fill-opacity="0.9"/>"##,
            escape(&flow_name(scene, link)),
            n(r.x),
            n(r.y),
            n(w),
            n(r.height)
        );
        if lock_width > 0.0 {
            lock(&mut out, x - w / 2.0 + 3.0, y - 10.0, "#2e7d32");
        }
        let _ = writeln!(
            out,
            r##"<text x="{}" y="{}" font-size="{}" fill="#37474f">{}</text></g>"##,
            n(x - w / 2.0 + 3.0 + lock_width),
            n(y),
            n(SMALL),
            escape(&link.label)
        );
    }
    out.push_str("</g>\n<g class=\"shapes\">\n");

    for (index, (shape, rect)) in scene.shapes.iter().zip(&diagram.boxes).enumerate() {
        let r = Rect {
            x: rect.x + dx,
            y: rect.y + dy,
            ..*rect
        };
        let (fill, stroke) = match shape.kind {
            ShapeKind::User => ("#e3f2fd", "#1565c0"),
            ShapeKind::Dns => ("#f3e5f5", "#6a1b9a"),
            ShapeKind::Server => ("#fafafa", "#37474f"),
            ShapeKind::Cluster => ("#eceff1", "#455a64"),
            ShapeKind::External => ("#fff8e1", "#8d6e63"),
        };
        let (stroke, stroke_width) = if shape.down {
            ("#9e9e9e", "2\" stroke-dasharray=\"6,4")
        } else if shape.alarm {
            (ERROR, "3")
        } else {
            (stroke, "1.5")
        };
        let fill = if shape.down { "#eeeeee" } else { fill };
        let kind = match shape.kind {
            ShapeKind::User => "user",
            ShapeKind::Dns => "dns",
            ShapeKind::Server => "server",
            ShapeKind::Cluster => "cluster",
            ShapeKind::External => "external",
        };
        let _ = writeln!(
            out,
            r#"<g class="shape {kind}{}{}" data-name="{}"{} data-tier="{}"{}><rect x="{}" y="{}" width="{}" height="{}" rx="6" fill="{fill}" stroke="{stroke}" stroke-width="{stroke_width}"/>"#,
            if shape.alarm { " spof" } else { "" },
            if shape.down { " down" } else { "" },
            escape(&shape.title),
            match scene.servers_of(index).as_slice() {
                folded @ [_, _, ..] => format!(r#" data-servers="{}""#, escape(&folded.join(" "))),
                _ => String::new(),
            },
            shape.tier,
            if shape.down { r#" opacity="0.45""# } else { "" },
            n(r.x),
            n(r.y),
            n(r.width),
            n(r.height)
        );
        let mut y = r.y + PAD + TITLE;
        let _ = writeln!(
            out,
            r##"<text x="{}" y="{}" font-size="{}" fill="#212121">{}</text>"##,
            n(r.x + PAD),
            n(y),
            n(TITLE),
            escape(&shape.title)
        );
        if let Some(subtitle) = &shape.subtitle {
            y += LINE;
            let _ = writeln!(
                out,
                r##"<text x="{}" y="{}" font-size="{}" fill="#546e7a">{}</text>"##,
                n(r.x + PAD),
                n(y),
                n(SMALL),
                escape(subtitle)
            );
        }
        for line in &shape.lines {
            y += LINE;
            let mut x = r.x + PAD;
            if line.lock {
                lock(&mut out, x, y - 11.0, "#2e7d32");
                x += LOCK;
            }
            let _ = writeln!(
                out,
                r##"<text x="{}" y="{}" font-size="{}" fill="#263238">{}</text>"##,
                n(x),
                n(y),
                n(TEXT),
                escape(&line.text)
            );
        }
        if !shape.badges.is_empty() {
            y += BADGE_LINE;
            let mut x = r.x + PAD;
            for badge in &shape.badges {
                let w = font::width(&badge.text, SMALL) + 2.0 * BADGE_PAD;
                let colour = severity_colour(badge.severity, badge.accepted);
                let _ = writeln!(
                    out,
                    r##"<g class="badge"><rect x="{}" y="{}" width="{}" height="15" rx="7" fill="{colour}"/><text x="{}" y="{}" font-size="{}" fill="#ffffff">{}</text></g>"##,
                    n(x),
                    n(y - 12.0),
                    n(w),
                    n(x + BADGE_PAD),
                    n(y - 1.0),
                    n(SMALL),
                    escape(&badge.text)
                );
                x += w + BADGE_GAP;
            }
        }
        out.push_str("</g>\n");
    }
    out.push_str("</g>\n");

    if !styles.is_empty() {
        let _ = writeln!(
            out,
            r##"<g class="legend"><text x="{}" y="{}" font-size="{}" fill="#212121">Legend</text>"##,
            n(MARGIN),
            n(legend_top + 12.0),
            n(TEXT)
        );
        for (i, style) in styles.iter().enumerate() {
            let y = legend_top + 30.0 + 18.0 * i as f64;
            let _ = writeln!(
                out,
                r#"<line x1="{}" y1="{}" x2="{}" y2="{}" {} />"#,
                n(MARGIN),
                n(y - 4.0),
                n(MARGIN + 40.0),
                n(y - 4.0),
                style_attributes(*style)
            );
            let mut x = MARGIN + 48.0;
            if *style == LinkStyle::Encrypted {
                lock(&mut out, x, y - 11.0, "#2e7d32");
                x += LOCK;
            }
            let _ = writeln!(
                out,
                r##"<text x="{}" y="{}" font-size="{}" fill="#37474f">{}</text>"##,
                n(x),
                n(y),
                n(SMALL),
                style.legend()
            );
        }
        if optional {
            let y = legend_top + 30.0 + 18.0 * styles.len() as f64;
            let _ = writeln!(
                out,
                r##"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#37474f" stroke-width="2" stroke-opacity="0.45" /><text x="{}" y="{}" font-size="{}" fill="#37474f">optional flow (faded): its target's failure degrades the service, stops nothing</text>"##,
                n(MARGIN),
                n(y - 4.0),
                n(MARGIN + 40.0),
                n(y - 4.0),
                n(MARGIN + 48.0),
                n(y),
                n(SMALL)
            );
        }
        out.push_str("</g>\n");
    }
    if !note_lines.is_empty() {
        let _ = writeln!(
            out,
            r##"<g class="findings"><text x="{}" y="{}" font-size="{}" fill="#212121">Findings</text>"##,
            n(MARGIN),
            n(notes_top + 12.0),
            n(TEXT)
        );
        for (i, (line, colour)) in note_lines.iter().enumerate() {
            let _ = writeln!(
                out,
                r#"<text x="{}" y="{}" font-size="{}" fill="{colour}">{}</text>"#,
                n(MARGIN),
                n(notes_top + 30.0 + LINE * i as f64),
                n(TEXT),
                escape(line)
            );
        }
        out.push_str("</g>\n");
    }
    out.push_str("</svg>\n");
    out
}
