//! Embeds every interface catalogue in `themes/default/i18n/` (one YAML file per language), so a
//! language is added by adding its file: no code names the languages.

use std::path::Path;

fn main() {
    let dir = Path::new("themes/default/i18n");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut tables: Vec<(String, String)> = std::fs::read_dir(dir)
        .expect("themes/default/i18n")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .map(|p| {
            println!("cargo:rerun-if-changed={}", p.display());
            let tag = p.file_stem().unwrap().to_string_lossy().into_owned();
            let abs = std::fs::canonicalize(&p).expect("catalogue path");
            (tag, abs.to_string_lossy().into_owned())
        })
        .collect();
    // zh-CN first: the table every other one falls back to.
    tables.sort_by_key(|(tag, _)| (tag != "zh-CN", tag.clone()));
    let mut out = String::from("&[\n");
    for (tag, path) in tables {
        out.push_str(&format!("    ({tag:?}, include_str!({path:?})),\n"));
    }
    out.push_str("]\n");
    let dest = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("i18n.rs");
    // Replaced, not written through: a target folder copied with hard links (cp -al) would
    // otherwise rewrite the other folder's list too, and its build would embed this worktree's
    // catalogues (or this one theirs).
    let _ = std::fs::remove_file(&dest);
    std::fs::write(dest, out).expect("write the catalogue list");
}
