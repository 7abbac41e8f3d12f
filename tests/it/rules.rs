//! Every rule has fixtures under `tests/fixtures/CODE/`: `invalid*.yaml` must make the rule
//! fire, `valid*.yaml` (a near miss) must not. Each is checked with that rule alone
//! (IL001, which judges the other rules' acceptances, with all of them), on a fixed day.
//! An invalid fixture's text and JSON renderings are snapshots; a valid one must have no
//! open finding at all, asserted here.

use crate::common;

#[test]
fn rule_fixtures() {
    insta::glob!("../fixtures", "[A-Z][A-Z][0-9][0-9][0-9]/*.yaml", |path| {
        let (code, report) = common::rule_fixture(path);
        let code = code.as_str();
        let stem = path.file_stem().unwrap().to_str().unwrap();
        assert!(
            report.errors.is_empty(),
            "{}: {:?}",
            path.display(),
            report.errors.iter().map(|e| &e.message).collect::<Vec<_>>()
        );
        let fired = report.findings.iter().filter(|f| f.code() == code).count();
        if stem.starts_with("invalid") {
            assert!(fired > 0, "{}: {code} must fire", path.display());
        } else {
            // A near miss has no finding at all: asserted, not snapshotted. IL001's runs
            // every rule, whose findings its acceptances are about: it keeps a snapshot.
            assert_eq!(fired, 0, "{}: {code} must not fire", path.display());
            if code != "IL001" {
                assert!(
                    report.findings.is_empty(),
                    "{}: {:?}",
                    path.display(),
                    report.findings
                );
                return;
            }
        }
        let reports = [report];
        insta::assert_snapshot!("text", common::text(&reports));
        insta::assert_snapshot!("json", common::json(&reports));
    });
}
