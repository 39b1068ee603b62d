//! The rustyline helper: completion, hints, highlighting and line continuation.

use std::borrow::Cow;
use std::sync::{Arc, RwLock};

use rustyline::completion::{Completer, Pair};
use rustyline::highlight::{CmdKind, Highlighter};
use rustyline::hint::{Hinter, HistoryHinter};
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{Context, Helper};

use super::complete::{Known, complete};

pub struct ShellHelper {
    grammar: clap::Command,
    pub known: Arc<RwLock<Known>>,
    history: HistoryHinter,
    pub color: bool,
}

impl ShellHelper {
    pub fn new(color: bool) -> ShellHelper {
        ShellHelper {
            grammar: super::complete::grammar(),
            known: Arc::default(),
            history: HistoryHinter::new(),
            color,
        }
    }

    fn known(&self) -> Known {
        self.known.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Whether the first word names a command, an alias or `@session`.
    fn first_word_valid(&self, word: &str) -> bool {
        if let Some(name) = word.strip_prefix('@') {
            let known = self.known.read().unwrap_or_else(|p| p.into_inner());
            return name == "all" || name.contains(',') || known.sessions.iter().any(|s| s == name);
        }
        self.grammar.find_subcommand(word).is_some()
    }

    /// The rest of the usage of a fully typed command: `tenant show ` → `[TENANT]`.
    fn usage_hint(&self, line: &str) -> Option<String> {
        if !line.ends_with(' ') {
            return None;
        }
        let words: Vec<&str> = line
            .split_whitespace()
            .filter(|w| !w.starts_with('@'))
            .collect();
        let mut command = &self.grammar;
        for word in &words {
            command = command.find_subcommand(word)?;
        }
        if command.has_subcommands() || words.is_empty() {
            return None;
        }
        let usage = command.clone().render_usage().to_string();
        let tail = usage.rsplit_once(command.get_name())?.1.trim().to_string();
        (!tail.is_empty()).then_some(tail)
    }
}

impl Completer for ShellHelper {
    type Candidate = Pair;

    /// The list shows the words; the replacement keeps the space that ends a
    /// whole word, which rustyline inserts only for a unique match (the
    /// common prefix of several never reaches their spaces).
    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let (start, found) = complete(&line[..pos], &self.grammar, &self.known());
        let pairs = found.into_iter().map(|replacement| Pair {
            display: replacement.trim_end().to_string(),
            replacement,
        });
        Ok((start, pairs.collect()))
    }
}

impl Hinter for ShellHelper {
    type Hint = String;

    fn hint(&self, line: &str, pos: usize, ctx: &Context<'_>) -> Option<String> {
        if pos < line.len() {
            return None;
        }
        self.history
            .hint(line, pos, ctx)
            .or_else(|| self.usage_hint(line))
    }
}

impl Highlighter for ShellHelper {
    fn highlight<'l>(&self, line: &'l str, pos: usize) -> Cow<'l, str> {
        if !self.color || line.trim().is_empty() {
            return Cow::Borrowed(line);
        }
        let trimmed = line.trim_start();
        let lead = line.len() - trimmed.len();
        let end = trimmed
            .find(char::is_whitespace)
            .map_or(line.len(), |i| lead + i);
        let valid = self.first_word_valid(&line[lead..end]);
        let word_colour = if valid { "32" } else { "31" };
        let quotes = quote_marks(line, pos);

        let mut out = String::with_capacity(line.len() + 16);
        let mut current: Option<&str> = None;
        for (i, c) in line.char_indices() {
            let colour = match quotes.iter().find(|(at, _)| *at == i) {
                Some((_, colour)) => Some(*colour),
                None if (lead..end).contains(&i) => Some(word_colour),
                None => None,
            };
            if colour != current {
                if current.is_some() {
                    out.push_str("\x1b[0m");
                }
                if let Some(colour) = colour {
                    out.push_str(&format!("\x1b[{colour}m"));
                }
                current = colour;
            }
            out.push(c);
        }
        if current.is_some() {
            out.push_str("\x1b[0m");
        }
        Cow::Owned(out)
    }

    fn highlight_hint<'h>(&self, hint: &'h str) -> Cow<'h, str> {
        match self.color {
            true => Cow::Owned(format!("\x1b[2m{hint}\x1b[0m")),
            false => Cow::Borrowed(hint),
        }
    }

    fn highlight_char(&self, _line: &str, _pos: usize, _kind: CmdKind) -> bool {
        self.color
    }
}

