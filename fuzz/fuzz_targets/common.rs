//! What every fuzz target does with a design's text: the whole pipeline and every
//! renderer, with the invariants that must hold for any input.

use infralint::reporters::text::Style;
use infralint::source::SourceFile;
use infralint::{CheckOptions, check_source, diagram, pages, pictures, report, reporters};

pub(crate) fn exercise(text: &str) {
    let options = CheckOptions {
        today: "2026-11-23".parse().expect("a date"),
        ..CheckOptions::default()
    };
    let file = check_source(SourceFile::new("fuzz.yaml", text), &options);
    // Every position points inside the file.
    let len = file.source.as_ref().map_or(0, |s| s.text().len());
    for error in &file.errors {
        if let Some(span) = error.span {
            assert!(
                span.end as usize <= len,
                "an error's span ends past the file"
            );
        }
    }
    for finding in &file.findings {
        assert!(
            finding.span().end as usize <= len,
            "a finding's span ends past the file"
        );
    }
    let reports = [file];
    let _ = reporters::text::render(&reports, Style::PLAIN);
    let json = reporters::json::render(&reports);
    serde_json::from_str::<serde_json::Value>(&json).expect("the JSON output parses");
    let file = &reports[0];
    let Some(design) = file.design.as_ref() else {
        return;
    };
    // layout-rs panics on some graphs; the diagram stage catches that and falls back.
    // libFuzzer's panic hook would abort first, so a quiet hook stands in around it: a
    // panic that the diagram stage does not catch still reaches libFuzzer and aborts.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let picture = std::panic::catch_unwind(|| diagram::build(design, Some(&file.findings)));
    std::panic::set_hook(hook);
    let picture = picture.expect("the diagram stage never panics");
    let svg = pictures::svg::render(&picture);
    let _ = pictures::dot::render(&picture.scene);
    let markdown = report::markdown(&report::Input {
        design,
        findings: &file.findings,
        profile: None,
        diagram: Some("design.svg"),
    });
    let page = pages::html::page(&design.name.value, &markdown, Some(&svg), None);
    assert!(!page.contains("<script"), "no script in a report page");
}

/// Whether a text checks without a design error (for the fuzz targets' statistics).
#[allow(dead_code)]
pub(crate) fn resolves(text: &str) -> Result<(), String> {
    let options = CheckOptions::default();
    match check_source(SourceFile::new("fuzz.yaml", text), &options)
        .errors
        .first()
    {
        None => Ok(()),
        Some(error) => Err(error.message.clone()),
    }
}
