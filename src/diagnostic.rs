//! What infralint tells the user, as plain data: one [`Diagnostic`] type for a design
//! error (the file could not be read as a design: exit 2) and for what a rule found (a
//! `rules::Finding` is a diagnostic with the rule's target and its acceptance). Both are
//! converted to miette, JSON, SARIF or anything else only at the output end (`render`),
//! each reporter in one loop over `FileReport::diagnostics`.

use crate::source::Span;

/// How bad a finding is. Ordered: `Info < Warning < Error`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A span with a short text that says what is there ("first defined here").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

/// How sure a fix is, as ruff grades them: what `check --fix` may apply on its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Applicability {
    /// Offered in editors only, never applied by `check --fix`: a guess at what was meant
    /// (the "did you mean" word).
    Editor,
    /// Changes what the design means in a way the user may not want (removing a lapsed
    /// acceptance, where extending `until` may be the answer): applied with
    /// `--unsafe-fixes` only.
    Unsafe,
    /// Keeps what the design means, only mends what the rule found.
    Safe,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Editor => "editor",
            Applicability::Unsafe => "unsafe",
            Applicability::Safe => "safe",
        }
    }
}

/// One change to a design's text: the bytes of `span` replaced by `text` (empty to
/// delete, an empty span to insert).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Edit {
    pub span: Span,
    pub text: String,
}

/// A change that mends a diagnostic: edits on the design's own text, so that comments,
/// order and formatting stay as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    /// Imperative, for a menu or a summary: "Make it an A record".
    pub title: String,
    pub edits: Vec<Edit>,
    pub applicability: Applicability,
}

impl Fix {
    /// One replacement.
    pub fn replace(
        title: impl Into<String>,
        span: Span,
        text: impl Into<String>,
        applicability: Applicability,
    ) -> Fix {
        Fix {
            title: title.into(),
            edits: vec![Edit {
                span,
                text: text.into(),
            }],
            applicability,
        }
    }
}

/// What kind of design error: a stable code, like a rule's, that every format carries
/// (JSON `code`, SARIF's notification `descriptor`, the text header). Documented in
/// `docs/design-errors.md`; a code is never reused for another kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ErrorCode {
    /// A path that does not exist, cannot be read, is not a regular file, or holds no
    /// design.
    Unreadable,
    /// A file over the size limit.
    TooLarge,
    /// A file that is not UTF-8 text.
    NotText,
    /// YAML that does not parse.
    InvalidYaml,
    /// A file with no YAML document.
    Empty,
    /// A file with several YAML documents.
    SeveralDocuments,
    /// A key written twice in one mapping.
    DuplicateKey,
    /// A YAML tag infralint does not read, or that disagrees with its value.
    UnsupportedTag,
    /// A budget passed: nesting depth, alias expansion, connections.
    LimitExceeded,
    /// A key not allowed at its place.
    UnknownKey,
    /// A value of the wrong type: a list where a mapping belongs, text for a number.
    WrongType,
    /// A required key or part missing.
    MissingKey,
    /// A word outside its closed set: a kind, a protocol, a rule, a profile.
    UnknownWord,
    /// A value of the right type that is not valid: a port out of range, a bad date,
    /// address, name or host, a key on a component of the wrong kind.
    InvalidValue,
    /// A name that names nothing in the design.
    UnknownName,
    /// Two things of one name or one address.
    DuplicateName,
    /// A name that could mean two things.
    AmbiguousName,
    /// DNS that cannot be resolved: a CNAME loop, a CNAME beside another record, a name
    /// that leads out of the design or to an address no server has.
    Dns,
    /// A setting of `infralint.toml` that does not read.
    Config,
}

impl ErrorCode {
    pub const ALL: &[ErrorCode] = &[
        ErrorCode::Unreadable,
        ErrorCode::TooLarge,
        ErrorCode::NotText,
        ErrorCode::InvalidYaml,
        ErrorCode::Empty,
        ErrorCode::SeveralDocuments,
        ErrorCode::DuplicateKey,
        ErrorCode::UnsupportedTag,
        ErrorCode::LimitExceeded,
        ErrorCode::UnknownKey,
        ErrorCode::WrongType,
        ErrorCode::MissingKey,
        ErrorCode::UnknownWord,
        ErrorCode::InvalidValue,
        ErrorCode::UnknownName,
        ErrorCode::DuplicateName,
        ErrorCode::AmbiguousName,
        ErrorCode::Dns,
        ErrorCode::Config,
    ];

