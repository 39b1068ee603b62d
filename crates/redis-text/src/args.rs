//! Command lines on redis-cli's stdin: writing them so any key survives, and splitting
//! them the way redis-cli does.
//!
//! With no command on its argv, redis-cli reads one command a line from stdin and splits
//! each line with `sdssplitargs`: blanks separate words, `"..."` takes the escapes of
//! [`crate::escape`] (`\xHH` included), `'...'` takes only `\'`. A closing quote must be
//! followed by a blank or the end of the line, and unbalanced quotes make redis-cli print
//! `Invalid argument(s)` for that line. Argv cannot carry every byte (no NUL, and a remote
//! shell mangles more), so a client sends binary keys this way.
//!
//! One redis-cli quirk to know: a line whose first word is a number and that has more
//! words repeats the rest that many times (`3 PING`). [`command_line`] always quotes,
//! and redis-cli reads the number after unquoting, so never put a number first.

use crate::escape::hex_value;
use crate::{Error, escape};

/// Quotes one argument so redis-cli's stdin splitter reads back exactly `bytes`.
///
/// The quoted form is the one redis-cli prints ([`escape`]), which its splitter accepts:
/// no raw newline, NUL or blank can end the word early.
pub fn quote_arg(bytes: &[u8]) -> String {
    escape(bytes)
}

/// One stdin line for redis-cli: every argument quoted, separated by spaces, newline-ended.
///
/// ```
/// let line = redis_text::command_line(&["GET".as_bytes(), b"a b\n\xff"]);
/// assert_eq!(line, "\"GET\" \"a b\\n\\xff\"\n");
/// ```
pub fn command_line<A: AsRef<[u8]>>(args: &[A]) -> String {
    let quoted: Vec<String> = args.iter().map(|arg| quote_arg(arg.as_ref())).collect();
    let mut line = quoted.join(" ");
    line.push('\n');
    line
}

/// Splits one stdin line into arguments as redis-cli does (`sdssplitargs`).
///
/// The line ends at a NUL byte, as a C string would. An empty or blank line gives no
/// arguments; unbalanced quotes give [`Error::InvalidArguments`].
pub fn split_args(line: &[u8]) -> Result<Vec<Vec<u8>>, Error> {
    let end = line.iter().position(|&b| b == 0).unwrap_or(line.len());
    let mut rest = &line[..end];
    let mut args = Vec::new();
    loop {
        rest = skip_blanks(rest);
        if rest.is_empty() {
            return Ok(args);
        }
        let (arg, used) = split_word(rest)?;
        args.push(arg);
        rest = &rest[used..];
    }
}

