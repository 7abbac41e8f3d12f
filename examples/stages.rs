//! `cargo run --release --example stages -- FILE`: where the time and the memory of a
//! check go, stage by stage, on one design: wall time of each stage, and the bytes it
//! leaves allocated (a counting allocator), against the file's size. For BENCHMARKS.md.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(live, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size > layout.size() {
            let live = LIVE.fetch_add(new_size - layout.size(), Ordering::Relaxed)
                + (new_size - layout.size());
            PEAK.fetch_max(live, Ordering::Relaxed);
        } else {
            LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
        }
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn mib(bytes: usize) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

fn main() {
    let path = std::env::args().nth(1).expect("a design file");
    let mut last = Instant::now();
    let mut row = |stage: &str, size: usize| {
        let now = Instant::now();
        println!(
            "{stage:<22} {:>8.1} ms   live {:>7.1} MiB   peak so far {:>7.1} MiB   ({:.1}x the file)",
            (now - last).as_secs_f64() * 1000.0,
            mib(LIVE.load(Ordering::Relaxed)),
            mib(PEAK.load(Ordering::Relaxed)),
            PEAK.load(Ordering::Relaxed) as f64 / size as f64
        );
        last = Instant::now();
    };
    let text = std::fs::read_to_string(&path).expect("a readable file");
    let size = text.len();
    row("read", size);
    let source = infralint::source::SourceFile::new(&path, text);
    row("line index", size);
    let parsed = infralint::syntax::parse(&source, infralint::syntax::Limits::default());
    row("parse (syntax tree)", size);
    let root = parsed.root.expect("a tree");
    let design = infralint::model::build(root, infralint::model::max_connections(size))
        .unwrap_or_else(|e| panic!("{}", e[0].message));
    row("model (tree dropped)", size);
    let graph = infralint::graph::Graph::build(&design);
    row("graph", size);
    let selection = infralint::rules::Selection::default();
    let options = infralint::rules::Options {
        today: "2026-11-23".parse().expect("a date"),
        selection: &selection,
        profile: None,
        severities: &[],
        text: source.text(),
    };
    drop(graph);
    let findings = infralint::rules::check(&design, &options).expect("no design error");
    row("rules (graph inside)", size);
    let report = infralint::FileReport {
        path: path.clone().into(),
        source: Some(source),
        errors: Vec::new(),
        findings,
        design: Some(design),
    };
    let json = infralint::reporters::json::render(std::slice::from_ref(&report));
    row("json", size);
    let text = infralint::reporters::text::render(
        std::slice::from_ref(&report),
        infralint::reporters::text::Style::PLAIN,
    );
    row("text", size);
    println!(
        "file {:.1} MiB, json {} bytes, text {} bytes",
        mib(size),
        json.len(),
        text.len()
    );
}
