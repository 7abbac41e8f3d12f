//! Outputs never destroy anything: `-o` through a symlink writes its target, a FIFO or a
//! device is refused, an input is never overwritten, and designs of one name in a class
//! get one output each. The real binary, in a temporary folder.

use crate::common;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const DESIGN: &str = "designs/1-distributed_web_infrastructure.yaml";

/// Every run on the tests' day.
fn run(dir: &Path, args: &[&str]) -> Output {
    common::command(dir)
        .args(args)
        .args(["--today", common::TODAY])
        .output()
        .expect("the binary runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A class folder: the same design under several names that would meet.
fn class(dir: &Path, files: &[&str]) -> PathBuf {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(DESIGN)).unwrap();
    let class = dir.join("class");
    for (i, file) in files.iter().enumerate() {
        let path = class.join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        // Each copy says who wrote it, so that pages can be told apart.
        std::fs::write(
            &path,
            text.replace(
                "author: infralint examples",
                &format!("author: student {i}"),
            ),
        )
        .unwrap();
    }
    class
}

fn listing(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(
                    path.strip_prefix(dir)
                        .unwrap()
                        .to_string_lossy()
                        .into_owned(),
                );
            }
        }
    }
    out.sort();
    out
}

#[test]
fn designs_of_one_name_get_one_page_each() {
    let dir = tempfile::tempdir().unwrap();
    let class = class(
        dir.path(),
        &[
            "alice/design.yaml",
            "bob/design.yaml",
            "index.yaml",
            "x.yaml",
            "x.yml",
        ],
    );
    let output = run(dir.path(), &["report", "--quiet", "class", "-o", "site"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        listing(&dir.path().join("site")),
        [
            "alice/design.html",
            "alice/design.svg",
            "bob/design.html",
            "bob/design.svg",
            "index.csv",
            "index.html",
            "index.yaml.html",
            "index.yaml.svg",
            "x.yaml.html",
            "x.yaml.svg",
            "x.yml.html",
            "x.yml.svg"
        ]
    );
    let index = std::fs::read_to_string(dir.path().join("site/index.html")).unwrap();
    for page in [
        "./alice/design.html",
        "./bob/design.html",
        "./index.yaml.html",
        "./x.yaml.html",
        "./x.yml.html",
    ] {
        assert_eq!(
            index.matches(&format!("href=\"{page}\"")).count(),
            1,
            "{page}: {index}"
        );
    }
    let alice = std::fs::read_to_string(dir.path().join("site/alice/design.html")).unwrap();
    let bob = std::fs::read_to_string(dir.path().join("site/bob/design.html")).unwrap();
    assert!(
        alice.contains("student 0") && bob.contains("student 1"),
        "each page is its own design's"
    );
    // The same names for diagrams, beside each design when there is no -o.
    let output = run(dir.path(), &["diagram", "class"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let pictures: Vec<String> = listing(&class)
        .into_iter()
        .filter(|p| p.ends_with(".svg"))
        .collect();
    assert_eq!(
        pictures,
        [
            "alice/design.svg",
            "bob/design.svg",
            "index.svg",
            "x.yaml.svg",
            "x.yml.svg"
        ]
    );
}

/// Issue 23, case 10: a design past the analysis' budgets beside a good one; each gets
/// its page (the hard one's availability sampled, and said), and the index lists both.
#[test]
fn a_design_past_the_budgets_never_costs_the_class_its_pages() {
    let dir = tempfile::tempdir().unwrap();
    let class = dir.path().join("class");
    std::fs::create_dir(&class).unwrap();
    std::fs::write(class.join("hard.yaml"), crate::budgets::zones_at_random()).unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("designs/0-simple_web_stack.yaml"),
        class.join("simple.yaml"),
    )
    .unwrap();
    let output = run(dir.path(), &["report", "--quiet", "class", "-o", "site"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        listing(&dir.path().join("site")),
        [
            "hard.html",
            "hard.svg",
            "index.csv",
            "index.html",
            "simple.html",
            "simple.svg"
        ]
    );
    let hard = std::fs::read_to_string(dir.path().join("site/hard.html")).unwrap();
    assert!(
        hard.contains("Monte Carlo"),
        "the page says how it was measured"
    );
    let index = std::fs::read_to_string(dir.path().join("site/index.html")).unwrap();
    assert!(index.contains("./hard.html") && index.contains("./simple.html"));
}

#[test]
fn an_input_is_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let class = class(dir.path(), &["a.yaml"]);
    let design = class.join("a.yaml");
    let before = std::fs::read(&design).unwrap();
    for command in ["report", "diagram"] {
        let output = run(dir.path(), &[command, "class/a.yaml", "-o", "class/a.yaml"]);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{command}: {}",
            stderr(&output)
        );
        assert!(
            stderr(&output).contains("refusing to overwrite an input"),
            "{}",
            stderr(&output)
        );
        assert_eq!(
            std::fs::read(&design).unwrap(),
            before,
            "{command} kept the design"
        );
    }
    // Nor through a symlink to it.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("class/a.yaml", dir.path().join("out.md")).unwrap();
        let output = run(dir.path(), &["report", "class/a.yaml", "-o", "out.md"]);
        assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
        assert_eq!(std::fs::read(&design).unwrap(), before);
    }
}

