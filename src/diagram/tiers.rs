//! Tiers settled so that requests read down: a shape that a request reaches from a shape
//! of its own tier's rank or deeper goes just below the deepest such source.
//!
//! A server's tier comes from what it runs (`scene::server_tier`), an outside service's
//! from whether it forwards requests in; that puts GitLab's internal load balancer, a
//! load-balancing service that Rails and Sidekiq reach and that sends on to the PgBouncers
//! and Praefects, in the external balancer's tier, above the servers that call it: every
//! such line ran back up the picture, and the proxies below it were placed under it, far
//! to the side of the servers above them. Graphviz ranks by the flows and draws it below
//! them.
//!
//! Each shape's level starts at twice its tier (room for a level between two tiers);
//! every link down the tiers, and each request up them, asks for its target at least one
//! level below its source (a cluster's box stays just above its highest member). A
//! request up the tiers that closes a cycle with other links (a database calling back the
//! application that calls it) asks nothing: only those between different strongly
//! connected components count, so the constraints are acyclic, and the levels are the
//! longest paths over them. When no shape moves the tiers are kept as they are; otherwise
//! they are renumbered 0, 1, 2... in the levels' order.
//!
//! Cost: linear in shapes and links (Tarjan's components, a topological order, one pass).

use petgraph::algo::{tarjan_scc, toposort};
use petgraph::graph::DiGraph;

/// A link as the tiers see it: its ends, and whether it is a request or a cluster's tie
/// to a member.
pub(super) struct Tie {
    pub from: usize,
    pub to: usize,
    pub request: bool,
    pub member: bool,
}

/// What a shape is, as the tiers see it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    Server,
    Cluster,
    Other,
}

/// Moves each shape a request reaches from its own tier or below under its sources.
pub(super) fn settle(tiers: &mut [u8], roles: &[Role], links: &[Tie]) {
    let n = tiers.len();
    let tier = |s: usize| tiers[s];
    let mut all = DiGraph::<(), ()>::with_capacity(n, links.len());
    let nodes: Vec<_> = (0..n).map(|_| all.add_node(())).collect();
    let mut up = Vec::new();
    for link in links.iter().filter(|l| l.from != l.to) {
        if tier(link.from) < tier(link.to) {
            all.add_edge(nodes[link.from], nodes[link.to], ());
        } else if tier(link.from) > tier(link.to) && link.request {
            up.push((link.from, link.to));
        }
    }
    let mut level: Vec<u32> = tiers.iter().map(|&t| 2 * u32::from(t)).collect();
    let raised = raise_sources(roles, links, &mut level);
    if up.is_empty() && !raised {
        return;
    }
    let mut with_up = all.clone();
    for &(from, to) in &up {
        with_up.add_edge(nodes[from], nodes[to], ());
    }
    let mut component = vec![0usize; n];
    for (c, members) in tarjan_scc(&with_up).into_iter().enumerate() {
        for node in members {
            component[node.index()] = c;
        }
    }
    for &(from, to) in up.iter().filter(|(f, t)| component[*f] != component[*t]) {
        all.add_edge(nodes[from], nodes[to], ());
    }
    // Acyclic by construction: a cycle lies within one component, where only links down
    // the tiers are left.
    let Ok(order) = toposort(&all, None) else {
        return;
    };
    for node in order {
        let from = node.index();
        for next in all.neighbors(node) {
            let to = next.index();
            level[to] = level[to].max(level[from] + 1);
        }
    }
    // A cluster's box just above its highest member.
    let header_of_members = headers(roles, links, &level);
    for (cluster, lowest) in header_of_members {
        level[cluster] = lowest.saturating_sub(1).max(level[cluster]);
    }
    if tiers
        .iter()
        .zip(&level)
        .all(|(&t, &l)| l == 2 * u32::from(t))
    {
        return;
    }
    let mut used = level.clone();
    used.sort_unstable();
    used.dedup();
    for (tier, &l) in tiers.iter_mut().zip(&level) {
        let dense = used.partition_point(|&u| u < l);
        *tier = u8::try_from(dense).unwrap_or(u8::MAX);
    }
}

/// Each cluster's box with the lowest level of its members.
fn headers(roles: &[Role], links: &[Tie], level: &[u32]) -> Vec<(usize, u32)> {
    let mut lowest: Vec<Option<u32>> = vec![None; roles.len()];
    for link in links.iter().filter(|l| l.member) {
        if roles[link.from] == Role::Cluster {
            let entry = lowest[link.from].get_or_insert(level[link.to]);
            *entry = (*entry).min(level[link.to]);
        }
    }
    lowest
        .into_iter()
        .enumerate()
        .filter_map(|(s, l)| l.map(|l| (s, l)))
        .collect()
}

