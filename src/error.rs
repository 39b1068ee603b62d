//! The one top-level error of the shell and its mapping to exit codes.
//!
//! Lower layers (`ssh`, `elevate`, `quote`, `domain`, `store`) have their own
//! error enums carrying data; this module wraps them, adds the session prefix
//! an operator reads first, and knows which exit status each one earns
//! (0 ok, 1 command failed, 2 usage, 3 connection/auth/host key, 130 interrupted).

use std::time::Duration;

use crate::elevate::ElevateError;
use crate::quote::QuoteError;
use crate::ssh::SshError;
use crate::store::StoreError;

/// Exit status of a run, as documented in the README.
pub mod exit {
    pub const OK: i32 = 0;
    pub const FAILED: i32 = 1;
    pub const USAGE: i32 = 2;
    pub const CONNECTION: i32 = 3;
    pub const INTERRUPTED: i32 = 130;
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad command line: clap's rendered message (may span lines).
    #[error("{0}")]
    Usage(String),

    #[error(transparent)]
    Ssh(#[from] SshError),

    #[error(transparent)]
    Elevate(#[from] ElevateError),

    #[error(transparent)]
    Quote(#[from] QuoteError),

    #[error(transparent)]
    Store(#[from] StoreError),

    /// A command in a session failed; the prefix says whose.
    #[error("{session}: {source}")]
    InSession { session: String, source: Box<Error> },

    /// A command that needs a session ran without one.
    #[error("no session is open (open one with: session new NAME USER@HOST)")]
    NoSession,

    #[error("no session named '{0}' (session list shows the open ones)")]
    UnknownSession(String),

    #[error("{0}")]
    Failed(String),

    /// The remote command ran and exited non-zero; its stderr was already shown.
    #[error("remote command exited with status {status}")]
    RemoteStatus { status: u32 },

    #[error("interrupted")]
    Interrupted,

    /// Some sessions of a fan-out failed; their errors were shown in their blocks.
    #[error("{failed} of {total} sessions failed ({names})")]
    FanOut {
        failed: usize,
        total: usize,
        names: String,
        code: i32,
    },

    #[error(
        "timed out: nothing from the host for {}s (raise it with: set timeout SECS, or --timeout)",
        .0.as_secs()
    )]
    TimedOut(Duration),
}

impl Error {
    /// The message as it may reach a terminal: remote text inside it (kubectl's
    /// error line, a file name) cannot drive the terminal.
    pub fn shown(&self) -> String {
        let text = self.to_string();
        crate::output::safe::visible(&text, crate::output::safe::Layout::Text).into_owned()
    }

    pub fn failed(message: impl Into<String>) -> Self {
        Error::Failed(message.into())
    }

    /// Attach the session name so the operator sees whose command failed.
    pub fn in_session(self, session: &str) -> Self {
        match self {
            Error::InSession { .. } | Error::Usage(_) | Error::NoSession => self,
            Error::UnknownSession(_) | Error::Interrupted => self,
            other => Error::InSession {
                session: session.to_string(),
                source: Box::new(other),
            },
        }
    }

    /// The exit status this error earns.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Usage(_) => exit::USAGE,
            Error::Ssh(e) if e.is_connection() => exit::CONNECTION,
            Error::InSession { source, .. } => source.exit_code(),
            Error::Interrupted => exit::INTERRUPTED,
            Error::FanOut { code, .. } => *code,
            // Passthrough commands exit with the remote status, as ssh does.
            Error::RemoteStatus { status } => (*status).clamp(1, 255) as i32,
            _ => exit::FAILED,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shown_errors_cannot_drive_the_terminal() {
        let remote = "Error from server: pod \x1b]0;owned\x07 \x1b[2J not found";
        let shown = Error::failed(remote).shown();
        assert!(
            !shown.contains('\x1b') && !shown.contains('\x07'),
            "{shown:?}"
        );
        assert!(shown.starts_with("Error from server: pod "), "{shown}");
    }
}
