//! `infralint.toml`: a team's settings, read here; which file governs which design is
//! [`crate::settings`]' to say (each design's nearest file, `--config FILE`, or none
//! with `--isolated`).
//!
//! ```toml
//! select = ["AV", "SE"]
//! ignore = ["OB001"]
//! fail-on = "error"
//! today = "2026-11-23"
//! format = "sarif"
//! baseline = "infralint-baseline.json"
//! exclude = ["designs/drafts/**"]
//!
//! [rules.OB001]
//! severity = "error"      # or "warning", "info", "off"
//! ```
//!
//! Read with `toml`'s spanned tree: an unknown key, a wrong type or an unknown rule is
//! an error with file, line, column and a did-you-mean, exactly like a design error.
//! Precedence: the command line, then the file, then the defaults.

use std::path::{Path, PathBuf};

use toml::de::{DeTable, DeValue};

use crate::cli::{FailOn, Format};
use crate::diagnostic::{Diagnostic, ErrorCode, Severity};
use crate::prose::suggest;
use crate::source::{SourceFile, Span};

pub const FILE_NAME: &str = crate::source::CONFIG_FILE;
const KEYS: &[&str] = &[
    "select",
    "ignore",
    "fail-on",
    "today",
    "format",
    "baseline",
    "exclude",
    "force-exclude",
    "rules",
];

/// A rule's severity as the file sets it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleSetting {
    Severity(Severity),
    Off,
}

/// The words of one of the command line's closed sets (`--format`, `--fail-on`), as
/// clap accepts them, so that the file and the command line cannot drift.
fn words_of<E: clap::ValueEnum>() -> Vec<String> {
    E::value_variants()
        .iter()
        .filter_map(|v| v.to_possible_value().map(|p| p.get_name().to_string()))
        .collect()
}

/// The settings a file states, each with the line it is on.
#[derive(Debug, Default)]
pub struct Config {
    pub path: PathBuf,
    pub select: Option<(Vec<String>, usize)>,
    pub ignore: Option<(Vec<String>, usize)>,
    pub fail_on: Option<(FailOn, usize)>,
    pub today: Option<(jiff::civil::Date, usize)>,
    pub format: Option<(Format, usize)>,
    /// Relative to the file's folder.
    pub baseline: Option<(PathBuf, usize)>,
    pub exclude: Option<(Vec<String>, usize)>,
    /// `force-exclude = true`: `exclude` holds for files named on the command line too
    /// (as pre-commit names them), not only for those a folder walk finds.
    pub force_exclude: Option<(bool, usize)>,
    /// Per rule code: its setting and line.
    pub rules: Vec<(&'static str, RuleSetting, usize)>,
}

impl Config {
    /// True when a path relative to the file's folder matches its `exclude` globs
    /// (gitignore syntax, as `ignore`'s overrides read them; a glob that does not read
    /// is left out, as the config reader already said).
    pub fn excluded(&self, relative: &Path) -> bool {
        let Some((globs, _)) = &self.exclude else {
            return false;
        };
        let mut builder = ignore::overrides::OverrideBuilder::new("/");
        for glob in globs {
            let _ = builder.add(glob);
        }
        let Ok(matcher) = builder.build() else {
            return false;
        };
        matcher
            .matched(Path::new("/").join(relative), false)
            .is_whitelist()
    }
}

/// The config file for these paths: the nearest `infralint.toml` from the first path's
/// folder up, stopping at a folder that holds `.git`.
pub fn find(paths: &[PathBuf]) -> Option<PathBuf> {
    let first = paths.first()?;
    let start = if first.is_dir() {
        first.clone()
    } else {
        first.parent().map(Path::to_path_buf).unwrap_or_default()
    };
    let dir = std::fs::canonicalize(if start.as_os_str().is_empty() {
        Path::new(".")
    } else {
        &start
    })
    .ok()?;
    nearest(&dir)
}

/// The nearest `infralint.toml` from a folder (absolute) up, stopping at a folder that
/// holds `.git`.
pub fn nearest(folder: &Path) -> Option<PathBuf> {
    let mut dir = folder.to_path_buf();
    loop {
        let candidate = dir.join(FILE_NAME);
        if candidate.is_file() {
            return Some(candidate);
        }
        if dir.join(".git").exists() || !dir.pop() {
            return None;
        }
    }
}

/// Reads a config file. `Err` holds the file (for positions) and every error in it.
pub fn load(path: &Path) -> Result<Config, (Option<SourceFile>, Vec<Diagnostic>)> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        (
            None,
            vec![Diagnostic::about_path(
                ErrorCode::Unreadable,
                format!(
                    "cannot read the config file `{}`: {e}",
                    crate::source::display_path(path)
                ),
            )],
        )
    })?;
    parse(path, text)
}

