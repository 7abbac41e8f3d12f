//! The command line, as clap derives it. Parsing only: `lib.rs` runs what it asks for.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "infralint",
    version,
    about = "A design linter for web infrastructure",
    long_about = "infralint reads a YAML design of a web infrastructure (servers, components, DNS, \
                  clusters, flows), builds its component graph and reports what a reviewer would \
                  find: single points of failure, missing firewalls, plaintext traffic, DNS mistakes."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check designs and report design errors and findings.
    ///
    /// Exit status: 0 when nothing at or above `--fail-on` was found, 1 when something was,
    /// 2 when a design could not be analysed or the command line was wrong.
    Check(CheckArgs),
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Design files, and folders to walk for `*.yaml` and `*.yml` designs.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// How to print the results.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// The lowest severity that makes the run fail (exit 1).
    #[arg(long, value_enum, default_value_t = FailOn::Warning, value_name = "SEVERITY")]
    pub fail_on: FailOn,

    /// Refuse design files larger than this many MiB.
    #[arg(long, default_value_t = 64, value_name = "MIB")]
    pub max_file_size: u64,

    /// Also list the files that a folder walk skipped because they are not designs.
    #[arg(short, long)]
    pub verbose: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Compiler-style diagnostics with the source line underlined.
    Text,
    /// One JSON document on stdout, whatever the exit status.
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}
