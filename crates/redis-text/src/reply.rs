//! A Redis reply and the text redis-cli prints for it.
//!
//! [`render`] follows redis-cli's standard (`--no-raw`) formatter: `(nil)`, `(integer) 5`,
//! bulk strings quoted by [`crate::escape`], status replies bare, `(error) MSG`, and arrays
//! as numbered lines. An array's numbers are right-aligned to the widest one (` 9)`,
//! `10)`); a nested array starts on its parent's line and its further lines are indented
//! to the column where it started, so
//!
//! ```text
//! 1) 1) "1-1"
//!    2) 1) "f"
//!       2) "v"
//! ```
//!
//! [`render_raw`] is the other formatter, which redis-cli uses for `--raw` and, even with
//! `--no-raw`, for a few commands whose replies are reports meant for people (`INFO`,
//! `CLIENT LIST`, ...; see [`is_raw_command`]).

use crate::escape;

/// One reply, as redis-cli sees it over RESP2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// A missing value: `$-1` or `*-1`.
    Nil,
    /// `:N`.
    Integer(i64),
    /// A bulk string: any bytes.
    Bulk(Vec<u8>),
    /// A simple string such as `OK`, `PONG` or a key type: one line, no CR or LF, as
    /// RESP requires.
    Status(String),
    /// An error, without its leading `-`: `ERR unknown command ...`; one line, as
    /// [`Reply::Status`].
    Error(String),
    /// A multi-bulk reply; its items may be arrays again.
    Array(Vec<Reply>),
}

impl Reply {
    /// A bulk string reply from anything byte-like.
    pub fn bulk(bytes: impl AsRef<[u8]>) -> Self {
        Reply::Bulk(bytes.as_ref().to_vec())
    }

    /// An array of bulk strings, the usual shape of `KEYS`-like replies.
    pub fn bulks<B: AsRef<[u8]>>(items: impl IntoIterator<Item = B>) -> Self {
        Reply::Array(items.into_iter().map(Reply::bulk).collect())
    }
}

/// How an empty array is printed: redis-cli 6 and later say `(empty array)`, older ones
/// `(empty list or set)`. [`crate::parse`] reads both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EmptyArrayText {
    /// `(empty array)`, redis-cli 6.0 and later.
    #[default]
    EmptyArray,
    /// `(empty list or set)`, redis-cli 5 and earlier.
    EmptyListOrSet,
}

impl EmptyArrayText {
    /// The line's text, without its newline.
    pub fn text(self) -> &'static str {
        match self {
            EmptyArrayText::EmptyArray => "(empty array)",
            EmptyArrayText::EmptyListOrSet => "(empty list or set)",
        }
    }
}

/// The text redis-cli 7 prints for `reply` with `--no-raw`, final newline included.
pub fn render(reply: &Reply) -> String {
    render_with(reply, EmptyArrayText::default())
}

/// [`render`], choosing how empty arrays read.
pub fn render_with(reply: &Reply, empty: EmptyArrayText) -> String {
    let mut out = String::new();
    render_at(&mut out, reply, 0, empty);
    out
}

/// Appends `reply`, which starts at column `indent`; its further lines get that indent.
fn render_at(out: &mut String, reply: &Reply, indent: usize, empty: EmptyArrayText) {
    match reply {
        Reply::Nil => out.push_str("(nil)\n"),
        Reply::Integer(n) => out.push_str(&format!("(integer) {n}\n")),
        Reply::Bulk(bytes) => {
            out.push_str(&escape(bytes));
            out.push('\n');
        }
        Reply::Status(text) => {
            out.push_str(text);
            out.push('\n');
        }
        Reply::Error(text) => out.push_str(&format!("(error) {text}\n")),
        Reply::Array(items) if items.is_empty() => {
            out.push_str(empty.text());
            out.push('\n');
        }
        Reply::Array(items) => render_items(out, items, indent, empty),
    }
}

/// Appends numbered items; the first shares the line the caller already started.
fn render_items(out: &mut String, items: &[Reply], indent: usize, empty: EmptyArrayText) {
    let width = items.len().to_string().len();
    let item_indent = indent + width + 2;
    for (index, item) in items.iter().enumerate() {
        if index > 0 {
            out.push_str(&" ".repeat(indent));
        }
        out.push_str(&format!("{:>width$}) ", index + 1));
        render_at(out, item, item_indent, empty);
    }
}

/// The bytes redis-cli's raw formatter prints for `reply` (`--raw`, or a command that
/// [`is_raw_command`]), with no final delimiter.
///
/// Bulk and status replies are their bytes, integers their digits, nil nothing, an error
/// its message and a newline, and array items are joined by newlines. `redis-cli --raw`
/// ends each reply with a newline; with `--no-raw`, a raw-printed reply gets none (an
/// `INFO` text already ends in `\r\n`).
pub fn render_raw(reply: &Reply) -> Vec<u8> {
    let mut out = Vec::new();
    render_raw_into(&mut out, reply);
    out
}

