//! The tests that need a program from outside Rust: Chromium, SCRAM, pre-commit,
//! Graphviz, Node with Mermaid and D2, axe-core in Chromium, Microsoft's SARIF Multitool, xmllint with Jenkins'
//! JUnit schema, junitparser. A libtest-mimic harness, so that a test whose program is missing shows
//! as ignored with what to install (`test [needs chromium: ...] chromium::... ignored`)
//! instead of passing unseen; under `CI=true` nothing is ignored, and a missing program
//! fails its test (`.ci/run` installs them all). Everything else is in `tests/it`.

// A test reads best as one scenario from start to end: the 100-line limit is src/'s.
#![allow(clippy::too_many_lines)]

use std::path::Path;
use std::process::Command;

use libtest_mimic::{Arguments, Completion, Trial};

// The helpers `it` shares (dead code allowed inside).
#[path = "../it/common/mod.rs"]
mod common;
// Modules of `it` with a test of theirs that needs a program: their `#[test]`s are
// compiled only in `it`, their other items here.
#[allow(dead_code)]
#[path = "../it/diagrams.rs"]
mod diagrams;
#[allow(dead_code)]
#[path = "../it/formats.rs"]
mod formats;

mod chromium;
mod precommit;
mod scram;

/// A program some tests need: how the harness looks for it, and how to install it.
struct Program {
    name: &'static str,
    install: &'static str,
    present: fn() -> bool,
}

fn runs(program: &str, arg: &str) -> bool {
    Command::new(program)
        .arg(arg)
        .output()
        .is_ok_and(|o| o.status.success())
}

fn under_target(path: &str) -> bool {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path).exists()
}

const CHROMIUM: Program = Program {
    name: "chromium",
    install: "apt-get install chromium",
    present: || {
        ["chromium", "chromium-browser", "google-chrome"]
            .into_iter()
            .any(|c| runs(c, "--version"))
    },
};
const SCRAM: Program = Program {
    name: "scram",
    install: "apt-get install scram",
    present: || runs("scram", "--version"),
};
const PRE_COMMIT: Program = Program {
    name: "pre-commit",
    install: "apt-get install pre-commit",
    present: || runs("pre-commit", "--version"),
};
const GRAPHVIZ: Program = Program {
    name: "graphviz",
    install: "apt-get install graphviz",
    present: || runs("dot", "-V"),
};
const MERMAID_D2: Program = Program {
    name: "node, mermaid and d2",
    install: "apt-get install nodejs npm; npm ci --prefix target/mermaid (see .ci/run)",
    present: || {
        runs("node", "--version")
            && under_target("target/mermaid/node_modules/mermaid")
            && under_target("target/mermaid/node_modules/@terrastruct/d2")
    },
};
const MULTITOOL: Program = Program {
    name: "sarif-multitool",
    install: "npm install --prefix target/sarif-multitool @microsoft/sarif-multitool@5.7.0",
    present: || {
        runs("node", "--version")
            && under_target("target/sarif-multitool/node_modules/.bin/sarif-multitool")
    },
};
const XMLLINT: Program = Program {
    name: "xmllint and junit-10.xsd",
    install: "apt-get install libxml2-utils; the schema into target/junit-xsd (see .ci/run)",
    present: || runs("xmllint", "--version") && under_target("target/junit-xsd/junit-10.xsd"),
};
const JUNITPARSER: Program = Program {
    name: "junitparser",
    install: "apt-get install python3-junitparser",
    present: || {
        Command::new("/usr/bin/python3")
            .args(["-c", "import junitparser"])
            .output()
            .is_ok_and(|o| o.status.success())
    },
};
const MERMAID_IN_CHROMIUM: Program = Program {
    name: "chromium and mermaid",
    install: "apt-get install chromium nodejs npm; npm ci --prefix target/mermaid (see .ci/run)",
    present: || {
        (CHROMIUM.present)()
            && under_target("target/mermaid/node_modules/mermaid/dist/mermaid.min.js")
    },
};
const AXE: Program = Program {
    name: "chromium and axe-core",
    install: "apt-get install chromium nodejs npm; npm ci --prefix target/axe (see .ci/run)",
    present: || (CHROMIUM.present)() && under_target("target/axe/node_modules/axe-core/axe.min.js"),
};
/// Only git, which every clone has.
const NOTHING: Program = Program {
    name: "",
    install: "",
    present: || true,
};

