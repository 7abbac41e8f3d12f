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
    /// Draw designs as whiteboard diagrams, with their findings.
    Diagram(DiagramArgs),
    /// Write answer reports: markdown (with the diagram as a sibling SVG) or HTML.
    Report(ReportArgs),
    /// What if these servers or zones fail: which requests and writes still complete,
    /// by which path, and what stops first.
    ///
    /// Exit status: 0 when every outcome still completes, 1 when one stops, 2 when the
    /// design could not be analysed or a name is unknown.
    Simulate(SimulateArgs),
    /// Every minimal set of servers whose joint failure stops every request, and every
    /// write.
    Cuts(CutsArgs),
    /// How available requests and writes are, in nines, and which server to improve
    /// first (Birnbaum importance).
    Availability(AvailabilityArgs),
    /// Write a design for another tool: its fault tree as Open-PSA MEF XML.
    Export(ExportArgs),
    /// List every rule: code, name, severity and what it finds.
    Rules,
    /// Show what a rule checks, why it matters and how to fix it.
    Explain {
        /// A rule's code (AV001) or name (single-point-of-failure), or a design error's
        /// code (E301) or name (unknown-name).
        #[arg(value_name = "CODE", value_parser = Words::Explainable, hide_possible_values = true)]
        rule: String,
    },
    /// Print the JSON Schema of the design format (draft 2020-12), for editors.
    Schema,
    /// Run the language server over standard input and output (LSP), for editors.
    Lsp,
    /// Write a commented starter design that checks with no design error.
    Init(InitArgs),
    /// Print a shell's completion script.
    Completions {
        /// The shell to complete for.
        #[arg(value_enum)]
        shell: Shell,
    },
    /// Print the manual page (roff), for `man`.
    Man,
}

#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// A skeleton for one of the four exercises: the parts it requires, named, without
    /// the answers.
    #[arg(long, value_parser = clap::value_parser!(u8).range(0..=3))]
    pub exercise: Option<u8>,

    /// The file to write [default: design.yaml]; an existing file is never overwritten.
    /// `-` prints the design instead.
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Powershell,
    Elvish,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Design files, and folders to walk for `*.yaml` and `*.yml` designs; `-` alone reads
    /// one design from standard input.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// The name a design read from standard input (`-`) goes by: in every output, and
    /// for finding its `infralint.toml` [default: -].
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<PathBuf>,

    /// How to print the results [default: text].
    #[arg(long, value_enum)]
    pub format: Option<Format>,

    /// Write the results to FILE (whole, or not at all) instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Print how many findings each rule made (open ones, by severity), instead of the
    /// findings.
    #[arg(long, conflicts_with = "format")]
    pub statistics: bool,

    /// The lowest severity that makes the run fail (exit 1) [default: warning].
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<FailOn>,

    /// Run only these rules: codes, names or code prefixes (AV001, missing-firewall, SE).
    #[arg(long, value_delimiter = ',', value_name = "RULES", value_parser = Words::Rules, hide_possible_values = true)]
    pub select: Vec<String>,

    /// Do not run these rules: codes, names or code prefixes.
    #[arg(long, value_delimiter = ',', value_name = "RULES", value_parser = Words::Rules, hide_possible_values = true)]
    pub ignore: Vec<String>,

    /// Judge certificate expiry and `until:` dates against this day instead of today (UTC).
    #[arg(long, value_parser = parse_date, value_name = "YYYY-MM-DD")]
    pub today: Option<jiff::civil::Date>,

    /// Check every design against this exercise profile: a built-in name or a profile file.
    /// Overrides the designs' own `exercise:`.
    #[arg(long, value_name = "NAME|FILE")]
    pub profile: Option<String>,

    /// Refuse design files larger than this many MiB.
    #[arg(long, default_value_t = 64, value_name = "MIB")]
    pub max_file_size: u64,

    /// Also list the files that a folder walk skipped because they are not designs.
    #[arg(short, long)]
    pub verbose: bool,

    /// Record the current findings in FILE (a sorted JSON baseline) and exit 0.
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    pub write_baseline: Option<PathBuf>,

    /// Report only findings not in this baseline; its entries that no longer match are
    /// listed as fixed.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Read settings from this file for every design, instead of each design's nearest
    /// `infralint.toml`.
    #[arg(long, value_name = "FILE", conflicts_with = "isolated")]
    pub config: Option<PathBuf>,

    /// Ignore every `infralint.toml` (a teacher checking a class: no student's file
    /// silences that student's findings).
    #[arg(long, visible_alias = "no-config")]
    pub isolated: bool,

    /// Print the settings in force, and where each comes from, and exit.
    #[arg(long)]
    pub show_config: bool,

    /// Leave out the files `exclude` names even when they are named here (as pre-commit
    /// names every changed file), not only those a folder walk finds.
    #[arg(long)]
    pub force_exclude: bool,

    /// Apply the safe fixes to the design files (each fixed text is checked again before it
    /// is written), then report what is left.
    #[arg(long, conflicts_with = "write_baseline")]
    pub fix: bool,

    /// Print the fixes as a unified diff instead of writing them, and nothing else; exit 1
    /// when there is one.
    #[arg(long, conflicts_with_all = ["fix", "write_baseline"])]
    pub diff: bool,

    /// With --fix or --diff, apply the unsafe fixes too: those that change what the design
    /// means (removing a lapsed acceptance, pointing a write at the primary).
    #[arg(long)]
    pub unsafe_fixes: bool,
}

