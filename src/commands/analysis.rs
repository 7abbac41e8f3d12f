//! `simulate`, `cuts`, `availability` and `export`: the failure analysis of one design.

use std::fmt::Write as _;
use std::io::Write as _;

use serde::Serialize;

use crate::analysis::availability::{Estimate, Method};
use crate::analysis::simulate::node_name;
use crate::analysis::{self, Model};
use crate::cli::{AnalysisFormat, AvailabilityArgs, CutsArgs, ExportArgs, SimulateArgs};
use crate::discover::Candidate;
use crate::graph::Graph;
use crate::model::{Design, ServerId, and_join, suggest};
use crate::source::terminal_safe;
use crate::{CheckOptions, Checked, FileReport, check_file, output, render};

/// Reads and checks one design; `Err` is the exit code after its errors were printed.
fn load(path: &std::path::Path) -> Result<FileReport, u8> {
    let candidate = Candidate {
        path: path.to_path_buf(),
        walked: false,
    };
    let report = match check_file(&candidate, &CheckOptions::default()) {
        Checked::Report(report) => *report,
        Checked::NotADesign(_) => unreachable!("a named file is always checked"),
    };
    if report.design.is_none() {
        eprint!(
            "{}",
            render::text::render(std::slice::from_ref(&report), render::text::Style::PLAIN)
        );
        return Err(2);
    }
    Ok(report)
}

