//! Fixes applied to a design's text: span edits on the source as written, so comments,
//! order and formatting stay; never inside an anchored node or a merged mapping, whose
//! text stands for more than the one place a finding is about.
//!
//! Rules say *what* to change ([`Fix`], made where the finding is emitted); the pipeline
//! drops a fix that [`touches`] shared text, so neither `--fix`, the summary's count nor
//! an editor offers it; this module says *whether and how* the edits go into the text: [`apply`] picks the fixes that may
//! be applied together, and the `check --fix` driver (commands/fix.rs) re-checks the
//! result before anything is written. Cost: O(e log e) for e edits, plus one copy of
//! the text.

use crate::diagnostic::{Applicability, Edit, Fix};
use crate::source::Span;

/// The whole lines a block-sequence item takes: from the start of the line of its `- `
/// to just past the line break that ends its last line. `None` when anything else shares
/// those lines (an item of a flow list `[a, b]`, a value after it), so that removing the
/// lines would remove more than the item.
pub fn item_lines(text: &str, item: Span) -> Option<Span> {
    let start = item.start as usize;
    let written = text.get(start..item.end as usize)?;
    let end = start + written.trim_end().len();
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let dash = text[line_start..start].trim_start();
    if !dash.strip_prefix('-')?.trim().is_empty() {
        return None;
    }
    let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i + 1);
    let mut rest = text[end..line_end].trim();
    // A flow mapping's or list's span ends at its last value: its bracket follows.
    for (open, close) in [('{', '}'), ('[', ']')] {
        if written.starts_with(open) {
            rest = rest.strip_prefix(close)?.trim_start();
        }
    }
    (rest.is_empty() || rest.starts_with('#')).then(|| Span::new(line_start, line_end))
}

/// `lines` (the lines of a list's only item) widened to the top-level `key:` line that
/// holds the list, with the blank and comment lines between: removing the last item
/// removes the key, since an empty key is no list. `None` when the line above is not
/// `key:` alone.
pub fn with_key_line(text: &str, lines: Span, key: &str) -> Option<Span> {
    let mut line_end = lines.start as usize;
    while line_end > 0 {
        let line_start = text[..line_end - 1].rfind('\n').map_or(0, |i| i + 1);
        let line = &text[line_start..line_end];
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            line_end = line_start;
            continue;
        }
        let rest = line.strip_prefix(key)?.strip_prefix(':')?.trim();
        return (rest.is_empty() || rest.starts_with('#'))
            .then(|| Span::new(line_start, lines.end as usize));
    }
    None
}

/// True when an edit of the fix touches shared text (an anchored node an alias repeats,
/// a mapping `<<` merges): such a fix is not offered.
pub fn touches(fix: &Fix, shared: &[Span]) -> bool {
    fix.edits
        .iter()
        .any(|edit| shared.iter().any(|&s| overlaps(s, edit.span)))
}

/// Two spans share a byte, or are the same empty span.
fn overlaps(a: Span, b: Span) -> bool {
    a.start < b.end && b.start < a.end || a == b
}

/// What [`apply`] did.
#[derive(Debug, Default)]
pub struct Applied {
    /// The new text; the old one when no fix applied.
    pub text: String,
    /// The fixes applied, by their index in the list given.
    pub applied: Vec<usize>,
}

