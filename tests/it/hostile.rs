//! Small hostile files that once cost gigabytes or minutes: each now gets one clear,
//! positioned error and exit code 2 (or, for a drawing, a picture within the limit),
//! quickly and in memory proportional to its size. The files are made at test time.

use std::path::Path;
use std::process::{Command, Output};

fn check(dir: &Path, name: &str, text: &str) -> (Output, serde_json::Value) {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_infralint"))
        .args(["check", "--format", "json"])
        .arg(&path)
        .output()
        .expect("the binary runs");
    let json = serde_json::from_slice(&output.stdout).expect("one JSON document");
    (output, json)
}

fn first_error(json: &serde_json::Value) -> (String, u64, u64) {
    let error = &json["files"][0]["errors"][0];
    (
        error["message"].as_str().unwrap_or_default().to_string(),
        error["line"].as_u64().unwrap_or(0),
        error["column"].as_u64().unwrap_or(0),
    )
}

/// 24 KB of flow lists that expand to 9 million pairs (the 80 KB version asked for
/// 100 million and aborted on a 22 GB allocation).
#[test]
fn flow_lists_are_counted_before_they_expand() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("name: pairs\nservers:\n");
    let names: Vec<String> = (0..1_500).map(|i| format!("s{i}")).collect();
    for name in &names {
        text.push_str(&format!(
            "  {name}: {{ components: [{{ kind: web_server }}] }}\n"
        ));
    }
    let list = names.join(", ");
    text.push_str(&format!("flows:\n  - {{ from: user, to: s0, protocol: http }}\n  - {{ from: [{list}], to: [{list}], protocol: http }}\n"));
    let (output, json) = check(dir.path(), "pairs.yaml", &text);
    assert_eq!(output.status.code(), Some(2));
    let (message, line, column) = first_error(&json);
    assert!(
        message.contains("the flows expand to more than"),
        "{message}"
    );
    assert_eq!(
        (line, column),
        (1_505, 5),
        "at the flow that passes the limit"
    );
}

/// A 400 KB scalar aliased 5 times: 2 MB of text from 400 KB (the old budget counted
/// nodes only, so 1 MB aliased 2,000 times took 2 GB).
#[test]
fn aliases_are_charged_their_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let big = "x".repeat(400_000);
    let text = format!(
        "name: aliases\ndescription: &big {big}\nservers:\n  a: {{ why: *big, components: [{{ kind: web_server, why: *big, software: *big }}, {{ kind: app_server, why: *big }}, {{ kind: database, why: *big }}] }}\n"
    );
    let (output, json) = check(dir.path(), "aliases.yaml", &text);
    assert_eq!(output.status.code(), Some(2));
    let (message, line, _) = first_error(&json);
    assert!(
        message.contains("aliases in this file expand to more than"),
        "{message}"
    );
    assert_eq!(line, 4);
}

/// YAML tags: a core-schema tag is honoured (`!!str 443` is text, so not a port), any
/// other is refused where it stands.
#[test]
fn tags_are_honoured_or_refused() {
    let dir = tempfile::tempdir().unwrap();
    let text = "name: tags\nservers:\n  a: { components: [{ kind: web_server, software: !custom Nginx }] }\nflows:\n  - { from: user, to: a, protocol: http, port: !!str 443 }\n  - { from: user, to: a, protocol: http, port: !!int eighty }\n";
    let (output, json) = check(dir.path(), "tags.yaml", text);
    assert_eq!(output.status.code(), Some(2));
    let messages: Vec<(String, u64)> = json["files"][0]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["message"].as_str().unwrap().to_string(),
                e["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert!(
        messages
            .iter()
            .any(|(m, l)| m.contains("unsupported YAML tag `!custom`") && *l == 3),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|(m, l)| m.contains("`eighty` is not a `!!int`") && *l == 6),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|(m, l)| m.contains("port") && *l == 5),
        "`!!str 443` is text, not a port: {messages:?}"
    );
}

/// A folder the walk cannot read is reported (exit 2), never silently left out. As
/// root the folder is read anyway, so the binary runs as `nobody` through `setpriv`.
#[cfg(unix)]
#[test]
fn an_unreadable_folder_is_reported() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let locked = dir.path().join("locked");
    std::fs::create_dir(&locked).unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("designs/0-simple_web_stack.yaml"),
        locked.join("design.yaml"),
    )
    .unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let root = Command::new("id").arg("-u").output().unwrap().stdout == b"0\n";
    let mut command = if root {
        let mut c = Command::new("setpriv");
        c.args([
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            env!("CARGO_BIN_EXE_infralint"),
        ]);
        c
    } else {
        Command::new(env!("CARGO_BIN_EXE_infralint"))
    };
    let output = command
        .args(["check", "--format", "json"])
        .arg(dir.path())
        .output();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    let Ok(output) = output else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI=true: setpriv (util-linux) is expected"
        );
        eprintln!("SKIPPED: cannot run as another user here");
        return;
    };
    assert_eq!(
        output.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let messages: Vec<&str> = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["errors"].as_array().unwrap())
        .map(|e| e["message"].as_str().unwrap())
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("locked") && m.contains("permission denied")),
        "{messages:?}"
    );
}

