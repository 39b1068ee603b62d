//! A tenant's Redis data in the simulated world, its JSON form, sample data, and the
//! `redis-cli --no-raw` the simulated host runs against it.
//!
//! [`RedisDb`] holds one Redis database (db 0): keys in byte order, each with a typed
//! value and an optional TTL, plus the password that `AUTH` must present. The in-process
//! RESP responder ([`crate::resp`]) and the `redis-cli` emulation ([`redis_cli_noraw`])
//! answer from the same data through the same command code, so the client's native and
//! fallback paths see the same results.
//!
//! # JSON form (world files)
//!
//! ```json
//! {
//!   "password": "s3cret",
//!   "keys": [
//!     {"key": "acme:greeting", "type": "string", "value": "hello"},
//!     {"key": "acme:session", "ttl_seconds": 3600, "type": "string", "value": "{\"user\":1}"},
//!     {"key": "acme:config", "type": "hash", "value": [["service", "{\"port\":80}"]]},
//!     {"key": "acme:queue", "type": "list", "value": ["a", "b"]},
//!     {"key": "acme:online", "type": "set", "value": ["ada", "bob"]},
//!     {"key": "acme:scores", "type": "zset", "value": [["ada", 1.5], ["bob", "inf"]]},
//!     {"key": "acme:events", "type": "stream",
//!      "value": [{"id": "1700000000000-0", "fields": [["type", "login"]]}]},
//!     {"key": {"base64": "cmF3/w=="}, "type": "string", "value": {"base64": "AP8="}}
//!   ]
//! }
//! ```
//!
//! - Every byte string (key, value, field, member) is a JSON string when it is valid
//!   UTF-8, and `{"base64": "..."}` (standard alphabet, padded) when it is not.
//! - `password` is optional; without it the Redis needs no `AUTH`. `keys` may be absent
//!   for an empty database; a key may appear only once.
//! - `ttl_seconds` is optional: the TTL that `TTL` reports (it does not count down, and
//!   keys never expire in the simulation).
//! - Hash fields and stream fields are `[field, value]` pairs, in the order `HGETALL` and
//!   `XRANGE` return them. Sorted-set members are `[member, score]`; a score is a JSON
//!   number, or `"inf"` / `"-inf"`. Stream IDs are `"MS-SEQ"` strings.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use redis_text::{Reply, command_line, format_double, is_raw_command, render, render_raw};
use serde::{Deserialize, Serialize};

use crate::resp::{ClientState, execute};

/// One simulated Redis: database 0 and the password `AUTH` wants.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RedisDb {
    /// Every key, in byte order (the order `SCAN` walks them).
    #[serde(rename = "keys", default, with = "json_form::entries")]
    pub entries: BTreeMap<Vec<u8>, RedisEntry>,
    /// The password of the default user; `None` means no `AUTH` is needed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
}

/// One key's value and TTL.
#[derive(Debug, Clone, PartialEq)]
pub struct RedisEntry {
    /// The typed value.
    pub value: RedisValue,
    /// What `TTL` answers, in seconds; `None` for a key without expiry (`TTL` says -1).
    pub ttl_seconds: Option<i64>,
}

/// A typed Redis value. Collections keep the order the world gives them, except that
/// sorted sets and streams are read in score and ID order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "lowercase")]
pub enum RedisValue {
    /// Any bytes (`GET`).
    String(#[serde(with = "json_form::bytes")] Vec<u8>),
    /// Field/value pairs (`HGETALL`), fields unique.
    Hash(#[serde(with = "json_form::pairs")] Vec<(Vec<u8>, Vec<u8>)>),
    /// Items, head first (`LRANGE`).
    List(#[serde(with = "json_form::byte_list")] Vec<Vec<u8>>),
    /// Members, unique (`SMEMBERS`).
    Set(#[serde(with = "json_form::byte_list")] Vec<Vec<u8>>),
    /// Members with scores, members unique (`ZRANGE ... WITHSCORES`).
    ZSet(#[serde(with = "json_form::scored")] Vec<(Vec<u8>, f64)>),
    /// Entries with unique IDs (`XRANGE`).
    Stream(Vec<StreamEntry>),
}

/// One stream entry: its ID and its field/value pairs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StreamEntry {
    /// The entry's ID.
    pub id: StreamId,
    /// Field/value pairs, in the order `XRANGE` returns them.
    #[serde(with = "json_form::pairs")]
    pub fields: Vec<(Vec<u8>, Vec<u8>)>,
}

/// A stream entry ID, `MS-SEQ`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct StreamId {
    /// Milliseconds part.
    pub ms: u64,
    /// Sequence number within the millisecond.
    pub seq: u64,
}

impl StreamId {
    /// The lowest ID, which `XRANGE -` starts at.
    pub const MIN: StreamId = StreamId { ms: 0, seq: 0 };
    /// The highest ID, which `XRANGE +` ends at.
    pub const MAX: StreamId = StreamId {
        ms: u64::MAX,
        seq: u64::MAX,
    };
}

impl fmt::Display for StreamId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.ms, self.seq)
    }
}

/// A stream ID that is not `MS-SEQ` with two unsigned 64-bit numbers.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("stream ID {0:?} is not MS-SEQ")]
pub struct BadStreamId(pub String);

impl FromStr for StreamId {
    type Err = BadStreamId;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = || BadStreamId(text.to_string());
        let (ms, seq) = text.split_once('-').ok_or_else(bad)?;
        let number = |part: &str| part.parse::<u64>().map_err(|_| bad());
        Ok(StreamId {
            ms: number(ms)?,
            seq: number(seq)?,
        })
    }
}

impl TryFrom<String> for StreamId {
    type Error = BadStreamId;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        text.parse()
    }
}

impl From<StreamId> for String {
    fn from(id: StreamId) -> String {
        id.to_string()
    }
}

impl RedisDb {
    /// An empty database with no password.
    pub fn new() -> RedisDb {
        RedisDb::default()
    }

    /// The same database, wanting `password` from `AUTH`.
    pub fn with_password(mut self, password: impl Into<String>) -> RedisDb {
        self.password = Some(password.into());
        self
    }

    /// Sets `key` to `value` with no TTL, replacing any earlier value.
    pub fn insert(&mut self, key: impl Into<Vec<u8>>, value: RedisValue) -> &mut RedisDb {
        let entry = RedisEntry {
            value,
            ttl_seconds: None,
        };
        self.entries.insert(key.into(), entry);
        self
    }

