//! Text in XML and HTML (SVG, report pages, the class index, Open-PSA MEF): the one
//! escape for markup; and in DOT strings, the one DOT escape (`pictures::dot` and the
//! Graphviz layout engine). Other languages have their own, one each: markdown
//! (`report::md`), workflow commands (`github.rs`), terminals (`source::terminal_safe`),
//! Mermaid and D2 (their renderers).

/// `&`, `<`, `>` and `"` as entities: text and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

/// Text inside a DOT double-quoted string: `\` and `"` escaped.
pub fn dot_escape(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\\\"")
}

/// Text as a DOT double-quoted string.
pub fn dot_quote(text: &str) -> String {
    format!("\"{}\"", dot_escape(text))
}
