//! The real binary, run as users and CI run it: exit codes, JSON that parses, several
//! paths at once, folder walks, path errors, hostile input.

use crate::common;
use std::path::Path;
use std::process::{Command, Output};

fn infralint(args: &[&str]) -> Output {
    common::run(args)
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("output is UTF-8")
}

fn json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).expect("--format json prints one JSON document")
}

/// A design with no finding at all.
const CLEAN: &str = "tests/fixtures/clean/well_built.yaml";
/// An exercise design: it has findings (its exercise's issues).
const DESIGN_2: &str = "designs/2-secured_and_monitored_web_infrastructure.yaml";
const BROKEN: &str = "tests/fixtures/errors/many_errors.yaml";

#[test]
fn shipped_designs_check_without_design_errors() {
    let output = infralint(&["check", "--format", "json", "designs/"]);
    let document = json(&output);
    let files = document["files"].as_array().unwrap();
    assert_eq!(
        files.len(),
        6,
        "the four exercise designs, the production shop and GitLab's reference architecture"
    );
    for file in files {
        assert_eq!(file["errors"], serde_json::json!([]), "{}", file["path"]);
    }
    assert_eq!(document["summary"]["errors"], 0);
}

#[test]
fn exit_codes() {
    assert_eq!(infralint(&["check", CLEAN]).status.code(), Some(0));
    assert_eq!(infralint(&["check", BROKEN]).status.code(), Some(2));
    assert_eq!(
        infralint(&["check", "no/such/design.yaml"]).status.code(),
        Some(2)
    );
    // A wrong command line is exit 2, as the catalog says.
    assert_eq!(
        infralint(&["check", "--format", "xml", CLEAN])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(infralint(&["check"]).status.code(), Some(2));
}

#[test]
fn one_broken_file_does_not_stop_the_others() {
    let output = infralint(&["check", "--format", "json", BROKEN, CLEAN, "designs/"]);
    assert_eq!(output.status.code(), Some(2), "the worst status wins");
    let document = json(&output);
    let paths: Vec<&str> = document["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths.len(), 8);
    assert_eq!(paths[0], BROKEN);
    assert_eq!(paths[1], CLEAN);
    assert_eq!(paths[2], "designs/0-simple_web_stack.yaml");
    assert_eq!(document["files"][0]["errors"].as_array().unwrap().len(), 9);
    assert_eq!(document["summary"]["errors"], 9);
    assert_eq!(document["summary"]["files"], 8);
}

#[test]
fn path_errors_have_no_position() {
    let empty = tempfile::tempdir().unwrap();
    std::fs::write(empty.path().join("notes.txt"), "not a design").unwrap();
    let folder = empty.path().to_str().unwrap();
    let output = infralint(&["check", "--format", "json", "no/such/design.yaml", folder]);
    assert_eq!(output.status.code(), Some(2));
    let document = json(&output);
    for file in document["files"].as_array().unwrap() {
        let error = &file["errors"][0];
        assert!(
            error["line"].is_null() && error["column"].is_null(),
            "{error}"
        );
    }
    assert_eq!(
        document["files"][0]["errors"][0]["message"],
        "`no/such/design.yaml` does not exist"
    );
    let message = document["files"][1]["errors"][0]["message"]
        .as_str()
        .unwrap();
    assert!(message.starts_with("no design files in"), "{message}");
}

#[test]
fn path_errors_in_text_and_json() {
    let args = ["no/such/design.yaml", "tests/fixtures/no_designs"];
    let text = infralint(&[&["check"][..], &args].concat());
    assert_eq!(text.status.code(), Some(2));
    insta::assert_snapshot!("path_errors_text", stdout(&text));
    let json = infralint(&[&["check", "--format", "json"][..], &args].concat());
    insta::assert_snapshot!("path_errors_json", stdout(&json));
}

#[test]
fn a_walk_checks_designs_and_skips_other_yaml() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(CLEAN),
        root.join("design.yaml"),
    )
    .unwrap();
    std::fs::write(
        root.join("docker-compose.yml"),
        "services:\n  web:\n    image: nginx\n",
    )
    .unwrap();
    std::fs::create_dir(root.join(".github")).unwrap();
    std::fs::write(root.join(".github/broken.yaml"), "servers: [\n").unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_infralint"))
        .args(["check", "--verbose", "."])
        .current_dir(root)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    let text = stdout(&output);
    assert!(
        text.contains("skipped `./docker-compose.yml`: not a design"),
        "{text}"
    );
    assert!(
        text.ends_with("1 file checked: no problems found\n"),
        "{text}"
    );
    assert!(
        !text.contains("broken"),
        "hidden folders are not walked: {text}"
    );
}

