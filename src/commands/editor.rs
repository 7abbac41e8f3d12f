//! The editor's and the shell's commands: `schema`, `init`, `completions`, `man`. The
//! language server itself is `crate::lsp`.

use std::path::{Path, PathBuf};

use clap::CommandFactory;

use super::print;
use crate::cli::{Cli, InitArgs, Shell};
use crate::{ExitStatus, model, output, source};

/// `infralint schema`: the JSON Schema of the design format.
pub fn schema() -> ExitStatus {
    print(&model::schema::json_schema_text())
}

/// The starter designs `init` writes: a general one, and a skeleton per exercise.
pub const STARTERS: [(&str, &str); 5] = [
    ("starter", include_str!("../../assets/init/starter.yaml")),
    (
        "exercise 0",
        include_str!("../../assets/init/exercise-0.yaml"),
    ),
    (
        "exercise 1",
        include_str!("../../assets/init/exercise-1.yaml"),
    ),
    (
        "exercise 2",
        include_str!("../../assets/init/exercise-2.yaml"),
    ),
    (
        "exercise 3",
        include_str!("../../assets/init/exercise-3.yaml"),
    ),
];

/// The starter for `--exercise N`, or the general one.
pub fn starter(exercise: Option<u8>) -> &'static str {
    STARTERS[exercise.map_or(0, |n| usize::from(n) + 1)].1
}

/// `infralint init`: writes a starter design; never overwrites anything.
pub fn init(args: &InitArgs) -> ExitStatus {
    let text = starter(args.exercise);
    let path = args
        .file
        .clone()
        .unwrap_or_else(|| PathBuf::from("design.yaml"));
    if path.as_os_str() == "-" {
        return print(text);
    }
    match output::write_new(&path, text.as_bytes()) {
        Ok(()) => {
            say!(
                "wrote `{}`: check it with `infralint check {}`",
                source::display_path(&path),
                source::display_path(&path)
            );
            ExitStatus::Success
        }
        Err(e) => {
            say!("error: cannot write `{}`: {e}", source::display_path(&path));
            ExitStatus::Error
        }
    }
}

/// `infralint completions SHELL`: the shell's completion script.
pub fn completions(shell: Shell) -> ExitStatus {
    let mut command = Cli::command();
    let mut out = Vec::new();
    let name = command.get_name().to_string();
    match shell {
        Shell::Bash => {
            clap_complete::generate(clap_complete::Shell::Bash, &mut command, name, &mut out)
        }
        Shell::Zsh => {
            clap_complete::generate(clap_complete::Shell::Zsh, &mut command, name, &mut out)
        }
        Shell::Fish => {
            clap_complete::generate(clap_complete::Shell::Fish, &mut command, name, &mut out)
        }
        Shell::Powershell => clap_complete::generate(
            clap_complete::Shell::PowerShell,
            &mut command,
            name,
            &mut out,
        ),
        Shell::Elvish => {
            clap_complete::generate(clap_complete::Shell::Elvish, &mut command, name, &mut out)
        }
    }
    print(&String::from_utf8_lossy(&out))
}

/// `infralint man`: the manual page, roff: the options and every command with what it
/// does (`infralint help COMMAND` gives a command's own options).
pub fn man() -> ExitStatus {
    let mut out = Vec::new();
    match clap_mangen::Man::new(Cli::command()).render(&mut out) {
        Ok(()) => print(&String::from_utf8_lossy(&out)),
        Err(e) => {
            say!("error: cannot render the manual page: {e}");
            ExitStatus::Error
        }
    }
}

/// The path of a starter by its index in [`STARTERS`], for tests and docs.
pub fn starter_file(index: usize) -> &'static Path {
    Path::new(
        [
            "assets/init/starter.yaml",
            "assets/init/exercise-0.yaml",
            "assets/init/exercise-1.yaml",
            "assets/init/exercise-2.yaml",
            "assets/init/exercise-3.yaml",
        ][index],
    )
}
