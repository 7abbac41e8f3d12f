//! Where each node goes: x by a linear programme over the order's separations, y by rank
//! (top-aligned, gaps sized for what runs in them).

use std::collections::HashMap;

use microlp::{ComparisonOp, OptimizationDirection, Problem, Variable};

use super::super::{Container, Scene, font, labels, metrics};
use super::bus::{Buses, Kinds};
use super::graph::Layered;

/// Up to this many nodes the x are solved for; past it they are packed and pulled once
/// towards their neighbours (linear).
pub(super) const LP_UP_TO: usize = 1_000;
/// Room between two boxes side by side, between a box or a container and a link's slot,
/// and between two slots.
const BOX_GAP: f64 = 24.0;
const SLOT_GAP: f64 = 20.0;
const LINE_GAP: f64 = 16.0;
/// A container's padding around its members, and the band at its top for its title.
pub(super) const PAD: f64 = 14.0;
pub(super) const TITLE_BAND: f64 = 22.0;
/// The gap between ranks with nothing in it but links and their labels.
const RANK_GAP: f64 = 48.0;
/// The weight of the picture's width against the links' lean (1 per pixel for a link
/// between two boxes): design 3's balancers were spread 1,100 px apart by their long
/// monitoring lines, each kept straight, with nothing pulling them together.
const WIDTH_WEIGHT: f64 = 4.0;
/// Room for a second row of labels in a gap where they would overlap (`crowded_gaps`).
const CROWDED_GAP: f64 = 12.0;
/// Room kept on each side of a label when deciding whether labels overlap.
const LABEL_ROOM: f64 = 4.0;
/// The straight piece a link runs down before and after its S-curve across a gap.
pub(super) const STUB: f64 = 14.0;
/// The room a flat arc takes below its rank, per level of nesting.
pub(super) const ARC_STEP: f64 = 20.0;

#[derive(Clone)]
pub(super) struct Places {
    /// Each node's centre x.
    pub x: Vec<f64>,
    /// Each rank's top, height (its tallest box) and gaps.
    pub ranks: Ranks,
    /// Each container's left and right, when it has members here.
    pub container_x: Vec<Option<(f64, f64)>>,
    /// Each flat link's arc level below its rank (0 for neighbours side by side).
    pub arc_level: HashMap<usize, usize>,
    /// How many chains pass through each node.
    pub through: Vec<usize>,
    /// The buses links are drawn on (none unless asked for, `with_buses`).
    pub buses: Buses,
    /// The gaps that hold a second row of labels (`crowded_gaps`).
    crowded: Vec<bool>,
}

/// The width the gap between two neighbours must have: boxes apart, a flat link's label
/// between them (`labelled`, from [`flat_labels`]).
fn gap(g: &Layered, labelled: &HashMap<(usize, usize), f64>, a: usize, b: usize) -> f64 {
    let (na, nb) = (&g.nodes[a], &g.nodes[b]);
    if na.dummy() && nb.dummy() {
        return LINE_GAP;
    }
    if na.dummy() || nb.dummy() {
        return SLOT_GAP;
    }
    BOX_GAP.max(flat_label(labelled, a, b))
}

/// The room the labels of the flat links between each two boxes need, by the pair (lower
/// node first): one pass over the flat links.
fn flat_labels(g: &Layered, scene: &Scene) -> HashMap<(usize, usize), f64> {
    let mut room: HashMap<(usize, usize), f64> = HashMap::new();
    for &(link, u, v) in &g.flat {
        let width = labels::width(&scene.links[link]) + 28.0;
        let entry = room.entry((u.min(v), u.max(v))).or_default();
        *entry = entry.max(width);
    }
    room
}

/// The room flat links' labels need between two boxes side by side (0 for none).
fn flat_label(labelled: &HashMap<(usize, usize), f64>, a: usize, b: usize) -> f64 {
    labelled.get(&(a.min(b), a.max(b))).copied().unwrap_or(0.0)
}

pub(super) fn place(g: &Layered, scene: &Scene, containers: &[Container]) -> Places {
    let arc_level = arc_levels(g);
    let separations = Separations::of(g, scene, containers);
    let x = if g.nodes.len() <= LP_UP_TO {
        solve(g, &separations).unwrap_or_else(|| packed(g, &separations))
    } else {
        packed(g, &separations)
    };
    let container_x = spans_x(g, &x);
    let crowded = crowded_gaps(g, scene, &x);
    let buses = Buses::none(g);
    let ranks = ranks_y(g, &arc_level, &crowded, &buses);
    let mut through = vec![0; g.nodes.len()];
    for chain in &g.chains {
        for &n in &chain.nodes {
            through[n] += 1;
        }
    }
    Places {
        through,
        x,
        ranks,
        container_x,
        arc_level,
        buses,
        crowded,
    }
}