#[test]
fn a_file_named_on_the_command_line_is_always_checked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("compose.yaml");
    std::fs::write(&path, "services:\n  web:\n    image: nginx\n").unwrap();
    let output = infralint(&["check", path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stdout(&output).contains("unknown key `services`"));
}

#[test]
fn text_has_no_colour_when_piped() {
    let output = infralint(&["check", BROKEN]);
    assert!(
        !stdout(&output).contains('\u{1b}'),
        "no escape codes in a pipe"
    );
}

#[test]
fn a_huge_file_is_refused_without_reading_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.yaml");
    // A sparse 100 MB file: instant to make, and infralint must not read it.
    std::fs::File::create(&path)
        .unwrap()
        .set_len(100 * 1024 * 1024)
        .unwrap();
    let output = infralint(&["check", "--format", "json", path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    let error = &json(&output)["files"][0]["errors"][0];
    assert_eq!(
        error["message"],
        "the file is 100.0 MiB, over the limit of 64.0 MiB"
    );
    assert_eq!(
        (error["line"].as_u64(), error["column"].as_u64()),
        (Some(1), Some(1))
    );
    // The limit can be raised.
    let output = infralint(&["check", "--max-file-size", "200", path.to_str().unwrap()]);
    assert!(!stdout(&output).contains("over the limit"));
}

#[test]
fn a_closed_pipe_is_not_a_panic() {
    use std::io::Read;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_infralint"))
        .args(["check", BROKEN, BROKEN, BROKEN])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(status.code(), Some(2));
}

#[test]
fn fail_on_picks_the_lowest_failing_severity() {
    // Design 2 has one error (AV001) and warnings.
    let run = |fail_on: &str| {
        infralint(&[
            "check",
            "--today",
            common::TODAY,
            "--fail-on",
            fail_on,
            DESIGN_2,
        ])
        .status
        .code()
    };
    assert_eq!(run("error"), Some(1));
    assert_eq!(run("warning"), Some(1));
    assert_eq!(run("never"), Some(0));
    let warnings_only = ["check", "--fail-on", "error", "--ignore", "AV001", DESIGN_2];
    assert_eq!(infralint(&warnings_only).status.code(), Some(0));
}

#[test]
fn select_and_ignore_take_codes_names_and_prefixes() {
    let codes = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["check", "--format", "json", "--today", common::TODAY];
        all.extend_from_slice(args);
        all.push(DESIGN_2);
        let document = json(&infralint(&all));
        let mut codes: Vec<String> = document["files"][0]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["code"].as_str().unwrap().to_string())
            .collect();
        codes.sort();
        codes.dedup();
        codes
    };
    assert_eq!(codes(&[]), ["AV001", "AV002", "SC002", "SE003"]);
    assert_eq!(codes(&["--select", "AV"]), ["AV001", "AV002"]);
    assert_eq!(
        codes(&["--select", "co-located-tiers,SE003"]),
        ["SC002", "SE003"]
    );
    assert_eq!(codes(&["--ignore", "av,sc"]), ["SE003"]);
    let unknown = infralint(&["check", "--select", "AV009", DESIGN_2]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("`AV009` names no rule"));
}

