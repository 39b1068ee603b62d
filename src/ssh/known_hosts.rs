//! Deciding whether to trust a server's host key.
//!
//! The file is OpenSSH's `known_hosts` format (plain, `[host]:port` and hashed
//! `|1|salt|hash` entries); russh reads it. A key of the same algorithm that
//! differs from the recorded one is refused, always. An unknown key is recorded
//! with `--accept-new-host-key`, asked about on a terminal, and refused otherwise.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use russh::keys::{HashAlg, PublicKey};

use super::SshError;

/// How a connection decides on the server's key.
#[derive(Debug, Clone)]
pub enum HostKeyPolicy {
    /// Check (and maybe record into) an OpenSSH known_hosts file.
    KnownHosts {
        path: PathBuf,
        accept_new: bool,
        may_ask: bool,
    },
    /// Trust exactly this key (the embedded demo host, whose key we made).
    Pinned(PublicKey),
}

impl HostKeyPolicy {
    /// The default file: `$VMSDBG_KNOWN_HOSTS`, else `~/.ssh/known_hosts`.
    pub fn default_path() -> PathBuf {
        if let Some(path) = std::env::var_os("VMSDBG_KNOWN_HOSTS") {
            return PathBuf::from(path);
        }
        let home = dirs::home_dir().unwrap_or_else(|| PathBuf::from("."));
        home.join(".ssh").join("known_hosts")
    }
}

/// What the check decided; kept so a refused handshake gets the right message.
pub type Verdict = Arc<Mutex<Option<SshError>>>;

pub fn fingerprint(key: &PublicKey) -> String {
    key.fingerprint(HashAlg::Sha256).to_string()
}

/// Returns whether to go on; on refusal the reason is left in `verdict`.
pub fn check(
    policy: &HostKeyPolicy,
    host: &str,
    port: u16,
    key: &PublicKey,
    verdict: &Verdict,
) -> bool {
    let outcome = match policy {
        HostKeyPolicy::Pinned(pinned) if pinned == key => Ok(()),
        HostKeyPolicy::Pinned(_) => Err(SshError::HostKeyChanged {
            host: host.to_string(),
            port,
            fingerprint: fingerprint(key),
            path: PathBuf::from("(built-in demo key)"),
            line: 0,
        }),
        HostKeyPolicy::KnownHosts {
            path,
            accept_new,
            may_ask,
        } => check_file(path, host, port, key, *accept_new, *may_ask),
    };
    match outcome {
        Ok(()) => true,
        Err(e) => {
            // The mutex only guards this one slot; a poisoned lock still holds it.
            *verdict.lock().unwrap_or_else(|p| p.into_inner()) = Some(e);
            false
        }
    }
}

fn check_file(
    path: &PathBuf,
    host: &str,
    port: u16,
    key: &PublicKey,
    accept_new: bool,
    may_ask: bool,
) -> Result<(), SshError> {
    let recorded =
        russh::keys::known_hosts::known_host_keys_path(host, port, path).map_err(|e| {
            SshError::KnownHosts {
                path: path.clone(),
                reason: e.to_string(),
            }
        })?;

    let same_algorithm = recorded
        .iter()
        .filter(|(_, k)| k.algorithm() == key.algorithm());
    let mut mismatch = None;
    for (line, recorded_key) in same_algorithm {
        if recorded_key == key {
            return Ok(());
        }
        mismatch.get_or_insert(*line);
    }
    let print = fingerprint(key);
    if let Some(line) = mismatch {
        let path = path.clone();
        return Err(SshError::HostKeyChanged {
            host: host.to_string(),
            port,
            fingerprint: print,
            path,
            line,
        });
    }

    let trusted = accept_new || (may_ask && ask_operator(host, port, key, &print));
    if !trusted {
        let host = host.to_string();
        return Err(match may_ask {
            true => SshError::HostKeyRejected {
                host,
                port,
                fingerprint: print,
            },
            false => SshError::HostKeyUnknown {
                host,
                port,
                fingerprint: print,
            },
        });
    }
    record(path, host, port, key)
}

/// Append `[host]:port key` (plain `host key` on port 22), as OpenSSH records it.
fn record(path: &PathBuf, host: &str, port: u16, key: &PublicKey) -> Result<(), SshError> {
    use std::os::unix::fs::OpenOptionsExt;
    let fail = |e: &dyn std::fmt::Display| SshError::KnownHosts {
        path: path.clone(),
        reason: e.to_string(),
    };

    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        crate::store::private_dir(dir).map_err(|e| fail(&e))?;
    }
    let existing = std::fs::read(path).unwrap_or_default();
    let separator = if existing.is_empty() || existing.ends_with(b"\n") {
        ""
    } else {
        "\n"
    };
    let name = if port == 22 {
        host.to_string()
    } else {
        format!("[{host}]:{port}")
    };
    let key_text = key.to_openssh().map_err(|e| fail(&e))?;
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| fail(&e))?;
    // One write of the whole line: with O_APPEND, two vmsdbg processes recording
    // at once cannot interleave their lines.
    let line = format!("{separator}{name} {key_text}\n");
    file.write_all(line.as_bytes()).map_err(|e| fail(&e))
}

