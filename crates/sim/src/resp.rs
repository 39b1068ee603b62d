//! The simulated tenant Redis: a read-only RESP2 server over any byte stream, and the
//! command code that both it and the `redis-cli` emulation answer from.
//!
//! A `direct-tcpip` channel to a tenant's ClusterIP is handed to [`serve`] with that
//! tenant's [`RedisDb`]. [`execute`] runs one command against the data and returns a
//! [`Reply`]; [`serve`] reads RESP (multi-bulk or inline) and writes RESP2 replies,
//! flushing once the client's pipeline is drained.
//!
//! Commands: `PING AUTH HELLO CLIENT SELECT QUIT COMMAND` (connection), `SCAN TYPE TTL
//! PTTL EXISTS DBSIZE INFO` (keyspace and server), and the reads `GET GETRANGE STRLEN`, `HGETALL
//! HLEN HSCAN`, `LRANGE LLEN`, `SMEMBERS SCARD SSCAN`, `ZRANGE ZCARD ZSCAN`, `XRANGE XLEN`.
//! Anything else gets Redis's `unknown command` error; nothing writes. Error texts,
//! arity rules, `WRONGTYPE`, `NOAUTH`/`WRONGPASS` and the order Redis checks them in
//! (unknown command, arity, authentication) follow Redis 7.2.
//!
//! Limits by design: only database 0 holds data (`SELECT 1`..`15` reach empty ones);
//! `HELLO 3` is refused with `NOPROTO`, so clients stay on RESP2; `ZRANGE` takes index
//! ranges only (no `BYSCORE`, `BYLEX`, `LIMIT`); TTLs do not count down; `INFO` reports
//! one connected client and process-wide command counters. `SCAN` cursors are positions
//! in key order: they never return a key twice, and every `COUNT` keys examined make a
//! page, so a page may be empty before the end, as on a real server.

use std::collections::BTreeMap;
use std::ops::Bound;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use redis_text::{Reply, format_double, glob_match, split_args};
use tokio::io::{
    AsyncBufRead, AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader,
    BufWriter,
};

use crate::redis_data::{RedisDb, RedisEntry, RedisValue, StreamEntry, StreamId};

/// The Redis version the simulated server reports in `INFO` and `HELLO`.
pub const REDIS_VERSION: &str = "7.2.4";

/// The empty databases behind `SELECT 1` to `SELECT 15`.
static EMPTY_DB: RedisDb = RedisDb {
    entries: BTreeMap::new(),
    password: None,
};

/// Process-wide counters for `INFO stats` and `CLIENT ID`.
static CONNECTIONS: AtomicU64 = AtomicU64::new(0);
static COMMANDS_PROCESSED: AtomicU64 = AtomicU64::new(0);

/// A reply, or the error reply that ends a command early.
type Outcome = Result<Reply, Reply>;

/// Hash fields (and stream fields) with their values.
type Pairs = [(Vec<u8>, Vec<u8>)];

/// Sorted-set members with their scores.
type Scored = Vec<(Vec<u8>, f64)>;

// ---------------------------------------------------------------------------------------
// Connection state and dispatch
// ---------------------------------------------------------------------------------------

/// What one client connection carries between commands.
#[derive(Debug)]
pub struct ClientState {
    authenticated: bool,
    db_index: u32,
    id: u64,
    name: Option<Vec<u8>>,
    /// The cursor last handed out by `SCAN` and the key it stopped after, so the next
    /// page resumes with a range lookup instead of counting from the first key.
    scan_resume: Option<(u64, Vec<u8>)>,
}

impl ClientState {
    /// A fresh connection to `db`: authenticated from the start when `db` has no password.
    pub fn new(db: &RedisDb) -> ClientState {
        let id = CONNECTIONS.fetch_add(1, Ordering::Relaxed) + 1;
        ClientState {
            authenticated: db.password.is_none(),
            db_index: 0,
            id,
            name: None,
            scan_resume: None,
        }
    }

    /// Whether commands other than `AUTH`, `HELLO` and `QUIT` are allowed yet.
    pub fn is_authenticated(&self) -> bool {
        self.authenticated
    }
}

/// One command being run: the server's data, the selected database, the connection and
/// the arguments after the command name.
struct Call<'a> {
    server: &'a RedisDb,
    db: &'a RedisDb,
    client: &'a mut ClientState,
    args: &'a [Vec<u8>],
}

/// A command the server knows.
struct Command {
    name: &'static str,
    /// Redis's arity: the exact argument count with the name, or its negative minimum.
    arity: i32,
    /// Allowed before `AUTH` succeeds.
    before_auth: bool,
    run: fn(&mut Call) -> Outcome,
}

const fn command(name: &'static str, arity: i32, run: fn(&mut Call) -> Outcome) -> Command {
    Command {
        name,
        arity,
        before_auth: false,
        run,
    }
}

const COMMANDS: &[Command] = &[
    Command {
        name: "auth",
        arity: -2,
        before_auth: true,
        run: auth,
    },
    Command {
        name: "hello",
        arity: -1,
        before_auth: true,
        run: hello,
    },
    Command {
        name: "quit",
        arity: -1,
        before_auth: true,
        run: |_| Ok(ok()),
    },
    command("ping", -1, ping),
    command("client", -2, client),
    command("select", 2, select),
    command("command", -1, command_info),
    command("scan", -2, scan),
    command("type", 2, key_type),
    command("ttl", 2, |call| ttl(call, 1)),
    command("pttl", 2, |call| ttl(call, 1000)),
    command("exists", -2, exists),
    command("dbsize", 1, |call| Ok(len_reply(call.db.entries.len()))),
    command("info", -1, info),
    command("get", 2, get),
    command("strlen", 2, strlen),
    command("getrange", 4, getrange),
    command("hgetall", 2, hgetall),
    command("hlen", 2, |call| {
        Ok(len_reply(hash_of(call)?.map_or(0, <[_]>::len)))
    }),
    command("hscan", -3, hscan),
    command("lrange", 4, lrange),
    command("llen", 2, |call| {
        Ok(len_reply(list_of(call)?.map_or(0, <[_]>::len)))
    }),
    command("smembers", 2, smembers),
    command("scard", 2, |call| {
        Ok(len_reply(set_of(call)?.map_or(0, <[_]>::len)))
    }),
    command("sscan", -3, sscan),
    command("zrange", -4, zrange),
    command("zcard", 2, |call| {
        Ok(len_reply(zset_of(call)?.map_or(0, |z| z.len())))
    }),
    command("zscan", -3, zscan),
    command("xrange", -4, xrange),
    command("xlen", 2, |call| {
        Ok(len_reply(stream_of(call)?.map_or(0, |s| s.len())))
    }),
];

/// Runs one command (`argv[0]` is its name) for `client` against `server`'s data.
///
/// Checks come in Redis's order: unknown command, wrong number of arguments, then
/// `NOAUTH` for a connection that has not authenticated.
pub fn execute(server: &RedisDb, client: &mut ClientState, argv: &[Vec<u8>]) -> Reply {
    COMMANDS_PROCESSED.fetch_add(1, Ordering::Relaxed);
    let Some(name) = argv.first() else {
        return error("ERR empty command");
    };
    let name = String::from_utf8_lossy(name).to_ascii_lowercase();
    let Some(command) = COMMANDS.iter().find(|c| c.name == name) else {
        return unknown_command(argv);
    };
    if !arity_ok(command.arity, argv.len()) {
        return wrong_arity(command.name);
    }
    if !client.authenticated && !command.before_auth {
        return error("NOAUTH Authentication required.");
    }

    let db = if client.db_index == 0 {
        server
    } else {
        &EMPTY_DB
    };
    let mut call = Call {
        server,
        db,
        client,
        args: &argv[1..],
    };
    (command.run)(&mut call).unwrap_or_else(|reply| reply)
}

fn arity_ok(arity: i32, count: usize) -> bool {
    let count = i32::try_from(count).unwrap_or(i32::MAX);
    if arity >= 0 {
        count == arity
    } else {
        count >= -arity
    }
}

// ---------------------------------------------------------------------------------------
// Replies shared by many commands
// ---------------------------------------------------------------------------------------

fn error(text: &str) -> Reply {
    Reply::Error(text.to_string())
}

fn ok() -> Reply {
    Reply::Status("OK".to_string())
}

fn len_reply(len: usize) -> Reply {
    Reply::Integer(i64::try_from(len).unwrap_or(i64::MAX))
}

fn wrong_arity(name: &str) -> Reply {
    Reply::Error(format!(
        "ERR wrong number of arguments for '{name}' command"
    ))
}

fn wrongtype() -> Reply {
    error("WRONGTYPE Operation against a key holding the wrong kind of value")
}

fn syntax_error() -> Reply {
    error("ERR syntax error")
}

fn not_an_integer() -> Reply {
    error("ERR value is not an integer or out of range")
}

