//! Buses: the links that look alike (one style, label and fading) and meet from
//! the rank above, in one box or in a trunk into one (a dummy they share), drawn as one
//! line in the gap above where they meet, each source dropping onto it (and one
//! arrowhead on a box). Ten application servers that each send to three databases
//! draw 3 lines per two servers crossing as S-curves (any two-layer drawing of K(10,3)
//! has C(10,2)·C(3,2) = 135 crossing pairs, whatever the order); as three buses, a drop
//! crosses only the buses above its own, once for every link on them, and a bus's label
//! is drawn once.
//!
//! Links that leave one box with one look for [`FAN_OUT_LEAST`] or more boxes below share a
//! bus out of it the same way: one line down from the box, along, down into each.
//!
//! Which links form buses is decided here; whether a picture is drawn with them is the
//! caller's choice (`layered::place` keeps buses into a box where they cross less, as
//! drawn, and buses out of one where they cross no more). The levels of a gap's buses
//! are ordered so that lines cross few buses: each bus is put, the one with most lines
//! first, where it adds the fewest crossings with those already placed.
//!
//! Cost: one pass over the chains to group them; in each gap, inserting each of its `b`
//! buses compares it with every bus placed (b² pairs, each linear in their lines): a
//! gap's buses are at most the boxes of the ranks beside it, which wrapping bounds.

use std::collections::HashMap;

use super::super::{LinkStyle, Scene};
use super::graph::Layered;

/// Buses one above the other in a gap: this far apart (a label's height and a pixel).
pub(super) const BUS_STEP: f64 = 16.0;
/// The radius of a bus's rounded corners, where a drop turns onto it and where it turns
/// down into its box.
pub(super) const CORNER: f64 = 8.0;
/// Links out of one box on a bus of their own from this many targets: two lines from a
/// box read at a glance (a balancer and its two web servers); from three, the same label
/// repeated along a row (GitLab's balancer and its three Rails servers) says less than
/// one.
pub(super) const FAN_OUT_LEAST: usize = 3;

/// The links that share a line across one gap.
#[derive(Clone, Debug)]
pub(super) struct Bus {
    /// The rank above the gap.
    pub gap: usize,
    /// Its place among the gap's buses, 0 the highest.
    pub level: usize,
    /// Where its links meet: the node below the gap they go into (their box, or the
    /// first dummy of a trunk into one) when `into`, else the box above it they leave.
    pub node: usize,
    pub into: bool,
    /// Its chains (indices into `Layered::chains`).
    pub chains: Vec<usize>,
}

impl Bus {
    /// The place in chain `k` of its node above this bus's gap.
    pub(super) fn above(&self, g: &Layered, k: usize) -> usize {
        let nodes = &g.chains[k].nodes;
        let at = nodes.iter().position(|&n| n == self.node).unwrap_or(0);
        if self.into { at.saturating_sub(1) } else { at }
    }

    /// The nodes its lines stand on above its line (`ups`: its sources, or the box its
    /// links leave) and below it (`downs`: where they meet, or their targets).
    fn ends(&self, g: &Layered) -> (Vec<usize>, Vec<usize>) {
        let node = |k: usize, at: usize| g.chains[k].nodes[at];
        let sides: Vec<usize> = if self.into {
            self.chains
                .iter()
                .map(|&k| node(k, self.above(g, k)))
                .collect()
        } else {
            self.chains
                .iter()
                .map(|&k| node(k, self.above(g, k) + 1))
                .collect()
        };
        if self.into {
            (sides, vec![self.node])
        } else {
            (vec![self.node], sides)
        }
    }
}

/// Which buses to look for: links that meet in a box (`into`), links that leave one
/// (`out`).
#[derive(Clone, Copy, Debug)]
pub(super) struct Kinds {
    pub into: bool,
    pub out: bool,
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

