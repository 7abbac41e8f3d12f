//! `cargo bench`: the cost of checking designs and of rendering diagnostics.
//!
//! - `check/N servers`: the whole pipeline (parse, model, graph, every rule, then JSON or
//!   text) on a generated design: a load balancer pair, N web servers each with an app
//!   server and a monitoring agent, a database pair, flows between them.
//! - `diagram/N servers, svg`: scene, layout-rs placement and SVG of the same design.
//! - `hostile/...`: input shapes that were once quadratic (see ARCHITECTURE.md).
//! - `analysis/...`: minimal cut sets and availability of the generated design.
//! - `budgets/...`: the red team's designs that once blew the analysis' budgets: each
//!   answers at its budget (Monte Carlo; cut sets listed to a lower size) well under a
//!   second (memory: scripts/bench.sh).
//! - `lsp/N servers, didChange`: what the language server does on each keystroke.
//! - `render_text/1000 errors in 4 MB`: miette rendering through our line index; with
//!   miette's own `str` source the same job cost seconds, since it scans the whole text
//!   for every span.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use infralint::reporters::text::Style;
use infralint::source::SourceFile;
use infralint::{CheckOptions, check_source};

#[path = "support/budgets.rs"]
mod budgets;

/// A design of `servers` web servers behind two load balancers, with an app tier and a
/// database pair. Every `broken_every`-th web server has an unknown key (0: none).
fn generated_design(servers: usize, broken_every: usize) -> String {
    let mut text = String::from(
        "name: Generated\ndomain: example.com\ndns:\n  records:\n    - { name: www, type: A, value: 203.0.113.10 }\n\
         clusters:\n  - { name: lbs, members: [lb-01, lb-02], virtual_ip: 203.0.113.10 }\nservers:\n\
         \x20 lb-01: { ip: 10.0.0.1, components: [{ kind: load_balancer }, { kind: firewall }] }\n\
         \x20 lb-02: { ip: 10.0.0.2, components: [{ kind: load_balancer }, { kind: firewall }] }\n\
         \x20 db-01: { ip: 10.0.0.3, components: [{ kind: database, role: primary }] }\n\
         \x20 db-02: { ip: 10.0.0.4, components: [{ kind: database, role: replica }] }\n",
    );
    for i in 0..servers {
        let extra = if broken_every > 0 && i % broken_every == 0 {
            "\n    colour: blue"
        } else {
            ""
        };
        text.push_str(&format!(
            "  web-{i:05}:\n    ip: 10.{}.{}.{}\n    why: Serves pages for the generated design, one of many alike{extra}\n    components:\n      - {{ kind: web_server, software: Nginx }}\n      - {{ kind: app_server, software: Gunicorn }}\n      - {{ kind: monitoring_agent, collects: [metrics, logs] }}\n",
            1 + i / 65536,
            (i / 256) % 256,
            i % 256
        ));
    }
    text.push_str("flows:\n  - { from: user, to: www.example.com, protocol: https }\n");
    for i in 0..servers {
        text.push_str(&format!(
            "  - {{ from: [lb-01, lb-02], to: web-{i:05}, protocol: http }}\n  - {{ from: web-{i:05}/web_server, to: web-{i:05}/app_server, protocol: http }}\n  - {{ from: web-{i:05}/app_server, to: db-01, protocol: mysql }}\n"
        ));
    }
    text.push_str("  - { from: db-01, to: db-02, protocol: mysql, purpose: replication }\n");
    text
}

fn options() -> CheckOptions {
    CheckOptions {
        today: "2026-11-23".parse().expect("a date"),
        ..CheckOptions::default()
    }
}

fn check(c: &mut Criterion) {
    let mut group = c.benchmark_group("check");
    group.sample_size(10);
    for servers in [1_000, 10_000] {
        let text = generated_design(servers, 0);
        let options = options();
        group.bench_function(format!("{servers} servers, json"), |b| {
            b.iter(|| {
                let report =
                    check_source(SourceFile::new("generated.yaml", text.as_str()), &options);
                assert!(report.errors.is_empty());
                black_box(infralint::reporters::json::render(&[report]))
            })
        });
        group.bench_function(format!("{servers} servers, text"), |b| {
            b.iter(|| {
                let report =
                    check_source(SourceFile::new("generated.yaml", text.as_str()), &options);
                black_box(infralint::reporters::text::render(&[report], Style::PLAIN))
            })
        });
    }
    group.finish();
}