/// Redis's text for a command it does not know: the name and up to 128 bytes of
/// arguments, each quoted, newlines turned into spaces.
fn unknown_command(argv: &[Vec<u8>]) -> Reply {
    let mut args = String::new();
    for arg in &argv[1..] {
        if args.len() >= 128 {
            break;
        }
        let room = 128 - args.len();
        let text = String::from_utf8_lossy(&arg[..arg.len().min(room)]).into_owned();
        args.push_str(&format!("'{text}' "));
    }
    let name = String::from_utf8_lossy(&argv[0][..argv[0].len().min(128)]).into_owned();
    let message = format!("ERR unknown command '{name}', with args beginning with: {args}");
    Reply::Error(message.replace(['\r', '\n'], " "))
}

fn unknown_subcommand(sub: &[u8], command: &str) -> Reply {
    let sub = String::from_utf8_lossy(sub);
    Reply::Error(format!(
        "ERR unknown subcommand '{sub}'. Try {command} HELP."
    ))
}

/// A signed 64-bit integer argument.
fn integer(arg: &[u8]) -> Result<i64, Reply> {
    let text = std::str::from_utf8(arg).map_err(|_| not_an_integer())?;
    text.parse().map_err(|_| not_an_integer())
}

fn lower(arg: &[u8]) -> String {
    String::from_utf8_lossy(arg).to_ascii_lowercase()
}

// ---------------------------------------------------------------------------------------
// Connection commands
// ---------------------------------------------------------------------------------------

fn ping(call: &mut Call) -> Outcome {
    match call.args {
        [] => Ok(Reply::Status("PONG".to_string())),
        [message] => Ok(Reply::Bulk(message.clone())),
        _ => Err(wrong_arity("ping")),
    }
}

fn auth(call: &mut Call) -> Outcome {
    let (user, password) = match call.args {
        [password] => (None, password),
        [user, password] => (Some(user.as_slice()), password),
        _ => return Err(syntax_error()),
    };
    if user.is_none() && call.server.password.is_none() {
        return Err(error(
            "ERR AUTH <password> called without any password configured for the default user. \
             Are you sure your configuration is correct?",
        ));
    }
    check_password(call, user, password)?;
    Ok(ok())
}

/// Accepts the default user with the right password (any password when none is set).
fn check_password(call: &mut Call, user: Option<&[u8]>, password: &[u8]) -> Result<(), Reply> {
    let user_ok = user.is_none_or(|u| u == b"default");
    let password_ok = call
        .server
        .password
        .as_ref()
        .is_none_or(|p| p.as_bytes() == password);
    if !(user_ok && password_ok) {
        return Err(error(
            "WRONGPASS invalid username-password pair or user is disabled.",
        ));
    }
    call.client.authenticated = true;
    Ok(())
}

/// `HELLO [2 [AUTH user pass] [SETNAME name]]`: RESP2 only, so `HELLO 3` is refused and
/// a client falls back to plain RESP2.
fn hello(call: &mut Call) -> Outcome {
    if let Some(version) = call.args.first() {
        let version = integer(version)
            .map_err(|_| error("ERR Protocol version is not an integer or out of range"))?;
        if version != 2 {
            return Err(error("NOPROTO unsupported protocol version"));
        }
    }
    let options = call.args.get(1..).unwrap_or_default();
    hello_options(call, options)?;
    if !call.client.authenticated {
        return Err(error(
            "NOAUTH HELLO must be called with the client already authenticated, otherwise the \
             HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and \
             select the RESP protocol version at the same time",
        ));
    }

    let id = i64::try_from(call.client.id).unwrap_or(i64::MAX);
    Ok(Reply::Array(vec![
        Reply::bulk("server"),
        Reply::bulk("redis"),
        Reply::bulk("version"),
        Reply::bulk(REDIS_VERSION),
        Reply::bulk("proto"),
        Reply::Integer(2),
        Reply::bulk("id"),
        Reply::Integer(id),
        Reply::bulk("mode"),
        Reply::bulk("standalone"),
        Reply::bulk("role"),
        Reply::bulk("master"),
        Reply::bulk("modules"),
        Reply::Array(Vec::new()),
    ]))
}

/// `AUTH user pass` and `SETNAME name` after `HELLO 2`.
fn hello_options(call: &mut Call, mut options: &[Vec<u8>]) -> Result<(), Reply> {
    while let Some(option) = options.first() {
        match (lower(option).as_str(), options.get(1), options.get(2)) {
            ("auth", Some(user), Some(password)) => {
                check_password(call, Some(user), password)?;
                options = &options[3..];
            }
            ("setname", Some(name), _) => {
                call.client.name = Some(name.clone());
                options = &options[2..];
            }
            _ => {
                let option = String::from_utf8_lossy(option);
                return Err(Reply::Error(format!(
                    "ERR Syntax error in HELLO option '{option}'"
                )));
            }
        }
    }
    Ok(())
}

/// `CLIENT SETINFO|SETNAME|GETNAME|ID`.
fn client(call: &mut Call) -> Outcome {
    let sub = lower(&call.args[0]);
    let rest = &call.args[1..];
    let (arity_ok, reply) = match sub.as_str() {
        "setinfo" => (rest.len() == 2, client_setinfo(rest)),
        "setname" => {
            call.client.name = rest.first().cloned();
            (rest.len() == 1, ok())
        }
        "getname" => {
            let name = call.client.name.clone();
            (rest.is_empty(), name.map_or(Reply::Nil, Reply::Bulk))
        }
        "id" => (
            rest.is_empty(),
            Reply::Integer(i64::try_from(call.client.id).unwrap_or(0)),
        ),
        _ => return Err(unknown_subcommand(&call.args[0], "CLIENT")),
    };
    if !arity_ok {
        return Err(wrong_arity(&format!("client|{sub}")));
    }
    Ok(reply)
}

fn client_setinfo(rest: &[Vec<u8>]) -> Reply {
    let attribute = rest.first().map(|a| lower(a)).unwrap_or_default();
    if attribute == "lib-name" || attribute == "lib-ver" {
        return ok();
    }
    let shown = rest
        .first()
        .map(|a| String::from_utf8_lossy(a).into_owned())
        .unwrap_or_default();
    Reply::Error(format!("ERR Unrecognized option '{shown}'"))
}

fn select(call: &mut Call) -> Outcome {
    let index = integer(&call.args[0])?;
    let index = u32::try_from(index)
        .ok()
        .filter(|i| *i < 16)
        .ok_or_else(|| error("ERR DB index is out of range"))?;
    call.client.db_index = index;
    call.client.scan_resume = None;
    Ok(ok())
}

/// `COMMAND` and its `COUNT`, `DOCS`, `INFO`, `LIST` subcommands, all empty: clients only
/// use it to learn about key positions, which a read-only simulation does not need.
fn command_info(call: &mut Call) -> Outcome {
    let Some(sub) = call.args.first() else {
        return Ok(Reply::Array(Vec::new()));
    };
    match lower(sub).as_str() {
        "count" => Ok(Reply::Integer(0)),
        "docs" | "info" | "list" => Ok(Reply::Array(Vec::new())),
        _ => Err(unknown_subcommand(sub, "COMMAND")),
    }
}

// ---------------------------------------------------------------------------------------
// Keyspace commands
// ---------------------------------------------------------------------------------------

fn entry<'a>(call: &Call<'a>, key: &[u8]) -> Option<&'a RedisEntry> {
    call.db.entries.get(key)
}

fn key_type(call: &mut Call) -> Outcome {
    let name = entry(call, &call.args[0]).map_or("none", |e| e.value.type_name());
    Ok(Reply::Status(name.to_string()))
}

/// `TTL` (`scale` 1) and `PTTL` (`scale` 1000): -2 for a missing key, -1 without expiry.
fn ttl(call: &mut Call, scale: i64) -> Outcome {
    let reply = match entry(call, &call.args[0]) {
        None => -2,
        Some(RedisEntry {
            ttl_seconds: None, ..
        }) => -1,
        Some(RedisEntry {
            ttl_seconds: Some(secs),
            ..
        }) => secs.saturating_mul(scale),
    };
    Ok(Reply::Integer(reply))
}

fn exists(call: &mut Call) -> Outcome {
    let found = call
        .args
        .iter()
        .filter(|key| entry(call, key).is_some())
        .count();
    Ok(len_reply(found))
}

/// `MATCH`, `COUNT` and (for `SCAN` only) `TYPE` of the scan commands.
struct ScanOptions {
    pattern: Option<Vec<u8>>,
    count: usize,
    type_name: Option<String>,
}

