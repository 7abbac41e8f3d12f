//! Prose for messages, reports and help: lists joined as a sentence joins them, counts
//! with the noun that agrees, and the nearest known word for a did-you-mean. Used by
//! every stage that writes a sentence; depends on nothing of the pipeline.

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
pub fn list_words<'a>(words: impl IntoIterator<Item = &'a str>) -> String {
    join_words(words, "and")
}

/// `a`, `b` or `c`, each in backticks.
pub fn list_choices<'a>(words: impl IntoIterator<Item = &'a str>) -> String {
    join_words(words, "or")
}

/// `a`, `a and b`, `a, b and c`: items joined as a sentence lists them.
pub fn and_join(items: &[String]) -> String {
    join(items, "and")
}

/// `a`, `a or b`, `a, b or c`: alternatives as a sentence lists them.
pub fn or_join(items: &[String]) -> String {
    join(items, "or")
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
    fn suggestions() {
        assert_eq!(
            suggest("servres", ["name", "servers", "flows"]),
            Some("servers")
        );
        assert_eq!(suggest("htps", ["http", "https", "tcp"]), Some("https"));
        assert_eq!(suggest("zzz", ["servers"]), None);
        assert_eq!(list_words(["a", "b", "c"]), "`a`, `b` and `c`");
    }

    #[test]
    fn lists_and_counts() {
        assert_eq!(and_join(&[]), "");
        assert_eq!(
            and_join(&["a".into(), "b".into(), "c".into()]),
            "a, b and c"
        );
        assert_eq!(list_choices(["x", "y"]), "`x` or `y`");
        assert_eq!(plural(1, "file", "files"), "1 file");
        assert_eq!(plural(2, "file", "files"), "2 files");
    }
}
