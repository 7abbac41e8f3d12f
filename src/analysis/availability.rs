//! How available a design is: the probability that a request completes and that a
//! write completes, and each server's Birnbaum importance (how much the design's
//! availability rises per unit of that server's).
//!
//! Exact where the failure logic's binary decision diagram stays small: it is built
//! bottom-up in dependency order with biodivine-lib-bdd, one variable per basic event
//! (ordered from the top of the design down, which keeps related events together).
//! Its nodes are stored children first, so the probability of failure is one forward
//! pass, and the derivative by every event (the Birnbaum importance) one backward pass
//! of reach probabilities: O(size of the diagram) for all servers together. When one
//! operation's result passes its budget ([`node_budget`]: [`MAX_BDD_NODES`], or 8 nodes
//! per event in a larger design) or there are more than 65,535 events, seeded Monte
//! Carlo with a 95% Wilson interval, its trials bounded by [`MONTE_CARLO_WORK`].
//!
//! Cost: a design's diagrams grow with its size (10,000 generated servers: operations
//! of at most 10,001 nodes, 0.25 s); a design whose zones and cross-links defeat the
//! variable order (a red team's 140 servers, zones at random) gives up at the budget and
//! is sampled in 0.5 s and 30 MB, where 2,000,000 nodes an operation took 28 s and
//! 765 MB before the sampling began.
//!
//! Assumptions (written in the design-format reference): failures are independent; a
//! zone fails as a whole; optional flows do not count; a server that states no
//! availability has [`super::DEFAULT_SERVER_AVAILABILITY`].

use biodivine_lib_bdd::{Bdd, BddPointer, BddVariable, BddVariableSet, op_function};

use super::Model;
use crate::graph::{Aim, Group, WriteNeed};
use crate::model::ServerId;

/// The largest result of one operation on diagrams before falling back to Monte Carlo,
/// in a design of up to 6,250 events (above, [`node_budget`] grows with the design).
pub const MAX_BDD_NODES: usize = 50_000;
/// Monte Carlo trials, and the seed that makes them reproducible.
pub const TRIALS: usize = 200_000;
/// The fewest trials, however large the design.
pub const MIN_TRIALS: usize = 1_000;
/// Trials times the size of the logic ([`crate::graph::Logic::size`]) at most: about a
/// second; a larger design gets fewer trials (and a wider interval, which it says).
pub const MONTE_CARLO_WORK: usize = 400_000_000;
pub const SEED: u64 = 0x1f_a11;

#[derive(Clone, Debug, PartialEq)]
pub enum Method {
    Exact,
    /// The 95% interval of the estimate.
    MonteCarlo {
        low: f64,
        high: f64,
        trials: usize,
    },
}

#[derive(Clone, Debug)]
pub struct Estimate {
    /// A fraction: 0.997002.
    pub availability: f64,
    pub method: Method,
}

/// "99.7002% (2.52 nines)"; at 100%, "never fails" when exact, "no failure in 200000
/// trials" when sampled (a sample proves no "never").
pub fn percent(estimate: &Estimate) -> String {
    let nines = estimate.nines();
    let nines = match estimate.method {
        _ if nines.is_finite() => format!("{nines:.2} nines"),
        Method::Exact => "never fails".to_string(),
        Method::MonteCarlo { trials, .. } => format!("no failure in {trials} trials"),
    };
    format!("{:.4}% ({nines})", estimate.availability * 100.0)
}

impl Estimate {
    /// -log10(1 - availability): 2.52 for 99.7%; infinite for 1.
    pub fn nines(&self) -> f64 {
        // `+ 0.0` turns the -0 of an availability of 0 into 0 ("0.00 nines", not "-0.00").
        -(1.0 - self.availability).log10() + 0.0
    }
}

pub struct Availability {
    /// Per outcome of the logic ([`crate::graph::Logic::outcomes`]), in its order.
    pub outcomes: Vec<Measured>,
}

/// How available one outcome is.
pub struct Measured {
    pub aim: Aim,
    /// The request class, or the worker service of jobs (`None`: the default class).
    pub class: Option<String>,
    pub estimate: Estimate,
    /// Every server by its Birnbaum importance for the outcome, highest first (by name
    /// for ties); empty with Monte Carlo.
    pub importance: Vec<(ServerId, f64)>,
}

