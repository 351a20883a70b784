//! When a page's title may be linked from plain text without 《》 or an explicit link: only when it
//! is distinctive. A Chinese title of four characters or more is (财务管理制度 names one document);
//! a title in Latin letters must be a name of two words or more (“Google Drive”, “Travel card”), and
//! is found only as whole words — a bare common word (“Acquisition”, “Slack”, “Leave”) is never
//! linked, and neither is a word inside a longer name (“Federal Acquisition Service”).

use std::ops::Range;

/// Whether `name` (a title or alias, normalised) may be found in running text without 《》.
pub fn bare_ok(name: &str) -> bool {
    if name.chars().count() < 4 {
        return false;
    }
    if !name.chars().any(|c| c.is_ascii_alphabetic()) {
        return true;
    }
    name.split_whitespace().count() >= 2
}

/// Whether the match `range` of `text` stands as whole words: no ASCII letter or digit runs on
/// into it from either side. (Chinese text has no word breaks: a match there always stands.)
pub fn whole_words(text: &str, range: &Range<usize>) -> bool {
    let word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    let (before, first) = (
        text[..range.start].chars().next_back(),
        text[range.start..].chars().next(),
    );
    let (last, after) = (
        text[..range.end].chars().next_back(),
        text[range.end..].chars().next(),
    );
    !(word(before) && word(first) || word(last) && word(after))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_distinctive_names_stand_alone() {
        assert!(bare_ok("市委保密办财务管理制度"));
        assert!(bare_ok("Google Drive"));
        assert!(!bare_ok("Acquisition"));
        assert!(!bare_ok("Slack"));
        assert!(!bare_ok("公车"));
        let t = "the Federal Acquisition Services team uses Google Drive daily";
        let at = |s: &str| {
            let i = t.find(s).unwrap();
            i..i + s.len()
        };
        assert!(!whole_words(t, &at("Acquisition Service")));
        assert!(whole_words(t, &at("Google Drive")));
        assert!(whole_words("用公车制度", &(3..9)));
    }
}
