//! Flow labels that never sit on each other, on a box or on a container's title.
//!
//! Every engine gives each label an anchor, the middle of its path. This pass keeps an
//! anchor where its label is free, and otherwise slides the label along its own path
//! (nearest the middle first), then one or two label heights above or below it, to the
//! first place where it overlaps no box, no container title and no label already placed.
//! A label with no free place keeps the middle: the tests fail on such a picture, from
//! the SVG, for every shipped design and fixture; big generated pictures placed without
//! label room can still have a few (ARCHITECTURE.md, the layered-engine spike). Labels
//! are placed in link order, each against those before it and the first anchors of those
//! after it, so that a label already free is never pushed out by a later one.
//!
//! Cost: for each label, its path's sample points (16 per Bézier segment) times 3
//! offsets, each checked against the boxes and labels near it: a grid of 200-pixel cells
//! keeps that check to the neighbours, so the pass is near-linear in labels and boxes.

use std::collections::HashMap;

use super::geometry::samples;
use super::metrics::{LOCK, SMALL};
use super::{Diagram, Link, LinkStyle, Path, Rect, font};

/// The height of a label's white ground, and how far its top sits above the anchor (the
/// text's baseline).
pub const HEIGHT: f64 = 15.0;
pub const ABOVE_BASELINE: f64 = 11.0;

/// Room left between a moved label and what it avoids.
const GAP: f64 = 2.0;

/// The rectangle a link's label takes with its anchor at `(x, y)`, as drawn.
pub fn rect(link: &Link, (x, y): (f64, f64)) -> Rect {
    let width = width(link);
    Rect {
        x: x - width / 2.0,
        y: y - ABOVE_BASELINE,
        width,
        height: HEIGHT,
    }
}

/// A label's width: its text, the lock of an encrypted flow, and a margin.
pub fn width(link: &Link) -> f64 {
    font::width(&link.label, SMALL) + lock(link) + 6.0
}

/// The room a label gives the lock drawn before an encrypted flow's text.
pub fn lock(link: &Link) -> f64 {
    if link.style == LinkStyle::Encrypted {
        LOCK
    } else {
        0.0
    }
}

/// The rectangle a container's title takes.
pub fn title_rect(container: &super::Container) -> Rect {
    Rect {
        x: container.rect.x,
        y: container.rect.y,
        width: font::width(&container.title, SMALL) + 16.0,
        height: 18.0,
    }
}

fn overlaps(a: &Rect, b: &Rect) -> bool {
    a.x < b.right() && b.x < a.right() && a.y < b.bottom() && b.y < a.bottom()
}

/// The point halfway along a path, by its samples: where a label goes first. (The middle
/// pair of a path is its end when the path is one curve.)
pub(super) fn middle(path: &Path) -> (f64, f64) {
    let along = samples(path);
    along
        .get(along.len().saturating_sub(1) / 2)
        .copied()
        .unwrap_or_default()
}

/// Rectangles bucketed by the grid cells they touch.
struct Grid {
    cells: HashMap<(i64, i64), Vec<usize>>,
    rects: Vec<Rect>,
}

const CELL: f64 = 200.0;

impl Grid {
    fn new() -> Grid {
        Grid {
            cells: HashMap::new(),
            rects: Vec::new(),
        }
    }

    fn span(r: &Rect) -> impl Iterator<Item = (i64, i64)> {
        let cell = |v: f64| (v / CELL).floor() as i64;
        let (x0, x1, y0, y1) = (cell(r.x), cell(r.right()), cell(r.y), cell(r.bottom()));
        (x0..=x1).flat_map(move |x| (y0..=y1).map(move |y| (x, y)))
    }

    fn add(&mut self, r: Rect) -> usize {
        let index = self.rects.len();
        for cell in Grid::span(&r) {
            self.cells.entry(cell).or_default().push(index);
        }
        self.rects.push(r);
        index
    }

    /// Moves rectangle `index` (a label that moved).
    fn replace(&mut self, index: usize, r: Rect) {
        for cell in Grid::span(&self.rects[index]) {
            if let Some(list) = self.cells.get_mut(&cell) {
                list.retain(|&i| i != index);
            }
        }
        for cell in Grid::span(&r) {
            self.cells.entry(cell).or_default().push(index);
        }
        self.rects[index] = r;
    }