fn render_text(c: &mut Criterion) {
    // 20,000 servers make about 4 MB; one in 20 is broken: 1,000 errors.
    let text = generated_design(20_000, 20);
    let report = check_source(SourceFile::new("generated.yaml", text), &options());
    assert_eq!(report.errors.len(), 1_000);
    let reports = [report];
    let mut group = c.benchmark_group("render_text");
    group.sample_size(10);
    group.bench_function("1000 errors in 4 MB", |b| {
        b.iter(|| black_box(infralint::reporters::text::render(&reports, Style::PLAIN)))
    });
    group.bench_function("1000 errors in 4 MB, json", |b| {
        b.iter(|| black_box(infralint::reporters::json::render(&reports)))
    });
    group.finish();
}

/// Layout and SVG of the generated design (its alike web servers fold into one box).
fn diagram(c: &mut Criterion) {
    let mut group = c.benchmark_group("diagram");
    group.sample_size(10);
    for servers in [1_000, 10_000] {
        let report = check_source(
            SourceFile::new("generated.yaml", generated_design(servers, 0)),
            &options(),
        );
        let design = report
            .design
            .as_ref()
            .expect("the generated design has no error");
        group.bench_function(format!("{servers} servers, svg"), |b| {
            b.iter(|| {
                let picture = infralint::diagram::build(design, Some(&report.findings));
                black_box(infralint::pictures::svg::render(&picture))
            })
        });
    }
    group.finish();
}

/// layout-rs alone, with and without its crossing optimisers, on layered graphs of N
/// labelled nodes (tiers of 10, each node linked to two in the next tier): where the
/// optimisers stop paying for themselves.
fn layout(c: &mut Criterion) {
    let mut group = c.benchmark_group("layout");
    group.sample_size(10);
    for nodes in [50, 100, 150] {
        let sizes = vec![(140.0, 60.0); nodes];
        let edges: Vec<(usize, usize, String)> = (0..nodes.saturating_sub(10))
            .flat_map(|i| {
                let next = (i / 10 + 1) * 10;
                [
                    (i, next + i % 10, "https :443".to_string()),
                    (i, next + (i + 3) % 10, "http".to_string()),
                ]
            })
            .filter(|&(_, to, _)| to < nodes)
            .collect();
        for optimise in [true, false] {
            let name = format!(
                "{nodes} nodes, optimisers {}",
                if optimise { "on" } else { "off" }
            );
            group.bench_function(name, |b| {
                b.iter(|| {
                    black_box(infralint::diagram::layout_rs::place(
                        &sizes,
                        &edges,
                        &[],
                        optimise,
                    ))
                })
            });
        }
    }
    group.finish();
}

/// Shapes of input that were once quadratic: a design on one line (minified JSON), a
/// long CNAME chain named by many flows, a long chain of required hops (AV001's sets).
fn hostile(c: &mut Criterion) {
    let mut group = c.benchmark_group("hostile");
    group.sample_size(10);
    let mut one_line = String::from("{\"name\":\"one line\",\"servers\":{");
    for i in 0..1_500 {
        if i > 0 {
            one_line.push(',');
        }
        one_line.push_str(&format!(
            "\"s{i}\":{{\"ip\":\"10.0.{}.{}\",\"why\":\"A server of a design written on one line.\",\"components\":[{{\"kind\":\"web_server\"}},{{\"kind\":\"firewall\"}}]}}",
            i / 256,
            i % 256
        ));
    }
    one_line.push_str("},\"flows\":[{\"from\":\"user\",\"to\":\"s0\",\"protocol\":\"https\"}]}\n");
    let mut cname = String::from(
        "name: chain\ndomain: foobar.com\ndns:\n  records:\n    - { name: h0, type: A, value: 10.0.0.1 }\n",
    );
    for i in 1..3_000 {
        cname.push_str(&format!(
            "    - {{ name: h{i}, type: CNAME, value: h{}.foobar.com }}\n",
            i - 1
        ));
    }
    cname.push_str(
        "servers:\n  web: { ip: 10.0.0.1, components: [{ kind: web_server }] }\nflows:\n",
    );
    for _ in 0..3_000 {
        cname.push_str("  - { from: user, to: h2999.foobar.com, protocol: http }\n");
    }
    let mut chain = String::from("name: chain\nservers:\n");
    for i in 0..20_000 {
        chain.push_str(&format!("  s{i}: {{ components: [{{ kind: other }}] }}\n"));
    }
    chain.push_str("flows:\n  - { from: user, to: s0, protocol: http }\n");
    for i in 0..19_999 {
        chain.push_str(&format!(
            "  - {{ from: s{i}, to: s{}, protocol: http }}\n",
            i + 1
        ));
    }
    for (name, text) in [
        ("one line of 1,500 servers", one_line),
        ("CNAME chain of 3,000 named by 3,000 flows", cname),
        ("20,000 required hops", chain),
    ] {
        let options = options();
        group.bench_function(name, |b| {
            b.iter(|| {
                let report = check_source(SourceFile::new("hostile.yaml", text.as_str()), &options);
                black_box(report.findings.len())
            })
        });
    }
    group.finish();
}

