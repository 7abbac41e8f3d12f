//! The tiers: what a web server, an application server and a database do here, the servers and their components, and the elements an answer adds.

use super::*;

pub(super) const WEB_SERVER: &str = "A web server accepts HTTP connections from browsers, serves static \
files (images, stylesheets, scripts) itself, and passes requests for dynamic pages on to the \
application server, then returns its answer to the browser.";

pub(super) const APP_SERVER: &str = "An application server runs the site's code (the code base): for \
each dynamic request it executes the business logic, reads and writes data in the database, \
and builds the page or the API answer that the web server sends back.";

pub(super) const DATABASE: &str = "A database stores the site's data durably (users, orders, posts) and \
answers the application's queries: it reads and writes records, keeps them consistent when \
many requests change them at once, and keeps them when servers restart.";

pub(super) fn role_of(context: &Context<'_>, kind: ComponentKind, general: &str) -> Option<String> {
    let design = context.design;
    let of_kind: Vec<&Component> = design
        .components
        .iter()
        .filter(|c| c.kind == kind)
        .collect();
    if of_kind.is_empty() {
        return None;
    }
    let places: Vec<String> = of_kind
        .iter()
        .map(|c| {
            format!(
                "{} on `{}`",
                described(c),
                design.server(c.server).name.value
            )
        })
        .collect();
    Some(format!(
        "{general} In this design: {}.\n",
        and_join(&places)
    ))
}

pub(crate) fn servers(context: &Context<'_>) -> String {
    let design = context.design;
    let mut out = String::new();
    for server in &design.servers {
        let mut header = format!("### `{}`", server.name.value);
        if let Some(ip) = &server.ip {
            let _ = write!(header, " ({})", ip.value);
        }
        let _ = writeln!(out, "{header}\n");
        if let Some(why) = &server.why {
            let _ = writeln!(out, "> {}\n", md(why));
        }
        for component in design.components_of(server.id) {
            let _ = write!(out, "- **{}**", kind_title(component.kind));
            if let Some(software) = &component.software {
                let _ = write!(out, " ({})", md(software));
            }
            let _ = write!(out, ": {}", kind_role(component));
            if let Some(why) = &component.why {
                let _ = write!(out, " *Why:* “{}”", md(why));
            }
            out.push('\n');
        }
        out.push('\n');
    }
    for external in &design.externals {
        let _ = write!(
            out,
            "### `{}` (outside the design)\n\n",
            external.name.value
        );
        let _ = write!(out, "An external {} service", external.kind);
        if let Some(software) = &external.software {
            let _ = write!(out, ", {}", md(software));
        }
        out.push('.');
        if let Some(why) = &external.why {
            let _ = write!(out, " *Why:* “{}”", md(why));
        }
        out.push_str("\n\n");
    }
    out
}

pub(super) fn added_elements(design: &Design) -> String {
    let mut out = String::new();
    let mut any = false;
    for server in &design.servers {
        if let Some(why) = &server.why {
            let _ = writeln!(out, "- **`{}`** (server): {}", server.name.value, md(why));
            any = true;
        }
        for component in design.components_of(server.id) {
            if let Some(why) = &component.why {
                let _ = writeln!(
                    out,
                    "- **`{}`** ({}): {}",
                    design.component_target(component.id),
                    component.kind.as_str().replace('_', " "),
                    md(why)
                );
                any = true;
            }
        }
    }
    for cluster in &design.clusters {
        let _ = writeln!(
            out,
            "- **`{}`** (cluster of {}): lets the members share the load and stand in for each other.",
            cluster.name.value,
            names(design, &cluster.members)
        );
        any = true;
    }
    if !any {
        out.push_str("The design gives no `why` for its elements.\n");
    }
    out.push('\n');
    out
}
