//! Property tests: every byte string survives escaping and every reply survives
//! rendering, in both empty-array dialects and in sequences.

use proptest::prelude::*;
use redis_text::{
    EmptyArrayText, Reply, command_line, escape, parse, parse_all, render, render_with, split_args,
    unescape,
};

/// Status text as Redis sends it: no CR/LF, and not starting like another reply form
/// (a documented ambiguity of the format, which no real status hits).
fn status_text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[A-Za-z][ -~]{0,20}",
        Just("OK".to_string()),
        Just("PONG".to_string()),
    ]
}

fn scalar() -> impl Strategy<Value = Reply> {
    prop_oneof![
        Just(Reply::Nil),
        any::<i64>().prop_map(Reply::Integer),
        proptest::collection::vec(any::<u8>(), 0..24).prop_map(Reply::Bulk),
        status_text().prop_map(Reply::Status),
        "[^\r\n]{0,30}".prop_map(Reply::Error),
    ]
}

/// Nested replies, with arrays long enough to need two-digit numbers.
fn reply() -> impl Strategy<Value = Reply> {
    scalar().prop_recursive(4, 64, 12, |inner| {
        proptest::collection::vec(inner, 0..12).prop_map(Reply::Array)
    })
}

proptest! {
    #[test]
    fn unescape_inverts_escape(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
        prop_assert_eq!(unescape(&escape(&bytes)), Ok(bytes));
    }

    #[test]
    fn escape_is_printable_ascii_on_one_line(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
        let text = escape(&bytes);
        prop_assert!(text.bytes().all(|b| (0x20..=0x7e).contains(&b)), "{}", text);
    }

    #[test]
    fn parse_inverts_render(reply in reply()) {
        prop_assert_eq!(parse(&render(&reply)), Ok(reply));
    }

    #[test]
    fn parse_reads_the_legacy_empty_array(reply in reply()) {
        let text = render_with(&reply, EmptyArrayText::EmptyListOrSet);
        prop_assert_eq!(parse(&text), Ok(reply));
    }

    #[test]
    fn parse_all_splits_concatenated_replies(replies in proptest::collection::vec(reply(), 0..6)) {
        let text: String = replies.iter().map(render).collect();
        prop_assert_eq!(parse_all(&text), Ok(replies));
    }

    #[test]
    fn split_args_inverts_command_line(
        args in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..16), 1..6)
    ) {
        prop_assert_eq!(split_args(command_line(&args).as_bytes()), Ok(args));
    }
}