    /// Sets `key` to `value` with a TTL that `TTL` reports as `ttl_seconds`.
    pub fn insert_with_ttl(
        &mut self,
        key: impl Into<Vec<u8>>,
        value: RedisValue,
        ttl_seconds: i64,
    ) -> &mut RedisDb {
        let entry = RedisEntry {
            value,
            ttl_seconds: Some(ttl_seconds),
        };
        self.entries.insert(key.into(), entry);
        self
    }

    /// The entry of `key`, if it exists.
    pub fn get(&self, key: &[u8]) -> Option<&RedisEntry> {
        self.entries.get(key)
    }

    /// How many keys carry a TTL (the `expires=` of `INFO keyspace`).
    pub fn expires_count(&self) -> usize {
        self.entries
            .values()
            .filter(|e| e.ttl_seconds.is_some())
            .count()
    }
}

impl RedisValue {
    /// A string value.
    pub fn string(bytes: impl Into<Vec<u8>>) -> RedisValue {
        RedisValue::String(bytes.into())
    }

    /// A hash from field/value pairs, in `HGETALL` order.
    pub fn hash<F, V>(pairs: impl IntoIterator<Item = (F, V)>) -> RedisValue
    where
        F: Into<Vec<u8>>,
        V: Into<Vec<u8>>,
    {
        RedisValue::Hash(
            pairs
                .into_iter()
                .map(|(f, v)| (f.into(), v.into()))
                .collect(),
        )
    }

    /// A list, head first.
    pub fn list<B: Into<Vec<u8>>>(items: impl IntoIterator<Item = B>) -> RedisValue {
        RedisValue::List(items.into_iter().map(Into::into).collect())
    }

    /// A set, in `SMEMBERS` order.
    pub fn set<B: Into<Vec<u8>>>(members: impl IntoIterator<Item = B>) -> RedisValue {
        RedisValue::Set(members.into_iter().map(Into::into).collect())
    }

    /// A sorted set from member/score pairs (any order).
    pub fn zset<B: Into<Vec<u8>>>(members: impl IntoIterator<Item = (B, f64)>) -> RedisValue {
        RedisValue::ZSet(members.into_iter().map(|(m, s)| (m.into(), s)).collect())
    }

    /// A stream from entries (any order; read in ID order).
    pub fn stream(entries: impl IntoIterator<Item = StreamEntry>) -> RedisValue {
        RedisValue::Stream(entries.into_iter().collect())
    }

    /// The name `TYPE` answers and `SCAN ... TYPE` filters on.
    pub fn type_name(&self) -> &'static str {
        match self {
            RedisValue::String(_) => "string",
            RedisValue::Hash(_) => "hash",
            RedisValue::List(_) => "list",
            RedisValue::Set(_) => "set",
            RedisValue::ZSet(_) => "zset",
            RedisValue::Stream(_) => "stream",
        }
    }
}

impl StreamEntry {
    /// An entry with ID `ms-seq` and the given field/value pairs.
    pub fn new<F, V>(ms: u64, seq: u64, fields: impl IntoIterator<Item = (F, V)>) -> StreamEntry
    where
        F: Into<Vec<u8>>,
        V: Into<Vec<u8>>,
    {
        let fields = fields
            .into_iter()
            .map(|(f, v)| (f.into(), v.into()))
            .collect();
        StreamEntry {
            id: StreamId { ms, seq },
            fields,
        }
    }
}

