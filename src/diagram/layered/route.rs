//! The boxes, containers and links' paths from the places: ports along box sides, straight
//! runs down the slots, an S-curve across each gap, flat links side by side or as arcs.

use std::collections::HashMap;

use super::super::geometry::{Path, Rect, polyline};
use super::super::{Container, Placed, Scene, labels};
use super::bus::{BUS_STEP, CORNER};
use super::graph::Layered;
use super::position::{ARC_STEP, PAD, Places, STUB, TITLE_BAND};

/// Arrowheads and line starts on one side of a box are at least this far apart where the
/// side has room; further ends share a place (one arrowhead for several links).
pub(super) const PORT_GAP: f64 = 16.0;
/// Ports keep this far from a box's corners.
const PORT_MARGIN: f64 = 10.0;
/// Room kept on either side of a bus's label: from the lines that cut its bus, and from
/// the labels of the buses next above and below.
const LABEL_ROOM: f64 = 4.0;
/// Flat links between neighbours: this far apart, one above the other.
const FLAT_STEP: f64 = 20.0;

type Point = (f64, f64);
/// A cubic piece: start, two controls, end.
type Segment = [Point; 4];

/// Which end of which path sits on a box side: a chain's top or bottom end, or an arc's
/// end.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
enum End {
    ChainTop(usize),
    ChainBottom(usize),
    ArcFrom(usize),
    ArcTo(usize),
}

pub(super) fn route(
    g: &Layered,
    scene: &Scene,
    sizes: &[(f64, f64)],
    mut containers: Vec<Container>,
    places: &Places,
) -> Placed {
    let ranks = &places.ranks;
    let mut boxes = vec![Rect::default(); scene.shapes.len()];
    for (shape, node) in g.node_of.iter().enumerate() {
        if let Some(n) = *node {
            let (width, height) = sizes[shape];
            boxes[shape] = Rect {
                x: places.x[n] - width / 2.0,
                y: ranks.top[g.nodes[n].rank],
                width,
                height,
            };
        }
    }
    for (c, container) in containers.iter_mut().enumerate() {
        if let (Some((first, last)), Some((left, right))) = (g.spans[c], places.container_x[c]) {
            // A header in the band: the title, the header, a gap, the members.
            let header = container
                .members
                .first()
                .and_then(|&cluster| g.header[cluster])
                .map_or(0.0, |height| height + PAD);
            let top = ranks.top[first] - PAD - TITLE_BAND - header;
            container.rect = Rect {
                x: left,
                y: top,
                width: right - left,
                height: ranks.arcs_bottom[last] + PAD - top,
            };
        }
    }
    headers(scene, g, &mut boxes, &mut containers);
    let drawn = |link: usize| !super::super::boxed(&scene.links[link], &containers);
    let ports = ports(g, places, &boxes, &drawn);
    let mut paths = vec![Vec::new(); scene.links.len()];
    let mut anchors = vec![(0.0, 0.0); scene.links.len()];
    // Links that share a trunk (a dummy, directly or through one another) have one
    // label: the first's, on the trunk.
    let leader = trunk_leaders(g, places);
    let lines = bus_lines(g, scene, places, &ports);
    let mut spoken_by = vec![None; scene.links.len()];
    for (k, chain) in g.chains.iter().enumerate().filter(|(_, c)| drawn(c.link)) {
        let led = leader[k].is_some();
        spoken_by[chain.link] = leader[k]
            .filter(|&first| first != k)
            .map(|first| g.chains[first].link);
        let bus = places.buses.of[k].map(|b| (&places.buses.list[b], lines[b]));
        // The gap the chain crosses on its bus: from its source's place in the chain.
        let on_bus = bus.map(|(bus, line)| (bus.above(g, k), line.y));
        let (path, anchor) = chain_path(g, places, &boxes, k, &ports, led, on_bus);
        paths[chain.link] = path;
        anchors[chain.link] = anchor;
        // A bus's label is drawn once, on its line, by its first link.
        if let Some((bus, line)) = bus {
            anchors[chain.link] = line.anchor;
            let first = bus.chains[0];
            spoken_by[chain.link] = (first != k).then_some(g.chains[first].link);
        }
    }
    flat_paths(g, places, &boxes, &ports, &mut paths, &mut anchors);
    Placed {
        spoken_by,
        boxes,
        paths,
        anchors,
        containers,
    }
}