/// The failure analysis of the generated design: minimal cut sets up to 2 servers, and
/// exact availability with every server's Birnbaum importance.
fn analysis(c: &mut Criterion) {
    let mut group = c.benchmark_group("analysis");
    group.sample_size(10);
    for servers in [1_000, 10_000] {
        let report = check_source(
            SourceFile::new("generated.yaml", generated_design(servers, 0)),
            &options(),
        );
        let design = report.design.as_ref().expect("no error");
        let graph = infralint::graph::Graph::build(design);
        let model = infralint::analysis::Model::new(&graph);
        group.bench_function(format!("{servers} servers, cuts --max-size 2"), |b| {
            b.iter(|| {
                black_box(
                    infralint::analysis::cuts::cuts(&model, 2).outcomes[0]
                        .sets
                        .len(),
                )
            })
        });
        group.bench_function(format!("{servers} servers, availability"), |b| {
            b.iter(|| {
                black_box(
                    infralint::analysis::availability::availability(&model)
                        .requests()
                        .estimate
                        .availability,
                )
            })
        });
    }
    group.finish();
}

/// The analysis past its budgets: availability falls back to Monte Carlo, cut sets
/// are listed up to the size that fits.
fn budgets(c: &mut Criterion) {
    let mut group = c.benchmark_group("budgets");
    group.sample_size(10);
    let zones = check_source(
        SourceFile::new("zones.yaml", budgets::zones_at_random()),
        &options(),
    );
    let chains = check_source(
        SourceFile::new("chains.yaml", budgets::parallel_chains(3, 100)),
        &options(),
    );
    let zones_graph = infralint::graph::Graph::build(zones.design.as_ref().expect("no error"));
    let chains_graph = infralint::graph::Graph::build(chains.design.as_ref().expect("no error"));
    let zones_model = infralint::analysis::Model::new(&zones_graph);
    let chains_model = infralint::analysis::Model::new(&chains_graph);
    group.bench_function("140 servers, zones at random, availability", |b| {
        b.iter(|| {
            black_box(
                infralint::analysis::availability::availability(&zones_model)
                    .requests()
                    .estimate
                    .availability,
            )
        })
    });
    group.bench_function("3 chains of 100 servers, cuts --max-size 3", |b| {
        b.iter(|| black_box(infralint::analysis::cuts::cuts(&chains_model, 3).searched))
    });
    group.finish();
}

/// The language server's work on each keystroke: the whole pipeline on the new text,
/// the index for hover and completion, and the diagnostics to publish. Target: under
/// 100 ms at 1,000 servers.
fn lsp(c: &mut Criterion) {
    let mut group = c.benchmark_group("lsp");
    group.sample_size(10);
    let uri: lsp_types::Uri = "file:///bench/generated.yaml".parse().expect("a URI");
    for servers in [1_000, 10_000] {
        let text = generated_design(servers, 0);
        group.bench_function(format!("{servers} servers, didChange"), |b| {
            b.iter(|| {
                let document = infralint::lsp::Document::new(&uri, text.clone(), None);
                black_box(document.diagnostics().len())
            })
        });
    }
    group.finish();
}

criterion_group!(
    benches,
    budgets,
    lsp,
    check,
    render_text,
    diagram,
    layout,
    hostile,
    analysis
);
criterion_main!(benches);
