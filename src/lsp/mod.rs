//! `infralint lsp`: the language server, over standard input and output.
//!
//! Built on `lsp-server` (rust-analyzer's transport: synchronous, a channel of messages,
//! no async runtime) and `lsp-types`. Each open document is analysed by the pipeline
//! (`check_source`) on open and on every change (full text sync), and its design errors
//! and findings are published as diagnostics. Hover, definition, completion and code
//! actions read the document's [`index::Index`], built from its syntax tree, so that they
//! keep working while the design has errors. See ARCHITECTURE.md.

mod features;
pub mod index;
mod transport;

use std::collections::HashMap;
use std::path::PathBuf;

use lsp_server::{Connection, ErrorCode, Notification, Request, Response};
use lsp_types::notification::Notification as _;
use lsp_types::request::Request as _;
use lsp_types::{
    CodeActionProviderCapability, CompletionOptions, Diagnostic, DiagnosticRelatedInformation,
    DiagnosticSeverity, HoverProviderCapability, InitializeResult, Location, NumberOrString, OneOf,
    Position, PublishDiagnosticsParams, Range, ServerCapabilities, ServerInfo,
    TextDocumentSyncCapability, TextDocumentSyncKind, Uri,
};

use crate::checked::FileReport;
use crate::diagnostic::Severity;
use crate::settings::{CommandLine, Resolver};
use crate::source::{SourceFile, Span};
use crate::{CheckOptions, ExitStatus, check_source_and};

pub use index::Index;
/// The messages [`replay`] gives back.
pub use lsp_server::Message;

/// Runs the server until the client says `exit`; the exit code is 0 after a `shutdown`,
/// 1 otherwise (as the protocol asks).
pub fn serve() -> ExitStatus {
    let (connection, threads) = transport::stdio();
    let outcome = run(&connection);
    drop(connection);
    // The reader's own error: a malformed message, a header it could not read.
    let transport = threads.join();
    let why = match (outcome, transport) {
        (Ok(true), _) => return ExitStatus::Success,
        // What the reader could not read is the cause; the rest follows from it.
        (_, Err(e)) => format!("cannot read a message from the client: {e}"),
        (Ok(false), Ok(())) => "the connection ended without a shutdown request".to_string(),
        (Err(e), Ok(())) => e.to_string(),
    };
    say!("infralint lsp: {why}");
    ExitStatus::Failure
}

fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![
                ":".into(),
                " ".into(),
                "[".into(),
                ",".into(),
                "/".into(),
            ]),
            ..CompletionOptions::default()
        }),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        ..ServerCapabilities::default()
    }
}

/// What [`replay`] saw: every message the server sent, and how the session ended.
#[derive(Debug)]
pub struct Replay {
    pub sent: Vec<Message>,
    /// `Ok(true)` after a shutdown request, `Ok(false)` when the input ended without one,
    /// `Err` with what went wrong (a protocol error, a message that cannot be read).
    pub outcome: Result<bool, String>,
}

/// Serves a recorded session on this thread: the messages framed in `input` are read
/// as `serve` reads standard input (the same size limits and framing), then served by
/// the same loop (handshake, batching, handlers). For the fuzz target of the message
/// loop and for tests; `serve` is this with two threads and the standard streams.
pub fn replay(mut input: &[u8]) -> Replay {
    let (server, client) = Connection::memory();
    let mut unread = None;
    loop {
        match transport::read(&mut input) {
            Ok(Some(message)) => {
                let exit = matches!(&message, Message::Notification(n) if n.method == "exit");
                // The channel is unbounded and its receiver alive: a send cannot fail.
                let _ = client.sender.send(message);
                if exit {
                    break;
                }
            }
            Ok(None) => break,
            Err(e) => {
                unread = Some(format!("cannot read a message from the client: {e}"));
                break;
            }
        }
    }
    drop(client.sender);
    let outcome = run(&server).map_err(|e| e.to_string());
    drop(server);
    Replay {
        sent: client.receiver.try_iter().collect(),
        // As `serve` says it: what could not be read is the cause.
        outcome: match (outcome, unread) {
            (Ok(true), _) => Ok(true),
            (_, Some(why)) => Err(why),
            (outcome, None) => outcome,
        },
    }
}

