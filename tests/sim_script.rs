//! Script mode against the simulated VMS: consecutive `session new` lines open
//! concurrently yet behave as if run one by one (output order, FILE:LINE
//! errors, the active session, where a failure stops the script), and the
//! line reader's edge cases (escaped trailing backslash, a continuation at the
//! end of the file, invalid UTF-8).

mod common;
mod sim_support;

use std::time::{Duration, Instant};

use serde_json::Value;
use sim_support::{PASSWORD_VAR, Sim};

/// `session list -o json` as (name, active) pairs, in the listed order.
fn listed_sessions(json: &Value) -> Vec<(String, bool)> {
    json.as_array()
        .expect("a list of sessions")
        .iter()
        .map(|s| {
            let name = s["name"].as_str().expect("a name").to_string();
            (name, s["active"].as_bool() == Some(true))
        })
        .collect()
}

/// The last JSON document on stdout (the `session list -o json` at the end).
fn last_json(out: &str) -> Value {
    let start = out.rfind("\n[").map_or(0, |i| i + 1);
    serde_json::from_str(&out[start..]).unwrap_or_else(|e| panic!("not JSON ({e}):\n{out}"))
}

/// Commands recorded in the audit log of `cmd`'s data directory.
fn audited(cmd: &common::Vmsdbg) -> Vec<String> {
    let text = std::fs::read_to_string(cmd.path("data").join("audit.log")).unwrap_or_default();
    text.lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter_map(|v| v["command"].as_str().map(str::to_string))
        .collect()
}

/// `session new NAME` lines for `names`, as `user`.
fn opens(sim: &Sim, names: &[&str], user: &str) -> String {
    names.iter().map(|n| sim.session_new(n, user)).collect()
}

#[test]
fn session_new_lines_report_in_line_order_and_the_last_is_active() {
    let sim = Sim::demo();
    let names = ["zz", "m1", "aa", "k7", "b2", "q0"];
    let script = opens(&sim, &names, "ops") + "session list -o json\n";
    let cmd = sim.vmsdbg().args(["--echo"]).stdin(&script);
    let run = cmd.run().ok();

    let out = run.stdout();
    let connected: Vec<&str> = out
        .lines()
        .filter_map(|l| l.split_once(": connected to ").map(|(name, _)| name))
        .collect();
    assert_eq!(connected, names, "{out}");
    let err = run.stderr();
    let echoed: Vec<&str> = err
        .lines()
        .filter_map(|l| l.strip_prefix("+ session new "))
        .map(|l| l.split(' ').next().unwrap_or(""))
        .collect();
    assert_eq!(echoed, names);

    let sessions = listed_sessions(&last_json(&out));
    let active: Vec<&str> = sessions
        .iter()
        .filter(|(_, active)| *active)
        .map(|(n, _)| n.as_str())
        .collect();
    assert_eq!(active, ["q0"], "{out}");
    assert_eq!(sessions.len(), names.len());
    let audit = audited(&cmd);
    let order: Vec<&str> = audit
        .iter()
        .filter_map(|c| c.strip_prefix("session new "))
        .map(|c| c.split(' ').next().unwrap_or(""))
        .collect();
    assert_eq!(order, names, "audit log in line order");
}

#[test]
fn session_new_lines_open_concurrently() {
    let sim = Sim::demo();
    // Every remote command (the elevation probe among them) waits this long.
    let latency = Duration::from_secs(1);
    sim.faults().set_latency(latency);
    let names = ["s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8"];
    let cmd = sim.vmsdbg().args(["-q"]);
    let started = Instant::now();
    let run = cmd.stdin(&opens(&sim, &names, "ops")).run().ok();
    let took = started.elapsed();

    let connected = run.stdout().matches(": connected to ").count();
    assert_eq!(connected, names.len());
    // One by one this is at least 8 × 1 s.
    let sequential = latency * names.len() as u32;
    assert!(
        took < sequential / 2,
        "took {took:?}; one by one would be over {sequential:?}"
    );
}

#[test]
fn a_failing_line_stops_the_batch_and_later_lines_leave_nothing() {
    let sim = Sim::demo();
    let script = sim.session_new("first", "ops")
        + &sim.session_new("bad", "nobody")
        + &sim.session_new("later", "ops")
        + "session list -o json\n";
    let cmd = sim.vmsdbg().stdin(&script);
    let run = cmd.run().code_is(3);

    let (out, err) = (run.stdout(), run.stderr());
    assert!(out.contains("first: connected to "), "{out}");
    assert!(!out.contains("later"), "nothing of a later line: {out}");
    assert!(
        err.contains("<stdin>:2: bad: authentication failed"),
        "{err}"
    );
    assert!(!err.contains("later"), "{err}");
    let audit = audited(&cmd);
    assert!(audit.iter().any(|c| c.starts_with("session new bad ")));
    assert!(
        !audit.iter().any(|c| c.starts_with("session new later ")),
        "{audit:?}"
    );
    assert!(!audit.iter().any(|c| c.starts_with("session list")));
}

