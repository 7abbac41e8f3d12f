//! Tests of the tests: fixtures say what they expect, and no snapshot outlives its fixture.

use crate::common;
use std::path::{Path, PathBuf};

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).expect("the folder exists") {
        let path = entry.expect("a readable entry").path();
        if path.is_dir() {
            files.extend(files_under(&path));
        } else {
            files.push(path);
        }
    }
    files.sort();
    files
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn every_error_fixture_says_what_it_expects() {
    for path in files_under(&root().join("tests/fixtures/errors")) {
        let bytes = std::fs::read(&path).unwrap();
        let Ok(text) = std::str::from_utf8(&bytes) else {
            continue; // the not-UTF-8 fixture's first line is checked by its snapshot
        };
        if text.is_empty() || text.contains('\0') {
            continue; // the empty and binary fixtures cannot carry a comment
        }
        let first = text
            .trim_start_matches('\u{feff}')
            .lines()
            .next()
            .unwrap_or_default();
        assert!(
            first.starts_with("# expect: "),
            "{}: the first line must say `# expect: ...`",
            path.display()
        );
    }
}

#[test]
fn no_snapshot_outlives_its_fixture() {
    // A glob snapshot is named after its fixture's path below the glob's folder, with
    // `__` for `/`: `rules__text@AV001__invalid.yaml.snap`.
    let mut sources = files_under(&root().join("tests/fixtures"));
    sources.extend(files_under(&root().join("designs")));
    let fixtures: Vec<String> = sources
        .iter()
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .collect();
    for snapshot in files_under(&root().join("tests/it/snapshots")) {
        let name = snapshot.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            !name.ends_with(".snap.new"),
            "{name}: a snapshot waiting for review"
        );
        if let Some((_, fixture)) = name.strip_suffix(".snap").and_then(|n| n.split_once('@')) {
            let fixture = fixture.replace("__", "/");
            assert!(
                fixtures.iter().any(|f| f.ends_with(&format!("/{fixture}"))),
                "{name}: its fixture `{fixture}` is gone; delete the snapshot"
            );
        }
    }
}

use infralint::rules::ALL;

#[test]
fn codes_and_names_are_unique_and_well_formed() {
    let mut seen = std::collections::HashSet::new();
    for rule in ALL {
        let code = rule.code.as_bytes();
        assert!(
            code.len() == 5
                && code[..2].iter().all(u8::is_ascii_uppercase)
                && code[2..].iter().all(u8::is_ascii_digit),
            "{}: a code is two capitals and three digits",
            rule.code
        );
        assert!(
            rule.name
                .split('-')
                .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase())),
            "{}: names are kebab-case",
            rule.name
        );
        assert!(
            seen.insert(rule.code) && seen.insert(rule.name),
            "{} is not unique",
            rule.code
        );
    }
}

#[test]
fn every_rule_documents_what_why_example_and_fix() {
    for rule in ALL {
        for section in [
            "## What it does",
            "## Why is this bad?",
            "## Example",
            "Use instead",
        ] {
            assert!(
                rule.doc.contains(section),
                "{}: its doc lacks `{section}`",
                rule.code
            );
        }
        assert!(
            !rule.summary.ends_with('.'),
            "{}: a summary has no final period",
            rule.code
        );
    }
}

#[test]
fn every_rule_has_a_triggering_fixture_and_a_near_miss() {
    for rule in ALL {
        let dir = root().join("tests/fixtures").join(rule.code);
        let names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap_or_else(|_| {
                panic!(
                    "{}: no fixture folder tests/fixtures/{}",
                    rule.code, rule.code
                )
            })
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            names.iter().any(|n| n.starts_with("invalid")),
            "{}: no invalid*.yaml",
            rule.code
        );
        assert!(
            names.iter().any(|n| n.starts_with("valid")),
            "{}: no valid*.yaml",
            rule.code
        );
    }
}

/// A message names its target and cause in one line, starting lower-case (an acronym
/// such as TLS or CNAME may start it), with no final period; a help line likewise ends
/// with no period.
fn check_convention(what: &str, message: &str, help: &str) {
    let first_word = message.split([' ', ':']).next().unwrap_or_default();
    let starts_upper = first_word.chars().next().is_some_and(char::is_uppercase);
    assert!(
        !starts_upper || first_word.chars().all(|c| !c.is_lowercase()),
        "{what}: the message starts upper-case: {message}"
    );
    for text in [message, help] {
        assert!(!text.contains('\n'), "{what}: more than one line: {text}");
        assert!(!text.ends_with('.'), "{what}: ends with a period: {text}");
    }
}

