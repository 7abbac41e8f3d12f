//! The quoted sessions of the README and docs/*.md are real: a ```yaml block whose first line is
//! `# NAME.yaml` is that file; a ```text block that starts with `$ infralint ...` is run
//! in a folder holding those files (in the repository when it names none of them), and
//! what it prints (standard output, then standard
//! error, without colour) must be the block's lines up to the next `$` line, where a line
//! `...` stands for any lines (an excerpt). `$ echo $?` prints the exit status before it.

use std::collections::BTreeMap;
use std::path::Path;

/// Fenced blocks: (language, lines).
fn blocks(markdown: &str) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    let mut open: Option<(String, Vec<String>)> = None;
    for line in markdown.lines() {
        match (&mut open, line.strip_prefix("```")) {
            (None, Some(language)) => open = Some((language.trim().to_string(), Vec::new())),
            (Some(_), Some(_)) => out.extend(open.take()),
            (Some((_, lines)), None) => lines.push(line.to_string()),
            (None, None) => {}
        }
    }
    out
}

/// Whether `actual` is `expected`, a `...` line in it matching any run of lines.
fn matches(expected: &[String], actual: &[&str]) -> bool {
    match expected.split_first() {
        None => actual.is_empty(),
        Some((first, rest)) if first.trim() == "..." => {
            (0..=actual.len()).any(|skip| matches(rest, &actual[skip..]))
        }
        Some((first, rest)) => {
            actual.first() == Some(&first.as_str()) && matches(rest, &actual[1..])
        }
    }
}

fn trimmed(lines: &[String]) -> Vec<String> {
    let mut lines = lines.to_vec();
    while lines.last().is_some_and(|l| l.trim().is_empty()) {
        lines.pop();
    }
    lines
}

#[test]
fn quoted_sessions_are_what_the_commands_print() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut documents = vec![root.join("README.md")];
    for entry in std::fs::read_dir(root.join("docs")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            documents.push(path);
        }
    }
    documents.sort();
    let mut sessions = 0;
    for document in &documents {
        sessions += sessions_of(root, document);
    }
    assert!(sessions >= 4, "the sessions were found: {sessions}");
}

/// Runs one document's sessions; how many there were.
fn sessions_of(root: &Path, document: &Path) -> usize {
    let markdown = std::fs::read_to_string(document).unwrap();
    let mut files: BTreeMap<String, String> = BTreeMap::new();
    let mut sessions = 0;
    for (language, lines) in blocks(&markdown) {
        if language == "yaml"
            && let Some(name) = lines.first().and_then(|l| l.strip_prefix("# "))
            && name.ends_with(".yaml")
            && !name.contains(' ')
        {
            files.insert(name.to_string(), lines.join("\n") + "\n");
            continue;
        }
        if language != "text" || !lines.first().is_some_and(|l| l.starts_with("$ infralint ")) {
            continue;
        }
        sessions += 1;
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in &files {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        let mut status = None;
        let mut i = 0;
        while i < lines.len() {
            let command = lines[i].strip_prefix("$ ").expect("a command line");
            let end = (i + 1..lines.len())
                .find(|&j| lines[j].starts_with("$ "))
                .unwrap_or(lines.len());
            let expected = trimmed(&lines[i + 1..end]);
            let printed = if command == "echo $?" {
                format!("{}\n", status.expect("a command before `echo $?`"))
            } else {
                let args: Vec<&str> = command
                    .strip_prefix("infralint ")
                    .expect("an infralint command")
                    .split_whitespace()
                    .collect();
                // Among the files above, or else in the repository (`designs/...`).
                let here = if args.iter().any(|a| files.contains_key(*a)) {
                    dir.path()
                } else {
                    root
                };
                let output = std::process::Command::new(env!("CARGO_BIN_EXE_infralint"))
                    .current_dir(here)
                    .args(&args)
                    .env("NO_COLOR", "1")
                    .env_remove("CI")
                    .output()
                    .unwrap();
                status = output.status.code();
                format!(
                    "{}{}",
                    String::from_utf8_lossy(&output.stdout),
                    String::from_utf8_lossy(&output.stderr)
                )
            };
            let printed_lines: Vec<String> = printed.lines().map(str::to_string).collect();
            let printed_lines = trimmed(&printed_lines);
            let actual: Vec<&str> = printed_lines.iter().map(String::as_str).collect();
            assert!(
                matches(&expected, &actual),
                "{}: `{command}` prints\n{printed}\nwhere it says\n{}",
                document.display(),
                expected.join("\n")
            );
            i = end;
        }
    }
    sessions
}
