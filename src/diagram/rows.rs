//! Wide tiers wrapped into rows, and the picture laid out in parts stacked top to bottom,
//! for the dagre engine.
//!
//! A tier wider than [`MAX_ROW_WIDTH`] (its boxes side by side with dagre's gap) is cut
//! into rows: each cluster's members, and each other shape, go in the first row with
//! room of the last `OPEN_ROWS`, in scene order (first fit), a cluster's members
//! together where they fit in one row (GitLab's Redis was cut between two rows). A wide
//! tier right below a wrapped one is cut along with it: each of its shapes goes in the
//! row ("band") of its first parent in the tier above, and the two tiers' rows alternate
//! (web row 1, app row 1, web row 2, app row 2...), so that a link from a web server to
//! its application server goes down one rank, not past every other row. A band wider
//! than the maximum stays as it is.
//!
//! The picture is then cut into parts, top to bottom (the tiers above the wrapped ones,
//! each band, the tiers below), which the dagre engine lays out one by one and stacks
//! ([`stack`]), routing the links between parts itself on rails and side lanes.
//!
//! Cost: linear in shapes and links.

use super::{LinkStyle, Rect, Scene};

/// Past this width (in px), a tier is wrapped into rows. With the lines that run past the
/// rows and the picture's margins, a 200-server tier stays under 4,000 px wide.
pub const MAX_ROW_WIDTH: f64 = 2_400.0;
/// How many of a tier's last rows a cluster or server may still go in when it does not
/// fit in the last: a constant, so that wrapping stays linear in the shapes.
const OPEN_ROWS: usize = 4;
/// The gap dagre keeps between two boxes of a rank (`nodesep`).
pub const GAP: f64 = 40.0;

/// Where each shape goes: its rank (0 at the top), and whether its tier is wrapped.
pub struct Ranks {
    pub of: Vec<usize>,
    pub wrapped: Vec<bool>,
    /// Each shape's part of the picture, top to bottom: a run of tiers that are not
    /// wrapped is one part; each band (row) of a wrapped tier, with the rows of the tiers
    /// cut along with it, is one.
    pub part: Vec<usize>,
}

/// The ranks of a scene's shapes of these widths: one per tier with shapes, more for a
/// wrapped one.
pub fn ranks(scene: &Scene, widths: &[f64]) -> Ranks {
    let n = scene.shapes.len();
    let mut used: Vec<u8> = scene.shapes.iter().map(|s| s.tier).collect();
    used.sort_unstable();
    used.dedup();
    let tier_of: Vec<usize> = scene
        .shapes
        .iter()
        .map(|s| used.partition_point(|&t| t < s.tier))
        .collect();
    let mut tiers: Vec<Vec<usize>> = vec![Vec::new(); used.len()];
    for (shape, &tier) in tier_of.iter().enumerate() {
        tiers[tier].push(shape);
    }
    let mut parents: Vec<Vec<usize>> = vec![Vec::new(); n];
    for link in &scene.links {
        if tier_of[link.from] + 1 == tier_of[link.to] {
            parents[link.to].push(link.from);
        }
    }
    // The cluster each shape is a member of (its first), for the rows to keep together.
    let mut cluster_of: Vec<Option<usize>> = vec![None; n];
    for link in scene.links.iter().filter(|l| l.style == LinkStyle::Member) {
        cluster_of[link.to].get_or_insert(link.from);
    }
    let (band, bands, along) = cut(&tiers, &parents, &tier_of, widths, &cluster_of);
    // Ranks: a tier and the tiers cut along with it take their bands in turn.
    let mut first_rank = vec![0usize; tiers.len()];
    let mut group_size = vec![1usize; tiers.len()];
    let mut position = vec![0usize; tiers.len()];
    let mut first_part = vec![0usize; tiers.len()];
    let mut next = 0;
    // The next part's number, and whether the last group was wrapped.
    let (mut parts, mut last_wrapped) = (0usize, true);
    let mut t = 0;
    while t < tiers.len() {
        let mut end = t + 1;
        while end < tiers.len() && along[end] {
            end += 1;
        }
        let wrapped = bands[t] > 1;
        if wrapped || last_wrapped {
            parts += 1;
        }
        for (j, u) in (t..end).enumerate() {
            first_rank[u] = next;
            group_size[u] = end - t;
            position[u] = j;
            first_part[u] = parts - 1;
        }
        if wrapped {
            parts += bands[t] - 1;
        }
        last_wrapped = wrapped;
        next += bands[t] * (end - t);
        t = end;
    }
    let of = (0..n)
        .map(|s| {
            let t = tier_of[s];
            first_rank[t] + band[s] * group_size[t] + position[t]
        })
        .collect();
    let wrapped = (0..n).map(|s| bands[tier_of[s]] > 1).collect();
    let part = (0..n).map(|s| first_part[tier_of[s]] + band[s]).collect();
    Ranks { of, wrapped, part }
}

