//! A placed diagram as SVG. Deterministic: the same design gives the same bytes.

use crate::markup::escape;
use std::fmt::Write;

use crate::diagnostic::Severity;
use crate::diagram::metrics::*;
use std::collections::BTreeSet;

use crate::diagram::scene::WORKER_COLOUR;
use crate::diagram::{Diagram, Guard, LinkStyle, Rect, ShapeKind, font, labels};

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

/// Where the drawing goes on the page: the offset added to every coordinate, the
/// drawing's width, and its bottom on the page.
struct Frame {
    dx: f64,
    dy: f64,
    width: f64,
    bottom: f64,
}

impl Frame {
    fn of(diagram: &Diagram) -> Frame {
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
        let (dx, dy) = (MARGIN - min_x, MARGIN + HEADER - min_y);
        Frame {
            dx,
            dy,
            width: max_x - min_x,
            bottom: max_y + dy,
        }
    }
}

/// A row of the legend: a kind of thing the picture draws.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Entry {
    Style(LinkStyle),
    /// Optional flows, faded.
    Optional,
    /// Flows that count for some request classes only, named in brackets.
    Classed,
    /// A cluster's container drawn for its failover or quorum.
    Container(Guard),
    /// A worker's box, barred.
    Worker,
}

/// What the legend explains: the kinds of line, container and box the picture draws (a
/// cluster drawn as a container has no member lines).
fn entries(diagram: &Diagram) -> Vec<Entry> {
    let scene = &diagram.scene;
    let drawn: Vec<&crate::diagram::Link> = scene
        .links
        .iter()
        .zip(&diagram.paths)
        .filter(|(_, path)| path.len() >= 2)
        .map(|(link, _)| link)
        .collect();
    let mut entries: BTreeSet<Entry> = drawn.iter().map(|l| Entry::Style(l.style)).collect();
    if drawn.iter().any(|l| l.optional) {
        entries.insert(Entry::Optional);
    }
    if drawn.iter().any(|l| l.classed) {
        entries.insert(Entry::Classed);
    }
    entries.extend(
        diagram
            .containers
            .iter()
            .filter(|c| !c.zone && c.guard != Guard::default())
            .map(|c| Entry::Container(c.guard)),
    );
    if scene.shapes.iter().any(|s| s.worker) {
        entries.insert(Entry::Worker);
    }
    entries.into_iter().collect()
}

/// The findings under the legend, wrapped to `width`, each line with its colour.
fn note_lines(scene: &crate::diagram::Scene, text_width: f64) -> Vec<(String, &'static str)> {
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
    note_lines
}

pub fn render(diagram: &Diagram) -> String {
    let scene = &diagram.scene;
    let frame = Frame::of(diagram);
    // Below the drawing: the legend, then the numbered findings.
    let entries = entries(diagram);
    let legend_top = frame.bottom + MARGIN;
    let legend_height = if entries.is_empty() {
        0.0
    } else {
        20.0 + 18.0 * entries.len() as f64
    };
    let text_width = frame.width.max(520.0);
    let notes_top = legend_top + legend_height + 12.0;
    let note_lines = note_lines(scene, text_width);
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
    containers(&mut out, diagram, &frame);
    links(&mut out, diagram, &frame);
    shapes(&mut out, diagram, &frame);
    legend(&mut out, &entries, legend_top);
    findings(&mut out, &note_lines, notes_top);
    out.push_str("</svg>\n");
    out
}

/// A rounded box's outline in a container's way: a failover cluster's drawn twice, a
/// quorum cluster's wider and in its colour.
fn outline(out: &mut String, r: &Rect, radius: f64, fill: &str, guard: Guard) {
    let (colour, width, double) = guard.outline();
    let _ = write!(
        out,
        r#"<rect x="{}" y="{}" width="{}" height="{}" rx="{}" fill="{fill}" stroke="{colour}" stroke-width="{}"/>"#,
        n(r.x),
        n(r.y),
        n(r.width),
        n(r.height),
        n(radius),
        n(width)
    );
    if double {
        let inset = 2.0 + width;
        let _ = write!(
            out,
            r#"<rect x="{}" y="{}" width="{}" height="{}" rx="{}" fill="none" stroke="{colour}" stroke-width="{}"/>"#,
            n(r.x + inset),
            n(r.y + inset),
            n(r.width - 2.0 * inset),
            n(r.height - 2.0 * inset),
            n((radius - inset).max(1.0)),
            n(width)
        );
    }
}

