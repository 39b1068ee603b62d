//! Logging in as a new user meets it, against the simulated VMS: host-key
//! messages that name the port, a wrong password typed at the prompt asked
//! for again (and one from the environment tried once).

mod common;
mod sim_support;

use sim_support::{PASSWORD_VAR, Sim};
use vmsdbg_sim::DEMO_PASSWORD;

#[test]
fn host_key_messages_name_a_port_other_than_22() {
    let sim = Sim::demo();
    let target = sim.target("ops");
    let unknown = common::Vmsdbg::new()
        .env(PASSWORD_VAR, DEMO_PASSWORD)
        .args(["--host", &target, "--password-env", PASSWORD_VAR, "status"])
        .run()
        .code_is(3);
    let expected = format!("host key of 127.0.0.1:{} is not known", sim.port());
    assert!(unknown.stderr().contains(&expected), "{}", unknown.stderr());

    let cmd = sim.oneshot("ops").args(["exec", "true"]);
    cmd.run().ok();
    sim.faults().rotate_host_key();
    let changed = cmd.run().code_is(3);
    let expected = format!("HOST KEY OF 127.0.0.1:{} HAS CHANGED", sim.port());
    assert!(changed.stderr().contains(&expected), "{}", changed.stderr());
}

fn repl(cmd: &common::Vmsdbg) -> rexpect::session::PtySession {
    let mut command = cmd.command();
    command.env("TERM", "xterm");
    rexpect::session::spawn_command(command, Some(20_000)).expect("the REPL starts")
}

/// The history file of `cmd`'s data dir, or nothing if none was written.
fn history(cmd: &common::Vmsdbg) -> String {
    std::fs::read_to_string(cmd.path("data").join("history")).unwrap_or_default()
}

#[test]
fn a_wrong_password_at_the_prompt_is_asked_again() {
    let sim = Sim::demo();
    let cmd = sim.vmsdbg();
    let mut p = repl(&cmd);
    p.exp_string("vmsdbg> ").unwrap();
    p.send_line(&format!("session new box {}", sim.target("ops")))
        .unwrap();
    p.exp_string("password: ").unwrap();
    p.send_line("not-the-password").unwrap();
    p.exp_string("Permission denied, please try again.")
        .unwrap();
    p.exp_string("password: ").unwrap();
    p.send_line(DEMO_PASSWORD).unwrap();
    p.exp_string("box: connected").unwrap();
    p.exp_string("box> ").unwrap();
    p.send_line("exit").unwrap();
    p.exp_eof().unwrap();

    let kept = history(&cmd);
    assert!(!kept.contains("not-the-password"), "{kept}");
    assert!(!kept.contains(DEMO_PASSWORD), "{kept}");
}

#[test]
fn three_wrong_passwords_fail_and_the_repl_lives_on() {
    let sim = Sim::demo();
    let cmd = sim.vmsdbg();
    let mut p = repl(&cmd);
    p.exp_string("vmsdbg> ").unwrap();
    p.send_line(&format!("session new box {}", sim.target("ops")))
        .unwrap();
    for round in 0..3 {
        p.exp_string("password: ").unwrap();
        p.send_line(&format!("wrong-{round}")).unwrap();
    }
    p.exp_string("authentication failed for ops@127.0.0.1")
        .unwrap();
    p.exp_string("vmsdbg> ").unwrap();
    p.send_line("exit").unwrap();
    p.exp_eof().unwrap();
}

#[test]
fn a_password_from_the_environment_is_tried_once() {
    let sim = Sim::demo();
    let run = sim
        .vmsdbg()
        .env("WRONG", "not-the-password")
        .args(["--host", &sim.target("ops"), "--password-env", "WRONG"])
        .args(["exec", "true"])
        .run()
        .code_is(3);
    assert!(!run.stderr().contains("try again"), "{}", run.stderr());
    assert!(
        run.stderr()
            .contains("authentication failed for ops@127.0.0.1"),
        "{}",
        run.stderr()
    );
}
