//! Many sessions against simulated hosts (issue 7): `@all` gathering and JSON,
//! a session dying alone and reconnecting with its database, fifty sessions at
//! once, `tenant diff` on worlds with known differences, and counters.

mod common;
mod sim_support;

use std::collections::BTreeSet;

use serde_json::{Value, json};
use sim_support::{Sim, json_docs, listed, tenants_of, web_service};
use vmsdbg_sim::{DEMO_PASSWORD, SimConfig, SimUser, SudoPolicy, World};

/// Two hosts: `first` on the built-in world, `second` on its variant 1.
fn two_hosts() -> (Sim, World, Sim, World) {
    let first = SimConfig::demo();
    let first_world = first.world.clone();
    let mut second = SimConfig::demo();
    second.world = World::builtin_variant(1, first_world.now_unix());
    let second_world = second.world.clone();
    (
        Sim::start(first),
        first_world,
        Sim::start(second),
        second_world,
    )
}

/// A `vmsdbg` trusting both hosts, and lines opening a (first, admin),
/// b (second, ops) and c (first, ops): a and c see one world, b another.
fn three_sessions(first: &Sim, second: &Sim) -> (common::Vmsdbg, String) {
    let cmd = second.pin(first.vmsdbg()).args(["-q"]);
    let script = first.session_new("a", "admin")
        + &second.session_new("b", "ops")
        + &first.session_new("c", "ops");
    (cmd, script)
}

/// Lines `NAME\t...` of a `tenant list -o plain` block, as tenant names.
fn plain_names(block: &str) -> BTreeSet<String> {
    block
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .map(|(name, _)| name.to_string())
        .collect()
}

#[test]
fn fan_out_gathers_identical_blocks_and_keys_json_by_session() {
    let (first, first_world, second, second_world) = two_hosts();
    let (cmd, script) = three_sessions(&first, &second);
    let script =
        script + "@all tenant build\n@all tenant list -o plain\n@all tenant list -o json\n";
    let out = cmd.stdin(&script).run().ok().stdout();

    let json_at = out.rfind("\n{\n").expect("the JSON result") + 1;
    let (text, json) = out.split_at(json_at);
    let listing = &text[text.rfind("==> a").expect("a block")..];
    assert!(listing.starts_with("==> a, c <==\n"), "{out}");
    let b_at = listing.find("\n==> b <==\n").expect("b has its own block");
    assert_eq!(plain_names(&listing[..b_at]), tenants_of(&first_world));
    assert_eq!(plain_names(&listing[b_at..]), tenants_of(&second_world));

    let json = &json_docs(json)[0];
    assert_eq!(listed(&json["a"]), tenants_of(&first_world));
    assert_eq!(listed(&json["b"]), tenants_of(&second_world));
    assert_eq!(json["c"], json["a"]);
    assert_ne!(tenants_of(&first_world), tenants_of(&second_world));
}

