//! How `logs` finds FILE, against the simulated VMS: a warm `logs tail` after a
//! listing is one remote command, a path never listed is listed first, a name that vanished or appeared since the last listing still ends
//! right (the host is restarted with another world on the same port and key),
//! and `logs grep --all` over thousands of files runs in batches. Remote commands
//! are counted from the client's own debug log (`exec` events of `ssh::exec`).

mod common;
mod sim_support;

use std::time::{Duration, Instant};

use common::piped::Piped;
use sim_support::Sim;
use vmsdbg_sim::world::LogFile;
use vmsdbg_sim::{SimConfig, World};

const ROOT: &str = "/var/log/versa/vms";

/// The tracing event the client logs once per remote command.
const EXEC_EVENT: &str = "vmsdbg::ssh::exec: exec ";

/// A line that ends the one before it in the echo: local, at once, and with
/// nothing on stdout (its usage error goes to stderr).
const MARK: &str = "set timeout mark";

/// A one-shot `vmsdbg` session fed script lines one at a time, echoing each
/// (`+ LINE`) and logging every remote command to stderr.
struct Live {
    piped: Piped,
    /// Holds the command's home (known_hosts) for as long as it runs.
    _cmd: common::Vmsdbg,
}

impl std::ops::Deref for Live {
    type Target = Piped;
    fn deref(&self) -> &Piped {
        &self.piped
    }
}

impl Live {
    fn start(sim: &Sim, user: &str) -> Live {
        let cmd = sim
            .oneshot(user)
            .args(["--echo", "--keep-going"])
            .env("VMSDBG_LOG", "warn,vmsdbg::ssh::exec=debug");
        Live {
            piped: Piped::spawn(&cmd),
            _cmd: cmd,
        }
    }

