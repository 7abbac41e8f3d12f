//! The default engine (`diagram --layout layered`): our own layered (Sugiyama) layout in
//! our tiers, made for this picture's invariants (issue 25). Where dagre ranks by edges and
//! routes splines that may cut a box's corner, here:
//!
//! 1. **Layers** (`graph`): each shape sits in its tier's rank (`rows::ranks`; tiers
//!    settled so that requests read down, `tiers`; a cluster's box beside its members,
//!    `side_headers`, or in their container's band, `band_headers`); a link that
//!    goes down (or up) more than one rank passes a dummy node in each rank between, a
//!    slot of its own beside the boxes; links within a rank are "flat".
//! 2. **Order** (`order`): barycentre sweeps down and up, then transposition of neighbours
//!    while it removes crossings (counted exactly between every two ranks), the best order
//!    kept; each container's nodes stay together in every rank, and containers keep one
//!    left-to-right order; two boxes joined by a flat link are moved side by side where
//!    that crosses nothing more.
//! 3. **Places** (`position`): the x of every node is a linear programme (Graphviz's
//!    formulation, solved by microlp instead of network simplex): the sum of how far each
//!    link leans, weighted 1, 2 and 8 as it joins boxes, a box and a dummy, or two dummies
//!    (long links run straight), plus the picture's width weighted 4, under the order's
//!    separations; each container one interval in all its ranks. Ranks are top-aligned,
//!    with gaps that hold the labels (a second row where two would overlap), containers'
//!    titles and flat arcs.
//! 4. **Routes** (`route`): every link leaves the bottom of its box and enters the top of
//!    the other at its own port (ports spread along the side, in the order of where the
//!    links go, at least 16 px apart where the side has room; links beyond that share an
//!    arrowhead), runs straight down its dummies' slots and crosses each gap between ranks
//!    in one S-curve: no link ever runs through a rank beside a box, so none passes under
//!    or grazes a box it does not touch. Flat links between neighbours are short
//!    horizontal arrows side by side; between boxes further apart, arcs in the gap below,
//!    nested by span. Links that look alike and meet from the rank above (in a box, or
//!    in a trunk into one) may instead cross that gap on a bus (`bus`): each drops onto
//!    one line and runs along it to where they meet; a picture is routed with and
//!    without buses and kept with them where they cross less as drawn. Links that leave
//!    one box for three or more below may share a bus out of it, kept where it crosses
//!    no more.
//!
//! Cost: the layers are linear in the links times the ranks they span; each sweep sorts
//! every rank (n log n) and counts crossings with a Fenwick tree (e log e), at most
//! [`order::SWEEPS`] sweeps; transposition is quadratic in a rank's width at worst, which
//! wrapping (`rows`) bounds; the linear programme is solved by the simplex method, fast in
//! practice on these (a few hundred variables; 1-40 ms on the shipped and generated
//! designs) and, past [`position::LP_UP_TO`] nodes, replaced by a packing and a median
//! pass, linear. A picture of up to [`SEPARATE_LINKS_UP_TO`] links is laid out twice
//! (with and without trunks); each layout of up to [`BUSES_UP_TO`] links is routed with
//! and without buses; all are measured as drawn (`measure`: near-linear where lines
//! spread out, quadratic in the distinct pieces of line that bunch in one cell).

mod bus;
mod graph;
mod order;
mod position;
mod route;

use super::{Container, Placed, Scene, rows};

/// Up to this many links, the layout is also ordered without trunks (each link in
/// slots of its own) and kept that way when that crosses less. Past it, trunks stay:
/// without them a wrapped picture is several times as wide (12,541 px against 2,977 on a
/// generated design of 100 server pairs) and crosses more.
const SEPARATE_LINKS_UP_TO: usize = 150;
/// Up to this many links, the layout is also routed on buses and measured again (each
/// measure 14 ms on seed 18's 374 flows; the 10,000-server picture is folded far below
/// this).
pub(super) const BUSES_UP_TO: usize = 10_000;

