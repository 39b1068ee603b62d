//! `redis keys|get|type|ttl|ping|info|dbsize`: a tenant's Redis, read-only.
//!
//! Each command resolves its tenant (`-t`, else the selected one) to the Redis service's
//! ClusterIP in the tenant database, reaches it through [`Client`] (native tunnel, or
//! redis-cli on the host) and renders what came back: JSON per docs/json-schema.md,
//! tables for people, and plain lines in which every name is one line (control
//! characters and non-UTF-8 bytes in redis-cli's quoted form, see
//! [`crate::domain::redis::text`]).

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Instant;

use serde_json::json;

use super::tenant::{ensure_db, tenant_in};
use crate::app::Invocation;
use crate::cli::{Format, RedisCmd, RedisGet, RedisKeys, RedisOn};
use crate::domain::redis::keys::{self, KeyQuery};
use crate::domain::redis::text::{
    bytes_json, display, display_block, is_json_document, parse_arg, pretty_json,
};
use crate::domain::redis::value::{self, Data, Entry, Limits};
use crate::domain::redis::{
    Client, Path, REDIS_PORT, RedisError, RedisTarget, args, call_one, info, replies,
};
use crate::error::{Error, Result};
use crate::output::{Report, Table, progress};
use crate::secret::Secret;
use crate::session::Session;

/// Keys asked for per `SCAN` page: redis-cli costs a remote command per page, so it
/// gets larger pages than the native path, which only pays a round trip.
fn scan_page(path: Path) -> usize {
    match path {
        Path::Native => 1000,
        Path::RedisCli => 5000,
    }
}

pub async fn run(inv: &mut Invocation<'_>, command: RedisCmd) -> Result<Option<Report>> {
    let started = Instant::now();
    let session = inv.session()?;
    let target = resolve(inv, &session, command.on()).await?;
    let password = password(inv, &session)?;
    let mut client = Client::connect(&session, target, password, inv.timeout()).await?;
    let report = match command {
        RedisCmd::Keys(a) => list_keys(inv, &session, &mut client, a).await?,
        RedisCmd::Get(a) => get(inv.format, &mut client, a).await?,
        RedisCmd::Type(a) => key_type(&mut client, &a.key).await?,
        RedisCmd::Ttl(a) => ttl(inv.format, &mut client, &a.key).await?,
        RedisCmd::Ping(_) => ping(&mut client).await?,
        RedisCmd::Info(a) => server_info(inv.format, &mut client, a.section.as_deref()).await?,
        RedisCmd::Dbsize(_) => dbsize(&mut client).await?,
    };
    tracing::info!(
        session = %session.name,
        tenant = %client.target().tenant,
        path = client.path().name(),
        ms = started.elapsed().as_millis() as u64,
        "redis command done"
    );
    Ok(Some(report))
}

/// The tenant's Redis address, from the tenant database (built first if need be).
async fn resolve(
    inv: &Invocation<'_>,
    session: &Arc<Session>,
    on: &RedisOn,
) -> Result<RedisTarget> {
    let name = on.tenant.clone().or_else(|| session.selected());
    let name = name.ok_or(RedisError::NoTenant)?;
    let db = ensure_db(inv, session).await?;
    let tenant = tenant_in(&db, &name)?;
    let service = tenant.redis.ok_or_else(|| RedisError::NoRedis {
        tenant: name.clone(),
    })?;
    let ip: IpAddr = service
        .cluster_ip
        .parse()
        .map_err(|_| RedisError::BadAddress {
            tenant: name.clone(),
            ip: service.cluster_ip.clone(),
        })?;
    let addr = SocketAddr::new(ip, REDIS_PORT);
    Ok(RedisTarget { tenant: name, addr })
}

/// The Redis password: from the variable the session was opened with
/// (`--redis-password-env`, or the profile's `redis_password_env`), else the one this
/// run's own flags name. A variable that is named but unset is an error.
/// Limit: one password per session, offered to every tenant's Redis (a Redis without
/// one shrugs it off); tenants with different passwords need separate sessions.
fn password(inv: &Invocation<'_>, session: &Session) -> Result<Option<Secret>> {
    let from_session = session.request.credentials.redis_password_env.clone();
    let Some(var) = from_session.or_else(|| inv.connect.redis_password_env.clone()) else {
        return Ok(None);
    };
    Secret::from_env(&var)
        .map(Some)
        .map_err(|e| Error::failed(format!("cannot read the Redis password: {e}")))
}

/// The most keys kept for completion.
const COMPLETION_KEYS: usize = 10_000;

