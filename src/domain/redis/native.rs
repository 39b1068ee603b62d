//! The native path: RESP spoken by the `redis` crate over a `direct-tcpip` channel
//! from the session's SSH connection to the tenant's `CLUSTER_IP:6379`.
//!
//! The channel is an `AsyncRead + AsyncWrite` stream, which is all
//! `redis::aio::MultiplexedConnection::new` asks for: it frames RESP, pipelines, and
//! hands the socket work to a driver future that runs on its own task here. The
//! connection is cheap to clone, so the session's pool keeps one per tenant and each
//! command takes a clone. The crate is given no password: vmsdbg sends `AUTH` itself,
//! so both paths read the server's own answer to it (the crate would hide whether the
//! password was wrong or not needed at all).

use std::net::SocketAddr;
use std::sync::{Arc, Weak};

use redis::aio::MultiplexedConnection;
use redis::{RedisConnectionInfo, Value};
use redis_text::Reply;
use tokio::task::JoinHandle;

use super::Args;
use crate::ssh::{Connection, SshError};

/// An open RESP connection over one tunnel.
#[derive(Clone)]
pub struct Native {
    conn: MultiplexedConnection,
    driver: Arc<Driver>,
    ssh: Weak<Connection>,
    addr: SocketAddr,
}

/// The task that moves bytes between the tunnel and the connection; stopped when the
/// last clone of the connection goes, which closes the channel.
struct Driver(JoinHandle<()>);

impl Drop for Driver {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Why a tunnel could not be opened.
#[derive(Debug)]
pub enum OpenError {
    /// The SSH server refused forwarding itself (`AllowTcpForwarding no`, a policy).
    Refused(String),
    /// The server tried and could not reach the address (nothing listens there).
    ConnectFailed(String),
    /// The SSH connection itself failed.
    Ssh(SshError),
    /// The channel opened, but the RESP handshake over it failed.
    Handshake(String),
}

impl Native {
    /// Open a tunnel to `addr` and start a RESP connection over it.
    pub async fn open(ssh: &Arc<Connection>, addr: SocketAddr) -> Result<Native, OpenError> {
        let host = addr.ip().to_string();
        let stream = ssh
            .open_tunnel(&host, addr.port())
            .await
            .map_err(classify)?;
        let info = RedisConnectionInfo::default();
        let (conn, driver) = MultiplexedConnection::new(&info, stream)
            .await
            .map_err(|e| OpenError::Handshake(e.to_string()))?;
        Ok(Native {
            conn,
            driver: Arc::new(Driver(tokio::spawn(driver))),
            ssh: Arc::downgrade(ssh),
            addr,
        })
    }

    /// Whether this connection still works and still rides on `ssh` towards `addr`.
    pub fn usable(&self, ssh: &Arc<Connection>, addr: SocketAddr) -> bool {
        let same_ssh = self.ssh.upgrade().is_some_and(|c| Arc::ptr_eq(&c, ssh));
        same_ssh && self.addr == addr && !self.driver.0.is_finished() && ssh.lost().is_none()
    }

    /// Send `commands` as one pipeline; one reply each, error replies included.
    pub async fn call(&mut self, commands: &[Args]) -> Result<Vec<Reply>, redis::RedisError> {
        let mut pipe = redis::pipe();
        for args in commands {
            let mut cmd = redis::Cmd::new();
            for arg in args {
                cmd.arg(arg.as_slice());
            }
            pipe.add_command(cmd);
        }
        let values = self
            .conn
            .send_packed_commands(&pipe, 0, commands.len())
            .await?;
        Ok(values.into_iter().map(reply).collect())
    }
}

/// russh reports a refused channel by the reason's name; `ConnectFailed` is the only
/// one that means the server tried the address (OpenSSH: "Connection refused").
fn classify(error: SshError) -> OpenError {
    match error {
        SshError::ChannelRefused { reason } if reason.contains("ConnectFailed") => {
            OpenError::ConnectFailed(reason)
        }
        SshError::ChannelRefused { reason } => OpenError::Refused(reason),
        other => OpenError::Ssh(other),
    }
}

/// A `redis` crate value as the reply redis-cli would have printed. Only RESP2 shapes
/// arrive (the connection never asks for RESP3); the rest map to their nearest form.
pub fn reply(value: Value) -> Reply {
    match value {
        Value::Nil => Reply::Nil,
        Value::Int(n) => Reply::Integer(n),
        Value::BulkString(bytes) => Reply::Bulk(bytes),
        Value::SimpleString(text) => Reply::Status(text),
        Value::Okay => Reply::Status("OK".into()),
        Value::Array(items) | Value::Set(items) => {
            Reply::Array(items.into_iter().map(reply).collect())
        }
        Value::Map(pairs) => {
            let flat = pairs.into_iter().flat_map(|(k, v)| [reply(k), reply(v)]);
            Reply::Array(flat.collect())
        }
        Value::Attribute { data, .. } => reply(*data),
        Value::Double(d) => Reply::Bulk(redis_text::format_double(d).into_bytes()),
        Value::Boolean(b) => Reply::Integer(i64::from(b)),
        Value::VerbatimString { text, .. } => Reply::Bulk(text.into_bytes()),
        Value::BigNumber(n) => Reply::Bulk(n.to_string().into_bytes()),
        Value::Push { data, .. } => Reply::Array(data.into_iter().map(reply).collect()),
        Value::ServerError(error) => {
            let text = match error.details() {
                Some(detail) => format!("{} {detail}", error.code()),
                None => error.code().to_string(),
            };
            Reply::Error(text)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resp2_values_become_replies() {
        let value = Value::Array(vec![
            Value::BulkString(b"0".to_vec()),
            Value::Array(vec![Value::BulkString(b"k\xff".to_vec())]),
            Value::Int(-2),
            Value::Okay,
            Value::Nil,
        ]);
        let expected = Reply::Array(vec![
            Reply::bulk("0"),
            Reply::bulks([b"k\xff"]),
            Reply::Integer(-2),
            Reply::Status("OK".into()),
            Reply::Nil,
        ]);
        assert_eq!(reply(value), expected);
    }

    #[test]
    fn refusals_are_told_apart() {
        let refused = |reason: &str| SshError::ChannelRefused {
            reason: reason.into(),
        };
        assert!(matches!(
            classify(refused("ConnectFailed")),
            OpenError::ConnectFailed(_)
        ));
        assert!(matches!(
            classify(refused("AdministrativelyProhibited")),
            OpenError::Refused(_)
        ));
    }
}
