//! Render stage: Markdown bodies to HTML, the theme's templates, every page.

pub mod markdown;
pub mod pages;
pub mod theme;
