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
