//! The foundation against the simulated VMS, with no sshd and no root: the
//! three ways in (one-shot, script on stdin or `-f`, the REPL on a PTY), every
//! way to log in, host keys, and every way to become root.

mod common;
mod sim_support;

use std::time::{Duration, Instant};

use russh::keys::PrivateKey;
use russh::keys::ssh_key::LineEnding;
use russh::keys::ssh_key::private::Ed25519Keypair;
use sim_support::{Sim, listed, tenants_of, tenants_with_redis};
use vmsdbg_sim::{SimConfig, SimUser, SudoPolicy, World};

fn demo_world() -> World {
    SimConfig::demo().world
}

#[test]
fn one_shot_tenant_list_is_exactly_the_builtin_world() {
    let sim = Sim::demo();
    let run = sim
        .oneshot("admin")
        .args(["tenant", "list", "-o", "json"])
        .run()
        .ok();
    assert_eq!(listed(&run.json()), tenants_of(&demo_world()));
    assert!(run.stderr().contains("building it"), "{}", run.stderr());
}

#[test]
fn script_on_stdin_builds_selects_and_shows() {
    let sim = Sim::demo();
    let world = demo_world();
    let script = "tenant build\ntenant use acme\ntenant show -o json\n";
    let out = sim.oneshot("admin").stdin(script).run().ok().stdout();

    let built = format!(
        "built {} tenants ({} with Redis)",
        tenants_of(&world).len(),
        tenants_with_redis(&world).len()
    );
    assert!(out.starts_with(&built), "{out}");
    let shown = &sim_support::json_docs(&out[out.find('{').unwrap_or(0)..])[0];
    let redis = world
        .services
        .iter()
        .find(|s| s.namespace == "acme" && s.name.contains("redis") && s.cluster_ip != "None")
        .expect("acme has a Redis service");
    assert_eq!(shown["name"], "acme");
    assert_eq!(shown["redis"]["cluster_ip"], redis.cluster_ip.as_str());
    assert_eq!(shown["redis"]["service"], redis.name.as_str());
}

#[test]
fn script_file_stops_at_the_failing_line() {
    let sim = Sim::demo();
    let cmd = sim.oneshot("ops");
    let file = cmd.path("check.vms");
    let text = "# health check\n\ntenant build\ntenant use no-such-tenant\ntenant list\n";
    std::fs::write(&file, text).expect("script written");
    let run = cmd.args(["-f", file.to_str().unwrap()]).run().code_is(1);
    let err = run.stderr();
    assert!(err.contains(&format!("{}:4: ", file.display())), "{err}");
    assert!(err.contains("no tenant 'no-such-tenant'"), "{err}");
    assert!(!run.stdout().contains("TENANT"), "line 5 must not run");
}

#[test]
fn keep_going_runs_every_line_and_sums_up() {
    let sim = Sim::demo();
    let cmd = sim.oneshot("ops");
    let file = cmd.path("check.vms");
    let text = "tenant use nope\ntenant list -o plain\nexec false\nexec echo last\n";
    std::fs::write(&file, text).expect("script written");
    let path = file.to_str().unwrap().to_string();
    let run = cmd.args(["--keep-going", "-f", &path]).run().code_is(1);
    let (out, err) = (run.stdout(), run.stderr());
    assert!(err.contains(&format!("{path}:1: ")), "{err}");
    assert!(err.contains(&format!("{path}:3: ")), "{err}");
    assert!(err.contains(&format!("{path}: 2 line(s) failed")), "{err}");
    assert!(out.contains("acme\t"), "line 2 ran: {out}");
    assert!(out.ends_with("last\n"), "line 4 ran: {out}");
}

fn repl(cmd: &common::Vmsdbg) -> rexpect::session::PtySession {
    let mut command = cmd.command();
    command.env("TERM", "xterm");
    rexpect::session::spawn_command(command, Some(20_000)).expect("the REPL starts")
}

