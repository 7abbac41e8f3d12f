//! What every fuzz target does with a design's text: the whole pipeline and every
//! renderer, with the invariants that must hold for any input.

use infralint::reporters::text::Style;
use infralint::source::SourceFile;
use infralint::{CheckOptions, check_source, diagram, pages, pictures, report, reporters};

#[allow(dead_code)]
pub(crate) fn exercise(text: &str) {
    let options = CheckOptions {
        today: "2026-11-23".parse().expect("a date"),
        ..CheckOptions::default()
    };
    let file = check_source(SourceFile::new("fuzz.yaml", text), &options);
    // Every position points inside the file.
    let len = file.source.as_ref().map_or(0, |s| s.text().len());
    for error in &file.errors {
        if let Some(span) = error.span {
            assert!(
                span.end as usize <= len,
                "an error's span ends past the file"
            );
        }
    }
    for finding in &file.findings {
        assert!(
            finding.span().end as usize <= len,
            "a finding's span ends past the file"
        );
    }
    let reports = [file];
    every_format(&reports);
    let file = &reports[0];
    let Some(design) = file.design.as_ref() else {
        return;
    };
    // layout-rs panics on some graphs; the diagram stage catches that and falls back.
    // libFuzzer's panic hook would abort first, so a quiet hook stands in around it: a
    // panic that the diagram stage does not catch still reaches libFuzzer and aborts.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let picture = std::panic::catch_unwind(|| diagram::build(design, Some(&file.findings)));
    std::panic::set_hook(hook);
    let picture = picture.expect("the diagram stage never panics");
    let svg = pictures::svg::render(&picture);
    let _ = pictures::dot::render(&picture.scene);
    let markdown = report::markdown(&report::Input {
        design,
        findings: &file.findings,
        profile: None,
        diagram: Some("design.svg"),
    });
    let page = pages::html::page(&design.name.value, &markdown, Some(&svg), None);
    assert!(!page.contains("<script"), "no script in a report page");
}

/// Every output format of `check`, with the one rule for text from a design: line
/// formats hold no terminal or bidirectional control and no line a CI runner would read
/// as a workflow command about another file; JSON formats parse; JUnit is well-formed.
pub(crate) fn every_format(reports: &[infralint::FileReport]) {
    use infralint::reporters::{Format, Options, reporter};
    let options = Options {
        style: Style::PLAIN,
        rules: infralint::rules::ALL.to_vec(),
        fail_at: Some(infralint::diagnostic::Severity::Warning),
    };
    for format in [Format::Text, Format::Compact, Format::Github] {
        let out = reporter(format).render(reports, &options);
        for forbidden in ['\u{1b}', '\u{7}', '\r', '\u{202e}', '\u{2066}'] {
            assert!(!out.contains(forbidden), "{format:?} holds {forbidden:?}");
        }
        for line in out.lines() {
            match format {
                Format::Github => assert!(
                    [
                        "::error file=fuzz.yaml,",
                        "::warning file=fuzz.yaml,",
                        "::notice file=fuzz.yaml,"
                    ]
                    .iter()
                    .any(|start| line.starts_with(start)),
                    "a GitHub line about something else: {line:?}"
                ),
                _ => assert!(
                    !line.starts_with("::"),
                    "{format:?}: a workflow command {line:?}"
                ),
            }
        }
    }
    for format in [Format::Json, Format::Sarif, Format::Gitlab] {
        let out = reporter(format).render(reports, &options);
        serde_json::from_str::<serde_json::Value>(&out)
            .unwrap_or_else(|e| panic!("{format:?} does not parse: {e}"));
    }
    let junit = reporter(Format::Junit).render(reports, &options);
    roxmltree::Document::parse(&junit).expect("JUnit is well-formed XML");
}

/// Whether a text checks without a design error (for the fuzz targets' statistics).
#[allow(dead_code)]
pub(crate) fn resolves(text: &str) -> Result<(), String> {
    let options = CheckOptions::default();
    match check_source(SourceFile::new("fuzz.yaml", text), &options)
        .errors
        .first()
    {
        None => Ok(()),
        Some(error) => Err(error.message.clone()),
    }
}

/// Designs a session edits: the shipped ones (the fuzzer mutates them through edits).
#[allow(dead_code)]
pub(crate) const DESIGNS: [&str; 4] = [
    include_str!("../../designs/0-simple_web_stack.yaml"),
    include_str!("../../designs/2-secured_and_monitored_web_infrastructure.yaml"),
    include_str!("../../designs/3-scale_up.yaml"),
    include_str!("../../designs/production_shop.yaml"),
];

/// A language-server session: `input` framed as a client frames it, `texts` each
/// document URI's text at the time of each request (`requests`: id -> URI's text), and
/// whether the input ends with a clean shutdown that every request before it must reach.
#[allow(dead_code)]
pub(crate) struct Session {
    pub input: Vec<u8>,
    /// Per request id: the text of the document it is about (None: not open).
    pub requests: Vec<(i64, Option<String>)>,
    /// Per published version: the text it was published for.
    pub versions: Vec<(String, i32, String)>,
    /// No malformed tail and a shutdown then exit at the end: every request is
    /// answered once and the server ends with `Ok(true)` (or an error, without an
    /// initialize).
    pub well_formed: bool,
    pub initialized: bool,
}