/// Serves until the client asks to shut down (`Ok(true)`) or the connection ends
/// without that (`Ok(false)`: the client went away, or sent what cannot be read).
fn run(connection: &Connection) -> Result<bool, Box<dyn std::error::Error + Send + Sync>> {
    let result = InitializeResult {
        capabilities: capabilities(),
        server_info: Some(ServerInfo {
            name: "infralint".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
        }),
    };
    let (id, _params) = connection.initialize_start()?;
    connection.initialize_finish(id, serde_json::to_value(result)?)?;
    let mut server = Server::default();
    for first in &connection.receiver {
        // What has queued up meanwhile, so that a burst of edits is analysed once; up to
        // a request, since a shutdown must leave the `exit` after it to lsp-server.
        let mut batch = vec![first];
        while !matches!(batch.last(), Some(Message::Request(_)))
            && let Ok(next) = connection.receiver.try_recv()
        {
            batch.push(next);
        }
        let superseded = superseded(&batch);
        for (message, skip) in batch.into_iter().zip(superseded) {
            if skip {
                continue;
            }
            if handle(connection, &mut server, message)? {
                return Ok(true);
            }
        }
    }
    Ok(false)
}

/// The URI of a document a change notification is about.
fn changed_uri(message: &Message) -> Option<&str> {
    match message {
        Message::Notification(n)
            if n.method == lsp_types::notification::DidChangeTextDocument::METHOD =>
        {
            n.params["textDocument"]["uri"].as_str()
        }
        _ => None,
    }
}

/// Per message of a batch, true for a change of a document that a later change in the
/// batch replaces whole (full sync) before any request could read it: only the last of
/// a burst of edits is analysed. O(messages) with one map.
fn superseded(batch: &[Message]) -> Vec<bool> {
    let mut skip = vec![false; batch.len()];
    // Per URI, the change seen last since the last request.
    let mut last: HashMap<&str, usize> = HashMap::new();
    for (i, message) in batch.iter().enumerate() {
        match message {
            Message::Request(_) => last.clear(),
            _ => {
                if let Some(uri) = changed_uri(message)
                    && let Some(earlier) = last.insert(uri, i)
                {
                    skip[earlier] = true;
                }
            }
        }
    }
    skip
}

/// One message: a request answered, a notification's diagnostics published. True after
/// a shutdown request.
fn handle(
    connection: &Connection,
    server: &mut Server,
    message: Message,
) -> Result<bool, Box<dyn std::error::Error + Send + Sync>> {
    match message {
        Message::Request(request) => {
            if connection.handle_shutdown(&request)? {
                return Ok(true);
            }
            let response = server.request(request);
            connection.sender.send(Message::Response(response))?;
        }
        Message::Notification(notification) => {
            for out in server.notification(notification) {
                connection.sender.send(Message::Notification(out))?;
            }
        }
        Message::Response(_) => {}
    }
    Ok(false)
}

/// The largest document analysed: `check`'s default `--max-file-size`.
const MAX_DOCUMENT_BYTES: u64 = 64 * 1024 * 1024;

/// The open documents.
#[derive(Default)]
pub struct Server {
    documents: HashMap<String, Document>,
}

