//! Splitting a typed line into words the way a POSIX shell does.
//!
//! Single quotes keep everything literally, double quotes allow `\"` and `\\`,
//! a backslash outside quotes escapes the next character. `shlex` does the
//! splitting; this module adds the error an operator can act on.

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum LineError {
    #[error(
        "unterminated quote or trailing backslash (close the quote, or end the line without '\\')"
    )]
    Unbalanced,
}

/// Split `line` into words; an empty or blank line gives no words.
pub fn split_line(line: &str) -> Result<Vec<String>, LineError> {
    shlex::split(line).ok_or(LineError::Unbalanced)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_and_escapes() {
        let words = split_line(r#"redis get 'a key' "with \"q\"" back\ slash"#).unwrap();
        assert_eq!(words, ["redis", "get", "a key", "with \"q\"", "back slash"]);
    }

    #[test]
    fn unbalanced_is_an_error() {
        assert_eq!(split_line("redis get 'open"), Err(LineError::Unbalanced));
    }

    #[test]
    fn blank_is_empty() {
        assert!(split_line("   ").unwrap().is_empty());
    }
}
