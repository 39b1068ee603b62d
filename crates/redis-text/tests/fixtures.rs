//! Real redis-cli 7 outputs (see `tests/fixtures/README.md`): each parses to the reply it
//! shows, and rendering that reply gives the captured bytes back.

use redis_text::{Reply, parse, parse_all, render, render_raw, split_args};

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("reading {path}: {err}"))
}

/// Asserts both directions: parse(file) == reply and render(reply) == file.
#[track_caller]
fn assert_fixture(name: &str, reply: &Reply) {
    let text = fixture(name);
    assert_eq!(parse(&text).as_ref(), Ok(reply), "parsing {name}");
    assert_eq!(render(reply), text, "rendering {name}");
}

fn status(text: &str) -> Reply {
    Reply::Status(text.to_string())
}

#[test]
fn get_of_binary_value() {
    assert_fixture("get-binary.txt", &Reply::bulk(b"\x00\x01\x02\x7f\x80\xff"));
}

#[test]
fn hgetall_with_json_field_values() {
    let reply = Reply::bulks([
        "service",
        r#"{"name":"redis","port":6379}"#,
        "flags",
        r#"{"debug":false,"tags":["a","b"]}"#,
        "empty",
        "",
    ]);
    assert_fixture("hgetall-json.txt", &reply);
}

#[test]
fn lrange_with_two_digit_numbers() {
    let items: Vec<String> = (1..=12).map(|n| format!("j{n:02}")).collect();
    assert_fixture("lrange-twelve.txt", &Reply::bulks(items));
}

#[test]
fn xrange_nests_entries_and_fields() {
    let entry = |id: &str, fields: &[&str]| {
        Reply::Array(vec![Reply::bulk(id), Reply::bulks(fields.iter().copied())])
    };
    let reply = Reply::Array(vec![
        entry("1700000000000-0", &["type", "login", "user", "ada"]),
        entry(
            "1700000000001-0",
            &[
                "type",
                "logout",
                "user",
                "ada",
                "reason",
                "idle \"timeout\"",
            ],
        ),
    ]);
    assert_fixture("xrange-stream.txt", &reply);
}

#[test]
fn scan_with_hostile_keys_nests_under_a_wide_number() {
    let keys: [&[u8]; 10] = [
        b"user:1 name",
        b"scores",
        b"",
        b"queue",
        b"tenant:acme:config",
        b"line\nbreak",
        b"set with 'quotes'",
        b"bin\x00\xff\xfe",
        "café".as_bytes(),
        b"events",
    ];
    let reply = Reply::Array(vec![Reply::bulk("0"), Reply::bulks(keys)]);
    assert_fixture("scan-hostile-keys.txt", &reply);
}

#[test]
fn zrange_withscores_prints_scores_as_strings() {
    let reply = Reply::bulks(["carol", "-3", "alice", "1.5", "bob", "2"]);
    assert_fixture("zrange-withscores.txt", &reply);
}

#[test]
fn hello_ends_in_a_nested_empty_array() {
    let mut items = Vec::new();
    for (field, value) in [("server", "redis"), ("version", "7.0.15")] {
        items.extend([Reply::bulk(field), Reply::bulk(value)]);
    }
    items.extend([Reply::bulk("proto"), Reply::Integer(2)]);
    items.extend([Reply::bulk("id"), Reply::Integer(60)]);
    for (field, value) in [("mode", "standalone"), ("role", "master")] {
        items.extend([Reply::bulk(field), Reply::bulk(value)]);
    }
    items.extend([Reply::bulk("modules"), Reply::Array(Vec::new())]);
    assert_fixture("hello-2.txt", &Reply::Array(items));
}

#[test]
fn info_is_printed_raw_with_crlf_lines() {
    let text = fixture("info-keyspace.txt");
    let info = Reply::bulk("# Keyspace\r\ndb0:keys=10,expires=0,avg_ttl=0\r\n");
    assert_eq!(render_raw(&info), text.as_bytes());
}

#[test]
fn stdin_session_gives_one_reply_per_line() {
    let input = fixture("stdin-session.in");
    let replies = parse_all(&fixture("stdin-session.txt")).unwrap();
    let wrongtype = "WRONGTYPE Operation against a key holding the wrong kind of value";
    let unknown = "ERR unknown command 'FOO', with args beginning with: 'bar' ";
    let expected = vec![
        status("PONG"),
        Reply::Nil,
        status("list"),
        Reply::Integer(-1),
        Reply::Array(Vec::new()),
        Reply::Error(wrongtype.into()),
        status("Invalid argument(s)"),
        Reply::Integer(2),
        Reply::bulks(["m\\1"]),
        Reply::Error(unknown.into()),
        Reply::Integer(10),
    ];
    assert_eq!(replies, expected);
    assert_eq!(input.lines().count(), expected.len());

    // The one line redis-cli refused is the one our splitter refuses too.
    let refused: Vec<usize> = input
        .lines()
        .enumerate()
        .filter(|(_, line)| split_args(line.as_bytes()).is_err())
        .map(|(index, _)| index)
        .collect();
    assert_eq!(refused, vec![6]);
}
