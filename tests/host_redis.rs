//! `redis ...` against the CI host's real sshd and real redis-servers (one per tenant
//! ClusterIP of the default world, empty at start): port 2222 forwards (the native
//! path), port 2223 has `AllowTcpForwarding no` (the redis-cli fallback). Each test
//! seeds one tenant's Redis of its own with the local redis-cli, checks what vmsdbg
//! reads back on both paths, and removes exactly what it added, even when it fails.
//!
//! Ignored by a plain `cargo test`; `.ci/run` runs them with `--include-ignored`.

mod common;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde_json::{Value, json};
use vmsdbg_sim::redis_data::{RedisDb, RedisValue, load_commands, sample_db};

use common::{CiHost, Run, Vmsdbg, read_world};

const USER: &str = "vmsadmin";
const REDIS_PASSWORD_VAR: &str = "VMSDBG_TEST_REDIS_PASSWORD";

/// The ClusterIP of `tenant`'s Redis service in vmsadmin's world.
fn redis_ip(host: &CiHost, tenant: &str) -> String {
    let world = read_world(Path::new(host.var("VMSDBG_CI_VMSADMIN_WORLD")));
    let services = world["services"].as_array().expect("services");
    let service = services.iter().find(|s| {
        let ip = s["clusterIP"].as_str().unwrap_or("None");
        let named = s["name"].as_str().is_some_and(|n| n.contains("redis"));
        s["namespace"] == tenant && named && ip != "None"
    });
    let service = service.unwrap_or_else(|| panic!("{tenant} has a Redis in the world"));
    service["clusterIP"].as_str().expect("an IP").to_string()
}

/// `vmsdbg --host vmsadmin@127.0.0.1:PORT`; `native` picks the port that forwards.
fn vmsdbg(host: &CiHost, native: bool) -> Vmsdbg {
    let port = match native {
        true => host.var("VMSDBG_CI_SSH_PORT"),
        false => host.var("VMSDBG_CI_SSH_PORT_NOFWD"),
    };
    let target = format!("{USER}@127.0.0.1:{port}");
    host.vmsdbg().args([
        "--host",
        &target,
        "--accept-new-host-key",
        "--password-env",
        "VMSDBG_CI_VMSADMIN_PASSWORD",
    ])
}