#[test]
fn rules_and_explain() {
    let table = stdout(&infralint(&["rules"]));
    assert_eq!(
        table
            .lines()
            .filter(|l| l.len() > 5 && l.as_bytes()[2].is_ascii_digit())
            .count(),
        26
    );
    for word in [
        "AV001",
        "single-point-of-failure",
        "dn001",
        "Certificate-Expiry",
    ] {
        let output = infralint(&["explain", word]);
        assert_eq!(output.status.code(), Some(0), "{word}");
        assert!(stdout(&output).contains("## What it does"));
    }
    // A design error's code, as the text output heads it (`E301(unknown-name)`).
    for word in ["E301", "unknown-name", "e401"] {
        let output = infralint(&["explain", word]);
        assert_eq!(output.status.code(), Some(0), "{word}");
        assert!(stdout(&output).contains("A design error"), "{word}");
    }
    let unknown = infralint(&["explain", "AV0051"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("did you mean `AV005`?"));
    // Completions offer rule and error words, not file names, for explain and --select.
    let bash = stdout(&infralint(&["completions", "bash"]));
    assert!(bash.contains("single-point-of-failure") && bash.contains("E301"));
    let output = infralint(&["explain", "single-point-of-failur"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("did you mean `single-point-of-failure`?")
    );
}

#[test]
fn profiles_from_the_command_line() {
    // Design 1 checked against exercise 2's profile misses its security requirements.
    let output = infralint(&[
        "check",
        "--format",
        "json",
        "--select",
        "EX001",
        "--profile",
        "2-secured_and_monitored_web_infrastructure",
        "designs/1-distributed_web_infrastructure.yaml",
    ]);
    let messages: Vec<String> = json(&output)["files"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["message"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        messages,
        [
            "requires at least 3 firewall components, found 0",
            "requires at least 3 monitoring_agent components, found 0",
            "requires at least 1 certificate covering www.foobar.com, found 0",
            "requires the flow from user to www.foobar.com to be encrypted, found http",
        ]
    );
    let dir = tempfile::tempdir().unwrap();
    let mine = dir.path().join("mine.yaml");
    std::fs::write(
        &mine,
        "profile: mine\ntitle: Mine\nrequires:\n  - servers: { at_least: 10 }\n",
    )
    .unwrap();
    let output = infralint(&[
        "check",
        "--format",
        "json",
        "--profile",
        mine.to_str().unwrap(),
        CLEAN,
    ]);
    assert_eq!(
        json(&output)["files"][0]["findings"][0]["message"],
        "requires at least 10 servers, found 8"
    );
    std::fs::write(
        &mine,
        "profile: mine\ntitle: Mine\nrequires:\n  - servers: { most: 10 }\n",
    )
    .unwrap();
    let output = infralint(&["check", "--profile", mine.to_str().unwrap(), CLEAN]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("unknown key `most`"));
}

#[test]
fn accepted_findings_never_fail_the_run() {
    let fixture = "tests/fixtures/accept/accepted_and_lapsed.yaml";
    // AV003 fires twice there, and both are accepted (until 2027-03-31).
    let accepted = infralint(&[
        "check",
        "--today",
        common::TODAY,
        "--select",
        "AV003",
        fixture,
    ]);
    assert_eq!(accepted.status.code(), Some(0), "{}", stdout(&accepted));
    // After the acceptance lapses, the web server's finding fails the run again.
    let lapsed = infralint(&[
        "check",
        "--today",
        "2027-04-01",
        "--select",
        "AV003",
        "--format",
        "json",
        fixture,
    ]);
    assert_eq!(lapsed.status.code(), Some(1));
    let document = json(&lapsed);
    let finding = &document["files"][0]["findings"][0];
    assert_eq!(finding["accepted"], false);
    assert_eq!(
        finding["note"],
        "an acceptance of this finding lapsed after 2027-03-31: \"One web server is enough for the pilot.\""
    );
}

#[test]
fn diagram_outputs() {
    // One design: stdout.
    let output = infralint(&["diagram", "--today", common::TODAY, DESIGN_2]);
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).starts_with("<svg "));
    let png = infralint(&["diagram", "--format", "png", DESIGN_2]);
    assert_eq!(png.status.code(), Some(0));
    assert!(
        png.stdout.starts_with(b"\x89PNG\r\n\x1a\n"),
        "a PNG on stdout"
    );
    let dot = infralint(&["diagram", "--format", "dot", DESIGN_2]);
    assert!(stdout(&dot).starts_with("digraph \"Secured and monitored web infrastructure\" {"));

    let dir = tempfile::tempdir().unwrap();
    // `-o` is a file for one design...
    let file = dir.path().join("two.svg");
    let output = infralint(&["diagram", DESIGN_2, "-o", file.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0));
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .ends_with("</svg>\n")
    );
    // ... and a folder for several.
    let folder = dir.path().join("pictures");
    let output = infralint(&["diagram", "designs/", "-o", folder.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0));
    let mut written: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    written.sort();
    assert_eq!(
        written,
        [
            "0-simple_web_stack.svg",
            "1-distributed_web_infrastructure.svg",
            "2-secured_and_monitored_web_infrastructure.svg",
            "3-scale_up.svg",
            "gitlab_3k.svg",
            "production_shop.svg"
        ]
    );
    // Several designs without `-o`: each picture beside its design.
    let copy = dir.path().join("copy");
    std::fs::create_dir(&copy).unwrap();
    for name in ["a.yaml", "b.yaml"] {
        std::fs::copy(
            Path::new(env!("CARGO_MANIFEST_DIR")).join(CLEAN),
            copy.join(name),
        )
        .unwrap();
    }
    let output = infralint(&["diagram", copy.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0));
    assert!(copy.join("a.svg").is_file() && copy.join("b.svg").is_file());
}

