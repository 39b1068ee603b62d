//! The interactive shell through a pseudo-terminal, against the CI host.

mod common;

use std::time::{Duration, Instant};

use common::CiHost;

fn repl(host: &CiHost, user: &str) -> (common::Vmsdbg, rexpect::session::PtySession) {
    let cmd = host.oneshot(user);
    let mut command = cmd.command();
    command.env("TERM", "xterm");
    let session = rexpect::session::spawn_command(command, Some(20_000)).expect("spawn the REPL");
    (cmd, session)
}

#[test]
#[ignore = "needs the CI host: bash .ci/run"]
fn ctrl_c_cancels_a_running_command_and_keeps_the_session() {
    let host = CiHost::load();
    let (_cmd, mut p) = repl(&host, "vmsadmin");
    p.exp_string("host> ").unwrap();
    p.send_line("exec sleep 30").unwrap();
    std::thread::sleep(Duration::from_millis(800));

    let sent = Instant::now();
    p.send_control('c').unwrap();
    p.exp_string("interrupted").unwrap();
    p.exp_string("host> ").unwrap();
    assert!(
        sent.elapsed() < Duration::from_secs(3),
        "took {:?}",
        sent.elapsed()
    );

    p.send_line("exec echo still-alive").unwrap();
    p.exp_string("still-alive").unwrap();
    // Typed-ahead input can be dropped while the editor re-enters raw mode.
    p.exp_string("host> ").unwrap();
    std::thread::sleep(Duration::from_millis(300));
    p.send_line("exit").unwrap();
    p.exp_eof().unwrap();
}

#[test]
#[ignore = "needs the CI host: bash .ci/run"]
fn prompt_follows_tenant_and_ctrl_c_clears_the_line() {
    let host = CiHost::load();
    let (cmd, mut p) = repl(&host, "vmsadmin");
    p.exp_string("host> ").unwrap();
    p.send_line("tenant build").unwrap();
    p.exp_string("built ").unwrap();
    p.exp_string("host> ").unwrap();

    p.send("tenant use half-typed").unwrap();
    p.send_control('c').unwrap();
    p.exp_string("host> ").unwrap();
    // Typed-ahead input can be dropped while the editor re-enters raw mode.
    std::thread::sleep(Duration::from_millis(300));

    p.send_line("tenant use acme").unwrap();
    p.exp_string("host:acme> ").unwrap();
    p.send_control('d').unwrap();
    p.exp_eof().unwrap();

    let history = std::fs::read_to_string(cmd.path("data/history")).unwrap();
    assert!(history.contains("tenant use acme"), "{history}");
    assert!(
        !history.contains("half-typed"),
        "a cleared line is not history"
    );
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(cmd.path("data/history"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
}
