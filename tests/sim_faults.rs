//! Faults injected by the simulated VMS while `vmsdbg` runs: a connection cut
//! mid-`tenant build`, a stalled channel, sudo demanding a tty, a channel limit,
//! added latency. Each test fails when the client's handling breaks.

mod common;
mod sim_support;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::piped::Piped;
use sim_support::{Sim, listed, tenants_of};
use vmsdbg_sim::SimConfig;

/// A running `vmsdbg` fed one script line at a time, so a test can change a
/// fault between lines.
struct Live(Piped);

impl std::ops::Deref for Live {
    type Target = Piped;
    fn deref(&self) -> &Piped {
        &self.0
    }
}

impl Live {
    fn spawn(cmd: &common::Vmsdbg) -> Live {
        Live(Piped::spawn(cmd))
    }

    fn send(&mut self, line: &str) {
        self.0.write(&format!("{line}\n"));
    }

    #[track_caller]
    fn wait_for(&self, stream: &Arc<Mutex<String>>, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if stream.lock().unwrap().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!(
            "never saw {text:?}\nstdout:\n{}\nstderr:\n{}",
            self.stdout.lock().unwrap(),
            self.stderr.lock().unwrap()
        );
    }

    /// Closes stdin and waits: (status, stdout, stderr).
    fn finish(mut self) -> (i32, String, String) {
        drop(self.0.stdin.take());
        let status = self.0.child.wait().expect("vmsdbg ends");
        // The reader threads end at EOF, right after the process does.
        std::thread::sleep(Duration::from_millis(100));
        let out = self.stdout.lock().unwrap().clone();
        let err = self.stderr.lock().unwrap().clone();
        (status.code().unwrap_or(-1), out, err)
    }
}

