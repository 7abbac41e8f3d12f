//! The language server, driven over stdio as an editor drives it: the real binary, real
//! LSP messages (Content-Length framing, JSON-RPC), from `initialize` to `exit`.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use serde_json::{Value, json};

struct Client {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    next_id: i64,
}

impl Client {
    /// A started, initialized server with `text` open at [`URI`], and its diagnostics.
    fn opened(text: &str) -> (Client, Vec<Value>) {
        let mut client = Client::start();
        client.request("initialize", json!({ "capabilities": {} }));
        client.notify("initialized", json!({}));
        client.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": URI, "languageId": "yaml", "version": 1, "text": text } }),
        );
        let diagnostics = client.diagnostics();
        (client, diagnostics)
    }

    /// Shuts the server down, which must end with exit 0.
    fn close(mut self) {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        assert_eq!(self.child.wait().unwrap().code(), Some(0));
    }

    fn start() -> Client {
        let dir = tempfile::tempdir().unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_infralint"))
            .arg("lsp")
            // No infralint.toml above the test's documents.
            .current_dir(dir.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the binary runs");
        let stdin = child.stdin.take().unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        Client {
            child,
            stdin,
            stdout,
            next_id: 1,
        }
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn receive(&mut self) -> Value {
        read_message(&mut self.stdout)
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        loop {
            let message = self.receive();
            if message["id"] == json!(id) {
                assert!(message.get("error").is_none(), "{method}: {message}");
                return message["result"].clone();
            }
        }
    }

    /// A request about the place of `needle` (its first occurrence) in the document.
    fn at(&mut self, method: &str, text: &str, needle: &str) -> Value {
        let params =
            json!({ "textDocument": { "uri": URI }, "position": position(text, needle, 0) });
        self.request(method, params)
    }

    /// The labels of a completion answer.
    fn labels(completion: &Value) -> Vec<String> {
        completion
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["label"].as_str().unwrap().to_string())
            .collect()
    }

    /// The next diagnostics published for the document.
    fn diagnostics(&mut self) -> Vec<Value> {
        loop {
            let message = self.receive();
            if message["method"] == "textDocument/publishDiagnostics" {
                assert_eq!(message["params"]["uri"], URI);
                return message["params"]["diagnostics"].as_array().unwrap().clone();
            }
        }
    }
}

/// One message from the server.
fn read_message(stdout: &mut BufReader<ChildStdout>) -> Value {
    let mut length = None;
    loop {
        let mut line = String::new();
        assert!(
            stdout.read_line(&mut line).unwrap() > 0,
            "the server hung up"
        );
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(n) = line.strip_prefix("Content-Length: ") {
            length = Some(n.parse::<usize>().unwrap());
        }
    }
    let mut body = vec![0; length.expect("a Content-Length header")];
    stdout.read_exact(&mut body).unwrap();
    serde_json::from_slice(&body).unwrap()
}

const URI: &str = "file:///nowhere/shop.yaml";

/// A design with one error: the cluster names a server that does not exist (`lb-03`,
/// a typo of `lb-02`).
const BROKEN: &str = "\
name: Shop
domain: foobar.com
dns:
  records:
    - { name: www, type: A, value: 8.8.8.8 }
clusters:
  - { name: lb-cluster, members: [lb-01, lb-03], virtual_ip: 8.8.8.8 }
servers:
  lb-01:
    ip: 10.0.0.1
    components: [{ kind: load_balancer, software: HAProxy }]
  lb-02:
    ip: 10.0.0.2
    components: [{ kind: load_balancer, software: HAProxy }]
  web-01:
    ip: 10.0.0.11
    components: [{ kind: web_server }]
flows:
  - { from: user, to: www.foobar.com, protocol: https }
  - { from: lb-cluster, to: web-01, protocol: http }
accept:
  - { rule: OB001, reason: Monitoring comes next month. }
";

fn position(text: &str, needle: &str, nth: usize) -> Value {
    let offset = text.match_indices(needle).nth(nth).expect("the needle").0 + 1;
    let line = text[..offset].matches('\n').count();
    let column = offset - text[..offset].rfind('\n').map_or(0, |i| i + 1);
    json!({ "line": line, "character": column })
}

