//! The layered graph: each shape in its rank, each link that spans ranks a chain through a
//! dummy node per rank between, an empty slot for each container in a rank it spans with
//! no node there, and the flat links (both ends in one rank).

use std::collections::HashMap;

use super::super::{Container, LinkStyle, Scene, rows};

#[derive(Clone, Debug)]
pub(super) struct Node {
    pub rank: usize,
    pub width: f64,
    pub height: f64,
    /// The shape it draws; `None` for a dummy or a container's empty slot.
    pub shape: Option<usize>,
    pub container: Option<usize>,
}

impl Node {
    pub(super) fn dummy(&self) -> bool {
        self.shape.is_none()
    }
}

/// A link that spans ranks, as the nodes it passes top to bottom (its two shapes at the
/// ends); `up` when it is drawn from the bottom node to the top one.
#[derive(Clone, Debug)]
pub(super) struct Chain {
    pub link: usize,
    pub nodes: Vec<usize>,
    pub up: bool,
    /// A line from a cluster to a member that the cluster's container stands for: laid
    /// out, not drawn.
    pub boxed: bool,
}

pub(super) struct Layered {
    pub nodes: Vec<Node>,
    /// Each rank's nodes, left to right.
    pub layers: Vec<Vec<usize>>,
    /// Each node's neighbours in the rank above and below (once per chain).
    pub above: Vec<Vec<usize>>,
    pub below: Vec<Vec<usize>>,
    pub chains: Vec<Chain>,
    /// Links with both ends in one rank: (link, from node, to node).
    pub flat: Vec<(usize, usize, usize)>,
    /// The node of each shape in the picture.
    pub node_of: Vec<Option<usize>>,
    /// Each container's first and last rank, when it has a member here.
    pub spans: Vec<Option<(usize, usize)>>,
    /// The clusters whose box is their container's header, in the band above their
    /// members' rank (`layered::band_headers`): the box's height, by shape.
    pub header: Vec<Option<f64>>,
    /// The room each rank's header band needs above the usual title band: the tallest
    /// header of a container that starts there, and a gap below it.
    pub header_band: Vec<f64>,
}

impl Layered {
    pub(super) fn build(
        scene: &Scene,
        sizes: &[(f64, f64)],
        ranks: &rows::Ranks,
        containers: &[Container],
        trunks: bool,
    ) -> Layered {
        let mut container_of = vec![None; scene.shapes.len()];
        for (c, container) in containers.iter().enumerate() {
            for &m in &container.members {
                container_of[m] = Some(c);
            }
        }
        // The ranks in use here, from 0.
        let mut used: Vec<usize> = ranks.of.clone();
        used.sort_unstable();
        used.dedup();
        let rank = |i: usize| used.partition_point(|&r| r < ranks.of[i]);
        let mut layered = Layered {
            nodes: Vec::new(),
            layers: vec![Vec::new(); used.len()],
            above: Vec::new(),
            below: Vec::new(),
            chains: Vec::new(),
            flat: Vec::new(),
            node_of: vec![None; scene.shapes.len()],
            spans: vec![None; containers.len()],
            header: vec![None; scene.shapes.len()],
            header_band: vec![0.0; used.len()],
        };
        for shape in 0..scene.shapes.len() {
            let node = layered.add(Node {
                rank: rank(shape),
                width: sizes[shape].0,
                height: sizes[shape].1,
                shape: Some(shape),
                container: container_of[shape],
            });
            layered.node_of[shape] = Some(node);
            if let Some(c) = container_of[shape] {
                let r = rank(shape);
                let span = layered.spans[c].get_or_insert((r, r));
                *span = (span.0.min(r), span.1.max(r));
            }
        }
        let mut spans: Vec<(usize, usize, usize)> = Vec::new();
        for (i, link) in scene.links.iter().enumerate() {
            let (Some(from), Some(to)) = (layered.node_of[link.from], layered.node_of[link.to])
            else {
                continue;
            };
            if from == to {
                continue;
            }
            // A header and its members, in one rank: the container says it.
            if link.style == LinkStyle::Member && layered.nodes[from].rank == layered.nodes[to].rank
            {
                continue;
            }
            if layered.nodes[from].rank == layered.nodes[to].rank {
                layered.flat.push((i, from, to));
            } else {
                spans.push((i, from, to));
            }
        }
        layered.chain_all(scene, &spans, trunks);
        layered.fill_spans();
        layered
    }

