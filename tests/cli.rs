//! The real binary, run as users and CI run it: exit codes, JSON that parses, several
//! paths at once, folder walks, path errors, hostile input.

use std::path::Path;
use std::process::{Command, Output};

fn infralint(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_infralint"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR")
        .output()
        .expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("output is UTF-8")
}

fn json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).expect("--format json prints one JSON document")
}

const CLEAN: &str = "designs/2-secured_and_monitored_web_infrastructure.yaml";
const BROKEN: &str = "tests/fixtures/errors/many_errors.yaml";

#[test]
fn shipped_designs_check_without_design_errors() {
    let output = infralint(&["check", "--format", "json", "designs/"]);
    let document = json(&output);
    let files = document["files"].as_array().unwrap();
    assert_eq!(files.len(), 4, "the four exercise designs");
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
    assert_eq!(paths.len(), 6);
    assert_eq!(paths[0], BROKEN);
    assert_eq!(paths[1], CLEAN);
    assert_eq!(paths[2], "designs/0-simple_web_stack.yaml");
    assert_eq!(document["files"][0]["errors"].as_array().unwrap().len(), 9);
    assert_eq!(document["summary"]["errors"], 9);
    assert_eq!(document["summary"]["files"], 6);
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
