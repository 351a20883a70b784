//! Reads `content/` into a [`Library`]: every file parsed (in parallel), every problem collected.
//!
//! This is also the one place that decides what is published: a regulation with `draft: true` or a
//! `classification` above the site's `publish_level` never enters the [`Library`], so no output built
//! from the model can leak it. Its ids are kept in [`Loaded::withheld`] so a reference to it is an error.
//!
//! [`load_with`] runs the steps in order, each in its own module: [`walk`] finds the files,
//! [`regulation`] parses each regulation's front-matter ([`keys`] for its key names, [`lifecycle`]
//! for its dates), [`names`] keeps ids and titles unique, [`categories`] builds the category tree
//! from the folders, [`moved`] checks the former ids (`old_ids:`), [`roles`] reads roles.yaml and checks the names regulations use, [`data`] reads
//! the other YAML lists and [`procedures`] the procedure files.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::text;
use crate::config::Config;
use crate::error::{Diagnostic, Severity};
use crate::model::*;

mod categories;
mod data;
mod keys;
mod lifecycle;
mod moved;
mod names;
mod procedures;
mod regulation;
mod roles;
mod walk;

pub use keys::KNOWN_KEYS;
pub(crate) use procedures::moved_hint;

/// The result of loading: the model plus everything that was said about the content.
#[derive(Debug)]
pub struct Loaded {
    pub library: Library,
    pub withheld: Vec<Withheld>,
    /// Regulation files that could not be loaded (their error is reported once): their default ids,
    /// so that what refers to them is not reported again as a follow-on error.
    pub failed: Vec<Failed>,
    pub diagnostics: Vec<Diagnostic>,
}

/// A regulation file that failed to load.
#[derive(Debug, Clone)]
pub struct Failed {
    /// The id it would have had: the `id:` if the front-matter could be read, else the file name.
    pub id: String,
    pub path: PathBuf,
    /// The titles it may go by, read without parsing it (`title:` of its front-matter, its first
    /// `#` heading, its file name): what cites one of them is its citation, not an unknown title.
    pub titles: Vec<String>,
}

/// Paths are shown relative to the site root; `root` is that root.
struct Ctx<'a> {
    root: &'a Path,
    content: &'a Path,
    /// How files that are not UTF-8 are read (`--encoding`).
    encoding: text::Encoding,
}

impl Ctx<'_> {
    fn display(&self, p: &Path) -> PathBuf {
        p.strip_prefix(self.root)
            .map(Path::to_path_buf)
            .unwrap_or_else(|_| p.to_path_buf())
    }
}

pub(crate) fn nearest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(word, c), c))
        .filter(|(d, c)| *d <= 2.max(c.chars().count() / 3))
        .min()
        .map(|(_, c)| c)
}

/// Line (1-based) of the first line of `text` containing `needle`, or 1.
pub(crate) fn find_line(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .map_or(1, |i| i + 1)
}

/// Whether a file, folder or front-matter name can be an id. Ids are file names in the output and
/// are percent-encoded in links, so spaces, Chinese, parentheses and 《》 are fine; what is refused
/// would change a path or a link (`/`, `#`, `?`, `%`), could not be a file name everywhere (`:`,
/// `*`, `|`, `"`, `<`, `>`), or breaks HTML and the manifest (`&`, `'`, line breaks, controls).
pub(crate) fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('.')
        && id.trim() == id
        && !id.chars().any(|c| {
            (c.is_whitespace() && c != ' ' && c != '\u{3000}')
                || c.is_control()
                || "/\\#?%\"'<>&:*|".contains(c)
        })
}

/// Load and check everything under `root/content`.
pub fn load(root: &Path) -> Loaded {
    load_with(root, text::Encoding::Utf8)
}

/// [`load`], reading files that are not UTF-8 as `encoding` says.
pub fn load_with(root: &Path, encoding: text::Encoding) -> Loaded {
    let content = root.join("content");
    let ctx = Ctx {
        root,
        content: &content,
        encoding,
    };
    let mut diags = Vec::new();
    let config = read_config(&ctx, &mut diags);
    let files = walk::walk(&ctx, &mut diags);
    let (regulations, withheld, failed) =
        regulation::parse_all(&ctx, &config, &files.regulations, &mut diags);
    // In file order (the files are sorted), so the first use is the one shown.
    let mut diags = keys::merge_unknown_keys(diags);
    let failed_ids: HashSet<String> = failed.iter().map(|f| f.id.clone()).collect();

    let (mut regulations, mut withheld) =
        names::unique_ids(root, regulations, withheld, &mut diags);
    let moved = moved::check_old_ids(&mut regulations, &mut withheld, &mut diags);
    names::check_names(&regulations, &withheld, &mut diags);
    let categories = categories::categories(
        &ctx,
        &config,
        &mut regulations,
        &files.folder_pages,
        &mut diags,
    );

    let (mut roles, roles_text) = data::load_list::<Role>(&ctx, "roles.yaml", &mut diags);
    let roles_path = ctx.display(&content.join("roles.yaml"));
    roles::check_roles(&mut roles, &roles_text, &roles_path, &mut diags);
    let names = roles::role_names(&roles, &roles_text, &roles_path, &mut diags);
    for r in &regulations {
        roles::check_role_overrides(r, &roles, &names, &mut diags);
    }
    lifecycle::check_lifecycle(&regulations, &withheld, &failed_ids, &roles, &mut diags);
    let (mut terms, terms_text) = data::load_list::<Term>(&ctx, "terms.yaml", &mut diags);
    data::explained_lines(&mut terms, &terms_text);
    data::check_terms(
        &ctx,
        &terms,
        &regulations,
        &failed_ids,
        &withheld,
        &mut diags,
    );
    let procedures = procedures::load_procedures(
        &ctx,
        &files.procedures,
        &regulations,
        &withheld,
        &failed_ids,
        &names,
        &moved,
        &mut diags,
    );
    drop(names);

    // Files copied into the output as they are (site.yaml's forms/external files, static/): checked
    // here, so `check` reports them; rendering reads only the checked paths (src/content/files.rs).
    let mut config = config;
    let (copied, file_diags) = super::files::validate(
        root,
        &config,
        files
            .regulations
            .iter()
            .chain(&files.procedures)
            .map(PathBuf::as_path),
    );
    config.copied = copied;
    diags.extend(file_diags);

    diags.sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
    Loaded {
        library: Library::new(config, regulations, categories, roles, terms, procedures),
        withheld,
        failed,
        diagnostics: diags,
    }
}

/// site.yaml (the defaults when it cannot be read), and an error when there is no `content/`.
fn read_config(ctx: &Ctx, diags: &mut Vec<Diagnostic>) -> Config {
    let content = ctx.content;
    let config = match Config::load(content, &ctx.display(&content.join("site.yaml"))) {
        Ok(c) => c,
        Err(d) => {
            diags.extend(d);
            Config::default()
        }
    };
    if !content.is_dir() {
        diags.push(Diagnostic::coded(
            Severity::Error,
            "RB022",
            ctx.display(content),
            1,
            1,
            Vec::new(),
        ));
    }
    config
}
