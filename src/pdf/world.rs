//! The Typst `World` of the print edition: one main file (the theme's `book.typ`), one data file
//! (the model as JSON), the fonts of the site's `fonts/` folder and of the system, no packages and
//! no other files.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook, FontInfo};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

/// The folders fonts are installed in, on Linux, Windows and macOS (those that exist are read;
/// `~` is the user's home folder). A site's own `fonts/` folder is read before them.
fn system_font_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = [
        "/usr/share/fonts",
        "/usr/local/share/fonts",
        "/System/Library/Fonts",
        "/Library/Fonts",
    ]
    .iter()
    .map(PathBuf::from)
    .collect();
    if let Some(windir) = std::env::var_os("WINDIR").or_else(|| std::env::var_os("SystemRoot")) {
        dirs.push(PathBuf::from(windir).join("Fonts"));
    } else if cfg!(windows) {
        dirs.push(PathBuf::from(r"C:\Windows\Fonts"));
    }
    if let Some(local) = std::env::var_os("LOCALAPPDATA") {
        dirs.push(PathBuf::from(local).join(r"Microsoft\Windows\Fonts"));
    }
    if let Some(home) = std::env::var_os("HOME").or_else(|| std::env::var_os("USERPROFILE")) {
        let home = PathBuf::from(home);
        dirs.push(home.join(".local/share/fonts"));
        dirs.push(home.join(".fonts"));
        dirs.push(home.join("Library/Fonts"));
    }
    dirs
}

/// A font file found: read when a face of it is first used, then shared by its faces.
struct FontFile {
    path: PathBuf,
    data: OnceLock<Option<Bytes>>,
}

/// The fonts found, by family name as the font files give it (Typst's font loading reads the
/// names); a face is read from its file only when the book uses it, so that a computer with
/// hundreds of fonts costs their names, not their glyphs.
pub struct Fonts {
    book: LazyHash<FontBook>,
    /// Per face in `book`: (file, index in the file), and the face once loaded.
    faces: Vec<(usize, u32, OnceLock<Option<Font>>)>,
    files: Vec<FontFile>,
}

impl Fonts {
    /// Every font under `dirs` (searched in order, recursively; a folder that does not exist is
    /// skipped). Unreadable files and files that are not fonts are skipped: the book says which
    /// families it needs and [`Fonts::has`] tells whether they were found.
    pub fn search(dirs: &[PathBuf]) -> Fonts {
        let mut book = FontBook::new();
        let mut faces = Vec::new();
        let mut files = Vec::new();
        for dir in dirs {
            let mut paths: Vec<PathBuf> = walkdir::WalkDir::new(dir)
                .follow_links(true)
                .into_iter()
                .filter_map(|e| e.ok())
                .filter(|e| e.file_type().is_file())
                .map(|e| e.into_path())
                .filter(|p| {
                    p.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                        matches!(
                            e.to_ascii_lowercase().as_str(),
                            "ttf" | "otf" | "ttc" | "otc"
                        )
                    })
                })
                .collect();
            paths.sort();
            for path in paths {
                let Ok(data) = std::fs::read(&path) else {
                    continue;
                };
                let count = ttf_count(&data);
                let file = files.len();
                let mut any = false;
                for index in 0..count {
                    if let Some(info) = FontInfo::new(&data, index) {
                        book.push(info);
                        faces.push((file, index, OnceLock::new()));
                        any = true;
                    }
                }
                if any {
                    files.push(FontFile {
                        path,
                        data: OnceLock::new(),
                    });
                }
            }
        }
        Fonts {
            book: LazyHash::new(book),
            faces,
            files,
        }
    }

    /// The fonts of the site's `fonts/` folder (if any) and of the system's font folders.
    pub fn for_site(root: &Path) -> Fonts {
        let mut dirs = vec![root.join("fonts")];
        dirs.extend(system_font_dirs());
        Fonts::search(&dirs)
    }

    /// Whether a family of this name was found (names compared as Typst does, ignoring case).
    pub fn has(&self, family: &str) -> bool {
        self.book.contains_family(&family.to_lowercase())
    }

    fn face(&self, index: usize) -> Option<Font> {
        let (file, i, slot) = self.faces.get(index)?;
        slot.get_or_init(|| {
            let f = &self.files[*file];
            let data = f
                .data
                .get_or_init(|| std::fs::read(&f.path).ok().map(Bytes::new))
                .clone()?;
            Font::new(data, *i)
        })
        .clone()
    }
}

/// How many faces a font file holds (a collection, .ttc, holds several).
fn ttf_count(data: &[u8]) -> u32 {
    // "ttcf", then the version, then the number of fonts (big-endian).
    if data.len() >= 12 && &data[..4] == b"ttcf" {
        u32::from_be_bytes([data[8], data[9], data[10], data[11]])
    } else {
        1
    }
}

/// One book to typeset.
pub struct BookWorld<'a> {
    library: LazyHash<Library>,
    fonts: &'a Fonts,
    main: Source,
    data_id: FileId,
    data: Bytes,
    today: Option<Datetime>,
}

fn file_id(path: &str) -> FileId {
    // Both paths are constants of this module and valid.
    let vpath = VirtualPath::new(path).unwrap_or_else(|_| unreachable!("valid path {path}"));
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

impl<'a> BookWorld<'a> {
    /// `template` is Typst markup reading `/data.json`; `data` is that JSON.
    pub fn new(fonts: &'a Fonts, template: &str, data: Vec<u8>, today: Option<Datetime>) -> Self {
        BookWorld {
            library: LazyHash::new(Library::default()),
            fonts,
            main: Source::new(file_id("/book.typ"), template.to_string()),
            data_id: file_id("/data.json"),
            data: Bytes::new(data),
            today,
        }
    }

    /// The main file's source (for locating errors in the template).
    pub fn main_source(&self) -> &Source {
        &self.main
    }
}

impl World for BookWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.fonts.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::NotFound(PathBuf::from(format!("{id:?}"))))
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.data_id {
            Ok(self.data.clone())
        } else {
            // No packages, images or other files: the book is the model and the template.
            Err(FileError::NotFound(PathBuf::from(format!("{id:?}"))))
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.face(index)
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        self.today
    }
}
