//! `rules/CODE.md` is written from each rule's one source of documentation (the `doc`
//! constant in `src/rules/`). This test fails when a page and its source drift apart;
//! `INFRALINT_WRITE_DOCS=1 cargo test --test it rule_docs` rewrites the pages.

use std::path::PathBuf;

use infralint::rules::{ALL, page};

#[test]
fn rule_pages_match_their_source() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("rules");
    let write = std::env::var_os("INFRALINT_WRITE_DOCS").is_some();
    let mut stale = Vec::new();
    for rule in ALL {
        let path = dir.join(format!("{}.md", rule.code));
        let expected = page(rule);
        if write {
            std::fs::write(&path, &expected).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(expected.as_str()) {
            stale.push(path.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "these pages differ from their rule's doc: {stale:?}; run `INFRALINT_WRITE_DOCS=1 cargo test --test it rule_docs`"
    );
    let pages = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .filter(|e| e.file_name() != "README.md")
        .count();
    assert_eq!(
        pages,
        ALL.len(),
        "one page per rule, and no page without a rule"
    );
}