/// Places a scene in layers: each tier a rank, a wrapped tier (`rows::ranks`) a rank per
/// row, all in one layout.
pub(super) fn place(scene: &Scene, sizes: &[(f64, f64)], containers: Vec<Container>) -> Placed {
    let widths: Vec<f64> = sizes.iter().map(|s| s.0).collect();
    let mut ranks = rows::ranks(scene, &widths);
    compact(scene, &widths, &mut ranks.of);
    let ends = link_ends(scene);
    let headed = band_headers(scene, &containers, &ends, &mut ranks.of);
    side_headers(scene, &containers, &ends, &mut ranks.of);
    // A header in its container's band takes no room in its members' rank.
    let mut layer_sizes = sizes.to_vec();
    for &(cluster, _) in &headed {
        layer_sizes[cluster] = (0.0, 0.0);
    }
    let containers = split_zones(containers, &ranks);
    let laid = |trunks: bool| {
        let mut layered = graph::Layered::build(scene, &layer_sizes, &ranks, &containers, trunks);
        layered.band_headers(&headed, sizes);
        order::minimise_crossings(&mut layered);
        let places = position::place(&layered, scene, &containers);
        let plain = route::route(&layered, scene, sizes, containers.clone(), &places);
        if scene.links.len() > BUSES_UP_TO {
            return plain;
        }
        // Links that meet in one box on buses, where that crosses less as drawn; then
        // links that leave one box for three or more, where that crosses no more.
        let routed = |kinds: bus::Kinds| {
            position::with_buses(&layered, scene, &places, kinds).map(|bussed| {
                let placed = route::route(&layered, scene, sizes, containers.clone(), &bussed);
                let crossings = placed.drawn(scene).crossings();
                (placed, crossings)
            })
        };
        // (crossings, the picture, whether it has buses into a box)
        let mut best = (plain.drawn(scene).crossings(), plain, false);
        let into = bus::Kinds {
            into: true,
            out: false,
        };
        if let Some((placed, crossings)) = routed(into)
            && crossings < best.0
        {
            best = (crossings, placed, true);
        }
        let out = bus::Kinds {
            into: best.2,
            out: true,
        };
        match routed(out) {
            Some((placed, crossings)) if crossings <= best.0 => placed,
            _ => best.1,
        }
    };
    let placed = laid(true);
    // Trunks cross less as a rule, but not always: two boxes that each send to one box
    // below and to a trunk beside it cross once in either order, where two separate lines
    // could pass on either side of it (design 3's balancers and their monitoring).
    if scene.links.len() <= SEPARATE_LINKS_UP_TO {
        let with = placed.drawn(scene).crossings();
        if with > 0 {
            let separate = laid(false);
            if separate.drawn(scene).crossings() < with {
                return separate;
            }
        }
    }
    placed
}

/// The clusters with no virtual IP whose box goes in their container's top band, above
/// their members, instead of a rank of its own (with the rank each moves to): a rank of
/// its own made the container span the rank above its members, where it kept every
/// other box of that rank beside it, not above it (GitLab's Consul, PostgreSQL, Redis
/// and Gitaly clusters beside the PgBouncers and Praefects: 4,992 px wide), and left an
/// empty band between the header and the members. Only a cluster whose links all come
/// from ranks above its members (a line from the header down would cross the members'
/// rank) and whose members in that rank have no link from above (it would cross the
/// header). Linear in the links and the clusters' members.
fn band_headers(
    scene: &Scene,
    containers: &[Container],
    ends: &[Vec<(usize, bool)>],
    of: &mut [usize],
) -> Vec<(usize, usize)> {
    let mut headed = Vec::new();
    for container in containers.iter().filter(|c| !c.zone) {
        let Some((&cluster, members)) = container.members.split_first() else {
            continue;
        };
        if !scene.unaddressed.contains(&cluster) || members.is_empty() {
            continue;
        }
        let rank = members.iter().map(|&m| of[m]).min().unwrap_or(of[cluster]);
        let above = ends[cluster].iter().all(|&(o, _)| of[o] < rank);
        // A line into a member of the header's rank from above would cross the header.
        let clear = members
            .iter()
            .filter(|&&m| of[m] == rank)
            .all(|&m| ends[m].iter().all(|&(o, _)| of[o] >= rank));
        if above && clear {
            of[cluster] = rank;
            headed.push((cluster, rank));
        }
    }
    headed
}

