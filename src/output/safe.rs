//! Remote text made harmless for a terminal, in one place.
//!
//! Names and values that come from a host (log file names, pod states, Redis keys and
//! values, ConfigMap names and data) may hold control characters. Written raw, an
//! escape sequence can move the cursor, rewrite lines already printed or retitle the
//! terminal, and a bidirectional override can reorder what a reader sees. Everything a
//! table shows, and every human-facing text and plain line that goes to a terminal,
//! passes through [`visible`] first. JSON needs none of this: serde escapes it.
//!
//! C0 controls and DEL become their Unicode control pictures (ESC shows as `␛`, CR as
//! `␍`, NUL as `␀`): one column wide, so tables stay aligned, and plainly not the
//! character itself. C1 controls, bidirectional controls and the Unicode line and
//! paragraph separators, which have no picture, show as `\u{202e}`.

use std::borrow::Cow;

/// What a piece of text may keep of its layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// A table cell: newlines split the cell into lines (comfy-table handles them);
    /// tabs become spaces up to the next multiple of [`TAB_STOP`], because comfy-table
    /// counts a tab as one column where the terminal jumps several.
    Cell,
    /// Free text (a value or a document shown on its own): newlines and tabs stay.
    Text,
    /// Text the command coloured itself after making its remote parts safe: as
    /// [`Layout::Text`], but colour sequences (`ESC [ digits;... m`, SGR) stay. SGR
    /// only changes colours, so even one that came from the host cannot move anything.
    Styled,
}

/// Columns between tab stops when a cell's tabs are expanded.
pub const TAB_STOP: usize = 8;

/// `text` with every character that could drive a terminal shown visibly instead.
/// Borrowed when nothing needed changing, which is the usual case.
pub fn visible(text: &str, layout: Layout) -> Cow<'_, str> {
    if !may_need_work(text, layout) || !text.chars().any(|c| changes(c, layout)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut column = 0usize;
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '\x1b'
            && layout == Layout::Styled
            && let Some(sgr) = colour_sequence(rest)
        {
            out.push_str(sgr);
            rest = &rest[sgr.len()..];
            continue;
        }
        rest = &rest[c.len_utf8()..];
        match c {
            '\n' => {
                out.push('\n');
                column = 0;
                continue;
            }
            '\t' if layout != Layout::Cell => out.push('\t'),
            '\t' => {
                let pad = TAB_STOP - column % TAB_STOP;
                out.extend(std::iter::repeat_n(' ', pad));
                column += pad;
                continue;
            }
            c => push_visible(&mut out, c),
        }
        column += 1;
    }
    Cow::Owned(out)
}

/// The SGR sequence `text` starts with, if it starts with one.
fn colour_sequence(text: &str) -> Option<&str> {
    let body = text.strip_prefix("\x1b[")?;
    let params = body
        .bytes()
        .take_while(|b| b.is_ascii_digit() || *b == b';');
    let end = 2 + params.count();
    (text.as_bytes().get(end) == Some(&b'm')).then(|| &text[..=end])
}

/// Appends `c`, or its visible stand-in when it is a control character.
fn push_visible(out: &mut String, c: char) {
    match c {
        '\0'..='\u{1f}' => out.push(picture(c)),
        '\u{7f}' => out.push('\u{2421}'),
        c if is_unpictured_control(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
        c => out.push(c),
    }
}

/// The control picture for a C0 control (U+2400 + its code).
fn picture(c: char) -> char {
    char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}')
}

/// C1 controls (ESC's 8-bit forms live here: U+009B is CSI), bidirectional controls
/// and the line and paragraph separators.
fn is_unpictured_control(c: char) -> bool {
    matches!(c,
        '\u{80}'..='\u{9f}'
        | '\u{200e}' | '\u{200f}'
        | '\u{2028}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}')
}

/// Whether `c` is shown differently under `layout`.
fn changes(c: char, layout: Layout) -> bool {
    match c {
        '\n' => false,
        '\t' => layout == Layout::Cell,
        c => c < ' ' || c == '\u{7f}' || is_unpictured_control(c),
    }
}

/// A quick byte scan first: only text with a C0 control, DEL or a lead byte of the
/// characters above (0xC2 for C1, 0xE2 for U+2000..U+2FFF) needs a closer look.
fn may_need_work(text: &str, layout: Layout) -> bool {
    let tab_too = layout == Layout::Cell;
    // A fold without an early exit: the compiler vectorises it, and a table of a
    // megabyte of values is scanned in well under a millisecond.
    text.bytes().fold(false, |found, b| {
        let control = b < 0x20 && b != b'\n' && (b != b'\t' || tab_too);
        found | control | (b == 0x7f) | (b == 0xc2) | (b == 0xe2)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_text_is_borrowed() {
        let text = "acme-redis-0\tRunning\ncafé ☃ 日本語 …";
        assert!(matches!(visible(text, Layout::Text), Cow::Borrowed(_)));
        assert!(matches!(visible("a\nb", Layout::Cell), Cow::Borrowed(_)));
        assert_eq!(visible("☃ …", Layout::Cell), "☃ …");
    }

    #[test]
    fn escape_sequences_cannot_reach_the_terminal() {
        let title = "pod\x1b]0;pwned\x07";
        assert_eq!(visible(title, Layout::Cell), "pod\u{241b}]0;pwned\u{2407}");
        let cursor = "ok\x1b[2J\x1b[H\r\x00\x7f";
        let shown = visible(cursor, Layout::Text);
        assert_eq!(shown, "ok\u{241b}[2J\u{241b}[H\u{240d}\u{2400}\u{2421}");
        assert!(!shown.chars().any(|c| c.is_control()));
    }

    #[test]
    fn c1_and_bidi_controls_are_spelled_out() {
        assert_eq!(visible("a\u{9b}31mb", Layout::Cell), "a\\u{9b}31mb");
        assert_eq!(visible("x\u{202e}y", Layout::Text), "x\\u{202e}y");
        assert_eq!(visible("p\u{2028}q", Layout::Text), "p\\u{2028}q");
        // A neighbour of those ranges is ordinary text.
        assert_eq!(visible("\u{a0}\u{2030}", Layout::Cell), "\u{a0}\u{2030}");
    }

    #[test]
    fn tabs_expand_in_cells_and_stay_in_text() {
        assert_eq!(visible("a\tb", Layout::Cell), "a       b");
        assert_eq!(visible("abcdefgh\tb", Layout::Cell), "abcdefgh        b");
        assert_eq!(visible("x\n\ty", Layout::Cell), "x\n        y");
        assert_eq!(visible("a\tb", Layout::Text), "a\tb");
    }

    #[test]
    fn styled_text_keeps_colours_only() {
        let text = "\x1b[1;34m\"k\"\x1b[0m: \x1b[32m\"v\"\x1b[0m\t\x1b]0;t\x07\x1b[2J\x1b[";
        let expected = "\x1b[1;34m\"k\"\x1b[0m: \x1b[32m\"v\"\x1b[0m\t\u{241b}]0;t\u{2407}\u{241b}[2J\u{241b}[";
        assert_eq!(visible(text, Layout::Styled), expected);
        assert_eq!(visible(text, Layout::Text).matches('\u{241b}').count(), 7);
    }

    #[test]
    fn newlines_stay_everywhere() {
        assert_eq!(visible("a\nb\x1b", Layout::Cell), "a\nb\u{241b}");
        assert_eq!(visible("a\r\nb", Layout::Text), "a\u{240d}\nb");
    }
}
