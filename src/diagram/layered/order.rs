//! The order of each rank: barycentre sweeps, transposition, the fewest crossings kept;
//! containers' nodes together in every rank and containers in one order; boxes joined by
//! a flat link side by side where that costs no crossing.

use super::graph::Layered;

/// At most this many sweeps (down, up, down...); the search stops after
/// [`STALE_SWEEPS`] sweeps that find no order with fewer crossings.
pub(super) const SWEEPS: usize = 24;
const STALE_SWEEPS: usize = 6;
/// At most this many passes of transposition after each sweep.
const TRANSPOSE_PASSES: usize = 8;

pub(super) fn minimise_crossings(g: &mut Layered) {
    let built = g.layers.clone();
    let mut best: Option<(usize, Vec<Vec<usize>>)> = None;
    // Three starts: as built (the scene's order), each rank reversed, and as built but
    // swept from the bottom first; the order with the fewest crossings is kept (the
    // first of equals).
    for start in 0..STARTS {
        g.layers = built.clone();
        if start == 1 {
            for layer in &mut g.layers {
                layer.reverse();
            }
        }
        let found = search(g, start == 2);
        if best.as_ref().is_none_or(|(count, _)| found.0 < *count) {
            best = Some(found);
        }
    }
    if let Some((_, layers)) = best {
        g.layers = layers;
    }
    side_by_side(g);
}

/// How many starting orders [`minimise_crossings`] tries.
const STARTS: usize = 3;

/// Sweeps and transpositions from the order `g` has; the fewest crossings found and that
/// order.
fn search(g: &mut Layered, up_first: bool) -> (usize, Vec<Vec<usize>>) {
    let mut rank_of: Vec<usize> = (0..g.spans.len()).collect();
    enforce(g, &rank_of);
    let mut best = (crossings(g), g.layers.clone());
    let mut stale = 0;
    for sweep in 0..SWEEPS {
        if best.0 == 0 {
            break;
        }
        sweep_once(g, (sweep % 2 == 0) != up_first, &rank_of);
        transpose(g);
        rank_of = container_ranks(g);
        enforce(g, &rank_of);
        let count = crossings(g);
        if count < best.0 {
            best = (count, g.layers.clone());
            stale = 0;
        } else {
            stale += 1;
            if stale >= STALE_SWEEPS {
                break;
            }
        }
    }
    best
}

/// Each node's place in its rank.
fn positions(g: &Layered) -> Vec<usize> {
    let mut pos = vec![0; g.nodes.len()];
    for layer in &g.layers {
        for (i, &n) in layer.iter().enumerate() {
            pos[n] = i;
        }
    }
    pos
}

/// Every rank in blocks (each container's nodes together, where its first one is) and
/// containers in `rank_of`'s order, so that each container can be one box across its
/// ranks.
fn enforce(g: &mut Layered, rank_of: &[usize]) {
    for r in 0..g.layers.len() {
        let keys: Vec<(usize, f64)> = g.layers[r]
            .iter()
            .enumerate()
            .map(|(i, &n)| (n, i as f64))
            .collect();
        g.layers[r] = arrange(g, &keys, Some(rank_of));
    }
}

/// One sweep: each rank (after the first) sorted by the barycentre of its neighbours in
/// the rank before it, in whole blocks (a container's nodes are one block, at their mean);
/// with `rank_of`, containers then put back in that order.
fn sweep_once(g: &mut Layered, down: bool, rank_of: &[usize]) {
    let count = g.layers.len();
    let ranks: Vec<usize> = if down {
        (1..count).collect()
    } else {
        (0..count.saturating_sub(1)).rev().collect()
    };
    let mut pos = positions(g);
    for r in ranks {
        let from = if down { r - 1 } else { r + 1 };
        let width = g.layers[from].len().max(1) as f64;
        let own = g.layers[r].len().max(1) as f64;
        let bary = |n: usize, pos: &[usize]| {
            let neighbours = if down { &g.above[n] } else { &g.below[n] };
            if neighbours.is_empty() {
                (pos[n] as f64 + 0.5) / own
            } else {
                neighbours
                    .iter()
                    .map(|&m| (pos[m] as f64 + 0.5) / width)
                    .sum::<f64>()
                    / neighbours.len() as f64
            }
        };
        let keys: Vec<(usize, f64)> = g.layers[r].iter().map(|&n| (n, bary(n, &pos))).collect();
        let arranged = arrange(g, &keys, Some(rank_of));
        for (i, &n) in arranged.iter().enumerate() {
            pos[n] = i;
        }
        g.layers[r] = arranged;
    }
}

