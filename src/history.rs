//! The content's git history, read with gix (no `git` program needed): each regulation's earlier
//! texts, which clauses changed between them, and the whole site as it stood on a day
//! (`build --as-of`).
//!
//! History is information, never a condition of the build: a folder that is no git repository, or
//! one whose history cannot be read, builds as before with the `revisions:` front-matter alone.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use gix::ObjectId;
use jiff::civil::Date;
use rayon::prelude::*;

use crate::content::frontmatter;
use crate::error::{Diagnostic, Severity};
use crate::model::{
    ChangeKind, Clause, ClauseChange, Library, Regulation, Version, Withheld, lifecycle,
};
use crate::structure::parse;

/// One commit of the history, as the pages show it.
#[derive(Debug, Clone)]
pub struct Commit {
    pub id: ObjectId,
    /// Seconds since the epoch, for `--as-of`.
    pub seconds: i64,
    /// The commit's date in the committer's time zone (as the editor saw it that day).
    pub date: Date,
    pub message: String,
    /// The author's name, as the commit records it.
    pub author: String,
}

/// A git repository holding the site's `content/`.
pub struct Repo {
    repo: gix::Repository,
    /// Where `content/` is inside the repository's work tree ("" when `content/` is the repository).
    content: PathBuf,
}

impl Repo {
    /// The repository that holds `root/content`, if there is one (it may be `content/` itself, the
    /// site root or a folder above it).
    pub fn open(root: &Path) -> Option<Repo> {
        let content = root.join("content").canonicalize().ok()?;
        let repo = gix::discover(&content).ok()?;
        let workdir = repo.workdir()?.canonicalize().ok()?;
        let content = content.strip_prefix(&workdir).ok()?.to_path_buf();
        Some(Repo { repo, content })
    }

    /// The commits from HEAD back along first parents (the branch as it was published), newest
    /// first, down to and including `since` (a tag or revision) when given.
    pub fn commits(&self, since: Option<&str>) -> Result<Vec<Commit>, String> {
        let stop = match since {
            Some(name) => Some(
                // A tag or branch name (v2020, refs/tags/2020年版); gix looks in refs/tags/ and
                // refs/heads/ as git does.
                self.repo
                    .find_reference(name)
                    .map_err(|e| format!("`compare_with: {name}` names no tag or branch: {e}"))?
                    .peel_to_commit()
                    .map_err(|e| e.to_string())?
                    .id,
            ),
            None => None,
        };
        let mut out = Vec::new();
        let Ok(mut commit) = self.repo.head_commit() else {
            return Ok(out); // no commit yet
        };
        loop {
            let time = commit.time().map_err(|e| e.to_string())?;
            let offset =
                jiff::tz::Offset::from_seconds(time.offset).unwrap_or(jiff::tz::Offset::UTC);
            let date = jiff::Timestamp::from_second(time.seconds)
                .map_err(|e| e.to_string())?
                .to_zoned_datetime(offset.to_time_zone())
                .date();
            let message = commit
                .message()
                .map(|m| m.summary().to_string())
                .unwrap_or_default();
            let author = commit
                .author()
                .map(|a| a.name.to_string())
                .unwrap_or_default();
            out.push(Commit {
                id: commit.id,
                seconds: time.seconds,
                date,
                message,
                author,
            });
            if Some(commit.id) == stop {
                break;
            }
            let Some(parent) = commit.parent_ids().next() else {
                break;
            };
            commit = parent
                .object()
                .map_err(|e| e.to_string())?
                .try_into_commit()
                .map_err(|e| e.to_string())?;
        }
        Ok(out)
    }

    /// What changed under `content/` through `commits` (newest first, as [`Repo::commits`] gives
    /// them, each with a `content/` tree — [`Repo::content_commits`]): per file (its path under
    /// `content/`), the commits (indices into `commits`) at which it got a new blob, or was
    /// removed (`None`), oldest first. The trees of consecutive commits are compared, and only
    /// folders whose tree changed are read: the work is proportional to what changed, not to the
    /// number of files times the number of commits.
    pub fn changes(&self, commits: &[Commit]) -> Changes {
        let mut out = Changes::default();
        let mut previous: Option<ObjectId> = None;
        for (k, c) in commits.iter().enumerate().rev() {
            let Some(tree) = self.content_tree(c.id) else {
                continue;
            };
            self.diff_trees(previous, Some(tree), &mut PathBuf::new(), k, &mut out);
            previous = Some(tree);
        }
        out
    }

