//! Pretty-printing a JSON text without parsing it into a map: the document is
//! re-indented token by token, so keys keep their stored order and numbers and
//! string escapes stay exactly as written (`serde_json::Value` would sort the
//! keys and normalise numbers). Optional ANSI colours follow jq's choices.

/// ANSI colours for a terminal, or none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Colors {
    None,
    Ansi,
}

const KEY: &str = "\x1b[1;34m";
const STRING: &str = "\x1b[32m";
const NUMBER: &str = "\x1b[36m";
const LITERAL: &str = "\x1b[33m";
const RESET: &str = "\x1b[0m";

/// Deeper documents are shown as stored: indenting them would cost quadratic
/// output (every level repeats the indent), which a hostile config can abuse.
pub const MAX_DEPTH: usize = 128;

/// `text` re-indented by two spaces, or `None` when it is not valid JSON or
/// nests deeper than [`MAX_DEPTH`].
pub fn pretty(text: &str, colors: Colors) -> Option<String> {
    if nesting(text) > MAX_DEPTH {
        return None;
    }
    serde_json::from_str::<serde::de::IgnoredAny>(text).ok()?;
    Some(Printer::new(colors).run(text))
}

/// The deepest bracket nesting of a JSON text, strings skipped.
fn nesting(text: &str) -> usize {
    let (mut depth, mut deepest, mut in_string, mut escaped) = (0usize, 0usize, false, false);
    for b in text.bytes() {
        match (in_string, b) {
            (true, _) if escaped => escaped = false,
            (true, b'\\') => escaped = true,
            (true, b'"') => in_string = false,
            (false, b'"') => in_string = true,
            (false, b'[' | b'{') => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            (false, b']' | b'}') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// Walks a text already known to be valid JSON.
struct Printer {
    out: String,
    colors: Colors,
    depth: usize,
    /// One entry per open container: whether it is an object.
    objects: Vec<bool>,
    expect_key: bool,
}

impl Printer {
    fn new(colors: Colors) -> Printer {
        Printer {
            out: String::new(),
            colors,
            depth: 0,
            objects: Vec::new(),
            expect_key: false,
        }
    }

    fn run(mut self, text: &str) -> String {
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            i = match bytes[i] {
                b' ' | b'\t' | b'\n' | b'\r' => i + 1,
                b'{' | b'[' => self.open(bytes, i),
                b'}' | b']' => self.close(bytes[i]) + i,
                b',' => self.comma() + i,
                b':' => {
                    self.out.push_str(": ");
                    self.expect_key = false;
                    i + 1
                }
                b'"' => self.string(text, i),
                _ => self.scalar(text, i),
            };
        }
        self.out
    }

    fn newline(&mut self) {
        self.out.push('\n');
        self.out.push_str(&"  ".repeat(self.depth));
    }

    /// `{` or `[`; an empty container stays on one line.
    fn open(&mut self, bytes: &[u8], at: usize) -> usize {
        let close = if bytes[at] == b'{' { b'}' } else { b']' };
        let next = skip_space(bytes, at + 1);
        if bytes.get(next) == Some(&close) {
            self.out.push(bytes[at] as char);
            self.out.push(close as char);
            return next + 1;
        }
        self.out.push(bytes[at] as char);
        self.objects.push(close == b'}');
        self.expect_key = close == b'}';
        self.depth += 1;
        self.newline();
        at + 1
    }

    fn close(&mut self, byte: u8) -> usize {
        self.objects.pop();
        self.depth = self.depth.saturating_sub(1);
        self.newline();
        self.out.push(byte as char);
        1
    }

    fn comma(&mut self) -> usize {
        self.out.push(',');
        self.newline();
        self.expect_key = self.objects.last() == Some(&true);
        1
    }

    /// A string token copied as written, escapes included.
    fn string(&mut self, text: &str, at: usize) -> usize {
        let bytes = text.as_bytes();
        let mut end = at + 1;
        while end < bytes.len() && bytes[end] != b'"' {
            end += if bytes[end] == b'\\' { 2 } else { 1 };
        }
        let end = (end + 1).min(bytes.len());
        let color = if self.expect_key { KEY } else { STRING };
        self.paint(color, &text[at..end]);
        end
    }

    /// A number, `true`, `false` or `null`.
    fn scalar(&mut self, text: &str, at: usize) -> usize {
        let bytes = text.as_bytes();
        let len = bytes[at..]
            .iter()
            .position(|b| matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r'))
            .unwrap_or(bytes.len() - at);
        let token = &text[at..at + len];
        let color = match token {
            "true" | "false" | "null" => LITERAL,
            _ => NUMBER,
        };
        self.paint(color, token);
        at + len.max(1)
    }

    fn paint(&mut self, color: &str, token: &str) {
        match self.colors {
            Colors::None => self.out.push_str(token),
            Colors::Ansi => {
                self.out.push_str(color);
                self.out.push_str(token);
                self.out.push_str(RESET);
            }
        }
    }
}

fn skip_space(bytes: &[u8], mut at: usize) -> usize {
    while at < bytes.len() && matches!(bytes[at], b' ' | b'\t' | b'\n' | b'\r') {
        at += 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_nesting_is_not_indented() {
        let deep = "[".repeat(100_000) + &"]".repeat(100_000);
        assert_eq!(pretty(&deep, Colors::None), None);
        assert_eq!(nesting(r#"{"a": "[[[", "b": [[1]]}"#), 3);
    }
    use proptest::prelude::*;

    #[test]
    fn keeps_order_escapes_and_numbers() {
        let text = r#"{"z":1.50,"a":{"q":"say \"hi\"\n","e":[]},"l":[1,{"k":null}],"o":{}}"#;
        let want = "{\n  \"z\": 1.50,\n  \"a\": {\n    \"q\": \"say \\\"hi\\\"\\n\",\n    \
                    \"e\": []\n  },\n  \"l\": [\n    1,\n    {\n      \"k\": null\n    }\n  ],\n  \
                    \"o\": {}\n}";
        assert_eq!(pretty(text, Colors::None).unwrap(), want);
    }

    #[test]
    fn scalars_and_invalid() {
        assert_eq!(pretty(" \"x\" ", Colors::None).unwrap(), "\"x\"");
        assert_eq!(pretty("42", Colors::None).unwrap(), "42");
        assert!(pretty("tenant=acme", Colors::None).is_none());
        assert!(pretty("{\"a\":1} x", Colors::None).is_none());
    }

    #[test]
    fn colours_keys_apart_from_values() {
        let shown = pretty(r#"{"k":"v","n":true}"#, Colors::Ansi).unwrap();
        assert!(
            shown.contains("\x1b[1;34m\"k\"\x1b[0m: \x1b[32m\"v\"\x1b[0m"),
            "{shown:?}"
        );
        assert!(shown.contains("\x1b[33mtrue\x1b[0m"), "{shown:?}");
    }

    fn json_value() -> impl Strategy<Value = serde_json::Value> {
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::from),
            any::<i64>().prop_map(serde_json::Value::from),
            "[^\u{0}]{0,8}".prop_map(serde_json::Value::from),
        ];
        leaf.prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
                prop::collection::btree_map("[a-z\"\\\\ ]{0,5}", inner, 0..4)
                    .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        #[test]
        fn same_document_as_serde_pretty(value in json_value()) {
            let compact = serde_json::to_string(&value).unwrap();
            let ours = pretty(&compact, Colors::None).unwrap();
            prop_assert_eq!(ours, serde_json::to_string_pretty(&value).unwrap());
        }
    }
}