/// Reads a config file's text (`path` names it in errors and anchors `baseline`).
pub fn parse(path: &Path, text: String) -> Result<Config, (Option<SourceFile>, Vec<Diagnostic>)> {
    let source = SourceFile::new(path, text.clone());
    let table = match DeTable::parse(&text) {
        Ok(table) => table,
        Err(e) => {
            let at = e.span().map_or(Span::at(0), span);
            return Err((
                Some(source),
                vec![
                    Diagnostic::at(
                        ErrorCode::Config,
                        at,
                        format!("invalid TOML: {}", e.message().trim()),
                    )
                    .label("the TOML parser stopped here"),
                ],
            ));
        }
    };
    let line = |s: Span| source.position(s.start as usize).line;
    let mut errors = Vec::new();
    let mut config = Config {
        path: path.to_path_buf(),
        ..Config::default()
    };
    for (key, value) in table.get_ref().iter() {
        let name = key.get_ref().as_ref();
        let at = line(span(key.span()));
        match name {
            "select" | "ignore" | "exclude" => {
                read_list(name, value, at, &mut config, &mut errors);
            }
            "rules" => read_rules(value, &mut config, &mut errors, &span, &line),
            _ => read_setting(name, span(key.span()), value, at, &mut config, &mut errors),
        }
    }
    config.rules.sort_by_key(|&(_, _, line)| line);
    errors.sort_by_key(|e| e.span.map(|s| s.start));
    if errors.is_empty() {
        Ok(config)
    } else {
        Err((Some(source), errors))
    }
}

/// A TOML byte range as a span (an empty one where TOML gives an inverted range).
fn span(range: std::ops::Range<usize>) -> Span {
    Span::new(range.start, range.end.max(range.start))
}

type Value<'a> = toml::Spanned<DeValue<'a>>;

fn strings(value: &Value<'_>, key: &str, errors: &mut Vec<Diagnostic>) -> Option<Vec<String>> {
    let DeValue::Array(items) = value.get_ref() else {
        errors.push(
            Diagnostic::at(
                ErrorCode::WrongType,
                span(value.span()),
                format!("`{key}` must be a list of strings"),
            )
            .help(format!("write `{key} = [\"...\"]`")),
        );
        return None;
    };
    let mut out = Vec::new();
    for item in items.iter() {
        match item.get_ref() {
            DeValue::String(s) => out.push(s.to_string()),
            _ => errors.push(Diagnostic::at(
                ErrorCode::WrongType,
                span(item.span()),
                format!("`{key}` lists strings only"),
            )),
        }
    }
    Some(out)
}

fn string(value: &Value<'_>, key: &str, errors: &mut Vec<Diagnostic>) -> Option<String> {
    match value.get_ref() {
        DeValue::String(s) => Some(s.to_string()),
        DeValue::Datetime(d) if key == "today" => Some(d.to_string()),
        _ => {
            errors.push(Diagnostic::at(
                ErrorCode::WrongType,
                span(value.span()),
                format!("`{key}` must be a string"),
            ));
            None
        }
    }
}

