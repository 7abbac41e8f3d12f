//! pre-commit itself on a throw-away repository, with this repository's
//! `.pre-commit-hooks.yaml` at HEAD and its `infralint-system` hook (the built binary
//! on the PATH): a design with errors fails the commit, a workflow and a file that
//! `exclude` leaves out are not checked as designs, and a clean design passes. The
//! `language: rust` hook builds infralint in pre-commit's cache (minutes): tried by
//! hand, docs/ci.md. `.ci/run` installs Debian's `pre-commit`.

use std::path::Path;
use std::process::{Command, Output};

use crate::common;

fn git(dir: &Path, args: &[&str]) -> Output {
    let output = Command::new("git")
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// The release docs/ci.md names as the hook's `rev`.
const RELEASE: &str = "v0.1.0";

#[test]
fn the_system_hook_checks_designs_only() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let Some(pre_commit) = common::consumer(Path::new("pre-commit"), "Debian's `pre-commit`")
    else {
        return;
    };
    if !root.join(".git").exists() {
        eprintln!("SKIPPED: not a git clone, so no revision for pre-commit to install");
        return;
    }
    let head = String::from_utf8(git(root, &["rev-parse", "HEAD"]).stdout).unwrap();
    hook_run(root, &pre_commit, head.trim());
    // The release the docs name, as a user's config names it.
    let docs = std::fs::read_to_string(root.join("docs/ci.md")).unwrap();
    assert!(
        docs.contains(&format!("rev: {RELEASE}")),
        "docs/ci.md names {RELEASE}"
    );
    hook_run(root, &pre_commit, RELEASE);
}

/// A tag `v0.1.0` in the repository, whose working tree, cloned, is that release:
/// its version, and the hooks docs/ci.md describes.
#[test]
fn the_release_the_docs_name_is_tagged() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    if !root.join(".git").exists() {
        eprintln!("SKIPPED: not a git clone");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let clone = dir.path().join("release");
    let output = Command::new("git")
        .args(["clone", "-q", "--branch", RELEASE])
        .arg(root)
        .arg(&clone)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "no tag {RELEASE} to clone (git tag {RELEASE} on the release commit): {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let manifest = std::fs::read_to_string(clone.join("Cargo.toml")).unwrap();
    assert!(
        manifest.contains(&format!("\nversion = \"{}\"\n", &RELEASE[1..])),
        "the tagged Cargo.toml is version {}",
        &RELEASE[1..]
    );
    let hooks = std::fs::read_to_string(clone.join(".pre-commit-hooks.yaml")).unwrap();
    for id in ["- id: infralint\n", "- id: infralint-system\n"] {
        assert!(hooks.contains(id), "{id}");
    }
    assert!(clone.join("src/main.rs").is_file() && clone.join("README.md").is_file());
}

/// pre-commit with this repository at `rev` and its `infralint-system` hook.
fn hook_run(root: &Path, pre_commit: &Path, rev: &str) {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    std::fs::create_dir(&repo).unwrap();
    git(&repo, &["init", "-q"]);
    std::fs::write(
        repo.join(".pre-commit-config.yaml"),
        format!(
            "repos:\n  - repo: {}\n    rev: {}\n    hooks:\n      - id: infralint-system\n",
            root.display(),
            rev
        ),
    )
    .unwrap();
    std::fs::create_dir_all(repo.join(".github/workflows")).unwrap();
    std::fs::write(
        repo.join(".github/workflows/ci.yml"),
        "on: push\njobs:\n  lint:\n    runs-on: ubuntu-latest\n    steps:\n      - run: infralint check designs/\n",
    )
    .unwrap();
    std::fs::create_dir_all(repo.join("designs/drafts")).unwrap();
    std::fs::write(
        repo.join("infralint.toml"),
        "exclude = [\"designs/drafts/**\"]\n",
    )
    .unwrap();
    std::fs::write(
        repo.join("designs/drafts/wip.yaml"),
        "name: wip\nservers:\n  a: { compnents: [] }\n",
    )
    .unwrap();
    std::fs::copy(
        root.join("designs/0-simple_web_stack.yaml"),
        repo.join("designs/site.yaml"),
    )
    .unwrap();
    let binaries = Path::new(env!("CARGO_BIN_EXE_infralint")).parent().unwrap();
    let path = std::env::join_paths(std::iter::once(binaries.to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    let run = || {
        git(&repo, &["add", "-A"]);
        let output = Command::new(pre_commit)
            .current_dir(&repo)
            .args(["run", "--all-files", "--color", "never"])
            .env("PATH", &path)
            .env("PRE_COMMIT_HOME", dir.path().join("cache"))
            .env_remove("CI")
            .output()
            .unwrap();
        let said = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        (output.status.code(), said)
    };
    let (code, said) = run();
    assert_eq!(code, Some(1), "{rev}: {said}");
    assert!(
        said.contains("designs/site.yaml") && said.contains("AV001"),
        "{said}"
    );
    for not_a_design in [
        "ci.yml",
        "wip.yaml",
        ".pre-commit-config.yaml",
        "E201",
        "E203",
    ] {
        assert!(!said.contains(not_a_design), "{not_a_design}: {said}");
    }
    std::fs::copy(
        root.join("tests/fixtures/clean/well_built.yaml"),
        repo.join("designs/site.yaml"),
    )
    .unwrap();
    let (code, said) = run();
    assert_eq!(code, Some(0), "{rev}: {said}");
    assert!(said.contains("Passed"), "{said}");
}
