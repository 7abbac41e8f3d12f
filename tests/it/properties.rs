//! Properties that must hold for every design, on generated valid designs (proptest):
//! no panic; the JSON output parses and has the documented shape; findings do not depend
//! on what servers are called or the order they are listed in; a second identical
//! server, on every flow of the first, removes the first's AV001; adding a firewall never
//! adds a finding; every finding's line and column are inside the file.

use crate::common;
use std::collections::BTreeMap;

use infralint::source::SourceFile;
use infralint::{CheckOptions, check_source};
use proptest::prelude::*;

/// True when flows lead from the server back to itself.
fn on_a_cycle(design: &Design, server: usize) -> bool {
    let mut seen = vec![false; design.servers.len()];
    let mut stack = vec![server];
    while let Some(s) = stack.pop() {
        for flow in &design.flows {
            if flow.from.map(|(from, _)| from) == Some(s) {
                let to = flow.to.0;
                if to == server {
                    return true;
                }
                if !std::mem::replace(&mut seen[to], true) {
                    stack.push(to);
                }
            }
        }
    }
    false
}

/// Working kinds (a server always runs one, so a firewall added later never turns it
/// into a network firewall).
const KINDS: [&str; 7] = [
    "load_balancer",
    "web_server",
    "app_server",
    "database",
    "cache",
    "queue",
    "storage",
];
const PROTOCOLS: [&str; 4] = ["http", "https", "mysql", "tls"];

#[derive(Clone, Debug)]
struct Server {
    /// Kind indexes, without repeats.
    kinds: Vec<usize>,
    firewall: bool,
    agent: bool,
    public: bool,
}

#[derive(Clone, Debug)]
struct Flow {
    from: Option<(usize, usize)>,
    to: (usize, usize),
    protocol: usize,
    optional: bool,
}

#[derive(Clone, Debug)]
struct Design {
    servers: Vec<Server>,
    flows: Vec<Flow>,
}

/// How a design is written out.
#[derive(Clone, Debug, Default)]
struct Variant {
    /// Server i is called `names[i]`; default `s{i}`.
    names: Vec<String>,
    /// Servers listed in this order; default file order.
    order: Vec<usize>,
    /// Add a firewall component to this server.
    firewall_on: Option<usize>,
    /// Add a copy of this server, on every flow it is on.
    duplicate: Option<usize>,
}

fn design() -> impl Strategy<Value = Design> {
    let server = (
        prop::collection::btree_set(0..KINDS.len(), 1..=3),
        any::<bool>(),
        any::<bool>(),
        prop::bool::weighted(0.2),
    )
        .prop_map(|(kinds, firewall, agent, public)| Server {
            kinds: kinds.into_iter().collect(),
            firewall,
            agent,
            public,
        });
    prop::collection::vec(server, 1..=6).prop_flat_map(|servers| {
        let n = servers.len();
        let endpoint = (0..n, 0..3usize);
        let flow = (
            prop::option::weighted(0.85, endpoint.clone()),
            endpoint,
            0..PROTOCOLS.len(),
            prop::bool::weighted(0.1),
        );
        (Just(servers), prop::collection::vec(flow, 1..=10)).prop_map(|(servers, flows)| {
            let flows = flows
                .into_iter()
                .map(|(from, (s, c), protocol, optional)| Flow {
                    from: from.map(|(fs, fc)| (fs, fc % servers[fs].kinds.len())),
                    to: (s, c % servers[s].kinds.len()),
                    protocol,
                    optional,
                })
                .collect();
            Design { servers, flows }
        })
    })
}

fn write(design: &Design, variant: &Variant) -> String {
    let n = design.servers.len();
    let name = |i: usize| -> String {
        if i == n {
            // The duplicate.
            format!("{}-copy", name_of(variant, variant.duplicate.unwrap()))
        } else {
            name_of(variant, i)
        }
    };
    let mut text = String::from("name: generated\nservers:\n");
    let mut order: Vec<usize> = if variant.order.is_empty() {
        (0..n).collect()
    } else {
        variant.order.clone()
    };
    if variant.duplicate.is_some() {
        order.push(n);
    }
    for &i in &order {
        let server = &design.servers[if i == n {
            variant.duplicate.unwrap()
        } else {
            i
        }];
        let mut components: Vec<String> = server
            .kinds
            .iter()
            .map(|&k| format!("{{ kind: {} }}", KINDS[k]))
            .collect();
        if variant.firewall_on == Some(i) {
            // A firewall that states its ports (one that states none is SE008's).
            components.push("{ kind: firewall, allow: [443] }".to_string());
        } else if server.firewall {
            components.push("{ kind: firewall }".to_string());
        }
        if server.agent {
            components.push("{ kind: monitoring_agent }".to_string());
        }
        text.push_str(&format!(
            "  {}: {{ public: {}, components: [{}] }}\n",
            name(i),
            server.public,
            components.join(", ")
        ));
    }
    text.push_str("flows:\n");
    let endpoint = |(s, c): (usize, usize), server_name: &str| {
        format!("{server_name}/{}", KINDS[design.servers[s].kinds[c]])
    };
    for flow in &design.flows {
        // With a duplicate, every flow on the original is written again on the copy.
        let mut froms = vec![flow.from.map(|f| endpoint(f, &name(f.0)))];
        let mut tos = vec![endpoint(flow.to, &name(flow.to.0))];
        if let Some(d) = variant.duplicate {
            if flow.from.is_some_and(|f| f.0 == d) {
                froms.push(flow.from.map(|f| endpoint(f, &name(n))));
            }
            if flow.to.0 == d {
                tos.push(endpoint(flow.to, &name(n)));
            }
        }
        for from in &froms {
            for to in &tos {
                text.push_str(&format!(
                    "  - {{ from: {}, to: {to}, protocol: {}, optional: {} }}\n",
                    from.as_deref().unwrap_or("user"),
                    PROTOCOLS[flow.protocol],
                    flow.optional
                ));
            }
        }
    }
    text
}

