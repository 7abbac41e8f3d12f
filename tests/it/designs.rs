//! Whole designs with every rule: the shipped exercise designs (their findings are the
//! exercises' issues), acceptances, and the edge cases of the graph analysis.

use crate::common;

#[test]
fn shipped_designs() {
    insta::glob!("../../designs", "*.yaml", |path| {
        let report = common::report(path);
        assert!(report.errors.is_empty(), "{}", path.display());
        let reports = [report];
        insta::assert_snapshot!("text", common::text(&reports));
        insta::assert_snapshot!("json", common::json(&reports));
    });
}

#[test]
fn acceptances_and_edge_cases() {
    insta::glob!("../fixtures", "{accept,edge}/*.yaml", |path| {
        let reports = [common::report(path)];
        insta::assert_snapshot!("text", common::text(&reports));
        insta::assert_snapshot!("json", common::json(&reports));
    });
}