/// A cluster with no virtual IP is its container: its box is stretched across the
/// container's top as its header (in the band above its members' rank, or in a rank of
/// its own where a line leaves it downwards), where flows to the cluster enter, and the
/// container's title keeps only what the box does not say (the zones of its members).
fn headers(scene: &Scene, g: &Layered, boxes: &mut [Rect], containers: &mut [Container]) {
    for container in containers.iter_mut().filter(|c| !c.zone) {
        let Some(&cluster) = container.members.first() else {
            continue;
        };
        if !scene.unaddressed.contains(&cluster) || container.rect.width <= 0.0 {
            continue;
        }
        let members: Vec<usize> = container.members[1..].to_vec();
        let zones = scene.zones_of_members(&members);
        container.title = if zones.is_empty() {
            String::new()
        } else {
            format!("zones {}", zones.join(", "))
        };
        let header = &mut boxes[cluster];
        header.x = container.rect.x + PAD;
        header.width = container.rect.width - 2.0 * PAD;
        if g.header[cluster].is_some() {
            header.y = container.rect.y + TITLE_BAND + PAD;
        }
        if container.title.is_empty() {
            let bottom = container.rect.bottom();
            container.rect.y = header.y - PAD;
            container.rect.height = bottom - container.rect.y;
        }
    }
}

/// For each chain in a trunk (sharing a dummy with another, or with one that does), the
/// first chain of that trunk; `None` for a chain of its own.
fn trunk_leaders(g: &Layered, places: &Places) -> Vec<Option<usize>> {
    fn root(parent: &mut [usize], mut k: usize) -> usize {
        while parent[k] != k {
            parent[k] = parent[parent[k]];
            k = parent[k];
        }
        k
    }
    let mut parent: Vec<usize> = (0..g.chains.len()).collect();
    let mut first_through: HashMap<usize, usize> = HashMap::new();
    let mut shares = vec![false; g.chains.len()];
    for (k, chain) in g.chains.iter().enumerate().filter(|(_, c)| !c.boxed) {
        for &n in &chain.nodes {
            if !g.nodes[n].dummy() || places.through[n] < 2 {
                continue;
            }
            shares[k] = true;
            let first = *first_through.entry(n).or_insert(k);
            let (a, b) = (root(&mut parent, first), root(&mut parent, k));
            parent[a.max(b)] = a.min(b);
        }
    }
    (0..g.chains.len())
        .map(|k| shares[k].then(|| root(&mut parent, k)))
        .collect()
}

/// Where a bus runs: its line's y, and its label's anchor.
#[derive(Clone, Copy)]
struct BusLine {
    y: f64,
    anchor: (f64, f64),
}