impl ScanOptions {
    fn parse(mut args: &[Vec<u8>], allow_type: bool) -> Result<ScanOptions, Reply> {
        let mut options = ScanOptions {
            pattern: None,
            count: 10,
            type_name: None,
        };
        while let [name, value, rest @ ..] = args {
            match lower(name).as_str() {
                // Redis skips matching for "*", which also lists the empty key.
                "match" => options.pattern = (value.as_slice() != b"*").then(|| value.clone()),
                "count" => {
                    let count = integer(value)?;
                    options.count = usize::try_from(count)
                        .ok()
                        .filter(|c| *c >= 1)
                        .ok_or_else(syntax_error)?;
                }
                "type" if allow_type => options.type_name = Some(lower(value)),
                _ => return Err(syntax_error()),
            }
            args = rest;
        }
        if args.is_empty() {
            Ok(options)
        } else {
            Err(syntax_error())
        }
    }

    fn matches(&self, element: &[u8]) -> bool {
        self.pattern
            .as_deref()
            .is_none_or(|p| glob_match(p, element))
    }
}

fn cursor(arg: &[u8]) -> Result<u64, Reply> {
    let text = std::str::from_utf8(arg).map_err(|_| error("ERR invalid cursor"))?;
    text.parse().map_err(|_| error("ERR invalid cursor"))
}

fn scan_reply(next: u64, items: Vec<Reply>) -> Reply {
    Reply::Array(vec![Reply::bulk(next.to_string()), Reply::Array(items)])
}

/// `SCAN cursor [MATCH p] [COUNT n] [TYPE t]` over the keys in byte order.
fn scan(call: &mut Call) -> Outcome {
    let start = cursor(&call.args[0])?;
    let options = ScanOptions::parse(&call.args[1..], true)?;
    let entries = &call.db.entries;

    // Resume after the last key handed out when the client continues our cursor.
    let resume = call.client.scan_resume.take().filter(|(c, _)| *c == start);
    let walk: Box<dyn Iterator<Item = (&Vec<u8>, &RedisEntry)>> = match &resume {
        Some((_, after)) => {
            let bounds = (Bound::Excluded(after.as_slice()), Bound::Unbounded);
            Box::new(entries.range::<[u8], _>(bounds))
        }
        None => Box::new(
            entries
                .iter()
                .skip(usize::try_from(start).unwrap_or(usize::MAX)),
        ),
    };
    let page: Vec<(&Vec<u8>, &RedisEntry)> = walk.take(options.count).collect();

    let reached = start.saturating_add(page.len() as u64);
    let next = if reached >= entries.len() as u64 {
        0
    } else {
        reached
    };
    if let (true, Some((last, _))) = (next != 0, page.last()) {
        call.client.scan_resume = Some((next, last.to_vec()));
    }

    let wanted_type = options.type_name.as_deref();
    let keys = page
        .into_iter()
        .filter(|(key, entry)| {
            options.matches(key) && wanted_type.is_none_or(|t| t == entry.value.type_name())
        })
        .map(|(key, _)| Reply::Bulk(key.clone()))
        .collect();
    Ok(scan_reply(next, keys))
}

/// One page of a collection scan: elements `cursor..cursor+count` and the next cursor.
fn page<T>(items: &[T], cursor: u64, count: usize) -> (&[T], u64) {
    let start = usize::try_from(cursor)
        .unwrap_or(usize::MAX)
        .min(items.len());
    let end = start.saturating_add(count).min(items.len());
    let next = if end >= items.len() { 0 } else { end as u64 };
    (&items[start..end], next)
}

/// The value under the first argument, if it has the type `pick` accepts; `WRONGTYPE`
/// when the key holds another type.
fn typed<'a, T>(
    call: &Call<'a>,
    pick: fn(&'a RedisValue) -> Option<T>,
) -> Result<Option<T>, Reply> {
    match entry(call, &call.args[0]) {
        None => Ok(None),
        Some(entry) => pick(&entry.value).map(Some).ok_or_else(wrongtype),
    }
}

fn string_of<'a>(call: &Call<'a>) -> Result<Option<&'a [u8]>, Reply> {
    typed(call, |v| {
        if let RedisValue::String(s) = v {
            Some(s.as_slice())
        } else {
            None
        }
    })
}

fn hash_of<'a>(call: &Call<'a>) -> Result<Option<&'a Pairs>, Reply> {
    typed(call, |v| {
        if let RedisValue::Hash(h) = v {
            Some(h.as_slice())
        } else {
            None
        }
    })
}

fn list_of<'a>(call: &Call<'a>) -> Result<Option<&'a [Vec<u8>]>, Reply> {
    typed(call, |v| {
        if let RedisValue::List(l) = v {
            Some(l.as_slice())
        } else {
            None
        }
    })
}

fn set_of<'a>(call: &Call<'a>) -> Result<Option<&'a [Vec<u8>]>, Reply> {
    typed(call, |v| {
        if let RedisValue::Set(s) = v {
            Some(s.as_slice())
        } else {
            None
        }
    })
}

/// A sorted set's members in Redis order: by score, then by member bytes.
fn zset_of(call: &Call) -> Result<Option<Scored>, Reply> {
    let members = typed(call, |v| {
        if let RedisValue::ZSet(z) = v {
            Some(z)
        } else {
            None
        }
    })?;
    Ok(members.map(|members| {
        let mut sorted = members.clone();
        sorted.sort_by(|a, b| a.1.total_cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
        sorted
    }))
}

/// A stream's entries in ID order.
fn stream_of<'a>(call: &Call<'a>) -> Result<Option<Vec<&'a StreamEntry>>, Reply> {
    let entries = typed(call, |v| {
        if let RedisValue::Stream(s) = v {
            Some(s)
        } else {
            None
        }
    })?;
    Ok(entries.map(|entries| {
        let mut sorted: Vec<&StreamEntry> = entries.iter().collect();
        sorted.sort_by_key(|entry| entry.id);
        sorted
    }))
}

// ---------------------------------------------------------------------------------------
// Value commands
// ---------------------------------------------------------------------------------------

fn get(call: &mut Call) -> Outcome {
    Ok(string_of(call)?.map_or(Reply::Nil, Reply::bulk))
}

/// Bytes `start..=end` of a string, indices from the end when negative, as
/// `LRANGE` counts them (a missing key is the empty string).
fn getrange(call: &mut Call) -> Outcome {
    let (start, end) = (integer(&call.args[1])?, integer(&call.args[2])?);
    let text = string_of(call)?.unwrap_or_default();
    let window = index_window(text.len(), start, end).map_or(&[][..], |(a, b)| &text[a..=b]);
    Ok(Reply::bulk(window))
}

fn strlen(call: &mut Call) -> Outcome {
    Ok(len_reply(string_of(call)?.map_or(0, <[u8]>::len)))
}

fn pairs_reply(pairs: &Pairs) -> Vec<Reply> {
    pairs
        .iter()
        .flat_map(|(a, b)| [Reply::bulk(a), Reply::bulk(b)])
        .collect()
}

fn hgetall(call: &mut Call) -> Outcome {
    Ok(Reply::Array(pairs_reply(
        hash_of(call)?.unwrap_or_default(),
    )))
}

fn hscan(call: &mut Call) -> Outcome {
    let start = cursor(&call.args[1])?;
    let options = ScanOptions::parse(&call.args[2..], false)?;
    let hash = hash_of(call)?.unwrap_or_default();
    let (fields, next) = page(hash, start, options.count);
    let matching: Vec<_> = fields
        .iter()
        .filter(|(f, _)| options.matches(f))
        .cloned()
        .collect();
    Ok(scan_reply(next, pairs_reply(&matching)))
}

/// Redis's index window: negative indexes count from the end, and out-of-range ends are
/// clamped. `None` when the window is empty.
fn index_window(len: usize, start: i64, stop: i64) -> Option<(usize, usize)> {
    let len = i64::try_from(len).ok()?;
    let start = if start < 0 {
        (start + len).max(0)
    } else {
        start
    };
    let stop = if stop < 0 {
        stop + len
    } else {
        stop.min(len - 1)
    };
    if start > stop || start >= len {
        return None;
    }
    Some((usize::try_from(start).ok()?, usize::try_from(stop).ok()?))
}

fn lrange(call: &mut Call) -> Outcome {
    let (start, stop) = (integer(&call.args[1])?, integer(&call.args[2])?);
    let list = list_of(call)?.unwrap_or_default();
    let window = index_window(list.len(), start, stop).map_or(&[][..], |(a, b)| &list[a..=b]);
    Ok(Reply::bulks(window))
}

fn smembers(call: &mut Call) -> Outcome {
    Ok(Reply::bulks(set_of(call)?.unwrap_or_default()))
}

fn sscan(call: &mut Call) -> Outcome {
    let start = cursor(&call.args[1])?;
    let options = ScanOptions::parse(&call.args[2..], false)?;
    let set = set_of(call)?.unwrap_or_default();
    let (members, next) = page(set, start, options.count);
    let matching = members
        .iter()
        .filter(|m| options.matches(m))
        .map(Reply::bulk);
    Ok(scan_reply(next, matching.collect()))
}

fn scored_reply(members: &[(Vec<u8>, f64)], with_scores: bool) -> Vec<Reply> {
    let mut items = Vec::new();
    for (member, score) in members {
        items.push(Reply::bulk(member));
        if with_scores {
            items.push(Reply::bulk(format_double(*score)));
        }
    }
    items
}

