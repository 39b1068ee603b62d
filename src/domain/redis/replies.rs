//! Reading the shapes Redis replies come in: a bulk string, an integer, an array of
//! bulks, a `SCAN` page. Both paths hand their replies over as [`Reply`], so these
//! readers serve the native and the redis-cli path alike.

use redis_text::Reply;

use super::{Pairs, RedisError};

/// One reply that should be a bulk string (or a status, which carries text too).
pub fn bulk(reply: Reply, what: &str) -> Result<Vec<u8>, RedisError> {
    match reply {
        Reply::Bulk(bytes) => Ok(bytes),
        Reply::Status(text) => Ok(text.into_bytes()),
        other => Err(unexpected(what, &other)),
    }
}

/// One reply that should be an integer.
pub fn integer(reply: Reply, what: &str) -> Result<i64, RedisError> {
    match reply {
        Reply::Integer(n) => Ok(n),
        other => Err(unexpected(what, &other)),
    }
}

/// One reply that should be an array (a nil array counts as empty).
pub fn array(reply: Reply, what: &str) -> Result<Vec<Reply>, RedisError> {
    match reply {
        Reply::Array(items) => Ok(items),
        Reply::Nil => Ok(Vec::new()),
        other => Err(unexpected(what, &other)),
    }
}

/// An array of bulk strings.
pub fn bulks(reply: Reply, what: &str) -> Result<Vec<Vec<u8>>, RedisError> {
    array(reply, what)?
        .into_iter()
        .map(|item| bulk(item, what))
        .collect()
}

/// A flat array read two by two (`HGETALL`, `ZRANGE ... WITHSCORES`, `HSCAN` pages).
pub fn pairs(reply: Reply, what: &str) -> Result<Pairs, RedisError> {
    let items = bulks(reply, what)?;
    if items.len() % 2 != 0 {
        return Err(RedisError::Unexpected {
            what: what.to_string(),
            got: format!("an odd number ({}) of items", items.len()),
        });
    }
    let mut items = items.into_iter();
    let mut out = Vec::with_capacity(items.len() / 2);
    while let (Some(a), Some(b)) = (items.next(), items.next()) {
        out.push((a, b));
    }
    Ok(out)
}

/// A `SCAN`-family page: the next cursor and the page's items.
pub fn scan_page(reply: Reply, what: &str) -> Result<(Vec<u8>, Reply), RedisError> {
    let mut parts = array(reply, what)?.into_iter();
    let (Some(cursor), Some(items), None) = (parts.next(), parts.next(), parts.next()) else {
        return Err(RedisError::Unexpected {
            what: what.to_string(),
            got: "a page that is not [cursor, items]".into(),
        });
    };
    Ok((bulk(cursor, what)?, items))
}

/// Why a reply did not fit: a short description of what came instead.
pub fn unexpected(what: &str, got: &Reply) -> RedisError {
    let got = match got {
        Reply::Nil => "nil".to_string(),
        Reply::Integer(n) => format!("the integer {n}"),
        Reply::Bulk(_) => "a string".to_string(),
        Reply::Status(text) => format!("the status {text}"),
        Reply::Error(text) => format!("the error {text}"),
        Reply::Array(items) => format!("an array of {}", items.len()),
    };
    RedisError::Unexpected {
        what: what.to_string(),
        got,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_read_two_by_two() {
        let reply = Reply::bulks(["f1", "v1", "f2", "v2"]);
        let got = pairs(reply, "HGETALL").unwrap();
        assert_eq!(got[1], (b"f2".to_vec(), b"v2".to_vec()));
        assert!(pairs(Reply::bulks(["f1"]), "HGETALL").is_err());
    }

    #[test]
    fn scan_page_splits_cursor_and_items() {
        let reply = Reply::Array(vec![Reply::bulk("17"), Reply::bulks(["a", "b"])]);
        let (cursor, items) = scan_page(reply, "SCAN").unwrap();
        assert_eq!(cursor, b"17");
        assert_eq!(bulks(items, "SCAN").unwrap().len(), 2);
        let err = scan_page(Reply::Integer(3), "SCAN").unwrap_err();
        assert!(err.to_string().contains("the integer 3"), "{err}");
    }
}
