//! Placement by layout-rs, the only module that names it.
//!
//! layout-rs places nodes in ranks and routes edges (Sugiyama-style, with label
//! connectors that reserve room for edge labels). It renders through a `RenderBackend`;
//! ours records instead of drawing: each node's rectangle and each edge's path, told
//! apart by the properties string we give them. Everything visible is drawn by our own
//! renderer from these records (`render::svg`).

use layout::core::base::Orientation;
use layout::core::format::{ClipHandle, RenderBackend};
use layout::core::geometry::Point;
use layout::core::style::StyleAttr;
use layout::std_shapes::shapes::{Arrow, Element, ShapeKind};
use layout::topo::layout::VisualGraph;

/// Above this many nodes, layout-rs's crossing optimisers are turned off: their cost
/// grows steeply (measured: 200 labelled nodes 61 ms, 1,000 nodes 9.6 s with them;
/// 5 ms and 213 ms without).
pub const OPTIMISE_UP_TO: usize = 200;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

impl Rect {
    pub fn right(&self) -> f64 {
        self.x + self.width
    }

    pub fn bottom(&self) -> f64 {
        self.y + self.height
    }
}

/// An edge's path as layout-rs routes it: the first pair is (start, control), each
/// following pair (control, point), for an SVG `M … C … S …` path.
pub type Path = Vec<((f64, f64), (f64, f64))>;

pub struct Placement {
    pub boxes: Vec<Rect>,
    /// One path per edge, in the order the edges were given (empty if layout-rs drew none).
    pub paths: Vec<Path>,
}

/// Places boxes of the given sizes, top to bottom, with drawn edges `(from, to, label)`
/// and invisible ones `(above, below)` that only hold a box below another.
pub fn place(
    sizes: &[(f64, f64)],
    edges: &[(usize, usize, String)],
    held: &[(usize, usize)],
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
    let optimise = sizes.len() <= OPTIMISE_UP_TO;
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
