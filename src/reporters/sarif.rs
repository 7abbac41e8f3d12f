//! `--format sarif`: SARIF 2.1.0, written with serde-sarif, for code scanning (GitHub's
//! `upload-sarif`, and every other tool that reads it).
//!
//! One run per invocation. `tool.driver.rules` carries every rule (its summary, the
//! first paragraph of its documentation, the whole page as help in text and markdown, its
//! page in the repository); security rules carry `security-severity` and a `security`
//! tag. Each finding is a result with its rule, level, message, region (start and end)
//! and a `partialFingerprints` entry from the rule, the design's path and the finding's
//! target, never from line numbers, so that moving lines keeps the alert. Accepted
//! findings are results with an `inSource` suppression (the reason as justification).
//! Design errors are the invocation's `toolExecutionNotifications`, with one more per
//! design that could not be analysed (its findings are missing, not fixed), and then
//! `executionSuccessful` is false.

use std::collections::BTreeMap;

use serde_sarif::sarif;

use super::{Options, Reporter};
use crate::checked::FileReport;
use crate::diagnostic::Severity;
use crate::rules::{ALL, Finding};
use crate::source::{SourceFile, Span, identity_path};

pub struct Sarif;

fn level(severity: Severity) -> serde_json::Value {
    serde_json::Value::String(
        match severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "note",
        }
        .to_string(),
    )
}

fn text(message: &str) -> sarif::Message {
    sarif::Message::builder().text(message.to_string()).build()
}

fn multiformat(text: &str, markdown: Option<&str>) -> sarif::MultiformatMessageString {
    match markdown {
        Some(markdown) => sarif::MultiformatMessageString::builder()
            .text(text.to_string())
            .markdown(markdown.to_string())
            .build(),
        None => sarif::MultiformatMessageString::builder()
            .text(text.to_string())
            .build(),
    }
}

/// The location of a span in a file: its path and its region, start and end.
fn location(path: &str, source: Option<&SourceFile>, span: Option<Span>) -> sarif::Location {
    // The identity path, from the repository root: `%SRCROOT%`, which code scanning
    // resolves to the checkout.
    let artifact = sarif::ArtifactLocation::builder()
        .uri(crate::source::uri_path(path))
        .uri_base_id("%SRCROOT%".to_string())
        .build();
    let physical = match (source, span) {
        (Some(source), Some(span)) => {
            let start = source.position(span.start as usize);
            let end = source.position(span.end as usize);
            let region = sarif::Region::builder()
                .start_line(start.line as i64)
                .start_column(start.column as i64)
                .end_line(end.line as i64)
                .end_column(end.column as i64)
                .build();
            sarif::PhysicalLocation::builder()
                .artifact_location(artifact)
                .region(region)
                .build()
        }
        _ => sarif::PhysicalLocation::builder()
            .artifact_location(artifact)
            .build(),
    };
    sarif::Location::builder()
        .physical_location(physical)
        .build()
}

fn rules() -> Vec<sarif::ReportingDescriptor> {
    ALL.iter()
        .map(|rule| {
            let doc = rule.doc.trim();
            // The first paragraph under "What it does".
            let first = doc
                .strip_prefix("## What it does")
                .unwrap_or(doc)
                .trim()
                .split("\n\n")
                .next()
                .unwrap_or(rule.summary)
                .replace('\n', " ");
            let page = crate::rules::page(rule);
            let configuration = sarif::ReportingConfiguration::builder()
                .level(level(rule.severity))
                .build();
            let mut properties = BTreeMap::new();
            let mut tags = vec![rule.code[..2].to_string()];
            if let Some(score) = rule.security {
                properties.insert(
                    "security-severity".to_string(),
                    serde_json::Value::String(format!("{score:.1}")),
                );
                tags.push("security".to_string());
            }
            let bag = sarif::PropertyBag::builder()
                .tags(tags)
                .additional_properties(properties)
                .build();
            let descriptor = sarif::ReportingDescriptor::builder()
                .id(rule.code.to_string())
                .name(rule.name.to_string())
                .short_description(multiformat(rule.summary, None))
                .full_description(multiformat(&first, None))
                .help(multiformat(&page, Some(&page)))
                .default_configuration(configuration)
                .properties(bag);
            match crate::rules::page_url(rule.code) {
                Some(uri) => descriptor.help_uri(uri).build(),
                None => descriptor.build(),
            }
        })
        .collect()
}

