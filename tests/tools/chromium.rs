//! Seen in a real browser: every shipped design's diagram is opened in headless Chromium,
//! with the shipped font, and `getBBox` confirms that every text fits inside its box.
//! Our own test of the same property uses our font metrics; this one does not.
//!
//! Under `CI=true` the check is mandatory (`.ci/run` installs Debian's `chromium`);
//! elsewhere, without Chromium, it says that it was skipped.

use crate::common;

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
    let admitted = if page.contains("script-src 'none'") {
        page.replace("script-src 'none'", &format!("script-src 'sha256-{hash}'"))
    } else {
        assert!(page.contains("script-src 'sha256-"), "scripts only by hash");
        page.replacen("script-src ", &format!("script-src 'sha256-{hash}' "), 1)
    };
    admitted.replace("</body>", &format!("<script>{script_body}</script></body>"))
}

pub(crate) fn labels_fit_their_boxes_in_chromium() {
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
        let svg = infralint::pictures::svg::render(&picture);
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

pub(crate) fn a_report_page_shows_its_diagram_in_chromium() {
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
        profile: Some(profile),
        diagram: None,
    });
    let svg = infralint::pictures::svg::render(&infralint::diagram::build(
        design,
        Some(&report.findings),
    ));
    let page = infralint::pages::html::page(&design.name.value, &markdown, Some(&svg), None);
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
pub(crate) fn no_script_from_a_hostile_design_runs_in_chromium() {
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
        .args(["report", "--quiet", "--today", common::TODAY])
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
          scripts: [...document.scripts].filter(s => s.type !== 'application/json').length, iframes: count('iframe'), images: count('img'), \
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
            // The probe, and on a report page its own what-if script.
            let own = if page.ends_with("index.html") { 1 } else { 2 };
            assert_eq!(
                result["scripts"], own,
                "{place}: no script but the probe and ours: {result}"
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

/// A DevTools-protocol session with headless Chromium on one page, over its WebSocket
/// (loopback only).
struct DevTools {
    child: std::process::Child,
    socket: tungstenite::WebSocket<tungstenite::stream::MaybeTlsStream<std::net::TcpStream>>,
    session: String,
    next: u64,
    _profile: tempfile::TempDir,
}

impl DevTools {
    fn open(browser: &str, page: &std::path::Path) -> DevTools {
        use std::io::BufRead;
        let profile = tempfile::tempdir().unwrap();
        let mut child = Command::new(browser)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0",
                "--window-size=1200,1600",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg(format!("file://{}", page.display()))
            .stderr(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("Chromium starts");
        let stderr = child.stderr.take().unwrap();
        let url = std::io::BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
            .find_map(|line| {
                line.strip_prefix("DevTools listening on ")
                    .map(str::to_string)
            })
            .expect("Chromium says where DevTools listens");
        let (socket, _) = tungstenite::connect(url.as_str()).expect("the DevTools socket opens");
        let mut tools = DevTools {
            child,
            socket,
            session: String::new(),
            next: 0,
            _profile: profile,
        };
        let targets = tools.call("Target.getTargets", serde_json::json!({}));
        let page = targets["targetInfos"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["type"] == "page")
            .expect("a page")["targetId"]
            .clone();
        let attached = tools.call(
            "Target.attachToTarget",
            serde_json::json!({ "targetId": page, "flatten": true }),
        );
        tools.session = attached["sessionId"].as_str().unwrap().to_string();
        tools
    }

    /// Waits (up to 10 s) until `condition` holds in the page.
    fn wait_for(&mut self, condition: &str) {
        for _ in 0..200 {
            if self.evaluate(condition) == true {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        panic!("the page never met `{condition}`");
    }

    /// Sends a command and waits for its answer (events in between are skipped).
    fn call(&mut self, method: &str, params: serde_json::Value) -> serde_json::Value {
        self.next += 1;
        let mut message =
            serde_json::json!({ "id": self.next, "method": method, "params": params });
        if !self.session.is_empty() {
            message["sessionId"] = serde_json::Value::String(self.session.clone());
        }
        self.socket
            .send(tungstenite::Message::text(message.to_string()))
            .unwrap();
        loop {
            let reply = self.socket.read().expect("an answer");
            let Ok(text) = reply.to_text() else { continue };
            let value: serde_json::Value = serde_json::from_str(text).unwrap();
            if value["id"] == self.next {
                assert!(value["error"].is_null(), "{method}: {value}");
                return value["result"].clone();
            }
        }
    }

    fn evaluate(&mut self, expression: &str) -> serde_json::Value {
        let result = self.call(
            "Runtime.evaluate",
            serde_json::json!({ "expression": expression, "returnByValue": true }),
        );
        result["result"]["value"].clone()
    }

    /// With `INFRALINT_SCREENSHOT=FILE`, a PNG of the window after `scroll` (a script),
    /// to look at.
    fn screenshot_if_asked(&mut self, scroll: &str) {
        use base64::Engine;
        let Some(file) = std::env::var_os("INFRALINT_SCREENSHOT") else {
            return;
        };
        self.evaluate(scroll);
        let shot = self.call(
            "Page.captureScreenshot",
            serde_json::json!({ "format": "png" }),
        );
        let png = base64::engine::general_purpose::STANDARD
            .decode(shot["data"].as_str().unwrap())
            .unwrap();
        std::fs::write(file, png).unwrap();
    }

    /// A real click (mouse pressed and released through Chromium's input) in the middle
    /// of the diagram's box of `server`.
    fn click_server(&mut self, server: &str) {
        let rect = self.evaluate(&format!(
            "(() => {{ const g = [...document.querySelectorAll('figure.diagram g.shape')].find(g => g.dataset.name === '{server}'); \
             g.scrollIntoView({{ block: 'center', inline: 'center' }}); const r = g.querySelector('rect').getBoundingClientRect(); \
             return {{ x: r.x + r.width / 2, y: r.y + r.height / 2 }}; }})()"
        ));
        for kind in ["mousePressed", "mouseReleased"] {
            self.call(
                "Input.dispatchMouseEvent",
                serde_json::json!({ "type": kind, "x": rect["x"], "y": rect["y"], "button": "left", "clickCount": 1 }),
            );
        }
    }
}

impl Drop for DevTools {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Writes the HTML report of a shipped design and opens it, its script run.
fn open_report(browser: &str, design: &str) -> (tempfile::TempDir, DevTools) {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("report.html");
    let output = Command::new(env!("CARGO_BIN_EXE_infralint"))
        .args([
            "report",
            "--html",
            "--quiet",
            "--today",
            common::TODAY,
            design,
            "-o",
        ])
        .arg(&page)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut tools = DevTools::open(browser, &page);
    tools.wait_for(
        "document.readyState === 'complete' && document.getElementById('what-if') !== null",
    );
    (dir, tools)
}

/// The report page's diagram is interactive: clicking `lb-01` in design 1 fails it and
/// the page says that no request completes; clicking again brings it back; failing
/// `web-01` (which holds the primary database) leaves requests, stops writes. Driven
/// through the DevTools protocol with real mouse events, under the page's own policy.
pub(crate) fn a_server_fails_by_clicking_in_the_report_page() {
    let Some(browser) = chromium() else {
        assert!(std::env::var_os("CI").is_none(), "CI=true and no Chromium");
        eprintln!("SKIPPED: no Chromium on this machine");
        return;
    };
    let (_dir, mut tools) = open_report(browser, "designs/1-distributed_web_infrastructure.yaml");
    let verdict = |tools: &mut DevTools| {
        tools
            .evaluate("document.getElementById('what-if').textContent")
            .as_str()
            .unwrap()
            .to_string()
    };
    assert!(
        verdict(&mut tools).starts_with("Click a server"),
        "the page's script ran: {}",
        verdict(&mut tools)
    );
    tools.click_server("lb-01");
    assert_eq!(
        verdict(&mut tools),
        "With lb-01 failed: no request completes; no write completes."
    );
    // INFRALINT_SCREENSHOT=FILE: keep a picture of the page with lb-01 failed.
    tools.screenshot_if_asked("document.querySelector('figure.diagram').scrollIntoView()");
    assert_eq!(
        tools.evaluate("document.querySelector('g.shape.failed').dataset.name"),
        "lb-01"
    );
    tools.click_server("lb-01");
    assert!(
        verdict(&mut tools).contains("every server is up; requests complete, writes complete.")
    );
    tools.click_server("web-01");
    assert_eq!(
        verdict(&mut tools),
        "With web-01 failed: requests still complete; no write completes."
    );
    eprintln!(
        "clicking lb-01 and web-01 in the report page of design 1 fails them, as the page says"
    );
}

/// With request classes and workers, the page names the first class and judges every
/// other outcome: failing the three Redis nodes of the GitLab design stops web
/// requests, the runners' calls and Sidekiq's jobs, not Git over SSH.
pub(crate) fn request_classes_fail_apart_in_the_report_page() {
    let Some(browser) = chromium() else {
        assert!(std::env::var_os("CI").is_none(), "CI=true and no Chromium");
        eprintln!("SKIPPED: no Chromium on this machine");
        return;
    };
    let (_dir, mut tools) = open_report(browser, "designs/gitlab_3k.yaml");
    for server in ["redis-1", "redis-2", "redis-3"] {
        tools.click_server(server);
    }
    let verdict = tools
        .evaluate("document.getElementById('what-if').textContent")
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        verdict,
        "With redis-1, redis-2, redis-3 failed: requests of git-ssh still complete; writes of git-ssh still complete. Other outcomes: requests of runners stop; writes of runners stop; requests of web stop; writes of web stop; jobs of sidekiq stop."
    );
    // The servers tinted as stopped are those `simulate` stops, in every request class.
    let failed = ["redis-1", "redis-2", "redis-3"];
    assert_eq!(shown(&mut tools, "failed"), failed);
    let expected = stopped_by_simulate("designs/gitlab_3k.yaml", &failed);
    eprintln!("stopped with {failed:?}: {expected:?}");
    assert!(!expected.is_empty());
    assert_eq!(shown(&mut tools, "stopped"), expected);
    // One PgBouncer down as well: the internal balancer's flows to the three share one
    // label (a bus out of it), which stays drawn while two of them still carry.
    tools.click_server("pgbouncer-1");
    let faded = tools.evaluate(FADED);
    assert_eq!(faded["wrong"], serde_json::json!([]), "{faded}");
    assert!(
        faded["partly"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l.as_str().unwrap().starts_with("ilb -> pgbouncer")),
        "{faded}"
    );
}

/// What a reader of a Mermaid picture sees, measured in the page: each subgraph's title
/// (where it is over a box) and each flow label (where it is over another label or a
/// box).
const MERMAID_CHECK: &str = r#"
(() => {
  const box = (el) => el.getBoundingClientRect();
  const over = (a, b) => a.x + 1 < b.x + b.width && b.x + 1 < a.x + a.width
    && a.y + 1 < b.y + b.height && b.y + 1 < a.y + a.height;
  const nodes = [...document.querySelectorAll('g.node')];
  const titles = [];
  for (const cluster of document.querySelectorAll('g.cluster')) {
    const label = cluster.querySelector('.cluster-label');
    if (!label || label.textContent.trim() === '') continue;
    for (const node of nodes) {
      if (over(box(label), box(node))) titles.push(`${label.textContent} under ${node.textContent.slice(0, 40)}`);
    }
  }
  const labels = [...document.querySelectorAll('g.edgeLabel')].filter(l => l.textContent.trim() !== '');
  const overlapping = [];
  let onBoxes = 0;
  for (let i = 0; i < labels.length; i++) {
    for (let j = i + 1; j < labels.length; j++) {
      if (over(box(labels[i]), box(labels[j]))) overlapping.push(`${labels[i].textContent} / ${labels[j].textContent}`);
    }
    if (nodes.some(n => over(box(labels[i]), box(n)))) onBoxes += 1;
  }
  return JSON.stringify({ nodes: nodes.length, labels: labels.length, titles, overlapping, onBoxes });
})()
"#;

/// Every shipped design's Mermaid picture, drawn by the real Mermaid (the npm package of
/// `tests/mermaid/package-lock.json`, under `target/mermaid`) in Chromium: no cluster's
/// title is hidden behind a box (a title of several lines was, on the production
/// design), and no flow's label sits on another's (the production design's two
/// `https :8443` labels did). Labels Mermaid puts over a box are counted and said, not
/// failed: where Mermaid places a label is its own layout's choice.
pub(crate) fn mermaid_pictures_read_in_chromium() {
    let browser = chromium().expect("CI=true and no Chromium");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        root.join("target/mermaid/node_modules/mermaid/dist/mermaid.min.js"),
        dir.path().join("mermaid.min.js"),
    )
    .expect("CI=true and no Mermaid: .ci/run installs it under target/mermaid");
    for design in common::shipped_designs() {
        let output = Command::new(env!("CARGO_BIN_EXE_infralint"))
            .args(["diagram", "--format", "mermaid"])
            .arg(&design)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{output:?}");
        let chart = String::from_utf8(output.stdout).unwrap();
        let escaped = chart
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        let page = dir.path().join("chart.html");
        std::fs::write(
            &page,
            format!(
                "<!doctype html><html><body><pre class=\"mermaid\">{escaped}</pre>\
                 <script src=\"mermaid.min.js\"></script><script>\
                 mermaid.initialize({{ startOnLoad: false, securityLevel: 'strict' }});\
                 mermaid.run().then(() => document.body.dataset.drawn = 'yes');</script>\
                 </body></html>"
            ),
        )
        .unwrap();
        let mut tools = DevTools::open(browser, &page);
        tools.wait_for("location.protocol === 'file:' && document.body?.dataset.drawn === 'yes'");
        let result: serde_json::Value =
            serde_json::from_str(tools.evaluate(MERMAID_CHECK).as_str().unwrap()).unwrap();
        let name = design.file_name().unwrap().to_string_lossy();
        eprintln!("{name}: {result}");
        assert!(
            result["nodes"].as_u64().unwrap() > 0,
            "{name}: nothing drawn"
        );
        assert_eq!(
            result["titles"],
            serde_json::json!([]),
            "{name}: titles under boxes"
        );
        assert_eq!(
            result["overlapping"],
            serde_json::json!([]),
            "{name}: labels on labels"
        );
    }
}

/// The report pages pass axe-core (Deque's rules, the npm package at the version of
/// `tests/axe/package-lock.json`, under `target/axe`) in Debian's Chromium at 1280 px,
/// with the tags wcag2a, wcag2aa and wcag21aa, no rule disabled and no element excluded:
/// the production design's page (its diagram wide, its what-if script run) and an
/// exercise's (its requirements met and unmet). axe is evaluated through DevTools, not
/// admitted as a page script: the page's policy stays as written.
pub(crate) fn report_pages_pass_axe_core() {
    let browser = chromium().expect("CI=true and no Chromium");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let axe = std::fs::read_to_string(root.join("target/axe/node_modules/axe-core/axe.min.js"))
        .expect("CI=true and no axe-core: .ci/run installs it under target/axe");
    for design in [
        "designs/production_shop.yaml",
        "designs/2-secured_and_monitored_web_infrastructure.yaml",
    ] {
        let (_dir, mut tools) = open_report(browser, design);
        axe_finds_nothing(&mut tools, &axe, design);
    }
    // A class's index: every shipped design, a page each.
    let site = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_infralint"))
        .args([
            "report",
            "--quiet",
            "--today",
            common::TODAY,
            "designs",
            "-o",
        ])
        .arg(site.path())
        .current_dir(root)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let mut tools = DevTools::open(browser, &site.path().join("index.html"));
    // The page itself, not the blank one before it.
    tools.wait_for("location.protocol === 'file:' && document.readyState === 'complete'");
    axe_finds_nothing(&mut tools, &axe, "the class index");
}

/// axe-core, evaluated in the page at 1280 px with WCAG 2.1 A and AA's tags, finds no
/// violation (and runs rules: a page it cannot read would pass nothing).
fn axe_finds_nothing(tools: &mut DevTools, axe: &str, what: &str) {
    tools.call(
        "Emulation.setDeviceMetricsOverride",
        serde_json::json!({ "width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": false }),
    );
    tools.evaluate(axe);
    let result = tools.call(
        "Runtime.evaluate",
        serde_json::json!({
            "expression": "axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa'] } }).then(r => ({ passes: r.passes.length, violations: r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length, first: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ': ' + n.failureSummary) })) }))",
            "awaitPromise": true,
            "returnByValue": true,
        }),
    );
    let value = &result["result"]["value"];
    assert!(
        value["passes"].as_u64().is_some_and(|n| n >= 5),
        "{what}: axe ran no rule: {result}"
    );
    assert_eq!(
        value["violations"],
        serde_json::json!([]),
        "{what}: {:#}",
        value["violations"]
    );
    eprintln!(
        "{what}: axe-core passes {} rules, no violation",
        value["passes"]
    );
}

/// What the what-if page fades, checked in the page: every flow that touches a failed or
/// stopped server fades, and no other; a label fades when every flow it speaks for does
/// (`data-links`, a trunk's or a bus's, else its own flow). `partly`: the labels that
/// speak for flows some of which stopped and some not (drawn, not faded).
const FADED: &str = "(() => { const off = new Set([...document.querySelectorAll('g.shape.failed, g.shape.stopped')].map(g => g.dataset.name)); \
    const flows = [...document.querySelectorAll('g.flow')]; \
    const touches = new Map(flows.map(f => { const [a, b] = f.dataset.name.split(' -> '); return [f.dataset.link, off.has(a) || off.has(b)]; })); \
    const wrong = flows.filter(f => f.querySelector('path').classList.contains('stopped') !== touches.get(f.dataset.link)).map(f => f.dataset.name); \
    const partly = []; \
    for (const label of document.querySelectorAll('g.flow-label')) { \
      const spoken = (label.dataset.links || label.dataset.link).split(' ').map(l => touches.get(l)); \
      const should = spoken.every(t => t); \
      if (label.classList.contains('stopped') !== should) wrong.push('label ' + label.dataset.name); \
      if (!should && spoken.some(t => t)) partly.push(label.dataset.name); \
    } \
    return { flows: flows.length, faded: flows.filter(f => f.querySelector('path.stopped')).length, wrong, partly }; })()";

/// The servers (by name, sorted) that `analysis::simulate` says stop when `failed` fail
/// in the design at `design`: those, not failed, whose front component (any copy of it
/// in the logic: one per request class that reaches it) serves with every server up and
/// none with `failed` down.
fn stopped_by_simulate(design: &str, failed: &[&str]) -> Vec<String> {
    use infralint::analysis::{Model, simulate::simulate};
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let report = common::report(&root.join(design));
    let design = report.design.as_ref().unwrap();
    let graph = infralint::graph::Graph::build(design);
    let model = Model::new(&graph);
    let ids: Vec<_> = design
        .servers
        .iter()
        .filter(|s| failed.contains(&s.name.value.as_str()))
        .map(|s| s.id)
        .collect();
    assert_eq!(ids.len(), failed.len(), "{failed:?}");
    let (before, after) = (simulate(&model, &[]), simulate(&model, &ids));
    let logic = &model.logic;
    let mut stopped: Vec<String> = design
        .servers
        .iter()
        .filter(|s| !ids.contains(&s.id))
        .filter(|s| {
            design.front_component(s.id).is_ok_and(|front| {
                let mut serving: Vec<usize> = (0..logic.nodes.len())
                    .filter(|&n| logic.nodes[n].node == infralint::graph::Node::Component(front))
                    .collect();
                serving.retain(|&n| before.serves[n]);
                !serving.is_empty() && serving.iter().all(|&n| !after.serves[n])
            })
        })
        .map(|s| s.name.value.clone())
        .collect();
    stopped.sort();
    stopped
}

/// The names of the diagram's shapes of `class` (`failed`, `stopped`) in the page, sorted.
fn shown(tools: &mut DevTools, class: &str) -> Vec<String> {
    let names = tools.evaluate(&format!(
        "[...document.querySelectorAll('figure.diagram g.shape.{class}')].map(g => g.dataset.name).sort()"
    ));
    serde_json::from_value(names).unwrap()
}

/// The what-if page shows what `simulate` says: clicking the production design's single
/// cache (`cache-01`) fails it, and the servers the page tints as stopped are exactly
/// those whose front component (any copy of it: one per request class that reaches it)
/// serves with every server up and none with `cache-01` down, by `analysis::simulate`
/// here; every flow into or out of them fades with its
/// label; the verdict stays in the window wherever the page is scrolled; servers are
/// buttons with a name, and Enter brings the cache back as a click would.
pub(crate) fn the_what_if_page_stops_what_simulate_stops() {
    let browser = chromium().expect("CI=true and no Chromium");
    let expected = stopped_by_simulate("designs/production_shop.yaml", &["cache-01"]);
    assert!(expected.len() >= 4, "{expected:?}");

    let (_dir, mut tools) = open_report(browser, "designs/production_shop.yaml");
    tools.click_server("cache-01");
    assert_eq!(shown(&mut tools, "failed"), ["cache-01"]);
    assert_eq!(shown(&mut tools, "stopped"), expected);
    // Every flow that touches a failed or stopped server fades, and so does its label.
    let faded = tools.evaluate(FADED);
    assert_eq!(faded["wrong"], serde_json::json!([]), "{faded}");
    assert!(faded["faded"].as_u64().unwrap() > 0, "{faded}");
    // The verdict is in the window at the top and at the bottom of the page.
    for scroll in [
        "window.scrollTo(0, 0)",
        "window.scrollTo(0, document.body.scrollHeight)",
    ] {
        tools.evaluate(scroll);
        let inside = tools.evaluate(
            "(() => { const r = document.getElementById('what-if').getBoundingClientRect(); \
             return r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0; })()",
        );
        assert_eq!(inside, true, "the verdict is off screen after {scroll}");
    }
    let verdict = tools.evaluate("document.getElementById('what-if').textContent");
    assert!(
        verdict
            .as_str()
            .unwrap()
            .starts_with("With cache-01 failed: no request completes"),
        "{verdict}"
    );
    // INFRALINT_SCREENSHOT=FILE: keep a picture of the page with the cache failed.
    tools.screenshot_if_asked(
        "document.querySelector('g.shape.failed').scrollIntoView({ block: 'center', inline: 'center' })",
    );
    // A button with a name; Enter on it brings the cache back.
    let button = tools.evaluate(
        "(() => { const g = [...document.querySelectorAll('g.shape')].find(g => g.dataset.name === 'cache-01'); g.focus(); \
         return [g.getAttribute('role'), g.getAttribute('tabindex'), g.getAttribute('aria-label'), document.activeElement === g]; })()",
    );
    assert_eq!(
        button,
        serde_json::json!([
            "button",
            "0",
            "cache-01: failed, press to bring it back",
            true
        ])
    );
    for kind in ["keyDown", "keyUp"] {
        tools.call(
            "Input.dispatchKeyEvent",
            serde_json::json!({ "type": kind, "key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13, "text": if kind == "keyDown" { "\r" } else { "" } }),
        );
    }
    assert_eq!(shown(&mut tools, "failed"), Vec::<String>::new());
    assert_eq!(shown(&mut tools, "stopped"), Vec::<String>::new());
    eprintln!(
        "clicking cache-01 stops {expected:?} on the page, as simulate says; Enter brings it back"
    );
}
