//! Named sessions: each owns one connection, its elevation state, its tenant
//! database, its selected tenant and its counters. Nothing is shared between
//! sessions, so a failure in one never touches another.

pub mod open;
pub mod registry;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use time::OffsetDateTime;

pub use open::{Credentials, OpenRequest};
pub use registry::Registry;

use crate::domain::tenant::TenantDb;
use crate::elevate::{ElevateError, Elevator};
use crate::error::{Error, Result};
use crate::ssh::exec::{Collect, ExecError};
use crate::ssh::{Connection, ExecOutcome, OutputSink, RemoteCommand, SshError, Target};

pub struct Session {
    pub name: String,
    pub target: Target,
    /// How to reconnect: same options, same credential sources.
    pub(crate) request: OpenRequest,
    conn: RwLock<Arc<Connection>>,
    elevator: RwLock<Elevator>,
    pub tenants: Mutex<Option<TenantDb>>,
    pub selected: Mutex<Option<String>>,
    pub stats: Stats,
    /// Namespaces that are never tenants for this session.
    pub excluded: Vec<String>,
    /// Open Redis tunnels per tenant, and whether this connection refuses forwarding.
    pub redis: crate::domain::redis::Pool,
    /// Names seen by the last `logs scan` and `redis keys`, for completion.
    pub seen: Mutex<Seen>,
}

#[derive(Debug)]
pub struct Stats {
    pub commands: AtomicU64,
    pub failures: AtomicU64,
    pub builds: AtomicU64,
    pub connected_since: Mutex<OffsetDateTime>,
    pub last_activity: Mutex<Instant>,
}

impl Default for Stats {
    fn default() -> Self {
        Stats {
            commands: AtomicU64::new(0),
            failures: AtomicU64::new(0),
            builds: AtomicU64::new(0),
            connected_since: Mutex::new(OffsetDateTime::now_utc()),
            last_activity: Mutex::new(Instant::now()),
        }
    }
}

/// Names a session has seen, kept only to offer them in completion.
#[derive(Debug, Default, Clone)]
pub struct Seen {
    pub log_files: Vec<String>,
    pub redis_keys: Vec<String>,
}

