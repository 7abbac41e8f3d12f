//! A report as one self-contained HTML page: the markdown rendered by pulldown-cmark,
//! a small inline stylesheet, and the diagram's SVG inline.

use pulldown_cmark::{Options, Parser, html};

const STYLE: &str = "body{font-family:'DejaVu Sans',system-ui,sans-serif;color:#212121;\
margin:0;background:#f5f5f5}main{max-width:60rem;margin:0 auto;padding:1.5rem 2rem;\
background:#fff;line-height:1.5}h1{margin-top:0}h2{border-bottom:1px solid #e0e0e0;\
padding-bottom:.2rem;margin-top:2rem}figure{margin:1rem 0;overflow-x:auto}figure svg{max-width:100%;\
height:auto}code{background:#f0f0f0;padding:0 .2rem;border-radius:3px}blockquote{margin:.5rem 0;\
padding:.2rem 1rem;border-left:4px solid #90caf9;color:#37474f;background:#f5f9ff}\
li{margin:.2rem 0}table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.3rem .6rem}";

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The page: `markdown` rendered, with `svg` inlined as a figure before the first section.
pub fn page(title: &str, markdown: &str, svg: Option<&str>) -> String {
    let mut body = String::new();
    let options = Options::ENABLE_TASKLISTS | Options::ENABLE_TABLES;
    html::push_html(&mut body, Parser::new_ext(markdown, options));
    if let Some(svg) = svg {
        let figure = format!("<figure class=\"diagram\">{}</figure>\n", svg.trim_end());
        match body.find("<h2") {
            Some(at) => body.insert_str(at, &figure),
            None => body.push_str(&figure),
        }
    }
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n{body}</main>\n</body>\n</html>\n",
        escape(title)
    )
}