impl Availability {
    /// The default class's requests (the first class's, without a default class).
    pub fn requests(&self) -> &Measured {
        &self.outcomes[0]
    }

    /// The first class's writes; `None` when the design takes no writes (no primary
    /// database): writes are no outcome of it.
    pub fn writes(&self) -> Option<&Measured> {
        self.outcomes.get(1).filter(|m| m.aim == Aim::Writes)
    }
}

pub fn availability(model: &Model<'_>) -> Availability {
    match exact(model, node_budget(model)) {
        Some(found) => found,
        None => monte_carlo(model, trials(model)),
    }
}

/// The budget of one operation on diagrams: [`MAX_BDD_NODES`], or 8 nodes per event
/// where that is more (a design's own diagrams grow about linearly with it).
pub fn node_budget(model: &Model<'_>) -> usize {
    MAX_BDD_NODES.max(model.events.len().saturating_mul(8))
}

/// Monte Carlo trials within [`MONTE_CARLO_WORK`], between [`MIN_TRIALS`] and [`TRIALS`].
pub fn trials(model: &Model<'_>) -> usize {
    (MONTE_CARLO_WORK / model.logic.size().max(1)).clamp(MIN_TRIALS, TRIALS)
}

/// The failure logic as decision diagrams: per outcome, "it fails". `None` when one
/// operation's result passes `limit` nodes, the diagrams kept pass four times that, or
/// there are too many events.
fn diagrams(model: &Model<'_>, limit: usize) -> Option<(BddVariableSet, Vec<usize>, Vec<Bdd>)> {
    let logic = &model.logic;
    let count = u16::try_from(model.events.len()).ok()?;
    // Variables in the order events are met from the top of the design down.
    let mut variable_of = vec![usize::MAX; model.events.len()];
    let mut next = 0;
    for &node in logic.order.iter().rev() {
        for &event in &model.node_events[node] {
            if variable_of[event] == usize::MAX {
                variable_of[event] = next;
                next += 1;
            }
        }
    }
    for slot in variable_of.iter_mut().filter(|v| **v == usize::MAX) {
        *slot = next;
        next += 1;
    }
    let variables = BddVariableSet::new_anonymous(count);
    let event = |e: usize| variables.mk_var(BddVariable::from_index(variable_of[e]));
    // Every diagram kept, together: at most four budgets' worth of nodes (memory stays
    // bounded however many nodes the logic has).
    let mut kept = 0usize;
    let mut fail: Vec<Option<Bdd>> = vec![None; logic.nodes.len()];
    for &node in &logic.order {
        let info = &logic.nodes[node];
        let mut f = variables.mk_false();
        for &e in &model.node_events[node] {
            f = apply(&f, &event(e), op_function::or, limit)?;
        }
        if info.groups.is_empty() && !info.serves_alone {
            f = variables.mk_true();
        }
        for group in info.groups.iter().chain(&info.conditions) {
            f = apply(
                &f,
                &group_fails(group, &fail, &variables, limit)?,
                op_function::or,
                limit,
            )?;
        }
        fail[node] = Some(f);
    }
    let mut fail_write: Vec<Option<Bdd>> = vec![None; logic.nodes.len()];
    for &node in &logic.order {
        let info = &logic.nodes[node];
        let mut f = fail[node].clone().expect("built above");
        for need in info.write_needs() {
            let part = match need {
                WriteNeed::Serves(group) => group_fails(group, &fail, &variables, limit)?,
                WriteNeed::Writes(group) => group_fails(group, &fail_write, &variables, limit)?,
                WriteNeed::Never => variables.mk_true(),
            };
            f = apply(&f, &part, op_function::or, limit)?;
        }
        kept = kept.saturating_add(f.size());
        if kept > limit.saturating_mul(4) {
            return None;
        }
        fail_write[node] = Some(f);
    }
    let top = |targets: &[usize], families: &[Option<Bdd>]| {
        balanced(
            targets
                .iter()
                .map(|&t| families[t].clone().expect("built"))
                .collect(),
            variables.mk_true(),
            op_function::and,
            limit,
        )
    };
    let tops = logic
        .outcomes
        .iter()
        .map(|o| match o.aim {
            Aim::Writes => top(&o.targets, &fail_write),
            Aim::Requests | Aim::Jobs => top(&o.targets, &fail),
        })
        .collect::<Option<Vec<Bdd>>>()?;
    Some((variables, variable_of, tops))
}

