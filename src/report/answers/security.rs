//! Security: firewalls, HTTPS and where TLS ends.

use super::*;

pub(super) fn firewalls(design: &Design) -> Option<String> {
    let mut out = String::from(
        "A firewall filters network traffic by rules: it lets in only the connections a \
         server is meant to accept (its service ports, from the right sources) and drops the \
         rest, so that a forgotten or vulnerable service is not reachable from outside.\n\n",
    );
    let walls: Vec<&Component> = design
        .components
        .iter()
        .filter(|c| c.kind == ComponentKind::Firewall)
        .collect();
    if walls.is_empty() {
        out.push_str("This design has no firewall: every port its servers listen on is open to whoever reaches them (finding SE001).\n");
        return Some(out);
    }
    for wall in walls {
        let server = wall.server;
        let place = if design.is_network_firewall(server) {
            format!(
                "`{}` is a network firewall: traffic passes through it",
                design.server(server).name.value
            )
        } else {
            format!("a firewall guards `{}`", design.server(server).name.value)
        };
        let allows = match &wall.allow {
            Some(ports) => {
                let ports: Vec<String> = ports.iter().map(|p| p.value.to_string()).collect();
                match ports.as_slice() {
                    [] => "it lets nothing in".to_string(),
                    [one] => format!("it lets in port {one}"),
                    _ => format!("it lets in ports {}", and_join(&ports)),
                }
            }
            None => "the ports it allows are not stated".to_string(),
        };
        let _ = writeln!(out, "- {}; {allows}.", capitalise(&place));
    }
    out.push('\n');
    Some(out)
}

pub(super) fn https(context: &Context<'_>) -> Option<String> {
    let design = context.design;
    let flows: Vec<_> = user_flows(design).collect();
    if flows.is_empty() {
        return None;
    }
    let mut out = String::from(
        "HTTPS is HTTP inside TLS: the connection is encrypted, so nobody on the way (a café's \
         Wi-Fi, an internet provider) can read or change passwords, cookies or pages, and the \
         server proves with its certificate that it really is the site the user asked for.\n\n",
    );
    for flow in &flows {
        if !flow.protocol.is_encrypted() {
            let _ = writeln!(
                out,
                "Users reach `{}` over plaintext {}: this design does not serve HTTPS (finding SE002).\n",
                flow.to.written, flow.protocol
            );
            continue;
        }
        let EndpointTarget::Components { components, .. } = &flow.to.target else {
            continue;
        };
        let mut ends: Vec<String> = Vec::new();
        for &c in components {
            for end in context.graph.tls_ends(c) {
                let component = design.component(end);
                let certificate = match &component.certificate {
                    Some(cert) => {
                        let domains: Vec<&str> =
                            cert.domains.iter().map(|d| d.value.as_str()).collect();
                        let expires = cert
                            .expires
                            .as_ref()
                            .map(|e| format!(", valid until {}", e.value))
                            .unwrap_or_default();
                        format!(
                            "which presents a certificate for {}{expires}",
                            domains.join(", ")
                        )
                    }
                    None => "which has no certificate (finding SE005)".to_string(),
                };
                ends.push(format!("`{}`, {certificate}", design.component_target(end)));
            }
        }
        ends.dedup();
        let _ = writeln!(
            out,
            "Users reach `{}` over {}; the TLS connection ends at {}.\n",
            flow.to.written,
            flow.protocol,
            ends.join("; and at ")
        );
        let plaintext: Vec<String> = context
            .findings
            .iter()
            .filter(|f| f.rule == crate::rules::TLS_TERMINATED_EARLY)
            .map(|f| format!("`{}`", f.target))
            .collect();
        if !plaintext.is_empty() {
            let _ = writeln!(
                out,
                "Behind {}, requests travel on in plaintext: TLS is terminated at the load balancer (finding SE003).",
                and_join(&plaintext)
            );
        }
        out.push('\n');
    }
    Some(out)
}
