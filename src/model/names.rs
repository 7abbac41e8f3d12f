//! Names: what a valid one looks like, and the nearest known word for a did-you-mean.

/// Server, component, cluster and external names: `[A-Za-z0-9][A-Za-z0-9_.-]*`.
pub fn is_valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
}

/// A DNS record's name: `@`, or dot-separated labels of letters, digits, `-`, `_`,
/// with `*` allowed as a whole first label.
pub(super) fn is_valid_record_name(name: &str) -> bool {
    name == "@" || is_valid_host(name, true)
}

/// A host name: dot-separated labels of letters, digits, `-` and `_`; an optional final
/// dot; `*` as a whole first label when `wildcard` is allowed.
pub(super) fn is_valid_host(host: &str, wildcard: bool) -> bool {
    let host = host.strip_suffix('.').unwrap_or(host);
    !host.is_empty()
        && host.split('.').enumerate().all(|(i, label)| {
            (wildcard && i == 0 && label == "*")
                || (!label.is_empty()
                    && label
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_')))
        })
}

/// The known word nearest to `word`, when one is near enough to be a likely typo.
pub fn suggest<'a>(word: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = word.to_ascii_lowercase();
    known
        .into_iter()
        .map(|candidate| {
            let score = strsim::jaro_winkler(&lower, &candidate.to_ascii_lowercase());
            (candidate, score)
        })
        .filter(|&(_, score)| score >= 0.8)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(candidate, _)| candidate)
}

/// `a`, `b` and `c`, each in backticks.
pub(super) fn list_words<'a>(words: impl IntoIterator<Item = &'a str>) -> String {
    join_words(words, "and")
}

/// `a`, `b` or `c`, each in backticks.
pub(super) fn list_choices<'a>(words: impl IntoIterator<Item = &'a str>) -> String {
    join_words(words, "or")
}

/// `a`, `a and b`, `a, b and c`: items joined as a sentence lists them.
pub fn and_join(items: &[String]) -> String {
    join(items, "and")
}

/// The one joiner: items as a sentence lists them, the last after `conjunction`.
fn join(items: &[String], conjunction: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {conjunction} {last}", init.join(", ")),
    }
}

fn join_words<'a>(words: impl IntoIterator<Item = &'a str>, conjunction: &str) -> String {
    let words: Vec<String> = words.into_iter().map(|w| format!("`{w}`")).collect();
    join(&words, conjunction)
}

/// `1 file`, `2 files`: a count and the noun that agrees with it.
pub fn plural(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(is_valid_name("web-01"));
        assert!(is_valid_name("db.primary_1"));
        assert!(!is_valid_name("-web"));
        assert!(!is_valid_name("web 01"));
        assert!(!is_valid_name(""));
        assert!(is_valid_record_name("@"));
        assert!(is_valid_record_name("*.api"));
        assert!(!is_valid_record_name("a..b"));
        assert!(is_valid_host("www.foobar.com.", false));
    }

    #[test]
    fn suggestions() {
        assert_eq!(
            suggest("servres", ["name", "servers", "flows"]),
            Some("servers")
        );
        assert_eq!(suggest("htps", ["http", "https", "tcp"]), Some("https"));
        assert_eq!(suggest("zzz", ["servers"]), None);
        assert_eq!(list_words(["a", "b", "c"]), "`a`, `b` and `c`");
    }
}