impl Server {
    fn request(&mut self, request: Request) -> Response {
        let id = request.id.clone();
        let result = match request.method.as_str() {
            lsp_types::request::HoverRequest::METHOD => self.with_document(
                request,
                |params: lsp_types::HoverParams| params.text_document_position_params,
                features::hover,
            ),
            lsp_types::request::GotoDefinition::METHOD => self.with_document(
                request,
                |params: lsp_types::GotoDefinitionParams| params.text_document_position_params,
                features::definition,
            ),
            lsp_types::request::Completion::METHOD => self.with_document(
                request,
                |params: lsp_types::CompletionParams| params.text_document_position,
                features::completion,
            ),
            lsp_types::request::CodeActionRequest::METHOD => {
                match serde_json::from_value::<lsp_types::CodeActionParams>(request.params) {
                    Ok(params) => Ok(self
                        .documents
                        .get(params.text_document.uri.as_str())
                        .map(|document| features::code_actions(document, params.range))
                        .unwrap_or(serde_json::Value::Null)),
                    Err(e) => Err((ErrorCode::InvalidParams, e.to_string())),
                }
            }
            other => Err((
                ErrorCode::MethodNotFound,
                format!("infralint does not answer `{other}`"),
            )),
        };
        match result {
            Ok(value) => Response::new_ok(id, value),
            Err((code, message)) => Response::new_err(id, code as i32, message),
        }
    }

    /// Answers a request about a position in an open document (`null` for a document
    /// that is not open).
    fn with_document<P: serde::de::DeserializeOwned>(
        &self,
        request: Request,
        position: impl Fn(P) -> lsp_types::TextDocumentPositionParams,
        answer: impl Fn(&Document, u32) -> serde_json::Value,
    ) -> Result<serde_json::Value, (ErrorCode, String)> {
        let params: P = serde_json::from_value(request.params)
            .map_err(|e| (ErrorCode::InvalidParams, e.to_string()))?;
        let at = position(params);
        Ok(match self.documents.get(at.text_document.uri.as_str()) {
            Some(document) => answer(document, document.offset(at.position)),
            None => serde_json::Value::Null,
        })
    }

    /// Keeps the documents and answers with the diagnostics to publish.
    fn notification(&mut self, notification: Notification) -> Vec<Notification> {
        let (uri, text, version) = match notification.method.as_str() {
            lsp_types::notification::DidOpenTextDocument::METHOD => {
                let Ok(params) = serde_json::from_value::<lsp_types::DidOpenTextDocumentParams>(
                    notification.params,
                ) else {
                    return Vec::new();
                };
                let document = params.text_document;
                (document.uri, document.text, document.version)
            }
            lsp_types::notification::DidChangeTextDocument::METHOD => {
                let Ok(params) = serde_json::from_value::<lsp_types::DidChangeTextDocumentParams>(
                    notification.params,
                ) else {
                    return Vec::new();
                };
                // Full sync: the last change is the whole text.
                let Some(change) = params.content_changes.into_iter().last() else {
                    return Vec::new();
                };
                (
                    params.text_document.uri,
                    change.text,
                    params.text_document.version,
                )
            }
            lsp_types::notification::DidCloseTextDocument::METHOD => {
                let Ok(params) = serde_json::from_value::<lsp_types::DidCloseTextDocumentParams>(
                    notification.params,
                ) else {
                    return Vec::new();
                };
                let uri = params.text_document.uri;
                self.documents.remove(uri.as_str());
                return vec![publish(uri, Vec::new(), None)];
            }
            _ => return Vec::new(),
        };
        let previous = self.documents.remove(uri.as_str());
        if text.len() as u64 > MAX_DOCUMENT_BYTES {
            // As `check` refuses a file over its size limit: no analysis, one diagnostic.
            let diagnostic = Diagnostic {
                severity: Some(DiagnosticSeverity::ERROR),
                code: Some(NumberOrString::String(
                    crate::diagnostic::ErrorCode::TooLarge.as_str().to_string(),
                )),
                source: Some("infralint".into()),
                message: format!(
                    "the document is larger than {} MiB: infralint does not analyse it",
                    MAX_DOCUMENT_BYTES >> 20
                ),
                ..Diagnostic::default()
            };
            return vec![publish(uri, vec![diagnostic], Some(version))];
        }
        let document = Document::new(&uri, text, previous);
        let mut diagnostics = document.diagnostics();
        let mut out = Vec::new();
        if let Some(error) = &document.config_error
            && document.is_design
        {
            // Never silent: the design says its settings are the defaults, and the file
            // gets its own errors, placed.
            diagnostics.insert(
                0,
                Diagnostic {
                    severity: Some(DiagnosticSeverity::WARNING),
                    code: Some(NumberOrString::String(
                        crate::diagnostic::ErrorCode::Config.as_str().to_string(),
                    )),
                    source: Some("infralint".into()),
                    message: format!(
                        "`{}` cannot be read, so this design is checked with the defaults: see its errors",
                        crate::source::display_path(&error.path)
                    ),
                    ..Diagnostic::default()
                },
            );
            if let Some(config) = config_publication(error) {
                out.push(config);
            }
        }
        self.documents.insert(uri.as_str().to_string(), document);
        out.insert(0, publish(uri, diagnostics, Some(version)));
        out
    }
}

