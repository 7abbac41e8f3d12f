//! Helpers for unit tests: a design from YAML text, or the messages of its errors.

use crate::model::{Design, ServerId, build};
use crate::source::SourceFile;
use crate::syntax::{Limits, parse};

/// The design the text describes; panics with the messages of any error.
pub(crate) fn design(text: &str) -> Design {
    let file = SourceFile::new("t.yaml", text);
    let parsed = parse(&file, Limits::default());
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    build(
        parsed.root.expect("a document"),
        crate::model::max_connections(text.len()),
    )
    .unwrap_or_else(|errors| {
        panic!(
            "{:#?}",
            errors.iter().map(|e| &e.message).collect::<Vec<_>>()
        )
    })
}

/// The messages of the design errors the text has, in file order.
pub(crate) fn errors(text: &str) -> Vec<String> {
    let file = SourceFile::new("t.yaml", text);
    let parsed = parse(&file, Limits::default());
    match build(
        parsed.root.expect("a document"),
        crate::model::max_connections(text.len()),
    ) {
        Ok(_) => Vec::new(),
        Err(errors) => errors.into_iter().map(|e| e.message).collect(),
    }
}

/// A server of a test design, by name.
pub(crate) fn server(design: &Design, name: &str) -> ServerId {
    design
        .servers
        .iter()
        .find(|s| s.name.value == name)
        .map(|s| s.id)
        .expect("a server of the test design")
}
