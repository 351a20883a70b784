//! Loading stage: reads `content/` into the [`crate::model`] — front-matter split, the YAML seam,
//! clean text, and the loader.

pub mod files;
pub mod frontmatter;
pub mod ids;
pub mod load;
pub mod scaffold;
pub mod slips;
pub mod text;
pub mod yaml;
