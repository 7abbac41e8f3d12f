//! `cargo run --release --example compare_layout -- DESIGN...`: our layout beside
//! Graphviz's on the same scene (`dot -Tjson` on the DOT that `--format dot` emits), as
//! a markdown table of crossings, bends, area and label collisions. Needs `dot`.
//! `scripts/compare-layout.sh` runs it on the shipped designs.
//!
//! Measured the same way for both: edges are sampled into segments (cubic Béziers, 16
//! steps each); a crossing is a pair of edges with no shared end that intersect; a bend
//! is a joint between two Bézier segments of one edge; the area is the bounding box of
//! boxes, edges and labels; a label collision is a label that overlaps another label or
//! a box; a box crossing is an edge through a box it does not start or end at.

use std::process::{Command, Stdio};

use infralint::diagram::{self, font};

type Point = (f64, f64);

#[derive(Clone, Copy)]
struct Rect {
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

impl Rect {
    fn centred(x: f64, y: f64, w: f64, h: f64) -> Rect {
        Rect {
            x: x - w / 2.0,
            y: y - h / 2.0,
            w,
            h,
        }
    }

    fn overlaps(&self, o: &Rect) -> bool {
        self.x < o.x + o.w && o.x < self.x + self.w && self.y < o.y + o.h && o.y < self.y + self.h
    }

    fn contains(&self, (x, y): Point, inset: f64) -> bool {
        x > self.x + inset
            && x < self.x + self.w - inset
            && y > self.y + inset
            && y < self.y + self.h - inset
    }
}

struct Edge {
    from: usize,
    to: usize,
    /// Cubic Bézier segments: start, control, control, end.
    segments: Vec<[Point; 4]>,
    label: Option<Rect>,
}

struct Layout {
    boxes: Vec<Rect>,
    edges: Vec<Edge>,
}

fn sample(segment: &[Point; 4]) -> Vec<Point> {
    let [p0, p1, p2, p3] = *segment;
    (0..=16)
        .map(|i| {
            let t = i as f64 / 16.0;
            let u = 1.0 - t;
            let (a, b, c, d) = (u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t);
            (
                a * p0.0 + b * p1.0 + c * p2.0 + d * p3.0,
                a * p0.1 + b * p1.1 + c * p2.1 + d * p3.1,
            )
        })
        .collect()
}

fn intersect(a: Point, b: Point, c: Point, d: Point) -> bool {
    let cross =
        |o: Point, p: Point, q: Point| (p.0 - o.0) * (q.1 - o.1) - (p.1 - o.1) * (q.0 - o.0);
    let (d1, d2) = (cross(c, d, a), cross(c, d, b));
    let (d3, d4) = (cross(a, b, c), cross(a, b, d));
    d1 * d2 < 0.0 && d3 * d4 < 0.0
}

struct Measures {
    crossings: usize,
    bends: usize,
    area: f64,
    label_collisions: usize,
    box_crossings: usize,
}

fn measure(layout: &Layout) -> Measures {
    let polylines: Vec<Vec<Point>> = layout
        .edges
        .iter()
        .map(|e| e.segments.iter().flat_map(sample).collect())
        .collect();
    let mut crossings = 0;
    for i in 0..layout.edges.len() {
        for j in i + 1..layout.edges.len() {
            let (a, b) = (&layout.edges[i], &layout.edges[j]);
            if a.from == b.from || a.from == b.to || a.to == b.from || a.to == b.to {
                continue;
            }
            let crosses = polylines[i].windows(2).any(|s| {
                polylines[j]
                    .windows(2)
                    .any(|t| intersect(s[0], s[1], t[0], t[1]))
            });
            crossings += usize::from(crosses);
        }
    }
    let bends = layout
        .edges
        .iter()
        .map(|e| e.segments.len().saturating_sub(1))
        .sum();
    let labels: Vec<Rect> = layout.edges.iter().filter_map(|e| e.label).collect();
    let mut label_collisions = 0;
    for (i, label) in labels.iter().enumerate() {
        let hits_label = labels
            .iter()
            .enumerate()
            .any(|(j, o)| j != i && label.overlaps(o));
        let hits_box = layout.boxes.iter().any(|b| label.overlaps(b));
        label_collisions += usize::from(hits_label || hits_box);
    }
    let mut box_crossings = 0;
    for (edge, line) in layout.edges.iter().zip(&polylines) {
        for (index, rect) in layout.boxes.iter().enumerate() {
            if index != edge.from && index != edge.to && line.iter().any(|&p| rect.contains(p, 2.0))
            {
                box_crossings += 1;
            }
        }
    }
    let mut points: Vec<Point> = polylines.iter().flatten().copied().collect();
    for r in layout.boxes.iter().chain(&labels) {
        points.push((r.x, r.y));
        points.push((r.x + r.w, r.y + r.h));
    }
    let (min_x, max_x) = points
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.0), b.max(p.0)));
    let (min_y, max_y) = points
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.1), b.max(p.1)));
    Measures {
        crossings,
        bends,
        area: (max_x - min_x) * (max_y - min_y),
        label_collisions,
        box_crossings,
    }
}

