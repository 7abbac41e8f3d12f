//! `infralint report`: answer reports, one design or a whole class.

use std::io::IsTerminal;
use std::path::PathBuf;

use super::destinations;
use crate::settings::{CommandLine, Resolver};
use crate::{
    CheckOptions, ExitStatus, check_paths_with, cli, diagram, output, profile, render, report,
    source, today_utc,
};

/// One design's report: where it goes (`None`: standard output), and every file to
/// write for it (the page, and for markdown its sibling SVG).
struct Page {
    destination: Option<PathBuf>,
    files: Vec<(Option<PathBuf>, String)>,
}

pub fn report(args: &cli::ReportArgs) -> ExitStatus {
    use rayon::prelude::*;
    output::clean_up_on_interrupt();
    let profile = match args.profile.as_deref().map(profile::load) {
        None => None,
        Some(Ok(profile)) => Some(profile),
        Some(Err((_, errors))) => {
            for error in errors {
                say!("error: {}", error.message);
            }
            return ExitStatus::Error;
        }
    };
    // Each design's rules from its own `infralint.toml`, or none with `--isolated`.
    let command_line = CommandLine {
        today: args.today,
        ..CommandLine::default()
    };
    let resolver = Resolver::per_design(args.isolated, command_line);
    let options = CheckOptions {
        today: args.today.unwrap_or_else(today_utc),
        profile: profile.clone(),
        settings: Some(std::sync::Arc::new(resolver)),
        ..CheckOptions::default()
    };
    let progress = if args.quiet || !std::io::stderr().is_terminal() {
        indicatif::ProgressBar::hidden()
    } else {
        indicatif::ProgressBar::new(0)
    };
    let (reports, _) = check_paths_with(&args.paths, &options, &progress);
    progress.finish_and_clear();
    let mut status = ExitStatus::Success;
    for broken in reports.iter().filter(|r| !r.errors.is_empty()) {
        if !args.quiet {
            eprint!(
                "{}",
                render::text::render(std::slice::from_ref(broken), render::text::Style::PLAIN)
            );
        }
        status = ExitStatus::Error;
    }
    // A class: several designs (or a folder) into a folder: HTML pages and an index.
    let several = reports.len() > 1 || args.paths.iter().any(|p| p.is_dir());
    // A class is several designs, or a folder `-o`: pages are HTML there.
    let html = args.html
        || args
            .output
            .as_ref()
            .is_some_and(|o| o.as_os_str() != "-" && (several || o.is_dir()));
    let extension = if html { "html" } else { "md" };
    let inputs: Vec<PathBuf> = reports.iter().map(|r| r.path.clone()).collect();
    let (targets, into_folder) =
        match destinations(args.output.as_deref(), &inputs, several, extension) {
            Ok(found) => found,
            Err(message) => {
                say!("error: {message}");
                return ExitStatus::Error;
            }
        };
    let class = into_folder;
    // A markdown report's diagram is a sibling SVG: resolved like the report.
    let mut svgs = Vec::with_capacity(targets.len());
    for target in &targets {
        svgs.push(match target {
            Some(path) if !html => match output::resolve(&path.with_extension("svg"), &inputs) {
                Ok(output::Target::File(svg)) => Some(svg),
                Ok(output::Target::Stdout) => None,
                Err(message) => {
                    say!("error: {message}");
                    return ExitStatus::Error;
                }
            },
            _ => None,
        });
    }
    // Each design's files, made in parallel, in order.
    let pages: Vec<Option<Page>> = reports
        .par_iter()
        .zip(targets.par_iter().zip(svgs.par_iter()))
        .map(|(file, (destination, svg_path))| {
            let design = file.design.as_ref()?;
            let own = design
                .exercise
                .as_ref()
                .and_then(|e| profile::builtin(&e.value).ok());
            let profile = profile.as_ref().or(own);
            let drawn = diagram::build(design, Some(&file.findings));
            let picture = render::svg::render(&drawn);
            let files = if html {
                let what_if = report::what_if_data(design, &drawn.scene);
                let markdown = report::markdown(&report::Input {
                    design,
                    findings: &file.findings,
                    profile,
                    diagram: None,
                });
                vec![(
                    destination.clone(),
                    render::html::page(
                        &design.name.value,
                        &markdown,
                        Some(&picture),
                        Some(&what_if),
                    ),
                )]
            } else {
                let svg_name = svg_path
                    .as_ref()
                    .and_then(|p| p.file_name())
                    .map(|n| n.to_string_lossy().into_owned());
                let markdown = report::markdown(&report::Input {
                    design,
                    findings: &file.findings,
                    profile,
                    diagram: svg_name.as_deref(),
                });
                let mut files = Vec::new();
                if let Some(svg) = svg_path {
                    files.push((Some(svg.clone()), picture));
                }
                files.push((destination.clone(), markdown));
                files
            };
            Some(Page {
                destination: destination.clone(),
                files,
            })
        })
        .collect();
    let mut rows = Vec::new();
    let site = args.output.clone().unwrap_or_default();
    for (file, page) in reports.iter().zip(&pages) {
        let mut written = None;
        if let Some(Page { destination, files }) = page {
            let result = files.iter().try_for_each(|(path, text)| match path {
                Some(path) => output::write_atomically(path, text.as_bytes()),
                None => output::write(&output::Target::Stdout, text.as_bytes()),
            });
            match (result, destination) {
                (Ok(()), Some(destination)) => {
                    if !args.quiet {
                        say!("wrote {}", source::display_path(destination));
                    }
                    // The index links each page by its path inside the site.
                    written = destination
                        .strip_prefix(&site)
                        .ok()
                        .map(|p| p.to_string_lossy().replace('\\', "/"));
                }
                (Ok(()), None) => {}
                (Err(e), destination) => {
                    say!(
                        "error: cannot write `{}`: {e}",
                        destination
                            .as_deref()
                            .map(source::display_path)
                            .unwrap_or_else(|| "standard output".to_string())
                    );
                    status = ExitStatus::Error;
                }
            }
        }
        if class {
            let own = file
                .design
                .as_ref()
                .and_then(|d| d.exercise.as_ref())
                .and_then(|e| profile::builtin(&e.value).ok());
            rows.push(report::class::row(file, written, profile.as_ref().or(own)));
        }
    }
    if class && let Some(out) = &args.output {
        let index = out.join("index.html");
        let csv = out.join("index.csv");
        let written = [
            (&index, render::index::html("Designs", &rows)),
            (&csv, render::index::csv(&rows)),
        ]
        .into_iter()
        .try_for_each(|(path, text)| match output::resolve(path, &inputs) {
            Ok(output::Target::File(path)) => {
                output::write_atomically(&path, text.as_bytes()).map_err(|e| e.to_string())
            }
            Ok(output::Target::Stdout) => Ok(()),
            Err(message) => Err(message),
        });
        match written {
            Ok(()) if !args.quiet => say!(
                "wrote {} and {}",
                source::display_path(&index),
                source::display_path(&csv)
            ),
            Ok(()) => {}
            Err(e) => {
                say!("error: cannot write the index: {e}");
                status = ExitStatus::Error;
            }
        }
    }
    status
}
