//! Which files to check, and reading one safely.
//!
//! A path named on the command line is always checked. A folder is walked recursively,
//! sorted by name, skipping hidden entries and what `.gitignore` excludes, never following
//! symlinks; what it finds is a candidate, and becomes a design only if its top level has
//! `servers` or `infralint` (decided after parsing, in `lib.rs`).

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, ErrorCode};
use crate::source::{SourceFile, Span, display_path};

/// A file to check, and whether a walk found it (then it may turn out not to be a design).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    pub path: PathBuf,
    pub walked: bool,
}

/// What a command-line path stands for.
pub enum Target {
    /// The files to check, and the parts of a folder that could not be read (an
    /// unreadable folder, a broken entry): each is reported, never dropped.
    Files(Vec<Candidate>, Vec<(PathBuf, Diagnostic)>),
    Missing(PathBuf, Diagnostic),
}

pub fn expand(path: &Path, exclude: &[String]) -> Target {
    let metadata = match std::fs::metadata(path) {
        Ok(metadata) => metadata,
        Err(error) => return Target::Missing(path.to_path_buf(), path_error(path, &error)),
    };
    if !metadata.is_dir() {
        return Target::Files(
            vec![Candidate {
                path: path.to_path_buf(),
                walked: false,
            }],
            Vec::new(),
        );
    }
    let mut files = Vec::new();
    let mut unread = Vec::new();
    let walk = ignore::WalkBuilder::new(path)
        .hidden(true)
        .git_ignore(true)
        .git_global(false)
        .git_exclude(true)
        .require_git(false)
        .ignore(false)
        .parents(true)
        .follow_links(false)
        .sort_by_file_name(std::ffi::OsStr::cmp)
        .overrides(excluded(path, exclude))
        .build();
    for entry in walk {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                let place = walk_error_path(&error).unwrap_or_else(|| path.to_path_buf());
                unread.push((
                    place.clone(),
                    Diagnostic::about_path(ErrorCode::Unreadable, format!(
                        "cannot read `{}`: {}",
                        display_path(&place),
                        walk_error_reason(&error)
                    ))
                    .help("designs in it were not checked: fix its permissions, or leave it out of the paths"),
                ));
                continue;
            }
        };
        let is_file = entry.file_type().is_some_and(|t| t.is_file());
        let is_yaml = entry
            .path()
            .extension()
            .is_some_and(|e| e == "yaml" || e == "yml");
        if is_file && is_yaml {
            files.push(Candidate {
                path: entry.into_path(),
                walked: true,
            });
        }
    }
    Target::Files(files, unread)
}

/// The path a walk error is about, when it says.
fn walk_error_path(error: &ignore::Error) -> Option<PathBuf> {
    match error {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            walk_error_path(err)
        }
        _ => None,
    }
}

/// A walk error without the path it names (the message gives the path once).
fn walk_error_reason(error: &ignore::Error) -> String {
    match error {
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithDepth { err, .. }
        | ignore::Error::WithLineNumber { err, .. } => walk_error_reason(err),
        ignore::Error::Io(io) if io.kind() == std::io::ErrorKind::PermissionDenied => {
            "permission denied".to_string()
        }
        other => other.to_string(),
    }
}

/// The walk's overrides: every `exclude` glob, relative to the folder walked, left out.
/// A glob that does not parse is left out too (the config file is checked on load).
fn excluded(root: &Path, exclude: &[String]) -> ignore::overrides::Override {
    let mut builder = ignore::overrides::OverrideBuilder::new(root);
    for glob in exclude {
        let _ = builder.add(&format!("!{glob}"));
    }
    builder
        .build()
        .unwrap_or_else(|_| ignore::overrides::Override::empty())
}

fn path_error(path: &Path, error: &std::io::Error) -> Diagnostic {
    let shown = display_path(path);
    match error.kind() {
        std::io::ErrorKind::NotFound => {
            Diagnostic::about_path(ErrorCode::Unreadable, format!("`{shown}` does not exist"))
                .help("check the path: `infralint check` takes design files and folders of designs")
        }
        _ => Diagnostic::about_path(
            ErrorCode::Unreadable,
            format!("cannot read `{shown}`: {error}"),
        ),
    }
}

/// A file that could not be read as text, the source to show (empty when the file was not
/// read), and why.
pub struct Unreadable {
    pub source: SourceFile,
    pub error: Diagnostic,
}

