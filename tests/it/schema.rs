//! The JSON Schema of the design format: a valid draft 2020-12 schema; every design that
//! infralint reads without a design error follows it; the fixtures whose error is a
//! schema matter (an unknown key, a wrong type, an unknown word, a missing key) do not;
//! and the copy in `docs/` is what `infralint schema` prints.

use crate::common;

use std::path::{Path, PathBuf};

use infralint::model::schema::json_schema_text;
use infralint::source::SourceFile;
use infralint::syntax::{self, Limits, Node, NodeKind, ScalarValue};
use serde_json::Value;

/// A YAML tree as the YAML language server sees it: plain scalars typed by the core
/// schema, quoted ones text.
fn to_json(node: &Node) -> Value {
    if let Some(scalar) = node.as_scalar() {
        return match scalar.value() {
            _ if !scalar.plain => Value::from(scalar.text),
            ScalarValue::Null => Value::Null,
            ScalarValue::Bool(b) => Value::from(b),
            ScalarValue::Int(n) => Value::from(n),
            ScalarValue::Float => scalar
                .text
                .parse::<f64>()
                .map_or_else(|_| Value::from(scalar.text), Value::from),
            ScalarValue::Str => Value::from(scalar.text),
        };
    }
    match &node.kind {
        NodeKind::Scalar { .. } | NodeKind::OwnedScalar { .. } => Value::Null,
        NodeKind::Seq(items) => items.iter().map(to_json).collect(),
        NodeKind::Map(entries) => entries
            .iter()
            .map(|e| {
                (
                    e.key.scalar_text().unwrap_or_default().to_string(),
                    to_json(&e.value),
                )
            })
            .collect::<serde_json::Map<_, _>>()
            .into(),
    }
}

fn document(path: &Path) -> Option<Value> {
    let text = std::fs::read_to_string(path).ok()?;
    let source = SourceFile::new(path, text);
    syntax::parse(&source, Limits::default())
        .root
        .as_ref()
        .map(to_json)
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().flatten().collect();
    entries.sort_by_key(|e| e.path());
    for entry in entries {
        let path = entry.path();
        if path.is_dir() {
            yaml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(path);
        }
    }
}

fn validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(&json_schema_text()).unwrap();
    jsonschema::draft202012::meta::validate(&schema).expect("a valid draft 2020-12 schema");
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the schema compiles")
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn every_design_read_without_error_follows_the_schema() {
    let validator = validator();
    let mut files = Vec::new();
    yaml_files(&root().join("designs"), &mut files);
    yaml_files(&root().join("tests/fixtures"), &mut files);
    yaml_files(&root().join("assets/init"), &mut files);
    let mut checked = 0;
    for path in files {
        let report = common::report(&path);
        if !report.errors.is_empty() || report.design.is_none() {
            continue;
        }
        let document = document(&path).expect("a design that checks parses");
        let errors: Vec<String> = validator
            .iter_errors(&document)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
        checked += 1;
    }
    assert!(checked >= 70, "only {checked} designs were validated");
}

#[test]
fn schema_matters_fail_the_schema() {
    let validator = validator();
    for name in [
        "unknown_key_top",
        "unknown_key_nested",
        "wrong_type",
        "unknown_kind",
        "unknown_protocol",
        "unknown_access",
        "unknown_algorithm",
        "unknown_mode",
        "unknown_purpose",
        "unknown_record_type",
        "unknown_role",
        "key_only_for_kind",
        "missing_required_key",
        "format_version",
        "bad_availability",
        "bad_name",
        "top_level_list",
        "top_level_scalar",
    ] {
        let path = root().join(format!("tests/fixtures/errors/{name}.yaml"));
        let document = document(&path).unwrap_or_else(|| panic!("{name} parses as YAML"));
        assert!(
            !validator.is_valid(&document),
            "{name} follows the schema, but infralint refuses it"
        );
        assert!(
            !common::report(&path).errors.is_empty(),
            "{name} has a design error"
        );
    }
}

/// `docs/design.schema.json` is what `infralint schema` prints
/// (`INFRALINT_WRITE_DOCS=1 cargo test --test it schema` rewrites it).
#[test]
fn the_published_schema_is_current() {
    let path = root().join("docs/design.schema.json");
    let text = json_schema_text();
    if std::env::var_os("INFRALINT_WRITE_DOCS").is_some() {
        std::fs::write(&path, &text).unwrap();
    }
    let published = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        published == text,
        "docs/design.schema.json is stale: run INFRALINT_WRITE_DOCS=1 cargo test --test it schema"
    );
    let printed = std::process::Command::new(env!("CARGO_BIN_EXE_infralint"))
        .arg("schema")
        .output()
        .unwrap();
    assert!(printed.status.success());
    assert_eq!(String::from_utf8(printed.stdout).unwrap(), text);
}
