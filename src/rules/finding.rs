//! What a rule found: plain data, with its target as structured data that the diagram,
//! the report and `accept:` read without parsing a string.

use std::fmt;

use sha2::{Digest, Sha256};

use super::Rule;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{ComponentId, Design, FlowId, RecordId, ServerId};
use crate::source::Span;

/// What a finding is about. `Display` (and [`Target::as_str`]) is the string the rule
/// catalog writes, which `accept: target:`, JSON, SARIF fingerprints and baselines use:
/// a server `lb-01`, a component `web-01/web_server`, a flow `user -> www.foobar.com`, a
/// DNS record `www.foobar.com`, a domain, a profile, an acceptance as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    Server {
        id: ServerId,
        name: String,
    },
    /// `SERVER/NAME`.
    Component {
        id: ComponentId,
        server: ServerId,
        name: String,
    },
    /// A flow pair: `FROM -> TO` as written.
    Flow {
        id: FlowId,
        name: String,
    },
    /// A DNS record, by its full host name.
    Record {
        id: RecordId,
        name: String,
    },
    /// The domain and its DNS as a whole (its name servers).
    Domain(String),
    /// The design as a whole, against a profile: the profile's name.
    Design(String),
    /// An `accept:` entry, by its index in `Design::accepts`: its target (or rule) as
    /// written.
    Acceptance {
        index: usize,
        name: String,
    },
}

impl Target {
    pub fn component(design: &Design, id: ComponentId) -> Target {
        Target::Component {
            id,
            server: design.component(id).server,
            name: design.component_target(id),
        }
    }

    pub fn flow(design: &Design, id: FlowId) -> Target {
        Target::Flow {
            id,
            name: design.flow(id).target(),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Target::Server { name, .. }
            | Target::Component { name, .. }
            | Target::Flow { name, .. }
            | Target::Record { name, .. }
            | Target::Acceptance { name, .. } => name,
            Target::Domain(name) | Target::Design(name) => name,
        }
    }

    /// The server the target is on: a server, or a component's server.
    pub fn server(&self) -> Option<ServerId> {
        match self {
            Target::Server { id, .. } => Some(*id),
            Target::Component { server, .. } => Some(*server),
            _ => None,
        }
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Findings counted as every summary counts them: open ones by severity, accepted ones
/// apart (they never fail a run).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub error: usize,
    pub warning: usize,
    pub info: usize,
    pub accepted: usize,
}

impl Counts {
    pub fn of<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Counts {
        let mut counts = Counts::default();
        for finding in findings {
            match (&finding.accepted, finding.severity) {
                (Some(_), _) => counts.accepted += 1,
                (None, Severity::Error) => counts.error += 1,
                (None, Severity::Warning) => counts.warning += 1,
                (None, Severity::Info) => counts.info += 1,
            }
        }
        counts
    }

    /// The open findings of one severity.
    pub fn open(&self, severity: Severity) -> usize {
        match severity {
            Severity::Error => self.error,
            Severity::Warning => self.warning,
            Severity::Info => self.info,
        }
    }
}

/// What a rule found: a [`Diagnostic`] (its code the rule's, always placed) with the
/// rule itself, the target the finding is about, and its acceptance. Reads as its
/// diagnostic (`finding.message`, `finding.severity`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub diagnostic: Diagnostic,
    /// The rule that found it: its code, name and documentation.
    pub rule: &'static Rule,
    pub target: Target,
    /// Set when an `accept:` entry covers the finding: the entry's reason.
    pub accepted: Option<String>,
    /// A remark about the finding's status, such as an acceptance that lapsed.
    pub note: Option<String>,
}

impl std::ops::Deref for Finding {
    type Target = Diagnostic;

    fn deref(&self) -> &Diagnostic {
        &self.diagnostic
    }
}

impl std::ops::DerefMut for Finding {
    fn deref_mut(&mut self) -> &mut Diagnostic {
        &mut self.diagnostic
    }
}

impl Finding {
    /// The rule's code: `AV001`.
    pub fn code(&self) -> &'static str {
        self.rule.code
    }

    /// The rule's name: `single-point-of-failure`.
    pub fn name(&self) -> &'static str {
        self.rule.name
    }

    /// The primary place: a finding always has one.
    pub fn span(&self) -> Span {
        self.diagnostic.span.unwrap_or_default()
    }

    /// The primary label: the rule's own words for the place, else its name.
    pub fn label(&self) -> &str {
        self.diagnostic.label.as_deref().unwrap_or(self.rule.name)
    }

    /// What the finding is, independent of where it is written (its identity in SARIF's
    /// `partialFingerprints` and in baselines): see [`fingerprint`].
    pub fn fingerprint(&self, path: &str) -> String {
        fingerprint(self.code(), path, self.target.as_str())
    }

    /// What to do about it, as the rule said.
    pub fn help(&self) -> &str {
        self.diagnostic.help.as_deref().unwrap_or_default()
    }
}

/// A finding's identity: the rule, the design's path and the target (white space left
/// out), hashed; never the line, so moving lines or reordering servers keeps it.
pub fn fingerprint(code: &str, path: &str, target: &str) -> String {
    let digest = Sha256::digest(
        format!(
            "{code}\0{path}\0{}",
            target.split_whitespace().collect::<String>()
        )
        .as_bytes(),
    );
    digest.iter().take(16).map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::fingerprint;

    #[test]
    fn fingerprints_ignore_lines_and_white_space_not_targets() {
        let a = fingerprint("AV001", "designs/a.yaml", "lb-01");
        assert_eq!(a, fingerprint("AV001", "designs/a.yaml", " lb-01 "));
        assert_ne!(a, fingerprint("AV001", "designs/a.yaml", "lb-02"));
        assert_ne!(a, fingerprint("AV002", "designs/a.yaml", "lb-01"));
        assert_eq!(a.len(), 32);
    }
}
