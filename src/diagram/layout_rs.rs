//! Placement by layout-rs, the only module that names it.
//!
//! layout-rs places nodes in ranks and routes edges (Sugiyama-style, with label
//! connectors that reserve room for edge labels). It renders through a `RenderBackend`;
//! ours records instead of drawing: each node's rectangle and each edge's path, told
//! apart by the properties string we give them. Everything visible is drawn by our own
//! renderer from these records (`pictures::svg`).

use layout::core::base::Orientation;
use layout::core::format::{ClipHandle, RenderBackend};
use layout::core::geometry::Point;
use layout::core::style::StyleAttr;
use layout::std_shapes::shapes::{Arrow, Element, ShapeKind};
use layout::topo::layout::VisualGraph;

use super::geometry::{Path, Rect};

/// Above this many shapes, layout-rs's crossing optimisers are turned off. Measured here
/// (release, layered graphs with two labelled edges per node, `cargo bench -- layout`):
/// with them 12 ms at 50 nodes, 39 ms at 100, 142 ms at 150 (and 2.5 s at 200, where
/// 0.1.3 also panicked); without them 0.4 ms, 3.6 ms, 63 ms. Folding alike servers keeps
/// real designs far below this.
pub const OPTIMISE_UP_TO: usize = 100;

/// An edge to draw: from, to, and its label.
pub type LabelledEdge = (usize, usize, String);

pub struct Placement {
    pub boxes: Vec<Rect>,
    /// One path per edge, in the order the edges were given (empty if layout-rs drew none).
    pub paths: Vec<Path>,
}

/// Places boxes of the given sizes, top to bottom, with drawn edges `(from, to, label)`
/// and invisible ones `(above, below)` that only hold a box below another.
pub fn place(
    sizes: &[(f64, f64)],
    edges: &[LabelledEdge],
    held: &[(usize, usize)],
    optimise: bool,
) -> Placement {
    let mut graph = VisualGraph::new(Orientation::TopToBottom);
    let handles: Vec<_> = sizes
        .iter()
        .enumerate()
        .map(|(i, &(w, h))| {
            graph.add_node(Element::create_with_properties(
                ShapeKind::new_box(""),
                StyleAttr::simple(),
                Orientation::TopToBottom,
                Point::new(w, h),
                format!("n{i}"),
            ))
        })
        .collect();
    for (i, (from, to, label)) in edges.iter().enumerate() {
        let arrow = Arrow::simple_with_properties(label, format!("e{i}"));
        graph.add_edge(arrow, handles[*from], handles[*to]);
    }
    for &(above, below) in held {
        graph.add_edge(Arrow::invisible(), handles[above], handles[below]);
    }
    let mut recorder = Recorder {
        boxes: vec![None; sizes.len()],
        paths: vec![Vec::new(); edges.len()],
    };
    graph.do_it(false, !optimise, false, &mut recorder);
    Placement {
        boxes: recorder
            .boxes
            .into_iter()
            .map(|b| b.expect("layout-rs draws every node"))
            .collect(),
        paths: recorder.paths,
    }
}

/// Places with layout-rs, which panics on some graphs ("Can't normalize the unit
/// vector", 0.1.3): then once more with its optimisers switched, and if that fails too,
/// in plain rows by tier with straight links (`rows`). Never panics.
pub fn place_safely(
    sizes: &[(f64, f64)],
    edges: &[LabelledEdge],
    held: &[(usize, usize)],
    tiers: &[u8],
    optimise: bool,
) -> Placement {
    for attempt in [optimise, !optimise] {
        let hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        let placed = std::panic::catch_unwind(|| place(sizes, edges, held, attempt));
        std::panic::set_hook(hook);
        if let Ok(placement) = placed {
            return placement;
        }
    }
    rows(sizes, edges, tiers)
}

