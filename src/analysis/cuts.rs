//! Minimal cut sets: every minimal set of servers (at most `max_size` of them) whose
//! joint failure stops every request, and every write.
//!
//! The failure logic of a node is "its server fails, or, for some required kind, every
//! alternative fails"; of the design, "every target of the user's flows fails". Cut
//! sets are built bottom-up in dependency order: a node's family is its server, plus,
//! for each kind, the product of its alternatives' families, each product truncated to
//! `max_size` and kept minimal (no set holding another). Truncating products is exact
//! for cuts of at most `max_size` servers: every such cut is made of parts of at most
//! that size. Zones and external services are not in cut sets (a zone is called out
//! when a whole cut sits in it).

use super::Model;
use crate::graph::{Aim, Group, WriteNeed};
use crate::model::ServerId;

/// A family of cut sets: each set sorted, the family minimal and sorted.
pub type Family = Vec<Vec<u32>>;

pub struct Cuts {
    /// False when the design takes no writes (no primary database): then it has no
    /// writes outcome.
    pub takes_writes: bool,
    /// The largest size of cut set enumerated: the size asked, or less when the sets of
    /// that size would pass [`BUDGET`] (then every set up to this size is listed, and
    /// larger ones may exist).
    pub searched: usize,
    /// Per outcome of the logic ([`crate::graph::Logic::outcomes`]), in its order.
    pub outcomes: Vec<OutcomeCuts>,
    /// Zones that hold a whole cut of two servers or more: (zone index, cut).
    pub zone_cuts: Vec<(usize, Vec<ServerId>)>,
}

pub struct OutcomeCuts {
    /// False when the outcome does not hold even with every server up.
    pub complete: bool,
    /// Its minimal cut sets, smallest first (then by name); empty when not complete.
    pub sets: Vec<Vec<ServerId>>,
}

/// How much work one enumeration may do, in candidate sets joined and subsets looked up.
/// Besides, no family (of a node, a group or the top) may hold more than [`MAX_SETS`]
/// sets, nor a product more than four times as many candidates. Measured in a release
/// build on 3 parallel chains of web servers: 40 servers a chain (64,000 sets of 3) in
/// 0.05 s; 100 a chain (a million sets of 3) stop at [`MAX_SETS`] and are listed up to 2
/// servers in 0.1 s. Past either the size is lowered until it fits, and said.
pub const BUDGET: u64 = 30_000_000;

/// The most sets one family may hold before the enumeration stops (a list longer than
/// this helps no reader; its memory would grow with the sets, 240 MB for a million).
pub const MAX_SETS: usize = 100_000;

/// The work an enumeration has left; once spent, every step returns at once.
struct Budget {
    left: std::cell::Cell<u64>,
}

impl Budget {
    /// Takes `work` units; false (and from then on) when they are not there.
    fn take(&self, work: usize) -> bool {
        let left = self.left.get();
        let work = work as u64;
        if left < work {
            self.left.set(0);
            false
        } else {
            self.left.set(left - work);
            true
        }
    }

    /// Spends what is left: a family grew past [`MAX_SETS`].
    fn exhaust(&self) {
        self.left.set(0);
    }

    fn spent(&self) -> bool {
        self.left.get() == 0
    }
}

/// Every minimal cut set of at most `max_size` servers, per outcome; past [`BUDGET`],
/// of at most as many as fit in it ([`Cuts::searched`]). Sets of one server always fit:
/// their cost is linear in the design.
pub fn cuts(model: &Model<'_>, max_size: usize) -> Cuts {
    cuts_within(model, max_size, BUDGET)
}

/// [`cuts`] with a budget of its own.
pub fn cuts_within(model: &Model<'_>, max_size: usize, budget: u64) -> Cuts {
    let mut size = max_size;
    loop {
        // Sets of one server are always listed: at most one per server.
        let allowed = Budget {
            left: std::cell::Cell::new(if size <= 1 { u64::MAX } else { budget }),
        };
        let found = enumerate(model, size, &allowed);
        if !allowed.spent() || size <= 1 {
            return Cuts {
                searched: size,
                ..found
            };
        }
        size -= 1;
    }
}

