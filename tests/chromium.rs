//! Seen in a real browser: every shipped design's diagram is opened in headless Chromium,
//! with the shipped font, and `getBBox` confirms that every text fits inside its box.
//! Our own test of the same property uses our font metrics; this one does not.
//!
//! Under `CI=true` the check is mandatory (`.ci/run` installs Debian's `chromium`);
//! elsewhere, without Chromium, it says that it was skipped.

mod common;

use std::path::PathBuf;
use std::process::Command;

const MEASURE: &str = r#"
<script>
document.fonts.ready.then(() => {
  const overflow = [];
  let checked = 0;
  for (const shape of document.querySelectorAll("g.shape")) {
    const box = shape.querySelector("rect").getBBox();
    for (const text of shape.querySelectorAll("text")) {
      const b = text.getBBox();
      checked += 1;
      if (b.x < box.x - 0.5 || b.x + b.width > box.x + box.width + 0.5) {
        overflow.push(`${shape.dataset.name}: "${text.textContent}" is ${b.width.toFixed(1)} px wide at ${b.x.toFixed(1)}, the box spans ${box.x.toFixed(1)} to ${(box.x + box.width).toFixed(1)}`);
      }
    }
  }
  const font = document.fonts.check("12px 'DejaVu Sans'");
  document.body.setAttribute("data-result", JSON.stringify({ checked, overflow, font }));
});
</script>
"#;

fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|c| {
            Command::new(c)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
}

/// Headless Chromium on a page, with `extra` switches.
fn run_chromium(browser: &str, file: &std::path::Path, extra: &[&str]) -> std::process::Output {
    let profile = tempfile::tempdir().unwrap();
    Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .args(extra)
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("file://{}", file.display()))
        .output()
        .expect("Chromium runs")
}

