//! Turning `session new` / `--host` arguments and config profiles into a
//! connection plus elevation, and doing it again on reconnect.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use tokio::sync::{Semaphore, SemaphorePermit};

use crate::cli::{ConnectArgs, SudoMode};
use crate::domain::tenant::SYSTEM_NAMESPACES;
use crate::elevate::{self, DetectInput, ElevateError, Elevator};
use crate::error::{Error, Result};
use crate::secret::Secret;
use crate::ssh::auth::AuthOptions;
use crate::ssh::{self, ConnectOptions, Connection, HostKeyPolicy, SshError, Target};
use crate::store::config::{Profile, expand_home};

/// Where each secret comes from; resolved again at every (re)connect so a
/// rotated password in the environment is picked up.
#[derive(Debug, Clone, Default)]
pub struct Credentials {
    pub password_env: Option<String>,
    pub password_file: Option<PathBuf>,
    pub sudo_password_env: Option<String>,
    pub sudo_password_file: Option<PathBuf>,
    /// A password handed over in memory (the embedded demo).
    pub password: Option<Secret>,
    /// The variable holding the tenants' Redis password (`AUTH`), if they need one.
    pub redis_password_env: Option<String>,
}

impl Credentials {
    fn ssh_password(&self) -> Result<Option<Secret>> {
        read_secret(&self.password, &self.password_env, &self.password_file)
    }

    fn sudo_password(&self) -> Result<Option<Secret>> {
        read_secret(&None, &self.sudo_password_env, &self.sudo_password_file)
    }
}

fn read_secret(
    direct: &Option<Secret>,
    env: &Option<String>,
    file: &Option<PathBuf>,
) -> Result<Option<Secret>> {
    let found = match (direct, env, file) {
        (Some(secret), _, _) => Ok(secret.clone()),
        (None, Some(var), _) => Secret::from_env(var),
        (None, None, Some(path)) => Secret::from_file(&expand_home(path)),
        (None, None, None) => return Ok(None),
    };
    found.map(Some).map_err(|e| SshError::Credentials(e).into())
}

/// Everything needed to open a session, and to reopen it.
#[derive(Debug, Clone)]
pub struct OpenRequest {
    pub target: Target,
    pub identity: Option<PathBuf>,
    pub credentials: Credentials,
    pub sudo: SudoMode,
    pub host_keys: HostKeyPolicy,
    pub max_channels: usize,
    pub keepalive: Duration,
    pub may_prompt: bool,
    pub excluded: Vec<String>,
    pub log_root: String,
    pub timeout: Duration,
}

pub const DEFAULT_LOG_ROOT: &str = "/var/log/versa/vms";

impl OpenRequest {
    /// Combine a typed target (or the profile's), the profile and the flags;
    /// flags win over the profile.
    pub fn resolve(
        target_text: Option<&str>,
        profile: Option<&Profile>,
        args: &ConnectArgs,
        may_prompt: bool,
        timeout: Duration,
    ) -> Result<OpenRequest> {
        let profile = profile.cloned().unwrap_or_default();
        let text = target_text
            .map(str::to_string)
            .or(profile.host.clone())
            .ok_or_else(|| {
                Error::failed("no host given and no profile of that name (give [USER@]HOST[:PORT])")
            })?;
        // Typed values win, then the profile, then ~/.ssh/config, as with ssh.
        let (user, host, port) = Target::parse_parts(&text).map_err(Error::Usage)?;
        let alias = crate::store::ssh_config::lookup(&host);
        let target = Target {
            user: user
                .or(profile.user.clone())
                .or(alias.user)
                .unwrap_or_else(Target::local_user),
            host: alias.host_name.unwrap_or(host),
            port: port.or(profile.port).or(alias.port).unwrap_or(22),
        };
        let identity = args
            .identity
            .clone()
            .or(profile.identity.clone())
            .or(alias.identity);

        let credentials = Credentials {
            password_env: args.password_env.clone().or(profile.password_env.clone()),
            password_file: args.password_file.clone(),
            sudo_password_env: args
                .sudo_password_env
                .clone()
                .or(profile.sudo_password_env.clone()),
            sudo_password_file: args.sudo_password_file.clone(),
            password: None,
            redis_password_env: args
                .redis_password_env
                .clone()
                .or(profile.redis_password_env.clone()),
        };
        let known_hosts = HostKeyPolicy::KnownHosts {
            path: HostKeyPolicy::default_path(),
            accept_new: args.accept_new_host_key,
            may_ask: may_prompt,
        };
        let excluded = profile
            .excluded_namespaces
            .clone()
            .unwrap_or_else(|| SYSTEM_NAMESPACES.iter().map(|s| s.to_string()).collect());
        Ok(OpenRequest {
            target,
            identity: identity.map(|p| expand_home(&p)),
            credentials,
            sudo: args.sudo.or(profile.sudo).unwrap_or_default(),
            host_keys: known_hosts,
            max_channels: args.max_channels.unwrap_or(DEFAULT_MAX_CHANNELS),
            keepalive: args.keepalive.map_or(KEEPALIVE, Duration::from_secs),
            may_prompt,
            excluded,
            log_root: profile
                .log_root
                .clone()
                .unwrap_or_else(|| DEFAULT_LOG_ROOT.into()),
            timeout,
        })
    }