#[cfg(unix)]
#[test]
fn a_symlink_is_written_through_and_a_fifo_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    class(dir.path(), &["a.yaml"]);
    std::os::unix::fs::symlink("real.svg", dir.path().join("link.svg")).unwrap();
    let output = run(dir.path(), &["diagram", "class/a.yaml", "-o", "link.svg"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let link = std::fs::symlink_metadata(dir.path().join("link.svg")).unwrap();
    assert!(link.file_type().is_symlink(), "the link is still a link");
    assert!(
        std::fs::read_to_string(dir.path().join("real.svg"))
            .unwrap()
            .starts_with("<svg")
    );

    let fifo = dir.path().join("fifo");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    for command in ["diagram", "report"] {
        let output = run(dir.path(), &[command, "class/a.yaml", "-o", "fifo"]);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{command}: {}",
            stderr(&output)
        );
        assert!(
            stderr(&output).contains("not a regular file"),
            "{}",
            stderr(&output)
        );
        use std::os::unix::fs::FileTypeExt;
        assert!(
            std::fs::symlink_metadata(&fifo)
                .unwrap()
                .file_type()
                .is_fifo(),
            "{command} kept the FIFO"
        );
    }
}

#[test]
fn dash_is_standard_output() {
    let dir = tempfile::tempdir().unwrap();
    class(dir.path(), &["a.yaml"]);
    let output = run(dir.path(), &["diagram", "class/a.yaml", "-o", "-"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(output.stdout.starts_with(b"<svg"));
    assert!(!dir.path().join("-").exists(), "no file named -");
    let output = run(dir.path(), &["report", "class/a.yaml", "-o", "-"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        String::from_utf8_lossy(&output.stdout).starts_with("# Distributed web infrastructure")
    );
    assert_eq!(
        listing(dir.path()),
        ["class/a.yaml"],
        "nothing written but to stdout"
    );
}

/// SIGINT and SIGTERM in the middle of a write leave neither the temporary file nor a
/// half-written output, and the run exits with 130. The binary is held between writing
/// its temporary file and renaming it (a variable only this test sets), so the signal
/// lands at that moment every time.
#[cfg(unix)]
#[test]
fn an_interrupted_write_leaves_nothing_behind() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;

    for signal in ["INT", "TERM"] {
        let dir = tempfile::tempdir().unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_infralint"))
            .args(["report", DESIGN, "-o"])
            .arg(dir.path().join("out/report.html"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("INFRALINT_TEST_HOLD_BEFORE_RENAME", "1")
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary runs");
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        let mut line = String::new();
        stderr.read_line(&mut line).unwrap();
        let temporary = PathBuf::from(
            line.trim_end()
                .strip_prefix("holding ")
                .unwrap_or_else(|| panic!("expected the hold, got {line:?}")),
        );
        assert!(temporary.is_file(), "the temporary file is being written");
        assert!(
            temporary.starts_with(dir.path().join("out")),
            "{temporary:?}"
        );
        let killed = Command::new("kill")
            .args([&format!("-{signal}"), &child.id().to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        let status = child.wait().unwrap();
        let mut rest = String::new();
        std::io::Read::read_to_string(&mut stderr, &mut rest).unwrap();
        assert_eq!(status.code(), Some(130), "SIG{signal}: {rest}");
        assert!(
            rest.contains("interrupted: no file was left half-written"),
            "{rest}"
        );
        assert!(!temporary.exists(), "SIG{signal} left {temporary:?}");
        assert_eq!(
            listing(&dir.path().join("out")),
            Vec::<String>::new(),
            "SIG{signal}"
        );
    }
}