    /// The code: `E` and three digits, grouped by stage (0xx files, 1xx YAML, 2xx the
    /// format, 3xx names and DNS, 4xx settings).
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Unreadable => "E001",
            ErrorCode::TooLarge => "E002",
            ErrorCode::NotText => "E003",
            ErrorCode::InvalidYaml => "E101",
            ErrorCode::Empty => "E102",
            ErrorCode::SeveralDocuments => "E103",
            ErrorCode::DuplicateKey => "E104",
            ErrorCode::UnsupportedTag => "E105",
            ErrorCode::LimitExceeded => "E106",
            ErrorCode::UnknownKey => "E201",
            ErrorCode::WrongType => "E202",
            ErrorCode::MissingKey => "E203",
            ErrorCode::UnknownWord => "E204",
            ErrorCode::InvalidValue => "E205",
            ErrorCode::UnknownName => "E301",
            ErrorCode::DuplicateName => "E302",
            ErrorCode::AmbiguousName => "E303",
            ErrorCode::Dns => "E304",
            ErrorCode::Config => "E401",
        }
    }

    /// Its section of `docs/design-errors.md` under the package's repository, when the
    /// package states one (as rule pages are linked).
    pub fn page_url(self) -> Option<String> {
        let repository = env!("CARGO_PKG_REPOSITORY").trim_end_matches('/');
        (!repository.is_empty()).then(|| {
            format!(
                "{repository}/blob/main/docs/design-errors.md#{}-{}",
                self.as_str().to_ascii_lowercase(),
                self.name()
            )
        })
    }

    /// A short name, as rules have: `unknown-key`.
    pub fn name(self) -> &'static str {
        match self {
            ErrorCode::Unreadable => "unreadable",
            ErrorCode::TooLarge => "too-large",
            ErrorCode::NotText => "not-text",
            ErrorCode::InvalidYaml => "invalid-yaml",
            ErrorCode::Empty => "empty",
            ErrorCode::SeveralDocuments => "several-documents",
            ErrorCode::DuplicateKey => "duplicate-key",
            ErrorCode::UnsupportedTag => "unsupported-tag",
            ErrorCode::LimitExceeded => "limit-exceeded",
            ErrorCode::UnknownKey => "unknown-key",
            ErrorCode::WrongType => "wrong-type",
            ErrorCode::MissingKey => "missing-key",
            ErrorCode::UnknownWord => "unknown-word",
            ErrorCode::InvalidValue => "invalid-value",
            ErrorCode::UnknownName => "unknown-name",
            ErrorCode::DuplicateName => "duplicate-name",
            ErrorCode::AmbiguousName => "ambiguous-name",
            ErrorCode::Dns => "dns",
            ErrorCode::Config => "config",
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A diagnostic's code: a design error's (`E201`) or a rule's (`AV001`), each with its
/// short name. A rule's is held as text so that this module needs nothing of `rules`;
/// `rules::Emitter` writes it from the rule itself, never by hand.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Code {
    Error(ErrorCode),
    Rule {
        code: &'static str,
        name: &'static str,
    },
}

impl Code {
    /// `E201`, `AV001`.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Error(code) => code.as_str(),
            Code::Rule { code, .. } => code,
        }
    }

    /// `unknown-key`, `single-point-of-failure`.
    pub fn name(self) -> &'static str {
        match self {
            Code::Error(code) => code.name(),
            Code::Rule { name, .. } => name,
        }
    }

    /// The page that documents it (`docs/design-errors.md#...`, `rules/CODE.md`) under
    /// the package's repository, when the package states one.
    pub fn page_url(self) -> Option<String> {
        match self {
            Code::Error(code) => code.page_url(),
            Code::Rule { code, .. } => {
                let repository = env!("CARGO_PKG_REPOSITORY").trim_end_matches('/');
                (!repository.is_empty()).then(|| format!("{repository}/blob/main/rules/{code}.md"))
            }
        }
    }
}

impl PartialEq<ErrorCode> for Code {
    fn eq(&self, other: &ErrorCode) -> bool {
        *self == Code::Error(*other)
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What infralint tells the user about a place in a design, or about a path.
///
/// As a design error: a reason a file could not be analysed (broken YAML, an unknown
/// key, a reference that resolves to nothing, a bad value); `span` is `None` only for
/// errors about a path rather than a place in a file (a path that does not exist, a
/// folder with no designs). As a finding's: always placed, at the rule's severity or the
/// one its settings give.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    pub span: Option<Span>,
    /// What the primary span shows, underlined in text output.
    pub label: Option<String>,
    pub help: Option<String>,
    /// Other places that explain it (the first definition of a duplicate key).
    pub secondary: Vec<Label>,
    /// The change that mends it: a rule's fix, or a design error's "did you mean" word.
    /// Boxed: rare, and errors travel in `Result`s.
    pub fix: Option<Box<Fix>>,
}

impl Diagnostic {
    /// A design error at a place in the file.
    pub fn at(code: ErrorCode, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic::about_path(code, message).place(span)
    }

    /// A design error about a path as a whole: no line, no column.
    pub fn about_path(code: ErrorCode, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code: Code::Error(code),
            severity: Severity::Error,
            message: message.into(),
            span: None,
            label: None,
            help: None,
            secondary: Vec::new(),
            fix: None,
        }
    }

    /// A design error whose place in the file is known only later: see
    /// [`Diagnostic::place`].
    pub fn unplaced(code: ErrorCode, message: impl Into<String>) -> Diagnostic {
        Diagnostic::about_path(code, message)
    }

    /// Places it, and the "did you mean" word given before it was placed.
    pub fn place(mut self, span: Span) -> Diagnostic {
        self.span = Some(span);
        for edit in self.fix.iter_mut().flat_map(|fix| fix.edits.iter_mut()) {
            if edit.span == UNPLACED {
                edit.span = span;
            }
        }
        self
    }

    pub fn label(mut self, label: impl Into<String>) -> Diagnostic {
        self.label = Some(label.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// The word that was likely meant, put in place of the primary span: editors offer
    /// it, `check --fix` never applies a guess.
    pub fn maybe_fix(mut self, word: Option<String>) -> Diagnostic {
        self.fix = word.map(|word| {
            Box::new(Fix::replace(
                format!("Replace with `{word}`"),
                self.span.unwrap_or(UNPLACED),
                word,
                Applicability::Editor,
            ))
        });
        self
    }

    pub fn maybe_help(mut self, help: Option<String>) -> Diagnostic {
        self.help = help;
        self
    }

    pub fn secondary(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.secondary.push(Label {
            span,
            message: message.into(),
        });
        self
    }
}

/// Where a "did you mean" edit points until its diagnostic is placed: a replacement of
/// a word is never the empty span at the start of the file.
const UNPLACED: Span = Span { start: 0, end: 0 };