#[test]
fn messages_follow_the_convention() {
    let mut options = infralint::CheckOptions {
        today: common::TODAY.parse().unwrap(),
        ..infralint::CheckOptions::default()
    };
    options.selection = infralint::rules::Selection::default();
    let mut checked = 0;
    for path in files_under(&root().join("tests/fixtures"))
        .into_iter()
        .chain(files_under(&root().join("designs")))
    {
        if path.extension().is_none_or(|e| e != "yaml") {
            continue;
        }
        let candidate = infralint::discover::Candidate {
            path: path.clone(),
            walked: false,
        };
        let infralint::Checked::Report(report) = infralint::check_file(&candidate, &options) else {
            continue;
        };
        for finding in &report.findings {
            check_convention(
                &format!("{} in {}", finding.code(), path.display()),
                &finding.message,
                finding.help(),
            );
            checked += 1;
        }
        for error in &report.errors {
            let help = error.help.as_deref().unwrap_or_default();
            check_convention(
                &format!("a design error in {}", path.display()),
                &error.message,
                help,
            );
            checked += 1;
        }
    }
    assert!(
        checked > 200,
        "the fixtures give many messages to check, found {checked}"
    );
}

/// Every design error code has its section in `docs/design-errors.md`, and every section
/// is a code; and the error fixtures together show every code a design file can get.
#[test]
fn every_design_error_code_is_documented_and_shown() {
    use infralint::diagnostic::ErrorCode;
    let page = std::fs::read_to_string(root().join("docs/design-errors.md")).unwrap();
    let sections: Vec<&str> = page.lines().filter_map(|l| l.strip_prefix("## ")).collect();
    let codes: Vec<String> = ErrorCode::ALL
        .iter()
        .map(|c| format!("{} {}", c.as_str(), c.name()))
        .collect();
    assert_eq!(
        sections, codes,
        "docs/design-errors.md lists every code, in order"
    );
    let mut seen = std::collections::BTreeSet::new();
    for path in files_under(&root().join("tests/fixtures/errors")) {
        let candidate = infralint::discover::Candidate {
            path: path.clone(),
            walked: false,
        };
        if let infralint::Checked::Report(report) =
            infralint::check_file(&candidate, &infralint::CheckOptions::default())
        {
            seen.extend(report.errors.iter().filter_map(|e| match e.code {
                infralint::diagnostic::Code::Error(code) => Some(code),
                infralint::diagnostic::Code::Rule { .. } => None,
            }));
        }
    }
    // Paths (E001), sizes (E002) and config files (E401) are shown by the command-line
    // and config tests.
    let missing: Vec<&str> = ErrorCode::ALL
        .iter()
        .filter(|c| !seen.contains(c))
        .filter(|c| {
            !matches!(
                c,
                ErrorCode::Unreadable | ErrorCode::TooLarge | ErrorCode::Config
            )
        })
        .map(|c| c.as_str())
        .collect();
    assert!(missing.is_empty(), "no error fixture shows {missing:?}");
}

/// The README's rule table is the catalog: every rule once, in order, with its page, its
/// name and its severity (the severity cell may say more, as SE001's does).
#[test]
fn the_readme_rule_table_is_the_catalog() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let rows: Vec<Vec<String>> = readme
        .lines()
        .filter(|l| l.starts_with("| [") && l.contains("](rules/"))
        .map(|l| {
            l.trim_matches('|')
                .split('|')
                .map(|cell| cell.trim().to_string())
                .collect()
        })
        .collect();
    let rules = ALL;
    assert_eq!(rows.len(), rules.len(), "one row per rule");
    for (row, rule) in rows.iter().zip(rules) {
        assert_eq!(row[0], format!("[{0}](rules/{0}.md)", rule.code));
        assert_eq!(row[1], rule.name, "{}", rule.code);
        assert!(
            row[2].starts_with(rule.severity.as_str()),
            "{}: `{}` does not start with {}",
            rule.code,
            row[2],
            rule.severity.as_str()
        );
        let fix = rule
            .fix
            .map_or("", |(applicability, _)| applicability.as_str());
        assert_eq!(row[3], fix, "{}: the fix column", rule.code);
        assert!(root().join(format!("rules/{}.md", rule.code)).is_file());
    }
}

