//! Tests of the tests: fixtures say what they expect, and no snapshot outlives its fixture.

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
    let fixtures: Vec<String> = files_under(&root().join("tests/fixtures"))
        .iter()
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .collect();
    for snapshot in files_under(&root().join("tests/snapshots")) {
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
