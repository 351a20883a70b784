//! Line and column of a byte offset, from a precomputed index of line starts (no rescans); the
//! first lines of many needles in one pass.

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

/// Byte offsets where each line of a text starts.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// Byte offset where 1-based `line` starts, if the text has that line.
    pub fn start(&self, line: usize) -> Option<usize> {
        self.starts.get(line.checked_sub(1)?).copied()
    }

    /// 1-based line of `offset`.
    pub fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset).max(1)
    }

    /// 1-based line and character column of `offset` in `text` (the text the index was made of).
    /// An offset inside a character counts as that character.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line(offset);
        let start = self.starts[line - 1];
        (line, text[start..offset].chars().count() + 1)
    }
}

/// For each needle, the 1-based line of its first occurrence in `text` (None if it does not occur),
/// in one pass over the text whatever the number of needles.
///
/// Occurrences are found leftmost-longest without overlaps, so a needle that only ever occurs
/// inside a longer one is not found.
pub fn first_lines(text: &str, needles: &[&str]) -> Vec<Option<usize>> {
    let mut out = vec![None; needles.len()];
    // Empty needles occur everywhere and nowhere: leave them out.
    let which: Vec<usize> = (0..needles.len())
        .filter(|&i| !needles[i].is_empty())
        .collect();
    if which.is_empty() {
        return out;
    }
    // An NFA: building the DFA is quadratic in the length of a repetitive needle.
    let Ok(ac) = AhoCorasick::builder()
        .kind(Some(AhoCorasickKind::ContiguousNFA))
        .match_kind(MatchKind::LeftmostLongest)
        .build(which.iter().map(|&i| needles[i]))
    else {
        return out;
    };
    let index = LineIndex::new(text);
    for m in ac.find_iter(text) {
        let slot = &mut out[which[m.pattern().as_usize()]];
        if slot.is_none() {
            *slot = Some(index.line(m.start()));
        }
    }
    out
}

/// Line and column of offsets in one text that mostly come in order (as references do): the column
/// is counted on from the previous answer when it is on the same line and before, so a long line is
/// counted once, not once per reference on it.
#[derive(Debug)]
pub struct Locator<'a> {
    text: &'a str,
    index: LineIndex,
    /// The last answer: (offset, line, column).
    cursor: std::cell::Cell<(usize, usize, usize)>,
}

impl<'a> Locator<'a> {
    pub fn new(text: &'a str) -> Locator<'a> {
        Locator {
            text,
            index: LineIndex::new(text),
            cursor: std::cell::Cell::new((0, 1, 1)),
        }
    }

    pub fn index(&self) -> &LineIndex {
        &self.index
    }

    /// 1-based line and character column of `offset`, as [`LineIndex::line_col`].
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let text = self.text;
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.index.line(offset);
        let start = self.index.starts[line - 1];
        let (c_off, c_line, c_col) = self.cursor.get();
        let col = if c_line == line && c_off >= start && c_off <= offset {
            c_col + text[c_off..offset].chars().count()
        } else {
            text[start..offset].chars().count() + 1
        };
        self.cursor.set((offset, line, col));
        (line, col)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table() {
        let text = "ab\n一、x\n\nz";
        let idx = LineIndex::new(text);
        // (offset, line, column)
        let cases = [
            (0, 1, 1),
            (2, 1, 3),
            (3, 2, 1),
            (6, 2, 2),
            (7, 2, 2), // inside 、
            (10, 2, 4),
            (11, 3, 1),
            (12, 4, 1),
            (99, 4, 2),
        ];
        for (offset, line, col) in cases {
            assert_eq!(idx.line_col(text, offset), (line, col), "offset {offset}");
        }
    }
}
