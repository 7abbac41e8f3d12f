//! The `# expect:` line that starts every fixture is read and held to: a rule fixture's
//! line names its findings (`no CODE`; `CODE on TARGET and TARGET`; `CODE twice`), an
//! error fixture's line quotes, in backticks, words its errors say.

use crate::common;

use std::path::{Path, PathBuf};

fn fixtures(pattern: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut out = Vec::new();
    for dir in std::fs::read_dir(&root).unwrap().flatten() {
        let name = dir.file_name().to_string_lossy().into_owned();
        let matches = match pattern {
            "rules" => name.len() == 5 && name[..2].chars().all(|c| c.is_ascii_uppercase()),
            other => name == other,
        };
        if matches {
            for file in std::fs::read_dir(dir.path()).unwrap().flatten() {
                if file.path().extension().is_some_and(|e| e == "yaml") {
                    out.push(file.path());
                }
            }
        }
    }
    out.sort();
    out
}

fn expectation(path: &Path) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    let first = text.trim_start_matches('\u{feff}').lines().next()?;
    first.strip_prefix("# expect: ").map(str::to_owned)
}

/// How many times a line says a rule fires, when it says: `once`, `twice`, `four times`.
fn count(line: &str) -> Option<usize> {
    let words = [
        ("once", 1),
        ("twice", 2),
        ("three times", 3),
        ("four times", 4),
        ("five times", 5),
    ];
    words
        .iter()
        .find(|(word, _)| line.contains(word))
        .map(|&(_, n)| n)
}

#[test]
fn rule_fixtures_find_what_their_line_says() {
    let mut checked = 0;
    let mut failures = Vec::new();
    for path in fixtures("rules") {
        let (code, report) = common::rule_fixture(&path);
        let code = code.as_str();
        let line =
            expectation(&path).unwrap_or_else(|| panic!("{}: no expect line", path.display()));
        let found: Vec<_> = report
            .findings
            .iter()
            .filter(|f| f.code() == code)
            .collect();
        let shown = path.display();
        if line.starts_with(&format!("no {code}")) {
            assert!(
                found.is_empty(),
                "{shown}: the line says no {code}, found {found:?}"
            );
        } else {
            assert!(
                line.starts_with(code),
                "{shown}: the line starts with `{code}` or `no {code}`"
            );
            assert!(!found.is_empty(), "{shown}: {code} must fire");
            if let Some(n) = count(&line) {
                assert_eq!(found.len(), n, "{shown}: the line says {n}");
            }
            // Each finding's target, or the server it is on, is named by the line.
            for finding in &found {
                let target = finding.target.as_str();
                let server = target.split(['/', ' ']).next().unwrap_or(target);
                if !(line.contains(target) || line.contains(server)) {
                    failures.push(format!("{shown}: the line does not name `{target}`"));
                }
            }
        }
        checked += 1;
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked >= 45, "{checked} rule fixtures");
}

#[test]
fn error_fixtures_say_what_their_line_quotes() {
    let mut checked = 0;
    let mut failures = Vec::new();
    for path in fixtures("errors") {
        let Some(line) = expectation(&path) else {
            continue; // empty, binary and non-UTF-8 fixtures cannot carry the line
        };
        let report = common::report(&path);
        assert!(
            !report.errors.is_empty(),
            "{}: no design error",
            path.display()
        );
        let said: String = report
            .errors
            .iter()
            .map(|e| {
                format!(
                    "{} {} {} {}",
                    e.message,
                    e.label.as_deref().unwrap_or_default(),
                    e.help.as_deref().unwrap_or_default(),
                    e.secondary
                        .iter()
                        .map(|l| l.message.as_str())
                        .collect::<String>()
                )
            })
            .collect();
        for quoted in line.split('`').skip(1).step_by(2) {
            if !said.contains(quoted) {
                failures.push(format!(
                    "{}: the line quotes `{quoted}`, the errors do not say it",
                    path.display()
                ));
            }
        }
        checked += 1;
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked >= 45, "{checked} error fixtures");
}
