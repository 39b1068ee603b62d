//! `redis ...` against the simulated VMS, on both paths: RESP over `direct-tcpip`, and
//! `redis-cli --no-raw` on the host once the simulator refuses forwarding. Every key of
//! the built-in world's tenant (every type, every hostile name, the 1 MiB value) must
//! read back exactly as the world holds it, and identically on the two paths.

mod common;

use std::collections::BTreeMap;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde_json::{Value, json};
use vmsdbg_sim::redis_data::{RedisDb, RedisValue};
use vmsdbg_sim::{DEMO_PASSWORD, SimConfig, SimHost, World};

use common::{Run, Vmsdbg};

const PASSWORD_VAR: &str = "SIM_PASSWORD";
const REDIS_PASSWORD_VAR: &str = "SIM_REDIS_PASSWORD";

/// A simulated host on its own runtime, stopped on drop.
struct Sim {
    host: Option<SimHost>,
    runtime: tokio::runtime::Runtime,
}

impl Sim {
    fn start(config: SimConfig) -> Sim {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a runtime for the simulator");
        let host = runtime
            .block_on(SimHost::start(config))
            .expect("the simulated VMS starts");
        Sim {
            host: Some(host),
            runtime,
        }
    }

    fn host(&self) -> &SimHost {
        self.host.as_ref().expect("running until drop")
    }

    /// `vmsdbg --host admin@... --password-env ...`, trusting the host's key.
    fn vmsdbg(&self) -> Vmsdbg {
        let cmd = Vmsdbg::new();
        let port = self.host().port();
        let key = self.host().public_key().to_openssh().expect("key encodes");
        std::fs::write(
            cmd.path("known_hosts"),
            format!("[127.0.0.1]:{port} {key}\n"),
        )
        .expect("known_hosts written");
        let target = format!("admin@127.0.0.1:{port}");
        cmd.env(PASSWORD_VAR, DEMO_PASSWORD).args([
            "--host",
            &target,
            "--password-env",
            PASSWORD_VAR,
        ])
    }