/// `ZRANGE key start stop [REV] [WITHSCORES]`, by index.
fn zrange(call: &mut Call) -> Outcome {
    let (mut reverse, mut with_scores) = (false, false);
    for option in &call.args[3..] {
        match lower(option).as_str() {
            "rev" => reverse = true,
            "withscores" => with_scores = true,
            "byscore" | "bylex" | "limit" => {
                return Err(error(
                    "ERR the simulated Redis supports ZRANGE by index only (no BYSCORE, BYLEX \
                     or LIMIT)",
                ));
            }
            _ => return Err(syntax_error()),
        }
    }
    let (start, stop) = (integer(&call.args[1])?, integer(&call.args[2])?);

    let mut members = zset_of(call)?.unwrap_or_default();
    if reverse {
        members.reverse();
    }
    let window = index_window(members.len(), start, stop).map_or(&[][..], |(a, b)| &members[a..=b]);
    Ok(Reply::Array(scored_reply(window, with_scores)))
}

fn zscan(call: &mut Call) -> Outcome {
    let start = cursor(&call.args[1])?;
    let options = ScanOptions::parse(&call.args[2..], false)?;
    let members = zset_of(call)?.unwrap_or_default();
    let (members, next) = page(&members, start, options.count);
    let matching: Vec<_> = members
        .iter()
        .filter(|(m, _)| options.matches(m))
        .cloned()
        .collect();
    Ok(scan_reply(next, scored_reply(&matching, true)))
}

/// Which end of an `XRANGE` interval an ID bounds.
#[derive(Clone, Copy, PartialEq)]
enum End {
    Start,
    Stop,
}

/// An `XRANGE` bound: `-`, `+`, `MS`, `MS-SEQ`, or one of those after `(` (exclusive).
fn range_id(arg: &[u8], end: End) -> Result<StreamId, Reply> {
    let invalid = || error("ERR Invalid stream ID specified as stream command argument");
    let text = std::str::from_utf8(arg).map_err(|_| invalid())?;
    let (exclusive, text) = match text.strip_prefix('(') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let id = match (text, end) {
        ("-", _) => StreamId::MIN,
        ("+", _) => StreamId::MAX,
        _ if text.contains('-') => text.parse().map_err(|_| invalid())?,
        _ => {
            let ms = text.parse().map_err(|_| invalid())?;
            let seq = if end == End::Start { 0 } else { u64::MAX };
            StreamId { ms, seq }
        }
    };
    if exclusive {
        step_past(id, end)
    } else {
        Ok(id)
    }
}

/// The ID just inside an exclusive bound.
fn step_past(id: StreamId, end: End) -> Result<StreamId, Reply> {
    let stepped = match end {
        End::Start if id.seq == u64::MAX => id.ms.checked_add(1).map(|ms| StreamId { ms, seq: 0 }),
        End::Start => Some(StreamId {
            seq: id.seq + 1,
            ..id
        }),
        End::Stop if id.seq == 0 => id
            .ms
            .checked_sub(1)
            .map(|ms| StreamId { ms, seq: u64::MAX }),
        End::Stop => Some(StreamId {
            seq: id.seq - 1,
            ..id
        }),
    };
    let which = if end == End::Start { "start" } else { "end" };
    stepped.ok_or_else(|| Reply::Error(format!("ERR invalid {which} ID for the interval")))
}

/// `XRANGE key start end [COUNT n]`.
fn xrange(call: &mut Call) -> Outcome {
    let start = range_id(&call.args[1], End::Start)?;
    let stop = range_id(&call.args[2], End::Stop)?;
    let limit = match &call.args[3..] {
        [] => None,
        [word, count] if lower(word) == "count" => Some(integer(count)?.max(0)),
        _ => return Err(syntax_error()),
    };
    if limit == Some(0) {
        return Ok(Reply::Nil);
    }

    let entries = stream_of(call)?.unwrap_or_default();
    let in_range = entries
        .into_iter()
        .filter(|e| start <= e.id && e.id <= stop);
    let limit = limit
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or(usize::MAX);
    let replies = in_range.take(limit).map(|entry| {
        let fields = Reply::Array(pairs_reply(&entry.fields));
        Reply::Array(vec![Reply::bulk(entry.id.to_string()), fields])
    });
    Ok(Reply::Array(replies.collect()))
}

// ---------------------------------------------------------------------------------------
// INFO
// ---------------------------------------------------------------------------------------

/// When this process's simulated servers started, for uptimes.
fn started() -> &'static (Instant, u64) {
    static STARTED: OnceLock<(Instant, u64)> = OnceLock::new();
    STARTED.get_or_init(|| (Instant::now(), unix_now()))
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Redis's `bytesToHuman`: `512B`, `1.50K`, `3.25M`, ...
fn bytes_to_human(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["K", "M", "G", "T", "P"];
    if bytes < 1024 {
        return format!("{bytes}B");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.2}{}", UNITS[unit])
}

/// A rough memory figure: a baseline plus the bytes the data holds.
fn used_memory(db: &RedisDb) -> u64 {
    const BASELINE: u64 = 1_150_000;
    const PER_ITEM: u64 = 48;
    let item = |a: &[u8], b: &[u8]| (a.len() + b.len()) as u64 + PER_ITEM;
    let value_size = |value: &RedisValue| -> u64 {
        match value {
            RedisValue::String(s) => item(s, b""),
            RedisValue::Hash(pairs) => pairs.iter().map(|(f, v)| item(f, v)).sum(),
            RedisValue::List(items) | RedisValue::Set(items) => {
                items.iter().map(|i| item(i, b"")).sum()
            }
            RedisValue::ZSet(members) => members.iter().map(|(m, _)| item(m, b"") + 8).sum(),
            RedisValue::Stream(entries) => entries
                .iter()
                .flat_map(|e| &e.fields)
                .map(|(f, v)| item(f, v))
                .sum(),
        }
    };
    let data: u64 = db
        .entries
        .iter()
        .map(|(key, e)| item(key, b"") + value_size(&e.value))
        .sum();
    BASELINE + data
}

