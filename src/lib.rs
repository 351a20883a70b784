//! rulebook: builds an organisation's regulations (Markdown + YAML front-matter) into a static,
//! cross-linked, offline intranet handbook.
//!
//! Stages, in order: [`config`] → [`content`] (loading files into the [`model`]) → [`structure`]
//! (analysis: one parse of each body, clauses, references) → [`render`] (pages, the search index and
//! other outputs, pure functions of the model) → [`output`] (writing). [`site::Site`] runs them;
//! [`serve`] is the editors' preview server around it. [`search`] is what the index's writer and
//! its readers share: folding, file format, queries.

pub mod config;
pub mod content;
pub mod error;
pub mod history;
pub mod i18n;
pub mod messages;
pub mod model;
pub mod natural;
pub mod output;
#[cfg(feature = "pdf")]
pub mod pdf;
pub mod render;
pub mod rootcause;
pub mod search;
pub mod serve;
pub mod site;
pub mod structure;
pub mod url;

pub use error::{Diagnostic, Error, Result, Severity};
pub use site::{BuildReport, Site};
