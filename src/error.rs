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
    /// The stable code of the kind of problem (`RB012`, see [`crate::messages`]), for grouping
    /// many of one kind and for tools; `None` only for problems that are not the content's (an
    /// internal failure reported as a diagnostic).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<&'static str>,
    /// What a coded diagnostic's texts are made of, to show them in another language (boxed: most
    /// diagnostics are small, and tens of thousands of them are held at once).
    #[serde(skip)]
    pub coded: Option<Box<Coded>>,
    /// Further places the same problem stands, when it is reported once for all of them (an
    /// unknown front-matter key used by many files): tools get every one, people one warning.
    /// (Boxed: most diagnostics have none, and tens of thousands of them are held at once.)
    #[serde(skip_serializing_if = "Option::is_none")]
    pub also: Option<Box<Vec<Location>>>,
}

/// The named values the catalogue's texts of a [`Diagnostic`] are filled with, and the hint chosen.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Coded {
    pub args: Vec<(&'static str, String)>,
    /// The catalogue's advice for this case ([`crate::messages::HINTS`]), if the help is one.
    pub hint: Option<&'static str>,
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
            coded: None,
            also: None,
        }
    }

    /// A diagnostic of the catalogue's kind `code`, its text (English here; see [`Self::localize`])
    /// filled with `args`.
    pub fn coded(
        severity: Severity,
        code: &'static str,
        path: impl Into<PathBuf>,
        line: usize,
        column: usize,
        args: Vec<(&'static str, String)>,
    ) -> Self {
        let mut d = Diagnostic {
            severity,
            code: Some(code),
            coded: Some(Box::new(Coded { args, hint: None })),
            ..Diagnostic::error(path, line, column, String::new())
        };
        d.localize(crate::messages::Lang::En);
        d
    }

    /// Advice from the catalogue's hints (`did-you-mean` …), with more arguments for it.
    pub fn with_hint(mut self, name: &'static str, args: Vec<(&'static str, String)>) -> Self {
        let coded = self.coded.get_or_insert_default();
        coded.args.extend(args);
        coded.hint = Some(name);
        self.help = crate::messages::hint(name).map(|h| crate::messages::render(h.en, &coded.args));
        self
    }

    /// The value of the argument `name` of a coded diagnostic.
    pub fn arg(&self, name: &str) -> Option<&str> {
        self.coded
            .as_ref()?
            .args
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Add an argument (for a text that says more, as a merged diagnostic's).
    pub fn push_arg(&mut self, name: &'static str, value: String) {
        self.coded.get_or_insert_default().args.push((name, value));
    }

    /// Show the message and advice in `lang`, where the catalogue has them (uncoded diagnostics
    /// stay as written).
    pub fn localize(&mut self, lang: crate::messages::Lang) {
        use crate::messages::{Lang, hint, message, render};
        let Some(m) = self.code.and_then(message) else {
            return;
        };
        let empty = Coded::default();
        let coded = self.coded.as_deref().unwrap_or(&empty);
        let (text, help) = match lang {
            Lang::En => (m.en, m.help_en),
            Lang::Zh => (m.zh, m.help_zh),
        };
        self.message = render(text, &coded.args);
        if let Some(h) = coded.hint.and_then(hint) {
            let t = match lang {
                Lang::En => h.en,
                Lang::Zh => h.zh,
            };
            self.help = Some(render(t, &coded.args));
        } else if !help.is_empty() {
            self.help = Some(render(help, &coded.args));
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
    /// A newer change made this build pointless (the preview server's builds only).
    #[error("the build was cancelled by a newer change")]
    Cancelled,
    /// The output folder is not one the build may replace.
    #[error("refusing to write to {path}: {reason}")]
    UnsafeOutput {
        path: PathBuf,
        reason: String,
        /// The reason in Chinese, for the command line of a Chinese site.
        reason_zh: String,
    },
    /// The preview server cannot listen on this address (`rulebook serve`; the terminal says why
    /// in the site's language).
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: std::net::SocketAddr,
        #[source]
        source: std::io::Error,
    },
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
