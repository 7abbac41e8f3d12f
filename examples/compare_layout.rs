//! `cargo run --release --example compare_layout -- DESIGN...`: our layout beside
//! Graphviz's on the same scene (`dot -Tsvg` on the DOT that `--format dot` emits), as
//! a markdown table of crossings, bends, area and label collisions, both read back from
//! their SVG by one reader (`read_svg`). Needs `dot`.
//! `scripts/compare-layout.sh` runs it on the shipped designs.
//!
//! Measured the same way for both, by `diagram::measure` (which says how).

use std::process::{Command, Stdio};

use infralint::diagram::measure::{Drawn, Edge, Measures};
use infralint::diagram::{self, Rect, font};

type Point = (f64, f64);

/// Graphviz's drawing of the DOT we emit: `dot -Tsvg`.
fn graphviz(dot: &str) -> String {
    let mut child = Command::new("dot")
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("Graphviz `dot` on the PATH");
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), dot.as_bytes()).unwrap();
    drop(child.stdin.take());
    let out = child.wait_with_output().unwrap();
    String::from_utf8(out.stdout).expect("dot's SVG")
}

/// A path's `d` as cubic pieces: `M` then `C` (three points each) and `S` (two, the first
/// control the reflection of the last), numbers separated by spaces or commas, as both
/// our renderer and Graphviz write them.
fn cubics(d: &str) -> Vec<[Point; 4]> {
    let spaced: String = d
        .chars()
        .flat_map(|c| {
            if c.is_ascii_alphabetic() {
                vec![' ', c, ' ']
            } else if c == ',' {
                vec![' ']
            } else {
                vec![c]
            }
        })
        .collect();
    let mut segments: Vec<[Point; 4]> = Vec::new();
    let mut command = ' ';
    let mut numbers: Vec<f64> = Vec::new();
    let mut at = (0.0, 0.0);
    let mut flush = |command: char, numbers: &mut Vec<f64>, at: &mut Point| {
        let points: Vec<Point> = numbers.chunks(2).map(|p| (p[0], p[1])).collect();
        match command {
            'M' => *at = points.last().copied().unwrap_or(*at),
            'C' => {
                for c in points.chunks(3).filter(|c| c.len() == 3) {
                    segments.push([*at, c[0], c[1], c[2]]);
                    *at = c[2];
                }
            }
            'S' => {
                for c in points.chunks(2).filter(|c| c.len() == 2) {
                    let control = segments
                        .last()
                        .map_or(*at, |l| (2.0 * l[3].0 - l[2].0, 2.0 * l[3].1 - l[2].1));
                    segments.push([*at, control, c[0], c[1]]);
                    *at = c[1];
                }
            }
            _ => {}
        }
        numbers.clear();
    };
    for token in spaced.split_whitespace() {
        match token.parse::<f64>() {
            Ok(value) => numbers.push(value),
            Err(_) => {
                flush(command, &mut numbers, &mut at);
                command = token.chars().next().unwrap_or(' ');
            }
        }
    }
    flush(command, &mut numbers, &mut at);
    segments
}

/// The box around some points.
fn bounds(points: impl Iterator<Item = Point>) -> Rect {
    let (mut low, mut high) = ((f64::MAX, f64::MAX), (f64::MIN, f64::MIN));
    for (x, y) in points {
        low = (low.0.min(x), low.1.min(y));
        high = (high.0.max(x), high.1.max(y));
    }
    Rect {
        x: low.0,
        y: low.1,
        width: high.0 - low.0,
        height: high.1 - low.1,
    }
}

fn number(node: roxmltree::Node<'_, '_>, attribute: &str) -> f64 {
    node.attribute(attribute)
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0)
}

/// Our node's index from its name in our DOT, `nN`.
fn node_index(name: &str) -> Option<usize> {
    name.trim().trim_start_matches('n').parse().ok()
}

/// A Graphviz node's box: around every point of its outline.
fn graphviz_box(node: roxmltree::Node<'_, '_>) -> Rect {
    let mut points: Vec<Point> = Vec::new();
    for shape in node.descendants() {
        if shape.has_tag_name("path") {
            points.extend(
                cubics(shape.attribute("d").unwrap_or_default())
                    .iter()
                    .flatten(),
            );
        } else if shape.has_tag_name("polygon") {
            let numbers: Vec<f64> = shape
                .attribute("points")
                .unwrap_or_default()
                .split([' ', ','])
                .filter_map(|v| v.parse().ok())
                .collect();
            points.extend(
                numbers
                    .chunks(2)
                    .filter(|p| p.len() == 2)
                    .map(|p| (p[0], p[1])),
            );
        }
    }
    bounds(points.into_iter())
}

