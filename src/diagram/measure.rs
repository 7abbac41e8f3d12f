//! A placed picture measured as a reader sees it: crossings, bends, area, label
//! collisions and edges through boxes. The dagre engine picks the best of its candidate
//! layouts by these measures; `examples/compare_layout.rs` compares engines with them.
//!
//! Edges are sampled into segments (cubic Béziers, 16 steps each); a crossing is a place
//! where edges with no shared end intersect (lines drawn on one another count once); a
//! bend is a joint between two Bézier segments of one edge where its direction turns by
//! more than 10 degrees; the area is the bounding box of boxes, edges and labels; a label
//! collision is a label that overlaps another label or a box; a box crossing is an edge
//! through a box it does not start or end at.
//!
//! Cost: crossings compare the distinct sampled pieces of lines that share a cell of a
//! 32-pixel grid (near-linear in the pieces where lines spread out, quadratic in the
//! distinct pieces of one cell where many lines bunch up; lines drawn on one another are
//! one); callers measure the dagre engine's candidates (up to `dagre::CANDIDATES_UP_TO`
//! links), the layered engine's layout without trunks (up to 150 links) and its routes on
//! buses (up to `layered::BUSES_UP_TO`).

use super::geometry::{Path, Rect};
use super::{Diagram, Link, labels};

pub type Point = (f64, f64);

/// An edge as drawn: its ends (shape indices), its cubic Bézier segments (start, control,
/// control, end) and its label's box.
pub struct Edge {
    pub from: usize,
    pub to: usize,
    pub segments: Vec<[Point; 4]>,
    pub label: Option<Rect>,
}

/// Boxes and edges, from our renderer's picture or from another tool's.
pub struct Drawn {
    pub boxes: Vec<Rect>,
    pub edges: Vec<Edge>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Measures {
    pub crossings: usize,
    pub bends: usize,
    pub area: f64,
    pub label_collisions: usize,
    pub box_crossings: usize,
}

impl Drawn {
    /// A picture as `pictures::svg` draws it.
    pub fn of(picture: &Diagram) -> Drawn {
        let mut drawn = Drawn::from_paths(
            &picture.boxes,
            &picture.scene.links,
            &picture.paths,
            Some(&picture.anchors),
        );
        // A label another link of its bus draws is not drawn twice.
        let drawn_links = (0..picture.paths.len()).filter(|&i| picture.paths[i].len() >= 2);
        for (edge, i) in drawn.edges.iter_mut().zip(drawn_links) {
            if picture.spoken_by[i].is_some() {
                edge.label = None;
            }
        }
        drawn
    }

    /// Boxes and the links' paths (`M p0 C c1, c2, p1` then `S c2, p` per pair; a link
    /// with no path is left out), with labels at `anchors` when given.
    pub fn from_paths(
        boxes: &[Rect],
        links: &[Link],
        paths: &[Path],
        anchors: Option<&[(f64, f64)]>,
    ) -> Drawn {
        let edges = links
            .iter()
            .zip(paths)
            .enumerate()
            .filter(|(_, (_, path))| path.len() >= 2)
            .map(|(i, (link, path))| {
                let mut segments = vec![[path[0].0, path[0].1, path[1].0, path[1].1]];
                for pair in &path[2..] {
                    let last = segments[segments.len() - 1];
                    let reflected = (2.0 * last[3].0 - last[2].0, 2.0 * last[3].1 - last[2].1);
                    segments.push([last[3], reflected, pair.0, pair.1]);
                }
                let label = anchors
                    .filter(|_| !link.label.is_empty())
                    .map(|anchors| labels::rect(link, anchors[i]));
                Edge {
                    from: link.from,
                    to: link.to,
                    segments,
                    label,
                }
            })
            .collect();
        Drawn {
            boxes: boxes.to_vec(),
            edges,
        }
    }

    /// Each edge as a polyline of 16 points per segment.
    fn polylines(&self) -> Vec<Vec<Point>> {
        self.edges
            .iter()
            .map(|e| e.segments.iter().flat_map(sample).collect())
            .collect()
    }

    /// Pairs of edges with no shared end that intersect.
    pub fn crossings(&self) -> usize {
        crossings(&self.edges, &self.polylines())
    }

