//! Each script under examples/ runs against the simulated VMS and does what
//! its header says.

mod common;
mod sim_support;

use std::path::PathBuf;

use sim_support::{PASSWORD_VAR, Sim, json_docs};
use vmsdbg_sim::{SimConfig, World};

fn example(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(name);
    path.to_str().expect("a UTF-8 path").to_string()
}

#[test]
fn dump_tenant_prints_its_redis_and_configmaps() {
    let run = common::Vmsdbg::new()
        .args(["demo", "-q", "-f", &example("dump-tenant.vms")])
        .run()
        .ok();
    let docs = json_docs(&run.stdout());
    assert_eq!(docs.len(), 4, "tenant show, dbsize, keys, cm export");
    assert_eq!(docs[0]["name"], "acme");

    let world = World::builtin();
    let stored = world
        .redis
        .get("acme")
        .expect("acme has Redis data")
        .entries
        .len();
    assert_eq!(docs[1]["dbsize"], stored);
    assert_eq!(
        docs[2].as_array().unwrap().len(),
        stored,
        "every key listed once"
    );

    let exported: Vec<&str> = docs[3]["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|cm| cm["metadata"]["name"].as_str())
        .collect();
    let expected: Vec<&str> = world
        .configmaps
        .iter()
        .filter(|c| c.namespace == "acme")
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(exported.len(), expected.len());
    assert!(
        expected.iter().all(|name| exported.contains(name)),
        "{exported:?}"
    );
}

#[test]
fn recent_errors_charts_and_lists_the_error_lines() {
    let run = common::Vmsdbg::new()
        .args(["demo", "-q", "-f", &example("recent-errors.vms")])
        .run()
        .ok();
    let out = run.stdout();
    let world = World::builtin();
    let admin = world
        .log_file("/var/log/versa/vms/vms-admin.log")
        .expect("the admin log");
    let text = admin.text.clone().unwrap_or_default();
    let errors: Vec<&str> = text
        .lines()
        .filter(|l| l.to_lowercase().contains("error"))
        .collect();
    assert!(!errors.is_empty());
    for line in &errors {
        assert!(out.contains(line), "missing error line {line:?}\n{out}");
    }
    assert!(out.contains("Error lines per hour"), "{out}");
    assert!(
        out.contains("/var/log/versa/vms/vms-admin.log:"),
        "grep -c per file: {out}"
    );
}

#[test]
fn health_check_covers_both_profiles() {
    let (a, b) = (Sim::demo(), Sim::start(variant()));
    let cmd = b.pin(a.vmsdbg());
    std::fs::create_dir_all(cmd.path("config")).unwrap();
    let profile = |name: &str, sim: &Sim| {
        format!(
            "[profiles.{name}]\nhost = \"127.0.0.1\"\nport = {}\nuser = \"admin\"\npassword_env = \"{PASSWORD_VAR}\"\n",
            sim.port()
        )
    };
    let config = profile("vms1", &a) + &profile("vms2", &b);
    std::fs::write(cmd.path("config/config.toml"), config).unwrap();

    let run = cmd
        .args(["-q", "-f", &example("health-check.vms")])
        .run()
        .ok();
    let out = run.stdout();
    for block in [
        "==> vms1 <==",
        "==> vms2 <==",
        "RESOURCE",
        "Unhealthy pods",
        "built ",
    ] {
        assert!(out.contains(block), "{block:?} missing:\n{out}");
    }
    assert!(out.contains("vms-admin.log:"), "{out}");
}

/// The demo host with the second built-in world, so the two blocks differ.
fn variant() -> SimConfig {
    let mut config = SimConfig::demo();
    config.world = World::builtin_variant(1, World::builtin().now_unix());
    config
}