    /// Sends `line` and waits until the line after it ([`MARK`]) is echoed,
    /// i.e. until `line` finished; returns its stderr.
    fn run(&mut self, line: &str) -> String {
        let from = self.stderr.lock().unwrap().len();
        self.piped.write(&format!("{line}\n{MARK}\n"));
        let echo = format!("+ {line}\n");
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let err = self.stderr.lock().unwrap()[from..].to_string();
            let start = err.find(&echo).map(|at| at + echo.len());
            let end = err.find(&format!("\n+ {MARK}\n"));
            if let (Some(start), Some(end)) = (start, end) {
                return err[start..end].to_string();
            }
            assert!(Instant::now() < deadline, "no end of {line:?}:\n{err}");
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Waits until stdout ends with `expected` (stdout is a separate pipe, so
    /// it may arrive after the echo that ends the command on stderr).
    #[track_caller]
    fn stdout_ends_with(&self, expected: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if self.stdout.lock().unwrap().ends_with(expected) {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let out = self.stdout.lock().unwrap();
        panic!("stdout does not end with {expected:?}:\n{out}");
    }

    fn finish(mut self) {
        drop(self.piped.stdin.take());
        let _ = self.piped.child.wait();
    }
}

fn execs(stderr: &str) -> usize {
    stderr.matches(EXEC_EVENT).count()
}

/// The last `n` lines of a world file, as `tail -n N` prints them.
fn last_lines(world: &World, path: &str, n: usize) -> String {
    let file = world
        .logs
        .iter()
        .find(|f| f.path == path)
        .expect("in the world");
    let text = String::from_utf8(file.contents()).expect("a text file");
    let lines: Vec<&str> = text.lines().collect();
    let mut out = lines[lines.len().saturating_sub(n)..].join("\n");
    out.push('\n');
    out
}

#[test]
fn a_tail_after_a_scan_is_one_remote_command() {
    let sim = Sim::demo();
    let world = SimConfig::demo().world;
    let mut live = Live::start(&sim, "admin");

    let err = live.run("logs scan");
    assert_eq!(execs(&err), 1, "{err}");
    let err = live.run("logs tail api.log -n 2");
    assert_eq!(execs(&err), 1, "one remote command, no listing:\n{err}");
    let path = format!("{ROOT}/apps/api/api.log");
    assert!(err.contains(&format!("tail -n 2 -- {path}")), "{err}");
    live.stdout_ends_with(&last_lines(&world, &path, 2));

    let err = live.run("logs grep -c Error api.log vms-admin.log");
    assert_eq!(execs(&err), 1, "{err}");
    let err = live.run("logs stats vms-admin.log -o json");
    assert_eq!(execs(&err), 1, "{err}");
    live.finish();
}

#[test]
fn only_a_listed_path_skips_the_listing() {
    let sim = Sim::demo();
    let world = SimConfig::demo().world;
    let mut live = Live::start(&sim, "admin");
    // Typed by hand, even absolute, a path is looked up first (it could be a
    // symlink named like a log); once listed, it is one command.
    let path = format!("{ROOT}/vms-admin.log");
    let err = live.run(&format!("logs tail {path} -n 3"));
    assert_eq!(execs(&err), 2, "{err}");
    live.stdout_ends_with(&last_lines(&world, &path, 3));
    let err = live.run(&format!("logs tail {path} -n 2"));
    assert_eq!(execs(&err), 1, "{err}");
    live.stdout_ends_with(&last_lines(&world, &path, 2));

    // Outside the root, or out of it with `..`: refused after a listing, as before.
    for outside in [
        "/etc/shadow",
        &format!("{ROOT}/apps/../../../../etc/passwd.log"),
    ] {
        let err = live.run(&format!("logs tail {outside}"));
        assert!(err.contains("no log file matches"), "{outside}:\n{err}");
        assert!(!err.contains(&format!("tail -n 10 -- {outside}")), "{err}");
    }

    // Never listed, a bare name: listing, then the command.
    let mut fresh = Live::start(&sim, "admin");
    let err = fresh.run("logs tail api.log -n 1");
    assert_eq!(execs(&err), 2, "{err}");
    live.finish();
    fresh.finish();
}

/// The built-in world with `gateway`'s log moved to `apps/api/v2/api.log` and a
/// new `apps/fresh/fresh.log`; returns it and the moved file's new path.
fn changed_world(world: &World) -> (World, String) {
    let mut changed = world.clone();
    let old = format!("{ROOT}/apps/api/api.log");
    let new = format!("{ROOT}/apps/api/v2/api.log");
    let file = changed.logs.iter_mut().find(|f| f.path == old).unwrap();
    file.path = new.clone();
    let mtime = file.mtime.clone();
    let text = "2025-06-02T00:00:00Z INFO fresh: one\n2025-06-02T00:00:01Z ERROR fresh: two\n";
    changed.logs.push(LogFile::text(
        &format!("{ROOT}/apps/fresh/fresh.log"),
        text.to_string(),
        &mtime,
    ));
    changed
        .logs
        .retain(|f| !f.path.ends_with("/apps/api/api.log.1"));
    (changed, new)
}

/// Stops `sim` and starts one with `world` on the same port and host key, then
/// lets `live` reconnect (the first remote line may still see the old
/// connection die; the second reconnects), so later counts are the command's own.
fn restart(live: &mut Live, sim: Sim, world: World) -> Sim {
    let sim = restart_with(sim, world);
    live.run("exec true");
    live.run("exec true");
    sim
}

/// Stops `sim` and starts one with `world` on the same port and host key.
fn restart_with(sim: Sim, world: World) -> Sim {
    let key = sim.faults().host_key();
    let port = sim.port();
    drop(sim);
    let mut config = SimConfig::demo();
    config.world = world;
    config.host_key = Some(key);
    config.port = port;
    Sim::start(config)
}

#[test]
fn names_that_vanished_or_appeared_since_the_listing_still_resolve() {
    let sim = Sim::demo();
    let world = SimConfig::demo().world;
    let mut live = Live::start(&sim, "admin");
    live.run("logs scan");

    let (changed, moved) = changed_world(&world);
    let sim = restart(&mut live, sim, changed.clone());

    // A file that appeared: not in the listing, so listed first.
    let fresh = format!("{ROOT}/apps/fresh/fresh.log");
    let err = live.run("logs tail fresh.log -n 5");
    assert_eq!(execs(&err), 2, "{err}");
    live.stdout_ends_with(&last_lines(&changed, &fresh, 5));

    // api.log moved, listed again just now, so found at its new path.
    let err = live.run("logs tail api.log -n 1");
    assert_eq!(execs(&err), 1, "{err}");
    assert!(err.contains(&moved), "{err}");

    // Moved while remembered: the old path fails, one listing, the new path.
    let sim = restart(&mut live, sim, world.clone());
    live.run("logs scan");
    let sim = restart(&mut live, sim, changed.clone());
    let err = live.run("logs tail api.log -n 2");
    assert_eq!(execs(&err), 3, "tail, listing, tail:\n{err}");
    assert!(!err.contains("No such file"), "the retry is silent:\n{err}");
    live.stdout_ends_with(&last_lines(&changed, &moved, 2));
    drop(sim);
    live.finish();
}

#[test]
fn a_vanished_file_is_reported_clearly_by_every_command() {
    let mut sim = Sim::demo();
    let world = SimConfig::demo().world;
    let (changed, _) = changed_world(&world);
    let mut live = Live::start(&sim, "admin");
    live.run("exec true");

    for line in [
        "logs tail api.log.1",
        "logs tail api.log.1 --errors",
        "logs stats api.log.1",
        "logs grep x api.log.1",
        "logs follow api.log.1",
    ] {
        // Listed while it was there, gone when the command runs.
        sim = restart(&mut live, sim, world.clone());
        live.run("logs scan");
        sim = restart(&mut live, sim, changed.clone());
        let err = live.run(line);
        assert!(
            err.contains("no log file matches 'api.log.1'"),
            "{line}:\n{err}"
        );
        assert!(!err.contains("No such file"), "{line}:\n{err}");
        assert_eq!(
            execs(&err),
            2,
            "{line}: the command, then one listing:\n{err}"
        );
    }

    // grep over a vanished and an existing file: the existing one is searched,
    // grep's complaint about the other is replaced by the resolver's answer.
    sim = restart(&mut live, sim, world.clone());
    live.run("logs scan");
    sim = restart(&mut live, sim, changed.clone());
    let err = live.run("logs grep -c INFO vms-admin.log api.log.1");
    assert!(err.contains("no log file matches 'api.log.1'"), "{err}");
    assert!(!err.contains("No such file"), "{err}");
    let admin = SimConfig::demo()
        .world
        .logs
        .iter()
        .find(|f| f.path.ends_with("/vms-admin.log"))
        .map(|f| {
            String::from_utf8_lossy(&f.contents())
                .matches("INFO")
                .count()
        })
        .expect("the world has vms-admin.log");
    live.stdout_ends_with(&format!("{ROOT}/vms-admin.log:{admin}\n"));
    drop(sim);
    live.finish();
}

#[test]
fn grep_all_over_thousands_of_files_runs_in_batches() {
    let mut world = SimConfig::demo().world;
    let mtime = world.logs[0].mtime.clone();
    let count = 3000;
    for i in 0..count {
        // Long names, so one command line could not hold them all.
        let dir = format!("{ROOT}/apps/many/{}", "d".repeat(60));
        let text = format!("2025-06-03T00:00:00Z INFO many: needle {i}\nother\n");
        let path = format!("{dir}/file-{i:05}-with-a-long-name.log");
        world.logs.push(LogFile::text(&path, text, &mtime));
    }
    let mut config = SimConfig::demo();
    config.world = world;
    let sim = Sim::start(config);
    let mut live = Live::start(&sim, "ops");
    let err = live.run("logs grep needle --all -c");
    let calls = execs(&err);
    assert!(
        calls >= 4,
        "a listing and several grep lines:\n{calls} execs"
    );
    assert!(!err.contains("too many log files"), "{err}");
    // The root's files come sorted, vms-admin.log (no needle) last.
    live.stdout_ends_with(&format!("{ROOT}/vms-admin.log:0\n"));
    let out = live.stdout.lock().unwrap().clone();
    let ones = out.lines().filter(|l| l.ends_with(":1")).count();
    assert_eq!(ones, count, "every file counted once");
    live.finish();
}
