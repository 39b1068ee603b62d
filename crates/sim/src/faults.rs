//! Faults a test can switch on and off while a simulated host runs: slow commands,
//! dropped connections, stalled channels, refused forwarding, sudo demanding a tty,
//! refused logins, a new host key, and a cap on session channels per connection.
//!
//! [`Faults`] is a cheap, cloneable handle; every connection reads the current state
//! when it needs it, so a change applies from the next command, channel or login on.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use russh::keys::{PrivateKey, PublicKey};

/// The switches, as a plain value. `Default` is a healthy host.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FaultState {
    /// Added before every exec command runs.
    pub latency: Duration,
    /// Drop the whole TCP connection in the middle of any command whose line contains
    /// this text (after half of its output has been sent).
    pub drop_on: Option<String>,
    /// Never answer commands whose line contains this text (the channel stays open).
    pub stall_on: Option<String>,
    /// Refuse `direct-tcpip` channels, like `AllowTcpForwarding no`.
    pub refuse_forwarding: bool,
    /// Every sudo invocation without a PTY fails as under `Defaults requiretty`.
    pub force_requiretty: bool,
    /// Every authentication attempt fails.
    pub reject_auth: bool,
    /// At most this many open session channels per connection, like `MaxSessions`.
    pub max_sessions: Option<usize>,
}

/// A handle on a running host's faults and host key.
#[derive(Debug, Clone)]
pub struct Faults {
    state: Arc<Mutex<FaultState>>,
    host_key: Arc<Mutex<PrivateKey>>,
}

impl Faults {
    pub(crate) fn new(host_key: PrivateKey) -> Faults {
        Faults {
            state: Arc::new(Mutex::new(FaultState::default())),
            host_key: Arc::new(Mutex::new(host_key)),
        }
    }

    fn lock(&self) -> MutexGuard<'_, FaultState> {
        // A panic while holding this lock cannot leave the plain data inconsistent.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The current switches.
    pub fn snapshot(&self) -> FaultState {
        self.lock().clone()
    }

    /// Replaces every switch at once; `FaultState::default()` heals the host.
    pub fn set(&self, state: FaultState) {
        *self.lock() = state;
    }

    /// Turns every fault off.
    pub fn clear(&self) {
        self.set(FaultState::default());
    }

    /// Adds `latency` before every command.
    pub fn set_latency(&self, latency: Duration) {
        self.lock().latency = latency;
    }

    /// Drops the connection mid-command for command lines containing `needle`.
    pub fn drop_connection_on(&self, needle: Option<&str>) {
        self.lock().drop_on = needle.map(str::to_string);
    }

    /// Never answers command lines containing `needle`.
    pub fn stall_on(&self, needle: Option<&str>) {
        self.lock().stall_on = needle.map(str::to_string);
    }

    /// Refuses or allows `direct-tcpip`.
    pub fn refuse_forwarding(&self, refuse: bool) {
        self.lock().refuse_forwarding = refuse;
    }

    /// Makes sudo demand a tty for everyone, or stops doing so.
    pub fn force_requiretty(&self, force: bool) {
        self.lock().force_requiretty = force;
    }

    /// Fails every login, or stops doing so.
    pub fn reject_auth(&self, reject: bool) {
        self.lock().reject_auth = reject;
    }

    /// Caps open session channels per connection; `None` lifts the cap.
    pub fn max_sessions(&self, limit: Option<usize>) {
        self.lock().max_sessions = limit;
    }

    /// Generates a new host key for the next connections and returns its public half.
    pub fn rotate_host_key(&self) -> PublicKey {
        let key = crate::server::generate_host_key();
        let public = key.public_key().clone();
        *self.host_key.lock().unwrap_or_else(|p| p.into_inner()) = key;
        public
    }

    /// The host key new connections are offered.
    pub fn host_key(&self) -> PrivateKey {
        self.host_key
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}
