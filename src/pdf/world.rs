//! The Typst `World` of the print edition: one main file (the theme's `book.typ`), one data file
//! (the model as JSON), the system's static Noto CJK fonts, no packages and no other files.

use std::path::{Path, PathBuf};

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

/// Where Debian's `fonts-noto-cjk` puts its static (not variable) fonts.
pub const FONT_DIR: &str = "/usr/share/fonts/opentype/noto";

/// The font files the book is set in: serif for text, sans for headings, regular and bold.
pub const FONT_FILES: &[&str] = &[
    "NotoSerifCJK-Regular.ttc",
    "NotoSerifCJK-Bold.ttc",
    "NotoSansCJK-Regular.ttc",
    "NotoSansCJK-Bold.ttc",
];

/// The fonts, loaded once and shared by every volume printed in one run.
pub struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

impl Fonts {
    /// Load [`FONT_FILES`] from `dir`. A missing file is an error: a book set in a fallback font
    /// would print boxes for Chinese.
    pub fn load(dir: &Path) -> Result<Fonts, (PathBuf, std::io::Error)> {
        let mut fonts = Vec::new();
        for name in FONT_FILES {
            let path = dir.join(name);
            let data = std::fs::read(&path).map_err(|e| (path.clone(), e))?;
            fonts.extend(Font::iter(Bytes::new(data)));
        }
        Ok(Fonts {
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
        })
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
        self.fonts.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        self.today
    }
}