/// Containers first, under everything: a cluster's box (drawn for its failover or
/// quorum), a zone's dashed region, each titled at its top left.
fn containers(out: &mut String, diagram: &Diagram, frame: &Frame) {
    if diagram.containers.is_empty() {
        return;
    }
    out.push_str("<g class=\"containers\">\n");
    for container in &diagram.containers {
        let r = Rect {
            x: container.rect.x + frame.dx,
            y: container.rect.y + frame.dy,
            ..container.rect
        };
        let class = match (
            container.zone,
            container.guard.failover,
            container.guard.quorum,
        ) {
            (true, ..) => "zone",
            (false, true, true) => "cluster failover quorum",
            (false, true, false) => "cluster failover",
            (false, false, true) => "cluster quorum",
            (false, false, false) => "cluster",
        };
        let _ = write!(
            out,
            r#"<g class="container {class}" data-name="{}">"#,
            escape(&container.name)
        );
        if container.zone {
            let _ = write!(
                out,
                r##"<rect x="{}" y="{}" width="{}" height="{}" rx="10" fill="#fafafa" stroke="#90a4ae" stroke-width="1.5" stroke-dasharray="8,5"/>"##,
                n(r.x),
                n(r.y),
                n(r.width),
                n(r.height)
            );
        } else {
            outline(out, &r, 10.0, "#eef3f6", container.guard);
        }
        let _ = writeln!(
            out,
            r##"<text x="{}" y="{}" font-size="{}" fill="#546e7a">{}</text></g>"##,
            n(r.x + 8.0),
            n(r.y + 13.0 + if container.guard.failover { 3.0 } else { 0.0 }),
            n(SMALL),
            escape(&container.title)
        );
    }
    out.push_str("</g>\n");
}

/// Links under boxes, so that a line never hides a label; then their labels, on a white
/// ground.
/// For each link, the `stroke-dashoffset` that lays its dashes from its end, or nothing:
/// dashed links of one style that end at one point (a bus, a trunk into a box, a shared
/// arrowhead) run on one another before it, and dashes laid from each one's start would
/// fill each other's gaps into a solid line (a plaintext flow drawn as if encrypted); laid
/// from the end, they fall on one another. Linear in the paths' pieces.
fn dashed_from_end(diagram: &Diagram) -> Vec<String> {
    let links = &diagram.scene.links;
    let key = |i: usize| {
        let (_, end) = diagram.paths[i][diagram.paths[i].len() - 1];
        let at = |v: f64| (v * 2.0).round() as i64;
        (at(end.0), at(end.1), links[i].style as u8)
    };
    let dashed = |i: usize| diagram.paths[i].len() >= 2 && !links[i].style.stroke().dash.is_empty();
    let mut sharing: std::collections::HashMap<(i64, i64, u8), usize> = Default::default();
    for i in (0..links.len()).filter(|&i| dashed(i)) {
        *sharing.entry(key(i)).or_default() += 1;
    }
    (0..links.len())
        .map(|i| {
            if !dashed(i) || sharing[&key(i)] < 2 {
                return String::new();
            }
            let period: f64 = links[i]
                .style
                .stroke()
                .dash
                .iter()
                .map(|&d| f64::from(d))
                .sum();
            let offset = (-crate::diagram::geometry::length(&diagram.paths[i])).rem_euclid(period);
            format!(r#" stroke-dashoffset="{}""#, n(offset))
        })
        .collect()
}

fn links(out: &mut String, diagram: &Diagram, frame: &Frame) {
    let scene = &diagram.scene;
    let (dx, dy) = (frame.dx, frame.dy);
    out.push_str("<g class=\"links\">\n");
    let from_end = dashed_from_end(diagram);
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
                + &from_end[i]
                + if link.optional {
                    r#" stroke-opacity="0.45""#
                } else {
                    ""
                },
        );
    }
    // Labels at the middle point of their path, on a white ground. A label that speaks
    // for other flows too (a trunk's, a bus's) lists them all in `data-links`.
    let mut spoken: Vec<Vec<usize>> = vec![Vec::new(); scene.links.len()];
    for i in 0..scene.links.len() {
        spoken[diagram.speaker(i)].push(i);
    }
    for ((i, link), &(x, y)) in scene.links.iter().enumerate().zip(&diagram.anchors) {
        if !diagram.labelled(i) {
            continue;
        }
        let links = if spoken[i].len() > 1 {
            let list: Vec<String> = spoken[i].iter().map(usize::to_string).collect();
            format!(r#" data-links="{}""#, list.join(" "))
        } else {
            String::new()
        };
        let (x, y) = (x + dx, y + dy);
        let lock_width = labels::lock(link);
        let r = labels::rect(link, (x, y));
        let w = r.width;
        let _ = write!(
            out,
            r##"<g class="label flow-label" data-name="{}" data-link="{i}"{links}><rect x="{}" y="{}" width="{}" height="{}" fill="#ffffff" fill-opacity="0.9"/>"##,
            escape(&flow_name(scene, link)),
            n(r.x),
            n(r.y),
            n(w),
            n(r.height)
        );
        if lock_width > 0.0 {
            lock(out, x - w / 2.0 + 3.0, y - 10.0, "#2e7d32");
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
    out.push_str("</g>\n");
}

/// The boxes, over the links.
fn shapes(out: &mut String, diagram: &Diagram, frame: &Frame) {
    let scene = &diagram.scene;
    let (dx, dy) = (frame.dx, frame.dy);
    out.push_str("<g class=\"shapes\">\n");

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
            r#"<g class="shape {kind}{}{}{}" data-name="{}"{} data-tier="{}"{}><rect x="{}" y="{}" width="{}" height="{}" rx="6" fill="{fill}" stroke="{stroke}" stroke-width="{stroke_width}"/>"#,
            if shape.worker { " worker" } else { "" },
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
        if shape.worker {
            worker_bar(out, &r);
        }
        shape_text(out, shape, &r);
        out.push_str("</g>\n");
    }
    out.push_str("</g>\n");
}

/// The legend: a row for each kind of line, container and box the picture draws.
fn legend(out: &mut String, entries: &[Entry], top: f64) {
    if entries.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        r##"<g class="legend"><text x="{}" y="{}" font-size="{}" fill="#212121">Legend</text>"##,
        n(MARGIN),
        n(top + 12.0),
        n(TEXT)
    );
    for (i, entry) in entries.iter().enumerate() {
        let y = top + 30.0 + 18.0 * i as f64;
        // The sample, 40 px wide at the left; the words after it.
        let swatch = Rect {
            x: MARGIN,
            y: y - 11.0,
            width: 40.0,
            height: 13.0,
        };
        let mut x = MARGIN + 48.0;
        let words: String = match entry {
            Entry::Style(style) => {
                let _ = writeln!(
                    out,
                    r#"<line x1="{}" y1="{}" x2="{}" y2="{}" {} />"#,
                    n(MARGIN),
                    n(y - 4.0),
                    n(MARGIN + 40.0),
                    n(y - 4.0),
                    style_attributes(*style)
                );
                if *style == LinkStyle::Encrypted {
                    lock(out, x, y - 11.0, "#2e7d32");
                    x += LOCK;
                }
                style.legend().to_string()
            }
            Entry::Optional => {
                let _ = writeln!(
                    out,
                    r##"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#37474f" stroke-width="2" stroke-opacity="0.45" />"##,
                    n(MARGIN),
                    n(y - 4.0),
                    n(MARGIN + 40.0),
                    n(y - 4.0)
                );
                "optional flow (faded): its target's failure degrades the service, stops nothing"
                    .to_string()
            }
            Entry::Classed => {
                let _ = writeln!(
                    out,
                    r##"<text x="{}" y="{}" font-size="{}" fill="#37474f">[web]</text>"##,
                    n(MARGIN + 4.0),
                    n(y),
                    n(SMALL)
                );
                "a flow's request classes (or worker's jobs): it counts for those only".to_string()
            }
            Entry::Container(guard) => {
                outline(out, &swatch, 4.0, "#eef3f6", *guard);
                guard.legend().to_string()
            }
            Entry::Worker => {
                worker_box(out, &swatch, 4.0);
                "worker: takes jobs from a queue, serves no request".to_string()
            }
        };
        let _ = writeln!(
            out,
            r##"<text x="{}" y="{}" font-size="{}" fill="#37474f">{}</text>"##,
            n(x),
            n(y),
            n(SMALL),
            escape(&words)
        );
    }
    out.push_str("</g>\n");
}

