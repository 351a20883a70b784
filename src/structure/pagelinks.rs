//! Links authors wrote between their files, as another generator's site has them: relative and
//! root-relative links to `.md` files (`../travel/index.md`, `./tock.md#billing`), to folders
//! (`/tools/slack/`, a folder's `index.md` / `_index.md`) and to files beside a page (images, PDFs:
//! page bundles and `images/` folders). Each becomes the address the build writes — a regulation
//! (by id, with its anchor checked), a category page, or the file copied to `files/` — so it works
//! from a server and from `file://`. One that leads nowhere is a warning at its file and line and its
//! text stays unlinked, as with every internal link.
//!
//! Paths are resolved on disk against the content folder ([`crate::config::Config::content_dir`]);
//! a library built in code has none, and its links stay as written. Addresses the URL policy
//! decides (schemes, `#anchor`, `@id`) are not this module's.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::content::files::CopiedFile;
use crate::error::{Diagnostic, Severity};
use crate::model::{Block, Library, LinkTo, Piece, Regulation, Target, Withheld};
use crate::url;

/// Where a path under content/ leads.
#[derive(Debug, Clone)]
enum Page {
    Regulation(String),
    Withheld,
}

/// What the handbook's files are, by their path under content/ (`about-us/org-chart.md`).
struct Pages<'a> {
    content: &'a Path,
    by_path: HashMap<String, Page>,
    /// Regulation id → the anchors of its page.
    anchors: HashMap<&'a str, HashSet<String>>,
    categories: HashSet<&'a str>,
}

/// The anchors a regulation's page has: clauses, later paragraphs of articles, headings, and the
/// page's own.
fn anchors_of(reg: &Regulation) -> HashSet<String> {
    let mut set: HashSet<String> = reg.clauses.iter().map(|c| c.anchor.clone()).collect();
    for b in &reg.doc.blocks {
        if let Some(a) = &b.anchor {
            set.insert(a.clone());
        }
        if let (Some(c), Some(k)) = (b.clause, b.para)
            && k > 1
        {
            set.insert(format!("{}-para{k}", reg.clauses[c].anchor));
        }
    }
    for own in ["top", "preamble"] {
        set.insert(own.to_string());
    }
    set
}

/// The path of a source under content/, `/`-separated (`content/a/b.md` → `a/b.md`).
fn under_content(path: &Path) -> Option<String> {
    let rel = path.strip_prefix("content").ok()?;
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    Some(parts.join("/"))
}

/// Resolve the authors' links of every regulation (or of `only`) and of the folder pages'
/// introductions; copy the files they lead to. Returns the warnings.
pub fn resolve(lib: &mut Library, withheld: &[Withheld], only: Option<usize>) -> Vec<Diagnostic> {
    let Some(content) = lib.config.content_dir.clone() else {
        return Vec::new();
    };
    let mut diags = Vec::new();
    let mut copied: Vec<CopiedFile> = Vec::new();
    let mut resolved: Vec<(usize, Vec<Vec<LinkTo>>)> = Vec::new();
    let mut intros: Vec<(usize, Vec<Vec<LinkTo>>)> = Vec::new();
    {
        let mut by_path = HashMap::new();
        let mut anchors = HashMap::new();
        for r in &lib.regulations {
            if let Some(p) = under_content(&r.source.path) {
                by_path.insert(p, Page::Regulation(r.id.clone()));
            }
            anchors.insert(r.id.as_str(), anchors_of(r));
        }
        for w in withheld {
            if let Some(p) = under_content(&w.path) {
                by_path.insert(p, Page::Withheld);
            }
        }
        let pages = Pages {
            content: &content,
            by_path,
            anchors,
            categories: lib.categories.iter().map(|c| c.id.as_str()).collect(),
        };
        let canonical = content.canonicalize().ok();
        let mut ctx = Ctx {
            pages: &pages,
            canonical: canonical.as_deref(),
            copied: &mut copied,
            diags: &mut diags,
        };
        for (i, reg) in lib.regulations.iter().enumerate() {
            if only.is_some_and(|o| o != i) {
                continue;
            }
            resolved.push((i, ctx.blocks(reg, true)));
        }
        if only.is_none() {
            for (i, c) in lib.categories.iter().enumerate() {
                if let Some(intro) = &c.intro {
                    intros.push((i, ctx.blocks(intro, false)));
                }
            }
        }
    }
    for (i, links) in resolved {
        apply(&mut lib.regulations[i].doc.blocks, links);
    }
    for (i, links) in intros {
        if let Some(intro) = &mut lib.categories[i].intro {
            apply(&mut intro.doc.blocks, links);
        }
    }
    for f in copied {
        if !lib.config.copied.iter().any(|c| c.output == f.output) {
            lib.config.copied.push(f);
        }
    }
    diags
}

