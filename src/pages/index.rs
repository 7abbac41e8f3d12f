//! The class index: one HTML table and one CSV file with a row per design.

use std::fmt::Write;

use super::html::content_security_policy;
use crate::markup::escape;
use crate::report::class::Row;
use crate::report::relative_href;

/// A CSV cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, a tab or a
/// carriage return first: the OWASP rule) gets a leading `'`, which shows it as text.
fn cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

const STYLE: &str = "body{font-family:'DejaVu Sans',system-ui,sans-serif;color:#212121;margin:2rem}\
table{border-collapse:collapse;width:100%}th,td{border:1px solid #ddd;padding:.35rem .6rem;text-align:left}\
th{background:#eceff1}td.n{text-align:right}tr.broken td{background:#ffebee}.error{color:#c62828}\
.warning{color:#955a00}.ok{color:#2e7d32}details{margin:.2rem 0}ul{margin:.2rem 0 .2rem 1rem;padding:0}";

pub fn html(title: &str, rows: &[Row]) -> String {
    let mut out = format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n{}\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{}</h1>\n<p>{} designs. <a href=\"index.csv\">index.csv</a> holds the same table with each design's checklist.</p>\n<table>\n<thead><tr><th>Design</th><th>Author</th><th>Exercise</th><th>Requirements met</th><th>Errors</th><th>Warnings</th><th>Info</th><th>Accepted</th></tr></thead>\n<tbody>\n",
        content_security_policy(STYLE),
        escape(title),
        escape(title),
        rows.len()
    );
    for row in rows {
        let name = if row.name.is_empty() {
            row.path.rsplit('/').next().unwrap_or(&row.path).to_string()
        } else {
            row.name.clone()
        };
        let errors = match row.errors.len() {
            1 => "1 design error".to_string(),
            n => format!("{n} design errors"),
        };
        let design = match &row.page {
            Some(page) => format!(
                "<a href=\"{}\">{}</a><br><small>{}</small>",
                escape(&relative_href(page)),
                escape(&name),
                escape(&row.path)
            ),
            None => format!(
                "{}<br><small>{}</small><details><summary class=\"error\">does not check: {errors}</summary><ul>{}</ul></details>",
                escape(&name),
                escape(&row.path),
                row.errors
                    .iter()
                    .map(|e| format!("<li>{}</li>", escape(e)))
                    .collect::<String>()
            ),
        };
        let met = if row.checklist.is_empty() {
            "n/a".to_string()
        } else {
            let missing: String = row
                .checklist
                .iter()
                .filter(|(_, met)| !met)
                .map(|(text, _)| format!("<li>{}</li>", escape(text)))
                .collect();
            let class = if missing.is_empty() { "ok" } else { "error" };
            let mut cell = format!(
                "<span class=\"{class}\">{} / {}</span>",
                row.met(),
                row.checklist.len()
            );
            if !missing.is_empty() {
                let _ = write!(
                    cell,
                    "<details><summary>missing</summary><ul>{missing}</ul></details>"
                );
            }
            cell
        };
        let _ = writeln!(
            out,
            "<tr{}><td>{design}</td><td>{}</td><td>{}</td><td>{met}</td><td class=\"n error\">{}</td><td class=\"n warning\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            if row.page.is_none() {
                " class=\"broken\""
            } else {
                ""
            },
            escape(&row.author),
            escape(&row.exercise),
            row.error,
            row.warning,
            row.info,
            row.accepted
        );
    }
    out.push_str("</tbody>\n</table>\n</body>\n</html>\n");
    out
}

/// The same table for a spreadsheet, with the checklist: `met` and `missing` list the
/// requirements met and not met, separated by "; ".
pub fn csv(rows: &[Row]) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let header = [
        "path",
        "page",
        "design",
        "author",
        "exercise",
        "requirements_met",
        "requirements",
        "errors",
        "warnings",
        "info",
        "accepted",
        "design_errors",
        "met",
        "missing",
    ];
    writer.write_record(header).expect("writing to memory");
    for row in rows {
        let list = |met: bool| -> String {
            row.checklist
                .iter()
                .filter(|(_, m)| *m == met)
                .map(|(t, _)| t.as_str())
                .collect::<Vec<_>>()
                .join("; ")
        };
        writer
            .write_record(
                [
                    row.path.clone(),
                    row.page.clone().unwrap_or_default(),
                    row.name.clone(),
                    row.author.clone(),
                    row.exercise.clone(),
                    row.met().to_string(),
                    row.checklist.len().to_string(),
                    row.error.to_string(),
                    row.warning.to_string(),
                    row.info.to_string(),
                    row.accepted.to_string(),
                    row.errors.join("; "),
                    list(true),
                    list(false),
                ]
                .map(|text| cell(&text)),
            )
            .expect("writing to memory");
    }
    String::from_utf8(writer.into_inner().expect("writing to memory")).expect("CSV of UTF-8 text")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hrefs_are_relative_files_whatever_their_name() {
        assert_eq!(
            relative_href("javascript:alert(1).html"),
            "./javascript%3Aalert(1).html"
        );
        assert_eq!(relative_href("alice/design.html"), "./alice/design.html");
        assert_eq!(relative_href("a b#c?.html"), "./a%20b%23c%3F.html");
    }

    #[test]
    fn formulas_become_text() {
        assert_eq!(cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(cell("+1"), "'+1");
        assert_eq!(cell("-1"), "'-1");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("Alice"), "Alice");
    }
}
