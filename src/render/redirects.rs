//! The former addresses of moved regulations (`old_ids:`, src/content/load/moved.rs): one small
//! page at each, `regulations/<old id>.html`, that sends the reader on to the regulation's page.
//!
//! It works from a web server and from disk (`file://`) alike: a script keeps the clause the old
//! link pointed at (`#art3`), a `refresh` meta tag does without script, and a link does without
//! either. `rel=canonical` and `noindex` keep search tools on the current page. The pages go into
//! the same [`Sink`] as every other file, so `build` writes them with its output-safety code and
//! `serve` serves them; the loader has made sure no old id is the id of another document, so no
//! redirect is ever written over a regulation's page.

use crate::error::Result;
use crate::model::{Library, Regulation};
use crate::output::write::Sink;

use super::links::{encode_segment, regulation_path};
use super::minify::escape_html;

/// Every published regulation's redirect pages. A withheld regulation has none: its former
/// addresses are not published either.
pub fn write(lib: &Library, sink: &dyn Sink) -> Result<()> {
    for reg in &lib.regulations {
        for old in &reg.old_ids {
            sink.put(&regulation_path(old), redirect_page(lib, reg).as_bytes())?;
        }
    }
    Ok(())
}

/// The page at a former address of `reg`.
fn redirect_page(lib: &Library, reg: &Regulation) -> String {
    // Beside the regulation's page in `regulations/`: the relative address works from any path.
    let href = escape_html(&format!("{}.html", encode_segment(&reg.id)));
    let title = escape_html(&reg.title);
    let lang = escape_html(&lib.config.language);
    let moved = escape_html(&lib.config.string("moved_to"));
    let heading = escape_html(
        &lib.config
            .string("moved_title")
            .replace("{title}", &reg.title),
    );
    format!(
        "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
<meta name=\"robots\" content=\"noindex\"><link rel=\"canonical\" href=\"{href}\">\
<meta http-equiv=\"refresh\" content=\"0; url={href}\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>{heading}</title>\
<script>location.replace(\"{href}\" + location.hash);</script></head>\
<body><p>{moved}<a href=\"{href}\">{title}</a></p></body></html>\n"
    )
}