/// Put the resolved destinations back into the tree, in the order they were read.
fn apply(blocks: &mut [Block], links: Vec<Vec<LinkTo>>) {
    for (block, links) in blocks.iter_mut().zip(links) {
        let mut links = links.into_iter();
        for p in &mut block.pieces {
            if let Piece::Link { to, .. } = p
                && let Some(new) = links.next()
            {
                *to = new;
            }
        }
    }
}

struct Ctx<'a, 'b> {
    pages: &'b Pages<'a>,
    canonical: Option<&'b Path>,
    copied: &'b mut Vec<CopiedFile>,
    diags: &'b mut Vec<Diagnostic>,
}

impl Ctx<'_, '_> {
    /// Every link of a body, resolved (the same destination where it is not an author's link).
    /// `targets`: a regulation's body, whose renderer links regulations by id; an introduction's
    /// is written with site paths only.
    fn blocks(&mut self, reg: &Regulation, targets: bool) -> Vec<Vec<LinkTo>> {
        let from = under_content(&reg.source.path).unwrap_or_default();
        let dir: Vec<&str> = from.split('/').filter(|s| !s.is_empty()).collect();
        let dir = &dir[..dir.len().saturating_sub(1)];
        let lines = super::lines::LineIndex::new(&reg.body);
        reg.doc
            .blocks
            .iter()
            .map(|b| {
                b.pieces
                    .iter()
                    .filter_map(|p| match p {
                        Piece::Link { to, offset, .. } => {
                            let line = if reg.body.is_empty() {
                                reg.file_line(b.line)
                            } else {
                                reg.file_line(lines.line(*offset))
                            };
                            Some(match to {
                                LinkTo::Url(dest) => self
                                    .link(dest, dir, reg, targets, line)
                                    .unwrap_or_else(|| to.clone()),
                                other => other.clone(),
                            })
                        }
                        _ => None,
                    })
                    .collect()
            })
            .collect()
    }

    fn warn(
        &mut self,
        code: &'static str,
        reg: &Regulation,
        line: usize,
        args: Vec<(&'static str, String)>,
    ) {
        self.diags.push(Diagnostic::coded(
            Severity::Warning,
            code,
            &reg.source.path,
            line,
            1,
            args,
        ));
    }

    /// The destination of one link, if it is an author's link between files; `None` to leave it.
    fn link(
        &mut self,
        dest: &str,
        dir: &[&str],
        reg: &Regulation,
        targets: bool,
        line: usize,
    ) -> Option<LinkTo> {
        if dest.is_empty()
            || url::scheme(dest).is_some()
            || dest.starts_with('#')
            || dest.starts_with('@')
            || dest.starts_with("//")
        {
            return None;
        }
        let (path, fragment) = match dest.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (dest, None),
        };
        let path = path.split_once('?').map_or(path, |(p, _)| p);
        let decoded = percent_encoding::percent_decode_str(path)
            .decode_utf8()
            .ok()?
            .into_owned();
        let root_relative = decoded.starts_with('/');
        let mut parts: Vec<String> = if root_relative {
            Vec::new()
        } else {
            dir.iter().map(|s| s.to_string()).collect()
        };
        let mut escapes = false;
        for seg in decoded.split('/') {
            match seg {
                "" | "." => {}
                ".." => escapes |= parts.pop().is_none(),
                s => parts.push(s.to_string()),
            }
        }
        let last = decoded.rsplit('/').next().unwrap_or("");
        let ext = last
            .rsplit_once('.')
            .map(|(_, e)| e.to_ascii_lowercase())
            .filter(|_| !last.starts_with('.'));
        let markdown = matches!(ext.as_deref(), Some("md" | "markdown"));
        let html = matches!(ext.as_deref(), Some("html" | "htm"));
        let folder = decoded.ends_with('/') || ext.is_none();
        let page_like = markdown || folder || root_relative;
        let broken = |me: &mut Self| {
            me.warn(
                "RB200",
                reg,
                line,
                vec![("dest", url::shown(dest).to_string())],
            );
            Some(LinkTo::Dropped)
        };
        if escapes || parts.iter().any(|p| p.starts_with('.')) {
            return if page_like { broken(self) } else { None };
        }
        let joined = parts.join("/");
        let mut candidates: Vec<String> = Vec::new();
        if markdown {
            candidates.push(joined.clone());
        } else if folder || html {
            let stem = if html {
                joined
                    .rsplit_once('.')
                    .map_or(joined.clone(), |(s, _)| s.to_string())
            } else {
                joined.clone()
            };
            if !stem.is_empty() {
                candidates.push(format!("{stem}.md"));
            }
            for index in ["index.md", "_index.md"] {
                candidates.push(if stem.is_empty() {
                    index.to_string()
                } else {
                    format!("{stem}/{index}")
                });
            }
        }
        for c in &candidates {
            match self.pages.by_path.get(c) {
                Some(Page::Regulation(id)) => {
                    return Some(self.link_regulation(id, fragment, dest, reg, targets, line));
                }
                Some(Page::Withheld) => {
                    self.warn(
                        "RB202",
                        reg,
                        line,
                        vec![("dest", url::shown(dest).to_string())],
                    );
                    return Some(LinkTo::Dropped);
                }
                None => {}
            }
            // A folder page (`_index.md`, an `index.md` beside other pages) is its folder's category.
            let name = c.rsplit('/').next().unwrap_or("");
            if (name == "index.md" || name == "_index.md") && self.pages.content.join(c).is_file() {
                let folder: Vec<&str> = c.split('/').collect();
                return self.link_category(&folder[..folder.len() - 1], fragment, dest, reg, line);
            }
        }
        if (folder || markdown) && self.pages.content.join(&joined).is_dir() {
            return self.link_category(
                &parts.iter().map(String::as_str).collect::<Vec<_>>(),
                fragment,
                dest,
                reg,
                line,
            );
        }
        if !markdown && !folder {
            if let Some(out) = self.copy(&parts) {
                return Some(LinkTo::Site(out));
            }
            // An image or file that is not there, or may not be copied (outside content/ once
            // links are resolved, hidden, a source): never a link to nothing. A relative `.html`
            // that names no file here may name a page of the built site (`../index.html`).
            if !html {
                return broken(self);
            }
        }
        if page_like {
            return broken(self);
        }
        None
    }

