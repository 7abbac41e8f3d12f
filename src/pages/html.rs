//! A report as one self-contained HTML page: the markdown rendered by pulldown-cmark,
//! a small inline stylesheet, and the diagram's SVG inline.
//!
//! Every design is untrusted, and teachers open the pages of a whole class: raw HTML in
//! the markdown is shown as text, the rendered body is sanitised by ammonia (links only
//! to `http`, `https`, `mailto` and relative addresses), and the page carries a
//! Content-Security-Policy that allows no script and only our own stylesheet (by hash).

use crate::markup::escape;
use std::collections::HashSet;
use std::sync::LazyLock;

use base64::Engine;
use pulldown_cmark::{Event, Options, Parser, html};
use sha2::{Digest, Sha256};

const STYLE: &str = "body{font-family:'DejaVu Sans',system-ui,sans-serif;color:#212121;\
margin:0;background:#f5f5f5}main{max-width:60rem;margin:0 auto;padding:1.5rem 2rem;\
background:#fff;line-height:1.5}h1{margin-top:0}h2{border-bottom:1px solid #e0e0e0;\
padding-bottom:.2rem;margin-top:2rem}figure{margin:1rem 0;overflow:auto;max-height:85vh;\
border:1px solid #e0e0e0}figure.diagram{margin:1rem calc(50% - 50vw + 1rem);background:#fff}figure svg{display:block}p.diagram-link{margin:.2rem 0;font-size:.9rem}code{background:#f0f0f0;padding:0 .2rem;border-radius:3px}blockquote{margin:.5rem 0;\
padding:.2rem 1rem;border-left:4px solid #90caf9;color:#37474f;background:#f5f9ff}\
li{margin:.2rem 0}table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.3rem .6rem}\
p.what-if{position:fixed;right:1rem;bottom:1rem;max-width:26rem;margin:0;z-index:1;\
padding:.5rem .8rem;background:#fff8e1;border-left:4px solid #ffb300;box-shadow:0 2px 8px #0004}\
g.shape.clickable{cursor:pointer}g.shape.clickable:focus{outline:none}\
g.shape.clickable:focus-visible>rect{stroke:#1565c0;stroke-width:4}g.shape.failed{opacity:.3}\
g.shape.stopped>rect{fill:#ffebee;stroke:#c62828;stroke-dasharray:6 3}\
path.link.stopped,g.flow-label.stopped{opacity:.2}";

/// The what-if of an interactive report page: click a server in the diagram to fail it
/// (again to bring it back); the page evaluates the structure function embedded as
/// data (`#infralint-logic`, see `report::what_if_data`), greys failed servers, marks
/// those that stop serving and the flows that stop, and says what still completes. No
/// network, no library: this script is the page's only one, admitted by its hash.
pub const WHAT_IF_SCRIPT: &str = include_str!("../../assets/what_if.js");

/// The Content-Security-Policy of a page whose only style is `style`: nothing loads,
/// no script runs, only that stylesheet applies (images from the page itself).
pub fn content_security_policy(style: &str) -> String {
    policy(style, None)
}

fn sha256(text: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(Sha256::digest(text.as_bytes()))
}

/// The policy, admitting `script` (by its hash) as the page's only script.
fn policy(style: &str, script: Option<&str>) -> String {
    let scripts = match script {
        Some(script) => format!("'sha256-{}'", sha256(script)),
        None => "'none'".to_string(),
    };
    format!(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'sha256-{}'; img-src 'self' data:; script-src {scripts}; base-uri 'none'; form-action 'none'\">",
        sha256(style)
    )
}

/// ammonia's defaults (safe tags and attributes), restricted to the link schemes a
/// report needs.
static SANITISER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .url_schemes(HashSet::from(["http", "https", "mailto"]))
        .link_rel(Some("noopener noreferrer"));
    builder
});