/// Headless Chromium's DOM of a page after its scripts ran (or were refused).
fn dump_dom(browser: &str, file: &std::path::Path) -> String {
    let output = run_chromium(browser, file, &["--virtual-time-budget=5000", "--dump-dom"]);
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A page's policy admitting one more script, the test's own probe, by its hash: the
/// page is otherwise what infralint wrote.
fn admit_probe(page: &str, script_body: &str) -> String {
    use base64::Engine;
    use sha2::Digest;
    let hash = base64::engine::general_purpose::STANDARD
        .encode(sha2::Sha256::digest(script_body.as_bytes()));
    assert!(
        page.contains("script-src 'none'"),
        "the page forbids scripts"
    );
    page.replace("script-src 'none'", &format!("script-src 'sha256-{hash}'"))
        .replace("</body>", &format!("<script>{script_body}</script></body>"))
}

#[test]
fn labels_fit_their_boxes_in_chromium() {
    let Some(browser) = chromium() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI=true and no Chromium: .ci/run installs Debian's `chromium`"
        );
        eprintln!(
            "SKIPPED: no Chromium on this machine; install Debian's `chromium` to run this check"
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("DejaVuSans.ttf"),
        infralint::diagram::font::FONT,
    )
    .unwrap();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut designs: Vec<PathBuf> = std::fs::read_dir(root.join("designs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    designs.sort();
    designs.push(root.join("tests/fixtures/diagram/twenty_four_servers.yaml"));
    for design in designs {
        let report = common::report(&design);
        let picture =
            infralint::diagram::build(report.design.as_ref().unwrap(), Some(&report.findings));
        let svg = infralint::render::svg::render(&picture);
        let page = dir.path().join("page.html");
        std::fs::write(
            &page,
            format!(
                "<!doctype html><html><head><style>@font-face {{ font-family: 'DejaVu Sans'; src: url('DejaVuSans.ttf'); }}</style></head><body>{svg}{MEASURE}</body></html>"
            ),
        )
        .unwrap();
        let output = run_chromium(
            browser,
            &page,
            &[
                "--allow-file-access-from-files",
                "--virtual-time-budget=10000",
                "--dump-dom",
            ],
        );
        let dom = String::from_utf8_lossy(&output.stdout);
        let result = dom
            .split("data-result=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap_or_else(|| {
                panic!(
                    "{}: Chromium gave no result: {}",
                    design.display(),
                    String::from_utf8_lossy(&output.stderr)
                )
            })
            .replace("&quot;", "\"")
            .replace("&amp;", "&");
        let result: serde_json::Value = serde_json::from_str(&result).unwrap();
        assert_eq!(
            result["font"],
            true,
            "{}: Chromium did not load the shipped font",
            design.display()
        );
        assert!(
            result["checked"].as_u64().unwrap() > 5,
            "{}: {result}",
            design.display()
        );
        assert_eq!(
            result["overflow"],
            serde_json::json!([]),
            "{}",
            design.display()
        );
        eprintln!(
            "{}: {} texts fit their boxes in Chromium",
            design.display(),
            result["checked"]
        );
    }
}

#[test]
fn a_report_page_shows_its_diagram_in_chromium() {
    let Some(browser) = chromium() else {
        assert!(std::env::var_os("CI").is_none(), "CI=true and no Chromium");
        eprintln!("SKIPPED: no Chromium on this machine");
        return;
    };
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let report =
        common::report(&root.join("designs/2-secured_and_monitored_web_infrastructure.yaml"));
    let design = report.design.as_ref().unwrap();
    let profile =
        infralint::profile::builtin("2-secured_and_monitored_web_infrastructure").unwrap();
    let markdown = infralint::report::markdown(&infralint::report::Input {
        design,
        findings: &report.findings,
        profile: Some(&profile),
        diagram: None,
    });
    let svg =
        infralint::render::svg::render(&infralint::diagram::build(design, Some(&report.findings)));
    let page = infralint::render::html::page(&design.name.value, &markdown, Some(&svg));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.html");
    let probe = "addEventListener('load', () => { const r = document.querySelector('figure svg').getBoundingClientRect(); \
                 const shapes = document.querySelectorAll('figure g.shape').length; \
                 document.body.setAttribute('data-result', JSON.stringify({ width: r.width, height: r.height, shapes })); });";
    std::fs::write(&file, admit_probe(&page, probe)).unwrap();
    let dom = dump_dom(browser, &file);
    let result = dom
        .split("data-result=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("the page reported");
    let result: serde_json::Value = serde_json::from_str(&result.replace("&quot;", "\"")).unwrap();
    assert!(result["width"].as_f64().unwrap() > 300.0, "{result}");
    assert!(result["height"].as_f64().unwrap() > 300.0, "{result}");
    assert!(result["shapes"].as_u64().unwrap() >= 5, "{result}");
    let shot = dir.path().join("report.png");
    let screenshot = format!("--screenshot={}", shot.display());
    run_chromium(
        browser,
        &file,
        &["--window-size=1200,1600", "--hide-scrollbars", &screenshot],
    );
    let png = std::fs::read(&shot).expect("Chromium took a screenshot");
    assert!(
        png.starts_with(b"\x89PNG") && png.len() > 20_000,
        "a real picture, not a blank page"
    );
    eprintln!(
        "the report page shows its diagram at {}x{} px",
        result["width"], result["height"]
    );
}

/// Teachers open the pages of a whole class: a design full of markup, and a design file
/// named like a `javascript:` URL, must not run anything or add any element. Every page
/// is loaded twice: as written (with its Content-Security-Policy), and with the policy
/// removed, so that escaping alone is shown to hold as well.
#[test]
fn no_script_from_a_hostile_design_runs_in_chromium() {
    let Some(browser) = chromium() else {
        assert!(std::env::var_os("CI").is_none(), "CI=true and no Chromium");
        eprintln!("SKIPPED: no Chromium on this machine");
        return;
    };
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let class = tempfile::tempdir().unwrap();
    let hostile = std::fs::read(root.join("tests/fixtures/hostile/report_text.yaml")).unwrap();
    std::fs::write(
        class
            .path()
            .join("javascript:document.documentElement.dataset.pwned='file'.yaml"),
        &hostile,
    )
    .unwrap();
    std::fs::write(class.path().join("hostile.yaml"), &hostile).unwrap();
    let site = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_infralint"))
        .args(["report", "--quiet", "--today", "2026-11-23"])
        .arg(class.path())
        .arg("-o")
        .arg(site.path())
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut pages: Vec<PathBuf> = std::fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    pages.sort();
    assert_eq!(pages.len(), 3, "two reports and the index: {pages:?}");
    // Counted by the browser, from the DOM it built.
    let probe = "addEventListener('load', () => { \
        const all = [...document.querySelectorAll('*')]; \
        const attrs = e => [...e.attributes]; \
        const count = t => document.getElementsByTagName(t).length; \
        document.documentElement.setAttribute('data-result', JSON.stringify({ \
          pwned: document.documentElement.dataset.pwned || null, \
          handlers: all.filter(e => attrs(e).some(a => a.name.startsWith('on'))).length, \
          javascript: all.filter(e => attrs(e).some(a => /^\\s*javascript:/i.test(a.value))).length, \
          scripts: document.scripts.length, iframes: count('iframe'), images: count('img'), \
          styles: count('style'), title: document.title })); });";
    for page in &pages {
        let written = std::fs::read_to_string(page).unwrap();
        let policy_start = written
            .find("<meta http-equiv=\"Content-Security-Policy\"")
            .expect("a policy");
        let policy_end = policy_start + written[policy_start..].find('>').unwrap() + 1;
        let without_policy = format!("{}{}", &written[..policy_start], &written[policy_end..])
            .replace("</body>", &format!("<script>{probe}</script></body>"));
        for (what, text) in [
            ("as written", admit_probe(&written, probe)),
            ("without its policy", without_policy),
        ] {
            let file = site.path().join("probe.html");
            std::fs::write(&file, text).unwrap();
            let dom = dump_dom(browser, &file);
            let place = format!("{} {what}", page.display());
            let result = dom
                .split("data-result=\"")
                .nth(1)
                .and_then(|r| r.split('"').next())
                .unwrap_or_else(|| panic!("{place}: the probe did not report"))
                .replace("&quot;", "\"")
                .replace("&amp;", "&");
            let result: serde_json::Value = serde_json::from_str(&result).unwrap();
            assert_eq!(
                result["pwned"],
                serde_json::Value::Null,
                "{place}: a script from the design ran: {result}"
            );
            assert_eq!(
                result["handlers"], 0,
                "{place}: an event handler was injected: {result}"
            );
            assert_eq!(
                result["javascript"], 0,
                "{place}: a javascript: URL was injected: {result}"
            );
            assert_eq!(
                result["scripts"], 1,
                "{place}: only the probe is a script: {result}"
            );
            assert_eq!(result["iframes"], 0, "{place}: {result}");
            assert_eq!(result["images"], 0, "{place}: {result}");
            assert_eq!(
                result["styles"], 1,
                "{place}: only our stylesheet: {result}"
            );
            if !page.ends_with("index.html") {
                // The name is shown, literally, as text.
                let title = result["title"]
                    .as_str()
                    .unwrap()
                    .replace("&lt;", "<")
                    .replace("&gt;", ">");
                assert_eq!(
                    title,
                    "<script>document.documentElement.dataset.pwned='name';alert(1)</script>Shop",
                    "{place}"
                );
            }
        }
        eprintln!("{}: no script ran, nothing was injected", page.display());
    }
}