/// A FIFO named on the command line is refused at once (opening it would wait for a
/// writer for ever). `timeout` ends the run if it hangs, and the test then fails.
#[cfg(unix)]
#[test]
fn a_fifo_on_the_command_line_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("design.yaml");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let output = Command::new("timeout")
        .args([
            "20",
            env!("CARGO_BIN_EXE_infralint"),
            "check",
            "--format",
            "json",
        ])
        .arg(&fifo)
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(2),
        "124 means it hung: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let (message, _, _) = first_error(&json);
    assert!(message.contains("not a regular file"), "{message}");
}

/// `--max-file-size` at its largest once overflowed and made every design "empty".
#[test]
fn the_largest_size_limit_does_not_overflow() {
    let output = Command::new(env!("CARGO_BIN_EXE_infralint"))
        .args([
            "check",
            "--format",
            "json",
            "--max-file-size",
            &u64::MAX.to_string(),
            "designs/0-simple_web_stack.yaml",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["summary"]["errors"], 0);
    assert!(json["files"][0]["findings"].as_array().unwrap().len() > 3);
}

/// A selection that leaves no rule would check nothing and pass: refused.
#[test]
fn a_selection_of_no_rule_is_refused() {
    let output = Command::new(env!("CARGO_BIN_EXE_infralint"))
        .args([
            "check", "--select", "AV001", "--ignore", "AV001", "designs/",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("leave no rule to run"));
}

/// Control characters from quoted YAML strings (ESC, BEL, NUL), bidirectional overrides
/// written raw in the file, and a file name with an escape never reach the terminal raw:
/// they are shown as `\u{1b}`, or as a visible stand-in in source snippets.
#[test]
fn terminal_escapes_from_a_design_are_shown_not_run() {
    let dir = tempfile::tempdir().unwrap();
    let text = "name: \"\\e]0;retitled\\a\"\nservers:\n  web-01:\n    components:\n      - { kind: web_server, software: \"\\e[2J\\0cleared\" }\n    \"\\e[31mcolour\": 1\n    why: \"\u{202e}evil\u{2066} reversed\"\nflows:\n  - { from: user, to: web-01, protocol: http }\n";
    let path = dir.path().join("escape\u{1b}[1m.yaml");
    std::fs::write(&path, text).unwrap();
    for args in [
        vec!["check"],
        vec!["check", "--select", "SE", "--fail-on", "info"],
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_infralint"))
            .args(&args)
            .arg(&path)
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        for (stream, bytes) in [("stdout", &output.stdout), ("stderr", &output.stderr)] {
            let shown = String::from_utf8_lossy(bytes);
            let raw: Vec<char> = shown
                .chars()
                .filter(|c| ['\u{1b}', '\u{7}', '\u{0}', '\u{202e}', '\u{2066}'].contains(c))
                .collect();
            assert!(raw.is_empty(), "{args:?} {stream} holds {raw:?}:\n{shown}");
        }
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            stdout.contains("\\u{1b}[31mcolour"),
            "the unknown key, escaped:\n{stdout}"
        );
        assert!(
            stdout.contains("escape\\u{1b}[1m.yaml"),
            "the path, escaped:\n{stdout}"
        );
    }
}

/// Issue 23, cases 2 and 4: a carriage return from `software:` in a message, and line
/// breaks in a walked design's file name, never start a line of their own in the text
/// and compact formats (a CI runner reads every line for a workflow command, a problem
/// matcher every line for a place).
#[test]
fn line_breaks_from_a_design_never_start_a_line() {
    let dir = tempfile::tempdir().unwrap();
    let walked = dir.path().join("class");
    std::fs::create_dir(&walked).unwrap();
    let text = "name: t\nservers:\n  app-01: { components: [{ kind: app_server }] }\n  app-02: { components: [{ kind: app_server }] }\n  cache-01: { components: [{ kind: cache, software: \"x\\r::add-mask::y\\n::error::forged\" }] }\n  db-01: { components: [{ kind: database }] }\nflows:\n  - { from: user, to: [app-01, app-02], protocol: https }\n  - { from: [app-01, app-02], to: [cache-01, db-01], protocol: tcp }\n";
    std::fs::write(walked.join("bad\n::error file=x::forged\r.yaml"), text).unwrap();
    for format in ["text", "compact"] {
        let output = Command::new(env!("CARGO_BIN_EXE_infralint"))
            .args(["check", "--format", format])
            .arg(&walked)
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(stdout.contains("AV001"), "{format}:\n{stdout}");
        assert!(!stdout.contains('\r'), "{format}: a raw CR:\n{stdout}");
        for line in stdout.lines() {
            assert!(
                !line.trim_start().starts_with("::"),
                "{format}: a line that reads as a workflow command: {line:?}"
            );
        }
        if format == "compact" {
            assert!(
                stdout
                    .lines()
                    .all(|l| l.contains("bad\\n::error file=x::forged\\r.yaml:")),
                "one line per finding, each naming the file:\n{stdout}"
            );
        }
    }
}

/// Issue 23, case 8: zones whose names differ only in what an id cannot hold (`a-b`,
/// `a.b`, `a_b`) are three subgraphs in Mermaid, never one.
#[test]
fn zones_of_alike_names_stay_apart_in_mermaid() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("zones.yaml");
    std::fs::write(
        &path,
        "name: t\nservers:\n  s1: { zone: a-b, components: [{ kind: web_server }] }\n  s2: { zone: a.b, components: [{ kind: web_server }] }\n  s3: { zone: a_b, components: [{ kind: web_server }] }\nflows:\n  - { from: user, to: [s1, s2, s3], protocol: https }\n",
    )
    .unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_infralint"))
        .args(["diagram", "--format", "mermaid"])
        .arg(&path)
        .output()
        .unwrap();
    let chart = String::from_utf8_lossy(&output.stdout);
    let mut ids: Vec<&str> = chart
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("subgraph zone_"))
        .map(|l| l.split('[').next().unwrap())
        .collect();
    assert_eq!(ids.len(), 3, "{chart}");
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 3, "three ids:\n{chart}");
}