/// The same places with the links that can share a line on buses of `kinds` (`bus`),
/// each gap that holds buses as tall as they need; `None` where no links can.
pub(super) fn with_buses(
    g: &Layered,
    scene: &Scene,
    places: &Places,
    kinds: Kinds,
) -> Option<Places> {
    let buses = Buses::find(g, scene, &places.x, &places.through, kinds);
    if buses.list.is_empty() {
        return None;
    }
    let ranks = ranks_y(g, &places.arc_level, &places.crowded, &buses);
    Some(Places {
        ranks,
        buses,
        ..places.clone()
    })
}

/// Each flat link between boxes that are not neighbours an arc level in its rank: shorter
/// spans nearer the boxes, so that arcs nest.
fn arc_levels(g: &Layered) -> HashMap<usize, usize> {
    let mut pos = vec![0usize; g.nodes.len()];
    for layer in &g.layers {
        for (i, &n) in layer.iter().enumerate() {
            pos[n] = i;
        }
    }
    let mut by_rank: HashMap<usize, Vec<(usize, usize)>> = HashMap::new();
    let mut levels = HashMap::new();
    for &(link, a, b) in &g.flat {
        let span = pos[a].abs_diff(pos[b]);
        if span <= 1 {
            levels.insert(link, 0);
        } else {
            by_rank
                .entry(g.nodes[a].rank)
                .or_default()
                .push((span, link));
        }
    }
    for arcs in by_rank.values_mut() {
        arcs.sort_unstable();
        for (level, &(_, link)) in arcs.iter().enumerate() {
            levels.insert(link, level + 1);
        }
    }
    levels
}

/// The separations every placement keeps, over variables numbered nodes first, then
/// each container's left and right: `(i, j, gap)` for `x[j] - x[i] >= gap`; and each
/// variable's least value.
struct Separations {
    pairs: Vec<(usize, usize, f64)>,
    least: Vec<f64>,
}

impl Separations {
    fn of(g: &Layered, scene: &Scene, containers: &[Container]) -> Separations {
        let n = g.nodes.len();
        let (left, right) = (|c: usize| n + 2 * c, |c: usize| n + 2 * c + 1);
        let mut least: Vec<f64> = g.nodes.iter().map(|node| node.width / 2.0).collect();
        least.resize(n + 2 * g.spans.len(), 0.0);
        let labelled = flat_labels(g, scene);
        let mut pairs = Vec::new();
        for (c, span) in g.spans.iter().enumerate() {
            if span.is_some() {
                let title = font::width(&containers[c].title, metrics::SMALL) + 2.0 * PAD;
                pairs.push((left(c), right(c), title));
            }
        }
        for (v, node) in g.nodes.iter().enumerate() {
            if let Some(c) = node.container {
                let pad = if node.dummy() { SLOT_GAP } else { PAD };
                let half = node.width / 2.0 + pad;
                pairs.push((left(c), v, half));
                pairs.push((v, right(c), half));
            }
        }
        for layer in &g.layers {
            for pair in layer.windows(2) {
                let (a, b) = (pair[0], pair[1]);
                let (ca, cb) = (g.nodes[a].container, g.nodes[b].container);
                if ca == cb {
                    let sep = (g.nodes[a].width + g.nodes[b].width) / 2.0 + gap(g, &labelled, a, b);
                    pairs.push((a, b, sep));
                    continue;
                }
                // Across a container's side: its side stands for its nodes (and a flat
                // link's label between them has room beside the padding).
                let room = SLOT_GAP.max(flat_label(&labelled, a, b) - PAD);
                let (i, mut sep) = match ca {
                    Some(c) => (right(c), room),
                    None => (a, g.nodes[a].width / 2.0 + room),
                };
                let j = match cb {
                    Some(c) => left(c),
                    None => {
                        sep += g.nodes[b].width / 2.0;
                        b
                    }
                };
                pairs.push((i, j, sep));
            }
        }
        Separations { pairs, least }
    }
}

