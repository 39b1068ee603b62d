//! The fallback path: `redis-cli --no-raw -h IP -p PORT` run on the host when the SSH
//! server refuses forwarding.
//!
//! The command line carries only the address (checked to be an IP address, and quoted
//! anyway). Commands travel on stdin, one a line, each argument in redis-cli's quoted
//! form ([`redis_text::command_line`]), so no key, pattern or password reaches a shell
//! or the host's process list; `AUTH password` goes first when a password is set.
//! redis-cli prints one reply per line group, which [`redis_text::parse_all`] reads
//! back exactly. `INFO` is the exception: redis-cli prints its report raw even with
//! `--no-raw`, so it goes last, behind a `PING` whose answer shows whether the server
//! took the command, and everything after that answer is the report.

use std::net::SocketAddr;
use std::time::Duration;

use redis_text::Reply;

use super::{Args, RedisError, RedisTarget, args};
use crate::error::Error;
use crate::secret::Secret;
use crate::session::Session;
use crate::ssh::exec::Collect;
use crate::ssh::{ExecOutcome, RemoteCommand};

/// The shell's status for a command it cannot find.
const NOT_FOUND: u32 = 127;

/// The remote command line: the address only, never a key or a secret.
pub fn command_line(addr: SocketAddr) -> Result<String, RedisError> {
    let ip =
        crate::quote::sh(&addr.ip().to_string()).map_err(|e| RedisError::from(Error::from(e)))?;
    Ok(format!("redis-cli --no-raw -h {ip} -p {}", addr.port()))
}

/// What redis-cli reads on stdin: `AUTH` first when there is a password, then the
/// commands, one a line.
pub fn script(password: Option<&Secret>, commands: &[Args]) -> Vec<u8> {
    let mut out = String::new();
    if let Some(password) = password {
        out.push_str(&redis_text::command_line(&[
            &b"AUTH"[..],
            password.expose().as_bytes(),
        ]));
    }
    for command in commands {
        out.push_str(&redis_text::command_line(command));
    }
    out.into_bytes()
}

/// Run `commands` through redis-cli; the replies include the `AUTH` answer first when
/// a password was sent.
pub async fn call(
    session: &Session,
    target: &RedisTarget,
    password: Option<&Secret>,
    commands: &[Args],
    limit: Option<Duration>,
) -> Result<Vec<Reply>, RedisError> {
    let (out, outcome) = run(session, target, script(password, commands), limit).await?;
    let expected = commands.len() + usize::from(password.is_some());
    replies(target, &out, &outcome, expected)
}

/// Run `INFO [SECTION]` through redis-cli: the answers before the report (`AUTH` when a
/// password was sent, then `PING`) and the report's bytes.
pub async fn info(
    session: &Session,
    target: &RedisTarget,
    password: Option<&Secret>,
    section: Option<&[u8]>,
    limit: Option<Duration>,
) -> Result<(Vec<Reply>, Vec<u8>), RedisError> {
    let mut info = args([b"INFO"]);
    info.extend(section.map(<[u8]>::to_vec));
    let commands = [args([b"PING"]), info];
    let (out, outcome) = run(session, target, script(password, &commands), limit).await?;
    let before = 1 + usize::from(password.is_some());
    check_status(&outcome, &out)?;
    split_report(target, &out, before)
}

async fn run(
    session: &Session,
    target: &RedisTarget,
    stdin: Vec<u8>,
    limit: Option<Duration>,
) -> Result<(Collect, ExecOutcome), RedisError> {
    let command = RemoteCommand {
        line: command_line(target.addr)?,
        stdin,
        ..RemoteCommand::default()
    };
    let mut out = Collect::default();
    match session.run(&command, &mut out, limit).await {
        Ok(outcome) => Ok((out, outcome)),
        Err(Error::TimedOut(limit)) => Err(RedisError::Timeout {
            target: target.clone(),
            limit,
        }),
        Err(other) => Err(other.into()),
    }
}

/// Read `expected` replies from a finished redis-cli.
pub fn replies(
    target: &RedisTarget,
    out: &Collect,
    outcome: &ExecOutcome,
    expected: usize,
) -> Result<Vec<Reply>, RedisError> {
    check_status(outcome, out)?;
    let text = String::from_utf8_lossy(&out.stdout);
    let replies = redis_text::parse_all(&text).map_err(|e| RedisError::Output(e.to_string()))?;
    if replies.len() == expected {
        return Ok(replies);
    }
    Err(missing_replies(target, out, replies.len(), expected))
}

/// A non-zero exit: redis-cli missing, or failing before it read anything.
fn check_status(outcome: &ExecOutcome, out: &Collect) -> Result<(), RedisError> {
    match outcome.status {
        Some(0) => Ok(()),
        Some(NOT_FOUND) => Err(RedisError::NoRedisCli),
        Some(status) => {
            let why = first_line(&out.stderr)
                .unwrap_or_else(|| format!("it exited with status {status}"));
            Err(RedisError::RedisCli(why))
        }
        None => Err(RedisError::RedisCli(format!(
            "it was killed by signal {}",
            outcome.signal.as_deref().unwrap_or("?")
        ))),
    }
}