#[test]
fn a_broken_design_gets_no_picture() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("pictures");
    let output = infralint(&["diagram", BROKEN, DESIGN_2, "-o", out.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2), "the worst status wins");
    assert!(String::from_utf8_lossy(&output.stderr).contains("unknown key `servres`"));
    let written: Vec<_> = std::fs::read_dir(&out).unwrap().collect();
    assert_eq!(
        written.len(),
        1,
        "only the good design is drawn, and no temporary file is left"
    );
}

#[test]
fn report_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let md = dir.path().join("answer.md");
    let output = infralint(&[
        "report",
        "--today",
        common::TODAY,
        DESIGN_2,
        "-o",
        md.to_str().unwrap(),
    ]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = std::fs::read_to_string(&md).unwrap();
    assert!(text.contains(
        "![The whiteboard diagram of Secured and monitored web infrastructure](./answer.svg)"
    ));
    assert!(
        std::fs::read_to_string(dir.path().join("answer.svg"))
            .unwrap()
            .starts_with("<svg "),
        "the sibling SVG"
    );
    let html = dir.path().join("answer.html");
    let output = infralint(&["report", "--html", DESIGN_2, "-o", html.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0));
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.starts_with("<!doctype html>") && page.contains("<figure class=\"diagram\""));
    // The diagram alone beside the page, linked from it.
    assert!(page.contains("<a href=\"answer.svg\">The diagram alone (answer.svg)</a>"));
    assert!(
        std::fs::read_to_string(dir.path().join("answer.svg"))
            .unwrap()
            .starts_with("<svg ")
    );
}

fn site(threads: &str, dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_infralint"))
        .args(["report", "--today", common::TODAY, "designs/", BROKEN, "-o"])
        .arg(dir)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("RAYON_NUM_THREADS", threads)
        .output()
        .unwrap()
}

