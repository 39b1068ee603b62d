//! Reading redis-cli `--no-raw` output back into [`Reply`] values.
//!
//! Every line of that output is structural: bulk strings are quoted and escaped, so none
//! holds a raw newline. A line is read by its first characters: `"` a bulk string,
//! `(nil)`, `(integer) `, `(error) `, `(empty array)` / `(empty list or set)`, a right-
//! aligned `N) ` an array item, and anything else a status reply. An array's later items
//! sit on lines indented to the column where the array started, with numbers right-
//! aligned to the same width, which is how the parser tells where a nested array ends.
//!
//! Limits by design: a status reply that itself reads like one of those forms (a status
//! `(nil)`, or `1) x`) comes back as that form; Redis sends no such status. Lines may end
//! in `\r\n` (output that came through a terminal), since no reply line holds a `\r`.

use crate::escape::scan_quoted;
use crate::{Error, Reply};

/// Parses the output of one redis-cli command.
///
/// ```
/// use redis_text::{Reply, parse};
/// let reply = parse("1) \"0\"\n2) 1) \"key\"\n").unwrap();
/// let keys = Reply::bulks(["key"]);
/// assert_eq!(reply, Reply::Array(vec![Reply::bulk("0"), keys]));
/// ```
pub fn parse(text: &str) -> Result<Reply, Error> {
    let mut cursor = Cursor::new(text);
    if cursor.at_end() {
        return Err(Error::Empty);
    }
    let reply = cursor.value(0)?;
    if !cursor.at_end() {
        return Err(Error::Trailing { line: cursor.line });
    }
    Ok(reply)
}

/// Parses the output of several commands printed one after another, as redis-cli does for
/// commands read from stdin.
///
/// The `(0.52s)` lines redis-cli adds after a command that took half a second or more are
/// skipped. A stdin line redis-cli could not split prints `Invalid argument(s)`, which
/// comes back as that status reply, so replies still line up with the commands sent.
pub fn parse_all(text: &str) -> Result<Vec<Reply>, Error> {
    let mut cursor = Cursor::new(text);
    let mut replies = Vec::new();
    while !cursor.at_end() {
        if is_timing_line(cursor.rest_of_line()) {
            cursor.next_line();
            continue;
        }
        replies.push(cursor.value(0)?);
    }
    Ok(replies)
}

/// `(1.23s)`: the time redis-cli reports after a slow command in stdin mode.
fn is_timing_line(line: &str) -> bool {
    let Some(inner) = line.strip_prefix('(').and_then(|l| l.strip_suffix("s)")) else {
        return false;
    };
    let Some((whole, fraction)) = inner.split_once('.') else {
        return false;
    };
    let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    digits(whole) && fraction.len() == 2 && digits(fraction)
}

/// A position in the text: byte offset and 1-based line number.
struct Cursor<'a> {
    text: &'a str,
    pos: usize,
    line: usize,
}

impl<'a> Cursor<'a> {
    fn new(text: &'a str) -> Self {
        Cursor {
            text,
            pos: 0,
            line: 1,
        }
    }

    fn at_end(&self) -> bool {
        self.pos >= self.text.len()
    }

    /// The current line from the cursor on, without its `\n` or `\r\n`.
    fn rest_of_line(&self) -> &'a str {
        let rest = &self.text[self.pos..];
        let line = rest.split('\n').next().unwrap_or(rest);
        line.strip_suffix('\r').unwrap_or(line)
    }

    /// Moves to the start of the next line (or the end of the text).
    fn next_line(&mut self) {
        let rest = &self.text[self.pos..];
        self.pos = match rest.find('\n') {
            Some(newline) => self.pos + newline + 1,
            None => self.text.len(),
        };
        self.line += 1;
    }

    /// Reads one reply that starts here, at column `column` of its first line.
    fn value(&mut self, column: usize) -> Result<Reply, Error> {
        let rest = self.rest_of_line();
        if rest.starts_with('"') {
            return self.bulk(rest);
        }
        if let Some(width) = item_number_width(rest, 1) {
            return self.array(column, width);
        }

        let reply = scalar(rest, self.line)?;
        self.next_line();
        Ok(reply)
    }

    /// Reads the quoted string that makes up the rest of the line.
    fn bulk(&mut self, rest: &str) -> Result<Reply, Error> {
        let (bytes, used) = scan_quoted(rest, self.line)?;
        if used != rest.len() {
            return Err(Error::AfterQuote { line: self.line });
        }
        self.next_line();
        Ok(Reply::Bulk(bytes))
    }

    /// Reads an array whose first item number, `width` wide, is at the cursor.
    ///
    /// Later items are on lines that start with `column` spaces and the next number
    /// right-aligned to `width`; anything else ends the array.
    fn array(&mut self, column: usize, width: usize) -> Result<Reply, Error> {
        let mut items = Vec::new();
        loop {
            self.pos += width + 2;
            items.push(self.value(column + width + 2)?);

            let marker = format!("{}{:>width$}) ", " ".repeat(column), items.len() + 1);
            if !self.text[self.pos..].starts_with(&marker) {
                break;
            }
            self.pos += column;
        }

        // A count whose number is narrower than the first marker means misaligned input.
        if items.len().to_string().len() != width {
            return Err(Error::BadIndex { line: self.line });
        }
        Ok(Reply::Array(items))
    }
}