    /// Marks the clusters whose box is a header in their container's band (shapes and
    /// their real sizes), and sizes each rank's band for them.
    pub(super) fn band_headers(&mut self, headed: &[(usize, usize)], sizes: &[(f64, f64)]) {
        for &(cluster, _) in headed {
            let Some(node) = self.node_of[cluster] else {
                continue;
            };
            let height = sizes[cluster].1;
            self.header[cluster] = Some(height);
            let rank = self.nodes[node].rank;
            self.header_band[rank] = self.header_band[rank].max(height + super::position::PAD);
        }
    }

    fn add(&mut self, node: Node) -> usize {
        let index = self.nodes.len();
        self.layers[node.rank].push(index);
        self.nodes.push(node);
        self.above.push(Vec::new());
        self.below.push(Vec::new());
        index
    }

    /// The links that span ranks as chains. Links that leave one box with one style
    /// and label share their dummies in each rank two or more of them pass (a trunk,
    /// drawn as one line, that splits where they part); so do links into one box; a link
    /// that could join both joins the larger: a wrapped tier's rows then hold one slot
    /// per trunk, not one per link. Without `trunks`, every link has dummies of its own.
    fn chain_all(&mut self, scene: &Scene, spans: &[(usize, usize, usize)], trunks: bool) {
        type Key<'a> = (bool, usize, u8, &'a str, usize);
        let rank: Vec<usize> = self.nodes.iter().map(|n| n.rank).collect();
        let ends = |&(_, from, to): &(usize, usize, usize)| {
            if rank[from] < rank[to] {
                (from, to, false)
            } else {
                (to, from, true)
            }
        };
        let key = |into: bool, node: usize, link: usize, r: usize| -> Key<'_> {
            let l = &scene.links[link];
            (into, node, l.style as u8, l.label.as_str(), r)
        };
        let mut passing: HashMap<Key<'_>, usize> = HashMap::new();
        for span in spans {
            let (top, bottom, _) = ends(span);
            for r in rank[top] + 1..rank[bottom] {
                *passing.entry(key(false, top, span.0, r)).or_default() += 1;
                *passing.entry(key(true, bottom, span.0, r)).or_default() += 1;
            }
        }
        let mut shared: HashMap<Key<'_>, usize> = HashMap::new();
        for span in spans {
            let (top, bottom, up) = ends(span);
            let inside = match (self.nodes[top].container, self.nodes[bottom].container) {
                (Some(a), Some(b)) if a == b => Some(a),
                _ => None,
            };
            let mut nodes = vec![top];
            for r in rank[top] + 1..rank[bottom] {
                // The larger trunk, the one into the box on a tie.
                let trunk = [key(false, top, span.0, r), key(true, bottom, span.0, r)]
                    .into_iter()
                    .filter(|k| trunks && passing[k] >= 2)
                    .max_by_key(|k| (passing[k], k.0));
                let dummy = Node {
                    rank: r,
                    width: 0.0,
                    height: 0.0,
                    shape: None,
                    container: inside,
                };
                let node = match trunk {
                    Some(k) => match shared.get(&k) {
                        Some(&node) => node,
                        None => {
                            let node = self.add(dummy);
                            shared.insert(k, node);
                            node
                        }
                    },
                    None => self.add(dummy),
                };
                nodes.push(node);
            }
            nodes.push(bottom);
            for pair in nodes.windows(2) {
                if !self.below[pair[0]].contains(&pair[1]) {
                    self.below[pair[0]].push(pair[1]);
                    self.above[pair[1]].push(pair[0]);
                }
            }
            let boxed = scene.links[span.0].style == LinkStyle::Member && inside.is_some();
            self.chains.push(Chain {
                link: span.0,
                nodes,
                up,
                boxed,
            });
        }
    }

    /// An empty slot for each container in each rank it spans with no node of its own,
    /// so that the order keeps room for it there.
    fn fill_spans(&mut self) {
        for c in 0..self.spans.len() {
            let Some((first, last)) = self.spans[c] else {
                continue;
            };
            for r in first..=last {
                if !self.layers[r]
                    .iter()
                    .any(|&n| self.nodes[n].container == Some(c))
                {
                    self.add(Node {
                        rank: r,
                        width: 0.0,
                        height: 0.0,
                        shape: None,
                        container: Some(c),
                    });
                }
            }
        }
    }
}
