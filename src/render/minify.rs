//! Keeps pages small without minifying each one: templates are compacted once when the theme is
//! loaded, the body is written compact (`markdown::text_into`), and minify-html is run only on raw
//! HTML an editor wrote.

/// Stands for a regulation's body in the rendered template: made anew for every run (from the
/// process's random hash keys and its id), so no text of the handbook can contain it. The body is
/// put in its place afterwards, so Tera never copies it into its context. (Not from the clock:
/// renderers never read it — every output is a function of the model and the build's inputs.)
pub(crate) fn body_token() -> &'static str {
    static TOKEN: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    TOKEN.get_or_init(|| {
        use std::hash::{BuildHasher, Hasher};
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u32(std::process::id());
        format!(
            "\u{E000}body-{:x}-{:x}\u{E000}",
            h.finish(),
            std::process::id()
        )
    })
}

/// A rendered page whose template printed [`body_token`] where `body` goes, with the body in its
/// place.
pub(crate) fn page_with_body(html: &str, body: &str) -> Vec<u8> {
    let token = body_token();
    let Some(at) = html.find(token) else {
        return page(html);
    };
    // The body was cleaned as it was written (`markdown::render_body`); only the rest is scanned.
    let mut head = html.as_bytes()[..at].to_vec();
    let mut tail = html.as_bytes()[at + token.len()..].to_vec();
    strip_control_bytes(&mut head);
    strip_control_bytes(&mut tail);
    let mut bytes = Vec::with_capacity(head.len() + body.len() + tail.len());
    bytes.extend_from_slice(&head);
    bytes.extend_from_slice(body.as_bytes());
    bytes.extend_from_slice(&tail);
    bytes
}

/// A rendered page as it is written: the templates were compacted when they were loaded
/// ([`compact_template`]), so only stray control characters are taken out.
pub(crate) fn page(html: &str) -> Vec<u8> {
    let mut bytes = html.as_bytes().to_vec();
    strip_control_bytes(&mut bytes);
    bytes
}

/// Tera's HTML escaping without `/` → `&#x2F;` (Tera's default): inside text and quoted attribute
/// values a slash means nothing, and every href would carry it several times.
pub(crate) fn escape_html(input: &str) -> String {
    let mut out = String::with_capacity(input.len() + input.len() / 8);
    super::markdown::escape_into(input, &mut out);
    out
}

