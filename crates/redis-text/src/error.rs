//! Why a piece of redis-cli text could not be read.
//!
//! Line numbers are 1-based and count lines of the text handed to the parser, so a
//! caller can point at the offending line of a captured redis-cli output.

/// A failure to read redis-cli text: a quoted string, a reply, or a stdin command line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The text held no reply at all.
    #[error("no reply in the text (it is empty)")]
    Empty,

    /// A quoted string did not start with `"`.
    #[error("line {line}: expected a quoted string starting with '\"'")]
    NotQuoted { line: usize },

    /// A quoted string ran to the end of its line without a closing `"`.
    #[error("line {line}: quoted string has no closing '\"'")]
    Unterminated { line: usize },

    /// A backslash was followed by something redis-cli never writes.
    #[error("line {line}: unknown escape {escape:?} in a quoted string")]
    BadEscape { line: usize, escape: String },

    /// Text followed a closing quote on the same line.
    #[error("line {line}: unexpected text after a quoted string")]
    AfterQuote { line: usize },

    /// `(integer)` was followed by something that is not a 64-bit integer.
    #[error("line {line}: bad integer {text:?} after '(integer)'")]
    BadInteger { line: usize, text: String },

    /// An array's numbered lines were out of order or misaligned.
    #[error("line {line}: array element numbers are out of order or misaligned")]
    BadIndex { line: usize },

    /// More text followed a complete reply where only one was expected.
    #[error("line {line}: text after the end of the reply")]
    Trailing { line: usize },

    /// A stdin command line had unbalanced quotes, as redis-cli's
    /// `Invalid argument(s)` reports.
    #[error("invalid argument(s): unbalanced quotes in the command line")]
    InvalidArguments,
}
