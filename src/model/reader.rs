//! Reading YAML against a schema: mappings with their allowed keys (unknown ones with
//! did-you-mean), required keys, and typed values (text, names, numbers, words of a
//! closed set, ports, dates, addresses, percentages), each mistake a `Diagnostic` at its
//! place, reading going on after it. Used for designs (`lower.rs`) and for exercise
//! profiles (`crate::profile`); what is particular to each (their examples of how a key
//! is written) is given by the caller, nothing of a design is baked in.

use std::net::IpAddr;

use jiff::civil::Date;

use super::Spanned;
use super::names::is_valid_name;
use super::vocabulary::Word;
use crate::diagnostic::{Diagnostic, ErrorCode};
use crate::prose::{list_words, suggest};
use crate::source::Span;
use crate::syntax::{Entry, Node, NodeKind, ScalarValue};

/// The entries of one mapping, already checked against the keys allowed there.
pub(crate) struct Fields<'t> {
    entries: &'t [Entry<'t>],
    /// Where to point when a required key is missing: the mapping's own key or item.
    owner: Span,
    what: &'static str,
    /// The allowed keys its unknown keys were taken for (`componets` for `components`):
    /// such a key is not also said to be missing, its did-you-mean says it all.
    suggested: Vec<String>,
}

impl<'t> Fields<'t> {
    pub(crate) fn entries(&self) -> &'t [Entry<'t>] {
        self.entries
    }

    pub(crate) fn get(&self, key: &str) -> Option<&'t Node<'t>> {
        self.entries
            .iter()
            .find(|e| e.key.scalar_text() == Some(key))
            .map(|e| &e.value)
    }
}

pub(crate) struct Reader<'e> {
    errors: &'e mut Vec<Diagnostic>,
    /// How a key is written, for the help of a type error: the caller's own examples
    /// (a design's, a profile's), so that each file is told about its own format.
    examples: fn(&str) -> Option<&'static str>,
}

