//! Minifies a rendered page (minify-html), and the fixes applied to every page after it.

/// Stands for a regulation's body while the page around it is minified: made anew for every run
/// (from the clock and the process id), so no text of the handbook can contain it.
pub(crate) fn body_token() -> &'static str {
    static TOKEN: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    TOKEN.get_or_init(|| {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        format!("\u{E000}body-{nanos:x}-{:x}\u{E000}", std::process::id())
    })
}

/// Minify a page whose template printed [`body_token`] where `body` goes; `body` is already written
/// as the minifier would write it (see `markdown::text_into`, `attr_into`), so the minifier only
/// reads the rest of the page.
pub(crate) fn page_with_body(html: &str, body: &str) -> Vec<u8> {
    let shell = minify(html);
    let token = body_token().as_bytes();
    let Some(at) = shell.windows(token.len()).position(|w| w == token) else {
        return shell;
    };
    let mut page = Vec::with_capacity(shell.len() - token.len() + body.len());
    page.extend_from_slice(&shell[..at]);
    page.extend_from_slice(body.as_bytes());
    page.extend_from_slice(&shell[at + token.len()..]);
    page
}

/// Minify a piece of a page (raw HTML an editor wrote), as the whole page would have been.
pub(crate) fn fragment(html: &str) -> Vec<u8> {
    let mut bytes = minify_or_keep(html);
    strip_control_bytes(&mut bytes);
    bytes
}

/// minify-html's output, or the HTML as it is where minify-html gives up: it panics on some raw
/// HTML an editor may write (a `<script>` closed by `</scripte`, found by the fuzzer), and no input
/// may crash the build.
fn minify_or_keep(html: &str) -> Vec<u8> {
    if !raw_text_closes_cleanly(html) {
        return html.as_bytes().to_vec();
    }
    let cfg = config();
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        minify_html::minify(html.as_bytes(), &cfg)
    }))
    .unwrap_or_else(|_| html.as_bytes().to_vec())
}

/// Whether every `<script>`, `<style>`, `<textarea>` and `<title>` in `html` is closed by its own end
/// tag (`</script` followed by `>`, `/` or white space), as minify-html assumes (it checks it with a
/// debug assertion and reads on blindly in a release build).
fn raw_text_closes_cleanly(html: &str) -> bool {
    let lower = html.to_ascii_lowercase();
    for name in ["script", "style", "textarea", "title"] {
        let open = format!("<{name}");
        let close = format!("</{name}");
        let mut at = 0;
        while let Some(i) = lower[at..].find(&open) {
            let start = at + i + open.len();
            // `<scripts>` is another element.
            if !lower[start..]
                .starts_with(|c: char| c == '>' || c == '/' || c.is_ascii_whitespace())
            {
                at = start;
                continue;
            }
            let Some(j) = lower[start..].find(&close) else {
                return true; // unclosed to the end: minify-html closes it
            };
            let end = start + j + close.len();
            if !lower[end..].starts_with(|c: char| c == '>' || c == '/' || c.is_ascii_whitespace())
            {
                return false;
            }
            at = end;
        }
    }
    true
}

fn config() -> minify_html::Cfg {
    let mut cfg = minify_html::Cfg::new();
    cfg.keep_html_and_head_opening_tags = true;
    cfg.keep_closing_tags = true;
    cfg.minify_css = false;
    cfg.minify_js = false;
    cfg
}

pub(crate) fn minify(html: &str) -> Vec<u8> {
    let mut bytes = minify_or_keep(html);
    escape_title(&mut bytes);
    strip_control_bytes(&mut bytes);
    bytes
}

/// Remove control characters other than tab and newline (C0, DEL, C1; see
/// [`crate::model::is_stray_control`]) from a page, wherever they came from (front-matter through
/// the templates, entities the minifier decoded): never written. A quick scan first: they are rare.
pub(crate) fn strip_control_bytes(bytes: &mut Vec<u8>) {
    let forbidden = |b: &[u8], i: usize| -> usize {
        match b[i] {
            b'\t' | b'\n' => 0,
            0..=0x1f | 0x7f => 1,
            // U+0080..U+009F in UTF-8.
            0xc2 if b.get(i + 1).is_some_and(|n| (0x80..=0x9f).contains(n)) => 2,
            _ => 0,
        }
    };
    if !(0..bytes.len()).any(|i| forbidden(bytes, i) > 0) {
        return;
    }
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match forbidden(bytes, i) {
            0 => {
                out.push(bytes[i]);
                i += 1;
            }
            n => i += n,
        }
    }
    *bytes = out;
}

/// minify-html writes the text of `<title>` with its entities decoded (browsers read it as text up to
/// `</title>` anyway); escape `<` there again, so no tool reading the files sees markup in a title.
fn escape_title(bytes: &mut Vec<u8>) {
    let Some(start) = find(bytes, b"<title>").map(|i| i + b"<title>".len()) else {
        return;
    };
    let Some(len) = find(&bytes[start..], b"</title>") else {
        return;
    };
    if !bytes[start..start + len].contains(&b'<') {
        return;
    }
    let escaped: Vec<u8> = bytes[start..start + len]
        .iter()
        .flat_map(|&b| if b == b'<' { b"&lt;".to_vec() } else { vec![b] })
        .collect();
    bytes.splice(start..start + len, escaped);
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    #[test]
    fn html_minify_html_gives_up_on_is_kept() {
        // Found by the fuzzer: minify-html asserts that a script's closing tag matches.
        let raw = "<p>a<script>alert(1)</scripte<s>/ction>\n";
        let out = String::from_utf8(super::fragment(raw)).unwrap();
        assert!(out.contains("alert(1)"), "{out}");
    }
}
