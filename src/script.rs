//! Script mode: commands from stdin or `-f FILE`, one a line, `#` comments,
//! blank lines skipped, a trailing backslash continuing a line. The first
//! failing line stops the run with `FILE:LINE: message`, unless `--keep-going`.

use std::io::BufRead;

use crate::app::{App, Flow};
use crate::error::exit;

pub struct Script<R> {
    pub name: String,
    pub input: R,
    pub keep_going: bool,
    /// Print each command before running it, like `set -x`.
    pub echo: bool,
}

impl<R: BufRead> Script<R> {
    /// Run to the end (or the first failure); returns the exit status.
    pub fn run(self, app: &mut App, runtime: &tokio::runtime::Runtime) -> i32 {
        let mut status = exit::OK;
        let mut failures = 0usize;
        let mut pending = String::new();
        let mut first_line = 0;
        for (index, line) in self.input.lines().enumerate() {
            let line = match line {
                Ok(line) => line,
                Err(e) => {
                    eprintln!("{}:{}: cannot read: {e}", self.name, index + 1);
                    return exit::FAILED;
                }
            };
            if pending.is_empty() {
                first_line = index + 1;
            }
            if let Some(head) = line.strip_suffix('\\') {
                pending.push_str(head);
                pending.push(' ');
                continue;
            }
            pending.push_str(&line);
            let command = std::mem::take(&mut pending);
            let trimmed = command.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            if self.echo {
                eprintln!("+ {trimmed}");
            }
            match runtime.block_on(app.run_line(trimmed)) {
                Ok(Flow::Exit) => return status,
                Ok(Flow::Continue) => {}
                Err(e) => {
                    eprintln!("{}:{first_line}: {e}", self.name);
                    status = e.exit_code();
                    failures += 1;
                    if !self.keep_going || status == exit::INTERRUPTED {
                        return status;
                    }
                }
            }
        }
        if failures > 0 {
            eprintln!("{}: {failures} line(s) failed", self.name);
        }
        status
    }
}