    /// Record the differences between two trees (either may be missing) at `path`.
    fn diff_trees(
        &self,
        old: Option<ObjectId>,
        new: Option<ObjectId>,
        path: &mut PathBuf,
        commit: usize,
        out: &mut Changes,
    ) {
        if old == new {
            return;
        }
        let entries = |id: Option<ObjectId>| -> HashMap<String, (bool, ObjectId)> {
            let Some(tree) = id.and_then(|id| self.repo.find_tree(id).ok()) else {
                return HashMap::new();
            };
            let Ok(decoded) = tree.decode() else {
                return HashMap::new();
            };
            decoded
                .entries
                .iter()
                .filter(|e| e.mode.is_tree() || e.mode.is_blob())
                .map(|e| (e.filename.to_string(), (e.mode.is_tree(), e.oid.to_owned())))
                .collect()
        };
        let (a, b) = (entries(old), entries(new));
        let mut names: Vec<&String> = a.keys().chain(b.keys()).collect();
        names.sort();
        names.dedup();
        for name in names {
            let (was, is) = (a.get(name), b.get(name));
            if was == is {
                continue;
            }
            path.push(name);
            let tree_of = |e: Option<&(bool, ObjectId)>| e.filter(|e| e.0).map(|e| e.1);
            let blob_of = |e: Option<&(bool, ObjectId)>| e.filter(|e| !e.0).map(|e| e.1);
            // A folder on either side: compared below (a file that became a folder, or the other
            // way round, is a removal and an addition).
            if tree_of(was).is_some() || tree_of(is).is_some() {
                self.diff_trees(tree_of(was), tree_of(is), path, commit, out);
            }
            if blob_of(was) != blob_of(is) {
                out.0
                    .entry(path.clone())
                    .or_default()
                    .push((commit, blob_of(is)));
            }
            path.pop();
        }
    }

