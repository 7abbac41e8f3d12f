//! `diagram --layout dagre`: dugong (a Rust port of dagre) places the boxes, with clusters
//! and zones as containers, and our renderer draws them in our style. The only module
//! that names dugong.
//!
//! dagre ranks by edges alone, so it is given what layout-rs is given: the links down our
//! tiers, each with `minlen` the number of tiers it goes down (so a tier is a rank), and an
//! invisible link holding each shape that no link reaches below the tier above it. Links
//! within a tier or back up do not shape the layout; they are drawn as our arcs. Each
//! container is a compound node around its members: dagre keeps every other box out of
//! it. A container's title goes in a band added at its top; dagre's rank gap leaves the
//! room for it.
//!
//! Cost: dagre's network simplex and crossing sweeps, measured at 0.2-10 ms on the shipped
//! designs and on generated ones of up to 100 distinct servers (ARCHITECTURE.md, the
//! layered-engine spike).

use dugong::graphlib::{Graph, GraphOptions};
use dugong::{EdgeLabel, GraphLabel, NodeLabel};

use super::layout::{Path, Rect};
use super::{Placed, Scene, labels};

/// The band at a container's top that holds its title.
const TITLE_BAND: f64 = 22.0;

/// Places a scene with dugong. `Err` says why it could not (dugong refused the graph).
pub(super) fn place(scene: &Scene, sizes: &[(f64, f64)]) -> Result<Placed, String> {
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
    for (i, &(width, height)) in sizes.iter().enumerate() {
        g.set_node(
            node(i),
            NodeLabel {
                width,
                height,
                ..NodeLabel::default()
            },
        );
    }
    let mut containers = super::groups::containers(scene);
    for (k, container) in containers.iter().enumerate() {
        g.set_node(format!("c{k}"), NodeLabel::default());
        for &member in &container.members {
            g.set_parent(node(member), format!("c{k}"));
        }
    }
    let tier = |i: usize| scene.shapes[i].tier;
    for (i, link) in scene.links.iter().enumerate() {
        if tier(link.from) >= tier(link.to) {
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
                minlen: usize::from(tier(link.to) - tier(link.from)),
                weight: 1.0,
                ..EdgeLabel::default()
            }),
        );
    }
    // A shape no link reaches is held below the nearest tier above it, as with layout-rs.
    for (above, shape) in super::held(scene) {
        g.set_edge_named(
            node(above),
            node(shape),
            Some(format!("h{shape}")),
            Some(EdgeLabel {
                minlen: usize::from(tier(shape) - tier(above)),
                weight: 0.0,
                ..EdgeLabel::default()
            }),
        );
    }
    // A panic in dugong is its refusal too, as layout-rs's is (`layout::place_safely`): a
    // picture is never worth a crash.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let laid = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| dugong::layout(&mut g)));
    std::panic::set_hook(hook);
    match laid {
        Ok(Ok(())) => {}
        Ok(Err(e)) => return Err(format!("dugong could not lay the picture out: {e}")),
        Err(_) => {
            return Err("dugong could not lay the picture out (it stopped on this graph)".into());
        }
    }
    let centred = |label: &NodeLabel| Rect {
        x: label.x.unwrap_or(0.0) - label.width / 2.0,
        y: label.y.unwrap_or(0.0) - label.height / 2.0,
        width: label.width,
        height: label.height,
    };
    let boxes: Vec<Rect> = (0..sizes.len())
        .map(|i| {
            g.node(&node(i)).map(centred).unwrap_or(Rect {
                x: 0.0,
                y: 0.0,
                width: 0.0,
                height: 0.0,
            })
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
        let points: Vec<(f64, f64)> = edge.points.iter().map(|p| (p.x, p.y)).collect();
        if points.len() < 2 {
            continue;
        }
        paths[i] = polyline(&points);
        anchors[i] = match (edge.x, edge.y) {
            (Some(x), Some(y)) if !link.label.is_empty() => {
                (x, y + labels::ABOVE_BASELINE - labels::HEIGHT / 2.0)
            }
            _ => points[points.len() / 2],
        };
    }
    Ok(Placed {
        boxes,
        paths,
        anchors,
        containers,
    })
}

fn node(i: usize) -> String {
    format!("n{i}")
}

/// dagre's points as our path (`M C S S…`): a straight piece between each two, each a
/// cubic whose controls sit on its ends.
fn polyline(points: &[(f64, f64)]) -> Path {
    let mut path = vec![(points[0], points[0])];
    path.extend(points[1..].iter().map(|&p| (p, p)));
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_polyline_is_straight_pieces() {
        let path = polyline(&[(0.0, 0.0), (10.0, 0.0), (10.0, 10.0)]);
        assert_eq!(
            path,
            vec![
                ((0.0, 0.0), (0.0, 0.0)),
                ((10.0, 0.0), (10.0, 0.0)),
                ((10.0, 10.0), (10.0, 10.0))
            ]
        );
    }
}
