//! The one normalisation of search text: full-width forms to half-width, case folded, punctuation,
//! symbols of layout and whitespace dropped. The index is built on it and the browser folds queries
//! and snippets with a table generated from [`fold_char`] ([`table_runs`]), so the two cannot drift.

/// What a character becomes: `None` when it does not count for search (whitespace, punctuation).
///
/// Only characters of the Basic Multilingual Plane are ever changed, so the browser, which sees
/// UTF-16 code units, keeps everything else as it is, as this does.
pub fn fold_char(c: char) -> Option<char> {
    let c = match c as u32 {
        // Full-width ASCII variants (３０００, （, Ａ) are their ASCII selves.
        cp @ 0xFF01..=0xFF5E => char::from_u32(cp - 0xFEE0).unwrap_or(c),
        0x3000 => ' ',
        _ => c,
    };
    if ignored(c) {
        return None;
    }
    // Case folding for the scripts an office's regulations quote (Latin, Greek, Cyrillic); a
    // character whose lower case is more than one character (İ) stays as it is.
    if (c as u32) < 0x0530 {
        let mut lower = c.to_lowercase();
        if let (Some(l), None) = (lower.next(), lower.next()) {
            return Some(l);
        }
    }
    Some(c)
}

/// Whitespace, punctuation and quotation marks of every width: `3000元。` matches `3000元`, and
/// 《印章使用审批单》 matches 印章使用审批单.
fn ignored(c: char) -> bool {
    let cp = c as u32;
    c.is_whitespace()
        || c.is_control()
        || c.is_ascii_punctuation()
        || matches!(
            cp,
            0xA1 | 0xA7 | 0xAB | 0xB6 | 0xB7 | 0xBB | 0xBF // ¡ § « ¶ · » ¿
            | 0x2000..=0x206F // general punctuation: — … ‘ ’ “ ” • and invisible formatting
            | 0x3001..=0x3004 // 、 。 〃 〄
            | 0x3008..=0x3020 // 《》「」『』【】〔〕 …
            | 0x3030 | 0x303D
            | 0x30FB // ・
            | 0xFE10..=0xFE1F // vertical forms
            | 0xFE30..=0xFE6F // CJK compatibility and small forms
            | 0xFF5F..=0xFF65 // half-width CJK punctuation
            | 0xFEFF
        )
}

/// `s` folded: what the index and every match work on.
pub fn normalise(s: &str) -> String {
    s.chars().filter_map(fold_char).collect()
}

/// The folding of the whole Basic Multilingual Plane as runs `[first, count, delta]`: the `count`
/// code points from `first` become `cp + delta`, or are dropped when `delta` is 0. Code points not
/// in a run stay as they are. Written into the browser's search data at build time.
pub fn table_runs() -> Vec<[i64; 3]> {
    let mut runs: Vec<[i64; 3]> = Vec::new();
    for cp in 0u32..=0xFFFF {
        let Some(c) = char::from_u32(cp) else {
            continue; // surrogates: kept as they are on both sides
        };
        let delta = match fold_char(c) {
            None => 0,
            Some(f) if f == c => continue,
            Some(f) => i64::from(f as u32) - i64::from(cp),
        };
        match runs.last_mut() {
            Some(r) if r[0] + r[1] == i64::from(cp) && r[2] == delta => r[1] += 1,
            _ => runs.push([i64::from(cp), 1, delta]),
        }
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_width_case_punctuation_and_space() {
        assert_eq!(normalise("３０００元"), "3000元");
        assert_eq!(normalise("3000 元。"), "3000元");
        assert_eq!(normalise("《印章使用审批单》"), "印章使用审批单");
        assert_eq!(normalise("“一把手”"), "一把手");
        assert_eq!(normalise("（二）ＡＢＣ abc"), "二abcabc");
        assert_eq!(normalise("第　三　条"), "第三条");
        assert_eq!(normalise("中保委〔2004〕7号"), "中保委20047号");
        assert_eq!(normalise("ΑΒΓ Дж"), "αβγдж");
        // Chinese numerals, 〇 and the iteration mark are text, not punctuation.
        assert_eq!(normalise("二〇二〇年々"), "二〇二〇年々");
        assert_eq!(normalise("İ"), "İ");
        assert_eq!(normalise("𠀀a"), "𠀀a");
    }

    #[test]
    fn the_table_reproduces_the_folding() {
        let runs = table_runs();
        assert!(runs.len() < 400, "{} runs", runs.len());
        let mut table: Vec<i64> = (0..=0xFFFF).collect();
        for [first, count, delta] in &runs {
            for cp in *first..first + count {
                table[cp as usize] = if *delta == 0 { -1 } else { cp + delta };
            }
        }
        for cp in 0u32..=0xFFFF {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            let want = fold_char(c).map_or(-1, |f| i64::from(f as u32));
            assert_eq!(table[cp as usize], want, "U+{cp:04X}");
        }
    }
}
