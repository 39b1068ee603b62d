//! Script mode: commands from stdin or `-f FILE`, one a line, `#` comments,
//! blank lines skipped, a trailing backslash continuing a line. The first
//! failing line stops the run with `FILE:LINE: message`, unless `--keep-going`.
//!
//! Consecutive `session new` lines open their sessions concurrently
//! ([`crate::cmd::session::Batch`]); what the operator sees (output, errors,
//! the active session, where the script stops) is the same as running them
//! one after the other.

use std::io::BufRead;

use crate::app::{App, Flow};
use crate::cmd::session::{Batch, Drained};
use crate::error::exit;

pub struct Script<R> {
    pub name: String,
    pub input: R,
    pub keep_going: bool,
    /// Print each command before running it, like `set -x`.
    pub echo: bool,
}

/// One command as read: its text, or why it cannot run.
#[derive(Debug, PartialEq, Eq)]
pub struct Entry {
    /// The line a command starts on: errors are reported there.
    pub line: usize,
    pub text: std::result::Result<String, ReadProblem>,
}

/// A command that cannot be run as read.
#[derive(Debug, PartialEq, Eq)]
pub enum ReadProblem {
    /// The command's bytes are not UTF-8; `line` is the physical line holding them.
    InvalidUtf8 { line: usize },
    /// The input ended right after a continuing backslash.
    UnfinishedContinuation,
    /// Reading failed; nothing after this can be read.
    Io(String),
}

impl std::fmt::Display for ReadProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadProblem::InvalidUtf8 { .. } => write!(f, "invalid UTF-8 (line skipped)"),
            ReadProblem::UnfinishedContinuation => write!(
                f,
                "the input ends after a continuing '\\' (command not run: the script may be \
                 cut short; end the line without '\\' to run it)"
            ),
            ReadProblem::Io(reason) => write!(f, "cannot read: {reason}"),
        }
    }
}

impl ReadProblem {
    /// Where to report it: the bad line itself, or the command's first line.
    fn line(&self, first: usize) -> usize {
        match self {
            ReadProblem::InvalidUtf8 { line } => *line,
            _ => first,
        }
    }
}

/// Splits a byte stream into commands: joins continued lines, checks UTF-8
/// per command, keeps line numbers. Reads bytes so one bad line does not end
/// the input.
pub struct Commands<R> {
    input: R,
    next_line: usize,
    done: bool,
}

impl<R: BufRead> Commands<R> {
    pub fn new(input: R) -> Self {
        Commands {
            input,
            next_line: 1,
            done: false,
        }
    }

    /// One physical line without its `\n` / `\r\n`; `None` at the end.
    fn physical(&mut self) -> Option<std::io::Result<Vec<u8>>> {
        let mut bytes = Vec::new();
        match self.input.read_until(b'\n', &mut bytes) {
            Ok(0) => None,
            Ok(_) => {
                if bytes.ends_with(b"\n") {
                    bytes.pop();
                    if bytes.ends_with(b"\r") {
                        bytes.pop();
                    }
                }
                Some(Ok(bytes))
            }
            Err(e) => Some(Err(e)),
        }
    }
}

/// Whether a line continues on the next: it ends in an odd run of
/// backslashes (`\\` at the end is an escaped backslash, not a continuation).
pub fn continues(line: &[u8]) -> bool {
    // A comment ends at its line, as in sh: `# note \` must not swallow the next.
    let first = line.iter().find(|b| !b.is_ascii_whitespace());
    if first == Some(&b'#') {
        return false;
    }
    let run = line.iter().rev().take_while(|&&b| b == b'\\').count();
    run % 2 == 1
}

impl<R: BufRead> Iterator for Commands<R> {
    type Item = Entry;

    fn next(&mut self) -> Option<Entry> {
        if self.done {
            return None;
        }
        let first = self.next_line;
        let mut joined = Vec::new();
        let mut bad_line = None;
        loop {
            let number = self.next_line;
            let bytes = match self.physical() {
                None if number == first => return None,
                None => {
                    let problem = ReadProblem::UnfinishedContinuation;
                    return Some(self.finish(first, problem));
                }
                Some(Err(e)) => return Some(self.finish(first, ReadProblem::Io(e.to_string()))),
                Some(Ok(bytes)) => bytes,
            };
            self.next_line += 1;
            if bad_line.is_none() && std::str::from_utf8(&bytes).is_err() {
                bad_line = Some(number);
            }
            if !continues(&bytes) {
                joined.extend_from_slice(&bytes);
                break;
            }
            joined.extend_from_slice(&bytes[..bytes.len() - 1]);
            joined.push(b' ');
        }
        let text = match bad_line {
            Some(line) => Err(ReadProblem::InvalidUtf8 { line }),
            // Each part was UTF-8 and only ASCII was added between them.
            None => String::from_utf8(joined).map_err(|_| ReadProblem::InvalidUtf8 { line: first }),
        };
        Some(Entry { line: first, text })
    }
}