/// A run of a rank's nodes kept together: its key, its container, its nodes with theirs.
type Block = (f64, Option<usize>, Vec<(usize, f64)>);

/// A rank's nodes sorted by key in blocks (a container's nodes together at their mean,
/// sorted inside), containers in `rank_of`'s order when given; ties keep the order.
fn arrange(g: &Layered, keys: &[(usize, f64)], rank_of: Option<&[usize]>) -> Vec<usize> {
    // (key, container, nodes with their keys)
    let mut blocks: Vec<Block> = Vec::new();
    let mut block_of: std::collections::HashMap<usize, usize> = Default::default();
    for &(n, key) in keys {
        let c = g.nodes[n].container;
        match c.and_then(|c| block_of.get(&c)) {
            Some(&block) => blocks[block].2.push((n, key)),
            None => {
                if let Some(c) = c {
                    block_of.insert(c, blocks.len());
                }
                blocks.push((0.0, c, vec![(n, key)]));
            }
        }
    }
    for block in &mut blocks {
        block.0 = block.2.iter().map(|k| k.1).sum::<f64>() / block.2.len() as f64;
        block.2.sort_by(|a, b| a.1.total_cmp(&b.1));
    }
    blocks.sort_by(|a, b| a.0.total_cmp(&b.0));
    if let Some(rank_of) = rank_of {
        let slots: Vec<usize> = (0..blocks.len())
            .filter(|&i| blocks[i].1.is_some())
            .collect();
        let mut held: Vec<_> = slots.iter().map(|&i| blocks[i].clone()).collect();
        held.sort_by_key(|b| b.1.map(|c| rank_of[c]));
        for (slot, block) in slots.into_iter().zip(held) {
            blocks[slot] = block;
        }
    }
    blocks
        .into_iter()
        .flat_map(|b| b.2.into_iter().map(|(n, _)| n))
        .collect()
}

/// Containers in order of the mean place of their nodes across their ranks.
fn container_ranks(g: &Layered) -> Vec<usize> {
    let mut sum = vec![(0.0, 0usize); g.spans.len()];
    for layer in &g.layers {
        for (i, &n) in layer.iter().enumerate() {
            if let Some(c) = g.nodes[n].container {
                sum[c].0 += (i as f64 + 0.5) / layer.len() as f64;
                sum[c].1 += 1;
            }
        }
    }
    let mut order: Vec<usize> = (0..sum.len()).collect();
    order.sort_by(|&a, &b| {
        let mean = |c: usize| sum[c].0 / sum[c].1.max(1) as f64;
        mean(a).total_cmp(&mean(b))
    });
    let mut rank_of = vec![0; sum.len()];
    for (r, c) in order.into_iter().enumerate() {
        rank_of[c] = r;
    }
    rank_of
}

/// Neighbours in a rank swapped while that removes crossings (both free, or both in one
/// container).
fn transpose(g: &mut Layered) {
    let mut pos = positions(g);
    for _ in 0..TRANSPOSE_PASSES {
        let mut improved = false;
        for r in 0..g.layers.len() {
            for i in 0..g.layers[r].len().saturating_sub(1) {
                let (u, v) = (g.layers[r][i], g.layers[r][i + 1]);
                if g.nodes[u].container != g.nodes[v].container {
                    continue;
                }
                if pair_crossings(g, &pos, v, u) < pair_crossings(g, &pos, u, v) {
                    g.layers[r].swap(i, i + 1);
                    pos.swap(u, v);
                    improved = true;
                }
            }
        }
        if !improved {
            break;
        }
    }
}

