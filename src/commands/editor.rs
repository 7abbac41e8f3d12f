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
    match manual() {
        Ok(page) => print(&page),
        Err(e) => {
            say!("error: cannot render the manual page: {e}");
            ExitStatus::Error
        }
    }
}

/// One complete page: the command, then each subcommand with its synopsis, description
/// and every option (clap_mangen would point at a page per subcommand that nothing
/// writes), then EXIT STATUS, FILES and ENVIRONMENT.
fn manual() -> std::io::Result<String> {
    let command = Cli::command();
    let man = clap_mangen::Man::new(command.clone());
    let mut out = Vec::new();
    man.render_title(&mut out)?;
    man.render_name_section(&mut out)?;
    man.render_synopsis_section(&mut out)?;
    man.render_description_section(&mut out)?;
    man.render_options_section(&mut out)?;
    out.extend_from_slice(b".SH COMMANDS\n");
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = format!("infralint {}", sub.get_name());
        let man = clap_mangen::Man::new(sub.clone().bin_name(name.clone()));
        let mut part = Vec::new();
        man.render_synopsis_section(&mut part)?;
        man.render_description_section(&mut part)?;
        man.render_options_section(&mut part)?;
        let part = String::from_utf8_lossy(&part)
            .replace(".SH SYNOPSIS\n", &format!(".SS \"{name}\"\n"))
            .replace(".SH DESCRIPTION\n", ".PP\n")
            .replace(".SH OPTIONS\n", ".PP\nOptions:\n");
        out.extend_from_slice(part.as_bytes());
    }
    out.extend_from_slice(MAN_SECTIONS.as_bytes());
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// What clap does not know: how a run ends, the files it reads, its environment.
const MAN_SECTIONS: &str = r#".SH "EXIT STATUS"
.TP
\fB0\fR
The command did its work, and no open finding reaches \fB\-\-fail\-on\fR.
.TP
\fB1\fR
An open finding reaches \fB\-\-fail\-on\fR (\fBcheck\fR; \fB\-\-diff\fR: there is a fix to show), an outcome stops (\fBsimulate\fR), or the language server's connection ended without a shutdown.
.TP
\fB2\fR
Something could not be checked or written: a design error, an \fIinfralint.toml\fR that cannot be read, a bad argument, an output that cannot be written.
.SH FILES
.TP
\fIinfralint.toml\fR
A team's settings (select, ignore, fail\-on, today, format, baseline, exclude, force\-exclude, per\-rule severity). The nearest file from a design's folder up to the repository root governs that design, whole; \fB\-\-config\fR names one for every design and \fB\-\-isolated\fR ignores them all. See docs/ci.md.
.TP
baseline (JSON)
Written by \fBcheck \-\-write\-baseline\fR and read by \fB\-\-baseline\fR: the open findings by rule, path and target, so that only new ones are reported.
.SH ENVIRONMENT
.TP
\fBNO_COLOR\fR
When set and not empty, text output has no colour (it has none when not printed to a terminal either).
"#;

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
