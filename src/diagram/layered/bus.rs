//! Buses: the links that look alike (one style, label and fading) and meet from
//! the rank above, in one box or in a trunk into one (a dummy they share), drawn as one
//! line in the gap above where they meet, each source dropping onto it (and one
//! arrowhead on a box). Ten application servers that each send to three databases
//! draw 3 lines per two servers crossing as S-curves (any two-layer drawing of K(10,3)
//! has C(10,2)·C(3,2) = 135 crossing pairs, whatever the order); as three buses, a drop
//! crosses only the buses above its own, once for every link on them, and a bus's label
//! is drawn once.
//!
//! Which links form buses is decided here; whether a picture is drawn with them is the
//! caller's choice (`layered::place` keeps them where they cross less, as drawn). The
//! levels of a gap's buses are ordered so that drops cross few buses: each bus is put, the
//! widest first, where it adds the fewest crossings with those already placed.
//!
//! Cost: one pass over the chains to group them; in each gap, inserting each of its `b`
//! buses compares it with every bus placed (b² pairs, each linear in their drops): a
//! gap's buses are at most the boxes of the rank below, which wrapping bounds.

use std::collections::HashMap;

use super::super::{LinkStyle, Scene};
use super::graph::Layered;

/// Buses one above the other in a gap: this far apart (a label's height and a pixel).
pub(super) const BUS_STEP: f64 = 16.0;
/// The radius of a bus's rounded corners, where a drop turns onto it and where it turns
/// down into its box.
pub(super) const CORNER: f64 = 8.0;

/// The links into one box that share a line across the gap above it.
#[derive(Clone, Debug)]
pub(super) struct Bus {
    /// The rank above the gap.
    pub gap: usize,
    /// Its place among the gap's buses, 0 the highest.
    pub level: usize,
    /// The node its links meet in: their box, or the first dummy of their trunk.
    pub target: usize,
    /// Its chains (indices into `Layered::chains`).
    pub chains: Vec<usize>,
}

/// The buses of a picture, which bus each chain rides (by chain), and how many buses
/// each gap holds (by the rank above it).
#[derive(Clone, Debug, Default)]
pub(super) struct Buses {
    pub list: Vec<Bus>,
    pub of: Vec<Option<usize>>,
    pub levels: Vec<usize>,
}

impl Buses {
    /// No buses: every link crosses its gap in an S-curve of its own.
    pub(super) fn none(g: &Layered) -> Buses {
        Buses {
            list: Vec::new(),
            of: vec![None; g.chains.len()],
            levels: vec![0; g.layers.len()],
        }
    }

    /// The height the gap below rank `r` needs for its buses (0 for none): a corner
    /// above the highest, a corner below the lowest, [`BUS_STEP`] between two.
    pub(super) fn band(&self, r: usize) -> f64 {
        match self.levels.get(r).copied().unwrap_or(0) {
            0 => 0.0,
            n => 2.0 * CORNER + (n - 1) as f64 * BUS_STEP,
        }
    }

    /// Every group of two or more chains, from two or more places in the rank above,
    /// that go down with one look and meet (in the first dummy of a trunk they share, or
    /// in their box), as a bus; `x` is each node's centre and `through` how many chains
    /// pass each node.
    pub(super) fn find(g: &Layered, scene: &Scene, x: &[f64], through: &[usize]) -> Buses {
        // A what-if's surviving (bold) links share buses with the others, so that the
        // picture of a what-if is laid out as the design's own is.
        type Key<'a> = (usize, u8, &'a str, bool);
        let mut groups: HashMap<Key<'_>, Vec<usize>> = HashMap::new();
        let mut keys: Vec<Key<'_>> = Vec::new();
        for (k, chain) in g.chains.iter().enumerate() {
            let link = &scene.links[chain.link];
            if chain.up || chain.boxed || link.style == LinkStyle::Member {
                continue;
            }
            let last = chain.nodes[chain.nodes.len() - 1];
            let target = chain.nodes[1..]
                .iter()
                .copied()
                .find(|&n| n == last || (g.nodes[n].dummy() && through[n] >= 2))
                .unwrap_or(last);
            let key = (target, link.style as u8, link.label.as_str(), link.optional);
            let group = groups.entry(key).or_default();
            if group.is_empty() {
                keys.push(key);
            }
            group.push(k);
        }
        let mut buses = Buses::none(g);
        // Each gap's buses, in the order first met (deterministic).
        let mut by_gap: HashMap<usize, Vec<Bus>> = HashMap::new();
        let mut gaps: Vec<usize> = Vec::new();
        for key in keys {
            let chains = &groups[&key];
            let source = |k: usize| source(g, k, key.0).1;
            let mut sources: Vec<usize> = chains.iter().map(|&k| source(k)).collect();
            sources.sort_unstable();
            sources.dedup();
            if sources.len() < 2 {
                continue;
            }
            let gap = g.nodes[key.0].rank - 1;
            let list = by_gap.entry(gap).or_default();
            if list.is_empty() {
                gaps.push(gap);
            }
            list.push(Bus {
                gap,
                level: 0,
                target: key.0,
                chains: chains.clone(),
            });
        }
        for gap in gaps {
            let list = by_gap.remove(&gap).unwrap_or_default();
            let spans: Vec<Span> = list.iter().map(|bus| Span::of(g, bus, x)).collect();
            let order = levels(&spans);
            buses.levels[gap] = list.len();
            for (level, &b) in order.iter().enumerate() {
                let mut bus = list[b].clone();
                bus.level = level;
                let index = buses.list.len();
                for &k in &bus.chains {
                    buses.of[k] = Some(index);
                }
                buses.list.push(bus);
            }
        }
        buses
    }
}

