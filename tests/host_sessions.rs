//! Many sessions against the CI's real sshd: `@NAME`, `@all` fan-out with
//! gathering, a dying session, reconnect, `tenant diff`, fifty at once.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::{CiHost, world_tenants};

fn names(list: &serde_json::Value) -> BTreeSet<String> {
    let list = list
        .as_array()
        .unwrap_or_else(|| panic!("not an array: {list}"));
    list.iter()
        .map(|t| t["name"].as_str().unwrap().to_string())
        .collect()
}

/// `session new` lines for a (vmsadmin), b (vmskey), c (vmstty): a and c see
/// the same world, b another.
fn three_sessions(host: &CiHost) -> String {
    format!(
        "session new a {} --password-env VMSDBG_CI_VMSADMIN_PASSWORD --accept-new-host-key\n\
         session new b {} -i {}\n\
         session new c {} --password-env VMSDBG_CI_VMSTTY_PASSWORD\n",
        host.target("vmsadmin"),
        host.target("vmskey"),
        host.var("VMSDBG_CI_VMSKEY_KEY"),
        host.target("vmstty"),
    )
}

#[test]
#[ignore = "needs the CI host: bash .ci/run"]
fn fan_out_gathers_identical_blocks() {
    let host = CiHost::load();
    let script = three_sessions(&host) + "@all tenant build\n@all tenant list -o plain\n";
    let out = host
        .vmsdbg()
        .args(["-q"])
        .stdin(&script)
        .run()
        .ok()
        .stdout();
    let list_part = &out[out.rfind("==> a").unwrap()..];
    assert!(list_part.starts_with("==> a, c <==\n"), "{out}");
    assert!(list_part.contains("\n==> b <==\n"), "{out}");

    let script = three_sessions(&host) + "@all --no-gather tenant list -o plain\n";
    let out = host
        .vmsdbg()
        .args(["-q"])
        .stdin(&script)
        .run()
        .ok()
        .stdout();
    for header in ["==> a <==", "==> b <==", "==> c <=="] {
        assert!(out.contains(header), "{out}");
    }

    let script = three_sessions(&host) + "@a,b tenant list -o json\n";
    let out = host
        .vmsdbg()
        .args(["-q"])
        .stdin(&script)
        .run()
        .ok()
        .stdout();
    let json: serde_json::Value = serde_json::from_str(&out[out.find('{').unwrap()..]).unwrap();
    let a_world = world_tenants(Path::new(host.var("VMSDBG_CI_VMSADMIN_WORLD")));
    let b_world = world_tenants(Path::new(host.var("VMSDBG_CI_VMSKEY_WORLD")));
    assert_eq!(names(&json["a"]), a_world);
    assert_eq!(names(&json["b"]), b_world);
    assert!(json.get("c").is_none());
}

#[test]
#[ignore = "needs the CI host: bash .ci/run"]
fn a_dying_session_fails_alone_and_reconnects_with_its_database() {
    let host = CiHost::load();
    // b's command kills b's own sshd, mid-command; a and c carry on.
    let kill = r#"@all exec [ "$SUDO_USER" = vmskey ] && pkill -KILL -u vmskey; echo done"#;
    let script = three_sessions(&host)
        + "@all tenant build\n"
        + kill
        + "\nsession list -o json\nsession reconnect b\nsession info b -o json\n";
    let run = host
        .vmsdbg()
        .args(["-q", "--keep-going"])
        .stdin(&script)
        .run();
    let out = run.stdout();
    let err = run.stderr();
    assert_eq!(
        run.code(),
        3,
        "the worst status is b's lost connection\n{out}\n{err}"
    );
    assert!(out.contains("==> a, c <==\ndone\n"), "{out}");
    let b_block = &out[out.find("==> b <==").expect("b has a block")..];
    assert!(b_block.contains("connection lost"), "{out}");
    assert!(err.contains("1 of 3 sessions failed (b)"), "{err}");

    let list_start = out.find("[\n").unwrap();
    let list: serde_json::Value = serde_json::Deserializer::from_str(&out[list_start..])
        .into_iter()
        .next()
        .unwrap()
        .unwrap();
    let b = list
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "b")
        .unwrap();
    assert_eq!(b["state"], "lost");

    let info: serde_json::Value = serde_json::from_str(&out[out.rfind("{\n").unwrap()..]).unwrap();
    assert_eq!(info["state"], "connected");
    let b_world = world_tenants(Path::new(host.var("VMSDBG_CI_VMSKEY_WORLD")));
    assert_eq!(
        info["tenants"],
        b_world.len(),
        "the tenant database survived"
    );
}