impl<'e> Reader<'e> {
    /// A reader that reports into `errors`: what other data files (profiles) use to read
    /// YAML against a schema with the same messages as designs.
    pub(crate) fn new(
        errors: &'e mut Vec<Diagnostic>,
        examples: fn(&str) -> Option<&'static str>,
    ) -> Reader<'e> {
        Reader { errors, examples }
    }

    /// A whole number of at least `min`.
    pub(crate) fn count(&mut self, node: &Node, key: &str, min: i64) -> Option<u32> {
        match node.as_scalar().map(|s| s.value()) {
            Some(ScalarValue::Int(n)) if n >= min => u32::try_from(n).ok(),
            _ => {
                self.type_error(node, key, &format!("a whole number of at least {min}"));
                None
            }
        }
    }

    /// How many errors have been reported so far.
    pub(crate) fn error_count(&self) -> usize {
        self.errors.len()
    }

    /// Reports an error found by the caller.
    pub(crate) fn error(&mut self, error: Diagnostic) {
        self.errors.push(error);
    }
    /// Reads a mapping, reporting every key not allowed at this place.
    pub(crate) fn map<'t>(
        &mut self,
        node: &'t Node<'t>,
        what: &'static str,
        allowed: &[&str],
        owner: Span,
    ) -> Option<Fields<'t>> {
        let NodeKind::Map(entries) = &node.kind else {
            self.errors.push(
                Diagnostic::at(
                    ErrorCode::WrongType,
                    node.span,
                    format!("{what} must be a mapping, found {}", node.describe()),
                )
                .label("expected `key: value` lines here")
                .help(format!(
                    "the keys of {what} are {}",
                    list_words(allowed.iter().copied())
                )),
            );
            return None;
        };
        let mut suggested = Vec::new();
        for entry in entries.iter() {
            match entry.key.scalar_text() {
                Some(key) if allowed.contains(&key) => {}
                Some(key) => {
                    let near = suggest(key, allowed.iter().copied());
                    suggested.extend(near.map(str::to_owned));
                    let help = match near {
                        Some(near) => format!("did you mean `{near}`?"),
                        None => format!(
                            "the keys of {what} are {}",
                            list_words(allowed.iter().copied())
                        ),
                    };
                    self.errors.push(
                        Diagnostic::at(
                            ErrorCode::UnknownKey,
                            entry.key.span,
                            format!("unknown key `{key}`"),
                        )
                        .label(format!("not a key of {what}"))
                        .help(help)
                        .maybe_fix(near.map(str::to_owned)),
                    );
                }
                None => self.errors.push(
                    Diagnostic::at(
                        ErrorCode::UnknownKey,
                        entry.key.span,
                        "a key must be plain text",
                    )
                    .label("this key is a list or a mapping")
                    .help(format!(
                        "the keys of {what} are {}",
                        list_words(allowed.iter().copied())
                    )),
                ),
            }
        }
        Some(Fields {
            entries,
            owner,
            what,
            suggested,
        })
    }

    pub(crate) fn required<'t>(&mut self, fields: &Fields<'t>, key: &str) -> Option<&'t Node<'t>> {
        let node = fields.get(key);
        if node.is_none() && !fields.suggested.iter().any(|s| s == key) {
            self.errors.push(
                Diagnostic::at(
                    ErrorCode::MissingKey,
                    fields.owner,
                    format!("{} has no `{key}`", fields.what),
                )
                .label(format!("`{key}` is required here"))
                .help(format!("add `{key}:` to {}", fields.what)),
            );
        }
        node
    }

    pub(crate) fn type_error(&mut self, node: &Node, key: &str, expected: &str) {
        self.errors.push(
            Diagnostic::at(
                ErrorCode::WrongType,
                node.span,
                format!("`{key}` must be {expected}, found {}", node.describe()),
            )
            .label(format!("expected {expected}"))
            .maybe_help((self.examples)(key).map(|e| format!("for example: `{e}`"))),
        );
    }

    /// A non-empty text. Numbers and booleans are read as their text.
    pub(crate) fn text(&mut self, node: &Node, key: &str) -> Option<Spanned<String>> {
        self.text_slice(node, key)
            .map(|text| Spanned::new(text.value.to_string(), text.span))
    }

    /// [`Reader::text`] without a copy: the text as the tree holds it.
    pub(crate) fn text_slice<'t>(
        &mut self,
        node: &'t Node<'_>,
        key: &str,
    ) -> Option<Spanned<&'t str>> {
        match node.as_scalar() {
            Some(s) if !(s.text.is_empty() || s.plain && ScalarValue::is_null(s.text)) => {
                Some(Spanned::new(s.text, node.span))
            }
            _ => {
                self.type_error(node, key, "text");
                None
            }
        }
    }

    /// Free text such as `why` or `software`.
    pub(crate) fn free_text(&mut self, node: &Node, key: &str) -> Option<String> {
        self.text(node, key).map(|t| t.value)
    }

    pub(crate) fn name(&mut self, node: &Node, key: &str) -> Option<Spanned<String>> {
        let name = self.text(node, key)?;
        self.check_name(&name, key).then_some(name)
    }

    pub(crate) fn check_name(&mut self, name: &Spanned<String>, what: &str) -> bool {
        if is_valid_name(&name.value) {
            return true;
        }
        self.errors.push(
            Diagnostic::at(
                ErrorCode::InvalidValue,
                name.span,
                format!("`{}` is not a valid {what} name", name.value),
            )
            .label("not a valid name")
            .help("a name starts with a letter or digit, then letters, digits, `_`, `.` or `-`"),
        );
        false
    }

    pub(crate) fn boolean(&mut self, node: &Node, key: &str) -> Option<bool> {
        match node.as_scalar().map(|s| s.value()) {
            Some(ScalarValue::Bool(b)) => Some(b),
            _ => {
                self.type_error(node, key, "`true` or `false`");
                None
            }
        }
    }

    pub(crate) fn list<'t>(&mut self, node: &'t Node<'t>, key: &str) -> Option<&'t [Node<'t>]> {
        match &node.kind {
            NodeKind::Seq(items) => Some(items),
            _ => {
                self.type_error(node, key, "a list");
                None
            }
        }
    }

    /// One item or a list of them, as `from:` and `to:` allow.
    pub(crate) fn one_or_list<'t>(&mut self, node: &'t Node<'t>) -> &'t [Node<'t>] {
        match &node.kind {
            NodeKind::Seq(items) => items,
            _ => std::slice::from_ref(node),
        }
    }

    pub(crate) fn word<W: Word>(&mut self, node: &Node, key: &str) -> Option<W> {
        let text = self.text(node, key)?;
        if let Some(word) = W::parse(&text.value) {
            return Some(word);
        }
        let allowed = list_words(W::WORDS.iter().copied());
        let near = suggest(&text.value, W::WORDS.iter().copied());
        let help = match near {
            Some(near) => format!("did you mean `{near}`? allowed: {allowed}"),
            None => format!("allowed: {allowed}"),
        };
        self.errors.push(
            Diagnostic::at(
                ErrorCode::UnknownWord,
                text.span,
                format!("unknown {} `{}`", W::WHAT, text.value),
            )
            .label(format!("not a known {}", W::WHAT))
            .help(help)
            .maybe_fix(near.map(str::to_owned)),
        );
        None
    }

    pub(crate) fn port(&mut self, node: &Node, key: &str) -> Option<u16> {
        match node.as_scalar().map(|s| s.value()) {
            Some(ScalarValue::Int(n)) if (1..=65535).contains(&n) => u16::try_from(n).ok(),
            Some(ScalarValue::Int(n)) => {
                self.errors.push(
                    Diagnostic::at(
                        ErrorCode::InvalidValue,
                        node.span,
                        format!("port {n} is out of range"),
                    )
                    .label("not a port")
                    .help("a port is a number from 1 to 65535"),
                );
                None
            }
            _ => {
                let text = node.scalar_text().unwrap_or_default();
                let well_known = match text {
                    "http" => Some(80),
                    "https" => Some(443),
                    "ssh" => Some(22),
                    "mysql" => Some(3306),
                    "postgres" => Some(5432),
                    _ => None,
                };
                self.errors.push(
                    Diagnostic::at(
                        ErrorCode::WrongType,
                        node.span,
                        format!("`{key}` takes port numbers, found {}", node.describe()),
                    )
                    .label("not a port number")
                    .maybe_help(well_known.map(|p| format!("did you mean {p}?"))),
                );
                None
            }
        }
    }

    pub(crate) fn date(&mut self, node: &Node, key: &str) -> Option<Spanned<Date>> {
        let text = self.text(node, key)?;
        match text.value.parse::<Date>() {
            Ok(date) if text.value.len() == 10 => Some(Spanned::new(date, text.span)),
            _ => {
                self.errors.push(
                    Diagnostic::at(
                        ErrorCode::InvalidValue,
                        text.span,
                        format!("`{}` is not a date", text.value),
                    )
                    .label("expected a date")
                    .help("write dates as YYYY-MM-DD, such as 2027-06-30"),
                );
                None
            }
        }
    }

    pub(crate) fn ip(&mut self, node: &Node, key: &str) -> Option<Spanned<IpAddr>> {
        let text = self.text(node, key)?;
        match text.value.parse::<IpAddr>() {
            Ok(ip) => Some(Spanned::new(ip, text.span)),
            Err(_) => {
                self.errors.push(
                    Diagnostic::at(
                        ErrorCode::InvalidValue,
                        text.span,
                        format!("`{}` is not an IP address", text.value),
                    )
                    .label("expected an address")
                    .help("write an IPv4 address such as 10.0.0.11, or an IPv6 address"),
                );
                None
            }
        }
    }

    /// An availability as a percentage: a number above 0 and at most 100 (`99.95`).
    pub(crate) fn percentage(&mut self, node: &Node, key: &str) -> Option<Spanned<f64>> {
        let number = node
            .as_scalar()
            .filter(|s| matches!(s.value(), ScalarValue::Int(_) | ScalarValue::Float))
            .and_then(|s| s.text.parse::<f64>().ok())
            .filter(|v| v.is_finite());
        match number {
            Some(value) if value > 0.0 && value <= 100.0 => Some(Spanned::new(value, node.span)),
            Some(value) => {
                self.errors.push(
                    Diagnostic::at(
                        ErrorCode::InvalidValue,
                        node.span,
                        format!("`{value}` is not a percentage above 0 and at most 100"),
                    )
                    .label("an availability in percent")
                    .help(format!("write `{key}: 99.95` for 99.95%")),
                );
                None
            }
            None => {
                self.type_error(node, key, "a percentage such as `99.95`");
                None
            }
        }
    }
}
