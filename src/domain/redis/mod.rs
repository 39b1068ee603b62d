//! A tenant's Redis, read through the session's SSH connection.
//!
//! A tenant's Redis listens on its service's ClusterIP, port 6379, reachable only from
//! the VMS host. [`Client`] reaches it natively first ([`native`]: RESP over a
//! `direct-tcpip` channel, kept open per tenant in the session's [`Pool`]) and, when
//! the SSH server refuses forwarding, through `redis-cli --no-raw` run on the host
//! ([`fallback`]). Both paths hand back [`Reply`] values, so everything above them —
//! key listing ([`keys`]), reading a value by its type ([`value`]), server facts
//! ([`info`]) — is written once and gives the same results on either path.
//!
//! Read-only by construction: the only commands sent are `AUTH`, `PING`, `INFO`,
//! `DBSIZE`, `SCAN`, `TYPE`, `TTL` and the reads of [`value`] (plus the `redis`
//! crate's `CLIENT SETINFO` handshake, which labels the connection and writes no data).

pub mod client;
pub mod fallback;
pub mod info;
pub mod keys;
pub mod native;
pub mod replies;
pub mod text;
pub mod value;

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

pub use client::{Client, Path, Pool};
pub use redis_text::Reply;
pub use text::ArgError;

/// The port every tenant Redis listens on.
pub const REDIS_PORT: u16 = 6379;

/// One Redis command: its name and arguments, as bytes.
pub type Args = Vec<Vec<u8>>;

/// Field/value (or member/score) pairs, as bytes.
pub type Pairs = Vec<(Vec<u8>, Vec<u8>)>;

/// Build [`Args`] from byte-like parts.
pub fn args<const N: usize>(parts: [&[u8]; N]) -> Args {
    parts.iter().map(|p| p.to_vec()).collect()
}

/// Runs Redis commands and returns one reply per command, in order. An error reply
/// fails the call (see [`RedisError::Server`]), so callers only see data.
pub trait Caller: Send {
    fn call(
        &mut self,
        commands: Vec<Args>,
    ) -> impl Future<Output = Result<Vec<Reply>, RedisError>> + Send;
}

/// Run one command.
pub async fn call_one<C: Caller>(caller: &mut C, command: Args) -> Result<Reply, RedisError> {
    let name = String::from_utf8_lossy(command.first().map_or(&[][..], |n| n)).into_owned();
    let mut replies = caller.call(vec![command]).await?;
    match (replies.pop(), replies.is_empty()) {
        (Some(reply), true) => Ok(reply),
        _ => Err(RedisError::Unexpected {
            what: name,
            got: "no reply, or more than one".into(),
        }),
    }
}

/// Which Redis a command goes to: the tenant (for messages) and its address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedisTarget {
    pub tenant: String,
    pub addr: SocketAddr,
}

/// What can go wrong reaching or reading a tenant's Redis. Each reads as one line that
/// says what failed and what to do.
#[derive(Debug, thiserror::Error)]
pub enum RedisError {
    #[error("no tenant selected (tenant use TENANT, or add -t TENANT)")]
    NoTenant,

    #[error("tenant '{tenant}' has no Redis service (tenant show {tenant} lists its services)")]
    NoRedis { tenant: String },

    #[error(
        "the Redis service of tenant '{tenant}' has cluster IP '{ip}', which is not an IP \
         address (tenant build reads it again)"
    )]
    BadAddress { tenant: String, ip: String },

    #[error(
        "cannot connect to the Redis of tenant '{}' at {} from the host ({reason}; \
         tenant show {} lists its pods)",
        target.tenant, target.addr, target.tenant
    )]
    Unreachable { target: RedisTarget, reason: String },

    #[error(
        "the Redis of tenant '{}' at {} did not answer within {}s \
         (raise it with: set timeout SECS, or --timeout)",
        target.tenant, target.addr, limit.as_secs()
    )]
    Timeout {
        target: RedisTarget,
        limit: Duration,
    },

    #[error(
        "the Redis of tenant '{tenant}' wants a password (NOAUTH; name a variable that holds \
         it with --redis-password-env VAR, or redis_password_env in the profile)"
    )]
    NoAuth { tenant: String },

    #[error(
        "the Redis of tenant '{tenant}' refused the password (WRONGPASS; check the variable \
         named by --redis-password-env or the profile's redis_password_env)"
    )]
    WrongPassword { tenant: String },

    #[error("no key {key} in the Redis of tenant '{tenant}' (redis keys lists them)")]
    NoKey { tenant: String, key: String },

    #[error("key {key} was deleted or changed type while it was read; run the command again")]
    Changed { key: String },

    #[error(
        "key {key} holds a '{kind}', which vmsdbg does not read \
         (it reads strings, hashes, lists, sets, sorted sets and streams)"
    )]
    UnsupportedType { key: String, kind: String },

    #[error("the Redis of tenant '{tenant}' answered: {message}")]
    Server { tenant: String, message: String },

    #[error("unexpected answer to {what}: {got}")]
    Unexpected { what: String, got: String },

    #[error(
        "the host refuses SSH forwarding and has no redis-cli to fall back on \
         (install redis-cli on the host, or allow TCP forwarding in its sshd)"
    )]
    NoRedisCli,

    #[error("cannot read redis-cli's output: {0}")]
    Output(String),

    #[error("redis-cli failed on the host: {0}")]
    RedisCli(String),

    #[error(
        "lost the tunnel to the Redis of tenant '{}' at {} ({reason}); run the command again",
        target.tenant, target.addr
    )]
    Tunnel { target: RedisTarget, reason: String },

    #[error(transparent)]
    Arg(#[from] ArgError),

    /// A failure of the session itself (lost connection, timeout, credentials).
    #[error(transparent)]
    Session(Box<crate::error::Error>),
}

impl RedisError {
    /// Name the key in errors that concern one: a `WRONGTYPE` or nil answer mid-read
    /// means the key changed under us.
    pub fn for_key(self, key: &[u8]) -> RedisError {
        match self {
            RedisError::Server { message, .. } if message.starts_with("WRONGTYPE") => {
                RedisError::Changed {
                    key: redis_text::escape(key),
                }
            }
            other => other,
        }
    }
}

impl From<crate::error::Error> for RedisError {
    fn from(error: crate::error::Error) -> Self {
        RedisError::Session(Box::new(error))
    }
}

impl From<RedisError> for crate::error::Error {
    fn from(error: RedisError) -> Self {
        match error {
            RedisError::Session(inner) => *inner,
            other => crate::error::Error::failed(other.to_string()),
        }
    }
}
