//! Becoming root on the host: sudo detection, the password exchange, the PTY
//! fallback for `requiretty`.
//!
//! Detection runs once per connection ([`detect`]), one sudo run when a
//! password is already known and at most two otherwise; afterwards [`Elevator::wrap`]
//! turns an inner command into the exact line documented in
//! `docs/remote-commands.md`. The sudo password only ever travels on the channel's
//! stdin, and only after sudo's own unique prompt has appeared.

use std::fmt;

use crate::cli::SudoMode;
use crate::quote;
use crate::secret::Secret;
use crate::ssh::exec::{Collect, ExecError, PromptReply};
use crate::ssh::{Connection, RemoteCommand};

#[derive(Debug, thiserror::Error)]
pub enum ElevateError {
    #[error("not elevated: {reason} (commands that need root cannot run; session elevate retries)")]
    NotElevated { reason: String },

    #[error(
        "sudo rejected the password; the session stays connected but not elevated (session elevate asks again)"
    )]
    WrongPassword,

    #[error(
        "elevation failed or missing: kubectl found no cluster, which is what it says when not run as root"
    )]
    KubectlUnelevated,
}

/// How this session becomes root.
#[derive(Debug, Clone)]
pub enum Elevation {
    /// The SSH user is root.
    Root,
    /// `sudo -n`: NOPASSWD.
    NoPasswd,
    /// `sudo -S` with a password on stdin.
    Password(Secret),
    /// sudo demands a terminal (`requiretty`): a PTY channel per command.
    Pty(Option<Secret>),
    /// Not elevated, and why.
    Unelevated(String),
}

impl fmt::Display for Elevation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Elevation::Root => f.write_str("root (login)"),
            Elevation::NoPasswd => f.write_str("root (sudo, no password)"),
            Elevation::Password(_) => f.write_str("root (sudo, password)"),
            Elevation::Pty(_) => f.write_str("root (sudo on a tty)"),
            Elevation::Unelevated(why) => write!(f, "not elevated: {why}"),
        }
    }
}

/// The session's elevation state plus its unique prompt and start marker.
#[derive(Debug, Clone)]
pub struct Elevator {
    pub state: Elevation,
    prompt: String,
    marker: String,
}

impl Elevator {
    pub fn new(state: Elevation) -> Self {
        Elevator {
            state,
            prompt: format!("[vmsdbg:{}] ", random_hex(8)),
            marker: format!("vmsdbg-begin-{}", random_hex(8)),
        }
    }

    pub fn is_elevated(&self) -> bool {
        !matches!(self.state, Elevation::Unelevated(_))
    }

    /// The exact line for running `inner` as root.
    pub fn wrap(&self, inner: &str) -> Result<RemoteCommand, ElevateError> {
        let quoted_prompt = quote::sh(&self.prompt).expect("prompt is ASCII without NUL");
        let command = match &self.state {
            Elevation::Root => RemoteCommand {
                line: inner.to_string(),
                ..Default::default()
            },
            Elevation::NoPasswd => {
                let marker = cancel_marker();
                RemoteCommand {
                    line: format!("sudo -n -- sh -c {}", marked(&marker, inner)?),
                    cancel_marker: Some(marker),
                    ..Default::default()
                }
            }
            Elevation::Password(password) => {
                let marker = cancel_marker();
                RemoteCommand {
                    line: format!(
                        "sudo -S -p {quoted_prompt} -- sh -c {}",
                        marked(&marker, inner)?
                    ),
                    reply: Some(self.reply(Some(password))),
                    cancel_marker: Some(marker),
                    ..Default::default()
                }
            }
            Elevation::Pty(password) => {
                let script = format!("printf '%s\\n' {}; {inner}", self.marker);
                RemoteCommand {
                    line: format!(
                        "sudo -p {quoted_prompt} -- sh -c {}",
                        quote_script(&script)?
                    ),
                    pty: true,
                    reply: Some(self.reply(password.as_ref())),
                    start_marker: Some(self.marker.clone()),
                    ..Default::default()
                }
            }
            Elevation::Unelevated(reason) => {
                return Err(ElevateError::NotElevated {
                    reason: reason.clone(),
                });
            }
        };
        Ok(command)
    }