#[test]
fn an_editor_session() {
    let mut client = Client::start();
    let init = client.request(
        "initialize",
        json!({ "processId": null, "rootUri": null, "capabilities": {} }),
    );
    let capabilities = &init["capabilities"];
    assert_eq!(capabilities["textDocumentSync"], 1, "full text sync");
    assert_eq!(capabilities["hoverProvider"], true);
    assert_eq!(capabilities["definitionProvider"], true);
    assert!(capabilities["completionProvider"].is_object());
    assert_eq!(capabilities["codeActionProvider"], true);
    assert_eq!(init["serverInfo"]["name"], "infralint");
    client.notify("initialized", json!({}));

    // A broken design: its error, at the member's exact range.
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": URI, "languageId": "yaml", "version": 1, "text": BROKEN } }),
    );
    let diagnostics = client.diagnostics();
    let error = diagnostics
        .iter()
        .find(|d| {
            d["severity"] == 1 && d["message"].as_str().unwrap().contains("no server `lb-03`")
        })
        .unwrap_or_else(|| panic!("the error, in {diagnostics:#?}"));
    assert_eq!(
        error["range"],
        json!({ "start": { "line": 6, "character": 41 }, "end": { "line": 6, "character": 46 } })
    );
    assert_eq!(error["source"], "infralint");
    assert_eq!(error["code"], "E301");
    assert_eq!(
        error["codeDescription"]["href"],
        "https://github.com/infralint/infralint/blob/main/docs/design-errors.md#e301-unknown-name"
    );

    // The quick fix replaces the typo with the server it is near.
    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": URI },
            "range": error["range"],
            "context": { "diagnostics": [error] },
        }),
    );
    let action = &actions[0];
    assert_eq!(action["title"], "Replace with `lb-02`");
    assert_eq!(action["kind"], "quickfix");
    assert_eq!(action["edit"]["changes"][URI][0]["newText"], "lb-02");
    assert_eq!(action["edit"]["changes"][URI][0]["range"], error["range"]);

    // Go to definition and hover work on the broken design, from its syntax tree.
    let definition = client.at("textDocument/definition", BROKEN, "lb-01, lb-03");
    assert_eq!(definition[0]["uri"], URI);
    assert_eq!(
        definition[0]["range"]["start"],
        json!({ "line": 8, "character": 2 })
    );

    // The design fixed: the error goes; the findings stay, the accepted one as a hint.
    let fixed = BROKEN.replace("lb-03", "lb-02");
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": URI, "version": 2 },
            "contentChanges": [{ "text": fixed }],
        }),
    );
    let diagnostics = client.diagnostics();
    assert!(
        diagnostics
            .iter()
            .all(|d| !d["code"].as_str().unwrap().starts_with('E')),
        "only findings are left: {diagnostics:#?}"
    );
    let accepted = diagnostics
        .iter()
        .find(|d| d["code"] == "OB001")
        .expect("OB001");
    assert_eq!(accepted["severity"], 4, "accepted: a hint");
    let finding = diagnostics
        .iter()
        .find(|d| d["severity"] != 4)
        .expect("an open finding");
    let code = finding["code"].as_str().unwrap();
    assert_eq!(
        finding["codeDescription"]["href"],
        format!("https://github.com/infralint/infralint/blob/main/rules/{code}.md")
    );

    // Hover: what a host name resolves to, through its record and the cluster.
    let hover = client.at("textDocument/hover", &fixed, "www.foobar.com, protocol");
    assert_eq!(
        hover["contents"]["value"],
        "`www.foobar.com` → A 8.8.8.8 → cluster `lb-cluster` (lb-01, lb-02) → `lb-01/load_balancer`, `lb-02/load_balancer`"
    );
    // On an accepted rule: its summary.
    let hover = client.at("textDocument/hover", &fixed, "OB001");
    assert!(
        hover["contents"]["value"]
            .as_str()
            .unwrap()
            .starts_with("**OB001 "),
        "{hover}"
    );
    // On a key: its documentation.
    let hover = client.at("textDocument/hover", &fixed, "virtual_ip");
    assert!(
        hover["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("reaches every member")
    );

    // Completion of names in `to:` and of words in `protocol:`.
    let typing = fixed.replace(
        "  - { from: lb-cluster, to: web-01, protocol: http }",
        "  - { from: lb-cluster, to: web-01, protocol: http }\n  - { from: web-01, to: lb-",
    );
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": URI, "version": 3 }, "contentChanges": [{ "text": typing }] }),
    );
    client.diagnostics();
    let end = position(&typing, "to: lb-", 0);
    let end = json!({ "line": end["line"], "character": end["character"].as_u64().unwrap() + 6 });
    let completion = client.request(
        "textDocument/completion",
        json!({ "textDocument": { "uri": URI }, "position": end }),
    );
    let labels = Client::labels(&completion);
    for name in [
        "lb-01",
        "lb-02",
        "web-01",
        "lb-cluster",
        "lb-01/load_balancer",
        "www.foobar.com",
    ] {
        assert!(labels.iter().any(|l| l == name), "{name} in {labels:?}");
    }
    assert!(
        !labels.iter().any(|l| l == "user"),
        "`user` is only a `from`"
    );
    let completion = client.at("textDocument/completion", &fixed, "http }");
    let labels = Client::labels(&completion);
    assert!(
        labels.iter().any(|l| l == "https") && labels.iter().any(|l| l == "mysql+tls"),
        "{labels:?}"
    );

    // Closing clears the document's diagnostics; shutdown, then exit with 0.
    client.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": URI } }),
    );
    assert!(client.diagnostics().is_empty());
    assert_eq!(client.request("shutdown", Value::Null), Value::Null);
    client.notify("exit", Value::Null);
    let status = client.child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
}

