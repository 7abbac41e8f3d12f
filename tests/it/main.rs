//! Every integration test, in one binary: each module links the whole dependency tree
//! once instead of once per file (as zizmor keeps its tests). New integration tests go
//! here, as a module of their own; one that needs a program from outside Rust goes in
//! `tests/tools/` (ignored, saying what to install, where the program is missing).

// A test reads best as one scenario from start to end: the 100-line limit is src/'s.
#![allow(clippy::too_many_lines)]

#[path = "../../benches/support/budgets.rs"]
mod budgets;
mod common;

mod analysis;
mod baseline;
mod cli;
mod config;
mod design_errors;
mod designs;
mod diagrams;
mod editor;
mod expectations;
mod fixes;
mod formats;
mod fuzz_regressions;
mod hostile;
mod lsp;
mod meta;
mod oracle;
mod outputs;
mod properties;
mod readme;
mod reports;
mod rule_docs;
mod rules;
mod schema;