/// A group fails when at least [`Group::fails_at`] of its members fail: all of them for
/// alternatives, n - k + 1 for a quorum of k. A threshold is built by counting, one
/// member at a time: `at[j]` is "at least j of the members so far fail", so k of n
/// costs O(n k) operations on diagrams (quorums are small; alternatives take the
/// balanced AND).
fn group_fails(
    group: &Group,
    fail: &[Option<Bdd>],
    variables: &BddVariableSet,
    limit: usize,
) -> Option<Bdd> {
    let parts: Vec<Bdd> = group
        .of
        .iter()
        .map(|&t| fail[t].clone().expect("dependencies come first"))
        .collect();
    let k = group.fails_at();
    if k == 0 {
        return Some(variables.mk_true());
    }
    if k > parts.len() {
        return Some(variables.mk_false());
    }
    if k == parts.len() {
        return balanced(parts, variables.mk_true(), op_function::and, limit);
    }
    if k == 1 {
        return balanced(parts, variables.mk_false(), op_function::or, limit);
    }
    let mut at = vec![variables.mk_false(); k + 1];
    at[0] = variables.mk_true();
    for (i, part) in parts.iter().enumerate() {
        for j in (1..=k.min(i + 1)).rev() {
            let both = apply(&at[j - 1], part, op_function::and, limit)?;
            at[j] = apply(&at[j], &both, op_function::or, limit)?;
        }
    }
    at.pop()
}

/// A Boolean operation on two diagrams that gives up (`None`) as soon as its result
/// passes `limit` nodes ([`node_budget`]): the budget holds inside each operation, not only after it
/// (a 140-server design once grew one `or` to 1.7 GB before any check ran).
fn apply(left: &Bdd, right: &Bdd, op: Op, limit: usize) -> Option<Bdd> {
    Bdd::binary_op_with_limit(limit, left, right, op)
}

/// One of biodivine's Boolean operations (`op_function::and`, `op_function::or`).
type Op = fn(Option<bool>, Option<bool>) -> Option<bool>;

/// The operation over many diagrams, combined in a balanced tree: joining n operands one
/// at a time costs the size of the growing result each time (O(n²) for a balancer with
/// 10,000 alternatives); pairwise, O(n log n). `None` past the budget.
fn balanced(mut parts: Vec<Bdd>, empty: Bdd, op: Op, limit: usize) -> Option<Bdd> {
    if parts.is_empty() {
        return Some(empty);
    }
    while parts.len() > 1 {
        let mut next = Vec::with_capacity(parts.len().div_ceil(2));
        for pair in parts.chunks(2) {
            next.push(match pair {
                [a, b] => apply(a, b, op, limit)?,
                [a] => a.clone(),
                _ => unreachable!("chunks of two"),
            });
        }
        parts = next;
    }
    parts.pop()
}

/// P(the diagram is true), events occurring with probability `q` (by variable), and the
/// probability of reaching each node from the root.
fn probability(bdd: &Bdd, q: &[f64]) -> (Vec<f64>, Vec<f64>) {
    let size = bdd.size();
    let mut p = vec![0.0; size];
    for pointer in bdd.pointers() {
        let i = pointer.to_index();
        if pointer.is_terminal() {
            p[i] = if pointer.is_one() { 1.0 } else { 0.0 };
            continue;
        }
        let (low, high) = (bdd.low_link_of(pointer), bdd.high_link_of(pointer));
        assert!(
            low.to_index() < i && high.to_index() < i,
            "biodivine stores children before parents"
        );
        let qv = q[bdd.var_of(pointer).to_index()];
        p[i] = (1.0 - qv) * p[low.to_index()] + qv * p[high.to_index()];
    }
    let mut reach = vec![0.0; size];
    let root = bdd.root_pointer();
    reach[root.to_index()] = 1.0;
    for i in (2..size).rev() {
        let pointer = BddPointer::from_index(i);
        let qv = q[bdd.var_of(pointer).to_index()];
        let r = reach[i];
        reach[bdd.low_link_of(pointer).to_index()] += r * (1.0 - qv);
        reach[bdd.high_link_of(pointer).to_index()] += r * qv;
    }
    (p, reach)
}

