//! A regulation's default id (when its front-matter has no `id:`): its path under content/ without
//! `.md`, the folders joined to the file name with `-` (`about-us/org-chart.md` is
//! `about-us-org-chart`, `caiwu-guanli.md` at the top is `caiwu-guanli`); a leaf bundle
//! (`a/b/index.md`) is named by its folders (`a-b`).
//!
//! The id is a function of the file's own path and nothing else, so two files of one name in
//! different folders never collide, and adding, removing or renaming another file never moves a
//! page's address. The price: moving a file to another folder moves its address (write `id:` to
//! keep it), and the address is longer than the file name. Another rule — the file name while it is
//! unique across the site, the path otherwise — gives shorter addresses but moves a page's address
//! the day a second file of its name is added anywhere, which breaks every bookmark and printed
//! link to it without warning; rulebook does not do that.

use std::path::Path;

/// The default id of the regulation at `rel` (its path under content/, with its `.md`).
pub fn default_id(rel: &Path) -> String {
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if let Some(last) = parts.last_mut() {
        let stem = Path::new(last.as_str())
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        *last = stem;
    }
    // A leaf bundle's `index` says nothing: the folders name it.
    if parts.len() > 1 && parts.last().is_some_and(|l| l == "index") {
        parts.pop();
    }
    parts.join("-")
}

#[cfg(test)]
mod tests {
    use super::default_id;
    use std::path::Path;

    #[test]
    fn the_path_is_the_id() {
        for (path, id) in [
            ("caiwu-guanli.md", "caiwu-guanli"),
            ("about-us/org-chart.md", "about-us-org-chart"),
            (
                "office-of-solutions/org-chart.md",
                "office-of-solutions-org-chart",
            ),
            ("tools/slack/index.md", "tools-slack"),
            ("index.md", "index"),
            (
                "总则/人事 管理/招聘（试行）.md",
                "总则-人事 管理-招聘（试行）",
            ),
        ] {
            assert_eq!(default_id(Path::new(path)), id, "{path}");
        }
    }
}