impl<R: BufRead> Commands<R> {
    /// The last entry: nothing can be read after it.
    fn finish(&mut self, first: usize, problem: ReadProblem) -> Entry {
        self.done = true;
        Entry {
            line: first,
            text: Err(problem),
        }
    }
}

/// Failures so far, and the status to exit with.
#[derive(Default)]
struct Tally {
    status: i32,
    failures: usize,
}

impl Tally {
    fn add(&mut self, drained: &Drained) {
        if drained.failures > 0 {
            self.status = drained.status;
            self.failures += drained.failures;
        }
    }

    fn fail(&mut self, status: i32) {
        self.status = status;
        self.failures += 1;
    }
}

impl<R: BufRead> Script<R> {
    /// Run to the end (or the first failure); returns the exit status.
    pub fn run(self, app: &mut App, runtime: &tokio::runtime::Runtime) -> i32 {
        let Script {
            name,
            input,
            keep_going,
            echo,
        } = self;
        let mut tally = Tally::default();
        let mut batch = Batch::new(app, &name, echo, keep_going);
        let drain = |batch: &mut Batch, app: &mut App, tally: &mut Tally| {
            let drained = runtime.block_on(batch.drain(app));
            tally.add(&drained);
            drained.stop
        };
        for entry in Commands::new(input) {
            let command = match entry.text {
                Ok(command) => command,
                Err(problem) => {
                    if drain(&mut batch, app, &mut tally) {
                        return tally.status;
                    }
                    let line = problem.line(entry.line);
                    eprintln!("{name}:{line}: {problem}");
                    tally.fail(exit::FAILED);
                    if !keep_going || matches!(problem, ReadProblem::Io(_)) {
                        return exit::FAILED;
                    }
                    continue;
                }
            };
            let trimmed = command.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            if !batch.stopped() && batch.add(app, runtime, trimmed, entry.line) {
                continue;
            }
            if drain(&mut batch, app, &mut tally) {
                return tally.status;
            }
            if echo {
                eprintln!("+ {trimmed}");
            }
            match runtime.block_on(app.run_line(trimmed)) {
                Ok(Flow::Exit) => return tally.status,
                Ok(Flow::Continue) => {}
                Err(e) => {
                    eprintln!("{name}:{}: {}", entry.line, e.shown());
                    tally.fail(e.exit_code());
                    if crate::cmd::session::stops(keep_going, tally.status) {
                        return tally.status;
                    }
                }
            }
        }
        if drain(&mut batch, app, &mut tally) {
            return tally.status;
        }
        if tally.failures > 0 {
            eprintln!("{name}: {} line(s) failed", tally.failures);
        }
        tally.status
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(input: &[u8]) -> Vec<(usize, std::result::Result<String, ReadProblem>)> {
        Commands::new(input).map(|e| (e.line, e.text)).collect()
    }

    #[test]
    fn odd_trailing_backslashes_continue_even_ones_do_not() {
        assert!(continues(b"a \\"));
        assert!(!continues(b"a \\\\"));
        assert!(continues(b"a \\\\\\"));
        assert!(!continues(b"a"));
        assert!(!continues(b""));
        assert!(!continues(b"# a comment \\"), "a comment never continues");
        assert!(!continues(b"  # indented \\"));
    }

    #[test]
    fn escaped_backslash_at_the_end_is_not_a_continuation() {
        let got = read(b"exec echo a\\\\\nstatus\n");
        assert_eq!(
            got,
            vec![(1, Ok("exec echo a\\\\".into())), (2, Ok("status".into()))]
        );
    }

    #[test]
    fn continued_lines_join_and_keep_the_first_line_number() {
        let got = read(b"one\ntwo \\\n  three\r\nfour");
        assert_eq!(
            got,
            vec![
                (1, Ok("one".into())),
                (2, Ok("two    three".into())),
                (4, Ok("four".into())),
            ]
        );
    }

    #[test]
    fn trailing_backslash_at_end_of_input_is_reported_not_dropped() {
        let got = read(b"status\nexec rm \\\n");
        assert_eq!(
            got,
            vec![
                (1, Ok("status".into())),
                (2, Err(ReadProblem::UnfinishedContinuation)),
            ]
        );
        // Without the final newline too.
        let got = read(b"exec true \\");
        assert_eq!(got, vec![(1, Err(ReadProblem::UnfinishedContinuation))]);
    }

    #[test]
    fn invalid_utf8_spoils_one_command_and_reading_goes_on() {
        let got = read(b"a\nb \\\nc\xff\nd\n");
        assert_eq!(
            got,
            vec![
                (1, Ok("a".into())),
                (2, Err(ReadProblem::InvalidUtf8 { line: 3 })),
                (4, Ok("d".into())),
            ]
        );
        assert_eq!(ReadProblem::InvalidUtf8 { line: 3 }.line(2), 3);
    }
}
