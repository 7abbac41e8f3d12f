//! The language server's message loop: a session of opens, edits (Unicode-rich, often
//! breaking the YAML), closes, hovers, definitions, completions and code actions at any
//! position, then a shutdown, sometimes with a malformed message or raw bytes before it,
//! served by `infralint::lsp::replay` (the server's own reader, batching and handlers).
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use serde_json::{Value, json};

#[path = "common.rs"]
mod common;

#[derive(Arbitrary, Debug)]
struct Input {
    skip_initialize: bool,
    ops: Vec<Op>,
    tail: Tail,
}

#[derive(Arbitrary, Debug)]
enum Op {
    Open(u8, Text),
    Change(u8, Text),
    Close(u8),
    Ask(Question, u8, At),
    Actions(u8, At, At),
}

#[derive(Arbitrary, Debug)]
enum Question {
    Hover,
    Definition,
    Completion,
}

#[derive(Arbitrary, Debug, Clone, Copy)]
struct At {
    line: u8,
    character: u16,
}

/// A shipped design with edits, or text of its own.
#[derive(Arbitrary, Debug)]
enum Text {
    Design(u8, Vec<Edit>),
    Own(String),
}

#[derive(Arbitrary, Debug)]
struct Edit {
    at: u16,
    delete: u8,
    insert: String,
}

/// What comes before the shutdown: nothing, a body that may not be JSON-RPC, raw bytes.
#[derive(Arbitrary, Debug)]
enum Tail {
    None,
    Body(String),
    Raw(Vec<u8>),
}

impl Text {
    fn render(&self) -> String {
        match self {
            Text::Own(text) => text.clone(),
            Text::Design(which, edits) => {
                let mut text = common::DESIGNS[*which as usize % common::DESIGNS.len()].to_string();
                for edit in edits {
                    let mut at = (edit.at as usize).min(text.len());
                    while !text.is_char_boundary(at) {
                        at -= 1;
                    }
                    let mut end = (at + edit.delete as usize).min(text.len());
                    while !text.is_char_boundary(end) {
                        end += 1;
                    }
                    text.replace_range(at..end, &edit.insert);
                }
                text
            }
        }
    }
}

fn frame(out: &mut Vec<u8>, body: &[u8]) {
    out.extend_from_slice(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
    out.extend_from_slice(body);
}

fn message(out: &mut Vec<u8>, value: &Value) {
    frame(out, value.to_string().as_bytes());
}

fn uri(doc: u8) -> String {
    format!("file:///nonexistent/fuzz/d{}.yaml", doc % 3)
}

fn position(at: At) -> Value {
    json!({ "line": at.line, "character": at.character })
}

fn session(input: &Input) -> common::Session {
    let mut out = Vec::new();
    let mut requests = Vec::new();
    let mut versions = Vec::new();
    let mut texts: std::collections::HashMap<String, String> = Default::default();
    let mut next_id = 1i64;
    let mut request = |out: &mut Vec<u8>,
                       requests: &mut Vec<(i64, Option<String>)>,
                       about: Option<String>,
                       method: &str,
                       params: Value| {
        let id = next_id;
        next_id += 1;
        requests.push((id, about));
        message(
            out,
            &json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }),
        );
    };
    if !input.skip_initialize {
        request(
            &mut out,
            &mut requests,
            None,
            "initialize",
            json!({ "capabilities": {} }),
        );
        message(
            &mut out,
            &json!({ "jsonrpc": "2.0", "method": "initialized", "params": {} }),
        );
    }
    for (version, op) in input.ops.iter().enumerate() {
        let version = version as i32;
        match op {
            Op::Open(doc, text) | Op::Change(doc, text) => {
                let text = text.render();
                let uri = uri(*doc);
                let params = if matches!(op, Op::Open(..)) {
                    (
                        "textDocument/didOpen",
                        json!({ "textDocument": {
                        "uri": uri, "languageId": "yaml", "version": version, "text": text } }),
                    )
                } else {
                    (
                        "textDocument/didChange",
                        json!({
                        "textDocument": { "uri": uri, "version": version },
                        "contentChanges": [{ "text": text }] }),
                    )
                };
                message(
                    &mut out,
                    &json!({ "jsonrpc": "2.0", "method": params.0, "params": params.1 }),
                );
                versions.push((uri.clone(), version, text.clone()));
                texts.insert(uri, text);
            }
            Op::Close(doc) => {
                let uri = uri(*doc);
                message(
                    &mut out,
                    &json!({ "jsonrpc": "2.0", "method": "textDocument/didClose",
                    "params": { "textDocument": { "uri": uri } } }),
                );
                texts.remove(&uri);
            }
            Op::Ask(question, doc, at) => {
                let uri = uri(*doc);
                let method = match question {
                    Question::Hover => "textDocument/hover",
                    Question::Definition => "textDocument/definition",
                    Question::Completion => "textDocument/completion",
                };
                let about = texts.get(&uri).cloned();
                request(
                    &mut out,
                    &mut requests,
                    about,
                    method,
                    json!({ "textDocument": { "uri": uri }, "position": position(*at) }),
                );
            }
            Op::Actions(doc, from, to) => {
                let uri = uri(*doc);
                let about = texts.get(&uri).cloned();
                request(
                    &mut out,
                    &mut requests,
                    about,
                    "textDocument/codeAction",
                    json!({
                    "textDocument": { "uri": uri },
                    "range": { "start": position(*from), "end": position(*to) },
                    "context": { "diagnostics": [] } }),
                );
            }
        }
    }
    match &input.tail {
        Tail::None => {}
        Tail::Body(body) => frame(&mut out, body.as_bytes()),
        Tail::Raw(bytes) => out.extend_from_slice(bytes),
    }
    request(&mut out, &mut requests, None, "shutdown", Value::Null);
    message(&mut out, &json!({ "jsonrpc": "2.0", "method": "exit" }));
    common::Session {
        input: out,
        requests,
        versions,
        well_formed: matches!(input.tail, Tail::None),
        initialized: !input.skip_initialize,
    }
}

fuzz_target!(|input: Input| {
    common::serve(&session(&input));
});
