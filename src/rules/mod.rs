//! The rule catalog: one file per rule, and [`ALL`], the one hand-written table of them.
//!
//! A rule is plain data ([`Rule`]) with a `check` function that reads the design and its
//! graph and reports [`Finding`]s through an [`Emitter`]. Rules do no I/O and no
//! formatting beyond their own one-line messages. Each rule's documentation is a
//! constant in its file: `infralint explain` prints it, and `rules/CODE.md` is written
//! from it.

mod finding;
pub use finding::{Counts, Finding, Target, fingerprint};

/// Rules that other stages name: the diagram raises an alarm on AV001, the report
/// quotes SE003.
pub const SINGLE_POINT_OF_FAILURE: &Rule = &av001::RULE;
pub const TLS_TERMINATED_EARLY: &Rule = &se003::RULE;
mod accept;
mod av001;
mod av002;
mod av003;
mod av004;
mod av005;
mod av006;
mod db001;
mod db002;
mod db003;
mod dn001;
mod dn002;
mod dn003;
mod ex001;
mod il001;
mod ob001;
mod ob002;
mod sc001;
mod sc002;
mod se001;
mod se002;
mod se003;
mod se004;
mod se005;
mod se006;
mod se007;
mod se008;

use jiff::civil::Date;

use crate::diagnostic::{Applicability, Code, Diagnostic, Fix, Label, Severity};
use crate::graph::Graph;
use crate::model::{ComponentId, Design, ServerId};
use crate::profile::Profile;
use crate::prose::suggest;
use crate::source::Span;

pub use accept::apply_acceptances;

/// One rule of the catalog.
pub struct Rule {
    pub code: &'static str,
    pub name: &'static str,
    /// The severity of its findings; a rule may report some at another (SE001, SE007).
    pub severity: Severity,
    /// One line: what the rule finds.
    pub summary: &'static str,
    /// Markdown: `## What it does`, `## Why is this bad?`, `## Example`, `Use instead:`.
    pub doc: &'static str,
    /// Its score for code scanning (SARIF's `security-severity`), for a security rule:
    /// chosen on GitHub's bands (critical from 9.0, high from 7.0, medium from 4.0). A
    /// database open to the internet is critical; no firewall, plaintext from users and
    /// broken certificates are high; TLS ended early and certificates about to expire
    /// are medium.
    pub security: Option<f64>,
    /// What `check --fix` can mend, when the rule gives fixes: how sure the fix is, and
    /// what it changes.
    pub fix: Option<(Applicability, &'static str)>,
    pub check: fn(&Context<'_>, &mut Emitter),
}

/// Rules are one per code: equal when their codes are.
impl PartialEq for Rule {
    fn eq(&self, other: &Rule) -> bool {
        self.code == other.code
    }
}

impl Eq for Rule {}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}({})", self.code, self.name)
    }
}

/// Every rule, in catalog order.
pub const ALL: &[&Rule] = &[
    &av001::RULE,
    &av002::RULE,
    &av003::RULE,
    &av004::RULE,
    &av005::RULE,
    &av006::RULE,
    &sc001::RULE,
    &sc002::RULE,
    &se001::RULE,
    &se002::RULE,
    &se003::RULE,
    &se004::RULE,
    &se005::RULE,
    &se006::RULE,
    &se007::RULE,
    &se008::RULE,
    &ob001::RULE,
    &ob002::RULE,
    &dn001::RULE,
    &dn002::RULE,
    &dn003::RULE,
    &db001::RULE,
    &db002::RULE,
    &db003::RULE,
    &ex001::RULE,
    &il001::RULE,
];

/// A rule by code or name, case-insensitively.
/// A rule's page: `rules/CODE.md` under the package's `repository` (Cargo.toml), on its
/// main branch; SARIF's `helpUri` and the language server's `codeDescription`. A build
/// whose Cargo.toml states no repository has none (both fields are optional).
pub fn page_url(code: &str) -> Option<String> {
    let repository = env!("CARGO_PKG_REPOSITORY").trim_end_matches('/');
    (!repository.is_empty()).then(|| format!("{repository}/blob/main/rules/{code}.md"))
}

