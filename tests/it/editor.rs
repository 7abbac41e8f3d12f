//! The editor's and the shell's commands, through the real binary: `init` writes starters
//! that check with no design error and never overwrites; `completions` and `man` are
//! generated for every shell.

use crate::common;
use std::path::Path;
use std::process::Output;

fn infralint(dir: &Path, args: &[&str]) -> Output {
    common::run_in(dir, args)
}

#[test]
fn every_starter_checks_without_a_design_error() {
    let dir = tempfile::tempdir().unwrap();
    for exercise in [None, Some("0"), Some("1"), Some("2"), Some("3")] {
        let file = format!("design-{}.yaml", exercise.unwrap_or("starter"));
        let mut args = vec!["init"];
        if let Some(n) = exercise {
            args.extend(["--exercise", n]);
        }
        args.push(&file);
        let written = infralint(dir.path(), &args);
        assert!(written.status.success(), "{file}: {written:?}");
        let checked = infralint(dir.path(), &["check", "--format", "json", &file]);
        assert_ne!(checked.status.code(), Some(2), "{file}: {checked:?}");
        let report: serde_json::Value = serde_json::from_slice(&checked.stdout).unwrap();
        let errors = &report["files"][0]["errors"];
        assert_eq!(errors, &serde_json::json!([]), "{file}");
        let text = std::fs::read_to_string(dir.path().join(&file)).unwrap();
        assert!(
            text.starts_with("# yaml-language-server: $schema="),
            "{file}"
        );
        if let Some(n) = exercise {
            // A skeleton names its exercise, and leaves the answers to the student.
            assert!(text.contains(&format!("exercise: {n}-")), "{file}");
            assert!(text.contains("TODO"), "{file}");
        }
    }
}

#[test]
fn init_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("design.yaml"), "mine").unwrap();
    let refused = infralint(dir.path(), &["init"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("never overwrites"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("design.yaml")).unwrap(),
        "mine"
    );
    #[cfg(unix)]
    {
        // Nor through a dangling symlink.
        std::os::unix::fs::symlink(
            dir.path().join("elsewhere.yaml"),
            dir.path().join("link.yaml"),
        )
        .unwrap();
        assert_eq!(
            infralint(dir.path(), &["init", "link.yaml"]).status.code(),
            Some(2)
        );
        assert!(!dir.path().join("elsewhere.yaml").exists());
    }
    // `-` prints it.
    let printed = infralint(dir.path(), &["init", "--exercise", "2", "-"]);
    assert!(printed.status.success());
    assert!(String::from_utf8_lossy(&printed.stdout).contains("exercise: 2-secured"));
    // No temporary file is left behind.
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["design.yaml", "link.yaml"]);
}

#[test]
fn completions_for_every_shell_and_a_man_page() {
    let dir = tempfile::tempdir().unwrap();
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef infralint"),
        ("fish", "complete -c infralint"),
        ("powershell", "Register-ArgumentCompleter"),
        ("elvish", "edit:completion"),
    ] {
        let out = infralint(dir.path(), &["completions", shell]);
        assert!(out.status.success(), "{shell}");
        let script = String::from_utf8(out.stdout).unwrap();
        assert!(script.contains(marker), "{shell}: no `{marker}`");
        for command in ["check", "diagram", "report", "lsp", "schema", "init"] {
            assert!(script.contains(command), "{shell}: no `{command}`");
        }
    }
    let out = infralint(dir.path(), &["man"]);
    assert!(out.status.success());
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(
        page.starts_with(".ie") || page.contains(".TH infralint"),
        "{}",
        &page[..200]
    );
    for command in ["check", "availability", "lsp", "completions"] {
        assert!(page.contains(command), "the page names `{command}`");
    }
    // One complete page: every option of check, how a run ends, the files it reads; no
    // pointer to a page per subcommand that nothing writes.
    for part in [
        "\\-\\-fail\\-on",
        "\\-\\-force\\-exclude",
        "EXIT STATUS",
        "infralint.toml",
        "NO_COLOR",
    ] {
        assert!(page.contains(part), "the page holds `{part}`");
    }
    assert!(!page.contains("infralint\\-check(1)") && !page.contains("infralint-check(1)"));
    // groff reads it without a warning, where groff is installed (CI installs it).
    let file = dir.path().join("infralint.1");
    std::fs::write(&file, &page).unwrap();
    match std::process::Command::new("groff")
        .args(["-ww", "-z", "-man"])
        .arg(&file)
        .output()
    {
        Ok(checked) => assert!(
            checked.status.success() && checked.stderr.is_empty(),
            "groff: {}",
            String::from_utf8_lossy(&checked.stderr)
        ),
        Err(_) if std::env::var_os("CI").is_some() => panic!("groff is missing under CI=true"),
        Err(_) => eprintln!("skipped: groff is not installed"),
    }
}
