//! Content loading: front-matter, the YAML seam, the model, and the loader that fills it.

pub mod files;
pub mod frontmatter;
pub mod load;
pub mod model;
pub mod yaml;
