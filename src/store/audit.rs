//! The audit log: one JSON line per command with time, session, host, user,
//! the command as typed (secrets redacted), status and duration.

use std::io::Write;
use std::path::Path;

use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct Entry<'a> {
    pub time: String,
    pub session: Option<&'a str>,
    pub host: Option<&'a str>,
    pub user: Option<&'a str>,
    pub command: String,
    pub status: i32,
    pub duration_ms: u64,
}

/// Append one entry; failures to write are logged, never fatal.
pub fn append(path: &Path, entry: &Entry<'_>) {
    use std::os::unix::fs::OpenOptionsExt;
    if let Some(dir) = path.parent() {
        let _ = super::private_dir(dir);
    }
    let line = serde_json::to_string(entry).expect("audit entry is plain data");
    let file = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .mode(0o600)
        .open(path);
    let written = file.and_then(|mut f| writeln!(f, "{line}"));
    if let Err(e) = written {
        tracing::warn!("cannot write audit log {}: {e}", path.display());
    }
}

/// Words that hold secrets never reach history or the audit log. Commands take
/// secrets only through env var names or files, so this is a second fence: any
/// word after a `--password`-like flag, or `NAME=value` with a secret-looking NAME.
pub fn redact(line: &str) -> String {
    let mut out = Vec::new();
    let mut hide_next = false;
    for word in line.split(' ') {
        let lower = word.to_ascii_lowercase();
        if hide_next {
            out.push("<redacted>".to_string());
            hide_next = false;
        } else if let Some((name, _)) = word.split_once('=').filter(|_| looks_secret(&lower)) {
            out.push(format!("{name}=<redacted>"));
        } else {
            hide_next = lower.starts_with("--")
                && looks_secret(&lower)
                && !lower.ends_with("-env")
                && !lower.ends_with("-file")
                && !lower.contains('=');
            out.push(word.to_string());
        }
    }
    out.join(" ")
}

fn looks_secret(word: &str) -> bool {
    [
        "password",
        "passwd",
        "secret",
        "token",
        "passphrase",
        "auth",
    ]
    .iter()
    .any(|s| word.contains(s))
}

/// Whether a line should stay out of history entirely.
pub fn holds_secret(line: &str) -> bool {
    redact(line) != line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction() {
        assert_eq!(
            redact("exec PASSWORD=x ./run"),
            "exec PASSWORD=<redacted> ./run"
        );
        assert_eq!(
            redact("x --password hunter2 y"),
            "x --password <redacted> y"
        );
        assert_eq!(
            redact("session new a h --password-env VAR"),
            "session new a h --password-env VAR"
        );
        assert!(!holds_secret("tenant list"));
        assert!(holds_secret("exec redis-cli -a x AUTH=pw"));
    }
}
