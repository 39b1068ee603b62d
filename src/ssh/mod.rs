//! SSH transport: one russh connection per session, one exec channel per command.
//!
//! [`connect`] resolves, dials, checks the host key ([`known_hosts`]) and
//! authenticates ([`auth`]); the resulting [`Connection`] opens channels for
//! commands ([`exec`]) and `direct-tcpip` tunnels, never more at once than the
//! server allows. Nothing here knows about sudo or kubectl.

pub mod auth;
pub mod connect;
pub mod exec;
pub mod known_hosts;
pub mod target;

use std::path::PathBuf;

pub use connect::{ConnectOptions, Connection, connect};
pub use exec::{ExecOutcome, OutputSink, RemoteCommand};
pub use known_hosts::HostKeyPolicy;
pub use target::Target;

#[derive(Debug, thiserror::Error)]
pub enum SshError {
    #[error("cannot resolve host name '{host}' ({reason})")]
    Resolve { host: String, reason: String },

    #[error("connection to {host}:{port} refused (is sshd running and the port right?)")]
    Refused { host: String, port: u16 },

    #[error("connection to {host}:{port} timed out after {secs}s")]
    ConnectTimeout { host: String, port: u16, secs: u64 },

    #[error("cannot connect to {host}:{port}: {reason}")]
    Connect {
        host: String,
        port: u16,
        reason: String,
    },

    #[error(
        "host key of {} is not known ({fingerprint}); check it, then rerun with \
         --accept-new-host-key to trust and record it",
        target::host_port(.host, *.port)
    )]
    HostKeyUnknown {
        host: String,
        port: u16,
        fingerprint: String,
    },

    #[error(
        "host key of {} ({fingerprint}) was not accepted",
        target::host_port(.host, *.port)
    )]
    HostKeyRejected {
        host: String,
        port: u16,
        fingerprint: String,
    },

    #[error(
        "HOST KEY OF {} HAS CHANGED (now {fingerprint}; {path}:{line} records another): \
         someone may be intercepting the connection; refusing to connect (if the change is \
         expected, remove that line)",
        target::host_port(.host, *.port)
    )]
    HostKeyChanged {
        host: String,
        port: u16,
        fingerprint: String,
        path: PathBuf,
        line: usize,
    },

    #[error("cannot read known hosts file {path}: {reason}")]
    KnownHosts { path: PathBuf, reason: String },

    #[error("authentication failed for {user}@{host} (tried: {tried})")]
    Auth {
        user: String,
        host: String,
        /// The methods offered, then, after `; `, what could not be offered
        /// and why (an identity file that is missing, say).
        tried: String,
    },

    #[error("{0}")]
    Credentials(String),

    #[error("SSH protocol error with {host}: {reason}")]
    Protocol { host: String, reason: String },

    #[error("connection lost ({reason}; session reconnect brings it back)")]
    Lost { reason: String },

    #[error("the server refused a channel ({reason})")]
    ChannelRefused { reason: String },
}

impl SshError {
    /// Whether this failure is about reaching or trusting the host (exit 3)
    /// rather than about one command.
    pub fn is_connection(&self) -> bool {
        !matches!(self, SshError::ChannelRefused { .. })
    }
}