/// A rule that says it has a fix has a before-and-after fixture under `tests/fixtures/fix/`
/// that names it, and a fixture there names only rules with fixes. (A rule that gives a
/// fix without saying so fails its own debug assertion in `Emitted::fix`.)
#[test]
fn every_fix_has_a_before_and_after_fixture() {
    let named: String = std::fs::read_dir(root().join("tests/fixtures/fix"))
        .unwrap()
        .map(|entry| std::fs::read_to_string(entry.unwrap().path()).unwrap())
        .map(|text| text.lines().next().unwrap_or_default().to_string())
        .collect();
    for rule in ALL {
        assert_eq!(
            named.contains(rule.code),
            rule.fix.is_some(),
            "{}: a rule with a fix, and only such a rule, heads a fixture under tests/fixtures/fix/",
            rule.code
        );
    }
}

/// No two top-level modules of `src/` depend on each other, directly or through others
/// (read from the `crate::X` paths of their code, tests left out), `lib.rs` counted as a
/// module: its paths `X::` are its dependencies, and an import of its own items
/// (`crate::check_paths`) is one on it. No renderer or report imports from `lib.rs`.
#[test]
fn no_cycle_between_modules() {
    use std::collections::{BTreeMap, BTreeSet};
    let src = root().join("src");
    let tops: BTreeSet<String> = std::fs::read_dir(&src)
        .unwrap()
        .map(|e| {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            name.trim_end_matches(".rs").to_string()
        })
        .collect();
    let mut deps: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for path in files_under(&src) {
        let relative = path.strip_prefix(&src).unwrap();
        let top = relative
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        let top = top.trim_end_matches(".rs").to_string();
        if top == "main" {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        // A file's unit tests (a `#[cfg(test)] mod NAME {` at its end) are left out;
        // lib.rs's `#[cfg(test)] mod testing;` is not, since its items follow.
        let lines: Vec<&str> = text.lines().collect();
        let end = (0..lines.len())
            .find(|&i| {
                lines[i].trim() == "#[cfg(test)]"
                    && lines.get(i + 1).is_some_and(|next| {
                        next.trim_start().starts_with("mod ") && next.trim_end().ends_with('{')
                    })
            })
            .unwrap_or(lines.len());
        let code = lines[..end].join("\n");
        let code: String = code
            .lines()
            .map(|l| l.split("//").next().unwrap_or_default())
            .collect::<Vec<_>>()
            .join("\n");
        let mut names: Vec<String> = Vec::new();
        if top == "lib" {
            // The crate root names its modules without `crate::`.
            for part in code.split("::").collect::<Vec<_>>().windows(2) {
                let name: String = part[0]
                    .chars()
                    .rev()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect();
                if tops.contains(&name) {
                    deps.entry(top.clone()).or_default().insert(name);
                }
            }
            continue;
        }
        for part in code.split("crate::").skip(1) {
            let name: String = part
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                names.push(name);
            } else if let Some(group) = part.strip_prefix('{') {
                let group = group.split('}').next().unwrap_or_default();
                for item in group.split(',') {
                    let item: String = item
                        .trim()
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    names.push(item);
                }
            }
        }
        for name in names {
            let entry = deps.entry(top.clone()).or_default();
            if tops.contains(&name) && name != top {
                entry.insert(name);
            } else if !tops.contains(&name) && !name.is_empty() {
                assert!(
                    !matches!(top.as_str(), "reporters" | "pictures" | "pages" | "report"),
                    "{top} imports `crate::{name}` from lib.rs"
                );
                assert!(
                    !matches!(name.as_str(), "FileReport" | "Checked"),
                    "{top} imports `crate::{name}`: import it from `crate::checked`"
                );
                entry.insert("lib".to_string());
            }
        }
    }
    assert_no_cycle(&deps, |start| format!("`{start}`"));
}

/// Every module that reaches itself is on a cycle: fails naming it (`shown`) and the
/// modules it went through.
fn assert_no_cycle(
    deps: &std::collections::BTreeMap<String, std::collections::BTreeSet<String>>,
    shown: impl Fn(&str) -> String,
) {
    for start in deps.keys() {
        let mut seen = std::collections::BTreeSet::new();
        let mut stack: Vec<&String> = deps[start].iter().collect();
        while let Some(module) = stack.pop() {
            assert_ne!(
                module,
                start,
                "{} depends on itself through {seen:?}",
                shown(start)
            );
            if seen.insert(module.clone()) {
                stack.extend(deps.get(module).into_iter().flatten());
            }
        }
    }
}