/// A string of a closed set of words, with did-you-mean.
fn word(
    value: &Value<'_>,
    key: &str,
    words: &[&str],
    errors: &mut Vec<Diagnostic>,
) -> Option<String> {
    let text = string(value, key, errors)?;
    if words.contains(&text.as_str()) {
        return Some(text);
    }
    let help = match suggest(&text, words.iter().copied()) {
        Some(near) => format!("did you mean `{near}`?"),
        None => format!(
            "one of {}",
            words
                .iter()
                .map(|w| format!("`{w}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    errors.push(
        Diagnostic::at(
            ErrorCode::UnknownWord,
            span(value.span()),
            format!("unknown {key} `{text}`"),
        )
        .help(help),
    );
    None
}

/// A value of a clap enum (`fail-on`, `format`), by its command-line word.
fn value_enum<E: clap::ValueEnum>(
    value: &Value<'_>,
    key: &str,
    errors: &mut Vec<Diagnostic>,
) -> Option<E> {
    let names = words_of::<E>();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let w = word(value, key, &names, errors)?;
    E::from_str(&w, false).ok()
}

/// `select`, `ignore` (rules, each naming one) and `exclude` (globs).
fn read_list(
    name: &str,
    value: &Value<'_>,
    at: usize,
    config: &mut Config,
    errors: &mut Vec<Diagnostic>,
) {
    let Some(list) = strings(value, name, errors) else {
        return;
    };
    if name == "exclude" {
        let mut builder = ignore::overrides::OverrideBuilder::new(".");
        if let Some(bad) = list.iter().find(|g| builder.add(&format!("!{g}")).is_err()) {
            errors.push(Diagnostic::at(
                ErrorCode::InvalidValue,
                span(value.span()),
                format!("`{bad}` is not a glob"),
            ));
            return;
        }
    } else {
        let selection = crate::rules::Selection {
            select: list.clone(),
            ignore: Vec::new(),
        };
        if let Err(message) = selection.validate() {
            errors.push(Diagnostic::at(
                ErrorCode::InvalidValue,
                span(value.span()),
                message,
            ));
            return;
        }
    }
    let slot = match name {
        "select" => &mut config.select,
        "ignore" => &mut config.ignore,
        _ => &mut config.exclude,
    };
    *slot = Some((list, at));
}

/// One setting of a single value, or an unknown key.
fn read_setting(
    name: &str,
    key: Span,
    value: &Value<'_>,
    at: usize,
    config: &mut Config,
    errors: &mut Vec<Diagnostic>,
) {
    match name {
        "fail-on" => config.fail_on = value_enum(value, name, errors).map(|f| (f, at)),
        "format" => config.format = value_enum(value, name, errors).map(|f| (f, at)),
        "today" => {
            let Some(text) = string(value, name, errors) else {
                return;
            };
            match text.parse::<jiff::civil::Date>() {
                Ok(date) => config.today = Some((date, at)),
                Err(_) => errors.push(
                    Diagnostic::at(
                        ErrorCode::InvalidValue,
                        span(value.span()),
                        format!("`{text}` is not a date"),
                    )
                    .help("write `today = \"YYYY-MM-DD\"`"),
                ),
            }
        }
        "force-exclude" => match value.get_ref() {
            DeValue::Boolean(on) => config.force_exclude = Some((*on, at)),
            _ => errors.push(
                Diagnostic::at(
                    ErrorCode::WrongType,
                    span(value.span()),
                    "`force-exclude` must be `true` or `false`",
                )
                .help("write `force-exclude = true`"),
            ),
        },
        "baseline" => {
            if let Some(text) = string(value, name, errors) {
                let dir = config.path.parent().unwrap_or(Path::new(""));
                config.baseline = Some((dir.join(text), at));
            }
        }
        other => {
            let help =
                suggest(other, KEYS.iter().copied()).map(|near| format!("did you mean `{near}`?"));
            errors.push(
                Diagnostic::at(
                    ErrorCode::UnknownKey,
                    key,
                    format!("unknown key `{other}` in {FILE_NAME}"),
                )
                .label("not a setting")
                .maybe_help(help.or_else(|| Some(format!("the settings are {}", KEYS.join(", "))))),
            );
        }
    }
}

fn read_rules(
    value: &toml::Spanned<DeValue<'_>>,
    config: &mut Config,
    errors: &mut Vec<Diagnostic>,
    span: &dyn Fn(std::ops::Range<usize>) -> Span,
    line: &dyn Fn(Span) -> usize,
) {
    let DeValue::Table(rules) = value.get_ref() else {
        errors.push(Diagnostic::at(
            ErrorCode::WrongType,
            span(value.span()),
            "`rules` must be a table: `[rules.OB001]`",
        ));
        return;
    };
    for (code, settings) in rules.iter() {
        let written = code.get_ref().as_ref();
        let Some(rule) = crate::rules::find(written) else {
            let help = suggest(written, crate::rules::ALL.iter().map(|r| r.code))
                .map(|near| format!("did you mean `{near}`?"));
            errors.push(
                Diagnostic::at(
                    ErrorCode::UnknownWord,
                    span(code.span()),
                    format!("no rule `{written}`"),
                )
                .label("not a rule")
                .maybe_help(help),
            );
            continue;
        };
        let DeValue::Table(fields) = settings.get_ref() else {
            errors.push(Diagnostic::at(
                ErrorCode::WrongType,
                span(settings.span()),
                format!("`rules.{written}` must be a table"),
            ));
            continue;
        };
        for (key, value) in fields.iter() {
            let name = key.get_ref().as_ref();
            if name != "severity" {
                errors.push(
                    Diagnostic::at(
                        ErrorCode::UnknownKey,
                        span(key.span()),
                        format!("unknown key `{name}` in `[rules.{written}]`"),
                    )
                    .help("a rule's only setting is `severity`"),
                );
                continue;
            }
            let setting = match value.get_ref() {
                DeValue::String(s) => match s.as_ref() {
                    "error" => Some(RuleSetting::Severity(Severity::Error)),
                    "warning" => Some(RuleSetting::Severity(Severity::Warning)),
                    "info" => Some(RuleSetting::Severity(Severity::Info)),
                    "off" => Some(RuleSetting::Off),
                    _ => None,
                },
                _ => None,
            };
            match setting {
                Some(setting) => config
                    .rules
                    .push((rule.code, setting, line(span(key.span())))),
                None => errors.push(
                    Diagnostic::at(
                        ErrorCode::InvalidValue,
                        span(value.span()),
                        "a severity is `error`, `warning`, `info` or `off`",
                    )
                    .label("not a severity"),
                ),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_text(text: &str) -> Result<Config, Vec<(String, usize, usize)>> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        std::fs::write(&path, text).unwrap();
        load(&path).map_err(|(source, errors)| {
            errors
                .into_iter()
                .map(|e| {
                    let p = e
                        .span
                        .zip(source.as_ref())
                        .map(|(s, f)| f.position(s.start as usize));
                    (
                        e.message,
                        p.map_or(0, |p| p.line),
                        p.map_or(0, |p| p.column),
                    )
                })
                .collect()
        })
    }

    #[test]
    fn every_setting_is_read_with_its_line() {
        let config = load_text(
            "select = [\"AV\", \"SE\"]\nfail-on = \"error\"\ntoday = 2026-11-23\nformat = \"sarif\"\nexclude = [\"drafts/**\"]\n\n[rules.OB001]\nseverity = \"error\"\n[rules.single-point-of-failure]\nseverity = \"off\"\n",
        )
        .unwrap();
        assert_eq!(
            config.select.unwrap(),
            (vec!["AV".to_string(), "SE".to_string()], 1)
        );
        assert_eq!(config.fail_on.unwrap(), (FailOn::Error, 2));
        assert_eq!(config.today.unwrap().0.to_string(), "2026-11-23");
        assert_eq!(config.format.unwrap().0, Format::Sarif);
        assert_eq!(
            config.rules,
            [
                ("OB001", RuleSetting::Severity(Severity::Error), 8),
                ("AV001", RuleSetting::Off, 10)
            ]
        );
    }

    #[test]
    fn mistakes_are_placed_with_a_suggestion() {
        let errors = load_text("selct = [\"AV\"]\nfail-on = \"errors\"\n[rules.OB01]\nseverity = \"loud\"\n[rules.SE001]\nseverity = \"off\"\n").unwrap_err();
        let messages: Vec<(&str, usize, usize)> = errors
            .iter()
            .map(|(m, l, c)| (m.as_str(), *l, *c))
            .collect();
        assert_eq!(
            messages,
            [
                ("unknown key `selct` in infralint.toml", 1, 1),
                ("unknown fail-on `errors`", 2, 11),
                ("no rule `OB01`", 3, 8),
            ]
        );
    }
}