/// A placement of ours or of an engine drawn by our renderer, as `render::svg` draws it.
fn ours(picture: &diagram::Diagram) -> Layout {
    let boxes = picture
        .boxes
        .iter()
        .map(|r| Rect {
            x: r.x,
            y: r.y,
            w: r.width,
            h: r.height,
        })
        .collect();
    let edges = picture
        .scene
        .links
        .iter()
        .zip(&picture.paths)
        .zip(&picture.anchors)
        .filter(|((_, path), _)| path.len() >= 2)
        .map(|((link, path), &(x, y))| {
            // `M p0 C c1, c2, p1` then `S c2, p` with the first control reflected.
            let mut segments = vec![[path[0].0, path[0].1, path[1].0, path[1].1]];
            for pair in &path[2..] {
                let last = *segments.last().unwrap();
                let reflected = (2.0 * last[3].0 - last[2].0, 2.0 * last[3].1 - last[2].1);
                segments.push([last[3], reflected, pair.0, pair.1]);
            }
            let label = (!link.label.is_empty()).then(|| {
                let r = diagram::labels::rect(link, (x, y));
                Rect {
                    x: r.x,
                    y: r.y,
                    w: r.width,
                    h: r.height,
                }
            });
            Edge {
                from: link.from,
                to: link.to,
                segments,
                label,
            }
        })
        .collect();
    Layout { boxes, edges }
}

fn point(text: &str) -> Point {
    let mut parts = text.split(',').map(|v| v.parse::<f64>().unwrap_or(0.0));
    (parts.next().unwrap_or(0.0), parts.next().unwrap_or(0.0))
}

/// Graphviz's placement of the DOT we emit, from `dot -Tjson`.
fn graphviz(dot: &str) -> Layout {
    let mut child = Command::new("dot")
        .arg("-Tjson")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("Graphviz `dot` on the PATH");
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), dot.as_bytes()).unwrap();
    drop(child.stdin.take());
    let out = child.wait_with_output().unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("dot's JSON");
    let number = |v: &serde_json::Value| {
        v.as_str()
            .and_then(|s| s.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    let boxes = json["objects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|node| {
            let (x, y) = point(node["pos"].as_str().unwrap_or("0,0"));
            Rect::centred(
                x,
                y,
                number(&node["width"]) * 72.0,
                number(&node["height"]) * 72.0,
            )
        })
        .collect();
    let edges = json["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|edge| {
            let points: Vec<Point> = edge["pos"]
                .as_str()
                .unwrap_or_default()
                .split(' ')
                .filter(|p| !p.starts_with("e,") && !p.starts_with("s,"))
                .map(point)
                .collect();
            let segments = points
                .windows(4)
                .step_by(3)
                .map(|w| [w[0], w[1], w[2], w[3]])
                .collect();
            let label = edge["lp"].as_str().map(|lp| {
                let (x, y) = point(lp);
                let text = edge["label"].as_str().unwrap_or_default();
                Rect::centred(x, y, font::width(text, 10.0) + 4.0, 14.0)
            });
            Edge {
                from: edge["tail"].as_u64().unwrap_or(0) as usize,
                to: edge["head"].as_u64().unwrap_or(0) as usize,
                segments,
                label,
            }
        })
        .collect();
    Layout { boxes, edges }
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
        diagram::Monitoring::Auto,
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

fn main() {
    if std::env::var_os("DAGRE").is_some() {
        println!(
            "| design | crossings (ours / dagre) | bends (ours / dagre) | area, kpx² (ours / dagre) | label collisions (ours / dagre) | edges through boxes (ours / dagre) | containers (dagre) | boxes in a container not theirs (dagre) | diagram ms (ours / dagre) |"
        );
        println!("|---|---|---|---|---|---|---|---|---|");
        for (name, report) in designs() {
            let (mine, my_time) = timed(&report, diagram::Engine::Ours);
            let (theirs, their_time) = timed(&report, diagram::Engine::Dagre);
            println!(
                "| {name} | {} | {} | {} | {:.1} / {:.1} |",
                cells(&measure(&ours(&mine)), &measure(&ours(&theirs))),
                theirs.containers.len(),
                strangers(&theirs),
                my_time.as_secs_f64() * 1000.0,
                their_time.as_secs_f64() * 1000.0
            );
        }
        return;
    }
    println!(
        "| design | crossings (ours / dot) | bends (ours / dot) | area, kpx² (ours / dot) | label collisions (ours / dot) | edges through boxes (ours / dot) |"
    );
    println!("|---|---|---|---|---|---|");
    for (name, report) in designs() {
        let (picture, _) = timed(&report, diagram::Engine::Ours);
        let dot = infralint::render::dot::render(&picture.scene);
        println!(
            "| {name} | {} |",
            cells(&measure(&ours(&picture)), &measure(&graphviz(&dot)))
        );
    }
}