/// Each bus's line: its level's y in its gap (the gap's buses centred in its free band),
/// and its label on the longest piece of its line that no other line in the gap crosses
/// (between two of its drops, or a drop and its descent).
fn bus_lines(
    g: &Layered,
    scene: &Scene,
    places: &Places,
    ports: &HashMap<End, f64>,
) -> Vec<BusLine> {
    let buses = &places.buses;
    let ranks = &places.ranks;
    let y_of = |b: usize| {
        let bus = &buses.list[b];
        let (top, bottom) = (ranks.free_top[bus.gap], ranks.free_bottom[bus.gap + 1]);
        let offset = ((bottom - top) - buses.band(bus.gap)).max(0.0) / 2.0;
        top + offset + CORNER + bus.level as f64 * BUS_STEP
    };
    // Each bus's lines above its line and below it: where each of its chains stands
    // just above and just below the gap (a box's port, or a dummy's slot).
    let x_in = |k: usize, at: usize| x_in_chain(g, places, ports, k, at);
    let stands: Vec<(Vec<f64>, Vec<f64>)> = buses
        .list
        .iter()
        .map(|bus| {
            let above = bus.chains.iter().map(|&k| x_in(k, bus.above(g, k)));
            let below = bus.chains.iter().map(|&k| x_in(k, bus.above(g, k) + 1));
            (above.collect(), below.collect())
        })
        .collect();
    let mut in_gap: HashMap<usize, Vec<usize>> = HashMap::new();
    for (b, bus) in buses.list.iter().enumerate() {
        in_gap.entry(bus.gap).or_default().push(b);
    }
    // Labels already put, by gap: level, left and right.
    let mut put: HashMap<usize, Vec<(usize, f64, f64)>> = HashMap::new();
    let mut lines = Vec::with_capacity(buses.list.len());
    for (b, bus) in buses.list.iter().enumerate() {
        let y = y_of(b);
        let (ups, downs) = &stands[b];
        let own: Vec<f64> = ups.iter().chain(downs).copied().collect();
        let low = own.iter().copied().fold(f64::INFINITY, f64::min);
        let high = own.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        // Lines that pass this bus's level: those that come down onto the buses below
        // it, those that go down from the buses above.
        let mut cuts = own;
        for &o in &in_gap[&bus.gap] {
            let other = &buses.list[o];
            if other.level > bus.level {
                cuts.extend(&stands[o].0);
            } else if other.level < bus.level {
                cuts.extend(&stands[o].1);
            }
        }
        cuts.retain(|&c| (low..=high).contains(&c));
        cuts.sort_by(f64::total_cmp);
        let mut pieces: Vec<(f64, f64)> = cuts.windows(2).map(|w| (w[0], w[1])).collect();
        pieces.sort_by(|p, q| (q.1 - q.0).total_cmp(&(p.1 - p.0)));
        // The label's half width and room to either side.
        let half = labels::width(&scene.links[g.chains[bus.chains[0]].link]) / 2.0 + LABEL_ROOM;
        let near = put.entry(bus.gap).or_default();
        let clear = |c: f64| {
            near.iter().all(|&(level, left, right)| {
                level.abs_diff(bus.level) > 1 || c + half <= left || c - half >= right
            })
        };
        // The longest piece with room for the label clear of its neighbours' labels,
        // nearest its middle; else the middle of the longest.
        let x = pieces
            .iter()
            .find_map(|&(a, b)| {
                let (from, to) = (a + half, b - half);
                if from > to {
                    return None;
                }
                let middle = (a + b) / 2.0;
                let mut candidates = vec![middle, from, to];
                for &(_, left, right) in near.iter() {
                    candidates.extend([left - half, right + half]);
                }
                candidates
                    .into_iter()
                    .filter(|&c| (from..=to).contains(&c) && clear(c))
                    .min_by(|p, q| (p - middle).abs().total_cmp(&(q - middle).abs()))
            })
            .unwrap_or_else(|| {
                pieces
                    .first()
                    .map_or((low + high) / 2.0, |p| (p.0 + p.1) / 2.0)
            });
        near.push((bus.level, x - half, x + half));
        lines.push(BusLine {
            y,
            anchor: (x, y + labels::ABOVE_BASELINE - labels::HEIGHT / 2.0),
        });
    }
    lines
}

/// Where chain `k` stands at its `at`-th node: its port on the box at either end, else
/// the dummy's slot.
fn x_in_chain(g: &Layered, places: &Places, ports: &HashMap<End, f64>, k: usize, at: usize) -> f64 {
    let nodes = &g.chains[k].nodes;
    let end = if at == 0 {
        Some(End::ChainTop(k))
    } else if at == nodes.len() - 1 {
        Some(End::ChainBottom(k))
    } else {
        None
    };
    end.and_then(|e| ports.get(&e).copied())
        .unwrap_or(places.x[nodes[at]])
}

/// A path's end on a box side: where its link heads, which end, and the dummy it goes
/// through first.
type SideEnd = (f64, End, Option<usize>);