    fn reply(&self, password: Option<&Secret>) -> PromptReply {
        PromptReply {
            prompt: self.prompt.clone(),
            answer: password.cloned(),
        }
    }
}

/// A fresh `VMSDBG_CMD=HEX` per command: inherited by everything the command
/// starts, so `Session::run` can stop all of it on the host when cancelled.
/// A random base per process and a fixed-width counter (so no marker is a prefix
/// of another): unique on the host without reading /dev/urandom for every command.
fn cancel_marker() -> String {
    static BASE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let base = BASE.get_or_init(|| random_hex(6));
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!("VMSDBG_CMD={base}{n:08x}")
}

/// `inner` with the marker exported first: a shell builtin, so no process more
/// than the command itself needs.
fn marked(marker: &str, inner: &str) -> Result<String, ElevateError> {
    quote_script(&format!("export {marker}; {inner}"))
}

fn quote_script(script: &str) -> Result<String, ElevateError> {
    quote::sh(script).map_err(|e| ElevateError::NotElevated {
        reason: e.to_string(),
    })
}

/// The reason an operator-declined session gives for not being root.
pub const SUDO_NONE: &str = "--sudo none";

/// The reason a session whose sudo password was refused gives.
pub const WRONG_PASSWORD: &str = "sudo rejected the password";

/// What detection needs to know besides the connection.
pub struct DetectInput<'a> {
    pub user: &'a str,
    pub mode: SudoMode,
    /// The sudo password if one was given, else the SSH password if one was used.
    pub password: Option<Secret>,
    /// Whether we may ask for a password on the terminal.
    pub may_prompt: bool,
    pub host: &'a str,
}

/// Find out how to become root on this connection. Never fails: a problem
/// leaves the session unelevated with the reason, and `Err` only carries a
/// wrong password, which the operator must hear about.
pub async fn detect(conn: &Connection, input: DetectInput<'_>) -> (Elevator, Option<ElevateError>) {
    let unelevated = |why: &str| Elevator::new(Elevation::Unelevated(why.to_string()));
    if input.user == "root" {
        return (Elevator::new(Elevation::Root), None);
    }
    let probe = match input.mode {
        SudoMode::None => return (unelevated(SUDO_NONE), None),
        SudoMode::Password => Probe::NeedsPassword,
        // The operator said NOPASSWD: trust it, and let the first command say otherwise.
        SudoMode::Nopasswd => Probe::NoPassword,
        // With a password at hand one `sudo -S` run both probes and verifies:
        // no prompt means NOPASSWD, an accepted answer means password sudo.
        SudoMode::Auto => match input.password.clone() {
            Some(password) => return with_known_password(conn, password).await,
            None => probe_nopasswd(conn).await,
        },
    };
    match probe {
        Probe::NoPassword => (Elevator::new(Elevation::NoPasswd), None),
        Probe::Refused(why) => (unelevated(&why), None),
        Probe::NeedsPassword => with_password(conn, input, false).await,
        Probe::NeedsTty => with_password(conn, input, true).await,
    }
}

enum Probe {
    NoPassword,
    NeedsPassword,
    NeedsTty,
    Refused(String),
}