#[test]
fn keep_going_opens_the_rest_and_the_last_success_is_active() {
    let sim = Sim::demo();
    let script = sim.session_new("one", "ops")
        + &sim.session_new("two", "ops")
        + &sim.session_new("bad", "nobody")
        + "# a comment inside the batch\n\n"
        + &sim.session_new("three", "ops")
        + &sim.session_new("broken", "nobody")
        + "session list -o json\n";
    let run = sim
        .vmsdbg()
        .args(["--keep-going"])
        .stdin(&script)
        .run()
        .code_is(3);

    let err = run.stderr();
    let bad = err.find("<stdin>:3: bad: ").expect("line 3 reported");
    let broken = err.find("<stdin>:7: broken: ").expect("line 7 reported");
    assert!(bad < broken, "{err}");
    assert!(err.contains("<stdin>: 2 line(s) failed"), "{err}");
    let sessions = listed_sessions(&last_json(&run.stdout()));
    let expected = [("one", false), ("three", true), ("two", false)];
    let expected: Vec<(String, bool)> = expected.iter().map(|(n, a)| (n.to_string(), *a)).collect();
    assert_eq!(sessions, expected);
}

#[test]
fn a_name_repeated_in_the_batch_fails_as_it_would_one_by_one() {
    let sim = Sim::demo();
    let script = sim.session_new("dup", "ops") + &sim.session_new("dup", "admin");
    let run = sim.vmsdbg().stdin(&script).run().code_is(1);
    let err = run.stderr();
    assert!(
        err.contains("<stdin>:2: a session named 'dup' is open already"),
        "{err}"
    );
    assert_eq!(run.stdout().matches("dup: connected to ").count(), 1);
}

#[test]
fn a_wrong_sudo_password_in_the_batch_still_registers_the_session() {
    let sim = Sim::demo();
    // `admin` needs its password for sudo; a wrong one leaves it unelevated.
    let target = sim.target("admin");
    let script =
        format!("session new w {target} --password-env {PASSWORD_VAR} --sudo-password-env WRONG\n")
            + &sim.session_new("after", "ops")
            + "session list -o json\n";
    let run = sim
        .vmsdbg()
        .env("WRONG", "not-the-password")
        .args(["--keep-going"])
        .stdin(&script)
        .run();
    assert_ne!(run.code(), 0);
    assert!(run.stderr().contains("<stdin>:1: w: "), "{}", run.stderr());
    let names: Vec<String> = listed_sessions(&last_json(&run.stdout()))
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert_eq!(names, ["after", "w"]);
}

/// A script file with these exact bytes, run with `-f`.
fn run_file(sim: &Sim, bytes: &[u8], extra: &[&str]) -> common::Run {
    let cmd = sim.vmsdbg();
    let path = cmd.path("script.vmsdbg");
    std::fs::write(&path, bytes).expect("script written");
    let path = path.display().to_string();
    cmd.args(extra).args(["-f", &path]).run()
}

fn opening(sim: &Sim) -> Vec<u8> {
    sim.session_new("s", "ops").into_bytes()
}

#[test]
fn an_escaped_backslash_at_the_end_of_a_line_does_not_continue_it() {
    let sim = Sim::demo();
    let mut script = opening(&sim);
    script.extend_from_slice(b"exec echo x\\\\\nexec echo next\n");
    let run = run_file(&sim, &script, &[]).ok();
    let out = run.stdout();
    assert!(out.contains("x\\\n"), "{out}");
    assert!(out.contains("next\n"), "{out}");
}

#[test]
fn a_continuation_at_the_end_of_the_file_is_reported_and_not_run() {
    let sim = Sim::demo();
    let mut script = opening(&sim);
    script.extend_from_slice(b"exec echo ran \\");
    let run = run_file(&sim, &script, &[]).code_is(1);
    assert!(!run.stdout().contains("ran"), "{}", run.stdout());
    let err = run.stderr();
    assert!(
        err.contains("script.vmsdbg:2: the input ends after a continuing"),
        "{err}"
    );
}

#[test]
fn invalid_utf8_is_reported_at_its_line_and_keep_going_goes_on() {
    let sim = Sim::demo();
    let mut script = opening(&sim);
    script.extend_from_slice(b"exec echo \xff\xfe\nexec echo after\n");

    let run = run_file(&sim, &script, &["--keep-going"]).code_is(1);
    assert!(run.stdout().contains("after\n"), "{}", run.stdout());
    let err = run.stderr();
    assert!(err.contains("script.vmsdbg:2: invalid UTF-8"), "{err}");
    assert!(err.contains("1 line(s) failed"), "{err}");

    let run = run_file(&sim, &script, &[]).code_is(1);
    assert!(
        !run.stdout().contains("after"),
        "stops without --keep-going"
    );
}

