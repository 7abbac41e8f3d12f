//! Reading a profile: the same syntax stage and schema reader as designs, so a broken
//! profile gets the same positioned errors.

use super::{Count, Point, Profile, Requirement, builtin};
use crate::diagnostic::{Diagnostic, ErrorCode};
use crate::model::{Explain, Fields, Reader};
use crate::source::SourceFile;
use crate::syntax::{Limits, Node, parse};

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
