//! Byte offsets to lines and columns in time independent of where in a text they are.
//!
//! Counting the newlines before an offset for every block or reference made loading quadratic in
//! the size of a file (2 MB took seconds, 50 MB minutes). A [`LineIndex`] finds the line of an
//! offset by binary search over the line starts, and the column by counting characters from the
//! previous lookup when offsets come in order (as references do), so a long line costs once.

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

/// The line starts of a text, and a cursor for columns.
#[derive(Debug, Clone)]
pub struct LineIndex<'a> {
    text: &'a str,
    /// Byte offset of each line's first byte; `starts[0] == 0`.
    starts: Vec<usize>,
    /// The last `line_col` answer: (offset, line, column).
    cursor: (usize, usize, usize),
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> LineIndex<'a> {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex {
            text,
            starts,
            cursor: (0, 1, 1),
        }
    }

    /// 1-based line of a byte offset (an offset past the end is on the last line).
    pub fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset).max(1)
    }

    /// 1-based line and column (in characters) of a byte offset. An offset inside a character
    /// counts as that character; one past the end as the end.
    pub fn line_col(&mut self, offset: usize) -> (usize, usize) {
        let text = self.text;
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line(offset);
        let start = self.starts[line - 1];
        let (c_off, c_line, c_col) = self.cursor;
        // Count on from the previous answer when it is on the same line, before this offset.
        let col = if c_line == line && c_off >= start && c_off <= offset {
            c_col + text[c_off..offset].chars().count()
        } else {
            text[start..offset].chars().count() + 1
        };
        self.cursor = (offset, line, col);
        (line, col)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns() {
        let text = "一\n二三\n\nx";
        let mut ix = LineIndex::new(text);
        let cases = [
            (0, (1, 1)),
            (1, (1, 1)), // inside 一
            (3, (1, 2)), // the newline
            (4, (2, 1)),
            (7, (2, 2)),
            (10, (2, 3)),
            (11, (3, 1)),
            (12, (4, 1)),
            (13, (4, 2)),
            (99, (4, 2)),
        ];
        for (offset, want) in cases {
            assert_eq!(ix.line_col(offset), want, "offset {offset}");
        }
        // Out of order, too.
        for (offset, want) in cases.iter().rev() {
            assert_eq!(ix.line_col(*offset), *want, "offset {offset} (backwards)");
        }
        assert_eq!(LineIndex::new("").line_col(0), (1, 1));
        assert_eq!(ix.line(0), 1);
        assert_eq!(ix.line(4), 2);
    }

    #[test]
    fn columns_on_a_long_line_are_linear() {
        // 200,000 lookups in order on one 600 KB line: counting from the line start each time
        // would be 10^11 steps.
        let text = "甲".repeat(200_000);
        let mut ix = LineIndex::new(&text);
        for i in 0..200_000 {
            assert_eq!(ix.line_col(i * 3), (1, i + 1));
        }
    }

    #[test]
    fn first_lines_of_needles() {
        let text = "a: x\n- 甲乙\n- 甲\nb: [丙, 丁]\n";
        assert_eq!(
            first_lines(text, &["甲", "甲乙", "丁", "戊", ""]),
            [Some(3), Some(2), Some(4), None, None]
        );
        // A long repetitive needle is quick (the DFA took seconds for 8,000 characters).
        let long = "甲".repeat(100_000);
        let text = format!("x\n{long}\n");
        assert_eq!(first_lines(&text, &[&long]), [Some(2)]);
    }
}
