//! `check --fix`, `--diff` and `--unsafe-fixes` on the real binary. Each design under
//! `tests/fixtures/fix/` is fixed in a copy: the snapshot holds what `--diff` shows, what
//! `--fix` says, the fixed text and what is left, with the safe fixes and then with the
//! unsafe ones too. Fixing twice changes nothing the second time.

use std::path::Path;

use crate::common;

/// Runs `args` with `--today` on a copy of `design` named `design.yaml` in a fresh
/// folder: the folder, and the output.
fn in_copy(design: &Path, args: &[&str]) -> (tempfile::TempDir, std::process::Output) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::copy(design, dir.path().join("design.yaml")).expect("the fixture copies");
    let mut all = vec!["check", "--today", common::TODAY, "--format", "compact"];
    all.extend_from_slice(args);
    all.push("design.yaml");
    let output = common::run_in(dir.path(), &all);
    (dir, output)
}

fn shown(output: &std::process::Output) -> String {
    format!(
        "exit {}\n--- stdout\n{}--- stderr\n{}",
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn fixes_before_and_after() {
    insta::glob!("../fixtures", "fix/*.yaml", |path| {
        for (name, extra) in [("safe", &[][..]), ("unsafe", &["--unsafe-fixes"][..])] {
            let (_, diff) = in_copy(path, &[&["--diff"], extra].concat());
            let (dir, fixed) = in_copy(path, &[&["--fix"], extra].concat());
            let text = std::fs::read_to_string(dir.path().join("design.yaml")).unwrap();
            // The second run finds nothing more to fix, and says so.
            let again = common::run_in(
                dir.path(),
                &[
                    &["check", "--today", common::TODAY, "--diff"],
                    extra,
                    &["design.yaml"],
                ]
                .concat(),
            );
            assert_eq!(
                (again.status.code(), again.stdout.as_slice()),
                (Some(0), &b""[..]),
                "{}: fixing twice changed more: {}",
                path.display(),
                String::from_utf8_lossy(&again.stdout)
            );
            insta::assert_snapshot!(
                name,
                format!(
                    "# check --diff\n{}\n# check --fix\n{}\n# the design after --fix\n{text}",
                    shown(&diff),
                    shown(&fixed)
                )
            );
        }
    });
}

/// An edit inside text that an alias repeats would change every place that repeats it:
/// the anchored `http` stays, though the balancer holds a certificate for the host.
#[test]
fn no_fix_inside_an_anchor_or_a_merged_mapping() {
    let design = "name: Anchors
domain: foobar.com
dns:
  records: [{ name: www, type: A, value: 8.8.8.8 }]
servers:
  lb-01:
    ip: 8.8.8.8
    components:
      - { kind: load_balancer, certificate: { domains: [www.foobar.com], expires: 2027-06-30 } }
  web-01: { ip: 10.0.0.2, components: [{ kind: web_server }] }
flows:
  - &plain { from: user, to: www.foobar.com, protocol: http }
  - { <<: *plain, from: lb-01, to: web-01 }
";
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("design.yaml"), design).unwrap();
    let output = common::run_in(
        dir.path(),
        &["check", "--today", common::TODAY, "--fix", "design.yaml"],
    );
    let after = std::fs::read_to_string(dir.path().join("design.yaml")).unwrap();
    assert_eq!(after, design, "{}", shown(&output));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("fixed 0 findings in 0 files"),
        "{}",
        shown(&output)
    );
}

/// A fixed design keeps its byte-order mark, its permissions, and the file a symlink
/// points at is the one written.
#[cfg(unix)]
#[test]
fn fixing_keeps_the_file_what_it_was() {
    use std::os::unix::fs::PermissionsExt;
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fix/cname.yaml");
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.yaml");
    let mut text = "\u{feff}".as_bytes().to_vec();
    text.extend(std::fs::read(&fixture).unwrap());
    std::fs::write(&real, &text).unwrap();
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).unwrap();
    std::os::unix::fs::symlink("real.yaml", dir.path().join("link.yaml")).unwrap();
    let output = common::run_in(
        dir.path(),
        &["check", "--today", common::TODAY, "--fix", "link.yaml"],
    );
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("fixed 2 findings in 1 file"),
        "{}",
        shown(&output)
    );
    let link = std::fs::symlink_metadata(dir.path().join("link.yaml")).unwrap();
    assert!(link.file_type().is_symlink(), "the link is still a link");
    let after = std::fs::read(&real).unwrap();
    assert!(after.starts_with("\u{feff}".as_bytes()), "the mark is kept");
    assert!(String::from_utf8_lossy(&after).contains("type: AAAA"));
    let mode = std::fs::metadata(&real).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(left.len(), 2, "no temporary file is left behind");
}

#[test]
fn unsafe_fixes_need_fix_or_diff() {
    let output = common::run(&["check", "--unsafe-fixes", "designs/"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--unsafe-fixes"));
}