/// The x of each node from the linear programme; `None` when the solver gives none.
fn solve(g: &Layered, separations: &Separations) -> Option<Vec<f64>> {
    let mut lp = Problem::new(OptimizationDirection::Minimize);
    let n = g.nodes.len();
    // A nudge to the left for every node and container side (a container a little more,
    // so that it hugs its members), so that nothing floats.
    let vars: Vec<Variable> = separations
        .least
        .iter()
        .enumerate()
        .map(|(v, &least)| {
            let nudge = if v < n || (v - n) % 2 == 1 {
                1e-3
            } else {
                -1e-3
            };
            lp.add_var(nudge, (least, f64::INFINITY))
        })
        .collect();
    for &(i, j, gap) in &separations.pairs {
        lp.add_constraint([(vars[j], 1.0), (vars[i], -1.0)], ComparisonOp::Ge, gap);
    }
    // How far each link leans, weighted so that long links run straight.
    let lean = |lp: &mut Problem, u: usize, v: usize, weight: f64| {
        let t = lp.add_var(weight, (0.0, f64::INFINITY));
        lp.add_constraint(
            [(t, 1.0), (vars[u], -1.0), (vars[v], 1.0)],
            ComparisonOp::Ge,
            0.0,
        );
        lp.add_constraint(
            [(t, 1.0), (vars[u], 1.0), (vars[v], -1.0)],
            ComparisonOp::Ge,
            0.0,
        );
    };
    // One term per pair of nodes, its links' weights summed (a trunk is one line).
    let mut weights: std::collections::BTreeMap<(usize, usize), f64> = Default::default();
    for chain in &g.chains {
        for pair in chain.nodes.windows(2) {
            let dummies =
                usize::from(g.nodes[pair[0]].dummy()) + usize::from(g.nodes[pair[1]].dummy());
            *weights.entry((pair[0], pair[1])).or_default() += [1.0, 2.0, 8.0][dummies];
        }
    }
    for &(_, a, b) in &g.flat {
        *weights.entry((a.min(b), a.max(b))).or_default() += 0.5;
    }
    for ((u, v), weight) in weights {
        lean(&mut lp, u, v, weight);
    }
    // The picture's right side, weighted so that a box with few links (a cluster no
    // flow reaches, a rank's last box) is pulled in rather than left where it floats.
    let right = lp.add_var(WIDTH_WEIGHT, (0.0, f64::INFINITY));
    for (v, node) in g.nodes.iter().enumerate() {
        lp.add_constraint(
            [(right, 1.0), (vars[v], -1.0)],
            ComparisonOp::Ge,
            node.width / 2.0,
        );
    }
    match lp.solve().ok()? {
        microlp::SolveOutcome::Solution(solution) => {
            Some(vars[..n].iter().map(|&v| solution.var_value(v)).collect())
        }
        microlp::SolveOutcome::Interrupted(_) => None,
    }
}

/// Past [`LP_UP_TO`] nodes (and should the solver give no answer): the mean of the
/// placement packed to the left and the one packed to the right in the same width (both
/// keep every separation, so their mean does too), which centres what has room. Linear:
/// two longest-path passes over the separations in topological order.
fn packed(g: &Layered, separations: &Separations) -> Vec<f64> {
    let count = separations.least.len();
    let mut after: Vec<Vec<(usize, f64)>> = vec![Vec::new(); count];
    let mut before: Vec<Vec<(usize, f64)>> = vec![Vec::new(); count];
    let mut incoming = vec![0usize; count];
    for &(i, j, gap) in &separations.pairs {
        after[i].push((j, gap));
        before[j].push((i, gap));
        incoming[j] += 1;
    }
    let mut order: Vec<usize> = (0..count).filter(|&v| incoming[v] == 0).collect();
    let mut next = 0;
    while next < order.len() {
        let v = order[next];
        next += 1;
        for &(j, _) in &after[v] {
            incoming[j] -= 1;
            if incoming[j] == 0 {
                order.push(j);
            }
        }
    }
    let mut low = separations.least.clone();
    for &v in &order {
        for &(j, gap) in &after[v] {
            low[j] = low[j].max(low[v] + gap);
        }
    }
    let n = g.nodes.len();
    let half = |v: usize| if v < n { g.nodes[v].width / 2.0 } else { 0.0 };
    let width = (0..count).map(|v| low[v] + half(v)).fold(0.0, f64::max);
    let mut high: Vec<f64> = (0..count).map(|v| width - half(v)).collect();
    for &v in order.iter().rev() {
        for &(i, gap) in &before[v] {
            high[i] = high[i].min(high[v] - gap);
        }
    }
    (0..n).map(|v| (low[v] + high[v]) / 2.0).collect()
}

/// Each container's left and right: around its nodes, with its padding.
fn spans_x(g: &Layered, x: &[f64]) -> Vec<Option<(f64, f64)>> {
    let mut sides: Vec<Option<(f64, f64)>> = vec![None; g.spans.len()];
    for (n, node) in g.nodes.iter().enumerate() {
        if let Some(c) = node.container {
            let pad = if node.dummy() { SLOT_GAP } else { PAD };
            let (l, r) = (x[n] - node.width / 2.0 - pad, x[n] + node.width / 2.0 + pad);
            let side = sides[c].get_or_insert((l, r));
            *side = (side.0.min(l), side.1.max(r));
        }
    }
    sides
}

