//! Dialling, the host-key check and the live connection of one session.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use russh::client;
use russh::keys::{Algorithm, PublicKey, PublicKeyOrCertificate};
use tokio::net::TcpStream;
use tokio::sync::Semaphore;

use super::auth::{AuthOptions, authenticate};
use super::known_hosts::{self, HostKeyPolicy, Verdict};
use super::{SshError, Target};
use crate::secret::Secret;

/// Everything needed to open (and later reopen) a connection.
#[derive(Debug, Clone)]
pub struct ConnectOptions {
    pub target: Target,
    pub auth: AuthOptions,
    pub host_keys: HostKeyPolicy,
    pub connect_timeout: Duration,
    /// Interval of SSH keepalives; three unanswered ones mark the connection lost.
    pub keepalive: Duration,
    /// Most channels open at once (OpenSSH's MaxSessions defaults to 10).
    pub max_channels: usize,
}

/// State shared between the russh handler task and the session.
#[derive(Debug, Default)]
pub struct Link {
    /// Why the connection ended, once it has.
    lost: Mutex<Option<String>>,
    pub bytes_in: AtomicU64,
    pub bytes_out: AtomicU64,
    pub channels_open: AtomicU64,
    /// Woken whenever one of our channels closes (for waiters at the channel limit).
    pub channel_closed: tokio::sync::Notify,
}

impl Link {
    pub fn lost_reason(&self) -> Option<String> {
        self.lost.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    pub fn mark_lost(&self, reason: impl Into<String>) {
        let mut slot = self.lost.lock().unwrap_or_else(|p| p.into_inner());
        slot.get_or_insert_with(|| reason.into());
    }

    pub fn count_in(&self, n: usize) {
        self.bytes_in.fetch_add(n as u64, Ordering::Relaxed);
    }

    pub fn count_out(&self, n: usize) {
        self.bytes_out.fetch_add(n as u64, Ordering::Relaxed);
    }
}

/// russh's callbacks for one connection.
pub struct Client {
    host: String,
    port: u16,
    policy: HostKeyPolicy,
    verdict: Verdict,
    link: Arc<Link>,
    /// The key the server proved, for `session info`.
    seen_key: Arc<Mutex<Option<PublicKey>>>,
}

impl client::Handler for Client {
    type Error = russh::Error;

    async fn check_server_key(
        &mut self,
        offered: &PublicKeyOrCertificate,
    ) -> Result<bool, Self::Error> {
        let key = match offered {
            PublicKeyOrCertificate::PublicKey { key, .. } => key.clone(),
            // A certificate is checked as its plain key: no CA trust is configured here.
            PublicKeyOrCertificate::Certificate(cert) => {
                PublicKey::new(cert.public_key().clone(), "")
            }
        };
        *self.seen_key.lock().unwrap_or_else(|p| p.into_inner()) = Some(key.clone());
        Ok(known_hosts::check(
            &self.policy,
            &self.host,
            self.port,
            &key,
            &self.verdict,
        ))
    }

    async fn disconnected(
        &mut self,
        reason: client::DisconnectReason<Self::Error>,
    ) -> Result<(), Self::Error> {
        let text = match &reason {
            client::DisconnectReason::ReceivedDisconnect(info) => {
                format!("server disconnected: {}", info.message)
            }
            client::DisconnectReason::Error(e) => e.to_string(),
        };
        self.link.mark_lost(text);
        match reason {
            client::DisconnectReason::ReceivedDisconnect(_) => Ok(()),
            client::DisconnectReason::Error(e) => Err(e),
        }
    }
}

/// A live, authenticated connection.
pub struct Connection {
    pub(super) handle: client::Handle<Client>,
    pub(super) limiter: Arc<Semaphore>,
    pub link: Arc<Link>,
    /// The password auth used, if any; sudo defaults to it.
    pub password_used: Option<Secret>,
    pub host_key: PublicKey,
    pub auth_method: &'static str,
}

impl Connection {
    /// The reason the connection is gone, or `None` while it is alive.
    pub fn lost(&self) -> Option<String> {
        if let Some(reason) = self.link.lost_reason() {
            return Some(reason);
        }
        self.handle
            .is_closed()
            .then(|| "connection closed".to_string())
    }