    fn refuse_forwarding(&self, refuse: bool) {
        self.host().faults().refuse_forwarding(refuse);
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        if let Some(host) = self.host.take() {
            self.runtime.block_on(host.shutdown());
        }
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

/// One script word, quoted for the shell's line splitter.
fn word(text: &str) -> String {
    shlex::try_quote(text).expect("no NUL").into_owned()
}

/// The argument that names `key`: redis-cli's quoted form, which works for any key.
fn key_arg(key: &[u8]) -> String {
    word(&redis_text::escape(key))
}

fn tenant_db(world: &World, tenant: &str) -> RedisDb {
    world
        .redis
        .get(tenant)
        .cloned()
        .expect("the tenant has data")
}

// ---------------------------------------------------------------------------------------
// The expected JSON, built from the world independently of the client's code
// ---------------------------------------------------------------------------------------

fn name_json(bytes: &[u8]) -> Value {
    match std::str::from_utf8(bytes) {
        Ok(text) => json!(text),
        Err(_) => json!({"base64": BASE64.encode(bytes)}),
    }
}

/// A value: JSON objects and arrays parsed, unless the object is only `{"base64": ..}`.
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

fn score_json(score: f64) -> Value {
    match score {
        s if s.is_finite() => json!(s),
        s if s > 0.0 => json!("inf"),
        _ => json!("-inf"),
    }
}

fn pairs_json(pairs: &[(Vec<u8>, Vec<u8>)]) -> Vec<Value> {
    pairs
        .iter()
        .map(|(f, v)| json!({"field": name_json(f), "value": value_json(v)}))
        .collect()
}

/// What `redis get KEY -o json` must print for `value`.
fn expected_get(key: &[u8], value: &RedisValue) -> Value {
    let (kind, size, value) = match value {
        RedisValue::String(bytes) => ("string", bytes.len(), value_json(bytes)),
        RedisValue::Hash(pairs) => {
            let sorted: BTreeMap<_, _> = pairs.iter().cloned().collect();
            let sorted: Vec<_> = sorted.into_iter().collect();
            ("hash", pairs.len(), json!(pairs_json(&sorted)))
        }
        RedisValue::List(items) => {
            let items: Vec<Value> = items.iter().map(|i| value_json(i)).collect();
            ("list", items.len(), json!(items))
        }
        RedisValue::Set(members) => {
            let mut sorted = members.clone();
            sorted.sort();
            let members: Vec<Value> = sorted.iter().map(|m| value_json(m)).collect();
            ("set", members.len(), json!(members))
        }
        RedisValue::ZSet(members) => {
            let mut sorted = members.clone();
            sorted.sort_by(|a, b| a.1.total_cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
            let members: Vec<Value> = sorted
                .iter()
                .map(|(m, s)| json!({"member": name_json(m), "score": score_json(*s)}))
                .collect();
            ("zset", members.len(), json!(members))
        }
        RedisValue::Stream(entries) => {
            let mut sorted = entries.clone();
            sorted.sort_by_key(|e| e.id);
            let entries: Vec<Value> = sorted
                .iter()
                .map(|e| json!({"id": e.id.to_string(), "fields": pairs_json(&e.fields)}))
                .collect();
            ("stream", entries.len(), json!(entries))
        }
    };
    json!({
        "key": name_json(key), "type": kind, "size": size, "shown": size,
        "truncated": false, "value": value,
    })
}

fn expected_keys(db: &RedisDb) -> Value {
    db.entries.keys().map(|k| name_json(k)).collect()
}

/// A script listing every key of `tenant`, then reading each one.
fn read_everything_script(tenant: &str, db: &RedisDb) -> String {
    let mut script = format!("redis keys -t {tenant} -o json\n");
    for key in db.entries.keys() {
        let line = format!("redis get -t {tenant} -o json {}\n", key_arg(key));
        script.push_str(&line);
    }
    script.push_str(&format!("redis ping -t {tenant} -o json\n"));
    script
}

fn expected_everything(db: &RedisDb) -> Vec<Value> {
    let mut docs = vec![expected_keys(db)];
    docs.extend(db.entries.iter().map(|(k, e)| expected_get(k, &e.value)));
    docs
}

// ---------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------

#[test]
fn both_paths_read_every_key_exactly_as_stored() {
    let sim = Sim::start(SimConfig::demo());
    let world = World::builtin();
    for tenant in ["acme", "globex"] {
        let db = tenant_db(&world, tenant);
        let script = read_everything_script(tenant, &db);

        sim.refuse_forwarding(false);
        let native = sim.vmsdbg().args(["-v"]).stdin(&script).run().ok();
        sim.refuse_forwarding(true);
        let fallback = sim.vmsdbg().args(["-v"]).stdin(&script).run().ok();

        let (mut native_docs, mut fallback_docs) = (json_docs(&native), json_docs(&fallback));
        let native_ping = native_docs.pop().expect("a ping");
        let fallback_ping = fallback_docs.pop().expect("a ping");
        assert_eq!(native_ping["path"], "native", "{tenant}");
        assert_eq!(fallback_ping["path"], "redis-cli", "{tenant}");
        assert_eq!(native_ping["reply"], "PONG");
        assert!(!native.stderr().contains("refuses forwarding"));
        assert!(fallback.stderr().contains("refuses forwarding"));

        let expected = expected_everything(&db);
        assert_eq!(native_docs.len(), expected.len());
        for (i, want) in expected.iter().enumerate() {
            assert_eq!(&native_docs[i], want, "native, {tenant}, document {i}");
            assert_eq!(&fallback_docs[i], want, "redis-cli, {tenant}, document {i}");
        }
    }
}

#[test]
fn keys_filter_by_pattern_type_and_count() {
    let sim = Sim::start(SimConfig::demo());
    let db = tenant_db(&World::builtin(), "acme");
    let hashes: Value = db
        .entries
        .iter()
        .filter(|(_, e)| matches!(e.value, RedisValue::Hash(_)))
        .map(|(k, _)| name_json(k))
        .collect();
    let big: Value = db
        .entries
        .keys()
        .filter(|k| k.starts_with(b"acme:big:"))
        .map(|k| name_json(k))
        .collect();
    let dollar = word("$(touch /tmp/vmsdbg-pwned)*");
    let script = format!(
        "tenant use acme\n\
         redis keys --type hash -o json\n\
         redis keys 'acme:big:*' -o json\n\
         redis keys {dollar} -o json\n\
         redis keys --count 5 -o json\n\
         redis keys '\\*glob\\?\\[chars]\\\\' -o json\n\
         redis keys '\"acme:big:\\x2a\"' -o json\n\
         redis dbsize -o json\n"
    );
    for refuse in [false, true] {
        sim.refuse_forwarding(refuse);
        let run = sim.vmsdbg().stdin(&script).run().ok();
        let docs = json_docs(&run);
        assert_eq!(docs[0], hashes, "refuse={refuse}");
        assert_eq!(docs[1], big);
        assert_eq!(docs[2], json!(["$(touch /tmp/vmsdbg-pwned)"]));
        let first_five = docs[3].as_array().expect("an array");
        assert_eq!(first_five.len(), 5);
        assert!(run.stderr().contains("stopped after 5 keys (--count)"));
        // Glob characters escaped with a backslash match themselves.
        assert_eq!(docs[4], json!(["*glob?[chars]\\"]), "{}", run.stderr());
        // `"acme:big:\x2a"` is the quoted form of `acme:big:*`.
        assert_eq!(docs[5], big);
        assert_eq!(docs[6], json!({"dbsize": db.entries.len()}));
    }
}

#[test]
fn plain_and_table_show_hostile_keys_escaped_one_per_line() {
    let sim = Sim::start(SimConfig::demo());
    let db = tenant_db(&World::builtin(), "acme");
    let run = sim
        .vmsdbg()
        .args(["redis", "keys", "-t", "acme", "-o", "plain"])
        .run()
        .ok();
    let stdout = run.stdout();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), db.entries.len());
    assert!(lines.contains(&r#""line\nbreak\r\nkey""#), "{lines:?}");
    assert!(lines.contains(&r#""raw\x00\xff\xfe bytes""#));
    assert!(lines.contains(&r#""\x1b[31mred\x1b[0m""#));
    assert!(lines.contains(&"café ☃ 日本語"));
    assert!(lines.contains(&r#""""#), "the empty key");
    assert!(!run.stdout().contains('\x1b'), "no raw terminal escapes");

    // What a listing shows is what `redis get` takes back, plain or quoted.
    let script = "tenant use acme\n\
                  redis get -o plain 'café ☃ 日本語'\n\
                  redis get -o plain '\"raw\\x00\\xff\\xfe bytes\"'\n\
                  redis get -o plain -- -starts-with-dash\n\
                  redis get -o plain '\"\"'\n";
    let run = sim.vmsdbg().stdin(script).run().ok();
    let expected = "UTF-8 value: naïve ☃\n\"\\x00\\x01\\x02\\x7f\\x80\\xfe\\xff\"\n\
                    looks like an option\nthe empty key\n";
    assert_eq!(run.stdout(), expected);
}

#[test]
fn get_caps_large_values_and_says_how_to_see_more() {
    let sim = Sim::start(SimConfig::demo());
    let script = "tenant use acme\n\
                  redis get acme:big:list --limit 1500 -o json\n\
                  redis get acme:big:hash --limit 10 -o json\n\
                  redis get acme:big:zset --limit 3 -o json\n\
                  redis get acme:events --limit 2 -o json\n\
                  redis get acme:big:set --limit 1001 -o json\n";
    for refuse in [false, true] {
        sim.refuse_forwarding(refuse);
        let run = sim.vmsdbg().stdin(script).run().ok();
        let docs = json_docs(&run);
        let list = &docs[0];
        assert_eq!(
            (list["size"].as_u64(), list["shown"].as_u64()),
            (Some(2500), Some(1500))
        );
        assert_eq!(list["truncated"], true);
        assert_eq!(list["value"][1499], "item-01499");
        let fields = docs[1]["value"].as_array().expect("fields");
        assert_eq!(fields.len(), 10);
        assert_eq!(
            docs[2]["value"][2],
            json!({"member": "player-00002", "score": 1.0})
        );
        assert_eq!(docs[3]["value"][1]["id"], "1700000000000-1");
        assert_eq!(docs[3]["shown"], 2);
        let members = docs[4]["value"].as_array().expect("members");
        assert_eq!(members.len(), 1001);
        assert!(members.windows(2).all(|w| w[0].as_str() < w[1].as_str()));
        let notes = run.stderr();
        assert!(notes.contains("showing 1500 of 2500 items (--limit N shows more, 0 all)"));
    }
}

#[test]
fn errors_are_one_line_and_the_session_goes_on() {
    let sim = Sim::start(SimConfig::demo());
    let cases = [
        (
            "redis keys",
            "no tenant selected (tenant use TENANT, or add -t TENANT)",
        ),
        (
            "redis keys -t soylent",
            "tenant 'soylent' has no Redis service (tenant show soylent lists its services)",
        ),
        (
            "redis ping -t ingress-nginx",
            "tenant 'ingress-nginx' has no Redis service",
        ),
        ("redis ping -t nosuch", "no tenant 'nosuch'"),
        (
            "redis get -t acme nokey",
            "no key \"nokey\" in the Redis of tenant 'acme' (redis keys lists them)",
        ),
        ("redis ttl -t acme nokey", "no key \"nokey\""),
        ("redis type -t acme nokey", "no key \"nokey\""),
        ("redis get -t acme '\"bad\\q\"'", "as a quoted key"),
    ];
    for refuse in [false, true] {
        sim.refuse_forwarding(refuse);
        for (line, message) in cases {
            let script = format!("{line}\nredis ping -t acme -o json\n");
            let run = sim.vmsdbg().args(["--keep-going"]).stdin(&script).run();
            let run = run.code_is(1);
            let stderr = run.stderr();
            let errors: Vec<&str> = stderr
                .lines()
                .filter(|l| l.contains("<stdin>:1:"))
                .collect();
            assert_eq!(errors.len(), 1, "{line}: {stderr}");
            assert!(errors[0].contains(message), "{line}: {stderr}");
            assert_eq!(json_docs(&run)[0]["reply"], "PONG", "{line}: still alive");
        }
    }
}

#[test]
fn type_ttl_and_info() {
    let sim = Sim::start(SimConfig::demo());
    let script = "tenant use acme\n\
                  redis type acme:leaderboard -o json\n\
                  redis ttl acme:session:ada -o json\n\
                  redis ttl acme:greeting -o json\n\
                  redis info keyspace -o json\n\
                  redis info -o json\n";
    let mut runs = Vec::new();
    for refuse in [false, true] {
        sim.refuse_forwarding(refuse);
        let run = sim.vmsdbg().stdin(script).run().ok();
        let docs = json_docs(&run);
        assert_eq!(docs[0], json!({"key": "acme:leaderboard", "type": "zset"}));
        assert_eq!(docs[1], json!({"key": "acme:session:ada", "ttl": 3600}));
        assert_eq!(docs[2]["ttl"], -1);
        let keyspace = docs[3]["keyspace"]["db0"].as_str().expect("db0 line");
        let keys = tenant_db(&World::builtin(), "acme").entries.len();
        assert!(
            keyspace.starts_with(&format!("keys={keys},expires=2,")),
            "{keyspace}"
        );
        assert!(docs[4]["server"]["redis_version"].is_string());
        let sections: Vec<String> = docs[4]
            .as_object()
            .expect("sections")
            .keys()
            .cloned()
            .collect();
        runs.push(sections);
    }
    assert_eq!(runs[0], runs[1], "the same INFO sections on both paths");
}

#[test]
fn one_tunnel_per_tenant_is_reused_and_fallback_is_announced_once() {
    let sim = Sim::start(SimConfig::demo());
    let script = "redis ping -t acme\nredis dbsize -t acme\nredis get -t acme acme:greeting\n\
                  redis ping -t globex\nredis ping -t acme\n";
    let run = sim.vmsdbg().args(["-vv"]).stdin(script).run().ok();
    let opened = run.stderr().matches("opened a Redis tunnel").count();
    assert_eq!(opened, 2, "one per tenant:\n{}", run.stderr());

    sim.refuse_forwarding(true);
    let run = sim.vmsdbg().args(["-v"]).stdin(script).run().ok();
    let said = run.stderr().matches("refuses forwarding").count();
    assert_eq!(said, 1, "{}", run.stderr());
    assert_eq!(run.stdout().matches("(redis-cli,").count(), 3);
}

/// The built-in world with a password on acme's Redis.
fn password_config(password: &str) -> SimConfig {
    let mut config = SimConfig::demo();
    let acme = config.world.redis.get_mut("acme").expect("acme has Redis");
    acme.password = Some(password.to_string());
    config
}

#[test]
fn password_protected_redis_needs_the_password_on_both_paths() {
    let secret = "r3dis \"pass\" $(id)";
    let sim = Sim::start(password_config(secret));
    let script = "redis get -t acme acme:greeting -o json\nredis ping -t globex -o json\n";
    for refuse in [false, true] {
        sim.refuse_forwarding(refuse);

        let none = sim
            .vmsdbg()
            .args(["--keep-going"])
            .stdin(script)
            .run()
            .code_is(1);
        assert!(
            none.stderr().contains("wants a password (NOAUTH"),
            "{}",
            none.stderr()
        );

        let wrong = sim
            .vmsdbg()
            .env(REDIS_PASSWORD_VAR, "nope")
            .args(["--keep-going", "--redis-password-env", REDIS_PASSWORD_VAR])
            .stdin(script)
            .run()
            .code_is(1);
        assert!(wrong.stderr().contains("refused the password (WRONGPASS"));

        // The right password; globex has none, and being offered one is harmless.
        let right = sim
            .vmsdbg()
            .env(REDIS_PASSWORD_VAR, secret)
            .args(["-vv", "--redis-password-env", REDIS_PASSWORD_VAR])
            .stdin(script)
            .run()
            .ok();
        let docs = json_docs(&right);
        assert_eq!(docs[0]["value"], "hello from acme");
        assert_eq!(docs[1]["reply"], "PONG");
        assert!(
            !right.stderr().contains("r3dis"),
            "the password leaked:\n{}",
            right.stderr()
        );

        if refuse {
            assert!(
                right
                    .stderr()
                    .contains("redis-cli --no-raw -h 127.10.0.11 -p 6379")
            );
        }
    }
}

#[test]
fn a_stalled_redis_cli_times_out_and_the_session_goes_on() {
    let sim = Sim::start(SimConfig::demo());
    sim.refuse_forwarding(true);
    let script = "redis dbsize -t acme\n";
    sim.host().faults().stall_on(Some("redis-cli"));
    let run = sim
        .vmsdbg()
        .args(["--timeout", "2", "--keep-going"])
        .stdin(&format!("{script}tenant list -o json\n"))
        .run()
        .code_is(1);
    assert!(
        run.stderr().contains("did not answer within 2s"),
        "{}",
        run.stderr()
    );
    assert!(
        json_docs(&run).iter().any(|d| d.is_array()),
        "tenant list ran after"
    );
}

#[test]
fn max_bytes_reads_the_start_of_a_long_string_on_both_paths() {
    let sim = Sim::start(SimConfig::demo());
    let db = tenant_db(&World::builtin(), "acme");
    let (key, blob) = db
        .entries
        .iter()
        .find_map(|(k, e)| match &e.value {
            RedisValue::String(s) if s.len() > 1000 => Some((k.clone(), s.clone())),
            _ => None,
        })
        .expect("the sample data has a long string");
    let arg = word(&redis_text::escape(&key));
    let script = format!("redis get -t acme -o json {arg} --max-bytes 10\n");
    let expected = json!({
        "key": name_json(&key), "type": "string", "size": blob.len(), "shown": 10,
        "truncated": true, "value": name_json(&blob[..10]),
    });
    for refuse in [false, true] {
        sim.refuse_forwarding(refuse);
        let run = sim.vmsdbg().stdin(&script).run().ok();
        assert_eq!(
            json_docs(&run),
            std::slice::from_ref(&expected),
            "forwarding refused: {refuse}"
        );
    }
}
