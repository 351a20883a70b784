//! Which output folders a build may write to: never the sources or anything holding them, never a
//! system or home folder, and a folder holding other files only when forced. Every check compares
//! canonical paths (symlinks resolved).

use std::fs;
use std::path::{Path, PathBuf};

use super::manifest::{self, Manifest, Previous};
use super::staging;
use crate::error::{Error, Result};

/// The refusal of `path`, for the reason the catalogue's phrase `key` says (in both languages).
pub(crate) fn unsafe_out(path: &Path, key: &str, args: &[(&'static str, String)]) -> Error {
    let (reason, reason_zh) = crate::messages::phrase(key, args);
    Error::UnsafeOutput {
        path: path.to_path_buf(),
        reason,
        reason_zh,
    }
}

/// A folder as a phrase's `{folder}`.
fn folder(p: &Path) -> (&'static str, String) {
    ("folder", p.display().to_string())
}

/// Folders that may be neither the output folder nor inside it: the system's own (of Linux, other
/// Unixes and macOS; a name that does not exist here protects nothing and costs nothing).
pub const SYSTEM_FOLDERS: &[&str] = &[
    "/",
    "/Applications",
    "/Library",
    "/System",
    "/Users",
    "/Volumes",
    "/bin",
    "/boot",
    "/cores",
    "/dev",
    "/etc",
    "/home",
    "/lib",
    "/lib32",
    "/lib64",
    "/libx32",
    "/lost+found",
    "/media",
    "/mnt",
    "/nix",
    "/nix/store",
    "/opt",
    "/private",
    "/private/etc",
    "/private/tmp",
    "/private/var",
    "/proc",
    "/root",
    "/run",
    "/sbin",
    "/snap",
    "/srv",
    "/sys",
    "/tmp",
    "/usr",
    "/usr/bin",
    "/usr/include",
    "/usr/lib",
    "/usr/lib64",
    "/usr/libexec",
    "/usr/local",
    "/usr/local/bin",
    "/usr/sbin",
    "/usr/share",
    "/usr/src",
    "/var",
    "/var/cache",
    "/var/lib",
    "/var/log",
    "/var/mail",
    "/var/spool",
    "/var/tmp",
    "/var/www",
];

/// System folders nothing may be written into at any depth (programs, libraries, configuration,
/// kernel and device trees). Web roots under `/var`, `/srv`, `/usr/share` or a home stay possible.
pub const SYSTEM_TREES: &[&str] = &[
    "/System",
    "/bin",
    "/boot",
    "/dev",
    "/etc",
    "/lib",
    "/lib32",
    "/lib64",
    "/libx32",
    "/private/etc",
    "/proc",
    "/sbin",
    "/sys",
    "/usr/bin",
    "/usr/include",
    "/usr/lib",
    "/usr/lib64",
    "/usr/libexec",
    "/usr/sbin",
];

/// The folders a build must not write to, besides the site's own. [`Protected::system`] is the real
/// list; tests pass stand-ins.
#[derive(Debug, Clone, Default)]
pub struct Protected {
    /// Neither the output folder nor any folder containing one of these.
    pub folders: Vec<PathBuf>,
    /// Nor any folder inside one of these.
    pub trees: Vec<PathBuf>,
    /// Users' home folders: neither the output folder nor any folder containing one.
    pub homes: Vec<PathBuf>,
}

impl Protected {
    /// The system folders, every home folder of the password database (`/etc/passwd`) and `$HOME`.
    pub fn system() -> Protected {
        let mut homes = fs::read_to_string("/etc/passwd")
            .map(|t| passwd_homes(&t))
            .unwrap_or_default();
        if let Some(home) = std::env::var_os("HOME")
            .map(PathBuf::from)
            .filter(|h| h.is_absolute())
        {
            homes.push(home);
        }
        Protected {
            folders: SYSTEM_FOLDERS.iter().map(PathBuf::from).collect(),
            trees: SYSTEM_TREES.iter().map(PathBuf::from).collect(),
            homes,
        }
    }

    /// Why `out` (absolute, canonical) is refused, if it is: the catalogue's phrase and its
    /// arguments.
    pub fn reason(&self, out: &Path) -> Option<(&'static str, Vec<(&'static str, String)>)> {
        // Each as written and canonical (`/bin` may be a link to `/usr/bin`, a home a link elsewhere).
        let forms = |p: &PathBuf| [p.clone(), absolute(p)];
        for p in &self.folders {
            if forms(p).iter().any(|q| q == out) {
                return Some(("out-is-system", vec![folder(p)]));
            }
        }
        for p in &self.homes {
            if forms(p).iter().any(|q| q == out) {
                return Some(("out-is-home", vec![folder(p)]));
            }
        }
        for p in &self.trees {
            if forms(p).iter().any(|q| out.starts_with(q)) {
                return Some(("out-inside-system", vec![folder(p)]));
            }
        }
        for p in &self.folders {
            if forms(p).iter().any(|q| q.starts_with(out)) {
                return Some(("out-contains-system", vec![folder(p)]));
            }
        }
        for p in &self.homes {
            if forms(p).iter().any(|q| q.starts_with(out)) {
                return Some(("out-contains-home", vec![folder(p)]));
            }
        }
        None
    }
}

/// The home folders in the text of a password database (`name:password:uid:gid:gecos:home:shell`);
/// comments, malformed lines and relative homes are skipped.
pub fn passwd_homes(text: &str) -> Vec<PathBuf> {
    text.lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .filter_map(|l| {
            let fields: Vec<&str> = l.split(':').collect();
            (fields.len() == 7).then(|| fields[5])
        })
        .filter(|h| h.starts_with('/'))
        .map(PathBuf::from)
        .collect()
}

/// Absolute, normalised form of a path that may not exist yet (its existing ancestor is canonicalised).
///
/// Components below the existing ancestor are applied by name, `..` included (`site/nope/..` is `site`
/// even though `nope` does not exist, exactly as creating the folders would resolve it); a path that
/// went up through `..` is resolved again, since it may now lead through an existing symlink.
pub fn absolute(path: &Path) -> PathBuf {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut existing = abs.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        // Not `file_name()`: it is `None` for a path ending in `..`, which would stop the walk early
        // and leave the `..` unresolved.
        match (existing.components().next_back(), existing.parent()) {
            (Some(last), Some(parent)) => {
                rest.push(last.as_os_str().to_os_string());
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut out = existing.canonicalize().unwrap_or(existing);
    let mut went_up = false;
    for name in rest.into_iter().rev() {
        if name == ".." {
            out.pop();
            went_up = true;
        } else if name != "." {
            out.push(name);
        }
    }
    if went_up { absolute(&out) } else { out }
}

/// Check that the site at `root` may be built into `out`, against the system's protected folders;
/// returns the canonical output folder. See [`check_target_with`].
pub fn check_target(root: &Path, out: &Path, force: bool) -> Result<PathBuf> {
    check_target_with(root, out, force, &Protected::system())
}

/// Check that the site at `root` may be built into `out`: not the file-system root, no folder of
/// `protected`, not the root, no folder holding the sources, nothing inside `content/`, `templates/`,
/// `static/`, `.git` (wherever their links lead), not a file; and, unless `force`, no folder holding
/// entries rulebook did not generate. Reads only; returns the canonical output folder.
pub fn check_target_with(
    root: &Path,
    out: &Path,
    force: bool,
    protected: &Protected,
) -> Result<PathBuf> {
    let out = absolute(out);
    let root = absolute(root);
    if out.parent().is_none() {
        return Err(unsafe_out(&out, "out-fs-root", &[]));
    }
    if out == root {
        return Err(unsafe_out(&out, "out-site-root", &[]));
    }
    if root.starts_with(&out) {
        return Err(unsafe_out(&out, "out-contains-sources", &[]));
    }
    for name in ["content", "templates", "static", "themes", "src", ".git"] {
        let lexical = root.join(name);
        let real = absolute(&lexical);
        for p in [&lexical, &real] {
            if out.starts_with(p) {
                return Err(if name == "content" {
                    unsafe_out(&out, "out-in-content", &[])
                } else {
                    unsafe_out(&out, "out-in-site-folder", &[("name", name.to_string())])
                });
            }
            if p.starts_with(&out) {
                return Err(unsafe_out(&out, "out-contains-sources", &[]));
            }
        }
    }
    if let Some((key, args)) = protected.reason(&out) {
        return Err(unsafe_out(&out, key, &args));
    }
    match fs::symlink_metadata(&out) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => return Err(unsafe_out(&out, "out-is-file", &[])),
        Err(_) => return Ok(out),
    }
    let ours = match Manifest::read(&out) {
        // An earlier version's output: it was replaced whole on every build, as its marker said.
        Previous::Unlisted => return Ok(out),
        Previous::Listed(m) => m,
        Previous::Foreign => Manifest::default(),
    };
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let scan =
        manifest::scan(&out, &ours, |p| staging::is_work_dir(p, &name)).map_err(|source| {
            Error::Read {
                path: out.clone(),
                source,
            }
        })?;
    if !scan.foreign.is_empty() && !force {
        let some: Vec<String> = scan
            .foreign
            .iter()
            .take(3)
            .map(|f| format!("`{f}`"))
            .collect();
        // The first three named, and how many more, in each language.
        let (mut en, mut zh) = (some.clone(), some);
        if scan.foreign.len() > 3 {
            let more = [("count", (scan.foreign.len() - 3).to_string())];
            let (more_en, more_zh) = crate::messages::phrase("out-and-more", &more);
            en.push(more_en);
            zh.push(more_zh);
        }
        let phrase = crate::messages::phrase;
        return Err(Error::UnsafeOutput {
            path: out.clone(),
            reason: phrase("out-foreign-files", &[("files", en.join(", "))]).0,
            reason_zh: phrase("out-foreign-files", &[("files", zh.join("、"))]).1,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwd_homes_are_parsed() {
        let text = "root:x:0:0:root:/root:/bin/bash\n\
                    # comment:x:1:1::/commented:/bin/sh\n\
                    \n\
                    alice:x:1000:1000:Alice, Room 1:/home/alice:/bin/bash\n\
                    broken:x:1:1:/nohome\n\
                    rel:x:2:2::relative/home:/bin/sh\n\
                    +::::::\n\
                    svc:*:3:3::/var/lib/svc:/usr/sbin/nologin\n";
        assert_eq!(
            passwd_homes(text),
            ["/root", "/home/alice", "/var/lib/svc"].map(PathBuf::from)
        );
    }

    #[test]
    fn protected_reasons() {
        let p = Protected {
            folders: vec!["/sysx/a".into()],
            trees: vec!["/treex".into()],
            homes: vec!["/homex/alice".into()],
        };
        // The reason in English (the catalogue's phrase filled in).
        let r = |s: &str| {
            p.reason(Path::new(s))
                .map(|(key, args)| crate::messages::phrase(key, &args).0)
        };
        assert!(r("/sysx/a").unwrap().contains("system folder /sysx/a"));
        assert!(r("/sysx").unwrap().contains("contains the system folder"));
        assert_eq!(r("/sysx/a/www"), None);
        assert!(
            r("/treex/deep/er")
                .unwrap()
                .contains("inside the system folder")
        );
        assert!(r("/homex/alice").unwrap().contains("home folder"));
        assert!(r("/homex").unwrap().contains("home folder"));
        assert_eq!(r("/homex/alice/site/public"), None);
        assert_eq!(r("/elsewhere"), None);
    }
}