/// A test of `program`: where the program is missing (and `CI` is not set), ignored
/// with what to install; under `CI=true` always run.
fn trial(name: &str, program: &'static Program, test: fn()) -> Trial {
    Trial::ignorable_test(name, move || {
        if std::env::var_os("CI").is_none() && !(program.present)() {
            return Ok(Completion::ignored_with(format!(
                "needs {}: {}",
                program.name, program.install
            )));
        }
        test();
        Ok(Completion::Completed)
    })
}

fn main() {
    let args = Arguments::from_args();
    let trials = vec![
        trial(
            "chromium::labels_fit_their_boxes_in_chromium",
            &CHROMIUM,
            chromium::labels_fit_their_boxes_in_chromium,
        ),
        trial(
            "chromium::a_report_page_shows_its_diagram_in_chromium",
            &CHROMIUM,
            chromium::a_report_page_shows_its_diagram_in_chromium,
        ),
        trial(
            "chromium::no_script_from_a_hostile_design_runs_in_chromium",
            &CHROMIUM,
            chromium::no_script_from_a_hostile_design_runs_in_chromium,
        ),
        trial(
            "chromium::a_server_fails_by_clicking_in_the_report_page",
            &CHROMIUM,
            chromium::a_server_fails_by_clicking_in_the_report_page,
        ),
        trial(
            "chromium::request_classes_fail_apart_in_the_report_page",
            &CHROMIUM,
            chromium::request_classes_fail_apart_in_the_report_page,
        ),
        trial(
            "chromium::the_what_if_page_stops_what_simulate_stops",
            &CHROMIUM,
            chromium::the_what_if_page_stops_what_simulate_stops,
        ),
        trial(
            "chromium::mermaid_pictures_read_in_chromium",
            &MERMAID_IN_CHROMIUM,
            chromium::mermaid_pictures_read_in_chromium,
        ),
        trial(
            "chromium::report_pages_pass_axe_core",
            &AXE,
            chromium::report_pages_pass_axe_core,
        ),
        trial(
            "scram::scram_agrees_on_probabilities_and_cut_sets",
            &SCRAM,
            scram::scram_agrees_on_probabilities_and_cut_sets,
        ),
        trial(
            "precommit::the_system_hook_checks_designs_only",
            &PRE_COMMIT,
            precommit::the_system_hook_checks_designs_only,
        ),
        trial(
            "precommit::the_release_the_docs_name_is_this_version",
            &NOTHING,
            precommit::the_release_the_docs_name_is_this_version,
        ),
        trial(
            "diagrams::no_more_crossings_than_graphviz",
            &GRAPHVIZ,
            diagrams::no_more_crossings_than_graphviz,
        ),
        trial(
            "diagrams::graphviz_places_every_picture_in_our_style",
            &GRAPHVIZ,
            diagrams::graphviz_places_every_picture_in_our_style,
        ),
        trial(
            "diagrams::mermaid_and_d2_outputs_are_read_by_the_real_tools",
            &MERMAID_D2,
            diagrams::mermaid_and_d2_outputs_are_read_by_the_real_tools,
        ),
        trial(
            "formats::sarif_passes_the_sarif_multitool",
            &MULTITOOL,
            formats::sarif_passes_the_sarif_multitool,
        ),
        trial(
            "formats::junit_is_valid_against_jenkins_schema",
            &XMLLINT,
            formats::junit_is_valid_against_jenkins_schema,
        ),
        trial(
            "formats::junit_reads_in_junitparser",
            &JUNITPARSER,
            formats::junit_reads_in_junitparser,
        ),
    ];
    libtest_mimic::run(&args, trials).exit();
}