/// Each shape's band (row) within its tier, each tier's number of bands, and whether it
/// is cut along with the tier above: a tier wider than [`MAX_ROW_WIDTH`] is cut into rows
/// in order, or, right below a wrapped tier, each shape into the band of its first parent.
fn cut(
    tiers: &[Vec<usize>],
    parents: &[Vec<usize>],
    tier_of: &[usize],
    widths: &[f64],
    cluster_of: &[Option<usize>],
) -> (Vec<usize>, Vec<usize>, Vec<bool>) {
    let n = tier_of.len();
    let mut band = vec![0usize; n];
    let mut bands = vec![1usize; tiers.len()];
    let mut along = vec![false; tiers.len()];
    for (t, shapes) in tiers.iter().enumerate() {
        let width: f64 = shapes.iter().map(|&s| widths[s]).sum::<f64>()
            + GAP * shapes.len().saturating_sub(1) as f64;
        if width <= MAX_ROW_WIDTH {
            continue;
        }
        let parent_band: Vec<Option<usize>> = shapes
            .iter()
            .map(|&s| {
                parents[s]
                    .iter()
                    .filter(|&&p| t > 0 && tier_of[p] == t - 1)
                    .map(|&p| band[p])
                    .min()
            })
            .collect();
        if t > 0 && bands[t - 1] > 1 && parent_band.iter().any(Option::is_some) {
            along[t] = true;
            bands[t] = bands[t - 1];
            // Shapes with no parent above fill the narrowest bands.
            let mut filled = vec![0.0_f64; bands[t]];
            let mut orphans = Vec::new();
            for (&s, parent) in shapes.iter().zip(&parent_band) {
                match *parent {
                    Some(b) => {
                        band[s] = b;
                        filled[b] += widths[s] + GAP;
                    }
                    None => orphans.push(s),
                }
            }
            for s in orphans {
                let narrowest = (0..filled.len())
                    .min_by(|&a, &b| filled[a].total_cmp(&filled[b]))
                    .unwrap_or(0);
                band[s] = narrowest;
                filled[narrowest] += widths[s] + GAP;
            }
        } else {
            // Each cluster's members, and each other shape, in the first row with room
            // of the last [`OPEN_ROWS`] (first fit, in scene order); a cluster wider than a
            // row row by row.
            let mut filled: Vec<f64> = Vec::new();
            for unit in units(shapes, cluster_of) {
                let width: f64 = unit.iter().map(|&s| widths[s] + GAP).sum();
                if let Some(row) = (filled.len().saturating_sub(OPEN_ROWS)..filled.len())
                    .find(|&r| filled[r] + width <= MAX_ROW_WIDTH + GAP)
                {
                    for &s in &unit {
                        band[s] = row;
                    }
                    filled[row] += width;
                    continue;
                }
                filled.push(0.0);
                for s in unit {
                    let last = filled.len() - 1;
                    if filled[last] > 0.0 && filled[last] + widths[s] > MAX_ROW_WIDTH {
                        filled.push(0.0);
                    }
                    let row = filled.len() - 1;
                    band[s] = row;
                    filled[row] += widths[s] + GAP;
                }
            }
            bands[t] = filled.len().max(1);
        }
    }
    (band, bands, along)
}

/// A tier's shapes in runs to place together, in order: the members of one cluster (from
/// where its first member is), each other shape alone.
fn units(shapes: &[usize], cluster_of: &[Option<usize>]) -> Vec<Vec<usize>> {
    let mut out: Vec<Vec<usize>> = Vec::new();
    let mut unit_of: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
    for &s in shapes {
        match cluster_of[s] {
            Some(c) => match unit_of.get(&c) {
                Some(&u) => out[u].push(s),
                None => {
                    unit_of.insert(c, out.len());
                    out.push(vec![s]);
                }
            },
            None => out.push(vec![s]),
        }
    }
    out
}

/// Where a lane runs: left of the parts (links fanning out from one shape, and single
/// links) or right of them (links from many shapes into one).
#[derive(Clone, Copy, PartialEq)]
enum Side {
    Left,
    Right,
}

