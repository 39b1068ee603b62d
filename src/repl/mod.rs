//! The interactive shell: rustyline for editing and history, one line at a
//! time run on the app. Ctrl-C at the prompt clears the line; Ctrl-C during a
//! command cancels that command only; Ctrl-D or `exit` leaves. Several
//! pasted lines run one after another, each its own history entry.
//!
//! Leaving is a normal end: the shell exits 0 whatever the last command did,
//! since each failure was already reported at the prompt (scripts, by
//! contrast, exit with the failing line's status).

use rustyline::error::ReadlineError;
use rustyline::history::{FileHistory, History};
use rustyline::{Config, Editor};

pub mod complete;
pub mod helper;

use helper::ShellHelper;

use crate::app::{App, Flow};
use crate::error::{Error, Result};
use crate::store::{audit, private_dir};

/// Run the shell until Ctrl-D or `exit`; returns the process exit status:
/// 0 on a normal exit, 1 when the terminal could not be read.
pub fn run(app: &mut App, runtime: &tokio::runtime::Runtime) -> Result<i32> {
    let config = Config::builder()
        .auto_add_history(false)
        .max_history_size(5000)
        .map_err(|e| crate::error::Error::failed(e.to_string()))?
        .history_ignore_dups(true)
        .map_err(|e| crate::error::Error::failed(e.to_string()))?
        // List the candidates, as bash does, rather than cycling through them in place.
        .completion_type(rustyline::CompletionType::List)
        .build();
    let mut editor: Editor<ShellHelper, FileHistory> = Editor::with_config(config)
        .map_err(|e| crate::error::Error::failed(format!("cannot start the line editor: {e}")))?;
    let helper = ShellHelper::new(app.style.color);
    let known = helper.known.clone();
    editor.set_helper(Some(helper));
    let history_path = app.paths.history();
    let _ = editor.load_history(&history_path);

    let mut status = 0;
    'shell: loop {
        runtime.block_on(app.close_idle());
        *known.write().unwrap_or_else(|p| p.into_inner()) = app.known();
        let prompt = app.prompt();
        let line = match editor.readline(&prompt) {
            Ok(line) => line,
            Err(ReadlineError::Interrupted) => continue,
            Err(ReadlineError::Eof) => break,
            Err(e) => {
                eprintln!("vmsdbg: cannot read input: {e}");
                status = 1;
                break;
            }
        };
        for command in helper::commands(&line) {
            if !audit::holds_secret(&command) {
                let _ = editor.history_mut().add(&command);
                save_history(&mut editor, &history_path);
            }
            match runtime.block_on(app.run_line(&command)) {
                Ok(Flow::Exit) => break 'shell,
                Ok(Flow::Continue) => {}
                // Ctrl-C stops the rest of a paste too; any other failure is
                // reported and the next line runs, as if typed one by one.
                Err(Error::Interrupted) => {
                    eprintln!("{}", Error::Interrupted.shown());
                    break;
                }
                Err(e) => {
                    eprintln!("{}", e.shown());
                    if e.exit_code() == crate::error::exit::CONNECTION {
                        discard_typed_ahead();
                    }
                }
            }
        }
    }
    save_history(&mut editor, &history_path);
    Ok(status)
}

/// After a failed connection, drop what was typed while it failed: it may be
/// a password typed ahead for a prompt that never came, which would otherwise
/// run as a command and reach history.
fn discard_typed_ahead() {
    use std::io::IsTerminal;
    if std::io::stdin().is_terminal() {
        // SAFETY: tcflush only discards the terminal's pending input; fd 0 is
        // a terminal (checked above) and no memory is passed.
        unsafe {
            libc::tcflush(libc::STDIN_FILENO, libc::TCIFLUSH);
        }
    }
}

/// History is private (0600 in a 0700 directory): it may name hosts and tenants.
fn save_history(editor: &mut Editor<ShellHelper, FileHistory>, path: &std::path::Path) {
    use std::os::unix::fs::PermissionsExt;
    if let Some(dir) = path.parent() {
        let _ = private_dir(dir);
    }
    if editor.save_history(path).is_ok() {
        let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
    }
}