fn enumerate(model: &Model<'_>, max_size: usize, budget: &Budget) -> Cuts {
    let logic = &model.logic;
    let n = logic.nodes.len();
    let mut fail: Vec<Family> = vec![Vec::new(); n];
    for &node in &logic.order {
        let info = &logic.nodes[node];
        let mut family: Family = Vec::new();
        if let Some(server) = info.server
            && max_size > 0
        {
            family.push(vec![server.0]);
        }
        if info.groups.is_empty() && !info.serves_alone {
            family = vec![Vec::new()];
        }
        for group in info.groups.iter().chain(&info.conditions) {
            family = union(family, group_fails(group, &fail, max_size, budget));
        }
        fail[node] = minimal(family, budget);
    }
    // Writes: a node also fails to write when a write quorum is lost, or when it is no
    // primary and every write-capable target fails to write.
    let mut fail_write: Vec<Family> = vec![Vec::new(); n];
    for &node in &logic.order {
        let info = &logic.nodes[node];
        let mut family = fail[node].clone();
        for need in info.write_needs() {
            let part = match need {
                WriteNeed::Serves(group) => group_fails(group, &fail, max_size, budget),
                WriteNeed::Writes(group) => group_fails(group, &fail_write, max_size, budget),
                WriteNeed::Never => vec![Vec::new()],
            };
            family = union(family, part);
        }
        fail_write[node] = minimal(family, budget);
    }
    let top = |targets: &[usize], families: &[Family]| -> Family {
        product_all(targets.iter().map(|&t| &families[t]), max_size, budget)
    };
    let named = |family: Family, complete: bool| -> Vec<Vec<ServerId>> {
        if !complete {
            return Vec::new();
        }
        let mut sets: Vec<Vec<ServerId>> = family
            .into_iter()
            .map(|set| set.into_iter().map(ServerId).collect())
            .collect();
        // Size first, then by name.
        let key = |set: &Vec<ServerId>| -> (usize, Vec<String>) {
            let mut names: Vec<String> = set
                .iter()
                .map(|&s| model.design.server(s).name.value.clone())
                .collect();
            names.sort();
            (set.len(), names)
        };
        sets.sort_by_cached_key(key);
        sets
    };
    let outcomes: Vec<OutcomeCuts> = logic
        .outcomes
        .iter()
        .map(|outcome| {
            let families = if outcome.aim == Aim::Writes {
                &fail_write
            } else {
                &fail
            };
            let family = top(&outcome.targets, families);
            // An empty cut: the top fails with nothing failed (it never holds).
            let complete = !family.iter().any(Vec::is_empty);
            OutcomeCuts {
                complete,
                sets: named(family, complete),
            }
        })
        .collect();
    let mut zone_cuts = Vec::new();
    for set in outcomes.iter().flat_map(|o| &o.sets) {
        if set.len() < 2 {
            continue;
        }
        let zone = model.server_zone[set[0].index()];
        if let Some(zone) = zone
            && set
                .iter()
                .all(|s| model.server_zone[s.index()] == Some(zone))
            && !zone_cuts.contains(&(zone, set.clone()))
        {
            zone_cuts.push((zone, set.clone()));
        }
    }
    Cuts {
        takes_writes: logic.takes_writes(),
        searched: max_size,
        outcomes,
        zone_cuts,
    }
}

/// The cut sets of a group: every way for at least [`Group::fails_at`] of its members to
/// fail. All of them (alternatives): the product of their families; one: their union;
/// k of n (a quorum): counted one member at a time, `at[j]` the cuts that fail j of the
/// members so far, O(n k) products.
fn group_fails(group: &Group, fail: &[Family], max_size: usize, budget: &Budget) -> Family {
    let k = group.fails_at();
    let n = group.of.len();
    if k == 0 {
        return vec![Vec::new()];
    }
    if k > n {
        return Vec::new();
    }
    if k == n {
        return product_all(group.of.iter().map(|&t| &fail[t]), max_size, budget);
    }
    let mut at: Vec<Family> = vec![Vec::new(); k + 1];
    at[0] = vec![Vec::new()];
    for (i, &t) in group.of.iter().enumerate() {
        for j in (1..=k.min(i + 1)).rev() {
            let more = product_all([&at[j - 1], &fail[t]].into_iter(), max_size, budget);
            let joined = union(std::mem::take(&mut at[j]), more);
            at[j] = minimal(joined, budget);
        }
    }
    at.pop().expect("k + 1 entries")
}

/// The product of several families (every way to take one set from each, joined),
/// truncated and minimal. The product of no family is the family of the empty set:
/// an AND of nothing has already failed.
fn product_all<'a>(
    families: impl Iterator<Item = &'a Family>,
    max_size: usize,
    budget: &Budget,
) -> Family {
    let mut acc: Family = vec![Vec::new()];
    for family in families {
        if acc.is_empty() || !budget.take(acc.len().saturating_mul(family.len())) {
            break;
        }
        let mut next = Vec::new();
        'joins: for a in &acc {
            for b in family {
                let joined = join(a, b);
                if joined.len() <= max_size {
                    next.push(joined);
                    if next.len() > 4 * MAX_SETS {
                        budget.exhaust();
                        break 'joins;
                    }
                }
            }
        }
        acc = minimal(next, budget);
    }
    acc
}