    fn link_regulation(
        &mut self,
        id: &str,
        fragment: Option<&str>,
        dest: &str,
        reg: &Regulation,
        targets: bool,
        line: usize,
    ) -> LinkTo {
        let anchor = fragment.filter(|f| !f.is_empty()).and_then(|f| {
            let f = percent_encoding::percent_decode_str(f)
                .decode_utf8_lossy()
                .into_owned();
            if self.pages.anchors.get(id).is_some_and(|a| a.contains(&f)) {
                Some(f)
            } else {
                self.warn(
                    "RB201",
                    reg,
                    line,
                    vec![
                        ("dest", url::shown(dest).to_string()),
                        ("page", id.to_string()),
                        ("anchor", f),
                    ],
                );
                None
            }
        });
        if targets {
            LinkTo::Target(Target::Regulation {
                id: id.to_string(),
                anchor,
            })
        } else {
            let fragment = anchor
                .map(|a| format!("#{}", encode_segment(&a)))
                .unwrap_or_default();
            LinkTo::Site(format!("{}{fragment}", regulation_href(id)))
        }
    }

    fn link_category(
        &mut self,
        folder: &[&str],
        fragment: Option<&str>,
        dest: &str,
        reg: &Regulation,
        line: usize,
    ) -> Option<LinkTo> {
        if fragment.is_some_and(|f| !f.is_empty()) {
            self.warn(
                "RB201",
                reg,
                line,
                vec![
                    ("dest", url::shown(dest).to_string()),
                    ("page", folder.join("/")),
                    ("anchor", fragment.unwrap_or_default().to_string()),
                ],
            );
        }
        if folder.is_empty() {
            return Some(LinkTo::Site("index.html".into()));
        }
        let id = folder.join("-");
        if self.pages.categories.contains(id.as_str()) {
            Some(LinkTo::Site(category_href(&id)))
        } else {
            self.warn(
                "RB200",
                reg,
                line,
                vec![("dest", url::shown(dest).to_string())],
            );
            Some(LinkTo::Dropped)
        }
    }

    /// A file beside the pages, checked as every copied file is: a regular file inside the content
    /// folder once links are resolved, no hidden part, never a source of the handbook (Markdown,
    /// YAML). Its href from the site root, or `None` if it may not be copied.
    fn copy(&mut self, parts: &[String]) -> Option<String> {
        let canonical_content = self.canonical?;
        if parts.is_empty() {
            return None;
        }
        let path: PathBuf = parts
            .iter()
            .fold(self.pages.content.to_path_buf(), |p, s| p.join(s));
        let canonical = path.canonicalize().ok()?;
        let inside = canonical.strip_prefix(canonical_content).ok()?;
        if inside
            .components()
            .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
        {
            return None;
        }
        let ext = canonical
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase());
        if matches!(ext.as_deref(), Some("md" | "markdown" | "yaml" | "yml")) {
            return None;
        }
        if !std::fs::metadata(&canonical).is_ok_and(|m| m.is_file()) {
            return None;
        }
        let output = format!("files/{}", parts.join("/"));
        let href = std::iter::once("files")
            .map(str::to_string)
            .chain(parts.iter().map(|p| encode_segment(p)))
            .collect::<Vec<_>>()
            .join("/");
        if !self.copied.iter().any(|c| c.output == output) {
            self.copied.push(CopiedFile {
                source: canonical,
                output,
            });
        }
        Some(href)
    }
}

/// A path segment percent-encoded as the renderer's links are (RFC 3986: unreserved characters,
/// sub-delimiters, `:` and `@` as they are).
fn encode_segment(s: &str) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

fn category_href(id: &str) -> String {
    format!("categories/{}.html", encode_segment(id))
}

fn regulation_href(id: &str) -> String {
    format!("regulations/{}.html", encode_segment(id))
}