#[test]
#[ignore = "needs the CI host: bash .ci/run"]
fn next_command_on_a_lost_session_reconnects_once() {
    let host = CiHost::load();
    let script =
        three_sessions(&host) + "@a exec pkill -KILL -u vmskey; sleep 0.5\n@b exec echo back\n";
    let run = host.vmsdbg().stdin(&script).run().ok();
    assert!(
        run.stderr().contains("b: connection lost"),
        "{}",
        run.stderr()
    );
    assert!(run.stderr().contains("reconnecting"), "{}", run.stderr());
    assert!(run.stdout().ends_with("back\n"), "{}", run.stdout());
}

#[test]
#[ignore = "needs the CI host: bash .ci/run"]
fn tenant_diff_between_sessions_and_builds() {
    let host = CiHost::load();
    let script = three_sessions(&host) + "tenant diff a b -o json\ntenant diff a c -o json\n";
    let out = host
        .vmsdbg()
        .args(["-q"])
        .stdin(&script)
        .run()
        .ok()
        .stdout();
    let mut docs = serde_json::Deserializer::from_str(&out[out.find('{').unwrap()..])
        .into_iter::<serde_json::Value>();
    let ab = docs.next().unwrap().unwrap();
    let ac = docs.next().unwrap().unwrap();

    let a_world = world_tenants(Path::new(host.var("VMSDBG_CI_VMSADMIN_WORLD")));
    let b_world = world_tenants(Path::new(host.var("VMSDBG_CI_VMSKEY_WORLD")));
    let only_b: BTreeSet<String> = b_world.difference(&a_world).cloned().collect();
    let only_a: BTreeSet<String> = a_world.difference(&b_world).cloned().collect();
    let as_set = |v: &serde_json::Value| -> BTreeSet<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(as_set(&ab["tenants_added"]), only_b);
    assert_eq!(as_set(&ab["tenants_removed"]), only_a);
    assert!(as_set(&ac["tenants_added"]).is_empty() && as_set(&ac["tenants_removed"]).is_empty());

    // Two builds of the same host: --previous compares them.
    let script = three_sessions(&host)
        + "@a tenant build\n@a tenant build\n@a tenant diff --previous -o json\n";
    let out = host
        .vmsdbg()
        .args(["-q"])
        .stdin(&script)
        .run()
        .ok()
        .stdout();
    let prev: serde_json::Value = serde_json::from_str(&out[out.rfind("{\n").unwrap()..]).unwrap();
    assert!(as_set(&prev["tenants_added"]).is_empty());
}

#[test]
#[ignore = "needs the CI host: bash .ci/run"]
fn fifty_sessions_keep_their_own_output() {
    let host = CiHost::load();
    let key = host.var("VMSDBG_CI_VMSKEY_KEY");
    let mut script = String::new();
    for i in 0..50 {
        // Even sessions log in as vmsadmin, odd ones as vmskey: two worlds.
        let line = match i % 2 {
            0 => format!(
                "session new s{i:02} {} --password-env VMSDBG_CI_VMSADMIN_PASSWORD --accept-new-host-key\n",
                host.target("vmsadmin")
            ),
            _ => format!("session new s{i:02} {} -i {key}\n", host.target("vmskey")),
        };
        script.push_str(&line);
    }
    script.push_str("@all tenant list -o json\n@all --no-gather exec echo $SUDO_USER\n");
    let run = host.vmsdbg().args(["-q"]).stdin(&script).run().ok();
    let out = run.stdout();
    let json_end = out.find("\n}\n").unwrap() + 3;
    let json: serde_json::Value =
        serde_json::from_str(&out[out.find('{').unwrap()..json_end]).unwrap();
    let a_world = world_tenants(Path::new(host.var("VMSDBG_CI_VMSADMIN_WORLD")));
    let b_world = world_tenants(Path::new(host.var("VMSDBG_CI_VMSKEY_WORLD")));
    for i in 0..50 {
        let expected = if i % 2 == 0 { &a_world } else { &b_world };
        assert_eq!(&names(&json[format!("s{i:02}")]), expected, "s{i:02}");
        let user = if i % 2 == 0 { "vmsadmin" } else { "vmskey" };
        assert!(
            out.contains(&format!("==> s{i:02} <==\n{user}\n")),
            "s{i:02} block"
        );
    }
}
