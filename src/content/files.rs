//! Checks the files the build copies into the output as they are — the `forms:` and `external:`
//! files of site.yaml (to `files/`) and the site's `static/` (to `assets/`) — when the content is
//! loaded, so `rulebook check` reports them and rendering only reads paths checked here.
//!
//! A copied file must be a regular file inside the site folder once symbolic links are resolved, and
//! never a file the loader reads as content: a regulation's Markdown (published or withheld: a form
//! pointing at a draft must not publish its raw text), a procedure, site.yaml, roles.yaml, terms.yaml.
//! Paths from site.yaml are relative to content/, without `..` or hidden (`.`) parts.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::error::{Diagnostic, Severity};
use crate::url;

/// Data files at the top of content/ (besides the regulations and procedures the loader finds).
const DATA_FILES: &[&str] = &["site.yaml", "roles.yaml", "terms.yaml"];

/// A file copied into the output, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopiedFile {
    /// The file to read: canonical (no symbolic links), a regular file inside the site folder.
    pub source: PathBuf,
    /// Where it goes, relative to the output folder: `files/forms/x.docx`, `assets/logo.png`.
    pub output: String,
}

impl CopiedFile {
    /// The file's bytes. It is refused if it has become anything but a regular file since it was
    /// checked (a symbolic link put in its place).
    pub fn read(&self) -> std::io::Result<Vec<u8>> {
        let meta = std::fs::symlink_metadata(&self.source)?;
        if !meta.is_file() {
            return Err(std::io::Error::other(
                "no longer a regular file since the content was checked",
            ));
        }
        std::fs::read(&self.source)
    }
}

pub use crate::url::output_path;

/// What the checks found wrong with one file: its code in the message catalogue and the values its
/// texts name (`section` is added by the caller).
type Problem = (&'static str, Vec<(&'static str, String)>);

struct Checker<'a> {
    root: PathBuf,
    content: PathBuf,
    sources: Vec<&'a Path>,
    /// Canonical paths of every content source, built on first use.
    source_set: Option<HashSet<PathBuf>>,
}

impl Checker<'_> {
    fn is_source(&mut self, canonical: &Path) -> bool {
        let set = self.source_set.get_or_insert_with(|| {
            // The loader walks content/ without following links, so each source's canonical path
            // is the canonical content folder joined with its path below content/.
            let content = self.content.canonicalize().unwrap_or(self.content.clone());
            self.sources
                .iter()
                .filter_map(|p| p.strip_prefix(&self.content).ok())
                .map(|rel| content.join(rel))
                .chain(DATA_FILES.iter().map(|f| content.join(f)))
                .collect()
        });
        set.contains(canonical)
    }

    /// Resolve `path` and check it; the canonical path if it may be copied.
    fn check(&mut self, path: &Path, shown: &str) -> Result<PathBuf, Problem> {
        let file = || ("file", shown.to_string());
        let unreadable = |e: std::io::Error| {
            (
                "RB084",
                vec![
                    file(),
                    ("error_zh", crate::messages::io_reason_zh(&e)),
                    ("error", e.to_string()),
                ],
            )
        };
        let canonical = path.canonicalize().map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                (
                    "RB083",
                    vec![file(), ("looked", path.display().to_string())],
                )
            } else {
                unreadable(e)
            }
        })?;
        let Ok(inside) = canonical.strip_prefix(&self.root) else {
            return Err((
                "RB085",
                vec![file(), ("target", canonical.display().to_string())],
            ));
        };
        if inside
            .components()
            .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
        {
            return Err((
                "RB086",
                vec![file(), ("inside", inside.display().to_string())],
            ));
        }
        let meta = std::fs::metadata(&canonical).map_err(unreadable)?;
        if !meta.is_file() {
            return Err(("RB087", vec![file()]));
        }
        if self.is_source(&canonical) {
            return Err((
                "RB088",
                vec![file(), ("inside", inside.display().to_string())],
            ));
        }
        Ok(canonical)
    }
}