/// The fallback: one row per tier, boxes left to right, links as straight lines from the
/// bottom of one box to the top of the other.
fn rows(sizes: &[(f64, f64)], edges: &[LabelledEdge], tiers: &[u8]) -> Placement {
    const GAP: f64 = 40.0;
    let mut order: Vec<u8> = tiers.to_vec();
    order.sort_unstable();
    order.dedup();
    let mut boxes = vec![
        Rect {
            x: 0.0,
            y: 0.0,
            width: 0.0,
            height: 0.0
        };
        sizes.len()
    ];
    let mut y = 0.0;
    for tier in order {
        let mut x = 0.0;
        let mut tallest: f64 = 0.0;
        for (i, &(w, h)) in sizes.iter().enumerate().filter(|&(i, _)| tiers[i] == tier) {
            boxes[i] = Rect {
                x,
                y,
                width: w,
                height: h,
            };
            x += w + GAP;
            tallest = tallest.max(h);
        }
        y += tallest + 2.0 * GAP;
    }
    let paths = edges
        .iter()
        .map(|&(from, to, _)| {
            let (a, b) = (boxes[from], boxes[to]);
            let start = (a.x + a.width / 2.0, a.bottom());
            let end = (b.x + b.width / 2.0, b.y);
            vec![(start, start), (end, end)]
        })
        .collect();
    Placement { boxes, paths }
}

struct Recorder {
    boxes: Vec<Option<Rect>>,
    paths: Vec<Path>,
}

fn index(properties: &Option<String>, prefix: char) -> Option<usize> {
    properties.as_ref()?.strip_prefix(prefix)?.parse().ok()
}

impl RenderBackend for Recorder {
    fn draw_rect(
        &mut self,
        xy: Point,
        size: Point,
        _: &StyleAttr,
        properties: Option<String>,
        _: Option<ClipHandle>,
    ) {
        if let Some(i) = index(&properties, 'n') {
            self.boxes[i] = Some(Rect {
                x: xy.x,
                y: xy.y,
                width: size.x,
                height: size.y,
            });
        }
    }

    fn draw_line(&mut self, _: Point, _: Point, _: &StyleAttr, _: Option<String>) {}

    fn draw_circle(&mut self, _: Point, _: Point, _: &StyleAttr, _: Option<String>) {}

    fn draw_text(&mut self, _: Point, _: &str, _: &StyleAttr) {}

    fn draw_arrow(
        &mut self,
        path: &[(Point, Point)],
        _: bool,
        _: (bool, bool),
        _: &StyleAttr,
        properties: Option<String>,
        _: &str,
    ) {
        if let Some(i) = index(&properties, 'e') {
            self.paths[i] = path.iter().map(|(a, b)| ((a.x, a.y), (b.x, b.y))).collect();
        }
    }

    fn create_clip(&mut self, _: Point, _: Point, _: usize) -> ClipHandle {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A layered graph on which layout-rs 0.1.3 panics with its optimisers on.
    fn troublesome() -> (Vec<(f64, f64)>, Vec<LabelledEdge>) {
        let nodes = 60;
        let edges = (0..nodes - 10)
            .flat_map(|i: usize| {
                let next = (i / 10 + 1) * 10;
                [
                    (i, next + i % 10, "https :443".to_string()),
                    (i, next + (i + 3) % 10, "http".to_string()),
                ]
            })
            .filter(|&(_, to, _)| to < nodes)
            .collect();
        (vec![(140.0, 60.0); nodes], edges)
    }

    #[test]
    fn a_panic_in_layout_rs_falls_back_instead_of_crashing() {
        let (sizes, edges) = troublesome();
        let tiers: Vec<u8> = (0..sizes.len()).map(|i| (i / 10) as u8).collect();
        assert!(
            std::panic::catch_unwind(|| place(&sizes, &edges, &[], true)).is_err(),
            "layout-rs still panics on this graph; if it no longer does, find another"
        );
        let placement = place_safely(&sizes, &edges, &[], &tiers, true);
        assert_eq!(placement.boxes.len(), sizes.len());
        assert_eq!(placement.paths.len(), edges.len());
        let fallback = rows(&sizes, &edges, &tiers);
        assert!(
            fallback.boxes[10].y > fallback.boxes[0].bottom(),
            "a tier is a row"
        );
    }
}