impl Validator for ShellHelper {
    /// A trailing backslash continues the line, as in a shell and in scripts
    /// (not an escaped one, and never a comment's).
    fn validate(&self, ctx: &mut ValidationContext) -> rustyline::Result<ValidationResult> {
        let last = ctx.input().rsplit('\n').next().unwrap_or_default();
        match crate::script::continues(last.as_bytes()) {
            true => Ok(ValidationResult::Incomplete),
            false => Ok(ValidationResult::Valid(None)),
        }
    }
}

impl Helper for ShellHelper {}

/// Quote characters to colour: the pair around the cursor (bold cyan) and a
/// quote left open (red), so an operator sees where a quoted word ends.
fn quote_marks(line: &str, pos: usize) -> Vec<(usize, &'static str)> {
    let mut marks = Vec::new();
    let mut open: Option<(usize, char)> = None;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        match open {
            Some((start, quote)) if c == quote && !(escaped && quote == '"') => {
                if (start..=i + 1).contains(&pos) {
                    marks.push((start, "1;36"));
                    marks.push((i, "1;36"));
                }
                open = None;
            }
            None if (c == '\'' || c == '"') && !escaped => open = Some((i, c)),
            _ => {}
        }
        escaped = c == '\\' && !escaped && open.is_none_or(|(_, q)| q == '"');
    }
    if let Some((start, _)) = open {
        marks.push((start, "31"));
    }
    marks
}

/// The commands in an accepted buffer, in order. A buffer holds several
/// lines when the terminal pastes them (bracketed paste keeps the newlines):
/// each is its own command, as if typed one by one. A line ending in a
/// backslash continues on the next (`a \<newline>b` → `a  b`, the rule the
/// [`Validator`] applies while typing); blank lines and `#` comments drop out.
pub fn commands(buffer: &str) -> Vec<String> {
    let mut commands = Vec::new();
    let mut current = String::new();
    for line in buffer.split('\n') {
        if crate::script::continues(line.as_bytes()) {
            current.push_str(&line[..line.len() - 1]);
            current.push(' ');
            continue;
        }
        current.push_str(line);
        let command = std::mem::take(&mut current);
        let trimmed = command.trim();
        if !trimmed.is_empty() && !trimmed.starts_with('#') {
            commands.push(trimmed.to_string());
        }
    }
    // Only a buffer the validator did not check can end mid-continuation.
    if !current.trim().is_empty() {
        commands.push(current.trim().to_string());
    }
    commands
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usage_hint_for_a_typed_command() {
        let helper = ShellHelper::new(false);
        assert_eq!(
            helper.usage_hint("tenant show ").as_deref(),
            Some("[OPTIONS] [TENANT]")
        );
        assert_eq!(helper.usage_hint("tenant "), None);
        assert_eq!(helper.usage_hint("nonsense "), None);
    }

    #[test]
    fn first_word_colour() {
        let helper = ShellHelper::new(true);
        assert!(
            helper
                .highlight("tenant list", 0)
                .contains("\x1b[32mtenant")
        );
        assert!(helper.highlight("tenat list", 0).contains("\x1b[31mtenat"));
    }

    #[test]
    fn quotes_are_matched_or_flagged() {
        assert_eq!(
            quote_marks("redis get 'a b' x", 12),
            [(10, "1;36"), (14, "1;36")]
        );
        assert_eq!(quote_marks("redis get 'a b' x", 2), []);
        assert_eq!(quote_marks("redis get \"open", 3), [(10, "31")]);
        assert_eq!(quote_marks(r#"exec echo "a \" b""#, 0), []);
    }

    #[test]
    fn continuation() {
        assert_eq!(commands("tenant \\\nlist"), ["tenant  list"]);
        assert_eq!(commands("  tenant list  "), ["tenant list"]);
    }

    #[test]
    fn a_pasted_buffer_is_one_command_a_line() {
        let pasted = "tenant build\ntenant list\n";
        assert_eq!(commands(pasted), ["tenant build", "tenant list"]);
        let pasted = "# build first\ntenant build\n\n  \ntenant \\\nlist -o plain\nstatus";
        assert_eq!(
            commands(pasted),
            ["tenant build", "tenant  list -o plain", "status"]
        );
        assert_eq!(commands("# only a comment\n"), Vec::<String>::new());
        // A comment's backslash continues nothing; an escaped one is a character.
        assert_eq!(commands("# note \\\nstatus"), ["status"]);
        assert_eq!(
            commands("exec echo a\\\\\nstatus"),
            ["exec echo a\\\\", "status"]
        );
    }
}
