//! Every design error has a fixture under `tests/fixtures/errors/`, whose first line says
//! what must be reported; the text and JSON renderings are snapshots.

use crate::common;

#[test]
fn design_errors() {
    insta::glob!("../fixtures/errors", "*.yaml", |path| {
        let report = common::report(path);
        assert!(
            !report.errors.is_empty(),
            "{} must be refused with a design error",
            path.display()
        );
        assert!(report.design.is_none());
        let reports = [report];
        insta::assert_snapshot!("text", common::text(&reports));
        insta::assert_snapshot!("json", common::json(&reports));
    });
}