/// The errors of an `infralint.toml` that cannot be read, published on the file itself.
fn config_publication(error: &crate::settings::ConfigError) -> Option<Notification> {
    let path = error.path.to_string_lossy();
    let encoded: Vec<String> = path
        .split('/')
        .map(|segment| {
            percent_encoding::utf8_percent_encode(segment, crate::source::PATH_SEGMENT).to_string()
        })
        .collect();
    let uri: Uri = format!("file://{}", encoded.join("/")).parse().ok()?;
    let position = |offset: Option<Span>| {
        let at = match (&error.source, offset) {
            (Some(source), Some(span)) => {
                let p = source.position(span.start as usize);
                Position::new(p.line as u32 - 1, p.column as u32 - 1)
            }
            _ => Position::new(0, 0),
        };
        Range::new(at, at)
    };
    let diagnostics = error
        .errors
        .iter()
        .map(|e| Diagnostic {
            range: position(e.span),
            severity: Some(DiagnosticSeverity::ERROR),
            code: Some(NumberOrString::String(e.code.as_str().to_string())),
            source: Some("infralint".into()),
            message: match &e.help {
                Some(help) => format!("{}\nhelp: {help}", e.message),
                None => e.message.clone(),
            },
            ..Diagnostic::default()
        })
        .collect();
    Some(publish(uri, diagnostics, None))
}

fn publish(uri: Uri, diagnostics: Vec<Diagnostic>, version: Option<i32>) -> Notification {
    Notification::new(
        lsp_types::notification::PublishDiagnostics::METHOD.to_string(),
        PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        },
    )
}

/// An open design: its text, what the pipeline made of it, and its index.
pub struct Document {
    uri: Uri,
    report: FileReport,
    /// From this text when it parsed, else from the last text that did.
    index: Index,
    /// Bytes of a byte-order mark the pipeline left out of its text (0 or 3).
    bom: u32,
    /// False for YAML that is no design (no `servers` or `infralint` at its top level),
    /// such as a CI workflow open beside the designs: it gets no diagnostics, as the
    /// folder walk of `check` skips it.
    is_design: bool,
    /// The `infralint.toml` that governs it, when that cannot be read (the defaults hold).
    config_error: Option<std::sync::Arc<crate::settings::ConfigError>>,
}

/// The file path a `file:` URI names, for finding `infralint.toml`.
fn path_of(uri: &Uri) -> PathBuf {
    let text = uri.as_str();
    match text.strip_prefix("file://") {
        Some(path) => PathBuf::from(
            percent_encoding::percent_decode_str(path)
                .decode_utf8_lossy()
                .into_owned(),
        ),
        None => PathBuf::from("design.yaml"),
    }
}

