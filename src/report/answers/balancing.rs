//! Load balancing: the algorithm, active-active or active-passive.

use super::*;

pub(super) fn algorithm_text(algorithm: Algorithm) -> &'static str {
    match algorithm {
        Algorithm::RoundRobin => {
            "**round robin**: requests go to the servers in turn, the first to server 1, the second to server 2, and so on, starting again at the first once every server has had one. Every server gets the same share, which suits servers of equal power and requests of similar cost."
        }
        Algorithm::LeastConnections => {
            "**least connections**: each request goes to the server that has the fewest open connections right now. Servers busy with slow requests get fewer new ones, which suits requests of very different costs."
        }
        Algorithm::SourceHash => {
            "**source hash**: the client's IP address is hashed to pick the server, so the same client always reaches the same server (useful when sessions live on the server), as long as the set of servers does not change."
        }
        Algorithm::WeightedRoundRobin => {
            "**weighted round robin**: round robin in which each server gets turns in proportion to its weight, so a server twice as powerful can take twice the requests."
        }
        Algorithm::Random => {
            "**random**: each request goes to a server picked at random; over many requests the load evens out."
        }
    }
}

pub(super) fn algorithm(design: &Design) -> Option<String> {
    let balancers: Vec<&Component> = design
        .components
        .iter()
        .filter(|c| c.kind == ComponentKind::LoadBalancer)
        .collect();
    if balancers.is_empty() {
        return None;
    }
    let mut out = String::new();
    let mut algorithms: Vec<Algorithm> = balancers.iter().filter_map(|b| b.algorithm).collect();
    algorithms.sort();
    algorithms.dedup();
    let places: Vec<String> = balancers
        .iter()
        .map(|b| {
            format!(
                "{} on `{}`",
                described(b),
                design.server(b.server).name.value
            )
        })
        .collect();
    let _ = writeln!(
        out,
        "The load balancer ({}) is configured with:\n",
        and_join(&places)
    );
    for algorithm in algorithms {
        let _ = writeln!(out, "- {}", algorithm_text(algorithm));
    }
    out.push('\n');
    Some(out)
}

pub(super) const MODES: &str = "In an **active-active** setup every node serves traffic at the same \
time: the load is shared, and when one fails the others take all of it. In an \
**active-passive** setup one node serves while the other stands by, kept in sync, and \
takes over (usually taking the shared address) only when the active one fails: simpler, \
but the standby's capacity is idle.\n";

pub(super) fn cluster_mode(design: &Design) -> Option<String> {
    let has_balancer = design
        .components
        .iter()
        .any(|c| c.kind == ComponentKind::LoadBalancer);
    if !has_balancer && design.clusters.is_empty() {
        return None;
    }
    let mut out = String::new();
    let balancer_clusters: Vec<_> = design
        .clusters
        .iter()
        .filter(|c| {
            c.members.iter().any(|&m| {
                design
                    .components_of(m)
                    .any(|k| k.kind == ComponentKind::LoadBalancer)
            })
        })
        .collect();
    if balancer_clusters.is_empty() {
        let backends = design
            .components
            .iter()
            .filter(|c| c.kind == ComponentKind::WebServer)
            .count();
        let servers = if backends == 1 {
            "the one web server receives every request".to_string()
        } else {
            format!(
                "the {backends} web servers all receive requests at the same time, so they form an **active-active** setup"
            )
        };
        let _ = writeln!(
            out,
            "The load balancer is not clustered: it is a single node, with no partner to take \
             over when it fails. Behind it, {servers}.\n"
        );
    }
    for cluster in &design.clusters {
        let mode = match cluster.mode {
            Mode::ActiveActive => "**active-active**: both serve traffic at once",
            Mode::ActivePassive => "**active-passive**: one serves, the other stands by",
        };
        let vip = cluster
            .virtual_ip
            .as_ref()
            .map(|v| format!(", sharing the virtual IP `{}`", v.value))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "The cluster `{}` ({}{vip}) is {mode}.\n",
            cluster.name.value,
            names(design, &cluster.members)
        );
    }
    out.push_str(MODES);
    Some(out)
}
