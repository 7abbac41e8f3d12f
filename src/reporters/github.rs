//! `--format github`: GitHub Actions workflow commands, one per design error and open
//! finding: `::error file=..,line=..,col=..,endLine=..,endColumn=..,title=CODE name::message`
//! (`warning` and `notice` for the lower severities), which the runner shows as
//! annotations on the pull request's lines. Escaped as the workflow-command rules say:
//! `%`, CR and LF in the message; also `:` and `,` in properties.

use super::{Options, Reporter, lines::lines};
use crate::checked::FileReport;

pub struct Github;

fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

impl Reporter for Github {
    fn render(&self, reports: &[FileReport], _: &Options) -> String {
        let mut out = String::new();
        for line in lines(reports) {
            let command = match line.severity {
                "error" => "error",
                "warning" => "warning",
                _ => "notice",
            };
            let mut properties = vec![format!("file={}", property(&line.path))];
            if let (Some(start), Some(end)) = (line.start, line.end) {
                properties.push(format!("line={}", start.line));
                properties.push(format!("col={}", start.column));
                properties.push(format!("endLine={}", end.line));
                properties.push(format!("endColumn={}", end.column));
            }
            let title = format!("{} {}", line.rule.0, line.rule.1);
            properties.push(format!("title={}", property(&title)));
            out.push_str(&format!(
                "::{command} {}::{}\n",
                properties.join(","),
                // A workflow command is one line; control characters are escaped too.
                crate::source::terminal_safe(&data(line.message))
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_follow_the_workflow_command_rules() {
        assert_eq!(data("100% done\r\nnext"), "100%25 done%0D%0Anext");
        assert_eq!(property("a:b,c%"), "a%3Ab%2Cc%25");
    }
}