async fn list_keys(
    inv: &Invocation<'_>,
    session: &Session,
    client: &mut Client<'_>,
    a: RedisKeys,
) -> Result<Report> {
    let pattern = parse_arg(a.pattern.as_deref().unwrap_or("*")).map_err(RedisError::from)?;
    let query = KeyQuery {
        pattern,
        kind: a.kind.map(|k| k.name().to_string()),
        count: a.count.map(|n| usize::try_from(n).unwrap_or(usize::MAX)),
        page: scan_page(client.path()),
    };
    let what = format!("{}: keys of {}", session.name, client.target().tenant);
    let bar = progress::spinner(&inv.app.style, what.clone());
    let found = keys::scan(client, &query, |n| bar.set_message(format!("{what}: {n}"))).await;
    bar.finish_and_clear();
    let list = found?;

    let json = list.keys.iter().map(|k| bytes_json(k)).collect();
    let shown: Vec<String> = list.keys.iter().map(|k| display(k)).collect();
    // Remembered for Tab after `redis get`; bounded so a huge keyspace costs little.
    let remembered = shown.iter().take(COMPLETION_KEYS).cloned().collect();
    session
        .seen
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .redis_keys = remembered;
    let mut report = match inv.format {
        Format::Plain => Report::text(lines(&shown), json),
        _ => {
            let mut table = Table::new(&["KEY"]);
            shown.into_iter().for_each(|k| table.row(vec![k]));
            Report::table(table, json)
        }
    };
    if list.truncated {
        report = report.note(format!(
            "stopped after {} keys (--count); more keys match",
            list.keys.len()
        ));
    }
    Ok(report)
}

async fn get(format: Format, client: &mut Client<'_>, a: RedisGet) -> Result<Report> {
    let key = parse_arg(&a.key).map_err(RedisError::from)?;
    let nonzero = |n: u64| (n > 0).then(|| usize::try_from(n).unwrap_or(usize::MAX));
    let limits = Limits {
        items: nonzero(a.limit),
        bytes: nonzero(a.max_bytes),
    };
    let Some(entry) = value::read(client, &key, limits).await? else {
        return Err(no_key(client, &key));
    };
    // The JSON form costs as much as the table on a big value: built only when asked.
    let json = match format {
        Format::Json => entry.to_json(),
        _ => serde_json::Value::Null,
    };
    let mut report = match format {
        Format::Plain => Report::text(entry_lines(&entry), json),
        _ => entry_report(&entry, json),
    };
    if let Some(note) = cap_note(&entry) {
        report = report.note(note);
    }
    Ok(report)
}

fn no_key(client: &Client<'_>, key: &[u8]) -> Error {
    RedisError::NoKey {
        tenant: client.target().tenant.clone(),
        key: redis_text::escape(key),
    }
    .into()
}

/// What a capped read left out, and how to see more.
fn cap_note(entry: &Entry) -> Option<String> {
    if !entry.truncated() {
        return None;
    }
    let (shown, size) = (entry.shown(), entry.size);
    Some(match entry.data {
        Data::String(_) => {
            format!("showing the first {shown} of {size} bytes (--max-bytes N shows more, 0 all)")
        }
        _ => format!("showing {shown} of {size} items (--limit N shows more, 0 all)"),
    })
}

/// A value in a table cell or on its own: JSON re-indented, other text with its line
/// breaks, anything else quoted.
fn cell(value: &[u8]) -> String {
    match std::str::from_utf8(value) {
        Ok(text) if is_json_document(text) => pretty_json(text),
        _ => display_block(value),
    }
}

fn entry_report(entry: &Entry, json: serde_json::Value) -> Report {
    let title = format!(
        "{} {}, {}",
        entry.kind(),
        display(&entry.key),
        size_text(entry)
    );
    let (headers, rows): (&[&str], Vec<Vec<String>>) = match &entry.data {
        Data::String(bytes) => return Report::text(cell(bytes), json),
        Data::Hash(pairs) => (&["FIELD", "VALUE"], pair_rows(pairs, cell)),
        Data::List(items) => (&["INDEX", "VALUE"], index_rows(items, cell)),
        Data::Set(items) => (
            &["MEMBER"],
            items.iter().map(|m| vec![display(m)]).collect(),
        ),
        Data::ZSet(pairs) => (&["MEMBER", "SCORE"], pair_rows(pairs, display)),
        Data::Stream(entries) => (&["ID", "FIELD", "VALUE"], stream_rows(entries, cell)),
    };
    let mut table = Table::new(headers).titled(title);
    rows.into_iter().for_each(|row| table.row(row));
    Report::table(table, json)
}

/// Plain output: one record a line, tab-separated, every cell on one line.
fn entry_lines(entry: &Entry) -> String {
    let rows = match &entry.data {
        Data::String(bytes) => vec![vec![display(bytes)]],
        Data::Hash(pairs) | Data::ZSet(pairs) => pair_rows(pairs, display),
        Data::List(items) => index_rows(items, display),
        Data::Set(items) => items.iter().map(|m| vec![display(m)]).collect(),
        Data::Stream(entries) => stream_rows(entries, display),
    };
    let joined: Vec<String> = rows.into_iter().map(|row| row.join("\t")).collect();
    lines(&joined)
}

fn size_text(entry: &Entry) -> String {
    let unit = match entry.data {
        Data::String(_) => "bytes",
        Data::Hash(_) => "fields",
        Data::Stream(_) => "entries",
        Data::List(_) => "items",
        Data::Set(_) | Data::ZSet(_) => "members",
    };
    format!("{} {unit}", entry.size)
}

