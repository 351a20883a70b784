//! Line and column of a byte offset, from a precomputed index of line starts (no rescans).

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
