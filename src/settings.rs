//! The one settings resolver: which `infralint.toml` governs a design, and what it says
//! for that design. `check`, `report`, the analyses and the language server all ask it.
//!
//! - Per design, the nearest `infralint.toml` from the design's folder up (stopping at a
//!   repository root, a folder with `.git`) wins whole: no merging of files, as ruff
//!   does. So `check aaron/ bob/` judges aaron's design by aaron's file and bob's by
//!   bob's (or by none), never bob's by aaron's.
//! - `--config FILE` governs every design; `--isolated` (or `--no-config`) ignores every
//!   file, as a teacher checking a class wants: a student's own file cannot silence that
//!   student's findings.
//! - The command line's `--select`, `--ignore` and `--today` override each design's file.
//! - A file's `exclude` globs are relative to the file's folder, and leave out the walked
//!   designs it governs (a design named on the command line is checked).
//!
//! Settings of the whole run (`format`, `fail-on`, `baseline`) come from the *run's*
//! file: `--config`, else the nearest file from the current folder up.
//!
//! Each folder's answer is remembered, so resolving every design of a walk reads each
//! file once and walks each folder once: O(designs + folders).

use crate::checked::FileReport;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::config::{self, Config, RuleSetting};
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::Selection;
use crate::source::SourceFile;

/// Where designs' settings come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Each design's nearest `infralint.toml`.
    Nearest,
    /// `--config FILE`, for every design.
    Fixed(PathBuf),
    /// `--isolated`: no file at all.
    Isolated,
}

/// What the command line says about rules, over any file.
#[derive(Clone, Debug, Default)]
pub struct CommandLine {
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub today: Option<jiff::civil::Date>,
    /// `--force-exclude`: as the file's `force-exclude = true`.
    pub force_exclude: bool,
}

/// A config file that could not be read: the file (for positions) and its errors.
#[derive(Debug)]
pub struct ConfigError {
    pub path: PathBuf,
    pub source: Option<SourceFile>,
    pub errors: Vec<Diagnostic>,
}

impl ConfigError {
    /// The file's report, as a design's with errors: every format shows it.
    pub fn report(&self) -> FileReport {
        FileReport {
            path: self.path.clone(),
            source: self
                .source
                .as_ref()
                .map(|s| SourceFile::new(s.path(), s.text())),
            errors: self.errors.clone(),
            findings: Vec::new(),
            design: None,
        }
    }
}

/// The settings of one design.
#[derive(Clone, Debug)]
pub struct DesignSettings {
    /// The file that governs it, if any.
    pub config: Option<Arc<Config>>,
    pub selection: Selection,
    /// `[rules.CODE] severity = ...`: applied by the rule stage.
    pub severities: Vec<(&'static str, Severity)>,
    pub today: Option<jiff::civil::Date>,
    /// `exclude` holds for files named on the command line too.
    pub force_exclude: bool,
}

impl DesignSettings {
    /// True when its file's `exclude` leaves the design out: a design a folder walk found
    /// (`walked`), or any with `force-exclude`.
    pub fn excludes(&self, design: &Path, walked: bool) -> bool {
        if !walked && !self.force_exclude {
            return false;
        }
        let Some(config) = &self.config else {
            return false;
        };
        let root = config.path.parent().unwrap_or(Path::new("."));
        let Ok(relative) = absolute(design).and_then(|d| {
            d.strip_prefix(absolute(root)?)
                .map(Path::to_path_buf)
                .map_err(|_| std::io::Error::other("outside"))
        }) else {
            return false;
        };
        config.excluded(&relative)
    }
}

fn absolute(path: &Path) -> std::io::Result<PathBuf> {
    std::fs::canonicalize(if path.as_os_str().is_empty() {
        Path::new(".")
    } else {
        path
    })
}

/// A file read: its settings, or why they cannot be read.
type Read = Result<Arc<Config>, Arc<ConfigError>>;

#[derive(Debug)]
pub struct Resolver {
    scope: Scope,
    command_line: CommandLine,
    /// `--config`'s file, read once.
    fixed: Option<Arc<Config>>,
    /// Per folder: the file that governs its designs.
    nearest: Mutex<HashMap<PathBuf, Option<Arc<Config>>>>,
    /// Per file: read once, and its errors kept to be reported once.
    files: Mutex<HashMap<PathBuf, Read>>,
}

impl Resolver {
    /// Each design's nearest file, or none when `isolated`: nothing to read up front.
    pub fn per_design(isolated: bool, command_line: CommandLine) -> Resolver {
        Resolver {
            scope: if isolated {
                Scope::Isolated
            } else {
                Scope::Nearest
            },
            command_line,
            fixed: None,
            nearest: Mutex::new(HashMap::new()),
            files: Mutex::new(HashMap::new()),
        }
    }

    /// `Err` when `--config`'s file cannot be read.
    pub fn new(scope: Scope, command_line: CommandLine) -> Result<Resolver, ConfigError> {
        let fixed = match &scope {
            Scope::Fixed(path) => Some(Arc::new(read(path)?)),
            _ => None,
        };
        Ok(Resolver {
            scope,
            command_line,
            fixed,
            nearest: Mutex::new(HashMap::new()),
            files: Mutex::new(HashMap::new()),
        })
    }

    /// The file of the whole run: `--config`, else the nearest from `folder` up.
    pub fn run_config(&self, folder: &Path) -> Result<Option<Arc<Config>>, Arc<ConfigError>> {
        match &self.scope {
            Scope::Isolated => Ok(None),
            Scope::Fixed(_) => Ok(self.fixed.clone()),
            Scope::Nearest => self.nearest_from(folder),
        }
    }

