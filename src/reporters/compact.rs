//! `--format compact`: `path:line:col: severity CODE message`, one line each, for grep
//! and editors' problem matchers. An error about a path rather than a place in it (a
//! file that does not exist, a folder with no design) is at `path:1:1`, so that the
//! documented matcher keeps it too.

use super::{Options, Reporter, lines::lines};
use crate::checked::FileReport;
use crate::source::terminal_safe;

pub struct Compact;

impl Reporter for Compact {
    fn render(&self, reports: &[FileReport], _: &Options) -> String {
        let mut out = String::new();
        for line in lines(reports) {
            // A path with a line break would start a line about another file.
            let path = line.path.replace('\n', "\\n").replace('\r', "\\r");
            let place = match line.start {
                Some(start) => format!("{path}:{}:{}", start.line, start.column),
                None => format!("{path}:1:1"),
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