/// Where each path's end sits on its box: the ends on one side sorted by where their
/// links go (so that they do not cross at the box), spread evenly, at least
/// [`PORT_GAP`] apart; on a side too short for that, neighbours share a place.
fn ports(
    g: &Layered,
    places: &Places,
    boxes: &[Rect],
    drawn: &dyn Fn(usize) -> bool,
) -> HashMap<End, f64> {
    // (node, bottom side) -> ends with the x their link heads for and the dummy it
    // goes through first, if any (links through one dummy share their port).
    let mut sides: HashMap<(usize, bool), Vec<SideEnd>> = HashMap::new();
    let via = |n: usize| g.nodes[n].dummy().then_some(n);
    // The links of a bus share one end on the box they meet in (one arrowhead into it, or
    // one line out of it): one place among the ends on that side, where the middle of
    // their other ends is.
    let buses = &places.buses;
    let heading: Vec<f64> = buses
        .list
        .iter()
        .map(|bus| {
            let across = bus.chains.iter().map(|&k| {
                let at = bus.above(g, k) + usize::from(!bus.into);
                places.x[g.chains[k].nodes[at]]
            });
            across.sum::<f64>() / bus.chains.len() as f64
        })
        .collect();
    for (k, chain) in g.chains.iter().enumerate().filter(|(_, c)| drawn(c.link)) {
        let n = chain.nodes.len();
        let (top, bottom) = (chain.nodes[0], chain.nodes[n - 1]);
        let (next, previous) = (chain.nodes[1], chain.nodes[n - 2]);
        let bus = buses.of[k].map(|b| (b, &buses.list[b]));
        let start = match bus {
            Some((b, bus)) if !bus.into && bus.node == top => {
                (heading[b], End::ChainTop(k), Some(g.nodes.len() + b))
            }
            _ => (places.x[next], End::ChainTop(k), via(next)),
        };
        sides.entry((top, true)).or_default().push(start);
        let end = match bus {
            Some((b, bus)) if bus.into && bus.node == bottom => {
                (heading[b], End::ChainBottom(k), Some(g.nodes.len() + b))
            }
            _ => (places.x[previous], End::ChainBottom(k), via(previous)),
        };
        sides.entry((bottom, false)).or_default().push(end);
    }
    for &(link, a, b) in &g.flat {
        if places.arc_level.get(&link).copied().unwrap_or(0) > 0 && drawn(link) {
            let side = sides.entry((a, true)).or_default();
            side.push((places.x[b], End::ArcFrom(link), None));
            let side = sides.entry((b, true)).or_default();
            side.push((places.x[a], End::ArcTo(link), None));
        }
    }
    let mut ports = HashMap::new();
    for ((node, _), mut ends) in sides {
        let Some(shape) = g.nodes[node].shape else {
            continue;
        };
        let rect = boxes[shape];
        // (A bus's ends next to one another, whatever else heads for its place.)
        ends.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.2.cmp(&b.2)));
        // Neighbours through one dummy (or on one bus) are one group, one port.
        let mut groups: Vec<Vec<End>> = Vec::new();
        let mut last_via = None;
        for &(_, end, via) in &ends {
            match groups.last_mut() {
                Some(group) if via.is_some() && via == last_via => group.push(end),
                _ => groups.push(vec![end]),
            }
            last_via = via;
        }
        let n = groups.len();
        let usable = (rect.width - 2.0 * PORT_MARGIN).max(0.0);
        let centre = rect.x + rect.width / 2.0;
        // As many places as fit PORT_GAP apart, spread up to 40 px apart.
        let places_fit = (usable / PORT_GAP).floor() as usize + 1;
        let slots = n.min(places_fit).max(1);
        let step = if slots > 1 {
            (usable / (slots - 1) as f64).min(40.0)
        } else {
            0.0
        };
        for (k, group) in groups.iter().enumerate() {
            let slot = k * slots / n;
            for &end in group {
                ports.insert(
                    end,
                    centre + (slot as f64 - (slots - 1) as f64 / 2.0) * step,
                );
            }
        }
    }
    ports
}