/// A template's source without the layout that is there for its readers: a run of white space that
/// holds a line break and stands between two tags (HTML `<…>` or Tera `{% %}`/`{# #}`) is dropped;
/// any other run becomes one space (what a browser shows for it), so `</a> <span>` keeps its space. `<pre>`, `<textarea>`, `<script>` and
/// `<style>` are copied as they are. Done once per template when the theme is loaded, instead of
/// minifying every page.
pub(crate) fn compact_template(src: &str) -> String {
    const RAW: [&str; 4] = ["pre", "textarea", "script", "style"];
    let mut out = String::with_capacity(src.len());
    let mut rest = src;
    while let Some(c) = rest.chars().next() {
        if let Some(name) = RAW.iter().find(|n| c == '<' && opens(rest, n)) {
            let close = format!("</{name}");
            let end = rest
                .to_ascii_lowercase()
                .find(&close)
                .map_or(rest.len(), |i| i + close.len());
            out.push_str(&rest[..end]);
            rest = &rest[end..];
            continue;
        }
        if c.is_whitespace() {
            let len = rest
                .find(|c: char| !c.is_whitespace())
                .unwrap_or(rest.len());
            let run = &rest[..len];
            rest = &rest[len..];
            let layout = run.contains('\n')
                && (ends_block(&out) || starts_block(rest) || out.is_empty() || rest.is_empty());
            if !layout {
                out.push(' ');
            }
            continue;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Whether `s` starts with the start tag of element `name` (`<pre>`, `<pre class=…>`).
fn opens(s: &str, name: &str) -> bool {
    let b = s.as_bytes();
    b.len() > name.len() + 1
        && b[1..=name.len()].eq_ignore_ascii_case(name.as_bytes())
        && matches!(
            b[name.len() + 1],
            b'>' | b' ' | b'\t' | b'\n' | b'\r' | b'/'
        )
}

/// Whether `out` ends with the tag of an element that is not inline: a line break beside it shows
/// nothing (`</li>⏎<li>`), while one between inline elements or text shows a space (`</a>⏎<span>`).
/// Tera tags count as neither: what they print decides.
fn ends_block(out: &str) -> bool {
    out.ends_with('>') && out.rfind('<').is_some_and(|i| !inline_tag(&out[i..]))
}

/// As [`ends_block`], for what follows the white space.
fn starts_block(rest: &str) -> bool {
    rest.starts_with('<') && !inline_tag(rest)
}

/// Whether `tag` (`<a …>`, `</span>`) is one of the phrasing elements a browser lays out in the line.
fn inline_tag(tag: &str) -> bool {
    const INLINE: [&str; 22] = [
        "a", "abbr", "b", "button", "cite", "code", "em", "i", "img", "input", "kbd", "label",
        "mark", "q", "s", "small", "span", "strong", "sub", "sup", "time", "u",
    ];
    let name: String = tag
        .trim_start_matches('<')
        .trim_start_matches('/')
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase();
    INLINE.contains(&name.as_str())
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

/// Remove control characters other than tab and newline (C0, DEL, C1; see
/// [`crate::model::is_stray_control`]) from a page, wherever they came from (front-matter through
/// the templates, entities the minifier decoded): never written. A quick scan first: they are rare.
pub(crate) fn strip_control_bytes(bytes: &mut Vec<u8>) {
    let Some(first) = first_control(bytes) else {
        return;
    };
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&bytes[..first]);
    let mut i = first;
    while i < bytes.len() {
        match control_len(bytes, i) {
            0 => {
                out.push(bytes[i]);
                i += 1;
            }
            n => i += n,
        }
    }
    *bytes = out;
}

/// Where the first stray control character of `bytes` starts. The search looks for candidate bytes
/// with a simple test the compiler vectorises (a page is scanned whole), then checks each.
pub(crate) fn first_control(bytes: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(at) = bytes[from..]
        .iter()
        .position(|&b| b < 0x20 || b == 0x7f || b == 0xc2)
    {
        let i = from + at;
        if control_len(bytes, i) > 0 {
            return Some(i);
        }
        from = i + 1;
    }
    None
}

/// The length in bytes of the stray control character at `i`, or 0.
fn control_len(b: &[u8], i: usize) -> usize {
    match b[i] {
        b'\t' | b'\n' => 0,
        0..=0x1f | 0x7f => 1,
        // U+0080..U+009F in UTF-8.
        0xc2 if b.get(i + 1).is_some_and(|n| (0x80..=0x9f).contains(n)) => 2,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::compact_template;

    #[test]
    fn templates_lose_their_layout_not_their_spaces() {
        let table: &[(&str, &str)] = &[
            // Line breaks and indentation between tags go.
            ("<ul>\n  <li>a</li>\n</ul>\n", "<ul><li>a</li></ul>"),
            (
                "{% for x in xs %}\n  <li>{{ x }}</li>\n{% endfor %}\n</ul>",
                "{% for x in xs %}<li>{{ x }}</li>{% endfor %}</ul>",
            ),
            ("<p>\n{# note #}\n</p>", "<p>{# note #}</p>"),
            // Between two Tera tags what they print decides: one space, as a browser would show.
            ("{% if a %}\n{% endif %}", "{% if a %} {% endif %}"),
            // A space written on one line is kept; a line break beside text is one space.
            ("<a>x</a> <span>1</span>", "<a>x</a> <span>1</span>"),
            ("</dd>    {% if a %}", "</dd> {% if a %}"),
            ("<p>one\n   two</p>", "<p>one two</p>"),
            ("<h2>\n{{ t }}\n</h2>", "<h2>{{ t }}</h2>"),
            // …and beside inline elements, where the browser shows it.
            ("<a>x</a>\n{% if b %}<span>", "<a>x</a> {% if b %}<span>"),
            (
                "<li>\n  <a>x</a>\n  <span>y</span>\n</li>",
                "<li><a>x</a> <span>y</span></li>",
            ),
            // Attributes over several lines.
            (
                "<a\n   href=\"x\"\n   class=\"y\">",
                "<a href=\"x\" class=\"y\">",
            ),
            // Raw text elements are copied as they are.
            ("<pre>\n  a\n  b</pre>\n<p>", "<pre>\n  a\n  b</pre><p>"),
            (
                "<script>\nlet a = 1;\n</script>\n",
                "<script>\nlet a = 1;\n</script>",
            ),
            ("<PRE class=x>\n a</PRE>", "<PRE class=x>\n a</PRE>"),
            // `<prefix>` is not `<pre>`.
            ("<prefix>\n <b>", "<prefix><b>"),
            ("", ""),
            ("\n\n", ""),
        ];
        for (src, want) in table {
            assert_eq!(compact_template(src), *want, "{src:?}");
        }
    }

    #[test]
    fn control_characters_are_found_and_removed() {
        let table: &[(&str, Option<usize>, &str)] = &[
            (
                "plain 中文 · text\tand\nlines",
                None,
                "plain 中文 · text\tand\nlines",
            ),
            ("a\u{0}b", Some(1), "ab"),
            ("·\u{85}x\u{7f}", Some(2), "·x"),
            ("\u{1b}[31m", Some(0), "[31m"),
            ("", None, ""),
        ];
        for (text, first, clean) in table {
            assert_eq!(super::first_control(text.as_bytes()), *first, "{text:?}");
            let mut bytes = text.as_bytes().to_vec();
            super::strip_control_bytes(&mut bytes);
            assert_eq!(String::from_utf8(bytes).unwrap(), *clean, "{text:?}");
        }
    }

    #[test]
    fn escaping_leaves_slashes() {
        assert_eq!(
            super::escape_html("../a/b.html?x=<1>&y=\"'"),
            "../a/b.html?x=&lt;1&gt;&amp;y=&quot;&#39;"
        );
    }

    #[test]
    fn html_minify_html_gives_up_on_is_kept() {
        // Found by the fuzzer: minify-html asserts that a script's closing tag matches.
        let raw = "<p>a<script>alert(1)</scripte<s>/ction>\n";
        let out = String::from_utf8(super::fragment(raw)).unwrap();
        assert!(out.contains("alert(1)"), "{out}");
    }
}