    pub fn connect_options(&self) -> Result<ConnectOptions> {
        let auth = AuthOptions {
            identity: self.identity.clone(),
            password: self.credentials.ssh_password()?,
            may_prompt: self.may_prompt,
            use_agent: true,
        };
        Ok(ConnectOptions {
            target: self.target.clone(),
            auth,
            host_keys: self.host_keys.clone(),
            connect_timeout: CONNECT_TIMEOUT,
            keepalive: self.keepalive.max(Duration::from_secs(1)),
            max_channels: self.max_channels,
        })
    }

    /// Connect and elevate. A wrong sudo password still gives a connection
    /// (unelevated) together with the error to report.
    pub async fn open(&self) -> Result<(Connection, Elevator, Option<ElevateError>)> {
        let options = self.connect_options()?;
        let conn = ssh::connect(&options).await?;
        let (elevator, problem) = self.elevate(&conn).await?;
        Ok((conn, elevator, problem))
    }

    /// [`OpenRequest::open`] beside other opens: at most [`HANDSHAKES_AT_ONCE`]
    /// connections between TCP connect and authenticated, so a default sshd
    /// (`MaxStartups 10:30:100`) does not drop any, and a connection the server
    /// closes during the handshake anyway is tried again.
    pub async fn open_gated(
        &self,
        gate: &ConnectGate,
    ) -> Result<(Connection, Elevator, Option<ElevateError>)> {
        let options = self.connect_options()?;
        let conn = gate.connect(&options).await?;
        let (elevator, problem) = self.elevate(&conn).await?;
        Ok((conn, elevator, problem))
    }

    pub async fn elevate(&self, conn: &Connection) -> Result<(Elevator, Option<ElevateError>)> {
        let password = self
            .credentials
            .sudo_password()?
            .or_else(|| conn.password_used.clone());
        let input = DetectInput {
            user: &self.target.user,
            mode: self.sudo,
            password,
            may_prompt: self.may_prompt,
            host: &self.target.host,
        };
        Ok(elevate::detect(conn, input).await)
    }
}

/// Bounds the SSH handshakes of concurrent opens: [`HANDSHAKES_AT_ONCE`]
/// until the server drops one, then [`HANDSHAKES_AFTER_DROP`].
pub struct ConnectGate {
    handshakes: Semaphore,
    /// Whether a drop has been seen and the bound lowered.
    narrowed: AtomicBool,
    /// Permits still to withdraw after lowering the bound: a finishing
    /// handshake keeps its permit out of circulation while this is above zero.
    withdraw: AtomicUsize,
}

/// Handshakes at once while the server keeps up. OpenSSH's default
/// `MaxStartups 10:30:100` drops some new connections past 10 unauthenticated
/// ones; a dropped handshake is retried and lowers the bound for the rest.
pub const HANDSHAKES_AT_ONCE: usize = 16;

/// The bound after a drop: below `MaxStartups`' 10, with room for the moment
/// between our authentication and sshd counting the connection as done (at 8
/// a default sshd still dropped one or two in fifty).
pub const HANDSHAKES_AFTER_DROP: usize = 6;

/// A closed connection during the handshake is retried this often, waiting
/// [`RETRY_PAUSE`] times the attempt number before each try.
const HANDSHAKE_RETRIES: u32 = 3;
const RETRY_PAUSE: Duration = Duration::from_millis(150);

impl Default for ConnectGate {
    fn default() -> Self {
        ConnectGate {
            handshakes: Semaphore::new(HANDSHAKES_AT_ONCE),
            narrowed: AtomicBool::new(false),
            withdraw: AtomicUsize::new(0),
        }
    }
}