/// Links between parts that share a line: a lane down one side of the picture, and a rail
/// across each gap between parts that they use.
struct Lane {
    side: Side,
    links: Vec<usize>,
}

/// A shared lane's links: into the shape (or out of it), the shape, their label and style.
type LaneKey<'a> = (bool, usize, &'a str, u8);

/// The gap between two parts: room for the rails, at least this much.
const PART_GAP: f64 = 60.0;
/// Between two rails of a gap, and two lanes of a side.
const RAIL_STEP: f64 = 12.0;

/// Lays out each part of a wrapped picture with `place` (given which shapes are in the
/// part, and the part's share of each container) and stacks the parts top to bottom,
/// left-aligned. A link between parts runs down from its box to a rail in the gap below
/// its part, along the rail to its lane at the side, down the lane, and along a rail in
/// the gap above the part of its target (straight across the gap when the parts touch).
/// Links that leave one shape for several parts share a lane, and so do links from
/// several parts into one shape: one line, its label drawn once.
pub(super) fn stack(
    scene: &Scene,
    containers: Vec<super::Container>,
    ranks: &Ranks,
    mut place: impl FnMut(&[bool], Vec<super::Container>) -> Result<super::Placed, String>,
) -> Result<super::Placed, String> {
    let n = scene.shapes.len();
    let parts = ranks.part.iter().copied().max().map_or(0, |p| p + 1);
    let part = |s: usize| ranks.part[s];
    let between = between_parts(scene, ranks);
    let lanes = lanes(scene, &between);
    let rails = rails(scene, ranks, &lanes, parts);
    let gap_height = |g: usize| PART_GAP.max(2.0 * RAIL_STEP + RAIL_STEP * rails[g].len() as f64);

    let mut boxes = vec![Rect::default(); n];
    let mut paths: Vec<super::Path> = vec![Vec::new(); scene.links.len()];
    let mut anchors = vec![(0.0, 0.0); scene.links.len()];
    let mut placed_containers = Vec::new();
    // Each gap's top, and the widest part.
    let mut gap_top: Vec<f64> = Vec::new();
    let mut width: f64 = 0.0;
    let mut y = 0.0;
    for p in 0..parts {
        let only: Vec<bool> = (0..n).map(|s| part(s) == p).collect();
        if !only.contains(&true) {
            if p + 1 < parts {
                gap_top.push(y);
            }
            continue;
        }
        let mine = part_containers(&containers, &only);
        let placed = place(&only, mine)?;
        let inside: Vec<usize> = (0..scene.links.len())
            .filter(|&i| only[scene.links[i].from] && only[scene.links[i].to])
            .collect();
        let (low, high) = extent(&placed, &only, &inside);
        let (dx, dy) = (-low.0, y - low.1);
        let shift = |(x, y): (f64, f64)| (x + dx, y + dy);
        for s in (0..n).filter(|&s| only[s]) {
            let b = placed.boxes[s];
            boxes[s] = Rect {
                x: b.x + dx,
                y: b.y + dy,
                ..b
            };
        }
        for &i in &inside {
            paths[i] = placed.paths[i]
                .iter()
                .map(|&(a, b)| (shift(a), shift(b)))
                .collect();
            anchors[i] = shift(placed.anchors[i]);
        }
        for mut c in placed.containers {
            c.rect.x += dx;
            c.rect.y += dy;
            placed_containers.push(c);
        }
        width = width.max(high.0 - low.0);
        y += high.1 - low.1;
        if p + 1 < parts {
            gap_top.push(y);
            y += gap_height(p);
        }
    }
    // The lanes, and each link between parts along its rails.
    let mut spoken_by = vec![None; scene.links.len()];
    let (mut left, mut right) = (0usize, 0usize);
    for (k, lane) in lanes.iter().enumerate() {
        let x = match lane.side {
            Side::Left => {
                left += 1;
                -RAIL_STEP * left as f64
            }
            Side::Right => {
                right += 1;
                width + RAIL_STEP * right as f64
            }
        };
        let rail = |gap: usize| {
            let index = rails[gap].iter().position(|&r| r == k).unwrap_or(0);
            gap_top[gap] + RAIL_STEP * (1 + index) as f64
        };
        for (nth, &i) in lane.links.iter().enumerate() {
            let l = &scene.links[i];
            let (path, anchor) = lane_path(
                boxes[l.from],
                boxes[l.to],
                (part(l.from), part(l.to)),
                x,
                &rail,
            );
            paths[i] = path;
            anchors[i] = anchor;
            spoken_by[i] = (nth > 0).then_some(lane.links[0]);
        }
    }
    Ok(super::Placed {
        boxes,
        paths,
        anchors,
        containers: placed_containers,
        spoken_by,
    })
}

