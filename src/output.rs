//! Writing what infralint makes: every file whole or not at all, never over one of the
//! designs being read, never replacing something that is not a regular file, one
//! output per input (no two inputs share a name), and no temporary file left behind
//! when the run is interrupted.

use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::sync::{Mutex, Once};

use crate::source::display_path;

/// Where one output goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// `-o -`.
    Stdout,
    /// A regular file, existing or not; a symlink is resolved to what it points at.
    File(PathBuf),
}

/// Temporary files being written, removed if the run is interrupted.
static TEMPORARIES: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
static HANDLER: Once = Once::new();

/// On SIGINT or SIGTERM, remove the temporary files being written and exit with 130.
/// Installed once, by the commands that write files.
pub fn clean_up_on_interrupt() {
    HANDLER.call_once(|| {
        let installed = ctrlc::set_handler(|| {
            if let Ok(list) = TEMPORARIES.lock() {
                for path in list.iter() {
                    let _ = std::fs::remove_file(path);
                }
            }
            eprintln!("interrupted: no file was left half-written");
            std::process::exit(130);
        });
        if let Err(e) = installed {
            eprintln!("warning: cannot watch for interruptions: {e}");
        }
    });
}

/// The file `requested` names, resolved: `-` is standard output; a symlink is followed
/// (to a target that may not exist yet); anything that exists and is not a regular file
/// (a folder, a FIFO, a device) is refused, and so is any of `inputs`.
pub fn resolve(requested: &Path, inputs: &[PathBuf]) -> Result<Target, String> {
    if requested.as_os_str() == "-" {
        return Ok(Target::Stdout);
    }
    let mut path = requested.to_path_buf();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let target = std::fs::read_link(&path)
                    .map_err(|e| format!("cannot read the link `{}`: {e}", display_path(&path)))?;
                path = match path.parent() {
                    Some(dir) if target.is_relative() => dir.join(target),
                    _ => target,
                };
            }
            Ok(meta) if !meta.is_file() => {
                return Err(format!(
                    "`{}` is not a regular file (a folder, a FIFO or a device): refusing to replace it",
                    display_path(requested)
                ));
            }
            _ => {
                if let Some(input) = inputs.iter().find(|input| same_file(input, &path)) {
                    return Err(format!(
                        "`{}` is the design `{}`: refusing to overwrite an input",
                        display_path(requested),
                        display_path(input)
                    ));
                }
                return Ok(Target::File(path));
            }
        }
    }
    Err(format!(
        "`{}` is a chain of too many symlinks",
        display_path(requested)
    ))
}

/// True when both paths name one existing file.
fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (std::fs::metadata(a), std::fs::metadata(b)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        }
    }
}

/// Writes a file whole or not at all: to a temporary file beside it, then renamed. The
/// folder is created when missing; the temporary file is removed if the run is
/// interrupted. Ordinary permissions (0666 less the umask).
pub fn write_atomically(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    std::fs::create_dir_all(folder_of(path))?;
    through_temporary(path, contents, |file| {
        file.persist(path).map(drop).map_err(|e| e.error)
    })
}

/// Replaces an existing file's contents whole or not at all (`check --fix` on a design):
/// through a symlink, the file it points at; the file's permissions kept.
pub fn replace(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let real = std::fs::canonicalize(path)?;
    let permissions = std::fs::metadata(&real)?.permissions();
    through_temporary(&real, contents, |file| {
        file.as_file().set_permissions(permissions)?;
        file.persist(&real).map(drop).map_err(|e| e.error)
    })
}

/// Writes a new file whole or not at all, never replacing anything: an existing path (a
/// file, a folder, a symlink, even a dangling one) is an error, checked by the rename
/// itself (`persist_noclobber`), so a file that appears meanwhile is not replaced either.
pub fn write_new(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    if std::fs::symlink_metadata(path).is_ok() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            "it exists already: infralint never overwrites it",
        ));
    }
    through_temporary(path, contents, |file| {
        file.persist_noclobber(path).map(drop).map_err(|e| e.error)
    })
}

fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// The one way files are written: `contents` into a temporary file beside `path`
/// (ordinary permissions, registered for removal on interruption), then `rename` puts it
/// in place; the registration is dropped whatever happened.
fn through_temporary(
    path: &Path,
    contents: &[u8],
    rename: impl FnOnce(tempfile::NamedTempFile) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".infralint-");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut file = builder.tempfile_in(folder_of(path))?;
    let temporary = file.path().to_path_buf();
    if let Ok(mut list) = TEMPORARIES.lock() {
        list.push(temporary.clone());
    }
    let result = file
        .write_all(contents)
        .and_then(|()| file.flush())
        .map(|()| hold_for_interruption_test(&temporary))
        .and_then(|()| rename(file));
    if let Ok(mut list) = TEMPORARIES.lock() {
        list.retain(|p| p != &temporary);
    }
    result
}

/// Set to any value, the test of interruptions (tests/it/outputs.rs) makes every write stop
/// between the temporary file being written and its rename, says where on standard
/// error, and waits there for its signal, so that the signal lands at a known moment.
/// Never set in normal use: the variable is for that test alone.
const HOLD_VARIABLE: &str = "INFRALINT_TEST_HOLD_BEFORE_RENAME";

fn hold_for_interruption_test(temporary: &Path) {
    if std::env::var_os(HOLD_VARIABLE).is_some() {
        eprintln!("holding {}", temporary.display());
        std::thread::sleep(std::time::Duration::from_secs(60));
    }
}

