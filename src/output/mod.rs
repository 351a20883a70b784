//! Output stage: writing the rendered files to disk (later: search index, print edition).

pub mod copy;
pub mod file;
pub mod manifest;
pub mod staging;
pub mod target;
pub mod write;