/// Reads a design file. A file over `max_bytes` is refused before it is read; a file that
/// is not UTF-8 is reported at its first bad byte. `Err` carries the source to show (empty
/// when the file was not read) and the error.
pub fn read(path: &Path, max_bytes: u64) -> Result<SourceFile, Box<Unreadable>> {
    let empty = || SourceFile::new(path, String::new());
    let too_big = |size: u64| {
        Box::new(Unreadable {
            source: empty(),
            error:
            Diagnostic::at(ErrorCode::TooLarge,
                Span::at(0),
                format!(
                    "the file is {}, over the limit of {}",
                    human_size(size),
                    human_size(max_bytes)
                ),
            )
            .help("a design is a few kilobytes; if this one really is larger, raise the limit with `--max-file-size`"),
        })
    };
    let metadata = std::fs::metadata(path).map_err(|e| {
        Box::new(Unreadable {
            source: empty(),
            error: path_error(path, &e),
        })
    })?;
    if !metadata.is_file() {
        // Opening a FIFO would wait for a writer for ever; a device may never end.
        return Err(Box::new(Unreadable {
            source: empty(),
            error: Diagnostic::about_path(ErrorCode::Unreadable, format!(
                "`{}` is not a regular file (a FIFO, a socket or a device): refusing to read it",
                display_path(path)
            ))
            .help("name design files, or folders of them"),
        }));
    }
    if metadata.len() > max_bytes {
        return Err(too_big(metadata.len()));
    }
    // Sized from the metadata, so that reading does not grow the buffer step by step
    // (one more byte, to see a file that grew past the limit since).
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).map_or(0, |n| n + 1));
    std::fs::File::open(path)
        .and_then(|file| {
            file.take(max_bytes.saturating_add(1))
                .read_to_end(&mut bytes)
        })
        .map_err(|e| {
            Box::new(Unreadable {
                source: empty(),
                error: path_error(path, &e),
            })
        })?;
    decode(path, bytes, max_bytes)
}

/// A design read from standard input (`check -`), named `name` in every output: the
/// same size limit, read up to it and one byte more, and the same UTF-8 check.
pub fn read_stdin(name: &Path, max_bytes: u64) -> Result<SourceFile, Box<Unreadable>> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| {
            Box::new(Unreadable {
                source: SourceFile::new(name, String::new()),
                error: Diagnostic::about_path(
                    ErrorCode::Unreadable,
                    format!("cannot read standard input: {e}"),
                ),
            })
        })?;
    decode(name, bytes, max_bytes)
}

/// Bytes read as a design's text: refused past the limit or when not UTF-8.
fn decode(path: &Path, bytes: Vec<u8>, max_bytes: u64) -> Result<SourceFile, Box<Unreadable>> {
    let empty = || SourceFile::new(path, String::new());
    if bytes.len() as u64 > max_bytes {
        return Err(Box::new(Unreadable {
            source: empty(),
            error: Diagnostic::at(
                ErrorCode::TooLarge,
                Span::at(0),
                format!(
                    "the file is over the limit of {}",
                    human_size(max_bytes)
                ),
            )
            .help("a design is a few kilobytes; if this one really is larger, raise the limit with `--max-file-size`"),
        }));
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceFile::new(path, text)),
        Err(error) => {
            let valid = error.utf8_error().valid_up_to();
            let bad = error.as_bytes()[valid];
            let lossy = String::from_utf8_lossy(error.as_bytes()).into_owned();
            let source = SourceFile::new(path, lossy);
            // The lossy text is the same bytes up to the first bad one, less a BOM that
            // `SourceFile` drops from the front.
            let bom = if error.as_bytes().starts_with("\u{feff}".as_bytes()) {
                3
            } else {
                0
            };
            let offset = valid - bom;
            Err(Box::new(Unreadable {
                source,
                error: Diagnostic::at(ErrorCode::NotText, Span::at(offset), format!("the file is not UTF-8: byte 0x{bad:02x} is not text"))
                    .label("not UTF-8")
                    .help("save the design as UTF-8; if this is not a design, leave it out of the paths to check"),
            }))
        }
    }
}

fn human_size(bytes: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if bytes >= MIB {
        format!("{:.1} MiB", bytes as f64 / MIB as f64)
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_utf8_is_placed_at_the_first_bad_byte() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.yaml");
        std::fs::write(&path, b"name: x\nservers: \xff\xfe\n").unwrap();
        let unreadable = read(&path, 1024).unwrap_err();
        let position = unreadable
            .source
            .position(unreadable.error.span.unwrap().start as usize);
        assert_eq!((position.line, position.column), (2, 10));
    }

    #[test]
    fn too_big_is_refused_before_reading() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.yaml");
        std::fs::write(&path, vec![b'a'; 2048]).unwrap();
        let error = read(&path, 1024).unwrap_err().error;
        assert!(
            error.message.contains("over the limit"),
            "{}",
            error.message
        );
    }

    #[test]
    fn walk_is_sorted_skips_hidden_ignored_and_other_extensions() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for name in [
            "b.yaml",
            "a.yml",
            "c.txt",
            ".hidden.yaml",
            "sub/d.yaml",
            "skip/e.yaml",
        ] {
            let path = root.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "servers: {}\n").unwrap();
        }
        std::fs::write(root.join(".gitignore"), "skip/\n").unwrap();
        let Target::Files(files, _) = expand(root, &[]) else {
            panic!("the folder exists")
        };
        let names: Vec<_> = files
            .iter()
            .map(|c| {
                c.path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        assert_eq!(names, ["a.yml", "b.yaml", "sub/d.yaml"]);
    }
}