/// `sudo -n true` says whether a password (or a terminal) is needed.
async fn probe_nopasswd(conn: &Connection) -> Probe {
    let command = RemoteCommand {
        line: "sudo -n true".into(),
        ..Default::default()
    };
    let mut out = Collect::default();
    let outcome = conn.run(&command, &mut out, Some(PROBE_LIMIT)).await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    match outcome {
        Ok(o) if o.success() => Probe::NoPassword,
        Ok(_) if needs_tty(&stderr) => Probe::NeedsTty,
        Ok(_) if stderr.contains("password is required") => Probe::NeedsPassword,
        Ok(o) if o.status == Some(127) => Probe::Refused("sudo is not installed".into()),
        Ok(_) => Probe::Refused(first_line(&stderr, "sudo -n true failed")),
        Err(e) => Probe::Refused(format!("sudo probe failed: {e}")),
    }
}

const PROBE_LIMIT: std::time::Duration = std::time::Duration::from_secs(20);

pub fn needs_tty(stderr: &str) -> bool {
    stderr.contains("must have a tty") || stderr.contains("a terminal is required")
}

fn first_line(text: &str, fallback: &str) -> String {
    let line = text.lines().map(str::trim).find(|l| !l.is_empty());
    line.map(|l| l.trim_start_matches("sudo: ").to_string())
        .unwrap_or_else(|| fallback.into())
}

/// Verify a password with `sudo true` (on a PTY when sudo demands one).
async fn with_password(
    conn: &Connection,
    input: DetectInput<'_>,
    tty: bool,
) -> (Elevator, Option<ElevateError>) {
    let password = match (input.password, input.may_prompt) {
        (Some(p), _) => Some(p),
        (None, true) => {
            let question = format!("[sudo] password for {}@{}: ", input.user, input.host);
            Secret::prompt(&question).ok()
        }
        // With requiretty and NOPASSWD no password is needed: try without one.
        (None, false) if tty => None,
        (None, false) => {
            let why = "sudo needs a password (give --sudo-password-env VAR or --password-env VAR)";
            return (Elevator::new(Elevation::Unelevated(why.into())), None);
        }
    };
    settle_password(conn, password, tty).await
}

/// Check `password` with `sudo true`, moving to a PTY if sudo demands one.
async fn settle_password(
    conn: &Connection,
    password: Option<Secret>,
    tty: bool,
) -> (Elevator, Option<ElevateError>) {
    if let (Some(secret), false) = (&password, tty) {
        let elevator = Elevator::new(Elevation::Password(secret.clone()));
        match verify(conn, &elevator).await {
            Ok(_) => return (elevator, None),
            Err(Verify::NeedsTty) => {}
            Err(failed) => return failed.into_result(),
        }
    }
    let elevator = Elevator::new(Elevation::Pty(password));
    match verify(conn, &elevator).await {
        Ok(_) => (elevator, None),
        Err(failed) => failed.into_result(),
    }
}

/// Auto mode with a password already known: run `sudo -S -p PROMPT true`
/// once. It answers the NOPASSWD question and checks the password in one
/// round trip, where probing first would cost a second sudo run.
async fn with_known_password(
    conn: &Connection,
    password: Secret,
) -> (Elevator, Option<ElevateError>) {
    let elevator = Elevator::new(Elevation::Password(password.clone()));
    match verify(conn, &elevator).await {
        Ok(true) => (elevator, None),
        Ok(false) => (Elevator::new(Elevation::NoPasswd), None),
        Err(Verify::NeedsTty) => settle_password(conn, Some(password), true).await,
        Err(failed) => failed.into_result(),
    }
}

enum Verify {
    Wrong,
    NeedsTty,
    Other(String),
}

impl Verify {
    fn into_result(self) -> (Elevator, Option<ElevateError>) {
        match self {
            Verify::Wrong => {
                let state = Elevation::Unelevated(WRONG_PASSWORD.into());
                (Elevator::new(state), Some(ElevateError::WrongPassword))
            }
            Verify::NeedsTty => {
                let why = "sudo demands a terminal and the check on one failed";
                (Elevator::new(Elevation::Unelevated(why.into())), None)
            }
            Verify::Other(why) => (Elevator::new(Elevation::Unelevated(why)), None),
        }
    }
}