fn pair_rows(pairs: &[(Vec<u8>, Vec<u8>)], show: impl Fn(&[u8]) -> String) -> Vec<Vec<String>> {
    pairs
        .iter()
        .map(|(name, value)| vec![display(name), show(value)])
        .collect()
}

fn index_rows(items: &[Vec<u8>], show: impl Fn(&[u8]) -> String) -> Vec<Vec<String>> {
    let row = |(i, item): (usize, &Vec<u8>)| vec![i.to_string(), show(item)];
    items.iter().enumerate().map(row).collect()
}

fn stream_rows(entries: &[value::StreamEntry], show: impl Fn(&[u8]) -> String) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for entry in entries {
        for (field, value) in &entry.fields {
            rows.push(vec![display(&entry.id), display(field), show(value)]);
        }
    }
    rows
}

fn lines(rows: &[String]) -> String {
    rows.iter().map(|r| format!("{r}\n")).collect()
}

async fn key_type(client: &mut Client<'_>, key: &str) -> Result<Report> {
    let key = parse_arg(key).map_err(RedisError::from)?;
    let kind = keys::key_type(client, &key).await?;
    if kind == "none" {
        return Err(no_key(client, &key));
    }
    let json = json!({"key": bytes_json(&key), "type": kind});
    Ok(Report::text(kind, json))
}

async fn ttl(format: Format, client: &mut Client<'_>, key: &str) -> Result<Report> {
    let key = parse_arg(key).map_err(RedisError::from)?;
    let ttl = keys::ttl(client, &key).await?;
    if ttl == -2 {
        return Err(no_key(client, &key));
    }
    let json = json!({"key": bytes_json(&key), "ttl": ttl});
    let text = match (format, ttl) {
        (Format::Table, -1) => "no expiry".to_string(),
        (Format::Table, secs) => format!("{secs} s"),
        (_, secs) => secs.to_string(),
    };
    Ok(Report::text(text, json))
}

async fn ping(client: &mut Client<'_>) -> Result<Report> {
    let started = Instant::now();
    let reply = call_one(client, args([b"PING"])).await?;
    let ms = started.elapsed().as_millis() as u64;
    let reply = String::from_utf8_lossy(&replies::bulk(reply, "PING")?).into_owned();
    let target = client.target();
    let path = client.path().name();
    let json = json!({
        "tenant": target.tenant,
        "address": target.addr.to_string(),
        "path": path,
        "reply": reply,
        "ms": ms,
    });
    let text = format!(
        "{reply} from {} at {} ({path}, {ms} ms)",
        target.tenant, target.addr
    );
    Ok(Report::text(text, json))
}

async fn server_info(
    format: Format,
    client: &mut Client<'_>,
    section: Option<&str>,
) -> Result<Report> {
    let report = client.info(section.map(str::as_bytes)).await?;
    let sections = info::parse(&report);
    let json = info::to_json(&sections);
    if format == Format::Plain {
        let rows: Vec<String> = sections
            .iter()
            .flat_map(|s| {
                let name = s.name.to_lowercase();
                s.fields
                    .iter()
                    .map(move |(f, v)| format!("{name}\t{f}\t{v}"))
            })
            .collect();
        return Ok(Report::text(lines(&rows), json));
    }
    let tables = sections
        .iter()
        .map(|s| {
            let mut table = Table::new(&["FIELD", "VALUE"]).titled(s.name.clone());
            s.fields
                .iter()
                .for_each(|(f, v)| table.row(vec![f.clone(), v.clone()]));
            table
        })
        .collect();
    Ok(Report {
        json,
        tables,
        ..Report::default()
    })
}

async fn dbsize(client: &mut Client<'_>) -> Result<Report> {
    let size = keys::dbsize(client).await?;
    Ok(Report::text(size.to_string(), json!({"dbsize": size})))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(data: Data, size: u64) -> Entry {
        Entry {
            key: b"k".to_vec(),
            size,
            data,
        }
    }

    #[test]
    fn plain_lines_never_break_a_record() {
        let hash = entry(Data::Hash(vec![(b"f\n1".to_vec(), b"a\tb\nc".to_vec())]), 1);
        assert_eq!(entry_lines(&hash), "\"f\\n1\"\t\"a\\tb\\nc\"\n");
        let list = entry(Data::List(vec![b"x".to_vec(), br#"{"a": 1}"#.to_vec()]), 2);
        assert_eq!(entry_lines(&list), "0\tx\n1\t{\"a\": 1}\n");
    }

    #[test]
    fn table_cells_pretty_print_json_and_keep_text_lines() {
        assert_eq!(cell(br#"{"a":[1]}"#), "{\n  \"a\": [\n    1\n  ]\n}");
        assert_eq!(cell(b"two\nlines"), "two\nlines");
        assert_eq!(cell(b"\xff"), "\"\\xff\"");
    }

    #[test]
    fn notes_say_how_to_see_more() {
        let list = entry(Data::List(vec![b"x".to_vec()]), 5);
        assert_eq!(
            cap_note(&list).unwrap(),
            "showing 1 of 5 items (--limit N shows more, 0 all)"
        );
        let string = entry(Data::String(b"ab".to_vec()), 2);
        assert_eq!(cap_note(&string), None);
    }
}
