//! Text in XML and HTML (SVG, report pages, the class index, Open-PSA MEF): the one
//! escape for markup; and in DOT strings, the one DOT escape (`pictures::dot` and the
//! Graphviz layout engine). Other languages have their own, one each: markdown
//! (`report::md`), workflow commands (`github.rs`), terminals (`source::terminal_safe`),
//! Mermaid and D2 (their renderers).

/// `&`, `<`, `>` and `"` as entities: text and attribute values. What XML 1.0 forbids
/// anywhere (the C0 controls but tab and line breaks, U+FFFE, U+FFFF) becomes U+FFFD, so
/// that a design's words cannot make an SVG or a MEF file unreadable (a browser shows
/// no picture at all for an SVG that is not well-formed).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\u{0}'..='\u{8}'
            | '\u{b}'
            | '\u{c}'
            | '\u{e}'..='\u{1f}'
            | '\u{fffe}'
            | '\u{ffff}' => {
                out.push('\u{fffd}');
            }
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

#[cfg(test)]
mod tests {
    #[test]
    fn what_xml_forbids_is_replaced() {
        assert_eq!(
            super::escape("a\u{1b}b\u{7}\u{fffe}<"),
            "a\u{fffd}b\u{fffd}\u{fffd}&lt;"
        );
        assert_eq!(super::escape("tab\tline\n"), "tab\tline\n");
    }
}