    pub fn measure(&self) -> Measures {
        let polylines = self.polylines();
        let bends = self.edges.iter().map(|e| bends(&e.segments)).sum();
        let labels: Vec<Rect> = self.edges.iter().filter_map(|e| e.label).collect();
        let label_collisions = labels
            .iter()
            .enumerate()
            .filter(|&(i, label)| {
                labels
                    .iter()
                    .enumerate()
                    .any(|(j, o)| j != i && overlaps(label, o))
                    || self.boxes.iter().any(|b| overlaps(label, b))
            })
            .count();
        let mut box_crossings = 0;
        for (edge, line) in self.edges.iter().zip(&polylines) {
            for (index, rect) in self.boxes.iter().enumerate() {
                if index != edge.from && index != edge.to && line.iter().any(|&p| inside(rect, p)) {
                    box_crossings += 1;
                }
            }
        }
        let mut points: Vec<Point> = polylines.iter().flatten().copied().collect();
        for r in self.boxes.iter().chain(&labels) {
            points.push((r.x, r.y));
            points.push((r.right(), r.bottom()));
        }
        let (low, high) = extent(&points);
        Measures {
            crossings: crossings(&self.edges, &polylines),
            bends,
            area: (high.0 - low.0) * (high.1 - low.1),
            label_collisions,
            box_crossings,
        }
    }
}

/// Crossings as a reader sees them: the distinct places (to 2 px) where two edges with no
/// shared end intersect. Lines drawn on top of one another (a trunk of links that share
/// their path) crossing another line are one crossing, not one per link.
///
/// Each sampled piece of line goes in every cell of a [`CELL`]-pixel grid its box
/// touches, and only pieces that share a cell are compared: two pieces that intersect
/// share the cell of the point where they do, so the places found are those of comparing
/// every pair, in time near-linear in the pieces for a picture whose lines spread out.
/// Pieces drawn on one another (to 0.01 px) are one, with the edges that draw it: a
/// trunk of twenty links is compared as one line, not twenty (seed 18's picture took
/// 300 ms to measure, 14 ms so).
fn crossings(edges: &[Edge], polylines: &[Vec<Point>]) -> usize {
    const CELL: f64 = 32.0;
    let cell = |v: f64| (v / CELL).floor() as i64;
    // Pieces drawn on one another (a trunk's, a bus's) are one piece, with every edge
    // that draws it: compared once, not once per pair of their edges.
    type At = (i64, i64);
    let key = |p: Point| -> At { ((p.0 * 100.0).round() as i64, (p.1 * 100.0).round() as i64) };
    let mut index: std::collections::HashMap<(At, At), usize> = std::collections::HashMap::new();
    let mut pieces: Vec<(Point, Point, Vec<usize>)> = Vec::new();
    for (e, line) in polylines.iter().enumerate() {
        for piece in line.windows(2) {
            let (p, q) = (piece[0], piece[1]);
            let ends = (key(p).min(key(q)), key(p).max(key(q)));
            let at = *index.entry(ends).or_insert_with(|| {
                pieces.push((p, q, Vec::new()));
                pieces.len() - 1
            });
            if pieces[at].2.last() != Some(&e) {
                pieces[at].2.push(e);
            }
        }
    }
    let mut grid: std::collections::HashMap<(i64, i64), Vec<usize>> =
        std::collections::HashMap::new();
    for (k, &(p, q, _)) in pieces.iter().enumerate() {
        for cx in cell(p.0.min(q.0))..=cell(p.0.max(q.0)) {
            for cy in cell(p.1.min(q.1))..=cell(p.1.max(q.1)) {
                grid.entry((cx, cy)).or_default().push(k);
            }
        }
    }
    let apart = |i: usize, j: usize| {
        let (a, b) = (&edges[i], &edges[j]);
        i != j && a.from != b.from && a.from != b.to && a.to != b.from && a.to != b.to
    };
    let mut places = std::collections::HashSet::new();
    for list in grid.values() {
        for (n, &u) in list.iter().enumerate() {
            for &v in &list[n + 1..] {
                let ((a, b, first), (c, d, second)) = (&pieces[u], &pieces[v]);
                if let Some((x, y)) = intersection(*a, *b, *c, *d)
                    && first.iter().any(|&i| second.iter().any(|&j| apart(i, j)))
                {
                    places.insert(((x / 2.0).round() as i64, (y / 2.0).round() as i64));
                }
            }
        }
    }
    places.len()
}

/// The joints of an edge where its direction turns by more than 10 degrees (a smooth
/// joint, where one curve continues another, is no bend).
fn bends(segments: &[[Point; 4]]) -> usize {
    // A segment's direction leaving its start and arriving at its end: towards the first
    // (from the last) of its other points that is not on the end itself.
    let away = |from: Point, towards: &[Point]| {
        towards
            .iter()
            .map(|p| (p.0 - from.0, p.1 - from.1))
            .find(|d| d.0.hypot(d.1) > 1e-6)
    };
    segments
        .windows(2)
        .filter(|pair| {
            let [a, b] = [pair[0], pair[1]];
            let arriving = away(a[3], &[a[2], a[1], a[0]]).map(|d| (-d.0, -d.1));
            let leaving = away(b[0], &[b[1], b[2], b[3]]);
            match (arriving, leaving) {
                (Some(i), Some(o)) => {
                    let cos = (i.0 * o.0 + i.1 * o.1) / (i.0.hypot(i.1) * o.0.hypot(o.1));
                    cos < 10f64.to_radians().cos()
                }
                _ => false,
            }
        })
        .count()
}

/// The lowest and highest corner of some points.
fn extent(points: &[Point]) -> (Point, Point) {
    points.iter().fold(
        ((f64::MAX, f64::MAX), (f64::MIN, f64::MIN)),
        |(low, high), p| {
            (
                (low.0.min(p.0), low.1.min(p.1)),
                (high.0.max(p.0), high.1.max(p.1)),
            )
        },
    )
}

fn overlaps(a: &Rect, b: &Rect) -> bool {
    a.x < b.right() && b.x < a.right() && a.y < b.bottom() && b.y < a.bottom()
}

/// Whether a point is inside a box by more than 2 px.
fn inside(rect: &Rect, (x, y): Point) -> bool {
    const INSET: f64 = 2.0;
    x > rect.x + INSET
        && x < rect.right() - INSET
        && y > rect.y + INSET
        && y < rect.bottom() - INSET
}

fn sample(segment: &[Point; 4]) -> Vec<Point> {
    let [p0, p1, p2, p3] = *segment;
    (0..=16)
        .map(|i| {
            let t = f64::from(i) / 16.0;
            let u = 1.0 - t;
            let (a, b, c, d) = (u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t);
            (
                a * p0.0 + b * p1.0 + c * p2.0 + d * p3.0,
                a * p0.1 + b * p1.1 + c * p2.1 + d * p3.1,
            )
        })
        .collect()
}

/// Where two segments cross (touching ends and overlapping parallels are not crossings).
fn intersection(a: Point, b: Point, c: Point, d: Point) -> Option<Point> {
    let cross =
        |o: Point, p: Point, q: Point| (p.0 - o.0) * (q.1 - o.1) - (p.1 - o.1) * (q.0 - o.0);
    let (d1, d2) = (cross(c, d, a), cross(c, d, b));
    let (d3, d4) = (cross(a, b, c), cross(a, b, d));
    if d1 * d2 < 0.0 && d3 * d4 < 0.0 {
        let t = d1 / (d1 - d2);
        Some((a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1)))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(from: usize, to: usize, a: Point, b: Point) -> Edge {
        Edge {
            from,
            to,
            segments: vec![[a, a, b, b]],
            label: None,
        }
    }

    #[test]
    fn crossings_count_pairs_with_no_shared_end() {
        let drawn = Drawn {
            boxes: Vec::new(),
            edges: vec![
                line(0, 1, (0.0, 0.0), (10.0, 10.0)),
                line(2, 3, (0.0, 10.0), (10.0, 1.0)),
                // Shares an end with the first: never counted.
                line(0, 3, (0.0, 5.0), (10.0, 5.0)),
                // Far away.
                line(4, 5, (50.0, 0.0), (50.0, 10.0)),
            ],
        };
        let measures = drawn.measure();
        assert_eq!((drawn.crossings(), measures.crossings), (1, 1));
        assert_eq!(measures.bends, 0);
        // A right angle is a bend; a straight line in two pieces is not.
        let corner = [
            [(0.0, 0.0), (0.0, 0.0), (10.0, 0.0), (10.0, 0.0)],
            [(10.0, 0.0), (10.0, 0.0), (10.0, 10.0), (10.0, 10.0)],
        ];
        let straight = [
            [(0.0, 0.0), (0.0, 0.0), (5.0, 0.0), (5.0, 0.0)],
            [(5.0, 0.0), (5.0, 0.0), (10.0, 0.0), (10.0, 0.0)],
        ];
        assert_eq!((bends(&corner), bends(&straight)), (1, 0));
        assert_eq!(measures.area, 50.0 * 10.0);
    }

    #[test]
    fn lines_drawn_on_one_another_cross_once() {
        // A trunk: ten links into box 1, drawn on one line from (0, 50) to (100, 50).
        let mut edges: Vec<Edge> = (0..10)
            .map(|k| line(10 + k, 1, (0.0, 50.0), (100.0, 50.0)))
            .collect();
        // A line across it: one crossing, not ten.
        edges.push(line(2, 3, (53.0, 0.0), (53.0, 91.0)));
        // A line across it from the box the trunk goes into: shares their end, none.
        edges.push(line(1, 4, (71.0, 0.0), (71.0, 91.0)));
        let drawn = Drawn {
            boxes: Vec::new(),
            edges,
        };
        assert_eq!(drawn.crossings(), 1);
        // The line from box 1 crosses the trunk where one link of it comes from
        // elsewhere (box 7 to box 8, drawn on the same line): that one is apart from it,
        // and the place counts.
        let mut edges = drawn.edges;
        edges[3] = Edge {
            from: 7,
            to: 8,
            ..line(0, 0, (0.0, 50.0), (100.0, 50.0))
        };
        let drawn = Drawn {
            boxes: Vec::new(),
            edges,
        };
        assert_eq!(drawn.crossings(), 2);
    }
}
