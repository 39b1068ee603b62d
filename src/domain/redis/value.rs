//! Reading one key's value by its type, in pages, up to a cap.
//!
//! `TYPE` picks the reader, then the size (`STRLEN`, `HLEN`, `LLEN`, `SCARD`, `ZCARD`,
//! `XLEN`) decides how to fetch: strings with `GET` (`GETRANGE` past the byte cap),
//! small hashes and sets whole (`HGETALL`, `SMEMBERS`), large ones with `HSCAN`/`SSCAN`
//! pages until the item cap, lists and sorted sets in `LRANGE`/`ZRANGE ... WITHSCORES`
//! windows sent as one pipeline, streams with `XRANGE ... COUNT` pages. Hash fields and
//! set members come back sorted by their bytes (their server order is arbitrary);
//! lists, sorted sets and streams keep the server's order.
//!
//! [`Entry::to_json`] is the `redis get -o json` schema (docs/json-schema.md).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};

use super::text::{bytes_json, value_json};
use super::{Args, Caller, RedisError, call_one, keys, replies};

/// Items per page or window.
pub const PAGE: usize = 1000;

/// How much of a value to fetch; `None` means everything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Items of a collection (fields, elements, members, entries).
    pub items: Option<usize>,
    /// Bytes of a string.
    pub bytes: Option<usize>,
}