#[derive(Debug, clap::Args)]
pub struct DiagramArgs {
    /// Design files, and folders of designs.
    #[arg(required = true, value_name = "DESIGN")]
    pub paths: Vec<PathBuf>,

    /// Where to write: a file for one design, a folder for several. Without it, one
    /// design's diagram goes to stdout, and several designs' next to each design file.
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,

    /// Leave the findings off the picture.
    #[arg(long)]
    pub no_findings: bool,

    /// What to write.
    #[arg(long, value_enum, default_value_t = PictureFormat::Svg)]
    pub format: PictureFormat,

    /// Who places the boxes: layered (ours, in tiers, with clusters and zones drawn as
    /// containers, no line under a box), dagre (dugong, the engine before it), layout-rs
    /// (in tiers, without containers), or Graphviz's `dot` when it is installed (with
    /// containers); drawn in our style either way.
    #[arg(long, value_enum, default_value_t = crate::diagram::Engine::Layered)]
    pub layout: crate::diagram::Engine,

    /// How monitoring flows are drawn: lines from each agent, or a line of text in each
    /// source box; `auto` draws lines up to 6 of them.
    #[arg(long, value_enum, default_value_t = crate::diagram::Monitoring::Auto)]
    pub monitoring: crate::diagram::Monitoring,

    /// Judge certificate expiry against this day instead of today (UTC).
    #[arg(long, value_parser = parse_date, value_name = "YYYY-MM-DD")]
    pub today: Option<jiff::civil::Date>,
}

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// Design files, and folders of designs.
    #[arg(required = true, value_name = "DESIGN")]
    pub paths: Vec<PathBuf>,

    /// Where to write: a file for one design, a folder for several. Without it, one
    /// design's report goes to standard output, and several designs' each next to its
    /// design (DESIGN.md or DESIGN.html, with DESIGN.svg).
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,

    /// Write one self-contained HTML page instead of markdown. Several designs into a
    /// folder are always HTML pages, with `index.html` and `index.csv`.
    #[arg(long)]
    pub html: bool,

    /// Print nothing but errors: no progress bar, no list of files written.
    #[arg(short, long)]
    pub quiet: bool,

    /// Answer this exercise profile (a built-in name or a profile file) instead of the
    /// designs' own `exercise:`.
    #[arg(long, value_name = "NAME|FILE")]
    pub profile: Option<String>,

    /// Judge certificate expiry and `until:` against this day instead of today (UTC).
    #[arg(long, value_parser = parse_date, value_name = "YYYY-MM-DD")]
    pub today: Option<jiff::civil::Date>,

    /// Ignore every `infralint.toml` (a teacher's class reports: no student's file
    /// silences that student's findings); without it, each design's nearest file decides
    /// its rules, as `check` does.
    #[arg(long)]
    pub isolated: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum PictureFormat {
    /// A standalone SVG drawing.
    Svg,
    /// Graphviz DOT, for people who lay out with Graphviz.
    Dot,
    /// A PNG image, drawn from the SVG with the shipped font.
    Png,
    /// A Mermaid flowchart, drawn inline by GitHub and GitLab markdown.
    Mermaid,
    /// D2 (d2lang.com), with clusters and zones as containers.
    D2,
}

