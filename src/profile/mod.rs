//! Exercise profiles: named sets of requirements a design must meet, kept as YAML data
//! files under `rules/profiles/` (the four exercises are built in) or written by a
//! teacher and passed with `--profile FILE`. Read with the same syntax stage and schema
//! reader as designs, so a broken profile gets the same positioned errors.
//!
//! A profile also lists the points its answer must explain; reports use them.
//!
//! `read.rs` reads a profile's YAML; `check.rs` judges a design against its
//! requirements (EX001 and the report's exercise section).

mod check;
mod read;

use std::path::Path;
use std::sync::OnceLock;

use crate::diagnostic::{Diagnostic, ErrorCode};
use crate::model::{ComponentKind, Explain, RecordType};
use crate::source::SourceFile;

pub use read::read;

/// The built-in profiles: name and file text.
const BUILTIN: &[(&str, &str)] = &[
    (
        "0-simple_web_stack",
        include_str!("../../rules/profiles/0-simple_web_stack.yaml"),
    ),
    (
        "1-distributed_web_infrastructure",
        include_str!("../../rules/profiles/1-distributed_web_infrastructure.yaml"),
    ),
    (
        "2-secured_and_monitored_web_infrastructure",
        include_str!("../../rules/profiles/2-secured_and_monitored_web_infrastructure.yaml"),
    ),
    (
        "3-scale_up",
        include_str!("../../rules/profiles/3-scale_up.yaml"),
    ),
];