/// C's `isspace` in the C locale.
fn is_c_space(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

fn skip_blanks(text: &[u8]) -> &[u8] {
    let start = text
        .iter()
        .position(|&b| !is_c_space(b))
        .unwrap_or(text.len());
    &text[start..]
}

/// Reads one word (which may mix bare and quoted parts, as `a"b c"` does).
///
/// Returns the word and how many bytes it used, its ending blank included.
fn split_word(text: &[u8]) -> Result<(Vec<u8>, usize), Error> {
    let mut word = Vec::new();
    let mut at = 0;
    loop {
        match text.get(at) {
            // Only these end a bare word; `isspace`'s \v and \f do not.
            None => return Ok((word, at)),
            Some(b' ' | b'\n' | b'\r' | b'\t') => return Ok((word, at + 1)),
            Some(b'"') => {
                let used = read_double_quoted(&text[at..], &mut word)?;
                return Ok((word, at + used));
            }
            Some(b'\'') => {
                let used = read_single_quoted(&text[at..], &mut word)?;
                return Ok((word, at + used));
            }
            Some(&byte) => {
                word.push(byte);
                at += 1;
            }
        }
    }
}

/// Reads a `"..."` part into `word`; returns the bytes used, ending blank included.
fn read_double_quoted(text: &[u8], word: &mut Vec<u8>) -> Result<usize, Error> {
    let mut at = 1;
    loop {
        match (text.get(at), text.get(at + 1)) {
            (None, _) => return Err(Error::InvalidArguments),
            (Some(b'"'), next) => return close_quote(next, at),
            (Some(b'\\'), Some(b'x')) if hex_pair(&text[at + 2..]).is_some() => {
                word.extend(hex_pair(&text[at + 2..]));
                at += 4;
            }
            (Some(b'\\'), Some(&next)) => {
                word.push(unescape_letter(next));
                at += 2;
            }
            (Some(&byte), _) => {
                word.push(byte);
                at += 1;
            }
        }
    }
}

/// Reads a `'...'` part into `word`; returns the bytes used, ending blank included.
fn read_single_quoted(text: &[u8], word: &mut Vec<u8>) -> Result<usize, Error> {
    let mut at = 1;
    loop {
        match (text.get(at), text.get(at + 1)) {
            (None, _) => return Err(Error::InvalidArguments),
            (Some(b'\\'), Some(b'\'')) => {
                word.push(b'\'');
                at += 2;
            }
            (Some(b'\''), next) => return close_quote(next, at),
            (Some(&byte), _) => {
                word.push(byte);
                at += 1;
            }
        }
    }
}

/// A closing quote at `at` must be followed by a blank (used up too) or the end.
fn close_quote(next: Option<&u8>, at: usize) -> Result<usize, Error> {
    match next {
        None => Ok(at + 1),
        Some(&byte) if is_c_space(byte) => Ok(at + 2),
        Some(_) => Err(Error::InvalidArguments),
    }
}

/// Two hex digits at the start of `text`, as one byte.
fn hex_pair(text: &[u8]) -> Option<u8> {
    let high = hex_value(*text.first()?)?;
    let low = hex_value(*text.get(1)?)?;
    Some(high << 4 | low)
}

/// The byte a backslash-letter stands for; unknown letters stand for themselves.
fn unescape_letter(letter: u8) -> u8 {
    match letter {
        b'n' => b'\n',
        b'r' => b'\r',
        b't' => b'\t',
        b'b' => 0x08,
        b'a' => 0x07,
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(line: &str) -> Result<Vec<Vec<u8>>, Error> {
        split_args(line.as_bytes())
    }

    #[test]
    fn split_bare_words_on_blanks() {
        assert_eq!(
            split("  get   key\t\r\n").unwrap(),
            vec![b"get".to_vec(), b"key".to_vec()]
        );
        assert!(split("   ").unwrap().is_empty());
    }

    #[test]
    fn split_decodes_double_quoted_escapes() {
        let args = split(r#"GET "a b\n\xff\x4A\q""#).unwrap();
        assert_eq!(args, vec![b"GET".to_vec(), b"a b\n\xffJq".to_vec()]);
    }

    #[test]
    fn split_keeps_a_short_hex_escape_as_letters() {
        assert_eq!(split(r#""\x4""#).unwrap(), vec![b"x4".to_vec()]);
    }

    #[test]
    fn split_single_quotes_take_only_escaped_quote() {
        assert_eq!(split(r"'it\'s \n'").unwrap(), vec![b"it's \\n".to_vec()]);
    }

    #[test]
    fn split_joins_bare_prefix_with_quoted_part() {
        assert_eq!(
            split(r#"a"b c" d"#).unwrap(),
            vec![b"ab c".to_vec(), b"d".to_vec()]
        );
    }

    #[test]
    fn split_rejects_unbalanced_or_glued_quotes() {
        assert_eq!(split("get \"unterminated"), Err(Error::InvalidArguments));
        assert_eq!(split("get \"a\"b"), Err(Error::InvalidArguments));
        assert_eq!(split("get 'a"), Err(Error::InvalidArguments));
        assert_eq!(split("get \"a\\"), Err(Error::InvalidArguments));
    }

    #[test]
    fn split_stops_at_nul() {
        assert_eq!(
            split_args(b"get a\0b").unwrap(),
            vec![b"get".to_vec(), b"a".to_vec()]
        );
    }

    #[test]
    fn command_line_round_trips_hostile_keys() {
        let key = b"sp ace \"q\" 'sq' \n\r\t\x00\xff\\ \x0b\x0c end".to_vec();
        let line = command_line(&[b"GET".to_vec(), key.clone(), Vec::new()]);
        assert_eq!(
            split_args(line.as_bytes()).unwrap(),
            vec![b"GET".to_vec(), key, Vec::new()]
        );
    }
}
