use std::process::ExitCode;

use clap::Parser;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = infralint::cli::Cli::parse();
    ExitCode::from(infralint::commands::run(cli))
}
