//! print.html printed by Chromium, in a binary and browser of its own (see tests.rs).

#[path = "../common/mod.rs"]
mod common;

mod tests;