#[test]
fn accepting_a_new_host_key_in_a_batch_records_it_once() {
    let sim = Sim::demo();
    let names = ["k1", "k2", "k3", "k4", "k5", "k6"];
    let cmd = common::Vmsdbg::new()
        .env(PASSWORD_VAR, vmsdbg_sim::DEMO_PASSWORD)
        .args(["-q", "--accept-new-host-key"])
        .stdin(&opens(&sim, &names, "ops"));
    let run = cmd.run().ok();
    assert_eq!(run.stdout().matches(": connected to ").count(), names.len());
    let known = std::fs::read_to_string(cmd.path("known_hosts")).expect("key recorded");
    assert_eq!(known, sim.known_hosts_line(), "one line, whole");
}

#[test]
fn a_session_new_line_prints_before_the_next_line_is_written() {
    use std::io::{BufRead, BufReader, Write};
    use std::process::Stdio;

    let sim = Sim::demo();
    let cmd = sim.vmsdbg().args(["-q"]);
    let mut child = cmd
        .command()
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("vmsdbg starts");
    let mut stdin = child.stdin.take().expect("stdin piped");
    stdin
        .write_all(sim.session_new("first", "ops").as_bytes())
        .expect("line written");
    stdin.flush().expect("line flushed");

    // A driver that waits for each line's output before writing the next: the
    // script must not hold the report back while it waits for more input.
    let stdout = child.stdout.take().expect("stdout piped");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(|l| l.ok()) {
            let _ = tx.send(line);
        }
    });
    let first = rx.recv_timeout(Duration::from_secs(20));
    let _ = child.kill();
    let _ = child.wait();
    let first = first.expect("the report arrives while stdin is still open");
    assert!(first.starts_with("first: connected to "), "{first}");
}

/// `session new` lines to `sim` as `ops`, each with `extra` after it.
fn opens_with(sim: &Sim, lines: &[(&str, &str)]) -> String {
    lines
        .iter()
        .map(|(name, extra)| {
            let line = sim.session_new(name, "ops");
            format!("{} {extra}\n", line.trim_end())
        })
        .collect()
}

#[test]
fn later_lines_find_the_key_an_earlier_line_accepted() {
    let sim = Sim::demo();
    let script = opens_with(
        &sim,
        &[
            ("first", "--accept-new-host-key"),
            ("r1", ""),
            ("r2", ""),
            ("r3", ""),
            ("r4", ""),
        ],
    );
    let cmd = common::Vmsdbg::new()
        .env(PASSWORD_VAR, vmsdbg_sim::DEMO_PASSWORD)
        .args(["-q"])
        .stdin(&script);
    let run = cmd.run().ok();
    assert_eq!(run.stdout().matches(": connected to ").count(), 5);
}

#[test]
fn a_line_before_the_accepting_line_still_finds_the_key_unknown() {
    let sim = Sim::demo();
    let script = opens_with(&sim, &[("early", ""), ("accepts", "--accept-new-host-key")]);
    let cmd = common::Vmsdbg::new()
        .env(PASSWORD_VAR, vmsdbg_sim::DEMO_PASSWORD)
        .args(["-q", "--keep-going"])
        .stdin(&script);
    let run = cmd.run().code_is(3);
    let err = run.stderr();
    let unknown = format!(
        "<stdin>:1: early: host key of 127.0.0.1:{} is not known",
        sim.port()
    );
    assert!(err.contains(&unknown), "{err}");
    assert!(
        run.stdout().contains("accepts: connected to "),
        "{}",
        run.stdout()
    );
}

#[test]
fn a_comment_ending_in_a_backslash_does_not_swallow_the_next_line() {
    let sim = Sim::demo();
    let mut script = opening(&sim);
    script.extend_from_slice(b"# note \\\nexec echo ran\n");
    let run = run_file(&sim, &script, &[]).ok();
    assert!(run.stdout().ends_with("\nran\n"), "{}", run.stdout());
}

#[test]
fn a_line_after_a_failing_one_records_no_host_key() {
    let sim = Sim::demo();
    // Line 1 cannot connect; line 2 would trust the simulator's key.
    let script = format!(
        "session new dead ops@127.0.0.1:1 --password-env {PASSWORD_VAR}\n{}",
        opens_with(&sim, &[("accepts", "--accept-new-host-key")])
    );
    let cmd = common::Vmsdbg::new()
        .env(PASSWORD_VAR, vmsdbg_sim::DEMO_PASSWORD)
        .args(["-q"])
        .stdin(&script);
    let run = cmd.run().code_is(3);
    assert!(run.stderr().starts_with("<stdin>:1: "), "{}", run.stderr());
    let recorded = std::fs::read_to_string(cmd.path("known_hosts")).unwrap_or_default();
    assert_eq!(recorded, "", "a key trusted for a line that never ran");
}