fn name_of(variant: &Variant, i: usize) -> String {
    variant
        .names
        .get(i)
        .cloned()
        .unwrap_or_else(|| format!("s{i}"))
}

fn options() -> CheckOptions {
    CheckOptions {
        today: common::TODAY.parse().unwrap(),
        ..CheckOptions::default()
    }
}

/// The findings as (code, target) counts, targets read through `rename`.
fn findings(text: &str, rename: &dyn Fn(&str) -> String) -> BTreeMap<(String, String), usize> {
    let report = check_source(SourceFile::new("generated.yaml", text), &options());
    assert!(
        report.errors.is_empty(),
        "{text}\n{:?}",
        report.errors.iter().map(|e| &e.message).collect::<Vec<_>>()
    );
    let mut out = BTreeMap::new();
    for finding in &report.findings {
        *out.entry((finding.code().to_string(), rename(finding.target.as_str())))
            .or_insert(0) += 1;
    }
    out
}

proptest! {
    // Most generated designs have no single point of failure off a cycle to twin.
    #![proptest_config(ProptestConfig { max_global_rejects: 8192, ..ProptestConfig::with_cases(300) })]

    /// No panic, a JSON document of the documented shape, and every finding placed
    /// inside the file.
    #[test]
    fn json_has_its_shape_and_places_are_inside_the_file(design in design()) {
        let text = write(&design, &Variant::default());
        let report = check_source(SourceFile::new("generated.yaml", text.as_str()), &options());
        prop_assert!(report.errors.is_empty());
        let json: serde_json::Value = serde_json::from_str(&infralint::reporters::json::render(&[report])).unwrap();
        prop_assert_eq!(&json["version"], 1);
        let file = &json["files"][0];
        prop_assert!(file["path"].is_string());
        prop_assert_eq!(file["errors"].as_array().unwrap().len(), 0);
        let lines: Vec<&str> = text.lines().collect();
        for finding in file["findings"].as_array().unwrap() {
            for key in ["code", "name", "severity", "target", "message", "help"] {
                prop_assert!(finding[key].is_string(), "{key}: {finding}");
            }
            prop_assert!(["error", "warning", "info"].contains(&finding["severity"].as_str().unwrap()));
            prop_assert!(finding["accepted"].is_boolean());
            let line = finding["line"].as_u64().unwrap() as usize;
            let column = finding["column"].as_u64().unwrap() as usize;
            prop_assert!(line >= 1 && line <= lines.len(), "line {line} of {}", lines.len());
            prop_assert!(column >= 1 && column <= lines[line - 1].chars().count() + 1, "column {column} on line {line}");
        }
        for key in ["files", "errors", "error", "warning", "info", "accepted"] {
            prop_assert!(json["summary"][key].is_u64(), "summary.{key}");
        }
    }

    /// Findings do not depend on what servers are called or where they are listed.
    #[test]
    fn findings_do_not_depend_on_names_or_order(design in design(), seed in any::<u64>()) {
        let n = design.servers.len();
        let mut order: Vec<usize> = (0..n).collect();
        // A permutation from the seed.
        let mut state = seed | 1;
        for i in (1..n).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            order.swap(i, (state % (i as u64 + 1)) as usize);
        }
        let names: Vec<String> = (0..n).map(|i| format!("node-{}", (i * 7 + 3) % 97)).collect();
        let plain = write(&design, &Variant::default());
        let renamed = write(&design, &Variant { names: names.clone(), order, ..Variant::default() });
        let back = |target: &str| -> String {
            // node-X -> sI, in every part of a target (`node-3/web_server`, `a -> b`).
            let mut out = target.to_string();
            for (i, name) in names.iter().enumerate().rev() {
                out = out.replace(name.as_str(), &format!("s{i}"));
            }
            out
        };
        prop_assert_eq!(findings(&plain, &|t| t.to_string()), findings(&renamed, &back), "{}\n---\n{}", plain, renamed);
    }

    /// A second identical server on every flow of the first removes the first's AV001,
    /// unless the first is on a cycle of flows: then the twin is on it too, and a request
    /// at either, which never revisits a server, waits on the other.
    #[test]
    fn an_identical_twin_removes_a_single_point_of_failure(design in design(), pick in any::<prop::sample::Index>()) {
        let plain = write(&design, &Variant::default());
        let before = findings(&plain, &|t| t.to_string());
        let spofs: Vec<usize> = (0..design.servers.len())
            .filter(|i| before.contains_key(&("AV001".to_string(), format!("s{i}"))))
            .filter(|&i| !on_a_cycle(&design, i))
            .collect();
        prop_assume!(!spofs.is_empty());
        let server = spofs[pick.index(spofs.len())];
        let twin = write(&design, &Variant { duplicate: Some(server), ..Variant::default() });
        let after = findings(&twin, &|t| t.to_string());
        prop_assert!(!after.contains_key(&("AV001".to_string(), format!("s{server}"))), "{}", twin);
    }

    /// A firewall that states its ports only ever takes findings away.
    #[test]
    fn adding_a_firewall_never_adds_a_finding(design in design(), pick in any::<prop::sample::Index>()) {
        let server = pick.index(design.servers.len());
        let before = findings(&write(&design, &Variant::default()), &|t| t.to_string());
        let guarded = write(&design, &Variant { firewall_on: Some(server), ..Variant::default() });
        let after = findings(&guarded, &|t| t.to_string());
        for (key, count) in &after {
            prop_assert!(before.get(key).is_some_and(|b| b >= count), "{key:?} appeared with a firewall on s{server}:\n{guarded}");
        }
    }
}

