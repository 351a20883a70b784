//! The preview server's quick path: an edit to the body of one regulation (or a few) is shown by
//! analysing that regulation again inside the last good model and rendering its page alone, in
//! milliseconds, while the full build that follows catches up with everything else (backlinks
//! elsewhere, lists, the search index, the print edition).
//!
//! Only what is certain to be local takes this path: `.md` files of published regulations whose
//! front-matter is byte for byte what the model was built from. A changed front-matter (a title,
//! an alias, an order), a new, removed or withheld file, `site.yaml`, `roles.yaml`, procedures,
//! templates and static files all wait for the full build.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::content::{frontmatter, text};
use crate::error::Diagnostic;
use crate::model::Library;
use crate::output::write::Collect;
use crate::render::theme::Theme;
use crate::structure::references::Index;

/// The model, theme and name index of the last good full build: what the quick path edits.
pub struct Warm {
    pub library: Library,
    pub theme: Theme,
    pub index: Index,
}

/// What the quick path made of a change.
pub struct Quick {
    /// The edited pages and their preview files: output path → bytes.
    pub files: HashMap<String, Arc<[u8]>>,
    /// The edited regulations' own diagnostics (errors among them fail the preview at once).
    pub diagnostics: Vec<Diagnostic>,
    /// The regulations shown again, by id.
    pub regulations: Vec<String>,
}

/// Whether a changed path can be passed over: an editor's temporary or backup file (hidden, `~`,
/// vim's `4913` probe) that is gone already or that no build reads.
fn ignorable(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    name.starts_with('.') || name.ends_with('~') || (!path.exists() && !name.ends_with(".md"))
}

/// Show the changed `paths` quickly if they are all body edits of published regulations, or `None`
/// if the full build must do it. `warm` is updated in place (its edited regulations analysed
/// again), so later quick edits build on this one.
pub fn apply(
    root: &Path,
    encoding: text::Encoding,
    warm: &mut Warm,
    paths: &[PathBuf],
) -> Option<Quick> {
    let content = root.join("content");
    let mut edits: Vec<(usize, String, usize)> = Vec::new();
    for path in paths {
        if ignorable(path) {
            continue;
        }
        if !path.starts_with(&content)
            || path.extension().and_then(|e| e.to_str()) != Some("md")
            || path.file_name().is_some_and(|n| n == "_index.md")
        {
            return None;
        }
        // Sources are known by the path shown in messages (relative to the root).
        let shown = path.strip_prefix(root).unwrap_or(path);
        let i = warm
            .library
            .regulations
            .iter()
            .position(|r| r.source.path == shown)?;
        let mut read_diags = Vec::new();
        let text = text::read_as(path, shown, encoding, &mut read_diags).ok()?;
        let split = frontmatter::split(&text).ok()?;
        let reg = &warm.library.regulations[i];
        if split.yaml != reg.front_matter || edits.iter().any(|(j, _, _)| *j == i) {
            return None;
        }
        edits.push((i, split.body.to_string(), split.body_line));
    }
    if edits.is_empty() {
        return None;
    }
    let edited: Vec<usize> = edits.iter().map(|(i, _, _)| *i).collect();
    let mut diagnostics = Vec::new();
    let mut regulations = Vec::new();
    for (i, body, body_line) in edits {
        diagnostics.extend(crate::structure::reanalyse_body(
            &mut warm.library,
            i,
            body,
            body_line,
            &warm.index,
        ));
        regulations.push(warm.library.regulations[i].id.clone());
    }
    let sink = Collect::default();
    for i in edited {
        crate::render::regulation_alone(&warm.library, &warm.theme, i, &sink).ok()?;
    }
    Some(Quick {
        files: sink
            .into_files()
            .into_iter()
            .map(|f| (f.path, Arc::from(f.bytes)))
            .collect(),
        diagnostics,
        regulations,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editors_temporary_files_are_passed_over() {
        let dir = tempfile::tempdir().unwrap();
        let kept = ["x.md", "x.md___jb_tmp___", "roles.yaml"];
        for name in kept {
            std::fs::write(dir.path().join(name), "").unwrap();
        }
        // (file name, whether a save's events may pass it over)
        let cases: &[(&str, bool)] = &[
            ("x.md", false),              // the file saved
            ("roles.yaml", false),        // a source of its own
            ("x.md___jb_tmp___", false),  // still there: the full build decides
            ("4913", true),               // vim's probe, gone already
            ("x.md~", true),              // a backup
            (".x.md.swp", true),          // vim's swap file
            (".#x.md", true),             // emacs's lock
            (".goutputstream-ABC", true), // gedit's temporary file
            ("gone.yaml", true),          // removed, and no regulation
            ("gone.md", false),           // a regulation removed: the full build must know
        ];
        for (name, want) in cases {
            assert_eq!(ignorable(&dir.path().join(name)), *want, "{name}");
        }
    }
}