fn union(mut a: Family, b: Family) -> Family {
    a.extend(b);
    a
}

/// Two sorted sets joined, sorted.
fn join(a: &[u32], b: &[u32]) -> Vec<u32> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) if x == y => {
                out.push(*x);
                i += 1;
                j += 1;
            }
            (Some(x), Some(y)) if x < y => {
                out.push(*x);
                i += 1;
            }
            (Some(_), Some(y)) => {
                out.push(*y);
                j += 1;
            }
            (Some(x), None) => {
                out.push(*x);
                i += 1;
            }
            (None, Some(y)) => {
                out.push(*y);
                j += 1;
            }
            (None, None) => break,
        }
    }
    out
}

/// The family without duplicates and without any set that holds another. Smallest
/// first, each set is kept unless a kept set is a subset of it: found by looking up each
/// of its 2^k proper subsets among those kept (k at most `--max-size`, 3 by default), or
/// by testing every kept set where there are fewer of them. O(n 2^k) for n sets, where
/// testing each against all kept was O(n²) (a million sets of 3 took past a minute).
fn minimal(mut family: Family, budget: &Budget) -> Family {
    family.sort_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
    family.dedup();
    let mut kept: Family = Vec::with_capacity(family.len());
    let mut index: std::collections::HashSet<Vec<u32>> = std::collections::HashSet::new();
    for set in family {
        let subsets = u32::try_from(set.len())
            .ok()
            .and_then(|k| 1usize.checked_shl(k))
            .unwrap_or(usize::MAX);
        let by_lookup = subsets < kept.len();
        if !budget.take(if by_lookup {
            subsets
        } else {
            kept.len().max(1)
        }) {
            return kept;
        }
        let covered = if by_lookup {
            (0..subsets - 1).any(|mask| {
                let subset: Vec<u32> = set
                    .iter()
                    .enumerate()
                    .filter(|&(i, _)| mask & (1 << i) != 0)
                    .map(|(_, &x)| x)
                    .collect();
                index.contains(&subset)
            })
        } else {
            kept.iter().any(|k| is_subset(k, &set))
        };
        if !covered {
            if kept.len() == MAX_SETS {
                budget.exhaust();
                return kept;
            }
            index.insert(set.clone());
            kept.push(set);
        }
    }
    kept
}