/// A stable 40-hex-digit id derived from the data, like Redis's `run_id`.
fn run_id(db: &RedisDb) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for key in db.entries.keys() {
        for &byte in key {
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{hash:016x}{:016x}{:08x}", hash.rotate_left(17), hash >> 32)
}

/// What `INFO` prints, section by section in Redis's order, with `{name}` for the
/// figures [`info_figures`] fills in. Sections are separated by blank lines.
const INFO_TEMPLATE: &str = "\
# Server
redis_version:{version}
redis_git_sha1:00000000
redis_git_dirty:0
redis_build_id:6b9e4c1f2a7d3e58
redis_mode:standalone
os:Linux 5.15.0-105-generic x86_64
arch_bits:64
monotonic_clock:POSIX clock_gettime
multiplexing_api:epoll
gcc_version:12.2.0
process_id:1
process_supervised:no
run_id:{run_id}
tcp_port:6379
server_time_usec:{time_usec}
uptime_in_seconds:{uptime}
uptime_in_days:{uptime_days}
hz:10
configured_hz:10
executable:/usr/local/bin/redis-server
config_file:/etc/redis/redis.conf
io_threads_active:0

# Clients
connected_clients:1
cluster_connections:0
maxclients:10000
blocked_clients:0
tracking_clients:0

# Memory
used_memory:{memory}
used_memory_human:{memory_human}
used_memory_rss:{rss}
used_memory_rss_human:{rss_human}
used_memory_peak:{memory}
used_memory_peak_human:{memory_human}
maxmemory:0
maxmemory_human:0B
maxmemory_policy:noeviction
mem_fragmentation_ratio:1.12
mem_allocator:jemalloc-5.3.0

# Persistence
loading:0
rdb_changes_since_last_save:0
rdb_bgsave_in_progress:0
rdb_last_save_time:{started}
rdb_last_bgsave_status:ok
aof_enabled:0

# Stats
total_connections_received:{connections}
total_commands_processed:{commands}
instantaneous_ops_per_sec:0
expired_keys:0
evicted_keys:0
keyspace_hits:0
keyspace_misses:0

# Replication
role:master
connected_slaves:0
master_repl_offset:0

# CPU
used_cpu_sys:{cpu_sys}
used_cpu_user:{cpu_user}

# Modules

# Cluster
cluster_enabled:0

# Keyspace
{keyspace}";

/// The values of [`INFO_TEMPLATE`]'s placeholders for `db`, now.
fn info_figures(db: &RedisDb) -> Vec<(&'static str, String)> {
    let (since, started_unix) = started();
    // Pretend the server has been up a few days, as a tenant Redis would be.
    let uptime = since.elapsed().as_secs() + 3 * 86_400 + 7 * 3_600;
    let memory = used_memory(db);
    let rss = memory + memory / 8;
    vec![
        ("version", REDIS_VERSION.to_string()),
        ("run_id", run_id(db)),
        ("time_usec", (unix_now() * 1_000_000).to_string()),
        ("uptime", uptime.to_string()),
        ("uptime_days", (uptime / 86_400).to_string()),
        ("memory", memory.to_string()),
        ("memory_human", bytes_to_human(memory)),
        ("rss", rss.to_string()),
        ("rss_human", bytes_to_human(rss)),
        ("started", started_unix.to_string()),
        (
            "connections",
            CONNECTIONS.load(Ordering::Relaxed).to_string(),
        ),
        (
            "commands",
            COMMANDS_PROCESSED.load(Ordering::Relaxed).to_string(),
        ),
        ("cpu_sys", format!("{:.6}", uptime as f64 * 0.0021)),
        ("cpu_user", format!("{:.6}", uptime as f64 * 0.0034)),
        ("keyspace", keyspace_line(db)),
    ]
}

/// `db0:keys=N,expires=M,avg_ttl=MS`, or nothing for an empty database, as Redis prints.
fn keyspace_line(db: &RedisDb) -> String {
    if db.entries.is_empty() {
        return String::new();
    }
    let ttls: Vec<i64> = db.entries.values().filter_map(|e| e.ttl_seconds).collect();
    let average_ms = match ttls.len() {
        0 => 0,
        n => ttls.iter().sum::<i64>().saturating_mul(1000) / n as i64,
    };
    let keys = db.entries.len();
    format!(
        "db0:keys={keys},expires={},avg_ttl={average_ms}",
        ttls.len()
    )
}

/// `INFO [section ...]`: the sections asked for (`default`, `all` and `everything` give
/// every section), each `# Title` then `name:value` lines, all ending in `\r\n`, with a
/// blank line between sections. Unknown sections are left out, as Redis does.
fn info(call: &mut Call) -> Outcome {
    let wanted: Vec<String> = call.args.iter().map(|a| lower(a)).collect();
    let everything = wanted.is_empty()
        || wanted
            .iter()
            .any(|w| matches!(w.as_str(), "default" | "all" | "everything"));

    let mut filled = INFO_TEMPLATE.to_string();
    for (name, value) in info_figures(call.server) {
        filled = filled.replace(&format!("{{{name}}}"), &value);
    }

    let mut sections = Vec::new();
    for section in filled.split("\n\n") {
        let title = section.lines().next().unwrap_or_default();
        let name = title.trim_start_matches("# ").to_ascii_lowercase();
        if everything || wanted.contains(&name) {
            let lines = section.lines().filter(|line| !line.is_empty());
            sections.push(lines.map(|line| format!("{line}\r\n")).collect::<String>());
        }
    }
    Ok(Reply::Bulk(sections.join("\r\n").into_bytes()))
}

// ---------------------------------------------------------------------------------------
// RESP
// ---------------------------------------------------------------------------------------

/// Longest inline command or `*`/`$` header line, as in Redis.
const MAX_LINE: usize = 64 * 1024;
/// Most arguments in one multi-bulk command, as in Redis.
const MAX_ARGS: i64 = 1024 * 1024;
/// Longest bulk argument, as Redis's default `proto-max-bulk-len`.
const MAX_BULK: i64 = 512 * 1024 * 1024;

/// Why reading a request stopped.
#[derive(Debug)]
enum ReadError {
    Io(std::io::Error),
    /// The client broke the protocol; Redis answers `-ERR Protocol error: ...` and closes.
    Protocol(String),
}

impl From<std::io::Error> for ReadError {
    fn from(err: std::io::Error) -> Self {
        ReadError::Io(err)
    }
}

/// Reads one line up to `\n`, without its `\r\n`. `None` at a clean end of stream (or
/// one in the middle of a line: the client is gone either way).
async fn read_line<R: AsyncBufRead + Unpin>(reader: &mut R) -> Result<Option<Vec<u8>>, ReadError> {
    let mut line = Vec::new();
    let limit = (MAX_LINE + 2) as u64;
    (&mut *reader)
        .take(limit)
        .read_until(b'\n', &mut line)
        .await?;
    if line.last() != Some(&b'\n') {
        if line.len() as u64 >= limit {
            return Err(ReadError::Protocol("too big inline request".into()));
        }
        return Ok(None);
    }
    line.pop();
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    Ok(Some(line))
}

/// A header number (`*3`, `$5`), or `None` when it is not one.
fn header_number(digits: &[u8]) -> Option<i64> {
    std::str::from_utf8(digits).ok()?.parse().ok()
}

/// Reads one request: a multi-bulk array of bulk strings, or an inline command line.
/// An empty request (`*0`, a blank line) comes back as no arguments.
async fn read_request<R: AsyncBufRead + Unpin>(
    reader: &mut R,
) -> Result<Option<Vec<Vec<u8>>>, ReadError> {
    let Some(line) = read_line(reader).await? else {
        return Ok(None);
    };
    let Some(count) = line.strip_prefix(b"*") else {
        let args = split_args(&line)
            .map_err(|_| ReadError::Protocol("unbalanced quotes in request".into()))?;
        return Ok(Some(args));
    };

    let count = header_number(count)
        .filter(|n| *n <= MAX_ARGS)
        .ok_or_else(|| ReadError::Protocol("invalid multibulk length".into()))?;
    let mut args = Vec::with_capacity(usize::try_from(count.clamp(0, 1024)).unwrap_or(0));
    for _ in 0..count.max(0) {
        let Some(arg) = read_bulk(reader).await? else {
            return Ok(None);
        };
        args.push(arg);
    }
    Ok(Some(args))
}

/// Reads one `$len\r\n<bytes>\r\n` argument.
async fn read_bulk<R: AsyncBufRead + Unpin>(reader: &mut R) -> Result<Option<Vec<u8>>, ReadError> {
    let Some(header) = read_line(reader).await? else {
        return Ok(None);
    };
    let Some(len) = header.strip_prefix(b"$") else {
        let got = header.first().map_or(' ', |b| char::from(*b));
        return Err(ReadError::Protocol(format!("expected '$', got '{got}'")));
    };
    let len = header_number(len)
        .filter(|n| (0..=MAX_BULK).contains(n))
        .and_then(|n| usize::try_from(n).ok())
        .ok_or_else(|| ReadError::Protocol("invalid bulk length".into()))?;

    let mut bytes = vec![0; len + 2];
    match reader.read_exact(&mut bytes).await {
        Ok(_) => {}
        Err(err) if err.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(err) => return Err(err.into()),
    }
    // Like Redis, trust the two bytes after the payload to be "\r\n".
    bytes.truncate(len);
    Ok(Some(bytes))
}

/// Appends `reply` in RESP2. Status and error texts lose any CR/LF, which RESP forbids.
pub fn encode(reply: &Reply, out: &mut Vec<u8>) {
    let line = |out: &mut Vec<u8>, prefix: u8, text: &str| {
        out.push(prefix);
        out.extend(
            text.bytes()
                .map(|b| if b == b'\r' || b == b'\n' { b' ' } else { b }),
        );
        out.extend_from_slice(b"\r\n");
    };
    match reply {
        Reply::Nil => out.extend_from_slice(b"$-1\r\n"),
        Reply::Integer(n) => line(out, b':', &n.to_string()),
        Reply::Status(text) => line(out, b'+', text),
        Reply::Error(text) => line(out, b'-', text),
        Reply::Bulk(bytes) => {
            line(out, b'$', &bytes.len().to_string());
            out.extend_from_slice(bytes);
            out.extend_from_slice(b"\r\n");
        }
        Reply::Array(items) => {
            line(out, b'*', &items.len().to_string());
            items.iter().for_each(|item| encode(item, out));
        }
    }
}

/// Whether an I/O error only means the client went away.
fn is_disconnect(err: &std::io::Error) -> bool {
    use std::io::ErrorKind::{BrokenPipe, ConnectionAborted, ConnectionReset, UnexpectedEof};
    matches!(
        err.kind(),
        BrokenPipe | ConnectionAborted | ConnectionReset | UnexpectedEof
    )
}

/// Serves one client connection on `stream` from `db` until the client quits or goes.
///
/// Requests may be pipelined: replies are written in order and flushed whenever no
/// further request is already buffered. A protocol error gets Redis's
/// `-ERR Protocol error: ...` and closes the connection. The client closing its side is
/// a normal end; only other I/O errors are returned.
pub async fn serve<S>(stream: S, db: Arc<RedisDb>) -> std::io::Result<()>
where
    S: AsyncRead + AsyncWrite + Unpin + Send,
{
    let (read_half, write_half) = tokio::io::split(stream);
    let mut reader = BufReader::new(read_half);
    let mut writer = BufWriter::new(write_half);
    let result = answer(&mut reader, &mut writer, &db).await;
    match result {
        Err(err) if is_disconnect(&err) => Ok(()),
        other => other,
    }
}

/// The request/reply loop of [`serve`].
async fn answer<R, W>(
    reader: &mut BufReader<R>,
    writer: &mut W,
    db: &RedisDb,
) -> std::io::Result<()>
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut client = ClientState::new(db);
    let mut out = Vec::new();
    loop {
        let args = match read_request(reader).await {
            Ok(Some(args)) => args,
            Ok(None) => break,
            Err(ReadError::Io(err)) => return Err(err),
            Err(ReadError::Protocol(message)) => {
                let reply = format!("-ERR Protocol error: {message}\r\n");
                writer.write_all(reply.as_bytes()).await?;
                break;
            }
        };
        if args.is_empty() {
            continue;
        }

        let quit = args[0].eq_ignore_ascii_case(b"quit");
        out.clear();
        encode(&execute(db, &mut client, &args), &mut out);
        writer.write_all(&out).await?;
        if quit {
            break;
        }
        if reader.buffer().is_empty() {
            writer.flush().await?;
        }
    }
    writer.flush().await?;
    writer.shutdown().await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::redis_data::sample_db;

    /// Runs commands on one connection; each command is a space-separated line.
    fn run(db: &RedisDb, lines: &[&str]) -> Vec<Reply> {
        let mut client = ClientState::new(db);
        lines
            .iter()
            .map(|line| {
                let args: Vec<Vec<u8>> = line.split(' ').map(|w| w.as_bytes().to_vec()).collect();
                execute(db, &mut client, &args)
            })
            .collect()
    }

    fn one(db: &RedisDb, line: &str) -> Reply {
        run(db, &[line]).remove(0)
    }

    fn small_db() -> RedisDb {
        let mut db = RedisDb::new();
        db.insert("s", RedisValue::string("v"));
        db.insert_with_ttl("t", RedisValue::string(""), 90);
        db.insert(
            "h",
            RedisValue::hash([("f1", "a"), ("f2", "b"), ("g", "c")]),
        );
        db.insert("l", RedisValue::list(["a", "b", "c", "d"]));
        db.insert(
            "z",
            RedisValue::zset([("b", 2.0), ("a", 1.5), ("c", 2.0), ("m", -1.0)]),
        );
        db.insert(
            "x",
            RedisValue::stream([
                StreamEntry::new(5, 1, [("k", "v2")]),
                StreamEntry::new(5, 0, [("k", "v1")]),
                StreamEntry::new(7, 0, [("k", "v3")]),
            ]),
        );
        db
    }

    #[test]
    fn unknown_command_error_quotes_its_arguments() {
        let reply = one(&small_db(), "FOO a b\nc");
        let text = "ERR unknown command 'FOO', with args beginning with: 'a' 'b c' ";
        assert_eq!(reply, error(text));
    }

    #[test]
    fn getrange_counts_like_redis() {
        let mut db = RedisDb::new();
        db.insert("s", RedisValue::string("This is a string"));
        let got = |line: &str| one(&db, line);
        assert_eq!(got("getrange s 0 3"), Reply::bulk(b"This"));
        assert_eq!(got("getrange s -3 -1"), Reply::bulk(b"ing"));
        assert_eq!(got("getrange s 0 -1"), Reply::bulk(b"This is a string"));
        assert_eq!(got("getrange s 10 100"), Reply::bulk(b"string"));
        assert_eq!(got("getrange s 5 2"), Reply::bulk(b""));
        assert_eq!(got("getrange missing 0 3"), Reply::bulk(b""));
        assert!(matches!(got("getrange s a 3"), Reply::Error(_)));
    }

    #[test]
    fn arity_is_checked_before_auth_and_unknown_before_both() {
        let db = small_db().with_password("pw");
        assert_eq!(one(&db, "get"), wrong_arity("get"));
        assert_eq!(one(&db, "get k"), error("NOAUTH Authentication required."));
        assert!(matches!(one(&db, "nope"), Reply::Error(e) if e.starts_with("ERR unknown")));
    }

    #[test]
    fn auth_then_commands_work() {
        let db = small_db().with_password("pw");
        let replies = run(
            &db,
            &["auth wrong", "get s", "auth pw", "get s", "auth default pw"],
        );
        let wrongpass = error("WRONGPASS invalid username-password pair or user is disabled.");
        let noauth = error("NOAUTH Authentication required.");
        assert_eq!(
            replies,
            vec![wrongpass, noauth, ok(), Reply::bulk("v"), ok()]
        );
    }

    #[test]
    fn auth_without_password_configured_is_an_error() {
        let reply = one(&small_db(), "auth x");
        assert!(matches!(reply, Reply::Error(e) if e.contains("without any password")));
    }

    #[test]
    fn hello_refuses_resp3_and_describes_resp2() {
        let db = small_db();
        assert_eq!(
            one(&db, "hello 3"),
            error("NOPROTO unsupported protocol version")
        );
        let Reply::Array(items) = one(&db, "hello 2") else {
            panic!("not an array")
        };
        assert_eq!(items[3], Reply::bulk(REDIS_VERSION));
        assert_eq!(items[5], Reply::Integer(2));
    }

    #[test]
    fn hello_auth_authenticates() {
        let db = small_db().with_password("pw");
        let replies = run(&db, &["hello 2", "hello 2 AUTH default pw", "get s"]);
        assert!(matches!(&replies[0], Reply::Error(e) if e.starts_with("NOAUTH HELLO")));
        assert!(matches!(replies[1], Reply::Array(_)));
        assert_eq!(replies[2], Reply::bulk("v"));
    }

    #[test]
    fn client_setinfo_and_names() {
        let db = small_db();
        let replies = run(
            &db,
            &[
                "client setinfo LIB-NAME redis-rs",
                "client setname me",
                "client getname",
            ],
        );
        assert_eq!(replies, vec![ok(), ok(), Reply::bulk("me")]);
        assert_eq!(one(&db, "client setinfo"), wrong_arity("client|setinfo"));
        assert_eq!(
            one(&db, "client kill"),
            error("ERR unknown subcommand 'kill'. Try CLIENT HELP.")
        );
    }

    #[test]
    fn select_reaches_empty_databases() {
        let db = small_db();
        let replies = run(&db, &["select 3", "dbsize", "get s", "select 0", "dbsize"]);
        assert_eq!(
            replies,
            vec![ok(), Reply::Integer(0), Reply::Nil, ok(), Reply::Integer(6)]
        );
        assert_eq!(one(&db, "select 16"), error("ERR DB index is out of range"));
        assert_eq!(one(&db, "select x"), not_an_integer());
    }

    #[test]
    fn type_ttl_exists() {
        let db = small_db();
        let replies = run(
            &db,
            &[
                "type h",
                "type nope",
                "ttl t",
                "pttl t",
                "ttl s",
                "ttl nope",
            ],
        );
        let status = |s: &str| Reply::Status(s.to_string());
        let expected = vec![
            status("hash"),
            status("none"),
            Reply::Integer(90),
            Reply::Integer(90_000),
            Reply::Integer(-1),
            Reply::Integer(-2),
        ];
        assert_eq!(replies, expected);
        assert_eq!(one(&db, "exists s s nope h"), Reply::Integer(3));
    }

    #[test]
    fn wrongtype_where_redis_gives_it() {
        let db = small_db();
        for line in [
            "get h",
            "strlen l",
            "hgetall s",
            "lrange h 0 1",
            "smembers z",
            "zrange s 0 1",
            "xrange h - +",
            "hscan l 0",
            "sscan s 0",
            "zscan x 0",
            "hlen s",
            "xlen z",
        ] {
            assert_eq!(one(&db, line), wrongtype(), "{line}");
        }
    }

    #[test]
    fn missing_keys_read_as_empty() {
        let db = small_db();
        let replies = run(
            &db,
            &[
                "get nope",
                "strlen nope",
                "hgetall nope",
                "lrange nope 0 -1",
            ],
        );
        let empty = Reply::Array(Vec::new());
        assert_eq!(
            replies,
            vec![Reply::Nil, Reply::Integer(0), empty.clone(), empty]
        );
    }

    #[test]
    fn lrange_windows_follow_redis() {
        let db = small_db();
        assert_eq!(
            one(&db, "lrange l 0 -1"),
            Reply::bulks(["a", "b", "c", "d"])
        );
        assert_eq!(one(&db, "lrange l -2 100"), Reply::bulks(["c", "d"]));
        assert_eq!(one(&db, "lrange l -100 0"), Reply::bulks(["a"]));
        assert_eq!(one(&db, "lrange l 3 1"), Reply::Array(Vec::new()));
        assert_eq!(one(&db, "lrange l 9 10"), Reply::Array(Vec::new()));
        assert_eq!(one(&db, "lrange l x 1"), not_an_integer());
    }

    #[test]
    fn zrange_sorts_by_score_then_member() {
        let db = small_db();
        assert_eq!(
            one(&db, "zrange z 0 -1"),
            Reply::bulks(["m", "a", "b", "c"])
        );
        let with = Reply::bulks(["c", "2", "b", "2"]);
        assert_eq!(one(&db, "zrange z 0 1 REV WITHSCORES"), with);
        assert_eq!(
            one(&db, "zrange z 0 0 withscores"),
            Reply::bulks(["m", "-1"])
        );
        assert_eq!(one(&db, "zrange z 0 -1 foo"), syntax_error());
    }

    #[test]
    fn xrange_bounds_and_count() {
        let db = small_db();
        let ids = |reply: Reply| -> Vec<Reply> {
            let Reply::Array(entries) = reply else {
                panic!("not an array: {reply:?}")
            };
            entries
                .into_iter()
                .map(|e| match e {
                    Reply::Array(mut parts) => parts.remove(0),
                    other => panic!("not an entry: {other:?}"),
                })
                .collect()
        };
        let bulks = |ids: &[&str]| ids.iter().map(Reply::bulk).collect::<Vec<_>>();
        assert_eq!(ids(one(&db, "xrange x - +")), bulks(&["5-0", "5-1", "7-0"]));
        assert_eq!(ids(one(&db, "xrange x 5 5")), bulks(&["5-0", "5-1"]));
        assert_eq!(ids(one(&db, "xrange x (5-0 +")), bulks(&["5-1", "7-0"]));
        assert_eq!(
            ids(one(&db, "xrange x - + COUNT 2")),
            bulks(&["5-0", "5-1"])
        );
        assert_eq!(one(&db, "xrange x - + count 0"), Reply::Nil);
        assert_eq!(one(&db, "xrange x - + count"), syntax_error());
        let invalid = error("ERR Invalid stream ID specified as stream command argument");
        assert_eq!(one(&db, "xrange x abc +"), invalid);
        let first = Reply::Array(vec![Reply::bulk("5-0"), Reply::bulks(["k", "v1"])]);
        assert_eq!(one(&db, "xrange x - 5-0"), Reply::Array(vec![first]));
    }

    /// Follows SCAN cursors to the end and returns every key seen, in order.
    fn full_scan(db: &RedisDb, options: &str) -> Vec<Vec<u8>> {
        let mut client = ClientState::new(db);
        let mut cursor = "0".to_string();
        let mut keys = Vec::new();
        loop {
            let mut args = vec![b"scan".to_vec(), cursor.as_bytes().to_vec()];
            args.extend(options.split_whitespace().map(|w| w.as_bytes().to_vec()));
            let Reply::Array(parts) = execute(db, &mut client, &args) else {
                panic!("scan")
            };
            let [Reply::Bulk(next), Reply::Array(page)] = parts.as_slice() else {
                panic!("shape")
            };
            keys.extend(page.iter().map(|k| match k {
                Reply::Bulk(k) => k.clone(),
                other => panic!("not a key: {other:?}"),
            }));
            cursor = String::from_utf8(next.clone()).unwrap();
            if cursor == "0" {
                return keys;
            }
        }
    }

    #[test]
    fn scan_visits_every_key_once_including_hostile_ones() {
        let db = sample_db("acme");
        let keys = full_scan(&db, "COUNT 7");
        let expected: Vec<Vec<u8>> = db.entries.keys().cloned().collect();
        assert_eq!(keys, expected);
        assert!(keys.contains(&Vec::new()), "the empty key is listed");
    }

    #[test]
    fn scan_match_and_type_filter_pages() {
        let db = sample_db("acme");
        let big = full_scan(&db, "MATCH acme:big:* COUNT 5");
        assert_eq!(big.len(), 4);
        let zsets = full_scan(&db, "TYPE zset COUNT 3");
        let expected: Vec<&[u8]> = vec![b"acme:big:zset", b"acme:leaderboard"];
        assert_eq!(zsets, expected);
        let literal = full_scan(&db, r"MATCH \*glob\?\[chars]\\");
        assert_eq!(literal, vec![b"*glob?[chars]\\".to_vec()]);
    }

    #[test]
    fn scan_with_an_invented_cursor_still_pages() {
        let db = small_db();
        let Reply::Array(parts) = one(&db, "scan 2 count 2") else {
            panic!("scan")
        };
        assert_eq!(parts[0], Reply::bulk("4"));
        assert_eq!(parts[1], Reply::bulks(["s", "t"]));
        assert_eq!(one(&db, "scan 99"), scan_reply(0, Vec::new()));
    }

    #[test]
    fn scan_argument_errors() {
        let db = small_db();
        assert_eq!(one(&db, "scan x"), error("ERR invalid cursor"));
        assert_eq!(one(&db, "scan 0 count 0"), syntax_error());
        assert_eq!(one(&db, "scan 0 match"), syntax_error());
        assert_eq!(one(&db, "hscan h 0 type hash"), syntax_error());
        assert_eq!(one(&db, "scan 0 count x"), not_an_integer());
    }

    #[test]
    fn hscan_sscan_zscan_page_through_collections() {
        let db = sample_db("acme");
        let mut client = ClientState::new(&db);
        let mut cursor = b"0".to_vec();
        let mut fields = 0;
        loop {
            let args = [
                b"hscan".to_vec(),
                b"acme:big:hash".to_vec(),
                cursor,
                b"COUNT".to_vec(),
                b"300".to_vec(),
            ];
            let Reply::Array(parts) = execute(&db, &mut client, &args) else {
                panic!()
            };
            let [Reply::Bulk(next), Reply::Array(items)] = parts.as_slice() else {
                panic!()
            };
            fields += items.len() / 2;
            cursor = next.clone();
            if cursor == b"0" {
                break;
            }
        }
        assert_eq!(fields, 2000);

        let reply = one(&db, "zscan acme:leaderboard 0 MATCH a*");
        assert_eq!(
            reply,
            scan_reply(0, vec![Reply::bulk("ada"), Reply::bulk("1.5")])
        );
        let reply = one(&db, "sscan acme:online 0 COUNT 2");
        assert_eq!(
            reply,
            scan_reply(2, vec![Reply::bulk("ada"), Reply::bulk("grace")])
        );
    }

    #[test]
    fn info_sections_and_keyspace() {
        let db = small_db();
        let Reply::Bulk(text) = one(&db, "info keyspace") else {
            panic!()
        };
        assert_eq!(
            text,
            b"# Keyspace\r\ndb0:keys=6,expires=1,avg_ttl=90000\r\n"
        );

        let Reply::Bulk(text) = one(&db, "info server memory") else {
            panic!()
        };
        let text = String::from_utf8(text).unwrap();
        assert!(text.starts_with(&format!("# Server\r\nredis_version:{REDIS_VERSION}\r\n")));
        assert!(text.contains("\r\n\r\n# Memory\r\nused_memory:"), "{text}");
        assert!(text.contains("used_memory_human:1.10M\r\n"), "{text}");
        assert!(!text.contains("# Keyspace"));

        let Reply::Bulk(all) = one(&db, "info") else {
            panic!()
        };
        let all = String::from_utf8(all).unwrap();
        assert!(all.contains("connected_clients:1\r\n") && all.ends_with("avg_ttl=90000\r\n"));
        assert_eq!(one(&db, "info nosuch"), Reply::bulk(""));
    }

    #[test]
    fn bytes_to_human_matches_redis() {
        assert_eq!(bytes_to_human(1023), "1023B");
        assert_eq!(bytes_to_human(1536), "1.50K");
        assert_eq!(bytes_to_human(3 * 1024 * 1024 + 256 * 1024), "3.25M");
    }

    #[test]
    fn encode_writes_resp2() {
        let reply = Reply::Array(vec![
            Reply::Nil,
            Reply::Integer(-3),
            Reply::bulk("a\r\nb"),
            Reply::Status("OK".into()),
            Reply::Error("ERR x\ny".into()),
        ]);
        let mut out = Vec::new();
        encode(&reply, &mut out);
        assert_eq!(
            out,
            b"*5\r\n$-1\r\n:-3\r\n$4\r\na\r\nb\r\n+OK\r\n-ERR x y\r\n"
        );
    }

    /// Sends raw bytes to [`serve`] and returns everything it writes back.
    async fn raw_exchange(db: RedisDb, input: &[u8]) -> Vec<u8> {
        let (mut client, server) = tokio::io::duplex(1 << 16);
        let task = tokio::spawn(serve(server, Arc::new(db)));
        client.write_all(input).await.unwrap();
        client.shutdown().await.unwrap();
        let mut output = Vec::new();
        client.read_to_end(&mut output).await.unwrap();
        task.await.unwrap().unwrap();
        output
    }

    #[tokio::test]
    async fn serve_answers_pipelined_multibulk_and_inline() {
        let input = b"*2\r\n$3\r\nGET\r\n$1\r\ns\r\nPING\r\nexists \"s\" nope\r\n*0\r\n\r\n";
        let output = raw_exchange(small_db(), input).await;
        assert_eq!(output, b"$1\r\nv\r\n+PONG\r\n:1\r\n");
    }

    #[tokio::test]
    async fn serve_reports_protocol_errors_and_closes() {
        let output = raw_exchange(small_db(), b"*1\r\n+GET\r\nPING\r\n").await;
        assert_eq!(output, b"-ERR Protocol error: expected '$', got '+'\r\n");
        let output = raw_exchange(small_db(), b"*x\r\n").await;
        assert_eq!(output, b"-ERR Protocol error: invalid multibulk length\r\n");
        let output = raw_exchange(small_db(), b"GET \"a\r\n").await;
        assert_eq!(
            output,
            b"-ERR Protocol error: unbalanced quotes in request\r\n"
        );
    }

    #[tokio::test]
    async fn serve_stops_after_quit() {
        let output = raw_exchange(small_db(), b"QUIT\r\nPING\r\n").await;
        assert_eq!(output, b"+OK\r\n");
    }

    #[tokio::test]
    async fn serve_handles_a_client_that_vanishes_mid_request() {
        let output = raw_exchange(small_db(), b"*2\r\n$3\r\nGET\r\n$10\r\nabc").await;
        assert!(output.is_empty());
    }
}