/// Where chain `k` comes from onto a bus that meets in `target`: the place in the chain
/// and the node of the rank above it.
pub(super) fn source(g: &Layered, k: usize, target: usize) -> (usize, usize) {
    let nodes = &g.chains[k].nodes;
    let at = nodes
        .iter()
        .position(|&n| n == target)
        .unwrap_or(nodes.len() - 1);
    let from = at.saturating_sub(1);
    (from, nodes[from])
}

/// Where a bus's lines stand in its gap: the x of each drop and of its descent into its
/// box, and the extent of its line.
struct Span {
    drops: Vec<f64>,
    descent: f64,
    low: f64,
    high: f64,
}

impl Span {
    fn of(g: &Layered, bus: &Bus, x: &[f64]) -> Span {
        let mut drops: Vec<f64> = bus
            .chains
            .iter()
            .map(|&k| x[source(g, k, bus.target).1])
            .collect();
        drops.sort_by(f64::total_cmp);
        drops.dedup();
        let descent = x[bus.target];
        let low = drops[0].min(descent);
        let high = drops[drops.len() - 1].max(descent);
        Span {
            drops,
            descent,
            low,
            high,
        }
    }

    fn covers(&self, at: f64) -> bool {
        self.low < at && at < self.high
    }
}

/// The crossings of bus `upper` drawn above bus `lower`: each of the lower's drops that
/// passes the upper's line, and the upper's descent if it passes the lower's line.
fn cost(upper: &Span, lower: &Span) -> usize {
    lower.drops.iter().filter(|&&d| upper.covers(d)).count()
        + usize::from(lower.covers(upper.descent))
}

/// The buses of one gap top to bottom (indices into `spans`): each, the one with most
/// drops first, put where it adds the fewest crossings with those already put (the
/// lowest place on a tie).
fn levels(spans: &[Span]) -> Vec<usize> {
    let mut todo: Vec<usize> = (0..spans.len()).collect();
    todo.sort_by_key(|&b| std::cmp::Reverse(spans[b].drops.len()));
    let mut order: Vec<usize> = Vec::new();
    for b in todo {
        let best = (0..=order.len())
            .min_by_key(|&at| {
                let above: usize = order[..at]
                    .iter()
                    .map(|&p| cost(&spans[p], &spans[b]))
                    .sum();
                let below: usize = order[at..]
                    .iter()
                    .map(|&p| cost(&spans[b], &spans[p]))
                    .sum();
                (above + below, std::cmp::Reverse(at))
            })
            .unwrap_or(0);
        order.insert(best, b);
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(drops: &[f64], descent: f64) -> Span {
        let low = drops.iter().copied().fold(descent, f64::min);
        let high = drops.iter().copied().fold(descent, f64::max);
        Span {
            drops: drops.to_vec(),
            descent,
            low,
            high,
        }
    }

    #[test]
    fn a_drop_crosses_the_buses_above_it_that_pass_it() {
        let wide = span(&[0.0, 100.0, 200.0], 300.0);
        let short = span(&[150.0, 250.0], 260.0);
        // The short bus's drops both pass under the wide bus's line; the wide bus's
        // descent at 300 is beyond the short one's.
        assert_eq!(cost(&wide, &short), 2);
        // Below it, the wide bus's drop at 200 and its descent pass the short line.
        assert_eq!(cost(&short, &wide), 2);
        let apart = span(&[400.0, 500.0], 450.0);
        assert_eq!(cost(&wide, &apart), 0);
        assert_eq!(cost(&apart, &wide), 0);
    }

    #[test]
    fn levels_put_a_bus_where_it_adds_fewest_crossings() {
        let nested = span(&[10.0, 20.0], 30.0);
        let outer = span(&[0.0, 100.0], 50.0);
        // The nested bus above the outer one crosses it once (its descent passes the
        // outer's line); below it, its two drops cross the outer's line.
        assert_eq!(levels(&[outer, nested]), vec![1, 0]);
    }
}
