//! `cargo run --release --example generate -- SERVERS [--distinct]`: prints a generated
//! design of about SERVERS servers (see `benches/support/generate.rs`), for
//! `scripts/bench.sh`; `--distinct` gives every server its own software version, so that
//! diagrams fold none.

#[path = "../benches/support/generate.rs"]
mod generate;

fn main() {
    let servers = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000);
    let distinct = std::env::args().any(|a| a == "--distinct");
    print!("{}", generate::design_with(servers, distinct));
}