/// The `redis` crate, which vmsdbg's native path uses, talking to [`serve`], and checked
/// against the `redis-cli` emulation on the same data (the fallback path).
#[cfg(test)]
mod redis_crate_tests {
    use redis::aio::MultiplexedConnection;
    use redis::{ErrorKind, RedisConnectionInfo, RedisResult, Value};
    use redis_text::{command_line, parse_all};

    use super::*;
    use crate::redis_data::{redis_cli_noraw, sample_db};

    /// Connects the `redis` crate to a fresh [`serve`] task over an in-memory stream.
    async fn connect(db: &RedisDb, password: Option<&str>) -> RedisResult<MultiplexedConnection> {
        let (client, server) = tokio::io::duplex(1 << 16);
        tokio::spawn(serve(server, Arc::new(db.clone())));
        let info = RedisConnectionInfo {
            password: password.map(str::to_string),
            ..RedisConnectionInfo::default()
        };
        let (connection, driver) = MultiplexedConnection::new(&info, client).await?;
        tokio::spawn(driver);
        Ok(connection)
    }

    async fn query(conn: &mut MultiplexedConnection, args: &[Vec<u8>]) -> RedisResult<Value> {
        let mut command = redis::cmd(&String::from_utf8_lossy(&args[0]));
        for arg in &args[1..] {
            command.arg(arg.as_slice());
        }
        command.query_async(conn).await
    }