fn render_raw_into(out: &mut Vec<u8>, reply: &Reply) {
    match reply {
        Reply::Nil => {}
        Reply::Integer(n) => out.extend_from_slice(n.to_string().as_bytes()),
        Reply::Bulk(bytes) => out.extend_from_slice(bytes),
        Reply::Status(text) => out.extend_from_slice(text.as_bytes()),
        Reply::Error(text) => {
            out.extend_from_slice(text.as_bytes());
            out.push(b'\n');
        }
        Reply::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push(b'\n');
                }
                render_raw_into(out, item);
            }
        }
    }
}

/// Whether redis-cli prints this command's reply with its raw formatter even under
/// `--no-raw`: `INFO`, `LOLWUT`, `CLIENT LIST|INFO`, `CLUSTER NODES|INFO`,
/// `MEMORY MALLOC-STATS|DOCTOR`, `LATENCY GRAPH|DOCTOR` and a few `DEBUG` reports.
///
/// Their output is a text report, not something [`crate::parse`] reads.
pub fn is_raw_command<A: AsRef<[u8]>>(argv: &[A]) -> bool {
    let word = |i: usize| argv.get(i).map(|arg| arg.as_ref().to_ascii_lowercase());
    let (Some(command), sub) = (word(0), word(1)) else {
        return false;
    };
    let sub = sub.as_deref();
    match command.as_slice() {
        b"info" | b"lolwut" => true,
        b"debug" => matches!(sub, Some(b"htstats" | b"htstats-key" | b"client-eviction")),
        b"memory" => matches!(sub, Some(b"malloc-stats" | b"doctor")),
        b"cluster" => argv.len() == 2 && matches!(sub, Some(b"nodes" | b"info")),
        b"client" => matches!(sub, Some(b"list" | b"info")),
        b"latency" => match argv.len() {
            3 => sub == Some(b"graph"),
            2 => sub == Some(b"doctor"),
            _ => false,
        },
        b"proxy" => sub == Some(b"info"),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_render_like_redis_cli() {
        assert_eq!(render(&Reply::Nil), "(nil)\n");
        assert_eq!(render(&Reply::Integer(-2)), "(integer) -2\n");
        assert_eq!(render(&Reply::Status("PONG".into())), "PONG\n");
        assert_eq!(render(&Reply::bulk("a\"b")), "\"a\\\"b\"\n");
        let wrongtype = "WRONGTYPE Operation against a key holding the wrong kind of value";
        let expected = format!("(error) {wrongtype}\n");
        assert_eq!(render(&Reply::Error(wrongtype.into())), expected);
    }

    #[test]
    fn empty_array_text_depends_on_version() {
        let empty = Reply::Array(Vec::new());
        assert_eq!(render(&empty), "(empty array)\n");
        assert_eq!(
            render_with(&empty, EmptyArrayText::EmptyListOrSet),
            "(empty list or set)\n"
        );
    }

    #[test]
    fn ten_items_right_align_their_numbers() {
        let reply = Reply::bulks(["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"]);
        let text = render(&reply);
        assert!(text.starts_with(" 1) \"a\"\n 2) \"b\"\n"), "{text}");
        assert!(text.ends_with(" 9) \"i\"\n10) \"j\"\n"), "{text}");
    }

    #[test]
    fn nested_arrays_indent_their_continuation_lines() {
        let entry = |id: &str, fields: &[&str]| {
            Reply::Array(vec![Reply::bulk(id), Reply::bulks(fields.iter().copied())])
        };
        let reply = Reply::Array(vec![entry("1-1", &["f", "v"]), entry("1-2", &["f", "v"])]);
        let expected = "1) 1) \"1-1\"\n   2) 1) \"f\"\n      2) \"v\"\n\
                        2) 1) \"1-2\"\n   2) 1) \"f\"\n      2) \"v\"\n";
        assert_eq!(render(&reply), expected);
    }

    #[test]
    fn nested_empty_array_sits_on_its_number() {
        let reply = Reply::Array(vec![Reply::bulk("0"), Reply::Array(Vec::new())]);
        assert_eq!(render(&reply), "1) \"0\"\n2) (empty array)\n");
    }

    #[test]
    fn raw_joins_items_with_newlines_and_drops_nil() {
        let reply = Reply::Array(vec![
            Reply::bulk(b"a\xff"),
            Reply::Nil,
            Reply::Integer(3),
            Reply::Array(vec![Reply::Status("OK".into())]),
        ]);
        assert_eq!(render_raw(&reply), b"a\xff\n\n3\nOK");
        assert_eq!(render_raw(&Reply::Error("ERR x".into())), b"ERR x\n");
    }

    #[test]
    fn info_and_client_list_are_raw_but_get_is_not() {
        assert!(is_raw_command(&["INFO"]));
        assert!(is_raw_command(&["info", "keyspace"]));
        assert!(is_raw_command(&["Client", "LIST"]));
        assert!(is_raw_command(&["latency", "graph", "x"]));
        assert!(!is_raw_command(&["latency", "graph"]));
        assert!(!is_raw_command(&["GET", "info"]));
        assert!(!is_raw_command::<&str>(&[]));
    }
}
