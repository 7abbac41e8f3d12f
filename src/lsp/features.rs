//! Hover, go to definition, completion and code actions on an open design. Each is a
//! function of the document and a byte offset (or range), answering with the LSP value
//! to send back, `null` when there is nothing to say.

use lsp_types::{
    CodeAction, CodeActionKind, CompletionItem, CompletionItemKind, Hover, HoverContents,
    MarkupContent, MarkupKind, Range, TextEdit, WorkspaceEdit,
};
use serde_json::Value;

use super::Document;
use super::index::{Index, Occurrence, Role, SymbolKind};
use crate::model::{
    Access, Algorithm, Collect, ComponentKind, Design, Endpoint, EndpointTarget, ExternalKind,
    Mode, Protocol, Purpose, RecordType, Role as DbRole, Via, Word,
};
use crate::rules;

fn json<T: serde::Serialize>(value: T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

fn markdown(text: String, range: Option<Range>) -> Value {
    json(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: text,
        }),
        range,
    })
}

fn rule_summary(rule: &rules::Rule) -> String {
    format!(
        "**{} {}** ({})\n\n{}",
        rule.code,
        rule.name,
        rule.severity.as_str(),
        rule.summary
    )
}

/// The word of letters, digits and `-` under an offset (for a rule code in a comment).
fn word_at(text: &str, offset: usize) -> &str {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '-';
    // After the last character that is no part of a word, whatever its width in bytes.
    let start = text[..offset]
        .char_indices()
        .rev()
        .find(|&(_, c)| !is_word(c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let end = text[offset..]
        .find(|c: char| !is_word(c))
        .map_or(text.len(), |i| offset + i);
    &text[start..end]
}

pub(super) fn hover(document: &Document, offset: u32) -> Value {
    let index = &document.index;
    if let Some(occurrence) = index.occurrence_at(offset) {
        let range = Some(document.range(occurrence.span));
        let text = match occurrence.role {
            Role::Key(object) => Index::key_doc(object, &occurrence.text)
                .map(|doc| format!("**`{}`**: {doc}", occurrence.text)),
            Role::Rule => rules::find(&occurrence.text).map(rule_summary),
            Role::Endpoint { .. } => Some(
                document
                    .report
                    .design
                    .as_ref()
                    .and_then(|design| resolved(design, occurrence))
                    .unwrap_or_else(|| defined(index, occurrence)),
            ),
            Role::Member | Role::Zone | Role::AcceptTarget => Some(defined(index, occurrence)),
        };
        if let Some(text) = text {
            return markdown(text, range);
        }
    }
    if let Some(symbol) = index.symbol_at(offset) {
        return markdown(
            format!(
                "{} `{}`: {}",
                symbol.kind.as_str(),
                symbol.name,
                symbol.detail
            ),
            Some(document.range(symbol.span)),
        );
    }
    // A rule code anywhere, in a comment too.
    let source = document.source().text();
    match rules::find(word_at(source, offset as usize)) {
        Some(rule) => markdown(rule_summary(rule), None),
        None => Value::Null,
    }
}

/// What the index says a word names, without the model (the design has errors).
fn defined(index: &Index, occurrence: &Occurrence) -> String {
    let found = index.definitions(occurrence);
    if found.is_empty() {
        return format!("`{}` names nothing in this design", occurrence.text);
    }
    found
        .iter()
        .map(|s| format!("{} `{}`: {}", s.kind.as_str(), s.name, s.detail))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// How the model resolved an endpoint: "`www.foobar.com` → A 8.8.8.8 → cluster
/// `lb-cluster` (lb-01, lb-02) → `lb-01/load_balancer`, `lb-02/load_balancer`".
fn resolved(design: &Design, occurrence: &Occurrence) -> Option<String> {
    let endpoint: &Endpoint = design.flows.iter().find_map(|flow| {
        [&flow.from, &flow.to]
            .into_iter()
            .find(|e| e.span == occurrence.span)
    })?;
    let mut steps = vec![format!("`{}`", endpoint.written)];
    let cluster = |id: crate::model::ClusterId| {
        let cluster = &design.clusters[id.index()];
        let members: Vec<&str> = cluster
            .members
            .iter()
            .map(|&m| design.server(m).name.value.as_str())
            .collect();
        format!("cluster `{}` ({})", cluster.name.value, members.join(", "))
    };
    match &endpoint.target {
        EndpointTarget::User => steps.push("the user, on the internet".into()),
        EndpointTarget::Client(id) => {
            let client = &design.clients[id.index()];
            steps.push(format!(
                "client `{}`, on the {} network",
                client.name.value, client.network
            ));
        }
        EndpointTarget::External(id) => {
            let external = &design.externals[id.index()];
            steps.push(format!(
                "external service `{}` ({})",
                external.name.value,
                external.kind.as_str()
            ));
        }
        EndpointTarget::Components { components, via } => {
            match via {
                Via::Component => {}
                Via::Server => steps.push("its front component".into()),
                Via::Cluster(id) => steps.push(cluster(*id)),
                Via::Host(route) => {
                    for record in &route.records {
                        let record = &design.records[record.index()];
                        steps.push(format!(
                            "{} {}",
                            record.record_type.as_str(),
                            record.value.value
                        ));
                    }
                    steps.extend(route.clusters.iter().map(|&id| cluster(id)));
                }
            }
            steps.push(
                components
                    .iter()
                    .map(|&c| format!("`{}`", design.component_target(c)))
                    .collect::<Vec<_>>()
                    .join(", "),
            );
        }
    }
    Some(steps.join(" → "))
}

pub(super) fn definition(document: &Document, offset: u32) -> Value {
    let Some(occurrence) = document.index.occurrence_at(offset) else {
        return Value::Null;
    };
    let locations: Vec<_> = document
        .index
        .definitions(occurrence)
        .iter()
        .map(|s| document.location(s.span))
        .collect();
    if locations.is_empty() {
        Value::Null
    } else {
        json(locations)
    }
}

/// Where the cursor is, read from the line as typed (the text may not parse).
#[derive(Debug, PartialEq, Eq)]
struct Context {
    /// The key whose value is being typed.
    key: String,
    /// The top-level section the line is under (`servers`, `external`, `flows`...).
    section: Option<String>,
    /// Where the word being typed starts.
    start: usize,
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/' | '+' | '@' | '*')
}

/// The key before the cursor on one line: `kind: lo`, `to: [web-01, w`, `{ from: u`.
/// `None` where a key is being typed (`{ fr`, `a: 1, b`).
fn key_on_line(before: &str) -> Option<String> {
    let chars: Vec<(usize, char)> = before.char_indices().collect();
    let mut depth = 0usize;
    let mut in_list = false;
    // A comma outside any list separates the entries of a flow mapping: a key follows.
    let mut after_comma = false;
    for (i, &(at, c)) in chars.iter().enumerate().rev() {
        match c {
            ']' => depth += 1,
            '[' if depth > 0 => depth -= 1,
            '[' => in_list = true,
            ',' if depth == 0 && !in_list => after_comma = true,
            '{' | '}' if depth == 0 => return None,
            ':' if depth == 0 && chars.get(i + 1).is_none_or(|&(_, n)| n == ' ') => {
                if after_comma && !in_list {
                    return None;
                }
                let key: String = before[..at]
                    .chars()
                    .rev()
                    .take_while(|&c| c.is_ascii_alphanumeric() || c == '_')
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect();
                return (!key.is_empty()).then_some(key);
            }
            _ => {}
        }
    }
    None
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

fn context(text: &str, offset: usize) -> Option<Context> {
    let offset = offset.min(text.len());
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = &text[line_start..offset];
    let start = line
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_word_char(c))
        .last()
        .map_or(line.len(), |(i, _)| i);
    let before = &line[..start];
    let previous: Vec<&str> = text[..line_start].lines().collect();
    let key = match key_on_line(before) {
        Some(key) => key,
        None if before.trim() == "-" => {
            // A block list item: the key is on the nearest line above, less indented.
            let dash = indent(before);
            previous
                .iter()
                .rev()
                .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
                .find(|l| {
                    indent(l) < dash || (indent(l) == dash && !l.trim_start().starts_with('-'))
                })
                .and_then(|l| {
                    l.trim()
                        .trim_start_matches("- ")
                        .strip_suffix(':')
                        .map(str::to_owned)
                })?
        }
        None => return None,
    };
    let section = previous
        .iter()
        .rev()
        .find(|l| indent(l) == 0 && !l.is_empty() && !l.starts_with('#'))
        .and_then(|l| l.split(':').next())
        .map(str::to_owned);
    Some(Context {
        key,
        section,
        start: line_start + start,
    })
}

fn item(label: &str, kind: CompletionItemKind, detail: String) -> CompletionItem {
    CompletionItem {
        label: label.to_string(),
        kind: Some(kind),
        detail: (!detail.is_empty()).then_some(detail),
        ..CompletionItem::default()
    }
}

fn words(list: &[&str]) -> Vec<CompletionItem> {
    list.iter()
        .map(|w| item(w, CompletionItemKind::ENUM_MEMBER, String::new()))
        .collect()
}

fn symbols(index: &Index, kinds: &[SymbolKind]) -> Vec<CompletionItem> {
    index
        .symbols
        .iter()
        .filter(|s| kinds.contains(&s.kind))
        .map(|s| {
            let kind = match s.kind {
                SymbolKind::Server | SymbolKind::Cluster => CompletionItemKind::MODULE,
                SymbolKind::Component => CompletionItemKind::FIELD,
                SymbolKind::External | SymbolKind::ExternalHost => CompletionItemKind::INTERFACE,
                SymbolKind::Record => CompletionItemKind::REFERENCE,
                SymbolKind::Zone => CompletionItemKind::FOLDER,
            };
            item(&s.name, kind, format!("{}: {}", s.kind.as_str(), s.detail))
        })
        .collect()
}

pub(super) fn completion(document: &Document, offset: u32) -> Value {
    let text = document.source().text();
    let Some(context) = context(text, offset as usize) else {
        return Value::Null;
    };
    let index = &document.index;
    let mut items = match context.key.as_str() {
        "kind" if context.section.as_deref() == Some("external") => words(ExternalKind::WORDS),
        "kind" => words(ComponentKind::WORDS),
        "protocol" => words(Protocol::WORDS),
        "access" => words(Access::WORDS),
        "purpose" => words(Purpose::WORDS),
        "mode" => words(Mode::WORDS),
        "role" => words(DbRole::WORDS),
        "algorithm" => words(Algorithm::WORDS),
        "type" => words(RecordType::WORDS),
        "collects" => words(Collect::WORDS),
        "members" => symbols(index, &[SymbolKind::Server]),
        "zone" => symbols(index, &[SymbolKind::Zone]),
        "from" | "to" => {
            let mut items = symbols(
                index,
                &[
                    SymbolKind::Server,
                    SymbolKind::Cluster,
                    SymbolKind::External,
                    SymbolKind::Component,
                    SymbolKind::Record,
                ],
            );
            if context.key == "from" {
                items.insert(
                    0,
                    item(
                        "user",
                        CompletionItemKind::KEYWORD,
                        "the person with a browser".into(),
                    ),
                );
            }
            items
        }
        "target" => symbols(
            index,
            &[
                SymbolKind::Server,
                SymbolKind::Component,
                SymbolKind::Record,
            ],
        ),
        "rule" => rules::ALL
            .iter()
            .map(|r| {
                item(
                    r.code,
                    CompletionItemKind::CONSTANT,
                    format!("{}: {}", r.name, r.summary),
                )
            })
            .collect(),
        _ => return Value::Null,
    };
    // Replace the word being typed, so that `web-01/` completes to `web-01/web_server`.
    let range = Range::new(
        document.position(context.start as u32),
        document.position(offset),
    );
    for item in &mut items {
        item.text_edit = Some(lsp_types::CompletionTextEdit::Edit(TextEdit::new(
            range,
            item.label.clone(),
        )));
    }
    json(items)
}

/// Quick fixes for what is under the range: every fix a diagnostic carries (a design
/// error's "did you mean" word, a rule's mend), whatever its applicability; the safe ones
/// preferred.
pub(super) fn code_actions(document: &Document, range: Range) -> Value {
    let (start, end) = (document.offset(range.start), document.offset(range.end));
    let touches = |span: crate::source::Span| span.start <= end && start <= span.end;
    let mut actions = Vec::new();
    // In the order `Document::diagnostics` gives them.
    let items = document.report.diagnostics();
    for (diagnostic, item) in document.diagnostics().into_iter().zip(items) {
        let (Some(span), Some(fix)) = (item.diagnostic.span, &item.diagnostic.fix) else {
            continue;
        };
        if touches(span) {
            actions.push(action(document, (**fix).clone(), diagnostic));
        }
    }
    json(actions)
}

fn action(
    document: &Document,
    fix: crate::diagnostic::Fix,
    diagnostic: lsp_types::Diagnostic,
) -> CodeAction {
    let edits = fix
        .edits
        .iter()
        .map(|edit| TextEdit::new(document.range(edit.span), edit.text.clone()))
        .collect();
    // lsp-types keys `WorkspaceEdit::changes` by `Uri`, whose cached parts clippy takes
    // for interior mutability; the key is never changed while in the map.
    #[allow(clippy::mutable_key_type)]
    let mut changes = std::collections::HashMap::new();
    changes.insert(document.uri.clone(), edits);
    CodeAction {
        title: fix.title,
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![diagnostic]),
        edit: Some(WorkspaceEdit {
            changes: Some(changes),
            ..WorkspaceEdit::default()
        }),
        is_preferred: Some(fix.applicability != crate::diagnostic::Applicability::Unsafe),
        ..CodeAction::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context_of(text: &str) -> Option<(String, Option<String>)> {
        let offset = text.find('|').expect("a cursor");
        let text = text.replace('|', "");
        context(&text, offset).map(|c| (c.key, c.section))
    }

    #[test]
    fn the_key_being_typed_for_is_read_from_the_line() {
        let flows = "flows:\n  - { from: user, to: [web-01, w|";
        assert_eq!(context_of(flows), Some(("to".into(), Some("flows".into()))));
        assert_eq!(
            context_of("servers:\n  a:\n    components:\n      - { kind: lo|"),
            Some(("kind".into(), Some("servers".into())))
        );
        assert_eq!(
            context_of("external:\n  x: { kind: |"),
            Some(("kind".into(), Some("external".into())))
        );
        assert_eq!(
            context_of("clusters:\n  - name: c\n    members:\n      - lb-01\n      - |"),
            Some(("members".into(), Some("clusters".into())))
        );
        assert_eq!(context_of("flows:\n  - { fr|"), None);
        assert_eq!(context_of("flows:\n  - { from: a, pro|"), None);
        assert_eq!(
            context_of("flows:\n  - { from: [a, b], to: c, protocol: ht|")
                .unwrap()
                .0,
            "protocol"
        );
    }

    #[test]
    fn every_offset_of_unicode_text_has_a_word() {
        // Issue 23, case 12: right after a non-ASCII character, the word's start fell
        // inside that character. Every byte offset of every kind of character.
        let text = "# é AV001 — naïve 日本 🚀AV002\r\nwhy: \u{202e}x\u{fffe} ß-AV003";
        for offset in 0..=text.len() + 2 {
            let word = word_at(text, offset);
            assert!(text.contains(word));
        }
        assert_eq!(word_at(text, text.find("AV002").unwrap() + 1), "AV002");
        assert_eq!(word_at(text, text.find("AV003").unwrap()), "-AV003");
    }

    #[test]
    fn hover_answers_at_every_offset_after_a_broken_edit() {
        // Issue 23, case 13: after an edit that does not parse, the earlier text's index
        // is kept, and its spans were converted against the new text.
        let uri: lsp_types::Uri = "file:///tmp/unicode.yaml".parse().unwrap();
        let good = "name: café ☕\nservers:\n  web-01: { why: \"naïve 日本 🚀\", components: [{ kind: web_server }] }\nflows:\n  - { from: user, to: web-01, protocol: http }\n";
        let first = Document::new(&uri, good.to_string(), None);
        for broken in ["name: [", "né: {", "🚀", ""] {
            let previous = Document::new(&uri, good.to_string(), None);
            let document = Document::new(&uri, broken.to_string(), Some(previous));
            for offset in 0..=good.len() as u32 + 4 {
                let _ = hover(&document, offset);
                let _ = document.position(offset);
            }
        }
        for offset in 0..=good.len() as u32 {
            let _ = hover(&first, offset);
        }
    }

    #[test]
    fn a_rule_code_is_found_in_a_comment() {
        let text = "# AV001 is accepted below";
        assert_eq!(word_at(text, 4), "AV001");
        assert!(rules::find(word_at(text, 4)).is_some());
    }
}