/// The links between parts, down the picture (links back up are drawn as arcs).
fn between_parts(scene: &Scene, ranks: &Ranks) -> Vec<usize> {
    (0..scene.links.len())
        .filter(|&i| {
            let l = &scene.links[i];
            l.style != LinkStyle::Member
                && scene.shapes[l.from].tier < scene.shapes[l.to].tier
                && ranks.part[l.from] < ranks.part[l.to]
        })
        .collect()
}

/// A link between parts `a` above `b`: down from its box to a rail below part `a`, along
/// it to its lane at `x` and down the lane (past parts between), along a rail above part
/// `b` and down into its box; its label's place.
fn lane_path(
    from: Rect,
    to: Rect,
    (a, b): (usize, usize),
    x: f64,
    rail: &dyn Fn(usize) -> f64,
) -> (super::Path, (f64, f64)) {
    let fx = from.x + from.width / 2.0;
    let tx = to.x + to.width / 2.0;
    let mut points = vec![(fx, from.bottom()), (fx, rail(a))];
    if b > a + 1 {
        points.push((x, rail(a)));
        points.push((x, rail(b - 1)));
    }
    points.push((tx, rail(b - 1)));
    points.push((tx, to.y));
    let anchor = if b > a + 1 {
        (x, (rail(a) + rail(b - 1)) / 2.0)
    } else {
        ((fx + tx) / 2.0, rail(a))
    };
    (super::geometry::polyline(&points), anchor)
}

/// The rails of each gap between parts: right lanes' first (links leaving the part
/// above), then left lanes' (links entering the part below), each lane once.
fn rails(scene: &Scene, ranks: &Ranks, lanes: &[Lane], parts: usize) -> Vec<Vec<usize>> {
    let mut rails: Vec<Vec<usize>> = vec![Vec::new(); parts.saturating_sub(1)];
    for side in [Side::Right, Side::Left] {
        for (k, lane) in lanes.iter().enumerate().filter(|(_, l)| l.side == side) {
            for &i in &lane.links {
                let l = &scene.links[i];
                for gap in [ranks.part[l.from], ranks.part[l.to] - 1] {
                    if !rails[gap].contains(&k) {
                        rails[gap].push(k);
                    }
                }
            }
        }
    }
    rails
}

/// Each container's share of a part: its members in the part, where it has any.
fn part_containers(containers: &[super::Container], only: &[bool]) -> Vec<super::Container> {
    containers
        .iter()
        .filter_map(|c| {
            let members: Vec<usize> = c.members.iter().copied().filter(|&m| only[m]).collect();
            (!members.is_empty()).then(|| super::Container {
                members,
                ..c.clone()
            })
        })
        .collect()
}