/// One key's value, as far as it was read.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: Vec<u8>,
    /// Bytes of a string, items of a collection, as the server counted them.
    pub size: u64,
    pub data: Data,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Data {
    String(Vec<u8>),
    /// Field/value pairs, sorted by field.
    Hash(Vec<(Vec<u8>, Vec<u8>)>),
    /// Elements from the head.
    List(Vec<Vec<u8>>),
    /// Members, sorted.
    Set(Vec<Vec<u8>>),
    /// Members with their scores as Redis writes them, lowest score first.
    ZSet(Vec<(Vec<u8>, Vec<u8>)>),
    Stream(Vec<StreamEntry>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct StreamEntry {
    pub id: Vec<u8>,
    pub fields: Vec<(Vec<u8>, Vec<u8>)>,
}

impl Entry {
    /// The type's name, as `TYPE` says it.
    pub fn kind(&self) -> &'static str {
        match &self.data {
            Data::String(_) => "string",
            Data::Hash(_) => "hash",
            Data::List(_) => "list",
            Data::Set(_) => "set",
            Data::ZSet(_) => "zset",
            Data::Stream(_) => "stream",
        }
    }

    /// How much was read: bytes of a string, items of a collection.
    pub fn shown(&self) -> u64 {
        let count = match &self.data {
            Data::String(bytes) => bytes.len(),
            Data::Hash(pairs) | Data::ZSet(pairs) => pairs.len(),
            Data::List(items) | Data::Set(items) => items.len(),
            Data::Stream(entries) => entries.len(),
        };
        count as u64
    }

    pub fn truncated(&self) -> bool {
        self.shown() < self.size
    }

    /// `{"key", "type", "size", "shown", "truncated", "value"}`.
    pub fn to_json(&self) -> Value {
        json!({
            "key": bytes_json(&self.key),
            "type": self.kind(),
            "size": self.size,
            "shown": self.shown(),
            "truncated": self.truncated(),
            "value": data_json(&self.data),
        })
    }
}

fn data_json(data: &Data) -> Value {
    let pair = |(field, value): &(Vec<u8>, Vec<u8>)| json!({"field": bytes_json(field), "value": value_json(value)});
    match data {
        Data::String(bytes) => value_json(bytes),
        Data::Hash(pairs) => pairs.iter().map(pair).collect(),
        Data::List(items) | Data::Set(items) => items.iter().map(|i| value_json(i)).collect(),
        Data::ZSet(members) => members
            .iter()
            .map(|(m, s)| json!({"member": bytes_json(m), "score": score_json(s)}))
            .collect(),
        Data::Stream(entries) => entries
            .iter()
            .map(|e| {
                let fields: Vec<Value> = e.fields.iter().map(pair).collect();
                json!({"id": bytes_json(&e.id), "fields": fields})
            })
            .collect(),
    }
}

/// A score as a JSON number, or `"inf"`/`"-inf"` (which JSON numbers cannot hold);
/// text that is no number at all stays text.
pub fn score_json(score: &[u8]) -> Value {
    let text = String::from_utf8_lossy(score);
    match text.parse::<f64>() {
        Ok(n) if n.is_finite() => json!(n),
        Ok(n) if n > 0.0 => json!("inf"),
        Ok(n) if n < 0.0 => json!("-inf"),
        _ => json!(text),
    }
}

/// Read `key`; `None` when it does not exist.
pub async fn read<C: Caller>(
    caller: &mut C,
    key: &[u8],
    limits: Limits,
) -> Result<Option<Entry>, RedisError> {
    let kind = keys::key_type(caller, key).await?;
    let read = match kind.as_str() {
        "none" => return Ok(None),
        "string" => read_string(caller, key, limits.bytes).await,
        "hash" => read_hash(caller, key, limits.items).await,
        "list" => read_list(caller, key, limits.items).await,
        "set" => read_set(caller, key, limits.items).await,
        "zset" => read_zset(caller, key, limits.items).await,
        "stream" => read_stream(caller, key, limits.items).await,
        other => {
            return Err(RedisError::UnsupportedType {
                key: redis_text::escape(key),
                kind: other.to_string(),
            });
        }
    };
    let (size, data) = read.map_err(|e| e.for_key(key))?;
    let key = key.to_vec();
    Ok(Some(Entry { key, size, data }))
}

type Read = Result<(u64, Data), RedisError>;

fn command(name: &[u8], key: &[u8], rest: &[&[u8]]) -> Args {
    let mut args = vec![name.to_vec(), key.to_vec()];
    args.extend(rest.iter().map(|r| r.to_vec()));
    args
}

/// A size reply; a missing key answers 0 (it was deleted after `TYPE`).
async fn size<C: Caller>(caller: &mut C, name: &[u8], key: &[u8]) -> Result<u64, RedisError> {
    let what = String::from_utf8_lossy(name).into_owned();
    let count = replies::integer(call_one(caller, command(name, key, &[])).await?, &what)?;
    match u64::try_from(count) {
        Ok(0) | Err(_) => Err(changed(key)),
        Ok(n) => Ok(n),
    }
}

fn changed(key: &[u8]) -> RedisError {
    RedisError::Changed {
        key: redis_text::escape(key),
    }
}

fn cap(limit: Option<usize>, size: u64) -> usize {
    let size = usize::try_from(size).unwrap_or(usize::MAX);
    limit.map_or(size, |l| l.min(size))
}

async fn read_string<C: Caller>(caller: &mut C, key: &[u8], max: Option<usize>) -> Read {
    let what = "GET";
    let length = replies::integer(call_one(caller, command(b"STRLEN", key, &[])).await?, what)?;
    let length = u64::try_from(length).unwrap_or(0);
    let wanted = cap(max, length);
    // GETRANGE past the cap: the simulator lacks it, so only tests/host_redis.rs covers it.
    let get = if (wanted as u64) < length {
        let last = wanted.saturating_sub(1).to_string();
        command(b"GETRANGE", key, &[b"0", last.as_bytes()])
    } else {
        command(b"GET", key, &[])
    };
    let bytes = match call_one(caller, get).await? {
        redis_text::Reply::Nil => return Err(changed(key)),
        reply => replies::bulk(reply, what)?,
    };
    Ok((length, Data::String(bytes)))
}

async fn read_hash<C: Caller>(caller: &mut C, key: &[u8], limit: Option<usize>) -> Read {
    let size = size(caller, b"HLEN", key).await?;
    let wanted = cap(limit, size);
    let pairs = if size as usize <= PAGE {
        let reply = call_one(caller, command(b"HGETALL", key, &[])).await?;
        replies::pairs(reply, "HGETALL")?
    } else {
        scan_items(caller, b"HSCAN", key, wanted, 2).await?
    };
    let sorted: BTreeMap<Vec<u8>, Vec<u8>> = pairs.into_iter().collect();
    Ok((size, Data::Hash(sorted.into_iter().take(wanted).collect())))
}

async fn read_set<C: Caller>(caller: &mut C, key: &[u8], limit: Option<usize>) -> Read {
    let size = size(caller, b"SCARD", key).await?;
    let wanted = cap(limit, size);
    let members: Vec<Vec<u8>> = if size as usize <= PAGE {
        let reply = call_one(caller, command(b"SMEMBERS", key, &[])).await?;
        replies::bulks(reply, "SMEMBERS")?
    } else {
        let pairs = scan_items(caller, b"SSCAN", key, wanted, 1).await?;
        pairs.into_iter().map(|(member, _)| member).collect()
    };
    let sorted: BTreeSet<Vec<u8>> = members.into_iter().collect();
    Ok((size, Data::Set(sorted.into_iter().take(wanted).collect())))
}

/// `HSCAN`/`SSCAN` pages until `wanted` distinct items are known or the cursor ends;
/// `width` is 2 for field/value pages and 1 for member pages (value left empty).
async fn scan_items<C: Caller>(
    caller: &mut C,
    name: &[u8],
    key: &[u8],
    wanted: usize,
    width: usize,
) -> Result<Vec<(Vec<u8>, Vec<u8>)>, RedisError> {
    let what = String::from_utf8_lossy(name).into_owned();
    let page = PAGE.to_string();
    let mut found = BTreeMap::new();
    let mut cursor = b"0".to_vec();
    while found.len() < wanted {
        let scan = command(name, key, &[&cursor, b"COUNT", page.as_bytes()]);
        let (next, items) = replies::scan_page(call_one(caller, scan).await?, &what)?;
        if width == 2 {
            found.extend(replies::pairs(items, &what)?);
        } else {
            found.extend(
                replies::bulks(items, &what)?
                    .into_iter()
                    .map(|m| (m, Vec::new())),
            );
        }
        if next == b"0" {
            break;
        }
        cursor = next;
    }
    Ok(found.into_iter().collect())
}

/// Index windows `[start, stop]` covering the first `wanted` items.
fn windows(wanted: usize) -> Vec<(usize, usize)> {
    (0..wanted)
        .step_by(PAGE)
        .map(|start| (start, (start + PAGE).min(wanted) - 1))
        .collect()
}

/// Send one windowed command per window as a single pipeline.
async fn windowed<C: Caller>(
    caller: &mut C,
    name: &[u8],
    key: &[u8],
    wanted: usize,
    extra: &[&[u8]],
) -> Result<Vec<redis_text::Reply>, RedisError> {
    let commands = windows(wanted)
        .into_iter()
        .map(|(start, stop)| {
            let (start, stop) = (start.to_string(), stop.to_string());
            let mut rest = vec![start.as_bytes(), stop.as_bytes()];
            rest.extend_from_slice(extra);
            command(name, key, &rest)
        })
        .collect();
    caller.call(commands).await
}

async fn read_list<C: Caller>(caller: &mut C, key: &[u8], limit: Option<usize>) -> Read {
    let size = size(caller, b"LLEN", key).await?;
    let wanted = cap(limit, size);
    let mut items = Vec::with_capacity(wanted);
    for reply in windowed(caller, b"LRANGE", key, wanted, &[]).await? {
        items.extend(replies::bulks(reply, "LRANGE")?);
    }
    Ok((size, Data::List(items)))
}

async fn read_zset<C: Caller>(caller: &mut C, key: &[u8], limit: Option<usize>) -> Read {
    let size = size(caller, b"ZCARD", key).await?;
    let wanted = cap(limit, size);
    let mut members = Vec::with_capacity(wanted);
    for reply in windowed(caller, b"ZRANGE", key, wanted, &[b"WITHSCORES"]).await? {
        members.extend(replies::pairs(reply, "ZRANGE")?);
    }
    Ok((size, Data::ZSet(members)))
}

async fn read_stream<C: Caller>(caller: &mut C, key: &[u8], limit: Option<usize>) -> Read {
    let size = size(caller, b"XLEN", key).await?;
    let wanted = cap(limit, size);
    let mut entries: Vec<StreamEntry> = Vec::with_capacity(wanted);
    let mut start = b"-".to_vec();
    while entries.len() < wanted {
        let count = (wanted - entries.len()).min(PAGE);
        let count_text = count.to_string();
        let xrange = command(
            b"XRANGE",
            key,
            &[&start, b"+", b"COUNT", count_text.as_bytes()],
        );
        let page = stream_entries(call_one(caller, xrange).await?)?;
        let next = page.last().and_then(|last| next_id(&last.id));
        let short = page.len() < count;
        entries.extend(page);
        match next {
            Some(next) if !short => start = next,
            _ => break,
        }
    }
    Ok((size, Data::Stream(entries)))
}

fn stream_entries(reply: redis_text::Reply) -> Result<Vec<StreamEntry>, RedisError> {
    let mut entries = Vec::new();
    for entry in replies::array(reply, "XRANGE")? {
        let mut parts = replies::array(entry, "XRANGE")?.into_iter();
        let (Some(id), Some(fields)) = (parts.next(), parts.next()) else {
            return Err(replies::unexpected("XRANGE", &redis_text::Reply::Nil));
        };
        entries.push(StreamEntry {
            id: replies::bulk(id, "XRANGE")?,
            fields: replies::pairs(fields, "XRANGE")?,
        });
    }
    Ok(entries)
}

/// The smallest stream ID after `id` (`MS-SEQ`), where the next `XRANGE` page starts.
fn next_id(id: &[u8]) -> Option<Vec<u8>> {
    let text = std::str::from_utf8(id).ok()?;
    let (ms, seq) = text.split_once('-')?;
    let (ms, seq): (u64, u64) = (ms.parse().ok()?, seq.parse().ok()?);
    let next = match seq.checked_add(1) {
        Some(seq) => format!("{ms}-{seq}"),
        None => format!("{}-0", ms.checked_add(1)?),
    };
    Some(next.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_cover_exactly_the_wanted_items() {
        assert_eq!(windows(0), vec![]);
        assert_eq!(windows(3), vec![(0, 2)]);
        assert_eq!(windows(2500), vec![(0, 999), (1000, 1999), (2000, 2499)]);
    }

    #[test]
    fn next_stream_id() {
        assert_eq!(next_id(b"1700000000000-1").unwrap(), b"1700000000000-2");
        assert_eq!(
            next_id(format!("5-{}", u64::MAX).as_bytes()).unwrap(),
            b"6-0"
        );
        assert_eq!(next_id(b"junk"), None);
    }

    #[test]
    fn scores_in_json() {
        assert_eq!(score_json(b"1.5"), json!(1.5));
        assert_eq!(score_json(b"-3"), json!(-3.0));
        assert_eq!(score_json(b"inf"), json!("inf"));
        assert_eq!(score_json(b"-inf"), json!("-inf"));
        assert_eq!(score_json(b"0.10000000000000001"), json!(0.1));
    }

    #[test]
    fn entry_json_says_what_was_left_out() {
        let entry = Entry {
            key: b"k\xff".to_vec(),
            size: 3,
            data: Data::Hash(vec![(b"f".to_vec(), br#"{"a":1}"#.to_vec())]),
        };
        let expected = json!({
            "key": {"base64": "a/8="}, "type": "hash", "size": 3, "shown": 1,
            "truncated": true, "value": [{"field": "f", "value": {"a": 1}}],
        });
        assert_eq!(entry.to_json(), expected);
    }
}