    /// The texts of `content/<rel>` through `commits` (as given to [`Repo::changes`], whose
    /// result `changes` is): one per change, oldest first, each with the commit that made it,
    /// since the file was last written at that path (a deletion ends the history before it).
    pub fn file_versions<'c>(
        &self,
        commits: &'c [Commit],
        changes: &Changes,
        rel: &Path,
    ) -> Vec<(&'c Commit, String)> {
        let mut out: Vec<(&Commit, String)> = Vec::new();
        let mut last: Option<ObjectId> = None;
        for &(k, blob) in changes.0.get(rel).map_or(&[][..], Vec::as_slice) {
            match blob {
                Some(id) if last != Some(id) => {
                    let Ok(data) = self.repo.find_blob(id) else {
                        continue;
                    };
                    last = Some(id);
                    out.push((
                        &commits[k],
                        String::from_utf8_lossy(&data.data).into_owned(),
                    ));
                }
                Some(_) => {}
                // A file deleted and written again is a new document as far as the history
                // knows: what stood at the path before (perhaps another, withheld document) is
                // never shown as its earlier versions.
                None => {
                    last = None;
                    out.clear();
                }
            }
        }
        out
    }

    /// The id of the `content/` tree at `commit`, if it was in the repository then.
    fn content_tree(&self, commit: ObjectId) -> Option<ObjectId> {
        let tree = self.repo.find_commit(commit).ok()?.tree().ok()?;
        if self.content.as_os_str().is_empty() {
            return Some(tree.id);
        }
        let entry = tree.lookup_entry_by_path(&self.content).ok()??;
        entry.mode().is_tree().then(|| entry.object_id())
    }

    /// Only the commits that changed `content/` (most of a project's commits touch other files):
    /// newest first, as given.
    pub fn content_commits(&self, commits: Vec<Commit>) -> Vec<Commit> {
        let trees: Vec<Option<ObjectId>> =
            commits.iter().map(|c| self.content_tree(c.id)).collect();
        commits
            .into_iter()
            .enumerate()
            .filter(|(i, _)| {
                trees[*i].is_some() && trees.get(i + 1).is_none_or(|older| *older != trees[*i])
            })
            .map(|(_, c)| c)
            .collect()
    }

    /// Write the site's `content/` as it stood at `commit` into `dest/content`.
    pub fn extract_content(&self, commit: ObjectId, dest: &Path) -> Result<(), String> {
        let tree = self
            .repo
            .find_commit(commit)
            .and_then(|c| c.tree())
            .map_err(|e| e.to_string())?;
        let tree_id = if self.content.as_os_str().is_empty() {
            tree.id
        } else {
            tree.lookup_entry_by_path(&self.content)
                .map_err(|e| e.to_string())?
                .ok_or("content/ was not in the repository then")?
                .object_id()
        };
        self.write_tree(tree_id, &dest.join("content"))
    }

    fn write_tree(&self, id: ObjectId, dest: &Path) -> Result<(), String> {
        std::fs::create_dir_all(dest).map_err(|e| format!("{}: {e}", dest.display()))?;
        let tree = self.repo.find_tree(id).map_err(|e| e.to_string())?;
        let entries: Vec<(String, ObjectId, bool, bool)> = tree
            .decode()
            .map_err(|e| e.to_string())?
            .entries
            .iter()
            .map(|e| {
                (
                    e.filename.to_string(),
                    e.oid.to_owned(),
                    e.mode.is_tree(),
                    e.mode.is_blob(),
                )
            })
            .collect();
        for (name, oid, is_tree, is_blob) in entries {
            // A name that could leave the folder is never written (git refuses them too).
            if name.is_empty() || name == "." || name == ".." || name.contains(['/', '\\']) {
                continue;
            }
            let path = dest.join(&name);
            if is_tree {
                self.write_tree(oid, &path)?;
            } else if is_blob {
                let blob = self.repo.find_blob(oid).map_err(|e| e.to_string())?;
                std::fs::write(&path, &blob.data)
                    .map_err(|e| format!("{}: {e}", path.display()))?;
            }
        }
        Ok(())
    }
}

/// Per file under `content/`, the commits at which it changed ([`Repo::changes`]).
#[derive(Debug, Default)]
pub struct Changes(HashMap<PathBuf, Vec<(usize, Option<ObjectId>)>>);

/// The newest commit made on or before `day` (in its committer's time zone), for `--as-of`.
pub fn commit_as_of(commits: &[Commit], day: Date) -> Option<&Commit> {
    commits.iter().find(|c| c.date <= day)
}

/// Fill every regulation's [`Regulation::history`] from the repository holding the content, if
/// there is one. Call before the analysis (it reads each regulation's source path only). A history
/// that cannot be read is a warning: the pages are built without it.
pub fn attach(root: &Path, lib: &mut Library, withheld: &[Withheld]) -> Vec<Diagnostic> {
    let Some(repo) = Repo::open(root) else {
        return Vec::new();
    };
    let commits = match repo.commits(lib.config.compare_with.as_deref()) {
        Ok(c) => c,
        Err(e) => {
            // A `compare_with:` that names nothing is pointed at; other failures at the file.
            let line = lib
                .config
                .compare_with
                .as_ref()
                .and_then(|_| std::fs::read_to_string(root.join(&lib.config.path)).ok())
                .and_then(|text| {
                    text.lines()
                        .position(|l| l.trim_start().starts_with("compare_with:"))
                })
                .map_or(1, |i| i + 1);
            return vec![Diagnostic::coded(
                Severity::Warning,
                "RB097",
                &lib.config.path,
                line,
                1,
                vec![
                    ("error_zh", crate::messages::phrase("english-only", &[]).1),
                    ("error", e.to_string()),
                ],
            )];
        }
    };
    // Checked against the whole history, not only the part since `compare_with`.
    let diags = if lib.config.history_exclude.is_empty() {
        Vec::new()
    } else {
        let all = repo.commits(None).unwrap_or_default();
        unknown_exclusions(&lib.config, &all, root)
    };
    let commits = repo.content_commits(commits);
    if commits.is_empty() {
        return diags;
    }
    let cuts = Cuts {
        config: &lib.config,
        withheld,
    };
    let content = root.join("content");
    // gix's repository handle is not shared between threads; each thread opens its own.
    let paths: Vec<(usize, PathBuf)> = lib
        .regulations
        .iter()
        .enumerate()
        .filter(|(_, r)| !history_off(&r.front_matter))
        .filter_map(|(i, r)| {
            let full = root.join(&r.source.path);
            Some((i, full.strip_prefix(&content).ok()?.to_path_buf()))
        })
        .collect();
    let changes = repo.changes(&commits);
    let found: HashMap<usize, Vec<Version>> = paths
        .par_chunks(64.max(paths.len() / rayon::current_num_threads().max(1) + 1))
        .flat_map_iter(|chunk| {
            let repo = Repo::open(root);
            chunk
                .iter()
                .filter_map(|(i, rel)| {
                    let repo = repo.as_ref()?;
                    let texts = repo.file_versions(&commits, &changes, rel);
                    let own = front_matter_of(&lib.regulations[*i].front_matter);
                    let shown = cuts.apply(texts, &own);
                    // A regulation that never changed has no history to show (no 修订记录 and no
                    // version page of a text that is the current one).
                    (shown.len() > 1).then(|| (*i, versions(&shown)))
                })
                .collect::<Vec<_>>()
        })
        .collect();
    for (i, v) in found {
        lib.regulations[i].history = v;
    }
    diags
}

