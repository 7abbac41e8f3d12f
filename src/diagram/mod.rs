//! Whiteboard diagrams: a design and its findings in, a placed picture out.
//!
//! `scene` decides what is shown; an engine (`dagre` by default, `layout` for
//! layout-rs, `graphviz`) says where; `pictures::svg` and `pictures::dot` draw it. Box sizes
//! come from the shipped font's metrics (`font`), so that every label fits the box drawn
//! around it.

mod dagre;
pub mod font;
pub mod geometry;
mod graphviz;
pub mod groups;
pub mod labels;
mod layered;
pub mod layout_rs;
pub mod measure;
pub mod rows;
pub mod scene;
mod tiers;

use crate::model::Design;
use crate::rules::Finding;

pub use geometry::{Path, Rect};
pub use scene::{Badge, Guard, Line, Link, LinkStyle, Monitoring, Note, Scene, Shape, ShapeKind};

/// Sizes of the picture's text and boxes, in pixels.
pub mod metrics {
    pub const TITLE: f64 = 15.0;
    pub const TEXT: f64 = 12.0;
    pub const SMALL: f64 = 11.0;
    pub const PAD: f64 = 10.0;
    pub const TITLE_LINE: f64 = 22.0;
    pub const LINE: f64 = 17.0;
    pub const BADGE_LINE: f64 = 20.0;
    /// The padlock drawn before a line, and the gap after it.
    pub const LOCK: f64 = 14.0;
    pub const BADGE_PAD: f64 = 5.0;
    pub const BADGE_GAP: f64 = 4.0;
}

/// A scene and where everything goes.
pub struct Diagram {
    pub scene: Scene,
    pub boxes: Vec<Rect>,
    /// One path per link of the scene: routed by layout-rs for links that go down the
    /// tiers, an arc of our own for links within a tier or back up.
    pub paths: Vec<Path>,
    /// Where each link's label goes: the middle of its path, or the nearest place along
    /// it where the label overlaps nothing (`labels::place`).
    pub anchors: Vec<(f64, f64)>,
    /// Containers drawn around their members: clusters and zones, from an engine that
    /// places them (dagre, Graphviz); none from layout-rs, which cannot keep non-members
    /// out.
    pub containers: Vec<Container>,
    /// For a link whose label is not drawn because another link sharing its line (a
    /// trunk, a bus, a lane into or out of a wrapped tier) draws the same, that link.
    pub spoken_by: Vec<Option<usize>>,
}

impl Diagram {
    /// Whether link `i`'s label is drawn: it has one, it has a path, and no other link
    /// draws it for it.
    pub fn labelled(&self, i: usize) -> bool {
        !self.scene.links[i].label.is_empty()
            && self.paths[i].len() >= 2
            && self.spoken_by[i].is_none()
    }

    /// The link whose drawn label stands for link `i`'s: itself, or the one that speaks
    /// for it (followed through links that are themselves spoken for).
    pub fn speaker(&self, i: usize) -> usize {
        let mut at = i;
        for _ in 0..self.spoken_by.len() {
            match self.spoken_by[at] {
                Some(next) if next != at => at = next,
                _ => break,
            }
        }
        at
    }
}

/// A cluster or a zone drawn as a box around its members (`diagram::groups`).
#[derive(Clone, Debug)]
pub struct Container {
    pub zone: bool,
    /// A cluster's failover or quorum, drawn on its outline.
    pub guard: Guard,
    pub name: String,
    /// What its top line says: `zone NAME`, or a cluster's name, virtual IP and mode (and
    /// the zones of its members).
    pub title: String,
    pub rect: Rect,
    /// The shapes inside (a cluster's own shape among them).
    pub members: Vec<usize>,
}

/// The width and height a shape needs for its text.
pub fn shape_size(shape: &Shape) -> (f64, f64) {
    use metrics::*;
    let mut width = font::width(&shape.title, TITLE);
    let mut height = PAD + TITLE_LINE;
    if let Some(subtitle) = &shape.subtitle {
        width = width.max(font::width(subtitle, SMALL));
        height += LINE;
    }
    for line in &shape.lines {
        let lock = if line.lock { LOCK } else { 0.0 };
        width = width.max(lock + font::width(&line.text, TEXT));
        height += LINE;
    }
    if !shape.badges.is_empty() {
        let badges: f64 = shape
            .badges
            .iter()
            .map(|b| font::width(&b.text, SMALL) + 2.0 * BADGE_PAD + BADGE_GAP)
            .sum();
        width = width.max(badges - BADGE_GAP);
        height += BADGE_LINE;
    }
    (width + 2.0 * PAD, height + PAD / 2.0)
}

/// Builds and places the picture of a design with the default engine. `findings: None`
/// leaves findings off.
pub fn build(design: &Design, findings: Option<&[Finding]>) -> Diagram {
    contained(scene::build(design, findings))
}

