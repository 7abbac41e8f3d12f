//! `cargo bench --bench stages`: each stage of the pipeline on generated designs of
//! realistic shape (benches/support/generate.rs) at 100, 1k and 10k servers, beside the
//! YAML event scan alone on the same bytes (the floor of any YAML tool that keeps
//! positions), so that one run gives the ratios. Whole-process figures, 50k servers and
//! memory are scripts/bench.sh's; BENCHMARKS.md holds both.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use infralint::source::SourceFile;
use infralint::syntax::{Limits, parse};

#[path = "support/generate.rs"]
mod generate;

fn options() -> infralint::CheckOptions {
    infralint::CheckOptions {
        today: "2026-11-23".parse().expect("a date"),
        ..infralint::CheckOptions::default()
    }
}

fn stages(c: &mut Criterion) {
    let mut group = c.benchmark_group("stages");
    group.sample_size(10);
    for servers in [100, 1_000, 10_000] {
        let text = generate::design(servers);
        let source = SourceFile::new("generated.yaml", text.as_str());
        group.bench_function(format!("{servers} servers/0 event scan"), |b| {
            b.iter(|| {
                let mut events = 0usize;
                for event in saphyr_parser::Parser::new_from_str(&text) {
                    let (_, span) = event.expect("valid YAML");
                    events += span.end.index() & 1;
                }
                black_box(events)
            })
        });
        group.bench_function(format!("{servers} servers/1 parse"), |b| {
            b.iter(|| black_box(parse(&source, Limits::default()).root.is_some()))
        });
        let root = parse(&source, Limits::default()).root.expect("a tree");
        let max = infralint::model::max_connections(text.len());
        group.bench_function(format!("{servers} servers/2 model"), |b| {
            b.iter(|| black_box(infralint::model::build(root.clone(), max).is_ok()))
        });
        let design = infralint::model::build(root.clone(), max).expect("no design error");
        group.bench_function(format!("{servers} servers/3 graph"), |b| {
            b.iter(|| {
                let graph = infralint::graph::Graph::build(&design);
                black_box(graph.is_requested(infralint::model::ComponentId(0)))
            })
        });
        let selection = infralint::rules::Selection::default();
        let rule_options = infralint::rules::Options {
            today: "2026-11-23".parse().expect("a date"),
            selection: &selection,
            profile: None,
            severities: &[],
            text: &text,
        };
        group.bench_function(format!("{servers} servers/4 rules (with graph)"), |b| {
            b.iter(|| black_box(infralint::rules::check(&design, &rule_options).is_ok()))
        });
        let report =
            infralint::check_source(SourceFile::new("generated.yaml", text.as_str()), &options());
        let reports = [report];
        let render_options = infralint::reporters::Options {
            style: infralint::reporters::text::Style::PLAIN,
            rules: infralint::rules::ALL.to_vec(),
            fail_at: Some(infralint::diagnostic::Severity::Warning),
        };
        for format in [
            infralint::cli::Format::Text,
            infralint::cli::Format::Json,
            infralint::cli::Format::Sarif,
            infralint::cli::Format::Junit,
        ] {
            let reporter = infralint::reporters::reporter(format);
            group.bench_function(format!("{servers} servers/5 render {format:?}"), |b| {
                b.iter(|| black_box(reporter.render(&reports, &render_options).len()))
            });
        }
        let design = reports[0].design.as_ref().expect("a design");
        group.bench_function(format!("{servers} servers/6 diagram svg"), |b| {
            b.iter(|| {
                let drawn = infralint::diagram::build(design, Some(&reports[0].findings));
                black_box(infralint::pictures::svg::render(&drawn).len())
            })
        });
        group.bench_function(format!("{servers} servers/7 report markdown"), |b| {
            b.iter(|| {
                black_box(
                    infralint::report::markdown(&infralint::report::Input {
                        design,
                        findings: &reports[0].findings,
                        profile: None,
                        diagram: None,
                    })
                    .len(),
                )
            })
        });
    }
    group.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
