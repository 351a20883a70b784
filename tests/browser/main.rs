//! The browser tests: one shared headless Chromium with pooled windows.

#[path = "../common/mod.rs"]
mod common;

mod tests;
