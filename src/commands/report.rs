//! `infralint report`: answer reports, one design or a whole class.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use super::destinations;
use crate::checked::FileReport;
use crate::settings::{CommandLine, Resolver};
use crate::{
    CheckOptions, ExitStatus, check_paths_with, cli, diagram, output, pages, pictures, profile,
    report, reporters, source, today_utc,
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
    let (reports, mut status) = check_designs(args, profile.as_ref());
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
    let planned = destinations(args.output.as_deref(), &inputs, several, extension)
        .and_then(|(targets, class)| Ok((svg_siblings(&targets, &inputs)?, targets, class)));
    let (svgs, targets, class) = match planned {
        Ok(found) => found,
        Err(message) => {
            say!("error: {message}");
            return ExitStatus::Error;
        }
    };
    // Each design's files, made in parallel, in order.
    let pages: Vec<Option<Page>> = reports
        .par_iter()
        .zip(targets.par_iter().zip(svgs.par_iter()))
        .map(|(file, (destination, svg))| {
            page(file, destination, svg.as_deref(), html, profile.as_ref())
        })
        .collect();
    let mut rows = Vec::new();
    let site = args.output.clone().unwrap_or_default();
    for (file, page) in reports.iter().zip(&pages) {
        let mut written = None;
        if let Some(page) = page {
            match write_page(page, &site, args.quiet) {
                Ok(path) => written = path,
                Err(()) => status = ExitStatus::Error,
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
    if class
        && let Some(out) = &args.output
        && !write_index(out, &rows, &inputs, args.quiet)
    {
        status = ExitStatus::Error;
    }
    status
}

/// Every design checked under its own settings (`--isolated`: none), with a progress
/// bar on a terminal; the design errors shown. Error when any design has one.
fn check_designs(
    args: &cli::ReportArgs,
    profile: Option<&profile::Profile>,
) -> (Vec<FileReport>, ExitStatus) {
    let command_line = CommandLine {
        today: args.today,
        ..CommandLine::default()
    };
    let resolver = Resolver::per_design(args.isolated, command_line);
    let options = CheckOptions {
        today: args.today.unwrap_or_else(today_utc),
        profile: profile.cloned(),
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
                reporters::text::render(
                    std::slice::from_ref(broken),
                    reporters::text::Style::PLAIN
                )
            );
        }
        status = ExitStatus::Error;
    }
    (reports, status)
}

/// A report's diagram is a sibling SVG, resolved as the report is: the markdown's
/// picture, and the HTML page's diagram alone.
fn svg_siblings(
    targets: &[Option<PathBuf>],
    inputs: &[PathBuf],
) -> Result<Vec<Option<PathBuf>>, String> {
    let mut svgs = Vec::with_capacity(targets.len());
    for target in targets {
        svgs.push(match target {
            Some(path) => match output::resolve(&path.with_extension("svg"), inputs)? {
                output::Target::File(svg) => Some(svg),
                output::Target::Stdout => None,
            },
            _ => None,
        });
    }
    Ok(svgs)
}

/// One design's files: its HTML page, or its markdown and sibling SVG. `None` for a
/// design that could not be read.
fn page(
    file: &FileReport,
    destination: &Option<PathBuf>,
    svg_path: Option<&Path>,
    html: bool,
    profile: Option<&profile::Profile>,
) -> Option<Page> {
    let design = file.design.as_ref()?;
    let own = design
        .exercise
        .as_ref()
        .and_then(|e| profile::builtin(&e.value).ok());
    let profile = profile.or(own);
    let drawn = diagram::build(design, Some(&file.findings));
    let picture = pictures::svg::render(&drawn);
    let svg_name = svg_path
        .and_then(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned());
    let files = if html {
        let what_if = report::what_if_data(design, &drawn.scene);
        let markdown = report::markdown(&report::Input {
            design,
            findings: &file.findings,
            profile,
            diagram: None,
        });
        let page = pages::html::page_linking(
            &design.name.value,
            &markdown,
            Some(&picture),
            Some(&what_if),
            svg_name.as_deref(),
        );
        let mut files = Vec::new();
        if let Some(svg) = svg_path {
            files.push((Some(svg.to_path_buf()), picture));
        }
        files.push((destination.clone(), page));
        files
    } else {
        let markdown = report::markdown(&report::Input {
            design,
            findings: &file.findings,
            profile,
            diagram: svg_name.as_deref(),
        });
        let mut files = Vec::new();
        if let Some(svg) = svg_path {
            files.push((Some(svg.to_path_buf()), picture));
        }
        files.push((destination.clone(), markdown));
        files
    };
    Some(Page {
        destination: destination.clone(),
        files,
    })
}

/// Writes one design's files, each whole; its page's path inside the site (what the
/// index links), or `Err` after saying what could not be written.
fn write_page(page: &Page, site: &Path, quiet: bool) -> Result<Option<String>, ()> {
    let result = page.files.iter().try_for_each(|(path, text)| match path {
        Some(path) => output::write_atomically(path, text.as_bytes()),
        None => output::write(&output::Target::Stdout, text.as_bytes()),
    });
    match (result, &page.destination) {
        (Ok(()), Some(destination)) => {
            // Every file written: the page, and the diagram beside a markdown report.
            for path in page.files.iter().filter_map(|(path, _)| path.as_ref()) {
                if !quiet {
                    say!("wrote {}", source::display_path(path));
                }
            }
            Ok(destination
                .strip_prefix(site)
                .ok()
                .map(|p| p.to_string_lossy().replace('\\', "/")))
        }
        (Ok(()), None) => Ok(None),
        (Err(e), destination) => {
            say!(
                "error: cannot write `{}`: {e}",
                destination
                    .as_deref()
                    .map(source::display_path)
                    .unwrap_or_else(|| "standard output".to_string())
            );
            Err(())
        }
    }
}

/// The class index, `index.html` and `index.csv` in `out`; false after saying what could
/// not be written.
fn write_index(out: &Path, rows: &[report::class::Row], inputs: &[PathBuf], quiet: bool) -> bool {
    let index = out.join("index.html");
    let csv = out.join("index.csv");
    let written = [
        (&index, pages::index::html("Designs", rows)),
        (&csv, pages::index::csv(rows)),
    ]
    .into_iter()
    .try_for_each(|(path, text)| match output::resolve(path, inputs) {
        Ok(output::Target::File(path)) => {
            output::write_atomically(&path, text.as_bytes()).map_err(|e| e.to_string())
        }
        Ok(output::Target::Stdout) => Ok(()),
        Err(message) => Err(message),
    });
    match written {
        Ok(()) => {
            if !quiet {
                say!(
                    "wrote {} and {}",
                    source::display_path(&index),
                    source::display_path(&csv)
                );
            }
            true
        }
        Err(e) => {
            say!("error: cannot write the index: {e}");
            false
        }
    }
}