    /// The `redis` crate's view of a reply, in redis-text's terms.
    fn to_reply(value: Value) -> Reply {
        match value {
            Value::Nil => Reply::Nil,
            Value::Int(n) => Reply::Integer(n),
            Value::BulkString(bytes) => Reply::Bulk(bytes),
            Value::SimpleString(text) => Reply::Status(text),
            Value::Okay => Reply::Status("OK".to_string()),
            Value::Array(items) => Reply::Array(items.into_iter().map(to_reply).collect()),
            other => panic!("RESP3-only value from a RESP2 server: {other:?}"),
        }
    }

    /// The commands vmsdbg reads a key with, by its type.
    fn reads_for(key: &[u8], entry: &RedisEntry) -> Vec<Vec<Vec<u8>>> {
        let command = |words: &[&str]| {
            let mut args = vec![words[0].as_bytes().to_vec(), key.to_vec()];
            args.extend(words[1..].iter().map(|w| w.as_bytes().to_vec()));
            args
        };
        let read = match entry.value {
            RedisValue::String(_) => command(&["GET"]),
            RedisValue::Hash(_) => command(&["HSCAN", "0", "COUNT", "50"]),
            RedisValue::List(_) => command(&["LRANGE", "0", "99"]),
            RedisValue::Set(_) => command(&["SSCAN", "0", "COUNT", "50"]),
            RedisValue::ZSet(_) => command(&["ZRANGE", "0", "99", "WITHSCORES"]),
            RedisValue::Stream(_) => command(&["XRANGE", "-", "+", "COUNT", "10"]),
        };
        vec![command(&["TYPE"]), command(&["TTL"]), read]
    }