#[test]
fn a_drop_mid_build_is_one_line_exit_3_and_no_panic() {
    let sim = Sim::demo();
    sim.faults().drop_connection_on(Some("get pods"));
    let run = sim
        .oneshot("admin")
        .args(["tenant", "build"])
        .run()
        .code_is(3);
    let err = run.stderr();
    let lines: Vec<&str> = err.lines().filter(|l| l.starts_with("host: ")).collect();
    assert_eq!(lines.len(), 1, "one error line:\n{err}");
    assert!(lines[0].contains("connection lost"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn after_a_drop_the_session_is_lost_and_the_next_line_reconnects_once() {
    let sim = Sim::demo();
    sim.faults().drop_connection_on(Some("get pods"));
    let cmd = sim.oneshot("admin").args(["--keep-going"]);
    let mut live = Live::spawn(&cmd);

    live.send("tenant build");
    live.wait_for(&live.stderr, "<stdin>:1: host: connection lost");
    live.send("session list -o json");
    live.wait_for(&live.stdout, "\"state\": \"lost\"");

    sim.faults().clear();
    live.send("tenant build");
    live.send("tenant list -o json");
    let (status, out, err) = live.finish();

    assert_eq!(status, 3, "the worst line decides\n{err}");
    assert_eq!(err.matches("reconnecting").count(), 1, "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        !err.contains("<stdin>:3:") && !err.contains("<stdin>:4:"),
        "{err}"
    );
    let docs = sim_support::json_docs(&out[out.rfind("\n[").expect("a list") + 1..]);
    assert_eq!(listed(&docs[0]), tenants_of(&SimConfig::demo().world));
}

fn repl(cmd: &common::Vmsdbg) -> rexpect::session::PtySession {
    let mut command = cmd.command();
    command.env("TERM", "xterm");
    rexpect::session::spawn_command(command, Some(20_000)).expect("the REPL starts")
}

#[test]
fn the_repl_survives_a_drop_and_shows_the_session_lost() {
    let sim = Sim::demo();
    sim.faults().drop_connection_on(Some("get pods"));
    // The command owns the temp dir holding known_hosts: keep it alive.
    let cmd = sim.oneshot("admin");
    let mut p = repl(&cmd);
    p.exp_string("host> ").unwrap();
    p.send_line("tenant build").unwrap();
    p.exp_string("connection lost").unwrap();
    p.exp_string("host (lost)> ").unwrap();

    sim.faults().clear();
    p.send_line("exec echo back-again").unwrap();
    p.exp_string("reconnecting").unwrap();
    p.exp_string("back-again").unwrap();
    p.exp_string("host> ").unwrap();
    p.send_line("exit").unwrap();
    p.exp_eof().unwrap();
}

#[test]
fn a_stalled_channel_times_out_and_the_session_goes_on() {
    let sim = Sim::demo();
    sim.faults().stall_on(Some("stuck-here"));
    let script = "exec echo stuck-here\nexec echo alive\nsession info -o json\n";
    let cmd = sim
        .oneshot("admin")
        .args(["--timeout", "2", "--keep-going"]);
    let started = Instant::now();
    let run = cmd.stdin(script).run().code_is(1);
    let took = started.elapsed();

    let err = run.stderr();
    assert!(
        err.contains("<stdin>:1: host: timed out: nothing from the host for 2s"),
        "{err}"
    );
    assert!(took >= Duration::from_secs(2), "fired early: {took:?}");
    assert!(took < Duration::from_secs(15), "fired late: {took:?}");
    let out = run.stdout();
    assert!(out.starts_with("alive\n"), "{out}");
    let info = &sim_support::json_docs(&out["alive\n".len()..])[0];
    assert_eq!(info["state"], "connected");
    assert_eq!(info["failures"], 1);
}

#[test]
fn forced_requiretty_takes_the_pty_path() {
    let sim = Sim::demo();
    sim.faults().force_requiretty(true);
    for user in ["ops", "admin"] {
        let info = sim.oneshot(user).args(["session", "info", "-o", "json"]);
        assert_eq!(
            info.run().ok().json()["elevation"],
            "root (sudo on a tty)",
            "{user}"
        );
        let id = sim.oneshot(user).args(["exec", "id -u"]).run().ok();
        assert_eq!(id.stdout(), "0\n", "{user}");
    }
    let list = sim.oneshot("ops").args(["tenant", "list", "-o", "json"]);
    assert_eq!(
        listed(&list.run().ok().json()),
        tenants_of(&SimConfig::demo().world)
    );
}

#[test]
fn a_channel_limit_makes_commands_queue_not_fail() {
    let sim = Sim::demo();
    sim.faults().max_sessions(Some(1));
    // The client believes it may open three channels; the host allows one.
    let cmd = sim.oneshot("ops").args(["--max-channels", "3"]);
    let run = cmd.args(["tenant", "list", "-o", "json"]).run().ok();
    assert_eq!(listed(&run.json()), tenants_of(&SimConfig::demo().world));
}

#[test]
fn latency_slows_the_build_but_keeps_it_right() {
    let sim = Sim::demo();
    sim.faults().set_latency(Duration::from_millis(300));
    let started = Instant::now();
    let run = sim.oneshot("admin").args(["tenant", "list", "-o", "json"]);
    let run = run.run().ok();
    assert!(
        started.elapsed() >= Duration::from_millis(600),
        "latency applied"
    );
    assert_eq!(listed(&run.json()), tenants_of(&SimConfig::demo().world));
}

#[test]
fn an_oversized_command_line_is_refused_locally_and_the_session_lives() {
    let sim = Sim::demo();
    let big = "a".repeat(200 * 1024);
    let script = format!("exec echo {big}\nexec echo still-connected\n");
    let run = sim.oneshot("ops").args(["--keep-going"]).stdin(&script);
    let run = run.run().code_is(2);
    assert_eq!(run.stdout(), "still-connected\n");
    let err = run.stderr();
    assert!(
        err.contains("<stdin>:1: the remote command line is 200 KiB"),
        "{err}"
    );
    assert!(!err.contains(&big[..100]), "the line is not echoed back");
}
