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
/// word after a `--password`-like flag, `NAME=value` with a secret-looking NAME,
/// mysql's glued `-pSECRET`, and in a `redis-cli` line the word after `-a`,
/// `--pass` or `AUTH`.
pub fn redact(line: &str) -> String {
    let redis_cli = line.contains("redis-cli");
    let mysql = line.contains("mysql") || line.contains("mariadb");
    let mut out = Vec::new();
    let mut hide_next = false;
    for word in line.split(' ') {
        let lower = word.to_ascii_lowercase();
        if hide_next {
            out.push("<redacted>".to_string());
            hide_next = word.is_empty();
        } else if let Some((name, _)) = word.split_once('=').filter(|_| looks_secret(&lower)) {
            out.push(format!("{name}=<redacted>"));
        } else if let Some(flag) = glued_secret(word, redis_cli, mysql) {
            out.push(format!("{flag}<redacted>"));
        } else {
            hide_next = secret_flag(&lower) || (redis_cli && redis_secret_word(&lower));
            out.push(word.to_string());
        }
    }
    out.join(" ")
}

/// `--password`, `--token` and the like, but not `--password-env NAME`.
fn secret_flag(lower: &str) -> bool {
    lower.starts_with("--")
        && looks_secret(lower)
        && !lower.ends_with("-env")
        && !lower.ends_with("-file")
        && !lower.contains('=')
}

fn redis_secret_word(lower: &str) -> bool {
    matches!(lower, "-a" | "--pass" | "auth" | "--user")
}

/// The flag part of a flag with its secret glued on: mysql's `-pSECRET` or
/// redis-cli's `-aSECRET`.
fn glued_secret(word: &str, redis_cli: bool, mysql: bool) -> Option<&'static str> {
    let value_of = |flag: &str| word.strip_prefix(flag).filter(|rest| !rest.is_empty());
    match (value_of("-p"), value_of("-a")) {
        (Some(_), _) if mysql => Some("-p"),
        (_, Some(_)) if redis_cli => Some("-a"),
        _ => None,
    }
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
        assert_eq!(
            redact("exec redis-cli -h 10.0.0.1 -a s3cret --scan"),
            "exec redis-cli -h 10.0.0.1 -a <redacted> --scan"
        );
        assert_eq!(
            redact("exec redis-cli -as3cret AUTH hunter2"),
            "exec redis-cli -a<redacted> AUTH <redacted>"
        );
        assert_eq!(
            redact("exec mysql -uroot -ps3cret db"),
            "exec mysql -uroot -p<redacted> db"
        );
        // Not secrets: ports, and these flags outside their tools.
        assert!(!holds_secret("exec redis-cli -p 6379 ping"));
        assert!(!holds_secret("exec ssh -p2222 host ls -a /tmp"));
        assert!(!holds_secret("tenant list"));
        assert!(holds_secret("exec redis-cli -a x AUTH=pw"));
    }
}
