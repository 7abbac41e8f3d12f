//! `cargo run --release --example scan -- FILE`: the floor of any YAML tool that keeps
//! positions. Reads the file and pulls every saphyr-parser event with its span, doing
//! nothing else; prints the number of events. `scripts/bench.sh` compares `check` to it.

use saphyr_parser::Parser;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let path = std::env::args().nth(1).expect("a file to scan");
    let text = std::fs::read_to_string(path).expect("a readable UTF-8 file");
    let mut events = 0usize;
    let mut last = 0usize;
    for event in Parser::new_from_str(&text) {
        let (_, span) = event.expect("valid YAML");
        last = last.max(span.end.index());
        events += 1;
    }
    println!("{events} events, last at byte {last}");
}
