//! How Redis bytes read on a terminal and in JSON, and how an operator types them back.
//!
//! Keys, fields, members and values are byte strings. On a terminal they show as text
//! when that is unambiguous and harmless (UTF-8, no control characters, not wrapped in
//! double quotes); otherwise in redis-cli's quoted form (`"line\nbreak\xff"`, see
//! [`redis_text::escape`]). An argument typed in that quoted form is read back with
//! [`redis_text::unescape`], so any key a listing shows can be pasted into `redis get`.
//!
//! In JSON a name is a string when it is UTF-8 and `{"base64": "..."}` otherwise; a
//! value is the same, except that a JSON object or array stored as text is emitted
//! parsed ([`value_json`]).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde_json::{Value, json};

/// What a typed key or pattern argument could not be read as.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "cannot read {arg} as a quoted key: {reason} (an argument in double quotes is read as \
     redis-cli prints it, with \\n \\t \\\" \\\\ \\xHH escapes)"
)]
pub struct ArgError {
    pub arg: String,
    pub reason: String,
}

/// The bytes an argument stands for: its redis-cli quoted form unescaped when it is
/// wrapped in double quotes, else its UTF-8 bytes as typed.
pub fn parse_arg(arg: &str) -> Result<Vec<u8>, ArgError> {
    let quoted = arg.len() >= 2 && arg.starts_with('"') && arg.ends_with('"');
    if !quoted {
        return Ok(arg.as_bytes().to_vec());
    }
    redis_text::unescape(arg).map_err(|e| ArgError {
        arg: arg.escape_debug().to_string(),
        reason: e.to_string(),
    })
}

/// One line of text for `bytes`: the text itself when [`is_plain`], else redis-cli's
/// quoted form. The result never holds a control character.
pub fn display(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) if is_plain(text, false) => text.to_string(),
        _ => redis_text::escape(bytes),
    }
}

/// Like [`display`], but newlines and tabs may stay: for a value shown on its own.
pub fn display_block(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) if is_plain(text, true) => text.to_string(),
        _ => redis_text::escape(bytes),
    }
}

/// Whether `text` can be shown as is: not empty, not wrapped in double quotes (that is
/// the quoted form's look), and free of control and bidirectional-override characters
/// (which would move the cursor, retitle the terminal or reorder what is shown).
fn is_plain(text: &str, block: bool) -> bool {
    let wrapped = text.len() >= 2 && text.starts_with('"') && text.ends_with('"');
    let harmful = |c: char| {
        let layout = block && (c == '\n' || c == '\t');
        (c.is_control() && !layout) || is_bidi_control(c)
    };
    !text.is_empty() && !wrapped && !text.chars().any(harmful)
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// A name (key, field, member, stream ID) in JSON: a string, or base64 when not UTF-8.
pub fn bytes_json(bytes: &[u8]) -> Value {
    match std::str::from_utf8(bytes) {
        Ok(text) => Value::String(text.to_string()),
        Err(_) => json!({ "base64": BASE64.encode(bytes) }),
    }
}

/// A value in JSON: a stored JSON object or array parsed, else as [`bytes_json`].
pub fn value_json(bytes: &[u8]) -> Value {
    json_document(bytes).unwrap_or_else(|| bytes_json(bytes))
}

/// The JSON document `bytes` holds, if it is an object or an array.
///
/// Scalars (`12`, `true`, `"x"`) stay strings, so a value is never silently retyped.
/// An object whose only member is `"base64"` stays a string too, so it cannot be
/// mistaken for the `{"base64": ...}` form of bytes that are not UTF-8.
pub fn json_document(bytes: &[u8]) -> Option<Value> {
    let text = std::str::from_utf8(bytes).ok()?;
    let first = text.trim_start().chars().next()?;
    if first != '{' && first != '[' {
        return None;
    }
    // Limit: a number beyond f64 precision comes out rounded (serde_json without
    // arbitrary_precision); -o plain shows the stored text.
    let value: Value = serde_json::from_str(text).ok()?;
    let looks_like_bytes = value
        .as_object()
        .is_some_and(|map| map.len() == 1 && map.contains_key("base64"));
    (!looks_like_bytes).then_some(value)
}

/// Whether `text` is a JSON object or array, checked without building the value (a
/// table shows a hash of a thousand JSON values; building each would double the work).
pub fn is_json_document(text: &str) -> bool {
    let first = text.trim_start().chars().next();
    matches!(first, Some('{' | '[')) && serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok()
}

/// Re-indents a valid JSON text two spaces a level, keeping member order and number
/// text exactly as stored (serde_json would sort members and may reformat numbers).
pub fn pretty_json(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    let mut depth = 0usize;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => copy_string(&mut chars, &mut out),
            '{' | '[' => {
                out.push(c);
                skip_space(&mut chars);
                if matches!(chars.peek(), Some('}' | ']')) {
                    continue;
                }
                depth += 1;
                newline(&mut out, depth);
            }
            '}' | ']' => {
                if !out.ends_with(['{', '[']) {
                    depth = depth.saturating_sub(1);
                    newline(&mut out, depth);
                }
                out.push(c);
            }
            ',' => {
                out.push(',');
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            c if c.is_whitespace() => {}
            c => out.push(c),
        }
    }
    out
}