#[test]
fn a_dropped_session_fails_alone_and_reconnects_with_its_database() {
    let (first, _, second, second_world) = two_hosts();
    second.faults().drop_connection_on(Some("drop-me"));
    let (cmd, script) = three_sessions(&first, &second);
    let script = script
        + "@all tenant build\n@all exec echo drop-me\nsession list\n\
           session reconnect b\nsession info b\n";
    let run = cmd
        .args(["-o", "json", "--keep-going"])
        .stdin(&script)
        .run();
    let (out, err) = (run.stdout(), run.stderr());
    assert_eq!(
        run.code(),
        3,
        "the worst status is b's lost connection\n{err}"
    );
    assert!(
        err.contains("<stdin>:5: 1 of 3 sessions failed (b)"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");

    // Three `session new` reports, the build, the exec, the list, reconnect, info.
    let docs = json_docs(&out);
    assert_eq!(docs.len(), 8, "{out}");
    let exec = &docs[4];
    assert_eq!(exec["a"]["output"], "drop-me\n");
    assert_eq!(exec["c"]["output"], "drop-me\n");
    let b_error = exec["b"]["error"].as_str().unwrap_or_default();
    assert!(b_error.contains("connection lost"), "{exec}");

    let states: Vec<(&str, &str)> = docs[5]
        .as_array()
        .expect("session list")
        .iter()
        .map(|s| (s["name"].as_str().unwrap(), s["state"].as_str().unwrap()))
        .collect();
    assert_eq!(
        states,
        [("a", "connected"), ("b", "lost"), ("c", "connected")]
    );

    let info = &docs[7];
    assert_eq!(info["state"], "connected");
    assert_eq!(
        info["tenants"],
        tenants_of(&second_world).len(),
        "database kept"
    );
}

/// One host where each of `n` users sees a world of its own: a shared base plus
/// a tenant `only-NN` nobody else has.
fn host_of_many_worlds(n: usize) -> (Sim, Vec<World>) {
    let base = World::generate(2, 11);
    let mut config = SimConfig::demo();
    let mut worlds = Vec::new();
    for i in 0..n {
        let mut world = base.clone();
        let ip = format!("10.0.{}.{}", i / 200, i % 200 + 1);
        world
            .services
            .push(web_service(&format!("only-{i:02}"), "web", &ip));
        world.add_implied_namespaces();
        let mut user =
            SimUser::with_password(&format!("u{i:02}"), DEMO_PASSWORD, SudoPolicy::NoPasswd);
        user.world = Some(world.clone());
        config.users.push(user);
        worlds.push(world);
    }
    (Sim::start(config), worlds)
}

#[test]
fn fifty_sessions_keep_their_own_output() {
    let (sim, worlds) = host_of_many_worlds(50);
    let mut script = String::new();
    for i in 0..worlds.len() {
        script += &sim.session_new(&format!("s{i:02}"), &format!("u{i:02}"));
    }
    script += "@all tenant list -o json\n";
    let run = sim.vmsdbg().args(["-q"]).stdin(&script).run().ok();
    let out = run.stdout();
    let json = &json_docs(&out[out.rfind("\n{\n").expect("the JSON result") + 1..])[0];
    let keys = json.as_object().expect("keyed by session").len();
    assert_eq!(keys, worlds.len());
    for (i, world) in worlds.iter().enumerate() {
        let name = format!("s{i:02}");
        let got = listed(&json[&name]);
        assert_eq!(got, tenants_of(world), "{name}");
        assert!(got.contains(&format!("only-{i:02}")), "{name}");
    }
}

/// `before` with known changes: wonka gone, newco new, hooli's Redis moved,
/// a service added to acme, a ConfigMap removed from acme and one added to globex.
fn changed_world(before: &World) -> (World, Value) {
    let mut after = before.clone();
    after.services.retain(|s| s.namespace != "wonka");
    after.configmaps.retain(|c| c.namespace != "wonka");
    after.pods.retain(|p| p.namespace != "wonka");
    after.namespaces.retain(|n| n.name != "wonka");
    after.redis.remove("wonka");
    after.services.push(web_service("newco", "web", "10.0.9.1"));
    after
        .services
        .push(web_service("acme", "acme-extra", "10.0.9.2"));

    let hooli = after
        .services
        .iter_mut()
        .find(|s| s.namespace == "hooli" && s.name.contains("redis") && s.cluster_ip != "None")
        .expect("hooli has a Redis service");
    let old_ip = std::mem::replace(&mut hooli.cluster_ip, "127.10.9.15".into());

    let at = after
        .configmaps
        .iter()
        .position(|c| c.namespace == "acme" && c.name != "kube-root-ca.crt")
        .expect("acme has its own ConfigMap");
    let gone = after.configmaps.remove(at).name;
    let mut extra = after.configmaps[0].clone();
    (extra.namespace, extra.name) = ("globex".into(), "extra-cm".into());
    after.configmaps.push(extra);
    after.add_implied_namespaces();

    let expected = json!({
        "tenants_added": ["newco"],
        "tenants_removed": ["wonka"],
        "redis_changed": [{"tenant": "hooli", "before": old_ip, "after": "127.10.9.15"}],
        "services_added": [["acme", "acme-extra"]],
        "services_removed": [],
        "configmaps_added": [["globex", "extra-cm"]],
        "configmaps_removed": [["acme", gone]],
    });
    (after, expected)
}

#[test]
fn tenant_diff_gives_exactly_the_known_differences() {
    let before = World::builtin();
    let (after, expected) = changed_world(&before);
    let mut config = SimConfig::demo();
    for (name, world) in [("before", &before), ("after", &after)] {
        let mut user = SimUser::with_password(name, DEMO_PASSWORD, SudoPolicy::NoPasswd);
        user.world = Some(world.clone());
        config.users.push(user);
    }
    let sim = Sim::start(config);
    let script = sim.session_new("a", "before")
        + &sim.session_new("b", "after")
        + "tenant diff a b -o json\ntenant diff a a -o json\n";
    let out = sim.vmsdbg().args(["-q"]).stdin(&script).run().ok().stdout();
    let docs = json_docs(&out[out.find("{\n").expect("JSON")..]);
    assert_eq!(docs[0], expected);
    let same = &docs[1];
    let changes: usize = ["tenants_added", "tenants_removed", "redis_changed"]
        .iter()
        .map(|k| same[*k].as_array().map_or(usize::MAX, Vec::len))
        .sum();
    assert_eq!(changes, 0, "a session equals itself: {same}");
}

#[test]
fn session_counters_match_what_ran() {
    let sim = Sim::demo();
    let script = sim.session_new("a", "ops")
        + "exec true\nexec false\ntenant use nope\ntenant list -o plain\n\
           @a exec echo hi\n@all exec true\nsession info a -o json\nsession list -o json\n";
    let run = sim
        .vmsdbg()
        .args(["--keep-going"])
        .stdin(&script)
        .run()
        .code_is(1);
    let out = run.stdout();
    let docs = json_docs(&out[out.rfind("\n{\n").expect("info") + 1..]);
    let (info, list) = (&docs[0], &docs[1]);
    assert_eq!(info["commands"], 6, "{info}");
    assert_eq!(info["failures"], 2, "{info}");
    assert_eq!(info["channels_open"], 0, "{info}");
    assert!(info["bytes_in"].as_u64().unwrap_or(0) > 0, "{info}");
    assert_eq!(info["tenants"], tenants_of(&SimConfig::demo().world).len());
    assert_eq!(list[0]["commands"], 6, "{list}");
}

#[test]
fn fan_out_help_and_usage_errors_are_said_once() {
    let (first, _, second, _) = two_hosts();
    let (cmd, script) = three_sessions(&first, &second);
    let script = script + "@all tenant list --help\n@all\n@a\n@all tenant lst\n";
    let run = cmd.args(["--keep-going"]).stdin(&script).run().code_is(2);
    let out = run.stdout();
    assert_eq!(out.matches("Usage: vmsdbg tenant list").count(), 1, "{out}");
    assert!(!out.contains("==> "), "no per-session blocks: {out}");
    let err = run.stderr();
    assert!(
        err.contains("<stdin>:5: @all needs a command to run"),
        "{err}"
    );
    assert!(
        err.contains("<stdin>:6: @a needs a command to run"),
        "{err}"
    );
    assert_eq!(err.matches("<stdin>:7: ").count(), 1, "one line: {err}");
}