/// A CNAME whose value is an address gets a quick fix that makes it an A record.
#[test]
fn a_cname_to_an_address_becomes_an_a_record() {
    let text = "\
name: T
domain: foobar.com
dns:
  records:
    - { name: www, type: CNAME, value: 8.8.8.8 }
servers:
  web-01:
    ip: 8.8.8.8
    components: [{ kind: web_server }]
flows:
  - { from: user, to: www.foobar.com, protocol: http }
";
    let (mut client, diagnostics) = Client::opened(text);
    let dn001 = diagnostics
        .iter()
        .find(|d| d["code"] == "DN001")
        .expect("DN001");
    let actions = client.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": URI }, "range": dn001["range"], "context": { "diagnostics": [] } }),
    );
    assert_eq!(actions[0]["title"], "Make it an A record");
    let edit = &actions[0]["edit"]["changes"][URI][0];
    assert_eq!(edit["newText"], "A");
    assert_eq!(
        edit["range"],
        json!({ "start": { "line": 4, "character": 25 }, "end": { "line": 4, "character": 30 } })
    );
    // YAML that is no design (a CI workflow open beside the designs) gets no diagnostics.
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": URI, "version": 2 },
            "contentChanges": [{ "text": "on: push\njobs:\n  check: { runs-on: ubuntu-latest }\n" }],
        }),
    );
    assert_eq!(client.diagnostics(), Vec::<Value>::new());
    client.close();
}

/// Issue 23, case 16: a burst of edits is analysed once, not once per edit: changes
/// queued behind one another are merged (full sync: the last is the whole text), and
/// the last version is the one published. (Before: each of 200 edits of a 1,500-server
/// document was analysed in turn, 25 s.)
#[test]
fn a_burst_of_edits_is_analysed_once() {
    let mut text = String::from("name: big\nservers:\n");
    for i in 0..300 {
        text.push_str(&format!(
            "  web-{i}: {{ components: [{{ kind: web_server }}] }}\n"
        ));
    }
    let mut client = Client::start();
    client.request("initialize", json!({ "capabilities": {} }));
    client.notify("initialized", json!({}));
    let frame = |message: Value| {
        let body = message.to_string();
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    };
    let mut burst = frame(json!({ "jsonrpc": "2.0", "method": "textDocument/didOpen",
        "params": { "textDocument": { "uri": URI, "languageId": "yaml", "version": 1, "text": text } } }));
    let edits = 100;
    for version in 2..=edits + 1 {
        let changed = format!("{text}# edit {version}\n");
        burst.push_str(&frame(
            json!({ "jsonrpc": "2.0", "method": "textDocument/didChange",
            "params": { "textDocument": { "uri": URI, "version": version },
                        "contentChanges": [{ "text": changed }] } }),
        ));
    }
    burst.push_str(&frame(
        json!({ "jsonrpc": "2.0", "id": 99, "method": "textDocument/hover",
        "params": { "textDocument": { "uri": URI }, "position": { "line": 0, "character": 1 } } }),
    ));
    // Written from a thread of its own while this one reads: the server's answers must
    // not fill the pipe while the burst is still being written.
    let (stdin, stdout) = (&mut client.stdin, &mut client.stdout);
    let mut published = Vec::new();
    std::thread::scope(|scope| {
        scope.spawn(move || {
            stdin.write_all(burst.as_bytes()).unwrap();
            stdin.flush().unwrap();
        });
        loop {
            let message = read_message(stdout);
            if message["id"] == 99 {
                break;
            }
            if message["method"] == "textDocument/publishDiagnostics" {
                published.push(message["params"]["version"].as_i64().unwrap());
            }
        }
    });
    assert_eq!(published.last(), Some(&(edits as i64 + 1)), "{published:?}");
    assert!(
        published.len() < 50,
        "{} of {} versions analysed: {published:?}",
        published.len(),
        edits + 1
    );
    client.close();
}