fn exact(model: &Model<'_>, limit: usize) -> Option<Availability> {
    let (_variables, variable_of, tops) = diagrams(model, limit)?;
    let mut q = vec![0.0; model.events.len()];
    for (event, &variable) in variable_of.iter().enumerate() {
        q[variable] = model.unavailability[event];
    }
    // P(fail) and d P(fail) / d q(v) = sum over nodes of v: reach * (P(high) - P(low));
    // d A / d a(v) is the same number (A = 1 - P(fail), a = 1 - q).
    let solve = |bdd: &Bdd| {
        let (p, reach) = probability(bdd, &q);
        let mut derivative = vec![0.0; model.events.len()];
        for (i, &r) in reach.iter().enumerate().skip(2) {
            let pointer = BddPointer::from_index(i);
            let v = bdd.var_of(pointer).to_index();
            derivative[v] += r
                * (p[bdd.high_link_of(pointer).to_index()]
                    - p[bdd.low_link_of(pointer).to_index()]);
        }
        let estimate = Estimate {
            availability: 1.0 - p[bdd.root_pointer().to_index()],
            method: Method::Exact,
        };
        let importance = ranked(model, |server| derivative[variable_of[server.index()]]);
        (estimate, importance)
    };
    let outcomes = model
        .logic
        .outcomes
        .iter()
        .zip(&tops)
        .map(|(outcome, bdd)| {
            let (estimate, importance) = solve(bdd);
            Measured {
                aim: outcome.aim,
                class: outcome.class.clone(),
                estimate,
                importance,
            }
        })
        .collect();
    Some(Availability { outcomes })
}

fn ranked(model: &Model<'_>, birnbaum: impl Fn(ServerId) -> f64) -> Vec<(ServerId, f64)> {
    let mut importance: Vec<(ServerId, f64)> = model
        .design
        .servers
        .iter()
        .map(|s| (s.id, birnbaum(s.id).max(0.0)))
        .collect();
    // Ties within rounding noise (1e-12) go by name.
    let key = |v: f64| (v * 1e12).round();
    importance.sort_by(|a, b| {
        key(b.1).total_cmp(&key(a.1)).then_with(|| {
            model
                .design
                .server(a.0)
                .name
                .value
                .cmp(&model.design.server(b.0).name.value)
        })
    });
    importance
}

/// Seeded sampling: each trial draws every event and evaluates the design once.
fn monte_carlo(model: &Model<'_>, trials: usize) -> Availability {
    let mut rng = fastrand::Rng::with_seed(SEED);
    let mut occurs = vec![false; model.events.len()];
    let mut ok = vec![0usize; model.logic.outcomes.len()];
    for _ in 0..trials {
        for (flag, &q) in occurs.iter_mut().zip(&model.unavailability) {
            *flag = rng.f64() < q;
        }
        for (count, holds) in ok.iter_mut().zip(model.outcomes(&occurs)) {
            *count += usize::from(holds);
        }
    }
    let estimate = |ok: usize| {
        let (low, high) = wilson(ok, trials);
        Estimate {
            availability: ok as f64 / trials as f64,
            method: Method::MonteCarlo { low, high, trials },
        }
    };
    Availability {
        outcomes: model
            .logic
            .outcomes
            .iter()
            .zip(ok)
            .map(|(outcome, ok)| Measured {
                aim: outcome.aim,
                class: outcome.class.clone(),
                estimate: estimate(ok),
                importance: Vec::new(),
            })
            .collect(),
    }
}