    /// The file that governs a design.
    pub fn governing(&self, design: &Path) -> Result<Option<Arc<Config>>, Arc<ConfigError>> {
        let folder = if design.is_dir() {
            design.to_path_buf()
        } else {
            design.parent().map(Path::to_path_buf).unwrap_or_default()
        };
        self.run_config(&folder)
    }

    /// A design's settings: its governing file's, under the command line's.
    pub fn for_design(&self, design: &Path) -> Result<DesignSettings, Arc<ConfigError>> {
        let config = self.governing(design)?;
        Ok(self.settings_of(config))
    }

    /// The settings a file (or none) gives, under the command line's.
    pub fn settings_of(&self, config: Option<Arc<Config>>) -> DesignSettings {
        let cli = &self.command_line;
        let stated =
            |list: Option<&(Vec<String>, usize)>| list.map(|(l, _)| l.clone()).unwrap_or_default();
        let c = config.as_deref();
        let mut ignore = if cli.ignore.is_empty() {
            stated(c.and_then(|c| c.ignore.as_ref()))
        } else {
            cli.ignore.clone()
        };
        let mut severities = Vec::new();
        for &(code, setting, _) in c.map(|c| c.rules.as_slice()).unwrap_or_default() {
            match setting {
                RuleSetting::Off => ignore.push(code.to_string()),
                RuleSetting::Severity(severity) => severities.push((code, severity)),
            }
        }
        let select = if cli.select.is_empty() {
            stated(c.and_then(|c| c.select.as_ref()))
        } else {
            cli.select.clone()
        };
        DesignSettings {
            today: cli.today.or(c.and_then(|c| c.today.map(|(d, _)| d))),
            force_exclude: cli.force_exclude
                || c.and_then(|c| c.force_exclude).is_some_and(|(on, _)| on),
            selection: Selection { select, ignore },
            severities,
            config,
        }
    }

    /// The nearest file from `folder` up to the repository root, remembered per folder.
    fn nearest_from(&self, folder: &Path) -> Result<Option<Arc<Config>>, Arc<ConfigError>> {
        let start = absolute(folder).unwrap_or_else(|_| folder.to_path_buf());
        if let Some(known) = self.lock_nearest().get(&start) {
            return Ok(known.clone());
        }
        let found = config::nearest(&start);
        let config = match found {
            None => None,
            Some(path) => Some(self.file(&path)?),
        };
        self.lock_nearest().insert(start, config.clone());
        Ok(config)
    }

    fn lock_nearest(&self) -> std::sync::MutexGuard<'_, HashMap<PathBuf, Option<Arc<Config>>>> {
        self.nearest.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A file, read once.
    fn file(&self, path: &Path) -> Result<Arc<Config>, Arc<ConfigError>> {
        let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        files
            .entry(path.to_path_buf())
            .or_insert_with(|| read(path).map(Arc::new).map_err(Arc::new))
            .clone()
    }
}

fn read(path: &Path) -> Result<Config, ConfigError> {
    config::load(path).map_err(|(source, errors)| ConfigError {
        path: path.to_path_buf(),
        source,
        errors,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join(".git")).unwrap();
        for student in ["aaron", "bob"] {
            std::fs::create_dir(dir.path().join(student)).unwrap();
            std::fs::write(dir.path().join(student).join("design.yaml"), "").unwrap();
        }
        std::fs::write(
            dir.path().join("aaron/infralint.toml"),
            "ignore = [\"AV001\"]\nexclude = [\"drafts/**\"]\n",
        )
        .unwrap();
        dir
    }

    #[test]
    fn each_design_has_its_nearest_file_and_no_other() {
        let dir = tree();
        let resolver = Resolver::new(Scope::Nearest, CommandLine::default()).unwrap();
        let aaron = resolver
            .for_design(&dir.path().join("aaron/design.yaml"))
            .unwrap();
        assert_eq!(aaron.selection.ignore, ["AV001"]);
        let bob = resolver
            .for_design(&dir.path().join("bob/design.yaml"))
            .unwrap();
        assert!(bob.config.is_none() && bob.selection.ignore.is_empty());
    }

    #[test]
    fn isolated_ignores_every_file_and_fixed_governs_every_design() {
        let dir = tree();
        let isolated = Resolver::new(Scope::Isolated, CommandLine::default()).unwrap();
        let aaron = dir.path().join("aaron/design.yaml");
        assert!(isolated.for_design(&aaron).unwrap().config.is_none());
        let fixed = Resolver::new(
            Scope::Fixed(dir.path().join("aaron/infralint.toml")),
            CommandLine::default(),
        )
        .unwrap();
        let bob = fixed
            .for_design(&dir.path().join("bob/design.yaml"))
            .unwrap();
        assert_eq!(bob.selection.ignore, ["AV001"]);
    }

    #[test]
    fn the_command_line_wins_and_excludes_are_relative_to_the_file() {
        let dir = tree();
        let cli = CommandLine {
            ignore: vec!["OB001".into()],
            ..CommandLine::default()
        };
        let resolver = Resolver::new(Scope::Nearest, cli).unwrap();
        let draft = dir.path().join("aaron/drafts/wip.yaml");
        std::fs::create_dir(dir.path().join("aaron/drafts")).unwrap();
        std::fs::write(&draft, "").unwrap();
        let settings = resolver.for_design(&draft).unwrap();
        assert_eq!(settings.selection.ignore, ["OB001"]);
        assert!(settings.excludes(&draft, true));
        assert!(
            !settings.excludes(&draft, false),
            "named: only with force-exclude"
        );
        assert!(!settings.excludes(&dir.path().join("aaron/design.yaml"), true));
    }
}
