//! rulebook: builds an organisation's regulations (Markdown + YAML front-matter) into a static,
//! cross-linked, offline intranet handbook.
//!
//! Stages, in order: [`config`] → [`content`] (front-matter, model, loading) → [`structure`] (clauses)
//! → [`render`] (templates, pages) → [`output`] (writing). [`site::Site`] runs them.

pub mod config;
pub mod content;
pub mod error;
pub mod i18n;
pub mod output;
pub mod render;
pub mod site;
pub mod structure;
pub mod url;

pub use error::{Diagnostic, Error, Result, Severity};
pub use site::{BuildReport, Site};
