//! Names: what a valid server, record or host name looks like.

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
}
