//! Pictures read back from their SVG alone, ours or Graphviz's: one reader for both, so
//! that neither is measured from anything the other is not (issue 25). Shared by
//! `examples/compare_layout.rs` (the table in docs/diagrams/README.md) and the test that
//! holds our crossings to Graphviz's.

use std::process::{Command, Stdio};

use infralint::diagram::measure::{Drawn, Edge};
use infralint::diagram::{Rect, font};

type Point = (f64, f64);

/// Graphviz's drawing of the DOT we emit: `dot -Tsvg`.
pub(crate) fn graphviz(dot: &str) -> String {
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
pub(crate) fn read_svg(svg: &str) -> Drawn {
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
