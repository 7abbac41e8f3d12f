//! The geometry every layout engine gives and every picture draws: boxes and paths, in
//! pixels, y growing downwards.

#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

impl Rect {
    pub fn right(&self) -> f64 {
        self.x + self.width
    }

    pub fn bottom(&self) -> f64 {
        self.y + self.height
    }
}

/// An edge's path as layout-rs routes it: the first pair is (start, control), each
/// following pair (control, point), for an SVG `M … C … S …` path.
pub type Path = Vec<((f64, f64), (f64, f64))>;

/// Points as a path (`M C S S…`): a straight piece between each two, each a cubic whose
/// controls sit on its ends (dagre's routes, our own rails and lanes).
pub fn polyline(points: &[(f64, f64)]) -> Path {
    let mut path = vec![(points[0], points[0])];
    path.extend(points[1..].iter().map(|&p| (p, p)));
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_polyline_is_straight_pieces() {
        let path = polyline(&[(0.0, 0.0), (10.0, 0.0), (10.0, 10.0)]);
        assert_eq!(
            path,
            vec![
                ((0.0, 0.0), (0.0, 0.0)),
                ((10.0, 0.0), (10.0, 0.0)),
                ((10.0, 10.0), (10.0, 10.0))
            ]
        );
    }
}