impl Document {
    /// Analyses a text as `infralint check` would, with the settings that hold for its
    /// path ([`crate::settings`]: rules selected and ignored, severities, `today`).
    pub fn new(uri: &Uri, text: String, previous: Option<Document>) -> Document {
        let path = path_of(uri);
        let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
        // The settings `check` would use for this path: its nearest file, whole. A file
        // that cannot be read leaves the defaults, and is said (`config_error`).
        let mut options = CheckOptions::default();
        let resolver = Resolver::per_design(false, CommandLine::default());
        let mut config_error = None;
        match resolver.for_design(&path) {
            Ok(settings) => options = options.for_design(&settings),
            Err(error) => config_error = Some(error),
        }
        let source = SourceFile::new(&path, text);
        let (report, (is_design, index)) = check_source_and(source, &options, |parsed| {
            let is_design =
                crate::looks_like_design(parsed.root.as_ref(), !parsed.errors.is_empty());
            let index = match (&parsed.root, previous) {
                (Some(root), _) if parsed.errors.is_empty() => Index::build(root),
                (_, Some(previous)) => previous.index,
                (Some(root), None) => Index::build(root),
                (None, None) => Index::default(),
            };
            (is_design, index)
        });
        Document {
            uri: uri.clone(),
            report,
            index,
            bom,
            is_design,
            config_error,
        }
    }

    fn source(&self) -> &SourceFile {
        self.report
            .source
            .as_ref()
            .expect("a document has its text")
    }

    /// An LSP position (UTF-16 columns) as a byte offset into the pipeline's text.
    pub fn offset(&self, position: Position) -> u32 {
        let source = self.source();
        let text = source.text();
        let line = position.line as usize;
        if line >= source.line_count() {
            return text.len() as u32;
        }
        let range = source.line_range(line);
        let mut units = position.character as usize;
        if line == 0 && self.bom > 0 {
            units = units.saturating_sub(1);
        }
        let mut offset = range.start;
        for c in text[range.clone()].chars() {
            if units == 0 || c == '\n' || c == '\r' {
                break;
            }
            units = units.saturating_sub(c.len_utf16());
            offset += c.len_utf8();
        }
        offset as u32
    }

    /// A byte offset into the pipeline's text as an LSP position.
    pub fn position(&self, offset: u32) -> Position {
        let source = self.source();
        let text = source.text();
        // A span of an earlier text (the index kept while an edit does not parse) may
        // fall past this one's end or inside one of its characters.
        let mut offset = (offset as usize).min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = source.line_index(offset);
        let start = source.line_range(line).start;
        let mut character: usize = text[start..offset].chars().map(char::len_utf16).sum();
        if line == 0 && self.bom > 0 {
            character += 1;
        }
        Position::new(line as u32, character as u32)
    }

    pub fn range(&self, span: Span) -> Range {
        Range::new(self.position(span.start), self.position(span.end))
    }

    fn location(&self, span: Span) -> Location {
        Location::new(self.uri.clone(), self.range(span))
    }

