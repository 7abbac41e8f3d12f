//! `--format compact`: `path:line:col: severity CODE message`, one line each, for grep
//! and editors' problem matchers. A design error has no code; an error about a path
//! has no line and column (`path: error message`).

use super::{Options, Reporter, lines::lines};
use crate::checked::FileReport;
use crate::source::terminal_safe;

pub struct Compact;

impl Reporter for Compact {
    fn render(&self, reports: &[FileReport], _: &Options) -> String {
        let mut out = String::new();
        for line in lines(reports) {
            let place = match line.start {
                Some(start) => format!("{}:{}:{}", line.path, start.line, start.column),
                None => line.path.clone(),
            };
            let code = format!(" {}", line.rule.0);
            // One line each: a message never breaks the format.
            let message = line.message.replace(['\n', '\r'], " ");
            out.push_str(&terminal_safe(&format!(
                "{place}: {}{code} {message}\n",
                line.severity
            )));
        }
        out
    }
}