/// Issue 23, case 6: a character XML forbids (U+FFFE) in one design's words made the
/// whole JUnit report unreadable, and a bidi override (U+202E) reached it raw.
#[test]
fn junit_stays_well_formed_whatever_a_design_says() {
    let dir = tempfile::tempdir().unwrap();
    for (i, software) in ["Redis\\uFFFE", "Redis\\u202Egnp", "Redis\\u0001\\uFFFF"]
        .iter()
        .enumerate()
    {
        std::fs::write(
            dir.path().join(format!("d{i}.yaml")),
            format!("name: t\nservers:\n  app-01: {{ components: [{{ kind: app_server }}] }}\n  app-02: {{ components: [{{ kind: app_server }}] }}\n  cache-01: {{ components: [{{ kind: cache, software: \"{software}\" }}] }}\n  db-01: {{ components: [{{ kind: database }}] }}\nflows:\n  - {{ from: user, to: [app-01, app-02], protocol: https }}\n  - {{ from: [app-01, app-02], to: [cache-01, db-01], protocol: tcp }}\n"),
        )
        .unwrap();
    }
    let output = Command::new(env!("CARGO_BIN_EXE_infralint"))
        .args(["check", "--format", "junit"])
        .arg(dir.path())
        .output()
        .unwrap();
    let xml = String::from_utf8(output.stdout).unwrap();
    let document = roxmltree::Document::parse(&xml).expect("well-formed XML");
    assert_eq!(
        document
            .descendants()
            .filter(|n| n.has_tag_name("testsuite"))
            .count(),
        3,
        "every design's suite"
    );
    assert!(!xml.contains('\u{202e}'), "{xml}");
}

/// A chain of 50,000 proxies (4.6 MB) failed near its end: `simulate` explained why
/// requests stop by recursion, one frame per proxy, and aborted on a stack overflow.
/// The explanation is walked with a stack of its own now, and its indentation stops
/// growing at a fixed depth, so the output stays in proportion to the design.
#[test]
fn a_deep_chain_is_explained_without_recursion() {
    const N: usize = 50_000;
    let mut text = String::from("name: chain\nservers:\n");
    for i in 0..N {
        text.push_str(&format!("  p{i}: {{ components: [{{ kind: proxy }}] }}\n"));
    }
    text.push_str("flows:\n  - { from: user, to: p0, protocol: https }\n");
    for i in 0..N - 1 {
        text.push_str(&format!(
            "  - {{ from: p{i}, to: p{}, protocol: http }}\n",
            i + 1
        ));
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("chain.yaml");
    std::fs::write(&path, &text).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_infralint"))
        .args(["simulate", "--fail", &format!("p{}", N - 10)])
        .arg(&path)
        .output()
        .expect("the binary runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains(&format!("its server `p{}` failed", N - 10)));
    assert!(
        stdout.len() < 2 * text.len(),
        "{} bytes of output for a {}-byte design",
        stdout.len(),
        text.len()
    );
}
