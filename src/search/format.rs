//! The search index's files and how their data is written, shared by the renderer that writes them
//! and the query engine that reads them (and mirrored in `search.js`).
//!
//! Every file is a classic script, `rbSearch("name", DATA);`, so a page opened from disk can load
//! it with a `<script>` element (no fetch, which `file://` forbids). Under `search/`:
//!
//! * `meta.js`: shard count, document stride, the folding table, synonyms, categories, statuses,
//!   the 时效性 labels (`timeliness`, which a regulation's `tl` indexes).
//! * `s/{shard}.js`: postings of the keys hashed to the shard: key → delta-encoded document
//!   numbers ([`encode_postings`]), or for a long list `{n, j, f}`: its `n` documents in chunk files `c/{shard}-{j+k}.js`,
//!   chunk k starting at document `f[k]`.
//! * `t/{reg}.js`: one regulation's documents (anchor, label, heading, text, kind) for checking
//!   candidates and showing snippets, loaded only for the regulations a query reaches.
//!
//! Keys are character bigrams of the folded text, and single characters for one-character queries
//! (whose postings name regulations, as document number regulation × stride, not documents); a key
//! of the title field (regulation titles, glossary terms) starts with [`TITLE`]. Document
//! number = regulation number × stride + position in the regulation; regulations are numbered 现行
//! first, then 试行, 草案, 废止, so the lowest numbers are the ones to show first.

use serde_json::Value;

/// Folder of the index in the output.
pub const DIR: &str = "search";
/// Prefix of title-field keys.
pub const TITLE: char = '^';
/// A posting list longer than this (encoded) goes into chunk files of about this size, so a query
/// with a frequent character loads only the chunks it needs.
pub const CHUNK_BYTES: usize = 6 * 1024;
/// Kinds of documents (the 5th field of a document in `t/{reg}.js`).
pub const KIND_TITLE: u64 = 0;
pub const KIND_CLAUSE: u64 = 1;
pub const KIND_STEP: u64 = 2;
pub const KIND_ROW: u64 = 3;
pub const KIND_TERM: u64 = 4;
/// An entry of the directory: a role, checklist, form or category, found by its name; its anchor is
/// its page.
pub const KIND_DIRECTORY: u64 = 5;

/// Marker of an article number's key: the key of 第N条 is this followed by `char(ARTICLE_BASE + N)`,
/// private-use characters no text holds (a clause labelled 第N条 is found by number, not by the
/// bigrams of its label, which every citation of it also has).
pub const ARTICLE_MARK: char = '\u{F1000}';
pub const ARTICLE_BASE: u32 = 0xF2000;

/// The key of article number `n` (`None` past the private-use range).
pub fn article_key(n: u64) -> String {
    let mut s = String::new();
    if let Some(c) = u32::try_from(n)
        .ok()
        .filter(|&n| n < 0xD000)
        .and_then(|n| char::from_u32(ARTICLE_BASE + n))
    {
        s.push(ARTICLE_MARK);
        s.push(c);
    }
    s
}

