//! Source files and spans.
//!
//! A [`Span`] is a byte range into a [`SourceFile`]'s text. Every position a user sees
//! (line and column, both from 1, the column counted in characters) is computed here
//! from a line index built once per file, so that turning N spans into positions costs
//! O(N · line length), never O(N · file length).

use std::fmt;
use std::path::{Path, PathBuf};

/// The config file's name (`crate::config` reads it): a path of that name is a config,
/// never a design, and marks a root for identities outside a repository.
pub const CONFIG_FILE: &str = "infralint.toml";

/// A byte range `start..end` in a source file's text (BOM excluded).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        debug_assert!(start <= end, "a span never ends before it starts");
        Span {
            start: u32::try_from(start).expect("files are limited far below 4 GiB"),
            end: u32::try_from(end).expect("files are limited far below 4 GiB"),
        }
    }

    /// An empty span at `offset`.
    pub fn at(offset: usize) -> Span {
        Span::new(offset, offset)
    }

    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// The smallest span that covers both.
    pub fn cover(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

/// A line and a column, both counted from 1; the column counts Unicode scalar values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// One design file: its path as the user named it (or as the walk found it), its text
/// with any byte-order mark removed, and the byte offset at which each line starts.
#[derive(Debug)]
pub struct SourceFile {
    path: PathBuf,
    text: String,
    line_starts: Vec<u32>,
}

impl SourceFile {
    /// Builds a source file. A leading byte-order mark is dropped: YAML ignores it, and
    /// columns on the first line count from the first character after it.
    pub fn new(path: impl Into<PathBuf>, text: impl Into<String>) -> SourceFile {
        let mut text = text.into();
        if text.starts_with('\u{feff}') {
            text.drain(..'\u{feff}'.len_utf8());
        }
        let line_starts = line_starts(&text);
        SourceFile {
            path: path.into(),
            text,
            line_starts,
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The path as shown to users: forward slashes on every platform.
    pub fn display_path(&self) -> String {
        display_path(&self.path)
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The 0-based line that contains byte `offset`.
    pub fn line_index(&self, offset: usize) -> usize {
        let offset = u32::try_from(offset).unwrap_or(u32::MAX);
        self.line_starts.partition_point(|&start| start <= offset) - 1
    }

    /// The byte range of 0-based line `line`, including its line break.
    pub fn line_range(&self, line: usize) -> std::ops::Range<usize> {
        let start = self.line_starts[line] as usize;
        let end = self
            .line_starts
            .get(line + 1)
            .map_or(self.text.len(), |&next| next as usize);
        start..end
    }

    /// The position of byte `offset` (clamped to the text, and to a char boundary).
    pub fn position(&self, offset: usize) -> Position {
        let offset = self.floor_char_boundary(offset.min(self.text.len()));
        let line = self.line_index(offset);
        let start = self.line_starts[line] as usize;
        Position {
            line: line + 1,
            column: self.text[start..offset].chars().count() + 1,
        }
    }

    /// The byte offset of a 1-based line and a 0-based character column, as the YAML
    /// parser reports them. Out-of-range values are clamped to the end of that line
    /// (or of the file), so a position from the parser can never panic here.
    pub fn offset_of(&self, line: usize, char_column: usize) -> usize {
        let Some(&start) = self.line_starts.get(line.saturating_sub(1)) else {
            return self.text.len();
        };
        let range = self.line_range(line.saturating_sub(1));
        let line_text = &self.text[start as usize..range.end];
        match line_text.char_indices().nth(char_column) {
            Some((i, _)) => start as usize + i,
            None => range.end,
        }
    }

    fn floor_char_boundary(&self, mut offset: usize) -> usize {
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }
}

/// A character a terminal would act on instead of showing: C0 and C1 controls but tab
/// and line breaks, DEL, and the invisible and bidirectional formatting characters that
/// can reorder or hide what a line shows (U+061C, U+200B-U+200F, U+2028-U+202E,
/// U+2060-U+2069, U+FEFF).
pub fn is_unsafe_for_terminal(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{61c}' | '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}'
        | '\u{2060}'..='\u{2069}' | '\u{feff}')
}

/// Text for a terminal: every unsafe character written as `\u{1b}`.
pub fn terminal_safe(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(is_unsafe_for_terminal) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unsafe_for_terminal(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Text that must stay on one line of a terminal or a log (a CI runner reads every line
/// for a workflow command): as [`terminal_safe`], with line breaks written as `\n` and
/// `\r` too.
pub fn one_line(text: &str) -> String {
    terminal_safe(text)
        .replace('\n', "\\n")
        .replace('\r', "\\r")
}

/// The same text with every unsafe character replaced by a visible one of the same
/// length in bytes (`?`, `¿` or U+FFFD), so that byte offsets into it stay right: source
/// snippets shown under a diagnostic.
pub fn terminal_safe_same_length(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(is_unsafe_for_terminal) {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(
        text.chars()
            .map(|c| match (is_unsafe_for_terminal(c), c.len_utf8()) {
                (false, _) => c,
                (true, 1) => '?',
                (true, 2) => '¿',
                (true, _) => '\u{fffd}',
            })
            .collect(),
    )
}

/// A path as shown to users: forward slashes on every platform.
pub fn display_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// A design's path as its identity (fingerprints, baseline entries, SARIF URIs): relative
/// to its repository's root (the nearest folder up with `.git`), or else to the nearest
/// folder up with an `infralint.toml`, with `/` between parts; so `designs/x.yaml`,
/// `./designs/x.yaml`, an absolute path and `x.yaml` typed inside `designs/` are one. A
/// path that cannot be resolved (it does not exist) is kept as typed.
pub fn identity_path(path: &Path) -> String {
    let Ok(real) = std::fs::canonicalize(path) else {
        return display_path(path);
    };
    let root = |marker: &str| {
        real.ancestors()
            .skip(1)
            .find(|folder| folder.join(marker).exists())
    };
    match root(".git").or_else(|| root(CONFIG_FILE)) {
        Some(root) => display_path(real.strip_prefix(root).unwrap_or(&real)),
        None => display_path(path),
    }
}

/// A relative path as a URI reference: each part percent-encoded (`sp ace/my%.yaml` is
/// `sp%20ace/my%25.yaml`).
pub fn uri_path(path: &str) -> String {
    path.split('/')
        .map(|part| percent_encoding::utf8_percent_encode(part, PATH_SEGMENT).to_string())
        .collect::<Vec<_>>()
        .join("/")
}

/// What a path segment in a URI (a page's `href`, a file's `file:` URI) must not hold as
/// is: whatever would end it, start a query or fragment, or read as a scheme (`:`).
pub const PATH_SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'\\')
    .add(b'\'')
    .add(b':');

#[cfg(test)]
mod terminal_tests {
    use super::*;

    #[test]
    fn escapes_are_shown_not_run() {
        assert_eq!(
            terminal_safe("a\u{1b}[31mred\u{7}"),
            "a\\u{1b}[31mred\\u{7}"
        );
        assert_eq!(terminal_safe("rtl \u{202e}txt"), "rtl \\u{202e}txt");
        assert_eq!(terminal_safe("tab\tand\nline é 漢"), "tab\tand\nline é 漢");
        for text in ["a\u{1b}b", "\u{85}x", "\u{202e}y\u{2066}", "ok"] {
            let same = terminal_safe_same_length(text);
            assert_eq!(same.len(), text.len(), "{text:?}");
            assert!(!same.chars().any(is_unsafe_for_terminal));
        }
    }
}

/// Byte offsets of line starts. `\n`, `\r\n` and a lone `\r` each end a line, as in YAML.
fn line_starts(text: &str) -> Vec<u32> {
    let bytes = text.as_bytes();
    let mut starts = Vec::with_capacity(memchr::memchr_iter(b'\n', bytes).count() + 1);
    starts.push(0);
    for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
        if bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n') {
            starts.push(u32::try_from(i + 1).unwrap_or(u32::MAX));
        }
    }
    starts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters_from_one() {
        let file = SourceFile::new("x.yaml", "a: 1\nbé: xyz\n");
        assert_eq!(file.position(0), Position { line: 1, column: 1 });
        let xyz = file.text().find("xyz").unwrap();
        assert_eq!(file.position(xyz), Position { line: 2, column: 5 });
        assert_eq!(file.offset_of(2, 4), xyz);
    }

    #[test]
    fn bom_is_dropped_and_crlf_is_one_break() {
        let file = SourceFile::new("x.yaml", "\u{feff}a: 1\r\nb: 2\r\n");
        assert_eq!(file.text(), "a: 1\r\nb: 2\r\n");
        let b = file.text().find('b').unwrap();
        assert_eq!(file.position(b), Position { line: 2, column: 1 });
        assert_eq!(file.offset_of(2, 0), b);
        assert_eq!(file.line_count(), 3);
    }

    #[test]
    fn out_of_range_positions_clamp() {
        let file = SourceFile::new("x.yaml", "ab");
        assert_eq!(file.offset_of(9, 9), 2);
        assert_eq!(file.offset_of(1, 9), 2);
        assert_eq!(file.position(99), Position { line: 1, column: 3 });
    }
}