/// What the history needs to know of one version's front-matter.
#[derive(Debug, Default, Clone, PartialEq)]
struct Facts {
    /// The `id:` written, if any (the file name gives it otherwise, the same at one path).
    id: Option<String>,
    title: Option<String>,
    /// The version withholds itself, or its front-matter cannot be read to show it does not.
    withheld: bool,
}

/// The facts of a front-matter (`yaml`, without its fences), judged against `config` when given.
/// Anything that is not plainly "published" is withheld: a `draft:` other than `false`, a
/// `classification:` that is not a publishable level, a merge key (`<<:`) or a misspelt exclusion
/// key (which the loader refuses today), or YAML that does not read as a mapping.
fn facts(yaml: &str, config: Option<&crate::config::Config>) -> Facts {
    use serde_json::Value;
    let Ok(map) =
        crate::content::yaml::from_str::<Option<std::collections::BTreeMap<String, Value>>>(yaml)
    else {
        return Facts {
            withheld: true,
            ..Facts::default()
        };
    };
    let map = map.unwrap_or_default();
    let text = |k: &str| map.get(k).and_then(Value::as_str).map(str::to_string);
    let draft_ok = matches!(map.get("draft"), None | Some(Value::Bool(false)));
    let class_ok = match map.get("classification") {
        None => true,
        Some(Value::String(c)) => config.is_none_or(|cfg| cfg.publishable(Some(c))),
        Some(_) => false,
    };
    let odd_key = map.keys().any(|k| {
        let folded = k.to_lowercase();
        k == "<<"
            || ["draft", "classification"]
                .iter()
                .any(|e| folded != *e && strsim::damerau_levenshtein(&folded, e) <= 2)
            || (k != "draft" && folded == "draft")
    });
    Facts {
        id: text("id"),
        title: text("title"),
        withheld: !(draft_ok && class_ok) || odd_key,
    }
}

/// The facts of a regulation's front-matter as it is now (for comparing its versions with).
fn front_matter_of(yaml: &str) -> Facts {
    facts(yaml, None)
}

/// `history: false` in a regulation's front-matter: its 修订记录 shows the recorded revisions only.
fn history_off(yaml: &str) -> bool {
    crate::content::yaml::from_str::<Option<std::collections::BTreeMap<String, serde_json::Value>>>(
        yaml,
    )
    .ok()
    .flatten()
    .is_some_and(|m| m.get("history") == Some(&serde_json::Value::Bool(false)))
}

/// The one rule for withheld text in the history: which versions of a file may be shown.
struct Cuts<'a> {
    config: &'a crate::config::Config,
    /// The documents withheld now: none of their versions is ever shown, at whatever path.
    withheld: &'a [Withheld],
}