/// Ask like OpenSSH does; only called when stdin and stderr are a terminal.
fn ask_operator(host: &str, port: u16, key: &PublicKey, print: &str) -> bool {
    if !std::io::stdin().is_terminal() {
        return false;
    }
    let algorithm = key.algorithm().to_string();
    let mut err = std::io::stderr().lock();
    let _ = write!(
        err,
        "The authenticity of host '{host}' (port {port}) can't be established.\n\
         {algorithm} key fingerprint is {print}.\n\
         Are you sure you want to continue connecting (yes/no)? "
    );
    let _ = err.flush();
    let mut answer = String::new();
    if std::io::stdin().lock().read_line(&mut answer).is_err() {
        return false;
    }
    matches!(answer.trim().to_ascii_lowercase().as_str(), "yes" | "y")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(seed: u8) -> PublicKey {
        let private = russh::keys::PrivateKey::from(
            russh::keys::ssh_key::private::Ed25519Keypair::from_seed(&[seed; 32]),
        );
        private.public_key().clone()
    }

    fn policy(path: &std::path::Path, accept_new: bool) -> HostKeyPolicy {
        HostKeyPolicy::KnownHosts {
            path: path.to_path_buf(),
            accept_new,
            may_ask: false,
        }
    }

    fn taken(verdict: &Verdict) -> Option<SshError> {
        verdict.lock().unwrap().take()
    }

    #[test]
    fn unknown_then_recorded_then_changed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("known_hosts");
        let verdict = Verdict::default();

        assert!(!check(
            &policy(&path, false),
            "127.0.0.1",
            2222,
            &key(1),
            &verdict
        ));
        let unknown = taken(&verdict).expect("an unknown key is refused");
        assert!(matches!(unknown, SshError::HostKeyUnknown { .. }));
        let text = unknown.to_string();
        assert!(
            text.starts_with("host key of 127.0.0.1:2222 is not known"),
            "{text}"
        );

        assert!(check(
            &policy(&path, true),
            "127.0.0.1",
            2222,
            &key(1),
            &verdict
        ));
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with("[127.0.0.1]:2222 ssh-ed25519 "), "{text}");

        assert!(check(
            &policy(&path, false),
            "127.0.0.1",
            2222,
            &key(1),
            &verdict
        ));
        assert!(!check(
            &policy(&path, true),
            "127.0.0.1",
            2222,
            &key(2),
            &verdict
        ));
        let changed = taken(&verdict).expect("a changed key is refused");
        assert!(matches!(changed, SshError::HostKeyChanged { line: 1, .. }));
        let text = changed.to_string();
        assert!(
            text.starts_with("HOST KEY OF 127.0.0.1:2222 HAS CHANGED"),
            "{text}"
        );
    }

    #[test]
    fn port_22_is_not_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("known_hosts");
        let verdict = Verdict::default();
        assert!(!check(&policy(&path, false), "vms1", 22, &key(5), &verdict));
        let text = taken(&verdict).expect("refused").to_string();
        assert!(text.starts_with("host key of vms1 is not known"), "{text}");
    }

    #[test]
    fn hashed_entries_match() {
        // Hash a recorded entry with OpenSSH's own `ssh-keygen -H`.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("known_hosts");
        let verdict = Verdict::default();
        assert!(check(
            &policy(&path, true),
            "127.0.0.1",
            2200,
            &key(3),
            &verdict
        ));
        let status = std::process::Command::new("ssh-keygen")
            .arg("-H")
            .arg("-f")
            .arg(&path)
            .output()
            .expect("ssh-keygen is installed (openssh-client)");
        assert!(status.status.success());
        assert!(std::fs::read_to_string(&path).unwrap().starts_with("|1|"));

        assert!(check(
            &policy(&path, false),
            "127.0.0.1",
            2200,
            &key(3),
            &verdict
        ));
        assert!(!check(
            &policy(&path, false),
            "127.0.0.1",
            2200,
            &key(4),
            &verdict
        ));
        assert!(matches!(
            taken(&verdict),
            Some(SshError::HostKeyChanged { .. })
        ));
    }
}
