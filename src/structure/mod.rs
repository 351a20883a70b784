//! Structure stage: what the text means — clause numbering (and, on top of it, references, roles, procedures).

pub mod clauses;
pub mod limits;
pub mod lines;
pub mod numerals;
pub mod references;