fn is_subset(small: &[u32], big: &[u32]) -> bool {
    small.len() <= big.len() && small.iter().all(|x| big.binary_search(x).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::tests::with_model;

    fn names(model: &Model<'_>, sets: &[Vec<ServerId>]) -> Vec<Vec<String>> {
        sets.iter()
            .map(|set| {
                let mut names: Vec<String> = set
                    .iter()
                    .map(|&s| model.design.server(s).name.value.clone())
                    .collect();
                names.sort();
                names
            })
            .collect()
    }

    const PAIR: &str = "
name: t
zones: { rack1: {} }
servers:
  lb-1: { zone: rack1, components: [{ kind: load_balancer }] }
  lb-2: { zone: rack1, components: [{ kind: load_balancer }] }
  web-1: { components: [{ kind: web_server }] }
  web-2: { components: [{ kind: web_server }] }
  db: { components: [{ kind: database }] }
  cache: { components: [{ kind: cache }] }
flows:
  - { from: user, to: [lb-1, lb-2], protocol: https }
  - { from: [lb-1, lb-2], to: [web-1, web-2], protocol: http }
  - { from: [web-1, web-2], to: db, protocol: mysql }
  - { from: [web-1, web-2], to: cache, protocol: redis, access: read }
";

    #[test]
    fn singles_first_then_pairs_and_the_zone_that_holds_one() {
        with_model(PAIR, |m| {
            let cuts = cuts(m, 3);
            assert_eq!(
                names(m, &cuts.outcomes[0].sets),
                [
                    vec!["cache"],
                    vec!["db"],
                    vec!["lb-1", "lb-2"],
                    vec!["web-1", "web-2"]
                ]
            );
            assert_eq!(
                names(m, &cuts.outcomes[1].sets),
                names(m, &cuts.outcomes[0].sets)
            );
            assert_eq!(cuts.zone_cuts.len(), 1, "rack1 holds the balancer pair");
            let small = super::cuts(m, 1);
            assert_eq!(
                names(m, &small.outcomes[0].sets),
                [vec!["cache"], vec!["db"]]
            );
        });
    }

    /// Issue 23, case 11: past the budget the size is lowered until it fits, and every
    /// set up to it is still listed.
    #[test]
    fn past_the_budget_the_size_is_lowered_and_said() {
        with_model(PAIR, |m| {
            let whole = cuts(m, 3);
            assert_eq!(whole.searched, 3);
            let tight = cuts_within(m, 3, 12);
            assert!(tight.searched < 3, "searched {}", tight.searched);
            let up_to = |found: &Cuts| -> Vec<Vec<ServerId>> {
                found.outcomes[0]
                    .sets
                    .iter()
                    .filter(|s| s.len() <= tight.searched)
                    .cloned()
                    .collect()
            };
            assert_eq!(up_to(&tight), up_to(&whole));
        });
    }

    #[test]
    fn a_majority_of_three_is_cut_by_any_two() {
        with_model(
            "name: t\nservers:\n  a: { components: [{ kind: database }] }\n  b: { components: [{ kind: database }] }\n  c: { components: [{ kind: database }] }\n  arb: { components: [{ kind: other }] }\nclusters:\n  - { name: q, members: [a, b], voters: [a, b, arb], quorum: majority }\nflows:\n  - { from: user, to: [q, c], protocol: mysql }\n",
            |m| {
                let cuts = cuts(m, 3);
                assert_eq!(
                    names(m, &cuts.outcomes[0].sets),
                    [
                        vec!["a", "arb", "c"],
                        vec!["a", "b", "c"],
                        vec!["arb", "b", "c"]
                    ]
                );
                assert!(super::cuts(m, 2).outcomes[0].sets.is_empty());
            },
        );
    }

    #[test]
    fn a_leader_lease_makes_the_coordinator_a_cut_of_writes_only() {
        with_model(
            "name: t\nservers:\n  app: { components: [{ kind: app_server }] }\n  pg-1: { components: [{ kind: database, role: primary }] }\n  pg-2: { components: [{ kind: database, role: replica }] }\n  consul: { components: [{ kind: coordination }] }\nclusters:\n  - { name: pg, members: [pg-1, pg-2], failover: automatic, coordinator: coordination, leader_lease: true }\nflows:\n  - { from: user, to: app, protocol: https }\n  - { from: app, to: pg, protocol: postgres }\n",
            |m| {
                let cuts = cuts(m, 2);
                // Requests: the primary, else the coordinator and the replica.
                assert_eq!(
                    names(m, &cuts.outcomes[0].sets),
                    [vec!["app"], vec!["consul", "pg-1"], vec!["pg-1", "pg-2"]]
                );
                // Writes: the lease needs the coordinator too.
                assert_eq!(
                    names(m, &cuts.outcomes[1].sets),
                    [vec!["app"], vec!["consul"], vec!["pg-1", "pg-2"]]
                );
            },
        );
    }

    #[test]
    fn a_zone_only_servers_name_is_called_out() {
        with_model(&PAIR.replace("zones: { rack1: {} }\n", ""), |m| {
            let cuts = cuts(m, 3);
            assert_eq!(cuts.zone_cuts.len(), 1, "rack1 holds the balancer pair");
            assert_eq!(m.zone_names[cuts.zone_cuts[0].0], "rack1");
        });
    }

    #[test]
    fn an_empty_design_of_requests_has_no_cuts() {
        with_model(
            "name: t\nservers:\n  a: { components: [{ kind: load_balancer }] }\nflows:\n  - { from: user, to: a, protocol: http }\n",
            |m| {
                let cuts = cuts(m, 2);
                assert!(!cuts.outcomes[0].complete);
                assert!(cuts.outcomes[0].sets.is_empty());
            },
        );
    }

    #[test]
    fn the_sets_agree_with_removing_every_combination() {
        // The brute-force check on the pair design: every subset of up to 3 servers.
        with_model(PAIR, |m| {
            let servers = m.design.servers.len();
            let mut minimal_cuts: Vec<Vec<u32>> = Vec::new();
            for mask in 1u32..(1 << servers) {
                if mask.count_ones() > 3 {
                    continue;
                }
                let mut occurs = vec![false; m.events.len()];
                for (s, flag) in occurs.iter_mut().enumerate().take(servers) {
                    *flag = mask & (1 << s) != 0;
                }
                if !m.outcomes(&occurs)[0] {
                    let set: Vec<u32> = (0..servers as u32)
                        .filter(|s| mask & (1 << s) != 0)
                        .collect();
                    minimal_cuts.push(set);
                }
            }
            let expected = minimal(
                minimal_cuts,
                &Budget {
                    left: std::cell::Cell::new(u64::MAX),
                },
            );
            let mut got: Vec<Vec<u32>> = cuts(m, 3).outcomes[0]
                .sets
                .iter()
                .map(|set| {
                    let mut ids: Vec<u32> = set.iter().map(|s| s.0).collect();
                    ids.sort();
                    ids
                })
                .collect();
            got.sort();
            let mut expected = expected;
            expected.sort();
            assert_eq!(got, expected);
        });
    }
}