/// Applies, in file order, every fix of `fixes` at or above `at_least` whose edits touch
/// no `shared` span (an anchored node, a merged mapping) and overlap no edit already
/// taken; an edit equal to one already taken (two findings of one flow entry) is taken
/// once. Fixes left out may apply on the next pass, against the new text.
pub fn apply(text: &str, fixes: &[&Fix], at_least: Applicability, shared: &[Span]) -> Applied {
    let mut order: Vec<usize> = (0..fixes.len())
        .filter(|&i| fixes[i].applicability >= at_least && !fixes[i].edits.is_empty())
        .collect();
    order.sort_by_key(|&i| fixes[i].edits.iter().map(|e| e.span.start).min());
    let mut taken: Vec<&Edit> = Vec::new();
    let mut applied = Vec::new();
    'fixes: for index in order {
        let fix = fixes[index];
        let mut new = Vec::new();
        for edit in &fix.edits {
            if shared.iter().any(|&s| overlaps(s, edit.span)) {
                continue 'fixes;
            }
            if taken.contains(&edit) {
                continue;
            }
            if taken
                .iter()
                .chain(&new)
                .any(|t| overlaps(t.span, edit.span))
            {
                continue 'fixes;
            }
            if text
                .get(edit.span.start as usize..edit.span.end as usize)
                .is_none()
            {
                continue 'fixes;
            }
            new.push(edit);
        }
        taken.extend(new);
        applied.push(index);
    }
    taken.sort_by_key(|e| e.span.start);
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for edit in taken {
        out.push_str(&text[at..edit.span.start as usize]);
        out.push_str(&edit.text);
        at = edit.span.end as usize;
    }
    out.push_str(&text[at..]);
    Applied { text: out, applied }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span_of(text: &str, part: &str) -> Span {
        let start = text.find(part).expect("the part is in the text");
        Span::new(start, start + part.len())
    }

    #[test]
    fn an_item_takes_its_whole_lines() {
        let text = "accept:\n  - { rule: AV001, reason: x }  # why\n  - rule: DN001\n    reason: y\nname: z\n";
        // As the parser spans a flow mapping: up to its last value.
        let first = item_lines(text, span_of(text, "{ rule: AV001, reason: x")).unwrap();
        assert_eq!(
            &text[first.start as usize..first.end as usize],
            "  - { rule: AV001, reason: x }  # why\n"
        );
        let second = item_lines(text, span_of(text, "rule: DN001\n    reason: y")).unwrap();
        assert_eq!(
            &text[second.start as usize..second.end as usize],
            "  - rule: DN001\n    reason: y\n"
        );
        let flow = "accept: [{ rule: AV001, reason: x }, { rule: DN001, reason: y }]\n";
        assert_eq!(
            item_lines(flow, span_of(flow, "{ rule: AV001, reason: x }")),
            None
        );
    }

    #[test]
    fn the_last_item_takes_its_key() {
        let text = "name: z\naccept:\n  # kept for a year\n  - { rule: AV001, reason: x }\n";
        let lines = item_lines(text, span_of(text, "{ rule: AV001, reason: x")).unwrap();
        let whole = with_key_line(text, lines, "accept").unwrap();
        assert_eq!(&text[..whole.start as usize], "name: z\n");
        assert_eq!(whole.end as usize, text.len());
        let nested = "x:\n  accept:\n  - { rule: AV001, reason: x }\n";
        let lines = item_lines(nested, span_of(nested, "{ rule: AV001, reason: x")).unwrap();
        assert_eq!(with_key_line(nested, lines, "accept"), None);
    }

    #[test]
    fn fixes_apply_in_order_once_each_never_overlapping_nor_in_shared_text() {
        let text = "a: http\nb: http\nc: http\n";
        let fix = |part: &str, new: &str, applicability| {
            let start = text.find(part).unwrap();
            Fix::replace("", Span::new(start, start + part.len()), new, applicability)
        };
        let a = fix("a: http", "a: https", Applicability::Safe);
        let a_again = a.clone();
        let b = fix("b: http", "b: https", Applicability::Unsafe);
        let c = fix("c: http", "c: https", Applicability::Safe);
        let overlapping = fix("http\nb", "x", Applicability::Safe);
        let fixes = [&c, &a, &a_again, &b, &overlapping];
        let safe = apply(text, &fixes, Applicability::Safe, &[]);
        assert_eq!(safe.text, "a: https\nb: http\nc: https\n");
        assert_eq!(safe.applied, [1, 2, 0]);
        let all = apply(text, &fixes, Applicability::Unsafe, &[]);
        assert_eq!(all.text, "a: https\nb: https\nc: https\n");
        let shared = apply(
            text,
            &fixes,
            Applicability::Safe,
            &[span_of(text, "c: http")],
        );
        assert_eq!(shared.text, "a: https\nb: http\nc: http\n");
    }
}