/// A chain's path, drawn from its link's start to its end, and its label's anchor (the
/// middle of the middle S-curve). On a bus (`bus`: the place in the chain of the node
/// above the bus, and the y of its line), that gap is crossed on the bus instead: down
/// from the source, round a corner onto the line, along it, round a corner down.
fn chain_path(
    g: &Layered,
    places: &Places,
    boxes: &[Rect],
    k: usize,
    ports: &HashMap<End, f64>,
    trunk: bool,
    bus: Option<(usize, f64)>,
) -> (Path, (f64, f64)) {
    let chain = &g.chains[k];
    let ranks = &places.ranks;
    let last = chain.nodes.len() - 1;
    let x_at = |i: usize| x_in_chain(g, places, ports, k, i);
    let top_shape = g.nodes[chain.nodes[0]].shape.unwrap_or(0);
    let bottom_shape = g.nodes[chain.nodes[last]].shape.unwrap_or(0);
    let mut at = (x_at(0), boxes[top_shape].bottom());
    let mut segments: Vec<Segment> = Vec::new();
    let mut curves = Vec::new();
    for i in 0..last {
        let r = g.nodes[chain.nodes[i]].rank;
        if let Some((_, y)) = bus.filter(|&(from, _)| from == i) {
            let to = x_at(i + 1);
            if (to - at.0).abs() >= BUS_LEAST {
                let start = (at.0, y - CORNER);
                at = on_bus(&mut segments, at, to, y);
                curves.push((start, at));
                continue;
            }
        }
        let a = (at.0, ranks.free_top[r]);
        segments.push(straight(at, a, segments.last()));
        let b = (x_at(i + 1), ranks.free_bottom[r + 1]);
        let c1 = (a.0, a.1 + STUB);
        let c2 = (b.0, b.1 - STUB);
        segments.push([a, c1, c2, b]);
        curves.push((a, b));
        at = b;
    }
    let end = (at.0, boxes[bottom_shape].y);
    segments.push(straight(at, end, segments.last()));
    // A link in a trunk is labelled on the trunk (the curve most links share), once for
    // them all; another in its middle.
    let middle = (curves.len() - 1) / 2;
    let shared = |i: usize| {
        let through = |n: usize| {
            if g.nodes[n].dummy() {
                places.through[n]
            } else {
                0
            }
        };
        through(chain.nodes[i]) + through(chain.nodes[i + 1])
    };
    let at = if trunk {
        (0..curves.len())
            .max_by_key(|&i| (shared(i), std::cmp::Reverse(i.abs_diff(middle))))
            .unwrap_or(middle)
    } else {
        middle
    };
    let (a, b) = curves[at];
    let middle = ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0);
    let anchor = (
        middle.0,
        middle.1 + labels::ABOVE_BASELINE - labels::HEIGHT / 2.0,
    );
    if chain.up {
        segments.reverse();
        for s in &mut segments {
            *s = [s[3], s[2], s[1], s[0]];
        }
    }
    (as_path(&segments), anchor)
}

/// The least distance between a drop and its bus's descent for the two corners and a
/// piece of line between them; nearer, the drop crosses the gap in an S-curve.
const BUS_LEAST: f64 = 2.0 * CORNER + 2.0 * TANGENT + 2.0;
/// How far a rounded corner's controls sit from its ends (a quarter circle's cubic).
const TANGENT: f64 = 0.55 * CORNER;

/// The pieces from `at` (the source's x, above the gap) down onto a bus at `y`, along it
/// and round into the descent at `to`: each piece's first control the reflection of the
/// previous piece's last, as SVG's `S` draws it. Returns the foot of the last corner.
fn on_bus(segments: &mut Vec<Segment>, at: Point, to: f64, y: f64) -> Point {
    let side = (to - at.0).signum();
    let reflect = |s: &Segment| (2.0 * s[3].0 - s[2].0, 2.0 * s[3].1 - s[2].1);
    let drop_end = (at.0, y - CORNER);
    let c1 = segments.last().map_or(at, reflect);
    segments.push([at, c1, (at.0, (drop_end.1 - TANGENT).max(at.1)), drop_end]);
    let turned = (at.0 + side * CORNER, y);
    let before = (to - side * CORNER, y);
    let foot = (to, y + CORNER);
    for (end, control) in [
        (turned, (turned.0 - side * TANGENT, y)),
        (before, (before.0 - side * TANGENT, y)),
        (foot, (to, foot.1 - TANGENT)),
    ] {
        let previous = segments[segments.len() - 1];
        segments.push([previous[3], reflect(&previous), control, end]);
    }
    foot
}

/// A straight piece from `a` down to `b`, its first control the reflection of the
/// previous piece's last (as SVG's `S` draws it), its last `STUB` above its end.
fn straight(a: Point, b: Point, previous: Option<&Segment>) -> Segment {
    let c1 = previous.map_or(a, |p| (2.0 * p[3].0 - p[2].0, 2.0 * p[3].1 - p[2].1));
    let c2 = (b.0, (b.1 - STUB).max(a.1));
    [a, c1, c2, b]
}

/// Segments as an `M … C … S …` path: the first pair (start, control), then (control,
/// point) for each.
fn as_path(segments: &[Segment]) -> Path {
    let mut path = vec![(segments[0][0], segments[0][1])];
    path.extend(segments.iter().map(|s| (s[2], s[3])));
    path
}

