//! A diagram's SVG rendered to PNG with resvg, so that a student can paste the picture
//! without a browser. resvg loads only the shipped font: the output does not depend on
//! the fonts of the machine, and text is never silently dropped for lack of one.

use resvg::{tiny_skia, usvg};

use crate::diagram::font;

/// Pixels per SVG unit: twice the drawing's size, sharp when pasted into a document.
const SCALE: f32 = 2.0;
/// The most pixels a PNG may have: 32 million (a 128 MB buffer). A larger drawing is
/// scaled down to fit, never refused: 300 distinct servers once asked for 11.6 GB.
pub const MAX_PIXELS: f32 = 32_000_000.0;
/// The longest side a PNG may have, in pixels.
pub const MAX_SIDE: f32 = 16_384.0;

/// Pixels per SVG unit for a drawing of this size: [`SCALE`], less when the picture
/// would pass [`MAX_PIXELS`] or [`MAX_SIDE`].
pub fn scale_for(width: f32, height: f32) -> f32 {
    let area = (width * height).max(1.0);
    SCALE
        .min((MAX_PIXELS / area).sqrt())
        .min(MAX_SIDE / width.max(1.0))
        .min(MAX_SIDE / height.max(1.0))
}

/// Renders SVG text to PNG bytes. `Err` says why (an SVG we wrote always renders).
pub fn render(svg: &str) -> Result<Vec<u8>, String> {
    let mut options = usvg::Options {
        font_family: font::FAMILY.to_string(),
        ..usvg::Options::default()
    };
    options.fontdb_mut().load_font_data(font::FONT.to_vec());
    let tree =
        usvg::Tree::from_str(svg, &options).map_err(|e| format!("the SVG does not parse: {e}"))?;
    let scale = scale_for(tree.size().width(), tree.size().height());
    let size = tree
        .size()
        .to_int_size()
        .scale_by(scale)
        .ok_or("the picture is too large")?;
    let mut pixmap =
        tiny_skia::Pixmap::new(size.width(), size.height()).ok_or("the picture is too large")?;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| format!("PNG encoding failed: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn big_drawings_are_scaled_to_the_maximum() {
        assert_eq!(scale_for(800.0, 600.0), SCALE);
        // 300 distinct servers made a drawing of about 76,000 x 1,900 units.
        let scale = scale_for(76_000.0, 1_900.0);
        assert!(76_000.0 * scale <= MAX_SIDE + 0.5);
        assert!(76_000.0 * scale * 1_900.0 * scale <= MAX_PIXELS);
        let scale = scale_for(6_000.0, 6_000.0);
        assert!((6_000.0 * scale).powi(2) <= MAX_PIXELS * 1.001);
    }

    #[test]
    fn a_wide_svg_renders_within_the_limit() {
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="60000" height="3000"><rect width="60000" height="3000" fill="#fff"/></svg>"##;
        let png = render(svg).unwrap();
        let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
        let height = u32::from_be_bytes(png[20..24].try_into().unwrap());
        assert!(
            width as f32 <= MAX_SIDE && (width * height) as f32 <= MAX_PIXELS,
            "{width}x{height}"
        );
    }
}