/// Serde helpers for the JSON form described in the module docs.
mod json_form {
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD as BASE64;
    use serde::de::{self, MapAccess, Visitor};
    use serde::ser::SerializeMap;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    /// A byte string to write: plain text when UTF-8, else `{"base64": ...}`.
    pub(super) struct BytesOut<'a>(pub(super) &'a [u8]);

    impl Serialize for BytesOut<'_> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            if let Ok(text) = std::str::from_utf8(self.0) {
                return serializer.serialize_str(text);
            }
            let mut map = serializer.serialize_map(Some(1))?;
            map.serialize_entry("base64", &BASE64.encode(self.0))?;
            map.end()
        }
    }

    /// A byte string read from either form.
    pub(super) struct BytesIn(pub(super) Vec<u8>);

    impl<'de> Deserialize<'de> for BytesIn {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserializer.deserialize_any(BytesVisitor)
        }
    }

    struct BytesVisitor;

    impl<'de> Visitor<'de> for BytesVisitor {
        type Value = BytesIn;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str(r#"a string, or {"base64": "..."} for bytes that are not UTF-8"#)
        }

        fn visit_str<E: de::Error>(self, text: &str) -> Result<BytesIn, E> {
            Ok(BytesIn(text.as_bytes().to_vec()))
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<BytesIn, A::Error> {
            let Some((name, encoded)) = map.next_entry::<String, String>()? else {
                return Err(de::Error::custom(
                    r#"empty object where {"base64": ...} was due"#,
                ));
            };
            if name != "base64" || map.next_key::<String>()?.is_some() {
                return Err(de::Error::custom(
                    r#"a byte string object has only "base64""#,
                ));
            }
            let bytes = BASE64.decode(encoded.as_bytes());
            bytes
                .map(BytesIn)
                .map_err(|err| de::Error::custom(format!("bad base64: {err}")))
        }
    }

    /// A sorted-set score: a number, or `"inf"` / `"-inf"`, which JSON numbers lack.
    pub(super) struct Score(pub(super) f64);

    impl Serialize for Score {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            if self.0.is_finite() {
                serializer.serialize_f64(self.0)
            } else {
                serializer.serialize_str(&redis_text::format_double(self.0))
            }
        }
    }

    impl<'de> Deserialize<'de> for Score {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserializer.deserialize_any(ScoreVisitor)
        }
    }

    struct ScoreVisitor;

    impl Visitor<'_> for ScoreVisitor {
        type Value = Score;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str(r#"a number, "inf" or "-inf""#)
        }

        fn visit_f64<E: de::Error>(self, value: f64) -> Result<Score, E> {
            Ok(Score(value))
        }

        fn visit_i64<E: de::Error>(self, value: i64) -> Result<Score, E> {
            Ok(Score(value as f64))
        }

        fn visit_u64<E: de::Error>(self, value: u64) -> Result<Score, E> {
            Ok(Score(value as f64))
        }

        fn visit_str<E: de::Error>(self, text: &str) -> Result<Score, E> {
            match text.to_ascii_lowercase().as_str() {
                "inf" | "+inf" => Ok(Score(f64::INFINITY)),
                "-inf" => Ok(Score(f64::NEG_INFINITY)),
                _ => Err(E::custom(format!(
                    "score {text:?} is not a number, inf or -inf"
                ))),
            }
        }
    }

    /// `Vec<u8>` fields.
    pub(super) mod bytes {
        use super::*;

        pub(crate) fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
            BytesOut(bytes).serialize(s)
        }

        pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
            BytesIn::deserialize(d).map(|bytes| bytes.0)
        }
    }

    /// `Vec<Vec<u8>>` fields (lists and sets).
    pub(super) mod byte_list {
        use super::*;

        pub(crate) fn serialize<S: Serializer>(items: &[Vec<u8>], s: S) -> Result<S::Ok, S::Error> {
            s.collect_seq(items.iter().map(|item| BytesOut(item)))
        }

        pub(crate) fn deserialize<'de, D>(d: D) -> Result<Vec<Vec<u8>>, D::Error>
        where
            D: Deserializer<'de>,
        {
            let items = Vec::<BytesIn>::deserialize(d)?;
            Ok(items.into_iter().map(|item| item.0).collect())
        }
    }

    /// `Vec<(Vec<u8>, Vec<u8>)>` fields (hash and stream fields).
    pub(super) mod pairs {
        use super::*;

        type Pairs = Vec<(Vec<u8>, Vec<u8>)>;

        pub(crate) fn serialize<S: Serializer>(pairs: &Pairs, s: S) -> Result<S::Ok, S::Error> {
            s.collect_seq(pairs.iter().map(|(a, b)| (BytesOut(a), BytesOut(b))))
        }

        pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Pairs, D::Error> {
            let pairs = Vec::<(BytesIn, BytesIn)>::deserialize(d)?;
            Ok(pairs.into_iter().map(|(a, b)| (a.0, b.0)).collect())
        }
    }

    /// `Vec<(Vec<u8>, f64)>` fields (sorted sets).
    pub(super) mod scored {
        use super::*;

        type Scored = Vec<(Vec<u8>, f64)>;

        pub(crate) fn serialize<S: Serializer>(pairs: &Scored, s: S) -> Result<S::Ok, S::Error> {
            s.collect_seq(pairs.iter().map(|(m, score)| (BytesOut(m), Score(*score))))
        }

        pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Scored, D::Error> {
            let pairs = Vec::<(BytesIn, Score)>::deserialize(d)?;
            Ok(pairs.into_iter().map(|(m, score)| (m.0, score.0)).collect())
        }
    }

    /// The key map as a list of `{"key", "ttl_seconds", "type", "value"}` objects.
    pub(super) mod entries {
        use std::collections::BTreeMap;

        use super::*;
        use crate::redis_data::{RedisEntry, RedisValue};

        type Entries = BTreeMap<Vec<u8>, RedisEntry>;

        #[derive(Serialize)]
        struct EntryOut<'a> {
            key: BytesOut<'a>,
            #[serde(skip_serializing_if = "Option::is_none")]
            ttl_seconds: Option<i64>,
            #[serde(flatten)]
            value: &'a RedisValue,
        }

        #[derive(Deserialize)]
        struct EntryIn {
            key: BytesIn,
            #[serde(default)]
            ttl_seconds: Option<i64>,
            #[serde(flatten)]
            value: RedisValue,
        }

        pub(crate) fn serialize<S: Serializer>(map: &Entries, s: S) -> Result<S::Ok, S::Error> {
            s.collect_seq(map.iter().map(|(key, entry)| EntryOut {
                key: BytesOut(key),
                ttl_seconds: entry.ttl_seconds,
                value: &entry.value,
            }))
        }

        pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Entries, D::Error> {
            let mut map = Entries::new();
            for entry in Vec::<EntryIn>::deserialize(d)? {
                let value = RedisEntry {
                    value: entry.value,
                    ttl_seconds: entry.ttl_seconds,
                };
                if map.insert(entry.key.0.clone(), value).is_some() {
                    let key = redis_text::escape(&entry.key.0);
                    return Err(de::Error::custom(format!("key {key} appears twice")));
                }
            }
            Ok(map)
        }
    }
}

// ---------------------------------------------------------------------------------------
// Sample data
// ---------------------------------------------------------------------------------------

/// Keys every sample database holds whatever the tenant: names that break naive quoting,
/// shells and terminals, with a value each.
fn hostile_keys() -> Vec<(Vec<u8>, Vec<u8>)> {
    let pairs: [(&[u8], &[u8]); 14] = [
        (b"key with spaces", b"spaces in the key"),
        (b"quote\"d 'key'", b"double \" and single ' quotes"),
        (b"line\nbreak\r\nkey", b"value\nwith\nnewlines\n"),
        (b"tab\tkey", b"tab\tvalue"),
        (
            "café ☃ 日本語".as_bytes(),
            "UTF-8 value: naïve ☃".as_bytes(),
        ),
        (b"raw\x00\xff\xfe bytes", b"\x00\x01\x02\x7f\x80\xfe\xff"),
        (b"", b"the empty key"),
        (b"back\\slash\\", b"C:\\path\\to\\file"),
        (b"*glob?[chars]\\", b"glob characters in the key"),
        (b"-starts-with-dash", b"looks like an option"),
        (
            b"$(touch /tmp/vmsdbg-pwned)",
            b"$(touch /tmp/vmsdbg-pwned-value)",
        ),
        (b"; rm -rf / #", b"`id`; exit 1"),
        (b"%s%n %x format", b"%s%s%s%n"),
        (b"\x1b[31mred\x1b[0m", b"\x1b]0;title\x07terminal escapes"),
    ];
    pairs
        .iter()
        .map(|(k, v)| (k.to_vec(), v.to_vec()))
        .collect()
}

/// A value of exactly 1 MiB: numbered text lines, so a truncation shows where it happened.
fn large_value() -> Vec<u8> {
    const SIZE: usize = 1 << 20;
    let mut value = Vec::with_capacity(SIZE + 64);
    let mut line = 0;
    while value.len() < SIZE {
        value.extend_from_slice(format!("line {line:06}: the quick brown fox\n").as_bytes());
        line += 1;
    }
    value.truncate(SIZE);
    value
}