/// Who places the boxes and routes the links; our renderer draws either way.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Engine {
    /// Our own layered layout in our tiers (the default): clusters and zones drawn as
    /// containers, every link at its own port, straight down its slot and in an S-curve
    /// across each gap, never under a box; links within a tier side by side.
    Layered,
    /// dugong, a Rust port of dagre, in our tiers: clusters and zones drawn as
    /// containers (the engine before `layered`; layout-rs places a picture dugong
    /// refuses).
    Dagre,
    /// layout-rs, in our tiers, with our arcs for links within a tier: no containers (a
    /// cluster is a box linked to its members).
    #[value(name = "layout-rs", alias = "ours")]
    LayoutRs,
    /// Graphviz's `dot` (installed separately), given our box sizes, tiers and containers.
    Graphviz,
}

/// [`build`] with a chosen engine and way of drawing monitoring. `Err` says why Graphviz
/// could not place it.
pub fn build_with(
    design: &Design,
    findings: Option<&[Finding]>,
    engine: Engine,
    monitoring: Monitoring,
) -> Result<Diagram, String> {
    let scene = scene::build_with(design, findings, monitoring);
    match engine {
        Engine::LayoutRs => Ok(place(scene)),
        Engine::Dagre => Ok(dagre(scene)),
        Engine::Layered => Ok(contained(scene)),
        Engine::Graphviz => {
            let sizes: Vec<(f64, f64)> = scene.shapes.iter().map(shape_size).collect();
            let placed = graphviz::place(&scene, &sizes, groups::containers(&scene))?;
            Ok(finish(scene, placed))
        }
    }
}

/// Places a scene with the default engine (`layered`), clusters and zones as containers.
fn contained(scene: Scene) -> Diagram {
    let sizes: Vec<(f64, f64)> = scene.shapes.iter().map(shape_size).collect();
    let placed = layered::place(&scene, &sizes, groups::containers(&scene));
    finish(scene, placed)
}

/// Places a scene with dugong, clusters and zones as containers; with layout-rs, without
/// them, when dugong refuses it (a picture is never worth an error).
fn dagre(scene: Scene) -> Diagram {
    let sizes: Vec<(f64, f64)> = scene.shapes.iter().map(shape_size).collect();
    match dagre::place(&scene, &sizes, groups::containers(&scene)) {
        Ok(placed) => finish(scene, placed),
        Err(_) => place(scene),
    }
}

/// What an engine other than ours gives back: boxes, one path per link (empty for a link
/// it drew none for), each label's place, and the containers with their boxes.
struct Placed {
    boxes: Vec<Rect>,
    paths: Vec<Path>,
    anchors: Vec<(f64, f64)>,
    containers: Vec<Container>,
    /// For each link whose label another draws (a trunk's, a bus's, a lane's), that one.
    spoken_by: Vec<Option<usize>>,
}

impl Placed {
    /// The picture as a reader sees it, for `measure`: without the lines a container
    /// stands for.
    fn drawn(&self, scene: &Scene) -> measure::Drawn {
        let paths: Vec<Path> = self
            .paths
            .iter()
            .zip(&scene.links)
            .map(|(path, link)| {
                if boxed(link, &self.containers) {
                    Vec::new()
                } else {
                    path.clone()
                }
            })
            .collect();
        measure::Drawn::from_paths(&self.boxes, &scene.links, &paths, None)
    }
}

/// Each shape that no link down the tiers reaches, held below the nearest tier above it
/// (the shape above, the shape held): so that every engine keeps it in its tier.
fn held(scene: &Scene) -> Vec<(usize, usize)> {
    let tier = |i: usize| scene.shapes[i].tier;
    let mut reached = vec![false; scene.shapes.len()];
    for link in scene.links.iter().filter(|l| tier(l.from) < tier(l.to)) {
        reached[link.to] = true;
    }
    let mut held = Vec::new();
    for (shape, _) in reached.iter().enumerate().skip(1).filter(|(_, r)| !**r) {
        let above = (0..scene.shapes.len())
            .filter(|&s| tier(s) < tier(shape))
            .max_by_key(|&s| (tier(s), std::cmp::Reverse(s)));
        if let Some(above) = above {
            held.push((above, shape));
        }
    }
    held
}

/// Whether a link is a line from a cluster to a member that a container drawn around them
/// stands for (so it is not drawn).
fn boxed(link: &Link, containers: &[Container]) -> bool {
    link.style == LinkStyle::Member
        && containers
            .iter()
            .any(|c| !c.zone && c.members.contains(&link.from))
}

/// An engine's placement made a diagram: our arcs for the links it drew no path for
/// (within a tier, or back up), then the labels moved off whatever they sit on.
fn finish(scene: Scene, placed: Placed) -> Diagram {
    let Placed {
        boxes,
        mut paths,
        mut anchors,
        containers,
        spoken_by,
    } = placed;
    let mut arcs_between: std::collections::HashMap<(usize, usize), usize> = Default::default();
    for (i, link) in scene.links.iter().enumerate() {
        if paths[i].is_empty() {
            let pair = (link.from.min(link.to), link.from.max(link.to));
            let nth = arcs_between.entry(pair).or_default();
            (paths[i], anchors[i]) = arc(&boxes[link.from], &boxes[link.to], *nth);
            *nth += 1;
        }
    }
    // Those links stay in the scene (Mermaid, D2 and DOT read membership from them) with
    // no path.
    for (link, path) in scene.links.iter().zip(paths.iter_mut()) {
        if boxed(link, &containers) {
            path.clear();
        }
    }
    let mut diagram = Diagram {
        scene,
        boxes,
        paths,
        anchors,
        containers,
        spoken_by,
    };
    labels::place(&mut diagram);
    diagram
}

