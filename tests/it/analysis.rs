//! `simulate`, `cuts`, `availability` and `export`, run as users run them: text and
//! JSON snapshots on the shipped designs and the analysis fixtures, errors with exit 2.

use crate::common;
use std::process::Output;

fn infralint(args: &[&str]) -> Output {
    common::run(args)
}

fn stdout(output: &Output) -> String {
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).unwrap()
}

/// `simulate`'s output, which exits 1 when an outcome stops and 0 when all complete.
fn simulated(args: &[&str]) -> String {
    let output = infralint(args);
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

const DESIGN_1: &str = "designs/1-distributed_web_infrastructure.yaml";
const SHOP: &str = "designs/production_shop.yaml";
const BRIDGE: &str = "tests/fixtures/analysis/bridge_with_zones.yaml";

#[test]
fn simulate_says_what_stops_and_what_survives() {
    // The issue's own example: design 1 without its load balancer.
    let json: serde_json::Value = serde_json::from_str(&simulated(&[
        "simulate", DESIGN_1, "--fail", "lb-01", "--format", "json",
    ]))
    .unwrap();
    assert_eq!(json["failed"], serde_json::json!(["lb-01"]));
    assert_eq!(json["requests"]["complete"], false);
    assert_eq!(json["writes"]["complete"], false);
    // As `check` exits 1 on a finding: 1 when an outcome stops, 0 when all complete.
    let code = |design: &str, fail: &str| {
        infralint(&["simulate", design, "--fail", fail])
            .status
            .code()
    };
    assert_eq!(code(DESIGN_1, "lb-01"), Some(1));
    assert_eq!(code(SHOP, "app-01"), Some(0), "app-02 serves: all complete");
    insta::assert_snapshot!(
        "simulate_design_1_lb",
        simulated(&["simulate", DESIGN_1, "--fail", "lb-01"])
    );
    insta::assert_snapshot!(
        "simulate_shop_db_and_app",
        simulated(&["simulate", SHOP, "--fail", "db-01,app-01"])
    );
    insta::assert_snapshot!(
        "simulate_shop_rack_json",
        simulated(&[
            "simulate",
            SHOP,
            "--fail-zone",
            "dc1-rack1",
            "--format",
            "json"
        ])
    );
}

#[test]
fn simulate_refuses_unknown_names() {
    let output = infralint(&["simulate", DESIGN_1, "--fail", "lb-1"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .contains("no server `lb-1` in the design (did you mean `lb-01`?)")
    );
    let output = infralint(&["simulate", SHOP, "--fail-zone", "rack9"]);
    assert_eq!(output.status.code(), Some(2));
    // Issue 23, case 11: no size would read "0 sets", as if nothing could fail.
    let output = infralint(&["cuts", SHOP, "--max-size", "0"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("must be at least 1"));
}

#[test]
fn simulate_draws_the_what_if() {
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("what-if.svg");
    simulated(&[
        "simulate",
        SHOP,
        "--fail",
        "db-01,app-01",
        "--svg",
        svg.to_str().unwrap(),
    ]);
    let text = std::fs::read_to_string(&svg).unwrap();
    let document = roxmltree::Document::parse(&text).expect("the SVG is XML");
    let down: Vec<&str> = document
        .descendants()
        .filter(|n| {
            n.attribute("class")
                .is_some_and(|c| c.split(' ').any(|w| w == "down"))
        })
        .filter_map(|n| n.attribute("data-name"))
        .collect();
    assert_eq!(down, ["app-01", "db-01"]);
    let bold = document
        .descendants()
        .filter(|n| {
            n.attribute("class")
                .is_some_and(|c| c.contains("surviving"))
        })
        .count();
    assert!(bold >= 4, "the surviving path is bold: {bold} links");
}

#[test]
fn cuts_of_the_shipped_designs() {
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&infralint(&["cuts", DESIGN_1, "--format", "json"]))).unwrap();
    assert_eq!(
        json["requests"],
        serde_json::json!([["lb-01"], ["web-01", "web-02"]])
    );
    assert_eq!(json["writes"], serde_json::json!([["lb-01"], ["web-01"]]));
    for design in [DESIGN_1, SHOP, BRIDGE] {
        let name = std::path::Path::new(design)
            .file_stem()
            .unwrap()
            .to_str()
            .unwrap();
        insta::assert_snapshot!(
            format!("cuts_{name}"),
            stdout(&infralint(&["cuts", design]))
        );
    }
}

#[test]
fn availability_of_the_shipped_designs() {
    let json: serde_json::Value = serde_json::from_str(&stdout(&infralint(&[
        "availability",
        SHOP,
        "--format",
        "json",
    ])))
    .unwrap();
    assert_eq!(json["requests"]["method"], "exact");
    let importance = json["importance"].as_array().unwrap();
    assert_eq!(importance.len(), 10, "every server");
    let values: Vec<f64> = importance
        .iter()
        .map(|i| i["birnbaum"].as_f64().unwrap())
        .collect();
    assert!(
        values.windows(2).all(|w| w[0] >= w[1] - 1e-12),
        "highest first"
    );
    for design in [DESIGN_1, SHOP, BRIDGE] {
        let name = std::path::Path::new(design)
            .file_stem()
            .unwrap()
            .to_str()
            .unwrap();
        insta::assert_snapshot!(
            format!("availability_{name}"),
            stdout(&infralint(&["availability", design]))
        );
        insta::assert_snapshot!(
            format!("availability_json_{name}"),
            stdout(&infralint(&["availability", design, "--format", "json"]))
        );
    }
}

#[test]
fn export_writes_mef() {
    let xml = stdout(&infralint(&["export", BRIDGE, "--format", "mef"]));
    assert!(roxmltree::Document::parse(&xml).is_ok());
    insta::assert_snapshot!("export_mef_bridge", xml);
}

const CLASSES: &str = "tests/fixtures/analysis/request_classes.yaml";

#[test]
fn request_classes_and_jobs_are_outcomes_of_their_own() {
    // Losing the SSH tier stops git over SSH, and no web request.
    let json: serde_json::Value = serde_json::from_str(&simulated(&[
        "simulate", CLASSES, "--fail", "git", "--format", "json",
    ]))
    .unwrap();
    assert_eq!(json["classes"]["git-ssh"]["requests"]["complete"], false);
    assert_eq!(json["classes"]["web"]["requests"]["complete"], true);
    assert_eq!(json["classes"]["ops"]["requests"]["complete"], true);
    assert_eq!(json["jobs"]["sidekiq"]["complete"], true);
    // Losing Redis stops web requests and Sidekiq's jobs, not git over SSH.
    let json: serde_json::Value = serde_json::from_str(&simulated(&[
        "simulate", CLASSES, "--fail", "redis", "--format", "json",
    ]))
    .unwrap();
    assert_eq!(json["classes"]["git-ssh"]["requests"]["complete"], true);
    assert_eq!(json["classes"]["web"]["requests"]["complete"], false);
    assert_eq!(json["jobs"]["sidekiq"]["complete"], false);
    insta::assert_snapshot!(
        "availability_request_classes",
        stdout(&infralint(&["availability", CLASSES]))
    );
    insta::assert_snapshot!(
        "cuts_request_classes",
        stdout(&infralint(&["cuts", CLASSES]))
    );
    insta::assert_snapshot!(
        "cuts_json_request_classes",
        stdout(&infralint(&["cuts", CLASSES, "--format", "json"]))
    );
    insta::assert_snapshot!(
        "simulate_request_classes_git",
        simulated(&["simulate", CLASSES, "--fail", "git"])
    );
    insta::assert_snapshot!(
        "export_mef_request_classes",
        stdout(&infralint(&["export", CLASSES]))
    );
}

/// Issue 23, case 10: a design whose decision diagram cannot stay small (zones and
/// cross-links at random) passes the node budget inside an operation, and Monte Carlo
/// answers with its interval. Time and memory: the `budgets` benchmarks.
#[test]
fn availability_past_its_budget_is_sampled_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("zones.yaml");
    std::fs::write(&path, crate::budgets::zones_at_random()).unwrap();
    let path = path.to_str().unwrap();
    let json: serde_json::Value = serde_json::from_str(&stdout(&infralint(&[
        "availability",
        path,
        "--format",
        "json",
    ])))
    .unwrap();
    let requests = &json["requests"];
    assert_eq!(requests["method"], "monte-carlo", "{json:#}");
    assert_eq!(requests["trials"], 200_000);
    let [low, high] = [0, 1].map(|i| requests["interval"][i].as_f64().unwrap());
    let availability = requests["availability"].as_f64().unwrap();
    assert!(low <= availability && availability <= high && low > 0.99);
    let text = stdout(&infralint(&["availability", path]));
    assert!(
        text.contains("Monte Carlo, 200000 trials, 95% between"),
        "{text}"
    );
    // A sample that saw no failure proves no "never fails".
    assert!(!text.contains("never fails"), "{text}");
}

/// Issue 23, case 11: three parallel chains of 100 servers have a million minimal cuts
/// of 3; past the budget of sets the sizes listed are lowered and said. Forty a chain
/// (64,000 sets) fit whole.
#[test]
fn cuts_past_their_budget_are_listed_to_a_lower_size_and_said() {
    let dir = tempfile::tempdir().unwrap();
    for (length, searched, sets) in [(100, Some(2), 0), (40, None, 64_000)] {
        let path = dir.path().join(format!("chains-{length}.yaml"));
        std::fs::write(&path, crate::budgets::parallel_chains(3, length)).unwrap();
        let path = path.to_str().unwrap();
        let json: serde_json::Value =
            serde_json::from_str(&stdout(&infralint(&["cuts", path, "--format", "json"]))).unwrap();
        assert_eq!(json["searched_size"].as_u64(), searched, "{length}");
        assert_eq!(
            json["requests"].as_array().map(Vec::len),
            Some(sets),
            "{length}"
        );
        let text = stdout(&infralint(&["cuts", path]));
        assert_eq!(
            text.contains("note: the sets of 3 servers were not enumerated"),
            searched.is_some(),
            "{text:.400}"
        );
    }
}
