//! [`Client`]: one command's way to a tenant's Redis, native or through redis-cli, and
//! [`Pool`], the session's memory of open tunnels and of a refusal to forward.
//!
//! Choosing the path: a session whose current SSH connection has refused forwarding
//! goes straight to redis-cli; otherwise a healthy pooled tunnel for the tenant is
//! reused, or a new one opened. A refused channel switches the session to redis-cli
//! and says so once (at `-v`). A tunnel that breaks mid-command (the SSH connection
//! was replaced, the Redis restarted) is dropped and opened again, once.
//!
//! Replies are checked here, the same way for both paths: the `AUTH` answer is
//! consumed, and an error reply becomes a [`RedisError`] (`NOAUTH`, `WRONGPASS`, or
//! the server's message), so callers only ever see data.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use redis_text::Reply;

use super::native::{Native, OpenError};
use super::{Args, Caller, RedisError, RedisTarget, args, fallback, replies};
use crate::secret::Secret;
use crate::session::Session;
use crate::ssh::Connection;

/// How a client reaches its Redis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Path {
    /// RESP over a `direct-tcpip` channel.
    Native,
    /// `redis-cli --no-raw` run on the host.
    RedisCli,
}

impl Path {
    pub fn name(self) -> &'static str {
        match self {
            Path::Native => "native",
            Path::RedisCli => "redis-cli",
        }
    }
}

/// Per-session Redis state: open tunnels by tenant, and whether the current SSH
/// connection refuses forwarding. Locks are never held across an await.
#[derive(Default)]
pub struct Pool {
    state: Mutex<PoolState>,
}

#[derive(Default)]
struct PoolState {
    /// Each tunnel with the password it sent `AUTH` with.
    tunnels: HashMap<String, (Native, Option<Secret>)>,
    /// The connection that refused forwarding; a reconnect tries forwarding again.
    refused_on: Option<Weak<Connection>>,
    /// Whether the switch to redis-cli was already announced in this session.
    announced: bool,
}

impl Pool {
    fn lock(&self) -> std::sync::MutexGuard<'_, PoolState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The tenant's tunnel, if it is still usable on `ssh` and authenticated with
    /// `password`; any other is dropped.
    fn tunnel(
        &self,
        tenant: &str,
        ssh: &Arc<Connection>,
        target: &RedisTarget,
        password: Option<&Secret>,
    ) -> Option<Native> {
        let mut state = self.lock();
        let (native, auth) = state.tunnels.get(tenant)?;
        if native.usable(ssh, target.addr) && auth.as_ref() == password {
            return Some(native.clone());
        }
        state.tunnels.remove(tenant);
        None
    }

    fn keep(&self, tenant: &str, native: Native, password: Option<Secret>) {
        let entry = (native, password);
        self.lock().tunnels.insert(tenant.to_string(), entry);
    }

    fn forget(&self, tenant: &str) {
        self.lock().tunnels.remove(tenant);
    }

    fn refuses_forwarding(&self, ssh: &Arc<Connection>) -> bool {
        let state = self.lock();
        let refused = state.refused_on.as_ref().and_then(Weak::upgrade);
        refused.is_some_and(|c| Arc::ptr_eq(&c, ssh))
    }

    /// Record a refusal on `ssh`; true when this session has not announced one yet.
    fn refused(&self, ssh: &Arc<Connection>) -> bool {
        let mut state = self.lock();
        state.refused_on = Some(Arc::downgrade(ssh));
        state.tunnels.clear();
        !std::mem::replace(&mut state.announced, true)
    }
}

enum Link {
    Native(Native),
    RedisCli,
}

/// One command's connection to a tenant's Redis.
pub struct Client<'s> {
    session: &'s Session,
    target: RedisTarget,
    password: Option<Secret>,
    limit: Option<Duration>,
    link: Link,
}