/// A worker's box: a bar down its left side, inside the outline.
fn worker_box(out: &mut String, r: &Rect, radius: f64) {
    let _ = write!(
        out,
        r##"<rect x="{}" y="{}" width="{}" height="{}" rx="{}" fill="#fafafa" stroke="#37474f" stroke-width="1.5"/>"##,
        n(r.x),
        n(r.y),
        n(r.width),
        n(r.height),
        n(radius)
    );
    worker_bar(out, r);
}

/// The bar that marks a worker's box.
fn worker_bar(out: &mut String, r: &Rect) {
    let inset = (r.height / 4.0).min(6.0);
    let _ = write!(
        out,
        r#"<path class="worker-bar" d="M {} {} V {}" stroke="{WORKER_COLOUR}" stroke-width="4" stroke-linecap="round"/>"#,
        n(r.x + 4.5),
        n(r.y + inset),
        n(r.bottom() - inset)
    );
}

/// The numbered findings, under the legend.
fn findings(out: &mut String, note_lines: &[(String, &'static str)], top: f64) {
    if note_lines.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        r##"<g class="findings"><text x="{}" y="{}" font-size="{}" fill="#212121">Findings</text>"##,
        n(MARGIN),
        n(top + 12.0),
        n(TEXT)
    );
    for (i, (line, colour)) in note_lines.iter().enumerate() {
        let _ = writeln!(
            out,
            r#"<text x="{}" y="{}" font-size="{}" fill="{colour}">{}</text>"#,
            n(MARGIN),
            n(top + 30.0 + LINE * i as f64),
            n(TEXT),
            escape(line)
        );
    }
    out.push_str("</g>\n");
}

/// A box's words: its title, subtitle and lines, then its findings' badges.
fn shape_text(out: &mut String, shape: &crate::diagram::Shape, r: &Rect) {
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
            lock(out, x, y - 11.0, "#2e7d32");
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
}