/// A Graphviz edge titled `nA->nB`: its path, and its label's box from its text.
fn graphviz_edge(node: roxmltree::Node<'_, '_>, name: &str) -> Option<Edge> {
    let (from, to) = name.split_once("->")?;
    let (from, to) = (node_index(from)?, node_index(to)?);
    let segments = node
        .children()
        .find(|c| c.has_tag_name("path"))
        .map(|p| cubics(p.attribute("d").unwrap_or_default()))
        .unwrap_or_default();
    let texts: Vec<roxmltree::Node<'_, '_>> =
        node.children().filter(|c| c.has_tag_name("text")).collect();
    let label = (!texts.is_empty()).then(|| {
        bounds(texts.iter().flat_map(|t| {
            let size = number(*t, "font-size");
            let width = font::width(t.text().unwrap_or_default(), size) + 4.0;
            let (x, y) = (number(*t, "x"), number(*t, "y"));
            [
                (x - width / 2.0, y - size),
                (x + width / 2.0, y + size * 0.4),
            ]
        }))
    });
    Some(Edge {
        from,
        to,
        segments,
        label,
    })
}

/// What an SVG draws, read back from the SVG alone, ours or Graphviz's (one reader for
/// both, so that neither is measured from anything the other is not): the boxes, each
/// line as its cubic pieces with the shapes it joins, and each label's box.
///
/// Ours: `g.shape` boxes in shape order, `path.link` lines with `data-from`/`data-to`,
/// `g.flow-label` labels tied to their line by `data-link`. Graphviz's: `g.node` titled
/// `nN` (our DOT's names), `g.edge` titled `nA->nB` with its path and its label's text
/// (its box from the shipped font's metrics, as Graphviz sized it).
fn read_svg(svg: &str) -> Drawn {
    // Graphviz writes a DOCTYPE; nothing in it is needed.
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    let doc = roxmltree::Document::parse_with_options(svg, options).expect("an SVG");
    let class = |n: roxmltree::Node<'_, '_>| n.attribute("class").unwrap_or_default().to_string();
    let mut boxes: Vec<(usize, Rect)> = Vec::new();
    let mut edges: Vec<(usize, Edge)> = Vec::new();
    let mut labels: Vec<(usize, Rect)> = Vec::new();
    let rect_of = |n: roxmltree::Node<'_, '_>| Rect {
        x: number(n, "x"),
        y: number(n, "y"),
        width: number(n, "width"),
        height: number(n, "height"),
    };
    let title = |n: roxmltree::Node<'_, '_>| {
        n.children()
            .find(|c| c.has_tag_name("title"))
            .and_then(|t| t.text())
            .unwrap_or_default()
            .to_string()
    };
    for node in doc.descendants().filter(|n| n.is_element()) {
        let class = class(node);
        if node.has_tag_name("g") && class.starts_with("shape ") {
            if let Some(rect) = node.children().find(|c| c.has_tag_name("rect")) {
                boxes.push((boxes.len(), rect_of(rect)));
            }
        } else if node.has_tag_name("path") && class.starts_with("link ") {
            let link = node
                .parent()
                .and_then(|g| g.attribute("data-link"))
                .and_then(|v| v.parse().ok())
                .unwrap_or(usize::MAX);
            edges.push((
                link,
                Edge {
                    from: number(node, "data-from") as usize,
                    to: number(node, "data-to") as usize,
                    segments: cubics(node.attribute("d").unwrap_or_default()),
                    label: None,
                },
            ));
        } else if node.has_tag_name("g") && class.contains("flow-label") {
            let link = number(node, "data-link") as usize;
            if let Some(rect) = node.children().find(|c| c.has_tag_name("rect")) {
                labels.push((link, rect_of(rect)));
            }
        } else if node.has_tag_name("g") && class == "node" {
            let Some(i) = node_index(&title(node)) else {
                continue;
            };
            boxes.push((i, graphviz_box(node)));
        } else if node.has_tag_name("g")
            && class == "edge"
            && let Some(edge) = graphviz_edge(node, &title(node))
        {
            edges.push((usize::MAX, edge));
        }
    }
    for (link, rect) in labels {
        if let Some((_, edge)) = edges.iter_mut().find(|(l, _)| *l == link) {
            edge.label = Some(rect);
        }
    }
    boxes.sort_by_key(|(i, _)| *i);
    Drawn {
        boxes: boxes.into_iter().map(|(_, r)| r).collect(),
        edges: edges.into_iter().map(|(_, e)| e).collect(),
    }
}

