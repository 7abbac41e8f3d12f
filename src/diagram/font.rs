//! Text widths from the font the project ships (DejaVu Sans, `assets/fonts/`), so that
//! every label is measured with the metrics of the font the picture is drawn in: SVG
//! names it first, and PNG rendering loads it.

use std::sync::OnceLock;

/// The shipped font's bytes: SVG viewers use it when installed, PNG rendering always.
pub const FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
pub const FAMILY: &str = "DejaVu Sans";

struct Metrics {
    units_per_em: f64,
    /// Advances of the printable ASCII characters, the common case, looked up once.
    ascii: [u16; 95],
    face: ttf_parser::Face<'static>,
}

fn metrics() -> &'static Metrics {
    static METRICS: OnceLock<Metrics> = OnceLock::new();
    METRICS.get_or_init(|| {
        let face = ttf_parser::Face::parse(FONT, 0).expect("the shipped font parses");
        let mut ascii = [0; 95];
        for (i, advance) in ascii.iter_mut().enumerate() {
            let c = char::from(b' ' + i as u8);
            *advance = advance_of(&face, c);
        }
        Metrics {
            units_per_em: f64::from(face.units_per_em()),
            ascii,
            face,
        }
    })
}

fn advance_of(face: &ttf_parser::Face<'_>, c: char) -> u16 {
    let glyph = face
        .glyph_index(c)
        .or_else(|| face.glyph_index('?'))
        .unwrap_or_default();
    face.glyph_hor_advance(glyph).unwrap_or_default()
}

/// The width in pixels of `text` set in the shipped font at `size` pixels, without
/// kerning (which only ever narrows it).
pub fn width(text: &str, size: f64) -> f64 {
    let m = metrics();
    let units: u32 = text
        .chars()
        .map(|c| match c {
            ' '..='~' => u32::from(m.ascii[(c as u8 - b' ') as usize]),
            _ => u32::from(advance_of(&m.face, c)),
        })
        .sum();
    f64::from(units) * size / m.units_per_em
}

#[cfg(test)]
mod tests {
    use super::width;

    #[test]
    fn widths_follow_the_font() {
        assert!(width("", 12.0) == 0.0);
        let narrow = width("iiii", 12.0);
        let wide = width("WWWW", 12.0);
        assert!(wide > 2.0 * narrow, "{narrow} {wide}");
        assert!((width("ab", 24.0) - 2.0 * width("ab", 12.0)).abs() < 1e-9);
        assert!(width("日本", 12.0) > 0.0);
    }
}
