//! The issues (findings, why they matter) and what fails when this fails.

use super::*;

/// Why a finding matters: the rule documentation's own paragraph.
pub(super) fn why_it_matters(code: &str) -> String {
    let Some(rule) = crate::rules::find(code) else {
        return String::new();
    };
    rule.doc
        .split("## Why is this bad?")
        .nth(1)
        .and_then(|rest| rest.split("##").next())
        .map(|text| text.split_whitespace().collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

pub(crate) fn issues(context: &Context<'_>) -> String {
    let findings = context.findings;
    let open: Vec<_> = findings.iter().filter(|f| f.accepted.is_none()).collect();
    let accepted: Vec<_> = findings.iter().filter(|f| f.accepted.is_some()).collect();
    let mut out = String::new();
    if open.is_empty() {
        out.push_str("infralint finds no open issue in this design.\n");
    }
    for finding in &open {
        let severity = match finding.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        };
        let _ = writeln!(
            out,
            "- **{} {}** ({severity}): {}.  \n  *Why it matters:* {}  \n  *What to do:* {}.",
            finding.code(),
            finding.name(),
            md_message(&finding.message),
            why_it_matters(finding.code()),
            md_message(finding.help())
        );
        if let Some(note) = &finding.note {
            let _ = writeln!(out, "  *Note:* {}.", md_message(note));
        }
    }
    if !accepted.is_empty() {
        out.push_str("\n### Accepted findings\n\n");
        for finding in accepted {
            let _ = writeln!(
                out,
                "- **{} {}** on `{}`: {}.  \n  *Accepted because:* {}",
                finding.code(),
                finding.name(),
                finding.target.as_str().replace('`', "'"),
                md_message(&finding.message),
                md(finding.accepted.as_deref().unwrap_or_default())
            );
        }
    }
    out.push('\n');
    out
}

/// What fails when this fails: the single servers and the pairs whose failure stops
/// every request (and every write, where that differs), zones that hold such a pair,
/// the availability when the design states any, and the server worth improving first.
pub(crate) fn what_if(context: &Context<'_>) -> String {
    use crate::analysis::{Model, availability, cuts};
    let design = context.design;
    let model = Model::new(&context.graph);
    let found = cuts::cuts(&model, 2);
    let mut out = String::new();
    if !found.outcomes[0].complete {
        return "No request completes even with every server up, so there is nothing that a failure could stop.\n".to_string();
    }
    // The first class's requests, then each other outcome where its cuts differ.
    let first = &found.outcomes[0].sets;
    for (i, (outcome, cut)) in model.logic.outcomes.iter().zip(&found.outcomes).enumerate() {
        if i > 0 && cut.sets == *first && cut.complete {
            continue;
        }
        if i > 0 {
            out.push('\n');
        }
        if cut.complete {
            say_stops(design, &outcome.one(), &cut.sets, &mut out);
        } else {
            let _ = writeln!(
                out,
                "No {} completes even with every server up.",
                outcome.one()
            );
        }
    }
    for (zone, cut) in &found.zone_cuts {
        let mut names: Vec<String> = cut
            .iter()
            .map(|&s| format!("`{}`", design.server(s).name.value))
            .collect();
        names.sort();
        let _ = writeln!(
            out,
            "\nThe zone `{}` holds {}: when it fails, they fail together, and so does every request that needs one of them.",
            model.zone_names[*zone],
            and_join(&names)
        );
    }
    let stated = design.servers.iter().any(|s| s.availability.is_some())
        || design.zones.iter().any(|z| z.availability.is_some())
        || design.externals.iter().any(|e| e.availability.is_some());
    let found = availability::availability(&model);
    if stated {
        say_availability(&model, &found, &mut out);
    }
    // Advice only where it shows at the precision printed.
    if let Some(&(server, birnbaum)) = found.requests().importance.first()
        && birnbaum >= 0.00005
    {
        let _ = writeln!(
            out,
            "\nThe server to improve first is `{}`: each point of its availability adds {birnbaum:.4} points to the design's{}.",
            design.server(server).name.value,
            if stated {
                ""
            } else {
                " (every server taken at 99.9%, since the design states no availability)"
            }
        );
    }
    out
}

/// The servers of each set of a size, named and sorted.
fn named_sets(design: &Design, sets: &[Vec<ServerId>], size: usize) -> Vec<String> {
    sets.iter()
        .filter(|s| s.len() == size)
        .map(|set| {
            let mut names: Vec<String> = set
                .iter()
                .map(|&s| format!("`{}`", design.server(s).name.value))
                .collect();
            names.sort();
            and_join(&names)
        })
        .collect()
}

/// "Every request stops if `lb-01` fails; and if both of ... fail together."
fn say_stops(design: &Design, what: &str, sets: &[Vec<ServerId>], out: &mut String) {
    let singles = named_sets(design, sets, 1);
    let pairs = named_sets(design, sets, 2);
    if singles.is_empty() {
        let _ = write!(out, "No single server's failure stops every {what}");
    } else {
        let _ = write!(out, "Every {what} stops if {} fails", singles.join(" or "));
    }
    if pairs.is_empty() {
        let _ = writeln!(
            out,
            "{}.",
            if singles.is_empty() {
                ", nor does any pair's"
            } else {
                "; no pair of other servers does"
            }
        );
    } else {
        let _ = writeln!(
            out,
            "; {}if both of {} fail together.",
            if singles.is_empty() {
                "it does "
            } else {
                "and "
            },
            pairs.join(", or both of ")
        );
    }
}

/// How available each outcome is, with the availabilities the design states.
fn say_availability(
    model: &crate::analysis::Model<'_>,
    found: &crate::analysis::availability::Availability,
    out: &mut String,
) {
    use crate::analysis::availability;
    let _ = writeln!(
        out,
        "\nWith the availabilities the design states{}, requests complete {} of the time{}.",
        if model.defaulted.is_empty() {
            String::new()
        } else {
            format!(
                " ({}% for the servers that state none)",
                crate::analysis::DEFAULT_SERVER_AVAILABILITY
            )
        },
        availability::percent(&found.requests().estimate),
        match found.writes() {
            Some(writes) => format!(" and writes {}", availability::percent(&writes.estimate)),
            None => " (the design takes no writes: it has no primary database)".to_string(),
        }
    );
    if let availability::Method::MonteCarlo { low, high, trials } = found.requests().estimate.method
    {
        let _ = writeln!(
            out,
            "\nThese are Monte Carlo estimates from {trials} trials (for requests, 95% between {:.4}% and {:.4}%): the design's failure logic is too large to solve exactly within the analysis' budget.",
            low * 100.0,
            high * 100.0
        );
    }
    let first = 1 + usize::from(found.writes().is_some());
    let others: Vec<String> = found.outcomes[first..]
        .iter()
        .map(|m| {
            let name = crate::graph::Outcome {
                aim: m.aim,
                class: m.class.clone(),
                targets: Vec::new(),
            }
            .name();
            format!("{name} {}", availability::percent(&m.estimate))
        })
        .collect();
    if !others.is_empty() {
        let _ = writeln!(out, "\nThe other outcomes complete: {}.", and_join(&others));
    }
}
