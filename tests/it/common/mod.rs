//! What the snapshot tests share: check one fixture through the library, as the CLI
//! would, and render it in every format at a fixed width without colour.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use infralint::reporters::text::Style;

pub(crate) mod svg_read;
use infralint::{CheckOptions, Checked, FileReport, check_file, discover::Candidate};

/// The day every test judges certificate expiry and `until:` against.
pub(crate) const TODAY: &str = "2026-11-23";

/// The binary under test, to run in `dir`.
pub(crate) fn command(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_infralint"));
    command.current_dir(dir).env_remove("NO_COLOR");
    command
}

/// The binary under test, run with `args` in `dir`.
pub(crate) fn run_in(dir: &Path, args: &[&str]) -> Output {
    command(dir).args(args).output().expect("the binary runs")
}

/// The binary under test, run with `args` in the crate root.
pub(crate) fn run(args: &[&str]) -> Output {
    run_in(Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

/// A fixture's path relative to the crate root, so that snapshots do not depend on where
/// the repository is checked out.
/// The shipped designs (`designs/*.yaml`), in name order.
pub(crate) fn shipped_designs() -> Vec<PathBuf> {
    designs_in("designs")
}

/// The designs (`*.yaml`) of a folder of the repository, in name order.
pub(crate) fn designs_in(folder: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths: Vec<PathBuf> = std::fs::read_dir(root.join(folder))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    paths.sort();
    paths
}

pub(crate) fn relative(path: &Path) -> PathBuf {
    path.strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .expect("fixtures live in the crate")
        .to_path_buf()
}

pub(crate) fn report(path: &Path) -> FileReport {
    report_with(path, &options())
}

/// The options every snapshot uses: a fixed day, so that certificate expiry and
/// acceptances do not change with the calendar.
pub(crate) fn options() -> CheckOptions {
    CheckOptions {
        today: TODAY.parse().expect("a date"),
        ..CheckOptions::default()
    }
}

pub(crate) fn report_with(path: &Path, options: &CheckOptions) -> FileReport {
    let candidate = Candidate {
        path: relative(path),
        walked: false,
    };
    match check_file(&candidate, options) {
        Checked::Report(report) => *report,
        Checked::NotADesign(_) => unreachable!("a named file is always checked"),
    }
}

pub(crate) fn text(reports: &[FileReport]) -> String {
    infralint::reporters::text::render(reports, Style::PLAIN)
}

pub(crate) fn json(reports: &[FileReport]) -> String {
    infralint::reporters::json::render(reports)
}

/// A rule fixture under `tests/fixtures/CODE/`: its rule's code, and its report checked
/// with that rule alone (IL001, which judges the other rules' acceptances, with all of
/// them), on the snapshots' day.
pub(crate) fn rule_fixture(path: &Path) -> (String, FileReport) {
    let code = path
        .parent()
        .and_then(Path::file_name)
        .and_then(|n| n.to_str())
        .expect("a fixture in its rule's folder")
        .to_string();
    let mut options = options();
    if code != "IL001" {
        options.selection = infralint::rules::Selection {
            select: vec![code.clone()],
            ignore: Vec::new(),
        };
    }
    let report = report_with(path, &options);
    (code, report)
}

/// A consumer's program, when this machine has it: `None` (the test says SKIPPED and
/// why) where it is missing; under `CI=true` a missing one fails, since `.ci/run`
/// installs it (`how`).
pub(crate) fn consumer(program: &Path, how: &str) -> Option<PathBuf> {
    let found = if program.is_absolute() {
        program.is_file().then(|| program.to_path_buf())
    } else {
        std::env::var_os("PATH").and_then(|path| {
            std::env::split_paths(&path)
                .map(|dir| dir.join(program))
                .find(|p| p.is_file())
        })
    };
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI=true and no {}: .ci/run installs {how}",
            program.display()
        );
        eprintln!(
            "SKIPPED: no {} on this machine; {how} to run this check",
            program.display()
        );
    }
    found
}
