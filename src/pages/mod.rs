//! Pages for a browser: a report's markdown as one self-contained HTML page (sanitised,
//! under a Content-Security-Policy), and the class index (HTML and CSV).

pub mod html;
pub mod index;
