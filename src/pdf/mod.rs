//! The bound print edition (`rulebook pdf`): the model handed to Typst as data (JSON read by the
//! theme's `book.typ`), typeset in-process and written as one PDF, or one per category (volume).
//!
//! Nothing is generated as Typst markup: text goes in as JSON strings, so nothing needs escaping
//! and no editor's text can change the layout.

pub mod data;
pub mod world;

use std::path::Path;

use typst::diag::{Severity, SourceDiagnostic};
use typst_layout::PagedDocument;

use crate::error::{Error, Result};
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
    template: &str,
    date: &str,
) -> Result<Vec<u8>> {
    let book = data::book(lib, volume, date).ok_or_else(|| Error::Pdf {
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
    let json = serde_json::to_vec(&book).map_err(|e| Error::Pdf {
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
        ident: typst::foundations::Smart::Custom(format!("rulebook:{}", volume.unwrap_or(""))),
        // How `rulebook pdf` knows a file it may replace (see `is_ours`).
        creator: typst::foundations::Smart::Custom(Some(CREATOR.to_string())),
        ..Default::default()
    };
    typst_pdf::pdf(&document, &options).map_err(|errors| Error::Pdf {
        message: errors
            .iter()
            .map(|e| describe(&world, e))
            .collect::<Vec<_>>()
            .join("\n"),
    })
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

/// Load the fonts from the system folder (see [`world::FONT_DIR`]).
pub fn system_fonts() -> Result<world::Fonts> {
    world::Fonts::load(Path::new(world::FONT_DIR))
        .map_err(|(path, source)| Error::Read { path, source })
}

/// What `rulebook pdf` did.
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
    let own = root.join("templates/book.typ");
    let template = if own.is_file() {
        std::fs::read_to_string(&own).map_err(|e| Error::Read {
            path: own.clone(),
            source: e,
        })?
    } else {
        TEMPLATE.to_string()
    };
    let fonts = system_fonts()?;
    let date = match &lib.config.date {
        Some(d) => d.clone(),
        None => {
            let today = lib.today;
            lib.config
                .string("print_date")
                .replace("{y}", &today.year().to_string())
                .replace("{m}", &today.month().to_string())
                .replace("{d}", &today.day().to_string())
                .replace("{mm}", &format!("{:02}", today.month()))
                .replace("{dd}", &format!("{:02}", today.day()))
        }
    };
    let bytes = print(lib, volume, &fonts, &template, &date)?;
    let documents = data_count(lib, volume);
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
