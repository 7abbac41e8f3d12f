//! From the browser to the data: the path of a request through this design.

use super::*;
use crate::model::{ExternalId, Flow};

pub(crate) fn walkthrough(context: &Context<'_>) -> String {
    let design = context.design;
    let mut out = String::new();
    let Some(first) = user_flows(design).next() else {
        return "No flow starts at `user` in this design, so no request path can be followed.\n"
            .to_string();
    };
    let _ = writeln!(
        out,
        "1. A user types `{}` in their browser.",
        first.to.written
    );
    let mut step = 2;
    if let EndpointTarget::Components {
        via: Via::Host(route),
        ..
    } = &first.to.target
    {
        let _ = writeln!(
            out,
            "{step}. The browser asks DNS for the address: {}",
            dns_chain(design, route)
        );
        step += 1;
    }
    // An outside service in front (a CDN): what it does, said once the user connects.
    let mut edge = None;
    if let EndpointTarget::External(id) = first.to.target {
        let (dns, forwards) = outside_service(design, first, id);
        let _ = writeln!(out, "{step}. The browser asks DNS for the address: {dns}.");
        step += 1;
        edge = forwards;
    }
    let _ = writeln!(
        out,
        "{step}. It connects to that address over {}{}.",
        first.protocol,
        first
            .port
            .map(|p| format!(" on port {p}"))
            .unwrap_or_default()
    );
    step += 1;
    if let Some(edge) = edge {
        let _ = writeln!(out, "{step}. {edge}");
        step += 1;
    }
    for level in context.graph.request_levels() {
        let mut by_kind: Vec<(ComponentKind, Vec<&Component>)> = Vec::new();
        for &c in &level {
            let component = design.component(c);
            match by_kind.iter_mut().find(|(k, _)| *k == component.kind) {
                Some((_, list)) => list.push(component),
                None => by_kind.push((component.kind, vec![component])),
            }
        }
        for (kind, components) in by_kind {
            let places: Vec<String> = components
                .iter()
                .map(|c| format!("`{}`", design.component_target(c.id)))
                .collect();
            let what = what_it_does(kind);
            let software: Vec<String> = components
                .iter()
                .filter_map(|c| c.software.as_deref().map(md))
                .collect();
            let software = if software.is_empty() {
                String::new()
            } else {
                let mut software = software;
                software.dedup();
                format!(" ({})", software.join(", "))
            };
            let _ = writeln!(out, "{step}. At {}{software}, {what}.", and_join(&places));
            step += 1;
        }
    }
    let _ = writeln!(
        out,
        "{step}. The answer travels back the same way, and the browser shows the page.\n"
    );
    out.push_str(&needs_and_degrades(context));
    out.push_str(&protocol(design).unwrap_or_default());
    out
}

/// "`www.foobar.com` is an A record for `8.8.8.8`. That address is the virtual IP of ...".
fn dns_chain(design: &Design, route: &HostRoute) -> String {
    let HostRoute { records, clusters } = route;
    let chain: Vec<String> = records
        .iter()
        .map(|r| {
            let record = &design.records[r.index()];
            let article = if record.record_type == RecordType::Cname {
                "a"
            } else {
                "an"
            };
            format!(
                "`{}` is {article} {} record for `{}`",
                record.host, record.record_type, record.value.value
            )
        })
        .collect();
    let shared = if clusters.is_empty() {
        String::new()
    } else {
        let names: Vec<String> = clusters
            .iter()
            .map(|c| format!("`{}`", design.clusters[c.index()].name.value))
            .collect();
        format!(
            " That address is the virtual IP of {}, shared by its members.",
            and_join(&names)
        )
    };
    format!("{}.{shared}", chain.join(", then "))
}

/// An outside service in front (a CDN): how DNS finds it, and what it does with the
/// request once the user connects, when it forwards anywhere.
fn outside_service(design: &Design, first: &Flow, id: ExternalId) -> (String, Option<String>) {
    let external = &design.externals[id.index()];
    let host = first.to.written.trim_end_matches('.').to_ascii_lowercase();
    let record = design.records.iter().find(|r| r.host == host);
    let dns = match record {
        Some(r) => format!(
            "`{}` is a {} record for `{}`, a host of the outside service `{}`",
            r.host, r.record_type, r.value.value, external.name.value
        ),
        None => format!(
            "`{host}` is a host of the outside service `{}`",
            external.name.value
        ),
    };
    let onward: Vec<String> = design
        .flows
        .iter()
        .filter(|f| f.from.target == first.to.target && f.purpose.is_none())
        .map(|f| format!("`{}`", f.to.written))
        .collect();
    let software = external
        .software
        .as_ref()
        .map(|s| format!(" ({})", md(s)))
        .unwrap_or_default();
    let edge = (!onward.is_empty()).then(|| {
        format!(
            "`{}`{software}, an outside {} service, answers what it can itself and forwards the rest to {}.",
            external.name.value,
            external.kind,
            and_join(&onward)
        )
    });
    (dns, edge)
}

/// What a component of a kind does with a request, in the walk-through.
fn what_it_does(kind: ComponentKind) -> &'static str {
    match kind {
        ComponentKind::Firewall => "a firewall lets the request through",
        ComponentKind::LoadBalancer => "the load balancer picks a server to forward it to",
        ComponentKind::WebServer => {
            "the web server answers static files itself and passes dynamic requests on"
        }
        ComponentKind::AppServer => "the application server runs the code to build the answer",
        ComponentKind::Database => "the database reads or writes the data the answer needs",
        ComponentKind::Cache => "the cache answers what it already holds",
        ComponentKind::Queue => {
            "the queue takes work to be done later (an order to charge, a mail to send), so the answer need not wait for it"
        }
        ComponentKind::Storage => "the storage keeps and returns files",
        _ => "the request is handled",
    }
}

/// What requests need all of (components with several required kinds) and what only
/// degrades (optional flows), from the structure function. Empty when neither applies.
pub(super) fn needs_and_degrades(context: &Context<'_>) -> String {
    let design = context.design;
    let graph = &context.graph;
    let mut out = String::new();
    let mut needs = Vec::new();
    for component in &design.components {
        if !graph.is_requested(component.id) {
            continue;
        }
        let kinds = graph.required_kinds(component.id);
        if kinds.len() < 2 {
            continue;
        }
        let parts: Vec<String> = kinds
            .iter()
            .map(|alternatives| {
                let names: Vec<String> =
                    alternatives.iter().map(|&n| node_name(design, n)).collect();
                if names.len() == 1 {
                    names[0].clone()
                } else {
                    format!("one of {}", crate::prose::or_join(&names))
                }
            })
            .collect();
        needs.push(format!(
            "- {} needs all of these: {}.",
            node_name(design, Node::Component(component.id)),
            and_join(&parts)
        ));
    }
    if !needs.is_empty() {
        out.push_str("Each request needs every kind of part its path calls, one of each: a part that calls a database and a cache stops when either has no copy left.\n\n");
        out.push_str(&needs.join("\n"));
        out.push_str("\n\n");
    }
    let optional = graph.optional_dependencies();
    if !optional.is_empty() {
        out.push_str("Some calls are optional (`optional: true`): when their target fails, the service degrades and nothing stops.\n\n");
        for (component, targets) in optional {
            let names: Vec<String> = targets.iter().map(|&n| node_name(design, n)).collect();
            let _ = writeln!(
                out,
                "- If {} fails, {} keeps serving without it.",
                crate::prose::or_join(&names),
                node_name(design, Node::Component(component))
            );
        }
        out.push('\n');
    }
    out
}