#[test]
fn repl_prompt_follows_session_and_tenant_and_ctrl_c_cancels() {
    let sim = Sim::demo();
    let cmd = sim.vmsdbg();
    let mut p = repl(&cmd);
    p.exp_string("vmsdbg> ").unwrap();
    p.send_line(sim.session_new("box", "admin").trim_end())
        .unwrap();
    p.exp_string("box: connected").unwrap();
    p.exp_string("box> ").unwrap();
    p.send_line("tenant use acme").unwrap();
    p.exp_string("box:acme> ").unwrap();

    p.send_line("exec sleep 30").unwrap();
    std::thread::sleep(Duration::from_millis(800));
    let sent = Instant::now();
    p.send_control('c').unwrap();
    p.exp_string("interrupted").unwrap();
    p.exp_string("box:acme> ").unwrap();
    let took = sent.elapsed();
    assert!(took < Duration::from_secs(3), "Ctrl-C took {took:?}");

    p.send_line("exec echo still-alive").unwrap();
    p.exp_string("still-alive").unwrap();
    p.send_line("exit").unwrap();
    p.exp_eof().unwrap();
}

#[test]
fn password_login_is_reported_as_such() {
    let sim = Sim::demo();
    let run = sim.oneshot("admin").args(["session", "info", "-o", "json"]);
    let info = run.run().ok().json();
    assert_eq!(info["auth"], "password");
    assert_eq!(info["state"], "connected");
}

/// A fixed Ed25519 key: tests need a key, not a secret one.
fn test_key() -> PrivateKey {
    PrivateKey::from(Ed25519Keypair::from_seed(&[7u8; 32]))
}

#[test]
fn public_key_login_with_an_identity_file() {
    let key = test_key();
    let mut config = SimConfig::demo();
    config.users.push(SimUser {
        name: "keyed".into(),
        authorized_keys: vec![key.public_key().clone()],
        sudo: SudoPolicy::NoPasswd,
        ..SimUser::default()
    });
    let sim = Sim::start(config);

    let cmd = sim.vmsdbg();
    let file = cmd.path("id_ed25519");
    let text = key.to_openssh(LineEnding::LF).expect("key encodes");
    std::fs::write(&file, text.as_bytes()).expect("key written");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();

    let target = sim.target("keyed");
    let file = file.to_str().unwrap().to_string();
    let cmd = cmd.args(["--host", &target, "-i", &file]);
    let info = cmd
        .args(["session", "info", "-o", "json"])
        .run()
        .ok()
        .json();
    assert_eq!(info["auth"], "publickey");
    assert_eq!(info["elevation"], "root (sudo, no password)");

    // Another key is refused: exit 3.
    let other = PrivateKey::from(Ed25519Keypair::from_seed(&[8u8; 32]));
    let cmd = sim.vmsdbg();
    let file = cmd.path("other");
    std::fs::write(&file, other.to_openssh(LineEnding::LF).unwrap().as_bytes()).unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    let file = file.to_str().unwrap().to_string();
    cmd.args(["--host", &target, "-i", &file, "status"])
        .run()
        .code_is(3);
}

#[test]
fn wrong_password_and_rejected_auth_exit_3() {
    let sim = Sim::demo();
    let target = sim.target("admin");
    let run = sim
        .vmsdbg()
        .env("WRONG", "not-the-password")
        .args(["--host", &target, "--password-env", "WRONG", "status"])
        .run()
        .code_is(3);
    let err = run.stderr();
    assert!(
        err.contains("authentication failed for admin@127.0.0.1"),
        "{err}"
    );
    assert!(!err.contains("not-the-password"), "{err}");

    sim.faults().reject_auth(true);
    let run = sim.oneshot("admin").args(["status"]).run().code_is(3);
    assert!(
        run.stderr().contains("authentication failed"),
        "{}",
        run.stderr()
    );
    sim.faults().reject_auth(false);
    sim.oneshot("admin").args(["exec", "true"]).run().ok();
}

#[test]
fn unknown_host_key_needs_consent_and_is_then_recorded() {
    let sim = Sim::demo();
    let target = sim.target("admin");
    let base = ["--host", target.as_str(), "--password-env", "P"];
    let cmd = common::Vmsdbg::new()
        .env("P", vmsdbg_sim::DEMO_PASSWORD)
        .args(base)
        .args(["session", "info"]);
    let run = cmd.run().code_is(3);
    assert!(
        run.stderr().contains("is not known (SHA256:"),
        "{}",
        run.stderr()
    );
    assert!(
        !cmd.path("known_hosts").exists(),
        "nothing recorded without consent"
    );

    let cmd = common::Vmsdbg::new()
        .env("P", vmsdbg_sim::DEMO_PASSWORD)
        .args(base)
        .args(["--accept-new-host-key", "session", "info"]);
    cmd.run().ok();
    let recorded = std::fs::read_to_string(cmd.path("known_hosts")).expect("recorded");
    assert_eq!(recorded.trim_end(), sim.known_hosts_line().trim_end());
}

