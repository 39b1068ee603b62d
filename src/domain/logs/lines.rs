//! Log lines as they arrive from a remote command: split out of a byte stream
//! with a cap on how much of one line is held, shown safely (CRLF endings,
//! bytes that are not UTF-8, terminal control characters), and checked for
//! the word "error".
//!
//! Nothing here assumes the file is text: a line is bytes up to `\n`, and only
//! rendering decides how those bytes look.

use base64::Engine as _;
use serde_json::{Map, Value, json};

/// How many bytes of one line are kept; the rest is counted, not held, so a
/// file that is one endless line cannot exhaust memory. 1 MiB keeps the long
/// lines VMS applications really write (hundreds of KB of JSON) whole.
pub const MAX_LINE: usize = 1 << 20;

/// One line without its `\n`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// The first [`MAX_LINE`] bytes of the line, including any `\r`.
    pub bytes: Vec<u8>,
    /// Bytes past the cap that were dropped.
    pub cut: u64,
}

impl Line {
    pub fn new(bytes: impl Into<Vec<u8>>) -> Line {
        Line {
            bytes: bytes.into(),
            cut: 0,
        }
    }

    /// The line without a CRLF file's trailing `\r`.
    pub fn content(&self) -> &[u8] {
        self.bytes.strip_suffix(b"\r").unwrap_or(&self.bytes)
    }

    /// Whether the line contains `error` in any case (ASCII), as `grep -i error` finds.
    pub fn is_error(&self) -> bool {
        contains_ignore_case(&self.bytes, b"error")
    }

    /// The line for a terminal or a pipe: see [`escape`]; a cut line says so.
    pub fn shown(&self) -> String {
        let mut text = escape(self.content());
        if self.cut > 0 {
            text.push_str(&format!(" [... {} more bytes not shown]", self.cut));
        }
        text
    }

    /// The JSON fields of a line: `text` (lossy UTF-8 without the line end), plus
    /// `base64` with the exact bytes whenever `text` is not exactly them, and
    /// `cut` when the line was longer than the cap.
    pub fn json_fields(&self) -> Map<String, Value> {
        let text = String::from_utf8_lossy(self.content());
        let mut fields = Map::new();
        if text.as_bytes() != self.bytes.as_slice() {
            let exact = base64::engine::general_purpose::STANDARD.encode(&self.bytes);
            fields.insert("base64".into(), json!(exact));
        }
        fields.insert("text".into(), json!(text));
        if self.cut > 0 {
            fields.insert("cut".into(), json!(self.cut));
        }
        fields
    }
}

/// Splits a byte stream into [`Line`]s as chunks arrive.
#[derive(Debug)]
pub struct Splitter {
    current: Vec<u8>,
    cut: u64,
    max: usize,
}

impl Default for Splitter {
    fn default() -> Self {
        Splitter::with_limit(MAX_LINE)
    }
}

impl Splitter {
    pub fn with_limit(max: usize) -> Splitter {
        Splitter {
            current: Vec::new(),
            cut: 0,
            max,
        }
    }

    /// Feed one chunk; every line it completes goes to `emit`.
    pub fn feed(&mut self, mut data: &[u8], emit: &mut dyn FnMut(Line)) {
        while let Some(at) = data.iter().position(|&b| b == b'\n') {
            self.keep(&data[..at]);
            emit(self.take());
            data = &data[at + 1..];
        }
        self.keep(data);
    }

    /// The last line, if the stream did not end with `\n`.
    pub fn finish(&mut self, emit: &mut dyn FnMut(Line)) {
        if !self.current.is_empty() || self.cut > 0 {
            emit(self.take());
        }
    }

    fn keep(&mut self, part: &[u8]) {
        let room = self.max.saturating_sub(self.current.len());
        let kept = part.len().min(room);
        self.current.extend_from_slice(&part[..kept]);
        self.cut += (part.len() - kept) as u64;
    }

    fn take(&mut self) -> Line {
        Line {
            bytes: std::mem::take(&mut self.current),
            cut: std::mem::take(&mut self.cut),
        }
    }
}

/// Text safe to write to a terminal: valid UTF-8 as is, except control
/// characters (all but tab), which could move the cursor or retitle the
/// window; those and bytes that are not UTF-8 become `\xNN` (`\u{NNNN}` for
/// non-ASCII controls). A backslash stays a backslash, so this is for eyes,
/// not for round trips (`-o json` has the exact bytes).
pub fn escape(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '\t' => out.push('\t'),
                c if c.is_ascii_control() => out.push_str(&format!("\\x{:02x}", c as u32)),
                c if c.is_control() => out.push_str(&format!("\\u{{{:04x}}}", c as u32)),
                c => out.push(c),
            }
        }
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02x}"));
        }
    }
    out
}

/// ASCII case-insensitive substring search.
pub fn contains_ignore_case(haystack: &[u8], needle: &[u8]) -> bool {
    needle.is_empty()
        || haystack
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(chunks: &[&[u8]], max: usize) -> Vec<Line> {
        let mut splitter = Splitter::with_limit(max);
        let mut lines = Vec::new();
        for chunk in chunks {
            splitter.feed(chunk, &mut |l| lines.push(l));
        }
        splitter.finish(&mut |l| lines.push(l));
        lines
    }

    #[test]
    fn lines_split_across_chunks() {
        let lines = split(&[b"ab", b"c\nd", b"e\n\nf"], 100);
        let texts: Vec<&[u8]> = lines.iter().map(|l| l.bytes.as_slice()).collect();
        assert_eq!(texts, [&b"abc"[..], b"de", b"", b"f"]);
    }

    #[test]
    fn a_line_longer_than_the_cap_is_cut_and_counted() {
        let long = vec![b'x'; 250];
        let lines = split(&[&long[..100], &long[100..], b"\nnext\n"], 64);
        assert_eq!(lines[0].bytes.len(), 64);
        assert_eq!(lines[0].cut, 186);
        assert!(lines[0].shown().ends_with("[... 186 more bytes not shown]"));
        assert_eq!(lines[1], Line::new(b"next".to_vec()));
    }

    #[test]
    fn crlf_is_dropped_for_display_and_kept_in_json() {
        let line = Line::new(b"2025 ERROR x\r".to_vec());
        assert_eq!(line.shown(), "2025 ERROR x");
        let json = line.json_fields();
        assert_eq!(json["text"], "2025 ERROR x");
        assert_eq!(json["base64"], "MjAyNSBFUlJPUiB4DQ==");
        assert!(line.is_error());
    }

    #[test]
    fn invalid_utf8_and_controls_are_escaped_never_a_crash() {
        let line = Line::new(b"a \xff\xfe b \x1b[31m \xc3\x28 \xe2\x82\xac\tz".to_vec());
        assert_eq!(line.shown(), "a \\xff\\xfe b \\x1b[31m \\xc3( €\tz");
        let json = line.json_fields();
        assert_eq!(
            json["text"],
            "a \u{fffd}\u{fffd} b \u{1b}[31m \u{fffd}( €\tz"
        );
        assert!(json.contains_key("base64"));
        assert!(
            !Line::new(b"plain".to_vec())
                .json_fields()
                .contains_key("base64")
        );
    }

    #[test]
    fn error_detection_ignores_case_only() {
        assert!(Line::new(b"x Error y".to_vec()).is_error());
        assert!(Line::new(b"ERRORS".to_vec()).is_error());
        assert!(!Line::new(b"err or".to_vec()).is_error());
    }
}
