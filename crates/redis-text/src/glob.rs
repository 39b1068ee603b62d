//! Redis's glob patterns (`KEYS`, `SCAN ... MATCH`), matched byte for byte as the server
//! does (`stringmatchlen`).
//!
//! `*` matches any run of bytes, `?` one byte, `[abc]`, `[a-z]` and `[^...]` one byte
//! from a class, and `\x` the byte `x` itself. Redis's quirks are kept on purpose, so a
//! simulated server filters keys exactly as a real one: a class that never closes runs to
//! the end of the pattern, a lone `[` matches nothing, a reversed range (`[z-a]`) is
//! swapped, and ranges compare bytes as C's signed `char`, so a range that spans 0x7f
//! behaves as it does on x86 Redis.

/// Patterns nest one level per `*`; Redis gives up (no match) past this depth.
const MAX_NESTING: usize = 1000;

/// Whether `key` matches the Redis glob `pattern`.
///
/// Like Redis's matcher, no pattern matches an empty key, not even `*`; Redis's `SCAN`
/// and `KEYS` skip matching altogether when the pattern is exactly `*`, so a server that
/// lists keys should do the same to list the empty key too.
///
/// ```
/// use redis_text::glob_match;
/// assert!(glob_match(b"user:*:name", b"user:42:name"));
/// assert!(glob_match(b"h[ae]llo", b"hallo"));
/// assert!(!glob_match(b"h[^e]llo", b"hello"));
/// assert!(glob_match(br"literal\*", b"literal*"));
/// ```
pub fn glob_match(pattern: &[u8], key: &[u8]) -> bool {
    let mut skip_longer = false;
    match_from(pattern, key, &mut skip_longer, 0)
}

/// The byte at `index`, or 0 past the end (where C reads the string's terminator).
fn at(bytes: &[u8], index: usize) -> u8 {
    bytes.get(index).copied().unwrap_or(0)
}

/// Matches `pattern` against `key` from their starts.
///
/// `skip_longer` is Redis's shortcut: once the rest of a pattern after a `*` has failed
/// at every position, earlier `*`s need not try longer runs either.
fn match_from(mut pattern: &[u8], mut key: &[u8], skip_longer: &mut bool, nesting: usize) -> bool {
    if nesting > MAX_NESTING {
        return false;
    }
    while !pattern.is_empty() && !key.is_empty() {
        match pattern[0] {
            b'*' => return match_star(pattern, key, skip_longer, nesting),
            b'?' => {}
            b'[' => {
                let Some(class_end) = match_class(pattern, key[0]) else {
                    return false;
                };
                pattern = &pattern[class_end..];
            }
            b'\\' if pattern.len() >= 2 => {
                pattern = &pattern[1..];
                if pattern[0] != key[0] {
                    return false;
                }
            }
            literal if literal != key[0] => return false,
            _ => {}
        }
        key = &key[1..];
        pattern = &pattern[1..];

        if key.is_empty() {
            // Trailing stars match the empty rest of the key.
            while at(pattern, 0) == b'*' {
                pattern = &pattern[1..];
            }
            break;
        }
    }
    pattern.is_empty() && key.is_empty()
}

/// Matches a pattern starting with `*` against a non-empty key.
fn match_star(mut pattern: &[u8], mut key: &[u8], skip_longer: &mut bool, nesting: usize) -> bool {
    while at(pattern, 1) == b'*' {
        pattern = &pattern[1..];
    }
    if pattern.len() == 1 {
        return true;
    }
    while !key.is_empty() {
        if match_from(&pattern[1..], key, skip_longer, nesting + 1) {
            return true;
        }
        if *skip_longer {
            return false;
        }
        key = &key[1..];
    }
    *skip_longer = true;
    false
}

/// Matches `byte` against the class that starts with `[` at `pattern[0]`.
///
/// Returns the index of the class's last pattern byte (its `]`, or the pattern's last
/// byte when the class never closes), or `None` when the byte is not in the class.
fn match_class(pattern: &[u8], byte: u8) -> Option<usize> {
    let mut index = 1;
    let negated = at(pattern, index) == b'^';
    if negated {
        index += 1;
    }

    let mut matched = false;
    loop {
        let left = pattern.len() - index;
        let current = at(pattern, index);
        if current == b'\\' && left >= 2 {
            index += 1;
            matched |= at(pattern, index) == byte;
        } else if current == b']' {
            break;
        } else if left == 0 {
            // Unclosed: the class ends with the pattern.
            index -= 1;
            break;
        } else if left >= 3 && at(pattern, index + 1) == b'-' {
            matched |= in_signed_range(current, at(pattern, index + 2), byte);
            index += 2;
        } else {
            matched |= current == byte;
        }
        index += 1;
    }

    (matched != negated).then_some(index)
}