/// Serves a session through the server's own loop and checks what it sent: no panic,
/// every message serialisable, a response only to a request sent and at most once
/// (exactly once for a well-formed session), every range in an answer or a published
/// diagnostic ordered and inside the text it is about.
#[allow(dead_code)]
pub(crate) fn serve(session: &Session) {
    use infralint::lsp::{self, Message};
    let replay = lsp::replay(&session.input);
    let mut answered = std::collections::HashSet::new();
    for message in &replay.sent {
        let json = serde_json::to_value(message).expect("every message serialises");
        match message {
            Message::Response(_) => {
                let id = json["id"]
                    .as_i64()
                    .expect("ids the harness sent are numbers");
                assert!(answered.insert(id), "request {id} answered twice");
                let (_, text) = session
                    .requests
                    .iter()
                    .find(|(sent, _)| *sent == id)
                    .expect("a response only to a request that was sent");
                if let Some(text) = text {
                    ranges_inside(&json["result"], text);
                }
            }
            Message::Notification(n) if n.method == "textDocument/publishDiagnostics" => {
                let uri = json["params"]["uri"].as_str().unwrap_or_default();
                if let Some(version) = json["params"]["version"].as_i64() {
                    let text = session
                        .versions
                        .iter()
                        .rev()
                        .find(|(u, v, _)| u == uri && i64::from(*v) == version)
                        .map(|(_, _, t)| t.as_str())
                        .expect("diagnostics only for a version that was sent");
                    ranges_inside(&json["params"], text);
                }
            }
            _ => {}
        }
    }
    if session.well_formed {
        assert_eq!(
            answered.len(),
            session.requests.len(),
            "every request is answered: {:?}",
            replay.outcome
        );
        assert_eq!(
            replay.outcome.as_ref().is_ok_and(|clean| *clean),
            session.initialized,
            "a clean shutdown exactly when initialized: {:?}",
            replay.outcome
        );
    }
}

/// Every `{start, end}` position pair in a JSON answer: start before end, both on a
/// line of the text (the line after the last, at column 0, for a text's end).
fn ranges_inside(value: &serde_json::Value, text: &str) {
    // The protocol's line breaks: CRLF, LF and a lone CR.
    let lines = text.replace("\r\n", "\n").split(['\n', '\r']).count() as u64;
    match value {
        serde_json::Value::Object(map) => {
            if let (Some(start), Some(end)) = (map.get("start"), map.get("end"))
                && let (Some(sl), Some(sc), Some(el), Some(ec)) = (
                    start["line"].as_u64(),
                    start["character"].as_u64(),
                    end["line"].as_u64(),
                    end["character"].as_u64(),
                )
            {
                assert!((sl, sc) <= (el, ec), "a range that ends before it starts");
                assert!(el < lines, "a range past the text's last line");
            }
            map.values().for_each(|v| ranges_inside(v, text));
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| ranges_inside(v, text)),
        _ => {}
    }
}

/// A config file's text read as `infralint.toml`: no panic; an error placed inside the
/// file and shown by every machine format as a parseable document; settings that read
/// apply to a design (selection, severities, day, excludes) without a panic.
#[allow(dead_code)]
pub(crate) fn read_config(text: &str) {
    use infralint::config;
    use infralint::settings::{CommandLine, ConfigError, Resolver};
    let path = std::path::Path::new("/nonexistent/infralint.toml");
    match config::parse(path, text.to_string()) {
        Err((source, errors)) => {
            assert!(!errors.is_empty(), "an error says what is wrong");
            for error in &errors {
                if let Some(span) = error.span {
                    assert!(
                        span.end as usize <= text.len(),
                        "an error placed past the file"
                    );
                    assert!(text.is_char_boundary(span.start as usize));
                }
            }
            let report = ConfigError {
                path: path.to_path_buf(),
                source,
                errors,
            }
            .report();
            let reports = [report];
            let _ = reporters::text::render(&reports, Style::PLAIN);
            let json = reporters::json::render(&reports);
            serde_json::from_str::<serde_json::Value>(&json).expect("the JSON output parses");
        }
        Ok(config) => {
            let _ = config.excluded(std::path::Path::new("designs/a b/x.yaml"));
            let settings = Resolver::per_design(true, CommandLine::default())
                .settings_of(Some(std::sync::Arc::new(config)));
            let options = CheckOptions {
                today: "2026-11-23".parse().expect("a date"),
                ..CheckOptions::default()
            }
            .for_design(&settings);
            let file = check_source(SourceFile::new("fuzz.yaml", DESIGNS[1]), &options);
            let _ = reporters::json::render(&[file]);
        }
    }
}

/// Raw bytes as the language server's input (a saved crash of `lsp_session`, framed as
/// the client sent it): served without a panic, every message sent serialisable.
#[allow(dead_code)]
pub(crate) fn serve_bytes(input: &[u8]) {
    for message in infralint::lsp::replay(input).sent {
        serde_json::to_string(&message).expect("every message serialises");
    }
}
