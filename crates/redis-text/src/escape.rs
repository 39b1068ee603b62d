//! One byte string in redis-cli's quoted form, both ways.
//!
//! redis-cli prints bulk strings through `sdscatrepr`: the bytes go between double quotes,
//! `\` and `"` get a backslash, `\n \r \t \a \b` get their C escapes, printable ASCII
//! (0x20..=0x7e) stays as is, and every other byte, including all bytes of UTF-8 text
//! beyond ASCII, becomes `\xHH` with lowercase hex. The form is unambiguous, so
//! [`unescape`] gives back exactly the bytes [`escape`] was given.

use crate::Error;

/// Quotes `bytes` exactly as redis-cli prints a bulk string, quotes included.
///
/// ```
/// assert_eq!(redis_text::escape(b"a \"b\"\n\xff"), r#""a \"b\"\n\xff""#);
/// ```
pub fn escape(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() + 2);
    out.push('"');
    for &byte in bytes {
        push_escaped(&mut out, byte);
    }
    out.push('"');
    out
}

/// Appends one byte in its escaped form.
fn push_escaped(out: &mut String, byte: u8) {
    match byte {
        b'\\' => out.push_str("\\\\"),
        b'"' => out.push_str("\\\""),
        b'\n' => out.push_str("\\n"),
        b'\r' => out.push_str("\\r"),
        b'\t' => out.push_str("\\t"),
        0x07 => out.push_str("\\a"),
        0x08 => out.push_str("\\b"),
        0x20..=0x7e => out.push(char::from(byte)),
        _ => {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\x");
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0x0f)]));
        }
    }
}

/// Reads back one quoted string as redis-cli prints it, quotes included.
///
/// Accepts the escapes [`escape`] writes (hex digits in either case) and keeps any
/// non-ASCII character typed between the quotes as its UTF-8 bytes, so an operator can
/// paste a key redis-cli printed or type one by hand.
///
/// ```
/// assert_eq!(redis_text::unescape(r#""k\xc3\xa9\t""#).unwrap(), "ké\t".as_bytes());
/// ```
pub fn unescape(quoted: &str) -> Result<Vec<u8>, Error> {
    let (bytes, used) = scan_quoted(quoted, 1)?;
    if used != quoted.len() {
        return Err(Error::AfterQuote { line: 1 });
    }
    Ok(bytes)
}

/// Reads one quoted string at the start of `text`, which is on line `line`.
///
/// Returns the bytes and how many bytes of `text` the quoted form took. A raw newline
/// before the closing quote is an error: redis-cli never prints one there.
pub(crate) fn scan_quoted(text: &str, line: usize) -> Result<(Vec<u8>, usize), Error> {
    let raw = text.as_bytes();
    if raw.first() != Some(&b'"') {
        return Err(Error::NotQuoted { line });
    }

    let mut out = Vec::with_capacity(raw.len());
    let mut at = 1;
    loop {
        match raw.get(at) {
            None | Some(b'\n') => return Err(Error::Unterminated { line }),
            Some(b'"') => return Ok((out, at + 1)),
            Some(b'\\') => {
                let (byte, width) = read_escape(&raw[at..], line)?;
                out.push(byte);
                at += width;
            }
            // Any other byte, including the parts of a UTF-8 character, is itself.
            Some(&byte) => {
                out.push(byte);
                at += 1;
            }
        }
    }
}

/// Decodes the escape at the start of `raw` (which begins with a backslash).
///
/// Returns the byte it stands for and the escape's width in bytes.
fn read_escape(raw: &[u8], line: usize) -> Result<(u8, usize), Error> {
    let simple = match raw.get(1) {
        Some(b'\\') => Some(b'\\'),
        Some(b'"') => Some(b'"'),
        Some(b'n') => Some(b'\n'),
        Some(b'r') => Some(b'\r'),
        Some(b't') => Some(b'\t'),
        Some(b'a') => Some(0x07),
        Some(b'b') => Some(0x08),
        _ => None,
    };
    if let Some(byte) = simple {
        return Ok((byte, 2));
    }

    let hex = (raw.get(1) == Some(&b'x'))
        .then(|| Some((hex_value(*raw.get(2)?)?, hex_value(*raw.get(3)?)?)))
        .flatten();
    match hex {
        Some((high, low)) => Ok((high << 4 | low, 4)),
        None => Err(Error::BadEscape {
            line,
            escape: escape_text(raw),
        }),
    }
}

/// The value of one hex digit, either case.
pub(crate) fn hex_value(digit: u8) -> Option<u8> {
    char::from(digit)
        .to_digit(16)
        .and_then(|value| u8::try_from(value).ok())
}

/// The start of a bad escape, for the error message.
fn escape_text(raw: &[u8]) -> String {
    let end = raw.len().min(4);
    String::from_utf8_lossy(&raw[..end]).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_matches_redis_cli_for_every_special_byte() {
        let input = b"x\ny\t\"q\"\\ \x00\xff\x7f\x1b\x07\x08\r";
        let expected = r#""x\ny\t\"q\"\\ \x00\xff\x7f\x1b\a\b\r""#;
        assert_eq!(escape(input), expected);
    }

    #[test]
    fn escape_writes_utf8_as_hex_bytes() {
        assert_eq!(escape("ké".as_bytes()), r#""k\xc3\xa9""#);
    }

    #[test]
    fn escape_of_empty_is_two_quotes() {
        assert_eq!(escape(b""), "\"\"");
    }

    #[test]
    fn unescape_reads_what_redis_cli_printed() {
        let text = r#""x\ny\t\"q\"\\ \x00\xff\x7f\x1b\a\b\r""#;
        assert_eq!(
            unescape(text).unwrap(),
            b"x\ny\t\"q\"\\ \x00\xff\x7f\x1b\x07\x08\r"
        );
    }

    #[test]
    fn unescape_accepts_uppercase_hex_and_raw_utf8() {
        assert_eq!(unescape(r#""\xFF\xAb""#).unwrap(), b"\xff\xab");
        assert_eq!(unescape("\"ké\"").unwrap(), "ké".as_bytes());
    }

    #[test]
    fn unescape_rejects_missing_quotes() {
        assert_eq!(unescape("abc"), Err(Error::NotQuoted { line: 1 }));
        assert_eq!(unescape("\"abc"), Err(Error::Unterminated { line: 1 }));
        assert_eq!(unescape("\"a\nb\""), Err(Error::Unterminated { line: 1 }));
    }

    #[test]
    fn unescape_rejects_text_after_the_closing_quote() {
        assert_eq!(unescape("\"a\"b"), Err(Error::AfterQuote { line: 1 }));
    }

    #[test]
    fn unescape_rejects_unknown_and_short_escapes() {
        assert!(matches!(unescape(r#""\q""#), Err(Error::BadEscape { .. })));
        assert!(matches!(unescape(r#""\x4""#), Err(Error::BadEscape { .. })));
        assert!(matches!(
            unescape(r#""\xg0""#),
            Err(Error::BadEscape { .. })
        ));
        assert_eq!(
            unescape("\"\\"),
            Err(Error::BadEscape {
                line: 1,
                escape: "\\".into()
            })
        );
    }
}