#[derive(Clone, Debug, PartialEq)]
pub struct Profile {
    pub name: String,
    pub title: String,
    pub requirements: Vec<Requirement>,
    /// The points an answer to this exercise must explain, in order.
    pub explain: Vec<Point>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Point {
    /// What to explain: reports answer each.
    pub id: Explain,
    pub question: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Count {
    Exactly(u32),
    AtLeast(u32),
}

impl Count {
    fn met(self, found: usize) -> bool {
        match self {
            Count::Exactly(n) => found == n as usize,
            Count::AtLeast(n) => found >= n as usize,
        }
    }

    /// "exactly 1 server", "at least 3 firewall components".
    fn of(self, one: &str, many: &str) -> String {
        let (words, n) = match self {
            Count::Exactly(n) => ("exactly", n),
            Count::AtLeast(n) => ("at least", n),
        };
        format!("{words} {n} {}", if n == 1 { one } else { many })
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Requirement {
    Servers(Count),
    Components(ComponentKind, Count),
    Domain(String),
    /// A record of this relative name and type that reaches servers running this kind.
    Record {
        name: String,
        record_type: RecordType,
        reaches: ComponentKind,
    },
    Certificate {
        covers: String,
        count: Count,
    },
    /// Every flow from `user` to this host is encrypted, and there is one.
    EncryptedUserFlow(String),
    /// At least N components of the kind on the servers of one cluster.
    Cluster(ComponentKind, u32),
    /// No server runs more than one of these kinds.
    Separate(Vec<ComponentKind>),
}

/// What checking one requirement found.
pub struct Outcome {
    pub met: bool,
    /// "requires at least 3 firewall components"
    pub required: String,
    /// "found 1"
    pub found: String,
}

impl Requirement {
    /// What to do when the requirement is not met.
    pub fn help(&self) -> String {
        match self {
            Requirement::Servers(count @ Count::Exactly(_)) => format!(
                "the exercise's answer has {}: add or remove servers to match",
                count.of("server", "servers")
            ),
            Requirement::Servers(Count::AtLeast(n)) => {
                format!("add servers until there are {n} or more")
            }
            Requirement::Components(kind, count) => {
                format!(
                    "add `{kind}` components until there are {}",
                    count.of("", "").trim_end()
                )
            }
            Requirement::Domain(domain) => {
                format!("set `domain: {domain}` at the top of the design")
            }
            Requirement::Record {
                name,
                record_type,
                reaches,
            } => format!(
                "add `{{ name: {name}, type: {record_type}, value: ADDRESS }}` under `dns: records:`, with the address of the {reaches} (or of its cluster's virtual IP)"
            ),
            Requirement::Certificate { covers, .. } => format!(
                "give the component where users' TLS ends `certificate: {{ domains: [{covers}] }}`"
            ),
            Requirement::EncryptedUserFlow(host) => {
                format!("make the flow from user to {host} `protocol: https`")
            }
            Requirement::Cluster(kind, _) => format!(
                "list the servers that run a `{kind}` as the members of one cluster under `clusters:`"
            ),
            Requirement::Separate(_) => {
                "give each of these components servers of their own".to_string()
            }
        }
    }
}

/// The built-in profiles as read, each once per run (by its index in [`BUILTIN`]): the
/// rule stage and the report ask for them per design. One cell each, so that a profile
/// that extends another can read it while being read itself.
static READ: [OnceLock<Result<Profile, String>>; BUILTIN.len()] =
    [const { OnceLock::new() }; BUILTIN.len()];

/// A built-in profile by name, read once per run. `Err` is unplaced: the caller knows
/// where the name was.
pub fn builtin(name: &str) -> Result<&'static Profile, Diagnostic> {
    match BUILTIN.iter().position(|(n, _)| *n == name) {
        Some(index) => {
            let (n, text) = BUILTIN[index];
            let read = READ[index].get_or_init(|| {
                let file = SourceFile::new(format!("rules/profiles/{n}.yaml"), text);
                read(&file).map_err(|errors| errors[0].message.clone())
            });
            read.as_ref().map_err(|message| {
                Diagnostic::unplaced(
                    ErrorCode::InvalidValue,
                    format!("the built-in profile `{n}` does not read: {message}"),
                )
            })
        }
        None => {
            let names = BUILTIN.iter().map(|(n, _)| *n);
            let help = match crate::prose::suggest(name, names.clone()) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!(
                    "the exercise profiles are {}",
                    names
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            Err(Diagnostic::unplaced(
                ErrorCode::UnknownWord,
                format!("no exercise profile `{name}`"),
            )
            .label("not a profile")
            .help(help))
        }
    }
}

/// The names of the built-in profiles.
pub fn builtin_names() -> impl Iterator<Item = &'static str> {
    BUILTIN.iter().map(|(n, _)| *n)
}

/// `--profile NAME|FILE`: a file when the path exists, else a built-in name. `Err` holds
/// the source to show (when a file was read) and the errors.
pub fn load(argument: &str) -> Result<Profile, (Option<SourceFile>, Vec<Diagnostic>)> {
    let path = Path::new(argument);
    if path.is_file() {
        let text = std::fs::read_to_string(path).map_err(|e| {
            (
                None,
                vec![Diagnostic::about_path(
                    ErrorCode::Unreadable,
                    format!("cannot read profile `{argument}`: {e}"),
                )],
            )
        })?;
        let file = SourceFile::new(path, text);
        return match read(&file) {
            Ok(profile) => Ok(profile),
            Err(errors) => Err((Some(file), errors)),
        };
    }
    builtin(argument).cloned().map_err(|e| (None, vec![e]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_profiles_read() {
        for name in builtin_names() {
            let profile = builtin(name).unwrap_or_else(|e| panic!("{name}: {}", e.message));
            assert_eq!(profile.name, name);
            assert!(!profile.requirements.is_empty());
            assert!(!profile.explain.is_empty(), "{name} lists what to explain");
        }
        let two = builtin("2-secured_and_monitored_web_infrastructure").unwrap();
        let one = builtin("1-distributed_web_infrastructure").unwrap();
        assert!(
            two.requirements.starts_with(&one.requirements),
            "extends keeps profile 1"
        );
    }

    #[test]
    fn unknown_names_suggest() {
        let error = builtin("1-distributed").unwrap_err();
        assert_eq!(error.message, "no exercise profile `1-distributed`");
        assert_eq!(
            error.help.as_deref(),
            Some("did you mean `1-distributed_web_infrastructure`?")
        );
    }

    #[test]
    fn a_broken_profile_is_reported_with_positions() {
        let file = SourceFile::new(
            "mine.yaml",
            "profile: mine\ntitle: Mine\nrequires:\n  - components: { kind: firewal, at_least: 3 }\n  - servers: { most: 3 }\n",
        );
        let errors = read(&file).unwrap_err();
        let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "unknown kind `firewal`",
                "unknown key `most`",
                "`servers` has no `at_least`"
            ]
        );
    }

    /// A profile is told about profiles: its examples, never a design's.
    #[test]
    fn a_profile_gets_a_profiles_help() {
        for text in [
            "profile: p\ntitle: [a]\nrequires: []\n",
            "profile: p\ntitle: T\nrequires:\n  - record: { name: [www], type: A, reaches: load_balancer }\n",
            "[a, b]\n",
        ] {
            let errors = read(&SourceFile::new("p.yaml", text)).unwrap_err();
            for error in &errors {
                let said = format!("{} {:?} {:?}", error.message, error.label, error.help);
                assert!(!said.contains("design"), "{text:?}: {said}");
                assert!(!said.contains("Simple web stack"), "{text:?}: {said}");
            }
            assert!(!errors.is_empty());
        }
        let errors = read(&SourceFile::new(
            "p.yaml",
            "profile: p\ntitle: [a]\nrequires: []\n",
        ))
        .unwrap_err();
        assert_eq!(
            errors[0].help.as_deref(),
            Some("for example: `title: Distributed web infrastructure`")
        );
    }

    /// A point to explain that reports have no answer for is refused when the profile is
    /// read, with the nearest one.
    #[test]
    fn explain_ids_are_checked_when_read() {
        let file = SourceFile::new(
            "p.yaml",
            "profile: p\ntitle: T\nrequires: []\nexplain:\n  - { id: algoritm, question: How? }\n",
        );
        let errors = read(&file).unwrap_err();
        assert_eq!(errors[0].message, "unknown point to explain `algoritm`");
        assert!(
            errors[0]
                .help
                .as_deref()
                .unwrap()
                .starts_with("did you mean `algorithm`?")
        );
    }
}
