//! Full-text search over the handbook, offline and from `file://`: one normalisation ([`fold`]),
//! the layout and encoding of the index files ([`format`]), and the query engine ([`query`]), the
//! same algorithm the browser's `search.js` runs, for tests and tools. The index itself is written
//! by a renderer, `render::search`.

pub mod analyse;
pub mod fold;
pub mod format;
pub mod numbers;
pub mod query;
pub mod yardstick;
