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
        let profile = tempfile::tempdir().unwrap();
        let output = Command::new(browser)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--allow-file-access-from-files",
                "--virtual-time-budget=10000",
                "--dump-dom",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg(format!("file://{}", page.display()))
            .output()
            .expect("Chromium runs");
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
    let probe = "<script>addEventListener('load', () => { const r = document.querySelector('figure svg').getBoundingClientRect(); \
                 const shapes = document.querySelectorAll('figure g.shape').length; \
                 document.body.setAttribute('data-result', JSON.stringify({ width: r.width, height: r.height, shapes })); });</script>";
    std::fs::write(&file, page.replace("</body>", &format!("{probe}</body>"))).unwrap();
    let run = |extra: &[String]| {
        let profile = tempfile::tempdir().unwrap();
        Command::new(browser)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
            ])
            .args([
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .args(extra)
            .arg(format!("file://{}", file.display()))
            .output()
            .expect("Chromium runs")
    };
    let dom = run(&[
        "--virtual-time-budget=5000".to_string(),
        "--dump-dom".to_string(),
    ]);
    let dom = String::from_utf8_lossy(&dom.stdout);
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
    run(&[
        "--window-size=1200,1600".to_string(),
        "--hide-scrollbars".to_string(),
        format!("--screenshot={}", shot.display()),
    ]);
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
