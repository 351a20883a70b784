//! Error and diagnostic types shared by every stage; rendered with file:line:column at the CLI edge.

use std::fmt;
use std::path::PathBuf;

/// How serious a [`Diagnostic`] is. Errors fail the build; warnings are printed and the build goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// One problem in one source file, located by line and column (both 1-based), with advice.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path as the editor knows it: relative to the site root where possible.
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
    /// A stable name for the kind of problem (`unknown-title`, `numbering` …), for grouping many
    /// of one kind and for tools; `None` for one-off problems.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<&'static str>,
    /// Further places the same problem stands, when it is reported once for all of them (an
    /// unknown front-matter key used by many files): tools get every one, people one warning.
    /// (Boxed: most diagnostics have none, and tens of thousands of them are held at once.)
    #[serde(skip_serializing_if = "Option::is_none")]
    pub also: Option<Box<Vec<Location>>>,
}

/// A place in a source file (1-based line and column).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Location {
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
}

impl Diagnostic {
    pub fn error(
        path: impl Into<PathBuf>,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.into(),
            line,
            column,
            message: message.into(),
            help: None,
            code: None,
            also: None,
        }
    }

    pub fn warning(
        path: impl Into<PathBuf>,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, line, column, message)
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_code(mut self, code: &'static str) -> Self {
        self.code = Some(code);
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{}:{}:{}: {kind}: {}",
            self.path.display(),
            self.line,
            self.column,
            self.message
        )?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// Everything that can stop a build.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The content has problems; every one found is listed (not only the first).
    #[error("{} error(s) in the content", .0.iter().filter(|d| d.is_error()).count())]
    Content(Vec<Diagnostic>),
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("template {name}: {message}")]
    Template { name: String, message: String },
    /// The print edition could not be typeset (`rulebook pdf`).
    #[error("cannot print the handbook: {message}")]
    Pdf { message: String },
    /// The output folder is not one the build may replace.
    #[error("refusing to write to {path}: {reason}")]
    UnsafeOutput { path: PathBuf, reason: String },
}

impl Error {
    /// The diagnostics carried by a content error (empty for other kinds).
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            Error::Content(d) => d,
            _ => &[],
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
