//! Exercise profiles: named sets of requirements a design must meet, kept as YAML data
//! files under `rules/profiles/` (the four exercises are built in) or written by a
//! teacher and passed with `--profile FILE`. Read with the same syntax stage and schema
//! reader as designs, so a broken profile gets the same positioned errors.
//!
//! A profile also lists the points its answer must explain; reports use them.

use std::net::IpAddr;
use std::path::Path;
use std::sync::OnceLock;

use crate::diagnostic::{Diagnostic, ErrorCode};
use crate::model::{ComponentKind, Design, EndpointTarget, Explain, Fields, Reader, RecordType};
use crate::source::SourceFile;
use crate::syntax::{Limits, Node, parse};

/// The built-in profiles: name and file text.
const BUILTIN: &[(&str, &str)] = &[
    (
        "0-simple_web_stack",
        include_str!("../rules/profiles/0-simple_web_stack.yaml"),
    ),
    (
        "1-distributed_web_infrastructure",
        include_str!("../rules/profiles/1-distributed_web_infrastructure.yaml"),
    ),
    (
        "2-secured_and_monitored_web_infrastructure",
        include_str!("../rules/profiles/2-secured_and_monitored_web_infrastructure.yaml"),
    ),
    (
        "3-scale_up",
        include_str!("../rules/profiles/3-scale_up.yaml"),
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

const PROFILE_KEYS: &[&str] = &["profile", "title", "extends", "requires", "explain"];
const REQUIREMENT_KEYS: &[&str] = &[
    "servers",
    "components",
    "domain",
    "record",
    "certificate",
    "encrypted_user_flow",
    "cluster",
    "separate",
];

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

/// Reads a profile file.
pub fn read(file: &SourceFile) -> Result<Profile, Vec<Diagnostic>> {
    let parsed = parse(file, Limits::default());
    let mut errors = parsed.errors;
    let Some(root) = parsed.root else {
        return Err(errors);
    };
    let profile = {
        let mut reader = Reader::new(&mut errors, example);
        read_profile(&mut reader, &root)
    };
    match profile {
        Some(profile) if errors.is_empty() => Ok(profile),
        _ => Err(errors),
    }
}

/// How a key of a profile is written, for the help of a type error.
fn example(key: &str) -> Option<&'static str> {
    Some(match key {
        "profile" => "profile: 1-distributed_web_infrastructure",
        "title" => "title: Distributed web infrastructure",
        "extends" => "extends: 1-distributed_web_infrastructure",
        "requires" => "requires: [{ servers: { exactly: 3 } }]",
        "explain" => {
            "explain: [{ id: algorithm, question: How does the load balancer spread requests? }]"
        }
        "exactly" => "servers: { exactly: 3 }",
        "name" => "record: { name: www, type: A, reaches: load_balancer }",
        "at_least" => "components: { kind: firewall, at_least: 3 }",
        _ => return None,
    })
}

fn read_profile(reader: &mut Reader<'_>, root: &Node) -> Option<Profile> {
    let top = reader.map(
        root,
        "a profile",
        PROFILE_KEYS,
        crate::source::Span::at(root.span.start as usize),
    )?;
    let name = reader
        .required(&top, "profile")
        .and_then(|n| reader.text(n, "profile"));
    let title = reader
        .required(&top, "title")
        .and_then(|n| reader.free_text(n, "title"));
    let mut requirements = Vec::new();
    if let Some(extends) = top.get("extends") {
        let base = reader.text(extends, "extends")?;
        match builtin(&base.value) {
            Ok(profile) => requirements.extend(profile.requirements.iter().cloned()),
            Err(error) => reader.error(error.place(base.span)),
        }
    }
    if let Some(list) = reader
        .required(&top, "requires")
        .and_then(|n| reader.list(n, "requires"))
    {
        for item in list {
            if let Some(requirement) = read_requirement(reader, item) {
                requirements.push(requirement);
            }
        }
    }
    let mut explain = Vec::new();
    if let Some(list) = top.get("explain").and_then(|n| reader.list(n, "explain")) {
        for item in list {
            let Some(fields) =
                reader.map(item, "a point to explain", &["id", "question"], item.span)
            else {
                continue;
            };
            let id = reader
                .required(&fields, "id")
                .and_then(|n| reader.word::<Explain>(n, "id"));
            let question = reader
                .required(&fields, "question")
                .and_then(|n| reader.free_text(n, "question"));
            if let (Some(id), Some(question)) = (id, question) {
                explain.push(Point { id, question });
            }
        }
    }
    Some(Profile {
        name: name?.value,
        title: title?,
        requirements,
        explain,
    })
}

fn count(reader: &mut Reader<'_>, fields: &Fields<'_>) -> Option<Count> {
    match (fields.get("exactly"), fields.get("at_least")) {
        (Some(n), None) => reader.count(n, "exactly", 0).map(Count::Exactly),
        (None, Some(n)) => reader.count(n, "at_least", 1).map(Count::AtLeast),
        (Some(n), Some(_)) => {
            reader.error(
                Diagnostic::at(
                    ErrorCode::InvalidValue,
                    n.span,
                    "`exactly` and `at_least` together",
                )
                .help("a requirement counts either exactly or at least: keep one"),
            );
            None
        }
        (None, None) => {
            reader.required(fields, "at_least");
            None
        }
    }
}

fn read_requirement(reader: &mut Reader<'_>, item: &Node) -> Option<Requirement> {
    let fields = reader.map(item, "a requirement", REQUIREMENT_KEYS, item.span)?;
    let (key, value) = match fields.entries() {
        [entry] => (entry.key.scalar_text()?, &entry.value),
        _ => {
            reader.error(
                Diagnostic::at(
                    ErrorCode::InvalidValue,
                    item.span,
                    "a requirement has exactly one key",
                )
                .help(format!("one of {}", REQUIREMENT_KEYS.join(", "))),
            );
            return None;
        }
    };
    Some(match key {
        "servers" => {
            let f = reader.map(value, "`servers`", &["exactly", "at_least"], value.span)?;
            Requirement::Servers(count(reader, &f)?)
        }
        "components" => {
            let f = reader.map(
                value,
                "`components`",
                &["kind", "exactly", "at_least"],
                value.span,
            )?;
            let kind = reader
                .required(&f, "kind")
                .and_then(|n| reader.word(n, "kind"))?;
            Requirement::Components(kind, count(reader, &f)?)
        }
        "domain" => Requirement::Domain(reader.text(value, "domain")?.value.to_ascii_lowercase()),
        "record" => {
            let f = reader.map(value, "`record`", &["name", "type", "reaches"], value.span)?;
            let name = reader
                .required(&f, "name")
                .and_then(|n| reader.text(n, "name"));
            let record_type = reader
                .required(&f, "type")
                .and_then(|n| reader.word(n, "type"));
            let reaches = reader
                .required(&f, "reaches")
                .and_then(|n| reader.word(n, "reaches"));
            Requirement::Record {
                name: name?.value,
                record_type: record_type?,
                reaches: reaches?,
            }
        }
        "certificate" => {
            let f = reader.map(
                value,
                "`certificate`",
                &["covers", "exactly", "at_least"],
                value.span,
            )?;
            let covers = reader
                .required(&f, "covers")
                .and_then(|n| reader.text(n, "covers"));
            Requirement::Certificate {
                covers: covers?.value.to_ascii_lowercase(),
                count: count(reader, &f)?,
            }
        }
        "encrypted_user_flow" => Requirement::EncryptedUserFlow(
            reader
                .text(value, "encrypted_user_flow")?
                .value
                .to_ascii_lowercase(),
        ),
        "cluster" => {
            let f = reader.map(value, "`cluster`", &["kind", "at_least"], value.span)?;
            let kind = reader
                .required(&f, "kind")
                .and_then(|n| reader.word(n, "kind"));
            let at_least = reader
                .required(&f, "at_least")
                .and_then(|n| reader.count(n, "at_least", 1));
            Requirement::Cluster(kind?, at_least?)
        }
        "separate" => {
            let kinds = reader.list(value, "separate")?;
            Requirement::Separate(
                kinds
                    .iter()
                    .filter_map(|k| reader.word(k, "separate"))
                    .collect(),
            )
        }
        _ => return None,
    })
}

impl Requirement {
    /// Checks the requirement against a design.
    pub fn check(&self, design: &Design) -> Outcome {
        match self {
            Requirement::Servers(count) => {
                let found = design.servers.len();
                Outcome {
                    met: count.met(found),
                    required: format!("requires {}", count.of("server", "servers")),
                    found: format!("found {found}"),
                }
            }
            Requirement::Components(kind, count) => {
                let found = design.components.iter().filter(|c| c.kind == *kind).count();
                Outcome {
                    met: count.met(found),
                    required: format!(
                        "requires {}",
                        count.of(&format!("{kind} component"), &format!("{kind} components"))
                    ),
                    found: format!("found {found}"),
                }
            }
            Requirement::Domain(domain) => {
                let found = design.domain.as_ref().map(|d| d.value.as_str());
                Outcome {
                    met: found == Some(domain.as_str()),
                    required: format!("requires `domain: {domain}`"),
                    found: match found {
                        Some(other) => format!("found `{other}`"),
                        None => "found no `domain`".to_string(),
                    },
                }
            }
            Requirement::Record {
                name,
                record_type,
                reaches,
            } => check_record(design, name, *record_type, *reaches),
            Requirement::Certificate { covers, count } => {
                check_certificates(design, covers, *count)
            }
            Requirement::EncryptedUserFlow(host) => check_encrypted(design, host),
            Requirement::Cluster(kind, at_least) => check_cluster(design, kind, *at_least),
            Requirement::Separate(kinds) => check_separate(design, kinds),
        }
    }
}

/// Certificates covering a host, counted.
fn check_certificates(design: &Design, covers: &str, count: Count) -> Outcome {
    let found = design
        .components
        .iter()
        .filter_map(|c| c.certificate.as_ref())
        .filter(|cert| {
            cert.domains
                .iter()
                .any(|d| crate::model::covers(&d.value, covers))
        })
        .count();
    Outcome {
        met: count.met(found),
        required: format!(
            "requires {}",
            count.of(
                &format!("certificate covering {covers}"),
                &format!("certificates covering {covers}"),
            )
        ),
        found: format!("found {found}"),
    }
}

/// The flow from users to a host, encrypted.
fn check_encrypted(design: &Design, host: &str) -> Outcome {
    let flows: Vec<_> = design
        .flows
        .iter()
        .filter(|f| {
            f.from.target == EndpointTarget::User && f.to.written.eq_ignore_ascii_case(host)
        })
        .collect();
    let plaintext: Vec<String> = flows
        .iter()
        .filter(|f| !f.protocol.is_encrypted())
        .map(|f| f.protocol.to_string())
        .collect();
    Outcome {
        met: !flows.is_empty() && plaintext.is_empty(),
        required: format!("requires the flow from user to {host} to be encrypted"),
        found: if flows.is_empty() {
            format!("found no flow from user to {host}")
        } else if plaintext.is_empty() {
            "found it encrypted".to_string()
        } else {
            format!("found {}", plaintext.join(", "))
        },
    }
}

/// Components of a kind on the servers of one cluster.
fn check_cluster(design: &Design, kind: &ComponentKind, at_least: u32) -> Outcome {
    let found = design
        .clusters
        .iter()
        .map(|cluster| {
            cluster
                .members
                .iter()
                .flat_map(|&m| design.components_of(m))
                .filter(|c| c.kind == *kind)
                .count()
        })
        .max()
        .unwrap_or(0);
    Outcome {
        met: found >= at_least as usize,
        required: format!(
            "requires at least {at_least} {kind} components on the servers of one cluster"
        ),
        found: if design.clusters.is_empty() {
            "found no cluster".to_string()
        } else {
            format!("found {found}")
        },
    }
}

/// No server running more than one of the kinds.
fn check_separate(design: &Design, kinds: &[ComponentKind]) -> Outcome {
    let crowded: Vec<String> = design
        .servers
        .iter()
        .filter(|s| {
            kinds
                .iter()
                .filter(|&&k| design.components_of(s.id).any(|c| c.kind == k))
                .count()
                > 1
        })
        .map(|s| format!("`{}`", s.name.value))
        .collect();
    let names: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
    Outcome {
        met: crowded.is_empty(),
        required: format!(
            "requires that no server run more than one of {}",
            names.join(", ")
        ),
        found: format!(
            "found {}: {}",
            crate::prose::plural(crowded.len(), "server", "servers"),
            crowded.join(", ")
        ),
    }
}

fn check_record(
    design: &Design,
    name: &str,
    record_type: RecordType,
    reaches: ComponentKind,
) -> Outcome {
    let required = format!("requires a `{name}` {record_type} record that reaches the {reaches}");
    let named: Vec<_> = design
        .records
        .iter()
        .filter(|r| r.name.value.eq_ignore_ascii_case(name))
        .collect();
    let Some(record) = named.iter().find(|r| r.record_type == record_type) else {
        let found = match named.first() {
            Some(other) => format!("found a {} record", other.record_type),
            None => format!("found no `{name}` record"),
        };
        return Outcome {
            met: false,
            required,
            found,
        };
    };
    let Ok(address) = record.value.value.parse::<IpAddr>() else {
        return Outcome {
            met: false,
            required,
            found: format!("found one whose value is `{}`", record.value.value),
        };
    };
    let cluster = design
        .clusters
        .iter()
        .find(|c| c.virtual_ip.as_ref().is_some_and(|v| v.value == address));
    let servers: Vec<_> = match cluster {
        Some(cluster) => cluster.members.clone(),
        None => design
            .servers
            .iter()
            .filter(|s| s.ip.as_ref().is_some_and(|ip| ip.value == address))
            .map(|s| s.id)
            .collect(),
    };
    let lacking: Vec<String> = servers
        .iter()
        .filter(|&&s| !design.components_of(s).any(|c| c.kind == reaches))
        .map(|&s| format!("`{}`", design.server(s).name.value))
        .collect();
    let met = !servers.is_empty() && lacking.is_empty();
    let found = if servers.is_empty() {
        format!("found one that points at {address}, which no server or cluster has")
    } else if lacking.is_empty() {
        "found it".to_string()
    } else {
        format!(
            "found one that reaches {}, with no {reaches}",
            lacking.join(", ")
        )
    };
    Outcome {
        met,
        required,
        found,
    }
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
