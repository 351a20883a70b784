//! The library and command-line tests, one binary so the crate links once (issue 32).
//! Each module was a test binary of its own; `cargo test --test suite NAME` runs one.

#[path = "../common/mod.rs"]
mod common;

mod architecture;
mod checklists;
mod cli_language;
mod diagnostics;
mod editor;
mod handbook;
mod history_time;
mod history_withheld;
mod hostile;
mod laws;
mod laws_full;
mod limits;
mod load_strict;
mod messages;
mod moved;
mod output;
mod output_safety;
mod pdf;
mod pdf_output;
mod pdf_whole;
mod preview;
mod references;
mod revisions;
mod roles;
mod roles_hostile;
mod root_cause;
mod search;
mod seed;
mod serve;
mod site_templates;
mod terms;
mod tree;
mod withdraw;
mod withheld_hostile;
mod yaml_slips;
