//! `simulate`, `cuts`, `availability` and `export`: the failure analysis of one design.

use std::fmt::Write as _;
use std::io::Write as _;

use serde::Serialize;

use crate::analysis::availability::{Estimate, Method};
use crate::analysis::simulate::node_name;
use crate::analysis::{self, Model};
use crate::checked::{Checked, FileReport};
use crate::cli::{AnalysisFormat, AvailabilityArgs, CutsArgs, ExportArgs, SimulateArgs};
use crate::discover::Candidate;
use crate::graph::{Aim, Graph};
use crate::model::{Design, ServerId};
use crate::prose::{and_join, suggest};
use crate::source::terminal_safe;
use crate::{CheckOptions, ExitStatus, check_file, output, pictures, reporters};

/// How deep `simulate` indents its reasons; deeper ones are shown at this depth.
const MAX_INDENT: usize = 12;

/// Reads and checks one design; `Err` is the exit code after its errors were printed.
fn load(path: &std::path::Path) -> Result<FileReport, ExitStatus> {
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
            reporters::text::render(std::slice::from_ref(&report), reporters::text::Style::PLAIN)
        );
        return Err(ExitStatus::Error);
    }
    Ok(report)
}

/// Loads one design and runs `analyse` on it with its fault model; a design that does
/// not check ends the command with its errors printed (exit 2).
fn with_model(
    path: &std::path::Path,
    analyse: impl FnOnce(&FileReport, &Model<'_>) -> ExitStatus,
) -> ExitStatus {
    let report = match load(path) {
        Ok(report) => report,
        Err(code) => return code,
    };
    let design = report.design.as_ref().expect("loaded");
    let graph = Graph::build(design);
    let model = Model::new(&graph);
    analyse(&report, &model)
}

fn out(text: &str) -> ExitStatus {
    let mut lock = std::io::stdout().lock();
    let _ = lock.write_all(text.as_bytes()).and_then(|()| lock.flush());
    ExitStatus::Success
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
    #[serde(flatten)]
    outcomes: ByClass<OutcomeJson>,
}

/// Outcomes as the machine formats key them: the first class's `requests` and `writes`
/// at the top (the default class: the user's flows without `request:`), every named
/// request class under `classes`, every worker service's jobs under `jobs`.
#[derive(Serialize)]
struct ByClass<T> {
    requests: T,
    /// `null` when the design takes no writes (in `availability`).
    writes: Option<T>,
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    classes: std::collections::BTreeMap<String, ClassJson<T>>,
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    jobs: std::collections::BTreeMap<String, T>,
}

#[derive(Serialize)]
struct ClassJson<T> {
    requests: Option<T>,
    #[serde(skip_serializing_if = "Option::is_none")]
    writes: Option<T>,
}

impl<T: Clone> ByClass<T> {
    /// From the outcomes in the logic's order (each with its aim and class): the
    /// first is the first class's requests, its writes (if any) next. A named first
    /// class (the user starts no default one) is under `classes` too.
    fn of(
        outcomes: Vec<(Aim, Option<String>, T)>,
        first_writes: impl FnOnce() -> Option<T>,
    ) -> ByClass<T> {
        let first_class = outcomes.first().and_then(|o| o.1.clone());
        let requests = outcomes.first().expect("a request class always").2.clone();
        let writes = match outcomes.get(1) {
            Some((Aim::Writes, class, value)) if *class == first_class => Some(value.clone()),
            _ => first_writes(),
        };
        let mut classes: std::collections::BTreeMap<String, ClassJson<T>> =
            std::collections::BTreeMap::new();
        let mut jobs = std::collections::BTreeMap::new();
        for (aim, class, value) in outcomes {
            let Some(class) = class else { continue };
            match aim {
                Aim::Jobs => {
                    jobs.insert(class, value);
                }
                Aim::Requests => {
                    classes
                        .entry(class)
                        .or_insert(ClassJson {
                            requests: None,
                            writes: None,
                        })
                        .requests = Some(value);
                }
                Aim::Writes => {
                    classes
                        .entry(class)
                        .or_insert(ClassJson {
                            requests: None,
                            writes: None,
                        })
                        .writes = Some(value);
                }
            }
        }
        ByClass {
            requests,
            writes,
            classes,
            jobs,
        }
    }
}

#[derive(Clone, Serialize)]
struct OutcomeJson {
    complete: bool,
    /// The hops of one surviving path, `FROM -> TO`.
    path: Vec<String>,
    /// Why nothing completes, from the user's targets down.
    why: Vec<String>,
}

pub fn simulate(args: &SimulateArgs) -> ExitStatus {
    with_model(&args.design, |report, model| {
        let design = model.design;
        let mut failed = match servers_named(design, &args.fail) {
            Ok(found) => found,
            Err(message) => {
                eprintln!("error: {}", terminal_safe(&message));
                return ExitStatus::Error;
            }
        };
        match servers_in_zones(design, &args.fail_zone) {
            Ok(found) => failed.extend(found),
            Err(message) => {
                eprintln!("error: {}", terminal_safe(&message));
                return ExitStatus::Error;
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
        if let Some(svg) = &args.svg
            && !write_what_if(svg, &args.design, report, model, &sim)
        {
            return ExitStatus::Error;
        }
        // As `check` exits 1 on a finding: 1 when an outcome stops.
        let stopped = sim.outcomes.iter().any(|o| !o.complete);
        let status = |printed: ExitStatus| match (printed, stopped) {
            (ExitStatus::Success, true) => ExitStatus::Failure,
            (printed, _) => printed,
        };
        let failed_names: Vec<String> =
            sim.failed.iter().map(|&s| server_name(design, s)).collect();
        match args.format {
            AnalysisFormat::Json => {
                let json = SimulationJson {
                    failed: failed_names,
                    failed_zones: args.fail_zone.clone(),
                    outcomes: ByClass::of(
                        sim.outcomes
                            .iter()
                            .map(|o| (o.aim, o.class.clone(), outcome(o)))
                            .collect(),
                        || None,
                    ),
                };
                status(out(&format!(
                    "{}\n",
                    serde_json::to_string_pretty(&json).expect("plain data")
                )))
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
                for o in &sim.outcomes {
                    let what = o.name();
                    if o.complete {
                        let _ = writeln!(text, "{what} complete, for example by:");
                        for h in &o.path {
                            let _ = writeln!(text, "  {}", hop(h));
                        }
                    } else {
                        let _ = writeln!(text, "{what} stop:");
                        // Indented by depth up to a limit: a chain thousands deep stays
                        // output in proportion to the design.
                        for (depth, line) in &o.why {
                            let indent = "  ".repeat((*depth).min(MAX_INDENT));
                            let _ = writeln!(text, "  {indent}{line}");
                        }
                    }
                }
                status(out(&terminal_safe(&text)))
            }
        }
    })
}

/// `simulate --svg OUT`: the what-if picture, written whole, and said; false after
/// saying why it could not be written.
fn write_what_if(
    svg: &std::path::Path,
    design_path: &std::path::Path,
    report: &FileReport,
    model: &Model<'_>,
    sim: &analysis::simulate::Simulation,
) -> bool {
    let picture = crate::diagram::build_what_if(model.design, &report.findings, sim, model);
    let written = match output::resolve(svg, &[design_path.to_path_buf()]) {
        Ok(target) => output::write(&target, pictures::svg::render(&picture).as_bytes())
            .map_err(|e| e.to_string()),
        Err(message) => Err(message),
    };
    match written {
        Ok(()) => {
            if svg.as_os_str() != "-" {
                say!("wrote {}", crate::source::display_path(svg));
            }
            true
        }
        Err(message) => {
            eprintln!(
                "error: cannot write `{}`: {}",
                terminal_safe(&svg.display().to_string()),
                terminal_safe(&message)
            );
            false
        }
    }
}

#[derive(Serialize)]
struct CutsJson {
    max_size: usize,
    /// Set when the sets of `max_size` would pass the enumeration budget: the largest
    /// size enumerated (every set up to it is listed; larger ones may exist).
    #[serde(skip_serializing_if = "Option::is_none")]
    searched_size: Option<usize>,
    requests: Vec<Vec<String>>,
    writes: Vec<Vec<String>>,
    /// Zones that hold a whole cut: `{ "zone": ..., "cut": [...] }`.
    zones: Vec<ZoneCutJson>,
    requests_complete: bool,
    writes_complete: bool,
    /// False when the design takes no writes (no primary database).
    takes_writes: bool,
    /// Named request classes: `{ "requests": { "complete": .., "sets": [..] }, .. }`.
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    classes: std::collections::BTreeMap<String, ClassJson<CutSetsJson>>,
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    jobs: std::collections::BTreeMap<String, CutSetsJson>,
}

#[derive(Clone, Serialize)]
struct CutSetsJson {
    complete: bool,
    sets: Vec<Vec<String>>,
}

#[derive(Serialize)]
struct ZoneCutJson {
    zone: String,
    cut: Vec<String>,
}

pub fn cuts(args: &CutsArgs) -> ExitStatus {
    with_model(&args.design, |_, model| {
        let design = model.design;
        let found = analysis::cuts::cuts(model, args.max_size);
        let names = |set: &Vec<ServerId>| -> Vec<String> {
            let mut names: Vec<String> = set.iter().map(|&s| server_name(design, s)).collect();
            names.sort();
            names
        };
        let logic = &model.logic;
        let sets: Vec<Vec<Vec<String>>> = found
            .outcomes
            .iter()
            .map(|o| o.sets.iter().map(names).collect())
            .collect();
        let zones: Vec<ZoneCutJson> = found
            .zone_cuts
            .iter()
            .map(|(z, cut)| ZoneCutJson {
                zone: model.zone_names[*z].clone(),
                cut: names(cut),
            })
            .collect();
        match args.format {
            AnalysisFormat::Json => {
                let by_class = ByClass::of(
                    logic
                        .outcomes
                        .iter()
                        .zip(&found.outcomes)
                        .zip(&sets)
                        .map(|((o, cut), sets)| {
                            let value = CutSetsJson {
                                complete: cut.complete,
                                sets: sets.clone(),
                            };
                            (o.aim, o.class.clone(), value)
                        })
                        .collect(),
                    || None,
                );
                let writes = by_class.writes.unwrap_or(CutSetsJson {
                    complete: false,
                    sets: Vec::new(),
                });
                out(&format!(
                    "{}\n",
                    serde_json::to_string_pretty(&CutsJson {
                        max_size: args.max_size,
                        searched_size: (found.searched < args.max_size).then_some(found.searched),
                        requests: by_class.requests.sets,
                        writes: writes.sets,
                        zones,
                        requests_complete: by_class.requests.complete,
                        writes_complete: writes.complete,
                        takes_writes: found.takes_writes,
                        classes: by_class.classes,
                        jobs: by_class.jobs,
                    })
                    .expect("plain data")
                ))
            }
            AnalysisFormat::Text => out(&terminal_safe(&cuts_text(
                logic,
                &found,
                &sets,
                &zones,
                args.max_size,
            ))),
        }
    })
}

/// The cut sets as text: per outcome its sets, smallest first, with the zone that holds
/// one; a note when the size asked was lowered to fit the budget.
fn cuts_text(
    logic: &crate::graph::Logic,
    found: &analysis::cuts::Cuts,
    sets: &[Vec<Vec<String>>],
    zones: &[ZoneCutJson],
    max_size: usize,
) -> String {
    let mut text = String::new();
    for (i, (outcome, cut)) in logic.outcomes.iter().zip(&found.outcomes).enumerate() {
        let one = outcome.one();
        if !cut.complete {
            let _ = writeln!(text, "no {one} completes even with every server up\n");
        } else {
            let _ = writeln!(
                text,
                "every {one} stops when one of these fails ({} of at most {}):",
                crate::prose::plural(sets[i].len(), "set", "sets"),
                crate::prose::plural(found.searched, "server", "servers"),
            );
            if sets[i].is_empty() {
                let _ = writeln!(text, "  none");
            }
            for set in &sets[i] {
                let zone = zones
                    .iter()
                    .find(|z| &z.cut == set)
                    .map(|z| format!("    (zone `{}` holds it)", z.zone))
                    .unwrap_or_default();
                let _ = writeln!(text, "  {}{zone}", set.join(" + "));
            }
            text.push('\n');
        }
        if i == 0 && !found.takes_writes {
            let _ = writeln!(
                text,
                "writes: none, the design takes no writes (it has no primary database)\n"
            );
        }
    }
    if found.searched < max_size {
        let _ = writeln!(
            text,
            "note: the sets of {} were not enumerated: there are too many to list \
             (more than {} sets, or {} steps); every set of up to {} is above, and \
             larger ones may exist",
            crate::prose::plural(found.searched + 1, "server", "servers"),
            analysis::cuts::MAX_SETS,
            analysis::cuts::BUDGET,
            crate::prose::plural(found.searched, "server", "servers"),
        );
    }
    text
}

#[derive(Clone, Serialize)]
struct EstimateJson {
    availability: f64,
    nines: f64,
    method: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    interval: Option<[f64; 2]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    trials: Option<usize>,
}

#[derive(Clone, Serialize)]
struct MeasuredJson {
    #[serde(flatten)]
    estimate: EstimateJson,
    importance: Vec<ImportanceJson>,
}

#[derive(Clone, Serialize)]
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
    /// Named request classes, each with its `requests` and `writes` (estimate and
    /// `importance`).
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    classes: std::collections::BTreeMap<String, ClassJson<MeasuredJson>>,
    /// Per worker service: its jobs.
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    jobs: std::collections::BTreeMap<String, MeasuredJson>,
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

/// A server and its Birnbaum importance.
type Ranked = (ServerId, f64);

/// "requests", "writes of git-ssh", "jobs of sidekiq".
fn outcome_name(aim: Aim, class: &Option<String>) -> String {
    crate::graph::Outcome {
        aim,
        class: class.clone(),
        targets: Vec::new(),
    }
    .name()
}

pub fn availability(args: &AvailabilityArgs) -> ExitStatus {
    with_model(&args.design, |_, model| {
        let design = model.design;
        let found = analysis::availability::availability(model);
        let defaulted: Vec<String> = model
            .defaulted
            .iter()
            .map(|&s| server_name(design, s))
            .collect();
        match args.format {
            AnalysisFormat::Json => out(&availability_json(design, &found, defaulted)),
            AnalysisFormat::Text => out(&terminal_safe(&availability_text(
                design, &found, &defaulted,
            ))),
        }
    })
}

fn availability_json(
    design: &Design,
    found: &analysis::availability::Availability,
    defaulted: Vec<String>,
) -> String {
    let by_class = ByClass::of(
        found
            .outcomes
            .iter()
            .map(|m| {
                let value = MeasuredJson {
                    estimate: estimate_json(&m.estimate),
                    importance: importance_json(design, &m.importance),
                };
                (m.aim, m.class.clone(), value)
            })
            .collect(),
        || None,
    );
    let (writes, write_importance) = match by_class.writes {
        Some(m) => (Some(m.estimate), m.importance),
        None => (None, Vec::new()),
    };
    format!(
        "{}\n",
        serde_json::to_string_pretty(&AvailabilityJson {
            requests: by_class.requests.estimate,
            writes,
            importance: by_class.requests.importance,
            write_importance,
            classes: by_class.classes,
            jobs: by_class.jobs,
            defaulted,
            default_availability: analysis::DEFAULT_SERVER_AVAILABILITY,
        })
        .expect("plain data")
    )
}

fn availability_text(
    design: &Design,
    found: &analysis::availability::Availability,
    defaulted: &[String],
) -> String {
    let mut text = String::new();
    for (i, measured) in found.outcomes.iter().enumerate() {
        let estimate = &measured.estimate;
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
            "{} complete {}, {method}",
            outcome_name(measured.aim, &measured.class),
            analysis::availability::percent(estimate)
        );
        if i == 0 && found.writes().is_none() {
            let _ = writeln!(
                text,
                "writes: none, the design takes no writes (it has no primary database)"
            );
        }
    }
    importance_text(design, found, &mut text);
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
    text
}

/// The servers by Birnbaum importance: one list for the outcomes that rank them alike.
fn importance_text(
    design: &Design,
    found: &analysis::availability::Availability,
    text: &mut String,
) {
    let width = design
        .servers
        .iter()
        .map(|s| s.name.value.len())
        .max()
        .unwrap_or(0);
    let mut lists: Vec<(Vec<String>, &[Ranked])> = Vec::new();
    for measured in &found.outcomes {
        let name = outcome_name(measured.aim, &measured.class);
        match lists
            .iter_mut()
            .find(|(_, list)| **list == measured.importance)
        {
            Some((names, _)) => names.push(name),
            None => lists.push((vec![name], measured.importance.as_slice())),
        }
    }
    for (names, list) in lists {
        if list.is_empty() {
            continue;
        }
        let what = and_join(&names);
        let _ = writeln!(
            text,
            "\nservers by Birnbaum importance for {what} (how much the availability of {what} rises per unit of theirs):"
        );
        for &(s, b) in list {
            let _ = writeln!(text, "  {:width$}  {b:.6}", design.server(s).name.value);
        }
    }
}

pub fn export(args: &ExportArgs) -> ExitStatus {
    with_model(&args.design, |_, model| {
        let xml = analysis::mef::export(model);
        let target = match args.output.as_deref() {
            None => output::Target::Stdout,
            Some(path) => match output::resolve(path, std::slice::from_ref(&args.design)) {
                Ok(target) => target,
                Err(message) => {
                    eprintln!("error: {}", terminal_safe(&message));
                    return ExitStatus::Error;
                }
            },
        };
        match output::write(&target, xml.as_bytes()) {
            Ok(()) => {
                if let output::Target::File(path) = &target {
                    say!("wrote {}", crate::source::display_path(path));
                }
                ExitStatus::Success
            }
            Err(e) => {
                eprintln!("error: cannot write the export: {e}");
                ExitStatus::Error
            }
        }
    })
}
