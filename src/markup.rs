//! Text in XML and HTML (SVG, report pages, the class index, Open-PSA MEF): the one
//! escape for markup. Other languages have their own, one each: DOT (`dot.rs`),
//! markdown (`report::md`), workflow commands (`github.rs`), terminals
//! (`source::terminal_safe`).

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