impl<'s> Client<'s> {
    /// Reach `target` from `session`; `limit` bounds each round trip.
    pub async fn connect(
        session: &'s Session,
        target: RedisTarget,
        password: Option<Secret>,
        limit: Option<Duration>,
    ) -> Result<Client<'s>, RedisError> {
        let mut client = Client {
            session,
            target,
            password,
            limit,
            link: Link::RedisCli,
        };
        client.link = client.open_link().await?;
        Ok(client)
    }

    /// The path this client uses.
    pub fn path(&self) -> Path {
        match self.link {
            Link::Native(_) => Path::Native,
            Link::RedisCli => Path::RedisCli,
        }
    }

    pub fn target(&self) -> &RedisTarget {
        &self.target
    }

    async fn open_link(&self) -> Result<Link, RedisError> {
        let ssh = self.session.connection();
        let pool = &self.session.redis;
        let tenant = &self.target.tenant;
        if pool.refuses_forwarding(&ssh) {
            return Ok(Link::RedisCli);
        }
        let password = self.password.as_ref();
        if let Some(native) = pool.tunnel(tenant, &ssh, &self.target, password) {
            return Ok(Link::Native(native));
        }

        let opened = self.bounded(Native::open(&ssh, self.target.addr)).await?;
        match opened {
            Ok(mut native) => {
                self.authenticate(&mut native).await?;
                tracing::debug!(tenant, addr = %self.target.addr, "opened a Redis tunnel");
                pool.keep(tenant, native.clone(), self.password.clone());
                Ok(Link::Native(native))
            }
            Err(OpenError::Refused(reason)) => {
                self.announce(&ssh, &reason);
                Ok(Link::RedisCli)
            }
            // Untested end to end: neither the simulator nor the CI host has a Redis
            // service address with nothing listening behind it.
            Err(OpenError::ConnectFailed(_)) => Err(RedisError::Unreachable {
                target: self.target.clone(),
                reason: "nothing accepts connections there".into(),
            }),
            Err(OpenError::Ssh(e)) => Err(crate::error::Error::from(e).into()),
            Err(OpenError::Handshake(reason)) => Err(RedisError::Tunnel {
                target: self.target.clone(),
                reason,
            }),
        }
    }

    fn announce(&self, ssh: &Arc<Connection>, reason: &str) {
        if self.session.redis.refused(ssh) {
            tracing::info!(
                session = %self.session.name,
                tenant = %self.target.tenant,
                addr = %self.target.addr,
                reason,
                "the SSH server refuses forwarding; Redis commands run through redis-cli \
                 on the host from now on"
            );
        }
    }

    /// Send `AUTH` on a new tunnel when a password is set.
    async fn authenticate(&self, native: &mut Native) -> Result<(), RedisError> {
        let Some(password) = &self.password else {
            return Ok(());
        };
        let auth = args([b"AUTH", password.expose().as_bytes()]);
        let mut answers = self.native_call(native, &[auth]).await?;
        check_auth(&self.target, answers.pop())
    }

    /// Run a future under the round-trip limit.
    async fn bounded<T>(&self, work: impl Future<Output = T>) -> Result<T, RedisError> {
        let Some(limit) = self.limit else {
            return Ok(work.await);
        };
        tokio::time::timeout(limit, work)
            .await
            .map_err(|_| RedisError::Timeout {
                target: self.target.clone(),
                limit,
            })
    }

    async fn native_call(
        &self,
        native: &mut Native,
        commands: &[Args],
    ) -> Result<Vec<Reply>, RedisError> {
        let sent = self.bounded(native.call(commands)).await;
        let result = sent.inspect_err(|_| self.session.redis.forget(&self.target.tenant))?;
        result.map_err(|e| {
            self.session.redis.forget(&self.target.tenant);
            RedisError::Tunnel {
                target: self.target.clone(),
                reason: e.to_string(),
            }
        })
    }

    /// One attempt on the current link; the replies as the server gave them.
    async fn attempt(&mut self, commands: &[Args]) -> Result<Vec<Reply>, RedisError> {
        let mut link = std::mem::replace(&mut self.link, Link::RedisCli);
        let result = match &mut link {
            Link::Native(native) => self.native_call(native, commands).await,
            Link::RedisCli => self.redis_cli_call(commands).await,
        };
        self.link = link;
        result
    }

    async fn redis_cli_call(&self, commands: &[Args]) -> Result<Vec<Reply>, RedisError> {
        let password = self.password.as_ref();
        let mut answers =
            fallback::call(self.session, &self.target, password, commands, self.limit).await?;
        if password.is_some() {
            let auth = (!answers.is_empty()).then(|| answers.remove(0));
            check_auth(&self.target, auth)?;
        }
        Ok(answers)
    }

    /// `INFO [SECTION]`: the server's report, as its bytes.
    pub async fn info(&mut self, section: Option<&[u8]>) -> Result<Vec<u8>, RedisError> {
        if let Link::Native(_) = self.link {
            let mut command = args([b"INFO"]);
            command.extend(section.map(<[u8]>::to_vec));
            let reply = super::call_one(self, command).await?;
            return replies::bulk(reply, "INFO");
        }
        let password = self.password.as_ref();
        let (mut answers, report) =
            fallback::info(self.session, &self.target, password, section, self.limit).await?;
        if password.is_some() {
            check_auth(&self.target, Some(answers.remove(0)))?;
        }
        check_errors(&self.target, &answers)?;
        Ok(report)
    }
}

