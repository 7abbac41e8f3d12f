//! `infralint.toml` through the binary: found from the design's folder up to the
//! repository root; command line over file over defaults; severity overrides in the
//! output and the exit code; excludes for the walk; errors placed like design errors.

use crate::common;
use std::path::Path;
use std::process::Output;

fn run(dir: &Path, args: &[&str]) -> Output {
    common::run_in(dir, args)
}

const DESIGN: &str = "name: shop
servers:
  web-01: { components: [{ kind: web_server }, { kind: firewall }] }
flows:
  - { from: user, to: web-01, protocol: https }
";

fn setup(config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    std::fs::create_dir_all(dir.path().join("designs/drafts")).unwrap();
    std::fs::write(dir.path().join("designs/shop.yaml"), DESIGN).unwrap();
    std::fs::write(
        dir.path().join("designs/drafts/wip.yaml"),
        "name: wip\nservers: {}\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("infralint.toml"), config).unwrap();
    dir
}

#[test]
fn the_file_sets_what_the_command_line_does_not() {
    let dir = setup(
        "select = [\"OB\", \"AV\"]\nformat = \"json\"\nfail-on = \"error\"\nexclude = [\"designs/drafts/**\"]\n\n[rules.OB001]\nseverity = \"error\"\n",
    );
    let output = run(dir.path(), &["check", "designs/"]);
    let json: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("format = json from the file");
    let files = json["files"].as_array().unwrap();
    assert_eq!(
        files.len(),
        1,
        "designs/drafts/ is excluded, relative to the file's folder: {json}"
    );
    let findings = files[0]["findings"].as_array().unwrap();
    assert!(
        findings
            .iter()
            .all(|f| ["OB", "AV"].contains(&&f["code"].as_str().unwrap()[..2])),
        "select from the file"
    );
    let ob = findings
        .iter()
        .find(|f| f["code"] == "OB001")
        .expect("OB001 runs");
    assert_eq!(ob["severity"], "error", "the override shows in the output");
    assert_eq!(
        output.status.code(),
        Some(1),
        "fail-on error, and OB001 is an error now"
    );

    // The command line wins.
    let output = run(
        dir.path(),
        &[
            "check",
            "designs/",
            "--format",
            "compact",
            "--fail-on",
            "never",
        ],
    );
    assert_eq!(output.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&output.stdout).contains(": error OB001 "));

    // What is in force, and from where.
    let output = run(
        dir.path(),
        &["check", "designs/", "--fail-on", "never", "--show-config"],
    );
    let shown = String::from_utf8_lossy(&output.stdout);
    assert!(shown.contains("select         OB,AV"), "{shown}");
    assert!(shown.contains("infralint.toml:1"), "{shown}");
    assert!(
        shown
            .lines()
            .any(|l| l.starts_with("fail-on") && l.ends_with("command line")),
        "{shown}"
    );
    assert!(
        shown
            .lines()
            .any(|l| l.starts_with("today") && l.ends_with("default")),
        "{shown}"
    );
    assert!(shown.contains("rules.OB001"), "{shown}");

    // --isolated (and its old name --no-config): the defaults.
    let output = run(dir.path(), &["check", "designs/", "--isolated"]);
    assert!(
        String::from_utf8_lossy(&output.stdout).contains("OB001(unmonitored-server)"),
        "text, every rule"
    );
    let output = run(dir.path(), &["check", "designs/", "--no-config"]);
    assert!(
        String::from_utf8_lossy(&output.stdout).contains("OB001(unmonitored-server)"),
        "text, every rule"
    );
}

/// Files named on the command line (as pre-commit names every changed YAML file) follow
/// `exclude` only with `force-exclude`, which also skips a named YAML file that is no
/// design (a workflow, `.pre-commit-config.yaml`) as a folder walk does.
#[test]
fn force_exclude_takes_named_files_as_a_walk_does() {
    let dir = setup("exclude = [\"designs/drafts/**\"]\n");
    std::fs::write(
        dir.path().join(".pre-commit-config.yaml"),
        "repos:\n  - repo: local\n    hooks: []\n",
    )
    .unwrap();
    let named = [
        "check",
        "--format",
        "compact",
        "--fail-on",
        "never",
        "designs/drafts/wip.yaml",
        ".pre-commit-config.yaml",
        "designs/shop.yaml",
    ];
    let output = run(dir.path(), &named);
    let shown = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(2),
        "named, each is checked: {shown}"
    );
    assert!(shown.contains("wip.yaml"), "{shown}");
    let forced = [&named[..1], &["--force-exclude"], &named[1..]].concat();
    let output = run(dir.path(), &forced);
    let shown = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{shown}");
    assert!(
        !shown.contains("wip.yaml") && !shown.contains("pre-commit"),
        "{shown}"
    );
    assert!(shown.contains("designs/shop.yaml"), "{shown}");
    // The same from the file, and --show-config says where it comes from.
    std::fs::write(
        dir.path().join("infralint.toml"),
        "exclude = [\"designs/drafts/**\"]\nforce-exclude = true\n",
    )
    .unwrap();
    let output = run(dir.path(), &named);
    assert_eq!(output.status.code(), Some(0));
    let output = run(dir.path(), &["check", "designs/", "--show-config"]);
    let shown = String::from_utf8_lossy(&output.stdout);
    assert!(
        shown
            .lines()
            .any(|l| l.starts_with("force-exclude  true") && l.ends_with("infralint.toml:2")),
        "{shown}"
    );
}