/// Issue 24, point 5: a broken `infralint.toml` is never silent: the design says its
/// settings are the defaults, and the file gets its own errors, placed.
#[test]
fn a_broken_config_is_said_on_the_design_and_on_the_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    std::fs::write(
        dir.path().join("infralint.toml"),
        "select = [\"AV\"]\nfail_on = \"error\"\n",
    )
    .unwrap();
    let design = dir.path().join("shop.yaml");
    let uri = format!("file://{}", design.display());
    let mut client = Client::start();
    client.request("initialize", json!({ "capabilities": {} }));
    client.notify("initialized", json!({}));
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "yaml", "version": 1, "text": BROKEN } }),
    );
    let mut seen = std::collections::BTreeMap::new();
    while seen.len() < 2 {
        let message = client.receive();
        if message["method"] == "textDocument/publishDiagnostics" {
            let target = message["params"]["uri"].as_str().unwrap().to_string();
            seen.insert(target, message["params"]["diagnostics"].clone());
        }
    }
    let on_design = &seen[&uri];
    assert_eq!(on_design[0]["code"], "E401", "{on_design}");
    let config = seen
        .iter()
        .find(|(k, _)| k.ends_with("/infralint.toml"))
        .expect("the file's own diagnostics")
        .1;
    assert_eq!(config[0]["code"], "E201", "{config}");
    assert_eq!(config[0]["range"]["start"]["line"], 1, "{config}");
    client.close();
}

/// Every fix a rule gives is a code action, whatever the rule: SE002's takes two edits
/// (the protocol and the port), and its diagnostic is the one it mends.
#[test]
fn any_fix_is_a_code_action() {
    let text = "\
name: T
domain: foobar.com
dns:
  records: [{ name: www, type: A, value: 8.8.8.8 }]
servers:
  lb-01:
    ip: 8.8.8.8
    components: [{ kind: load_balancer, certificate: { domains: [www.foobar.com], expires: 2027-06-30 } }]
flows:
  - { from: user, to: www.foobar.com, protocol: http, port: 80 }
";
    let (mut client, diagnostics) = Client::opened(text);
    let se002 = diagnostics
        .iter()
        .find(|d| d["code"] == "SE002")
        .expect("SE002");
    let actions = client.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": URI }, "range": se002["range"], "context": { "diagnostics": [] } }),
    );
    let action = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["diagnostics"][0]["code"] == "SE002")
        .expect("a code action for SE002");
    assert_eq!(action["title"], "Serve `www.foobar.com` over https");
    assert_eq!(action["isPreferred"], true);
    let edits = &action["edit"]["changes"][URI];
    assert_eq!(
        *edits,
        json!([
            { "range": { "start": { "line": 9, "character": 48 }, "end": { "line": 9, "character": 52 } }, "newText": "https" },
            { "range": { "start": { "line": 9, "character": 60 }, "end": { "line": 9, "character": 62 } }, "newText": "443" },
        ])
    );
    client.close();
}

/// Issue 23, case 15: what cannot be read as a message (a body that is no JSON, a body
/// cut short, nothing at all) ends the server with exit 1 and a message saying why,
/// never silently with 0.
#[test]
fn unreadable_input_ends_with_a_message_and_exit_1() {
    let initialize = json!({ "jsonrpc": "2.0", "id": 1, "method": "initialize", "params": { "capabilities": {} } }).to_string();
    let initialized =
        json!({ "jsonrpc": "2.0", "method": "initialized", "params": {} }).to_string();
    let framed = |body: &str| format!("Content-Length: {}\r\n\r\n{body}", body.len());
    for input in [
        framed("not json!!"),
        "Content-Length: 9\r\n\r\n{\"a\":".to_string(),
        // Issue 23, case 14: sizes refused before anything is allocated for them.
        "Content-Length: 100000000000\r\n\r\n".to_string(),
        "Content-Length: 18446744073709551615\r\n\r\n".to_string(),
        String::new(),
        // After a proper start: the old silent exit 0.
        format!(
            "{}{}{}",
            framed(&initialize),
            framed(&initialized),
            framed("{\"jsonrpc\": \"2.0\", \"method\"")
        ),
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_infralint"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        let output = child.wait_with_output().unwrap();
        assert_eq!(output.status.code(), Some(1), "{input:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.starts_with("infralint lsp: "), "{input:?}: {stderr}");
    }
}