/// Writes to a resolved target: the file, or standard output.
pub fn write(target: &Target, contents: &[u8]) -> std::io::Result<()> {
    match target {
        Target::Stdout => {
            let mut out = std::io::stdout().lock();
            out.write_all(contents)?;
            out.flush()
        }
        Target::File(path) => write_atomically(path, contents),
    }
}

/// One output name per input, without an extension: the design's file name without
/// its extension (`design`), as before; where two inputs would meet, or the name is
/// `reserved` (`index`, the class index), their path relative to the folder all inputs
/// share (`alice/design`, `bob/design`); where they would still meet (`x.yaml` beside
/// `x.yml`), that path with the whole file name (`x.yaml`). A clash even then is an
/// error: no output is ever silently written twice.
pub fn names(inputs: &[PathBuf], reserved: &[&str]) -> Result<Vec<PathBuf>, String> {
    let folders: Vec<Vec<Component<'_>>> = inputs
        .iter()
        .map(|p| {
            p.parent()
                .map(|d| d.components().collect())
                .unwrap_or_default()
        })
        .collect();
    let shared = folders
        .iter()
        .skip(1)
        .fold(folders.first().map_or(0, Vec::len), |len, other| {
            folders[0]
                .iter()
                .zip(other)
                .take(len)
                .take_while(|(a, b)| a == b)
                .count()
        });
    let relative: Vec<PathBuf> = inputs
        .iter()
        .map(|p| {
            p.components()
                .skip(shared)
                .filter(|c| matches!(c, Component::Normal(_)))
                .collect()
        })
        .collect();
    // The candidates, plainest first.
    let levels: [Vec<PathBuf>; 3] = [
        relative
            .iter()
            .map(|r| PathBuf::from(r.file_name().unwrap_or_default()).with_extension(""))
            .collect(),
        relative.iter().map(|r| r.with_extension("")).collect(),
        relative.clone(),
    ];
    let mut out = Vec::with_capacity(inputs.len());
    for i in 0..inputs.len() {
        let fits = |level: &Vec<PathBuf>| {
            let name = &level[i];
            !reserved.iter().any(|r| name.as_os_str() == *r)
                && !level
                    .iter()
                    .enumerate()
                    .any(|(j, other)| j != i && other == name)
        };
        let level = levels
            .iter()
            .find(|level| fits(level))
            .unwrap_or(&levels[2]);
        out.push(level[i].clone());
    }
    for (i, name) in out.iter().enumerate() {
        if let Some(j) = (0..i).find(|&j| &out[j] == name) {
            return Err(format!(
                "`{}` and `{}` would write the same output `{}`: rename one",
                display_path(&inputs[j]),
                display_path(&inputs[i]),
                display_path(name)
            ));
        }
    }
    Ok(out)
}

/// `name` with `.extension` added (not replacing a dot already in it).
pub fn with_extension(name: &Path, extension: &str) -> PathBuf {
    let mut text = name.as_os_str().to_owned();
    text.push(".");
    text.push(extension);
    PathBuf::from(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(list: &[&str]) -> Vec<PathBuf> {
        list.iter().map(PathBuf::from).collect()
    }

    fn shown(names: &[PathBuf]) -> Vec<String> {
        names.iter().map(|n| display_path(n)).collect()
    }

    #[test]
    fn names_keep_folders_and_part_what_would_meet() {
        let got = names(
            &paths(&[
                "class/alice/design.yaml",
                "class/bob/design.yaml",
                "class/x.yaml",
                "class/x.yml",
                "class/index.yaml",
                "class/y.yaml",
            ]),
            &["index"],
        )
        .unwrap();
        assert_eq!(
            shown(&got),
            [
                "alice/design",
                "bob/design",
                "x.yaml",
                "x.yml",
                "index.yaml",
                "y"
            ]
        );
        let got = names(
            &paths(&["designs/a.yaml", "tests/errors/b.yaml"]),
            &["index"],
        )
        .unwrap();
        assert_eq!(shown(&got), ["a", "b"], "flat names where nothing meets");
        assert_eq!(
            shown(&names(&paths(&["designs/a.yaml", "designs/b.yaml"]), &[]).unwrap()),
            ["a", "b"]
        );
        assert_eq!(shown(&names(&paths(&["a.yaml"]), &[]).unwrap()), ["a"]);
    }

    #[test]
    fn a_clash_that_cannot_be_avoided_is_an_error() {
        let error = names(&paths(&["a/x.yaml", "a/x.yaml"]), &[]).unwrap_err();
        assert!(error.contains("would write the same output"), "{error}");
    }

    #[test]
    fn resolve_refuses_inputs_and_what_is_not_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let design = dir.path().join("a.yaml");
        std::fs::write(&design, "name: a\n").unwrap();
        assert_eq!(resolve(Path::new("-"), &[]), Ok(Target::Stdout));
        let error = resolve(&design, std::slice::from_ref(&design)).unwrap_err();
        assert!(error.contains("refusing to overwrite an input"), "{error}");
        let error = resolve(dir.path(), &[]).unwrap_err();
        assert!(error.contains("not a regular file"), "{error}");
        #[cfg(unix)]
        {
            let link = dir.path().join("link.svg");
            std::os::unix::fs::symlink("real.svg", &link).unwrap();
            assert_eq!(
                resolve(&link, &[]),
                Ok(Target::File(dir.path().join("real.svg"))),
                "a dangling link is written through"
            );
            let to_input = dir.path().join("to-input");
            std::os::unix::fs::symlink(&design, &to_input).unwrap();
            assert!(resolve(&to_input, std::slice::from_ref(&design)).is_err());
            let error = resolve(Path::new("/dev/null"), &[]).unwrap_err();
            assert!(error.contains("not a regular file"), "{error}");
        }
    }
}
