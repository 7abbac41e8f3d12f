//! `infralint diagram`: whiteboard diagrams of designs, as SVG, PNG or DOT.

use std::path::PathBuf;

use super::destinations;
use crate::checked::FileReport;
use crate::{
    CheckOptions, ExitStatus, check_paths, cli, diagram, output, pictures, reporters, source,
    today_utc,
};

pub fn diagram(args: &cli::DiagramArgs) -> ExitStatus {
    output::clean_up_on_interrupt();
    let options = CheckOptions {
        today: args.today.unwrap_or_else(today_utc),
        ..CheckOptions::default()
    };
    let (reports, _) = check_paths(&args.paths, &options);
    let broken: Vec<&FileReport> = reports.iter().filter(|r| !r.errors.is_empty()).collect();
    let mut status = ExitStatus::Success;
    if !broken.is_empty() {
        let text: String = broken
            .iter()
            .map(|r| {
                reporters::text::render(std::slice::from_ref(*r), reporters::text::Style::PLAIN)
            })
            .collect();
        eprint!("{text}");
        status = ExitStatus::Error;
    }
    let inputs: Vec<PathBuf> = reports.iter().map(|r| r.path.clone()).collect();
    let several = reports.len() > 1;
    let targets = match destinations(
        args.output.as_deref(),
        &inputs,
        several,
        args.format.extension(),
    ) {
        Ok((targets, _)) => targets,
        Err(message) => {
            say!("error: {message}");
            return ExitStatus::Error;
        }
    };
    for (report, target) in reports.iter().zip(targets) {
        let Some(design) = report.design.as_ref() else {
            continue;
        };
        let findings = (!args.no_findings).then_some(report.findings.as_slice());
        let picture = match diagram::build_with(design, findings, args.layout, args.monitoring) {
            Ok(picture) => picture,
            Err(message) => {
                say!("error: {message}");
                return ExitStatus::Error;
            }
        };
        let bytes = match args.format {
            cli::PictureFormat::Svg => pictures::svg::render(&picture).into_bytes(),
            cli::PictureFormat::Dot => pictures::dot::render(&picture.scene).into_bytes(),
            cli::PictureFormat::Mermaid => pictures::mermaid::render(&picture.scene).into_bytes(),
            cli::PictureFormat::D2 => pictures::d2::render(&picture.scene).into_bytes(),
            cli::PictureFormat::Png => {
                match pictures::png::render(&pictures::svg::render(&picture)) {
                    Ok(png) => png,
                    Err(e) => {
                        say!(
                            "error: cannot draw `{}` as PNG: {e}",
                            source::display_path(&report.path)
                        );
                        status = ExitStatus::Error;
                        continue;
                    }
                }
            }
        };
        let Some(destination) = target else {
            let _ = output::write(&output::Target::Stdout, &bytes);
            continue;
        };
        match output::write_atomically(&destination, &bytes) {
            Ok(()) => say!("wrote {}", source::display_path(&destination)),
            Err(e) => {
                say!(
                    "error: cannot write `{}`: {e}",
                    source::display_path(&destination)
                );
                status = ExitStatus::Error;
            }
        }
    }
    status
}