impl PictureFormat {
    pub fn extension(self) -> &'static str {
        match self {
            PictureFormat::Svg => "svg",
            PictureFormat::Dot => "dot",
            PictureFormat::Png => "png",
            PictureFormat::Mermaid => "mmd",
            PictureFormat::D2 => "d2",
        }
    }
}

/// `--format` of `check`: declared with the reporters, one line each (`reporters::formats!`).
pub use crate::reporters::Format;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

fn parse_date(text: &str) -> Result<jiff::civil::Date, String> {
    match text.parse::<jiff::civil::Date>() {
        Ok(date) if text.len() == 10 => Ok(date),
        _ => Err(format!(
            "`{text}` is not a date: write YYYY-MM-DD, such as 2027-06-30"
        )),
    }
}

/// Text for people, or JSON for programs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum AnalysisFormat {
    Text,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct SimulateArgs {
    /// The design file.
    #[arg(value_name = "DESIGN")]
    pub design: PathBuf,

    /// Servers that fail, comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "SERVER")]
    pub fail: Vec<String>,

    /// Zones that fail (every server in them), comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "ZONE")]
    pub fail_zone: Vec<String>,

    /// How to print the result.
    #[arg(long, value_enum, default_value_t = AnalysisFormat::Text)]
    pub format: AnalysisFormat,

    /// Also draw the diagram with the failed servers greyed and a surviving path bold.
    #[arg(long, value_name = "OUT")]
    pub svg: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct CutsArgs {
    /// The design file.
    #[arg(value_name = "DESIGN")]
    pub design: PathBuf,

    /// The largest cut set to look for, in servers (at least 1: with 0, "no set" would
    /// read as "no single point of failure").
    #[arg(long, default_value_t = 3, value_name = "N", value_parser = at_least_one)]
    pub max_size: usize,

    /// How to print the result.
    #[arg(long, value_enum, default_value_t = AnalysisFormat::Text)]
    pub format: AnalysisFormat,
}

#[derive(Debug, clap::Args)]
pub struct AvailabilityArgs {
    /// The design file.
    #[arg(value_name = "DESIGN")]
    pub design: PathBuf,

    /// How to print the result.
    #[arg(long, value_enum, default_value_t = AnalysisFormat::Text)]
    pub format: AnalysisFormat,
}

/// Formats another tool reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// Open-PSA Model Exchange Format: the fault tree, for SCRAM and other tools.
    Mef,
}

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// The design file.
    #[arg(value_name = "DESIGN")]
    pub design: PathBuf,

    /// The format to write.
    #[arg(long, value_enum, default_value_t = ExportFormat::Mef)]
    pub format: ExportFormat,

    /// Where to write it (`-` or nothing: standard output).
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,
}

/// A count of at least 1.
fn at_least_one(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(0) => Err("must be at least 1".to_string()),
        Ok(n) => Ok(n),
        Err(e) => Err(e.to_string()),
    }
}

/// Words the shell completions offer where files make no sense: any word is accepted
/// here, and the command refuses an unknown one with the nearest, in one line (clap
/// would list all of them).
#[derive(Clone, Copy)]
enum Words {
    /// `--select`, `--ignore`: rule codes, names and the code prefixes.
    Rules,
    /// `explain`: every rule's code and name, and every design error's.
    Explainable,
}

impl clap::builder::TypedValueParser for Words {
    type Value = String;

    fn parse_ref(
        &self,
        _: &clap::Command,
        _: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        Ok(value.to_string_lossy().into_owned())
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        let mut words: Vec<&'static str> = crate::rules::ALL
            .iter()
            .flat_map(|r| [r.code, r.name])
            .collect();
        match self {
            Words::Rules => {
                let mut prefixes: Vec<&'static str> =
                    crate::rules::ALL.iter().map(|r| &r.code[..2]).collect();
                prefixes.dedup();
                words.extend(prefixes);
            }
            Words::Explainable => words.extend(
                crate::diagnostic::ErrorCode::ALL
                    .iter()
                    .flat_map(|e| [e.as_str(), e.name()]),
            ),
        }
        Some(Box::new(
            words.into_iter().map(clap::builder::PossibleValue::new),
        ))
    }
}