/// The diagram of a what-if (`simulate --svg`): the servers that failed greyed out, the
/// links of one surviving path bold (of requests, else of writes).
pub fn build_what_if(
    design: &Design,
    findings: &[Finding],
    simulation: &crate::analysis::simulate::Simulation,
    model: &crate::analysis::Model<'_>,
) -> Diagram {
    let mut scene = scene::build(design, Some(findings));
    // A folded shape is greyed only when all of its servers failed.
    let mut all_down = vec![true; scene.shapes.len()];
    let mut holds_server = vec![false; scene.shapes.len()];
    for server in &design.servers {
        let shape = scene.server_shape[server.id.index()];
        holds_server[shape] = true;
        all_down[shape] &= simulation.failed.contains(&server.id);
    }
    for (shape, down) in scene
        .shapes
        .iter_mut()
        .zip(all_down.iter().zip(&holds_server))
    {
        shape.down = *down.0 && *down.1;
    }
    let shape_of = |node: usize| -> Option<usize> {
        let info = &model.logic.nodes[node];
        match info.node {
            crate::graph::Node::External(e) => Some(scene.external_shape[e.index()]),
            _ => info.server.map(|s| scene.server_shape[s.index()]),
        }
    };
    let path = if simulation.requests().complete {
        &simulation.requests().path
    } else {
        &simulation.writes().path
    };
    let hops: Vec<(usize, usize)> = path
        .iter()
        .filter_map(|&(a, b)| Some((shape_of(a)?, shape_of(b)?)))
        .collect();
    for link in &mut scene.links {
        link.bold = hops.contains(&(link.from, link.to));
    }
    contained(scene)
}

/// Sizes, places and routes a scene.
fn place(scene: Scene) -> Diagram {
    let sizes: Vec<(f64, f64)> = scene.shapes.iter().map(shape_size).collect();
    let tier = |i: usize| scene.shapes[i].tier;
    // Only links down the tiers shape the layout, so that the request path reads top to
    // bottom whatever flows run between servers of one tier.
    let downward: Vec<usize> = (0..scene.links.len())
        .filter(|&i| tier(scene.links[i].from) < tier(scene.links[i].to))
        .collect();
    // layout-rs keeps room for every edge's label in each rank the edge crosses; past
    // [`LABEL_ROOM_UP_TO`] links that room, not the boxes, makes a picture tens of
    // thousands of pixels wide, so big pictures are placed without it (labels are drawn
    // at their path's middle either way).
    let room = downward.len() <= LABEL_ROOM_UP_TO;
    let edges: Vec<(usize, usize, String)> = downward
        .iter()
        .map(|&i| {
            let l = &scene.links[i];
            let label = if room { l.label.clone() } else { String::new() };
            (l.from, l.to, label)
        })
        .collect();
    // A shape that no downward link reaches is held below the nearest tier above it.
    let held = held(&scene);
    let optimise = sizes.len() <= layout_rs::OPTIMISE_UP_TO;
    let tiers: Vec<u8> = scene.shapes.iter().map(|s| s.tier).collect();
    let placement = layout_rs::place_safely(&sizes, &edges, &held, &tiers, optimise);
    let mut paths = vec![Vec::new(); scene.links.len()];
    for (path, &i) in placement.paths.into_iter().zip(&downward) {
        paths[i] = path;
    }
    let anchors = paths.iter().map(labels::middle).collect();
    finish(
        scene,
        Placed {
            spoken_by: vec![None; paths.len()],
            boxes: placement.boxes,
            paths,
            anchors,
            containers: Vec::new(),
        },
    )
}

/// Up to this many links down the tiers, layout-rs keeps room for their labels.
pub const LABEL_ROOM_UP_TO: usize = 60;

/// A link within a tier, or back up: from the bottom of one box to the bottom of the
/// other, bowing below both; the `nth` arc between the same two boxes bows further and
/// leaves a little to the side, so that arcs and labels do not sit on each other.
/// Returns the path and the arc's lowest point, for its label.
fn arc(from: &Rect, to: &Rect, nth: usize) -> (Path, (f64, f64)) {
    let shift = 14.0 * nth as f64;
    let start = (from.x + from.width / 2.0 + shift, from.bottom());
    let end = (to.x + to.width / 2.0 - shift, to.bottom());
    let bottom = from.bottom().max(to.bottom());
    let below = bottom + 40.0 + 30.0 * nth as f64;
    let path = vec![(start, (start.0, below)), ((end.0, below), end)];
    // A cubic Bézier with both controls at `below` reaches 3/4 of the way down at t = 1/2.
    let lowest = ((start.0 + end.0) / 2.0, bottom + 0.75 * (below - bottom));
    (path, lowest)
}
