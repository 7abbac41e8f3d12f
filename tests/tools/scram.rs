//! The failure analysis checked by the field's own tool: every shipped design and
//! analysis fixture is exported as an Open-PSA MEF fault tree, SCRAM (Debian's `scram`)
//! computes its top events' probabilities and minimal cut sets with its own BDD, and
//! they must be ours: the probability to SCRAM's six significant digits, the cut sets of
//! servers exactly. Under `CI=true` SCRAM is required (`.ci/run` installs it); elsewhere
//! the test says it was skipped.

use crate::common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use infralint::analysis::{self, Model};
use infralint::graph::Graph;

fn scram() -> bool {
    Command::new("scram")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

struct Top {
    probability: f64,
    products: BTreeSet<BTreeSet<String>>,
}

/// SCRAM's report: each top event's probability and products (basic-event names).
fn run_scram(mef: &Path) -> Vec<(String, Top)> {
    let output = Command::new("scram")
        .args(["--bdd", "--probability", "1"])
        .arg(mef)
        .output()
        .expect("scram runs");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "scram failed on {}: {}{text}",
        mef.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    let document = roxmltree::Document::parse(&text).expect("scram's report is XML");
    document
        .descendants()
        .filter(|n| n.has_tag_name("sum-of-products"))
        .map(|n| {
            let products = n
                .children()
                .filter(|p| p.has_tag_name("product"))
                .map(|p| {
                    p.children()
                        .filter(|e| e.has_tag_name("basic-event"))
                        .map(|e| e.attribute("name").unwrap().to_string())
                        .collect()
                })
                .collect();
            (
                n.attribute("name").unwrap().to_string(),
                Top {
                    probability: n
                        .attribute("probability")
                        .map_or(0.0, |p| p.parse().unwrap()),
                    products,
                },
            )
        })
        .collect()
}

pub(crate) fn scram_agrees_on_probabilities_and_cut_sets() {
    if !scram() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI=true and no scram: .ci/run installs Debian's `scram`"
        );
        eprintln!("SKIPPED: no scram on this machine; install Debian's `scram` to run this check");
        return;
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut designs: Vec<PathBuf> = std::fs::read_dir(root.join("designs"))
        .unwrap()
        .chain(std::fs::read_dir(root.join("tests/fixtures/analysis")).unwrap())
        .map(|e| e.unwrap().path())
        .collect();
    designs.extend(
        [
            "AV001/invalid_required_kinds.yaml",
            "AV001/valid_optional_and_alternatives.yaml",
            "edge/externals_in_front_and_behind.yaml",
            "edge/cycles.yaml",
        ]
        .iter()
        .map(|f| root.join("tests/fixtures").join(f)),
    );
    designs.sort();
    let dir = tempfile::tempdir().unwrap();
    for path in designs {
        let report = common::report(&path);
        let design = report.design.as_ref().unwrap();
        let graph = Graph::build(design);
        let model = Model::new(&graph);
        let mef = dir.path().join("design.xml");
        std::fs::write(&mef, analysis::mef::export(&model)).unwrap();
        let tops = run_scram(&mef);
        let ours = analysis::availability::availability(&model);
        let servers = design.servers.len();
        let cuts = analysis::cuts::cuts(&model, servers);
        let names = analysis::mef::event_names(&model);
        let server_events: BTreeSet<&str> = names[..servers].iter().map(String::as_str).collect();
        let trees = analysis::mef::tree_names(&model.logic);
        let outcomes: Vec<(&str, f64, &Vec<Vec<_>>, bool)> = trees
            .iter()
            .zip(&ours.outcomes)
            .zip(&cuts.outcomes)
            .map(|((tree, measured), cut)| {
                (
                    tree.gate.as_str(),
                    1.0 - measured.estimate.availability,
                    &cut.sets,
                    cut.complete,
                )
            })
            .collect();
        // One top event per outcome that `availability` prints, and no other.
        let their_tops: BTreeSet<&str> = tops.iter().map(|(name, _)| name.as_str()).collect();
        let our_tops: BTreeSet<&str> = outcomes.iter().map(|o| o.0).collect();
        assert_eq!(their_tops, our_tops, "{}: top events", path.display());
        for (top, unavailability, our_cuts, complete) in outcomes {
            let place = format!("{}: {top}", path.display());
            let Some((_, theirs)) = tops.iter().find(|(name, _)| name == top) else {
                panic!("{place}: scram reported no such top event");
            };
            // SCRAM prints six significant digits.
            let tolerance = 1e-5 * theirs.probability.abs().max(1e-300) + 1e-15;
            assert!(
                (theirs.probability - unavailability).abs() <= tolerance,
                "{place}: scram {} against ours {unavailability}",
                theirs.probability
            );
            let their_server_cuts: BTreeSet<BTreeSet<String>> = theirs
                .products
                .iter()
                .filter(|p| p.iter().all(|e| server_events.contains(e.as_str())))
                .cloned()
                .collect();
            // Nothing ever completes: SCRAM's one product is the empty set.
            let our_server_cuts: BTreeSet<BTreeSet<String>> = if complete {
                our_cuts
                    .iter()
                    .map(|set| set.iter().map(|s| names[s.index()].clone()).collect())
                    .collect()
            } else {
                BTreeSet::from([BTreeSet::new()])
            };
            assert_eq!(their_server_cuts, our_server_cuts, "{place}");
        }
        eprintln!(
            "{}: scram agrees on {} outcome{} ({} cut sets of servers; unavailability of requests {:.6e})",
            path.display(),
            cuts.outcomes.len(),
            if cuts.outcomes.len() == 1 { "" } else { "s" },
            cuts.outcomes.iter().map(|o| o.sets.len()).sum::<usize>(),
            1.0 - ours.requests().estimate.availability
        );
    }
}
