//! The default engine (`diagram --layout dagre`): dugong (a Rust port of dagre) places
//! the boxes, with clusters and zones as containers, and our renderer draws them in our
//! style. The only module that names dugong.
//!
//! dagre ranks by edges alone, so it is given what layout-rs is given: the links down our
//! tiers, each with `minlen` the number of tiers it goes down (so a tier is a rank; tiers
//! with no shape are left out), and an
//! invisible link holding each shape that no link reaches below the tier above it. Links
//! within a tier or back up do not shape the layout; they are drawn as our arcs. Each
//! container is a compound node around its members: dagre keeps every other box out of
//! it. A container's title goes in a band added at its top; dagre's rank gap leaves the
//! room for it.
//!
//! Cost: dagre's network simplex and crossing sweeps; on a picture of up to
//! [`CANDIDATES_UP_TO`] links, [`CANDIDATES`] of them and as many measures (quadratic in
//! the links, so bounded by a constant there). A picture with a wrapped tier is laid out
//! part by part (`rows::stack`). Measured at 2-16 ms on the shipped designs and 2-6 ms on
//! generated ones of 20-100 distinct servers, wrapped into rows (ARCHITECTURE.md, the
//! layered-engine spike).

use dugong::graphlib::{Graph, GraphOptions};
use dugong::{EdgeLabel, GraphLabel, NodeLabel};

use super::geometry::{Rect, polyline};
use super::{Container, Placed, Scene, labels, rows};

/// The band at a container's top that holds its title.
const TITLE_BAND: f64 = 22.0;

/// Up to this many links, [`CANDIDATES`] layouts are made and the best kept.
pub(super) const CANDIDATES_UP_TO: usize = 40;
/// How many layouts are tried on a picture of up to [`CANDIDATES_UP_TO`] links: dagre's
/// crossing reduction (barycentre sweeps) starts from the order shapes and links are given
/// in, and a different start often ends with fewer crossings (on the production design,
/// 15-32 crossings with monitoring lines, 5-9 without, over 30 orders).
pub(super) const CANDIDATES: usize = 12;

/// Places a scene with dugong, containers around their members. `Err` says why it could
/// not (dugong refused the graph).
///
/// A small picture is laid out from [`CANDIDATES`] starting orders (the scene's, then
/// fixed shuffles of it, so that the picture is the same on every run) and the one with
/// the fewest crossings and edges through boxes, then a clearly smaller area, is kept
/// (`diagram::measure`).
pub(super) fn place(
    scene: &Scene,
    sizes: &[(f64, f64)],
    containers: Vec<Container>,
) -> Result<Placed, String> {
    let widths: Vec<f64> = sizes.iter().map(|s| s.0).collect();
    let ranks = rows::ranks(scene, &widths);
    if ranks.wrapped.contains(&true) {
        return rows::stack(scene, containers, &ranks, |only, containers| {
            place_once(scene, sizes, &ranks, containers, 0, Some(only))
        });
    }
    let tries = if scene.links.len() <= CANDIDATES_UP_TO {
        CANDIDATES
    } else {
        1
    };
    let mut best: Option<((usize, f64), Placed)> = None;
    for k in 0..tries {
        let placed = place_once(scene, sizes, &ranks, containers.clone(), k as u64, None)?;
        let measures = placed.drawn(scene).measure();
        let (crossings, area) = (measures.crossings + measures.box_crossings, measures.area);
        // An earlier order (the scene's first) is kept unless a later one crosses less, or
        // as little in a picture a twentieth smaller.
        let better = best
            .as_ref()
            .is_none_or(|((c, a), _)| crossings < *c || (crossings == *c && area < 0.95 * *a));
        if better {
            best = Some(((crossings, area), placed));
        }
    }
    best.map(|(_, placed)| placed)
        .ok_or_else(|| "dugong was given nothing to lay out".into())
}