pub fn find(word: &str) -> Option<&'static Rule> {
    ALL.iter()
        .copied()
        .find(|r| r.code.eq_ignore_ascii_case(word) || r.name.eq_ignore_ascii_case(word))
}

/// The nearest code or name, for a did-you-mean.
pub fn suggest_rule(word: &str) -> Option<&'static str> {
    suggest(word, ALL.iter().flat_map(|r| [r.code, r.name]))
}

/// What every rule may read.
pub struct Context<'a> {
    pub design: &'a Design,
    pub graph: &'a Graph<'a>,
    /// The date certificate expiry is judged against.
    pub today: Date,
    /// The profile the design is checked against, if any.
    pub profile: Option<&'a Profile>,
    /// The design's text, which fixes edit.
    pub text: &'a str,
}

/// Collects one rule's findings.
pub struct Emitter {
    rule: &'static Rule,
    findings: Vec<Finding>,
}

/// A finding just emitted, to say more about: `out.emit(..).label(..).fix(..)`.
pub struct Emitted<'a> {
    finding: &'a mut Finding,
}

impl Emitted<'_> {
    /// Says what the primary place shows (the rule's name otherwise).
    pub fn primary(self, label: impl Into<String>) -> Self {
        self.finding.label = Some(label.into());
        self
    }

    /// Adds a labelled place; past [`LISTED`] places, the message's own list says the rest.
    pub fn label(self, span: Span, message: impl Into<String>) -> Self {
        if self.finding.secondary.len() < LISTED {
            self.finding.secondary.push(Label {
                span,
                message: message.into(),
            });
        }
        self
    }

    /// The change that mends the finding. A rule that gives fixes says so in its
    /// [`Rule::fix`].
    pub fn fix(self, fix: Fix) -> Self {
        debug_assert!(
            self.finding.rule.fix.is_some(),
            "{} gives a fix, so its `fix` says which",
            self.finding.rule.code
        );
        self.finding.fix = Some(Box::new(fix));
        self
    }
}

impl Emitter {
    /// A finding at the rule's own severity.
    pub fn emit(
        &mut self,
        target: Target,
        span: Span,
        message: String,
        help: impl Into<String>,
    ) -> Emitted<'_> {
        self.emit_at(self.rule.severity, target, span, message, help)
    }

    pub fn emit_at(
        &mut self,
        severity: Severity,
        target: Target,
        span: Span,
        message: String,
        help: impl Into<String>,
    ) -> Emitted<'_> {
        self.findings.push(Finding {
            diagnostic: Diagnostic {
                code: Code::Rule {
                    code: self.rule.code,
                    name: self.rule.name,
                },
                severity,
                message,
                span: Some(span),
                label: None,
                help: Some(help.into()),
                secondary: Vec::new(),
                fix: None,
            },
            rule: self.rule,
            target,
            accepted: None,
            note: None,
        });
        let finding = self.findings.last_mut().expect("just pushed");
        Emitted { finding }
    }

    /// A finding about a server: its name is the target, its key the place.
    pub fn on_server(
        &mut self,
        design: &Design,
        server: ServerId,
        message: String,
        help: impl Into<String>,
    ) -> Emitted<'_> {
        self.on_server_at(self.rule.severity, design, server, message, help)
    }

    pub fn on_server_at(
        &mut self,
        severity: Severity,
        design: &Design,
        server: ServerId,
        message: String,
        help: impl Into<String>,
    ) -> Emitted<'_> {
        let name = &design.server(server).name;
        let target = Target::Server {
            id: server,
            name: name.value.clone(),
        };
        self.emit_at(severity, target, name.span, message, help)
    }

    /// A finding about a component: `SERVER/NAME` is the target, its name (or kind) the place.
    pub fn on_component(
        &mut self,
        design: &Design,
        component: ComponentId,
        message: String,
        help: impl Into<String>,
    ) -> Emitted<'_> {
        self.on_component_at(self.rule.severity, design, component, message, help)
    }

    pub fn on_component_at(
        &mut self,
        severity: Severity,
        design: &Design,
        component: ComponentId,
        message: String,
        help: impl Into<String>,
    ) -> Emitted<'_> {
        self.emit_at(
            severity,
            Target::component(design, component),
            design.component(component).name.span,
            message,
            help,
        )
    }
}