/// Text a hostile design may carry into outputs: terminal and bidirectional controls,
/// line breaks, markup, Mermaid directives, XML's forbidden characters.
fn hostile_text() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "\u{1b}]0;owned\u{7}",
        "\u{1b}[2J",
        "\r::add-mask::x",
        "\n::error file=x::forged",
        "\u{202e}",
        "<img src=x onerror=alert(1)>",
        "%%{init: {'theme':'dark'}}%%",
        "\u{fffe}",
        "\"quoted\"",
        "x---y",
        "plain",
    ]);
    prop::collection::vec(pieces, 1..4).prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(60))]

    /// Issue 23: whatever a design's free text holds (`software:`, `why:`, the design's
    /// name), no format lets it act: no terminal escape or bidirectional override and
    /// no forged line in the line formats, JSON formats parse, JUnit and MEF are
    /// well-formed XML, Mermaid holds no directive, the report page no live markup.
    #[test]
    fn hostile_text_never_acts_in_any_format(text in hostile_text()) {
        let quoted = serde_json::to_string(&text).unwrap();
        let design = format!(
            "name: {quoted}\nservers:\n  web-01:\n    components:\n      - {{ kind: web_server, software: {quoted}, why: {quoted} }}\nflows:\n  - {{ from: user, to: web-01, protocol: http }}\n"
        );
        let report = check_source(SourceFile::new("hostile.yaml", design), &options());
        prop_assert!(report.errors.is_empty(), "{:?}", report.errors);
        let reports = [report];
        let options = infralint::reporters::Options {
            style: infralint::reporters::text::Style::PLAIN,
            rules: infralint::rules::ALL.to_vec(),
            fail_at: Some(infralint::diagnostic::Severity::Warning),
        };
        use infralint::reporters::{Format, reporter};
        for format in [Format::Text, Format::Compact, Format::Github] {
            let out = reporter(format).render(&reports, &options);
            prop_assert!(!out.contains('\u{1b}') && !out.contains('\u{7}') && !out.contains('\r'), "{format:?}: {out:?}");
            prop_assert!(!out.contains('\u{202e}'), "{format:?}: {out:?}");
            for line in out.lines() {
                prop_assert!(!line.starts_with("::error file=x"), "{format:?}: {line:?}");
                prop_assert!(!line.starts_with("::add-mask::"), "{format:?}: {line:?}");
            }
        }
        for format in [Format::Json, Format::Sarif, Format::Gitlab] {
            let out = reporter(format).render(&reports, &options);
            prop_assert!(serde_json::from_str::<serde_json::Value>(&out).is_ok(), "{format:?}");
        }
        let junit = reporter(Format::Junit).render(&reports, &options);
        prop_assert!(roxmltree::Document::parse(&junit).is_ok(), "{junit}");
        let design = reports[0].design.as_ref().unwrap();
        let drawn = infralint::diagram::build(design, Some(&reports[0].findings));
        let mermaid = infralint::pictures::mermaid::render(&drawn.scene);
        prop_assert!(!mermaid.contains("%%{"), "{mermaid}");
        let svg = infralint::pictures::svg::render(&drawn);
        prop_assert!(roxmltree::Document::parse(&svg).is_ok());
        prop_assert!(!svg.contains("<img"), "{svg}");
        let markdown = infralint::report::markdown(&infralint::report::Input {
            design,
            findings: &reports[0].findings,
            profile: None,
            diagram: None,
        });
        let page = infralint::pages::html::page("hostile", &markdown, Some(&svg), None);
        // Shown as text (`&lt;img`), never a tag.
        prop_assert!(!page.contains("<img"), "{page}");
    }
}