/// Whether `byte` lies between `start` and `end` (either order), compared as C's signed
/// `char`, as Redis does on the platforms it ships for.
fn in_signed_range(start: u8, end: u8, byte: u8) -> bool {
    let signed = |b: u8| i8::from_ne_bytes([b]);
    let (low, high) = {
        let (a, b) = (signed(start), signed(end));
        if a > b { (b, a) } else { (a, b) }
    };
    (low..=high).contains(&signed(byte))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(pattern: &str, key: &str) -> bool {
        glob_match(pattern.as_bytes(), key.as_bytes())
    }

    #[test]
    fn star_and_question_mark() {
        // stringmatchlen never matches an empty key; SCAN and KEYS skip it for "*".
        assert!(!matches("*", ""));
        assert!(!matches("**", ""));
        assert!(matches("*", "anything"));
        assert!(matches("a*c", "abbbc"));
        assert!(matches("a**c", "ac"));
        assert!(matches("a?c", "abc"));
        assert!(!matches("a?c", "ac"));
        assert!(!matches("a*d", "abc"));
        assert!(matches("*:*:*", "t:x:y"));
        assert!(!matches("", "a"));
        assert!(matches("", ""));
    }

    #[test]
    fn classes_ranges_and_negation() {
        assert!(matches("[abc]x", "bx"));
        assert!(!matches("[abc]x", "dx"));
        assert!(matches("[a-c]", "b"));
        assert!(matches("[c-a]", "b"));
        assert!(matches("[^a-c]", "d"));
        assert!(!matches("[^a-c]", "b"));
        assert!(matches(r"[\]]", "]"));
        assert!(matches(r"[\-]", "-"));
    }

    #[test]
    fn escapes_make_special_bytes_literal() {
        assert!(matches(r"\*", "*"));
        assert!(!matches(r"\*", "a"));
        assert!(matches(r"a\?b", "a?b"));
        assert!(!matches(r"a\?b", "axb"));
        assert!(matches(r"\[x]", "[x]"));
        // A trailing lone backslash is itself.
        assert!(matches("a\\", "a\\"));
    }

    #[test]
    fn redis_quirks_of_unclosed_classes() {
        assert!(!matches("[", "a"));
        assert!(!matches("[", "["));
        // "[^" is an unclosed negated empty class: any one byte.
        assert!(matches("[^", "z"));
        assert!(matches("[ab", "b"));
        assert!(!matches("[ab", "c"));
        // "[a-]" reads "a-]" as a range ']'..='a' and the class runs on over the "x".
        assert!(matches("[a-]x", "a"));
        assert!(matches("[a-]x", "x"));
        assert!(matches("[a-]x", "_"));
        assert!(!matches("[a-]x", "_x"));
        assert!(!matches("[a-]x", "b"));
    }

    #[test]
    fn high_bytes_compare_as_signed_chars() {
        // 0xc3 is negative as a signed char, so it lies below 'a'.
        assert!(!glob_match(b"[a-\xff]", b"\xc3"));
        assert!(glob_match(b"[\x80-a]", b"\xc3"));
        assert!(glob_match(b"caf\xc3\xa9*", "café au lait".as_bytes()));
    }

    /// `KEYS` results of redis-server 7.0.15 for these patterns over these keys.
    #[test]
    fn agrees_with_real_redis_keys_results() {
        let keys: &[&[u8]] = &[
            b"", b"a", b"[", b"z", b"b", b"c", b"_", b"_x", b"x", b"bx", b"dx", b"]", b"-", b"*",
            b"a?b", b"axb", b"[x]", b"a\\", b"abbbc", b"ac", b"abc", b"t:x:y", b"\xc3",
        ];
        let cases: &[(&[u8], &[&[u8]])] = &[
            (b"[a-]x", &[b"a", b"x", b"_", b"]"]),
            (
                b"[^a-c]",
                &[b"z", b"*", b"x", b"_", b"-", b"\xc3", b"[", b"]"],
            ),
            (b"[a-\xff]", &[b"*", b"a", b"_", b"-", b"[", b"]"]),
            (b"[\x80-a]", &[b"*", b"a", b"_", b"-", b"\xc3", b"[", b"]"]),
            (b"a**c", &[b"abc", b"abbbc", b"ac"]),
            (b"", &[b""]),
        ];
        for (pattern, expected) in cases {
            let mut found: Vec<&[u8]> = keys
                .iter()
                .copied()
                .filter(|k| glob_match(pattern, k))
                .collect();
            let mut expected = expected.to_vec();
            found.sort();
            expected.sort();
            assert_eq!(
                found,
                expected,
                "pattern {:?}",
                String::from_utf8_lossy(pattern)
            );
        }
    }

    #[test]
    fn pathological_pattern_finishes() {
        let pattern = "a*".repeat(40) + "b";
        let key = "a".repeat(60);
        assert!(!matches(&pattern, &key));
    }
}
