//! Command drivers: argument handling, reading inputs, printing and writing outputs.
//! The pipeline they drive is `lib.rs`; what they print is made by `render` and
//! `analysis`.

pub mod analysis;
pub mod check;
pub mod diagram;
pub mod editor;
pub(crate) mod fix;
pub mod report;

use std::path::PathBuf;

use crate::output;

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