#[test]
fn a_rotated_host_key_is_refused_loudly() {
    let sim = Sim::demo();
    let cmd = sim
        .oneshot("admin")
        .args(["--accept-new-host-key", "exec", "true"]);
    cmd.run().ok();
    let before = std::fs::read_to_string(cmd.path("known_hosts")).unwrap();

    sim.faults().rotate_host_key();
    let run = cmd.run().code_is(3);
    assert!(run.stderr().contains("HAS CHANGED"), "{}", run.stderr());
    let after = std::fs::read_to_string(cmd.path("known_hosts")).unwrap();
    assert_eq!(before, after, "a changed key is never recorded");
}

#[test]
fn every_sudo_policy_elevates() {
    let sim = Sim::demo();
    let cases = [
        ("ops", "root (sudo, no password)"),
        ("admin", "root (sudo, password)"),
        ("tty", "root (sudo on a tty)"),
        ("root", "root (login)"),
    ];
    for (user, elevation) in cases {
        let info = sim.oneshot(user).args(["session", "info", "-o", "json"]);
        assert_eq!(info.run().ok().json()["elevation"], elevation, "{user}");
        let id = sim.oneshot(user).args(["exec", "id -u"]).run().ok();
        assert_eq!(id.stdout(), "0\n", "{user}");
    }
}

#[test]
fn requiretty_output_is_exact() {
    let sim = Sim::demo();
    let run = sim.oneshot("tty").args(["exec", "printf 'a\\nb\\n'"]);
    assert_eq!(run.run().ok().stdout(), "a\nb\n");
    let run = sim.oneshot("tty").args(["tenant", "list", "-o", "json"]);
    assert_eq!(listed(&run.run().ok().json()), tenants_of(&demo_world()));
}

#[test]
fn wrong_sudo_password_leaves_the_session_connected_and_unelevated() {
    let sim = Sim::demo();
    let script = format!(
        "session new a {} --password-env SIM_PASSWORD --sudo-password-env WRONG\n\
         session list -o json\n\
         tenant build\n",
        sim.target("admin")
    );
    let run = sim
        .vmsdbg()
        .env("WRONG", "bad-sudo-pw")
        .args(["--keep-going"])
        .stdin(&script)
        .run()
        .code_is(1);
    let err = run.stderr();
    assert!(
        err.contains("<stdin>:1: a: sudo rejected the password"),
        "{err}"
    );
    assert!(err.contains("<stdin>:3: a: not elevated"), "{err}");
    assert!(!err.contains("bad-sudo-pw"), "{err}");
    let list = run.json();
    assert_eq!(list[0]["state"], "connected");
    let elevation = list[0]["elevation"].as_str().unwrap_or_default();
    assert!(elevation.starts_with("not elevated"), "{list}");
}

/// Sudo runs a one-shot `exec true` makes, read from the debug log.
fn sudo_runs(sim: &Sim, user: &str) -> usize {
    let run = sim.oneshot(user).env("VMSDBG_LOG", "vmsdbg=debug");
    let run = run.args(["exec", "true"]).run().ok();
    let log = run.stderr();
    log.lines().filter(|l| l.contains("exec line=sudo")).count()
}

#[test]
fn a_known_password_costs_one_sudo_check() {
    let sim = Sim::demo();
    // One check that both probes and verifies, then the command itself.
    assert_eq!(sudo_runs(&sim, "admin"), 2, "password sudo");
    assert_eq!(sudo_runs(&sim, "ops"), 2, "NOPASSWD with a password login");
}

#[test]
fn diagnostics_follow_the_color_choice() {
    let sim = Sim::demo();
    let log = |choice: &str| {
        let run = sim
            .oneshot("ops")
            .args(["--color", choice, "-vv", "exec", "true"]);
        run.run().ok().stderr()
    };
    let plain = log("never");
    assert!(plain.contains("DEBUG"), "{plain}");
    assert!(!plain.contains('\x1b'), "{plain:?}");
    assert!(log("always").contains('\x1b'));
}