/// Reads a one-line reply that is neither a bulk string nor an array item.
fn scalar(line: &str, line_number: usize) -> Result<Reply, Error> {
    if line == "(nil)" {
        return Ok(Reply::Nil);
    }
    if line == "(empty array)" || line == "(empty list or set)" {
        return Ok(Reply::Array(Vec::new()));
    }
    if let Some(number) = line.strip_prefix("(integer) ") {
        let bad = || Error::BadInteger {
            line: line_number,
            text: number.to_string(),
        };
        return number.parse().map(Reply::Integer).map_err(|_| bad());
    }
    if let Some(message) = line.strip_prefix("(error) ") {
        return Ok(Reply::Error(message.to_string()));
    }
    Ok(Reply::Status(line.to_string()))
}

/// If `line` starts with item number `number` right-aligned (`  7) `), the width of the
/// number with its padding.
fn item_number_width(line: &str, number: usize) -> Option<usize> {
    let digits_start = line.len() - line.trim_start_matches(' ').len();
    let after_spaces = &line[digits_start..];
    let digits_len = after_spaces.bytes().take_while(u8::is_ascii_digit).count();
    let width = digits_start + digits_len;

    let is_number = after_spaces[..digits_len].parse() == Ok(number);
    let is_marker = line[width..].starts_with(") ");
    (digits_len > 0 && is_number && is_marker).then_some(width)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render;

    #[test]
    fn parses_each_scalar_form() {
        assert_eq!(parse("(nil)\n"), Ok(Reply::Nil));
        assert_eq!(parse("(integer) -2\n"), Ok(Reply::Integer(-2)));
        assert_eq!(parse("OK\n"), Ok(Reply::Status("OK".into())));
        assert_eq!(parse("\"a\\nb\"\n"), Ok(Reply::bulk("a\nb")));
        assert_eq!(parse("(error) ERR x\n"), Ok(Reply::Error("ERR x".into())));
        assert_eq!(parse("(empty list or set)\n"), Ok(Reply::Array(Vec::new())));
    }

    #[test]
    fn parses_without_final_newline_and_with_crlf() {
        assert_eq!(parse("\"v\""), Ok(Reply::bulk("v")));
        let text = "1) \"a\"\r\n2) 1) \"b\"\r\n   2) \"c\"\r\n";
        let expected = Reply::Array(vec![Reply::bulk("a"), Reply::bulks(["b", "c"])]);
        assert_eq!(parse(text), Ok(expected));
    }

    #[test]
    fn nested_array_ends_where_its_indent_ends() {
        let text = "1) 1) \"x\"\n   2) \"y\"\n2) \"z\"\n";
        let expected = Reply::Array(vec![Reply::bulks(["x", "y"]), Reply::bulk("z")]);
        assert_eq!(parse(text), Ok(expected));
    }

    #[test]
    fn wide_numbers_nest_under_their_padding() {
        let inner = Reply::bulks(["a", "b"]);
        let mut items = vec![inner.clone(); 10];
        items[9] = Reply::Nil;
        let reply = Reply::Array(items);
        assert_eq!(parse(&render(&reply)), Ok(reply));
    }

    #[test]
    fn empty_input_is_an_error() {
        assert_eq!(parse(""), Err(Error::Empty));
    }

    #[test]
    fn second_reply_is_trailing_for_parse_but_fine_for_parse_all() {
        let text = "OK\n(integer) 1\n";
        assert_eq!(parse(text), Err(Error::Trailing { line: 2 }));
        let all = parse_all(text).unwrap();
        assert_eq!(all, vec![Reply::Status("OK".into()), Reply::Integer(1)]);
    }

    #[test]
    fn parse_all_skips_timing_lines() {
        let all = parse_all("1) \"a\"\n(0.52s)\n\"b\"\n(12.00s)\n").unwrap();
        assert_eq!(all, vec![Reply::bulks(["a"]), Reply::bulk("b")]);
    }

    #[test]
    fn bad_lines_report_their_number() {
        let text = "1) \"a\"\n2) (integer) x\n";
        assert_eq!(
            parse(text),
            Err(Error::BadInteger {
                line: 2,
                text: "x".into()
            })
        );
        assert_eq!(parse("1) \"a\n"), Err(Error::Unterminated { line: 1 }));
        assert_eq!(parse("\"a\" b\n"), Err(Error::AfterQuote { line: 1 }));
    }

    #[test]
    fn misaligned_numbers_are_rejected() {
        // Padded for ten items but holding two.
        assert!(matches!(
            parse(" 1) \"a\"\n 2) \"b\"\n"),
            Err(Error::BadIndex { .. })
        ));
    }

    #[test]
    fn timing_line_needs_two_decimals() {
        assert!(is_timing_line("(0.50s)"));
        assert!(!is_timing_line("(0.5s)"));
        assert!(!is_timing_line("(s)"));
    }
}