/// Inside each module folder of `src/`, no two files depend on each other either (read
/// from their `super::X` and `crate::FOLDER::X` paths, tests left out): the dagre engine
/// once took a helper from the row wrapper, which depends on it.
#[test]
fn no_cycle_inside_a_module_folder() {
    use std::collections::{BTreeMap, BTreeSet};
    let src = root().join("src");
    for folder in std::fs::read_dir(&src).unwrap() {
        let folder = folder.unwrap().path();
        if !folder.is_dir() {
            continue;
        }
        let top = folder.file_name().unwrap().to_string_lossy().into_owned();
        let files: Vec<PathBuf> = std::fs::read_dir(&folder)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "rs"))
            .collect();
        let names: BTreeSet<String> = files
            .iter()
            .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
            .filter(|n| n != "mod")
            .collect();
        let mut deps: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for file in &files {
            let name = file.file_stem().unwrap().to_string_lossy().into_owned();
            if name == "mod" {
                continue;
            }
            let text = std::fs::read_to_string(file).unwrap();
            let code = text
                .split("#[cfg(test)]\nmod tests")
                .next()
                .unwrap_or_default();
            let code: String = code
                .lines()
                .map(|l| l.split("//").next().unwrap_or_default())
                .collect::<Vec<_>>()
                .join("\n");
            let prefix = format!("crate::{top}::");
            for marker in ["super::", prefix.as_str()] {
                for part in code.split(marker).skip(1) {
                    let mut used: Vec<String> = Vec::new();
                    let word: String = part
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    if word.is_empty() {
                        if let Some(group) = part.strip_prefix('{') {
                            for item in group.split('}').next().unwrap_or_default().split(',') {
                                used.push(
                                    item.trim()
                                        .chars()
                                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                                        .collect(),
                                );
                            }
                        }
                    } else {
                        used.push(word);
                    }
                    for other in used {
                        if names.contains(&other) && other != name {
                            deps.entry(name.clone()).or_default().insert(other);
                        }
                    }
                }
            }
        }
        assert_no_cycle(&deps, |start| format!("src/{top}/{start}.rs"));
    }
}

/// No rule's code is written as text outside its own file (tests and comments aside):
/// stages name a rule by its constant (`rules::SINGLE_POINT_OF_FAILURE`), and what a rule
/// is (its security score, its fix) is a field of the rule, never a match on its code.
#[test]
fn no_rule_code_is_written_as_text() {
    let codes: Vec<String> = ALL.iter().map(|r| format!("\"{}\"", r.code)).collect();
    for path in files_under(&root().join("src")) {
        let own = path.file_stem().is_some_and(|stem| {
            codes
                .iter()
                .any(|c| c[1..6].eq_ignore_ascii_case(&stem.to_string_lossy()))
        });
        if own {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let code = text
            .split("#[cfg(test)]\nmod tests")
            .next()
            .unwrap_or_default();
        for (n, line) in code.lines().enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            if let Some(found) = codes.iter().find(|c| line.contains(c.as_str())) {
                panic!(
                    "{}:{}: the rule code {found} written as text: name the rule's constant",
                    path.display(),
                    n + 1
                );
            }
        }
    }
}

/// Design errors and findings are one `Diagnostic`: every reporter, and the language
/// server, reads a file's in one loop over `FileReport::diagnostics`, never a loop over
/// `errors` and another over `findings` (counting them is fine).
#[test]
fn reporters_loop_once_over_the_diagnostics() {
    let mut files = files_under(&root().join("src/reporters"));
    files.extend([
        root().join("src/lsp/mod.rs"),
        root().join("src/lsp/features.rs"),
    ]);
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for (n, line) in text.lines().enumerate() {
            let looped = [".errors", ".findings"].iter().any(|field| {
                line.contains(&format!("in &report{field}"))
                    || line.contains(&format!("in &file{field}"))
                    || line.contains(&format!("{field}.iter()"))
                    || line.contains(&format!("in &self.report{field}"))
            });
            assert!(
                !looped,
                "{}:{}: loop over FileReport::diagnostics instead: {line}",
                file.display(),
                n + 1
            );
        }
    }
}

