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

/// Points along a path, 16 per cubic piece (its start left out), following SVG's `S`:
/// each piece's first control the reflection of the previous piece's last.
pub fn samples(path: &Path) -> Vec<(f64, f64)> {
    let mut out = Vec::new();
    if path.len() < 2 {
        return out;
    }
    let mut start = path[0].0;
    let mut first = path[0].1;
    for pair in &path[1..] {
        let (second, end) = *pair;
        for i in 1..=16 {
            let t = f64::from(i) / 16.0;
            let u = 1.0 - t;
            let (a, b, c, d) = (u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t);
            out.push((
                a * start.0 + b * first.0 + c * second.0 + d * end.0,
                a * start.1 + b * first.1 + c * second.1 + d * end.1,
            ));
        }
        first = (2.0 * end.0 - second.0, 2.0 * end.1 - second.1);
        start = end;
    }
    out
}

/// A path's length, along its samples (within a pixel for the curves drawn here).
pub fn length(path: &Path) -> f64 {
    let Some(&(start, _)) = path.first() else {
        return 0.0;
    };
    let mut at = start;
    let mut total = 0.0;
    for p in samples(path) {
        total += (p.0 - at.0).hypot(p.1 - at.1);
        at = p;
    }
    total
}

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
    fn a_path_is_as_long_as_its_pieces() {
        let path = polyline(&[(0.0, 0.0), (30.0, 0.0), (30.0, 40.0)]);
        assert!((length(&path) - 70.0).abs() < 1e-9);
        // A quarter circle of radius 10 as one cubic, controls 5.5 along the tangents.
        let arc: Path = vec![((0.0, 0.0), (5.5, 0.0)), ((10.0, 4.5), (10.0, 10.0))];
        let quarter = std::f64::consts::FRAC_PI_2 * 10.0;
        assert!((length(&arc) - quarter).abs() < 0.1, "{}", length(&arc));
        assert_eq!(length(&Vec::new()), 0.0);
    }

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