#[test]
fn a_config_above_the_repository_root_is_not_used() {
    let outer = tempfile::tempdir().unwrap();
    std::fs::write(outer.path().join("infralint.toml"), "format = \"json\"\n").unwrap();
    let repo = outer.path().join("repo");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    std::fs::write(repo.join("shop.yaml"), DESIGN).unwrap();
    let output = run(&repo, &["check", "shop.yaml"]);
    assert!(
        serde_json::from_slice::<serde_json::Value>(&output.stdout).is_err(),
        "text: the outer file is beyond the root"
    );
}

#[test]
fn config_errors_are_placed_like_design_errors() {
    let dir = setup("select = [\"AV\"]\nfail_on = \"error\"\n[rules.OB01]\nseverity = \"error\"\n");
    let output = run(dir.path(), &["check", "designs/"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("unknown key `fail_on` in infralint.toml"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `fail-on`?"), "{stderr}");
    assert!(stderr.contains("infralint.toml:2:1"), "{stderr}");
    assert!(stderr.contains("no rule `OB01`"), "{stderr}");
    assert!(stderr.contains("did you mean `OB001`?"), "{stderr}");
    // A machine format asked on the command line carries the file's errors as a design's:
    // never an empty output that reads as a clean run.
    let output = run(dir.path(), &["check", "--format", "json", "designs/"]);
    assert_eq!(output.status.code(), Some(2));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("one document");
    assert_eq!(json["files"][0]["path"], "infralint.toml");
    assert_eq!(json["files"][0]["errors"][0]["code"], "E201");
    assert_eq!(json["files"][0]["errors"][0]["line"], 2);
    let output = run(dir.path(), &["check", "--format", "sarif", "designs/"]);
    let sarif: serde_json::Value = serde_json::from_slice(&output.stdout).expect("one log");
    assert_eq!(
        sarif["runs"][0]["invocations"][0]["executionSuccessful"],
        false
    );
    for format in ["compact", "github", "junit"] {
        let output = run(dir.path(), &["check", "--format", format, "designs/"]);
        let out = String::from_utf8_lossy(&output.stdout);
        assert!(out.contains("infralint.toml"), "{format}: {out}");
    }
}

/// A teacher checks a class: `check aaron/ bob/` from the class folder. Aaron's own file
/// (`fail-on = "never"`, AV001 off) governs aaron's design alone: bob's keeps AV001, and
/// the run's exit code is the class folder's (no file: the defaults). `--isolated`
/// ignores aaron's file too, and `--show-config` says which file governs which path.
#[test]
fn each_design_follows_its_own_file_in_a_class() {
    let class = tempfile::tempdir().unwrap();
    std::fs::create_dir(class.path().join(".git")).unwrap();
    let design = "name: shop\nservers:\n  lb: { components: [{ kind: load_balancer }] }\n  web-01: { components: [{ kind: web_server }] }\n  web-02: { components: [{ kind: web_server }] }\nflows:\n  - { from: user, to: lb, protocol: https }\n  - { from: lb, to: [web-01, web-02], protocol: http }\n";
    for student in ["aaron", "bob"] {
        std::fs::create_dir(class.path().join(student)).unwrap();
        std::fs::write(class.path().join(student).join("design.yaml"), design).unwrap();
    }
    std::fs::write(
        class.path().join("aaron/infralint.toml"),
        "fail-on = \"never\"\nignore = [\"AV001\"]\n",
    )
    .unwrap();
    let findings = |args: &[&str]| -> (Vec<String>, Option<i32>) {
        let output = run(class.path(), args);
        let lines = String::from_utf8_lossy(&output.stdout)
            .lines()
            .filter(|l| l.contains(" AV001 "))
            .map(|l| l.split(':').next().unwrap().to_string())
            .collect();
        (lines, output.status.code())
    };
    let (av001, code) = findings(&["check", "aaron/", "bob/", "--format", "compact"]);
    assert_eq!(av001, ["bob/design.yaml"], "aaron's file is aaron's alone");
    assert_eq!(
        code,
        Some(1),
        "the class folder has no file: fail on warnings"
    );
    // In the other order too: the first path decides nothing for the others.
    let (av001, _) = findings(&["check", "bob/", "aaron/", "--format", "compact"]);
    assert_eq!(av001, ["bob/design.yaml"]);
    let (av001, _) = findings(&[
        "check",
        "aaron/",
        "bob/",
        "--format",
        "compact",
        "--isolated",
    ]);
    assert_eq!(av001, ["aaron/design.yaml", "bob/design.yaml"]);
    let shown = run(class.path(), &["check", "aaron/", "bob/", "--show-config"]);
    let shown = String::from_utf8_lossy(&shown.stdout);
    assert!(
        shown.contains("designs under `aaron/` follow aaron/infralint.toml"),
        "{shown}"
    );
    assert!(
        shown.contains("designs under `bob/` follow no infralint.toml (the defaults)"),
        "{shown}"
    );
}
