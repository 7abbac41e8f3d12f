//! A diagram's SVG rendered to PNG with resvg, so that a student can paste the picture
//! without a browser. resvg loads only the shipped font: the output does not depend on
//! the fonts of the machine, and text is never silently dropped for lack of one.

use resvg::{tiny_skia, usvg};

use crate::diagram::font;

/// Pixels per SVG unit: twice the drawing's size, sharp when pasted into a document.
const SCALE: f32 = 2.0;

/// Renders SVG text to PNG bytes. `Err` says why (an SVG we wrote always renders).
pub fn render(svg: &str) -> Result<Vec<u8>, String> {
    let mut options = usvg::Options {
        font_family: font::FAMILY.to_string(),
        ..usvg::Options::default()
    };
    options.fontdb_mut().load_font_data(font::FONT.to_vec());
    let tree =
        usvg::Tree::from_str(svg, &options).map_err(|e| format!("the SVG does not parse: {e}"))?;
    let size = tree
        .size()
        .to_int_size()
        .scale_by(SCALE)
        .ok_or("the picture is too large")?;
    let mut pixmap =
        tiny_skia::Pixmap::new(size.width(), size.height()).ok_or("the picture is too large")?;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(SCALE, SCALE),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| format!("PNG encoding failed: {e}"))
}
