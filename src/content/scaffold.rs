//! `rulebook new`: a new regulation's file, with front-matter filled from `site.yaml` and today's
//! date, that builds without a warning and is not published until the editor says so.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::error::{Diagnostic, Error, Result, Severity};

/// What `rulebook new` was asked for: `category/name` (the file `content/category/name.md`).
pub struct NewRegulation<'a> {
    pub path: &'a str,
    pub title: Option<&'a str>,
    /// The date written as `issued` (today, in the caller's time zone).
    pub today: &'a str,
}

/// Write the new regulation under `root/content`; refuses to overwrite anything, and names that
/// would leave `content/` or could not be an id.
pub fn create(root: &Path, new: &NewRegulation) -> Result<PathBuf> {
    let rel = new.path.trim_end_matches(".md");
    // Why, from the catalogue's phrases.
    let bad = |why: &str| {
        let (why, why_zh) = crate::messages::phrase(why, &[]);
        Error::Content(vec![Diagnostic::coded(
            Severity::Error,
            "RB098",
            new.path,
            1,
            1,
            vec![
                ("path", new.path.to_string()),
                ("why", why),
                ("why_zh", why_zh),
            ],
        )])
    };
    let segments: Vec<&str> = rel.split('/').collect();
    if segments.len() < 2 {
        return Err(bad("new-needs-category"));
    }
    if segments.iter().any(|s| {
        s.is_empty() || *s == "." || *s == ".." || s.starts_with('.') || s.contains(['\\', '\0'])
    }) {
        return Err(bad("new-plain-parts"));
    }
    // Each part becomes an id (the category's, the regulation's): a name the loader would refuse
    // (control characters, `#`, `:`, a line break …) would write a draft that breaks the build.
    if segments.iter().any(|s| !super::load::valid_id(s)) {
        return Err(bad("new-not-an-id"));
    }
    let content = root.join("content");
    let file = content.join(format!("{rel}.md"));
    // The folders may exist already, one of them a link: the file must land inside content/ as
    // the links resolve, checked before anything is created and again once the folders exist.
    let inside = || {
        // Without content/ yet there is no link in it; otherwise the deepest folder that exists
        // decides (the parts below it are plain names, checked above).
        let Ok(real) = content.canonicalize() else {
            return !content.exists();
        };
        let mut at = file.parent().unwrap_or(&content);
        while !at.exists() {
            match at.parent() {
                Some(p) => at = p,
                None => return false,
            }
        }
        at.canonicalize().is_ok_and(|a| a.starts_with(&real))
    };
    if !inside() {
        return Err(bad("new-outside-content"));
    }
    let config = Config::load(&content, &content.join("site.yaml")).unwrap_or_default();
    let name = segments.last().copied().unwrap_or(rel);
    let title = new.title.unwrap_or(name);
    let mut text = String::from("---\n");
    text.push_str(&format!("title: {}\n", yaml_string(title)));
    if let Some(org) = &config.organisation {
        text.push_str(&format!("issuer: {}\n", yaml_string(org)));
    }
    text.push_str(&format!("issued: {}\n", yaml_string(new.today)));
    text.push_str(&format!(
        "# {}\ndraft: true\n",
        config.string("scaffold_draft_note")
    ));
    text.push_str("---\n");
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Error::Write {
            path: dir.to_path_buf(),
            source: e,
        })?;
    }
    if !inside() {
        return Err(bad("new-outside-content"));
    }
    // `create_new`: an existing file (or a race with one) is never overwritten.
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&file)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => bad("new-exists"),
            _ => Error::Write {
                path: file.clone(),
                source: e,
            },
        })?;
    f.write_all(text.as_bytes()).map_err(|e| Error::Write {
        path: file.clone(),
        source: e,
    })?;
    Ok(file)
}

/// A YAML double-quoted string.
fn yaml_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| format!("{s:?}"))
}