/// FNV-1a over the code points of a key (without the field prefix): the shard is `hash % shards`.
pub fn hash(key: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for c in key.chars() {
        h ^= c as u32;
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

/// The keys a folded term is looked up by: its bigrams, or the character itself.
pub fn keys(term: &str) -> Vec<String> {
    let chars: Vec<char> = term.chars().collect();
    if chars.len() == 1 {
        return vec![term.to_string()];
    }
    let mut out: Vec<String> = chars.windows(2).map(|w| w.iter().collect()).collect();
    out.sort();
    out.dedup();
    out
}

/// A script file registering `data` under `name`. `<`, `>` and `&` are written as `\u003c` …, so
/// that no text of a regulation appears as markup in any file (for audits that grep the output, and
/// should the data ever be inlined into a page), and the line separators U+2028/2029 as escapes, which
/// older JavaScript engines do not accept in strings.
pub fn script(name: &str, data: &Value) -> Vec<u8> {
    script_for("rbSearch", name, data)
}

/// [`script`] calling `callback` (the in-place previews' files call `rbPreview`).
pub fn script_for(callback: &str, name: &str, data: &Value) -> Vec<u8> {
    let json = data.to_string();
    let mut out = String::with_capacity(json.len() + name.len() + 16);
    out.push_str(callback);
    out.push('(');
    out.push_str(&Value::from(name).to_string());
    out.push(',');
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out.push_str(");\n");
    out.into_bytes()
}

/// The name and data of a file written by [`script`].
pub fn parse_script(bytes: &[u8]) -> Option<(String, Value)> {
    parse_script_for("rbSearch", bytes)
}

/// The name and data of a file written by [`script_for`] with `callback`.
pub fn parse_script_for(callback: &str, bytes: &[u8]) -> Option<(String, Value)> {
    let text = std::str::from_utf8(bytes).ok()?;
    let inner = text
        .trim_end()
        .strip_prefix(callback)?
        .strip_prefix('(')?
        .strip_suffix(");")?;
    let v: Value = serde_json::from_str(&format!("[{inner}]")).ok()?;
    let name = v.get(0)?.as_str()?.to_string();
    Some((name, v.get(1)?.clone()))
}

/// Digits of a number but its last (continuation), and last digits: 32 each, so a number is written
/// in base 32 without separators (a gap under 32 is one character) and with no character that
/// JSON or the script escaping ([`script`]) would have to escape.
const MORE: &[u8; 32] = b"0123456789abcdefghijklmnopqrstuv";
const LAST: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ_-.:;=";

fn push_number(n: u64, out: &mut String) {
    let mut buf = [0u8; 13];
    let mut i = buf.len() - 1;
    buf[i] = LAST[(n % 32) as usize];
    let mut rest = n / 32;
    while rest > 0 {
        i -= 1;
        buf[i] = MORE[(rest % 32) as usize];
        rest /= 32;
    }
    // All ASCII: pushed as characters, without validating them as UTF-8 again.
    out.extend(buf[i..].iter().map(|&b| b as char));
}

/// Ascending document numbers as gaps (the first one absolute), each in base 32 with a distinct last
/// digit ([`LAST`]), cut into pieces of about [`CHUNK_BYTES`]: (first document, encoded) per piece.
pub fn encode_postings(docs: &[u64]) -> Vec<(u64, String)> {
    let mut out: Vec<(u64, String)> = Vec::new();
    let mut cur = String::new();
    let mut first = 0;
    let mut prev = 0;
    for &d in docs {
        if cur.len() >= CHUNK_BYTES {
            out.push((first, std::mem::take(&mut cur)));
        }
        if cur.is_empty() {
            first = d;
            push_number(d, &mut cur);
        } else {
            push_number(d - prev, &mut cur);
        }
        prev = d;
    }
    if !cur.is_empty() {
        out.push((first, cur));
    }
    out
}

/// The document numbers of one encoded piece.
pub fn decode_postings(s: &str) -> Vec<u64> {
    let mut out = Vec::new();
    let (mut acc, mut n) = (0u64, 0u64);
    for b in s.bytes() {
        if let Some(d) = LAST.iter().position(|&x| x == b) {
            let v = n * 32 + d as u64;
            acc = if out.is_empty() { v } else { acc + v };
            out.push(acc);
            n = 0;
        } else if let Some(d) = MORE.iter().position(|&x| x == b) {
            n = n * 32 + d as u64;
        }
    }
    out
}

/// How many documents an encoded piece holds.
pub fn count_postings(s: &str) -> u64 {
    s.bytes().filter(|b| LAST.contains(b)).count() as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postings_round_trip_in_chunks() {
        let docs: Vec<u64> = (0..20_000u64).map(|i| i * 7 + (i % 3)).collect();
        let pieces = encode_postings(&docs);
        assert!(pieces.len() > 1);
        let mut back = Vec::new();
        for (first, s) in &pieces {
            assert!(s.len() <= CHUNK_BYTES + 16);
            let d = decode_postings(s);
            assert_eq!(d[0], *first);
            back.extend(d);
        }
        assert_eq!(back, docs);
        assert_eq!(encode_postings(&[5, 41]), vec![(5, "F1E".to_string())]);
        assert_eq!(
            encode_postings(&[32, 32 * 32 + 32]),
            vec![(32, "1A10A".to_string())]
        );
        assert_eq!(decode_postings("1A10A"), [32, 32 * 32 + 32]);
        assert_eq!(count_postings("1A10A"), 2);
    }

    #[test]
    fn keys_and_scripts() {
        assert_eq!(keys("公务卡"), ["公务", "务卡"]);
        assert_eq!(keys("印"), ["印"]);
        assert_eq!(keys("aaa"), ["aa"]);
        let s = script("s/1", &serde_json::json!({"印章": "0,1"}));
        assert_eq!(s, "rbSearch(\"s/1\",{\"印章\":\"0,1\"});\n".as_bytes());
        let hostile = serde_json::json!(["<script>&\u{2028}"]);
        let text = String::from_utf8(script("t/0", &hostile)).unwrap();
        assert!(!text.contains('<') && !text.contains('&'), "{text}");
        assert_eq!(parse_script(text.as_bytes()).unwrap().1, hostile);
        assert_eq!(
            parse_script(&s),
            Some(("s/1".into(), serde_json::json!({"印章": "0,1"})))
        );
    }
}