/// A design error: a notification of the invocation, its code as descriptor.
fn notification(
    path: &str,
    source: Option<&SourceFile>,
    error: &crate::diagnostic::Diagnostic,
) -> sarif::Notification {
    sarif::Notification::builder()
        .descriptor(
            sarif::ReportingDescriptorReference::builder()
                .id(error.code.as_str().to_string())
                .build(),
        )
        .message(text(&error.message))
        .level(level(Severity::Error))
        .locations(vec![location(path, source, error.span)])
        .build()
}

/// A finding: a result of its rule, fingerprinted, suppressed in source when accepted.
fn result(path: &str, source: Option<&SourceFile>, finding: &Finding) -> sarif::Result {
    let index = ALL
        .iter()
        .position(|r| r.code == finding.code())
        .unwrap_or(0);
    let fingerprints = BTreeMap::from([("infralint/v1".to_string(), finding.fingerprint(path))]);
    let result = sarif::Result::builder()
        .rule_id(finding.code().to_string())
        .rule_index(index as i64)
        .level(match finding.severity {
            Severity::Error => sarif::ResultLevel::Error,
            Severity::Warning => sarif::ResultLevel::Warning,
            Severity::Info => sarif::ResultLevel::Note,
        })
        .message(text(&finding.message))
        .locations(vec![location(path, source, finding.span)])
        .partial_fingerprints(fingerprints);
    match &finding.accepted {
        Some(reason) => result
            .suppressions(vec![
                sarif::Suppression::builder()
                    .kind(serde_json::Value::String("inSource".to_string()))
                    .justification(reason.clone())
                    .build(),
            ])
            .build(),
        None => result.build(),
    }
}

impl Reporter for Sarif {
    fn render(&self, reports: &[FileReport], _: &Options) -> String {
        let mut results = Vec::new();
        let mut notifications = Vec::new();
        for report in reports {
            let path = identity_path(&report.path);
            let source = report.source.as_ref();
            for item in report.diagnostics() {
                match item.finding {
                    None => notifications.push(notification(&path, source, item.diagnostic)),
                    Some(finding) => results.push(result(&path, source, finding)),
                }
            }
            if !report.errors.is_empty() {
                // Its findings are missing from this run: code scanning must not take
                // their absence for fixes.
                notifications.push(
                    sarif::Notification::builder()
                        .message(text(&format!(
                            "`{path}` was not analysed: {}, so none of its findings are in this run",
                            crate::prose::plural(report.errors.len(), "design error", "design errors")
                        )))
                        .level(level(Severity::Error))
                        .locations(vec![location(&path, None, None)])
                        .build(),
                );
            }
        }
        let analysed = reports.iter().all(|r| r.errors.is_empty());
        let invocation = sarif::Invocation::builder()
            .execution_successful(analysed)
            .tool_execution_notifications(notifications)
            .build();
        let repository = env!("CARGO_PKG_REPOSITORY");
        let driver = sarif::ToolComponent::builder()
            .name("infralint".to_string())
            .version(env!("CARGO_PKG_VERSION").to_string())
            .rules(rules());
        // The tool's home, when the package states one.
        let driver = if repository.is_empty() {
            driver.build()
        } else {
            driver.information_uri(repository.to_string()).build()
        };
        // `%SRCROOT%` is said, not given: its absolute address differs per machine (and,
        // in a class, per repository), and code scanning supplies the checkout.
        let roots = BTreeMap::from([(
            "%SRCROOT%".to_string(),
            sarif::ArtifactLocation::builder()
                .description(text(
                    "The repository root of each design (the nearest folder up with .git; \
                     outside a repository, the nearest with infralint.toml).",
                ))
                .build(),
        )]);
        let run = sarif::Run::builder()
            .tool(sarif::Tool::builder().driver(driver).build())
            .original_uri_base_ids(roots)
            .invocations(vec![invocation])
            .results(results)
            .build();
        let log = sarif::Sarif::builder()
            .schema(sarif::SCHEMA_URL.to_string())
            .version(serde_json::Value::String("2.1.0".to_string()))
            .runs(vec![run])
            .build();
        let mut out = serde_json::to_string_pretty(&log).expect("plain data always serializes");
        out.push('\n');
        out
    }
}