/// Run the local redis-cli against `ip` with `stdin`; its stdout.
fn redis_cli(ip: &str, stdin: &[u8]) -> String {
    let mut child = Command::new("redis-cli")
        .args(["--no-raw", "-h", ip, "-p", "6379"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("redis-cli runs (the CI host installs it)");
    let mut pipe = child.stdin.take().expect("stdin");
    pipe.write_all(stdin).expect("commands written");
    drop(pipe);
    let out = child.wait_with_output().expect("redis-cli finishes");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn line<A: AsRef<[u8]>>(args: &[A]) -> String {
    redis_text::command_line(args)
}

/// Data a test put into a tenant's Redis; dropped, it deletes those keys (and lifts
/// the password it set), so a failing test leaves the server as it found it.
struct Seeded {
    ip: String,
    keys: Vec<Vec<u8>>,
    password: Option<String>,
}

impl Seeded {
    /// Load `script` into the empty Redis at `ip`, remembering `keys`.
    fn load(ip: &str, keys: Vec<Vec<u8>>, script: &str) -> Seeded {
        let size = redis_cli(ip, b"DBSIZE\n");
        assert_eq!(
            size, "(integer) 0\n",
            "{ip} must start empty (the CI starts it so)"
        );
        let seeded = Seeded {
            ip: ip.to_string(),
            keys,
            password: None,
        };
        let out = redis_cli(ip, script.as_bytes());
        assert!(!out.contains("(error)"), "seeding failed: {out}");
        seeded
    }

    /// Ask for `password` from now on (until drop).
    fn require_password(&mut self, password: &str) {
        redis_cli(
            &self.ip,
            line(&["CONFIG", "SET", "requirepass", password]).as_bytes(),
        );
        self.password = Some(password.to_string());
    }
}

impl Drop for Seeded {
    fn drop(&mut self) {
        let mut script = String::new();
        if let Some(password) = &self.password {
            script.push_str(&line(&["AUTH", password.as_str()]));
        }
        for chunk in self.keys.chunks(500) {
            let mut del = vec![b"DEL".to_vec()];
            del.extend(chunk.iter().cloned());
            script.push_str(&line(&del));
        }
        if self.password.is_some() {
            script.push_str(&line(&["CONFIG", "SET", "requirepass", ""]));
        }
        redis_cli(&self.ip, script.as_bytes());
    }
}

/// The JSON documents a script printed, in order.
#[track_caller]
fn json_docs(run: &Run) -> Vec<Value> {
    serde_json::Deserializer::from_slice(&run.0.stdout)
        .into_iter()
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| panic!("bad JSON ({e}):\n{}\n{}", run.stdout(), run.stderr()))
}

fn word(text: &str) -> String {
    shlex::try_quote(text).expect("no NUL").into_owned()
}

// The expected JSON, built from the seeded data independently of vmsdbg's code.

fn name_json(bytes: &[u8]) -> Value {
    match std::str::from_utf8(bytes) {
        Ok(text) => json!(text),
        Err(_) => json!({"base64": BASE64.encode(bytes)}),
    }
}

fn value_json(bytes: &[u8]) -> Value {
    let parsed = std::str::from_utf8(bytes)
        .ok()
        .filter(|t| t.trim_start().starts_with(['{', '[']))
        .and_then(|t| serde_json::from_str::<Value>(t).ok());
    match parsed {
        Some(Value::Object(map)) if map.len() == 1 && map.contains_key("base64") => {
            name_json(bytes)
        }
        Some(doc) => doc,
        None => name_json(bytes),
    }
}

fn pairs_json(pairs: &[(Vec<u8>, Vec<u8>)]) -> Vec<Value> {
    pairs
        .iter()
        .map(|(f, v)| json!({"field": name_json(f), "value": value_json(v)}))
        .collect()
}

fn expected_get(key: &[u8], value: &RedisValue) -> Value {
    let (kind, size, value) = match value {
        RedisValue::String(bytes) => ("string", bytes.len(), value_json(bytes)),
        RedisValue::Hash(pairs) => {
            let sorted: Vec<_> = pairs
                .iter()
                .cloned()
                .collect::<BTreeMap<_, _>>()
                .into_iter()
                .collect();
            ("hash", pairs.len(), json!(pairs_json(&sorted)))
        }
        RedisValue::List(items) => {
            let items: Vec<Value> = items.iter().map(|i| value_json(i)).collect();
            ("list", items.len(), json!(items))
        }
        RedisValue::Set(members) => {
            let mut sorted = members.clone();
            sorted.sort();
            (
                "set",
                sorted.len(),
                sorted.iter().map(|m| value_json(m)).collect(),
            )
        }
        RedisValue::ZSet(members) => {
            let mut sorted = members.clone();
            sorted.sort_by(|a, b| a.1.total_cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
            let score = |s: f64| match s {
                s if s.is_finite() => json!(s),
                s if s > 0.0 => json!("inf"),
                _ => json!("-inf"),
            };
            let members = sorted
                .iter()
                .map(|(m, s)| json!({"member": name_json(m), "score": score(*s)}));
            ("zset", sorted.len(), members.collect())
        }
        RedisValue::Stream(entries) => {
            let mut sorted = entries.clone();
            sorted.sort_by_key(|e| e.id);
            let entries = sorted
                .iter()
                .map(|e| json!({"id": e.id.to_string(), "fields": pairs_json(&e.fields)}));
            ("stream", sorted.len(), entries.collect())
        }
    };
    json!({
        "key": name_json(key), "type": kind, "size": size, "shown": size,
        "truncated": false, "value": value,
    })
}

/// The built-in sample data (every type, hostile names, 1 MiB value) as a tenant's.
fn seed_sample(ip: &str, tenant: &str) -> (Seeded, RedisDb) {
    let db = sample_db(tenant);
    let keys = db.entries.keys().cloned().collect();
    let seeded = Seeded::load(ip, keys, &load_commands(&db));
    (seeded, db)
}

#[test]
#[ignore = "needs the CI host: bash .ci/run"]
fn every_type_and_hostile_key_reads_back_exactly_on_both_paths() {
    let host = CiHost::load();
    let tenant = "wonka";
    let ip = redis_ip(&host, tenant);
    let pwned = [
        "/tmp/vmsdbg-pwned",
        "/tmp/vmsdbg-pwned-value",
        "/tmp/vmsdbg-redis-pattern",
    ];
    pwned.iter().for_each(|p| {
        let _ = std::fs::remove_file(p);
    });
    let (_seeded, db) = seed_sample(&ip, tenant);

    let mut script = format!("tenant use {tenant}\nredis keys -o json\n");
    for key in db.entries.keys() {
        let arg = word(&redis_text::escape(key));
        script.push_str(&format!("redis get -o json {arg}\n"));
    }
    let pattern = word("$(touch /tmp/vmsdbg-redis-pattern)*; touch /tmp/vmsdbg-redis-pattern");
    script.push_str(&format!(
        "redis keys -o json {pattern}\nredis get -o json {tenant}:blob:1mib --max-bytes 100\n\
         redis ping -o json\n"
    ));
    let mut expected = vec![db.entries.keys().map(|k| name_json(k)).collect::<Value>()];
    expected.extend(db.entries.iter().map(|(k, e)| expected_get(k, &e.value)));
    expected.push(json!([]));
    // Past --max-bytes a string is read with GETRANGE.
    let blob_key = format!("{tenant}:blob:1mib");
    let Some(RedisValue::String(blob)) = db.get(blob_key.as_bytes()).map(|e| &e.value) else {
        panic!("the sample data has a 1 MiB string");
    };
    expected.push(json!({
        "key": blob_key, "type": "string", "size": blob.len(), "shown": 100,
        "truncated": true, "value": name_json(&blob[..100]),
    }));

    for native in [true, false] {
        let run = vmsdbg(&host, native).stdin(&script).run().ok();
        let mut docs = json_docs(&run);
        let ping = docs.pop().expect("the ping");
        assert_eq!(ping["path"], if native { "native" } else { "redis-cli" });
        assert_eq!(ping["address"], format!("{ip}:6379"));
        assert_eq!(docs.len(), expected.len());
        for (i, want) in expected.iter().enumerate() {
            assert_eq!(&docs[i], want, "native={native}, document {i}");
        }
        for file in pwned {
            assert!(
                !Path::new(file).exists(),
                "{file}: a key or pattern ran a command"
            );
        }
    }
}

#[test]
#[ignore = "needs the CI host: bash .ci/run"]
fn twenty_thousand_keys_are_listed_completely_once_each() {
    let host = CiHost::load();
    let tenant = "cyberdyne";
    let ip = redis_ip(&host, tenant);
    let keys: Vec<Vec<u8>> = (0..20_000)
        .map(|n| format!("bulk:{}:{n:05}", n % 7).into_bytes())
        .collect();
    let mut script = String::new();
    for chunk in keys.chunks(500) {
        let mut mset = vec![b"MSET".to_vec()];
        for key in chunk {
            mset.extend([key.clone(), b"v".to_vec()]);
        }
        script.push_str(&line(&mset));
    }
    let _seeded = Seeded::load(&ip, keys.clone(), &script);

    let mut sorted = keys.clone();
    sorted.sort();
    let expected: Value = sorted.iter().map(|k| name_json(k)).collect();
    let script = format!(
        "tenant use {tenant}\nredis keys -o json\nredis dbsize -o json\n\
         redis keys 'bulk:3:*' --count 100 -o json\nredis ping -o json\n"
    );
    for native in [true, false] {
        let run = vmsdbg(&host, native).stdin(&script).run().ok();
        let docs = json_docs(&run);
        assert_eq!(
            docs[0], expected,
            "native={native}: every key, once, sorted"
        );
        assert_eq!(docs[1], json!({"dbsize": 20_000}));
        let some = docs[2].as_array().expect("an array");
        assert_eq!(some.len(), 100);
        assert!(
            some.iter()
                .all(|k| k.as_str().is_some_and(|k| k.starts_with("bulk:3:")))
        );
        assert!(run.stderr().contains("stopped after 100 keys (--count)"));
        assert_eq!(docs[3]["path"], if native { "native" } else { "redis-cli" });
    }
}

#[test]
#[ignore = "needs the CI host: bash .ci/run"]
fn a_password_protected_redis_answers_noauth_wrongpass_and_the_right_password() {
    let host = CiHost::load();
    let tenant = "tyrell";
    let ip = redis_ip(&host, tenant);
    let script = line(&["SET", "tyrell:motto", "more human than human"]);
    let mut seeded = Seeded::load(&ip, vec![b"tyrell:motto".to_vec()], &script);
    let password = format!("pw-{}-\"q\" $(id)", std::process::id());
    seeded.require_password(&password);

    let get =
        format!("redis get -t {tenant} tyrell:motto -o json\nredis ping -t {tenant} -o json\n");
    for native in [true, false] {
        let run = vmsdbg(&host, native).stdin(&get).run().code_is(1);
        assert!(
            run.stderr().contains("wants a password (NOAUTH"),
            "{}",
            run.stderr()
        );

        let wrong = vmsdbg(&host, native)
            .env(REDIS_PASSWORD_VAR, "not-the-password")
            .args(["--redis-password-env", REDIS_PASSWORD_VAR])
            .stdin(&get)
            .run()
            .code_is(1);
        assert!(wrong.stderr().contains("refused the password (WRONGPASS"));

        let right = vmsdbg(&host, native)
            .env(REDIS_PASSWORD_VAR, &password)
            .args(["-vv", "--redis-password-env", REDIS_PASSWORD_VAR])
            .stdin(&get)
            .run()
            .ok();
        let docs = json_docs(&right);
        assert_eq!(docs[0]["value"], "more human than human");
        assert_eq!(docs[1]["path"], if native { "native" } else { "redis-cli" });
        let seen = format!("{}{}", right.stdout(), right.stderr());
        assert!(
            !seen.contains(&password),
            "the Redis password leaked:\n{seen}"
        );
    }
}
