//! `vmsdbg demo`: the embedded simulated VMS, one-shot and with a piped script.
//! It must say it is a simulation, and answer from the built-in world.

mod common;
mod sim_support;

use common::Vmsdbg;
use sim_support::{listed, tenants_of, tenants_with_redis};
use vmsdbg_sim::World;

/// The banner is one line on stderr saying this is a simulation.
#[track_caller]
fn assert_banner(stderr: &str) {
    let banner = stderr
        .lines()
        .find(|l| l.starts_with("vmsdbg demo: "))
        .unwrap_or_else(|| panic!("no banner:\n{stderr}"));
    assert!(banner.contains("a simulated VMS on 127.0.0.1:"), "{banner}");
    assert!(
        banner.contains("vmsdbg --host USER@HOST"),
        "says how to reach a real host"
    );
}

#[test]
fn demo_one_shot_lists_the_builtin_tenants() {
    let run = Vmsdbg::new()
        .args(["demo", "tenant", "list", "-o", "json"])
        .run()
        .ok();
    assert_banner(&run.stderr());
    assert_eq!(listed(&run.json()), tenants_of(&World::builtin()));
}

#[test]
fn demo_reads_a_script_from_stdin() {
    let cmd = Vmsdbg::new()
        .args(["demo"])
        .stdin("tenant build\nsession info -o json\n");
    let run = cmd.run().ok();
    assert_banner(&run.stderr());
    let world = World::builtin();
    let out = run.stdout();
    let built = format!(
        "built {} tenants ({} with Redis)",
        tenants_of(&world).len(),
        tenants_with_redis(&world).len()
    );
    assert!(out.starts_with(&built), "{out}");
    let info = &sim_support::json_docs(&out[out.find("{\n").expect("info")..])[0];
    assert_eq!(info["name"], "demo");
    assert_eq!(info["elevation"], "root (sudo, password)");
    assert!(
        !cmd.path("known_hosts").exists(),
        "the demo pins its own key and records nothing"
    );
    let snapshots = std::fs::read_dir(cmd.path("data/snapshots")).unwrap();
    let left: Vec<_> = snapshots.map(|e| e.unwrap().file_name()).collect();
    assert!(
        left.is_empty(),
        "a fresh port's snapshot is never read again: {left:?}"
    );
}

#[test]
fn demo_quiet_has_no_banner_and_a_bad_command_fails() {
    let run = Vmsdbg::new()
        .args(["demo", "-q", "tenant", "use", "no-such-tenant"])
        .run()
        .code_is(1);
    assert!(!run.stderr().contains("vmsdbg demo: "), "{}", run.stderr());
    assert!(
        run.stderr().contains("no tenant 'no-such-tenant'"),
        "{}",
        run.stderr()
    );
}

#[test]
fn run_wide_options_work_after_demo_too() {
    let cmd = Vmsdbg::new();
    let file = cmd.path("tour.vms");
    std::fs::write(&file, "exec echo hi\n").unwrap();
    let file = file.to_str().unwrap();
    let args = [
        "demo",
        "-q",
        "--timeout",
        "5",
        "--echo",
        "--color",
        "never",
        "-f",
        file,
    ];
    let run = cmd.args(args).run().ok();
    assert_eq!(run.stdout(), "hi\n");
    assert_eq!(run.stderr(), "+ exec echo hi\n");
}
