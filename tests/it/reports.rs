//! Answer reports: snapshots of the shipped designs' markdown, and variants of them that
//! must change what the report says.

use crate::common;
use infralint::source::SourceFile;
use infralint::{CheckOptions, check_source, report};

fn design_text(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/designs/{name}.yaml",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// The markdown report of a design given as text, with its own exercise profile.
fn markdown(text: &str) -> String {
    let options = CheckOptions {
        today: common::TODAY.parse().unwrap(),
        ..CheckOptions::default()
    };
    let file = check_source(SourceFile::new("variant.yaml", text), &options);
    assert!(
        file.errors.is_empty(),
        "{:?}",
        file.errors.iter().map(|e| &e.message).collect::<Vec<_>>()
    );
    let design = file.design.as_ref().unwrap();
    let profile = design
        .exercise
        .as_ref()
        .map(|e| infralint::profile::builtin(&e.value).unwrap());
    report::markdown(&report::Input {
        design,
        findings: &file.findings,
        profile,
        diagram: Some("design.svg"),
    })
}

#[test]
fn production_design() {
    let report = markdown(&design_text("production_shop"));
    // What every request needs, from the structure function: one of each kind.
    assert!(report.contains(
        "- `app-01/app_server` needs all of these: one of `db-01/database` or `db-02/database`, `cache-01/cache`, `queue-01/queue` and `payments` (outside service)."
    ), "{report}");
    assert!(
        report.contains(
            "`cache-01/cache` (Redis) through `app-01/app_server` and `app-02/app_server`"
        )
    );
    insta::assert_snapshot!("report_production_shop", report);
}

#[test]
fn shipped_designs() {
    for name in [
        "0-simple_web_stack",
        "1-distributed_web_infrastructure",
        "2-secured_and_monitored_web_infrastructure",
        "3-scale_up",
    ] {
        let report = markdown(&design_text(name));
        // Every "Must explain" point of the exercise is answered.
        assert!(
            !report.contains("has nothing that answers this point"),
            "{name}"
        );
        insta::assert_snapshot!(format!("report_{name}"), report);
    }
}

#[test]
fn least_connections_instead_of_round_robin() {
    let text = design_text("1-distributed_web_infrastructure")
        .replace("algorithm: round_robin", "algorithm: least_connections");
    let report = markdown(&text);
    assert!(report.contains("- **least connections**: each request goes to the server that has the fewest open connections"));
    assert!(!report.contains("**round robin**"));
}

#[test]
fn an_active_passive_cluster() {
    let text = design_text("3-scale_up").replace("mode: active-active", "mode: active-passive");
    let report = markdown(&text);
    assert!(report.contains("The cluster `lb-cluster` (`lb-01` and `lb-02`, sharing the virtual IP `8.8.8.8`) is **active-passive**: one serves, the other stands by."));
    assert!(!report.contains("is **active-active**"));
}

#[test]
fn no_replica() {
    let text = design_text("1-distributed_web_infrastructure")
        .replace("role: replica", "role: primary")
        .replace("  - { from: web-01/database, to: web-02/database, protocol: mysql, port: 3306, purpose: replication }\n", "");
    let report = markdown(&text);
    assert!(report.contains("This design has no replica: every database is a primary"));
    assert!(!report.contains("## What the application sees"));
}

#[test]
fn tls_through_to_the_web_servers() {
    let terminated = markdown(&design_text("2-secured_and_monitored_web_infrastructure"));
    assert!(terminated.contains("TLS is terminated at the load balancer (finding SE003)"));
    let text = design_text("2-secured_and_monitored_web_infrastructure").replace(
        "to: [web-01/web_server, web-02/web_server], protocol: http, port: 80",
        "to: [web-01/web_server, web-02/web_server], protocol: https, port: 443",
    );
    let report = markdown(&text);
    assert!(!report.contains("TLS is terminated at the load balancer"));
    assert!(!report.contains("SE003"));
}

#[test]
fn a_cname_to_a_host_name() {
    let text = design_text("0-simple_web_stack").replace(
        "    - name: www\n      type: A\n      value: 8.8.8.8\n",
        "    - { name: \"@\", type: A, value: 8.8.8.8 }\n    - { name: www, type: CNAME, value: foobar.com }\n",
    );
    let report = markdown(&text);
    assert!(
        report
            .contains("`www.foobar.com` is a **CNAME record**: an alias of the name `foobar.com`."),
        "{report}"
    );
    assert!(report.contains("`www.foobar.com` is a CNAME record for `foobar.com`, then `foobar.com` is an A record for `8.8.8.8`"));
    let a_record = markdown(&design_text("0-simple_web_stack"));
    assert!(a_record.contains("`www.foobar.com` is an **A record**: it maps the name straight to the IP address `8.8.8.8`."));
    assert!(a_record.contains("It is not a CNAME"));
}

#[test]
fn html_is_one_page_with_the_picture_inline() {
    let markdown = markdown(&design_text("2-secured_and_monitored_web_infrastructure"));
    let page = infralint::pages::html::page(
        "Secured",
        &markdown,
        Some("<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>"),
        None,
    );
    assert!(page.starts_with("<!doctype html>"));
    assert!(page.contains("aria-label=\"The diagram, at its own size: scroll inside it\"><svg"));
    assert!(
        page.contains("<li>✅ <strong>Met:</strong> Exactly 3 servers (found 3)</li>"),
        "the requirements, met and unmet in words"
    );
    assert!(!page.contains("<input"), "no checkbox without a label");
    assert!(!page.contains("<script"), "a report runs no script");
}

/// Issue 23, case 1: a finding's message carries a design's words (`software:`), and the
/// Findings list escaped none of it. Every character class a page or a terminal acts on,
/// in every place a message can quote a design's words.
#[test]
fn finding_messages_are_escaped_in_the_markdown_report() {
    let payloads = [
        "<img src=x onerror=alert(1)>",
        "\u{1b}]0;owned\u{7}",
        "[click](javascript:alert(1))",
        "x\r::add-mask::y",
        "\u{202e}gnp.exe",
    ];
    for payload in payloads {
        // As YAML writes it in double quotes: every character outside printable ASCII
        // as `\uXXXX`.
        let escaped: String = payload
            .chars()
            .map(|c| match c {
                '"' | '\\' => format!("\\{c}"),
                ' '..='~' => c.to_string(),
                c => format!("\\u{:04x}", c as u32),
            })
            .collect();
        let text = format!(
            "name: t\nservers:\n  app-01: {{ components: [{{ kind: app_server }}] }}\n  app-02: {{ components: [{{ kind: app_server }}] }}\n  cache-01: {{ components: [{{ kind: cache, software: \"{escaped}\" }}] }}\n  db-01: {{ components: [{{ kind: database }}] }}\nflows:\n  - {{ from: user, to: [app-01, app-02], protocol: https }}\n  - {{ from: [app-01, app-02], to: [cache-01, db-01], protocol: tcp }}\n"
        );
        let page = markdown(&text);
        let findings = &page[page.find("## Issues").expect("an Issues section")..];
        assert!(findings.contains("AV001"), "{findings}");
        // What markdown would act on, once its escapes are taken out.
        let live = findings.replace("\\<", "").replace("\\]", "");
        for bad in ["<img", "](javascript", "\u{1b}", "\u{7}", "\r", "\u{202e}"] {
            assert!(
                !live.contains(bad),
                "{payload:?} left {bad:?} in:\n{findings}"
            );
        }
    }
}