/// VMS-style hash field values: JSON documents stored as strings.
fn tenant_config(tenant: &str) -> RedisValue {
    let service = format!(
        r#"{{"name":"{tenant}-api","replicas":3,"env":{{"LOG_LEVEL":"info","TENANT":"{tenant}"}}}}"#
    );
    let limits =
        r#"{"max_sessions":250,"rate":{"per_second":50,"burst":100},"tags":["gold","eu"]}"#;
    let quoted = r#"{"motd":"say \"hi\"\nthen leave","path":"C:\\vms"}"#;
    RedisValue::hash([
        ("service".as_bytes(), service.into_bytes()),
        (b"limits", limits.as_bytes().to_vec()),
        (b"quoted", quoted.as_bytes().to_vec()),
        (b"plain", b"not json at all".to_vec()),
        (b"empty", Vec::new()),
        (b"bin\xfffield", b"binary field name".to_vec()),
    ])
}

/// A few small collections and one larger one of each kind, so clients page through
/// HSCAN, SSCAN, ZSCAN and LRANGE windows.
fn add_collections(db: &mut RedisDb, tenant: &str) {
    let key = |suffix: &str| format!("{tenant}:{suffix}");

    let jobs = (1..=12).map(|n| format!("job-{n:02}"));
    db.insert(key("queue:jobs"), RedisValue::list(jobs));
    db.insert(
        key("online"),
        RedisValue::set(["ada", "grace", "linus", "ken"]),
    );
    let scores = [
        ("ada", 1.5),
        ("grace", 2.0),
        ("linus", -3.0),
        ("ken", 0.1),
        ("max", f64::INFINITY),
    ];
    db.insert(key("leaderboard"), RedisValue::zset(scores));
    db.insert(key("events"), sample_stream(tenant));

    let fields = (0..2000).map(|n| (format!("field:{n:05}"), format!(r#"{{"n":{n}}}"#)));
    db.insert(key("big:hash"), RedisValue::hash(fields));
    db.insert(
        key("big:list"),
        RedisValue::list((0..2500).map(|n| format!("item-{n:05}"))),
    );
    db.insert(
        key("big:set"),
        RedisValue::set((0..1500).map(|n| format!("member-{n:05}"))),
    );
    let members = (0..1200).map(|n| (format!("player-{n:05}"), f64::from(n) * 0.5));
    db.insert(key("big:zset"), RedisValue::zset(members));
}

/// A short audit stream.
fn sample_stream(tenant: &str) -> RedisValue {
    let base = 1_700_000_000_000;
    RedisValue::stream([
        StreamEntry::new(base, 0, [("type", "login"), ("user", "ada")]),
        StreamEntry::new(base, 1, [("type", "config"), ("tenant", tenant)]),
        StreamEntry::new(
            base + 1500,
            0,
            [("type", "logout"), ("reason", "idle \"timeout\"")],
        ),
    ])
}

/// A tenant Redis with every type and the hostile cases a client must survive: keys with
/// spaces, quotes, newlines, UTF-8, raw bytes, shell syntax and terminal escapes, the
/// empty key, an empty value, a 1 MiB value, JSON hash fields, TTLs, and collections
/// large enough to need paging. Key names start with `TENANT:` except the hostile ones.
///
/// No password: set [`RedisDb::password`] for a tenant that needs `AUTH`.
pub fn sample_db(tenant: &str) -> RedisDb {
    let mut db = RedisDb::new();
    let key = |suffix: &str| format!("{tenant}:{suffix}");

    db.insert(key("config"), tenant_config(tenant));
    db.insert(
        key("greeting"),
        RedisValue::string(format!("hello from {tenant}")),
    );
    let session = format!(r#"{{"user":"ada","tenant":"{tenant}","roles":["admin"]}}"#);
    db.insert_with_ttl(key("session:ada"), RedisValue::string(session), 3600);
    db.insert_with_ttl(key("cache:token"), RedisValue::string("t0k3n"), 86_400);
    db.insert(key("empty"), RedisValue::string(""));
    db.insert(key("bytes"), RedisValue::String((0..=255).collect()));
    db.insert(key("blob:1mib"), RedisValue::String(large_value()));
    add_collections(&mut db, tenant);

    for (name, value) in hostile_keys() {
        db.insert(name, RedisValue::String(value));
    }
    db
}

/// A database of `keys` small keys for benchmarks: mostly hashes of JSON fields, as VMS
/// data is, with strings, lists, sets and sorted sets mixed in and every tenth key on a
/// TTL. The same `keys` always gives the same data.
pub fn bulk_db(keys: usize) -> RedisDb {
    let mut db = RedisDb::new();
    for n in 0..keys {
        let key = format!("bulk:{}:{n:08}", n % 97);
        let value = bulk_value(n);
        if n % 10 == 0 {
            db.insert_with_ttl(key, value, 600 + (n % 3600) as i64);
        } else {
            db.insert(key, value);
        }
    }
    db
}

/// The value of bulk key number `n`.
fn bulk_value(n: usize) -> RedisValue {
    match n % 20 {
        0..=13 => RedisValue::hash((0..3).map(|f| {
            (
                format!("field{f}"),
                format!(r#"{{"id":{n},"field":{f},"ok":true}}"#),
            )
        })),
        14..=16 => RedisValue::string(format!("value-{n}")),
        17 => RedisValue::list((0..5).map(|i| format!("{n}-{i}"))),
        18 => RedisValue::set((0..5).map(|i| format!("m{i}"))),
        _ => RedisValue::zset((0..5).map(|i| (format!("z{i}"), i as f64))),
    }
}

/// Commands for a real `redis-cli`'s stdin that load `db` into an empty real Redis: the
/// same data in a `redis-server`, for tests that compare the simulation with the real
/// thing. Empty collections are skipped (Redis cannot hold them); the password is set
/// last, with `CONFIG SET requirepass`.
pub fn load_commands(db: &RedisDb) -> String {
    let mut script = String::new();
    for (key, entry) in &db.entries {
        for args in load_args(key, &entry.value) {
            script.push_str(&command_line(&args));
        }
        if let Some(ttl) = entry.ttl_seconds {
            let ttl = ttl.to_string().into_bytes();
            script.push_str(&command_line(&[b"EXPIRE".to_vec(), key.clone(), ttl]));
        }
    }
    if let Some(password) = &db.password {
        script.push_str(&command_line(&["CONFIG", "SET", "requirepass", password]));
    }
    script
}

/// The commands that create `key` holding `value`: one, or one `XADD` per stream entry,
/// or none for an empty collection.
fn load_args(key: &[u8], value: &RedisValue) -> Vec<Vec<Vec<u8>>> {
    let command = |name: &str, rest: Vec<Vec<u8>>| {
        let mut args = vec![name.as_bytes().to_vec(), key.to_vec()];
        args.extend(rest);
        args
    };
    let flat = |pairs: &[(Vec<u8>, Vec<u8>)]| -> Vec<Vec<u8>> {
        pairs
            .iter()
            .flat_map(|(a, b)| [a.clone(), b.clone()])
            .collect()
    };
    let commands = match value {
        RedisValue::String(bytes) => vec![command("SET", vec![bytes.clone()])],
        RedisValue::Hash(pairs) => vec![command("HSET", flat(pairs))],
        RedisValue::List(items) => vec![command("RPUSH", items.clone())],
        RedisValue::Set(members) => vec![command("SADD", members.clone())],
        RedisValue::ZSet(members) => {
            let scored = members
                .iter()
                .flat_map(|(member, score)| [format_double(*score).into_bytes(), member.clone()]);
            vec![command("ZADD", scored.collect())]
        }
        RedisValue::Stream(entries) => entries
            .iter()
            .map(|entry| {
                let mut rest = vec![entry.id.to_string().into_bytes()];
                rest.extend(flat(&entry.fields));
                command("XADD", rest)
            })
            .collect(),
    };
    // A collection command with nothing after its key would be an arity error.
    commands.into_iter().filter(|args| args.len() > 2).collect()
}

// ---------------------------------------------------------------------------------------
// redis-cli --no-raw
// ---------------------------------------------------------------------------------------

/// What redis-cli prints on stderr when `-a` or `--pass` is given.
const AUTH_WARNING: &str = "Warning: Using a password with '-a' or '-u' option on the command line interface may not be safe.\n";

/// redis-cli's options, as far as the emulation understands them.
#[derive(Debug, Default)]
struct CliOptions {
    host: Option<String>,
    port: Option<String>,
    password: Option<String>,
    user: Option<String>,
    db_number: Option<String>,
    /// `--raw` (or no `--no-raw`: stdout is never a terminal here).
    raw: bool,
    /// `-e`: a failing command exits 1 with the error on stderr.
    exit_on_error: bool,
    auth_warning: bool,
    /// The command on argv; empty means commands come from stdin.
    command: Vec<Vec<u8>>,
}

/// Parses redis-cli's argv (with or without the program name first).
///
/// Returns the offending argument for an option the emulation does not know or that lacks
/// its value, which redis-cli reports as `Unrecognized option or bad number of args`.
fn parse_cli_options(argv: &[String]) -> Result<CliOptions, String> {
    let skip = argv
        .first()
        .is_some_and(|a| a.rsplit('/').next() == Some("redis-cli"));
    let args = &argv[usize::from(skip)..];
    let mut options = CliOptions {
        raw: true,
        auth_warning: true,
        ..CliOptions::default()
    };

    let mut index = 0;
    while let Some(arg) = args.get(index) {
        let value = args.get(index + 1).cloned();
        let takes_value = matches!(
            arg.as_str(),
            "-h" | "-p" | "-a" | "--pass" | "--user" | "-n"
        );
        match (arg.as_str(), value) {
            ("-h", Some(v)) => options.host = Some(v),
            ("-p", Some(v)) => options.port = Some(v),
            ("-a" | "--pass", Some(v)) => options.password = Some(v),
            ("--user", Some(v)) => options.user = Some(v),
            ("-n", Some(v)) => options.db_number = Some(v),
            ("--raw", _) => options.raw = true,
            ("--no-raw", _) => options.raw = false,
            ("-e", _) => options.exit_on_error = true,
            ("--no-auth-warning", _) => options.auth_warning = false,
            ("-2", _) => {}
            (other, _) if other.starts_with('-') => return Err(other.to_string()),
            _ => {
                options.command = args[index..]
                    .iter()
                    .map(|a| a.as_bytes().to_vec())
                    .collect();
                return Ok(options);
            }
        }
        index += if takes_value { 2 } else { 1 };
    }
    Ok(options)
}

/// The address a redis-cli argv connects to: `-h` (default `127.0.0.1`) and `-p`
/// (default 6379; redis-cli reads a bad port as 0), so the simulated host can pick the
/// tenant Redis, or [`redis_cli_unreachable`], before running the command.
pub fn redis_cli_address(argv: &[String]) -> (String, u16) {
    let options = parse_cli_options(argv).unwrap_or_default();
    let host = options.host.unwrap_or_else(|| "127.0.0.1".to_string());
    let port = options.port.map_or(6379, |p| leading_integer(&p) as u16);
    (host, port)
}

/// C's `atoi`: the leading optional sign and digits, 0 when there are none.
fn leading_integer(text: &str) -> i64 {
    let trimmed = text.trim_start();
    let sign_len = usize::from(trimmed.starts_with(['+', '-']));
    let digits = trimmed[sign_len..]
        .bytes()
        .take_while(u8::is_ascii_digit)
        .count();
    trimmed[..sign_len + digits].parse().unwrap_or(0)
}

/// Emulates `redis-cli [--no-raw] [-h IP] [-p PORT] [-a PASS] [CMD ARGS...]` run against
/// `db`, returning stdout, stderr and the exit status.
///
/// With a command on argv it runs that command once. Without one it reads commands from
/// `stdin`, one a line, split as redis-cli splits them (see [`redis_text::split_args`]);
/// `quit` or `exit` ends the session. Output follows redis-cli 7 with stdout on a pipe:
/// `--no-raw` gives the quoted form of [`redis_text::render`], otherwise the raw form;
/// `INFO` and the other report commands print raw either way. A failing command still
/// exits 0, unless `-e` is given on a one-shot command. `-a`/`--pass` authenticate first
/// and warn on stderr as redis-cli does; a wrong password is reported on stderr and the
/// command then meets `NOAUTH`.
///
/// Options other than `-h -p -a --pass --user -n -e --raw --no-raw --no-auth-warning -2`
/// are refused as unrecognized (redis-cli knows more; vmsdbg sends none of them).
pub fn redis_cli_noraw(db: &RedisDb, argv: &[String], stdin: &[u8]) -> (Vec<u8>, Vec<u8>, i32) {
    let options = match parse_cli_options(argv) {
        Ok(options) => options,
        Err(arg) => return unrecognized(&arg),
    };
    let mut session = CliSession::new(db, &options);
    session.connect();
    if options.command.is_empty() {
        session.run_stdin(stdin);
    } else {
        session.run_one_shot(&options.command);
    }
    (session.stdout, session.stderr, session.exit)
}

/// Emulates the same command line when nothing listens at its address: redis-cli's
/// `Could not connect to Redis at HOST:PORT: Connection refused`, exit 1 for a one-shot
/// command; in stdin mode once at start and once per command, exit 0.
pub fn redis_cli_unreachable(argv: &[String], stdin: &[u8]) -> (Vec<u8>, Vec<u8>, i32) {
    let options = match parse_cli_options(argv) {
        Ok(options) => options,
        Err(arg) => return unrecognized(&arg),
    };
    let (host, port) = redis_cli_address(argv);
    let message = format!("Could not connect to Redis at {host}:{port}: Connection refused\n");

    let mut stderr = Vec::new();
    if options.password.is_some() && options.auth_warning {
        stderr.extend_from_slice(AUTH_WARNING.as_bytes());
    }
    stderr.extend_from_slice(message.as_bytes());
    if !options.command.is_empty() {
        return (Vec::new(), stderr, 1);
    }
    for args in stdin_commands(stdin).into_iter().flatten() {
        if is_quit(&args) {
            break;
        }
        stderr.extend_from_slice(message.as_bytes());
    }
    (Vec::new(), stderr, 0)
}

fn unrecognized(arg: &str) -> (Vec<u8>, Vec<u8>, i32) {
    let message = format!("Unrecognized option or bad number of args for: '{arg}'\n");
    (Vec::new(), message.into_bytes(), 1)
}

/// The stdin lines as argument lists: `None` for a line redis-cli cannot split, and no
/// entry for a blank line.
fn stdin_commands(stdin: &[u8]) -> Vec<Option<Vec<Vec<u8>>>> {
    let mut lines: Vec<&[u8]> = stdin.split(|&b| b == b'\n').collect();
    if lines.last().is_some_and(|last| last.is_empty()) {
        lines.pop();
    }
    let split = lines
        .into_iter()
        .map(|line| redis_text::split_args(line).ok());
    split
        .filter(|args| args.as_ref().is_none_or(|a| !a.is_empty()))
        .collect()
}

fn is_quit(args: &[Vec<u8>]) -> bool {
    let first = args.first().map(|a| a.to_ascii_lowercase());
    matches!(first.as_deref(), Some(b"quit" | b"exit"))
}

/// One emulated redis-cli run: a connection's state and what it printed.
struct CliSession<'a> {
    db: &'a RedisDb,
    options: &'a CliOptions,
    client: ClientState,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
    exit: i32,
}

impl<'a> CliSession<'a> {
    fn new(db: &'a RedisDb, options: &'a CliOptions) -> Self {
        let client = ClientState::new(db);
        CliSession {
            db,
            options,
            client,
            stdout: Vec::new(),
            stderr: Vec::new(),
            exit: 0,
        }
    }

    /// What redis-cli does on connecting: warn about `-a`, `AUTH`, `SELECT`.
    fn connect(&mut self) {
        let options = self.options;
        if let Some(password) = &options.password {
            if options.auth_warning {
                self.stderr.extend_from_slice(AUTH_WARNING.as_bytes());
            }
            let mut auth = vec![b"AUTH".to_vec()];
            auth.extend(options.user.as_ref().map(|user| user.as_bytes().to_vec()));
            auth.push(password.as_bytes().to_vec());
            if let Reply::Error(message) = self.call(&auth) {
                self.stderr
                    .extend_from_slice(format!("AUTH failed: {message}\n").as_bytes());
            }
        }

        let number = options.db_number.as_deref().map_or(0, leading_integer);
        if number != 0 {
            let select = vec![b"SELECT".to_vec(), number.to_string().into_bytes()];
            if let Reply::Error(message) = self.call(&select) {
                let line = format!("SELECT {number} failed: {message}\n");
                self.stderr.extend_from_slice(line.as_bytes());
            }
        }
    }

    fn call(&mut self, args: &[Vec<u8>]) -> Reply {
        execute(self.db, &mut self.client, args)
    }

    /// A command from argv: run once; `-e` turns an error into exit 1.
    fn run_one_shot(&mut self, args: &[Vec<u8>]) {
        let reply = self.call(args);
        if let (true, Reply::Error(message)) = (self.options.exit_on_error, &reply) {
            self.stderr
                .extend_from_slice(format!("{message}\n").as_bytes());
            self.exit = 1;
            return;
        }
        self.print(args, &reply);
    }

    /// Commands from stdin, one a line, until `quit`, `exit` or the end.
    fn run_stdin(&mut self, stdin: &[u8]) {
        for line in stdin_commands(stdin) {
            let Some(args) = line else {
                self.stdout.extend_from_slice(b"Invalid argument(s)\n");
                continue;
            };
            if is_quit(&args) {
                return;
            }
            match repeat_count(&args) {
                Ok(Some(times)) => (0..times).for_each(|_| self.run_line(&args[1..])),
                Ok(None) => self.run_line(&args),
                Err(()) => self
                    .stdout
                    .extend_from_slice(b"Invalid redis-cli repeat command option value.\n"),
            }
        }
    }

    fn run_line(&mut self, args: &[Vec<u8>]) {
        let reply = self.call(args);
        self.print(args, &reply);
    }

    /// Prints a reply the way redis-cli's options and the command ask for.
    fn print(&mut self, args: &[Vec<u8>], reply: &Reply) {
        if is_raw_command(args) {
            self.stdout.extend(render_raw(reply));
        } else if self.options.raw {
            self.stdout.extend(render_raw(reply));
            self.stdout.push(b'\n');
        } else {
            self.stdout.extend_from_slice(render(reply).as_bytes());
        }
    }
}

/// redis-cli's repeat prefix on a stdin line (`3 PING`): `Ok(Some(n))` to run the rest
/// `n` times, `Ok(None)` when the first word is not a number (or is alone), `Err` for a
/// number redis-cli refuses (zero, negative, too large).
fn repeat_count(args: &[Vec<u8>]) -> Result<Option<u64>, ()> {
    if args.len() < 2 {
        return Ok(None);
    }
    // strtol: leading blanks and a sign, then digits, and nothing after them.
    let text = String::from_utf8_lossy(&args[0]);
    if text.is_empty() {
        // strtol reads "" as 0 with nothing left over: a refused count.
        return Err(());
    }
    let number = text.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let digits = number.strip_prefix(['+', '-']).unwrap_or(number);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(None);
    }
    match number.parse::<i64>() {
        Ok(times) if times > 0 => Ok(Some(times as u64)),
        _ => Err(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use redis_text::{parse, parse_all};

    fn argv(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    /// Runs the emulation and returns stdout and stderr as text, with the status.
    fn cli(db: &RedisDb, words: &[&str], stdin: &[u8]) -> (String, String, i32) {
        let (out, err, code) = redis_cli_noraw(db, &argv(words), stdin);
        let text = |b: Vec<u8>| String::from_utf8_lossy(&b).into_owned();
        (text(out), text(err), code)
    }

    const NO_RAW: [&str; 6] = ["redis-cli", "--no-raw", "-h", "127.10.0.11", "-p", "6379"];

    /// The usual `redis-cli --no-raw -h IP -p 6379` followed by `extra`.
    fn with<'a>(extra: &[&'a str]) -> Vec<&'a str> {
        let mut words = NO_RAW.to_vec();
        words.extend_from_slice(extra);
        words
    }

    #[test]
    fn json_round_trips_every_type_and_hostile_key() {
        let db = sample_db("acme").with_password("pw");
        let json = serde_json::to_string(&db).unwrap();
        let back: RedisDb = serde_json::from_str(&json).unwrap();
        assert_eq!(back, db);
    }

    #[test]
    fn json_writes_utf8_plainly_and_other_bytes_as_base64() {
        let mut db = RedisDb::new();
        db.insert("plain", RedisValue::string("ké"));
        db.insert(b"k\xff".to_vec(), RedisValue::String(vec![0, 0xff]));
        let json = serde_json::to_value(&db).unwrap();
        let expected = serde_json::json!({"keys": [
            {"key": {"base64": "a/8="}, "type": "string", "value": {"base64": "AP8="}},
            {"key": "plain", "type": "string", "value": "ké"},
        ]});
        assert_eq!(json, expected);
    }

    #[test]
    fn json_example_from_module_docs_loads() {
        let json = r#"{
          "password": "s3cret",
          "keys": [
            {"key": "acme:session", "ttl_seconds": 3600, "type": "string", "value": "{\"user\":1}"},
            {"key": "acme:config", "type": "hash", "value": [["service", "{\"port\":80}"]]},
            {"key": "acme:scores", "type": "zset", "value": [["ada", 1.5], ["bob", "inf"], ["cy", 2]]},
            {"key": "acme:events", "type": "stream",
             "value": [{"id": "1700000000000-0", "fields": [["type", "login"]]}]},
            {"key": {"base64": "cmF3/w=="}, "type": "set", "value": ["a"]}
          ]
        }"#;
        let db: RedisDb = serde_json::from_str(json).unwrap();
        assert_eq!(db.password.as_deref(), Some("s3cret"));
        assert_eq!(db.get(b"acme:session").unwrap().ttl_seconds, Some(3600));
        let scores = RedisValue::zset([("ada", 1.5), ("bob", f64::INFINITY), ("cy", 2.0)]);
        assert_eq!(db.get(b"acme:scores").unwrap().value, scores);
        let events = &db.get(b"acme:events").unwrap().value;
        let entry = StreamEntry::new(1_700_000_000_000, 0, [("type", "login")]);
        assert_eq!(events, &RedisValue::stream([entry]));
        assert_eq!(db.get(b"raw\xff").unwrap().value, RedisValue::set(["a"]));
    }

    #[test]
    fn json_errors_name_the_problem() {
        let load = |json: &str| {
            serde_json::from_str::<RedisDb>(json)
                .unwrap_err()
                .to_string()
        };
        let twice = r#"{"keys": [{"key": "a", "type": "string", "value": "1"},
                                 {"key": "a", "type": "string", "value": "2"}]}"#;
        assert!(
            load(twice).contains(r#"key "a" appears twice"#),
            "{}",
            load(twice)
        );
        let base64 = r#"{"keys": [{"key": {"base64": "!!"}, "type": "string", "value": ""}]}"#;
        assert!(load(base64).contains("bad base64"), "{}", load(base64));
        let id =
            r#"{"keys": [{"key": "s", "type": "stream", "value": [{"id": "x", "fields": []}]}]}"#;
        assert!(load(id).contains("not MS-SEQ"), "{}", load(id));
        let score = r#"{"keys": [{"key": "z", "type": "zset", "value": [["m", "lots"]]}]}"#;
        assert!(load(score).contains("\"lots\""), "{}", load(score));
    }

    #[test]
    fn sample_db_covers_every_type_and_hostile_key() {
        let db = sample_db("acme");
        let types: std::collections::BTreeSet<&str> =
            db.entries.values().map(|e| e.value.type_name()).collect();
        assert_eq!(types.len(), 6, "{types:?}");
        for key in [
            &b""[..],
            b"raw\x00\xff\xfe bytes",
            b"line\nbreak\r\nkey",
            "café ☃ 日本語".as_bytes(),
        ] {
            assert!(db.get(key).is_some(), "{key:?}");
        }
        let blob = &db.get(b"acme:blob:1mib").unwrap().value;
        assert_eq!(blob, &RedisValue::String(large_value()));
        assert_eq!(large_value().len(), 1 << 20);
        assert_eq!(db.get(b"acme:empty").unwrap().value, RedisValue::string(""));
        assert_ne!(sample_db("globex").get(b"globex:config"), None);
    }

    #[test]
    fn bulk_db_has_the_asked_size_and_is_stable() {
        let db = bulk_db(1000);
        assert_eq!(db.entries.len(), 1000);
        assert_eq!(db.expires_count(), 100);
        assert_eq!(bulk_db(1000), db);
    }

    #[test]
    fn one_shot_get_prints_quoted_value() {
        let db = sample_db("acme");
        let (out, err, code) = cli(&db, &with(&["GET", "tab\tkey"]), b"");
        assert_eq!(
            (out.as_str(), err.as_str(), code),
            ("\"tab\\tvalue\"\n", "", 0)
        );
        let (out, _, _) = cli(&db, &with(&["HGETALL", "nope"]), b"");
        assert_eq!(out, "(empty array)\n");
    }

    #[test]
    fn stdin_commands_carry_binary_keys() {
        let db = sample_db("acme");
        let keys: [&[u8]; 4] = [
            b"raw\x00\xff\xfe bytes",
            b"",
            b"line\nbreak\r\nkey",
            b"nope",
        ];
        let stdin: String = keys
            .iter()
            .map(|k| command_line(&[&b"GET"[..], k]))
            .collect();
        let (out, err, code) = cli(&db, &NO_RAW, stdin.as_bytes());
        assert_eq!((err.as_str(), code), ("", 0));
        let expected: Vec<Reply> = keys
            .iter()
            .map(|k| {
                db.get(k).map_or(Reply::Nil, |e| match &e.value {
                    RedisValue::String(v) => Reply::bulk(v),
                    other => panic!("not a string: {other:?}"),
                })
            })
            .collect();
        assert_eq!(parse_all(&out).unwrap(), expected);
    }

    #[test]
    fn stdin_mode_quirks_follow_redis_cli() {
        let db = sample_db("acme");
        let stdin = b"PING\n\nGET \"unterminated\n2 PING\n0 PING\nTYPE acme:config\nquit\nPING\n";
        let (out, _, code) = cli(&db, &NO_RAW, stdin);
        let expected = "PONG\nInvalid argument(s)\nPONG\nPONG\n\
                        Invalid redis-cli repeat command option value.\nhash\n";
        assert_eq!((out.as_str(), code), (expected, 0));
    }

    #[test]
    fn errors_go_to_stdout_unless_dash_e() {
        let db = sample_db("acme");
        let wrongtype = "WRONGTYPE Operation against a key holding the wrong kind of value";
        let (out, err, code) = cli(&db, &with(&["GET", "acme:config"]), b"");
        assert_eq!(
            (out, err.as_str(), code),
            (format!("(error) {wrongtype}\n"), "", 0)
        );
        let (out, err, code) = cli(&db, &with(&["-e", "GET", "acme:config"]), b"");
        assert_eq!((out.as_str(), err, code), ("", format!("{wrongtype}\n"), 1));
    }

    #[test]
    fn password_warning_wrong_password_and_noauth() {
        let db = sample_db("acme").with_password("pw");
        let (out, err, code) = cli(&db, &with(&["-a", "pw", "PING"]), b"");
        assert_eq!(
            (out.as_str(), err.as_str(), code),
            ("PONG\n", AUTH_WARNING, 0)
        );

        let (out, err, _) = cli(&db, &with(&["-a", "bad", "--no-auth-warning", "PING"]), b"");
        assert_eq!(out, "(error) NOAUTH Authentication required.\n");
        let failed = "AUTH failed: WRONGPASS invalid username-password pair or user is disabled.\n";
        assert_eq!(err, failed);

        let (out, err, _) = cli(&db, &with(&["DBSIZE"]), b"");
        assert_eq!(
            (out.as_str(), err.as_str()),
            ("(error) NOAUTH Authentication required.\n", "")
        );
    }

    #[test]
    fn info_prints_raw_even_with_no_raw() {
        let db = sample_db("acme");
        let (out, _, _) = cli(&db, &with(&["INFO", "keyspace"]), b"");
        let keys = db.entries.len();
        let expires = db.expires_count();
        assert!(out.starts_with(&format!("# Keyspace\r\ndb0:keys={keys},expires={expires},")));
        assert!(out.ends_with("\r\n") && !out.ends_with("\r\n\n"), "{out:?}");
    }

    #[test]
    fn raw_mode_without_no_raw() {
        let db = sample_db("acme");
        let (out, _, _) = cli(
            &db,
            &["redis-cli", "LRANGE", "acme:queue:jobs", "0", "1"],
            b"",
        );
        assert_eq!(out, "job-01\njob-02\n");
        let (out, _, _) = cli(&db, &["redis-cli", "--raw", "GET", "nope"], b"");
        assert_eq!(out, "\n");
    }

    #[test]
    fn select_failure_and_unknown_option() {
        let db = sample_db("acme");
        let (out, err, _) = cli(&db, &with(&["-n", "99", "DBSIZE"]), b"");
        assert_eq!(err, "SELECT 99 failed: ERR DB index is out of range\n");
        assert_eq!(parse(&out), Ok(Reply::Integer(db.entries.len() as i64)));
        let (out, _, _) = cli(&db, &with(&["-n", "2", "DBSIZE"]), b"");
        assert_eq!(out, "(integer) 0\n");

        let (out, err, code) = cli(&db, &with(&["--csv", "PING"]), b"");
        let unknown = "Unrecognized option or bad number of args for: '--csv'\n";
        assert_eq!((out.as_str(), err.as_str(), code), ("", unknown, 1));
        let (_, err, code) = cli(&db, &["redis-cli", "-p"], b"");
        assert_eq!(
            (err.as_str(), code),
            ("Unrecognized option or bad number of args for: '-p'\n", 1)
        );
    }

    #[test]
    fn address_and_unreachable_server() {
        let words = argv(&NO_RAW);
        assert_eq!(redis_cli_address(&words), ("127.10.0.11".to_string(), 6379));
        assert_eq!(
            redis_cli_address(&argv(&["redis-cli"])),
            ("127.0.0.1".to_string(), 6379)
        );

        let refused = "Could not connect to Redis at 127.10.0.11:6379: Connection refused\n";
        let mut one_shot = words.clone();
        one_shot.push("PING".into());
        let (out, err, code) = redis_cli_unreachable(&one_shot, b"");
        assert_eq!(
            (out, err, code),
            (Vec::new(), refused.as_bytes().to_vec(), 1)
        );
        let (_, err, code) = redis_cli_unreachable(&words, b"PING\n\nPING\n");
        assert_eq!((err, code), (refused.repeat(3).into_bytes(), 0));
    }

    #[test]
    fn load_commands_rebuild_the_data_line_by_line() {
        let mut db = sample_db("acme").with_password("pw");
        db.insert("empty:list", RedisValue::list(Vec::<Vec<u8>>::new()));
        let script = load_commands(&db);
        let commands: Vec<Vec<Vec<u8>>> = script
            .lines()
            .map(|line| redis_text::split_args(line.as_bytes()).unwrap())
            .collect();

        let count = |name: &[u8]| commands.iter().filter(|c| c[0] == name).count();
        let strings = db
            .entries
            .values()
            .filter(|e| e.value.type_name() == "string")
            .count();
        assert_eq!(count(b"SET"), strings);
        assert_eq!(count(b"XADD"), 3);
        assert_eq!(count(b"EXPIRE"), db.expires_count());
        assert_eq!(count(b"RPUSH"), 2, "the empty list is skipped");
        assert_eq!(commands.last().unwrap()[3], b"pw");
        let binary = commands
            .iter()
            .find(|c| c[1] == b"raw\x00\xff\xfe bytes")
            .unwrap();
        assert_eq!(binary[2], b"\x00\x01\x02\x7f\x80\xfe\xff");
    }
}