/// A server that no request reaches (workers that take jobs from a queue) goes up to the
/// level of the highest other server that sends where it sends: beside the application
/// servers it works with, not in a rank of its own below them. Whether any moved.
fn raise_sources(roles: &[Role], links: &[Tie], level: &mut [u32]) -> bool {
    let n = roles.len();
    let mut reached = vec![false; n];
    for link in links.iter().filter(|l| l.from != l.to) {
        reached[link.to] = true;
    }
    // The highest server sending to each shape, other than the sources themselves.
    let mut highest: Vec<Option<u32>> = vec![None; n];
    for link in links.iter().filter(|l| reached[l.from]) {
        if roles[link.from] == Role::Server {
            let entry = highest[link.to].get_or_insert(level[link.from]);
            *entry = (*entry).min(level[link.from]);
        }
    }
    let mut raised = false;
    for s in (0..n).filter(|&s| !reached[s] && roles[s] == Role::Server) {
        let beside = links
            .iter()
            .filter(|l| l.from == s && l.to != s)
            .filter_map(|l| highest[l.to])
            .min();
        if let Some(beside) = beside.filter(|&b| b < level[s]) {
            level[s] = beside;
            raised = true;
        }
    }
    raised
}

#[cfg(test)]
mod tests {
    use super::{Role, Tie, settle};

    fn request(from: usize, to: usize) -> Tie {
        Tie {
            from,
            to,
            request: true,
            member: false,
        }
    }

    #[test]
    fn a_balancer_called_from_below_goes_under_its_callers() {
        // user 0, external balancer 1 (tier 3), app 2 (tier 10), internal balancer 3 (tier
        // 3, called by the app), proxy 4 (tier 11).
        let mut tiers = vec![0, 3, 10, 3, 11];
        let roles = [
            Role::Other,
            Role::Other,
            Role::Server,
            Role::Other,
            Role::Server,
        ];
        let links = [request(0, 1), request(1, 2), request(2, 3), request(3, 4)];
        settle(&mut tiers, &roles, &links);
        assert!(tiers[0] < tiers[1] && tiers[1] < tiers[2]);
        assert!(tiers[2] < tiers[3], "{tiers:?}");
        assert!(tiers[3] < tiers[4], "{tiers:?}");
    }

    #[test]
    fn a_call_back_up_that_closes_a_cycle_moves_nothing() {
        // The application calls the database, which calls it back.
        let mut tiers = vec![0, 10, 12];
        let roles = [Role::Other, Role::Server, Role::Server];
        let links = [request(0, 1), request(1, 2), request(2, 1)];
        settle(&mut tiers, &roles, &links);
        assert_eq!(tiers, [0, 10, 12]);
    }

    #[test]
    fn tiers_stay_as_they_are_when_every_request_reads_down() {
        let mut tiers = vec![0, 6, 8, 10, 12, 16];
        let roles = [Role::Server; 6];
        let links = [
            request(0, 1),
            request(1, 2),
            request(2, 3),
            request(3, 4),
            request(3, 5),
        ];
        settle(&mut tiers, &roles, &links);
        assert_eq!(tiers, [0, 6, 8, 10, 12, 16]);
    }

    #[test]
    fn a_worker_no_request_reaches_sits_beside_the_servers_that_send_where_it_sends() {
        // user 0 -> web 1 (tier 8) -> queue 3 (tier 12); worker 2 (tier 10) -> queue 3.
        let mut tiers = vec![0, 8, 10, 12];
        let roles = [Role::Other, Role::Server, Role::Server, Role::Server];
        let links = [request(0, 1), request(1, 3), request(2, 3)];
        settle(&mut tiers, &roles, &links);
        assert_eq!(tiers[1], tiers[2], "{tiers:?}");
        assert!(tiers[2] < tiers[3]);
    }

    #[test]
    fn a_clusters_box_follows_its_members_down() {
        // user 0, cluster 1 (tier 9) with members 2 and 3 (tier 10), app 4 (tier 10)
        // calling the cluster's members from the same tier.
        let mut tiers = vec![0, 9, 10, 10, 10];
        let roles = [
            Role::Other,
            Role::Cluster,
            Role::Server,
            Role::Server,
            Role::Server,
        ];
        let member = |to| Tie {
            from: 1,
            to,
            request: false,
            member: true,
        };
        let links = [request(0, 4), request(4, 1), member(2), member(3)];
        settle(&mut tiers, &roles, &links);
        assert!(tiers[4] < tiers[1], "{tiers:?}");
        assert_eq!(tiers[1] + 1, tiers[2].min(tiers[3]), "{tiers:?}");
    }
}