/// Flat links: between neighbours, horizontal arrows one above the other in the middle of
/// the lower box's height; between boxes further apart, an arc below the rank at its
/// level.
fn flat_paths(
    g: &Layered,
    places: &Places,
    boxes: &[Rect],
    ports: &HashMap<End, f64>,
    paths: &mut [Path],
    anchors: &mut [(f64, f64)],
) {
    let ranks = &places.ranks;
    let mut between: HashMap<(usize, usize), Vec<usize>> = HashMap::new();
    for &(link, a, b) in &g.flat {
        if places.arc_level.get(&link).copied().unwrap_or(0) == 0 {
            between.entry((a.min(b), a.max(b))).or_default().push(link);
        }
    }
    for &(link, a, b) in &g.flat {
        let (Some(sa), Some(sb)) = (g.nodes[a].shape, g.nodes[b].shape) else {
            continue;
        };
        let (from, to) = (boxes[sa], boxes[sb]);
        let level = places.arc_level.get(&link).copied().unwrap_or(0);
        if level == 0 {
            let pair = &between[&(a.min(b), a.max(b))];
            let k = pair.iter().position(|&l| l == link).unwrap_or(0) as f64;
            let middle = from.y + from.height.min(to.height) / 2.0;
            let y = middle + (k - (pair.len() - 1) as f64 / 2.0) * FLAT_STEP;
            let (x1, x2) = if from.x < to.x {
                (from.right(), to.x)
            } else {
                (from.x, to.right())
            };
            paths[link] = polyline(&[(x1, y), (x2, y)]);
            anchors[link] = ((x1 + x2) / 2.0, y - 4.0);
        } else {
            let r = g.nodes[a].rank;
            let y = ranks.top[r] + ranks.height[r] + level as f64 * ARC_STEP;
            let x1 = ports
                .get(&End::ArcFrom(link))
                .copied()
                .unwrap_or(from.x + from.width / 2.0);
            let x2 = ports
                .get(&End::ArcTo(link))
                .copied()
                .unwrap_or(to.x + to.width / 2.0);
            paths[link] = polyline(&[(x1, from.bottom()), (x1, y), (x2, y), (x2, to.bottom())]);
            anchors[link] = (
                (x1 + x2) / 2.0,
                y + labels::ABOVE_BASELINE - labels::HEIGHT / 2.0,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each piece starts where the previous ended, its first control the reflection of
    /// the previous piece's last (what SVG's `S` draws).
    fn joined(segments: &[Segment]) -> bool {
        segments.windows(2).all(|w| {
            let reflected = (2.0 * w[0][3].0 - w[0][2].0, 2.0 * w[0][3].1 - w[0][2].1);
            w[1][0] == w[0][3]
                && (w[1][1].0 - reflected.0).abs() < 1e-9
                && (w[1][1].1 - reflected.1).abs() < 1e-9
        })
    }

    #[test]
    fn a_link_on_a_bus_drops_runs_along_it_and_turns_down() {
        for (from, to) in [(100.0, 300.0), (300.0, 100.0)] {
            let mut segments = vec![straight((from, 0.0), (from, 20.0), None)];
            let foot = on_bus(&mut segments, (from, 20.0), to, 50.0);
            assert_eq!(foot, (to, 50.0 + CORNER));
            assert!(joined(&segments), "{segments:?}");
            // Down to a corner above the bus, along the bus, down from a corner below.
            assert_eq!(segments[1][3], (from, 50.0 - CORNER));
            let along = segments[3];
            assert!(along.iter().all(|p| p.1 == 50.0), "{along:?}");
            let side = (to - from).signum();
            assert_eq!(along[0].0, from + side * CORNER);
            assert_eq!(along[3].0, to - side * CORNER);
            // No piece runs back on itself: every control lies between its piece's ends
            // along the way it goes.
            for s in &segments {
                let (low, high) = (s[0].0.min(s[3].0), s[0].0.max(s[3].0));
                assert!(
                    s[1..3]
                        .iter()
                        .all(|c| c.0 >= low - 1e-9 && c.0 <= high + 1e-9),
                    "{s:?}"
                );
                assert!(
                    s[1..3]
                        .iter()
                        .all(|c| c.1 >= s[0].1 - 1e-9 && c.1 <= s[3].1 + 1e-9),
                    "{s:?}"
                );
            }
        }
    }
}