    /// The buses: every group of two or more chains, from two or more places in the rank
    /// above, that go down with one look and meet (in the first dummy of a trunk they
    /// share, or in their box); then, of the chains left, every group that leaves one box
    /// with one look for [`FAN_OUT_LEAST`] or more places in the rank below, sharing no
    /// slot with another link. `x` is each node's centre and `through` how many chains
    /// pass each node; `kinds` says which to look for (into a box, out of one).
    pub(super) fn find(
        g: &Layered,
        scene: &Scene,
        x: &[f64],
        through: &[usize],
        kinds: Kinds,
    ) -> Buses {
        // A what-if's surviving (bold) links share buses with the others, so that the
        // picture of a what-if is laid out as the design's own is.
        type Key<'a> = (usize, u8, &'a str, bool);
        let shared = |n: usize| g.nodes[n].dummy() && through[n] >= 2;
        let mut found: Vec<Bus> = Vec::new();
        let mut taken = vec![false; g.chains.len()];
        for into in [true, false]
            .into_iter()
            .filter(|&i| if i { kinds.into } else { kinds.out })
        {
            let mut groups: HashMap<Key<'_>, Vec<usize>> = HashMap::new();
            let mut keys: Vec<Key<'_>> = Vec::new();
            for (k, chain) in g.chains.iter().enumerate() {
                let link = &scene.links[chain.link];
                if taken[k] || chain.up || chain.boxed || link.style == LinkStyle::Member {
                    continue;
                }
                let last = chain.nodes[chain.nodes.len() - 1];
                let node = if into {
                    chain.nodes[1..]
                        .iter()
                        .copied()
                        .find(|&n| n == last || shared(n))
                        .unwrap_or(last)
                } else if chain.nodes.iter().any(|&n| shared(n)) {
                    continue;
                } else {
                    chain.nodes[0]
                };
                let key = (node, link.style as u8, link.label.as_str(), link.optional);
                let group = groups.entry(key).or_default();
                if group.is_empty() {
                    keys.push(key);
                }
                group.push(k);
            }
            for key in keys {
                let mut bus = Bus {
                    gap: 0,
                    level: 0,
                    node: key.0,
                    into,
                    chains: groups[&key].clone(),
                };
                let (ups, downs) = bus.ends(g);
                let mut sides = if into { ups } else { downs };
                sides.sort_unstable();
                sides.dedup();
                if sides.len() < if into { 2 } else { FAN_OUT_LEAST } {
                    continue;
                }
                bus.gap = g.nodes[key.0].rank - usize::from(into);
                for &k in &bus.chains {
                    taken[k] = true;
                }
                found.push(bus);
            }
        }
        let mut buses = Buses::none(g);
        // Each gap's buses, in the order found (deterministic).
        let mut by_gap: HashMap<usize, Vec<Bus>> = HashMap::new();
        let mut gaps: Vec<usize> = Vec::new();
        for bus in found {
            let list = by_gap.entry(bus.gap).or_default();
            if list.is_empty() {
                gaps.push(bus.gap);
            }
            list.push(bus);
        }
        for gap in gaps {
            let list = by_gap.remove(&gap).unwrap_or_default();
            let spans: Vec<Span> = list
                .iter()
                .map(|bus| {
                    let (ups, downs) = bus.ends(g);
                    Span::new(
                        ups.iter().map(|&n| x[n]).collect(),
                        downs.iter().map(|&n| x[n]).collect(),
                    )
                })
                .collect();
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

/// Where a bus's lines stand in its gap: the x of the lines above its line (its drops,
/// or its source) and below it (its descent, or its drops to its targets), and the
/// extent of its line.
struct Span {
    ups: Vec<f64>,
    downs: Vec<f64>,
    low: f64,
    high: f64,
}

impl Span {
    fn new(mut ups: Vec<f64>, mut downs: Vec<f64>) -> Span {
        for side in [&mut ups, &mut downs] {
            side.sort_by(f64::total_cmp);
            side.dedup();
        }
        let all = || ups.iter().chain(&downs).copied();
        let low = all().fold(f64::INFINITY, f64::min);
        let high = all().fold(f64::NEG_INFINITY, f64::max);
        Span {
            ups,
            downs,
            low,
            high,
        }
    }

    fn covers(&self, at: f64) -> bool {
        self.low < at && at < self.high
    }
}

/// The crossings of bus `upper` drawn above bus `lower`: each line of the lower one that
/// comes down from above it and passes the upper's line, and each of the upper's that
/// goes down past the lower's line.
fn cost(upper: &Span, lower: &Span) -> usize {
    lower.ups.iter().filter(|&&d| upper.covers(d)).count()
        + upper.downs.iter().filter(|&&d| lower.covers(d)).count()
}

/// The buses of one gap top to bottom (indices into `spans`): each, the one with most
/// lines first, put where it adds the fewest crossings with those already put (the
/// lowest place on a tie).
fn levels(spans: &[Span]) -> Vec<usize> {
    let mut todo: Vec<usize> = (0..spans.len()).collect();
    todo.sort_by_key(|&b| std::cmp::Reverse(spans[b].ups.len() + spans[b].downs.len()));
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
        Span::new(drops.to_vec(), vec![descent])
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
    fn a_bus_out_of_a_box_crosses_by_its_drops_to_its_targets() {
        // Out of a box at 100 to targets at 0, 200 and 300; into a box at 250 from 150
        // and 350.
        let out = Span::new(vec![100.0], vec![0.0, 200.0, 300.0]);
        let into = span(&[150.0, 350.0], 250.0);
        // Out above: its drops at 200 and 300 pass the lower line (150..350), and the
        // other's drop at 150 passes its line (0..300): 3.
        assert_eq!(cost(&out, &into), 3);
        // Into above: its descent at 250 passes the lower line (0..300); the out bus's
        // line comes down from 100, outside the upper line: 1.
        assert_eq!(cost(&into, &out), 1);
        assert_eq!(levels(&[out, into]), vec![1, 0]);
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
