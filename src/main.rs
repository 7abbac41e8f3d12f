use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = infralint::cli::Cli::parse();
    ExitCode::from(infralint::run(cli))
}
