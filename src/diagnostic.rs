//! What infralint tells the user, as plain data.
//!
//! A [`DesignError`] means a file could not be read as a design (exit 2); what a rule
//! found in a design that could be read is a `rules::Finding`, which shares
//! [`Severity`] and [`Label`]. Both are converted to miette, JSON or anything else only
//! at the output end (`render`).

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

/// A reason a file could not be analysed: broken YAML, an unknown key, a reference
/// that resolves to nothing, a bad value. `span` is `None` only for errors about a path
/// rather than a place in a file (a path that does not exist, a folder with no designs).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DesignError {
    pub message: String,
    pub span: Option<Span>,
    /// What the primary span shows, underlined in text output.
    pub label: Option<String>,
    pub help: Option<String>,
    /// Other places that explain the error (the first definition of a duplicate key).
    pub secondary: Vec<Label>,
    /// Text that, put in place of the primary span, fixes the error: the "did you mean"
    /// word. Editors offer it as a quick fix. Boxed: rare, and errors travel in `Result`s.
    pub fix: Option<Box<String>>,
}

impl DesignError {
    /// An error at a place in the file.
    pub fn at(span: Span, message: impl Into<String>) -> DesignError {
        DesignError {
            message: message.into(),
            span: Some(span),
            label: None,
            help: None,
            secondary: Vec::new(),
            fix: None,
        }
    }

    /// An error about a path as a whole: no line, no column.
    pub fn about_path(message: impl Into<String>) -> DesignError {
        DesignError {
            message: message.into(),
            span: None,
            label: None,
            help: None,
            secondary: Vec::new(),
            fix: None,
        }
    }

    /// An error whose place in the file is known only later: see [`DesignError::place`].
    pub fn unplaced(message: impl Into<String>) -> DesignError {
        DesignError::about_path(message)
    }

    pub fn place(mut self, span: Span) -> DesignError {
        self.span = Some(span);
        self
    }

    pub fn label(mut self, label: impl Into<String>) -> DesignError {
        self.label = Some(label.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> DesignError {
        self.help = Some(help.into());
        self
    }

    /// The replacement that fixes the error (see [`DesignError::fix`]).
    pub fn maybe_fix(mut self, fix: Option<String>) -> DesignError {
        self.fix = fix.map(Box::new);
        self
    }

    pub fn maybe_help(mut self, help: Option<String>) -> DesignError {
        self.help = help;
        self
    }

    pub fn secondary(mut self, span: Span, message: impl Into<String>) -> DesignError {
        self.secondary.push(Label {
            span,
            message: message.into(),
        });
        self
    }
}