/// Fewer replies than commands: redis-cli could not connect (it says so on stderr
/// and still exits 0 in stdin mode), or the server went away part way.
fn missing_replies(target: &RedisTarget, out: &Collect, got: usize, expected: usize) -> RedisError {
    let stderr = String::from_utf8_lossy(&out.stderr);
    let refused = stderr
        .lines()
        .find_map(|line| line.strip_prefix("Could not connect to Redis at "));
    if let Some(rest) = refused {
        let reason = rest.rsplit_once(": ").map_or(rest, |(_, why)| why);
        return RedisError::Unreachable {
            target: target.clone(),
            reason: reason.to_string(),
        };
    }
    match first_line(&out.stderr) {
        Some(line) => RedisError::RedisCli(line),
        None => RedisError::Output(format!("{got} replies for {expected} commands")),
    }
}

/// Split redis-cli's output for `[AUTH] PING INFO` into the one-line answers before the
/// report and the report itself.
pub fn split_report(
    target: &RedisTarget,
    out: &Collect,
    before: usize,
) -> Result<(Vec<Reply>, Vec<u8>), RedisError> {
    let mut rest = out.stdout.as_slice();
    let mut answers = Vec::with_capacity(before);
    for _ in 0..before {
        let Some(end) = rest.iter().position(|&b| b == b'\n') else {
            return Err(missing_replies(target, out, answers.len(), before + 1));
        };
        let line = String::from_utf8_lossy(&rest[..end]);
        let reply = redis_text::parse(&line).map_err(|e| RedisError::Output(e.to_string()))?;
        answers.push(reply);
        rest = &rest[end + 1..];
    }
    Ok((answers, rest.to_vec()))
}

fn first_line(bytes: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(bytes);
    let line = text.lines().map(str::trim).find(|l| !l.is_empty())?;
    Some(line.to_string())
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

    fn finished(stdout: &str, stderr: &str, status: u32) -> (Collect, ExecOutcome) {
        let out = Collect {
            stdout: stdout.as_bytes().to_vec(),
            stderr: stderr.as_bytes().to_vec(),
        };
        let outcome = ExecOutcome {
            status: Some(status),
            signal: None,
        };
        (out, outcome)
    }

    #[test]
    fn the_line_holds_only_the_address() {
        let line = command_line("127.10.0.11:6379".parse().unwrap()).unwrap();
        assert_eq!(line, "redis-cli --no-raw -h 127.10.0.11 -p 6379");
    }

    #[test]
    fn hostile_keys_stay_on_stdin_and_auth_goes_first() {
        let key = b"$(touch /tmp/x)\n; rm -rf / #\xff".to_vec();
        let password = Secret::new("pw \"q\"");
        let stdin = script(Some(&password), &[vec![b"GET".to_vec(), key.clone()]]);
        let lines: Vec<&[u8]> = stdin.split(|&b| b == b'\n').collect();
        assert_eq!(lines.len(), 3, "two lines and the final newline");
        let auth = redis_text::split_args(lines[0]).unwrap();
        assert_eq!(auth, vec![b"AUTH".to_vec(), b"pw \"q\"".to_vec()]);
        let get = redis_text::split_args(lines[1]).unwrap();
        assert_eq!(get, vec![b"GET".to_vec(), key]);
    }

    #[test]
    fn replies_are_counted() {
        let (out, outcome) = finished("OK\n\"v\"\n(nil)\n", "", 0);
        let got = replies(&target(), &out, &outcome, 3).unwrap();
        assert_eq!(got[1], Reply::bulk("v"));
        let err = replies(&target(), &out, &outcome, 4).unwrap_err();
        assert!(matches!(err, RedisError::Output(_)), "{err}");
    }

    #[test]
    fn connection_refused_is_unreachable() {
        let stderr = "Could not connect to Redis at 127.10.0.11:6379: Connection refused\n";
        let (out, outcome) = finished("", stderr, 0);
        let err = replies(&target(), &out, &outcome, 1).unwrap_err();
        let RedisError::Unreachable { reason, .. } = &err else {
            panic!("{err}")
        };
        assert_eq!(reason, "Connection refused");
    }

    #[test]
    fn missing_redis_cli_is_named() {
        let (out, outcome) = finished("", "sh: 1: redis-cli: not found\n", 127);
        let err = replies(&target(), &out, &outcome, 1).unwrap_err();
        assert!(matches!(err, RedisError::NoRedisCli), "{err}");
    }

    #[test]
    fn info_report_follows_the_one_line_answers() {
        let stdout = "OK\nPONG\n# Server\r\nredis_version:7.2.4\r\n";
        let (out, _) = finished(stdout, "", 0);
        let (answers, report) = split_report(&target(), &out, 2).unwrap();
        assert_eq!(
            answers,
            vec![Reply::Status("OK".into()), Reply::Status("PONG".into())]
        );
        assert_eq!(report, b"# Server\r\nredis_version:7.2.4\r\n");
    }
}