/// One integration-test binary: every integration test is a module of `tests/it/`, so
/// that the dependency tree is linked once, not once per file.
#[test]
fn one_integration_test_binary() {
    let stray: Vec<String> = std::fs::read_dir(root().join("tests"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .map(|p| p.display().to_string())
        .collect();
    assert!(
        stray.is_empty(),
        "{stray:?}: make each a module of tests/it/main.rs (or, when it needs a program from outside Rust, of tests/tools/main.rs)"
    );
}

/// Exit codes are one type: no command driver, nor the pipeline's entry, answers a bare
/// number (`-> u8`, `return 2;`), so that 0, 1 and 2 keep one meaning.
#[test]
fn exit_codes_are_an_exit_status() {
    let mut files = files_under(&root().join("src/commands"));
    files.extend([root().join("src/lib.rs"), root().join("src/lsp/mod.rs")]);
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for (n, line) in text.lines().enumerate() {
            let bare = (line.contains("-> u8 {") && !line.contains("fn code(self)"))
                || line.trim_start().starts_with("return 2;")
                || line.trim_start().starts_with("return 1;")
                || line.contains("Err(2)");
            assert!(
                !bare,
                "{}:{}: a bare exit code; answer an `ExitStatus`: {line}",
                file.display(),
                n + 1
            );
        }
    }
}

/// Counted nouns in what the commands print, singular after 1 and plural after any
/// other whole number ("1 file checked", "2 errors", never "1 errors" or "3 port").
/// A noun used as an adjective ("99 design errors", "3 firewall components") is judged
/// by the noun it qualifies.
#[test]
fn counts_agree_with_their_nouns() {
    const NOUNS: &[(&str, &str)] = &[
        ("error", "errors"),
        ("warning", "warnings"),
        ("file", "files"),
        ("finding", "findings"),
        ("server", "servers"),
        ("port", "ports"),
        ("design", "designs"),
        ("path", "paths"),
        ("voter", "voters"),
        ("member", "members"),
        ("component", "components"),
        ("flow", "flows"),
        ("trial", "trials"),
        ("day", "days"),
        ("record", "records"),
        ("rule", "rules"),
        ("request", "requests"),
        ("class", "classes"),
        ("zone", "zones"),
        ("agent", "agents"),
        ("firewall", "firewalls"),
        ("set", "sets"),
        ("event", "events"),
        ("replica", "replicas"),
        ("database", "databases"),
        ("place", "places"),
        ("fix", "fixes"),
    ];
    let noun = |word: &str| -> Option<bool> {
        NOUNS.iter().find_map(|&(one, many)| {
            if word == one {
                Some(false)
            } else if word == many {
                Some(true)
            } else {
                None
            }
        })
    };
    let run = |args: &[&str]| -> String {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_infralint"))
            .current_dir(root())
            .args(args)
            .output()
            .unwrap();
        format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    };
    let mut outputs = vec![
        run(&["check", "tests/fixtures", "designs"]),
        run(&["check", "--statistics", "tests/fixtures", "designs"]),
        run(&["check", "tests/fixtures/AV006/invalid.yaml"]),
        run(&["check", "tests/fixtures/clean/well_built.yaml"]),
        run(&["check", "--fix", "--diff", "tests/fixtures/fix"]),
    ];
    for design in files_under(&root().join("designs")) {
        let design = design.to_str().unwrap();
        for command in ["report", "cuts", "availability"] {
            outputs.push(run(&[command, design]));
        }
    }
    outputs.push(run(&[
        "simulate",
        "designs/production_shop.yaml",
        "--fail",
        "cache-01",
    ]));
    let mut wrong = Vec::new();
    let mut counted = (0, 0);
    for output in &outputs {
        let words: Vec<&str> = output.split_whitespace().collect();
        for (i, word) in words.iter().enumerate() {
            // A whole number (`1,000`), not a part of `99.9`, `10:30` or `1/2`, and not
            // a value with its punctuation (`**servers:** 1, **components:** 4`).
            if word.ends_with(',') || !word.chars().all(|c| c.is_ascii_digit() || c == ',') {
                continue;
            }
            let Ok(n) = word.replace(',', "").parse::<u64>() else {
                continue;
            };
            let bare = |w: &str| -> String {
                w.trim_matches(|c: char| !c.is_ascii_alphanumeric())
                    .to_string()
            };
            let Some(next) = words.get(i + 1).map(|w| bare(w)) else {
                continue;
            };
            // An adjective noun: the noun after it is the counted one.
            let counted_noun = match words.get(i + 2).map(|w| bare(w)) {
                Some(after) if noun(&next).is_some() && noun(&after).is_some() => after,
                _ => next,
            };
            let Some(plural) = noun(&counted_noun) else {
                continue;
            };
            if plural {
                counted.1 += 1;
            } else {
                counted.0 += 1;
            }
            if plural == (n == 1) {
                let from = i.saturating_sub(4);
                wrong.push(words[from..(i + 4).min(words.len())].join(" "));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "counts that disagree:\n{}",
        wrong.join("\n")
    );
    // The test reads real counts of both kinds.
    assert!(counted.0 > 10 && counted.1 > 20, "{counted:?}");
}
