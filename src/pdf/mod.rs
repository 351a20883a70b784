//! The bound print edition (`rulebook pdf`): the model handed to Typst as data (JSON read by the
//! theme's `book.typ`), typeset in-process and written as one PDF, or one per category (volume).
//!
//! Nothing is generated as Typst markup: text goes in as JSON strings, so nothing needs escaping
//! and no editor's text can change the layout.

pub mod data;
pub mod typeface;
pub mod world;

use std::path::Path;

use typst::diag::{Severity, SourceDiagnostic};
use typst_layout::PagedDocument;

use crate::error::{Diagnostic, Error, Result};
use crate::model::Library;
use crate::output::file;
use crate::output::target::Protected;

/// The theme's book layout, embedded at compile time.
pub const TEMPLATE: &str = include_str!("../../themes/default/print/book.typ");

/// The PDF's Creator (its document information and XMP metadata): what `rulebook pdf` recognises
/// as a file it wrote, and so may replace without `--force`.
pub const CREATOR: &str = "rulebook print edition";

/// Whether `bytes` are a PDF this program wrote: a PDF whose metadata names [`CREATOR`].
pub fn is_ours(bytes: &[u8]) -> bool {
    bytes.starts_with(b"%PDF-")
        && bytes
            .windows(CREATOR.len())
            .any(|w| w == CREATOR.as_bytes())
}