/// Each design named on the command line that has no design error, with its name and its
/// check report.
fn designs() -> impl Iterator<Item = (String, infralint::FileReport)> {
    let options = infralint::CheckOptions {
        today: "2026-11-23".parse().expect("a date"),
        ..infralint::CheckOptions::default()
    };
    std::env::args().skip(1).filter_map(move |path| {
        let text = std::fs::read_to_string(&path).expect("a readable design");
        let report =
            infralint::check_source(infralint::source::SourceFile::new(&path, text), &options);
        if report.design.is_none() {
            eprintln!("{path}: design errors, skipped");
            return None;
        }
        let name = std::path::Path::new(&path)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or(path.clone());
        Some((name, report))
    })
}

/// How monitoring is drawn: `MONITORING=lines` or `badges`, else the default.
fn monitoring() -> diagram::Monitoring {
    match std::env::var("MONITORING").as_deref() {
        Ok("lines") => diagram::Monitoring::Lines,
        Ok("badges") => diagram::Monitoring::Badges,
        _ => diagram::Monitoring::Auto,
    }
}

/// A picture placed by `engine`, and how long building it took.
fn timed(
    report: &infralint::FileReport,
    engine: diagram::Engine,
) -> (diagram::Diagram, std::time::Duration) {
    let started = std::time::Instant::now();
    let picture = diagram::build_with(
        report.design.as_ref().expect("a design"),
        Some(&report.findings),
        engine,
        monitoring(),
    )
    .expect("the engine places the picture");
    (picture, started.elapsed())
}

/// Boxes that a container encloses without their being members.
fn strangers(picture: &diagram::Diagram) -> usize {
    picture
        .containers
        .iter()
        .map(|c| {
            picture
                .boxes
                .iter()
                .enumerate()
                .filter(|(i, b)| {
                    !c.members.contains(i)
                        && b.x < c.rect.right()
                        && c.rect.x < b.right()
                        && b.y < c.rect.bottom()
                        && c.rect.y < b.bottom()
                })
                .count()
        })
        .sum()
}

/// The cells both tables share: crossings, bends, area, label collisions, box crossings.
fn cells(a: &Measures, b: &Measures) -> String {
    format!(
        "{} / {} | {} / {} | {:.0} / {:.0} | {} / {} | {} / {}",
        a.crossings,
        b.crossings,
        a.bends,
        b.bends,
        a.area / 1000.0,
        b.area / 1000.0,
        a.label_collisions,
        b.label_collisions,
        a.box_crossings,
        b.box_crossings
    )
}

/// The engine measured as ours: `ENGINE=dagre|layered|layout-rs`, else the default.
fn ours() -> diagram::Engine {
    match std::env::var("ENGINE").as_deref() {
        Ok("dagre") => diagram::Engine::Dagre,
        Ok("layout-rs") => diagram::Engine::LayoutRs,
        _ => diagram::Engine::Layered,
    }
}

fn main() {
    if std::env::var_os("ENGINES").is_some() {
        println!(
            "| design | crossings (layout-rs / dagre) | bends (layout-rs / dagre) | area, kpx² (layout-rs / dagre) | label collisions (layout-rs / dagre) | edges through boxes (layout-rs / dagre) | containers (dagre) | boxes in a container not theirs (dagre) | diagram ms (layout-rs / dagre) |"
        );
        println!("|---|---|---|---|---|---|---|---|---|");
        for (name, report) in designs() {
            let (mine, my_time) = timed(&report, diagram::Engine::LayoutRs);
            let (theirs, their_time) = timed(&report, diagram::Engine::Dagre);
            println!(
                "| {name} | {} | {} | {} | {:.1} / {:.1} |",
                cells(&Drawn::of(&mine).measure(), &Drawn::of(&theirs).measure()),
                theirs.containers.len(),
                strangers(&theirs),
                my_time.as_secs_f64() * 1000.0,
                their_time.as_secs_f64() * 1000.0
            );
        }
        return;
    }
    println!(
        "| design | crossings (ours / dot) | bends (ours / dot) | area, kpx² (ours / dot) | label collisions (ours / dot) | edges through boxes (ours / dot) | containers (ours) | boxes in a container not theirs (ours) |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    for (name, report) in designs() {
        let (picture, _) = timed(&report, ours());
        let dot = infralint::pictures::dot::render(&picture.scene);
        println!(
            "| {name} | {} | {} | {} |",
            cells(
                &read_svg(&infralint::pictures::svg::render(&picture)).measure(),
                &read_svg(&graphviz(&dot)).measure()
            ),
            picture.containers.len(),
            strangers(&picture)
        );
    }
}