/// Which rules run: `--select` and `--ignore` take codes, names and code prefixes.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    pub select: Vec<String>,
    pub ignore: Vec<String>,
}

impl Selection {
    /// Checks that every selector names at least one rule; `Err` says which does not.
    pub fn validate(&self) -> Result<(), String> {
        for word in self.select.iter().chain(&self.ignore) {
            if !ALL.iter().any(|r| matches(r, word)) {
                let hint = suggest_rule(word)
                    .map(|near| format!(" (did you mean `{near}`?)"))
                    .unwrap_or_default();
                return Err(format!(
                    "`{word}` names no rule{hint}: use a code such as AV001, a name such as single-point-of-failure, or a prefix such as SE"
                ));
            }
        }
        if !ALL.iter().any(|rule| self.enabled(rule)) {
            return Err(format!(
                "`--select {}` and `--ignore {}` leave no rule to run: nothing would be checked",
                self.select.join(","),
                self.ignore.join(",")
            ));
        }
        Ok(())
    }

    pub fn enabled(&self, rule: &Rule) -> bool {
        (self.select.is_empty() || self.select.iter().any(|w| matches(rule, w)))
            && !self.ignore.iter().any(|w| matches(rule, w))
    }
}

fn matches(rule: &Rule, word: &str) -> bool {
    rule.name.eq_ignore_ascii_case(word)
        || (!word.is_empty()
            && word.len() <= rule.code.len()
            && rule.code[..word.len()].eq_ignore_ascii_case(word))
}

/// Options of one analysis.
pub struct Options<'a> {
    pub today: Date,
    pub selection: &'a Selection,
    /// `--profile`, overriding the design's `exercise:`.
    pub profile: Option<&'a Profile>,
    /// Per rule code, the severity its governing `infralint.toml` gives it.
    pub severities: &'a [(&'static str, Severity)],
    /// The design's text, which fixes edit (empty: no fix that needs it is offered).
    pub text: &'a str,
}

/// Runs every enabled rule over a design, then applies its acceptances. `Err` holds
/// design errors that only the rule stage can see: an acceptance of an unknown rule, an
/// `exercise:` that names no profile.
pub fn check(design: &Design, options: &Options<'_>) -> Result<Vec<Finding>, Vec<Diagnostic>> {
    let mut errors = accept::validate(design);
    let profile = match options.profile {
        Some(profile) => Some(profile),
        None => match &design.exercise {
            None => None,
            Some(exercise) => match crate::profile::builtin(&exercise.value) {
                Ok(profile) => Some(profile),
                Err(error) => {
                    errors.push(error.place(exercise.span));
                    None
                }
            },
        },
    };
    if errors.is_empty() {
        errors.extend(accept::validate_targets(design, profile));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let graph = Graph::build(design);
    let context = Context {
        design,
        graph: &graph,
        today: options.today,
        profile,
        text: options.text,
    };
    let mut findings = Vec::new();
    for rule in ALL {
        if rule.code == il001::RULE.code || !options.selection.enabled(rule) {
            continue;
        }
        let mut emitter = Emitter {
            rule,
            findings: Vec::new(),
        };
        (rule.check)(&context, &mut emitter);
        findings.extend(emitter.findings);
    }
    let unused = apply_acceptances(
        design,
        &mut findings,
        options.today,
        options.selection,
        options.text,
    );
    if options.selection.enabled(&il001::RULE) {
        let mut emitter = Emitter {
            rule: &il001::RULE,
            findings: Vec::new(),
        };
        il001::report(design, options.text, &unused, &mut emitter);
        findings.extend(emitter.findings);
    }
    // The severities the design's settings give, in every output and the exit code.
    for finding in &mut findings {
        if let Some(&(_, severity)) = options
            .severities
            .iter()
            .find(|(c, _)| *c == finding.code())
        {
            finding.severity = severity;
        }
    }
    findings.sort_by(|a, b| {
        (a.span().start, a.code(), a.target.as_str()).cmp(&(
            b.span().start,
            b.code(),
            b.target.as_str(),
        ))
    });
    Ok(findings)
}

/// How many items a message lists before it says "and N more": messages stay one
/// readable line, and their cost stays bounded, whatever the design's size.
pub(crate) const LISTED: usize = 4;

/// `a`, `a and b`, `a, b and c`; past [`LISTED`] items, `a, b, c, d and 9996 more`.
/// Request classes as messages name them: "class `web` and the default class".
pub(crate) fn class_list<'a>(classes: impl Iterator<Item = Option<&'a str>>) -> String {
    let names: Vec<String> = classes
        .map(|class| match class {
            Some(class) => format!("class `{class}`"),
            None => "the default class".to_string(),
        })
        .collect();
    and_list(&names)
}