    pub async fn close(&self) {
        let _ = self
            .handle
            .disconnect(russh::Disconnect::ByApplication, "session closed", "en")
            .await;
        self.link.mark_lost("closed");
    }
}

/// Dial, check the host key and authenticate.
pub async fn connect(options: &ConnectOptions) -> Result<Connection, SshError> {
    let target = &options.target;
    let stream = dial(target, options.connect_timeout).await?;
    let _ = stream.set_nodelay(true);

    let verdict = Verdict::default();
    let key_slot = Arc::new(Mutex::new(None));
    let link = Arc::new(Link::default());
    let handler = Client {
        host: target.host.clone(),
        port: target.port,
        policy: options.host_keys.clone(),
        verdict: verdict.clone(),
        link: link.clone(),
        seen_key: key_slot.clone(),
    };
    let config = Arc::new(client_config(options));

    let handshake = client::connect_stream(config, stream, handler);
    let handshake = tokio::time::timeout(options.connect_timeout, handshake).await;
    let mut handle = match handshake {
        Ok(Ok(handle)) => handle,
        Ok(Err(e)) => return Err(handshake_error(target, &verdict, e)),
        Err(_) => return Err(timeout_error(target, options.connect_timeout)),
    };
    let host_key = key_slot.lock().unwrap_or_else(|p| p.into_inner()).take();
    let host_key = host_key.ok_or_else(|| protocol(target, "no host key was offered"))?;

    let outcome = authenticate(&mut handle, target, &options.auth).await?;
    Ok(Connection {
        handle,
        limiter: Arc::new(Semaphore::new(options.max_channels.max(1))),
        link,
        password_used: outcome.password,
        host_key,
        auth_method: outcome.method,
    })
}

fn client_config(options: &ConnectOptions) -> client::Config {
    let mut preferred = russh::Preferred::default();
    if let Some(order) = host_key_order(options) {
        preferred.key = order.into();
    }
    client::Config {
        keepalive_interval: Some(options.keepalive),
        keepalive_max: 3,
        nodelay: true,
        window_size: 8 * 1024 * 1024,
        preferred,
        ..Default::default()
    }
}

/// The host key algorithms with the kinds already recorded for this host
/// first, as OpenSSH orders them: a host known by its RSA key must not be met
/// with its (unrecorded) ed25519 key and reported unknown.
fn host_key_order(options: &ConnectOptions) -> Option<Vec<Algorithm>> {
    let HostKeyPolicy::KnownHosts { path, .. } = &options.host_keys else {
        return None;
    };
    let (host, port) = (&options.target.host, options.target.port);
    let recorded = russh::keys::known_hosts::known_host_keys_path(host, port, path).ok()?;
    let is_recorded = |wanted: &Algorithm| {
        recorded
            .iter()
            .any(|(_, key)| match (key.algorithm(), wanted) {
                (Algorithm::Rsa { .. }, Algorithm::Rsa { .. }) => true,
                (kind, wanted) => kind == *wanted,
            })
    };
    let mut order = russh::Preferred::default().key.to_vec();
    // A stable sort keeps russh's order within each group.
    order.sort_by_key(|algorithm| !is_recorded(algorithm));
    Some(order)
}

async fn dial(target: &Target, limit: Duration) -> Result<TcpStream, SshError> {
    let host = &target.host;
    let port = target.port;
    let lookup = tokio::net::lookup_host((host.as_str(), port)).await;
    let addrs: Vec<_> = lookup
        .map_err(|e| SshError::Resolve {
            host: host.clone(),
            reason: e.to_string(),
        })?
        .collect();
    if addrs.is_empty() {
        return Err(SshError::Resolve {
            host: host.clone(),
            reason: "no addresses".into(),
        });
    }

    let attempt = tokio::time::timeout(limit, TcpStream::connect(&addrs[..])).await;
    match attempt {
        Ok(Ok(stream)) => Ok(stream),
        Ok(Err(e)) if e.kind() == std::io::ErrorKind::ConnectionRefused => Err(SshError::Refused {
            host: host.clone(),
            port,
        }),
        Ok(Err(e)) => Err(SshError::Connect {
            host: host.clone(),
            port,
            reason: e.to_string(),
        }),
        Err(_) => Err(timeout_error(target, limit)),
    }
}

fn handshake_error(target: &Target, verdict: &Verdict, error: russh::Error) -> SshError {
    if let Some(refusal) = verdict.lock().unwrap_or_else(|p| p.into_inner()).take() {
        return refusal;
    }
    protocol(target, &error.to_string())
}

fn timeout_error(target: &Target, limit: Duration) -> SshError {
    let (host, port, secs) = (target.host.clone(), target.port, limit.as_secs());
    SshError::ConnectTimeout { host, port, secs }
}

fn protocol(target: &Target, reason: &str) -> SshError {
    SshError::Protocol {
        host: target.host.clone(),
        reason: reason.to_string(),
    }
}