/// Each shape's links that a container does not stand for (all but a cluster's ties to
/// its members): the other end, and whether the link comes in.
fn link_ends(scene: &Scene) -> Vec<Vec<(usize, bool)>> {
    let mut ends: Vec<Vec<(usize, bool)>> = vec![Vec::new(); scene.shapes.len()];
    for link in scene
        .links
        .iter()
        .filter(|l| l.style != super::LinkStyle::Member)
    {
        ends[link.from].push((link.to, false));
        ends[link.to].push((link.from, true));
    }
    ends
}

/// A zone is drawn as one region per run of ranks it has boxes in: a zone with boxes at
/// the web tier and again at the bottom (its other servers drawn in clusters between)
/// would otherwise be a column as tall as the picture that everything else goes around.
/// Clusters stay whole.
fn split_zones(containers: Vec<Container>, ranks: &rows::Ranks) -> Vec<Container> {
    let mut out = Vec::new();
    for container in containers {
        if !container.zone {
            out.push(container);
            continue;
        }
        let mut members = container.members.clone();
        members.sort_by_key(|&m| (ranks.of[m], m));
        let mut run: Vec<usize> = Vec::new();
        for m in members {
            if let Some(&last) = run.last()
                && ranks.of[m] > ranks.of[last] + 1
            {
                out.push(Container {
                    members: std::mem::take(&mut run),
                    ..container.clone()
                });
            }
            run.push(m);
        }
        out.push(Container {
            members: run,
            ..container
        });
    }
    out
}

/// A rank joined to its neighbour where that keeps every link reading down and the rank
/// within `rows::MAX_ROW_WIDTH`: a rank linked to nothing below it and to nothing in the
/// rank above (outside services reached from further up, a monitoring server) moves up
/// beside the rank above; a rank linked to nothing below it at all (DNS, which only the
/// user looks up) moves down beside the rank below. One rank less of height each.
fn compact(scene: &Scene, widths: &[f64], of: &mut [usize]) {
    let count = of.iter().max().map_or(0, |&r| r + 1);
    for r in 1..count {
        let shapes: Vec<usize> = (0..of.len()).filter(|&s| of[s] == r).collect();
        if shapes.is_empty() {
            continue;
        }
        let width = |rank: usize| -> f64 {
            (0..of.len())
                .filter(|&s| of[s] == rank)
                .map(|s| widths[s] + 40.0)
                .sum()
        };
        let linked = |shape: usize, other: &dyn Fn(usize) -> bool| {
            scene.links.iter().any(|l| {
                (l.from == shape && other(of[l.to])) || (l.to == shape && other(of[l.from]))
            })
        };
        let nothing_below = shapes.iter().all(|&s| !linked(s, &|o| o > r));
        if !nothing_below {
            continue;
        }
        let fits = |rank: usize| width(rank) + width(r) <= rows::MAX_ROW_WIDTH;
        let target = if shapes.iter().all(|&s| !linked(s, &|o| o == r - 1)) && fits(r - 1) {
            Some(r - 1)
        } else if r + 1 < count && (0..of.len()).any(|s| of[s] == r + 1) && fits(r + 1) {
            Some(r + 1)
        } else {
            None
        };
        if let Some(target) = target {
            for &s in &shapes {
                of[s] = target;
            }
        }
    }
}

/// A cluster with a virtual IP: its box beside its members, in the first rank they sit
/// in, where every flow into it comes from above that rank and every flow out of it goes
/// below (as Graphviz draws it). In a rank of its own above them, the box made its
/// container span a rank more (82 px of the production design's height), and on a
/// wrapped tier the rank of every cluster's box: each container then ran from that rank
/// down to its members' row, and the containers of one tier stood side by side however
/// their members were wrapped. Linear in the links and the clusters' members.
fn side_headers(
    scene: &Scene,
    containers: &[Container],
    ends: &[Vec<(usize, bool)>],
    of: &mut [usize],
) {
    for container in containers.iter().filter(|c| !c.zone) {
        let Some((&cluster, members)) = container.members.split_first() else {
            continue;
        };
        if scene.unaddressed.contains(&cluster) || members.is_empty() {
            continue;
        }
        let rank = members.iter().map(|&m| of[m]).min().unwrap_or(of[cluster]);
        let clear = ends[cluster].iter().all(|&(other, incoming)| {
            if incoming {
                of[other] < rank
            } else {
                of[other] > rank
            }
        });
        if clear {
            of[cluster] = rank;
        }
    }
}
