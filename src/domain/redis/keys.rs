//! Listing keys with `SCAN`: never `KEYS`, which blocks a production Redis while it
//! walks millions of keys.
//!
//! `SCAN` pages through the keyspace with a cursor and may return a key more than once
//! (when the table is resized mid-scan), so keys are gathered in a sorted set, which
//! de-duplicates and orders them for display at once. Memory grows with the number of
//! distinct keys listed, nothing else: each page is merged and dropped. `--count N`
//! stops as soon as N distinct keys are known, so it also bounds memory.

use std::collections::BTreeSet;

use super::{Args, Caller, RedisError, call_one, replies};

/// What to list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyQuery {
    /// A Redis glob; `*` lists every key.
    pub pattern: Vec<u8>,
    /// Only keys of this type (`SCAN ... TYPE`, Redis 6 and later).
    pub kind: Option<String>,
    /// Stop after this many distinct keys.
    pub count: Option<usize>,
    /// Keys asked for per page (`SCAN ... COUNT`), a hint to the server.
    pub page: usize,
}

/// The keys found, sorted by their bytes, without duplicates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyList {
    pub keys: Vec<Vec<u8>>,
    /// `--count` stopped the scan before the server said it was done.
    pub truncated: bool,
    /// How many `SCAN` round trips it took.
    pub pages: usize,
}

impl KeyQuery {
    /// One `SCAN` command from `cursor`. `MATCH *` is left out: Redis skips matching
    /// for it anyway, and some servers' matchers never match the empty key.
    fn command(&self, cursor: &[u8]) -> Args {
        let mut command = vec![b"SCAN".to_vec(), cursor.to_vec()];
        if self.pattern != b"*" {
            command.extend([b"MATCH".to_vec(), self.pattern.clone()]);
        }
        command.extend([b"COUNT".to_vec(), self.page.to_string().into_bytes()]);
        if let Some(kind) = &self.kind {
            command.extend([b"TYPE".to_vec(), kind.as_bytes().to_vec()]);
        }
        command
    }
}

/// Walk the keyspace; `progress` hears the number of distinct keys after each page.
pub async fn scan<C: Caller>(
    caller: &mut C,
    query: &KeyQuery,
    mut progress: impl FnMut(usize) + Send,
) -> Result<KeyList, RedisError> {
    let mut found = BTreeSet::new();
    let mut cursor = b"0".to_vec();
    let mut pages = 0;
    loop {
        let reply = call_one(caller, query.command(&cursor)).await?;
        let (next, items) = replies::scan_page(reply, "SCAN")?;
        pages += 1;
        let mut page = replies::bulks(items, "SCAN")?.into_iter();
        let full = |found: &BTreeSet<Vec<u8>>| query.count.is_some_and(|n| found.len() >= n);
        while !full(&found) {
            let Some(key) = page.next() else { break };
            found.insert(key);
        }
        progress(found.len());

        let done = next == b"0";
        if full(&found) {
            let truncated = !done || page.any(|key| !found.contains(&key));
            return Ok(finish(found, truncated, pages));
        }
        if done {
            return Ok(finish(found, false, pages));
        }
        cursor = next;
    }
}

fn finish(found: BTreeSet<Vec<u8>>, truncated: bool, pages: usize) -> KeyList {
    KeyList {
        keys: found.into_iter().collect(),
        truncated,
        pages,
    }
}

/// `DBSIZE`: how many keys the database holds.
pub async fn dbsize<C: Caller>(caller: &mut C) -> Result<i64, RedisError> {
    let reply = call_one(caller, super::args([b"DBSIZE"])).await?;
    replies::integer(reply, "DBSIZE")
}

/// `TYPE`: `none` for a missing key.
pub async fn key_type<C: Caller>(caller: &mut C, key: &[u8]) -> Result<String, RedisError> {
    let reply = call_one(caller, super::args([b"TYPE", key])).await?;
    let kind = replies::bulk(reply, "TYPE")?;
    Ok(String::from_utf8_lossy(&kind).into_owned())
}

/// `TTL`: seconds left, -1 for no expiry, -2 for a missing key.
pub async fn ttl<C: Caller>(caller: &mut C, key: &[u8]) -> Result<i64, RedisError> {
    let reply = call_one(caller, super::args([b"TTL", key])).await?;
    replies::integer(reply, "TTL")
}

#[cfg(test)]
mod tests {
    use super::*;
    use redis_text::Reply;

    /// Serves scripted `SCAN` pages and records the commands.
    struct Pages {
        pages: Vec<(&'static str, Vec<&'static str>)>,
        sent: Vec<Args>,
    }

    impl Caller for Pages {
        async fn call(&mut self, commands: Vec<Args>) -> Result<Vec<Reply>, RedisError> {
            self.sent.extend(commands);
            let (cursor, keys) = self.pages.remove(0);
            let page = Reply::Array(vec![Reply::bulk(cursor), Reply::bulks(keys)]);
            Ok(vec![page])
        }
    }

    fn query(count: Option<usize>) -> KeyQuery {
        KeyQuery {
            pattern: b"*".to_vec(),
            kind: None,
            count,
            page: 100,
        }
    }

    fn pages() -> Pages {
        Pages {
            pages: vec![
                ("7", vec!["b", "a"]),
                ("3", vec![]),
                ("9", vec!["a", "c", "b"]),
                ("0", vec!["d"]),
            ],
            sent: vec![],
        }
    }

    fn texts(list: &KeyList) -> Vec<String> {
        let text = |k: &Vec<u8>| String::from_utf8_lossy(k).into_owned();
        list.keys.iter().map(text).collect()
    }

    #[tokio::test]
    async fn duplicates_and_empty_pages_are_absorbed() {
        let mut caller = pages();
        let mut seen = Vec::new();
        let list = scan(&mut caller, &query(None), |n| seen.push(n))
            .await
            .unwrap();
        assert_eq!(texts(&list), ["a", "b", "c", "d"]);
        assert_eq!((list.truncated, list.pages), (false, 4));
        assert_eq!(seen, [2, 2, 3, 4]);
        let cursors: Vec<&[u8]> = caller.sent.iter().map(|c| c[1].as_slice()).collect();
        assert_eq!(cursors, [&b"0"[..], b"7", b"3", b"9"]);
        assert!(!caller.sent[0].contains(&b"MATCH".to_vec()));
    }

    #[tokio::test]
    async fn count_stops_early() {
        let mut caller = pages();
        let list = scan(&mut caller, &query(Some(3)), |_| {}).await.unwrap();
        assert_eq!(texts(&list), ["a", "b", "c"]);
        assert!(list.truncated);
        assert_eq!(caller.pages.len(), 1, "the last page was never asked for");
    }

    #[tokio::test]
    async fn count_equal_to_everything_is_not_truncated() {
        let mut caller = pages();
        let list = scan(&mut caller, &query(Some(4)), |_| {}).await.unwrap();
        assert_eq!((list.keys.len(), list.truncated), (4, false));
    }

    #[test]
    fn pattern_and_type_reach_the_command() {
        let q = KeyQuery {
            pattern: b"acme:*".to_vec(),
            kind: Some("hash".into()),
            count: None,
            page: 500,
        };
        let words: Vec<String> = q
            .command(b"42")
            .iter()
            .map(|w| String::from_utf8_lossy(w).into_owned())
            .collect();
        assert_eq!(
            words,
            [
                "SCAN", "42", "MATCH", "acme:*", "COUNT", "500", "TYPE", "hash"
            ]
        );
    }
}