    /// Design errors and findings; accepted findings as hints.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        if !self.is_design {
            return out;
        }
        for item in self.report.diagnostics() {
            let diagnostic = item.diagnostic;
            let mut message = diagnostic.message.clone();
            let reason = item.finding.and_then(|f| f.accepted.as_deref());
            let severity = match (reason, diagnostic.severity) {
                (Some(reason), _) => {
                    message = format!("accepted: {message} (reason: {reason})");
                    DiagnosticSeverity::HINT
                }
                (None, Severity::Error) => DiagnosticSeverity::ERROR,
                (None, Severity::Warning) => DiagnosticSeverity::WARNING,
                (None, Severity::Info) => DiagnosticSeverity::INFORMATION,
            };
            match diagnostic.help.as_deref() {
                Some(help) if reason.is_none() && !help.is_empty() => {
                    message.push_str(&format!("\nhelp: {help}"));
                }
                _ => {}
            }
            out.push(Diagnostic {
                range: self.range(diagnostic.span.unwrap_or(Span::at(0))),
                severity: Some(severity),
                code: Some(NumberOrString::String(diagnostic.code.as_str().to_string())),
                code_description: diagnostic
                    .code
                    .page_url()
                    .and_then(|url| url.parse().ok())
                    .map(|href| lsp_types::CodeDescription { href }),
                source: Some("infralint".into()),
                message,
                related_information: self.related(&diagnostic.secondary),
                ..Diagnostic::default()
            });
        }
        out
    }

    fn related(
        &self,
        labels: &[crate::diagnostic::Label],
    ) -> Option<Vec<DiagnosticRelatedInformation>> {
        (!labels.is_empty()).then(|| {
            labels
                .iter()
                .map(|label| DiagnosticRelatedInformation {
                    location: self.location(label.span),
                    message: label.message.clone(),
                })
                .collect()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(uri: &str) -> Message {
        Message::Notification(Notification::new(
            lsp_types::notification::DidChangeTextDocument::METHOD.to_string(),
            serde_json::json!({ "textDocument": { "uri": uri, "version": 1 }, "contentChanges": [] }),
        ))
    }

    fn framed(messages: &[serde_json::Value]) -> Vec<u8> {
        let mut out = Vec::new();
        for message in messages {
            let body = message.to_string();
            out.extend_from_slice(
                format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes(),
            );
        }
        out
    }

    #[test]
    fn a_replayed_session_is_served_as_standard_input_is() {
        use serde_json::json;
        let uri = "file:///nonexistent/replay/design.yaml";
        let text =
            "name: \u{e9}t\u{e9}\nservers:\n  web-01:\n    components: [{ kind: web_server }]\n";
        let session = framed(&[
            json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}),
            json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}),
            json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument":
                {"uri": uri, "languageId": "yaml", "version": 3, "text": text}}}),
            json!({"jsonrpc": "2.0", "id": 2, "method": "textDocument/hover", "params":
                {"textDocument": {"uri": uri}, "position": {"line": 3, "character": 6}}}),
            json!({"jsonrpc": "2.0", "id": 3, "method": "shutdown"}),
            json!({"jsonrpc": "2.0", "method": "exit"}),
        ]);
        let served = replay(&session);
        assert_eq!(served.outcome, Ok(true));
        let sent: Vec<serde_json::Value> = served
            .sent
            .iter()
            .map(|m| serde_json::to_value(m).unwrap())
            .collect();
        let ids: Vec<_> = sent.iter().filter_map(|m| m["id"].as_i64()).collect();
        assert_eq!(ids, [1, 2, 3], "{sent:#?}");
        let published = sent
            .iter()
            .find(|m| m["method"] == "textDocument/publishDiagnostics")
            .expect("the open document's diagnostics");
        assert_eq!(published["params"]["version"], 3);
        assert!(
            sent[2]["result"]["contents"]
                .to_string()
                .contains("component"),
            "the hover says what `components` holds: {}",
            sent[2]
        );

        // A body that is no JSON ends the session with the reader's error, as `serve`
        // says it, after answering what came before.
        let mut broken = framed(&[json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
            "params": {"capabilities": {}}})]);
        broken.extend_from_slice(b"Content-Length: 3\r\n\r\n{{{");
        let why = replay(&broken).outcome.unwrap_err();
        assert!(
            why.starts_with("cannot read a message from the client"),
            "{why}"
        );
    }

    #[test]
    fn a_change_is_superseded_by_a_later_one_of_its_document_before_any_request() {
        let request = Message::Request(Request::new(
            lsp_server::RequestId::from(1),
            "textDocument/hover".into(),
            serde_json::Value::Null,
        ));
        let batch = [
            change("a"),
            change("b"),
            change("a"),
            request,
            change("a"),
            change("b"),
            change("a"),
        ];
        assert_eq!(
            superseded(&batch),
            [true, false, false, false, true, false, false]
        );
    }
}