/// Check every file the build will copy. `sources` are the files the loader read as content (every
/// `.md` under content/, published or withheld, and every procedure file), as found under
/// `root/content`. Returns the files that may be copied and a diagnostic for each one that may not.
pub fn validate<'a>(
    root: &Path,
    config: &Config,
    sources: impl IntoIterator<Item = &'a Path>,
) -> (Vec<CopiedFile>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut diags = Vec::new();
    let Ok(root_canonical) = root.canonicalize() else {
        // No site folder: loading reports that.
        return (files, diags);
    };
    let content = root.join("content");
    let mut checker = Checker {
        root: root_canonical,
        content: content.clone(),
        sources: sources.into_iter().collect(),
        source_set: None,
    };

    for (section, map) in [("forms", &config.forms), ("external", &config.external)] {
        for (name, dest) in map {
            if url::scheme(dest).is_some() {
                continue; // a URL: Config::parse refused the schemes it may not have
            }
            let (line, column) = config.entry_line(section, name);
            let error = |(code, mut args): Problem| {
                args.insert(0, ("section", section.to_string()));
                Diagnostic::coded(Severity::Error, code, &config.path, line, column, args)
            };
            let Some(output) = output_path(dest) else {
                diags.push(error(("RB082", vec![("dest", dest.clone())])));
                continue;
            };
            let rel = &output["files/".len()..];
            match checker.check(&content.join(rel), dest) {
                Ok(source) => {
                    if !files.iter().any(|f: &CopiedFile| f.output == output) {
                        files.push(CopiedFile { source, output });
                    }
                }
                Err(p) => diags.push(error(p)),
            }
        }
    }

    let static_dir = root.join("static");
    let static_inside = static_dir
        .canonicalize()
        .map(|c| c.starts_with(&checker.root));
    if static_inside.as_ref().is_ok_and(|inside| !inside) {
        diags.push(Diagnostic::coded(
            Severity::Error,
            "RB089",
            "static",
            1,
            1,
            Vec::new(),
        ));
    } else if static_dir.is_dir() {
        // Hidden files (.gitkeep, .DS_Store, .git/) are not part of the theme: left out, as the
        // loader leaves them out of content/.
        for entry in walkdir::WalkDir::new(&static_dir)
            .sort_by_file_name()
            .min_depth(1)
            .into_iter()
            .filter_entry(|e| !e.file_name().to_string_lossy().starts_with('.'))
        {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    let p = e.path().unwrap_or(&static_dir).to_path_buf();
                    diags.push(Diagnostic::coded(
                        Severity::Error,
                        "RB060",
                        shown(root, &p),
                        1,
                        1,
                        vec![
                            ("error_zh", crate::messages::walk_reason_zh(&e)),
                            ("error", e.to_string()),
                        ],
                    ));
                    continue;
                }
            };
            if entry.file_type().is_dir() {
                continue;
            }
            let name = entry
                .path()
                .strip_prefix(&static_dir)
                .unwrap_or(entry.path())
                .to_string_lossy()
                .replace('\\', "/");
            let display = shown(root, entry.path());
            match checker.check(entry.path(), &display.to_string_lossy()) {
                Ok(source) => files.push(CopiedFile {
                    source,
                    output: format!("assets/{name}"),
                }),
                Err((code, mut args)) => {
                    args.insert(0, ("section", "static".to_string()));
                    diags.push(Diagnostic::coded(
                        Severity::Error,
                        code,
                        &display,
                        1,
                        1,
                        args,
                    ));
                }
            }
        }
    }
    (files, diags)
}

/// A path as the editor knows it: relative to the site root.
fn shown(root: &Path, p: &Path) -> PathBuf {
    p.strip_prefix(root).unwrap_or(p).to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_paths() {
        let cases: &[(&str, Option<&str>)] = &[
            ("forms/yinzhang.docx", Some("files/forms/yinzhang.docx")),
            ("/forms/yinzhang.docx", Some("files/forms/yinzhang.docx")),
            ("./forms/./a.pdf", Some("files/forms/a.pdf")),
            ("印章使用审批单.docx", Some("files/印章使用审批单.docx")),
            ("../secret.txt", None),
            ("forms/../../x", None),
            (".git/config", None),
            ("forms/.env", None),
            ("", None),
            ("/", None),
            ("https://example.org/x.pdf", None),
            ("javascript:alert(1)", None),
        ];
        for (dest, want) in cases {
            assert_eq!(output_path(dest).as_deref(), *want, "{dest:?}");
        }
    }
}
