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
/// secrets only through env var names or files, so this is a second fence: the
/// word after a `--password`-like flag (a quoted one whole), `NAME=value` with a
/// secret-looking NAME, the password in a `scheme://user:PASSWORD@host` URL,
/// mysql's glued `-pSECRET`, and per tool: redis-cli's `-a`, `--pass`, `AUTH`
/// (both words), `requirepass`/`masterauth`; curl's `-u`; sshpass's `-p`.
/// Separators are kept as typed, so a line with nothing to hide is unchanged.
pub fn redact(line: &str) -> String {
    let tools = Tools::of(line);
    let mut out = String::with_capacity(line.len());
    let mut hide = 0usize;
    let mut open_quote: Option<char> = None;
    for (word, sep) in words(line) {
        let lower = word.to_ascii_lowercase();
        if let Some(quote) = open_quote {
            // Still inside a quoted secret: hidden up to its closing quote.
            if word.ends_with(quote) {
                open_quote = None;
                out.push_str(sep);
            }
            continue;
        } else if hide > 0 {
            out.push_str("<redacted>");
            hide -= 1;
            open_quote = opened_quote(word);
            if open_quote.is_some() {
                continue;
            }
        } else if let Some((name, _)) = word.split_once('=').filter(|_| looks_secret(&lower)) {
            out.push_str(name);
            out.push_str("=<redacted>");
        } else if let Some(kept) = url_without_password(word) {
            out.push_str(&kept);
        } else if let Some(flag) = glued_secret(word, &tools) {
            out.push_str(flag);
            out.push_str("<redacted>");
        } else {
            hide = secret_words_after(&lower, &tools);
            out.push_str(word);
        }
        out.push_str(sep);
    }
    out
}

/// Which tools a line runs, for their own secret-bearing flags.
struct Tools {
    redis_cli: bool,
    mysql: bool,
    curl: bool,
    sshpass: bool,
}

impl Tools {
    fn of(line: &str) -> Tools {
        Tools {
            redis_cli: line.contains("redis-cli"),
            mysql: line.contains("mysql") || line.contains("mariadb"),
            curl: line.contains("curl"),
            sshpass: line.contains("sshpass"),
        }
    }
}

/// The line's words, each with the whitespace that follows it.
fn words(line: &str) -> impl Iterator<Item = (&str, &str)> {
    let mut rest = line;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let (word, after) = rest.split_at(end);
        let sep_end = after
            .find(|c: char| !c.is_whitespace())
            .unwrap_or(after.len());
        let (sep, next) = after.split_at(sep_end);
        rest = next;
        Some((word, sep))
    })
}

/// The quote a word opens and does not close (`'SEC` of `'SEC RET'`).
fn opened_quote(word: &str) -> Option<char> {
    let quote = word.chars().next().filter(|c| *c == '\'' || *c == '"')?;
    let closed = word.len() > 1 && word.ends_with(quote);
    (!closed).then_some(quote)
}

/// How many following words are secrets after this one.
fn secret_words_after(lower: &str, tools: &Tools) -> usize {
    let flag = lower.starts_with("--")
        && looks_secret(lower)
        && !lower.ends_with("-env")
        && !lower.ends_with("-file")
        && !lower.contains('=');
    match lower {
        _ if flag => 1,
        // `AUTH PASSWORD` or `AUTH USER PASSWORD`: both words go.
        "auth" if tools.redis_cli => 2,
        "-a" | "--pass" | "--user" | "requirepass" | "masterauth" if tools.redis_cli => 1,
        "-u" | "--user" if tools.curl => 1,
        "-p" if tools.sshpass => 1,
        _ => 0,
    }
}

/// `scheme://user:PASSWORD@host...` with the password hidden.
fn url_without_password(word: &str) -> Option<String> {
    let (scheme, rest) = word.split_once("://")?;
    let (userinfo, host) = rest.split_once('@')?;
    let (user, _) = userinfo.split_once(':')?;
    Some(format!("{scheme}://{user}:<redacted>@{host}"))
}

/// The flag part of a flag with its secret glued on: mysql's `-pSECRET` or
/// redis-cli's `-aSECRET`.
fn glued_secret(word: &str, tools: &Tools) -> Option<&'static str> {
    let value_of = |flag: &str| word.strip_prefix(flag).filter(|rest| !rest.is_empty());
    match (value_of("-p"), value_of("-a")) {
        (Some(_), _) if tools.mysql => Some("-p"),
        (_, Some(_)) if tools.redis_cli => Some("-a"),
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
        "pwd",
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
        for (line, hidden) in [
            ("exec redis-cli -u redis://:s3cret@h ping", "s3cret"),
            ("exec redis-cli CONFIG SET requirepass s3cret", "s3cret"),
            ("exec redis-cli AUTH someone s3cret", "s3cret"),
            ("exec redis-cli -a 'sec ret' ping", "ret'"),
            ("exec MYSQL_PWD=s3cret mysql db", "s3cret"),
            ("exec redis-cli\t-a s3cret", "s3cret"),
            ("exec curl -u me:s3cret http://h/", "s3cret"),
            ("exec sshpass -p s3cret ssh h", "s3cret"),
        ] {
            let shown = redact(line);
            assert!(!shown.contains(hidden), "{line} -> {shown}");
        }
        assert_eq!(
            redact("exec redis-cli -a 'sec ret' ping"),
            "exec redis-cli -a <redacted> ping"
        );
        assert_eq!(redact("exec a\tb  c"), "exec a\tb  c", "separators kept");
        // Not secrets: ports, and these flags outside their tools.
        assert!(!holds_secret("exec redis-cli -p 6379 ping"));
        assert!(!holds_secret("exec ssh -p2222 host ls -a /tmp"));
        assert!(!holds_secret("tenant list"));
        assert!(holds_secret("exec redis-cli -a x AUTH=pw"));
    }
}