impl Caller for Client<'_> {
    async fn call(&mut self, commands: Vec<Args>) -> Result<Vec<Reply>, RedisError> {
        let replies = match self.attempt(&commands).await {
            // The tunnel broke (SSH reconnected, Redis restarted): a fresh one, once.
            Err(RedisError::Tunnel { reason, .. }) => {
                tracing::debug!(tenant = %self.target.tenant, reason, "reopening the Redis tunnel");
                self.link = self.open_link().await?;
                self.attempt(&commands).await?
            }
            other => other?,
        };
        check_errors(&self.target, &replies)?;
        Ok(replies)
    }
}

/// The answer to `AUTH`. A server that has no password says so in an error, which is
/// harmless: the session's one Redis password need not fit every tenant.
fn check_auth(target: &RedisTarget, answer: Option<Reply>) -> Result<(), RedisError> {
    match answer {
        Some(Reply::Status(_)) => Ok(()),
        Some(Reply::Error(message)) if no_password_set(&message) => Ok(()),
        Some(Reply::Error(message)) if is_wrong_password(&message) => {
            Err(RedisError::WrongPassword {
                tenant: target.tenant.clone(),
            })
        }
        Some(Reply::Error(message)) => Err(server_error(target, message)),
        Some(other) => Err(replies::unexpected("AUTH", &other)),
        None => Err(RedisError::Output("no answer to AUTH".into())),
    }
}

/// Redis 6 and later: "ERR AUTH <password> called without any password configured
/// for the default user"; Redis 5: "ERR Client sent AUTH, but no password is set".
fn no_password_set(message: &str) -> bool {
    message.contains("without any password configured") || message.contains("no password is set")
}

/// Redis 6 and later: `WRONGPASS`; Redis 5: "ERR invalid password".
fn is_wrong_password(message: &str) -> bool {
    message.starts_with("WRONGPASS") || message.contains("invalid password")
}

/// Turn the first error reply into an error.
fn check_errors(target: &RedisTarget, answers: &[Reply]) -> Result<(), RedisError> {
    let first_error = answers.iter().find_map(|reply| match reply {
        Reply::Error(message) => Some(message.clone()),
        _ => None,
    });
    match first_error {
        Some(message) => Err(server_error(target, message)),
        None => Ok(()),
    }
}

fn server_error(target: &RedisTarget, message: String) -> RedisError {
    let tenant = target.tenant.clone();
    if message.starts_with("NOAUTH") {
        return RedisError::NoAuth { tenant };
    }
    if is_wrong_password(&message) {
        return RedisError::WrongPassword { tenant };
    }
    RedisError::Server { tenant, message }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target() -> RedisTarget {
        RedisTarget {
            tenant: "acme".into(),
            addr: "127.10.0.11:6379".parse().unwrap(),
        }
    }

    fn error(text: &str) -> Option<Reply> {
        Some(Reply::Error(text.into()))
    }

    #[test]
    fn auth_answers() {
        let t = target();
        assert!(check_auth(&t, Some(Reply::Status("OK".into()))).is_ok());
        let unneeded = "ERR AUTH <password> called without any password configured for the \
                        default user. Are you sure your configuration is correct?";
        assert!(check_auth(&t, error(unneeded)).is_ok());
        let wrong = "WRONGPASS invalid username-password pair or user is disabled.";
        assert!(matches!(
            check_auth(&t, error(wrong)),
            Err(RedisError::WrongPassword { .. })
        ));
        assert!(matches!(
            check_auth(&t, error("ERR invalid password")),
            Err(RedisError::WrongPassword { .. })
        ));
    }

    #[test]
    fn error_replies_fail_the_call() {
        let t = target();
        let answers = [
            Reply::bulk("v"),
            Reply::Error("NOAUTH Authentication required.".into()),
        ];
        let err = check_errors(&t, &answers).unwrap_err();
        assert!(err.to_string().contains("--redis-password-env"), "{err}");
        let wrongtype = "WRONGTYPE Operation against a key holding the wrong kind of value";
        let err = check_errors(&t, &[Reply::Error(wrongtype.into())]).unwrap_err();
        assert!(matches!(err.for_key(b"k"), RedisError::Changed { .. }));
        assert!(check_errors(&t, &[Reply::Nil, Reply::Integer(1)]).is_ok());
    }
}