impl ConnectGate {
    async fn connect(&self, options: &ConnectOptions) -> Result<Connection> {
        // The semaphore is never closed, so acquiring cannot fail.
        let permit = self.handshakes.acquire().await.ok();
        let mut attempt = 0;
        loop {
            match ssh::connect(options).await {
                Err(e) if attempt < HANDSHAKE_RETRIES && dropped_early(&e) => {
                    attempt += 1;
                    tracing::debug!(host = %options.target.host, attempt, "retrying: {e}");
                    self.narrow();
                    tokio::time::sleep(RETRY_PAUSE * attempt).await;
                }
                done => {
                    self.release(permit);
                    return done.map_err(Error::from);
                }
            }
        }
    }

    /// Lower the bound to [`HANDSHAKES_AFTER_DROP`], once.
    fn narrow(&self) {
        if self.narrowed.swap(true, Ordering::SeqCst) {
            return;
        }
        let excess = HANDSHAKES_AT_ONCE - HANDSHAKES_AFTER_DROP;
        let gone = self.handshakes.forget_permits(excess);
        self.withdraw.store(excess - gone, Ordering::SeqCst);
    }

    /// Give a permit back, or keep it out while the bound is being lowered.
    fn release(&self, permit: Option<SemaphorePermit<'_>>) {
        let Some(permit) = permit else {
            return;
        };
        let withdrawn = self
            .withdraw
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1));
        if withdrawn.is_ok() {
            permit.forget();
        }
    }
}

/// Whether a handshake with `policy` may write the known-hosts file. Script
/// batches keep such opens out (they run one by one), as they do opens that
/// may prompt.
pub(crate) fn records_new_keys(policy: &HostKeyPolicy) -> bool {
    matches!(
        policy,
        HostKeyPolicy::KnownHosts {
            accept_new: true,
            ..
        } | HostKeyPolicy::KnownHosts { may_ask: true, .. }
    )
}

/// Whether the server hung up before authentication the way sshd does past
/// `MaxStartups` (it closes the socket before or during the key exchange).
// Known gap: every protocol error in the handshake counts as a drop, so a real
// one (no common algorithm) is reported after three retries (~0.9 s); telling
// them apart needs russh to say whether the server's banner had arrived.
fn dropped_early(error: &SshError) -> bool {
    matches!(
        error,
        SshError::Protocol { .. } | SshError::Connect { .. } | SshError::Lost { .. }
    )
}

/// OpenSSH's MaxSessions default is 10; stay under it.
pub const DEFAULT_MAX_CHANNELS: usize = 8;
const CONNECT_TIMEOUT: Duration = Duration::from_secs(15);
pub const KEEPALIVE: Duration = Duration::from_secs(15);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_handshakes_the_server_hung_up_on_are_retried() {
        let host = "h".to_string();
        let dropped = SshError::Protocol {
            host: host.clone(),
            reason: "Disconnected".into(),
        };
        assert!(dropped_early(&dropped));
        let refused = SshError::Refused { host, port: 22 };
        assert!(!dropped_early(&refused));
        let auth = SshError::Auth {
            user: "u".into(),
            host: "h".into(),
            tried: "publickey".into(),
        };
        assert!(!dropped_early(&auth));
    }

    #[test]
    fn handshakes_that_may_record_a_host_key_are_recognised() {
        let policy = |accept_new, may_ask| HostKeyPolicy::KnownHosts {
            path: PathBuf::from("kh"),
            accept_new,
            may_ask,
        };
        assert!(!records_new_keys(&policy(false, false)));
        assert!(records_new_keys(&policy(true, false)));
        assert!(records_new_keys(&policy(false, true)));
    }

    /// After handshakes holding `held` permits finish, how many may run at once.
    fn bound_after_drop(held: usize) -> usize {
        let gate = ConnectGate::default();
        let permits: Vec<_> = (0..held)
            .map(|_| gate.handshakes.try_acquire().ok())
            .collect();
        gate.narrow();
        gate.narrow();
        for permit in permits {
            gate.release(permit);
        }
        gate.handshakes.available_permits()
    }

    #[test]
    fn a_dropped_handshake_lowers_the_bound_once_whatever_is_in_flight() {
        assert_eq!(
            ConnectGate::default().handshakes.available_permits(),
            HANDSHAKES_AT_ONCE
        );
        for held in [0, 4, 10, 14, 16] {
            assert_eq!(
                bound_after_drop(held),
                HANDSHAKES_AFTER_DROP,
                "{held} in flight"
            );
        }
    }
}