/// The links between parts in lanes, largest first: links leaving one shape with one
/// style and label share a lane on the left, links reaching one shape so one on the
/// right; a link goes in the first lane that takes it, else in one of its own (left).
fn lanes(scene: &Scene, between: &[usize]) -> Vec<Lane> {
    let mut groups: std::collections::BTreeMap<LaneKey<'_>, Vec<usize>> = Default::default();
    for &i in between {
        let l = &scene.links[i];
        let (label, style) = (l.label.as_str(), l.style as u8);
        groups
            .entry((false, l.from, label, style))
            .or_default()
            .push(i);
        groups
            .entry((true, l.to, label, style))
            .or_default()
            .push(i);
    }
    let mut groups: Vec<(LaneKey<'_>, Vec<usize>)> = groups.into_iter().collect();
    groups.sort_by_key(|(key, links)| (std::cmp::Reverse(links.len()), *key));
    let mut lanes: Vec<Lane> = Vec::new();
    let mut taken = vec![false; scene.links.len()];
    for ((into, ..), links) in groups {
        let links: Vec<usize> = links.into_iter().filter(|&i| !taken[i]).collect();
        if links.len() < 2 {
            continue;
        }
        for &i in &links {
            taken[i] = true;
        }
        let side = if into { Side::Right } else { Side::Left };
        lanes.push(Lane { side, links });
    }
    for &i in between.iter().filter(|&&i| !taken[i]) {
        lanes.push(Lane {
            side: Side::Left,
            links: vec![i],
        });
    }
    lanes.sort_by_key(|l| l.links[0]);
    lanes
}

/// The corners of a placed part: its boxes, containers and the paths of its links.
fn extent(placed: &super::Placed, only: &[bool], inside: &[usize]) -> ((f64, f64), (f64, f64)) {
    let mut low = (f64::MAX, f64::MAX);
    let mut high = (f64::MIN, f64::MIN);
    let mut grow = |(x, y): (f64, f64)| {
        low = (low.0.min(x), low.1.min(y));
        high = (high.0.max(x), high.1.max(y));
    };
    for (b, _) in placed
        .boxes
        .iter()
        .zip(only)
        .filter(|(_, in_part)| **in_part)
    {
        grow((b.x, b.y));
        grow((b.right(), b.bottom()));
    }
    for c in &placed.containers {
        grow((c.rect.x, c.rect.y));
        grow((c.rect.right(), c.rect.bottom()));
    }
    for &i in inside {
        for pair in &placed.paths[i] {
            grow(pair.0);
            grow(pair.1);
        }
    }
    (low, high)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A design's scene and its shapes' ranks.
    fn scene_and_ranks(name: &str, text: &str) -> (Scene, Ranks) {
        let report = crate::check_source(
            crate::source::SourceFile::new(name, text.to_string()),
            &crate::CheckOptions::default(),
        );
        let scene = crate::diagram::scene::build(report.design.as_ref().unwrap(), None);
        let widths: Vec<f64> = scene
            .shapes
            .iter()
            .map(|s| crate::diagram::shape_size(s).0)
            .collect();
        let ranks = ranks(&scene, &widths);
        (scene, ranks)
    }

    /// GitLab's data tier (four clusters of three, the Praefect database and monitoring)
    /// wraps into two rows, each cluster's members in one, and its internal balancer,
    /// which Rails calls, sits below Rails (`tiers::settle`).
    #[test]
    fn a_wrapped_tier_keeps_each_clusters_members_in_one_row() {
        let (scene, ranks) = scene_and_ranks(
            "gitlab_3k.yaml",
            include_str!("../../designs/gitlab_3k.yaml"),
        );
        let shape = |name: &str| scene.shapes.iter().position(|s| s.title == name).unwrap();
        let rank = |name: &str| ranks.of[shape(name)];
        for cluster in ["consul", "postgres", "redis", "gitaly"] {
            let rows: Vec<usize> = (1..=3).map(|i| rank(&format!("{cluster}-{i}"))).collect();
            assert!(rows.iter().all(|&r| r == rows[0]), "{cluster}: {rows:?}");
        }
        assert!(ranks.wrapped[shape("redis-1")]);
        assert_eq!(rank("sidekiq-1"), rank("rails-1"));
        assert!(rank("ilb") > rank("rails-1") && rank("ilb") < rank("pgbouncer-1"));
    }

    /// Ten distinct web/app pairs: the web tier is wider than a row.
    #[test]
    fn a_wide_tier_and_the_tier_below_it_wrap_into_bands() {
        let (scene, ranks) = scene_and_ranks(
            "wide_tier.yaml",
            include_str!("../../tests/fixtures/diagram/wide_tier.yaml"),
        );
        let shape = |name: &str| scene.shapes.iter().position(|s| s.title == name).unwrap();
        let (web0, app0, web9, app9) = (
            shape("web-00000"),
            shape("app-00000"),
            shape("web-00009"),
            shape("app-00009"),
        );
        // Each application server in its web server's band, the bands one after the other.
        assert!(ranks.wrapped[web0] && ranks.wrapped[app9]);
        assert_eq!(ranks.of[app0], ranks.of[web0] + 1);
        assert_eq!(ranks.of[web9], ranks.of[app0] + 1);
        assert_eq!(ranks.of[app9], ranks.of[web9] + 1);
        // Parts: the tiers above, each band, the tiers below.
        let (lbs, db) = (shape("lbs"), shape("db-01"));
        assert!(!ranks.wrapped[lbs] && !ranks.wrapped[db]);
        assert_eq!(
            [
                ranks.part[lbs],
                ranks.part[web0],
                ranks.part[app0],
                ranks.part[web9],
                ranks.part[db]
            ],
            [0, 1, 1, 2, 3]
        );
        // No band is wider than a row.
        let mut band_width = std::collections::BTreeMap::<usize, f64>::new();
        for (s, shape) in scene.shapes.iter().enumerate() {
            if shape.title.starts_with("web-") {
                let w = crate::diagram::shape_size(shape).0;
                *band_width.entry(ranks.part[s]).or_default() += w + GAP;
            }
        }
        assert!(
            band_width.values().all(|&w| w - GAP <= MAX_ROW_WIDTH),
            "{band_width:?}"
        );
    }
}
