//! The line-based CI formats, on the shipped designs, a design full of errors and one
//! with accepted and lapsed findings: reviewed snapshots of each.

mod common;

use infralint::cli::Format;
use infralint::render::{Options, reporter, text::Style};

fn render(format: Format, path: &std::path::Path) -> String {
    let reports = [common::report(path)];
    reporter(format).render(
        &reports,
        &Options {
            style: Style::PLAIN,
        },
    )
}

#[test]
fn compact_and_github() {
    insta::glob!(
        "..",
        "{designs/*.yaml,tests/fixtures/errors/many_errors.yaml,tests/fixtures/accept/accepted_and_lapsed.yaml}",
        |path| {
            insta::assert_snapshot!("compact", render(Format::Compact, path));
            insta::assert_snapshot!("github", render(Format::Github, path));
        }
    );
}

#[test]
fn every_workflow_command_is_one_line_with_its_place() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = render(
        Format::Github,
        &root.join("tests/fixtures/errors/many_errors.yaml"),
    );
    for line in out.lines() {
        assert!(
            line.starts_with("::error file=tests/fixtures/errors/many_errors.yaml,line="),
            "{line}"
        );
        assert!(line.contains(",title=design error::"), "{line}");
    }
}
