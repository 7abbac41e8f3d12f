//! Command drivers: argument handling, reading inputs, printing and writing outputs.
//! The pipeline they drive is `lib.rs`; what they print is made by `render` and
//! `analysis`. [`run`] dispatches a parsed command line to its driver.

pub mod analysis;
pub mod check;
pub mod diagram;
pub mod editor;
pub(crate) mod fix;
pub mod report;

use std::io::Write;
use std::path::PathBuf;

use crate::cli::{Cli, Command};
use crate::{ExitStatus, lsp, output, reporters, rules};

/// Runs a parsed command line; the answer is the process's exit code.
pub fn run(cli: Cli) -> ExitStatus {
    match cli.command {
        Command::Check(args) => check::check(&args),
        Command::Diagram(args) => diagram::diagram(&args),
        Command::Report(args) => report::report(&args),
        Command::Simulate(args) => analysis::simulate(&args),
        Command::Cuts(args) => analysis::cuts(&args),
        Command::Availability(args) => analysis::availability(&args),
        Command::Export(args) => analysis::export(&args),
        Command::Rules => print(&reporters::rules_table()),
        Command::Schema => editor::schema(),
        Command::Lsp => lsp::serve(),
        Command::Init(args) => editor::init(&args),
        Command::Completions { shell } => editor::completions(shell),
        Command::Man => editor::man(),
        Command::Explain { rule } => match rules::find(&rule) {
            Some(rule) => print(&rules::page(rule)),
            None if error_page(&rule).is_some() => print(&error_page(&rule).unwrap_or_default()),
            None => {
                let hint = rules::suggest_rule(&rule)
                    .map(|near| format!(" (did you mean `{near}`?)"))
                    .unwrap_or_default();
                say!(
                    "error: `{rule}` names no rule or design error{hint}; `infralint rules` lists the rules, docs/design-errors.md the errors"
                );
                ExitStatus::Error
            }
        },
    }
}

/// Writes to stdout; a closed pipe (`infralint ... | head`) is not an error worth a panic.
pub(crate) fn print(text: &str) -> ExitStatus {
    let mut lock = std::io::stdout().lock();
    let _ = lock.write_all(text.as_bytes()).and_then(|()| lock.flush());
    ExitStatus::Success
}

/// Where each design's output goes, by its output name (see [`output::names`]) and an
/// extension: one file or standard output for one design, a folder for several (or when
/// `-o` is a folder), else beside each design. `None` for standard output. Every file is
/// resolved (symlinks followed, non-regular files and inputs refused). `Err` is the
/// message of a run that must stop, with exit code 2.
pub(crate) fn destinations(
    output: Option<&std::path::Path>,
    inputs: &[PathBuf],
    several: bool,
    extension: &str,
) -> Result<(Vec<Option<PathBuf>>, bool), String> {
    let into_folder = match output {
        Some(out) if out.as_os_str() == "-" => {
            if several {
                return Err(
                    "`-o -` writes one design to standard output; name a folder for several"
                        .to_string(),
                );
            }
            false
        }
        Some(out) => several || out.is_dir(),
        None => false,
    };
    let reserved: &[&str] = if into_folder { &["index"] } else { &[] };
    let names = output::names(inputs, reserved)?;
    let mut targets = Vec::with_capacity(inputs.len());
    for (input, name) in inputs.iter().zip(&names) {
        let requested = match output {
            Some(out) if into_folder => out.join(output::with_extension(name, extension)),
            Some(out) => out.to_path_buf(),
            None if several => {
                input
                    .parent()
                    .unwrap_or(std::path::Path::new(""))
                    .join(output::with_extension(
                        std::path::Path::new(name.file_name().unwrap_or_default()),
                        extension,
                    ))
            }
            None => {
                targets.push(None);
                continue;
            }
        };
        targets.push(match output::resolve(&requested, inputs)? {
            output::Target::Stdout => None,
            output::Target::File(path) => Some(path),
        });
    }
    Ok((targets, into_folder))
}

/// A design error's section of `docs/design-errors.md`, by its code or name: what
/// `explain E301` prints.
fn error_page(word: &str) -> Option<String> {
    let code = crate::diagnostic::ErrorCode::ALL
        .iter()
        .find(|c| c.as_str().eq_ignore_ascii_case(word) || c.name().eq_ignore_ascii_case(word))?;
    let docs = include_str!("../../docs/design-errors.md");
    let heading = format!("## {} {}", code.as_str(), code.name());
    let start = docs.find(&heading)? + heading.len();
    let body = docs[start..]
        .split("\n## ")
        .next()
        .unwrap_or_default()
        .trim();
    Some(format!(
        "# {} {}\n\nA design error: the file cannot be analysed (exit 2) until it is mended.\n\n{body}\n",
        code.as_str(),
        code.name()
    ))
}