/// Loads one design and runs `analyse` on it with its fault model; a design that does
/// not check ends the command with its errors printed (exit 2).
fn with_model(path: &std::path::Path, analyse: impl FnOnce(&FileReport, &Model<'_>) -> u8) -> u8 {
    let report = match load(path) {
        Ok(report) => report,
        Err(code) => return code,
    };
    let design = report.design.as_ref().expect("loaded");
    let graph = Graph::build(design);
    let model = Model::new(&graph);
    analyse(&report, &model)
}

fn out(text: &str) -> u8 {
    let mut lock = std::io::stdout().lock();
    let _ = lock.write_all(text.as_bytes()).and_then(|()| lock.flush());
    0
}

fn server_name(design: &Design, server: ServerId) -> String {
    design.server(server).name.value.clone()
}

/// The servers named, or an error that says which name is none (with did-you-mean).
fn servers_named(design: &Design, names: &[String]) -> Result<Vec<ServerId>, String> {
    names
        .iter()
        .map(|name| {
            design
                .servers
                .iter()
                .find(|s| &s.name.value == name)
                .map(|s| s.id)
                .ok_or_else(|| {
                    let near = suggest(name, design.servers.iter().map(|s| s.name.value.as_str()))
                        .map(|n| format!(" (did you mean `{n}`?)"))
                        .unwrap_or_default();
                    format!("no server `{name}` in the design{near}")
                })
        })
        .collect()
}

/// The servers of the zones named.
fn servers_in_zones(design: &Design, zones: &[String]) -> Result<Vec<ServerId>, String> {
    let mut known: Vec<&str> = design
        .servers
        .iter()
        .filter_map(|s| s.zone.as_ref().map(|z| &*z.value))
        .chain(design.zones.iter().map(|z| z.name.value.as_str()))
        .collect();
    known.sort();
    known.dedup();
    let mut servers = Vec::new();
    for zone in zones {
        if !known.contains(&zone.as_str()) {
            let near = suggest(zone, known.iter().copied())
                .map(|n| format!(" (did you mean `{n}`?)"))
                .unwrap_or_default();
            return Err(format!("no server sits in a zone `{zone}`{near}"));
        }
        servers.extend(
            design
                .servers
                .iter()
                .filter(|s| s.zone.as_ref().is_some_and(|z| *z.value == **zone))
                .map(|s| s.id),
        );
    }
    Ok(servers)
}

#[derive(Serialize)]
struct SimulationJson {
    failed: Vec<String>,
    failed_zones: Vec<String>,
    requests: OutcomeJson,
    writes: OutcomeJson,
}

#[derive(Serialize)]
struct OutcomeJson {
    complete: bool,
    /// The hops of one surviving path, `FROM -> TO`.
    path: Vec<String>,
    /// Why nothing completes, from the user's targets down.
    why: Vec<String>,
}

pub fn simulate(args: &SimulateArgs) -> u8 {
    with_model(&args.design, |report, model| {
        let design = model.design;
        let mut failed = match servers_named(design, &args.fail) {
            Ok(found) => found,
            Err(message) => {
                eprintln!("error: {}", terminal_safe(&message));
                return 2;
            }
        };
        match servers_in_zones(design, &args.fail_zone) {
            Ok(found) => failed.extend(found),
            Err(message) => {
                eprintln!("error: {}", terminal_safe(&message));
                return 2;
            }
        }
        let sim = analysis::simulate::simulate(model, &failed);
        let hop = |&(a, b): &(usize, usize)| {
            format!("{} -> {}", node_name(model, a), node_name(model, b))
        };
        let outcome = |o: &analysis::simulate::Outcome| OutcomeJson {
            complete: o.complete,
            path: o.path.iter().map(hop).collect(),
            why: o.why.iter().map(|(_, t)| t.clone()).collect(),
        };
        if let Some(svg) = &args.svg {
            let picture = crate::diagram::build_what_if(design, &report.findings, &sim, model);
            let written = match output::resolve(svg, std::slice::from_ref(&args.design)) {
                Ok(target) => output::write(&target, render::svg::render(&picture).as_bytes())
                    .map_err(|e| e.to_string()),
                Err(message) => Err(message),
            };
            if let Err(message) = written {
                eprintln!(
                    "error: cannot write `{}`: {}",
                    terminal_safe(&svg.display().to_string()),
                    terminal_safe(&message)
                );
                return 2;
            }
        }
        let failed_names: Vec<String> =
            sim.failed.iter().map(|&s| server_name(design, s)).collect();
        match args.format {
            AnalysisFormat::Json => {
                let json = SimulationJson {
                    failed: failed_names,
                    failed_zones: args.fail_zone.clone(),
                    requests: outcome(&sim.requests),
                    writes: outcome(&sim.writes),
                };
                out(&format!(
                    "{}\n",
                    serde_json::to_string_pretty(&json).expect("plain data")
                ))
            }
            AnalysisFormat::Text => {
                let mut text = String::new();
                let shown: Vec<String> = failed_names.iter().map(|n| format!("`{n}`")).collect();
                let _ = writeln!(
                    text,
                    "failed: {}",
                    if shown.is_empty() {
                        "nothing".to_string()
                    } else {
                        and_join(&shown)
                    }
                );
                for (what, o) in [("requests", &sim.requests), ("writes", &sim.writes)] {
                    if o.complete {
                        let _ = writeln!(text, "{what} complete, for example by:");
                        for h in &o.path {
                            let _ = writeln!(text, "  {}", hop(h));
                        }
                    } else {
                        let _ = writeln!(text, "{what} stop:");
                        for (depth, line) in &o.why {
                            let _ = writeln!(text, "  {}{line}", "  ".repeat(*depth));
                        }
                    }
                }
                out(&terminal_safe(&text))
            }
        }
    })
}

#[derive(Serialize)]
struct CutsJson {
    max_size: usize,
    requests: Vec<Vec<String>>,
    writes: Vec<Vec<String>>,
    /// Zones that hold a whole cut: `{ "zone": ..., "cut": [...] }`.
    zones: Vec<ZoneCutJson>,
    requests_complete: bool,
    writes_complete: bool,
    /// False when the design takes no writes (no primary database).
    takes_writes: bool,
}

#[derive(Serialize)]
struct ZoneCutJson {
    zone: String,
    cut: Vec<String>,
}

pub fn cuts(args: &CutsArgs) -> u8 {
    with_model(&args.design, |_, model| {
        let design = model.design;
        let found = analysis::cuts::cuts(model, args.max_size);
        let names = |set: &Vec<ServerId>| -> Vec<String> {
            let mut names: Vec<String> = set.iter().map(|&s| server_name(design, s)).collect();
            names.sort();
            names
        };
        let requests: Vec<Vec<String>> = found.requests.iter().map(names).collect();
        let writes: Vec<Vec<String>> = found.writes.iter().map(names).collect();
        let zones: Vec<ZoneCutJson> = found
            .zone_cuts
            .iter()
            .map(|(z, cut)| ZoneCutJson {
                zone: model.zone_names[*z].clone(),
                cut: names(cut),
            })
            .collect();
        match args.format {
            AnalysisFormat::Json => out(&format!(
                "{}\n",
                serde_json::to_string_pretty(&CutsJson {
                    max_size: args.max_size,
                    requests,
                    writes,
                    zones,
                    requests_complete: found.requests_complete,
                    writes_complete: found.writes_complete,
                    takes_writes: found.takes_writes,
                })
                .expect("plain data")
            )),
            AnalysisFormat::Text => {
                let mut text = String::new();
                for (what, complete, sets) in [
                    ("request", found.requests_complete, &requests),
                    ("write", found.writes_complete, &writes),
                ] {
                    if what == "write" && !found.takes_writes {
                        let _ = writeln!(
                            text,
                            "writes: none, the design takes no writes (it has no primary database)\n"
                        );
                        continue;
                    }
                    if !complete {
                        let _ = writeln!(text, "no {what} completes even with every server up\n");
                        continue;
                    }
                    let _ = writeln!(
                        text,
                        "every {what} stops when one of these fails ({} of at most {}):",
                        crate::model::plural(sets.len(), "set", "sets"),
                        crate::model::plural(args.max_size, "server", "servers"),
                    );
                    if sets.is_empty() {
                        let _ = writeln!(text, "  none");
                    }
                    for set in sets {
                        let zone = zones
                            .iter()
                            .find(|z| &z.cut == set)
                            .map(|z| format!("    (zone `{}` holds it)", z.zone))
                            .unwrap_or_default();
                        let _ = writeln!(text, "  {}{zone}", set.join(" + "));
                    }
                    text.push('\n');
                }
                out(&terminal_safe(&text))
            }
        }
    })
}

#[derive(Serialize)]
struct EstimateJson {
    availability: f64,
    nines: f64,
    method: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    interval: Option<[f64; 2]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    trials: Option<usize>,
}

#[derive(Serialize)]
struct ImportanceJson {
    server: String,
    birnbaum: f64,
}

#[derive(Serialize)]
struct AvailabilityJson {
    requests: EstimateJson,
    /// `null` when the design takes no writes (no primary database).
    writes: Option<EstimateJson>,
    /// Birnbaum importance for requests.
    importance: Vec<ImportanceJson>,
    /// Birnbaum importance for writes (empty without writes).
    write_importance: Vec<ImportanceJson>,
    /// Servers that state no availability, for which the default was used.
    defaulted: Vec<String>,
    default_availability: f64,
}

fn importance_json(design: &Design, list: &[(ServerId, f64)]) -> Vec<ImportanceJson> {
    list.iter()
        .map(|&(server, birnbaum)| ImportanceJson {
            server: server_name(design, server),
            birnbaum,
        })
        .collect()
}

fn estimate_json(estimate: &Estimate) -> EstimateJson {
    let (method, interval, trials) = match estimate.method {
        Method::Exact => ("exact", None, None),
        Method::MonteCarlo { low, high, trials } => {
            ("monte-carlo", Some([low, high]), Some(trials))
        }
    };
    EstimateJson {
        availability: estimate.availability,
        nines: (estimate.nines() * 100.0).round() / 100.0,
        method,
        interval,
        trials,
    }
}

pub fn availability(args: &AvailabilityArgs) -> u8 {
    with_model(&args.design, |_, model| {
        let design = model.design;
        let found = analysis::availability::availability(model);
        let defaulted: Vec<String> = model
            .defaulted
            .iter()
            .map(|&s| server_name(design, s))
            .collect();
        match args.format {
            AnalysisFormat::Json => out(&format!(
                "{}\n",
                serde_json::to_string_pretty(&AvailabilityJson {
                    requests: estimate_json(&found.requests),
                    writes: found.writes.as_ref().map(estimate_json),
                    importance: importance_json(design, &found.importance),
                    write_importance: importance_json(design, &found.write_importance),
                    defaulted,
                    default_availability: analysis::DEFAULT_SERVER_AVAILABILITY,
                })
                .expect("plain data")
            )),
            AnalysisFormat::Text => {
                let mut text = String::new();
                for (what, estimate) in [
                    ("requests", Some(&found.requests)),
                    ("writes", found.writes.as_ref()),
                ] {
                    let Some(estimate) = estimate else {
                        let _ = writeln!(
                            text,
                            "{what}: none, the design takes no writes (it has no primary database)"
                        );
                        continue;
                    };
                    let method = match estimate.method {
                        Method::Exact => "exact".to_string(),
                        Method::MonteCarlo { low, high, trials } => format!(
                            "Monte Carlo, {trials} trials, 95% between {:.4}% and {:.4}%",
                            low * 100.0,
                            high * 100.0
                        ),
                    };
                    let _ = writeln!(
                        text,
                        "{what} complete {}, {method}",
                        analysis::availability::percent(estimate)
                    );
                }
                let width = design
                    .servers
                    .iter()
                    .map(|s| s.name.value.len())
                    .max()
                    .unwrap_or(0);
                // One list when writes rank the servers as requests do.
                let same = found.write_importance == found.importance;
                let first = match (&found.writes, same) {
                    (Some(_), true) => "requests and writes",
                    _ => "requests",
                };
                for (what, list) in [
                    (first, &found.importance),
                    ("writes", &found.write_importance),
                ] {
                    if list.is_empty() || (what == "writes" && same) {
                        continue;
                    }
                    let _ = writeln!(
                        text,
                        "\nservers by Birnbaum importance for {what} (how much the availability of {what} rises per unit of theirs):"
                    );
                    for &(s, b) in list {
                        let _ = writeln!(text, "  {:width$}  {b:.6}", design.server(s).name.value);
                    }
                }
                if !defaulted.is_empty() {
                    let shown: Vec<String> = defaulted.iter().map(|n| format!("`{n}`")).collect();
                    let _ = writeln!(
                        text,
                        "\nnote: {} state{} no availability; {}% was assumed (write `availability: 99.95` on a server)",
                        and_join(&shown),
                        if defaulted.len() == 1 { "s" } else { "" },
                        analysis::DEFAULT_SERVER_AVAILABILITY
                    );
                }
                out(&terminal_safe(&text))
            }
        }
    })
}

pub fn export(args: &ExportArgs) -> u8 {
    with_model(&args.design, |_, model| {
        let xml = analysis::mef::export(model);
        let target = match args.output.as_deref() {
            None => output::Target::Stdout,
            Some(path) => match output::resolve(path, std::slice::from_ref(&args.design)) {
                Ok(target) => target,
                Err(message) => {
                    eprintln!("error: {}", terminal_safe(&message));
                    return 2;
                }
            },
        };
        match output::write(&target, xml.as_bytes()) {
            Ok(()) => 0,
            Err(e) => {
                eprintln!("error: cannot write the export: {e}");
                2
            }
        }
    })
}