#[test]
fn a_class_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let one = dir.path().join("one");
    let output = site("1", &one);
    assert_eq!(
        output.status.code(),
        Some(2),
        "a broken design makes the worst status"
    );
    let mut names: Vec<String> = std::fs::read_dir(&one)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "0-simple_web_stack.html",
            "0-simple_web_stack.svg",
            "1-distributed_web_infrastructure.html",
            "1-distributed_web_infrastructure.svg",
            "2-secured_and_monitored_web_infrastructure.html",
            "2-secured_and_monitored_web_infrastructure.svg",
            "3-scale_up.html",
            "3-scale_up.svg",
            "gitlab_3k.html",
            "gitlab_3k.svg",
            "index.csv",
            "index.html",
            "production_shop.html",
            "production_shop.svg"
        ]
    );
    let index = std::fs::read_to_string(one.join("index.html")).unwrap();
    assert!(index.contains("<a href=\"./2-secured_and_monitored_web_infrastructure.html\">"));
    assert!(
        index.contains("does not check: 9 design errors"),
        "the broken design is listed with its errors"
    );
    insta::assert_snapshot!(
        "class_index_csv",
        std::fs::read_to_string(one.join("index.csv")).unwrap()
    );
    // Parallel output is byte-identical to a one-thread run.
    let four = dir.path().join("four");
    site("4", &four);
    for name in &names {
        assert_eq!(
            std::fs::read(one.join(name)).unwrap(),
            std::fs::read(four.join(name)).unwrap(),
            "{name}"
        );
    }
}

/// `check -o FILE` writes the results there, whole; never over a design it reads.
/// `--statistics` counts each rule's findings instead of listing them.
#[test]
fn results_to_a_file_and_statistics() {
    let dir = tempfile::tempdir().unwrap();
    let design =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("designs/1-distributed_web_infrastructure.yaml");
    std::fs::copy(&design, dir.path().join("d.yaml")).unwrap();
    let out = common::run_in(
        dir.path(),
        &["check", "--format", "json", "-o", "results.json", "d.yaml"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("results.json")).unwrap()).unwrap();
    assert_eq!(json["files"][0]["path"], "d.yaml");
    let over = common::run_in(dir.path(), &["check", "-o", "d.yaml", "d.yaml"]);
    assert_eq!(over.status.code(), Some(2));
    assert!(
        std::fs::read_to_string(dir.path().join("d.yaml"))
            .unwrap()
            .contains("servers")
    );
    let stats = common::run_in(dir.path(), &["check", "--statistics", "d.yaml"]);
    let shown = String::from_utf8_lossy(&stats.stdout);
    assert!(
        shown.starts_with("error  warn  info   acc  code   name\n"),
        "{shown}"
    );
    assert!(
        shown.contains("  AV001  single-point-of-failure"),
        "{shown}"
    );
    assert_eq!(stats.status.code(), Some(1), "the exit status is the run's");
}

/// `check -` reads one design from standard input, named by `--stdin-filename` in every
/// output; `--fix` refuses it (there is no file to write), `--diff` shows the fixes.
#[test]
fn a_design_on_standard_input() {
    use std::io::Write as _;
    let run = |args: &[&str], input: &str| -> Output {
        let mut child = common::command(Path::new(env!("CARGO_MANIFEST_DIR")))
            .args(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    };
    let design = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fix/cname.yaml"),
    )
    .unwrap();
    let args = ["check", "--today", common::TODAY, "--format", "compact"];
    let named = run(
        &[&args[..], &["--stdin-filename", "cname.yaml", "-"]].concat(),
        &design,
    );
    assert_eq!(named.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&named.stdout).starts_with("cname.yaml:"));
    let fix = run(&[&args[..], &["--fix", "-"]].concat(), &design);
    assert_eq!(fix.status.code(), Some(2));
    let diff = run(&[&args[..], &["--diff", "-"]].concat(), &design);
    assert_eq!(diff.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&diff.stdout).contains("+      type: AAAA"));
}