/// Typeset the handbook (or the volume of one category, with its subcategories) and return the
/// PDF's bytes. `fonts` are shared between volumes; `template` is [`TEMPLATE`] or a site's own.
pub fn print(
    lib: &Library,
    volume: Option<&str>,
    fonts: &world::Fonts,
    typeface: &typeface::Typeface,
    template: &str,
) -> Result<Vec<u8>> {
    let book = data::book(lib, volume, typeface.clone()).ok_or_else(|| Error::Pdf {
        message: format!(
            "no category `{}` (categories: {})",
            volume.unwrap_or_default(),
            lib.categories
                .iter()
                .map(|c| c.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    })?;
    typeset(&book, fonts, template, volume.unwrap_or(""))
}

/// Typeset one book with the template and return the PDF's bytes; `ident` tells the PDF's
/// identifier apart between the volumes (and regulations) of one handbook.
pub fn typeset(
    book: &data::Book,
    fonts: &world::Fonts,
    template: &str,
    ident: &str,
) -> Result<Vec<u8>> {
    let json = serde_json::to_vec(book).map_err(|e| Error::Pdf {
        message: e.to_string(),
    })?;
    let world = world::BookWorld::new(fonts, template, json, None);
    let warned = typst::compile::<PagedDocument>(&world);
    // A warning from Typst (an unknown font, above all) means a wrong book: treated as an error.
    let problems: Vec<String> = warned
        .warnings
        .iter()
        .filter(|w| w.severity == Severity::Warning)
        .map(|w| describe(&world, w))
        .collect();
    let document = warned.output.map_err(|errors| Error::Pdf {
        message: errors
            .iter()
            .map(|e| describe(&world, e))
            .chain(problems.iter().cloned())
            .collect::<Vec<_>>()
            .join("\n"),
    })?;
    if !problems.is_empty() {
        return Err(Error::Pdf {
            message: problems.join("\n"),
        });
    }
    let options = typst_pdf::PdfOptions {
        ident: typst::foundations::Smart::Custom(format!("rulebook:{ident}")),
        // How `rulebook pdf` knows a file it may replace (see `is_ours`).
        creator: typst::foundations::Smart::Custom(Some(CREATOR.to_string())),
        ..Default::default()
    };
    let mut bytes = typst_pdf::pdf(&document, &options).map_err(|errors| Error::Pdf {
        message: errors
            .iter()
            .map(|e| describe(&world, e))
            .collect::<Vec<_>>()
            .join("\n"),
    })?;
    quiet_suspects(&mut bytes);
    Ok(bytes)
}

/// `/MarkInfo << /Suspects false >>` is valid PDF, but poppler (`pdfinfo`, and the viewers built
/// on it) reports it as a syntax error; the entry says what its absence says, so it is blanked
/// out with spaces of the same length (the offsets of the cross-reference table stay right).
fn quiet_suspects(pdf: &mut [u8]) {
    const ENTRY: &[u8] = b"/Suspects false";
    if let Some(at) = pdf.windows(ENTRY.len()).position(|w| w == ENTRY) {
        pdf[at..at + ENTRY.len()].fill(b' ');
    }
}

/// A Typst diagnostic as `book.typ:line: message` (the template is the only source).
fn describe(world: &world::BookWorld, d: &SourceDiagnostic) -> String {
    use typst::WorldExt as _;
    let source = world.main_source();
    let line = world
        .range(d.span)
        .and_then(|r| source.lines().byte_to_line(r.start))
        .map(|l| format!("{}:", l + 1))
        .unwrap_or_default();
    let hints: String = d
        .hints
        .iter()
        .map(|h| format!(" (hint: {})", h.v))
        .collect();
    format!("book.typ:{line} {}{hints}", d.message)
}

/// The fonts of the site at `root` (its `fonts/` folder, then the system's) and the typefaces
/// `print: fonts:` chooses among them. When the 公文 faces are missing the book is set in Noto
/// and a warning (RB170) says which were missing; with no Chinese font at all, an error (RB171).
pub fn typefaces(
    root: &Path,
    lib: &Library,
) -> Result<(world::Fonts, typeface::Typeface, Option<Diagnostic>)> {
    let fonts = world::Fonts::for_site(root);
    let path = lib.config.path.clone();
    let line = crate::config::line_of_key(
        &std::fs::read_to_string(root.join(&path)).unwrap_or_default(),
        "print",
    );
    let Some(chosen) = typeface::choose(&fonts, lib.config.print.fonts) else {
        return Err(Error::Content(vec![Diagnostic::coded(
            crate::error::Severity::Error,
            "RB171",
            &path,
            line,
            1,
            vec![],
        )]));
    };
    let note = (!chosen.missing.is_empty()).then(|| {
        Diagnostic::coded(
            crate::error::Severity::Warning,
            "RB170",
            &path,
            line,
            1,
            vec![
                (
                    "missing",
                    chosen.missing.join(&lib.config.string("list_sep")),
                ),
                ("used", chosen.typeface.body.join(", ")),
            ],
        )
    });
    Ok((fonts, chosen.typeface, note))
}

/// What `rulebook pdf` did: the file written (the folder, with `--each`), its bytes (all files'),
/// and how many regulations it holds.
pub struct PdfReport {
    pub out: std::path::PathBuf,
    pub bytes: usize,
    pub documents: usize,
}

/// Load the site at `site.root`, print it (or one volume) and write the PDF to `out` (default:
/// `<root>/public/<title>.pdf`, or `<volume>.pdf`). The site's own `templates/book.typ` replaces
/// the theme's layout.
pub fn write(
    site: &mut crate::Site,
    volume: Option<&str>,
    out: Option<&Path>,
) -> Result<PdfReport> {
    write_with(site, volume, out, false, &Protected::system())
}

/// [`write`], replacing a file rulebook did not write when `force`, against `protected` folders
/// (tests pass stand-ins). The target is checked as `build` checks its folder
/// ([`crate::output::file`]) before anything is typeset, and written atomically.
pub fn write_with(
    site: &mut crate::Site,
    volume: Option<&str>,
    out: Option<&Path>,
    force: bool,
    protected: &Protected,
) -> Result<PdfReport> {
    let root = site.root.clone();
    let requested = match out {
        Some(o) => o.to_path_buf(),
        None => root
            .join("public")
            .join(format!("{}.pdf", volume.unwrap_or("rulebook"))),
    };
    let out = file::check_file_target(&root, &requested, "pdf", force, protected, is_ours)?;
    let lib = site.load()?;
    let template = template(&root)?;
    let (fonts, typeface, note) = typefaces(&root, lib)?;
    let bytes = print(lib, volume, &fonts, &typeface, &template)?;
    let documents = data_count(lib, volume);
    site.diagnostics.extend(note);
    // Checked again just before: the file may have appeared while the book was typeset.
    let out = file::check_file_target(&root, &out, "pdf", force, protected, is_ours)?;
    // Written beside and renamed into place: a failed write never leaves half a PDF where the
    // last good one was.
    file::write_atomically(&out, &bytes)?;
    Ok(PdfReport {
        out,
        bytes: bytes.len(),
        documents,
    })
}

/// How many regulations the book (or volume) holds.
fn data_count(lib: &Library, volume: Option<&str>) -> usize {
    crate::render::print::reading_order(lib)
        .into_iter()
        .filter(|&(c, _)| {
            let Some(v) = volume.and_then(|v| lib.category_index(v)) else {
                return volume.is_none();
            };
            let mut at = Some(c);
            while let Some(x) = at {
                if x == v {
                    return true;
                }
                at = lib.categories[x].parent;
            }
            false
        })
        .map(|(c, _)| lib.categories[c].regulations.len())
        .sum()
}

/// `rulebook pdf --each`: every regulation (of the volume, or all) as a PDF of its own,
/// `<out>/<id>.pdf` (default `<root>/pdf/`), for pinning up and for 发文.
pub fn write_each(
    site: &mut crate::Site,
    volume: Option<&str>,
    out: Option<&Path>,
) -> Result<PdfReport> {
    write_each_with(site, volume, out, false, &Protected::system())
}

/// [`write_each`], replacing files rulebook did not write when `force`, against `protected`
/// folders. Every file goes through the code `rulebook pdf --out` writes with
/// ([`crate::output::file`]): all targets are checked before anything is typeset (so a refused
/// one leaves the folder as it was), each again just before it is written, each written to a
/// private partial file and renamed into place. A regulation now withheld (draft, classified)
/// whose PDF an earlier run left there is removed when that PDF is rulebook's, so withheld text is
/// not left published beside the others. One regulation is typeset at a time: memory is bounded
/// by the largest of them, not by the book.
pub fn write_each_with(
    site: &mut crate::Site,
    volume: Option<&str>,
    out: Option<&Path>,
    force: bool,
    protected: &Protected,
) -> Result<PdfReport> {
    let root = site.root.clone();
    let folder = out.map_or_else(|| root.join("pdf"), Path::to_path_buf);
    let lib = site.load()?;
    let template = template(&root)?;
    let (fonts, typeface, note) = typefaces(&root, lib)?;
    let chosen = data::book(lib, volume, typeface.clone()).ok_or_else(|| Error::Pdf {
        message: format!("no category `{}`", volume.unwrap_or_default()),
    })?;
    // A regulation's label is its id (`print_id` without an anchor).
    let ids: std::collections::HashSet<String> = chosen
        .categories
        .iter()
        .flat_map(|c| c.regulations.iter().map(|r| r.label.clone()))
        .collect();
    drop(chosen);
    let check = |id: &str| {
        let target = folder.join(format!("{id}.pdf"));
        file::check_file_target(&root, &target, "pdf", force, protected, is_ours)
    };
    let printed: Vec<(usize, &str)> = lib
        .regulations
        .iter()
        .enumerate()
        .filter(|(_, r)| ids.contains(r.id.as_str()))
        .map(|(i, r)| (i, r.id.as_str()))
        .collect();
    for (_, id) in &printed {
        check(id)?;
    }
    let (mut documents, mut bytes) = (0, 0);
    for (i, id) in &printed {
        let book = data::one(lib, *i, typeface.clone());
        let pdf = typeset(&book, &fonts, &template, id)?;
        file::write_atomically(&check(id)?, &pdf)?;
        documents += 1;
        bytes += pdf.len();
    }
    for w in &site.withheld {
        // Only a file this program wrote, found where it would have written it; checked as a
        // target is (so never inside the sources), and never through a link.
        if let Ok(old) = check(&w.id)
            && std::fs::symlink_metadata(&old).is_ok_and(|m| m.is_file())
            && std::fs::read(&old).is_ok_and(|b| is_ours(&b))
        {
            std::fs::remove_file(&old).map_err(|e| Error::Write {
                path: old.clone(),
                source: e,
            })?;
        }
    }
    site.diagnostics.extend(note);
    Ok(PdfReport {
        out: crate::output::target::absolute(&folder),
        documents,
        bytes,
    })
}

/// The site's own `templates/book.typ`, else the theme's [`TEMPLATE`].
fn template(root: &Path) -> Result<String> {
    let own = root.join("templates/book.typ");
    if own.is_file() {
        std::fs::read_to_string(&own).map_err(|e| Error::Read {
            path: own.clone(),
            source: e,
        })
    } else {
        Ok(TEMPLATE.to_string())
    }
}