/// `0..n` in the order of the `k`th fixed shuffle (none for `k == 0`).
fn shuffled(n: usize, k: u64) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    if k == 0 {
        return order;
    }
    // A linear congruential generator (Knuth's MMIX constants): a fixed, portable sequence.
    let mut x = k;
    for i in (1..n).rev() {
        x = x
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        order.swap(i, ((x >> 33) % (i as u64 + 1)) as usize);
    }
    order
}

/// The links that go down the tiers, each with its label's room and as many ranks as it
/// goes down, and the links that hold an unreached shape below the tier above it.
fn add_links(
    g: &mut Graph<NodeLabel, EdgeLabel, GraphLabel>,
    scene: &Scene,
    ranks: &rows::Ranks,
    k: u64,
    only: &dyn Fn(usize) -> bool,
) {
    // Tiers with no shape (a design with no application tier) take no rank: a link's
    // `minlen` counts the ranks it goes down.
    let tier = |i: usize| ranks.of[i];
    for i in shuffled(scene.links.len(), k) {
        let link = &scene.links[i];
        if tier(link.from) >= tier(link.to) || !only(link.from) || !only(link.to) {
            continue;
        }
        let (width, height) = if link.label.is_empty() {
            (0.0, 0.0)
        } else {
            (labels::width(link), labels::HEIGHT)
        };
        g.set_edge_named(
            node(link.from),
            node(link.to),
            Some(format!("e{i}")),
            Some(EdgeLabel {
                width,
                height,
                minlen: tier(link.to) - tier(link.from),
                weight: 1.0,
                ..EdgeLabel::default()
            }),
        );
    }
    // A shape no link reaches is held below the nearest tier above it, as with layout-rs.
    for (above, shape) in super::held(scene)
        .into_iter()
        .filter(|&(a, s)| only(a) && only(s))
    {
        g.set_edge_named(
            node(above),
            node(shape),
            Some(format!("h{shape}")),
            Some(EdgeLabel {
                minlen: tier(shape) - tier(above),
                weight: 0.0,
                ..EdgeLabel::default()
            }),
        );
    }
}

/// Lays the graph out; a panic in dugong is its refusal too, as layout-rs's is
/// (`layout_rs::place_safely`): a picture is never worth a crash.
fn run_dugong(g: &mut Graph<NodeLabel, EdgeLabel, GraphLabel>) -> Result<(), String> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let laid = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| dugong::layout(g)));
    std::panic::set_hook(hook);
    match laid {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(format!("dugong could not lay the picture out: {e}")),
        Err(_) => Err("dugong could not lay the picture out (it stopped on this graph)".into()),
    }
}