/// Run `true` through the elevator; `Ok(prompted)` says whether sudo asked
/// for the password on the way.
async fn verify(conn: &Connection, elevator: &Elevator) -> Result<bool, Verify> {
    let command = elevator
        .wrap("true")
        .map_err(|e| Verify::Other(e.to_string()))?;
    let mut out = Collect::default();
    match conn
        .run_answering(&command, &mut out, Some(PROBE_LIMIT))
        .await
    {
        Ok((o, prompted)) if o.success() => Ok(prompted),
        Err(ExecError::PromptRepeated) => Err(Verify::Wrong),
        Err(ExecError::NoAnswer) => Err(Verify::Other(
            "sudo asks for a password and none was given".into(),
        )),
        Ok((o, _)) => {
            let stderr = String::from_utf8_lossy(&out.stderr);
            if stderr.contains("incorrect password") || stderr.contains("Sorry, try again") {
                return Err(Verify::Wrong);
            }
            if !command.pty && needs_tty(&stderr) {
                return Err(Verify::NeedsTty);
            }
            if o.status == Some(127) && !stderr.contains("sudo:") {
                return Err(Verify::Other("sudo is not installed".into()));
            }
            Err(Verify::Other(first_line(&stderr, "sudo true failed")))
        }
        Err(e) => Err(Verify::Other(format!("sudo check failed: {e}"))),
    }
}

/// Random hex from the OS, for prompts and markers nobody can predict.
pub fn random_hex(bytes: usize) -> String {
    use std::io::Read;
    let mut buf = vec![0u8; bytes];
    let read = std::fs::File::open("/dev/urandom").and_then(|mut f| f.read_exact(&mut buf));
    if read.is_err() {
        // Without /dev/urandom, time and pid still make the prompt unique per run.
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0)
            ^ u128::from(std::process::id());
        buf.iter_mut()
            .enumerate()
            .for_each(|(i, b)| *b = (seed >> (i % 16 * 8)) as u8);
    }
    buf.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_match_the_documented_lines() {
        let inner = "kubectl get svc -A -o json";
        let root = Elevator::new(Elevation::Root).wrap(inner).unwrap();
        assert_eq!(root.line, inner);

        let nopasswd = Elevator::new(Elevation::NoPasswd).wrap(inner).unwrap();
        let marker = nopasswd.cancel_marker.clone().unwrap();
        assert_eq!(
            nopasswd.line,
            format!("sudo -n -- sh -c 'export {marker}; kubectl get svc -A -o json'")
        );
        assert!(
            marker.starts_with("VMSDBG_CMD=") && marker.len() == 31,
            "{marker}"
        );

        let pw = Elevator::new(Elevation::Password(Secret::new("s3cret")));
        let cmd = pw.wrap(inner).unwrap();
        assert!(cmd.line.starts_with("sudo -S -p '[vmsdbg:"), "{}", cmd.line);
        assert!(!cmd.line.contains("s3cret"));
        assert_eq!(cmd.reply.unwrap().prompt, pw.prompt);
    }

    #[test]
    fn pty_wrap_prints_the_marker_first() {
        let e = Elevator::new(Elevation::Pty(None));
        let cmd = e.wrap("id -u").unwrap();
        assert!(cmd.pty);
        let words = shlex::split(&cmd.line).unwrap();
        assert_eq!(&words[..4], ["sudo", "-p", e.prompt.as_str(), "--"]);
        assert_eq!(words[6], format!("printf '%s\\n' {}; id -u", e.marker));
    }

    #[test]
    fn unelevated_refuses() {
        let e = Elevator::new(Elevation::Unelevated("--sudo none".into()));
        assert!(matches!(
            e.wrap("true"),
            Err(ElevateError::NotElevated { .. })
        ));
    }

    #[test]
    fn prompts_differ_per_session() {
        assert_ne!(
            Elevator::new(Elevation::Root).prompt,
            Elevator::new(Elevation::Root).prompt
        );
    }
}