/// Each rank's top and height, the lowest point of the flat arcs below it, and the free
/// band of each gap between ranks (below the arcs and a container's bottom padding, above
/// the next container's title band, a stub's length from each, where links cross in
/// S-curves).
fn ranks_y(
    g: &Layered,
    arc_level: &HashMap<usize, usize>,
    crowded: &[bool],
    buses: &Buses,
) -> Ranks {
    let count = g.layers.len();
    let height: Vec<f64> = g
        .layers
        .iter()
        .map(|layer| layer.iter().map(|&n| g.nodes[n].height).fold(0.0, f64::max))
        .collect();
    let starts = |r: usize| g.spans.iter().flatten().any(|&(first, _)| first == r);
    let ends = |r: usize| g.spans.iter().flatten().any(|&(_, last)| last == r);
    let mut arcs = vec![0usize; count];
    for &(link, a, _) in &g.flat {
        let r = g.nodes[a].rank;
        arcs[r] = arcs[r].max(arc_level.get(&link).copied().unwrap_or(0));
    }
    let mut ranks = Ranks {
        top: vec![0.0; count],
        height,
        arcs_bottom: vec![0.0; count],
        free_top: vec![0.0; count],
        free_bottom: vec![0.0; count],
    };
    let band = |r: usize| {
        if starts(r) {
            PAD + TITLE_BAND + g.header_band[r]
        } else {
            0.0
        }
    };
    // A gap no drawn line crosses (inside a cluster's container, between its own box and
    // its members) needs no room for lines and labels.
    let mut crossed = vec![false; count];
    for chain in g.chains.iter().filter(|c| !c.boxed) {
        for &n in &chain.nodes[..chain.nodes.len() - 1] {
            crossed[g.nodes[n].rank] = true;
        }
    }
    let mut y = 0.0;
    for r in 0..count {
        ranks.free_bottom[r] = y;
        y += STUB + band(r);
        ranks.top[r] = y;
        y += ranks.height[r];
        if arcs[r] > 0 {
            y += arcs[r] as f64 * ARC_STEP + labels::HEIGHT;
        }
        ranks.arcs_bottom[r] = y;
        if ends(r) {
            y += PAD;
        }
        y += STUB;
        ranks.free_top[r] = y;
        y += if crossed[r] {
            let labels = RANK_GAP - 2.0 * STUB + if crowded[r] { CROWDED_GAP } else { 0.0 };
            labels.max(buses.band(r))
        } else {
            0.0
        };
    }
    ranks
}

/// Whether labels could sit side by side in each gap below a rank, or need a second row:
/// a gap where two labels would overlap if each sat in the middle of its curve (over
/// the boxes' centres; its own ports lie within the box) is [`CROWDED_GAP`] taller. A
/// link that spans several gaps counts in its middle one. Sorting the labels' ends: n
/// log n in the links.
fn crowded_gaps(g: &Layered, scene: &Scene, x: &[f64]) -> Vec<bool> {
    let mut spans: Vec<Vec<(f64, f64)>> = vec![Vec::new(); g.layers.len()];
    for chain in g.chains.iter().filter(|c| !c.boxed) {
        let link = &scene.links[chain.link];
        if link.label.is_empty() {
            continue;
        }
        let at = (chain.nodes.len() - 2) / 2;
        let (a, b) = (chain.nodes[at], chain.nodes[at + 1]);
        let middle = (x[a] + x[b]) / 2.0;
        let half = labels::width(link) / 2.0 + LABEL_ROOM;
        spans[g.nodes[a].rank.min(g.nodes[b].rank)].push((middle - half, middle + half));
    }
    spans
        .into_iter()
        .map(|mut gap| {
            gap.sort_by(|p, q| p.0.total_cmp(&q.0));
            gap.dedup_by(|p, q| (p.0 - q.0).abs() < 1.0 && (p.1 - q.1).abs() < 1.0);
            overlapping(&gap)
        })
        .collect()
}

/// Whether any two of these intervals (sorted by their start) overlap.
fn overlapping(sorted: &[(f64, f64)]) -> bool {
    let mut right = f64::NEG_INFINITY;
    for &(start, end) in sorted {
        if start < right {
            return true;
        }
        right = right.max(end);
    }
    false
}

/// The heights of the ranks and the gaps between them (`ranks_y`).
#[derive(Clone)]
pub(super) struct Ranks {
    pub top: Vec<f64>,
    pub height: Vec<f64>,
    pub arcs_bottom: Vec<f64>,
    pub free_top: Vec<f64>,
    pub free_bottom: Vec<f64>,
}