    /// True when `r`, grown by `GAP`, overlaps a rectangle other than `except`.
    fn hits(&self, r: &Rect, except: Option<usize>) -> bool {
        let grown = Rect {
            x: r.x - GAP,
            y: r.y - GAP,
            width: r.width + 2.0 * GAP,
            height: r.height + 2.0 * GAP,
        };
        Grid::span(&grown).any(|cell| {
            self.cells.get(&cell).is_some_and(|list| {
                list.iter()
                    .any(|&i| Some(i) != except && overlaps(&grown, &self.rects[i]))
            })
        })
    }
}

/// Moves the labels of a placed diagram off each other, the boxes and container titles.
pub fn place(diagram: &mut Diagram) {
    let mut grid = Grid::new();
    for b in &diagram.boxes {
        grid.add(*b);
    }
    for container in &diagram.containers {
        grid.add(title_rect(container));
    }
    // Every label at its first anchor; `slot[i]` is its rectangle's index in the grid.
    let mut slot = vec![None; diagram.scene.links.len()];
    for (i, link) in diagram.scene.links.iter().enumerate() {
        if diagram.labelled(i) {
            slot[i] = Some(grid.add(rect(link, diagram.anchors[i])));
        }
    }
    for (i, link) in diagram.scene.links.iter().enumerate() {
        let Some(own) = slot[i] else {
            continue;
        };
        if !grid.hits(&grid.rects[own], Some(own)) {
            continue;
        }
        let along = samples(&diagram.paths[i]);
        // Nearest the middle of the path first, then one and two labels' heights above and
        // below it.
        let middle = along.len() / 2;
        let mut order: Vec<usize> = (0..along.len()).collect();
        order.sort_by_key(|&k| k.abs_diff(middle));
        let step = HEIGHT + GAP;
        let shifts = [
            (0.0, 0.0),
            (0.0, -step),
            (0.0, step),
            (0.0, -2.0 * step),
            (0.0, 2.0 * step),
        ];
        let free = shifts.iter().find_map(|&(dx, dy)| {
            order.iter().find_map(|&k| {
                let anchor = (along[k].0 + dx, along[k].1 + dy);
                let candidate = rect(link, anchor);
                (!grid.hits(&candidate, Some(own))).then_some((anchor, candidate))
            })
        });
        if let Some((anchor, candidate)) = free {
            diagram.anchors[i] = anchor;
            grid.replace(own, candidate);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_follow_an_s_path_through_its_joints() {
        // Two segments: (0,0) -> (0,100), then on to (0,200), straight down.
        let path: Path = vec![
            ((0.0, 0.0), (0.0, 30.0)),
            ((0.0, 70.0), (0.0, 100.0)),
            ((0.0, 170.0), (0.0, 200.0)),
        ];
        let along = samples(&path);
        assert_eq!(along.len(), 32);
        assert!((along[15].1 - 100.0).abs() < 1e-9);
        assert!((along[31].1 - 200.0).abs() < 1e-9);
        assert!(along.iter().all(|p| p.0.abs() < 1e-9));
        assert!(
            along.windows(2).all(|w| w[1].1 > w[0].1),
            "in order down the path"
        );
    }

    #[test]
    fn the_grid_finds_only_real_overlaps() {
        let mut grid = Grid::new();
        let a = grid.add(Rect {
            x: 0.0,
            y: 0.0,
            width: 100.0,
            height: 20.0,
        });
        let near = Rect {
            x: 101.0,
            y: 0.0,
            width: 10.0,
            height: 10.0,
        };
        assert!(grid.hits(&near, None), "within the gap");
        assert!(!grid.hits(&near, Some(a)), "itself excepted");
        let far = Rect {
            x: 500.0,
            y: 500.0,
            width: 10.0,
            height: 10.0,
        };
        assert!(!grid.hits(&far, None));
        grid.replace(
            a,
            Rect {
                x: 495.0,
                y: 495.0,
                width: 10.0,
                height: 10.0,
            },
        );
        assert!(grid.hits(&far, None), "moved into its cell");
    }
}
