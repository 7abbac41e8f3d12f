//! `cargo run --release --example compare_layout -- DESIGN...`: our layout beside
//! Graphviz's on the same scene (`dot -Tsvg` on the DOT that `--format dot` emits), as
//! a markdown table of crossings, bends, area and label collisions, both read back from
//! their SVG by one reader (`read_svg`). Needs `dot`.
//! `scripts/compare-layout.sh` runs it on the shipped designs.
//!
//! Measured the same way for both, by `diagram::measure` (which says how).

use infralint::diagram;
use infralint::diagram::measure::{Drawn, Measures};

// The SVG reader the tests hold our crossings to Graphviz's with.
#[path = "../tests/it/common/svg_read.rs"]
mod svg_read;
use svg_read::{graphviz, read_svg};

/// Each design named on the command line that has no design error, with its name and its
/// check report.
fn designs() -> impl Iterator<Item = (String, infralint::FileReport)> {
    let options = infralint::CheckOptions {
        today: "2026-11-23".parse().expect("a date"),
        ..infralint::CheckOptions::default()
    };
    std::env::args().skip(1).filter_map(move |path| {
        let text = std::fs::read_to_string(&path).expect("a readable design");
        let report =
            infralint::check_source(infralint::source::SourceFile::new(&path, text), &options);
        if report.design.is_none() {
            eprintln!("{path}: design errors, skipped");
            return None;
        }
        let name = std::path::Path::new(&path)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or(path.clone());
        Some((name, report))
    })
}

/// How monitoring is drawn: `MONITORING=lines` or `badges`, else the default.
fn monitoring() -> diagram::Monitoring {
    match std::env::var("MONITORING").as_deref() {
        Ok("lines") => diagram::Monitoring::Lines,
        Ok("badges") => diagram::Monitoring::Badges,
        _ => diagram::Monitoring::Auto,
    }
}

/// A picture placed by `engine`, and how long building it took.
fn timed(
    report: &infralint::FileReport,
    engine: diagram::Engine,
) -> (diagram::Diagram, std::time::Duration) {
    let started = std::time::Instant::now();
    let picture = diagram::build_with(
        report.design.as_ref().expect("a design"),
        Some(&report.findings),
        engine,
        monitoring(),
    )
    .expect("the engine places the picture");
    (picture, started.elapsed())
}

/// Boxes that a container encloses without their being members.
fn strangers(picture: &diagram::Diagram) -> usize {
    picture
        .containers
        .iter()
        .map(|c| {
            picture
                .boxes
                .iter()
                .enumerate()
                .filter(|(i, b)| {
                    !c.members.contains(i)
                        && b.x < c.rect.right()
                        && c.rect.x < b.right()
                        && b.y < c.rect.bottom()
                        && c.rect.y < b.bottom()
                })
                .count()
        })
        .sum()
}

/// The cells both tables share: crossings, bends, area, label collisions, box crossings.
fn cells(a: &Measures, b: &Measures) -> String {
    format!(
        "{} / {} | {} / {} | {:.0} / {:.0} | {} / {} | {} / {}",
        a.crossings,
        b.crossings,
        a.bends,
        b.bends,
        a.area / 1000.0,
        b.area / 1000.0,
        a.label_collisions,
        b.label_collisions,
        a.box_crossings,
        b.box_crossings
    )
}

/// The engine measured as ours: `ENGINE=dagre|layered|layout-rs`, else the default.
fn ours() -> diagram::Engine {
    match std::env::var("ENGINE").as_deref() {
        Ok("dagre") => diagram::Engine::Dagre,
        Ok("layout-rs") => diagram::Engine::LayoutRs,
        _ => diagram::Engine::Layered,
    }
}

fn main() {
    if std::env::var_os("ENGINES").is_some() {
        println!(
            "| design | crossings (layout-rs / dagre) | bends (layout-rs / dagre) | area, kpx² (layout-rs / dagre) | label collisions (layout-rs / dagre) | edges through boxes (layout-rs / dagre) | containers (dagre) | boxes in a container not theirs (dagre) | diagram ms (layout-rs / dagre) |"
        );
        println!("|---|---|---|---|---|---|---|---|---|");
        for (name, report) in designs() {
            let (mine, my_time) = timed(&report, diagram::Engine::LayoutRs);
            let (theirs, their_time) = timed(&report, diagram::Engine::Dagre);
            println!(
                "| {name} | {} | {} | {} | {:.1} / {:.1} |",
                cells(&Drawn::of(&mine).measure(), &Drawn::of(&theirs).measure()),
                theirs.containers.len(),
                strangers(&theirs),
                my_time.as_secs_f64() * 1000.0,
                their_time.as_secs_f64() * 1000.0
            );
        }
        return;
    }
    println!(
        "| design | crossings (ours / dot) | bends (ours / dot) | area, kpx² (ours / dot) | label collisions (ours / dot) | edges through boxes (ours / dot) | containers (ours) | boxes in a container not theirs (ours) |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    for (name, report) in designs() {
        let (picture, _) = timed(&report, ours());
        let dot = infralint::pictures::dot::render(&picture.scene);
        println!(
            "| {name} | {} | {} | {} |",
            cells(
                &read_svg(&infralint::pictures::svg::render(&picture)).measure(),
                &read_svg(&graphviz(&dot)).measure()
            ),
            picture.containers.len(),
            strangers(&picture)
        );
    }
}