/// One layout, shapes and links given to dugong in the `k`th order, each shape at its rank
/// (`rows::ranks`); with `only`, of the shapes it marks and the links between them (a part
/// of a wrapped picture, whose ranks differ by as many tiers as in the picture).
fn place_once(
    scene: &Scene,
    sizes: &[(f64, f64)],
    ranks: &rows::Ranks,
    mut containers: Vec<Container>,
    k: u64,
    only: Option<&[bool]>,
) -> Result<Placed, String> {
    let only = |i: usize| only.is_none_or(|o| o[i]);
    let mut g: Graph<NodeLabel, EdgeLabel, GraphLabel> = Graph::new(GraphOptions {
        multigraph: true,
        compound: true,
        directed: true,
    });
    g.set_graph(GraphLabel {
        nodesep: 40.0,
        ranksep: 70.0,
        edgesep: 20.0,
        ..GraphLabel::default()
    });
    let room = arc_room(scene);
    for i in shuffled(sizes.len(), k).into_iter().filter(|&i| only(i)) {
        let (width, height) = sizes[i];
        g.set_node(
            node(i),
            NodeLabel {
                width,
                height: height + 2.0 * room[i],
                ..NodeLabel::default()
            },
        );
    }
    for (k, container) in containers.iter().enumerate() {
        g.set_node(format!("c{k}"), NodeLabel::default());
        for &member in &container.members {
            g.set_parent(node(member), format!("c{k}"));
        }
    }
    add_links(&mut g, scene, ranks, k, &only);
    run_dugong(&mut g)?;
    let centred = |label: &NodeLabel| Rect {
        x: label.x.unwrap_or(0.0) - label.width / 2.0,
        y: label.y.unwrap_or(0.0) - label.height / 2.0,
        width: label.width,
        height: label.height,
    };
    // Each box drawn at its own height in the middle of the room dagre kept for it.
    let boxes: Vec<Rect> = (0..sizes.len())
        .map(|i| {
            let mut rect = g.node(&node(i)).map(centred).unwrap_or(Rect {
                x: 0.0,
                y: 0.0,
                width: 0.0,
                height: 0.0,
            });
            rect.y += room[i];
            rect.height = sizes[i].1;
            rect
        })
        .collect();
    for (k, container) in containers.iter_mut().enumerate() {
        if let Some(label) = g.node(&format!("c{k}")) {
            let mut rect = centred(label);
            rect.y -= TITLE_BAND;
            rect.height += TITLE_BAND;
            container.rect = rect;
        }
    }
    let mut paths = vec![Vec::new(); scene.links.len()];
    let mut anchors = vec![(0.0, 0.0); scene.links.len()];
    for (i, link) in scene.links.iter().enumerate() {
        let Some(edge) = g.edge(&node(link.from), &node(link.to), Some(&format!("e{i}"))) else {
            continue;
        };
        let mut points: Vec<(f64, f64)> = edge.points.iter().map(|p| (p.x, p.y)).collect();
        if points.len() < 2 {
            continue;
        }
        attach(&mut points, &boxes[link.from], &boxes[link.to]);
        paths[i] = polyline(&points);
        anchors[i] = match (edge.x, edge.y) {
            (Some(x), Some(y)) if !link.label.is_empty() => {
                (x, y + labels::ABOVE_BASELINE - labels::HEIGHT / 2.0)
            }
            _ => points[points.len() / 2],
        };
    }
    Ok(Placed {
        spoken_by: vec![None; scene.links.len()],
        boxes,
        paths,
        anchors,
        containers,
    })
}

/// Room kept above and below each shape for the arcs of links within a tier or back up
/// that join it (drawn by `diagram::arc` below the lower of the two boxes, the `n`th
/// between a pair 30 px deeper): so that what dagre puts in the next tier starts below
/// the arcs and their labels. Zero for a shape with no arc.
fn arc_room(scene: &Scene) -> Vec<f64> {
    let mut arcs: std::collections::HashMap<(usize, usize), usize> = Default::default();
    for link in &scene.links {
        if scene.shapes[link.from].tier >= scene.shapes[link.to].tier {
            *arcs
                .entry((link.from.min(link.to), link.from.max(link.to)))
                .or_default() += 1;
        }
    }
    let mut room = vec![0.0_f64; scene.shapes.len()];
    for ((a, b), n) in arcs {
        // The lowest point of the deepest arc, 3/4 of its bow, and its label.
        let deepest = 0.75 * (40.0 + 30.0 * (n - 1) as f64) + labels::HEIGHT;
        room[a] = room[a].max(deepest);
        room[b] = room[b].max(deepest);
    }
    room
}

/// Joins an edge's ends to its boxes, where dagre ended them on the room kept around a
/// box (`arc_room`): a straight piece from the box's nearer side.
fn attach(points: &mut Vec<(f64, f64)>, from: &Rect, to: &Rect) {
    let on = |rect: &Rect, (x, y): (f64, f64)| {
        let x = x.clamp(rect.x + 6.0, (rect.right() - 6.0).max(rect.x + 6.0));
        if y > rect.bottom() + 0.5 {
            Some((x, rect.bottom()))
        } else if y < rect.y - 0.5 {
            Some((x, rect.y))
        } else {
            None
        }
    };
    if let Some(start) = on(from, points[0]) {
        points.insert(0, start);
    }
    if let Some(end) = on(to, points[points.len() - 1]) {
        points.push(end);
    }
}

fn node(i: usize) -> String {
    format!("n{i}")
}