/// Markdown to sanitised HTML: raw HTML in the markdown is shown as text.
pub fn markdown_to_html(markdown: &str) -> String {
    // No task lists: a checkbox without a label is an accessibility failure, and the
    // requirements say met or not met in words.
    let options = Options::ENABLE_TABLES;
    let events = Parser::new_ext(markdown, options).map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        other => other,
    });
    let mut body = String::new();
    html::push_html(&mut body, events);
    SANITISER.clean(&body).to_string()
}

/// The page: `markdown` rendered, with `svg` (our own renderer's, every text in it
/// escaped) inlined as a figure before the first section. With `what_if` (the design's
/// structure function as JSON, `report::what_if_data`), the figure is interactive.
pub fn page(title: &str, markdown: &str, svg: Option<&str>, what_if: Option<&str>) -> String {
    page_linking(title, markdown, svg, what_if, None)
}

/// [`page`], with a link to the diagram alone as a file beside the page (`svg_file`, its
/// name), to zoom and scroll at any size. The figure shows the diagram at its own size
/// (scrolling inside it, and reachable from the keyboard to scroll), never shrunk to the
/// column.
pub fn page_linking(
    title: &str,
    markdown: &str,
    svg: Option<&str>,
    what_if: Option<&str>,
    svg_file: Option<&str>,
) -> String {
    let mut body = markdown_to_html(markdown);
    if let Some(svg) = svg {
        let mut figure = format!(
            "<figure class=\"diagram\" tabindex=\"0\" aria-label=\"The diagram, at its own size: scroll inside it\">{}</figure>\n",
            svg.trim_end()
        );
        if let Some(file) = svg_file {
            let href = percent_encoding::utf8_percent_encode(file, crate::source::PATH_SEGMENT);
            let _ = std::fmt::Write::write_fmt(
                &mut figure,
                format_args!(
                    "<p class=\"diagram-link\"><a href=\"{href}\">The diagram alone ({})</a>, to zoom in and out.</p>\n",
                    escape(file)
                ),
            );
        }
        if let Some(data) = what_if {
            // JSON inside a script element: `<` written as \u003c cannot end the element.
            let _ = std::fmt::Write::write_fmt(
                &mut figure,
                format_args!(
                    "<p id=\"what-if\" class=\"what-if\" aria-live=\"polite\">Click a server in the diagram to fail it, and again to bring it back.</p>\n<script type=\"application/json\" id=\"infralint-logic\">{}</script>\n",
                    data.replace('<', "\\u003c")
                ),
            );
        }
        match body.find("<h2") {
            Some(at) => body.insert_str(at, &figure),
            None => body.push_str(&figure),
        }
    }
    let (script, tag) = match (svg, what_if) {
        (Some(_), Some(_)) => (
            Some(WHAT_IF_SCRIPT),
            format!("<script>{WHAT_IF_SCRIPT}</script>\n"),
        ),
        _ => (None, String::new()),
    };
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n{}\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n{body}</main>\n{tag}</body>\n</html>\n",
        policy(STYLE, script),
        escape(title)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_is_text_and_only_safe_links_survive() {
        let html = markdown_to_html(
            "<script>alert(1)</script>\n\nA <img src=x onerror=alert(2)> and [a](javascript:alert(3)), [b](https://example.com), [c](page.html), [d](data:text/html,x).\n",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "shown as text: {html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(!html.contains("data:text"), "{html}");
        assert!(html.contains("href=\"https://example.com\""), "{html}");
        assert!(html.contains("href=\"page.html\""), "{html}");
    }

    #[test]
    fn no_checkbox_is_made_from_a_task_list() {
        let html = markdown_to_html("- [x] done\n- [ ] not yet\n");
        assert!(!html.contains("<input"), "{html}");
        assert!(html.contains("[x] done"), "{html}");
    }

    #[test]
    fn the_policy_names_the_hash_of_the_style() {
        let policy = content_security_policy("a{}");
        assert!(policy.contains("script-src 'none'"));
        // sha256("a{}"), base64.
        let expected =
            base64::engine::general_purpose::STANDARD.encode(Sha256::digest("a{}".as_bytes()));
        assert!(policy.contains(&format!("'sha256-{expected}'")));
    }
}