impl Cuts<'_> {
    /// Whether this version must not be shown: its front-matter withholds it, its commit is in
    /// `history_exclude:`, it is another document than `own` (another `id:`), or it is (by id or
    /// title) a document that is withheld now.
    fn cuts(&self, commit: &Commit, text: &str, own: &Facts) -> bool {
        let hex = commit.id.to_hex().to_string();
        if self
            .config
            .history_exclude
            .iter()
            .any(|e| hex.starts_with(e.as_str()))
        {
            return true;
        }
        let Ok(split) = frontmatter::split(text) else {
            return true;
        };
        let f = facts(split.yaml, Some(self.config));
        f.withheld
            || f.id != own.id
            || self.withheld.iter().any(|w| {
                f.id.as_deref() == Some(w.id.as_str())
                    || (f.title.as_deref() == Some(w.title.as_str())
                        && own.title.as_deref() != Some(w.title.as_str()))
            })
    }

    /// The versions that may be shown: those after the last cut. A withheld version is a cut, not
    /// a gap: the next version is shown as a first one (never compared with what came before, which
    /// would print the withheld words as removed), and what came before it is not shown at all.
    fn apply<'c>(
        &self,
        texts: Vec<(&'c Commit, String)>,
        own: &Facts,
    ) -> Vec<(&'c Commit, String)> {
        let last_cut = texts
            .iter()
            .rposition(|(c, t)| self.cuts(c, t, own))
            .map_or(0, |i| i + 1);
        texts.into_iter().skip(last_cut).collect()
    }
}

/// `history_exclude:` entries that name no commit of the history: a warning each, since an editor
/// who meant to keep a commit out would otherwise publish it unknowingly.
fn unknown_exclusions(
    config: &crate::config::Config,
    commits: &[Commit],
    root: &Path,
) -> Vec<Diagnostic> {
    let line = std::fs::read_to_string(root.join(&config.path))
        .ok()
        .and_then(|t| {
            t.lines()
                .position(|l| l.trim_start().starts_with("history_exclude:"))
        })
        .map_or(1, |i| i + 1);
    config
        .history_exclude
        .iter()
        .filter(|e| {
            !commits
                .iter()
                .any(|c| c.id.to_hex().to_string().starts_with(e.as_str()))
        })
        .map(|e| {
            Diagnostic::coded(
                Severity::Warning,
                "RB101",
                &config.path,
                line,
                1,
                vec![("value", e.clone())],
            )
        })
        .collect()
}

/// Each text's body parsed, and its clauses compared with the previous text's.
fn versions(texts: &[(&Commit, String)]) -> Vec<Version> {
    let mut out: Vec<Version> = Vec::new();
    let mut previous: Option<(Vec<Clause>, Vec<String>, String)> = None;
    for (commit, text) in texts {
        let body = frontmatter::split(text).map(|s| s.body).unwrap_or(text);
        let parsed = parse::parse(body);
        let clause_texts = parsed.body.clause_texts(parsed.clauses.len());
        let preamble = parsed.body.preamble_text();
        let changes = match &previous {
            Some((old, old_texts, old_preamble)) => {
                let mut changes = Vec::new();
                // The text before the first clause has no number; it is matched as itself.
                if *old_preamble != preamble {
                    changes.push(ClauseChange {
                        anchor: lifecycle::PREAMBLE.into(),
                        label: String::new(),
                        kind: match (old_preamble.is_empty(), preamble.is_empty()) {
                            (true, _) => ChangeKind::Added,
                            (_, true) => ChangeKind::Removed,
                            _ => ChangeKind::Changed,
                        },
                        old: old_preamble.clone(),
                        new: preamble.clone(),
                    });
                }
                changes.extend(compare(old, old_texts, &parsed.clauses, &clause_texts));
                changes
            }
            None => Vec::new(),
        };
        out.push(Version {
            commit: commit.id.to_hex_with_len(7).to_string(),
            date: commit.date,
            message: commit.message.clone(),
            author: commit.author.clone(),
            changes,
            first: previous.is_none(),
            doc: parsed.body,
            clauses: parsed.clauses.clone(),
        });
        previous = Some((parsed.clauses, clause_texts, preamble));
    }
    out
}