/// The 95% Wilson score interval of `ok` successes in `n` trials.
fn wilson(ok: usize, n: usize) -> (f64, f64) {
    let z = 1.959_963_984_540_054_f64;
    let n = n as f64;
    let p = ok as f64 / n;
    let centre = (p + z * z / (2.0 * n)) / (1.0 + z * z / n);
    let half = z * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt() / (1.0 + z * z / n);
    ((centre - half).max(0.0), (centre + half).min(1.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::tests::with_model;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    #[test]
    fn series_multiplies() {
        // user -> a -> b: both needed.
        with_model(
            "name: t\nservers:\n  a: { availability: 99, components: [{ kind: load_balancer }] }\n  b: { availability: 98, components: [{ kind: database }] }\nflows:\n  - { from: user, to: a, protocol: http }\n  - { from: a, to: b, protocol: mysql }\n",
            |m| {
                let found = availability(m);
                assert!(close(found.requests().estimate.availability, 0.99 * 0.98));
                assert_eq!(found.requests().estimate.method, Method::Exact);
                // Birnbaum: dA/da = the other's availability.
                let by_name: Vec<(String, f64)> = found
                    .requests()
                    .importance
                    .iter()
                    .map(|&(s, b)| (m.design.server(s).name.value.clone(), b))
                    .collect();
                // dA/db = a = 0.99 > dA/da = b = 0.98: b ranks first.
                assert_eq!(by_name[0].0, "b");
                assert!(close(by_name[0].1, 0.99));
                assert!(close(by_name[1].1, 0.98));
            },
        );
    }

    #[test]
    fn parallel_is_one_minus_both_failing() {
        with_model(
            "name: t\nservers:\n  a: { availability: 99, components: [{ kind: database }] }\n  b: { availability: 98, components: [{ kind: database }] }\nflows:\n  - { from: user, to: [a, b], protocol: mysql }\n",
            |m| {
                let found = availability(m);
                assert!(close(
                    found.requests().estimate.availability,
                    1.0 - 0.01 * 0.02
                ));
                assert!(
                    (found.requests().estimate.nines() - (-(0.01f64 * 0.02).log10())).abs() < 1e-9
                );
                // dA/da = 1 - a(b) = 0.02.
                assert!(close(
                    found
                        .requests()
                        .importance
                        .iter()
                        .find(|(s, _)| s.0 == 0)
                        .unwrap()
                        .1,
                    0.02
                ));
            },
        );
    }

    #[test]
    fn a_bridge() {
        // user -> {a, b}; a -> {c, d}; b -> d; c, d databases. Requests complete when
        // (a and (c or d)) or (b and d).
        with_model(
            "name: t\nservers:\n  a: { availability: 90, components: [{ kind: app_server }] }\n  b: { availability: 80, components: [{ kind: app_server }] }\n  c: { availability: 70, components: [{ kind: database }] }\n  d: { availability: 60, components: [{ kind: database }] }\nflows:\n  - { from: user, to: [a, b], protocol: http }\n  - { from: a, to: [c, d], protocol: mysql }\n  - { from: b, to: d, protocol: mysql }\n",
            |m| {
                let (a, b, c, d) = (0.9f64, 0.8f64, 0.7f64, 0.6f64);
                // Condition on d: up -> a or b; down -> a and c.
                let expected = d * (1.0 - (1.0 - a) * (1.0 - b)) + (1.0 - d) * (a * c);
                assert!(close(
                    availability(m).requests().estimate.availability,
                    expected
                ));
            },
        );
    }

    #[test]
    fn a_zone_that_holds_both_members_of_a_pair() {
        with_model(
            "name: t\nzones: { rack1: { availability: 99.9 } }\nservers:\n  a: { zone: rack1, availability: 99, components: [{ kind: database }] }\n  b: { zone: rack1, availability: 99, components: [{ kind: database }] }\nflows:\n  - { from: user, to: [a, b], protocol: mysql }\n",
            |m| {
                let expected = 0.999 * (1.0 - 0.01 * 0.01);
                let found = availability(m);
                assert!(
                    close(found.requests().estimate.availability, expected),
                    "{}",
                    found.requests().estimate.availability
                );
                assert!(
                    close(found.writes().unwrap().estimate.availability, expected),
                    "both are primaries"
                );
            },
        );
    }

    const QUORUM: &str = "name: t\nservers:\n  a: { availability: 99.9, components: [{ kind: database }] }\n  b: { availability: 99.9, components: [{ kind: database }] }\n  c: { availability: 99.9, components: [{ kind: database }] }\nclusters:\n  - { name: galera, members: [a, b, c], quorum: majority }\nflows:\n  - { from: user, to: galera, protocol: mysql }\n";

    #[test]
    fn two_of_three_is_one_minus_three_p_squared_plus_two_p_cubed() {
        with_model(QUORUM, |m| {
            let p = 0.001f64;
            let expected = 1.0 - 3.0 * p * p + 2.0 * p * p * p;
            let found = availability(m);
            assert!(
                (found.requests().estimate.availability - expected).abs() < 1e-12,
                "{} against {expected}",
                found.requests().estimate.availability
            );
            // Any one of three would be 1 - p^3: the quorum is what costs nines.
            assert!(
                found.requests().estimate.nines() < 5.6 && found.requests().estimate.nines() > 5.4
            );
            let sampled = monte_carlo(m, 20_000).outcomes.swap_remove(0).estimate;
            let Method::MonteCarlo { low, high, .. } = sampled.method else {
                panic!()
            };
            assert!(low <= expected && expected <= high);
        });
    }

    #[test]
    fn a_threshold_of_three_of_five_counts_every_way() {
        // k of n by brute force over every state of five servers.
        with_model(
            "name: t\nservers:\n  a: { availability: 90, components: [{ kind: database }] }\n  b: { availability: 80, components: [{ kind: database }] }\n  c: { availability: 70, components: [{ kind: database }] }\n  d: { availability: 60, components: [{ kind: database }] }\n  e: { availability: 50, components: [{ kind: database }] }\nclusters:\n  - { name: q, members: [a, b, c, d, e], quorum: 3 }\nflows:\n  - { from: user, to: q, protocol: mysql }\n",
            |m| {
                let up = [0.9, 0.8, 0.7, 0.6, 0.5];
                let mut expected = 0.0;
                for mask in 0u32..32 {
                    let p: f64 = (0..5)
                        .map(|i| {
                            if mask & (1 << i) != 0 {
                                up[i]
                            } else {
                                1.0 - up[i]
                            }
                        })
                        .product();
                    if mask.count_ones() >= 3 {
                        expected += p;
                    }
                }
                assert!(
                    (availability(m).requests().estimate.availability - expected).abs() < 1e-12
                );
            },
        );
    }

    #[test]
    fn a_diagram_past_its_budget_falls_back_inside_the_operation() {
        // Issue 23, case 10: the budget is checked inside each operation. With room for
        // a handful of nodes the exact answer gives up, and `availability` answers by
        // sampling, with its interval.
        with_model(QUORUM, |m| {
            assert!(
                exact(m, 4).is_none(),
                "four nodes cannot hold a 2-of-3 quorum"
            );
            assert!(exact(m, MAX_BDD_NODES).is_some());
            let sampled = match exact(m, 4) {
                Some(_) => unreachable!(),
                None => monte_carlo(m, 2_000),
            };
            assert!(matches!(
                sampled.requests().estimate.method,
                Method::MonteCarlo { .. }
            ));
        });
    }

    #[test]
    fn no_availability_is_zero_nines_not_minus_zero() {
        let none = Estimate {
            availability: 0.0,
            method: Method::Exact,
        };
        assert_eq!(percent(&none), "0.0000% (0.00 nines)");
    }

    #[test]
    fn monte_carlo_agrees_within_its_interval() {
        with_model(
            "name: t\nservers:\n  a: { availability: 90, components: [{ kind: app_server }] }\n  b: { availability: 80, components: [{ kind: app_server }] }\n  c: { availability: 70, components: [{ kind: database }] }\nflows:\n  - { from: user, to: [a, b], protocol: http }\n  - { from: [a, b], to: c, protocol: mysql }\n",
            |m| {
                let exact = availability(m).requests().estimate.availability;
                let sampled = monte_carlo(m, 20_000).outcomes.swap_remove(0).estimate;
                let Method::MonteCarlo { low, high, .. } = sampled.method else {
                    panic!()
                };
                assert!(low <= exact && exact <= high, "{low} <= {exact} <= {high}");
            },
        );
    }
}