/// Copies a string literal whose opening quote was just read, escapes untouched.
fn copy_string(chars: &mut std::iter::Peekable<std::str::Chars>, out: &mut String) {
    out.push('"');
    while let Some(c) = chars.next() {
        out.push(c);
        match c {
            '\\' => out.extend(chars.next()),
            '"' => return,
            _ => {}
        }
    }
}

fn skip_space(chars: &mut std::iter::Peekable<std::str::Chars>) {
    while chars.peek().is_some_and(|c| c.is_whitespace()) {
        chars.next();
    }
}

fn newline(out: &mut String, depth: usize) {
    out.push('\n');
    out.extend(std::iter::repeat_n(' ', 2 * depth));
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn plain_text_shows_as_is() {
        assert_eq!(display(b"acme:config"), "acme:config");
        assert_eq!(display("café ☃ 日本語".as_bytes()), "café ☃ 日本語");
        assert_eq!(display(b"key with spaces"), "key with spaces");
    }

    #[test]
    fn hostile_bytes_show_quoted() {
        assert_eq!(display(b"line\nbreak\r\nkey"), r#""line\nbreak\r\nkey""#);
        assert_eq!(
            display(b"raw\x00\xff\xfe bytes"),
            r#""raw\x00\xff\xfe bytes""#
        );
        assert_eq!(display(b"\x1b[31mred\x1b[0m"), r#""\x1b[31mred\x1b[0m""#);
        assert_eq!(display(b""), r#""""#);
        assert_eq!(display(b"\"quoted\""), r#""\"quoted\"""#);
        assert_eq!(display("a\u{202e}b".as_bytes()), r#""a\xe2\x80\xaeb""#);
    }

    #[test]
    fn blocks_keep_newlines_and_tabs_only() {
        assert_eq!(display_block(b"a\nb\tc"), "a\nb\tc");
        assert_eq!(display_block(b"a\r\nb"), r#""a\r\nb""#);
    }

    #[test]
    fn quoted_arguments_are_unescaped() {
        assert_eq!(parse_arg(r#""raw\x00\xff""#).unwrap(), b"raw\x00\xff");
        assert_eq!(parse_arg(r#""""#).unwrap(), b"");
        assert_eq!(parse_arg("plain key").unwrap(), b"plain key");
        assert_eq!(parse_arg("\"").unwrap(), b"\"");
        let err = parse_arg(r#""bad \q""#).unwrap_err();
        assert!(err.to_string().contains("\\xHH"), "{err}");
    }

    #[test]
    fn json_names_and_values() {
        assert_eq!(bytes_json(b"k"), json!("k"));
        assert_eq!(bytes_json(b"\xff"), json!({"base64": "/w=="}));
        assert_eq!(value_json(br#"{"a":[1,2]}"#), json!({"a": [1, 2]}));
        assert_eq!(value_json(b"12"), json!("12"));
        assert_eq!(value_json(b"[oops"), json!("[oops"));
        let lookalike = br#"{"base64":"AAAA"}"#;
        assert_eq!(value_json(lookalike), json!(r#"{"base64":"AAAA"}"#));
    }

    #[test]
    fn json_documents_are_recognised_without_parsing_into_values() {
        assert!(is_json_document(r#" {"a": [1, {"b": null}]}"#));
        assert!(is_json_document("[]"));
        assert!(!is_json_document("12"));
        assert!(!is_json_document(r#"{"a": 1"#));
        assert!(!is_json_document(r#"{"a": 1} trailing"#));
        assert!(!is_json_document(""));
    }

    #[test]
    fn pretty_json_keeps_order_and_number_text() {
        let text = r#"{"z":1.50,"a":{"s":"x, \"y\": {z}"},"e":[],"o":{}, "l":[1,2]}"#;
        let expected = "{\n  \"z\": 1.50,\n  \"a\": {\n    \"s\": \"x, \\\"y\\\": {z}\"\n  },\n  \
                        \"e\": [],\n  \"o\": {},\n  \"l\": [\n    1,\n    2\n  ]\n}";
        assert_eq!(pretty_json(text), expected);
    }

    proptest! {
        #[test]
        fn display_round_trips_through_parse_arg(bytes in proptest::collection::vec(any::<u8>(), 0..40)) {
            let shown = display(&bytes);
            prop_assert!(!shown.chars().any(char::is_control));
            prop_assert_eq!(parse_arg(&shown).unwrap(), bytes);
        }

        #[test]
        fn pretty_json_is_the_same_document(value in json_strategy()) {
            let compact = value.to_string();
            let pretty: Value = serde_json::from_str(&pretty_json(&compact)).unwrap();
            prop_assert_eq!(pretty, value);
        }
    }

    fn json_strategy() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            "[ -~\\n\"\\\\{}\\[\\],:]{0,8}".prop_map(Value::from),
        ];
        leaf.prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
                proptest::collection::btree_map("[a-z{},:\"]{0,4}", inner, 0..4)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }
}