/// The clause as cited, chapters left out (第三条（二）).
fn citation(clauses: &[Clause], i: usize) -> String {
    let mut reg = Regulation::new("", "", "");
    reg.clauses = clauses.to_vec();
    reg.citation(&clauses[i].anchor).unwrap_or_default()
}

/// Clauses added, removed and changed from `old` to `new`, matched by their permanent anchors, in
/// the newer text's order (removed ones where they stood).
pub fn compare(
    old: &[Clause],
    old_texts: &[String],
    new: &[Clause],
    new_texts: &[String],
) -> Vec<ClauseChange> {
    let old_at: HashMap<&str, usize> = old
        .iter()
        .enumerate()
        .map(|(i, c)| (c.anchor.as_str(), i))
        .collect();
    let new_at: HashMap<&str, usize> = new
        .iter()
        .enumerate()
        .map(|(i, c)| (c.anchor.as_str(), i))
        .collect();
    let mut out = Vec::new();
    for (i, c) in new.iter().enumerate() {
        match old_at.get(c.anchor.as_str()) {
            Some(&j) if old_texts[j] != new_texts[i] => out.push(ClauseChange {
                anchor: c.anchor.clone(),
                label: citation(new, i),
                kind: ChangeKind::Changed,
                old: old_texts[j].clone(),
                new: new_texts[i].clone(),
            }),
            Some(_) => {}
            None => out.push(ClauseChange {
                anchor: c.anchor.clone(),
                label: citation(new, i),
                kind: ChangeKind::Added,
                old: String::new(),
                new: new_texts[i].clone(),
            }),
        }
    }
    for (j, c) in old.iter().enumerate() {
        if !new_at.contains_key(c.anchor.as_str()) {
            out.push(ClauseChange {
                anchor: c.anchor.clone(),
                label: citation(old, j),
                kind: ChangeKind::Removed,
                old: old_texts[j].clone(),
                new: String::new(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outline(body: &str) -> (Vec<Clause>, Vec<String>) {
        let p = parse::parse(body);
        let t = p.body.clause_texts(p.clauses.len());
        (p.clauses, t)
    }

    #[test]
    fn the_preamble_is_compared_too() {
        let commit = |d: i8| Commit {
            id: ObjectId::null(gix::hash::Kind::Sha1),
            seconds: 0,
            date: Date::new(2024, 1, d).unwrap(),
            message: format!("第{d}版"),
            author: "编辑".into(),
        };
        let (a, b) = (commit(1), commit(2));
        let texts = [
            (
                &a,
                "---\ntitle: 甲\n---\n为规范管理，制定本制度。\n\n一、甲。\n".to_string(),
            ),
            (
                &b,
                "---\ntitle: 甲\nowner: 办公室\n---\n为加强管理，制定本制度。\n\n一、甲。\n"
                    .to_string(),
            ),
        ];
        let v = versions(&texts);
        assert!(v[0].first && v[0].changes.is_empty());
        let kinds: Vec<(&str, ChangeKind)> = v[1]
            .changes
            .iter()
            .map(|c| (c.anchor.as_str(), c.kind))
            .collect();
        assert_eq!(kinds, vec![(lifecycle::PREAMBLE, ChangeKind::Changed)]);
    }

    #[test]
    fn clauses_matched_by_anchor() {
        let (a, at) = outline("一、甲。\n\n二、超出3000元以上支出需讨论。\n\n三、丙。\n");
        let (b, bt) =
            outline("一、甲。\n\n二、超出5000元以上支出需讨论。\n\n三、丙。\n\n四、丁。\n");
        let changes = compare(&a, &at, &b, &bt);
        let kinds: Vec<(&str, ChangeKind)> = changes
            .iter()
            .map(|c| (c.anchor.as_str(), c.kind))
            .collect();
        assert_eq!(
            kinds,
            vec![("sec2", ChangeKind::Changed), ("sec4", ChangeKind::Added)]
        );
        assert_eq!(changes[0].label, "二、");
        let back = compare(&b, &bt, &a, &at);
        assert_eq!(back.last().map(|c| c.kind), Some(ChangeKind::Removed));
    }
}