/// Crossings between the links of `u` and `v` with `u` just left of `v`.
fn pair_crossings(g: &Layered, pos: &[usize], u: usize, v: usize) -> usize {
    let mut count = 0;
    for side in [&g.above, &g.below] {
        for &a in &side[u] {
            count += side[v].iter().filter(|&&b| pos[a] > pos[b]).count();
        }
    }
    count
}

/// Crossings of links between every two neighbouring ranks: the inversions of their lower
/// ends in the order of their upper ends, counted with a Fenwick tree.
pub(super) fn crossings(g: &Layered) -> usize {
    let pos = positions(g);
    let mut total = 0;
    for r in 0..g.layers.len().saturating_sub(1) {
        let mut edges: Vec<(usize, usize)> = g.layers[r]
            .iter()
            .flat_map(|&u| g.below[u].iter().map(move |&v| (u, v)))
            .map(|(u, v)| (pos[u], pos[v]))
            .collect();
        edges.sort_unstable();
        let width = g.layers[r + 1].len();
        let mut tree = vec![0usize; width + 1];
        for (seen, &(_, p)) in edges.iter().enumerate() {
            // How many earlier edges end at or left of `p`.
            let mut at_most = 0;
            let mut i = p + 1;
            while i > 0 {
                at_most += tree[i];
                i &= i - 1;
            }
            total += seen - at_most;
            let mut i = p + 1;
            while i <= width {
                tree[i] += 1;
                i += i & i.wrapping_neg();
            }
        }
    }
    total
}

/// Two boxes joined by a flat link put side by side (the second moved beside the first,
/// left or right) where both are free or in one container, and that crosses no more.
fn side_by_side(g: &mut Layered) {
    for k in 0..g.flat.len() {
        let (_, a, b) = g.flat[k];
        if g.nodes[a].container != g.nodes[b].container {
            continue;
        }
        let r = g.nodes[a].rank;
        let pos = positions(g);
        if pos[a].abs_diff(pos[b]) <= 1 {
            continue;
        }
        let before = crossings(g);
        let original = g.layers[r].clone();
        let mut best: Option<(usize, Vec<usize>)> = None;
        for (moved, beside) in [(b, a), (a, b)] {
            for right in [false, true] {
                let mut layer: Vec<usize> =
                    original.iter().copied().filter(|&n| n != moved).collect();
                let at = layer.iter().position(|&n| n == beside).unwrap_or(0) + usize::from(right);
                layer.insert(at, moved);
                g.layers[r] = layer.clone();
                let count = crossings(g);
                if count <= before && best.as_ref().is_none_or(|(c, _)| count < *c) {
                    best = Some((count, layer));
                }
            }
        }
        g.layers[r] = best.map_or(original, |(_, layer)| layer);
    }
}

#[cfg(test)]
mod tests {
    use super::super::graph::{Layered, Node};
    use super::*;

    fn node(rank: usize) -> Node {
        Node {
            rank,
            width: 10.0,
            height: 10.0,
            shape: Some(0),
            container: None,
        }
    }

    /// Two ranks of two nodes, linked crosswise: one crossing, which the sweeps remove.
    #[test]
    fn a_crossing_is_swept_away() {
        let mut g = Layered {
            nodes: vec![node(0), node(0), node(1), node(1)],
            layers: vec![vec![0, 1], vec![2, 3]],
            above: vec![vec![], vec![], vec![1], vec![0]],
            below: vec![vec![3], vec![2], vec![], vec![]],
            chains: Vec::new(),
            flat: Vec::new(),
            node_of: Vec::new(),
            spans: Vec::new(),
            header: Vec::new(),
            header_band: vec![0.0; 2],
        };
        assert_eq!(crossings(&g), 1);
        minimise_crossings(&mut g);
        assert_eq!(crossings(&g), 0);
    }
}
