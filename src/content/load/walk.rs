//! Finding the files under `content/`: regulations, folder pages and procedures, in file-name
//! order (so output never depends on the order a directory lists), links followed only inside the
//! site root.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use super::Ctx;
use crate::error::{Diagnostic, Severity};
use crate::messages::phrase;

/// Files at the top of `content/` that are data, not regulations.
const DATA_FILES: &[&str] = &["site.yaml", "roles.yaml", "terms.yaml"];
const PROCEDURES_DIR: &str = "procedures";

/// The files the loader reads, each list sorted by path.
pub(super) struct Files {
    /// Regulation files (Markdown that is no folder page).
    pub(super) regulations: Vec<PathBuf>,
    /// Folder pages: `_index.md`, and an `index.md` beside other pages.
    pub(super) folder_pages: Vec<PathBuf>,
    /// `procedures/*.yaml`.
    pub(super) procedures: Vec<PathBuf>,
}

/// Whether a file name is one the loader reads (a regulation, a procedure or a data file).
fn is_source_name(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("md" | "yaml" | "yml")
    ) || path.extension().is_none()
}

/// Walk `content/` and sort what it holds into [`Files`]; a folder that cannot be read and a link
/// that is skipped are reported.
pub(super) fn walk(ctx: &Ctx, diags: &mut Vec<Diagnostic>) -> Files {
    let content = ctx.content;
    let canonical_root = ctx.root.canonicalize().ok();
    // Collect paths first (sorted, so output never depends on directory order), then parse in parallel.
    let mut md_files = Vec::new();
    let mut index_files = Vec::new();
    let mut procedure_files = Vec::new();
    for entry in WalkDir::new(content)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
    {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let p = e
                    .path()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| content.to_path_buf());
                diags.push(Diagnostic::coded(
                    Severity::Error,
                    "RB060",
                    ctx.display(&p),
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
        let path = entry.path();
        if entry.path_is_symlink() && entry.depth() > 0 {
            // Links are followed only to files inside the site root: content/ must not pull in
            // files from elsewhere on the machine. Folders linked in are not walked (no loops).
            // Why, from the catalogue's phrases.
            let skipped = match path.canonicalize() {
                // The system's words in English, its reason in Chinese.
                Err(e) => Some((
                    phrase("link-broken", &[("error", e.to_string())]).0,
                    phrase(
                        "link-broken",
                        &[("error", crate::messages::io_reason_zh(&e))],
                    )
                    .1,
                )),
                Ok(target)
                    if !canonical_root
                        .as_deref()
                        .is_some_and(|r| target.starts_with(r)) =>
                {
                    Some(phrase(
                        "link-outside",
                        &[("target", target.display().to_string())],
                    ))
                }
                Ok(target) if target.is_dir() => Some(phrase("link-to-folder", &[])),
                // A pipe or device would block the read (issue 23): never opened.
                Ok(target) if !target.is_file() => Some(phrase("link-not-a-file", &[])),
                Ok(_) => None,
            };
            if let Some((why, why_zh)) = skipped {
                if is_source_name(path) {
                    diags.push(Diagnostic::coded(
                        Severity::Warning,
                        "RB061",
                        ctx.display(path),
                        1,
                        1,
                        vec![("why", why), ("why_zh", why_zh)],
                    ));
                }
                continue;
            }
        } else if !entry.file_type().is_file() {
            // A pipe or device with a source's name: skipped (reading it could block), and said.
            if !entry.file_type().is_dir() && is_source_name(path) {
                let args = vec![("path", ctx.display(path).display().to_string())];
                diags.push(Diagnostic::coded(
                    Severity::Warning,
                    "RB109",
                    ctx.display(path),
                    1,
                    1,
                    args,
                ));
            }
            continue;
        }
        let rel = path.strip_prefix(content).unwrap_or(path);
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if rel.parent() == Some(Path::new(PROCEDURES_DIR)) && matches!(ext, "yaml" | "yml") {
            procedure_files.push(path.to_path_buf());
        } else if ext == "md" && entry.file_name() == "_index.md" {
            // A folder's own page (Hugo's branch bundle): it describes the category, it is no
            // regulation.
            index_files.push(path.to_path_buf());
        } else if ext == "md" {
            md_files.push(path.to_path_buf());
        } else if rel.parent() == Some(Path::new(""))
            && DATA_FILES.contains(&rel.to_str().unwrap_or(""))
        {
            // read below
        }
    }
    let (regulations, folder_pages) = branch_pages(content, md_files, index_files);
    Files {
        regulations,
        folder_pages,
        procedures: procedure_files,
    }
}

/// An `index.md` in a folder that holds other pages (here or further down) is that folder's
/// page, as `_index.md` is; alone in its folder it is a regulation (Hugo's leaf bundle).
/// Returns the regulation files and the folder pages.
fn branch_pages(
    content: &Path,
    md_files: Vec<PathBuf>,
    mut index_files: Vec<PathBuf>,
) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let mut pages_in: HashMap<&Path, usize> = HashMap::new();
    for p in &md_files {
        for dir in p.ancestors().skip(1) {
            if !dir.starts_with(content) || dir == content {
                break;
            }
            *pages_in.entry(dir).or_default() += 1;
        }
    }
    let with_folder_page: HashSet<&Path> = index_files.iter().filter_map(|p| p.parent()).collect();
    let (branch, md_files): (Vec<PathBuf>, Vec<PathBuf>) =
        md_files.iter().cloned().partition(|p| {
            p.file_name().is_some_and(|n| n == "index.md")
                && p.parent().is_some_and(|dir| {
                    pages_in.get(dir).is_some_and(|&n| n > 1) && !with_folder_page.contains(dir)
                })
        });
    index_files.extend(branch);
    (md_files, index_files)
}