pub(crate) fn and_list(items: &[String]) -> String {
    if items.len() > LISTED {
        format!(
            "{} and {} more",
            items[..LISTED].join(", "),
            items.len() - LISTED
        )
    } else {
        crate::prose::and_join(items)
    }
}

/// The page written to `rules/CODE.md` and printed by `infralint explain`.
pub fn page(rule: &Rule) -> String {
    let mut page = format!(
        "# {code} {name}\n\nSeverity: {severity}. {summary}.\n\n{doc}\n",
        code = rule.code,
        name = rule.name,
        severity = rule.severity.as_str(),
        summary = capitalize(rule.summary),
        doc = rule.doc.trim(),
    );
    if let Some((applicability, what)) = rule.fix {
        let how = match applicability {
            Applicability::Safe => format!(
                "`infralint check --fix` {what}: a safe fix, which keeps what the design means"
            ),
            Applicability::Unsafe | Applicability::Editor => format!(
                "`infralint check --fix --unsafe-fixes` {what}: an unsafe fix, applied only on \
                 request, since it may not be what you meant"
            ),
        };
        page.push_str(&format!(
            "\n## Fix\n\n{how}. `--diff` shows the change without writing it, and editors \
             offer it as a quick fix. A fix edits only the text it is about (comments, order \
             and formatting stay), never text that an alias repeats or a `<<` merges, and is \
             written only if the design still checks without a design error.\n"
        ));
    }
    if let Some(score) = rule.security {
        page.push_str(&format!(
            "\n## Security severity\n\n{score:.1} ({}) in SARIF (`properties.security-severity`, tagged \
             `security`), on the bands GitHub code scanning uses: critical from 9.0, high from \
             7.0, medium from 4.0, low below.\n",
            match score {
                s if s >= 9.0 => "critical",
                s if s >= 7.0 => "high",
                s if s >= 4.0 => "medium",
                _ => "low",
            }
        ));
    }
    page
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_in_messages_are_capped() {
        let items: Vec<String> = (1..=6).map(|i| format!("s{i}")).collect();
        assert_eq!(and_list(&items[..1]), "s1");
        assert_eq!(and_list(&items[..3]), "s1, s2 and s3");
        assert_eq!(and_list(&items[..4]), "s1, s2, s3 and s4");
        assert_eq!(and_list(&items), "s1, s2, s3, s4 and 2 more");
    }

    #[test]
    fn selection_by_code_name_and_prefix() {
        let select = |words: &[&str]| Selection {
            select: words.iter().map(|w| w.to_string()).collect(),
            ignore: Vec::new(),
        };
        let enabled = |s: &Selection| -> Vec<&str> {
            ALL.iter()
                .filter(|r| s.enabled(r))
                .map(|r| r.code)
                .collect()
        };
        assert_eq!(
            enabled(&select(&["se00"])),
            [
                "SE001", "SE002", "SE003", "SE004", "SE005", "SE006", "SE007", "SE008"
            ]
        );
        assert_eq!(
            enabled(&select(&["orphan-replica", "DN"])),
            ["DN001", "DN002", "DN003", "DB001"]
        );
        assert!(select(&["XX"]).validate().is_err());
        assert!(
            select(&["single-point"]).validate().is_err(),
            "names match whole"
        );
    }
}
