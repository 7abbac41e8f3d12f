//! pre-commit itself on a throw-away repository, with this repository's
//! `.pre-commit-hooks.yaml` and its `infralint-system` hook (the built binary on the
//! PATH): a design with errors fails the commit, a workflow and a file that `exclude`
//! leaves out are not checked as designs, and a clean design passes. The hooks are
//! served from a throw-away git repository holding the hooks file, tagged as the
//! release docs/ci.md names: a system hook reads nothing else of the repository, and the
//! test needs neither this checkout's history nor its tags (a clone may have none). The
//! `language: rust` hook builds infralint in pre-commit's cache (minutes): tried by hand,
//! docs/ci.md. `.ci/run` installs Debian's `pre-commit`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common;

fn git(dir: &Path, args: &[&str]) -> Output {
    let output = Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.name=infralint tests",
            "-c",
            "user.email=tests@invalid",
        ])
        .args(["-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false"])
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

/// The release docs/ci.md names as the hook's `rev`: this version, tagged.
fn release() -> String {
    format!("v{}", env!("CARGO_PKG_VERSION"))
}

pub(crate) fn the_system_hook_checks_designs_only() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let Some(pre_commit) = common::consumer(Path::new("pre-commit"), "Debian's `pre-commit`")
    else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let hooks = hook_repository(root, dir.path());
    let commit = String::from_utf8(git(&hooks, &["rev-parse", "HEAD"]).stdout).unwrap();
    hook_run(root, &pre_commit, &hooks, commit.trim());
    // The release the docs name, as a user's config names it.
    hook_run(root, &pre_commit, &hooks, &release());
}

/// The docs' `rev:` is this version's tag, and the changelog has this version's
/// entry. When this checkout has the tag, the tagged tree is this version and has both
/// hooks. (Tags travel apart from the branch: a clone without tags checks the rest.)
pub(crate) fn the_release_the_docs_name_is_this_version() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let release = release();
    for page in ["docs/ci.md", "README.md"] {
        let text = std::fs::read_to_string(root.join(page)).unwrap();
        assert!(
            text.contains(&format!("rev: {release}\n")),
            "{page} names {release}"
        );
    }
    let changelog = std::fs::read_to_string(root.join("CHANGELOG.md")).unwrap();
    assert!(
        changelog.contains(&format!("\n## [{}] - ", env!("CARGO_PKG_VERSION"))),
        "CHANGELOG.md has an entry for {release}"
    );
    if !root.join(".git").exists() {
        return;
    }
    let tagged = Command::new("git")
        .current_dir(root)
        .args(["rev-parse", "-q", "--verify"])
        .arg(format!("refs/tags/{release}^{{commit}}"))
        .output()
        .unwrap();
    if !tagged.status.success() {
        eprintln!("this checkout has no tag {release}: the tagged tree is not checked");
        return;
    }
    let show = |path: &str| git(root, &["show", &format!("{release}:{path}")]).stdout;
    let manifest = String::from_utf8(show("Cargo.toml")).unwrap();
    assert!(
        manifest.contains(&format!("\nversion = \"{}\"\n", env!("CARGO_PKG_VERSION"))),
        "the tagged Cargo.toml is version {}",
        env!("CARGO_PKG_VERSION")
    );
    let hooks = String::from_utf8(show(".pre-commit-hooks.yaml")).unwrap();
    for id in ["- id: infralint\n", "- id: infralint-system\n"] {
        assert!(hooks.contains(id), "{id}");
    }
}

/// A git repository under `dir` serving this repository's hooks file, committed and
/// tagged as the release.
fn hook_repository(root: &Path, dir: &Path) -> PathBuf {
    let hooks = dir.join("hooks");
    std::fs::create_dir(&hooks).unwrap();
    git(&hooks, &["init", "-q"]);
    std::fs::copy(
        root.join(".pre-commit-hooks.yaml"),
        hooks.join(".pre-commit-hooks.yaml"),
    )
    .unwrap();
    git(&hooks, &["add", "-A"]);
    git(&hooks, &["commit", "-q", "-m", "hooks"]);
    git(&hooks, &["tag", &release()]);
    hooks
}

/// pre-commit with the hooks repository at `rev` and its `infralint-system` hook.
fn hook_run(root: &Path, pre_commit: &Path, hooks: &Path, rev: &str) {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    std::fs::create_dir(&repo).unwrap();
    git(&repo, &["init", "-q"]);
    std::fs::write(
        repo.join(".pre-commit-config.yaml"),
        format!(
            "repos:\n  - repo: {}\n    rev: {}\n    hooks:\n      - id: infralint-system\n",
            hooks.display(),
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