/// Locks here guard plain data and are never held across an await, so a
/// poisoned lock only means another thread panicked mid-update: keep going.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Session {
    pub(crate) fn new(
        name: String,
        request: OpenRequest,
        conn: Connection,
        elevator: Elevator,
    ) -> Session {
        Session {
            name,
            target: request.target.clone(),
            excluded: request.excluded.clone(),
            redis: crate::domain::redis::Pool::default(),
            seen: Mutex::default(),
            request,
            conn: RwLock::new(Arc::new(conn)),
            elevator: RwLock::new(elevator),
            tenants: Mutex::new(None),
            selected: Mutex::new(None),
            stats: Stats::default(),
        }
    }

    pub fn connection(&self) -> Arc<Connection> {
        self.conn.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    pub fn elevator(&self) -> Elevator {
        self.elevator
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    pub(crate) fn replace(&self, conn: Connection, elevator: Elevator) {
        *self.conn.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(conn);
        *self.elevator.write().unwrap_or_else(|p| p.into_inner()) = elevator;
        *lock(&self.stats.connected_since) = OffsetDateTime::now_utc();
    }

    pub(crate) fn set_elevator(&self, elevator: Elevator) {
        *self.elevator.write().unwrap_or_else(|p| p.into_inner()) = elevator;
    }

    pub fn lost(&self) -> Option<String> {
        self.connection().lost()
    }

    pub fn selected(&self) -> Option<String> {
        lock(&self.selected).clone()
    }

    pub fn select(&self, tenant: Option<String>) {
        *lock(&self.selected) = tenant;
    }

    pub fn tenant_db(&self) -> Option<TenantDb> {
        lock(&self.tenants).clone()
    }

    pub fn set_tenant_db(&self, db: TenantDb) {
        *lock(&self.tenants) = Some(db);
    }

    pub fn touch(&self, ok: bool) {
        self.stats.commands.fetch_add(1, Ordering::Relaxed);
        if !ok {
            self.stats.failures.fetch_add(1, Ordering::Relaxed);
        }
        *lock(&self.stats.last_activity) = Instant::now();
    }

    pub fn idle_for(&self) -> Duration {
        lock(&self.stats.last_activity).elapsed()
    }

    pub fn connected_since(&self) -> OffsetDateTime {
        *lock(&self.stats.connected_since)
    }

    /// Run `inner` as root, streaming into `sink`.
    pub async fn run_elevated(
        &self,
        inner: &str,
        sink: &mut dyn OutputSink,
        limit: Option<Duration>,
    ) -> Result<ExecOutcome> {
        let command = self.elevator().wrap(inner)?;
        self.run(&command, sink, limit).await
    }

    /// Run `inner` as root when the session is elevated, else as the login
    /// user: with `--sudo none` (or after a failed elevation) the host's own
    /// answer, e.g. "Permission denied", beats refusing to run at all.
    pub async fn run_as_root_or_user(
        &self,
        inner: &str,
        sink: &mut dyn OutputSink,
        limit: Option<Duration>,
    ) -> Result<ExecOutcome> {
        match self.elevator().is_elevated() {
            true => self.run_elevated(inner, sink, limit).await,
            false => self.run_plain(inner, sink, limit).await,
        }
    }

    /// Why the session is not root, or `None` when it is.
    pub fn unelevated_reason(&self) -> Option<String> {
        match self.elevator().state {
            crate::elevate::Elevation::Unelevated(why) => Some(why),
            _ => None,
        }
    }

    /// Run `inner` as the login user.
    pub async fn run_plain(
        &self,
        inner: &str,
        sink: &mut dyn OutputSink,
        limit: Option<Duration>,
    ) -> Result<ExecOutcome> {
        let command = RemoteCommand {
            line: inner.to_string(),
            ..Default::default()
        };
        self.run(&command, sink, limit).await
    }

    /// Run `inner` as root and collect its output; a non-zero exit is an error
    /// carrying the first line of stderr.
    pub async fn capture_elevated(&self, inner: &str, limit: Option<Duration>) -> Result<Vec<u8>> {
        let mut out = Collect::default();
        let outcome = self.run_elevated(inner, &mut out, limit).await?;
        if outcome.success() {
            return Ok(out.stdout);
        }
        Err(remote_failure(inner, &outcome, &out.stderr))
    }

    /// Run a prepared command (e.g. with stdin) as the login user or as built.
    pub async fn run(
        &self,
        command: &RemoteCommand,
        sink: &mut dyn OutputSink,
        limit: Option<Duration>,
    ) -> Result<ExecOutcome> {
        let conn = self.connection();
        if let Some(reason) = conn.lost() {
            return Err(SshError::Lost { reason }.into());
        }
        let mut stopper = command
            .cancel_marker
            .as_ref()
            .map(|marker| Stopper::new(conn.clone(), self.elevator(), marker));
        let result = conn.run(command, sink, limit).await;
        match (&result, stopper.take()) {
            // Still running on the host: stop it before reporting the timeout.
            (Err(ExecError::TimedOut(_)), Some(stopper)) => stopper.stop().await,
            (_, Some(stopper)) => stopper.disarm(),
            (_, None) => {}
        }
        match result {
            Ok(outcome) => Ok(outcome),
            Err(ExecError::TimedOut(limit)) => Err(Error::TimedOut(limit)),
            Err(ExecError::PromptRepeated) => {
                let why = crate::elevate::WRONG_PASSWORD.to_string();
                self.set_elevator(Elevator::new(crate::elevate::Elevation::Unelevated(why)));
                Err(ElevateError::WrongPassword.into())
            }
            Err(ExecError::NoAnswer) => Err(ElevateError::NotElevated {
                reason: "sudo asked for a password and none was given".into(),
            }
            .into()),
            Err(ExecError::Ssh(e)) => Err(e.into()),
            Err(e @ ExecError::TooLong(_)) => Err(Error::Usage(e.to_string())),
        }
    }
}

/// Stops a cancelled elevated command on the host. Closing its channel is not
/// enough: OpenSSH signals only the session's first process (sudo), which
/// relays to its child alone, so whatever that child started (a `sleep`, each
/// side of a pipe) would run on as root. Every one of them inherited the
/// command's [`RemoteCommand::cancel_marker`]; as root, the processes whose
/// environment holds it get SIGTERM. Dropped while armed (Ctrl-C ended the
/// command), it does that in the background.
/// Armed for every elevated command; the stop line is only built when one is
/// actually cancelled, so the common path costs nothing but the clone.
struct Stopper {
    conn: Option<Arc<Connection>>,
    elevator: Elevator,
    marker: String,
}

impl Stopper {
    fn new(conn: Arc<Connection>, elevator: Elevator, marker: &str) -> Stopper {
        Stopper {
            conn: Some(conn),
            elevator,
            marker: marker.to_string(),
        }
    }

    /// As root, TERM every process whose environment holds the marker.
    fn command(&self) -> Option<RemoteCommand> {
        let marker = &self.marker;
        let script = format!(
            "for f in /proc/[0-9]*/environ; do \
             grep -qaF -e '{marker}' \"$f\" 2>/dev/null && {{ p=${{f%/environ}}; kill -TERM \"${{p#/proc/}}\"; }}; \
             done; true"
        );
        self.elevator.wrap(&script).ok()
    }

    fn disarm(mut self) {
        self.conn = None;
    }

    async fn stop(mut self) {
        if let (Some(conn), Some(command)) = (self.conn.take(), self.command()) {
            run_stop(conn, command).await;
        }
    }
}

impl Drop for Stopper {
    fn drop(&mut self) {
        let Some(conn) = self.conn.take() else {
            return;
        };
        let (Some(command), Ok(runtime)) = (self.command(), tokio::runtime::Handle::try_current())
        else {
            return;
        };
        let task = runtime.spawn(run_stop(conn, command));
        lock(&PENDING_STOPS).push(task);
    }
}

/// Stops started in the background, which the process must not outlive.
static PENDING_STOPS: Mutex<Vec<tokio::task::JoinHandle<()>>> = Mutex::new(Vec::new());

/// Waits for background stops of cancelled commands (each bounded by its own
/// time limit); called before the connections close at exit.
pub async fn finish_stops() {
    let tasks = std::mem::take(&mut *lock(&PENDING_STOPS));
    for task in tasks {
        let _ = task.await;
    }
}

/// Best effort: the command may have ended meanwhile, and then nothing matches.
async fn run_stop(conn: Arc<Connection>, command: RemoteCommand) {
    let mut out = Collect::default();
    let _ = conn.run(&command, &mut out, Some(STOP_LIMIT)).await;
}

const STOP_LIMIT: Duration = Duration::from_secs(5);

/// The text kubectl prints when it has no kubeconfig, i.e. when not run as root on a VMS.
pub const KUBECTL_UNELEVATED: &str = "The connection to the server localhost:8080 was refused";

/// Turn a failed remote command into one line an operator can act on.
pub fn remote_failure(inner: &str, outcome: &ExecOutcome, stderr: &[u8]) -> Error {
    let stderr = String::from_utf8_lossy(stderr);
    if stderr.contains(KUBECTL_UNELEVATED) {
        return ElevateError::KubectlUnelevated.into();
    }
    // `sudo -n` refusing: the session was told NOPASSWD and the host disagrees.
    if stderr.starts_with("sudo: a password is required") {
        let reason = "sudo wants a password on this host (it was opened with --sudo nopasswd; \
                      reopen with --sudo auto, or give --sudo-password-env)";
        return ElevateError::NotElevated {
            reason: reason.into(),
        }
        .into();
    }
    let first = stderr.lines().map(str::trim).find(|l| !l.is_empty());
    let how = match (&outcome.status, &outcome.signal) {
        (Some(code), _) => format!("exited with status {code}"),
        (None, Some(signal)) => format!("was killed by signal {signal}"),
        (None, None) => "ended without a status".into(),
    };
    let program = inner
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ");
    match first {
        Some(line) => Error::failed(format!("'{program}' {how}: {line}")),
        None => Error::failed(format!("'{program}' {how}")),
    }
}