    #[tokio::test]
    async fn redis_crate_scans_every_key_exactly_once() {
        let db = sample_db("acme");
        let mut conn = connect(&db, None).await.unwrap();
        let mut keys: Vec<Vec<u8>> = Vec::new();
        let mut cursor = 0u64;
        loop {
            let scan = redis::cmd("SCAN").arg(cursor).arg("COUNT").arg(9).clone();
            let (next, page): (u64, Vec<Vec<u8>>) = scan.query_async(&mut conn).await.unwrap();
            keys.extend(page);
            cursor = next;
            if cursor == 0 {
                break;
            }
        }
        assert_eq!(keys, db.entries.keys().cloned().collect::<Vec<_>>());
    }

    #[tokio::test]
    async fn redis_crate_reads_typed_values() {
        let db = sample_db("acme");
        let mut conn = connect(&db, None).await.unwrap();

        let get = redis::cmd("GET").arg(&b"raw\x00\xff\xfe bytes"[..]).clone();
        let value: Vec<u8> = get.query_async(&mut conn).await.unwrap();
        assert_eq!(value, b"\x00\x01\x02\x7f\x80\xfe\xff");
        let blob: Vec<u8> = redis::cmd("GET")
            .arg("acme:blob:1mib")
            .query_async(&mut conn)
            .await
            .unwrap();
        assert_eq!(blob.len(), 1 << 20);

        let zrange = redis::cmd("ZRANGE")
            .arg("acme:leaderboard")
            .arg(0)
            .arg(-1)
            .arg("WITHSCORES")
            .clone();
        let scores: Vec<(String, f64)> = zrange.query_async(&mut conn).await.unwrap();
        assert_eq!(scores.first(), Some(&("linus".to_string(), -3.0)));
        assert_eq!(scores.last(), Some(&("max".to_string(), f64::INFINITY)));

        let hgetall = redis::cmd("HGETALL").arg("acme:config").clone();
        let fields: Vec<(Vec<u8>, Vec<u8>)> = hgetall.query_async(&mut conn).await.unwrap();
        let RedisValue::Hash(stored) = &db.get(b"acme:config").unwrap().value else {
            panic!()
        };
        assert_eq!(&fields, stored);
    }

    #[tokio::test]
    async fn redis_crate_pipeline_keeps_order() {
        let db = sample_db("acme");
        let mut conn = connect(&db, None).await.unwrap();
        let mut pipe = redis::pipe();
        pipe.cmd("TYPE")
            .arg("acme:events")
            .cmd("LLEN")
            .arg("acme:big:list")
            .cmd("PING");
        pipe.cmd("EXISTS").arg("").arg("nope");
        let (kind, len, pong, found): (String, usize, String, usize) =
            pipe.query_async(&mut conn).await.unwrap();
        assert_eq!(
            (kind.as_str(), len, pong.as_str(), found),
            ("stream", 2500, "PONG", 1)
        );
    }

    #[tokio::test]
    async fn redis_crate_sees_wrongtype_and_noauth_codes() {
        let db = sample_db("acme").with_password("pw");
        let mut conn = connect(&db, Some("pw")).await.unwrap();
        let err = query(&mut conn, &[b"GET".to_vec(), b"acme:config".to_vec()])
            .await
            .unwrap_err();
        assert_eq!(err.code(), Some("WRONGTYPE"));

        let mut anonymous = connect(&db, None).await.unwrap();
        let err = query(&mut anonymous, &[b"DBSIZE".to_vec()])
            .await
            .unwrap_err();
        assert_eq!(err.code(), Some("NOAUTH"));

        let err = connect(&db, Some("wrong")).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::AuthenticationFailed);
    }

    /// The native path and the fallback path must agree on every key of the sample data.
    #[tokio::test]
    async fn native_and_redis_cli_paths_agree_on_every_key() {
        let db = sample_db("acme").with_password("pw");
        let commands: Vec<Vec<Vec<u8>>> = db
            .entries
            .iter()
            .flat_map(|(key, entry)| reads_for(key, entry))
            .collect();

        let mut conn = connect(&db, Some("pw")).await.unwrap();
        let mut native = Vec::new();
        for args in &commands {
            native.push(to_reply(query(&mut conn, args).await.unwrap()));
        }

        let stdin: String = commands.iter().map(|args| command_line(args)).collect();
        let argv: Vec<String> = ["redis-cli", "--no-raw", "-h", "127.10.0.11", "-a", "pw"]
            .iter()
            .map(|w| w.to_string())
            .collect();
        let (stdout, _, code) = redis_cli_noraw(&db, &argv, stdin.as_bytes());
        assert_eq!(code, 0);
        let fallback = parse_all(&String::from_utf8(stdout).unwrap()).unwrap();
        assert_eq!(fallback.len(), commands.len());
        for ((args, native), fallback) in commands.iter().zip(native).zip(fallback) {
            assert_eq!(native, fallback, "{}", command_line(args));
        }
    }
}
