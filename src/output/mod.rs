//! Output stage: writing the rendered files to disk (later: search index, print edition).

pub mod write;
