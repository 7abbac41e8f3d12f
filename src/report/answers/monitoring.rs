//! Monitoring: agents, what they collect, QPS.

use super::*;

pub(super) fn agents(design: &Design) -> Vec<&Component> {
    design
        .components
        .iter()
        .filter(|c| c.kind == ComponentKind::MonitoringAgent)
        .collect()
}

pub(super) fn monitoring(design: &Design) -> Option<String> {
    let mut out = String::from(
        "Monitoring collects measurements (metrics such as CPU, memory, disk, requests per \
         second, error rates, response times) and logs from every server, stores them, draws \
         them on dashboards and raises alerts when something crosses a threshold. It tells the \
         team that something is wrong before users do, shows trends for capacity planning, and \
         proves that a fix worked.\n\n",
    );
    let agents = agents(design);
    if agents.is_empty() {
        out.push_str("This design has no monitoring agent: nobody learns that a server slows down or fails (finding OB001).\n");
        return Some(out);
    }
    let monitored: Vec<ServerId> = {
        let mut s: Vec<ServerId> = agents.iter().map(|a| a.server).collect();
        s.dedup();
        s
    };
    let _ = write!(
        out,
        "In this design, {} on {}.",
        if agents.len() == 1 {
            "one monitoring agent runs".to_string()
        } else {
            format!("{} monitoring agents run", agents.len())
        },
        names(design, &monitored)
    );
    let unmonitored: Vec<ServerId> = design
        .servers
        .iter()
        .map(|s| s.id)
        .filter(|s| !monitored.contains(s))
        .collect();
    if !unmonitored.is_empty() {
        let _ = writeln!(out, " {} run none.", names(design, &unmonitored));
    }
    out.push('\n');
    Some(out)
}

pub(super) fn monitoring_collection(context: &Context<'_>) -> Option<String> {
    let design = context.design;
    let agents = agents(design);
    if agents.is_empty() {
        return None;
    }
    let mut out = String::from(
        "A monitoring client (an agent, or collector) runs on each server. It reads the \
         machine's counters (CPU, memory, disks, network), tails log files (the web server's \
         access and error logs) and queries local services for their statistics, then sends \
         what it gathered, in batches, over an encrypted connection to the monitoring \
         service, which stores and indexes it.\n\n",
    );
    for agent in &agents {
        let destinations: Vec<String> = context
            .graph
            .outgoing(agent.id)
            .filter(|(flow, _)| design.flow(*flow).purpose == Some(Purpose::Monitoring))
            .map(|(flow, to)| {
                let target = to.written(design);
                format!("`{target}` over {}", design.flow(flow).protocol)
            })
            .collect();
        let what: Vec<String> = agent
            .collects
            .iter()
            .map(|c| c.as_str().to_string())
            .collect();
        // "collects metrics and logs and sends them", "collects what it is configured
        // to and sends it".
        let (collected, them) = if what.is_empty() {
            ("what it is configured to".to_string(), "it")
        } else {
            (and_join(&what), "them")
        };
        let _ = writeln!(
            out,
            "- `{}` ({}) collects {collected}{}.",
            design.component_target(agent.id),
            described(agent),
            if destinations.is_empty() {
                format!(" (the design shows no flow to where it sends {them})")
            } else {
                format!(" and sends {them} to {}", and_join(&destinations))
            }
        );
    }
    out.push('\n');
    Some(out)
}

pub(super) fn qps(design: &Design) -> Option<String> {
    let web_servers: Vec<&Component> = design
        .components
        .iter()
        .filter(|c| c.kind == ComponentKind::WebServer)
        .collect();
    if web_servers.is_empty() {
        return None;
    }
    let mut out = String::from(
        "QPS (queries, or requests, per second) is counted from the web server itself: either \
         from its access log (one line per request: the collector counts lines per second) or \
         from its status endpoint (Nginx's `stub_status` module reports the requests it has \
         handled; the collector reads it every few seconds and takes the difference). The \
         monitoring service then graphs QPS per server and in total, and alerts on sudden \
         rises or falls.\n\n",
    );
    let counting: Vec<String> = web_servers
        .iter()
        .filter(|w| {
            design.components_of(w.server).any(|c| {
                c.kind == ComponentKind::MonitoringAgent
                    && c.collects.contains(&crate::model::Collect::Qps)
            })
        })
        .map(|w| format!("`{}`", design.server(w.server).name.value))
        .collect();
    if counting.is_empty() {
        out.push_str("In this design no agent on a web server collects `qps` yet: add `qps` to the `collects` of the monitoring agent on each web server.\n");
    } else {
        let _ = writeln!(
            out,
            "In this design, the agents on {} collect `qps`.",
            and_join(&counting)
        );
    }
    out.push('\n');
    Some(out)
}
