//! Baselines through the binary: written sorted; matching survives moved lines,
//! reordered servers and reformatting; renaming a target does not, and the entries that
//! no longer match are listed as fixed.

use crate::common;
use std::path::Path;
use std::process::Output;

/// Every run on the tests' day.
fn run(dir: &Path, args: &[&str]) -> Output {
    common::command(dir)
        .args(args)
        .args(["--today", common::TODAY])
        .output()
        .unwrap()
}

const DESIGN: &str = "name: shop
servers:
  lb-01: { components: [{ kind: load_balancer }] }
  web-01: { components: [{ kind: web_server }] }
  web-02: { components: [{ kind: web_server }] }
flows:
  - { from: user, to: lb-01, protocol: http }
  - { from: lb-01, to: [web-01, web-02], protocol: http }
";

/// The same design: a comment and blank lines on top, servers in another order, block
/// style instead of flow style.
const MOVED: &str = "# A comment that moves every line down.

name: shop
servers:
  web-02:
    components:
      - kind: web_server
  lb-01:
    components:
      - kind: load_balancer
  web-01:
    components:
      - kind: web_server
flows:
  - from: user
    to: lb-01
    protocol: http
  - { from: lb-01, to: [web-01, web-02], protocol: http }
";

#[test]
fn a_baseline_survives_moves_and_reordering_but_not_renames() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("shop.yaml"), DESIGN).unwrap();
    let before = run(dir.path(), &["check", "shop.yaml"]);
    assert_eq!(before.status.code(), Some(1), "the design has findings");
    let written = run(
        dir.path(),
        &["check", "shop.yaml", "--write-baseline", "baseline.json"],
    );
    assert_eq!(
        written.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&written.stderr)
    );
    let baseline: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("baseline.json")).unwrap())
            .unwrap();
    let entries = baseline["findings"].as_array().unwrap();
    assert!(entries.len() >= 4, "{baseline}");
    let keys: Vec<(String, String)> = entries
        .iter()
        .map(|e| {
            (
                e["code"].as_str().unwrap().to_string(),
                e["target"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted, "sorted by path, code, target");
    assert_eq!(baseline["created"], common::TODAY);

    let quiet = run(
        dir.path(),
        &["check", "shop.yaml", "--baseline", "baseline.json"],
    );
    assert_eq!(
        quiet.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&quiet.stdout)
    );

    std::fs::write(dir.path().join("shop.yaml"), MOVED).unwrap();
    let moved = run(
        dir.path(),
        &["check", "shop.yaml", "--baseline", "baseline.json"],
    );
    assert_eq!(
        moved.status.code(),
        Some(0),
        "moved lines and reordering keep the match: {}",
        String::from_utf8_lossy(&moved.stdout)
    );
    assert!(!String::from_utf8_lossy(&moved.stderr).contains("fixed"));

    std::fs::write(dir.path().join("shop.yaml"), MOVED.replace("lb-01", "lb-1")).unwrap();
    let renamed = run(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "shop.yaml",
            "--baseline",
            "baseline.json",
        ],
    );
    assert_eq!(
        renamed.status.code(),
        Some(1),
        "a renamed target is a new finding"
    );
    let json: serde_json::Value = serde_json::from_slice(&renamed.stdout).unwrap();
    let targets: Vec<&str> = json["files"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["target"].as_str().unwrap())
        .collect();
    assert!(targets.contains(&"lb-1"), "{targets:?}");
    assert!(
        targets.iter().all(|t| t.contains("lb-1")),
        "only the renamed target's findings: {targets:?}"
    );
    let stderr = String::from_utf8_lossy(&renamed.stderr);
    assert!(
        stderr.contains("fixed since the baseline: AV001 lb-01 in shop.yaml"),
        "{stderr}"
    );
}

#[test]
fn a_broken_baseline_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("shop.yaml"), DESIGN).unwrap();
    std::fs::write(dir.path().join("baseline.json"), "{ \"findings\": 3 }").unwrap();
    let output = run(
        dir.path(),
        &["check", "shop.yaml", "--baseline", "baseline.json"],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("is not an infralint baseline"));
}

/// Issue 23, case 3: a committed baseline is input too. An entry whose path or target
/// holds a line break is reported as fixed on one line, never as a line a CI runner
/// reads as a workflow command.
#[test]
fn a_baseline_entry_cannot_forge_a_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("shop.yaml"), DESIGN).unwrap();
    run(
        dir.path(),
        &["check", "shop.yaml", "--write-baseline", "baseline.json"],
    );
    let file = dir.path().join("baseline.json");
    let mut baseline: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let entries = baseline["findings"].as_array_mut().unwrap();
    let mut forged = entries[0].clone();
    forged["path"] = "x\n::error file=app.py,line=1::forged\r\n::add-mask::y".into();
    forged["target"] = "t\n::warning::forged".into();
    forged["fingerprint"] = "0000000000000000".into();
    entries.push(forged);
    std::fs::write(&file, serde_json::to_string(&baseline).unwrap()).unwrap();
    let output = run(
        dir.path(),
        &["check", "shop.yaml", "--baseline", "baseline.json"],
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("fixed since the baseline"), "{stderr}");
    assert!(!stderr.contains('\r'), "{stderr}");
    for line in stderr.lines() {
        assert!(!line.starts_with("::"), "a forged line: {line:?}");
    }
}
