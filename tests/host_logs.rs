//! How `logs` finds FILE on the CI host's real sshd, sudo, find, tail and grep
//! (set up by `.ci/host-setup.sh`; ignored by a plain `cargo test`): a file moved
//! or removed after the listing, a warm tail that is one remote command, and
//! `logs grep --all` over more file names than one command line can carry.
//!
//! Each test writes its own root-only files in a directory under `ROOT/apps`
//! named after the process and the test, and removes it when done.

mod common;

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;

use common::log_dir::{LogDir, lock};
use common::{CiHost, Run};

/// These tests add and remove files in the shared log tree, which `grep --all`
/// reads whole: one at a time.
/// The tracing event the client logs once per remote command.
const EXEC_EVENT: &str = "vmsdbg::ssh::exec: exec ";

/// `vmsadmin` (sudo with a password) running `script` line by line, echoing
/// each line and logging every remote command.
fn script(host: &CiHost, script: &str) -> Run {
    host.oneshot("vmsadmin")
        .args(["--echo", "--keep-going"])
        .env("VMSDBG_LOG", "warn,vmsdbg::ssh::exec=debug")
        .stdin(script)
        .run()
}

/// Remote commands per script line: (line, execs), in order.
fn execs_per_line(stderr: &str) -> Vec<(String, usize)> {
    let mut out: Vec<(String, usize)> = Vec::new();
    for text in stderr.split('\n') {
        if let Some(line) = text.strip_prefix("+ ") {
            out.push((line.to_string(), 0));
        } else if let Some(last) = out.last_mut() {
            last.1 += text.matches(EXEC_EVENT).count();
        }
    }
    out
}

fn execs_of(stderr: &str, line: &str) -> usize {
    let all = execs_per_line(stderr);
    let found = all.iter().find(|(l, _)| l == line);
    found
        .unwrap_or_else(|| panic!("{line} not run:\n{stderr}"))
        .1
}

fn root(host: &CiHost) -> String {
    host.var("VMSDBG_CI_LOG_ROOT").to_string()
}

#[test]
#[ignore = "needs the CI host: bash .ci/run"]
fn a_warm_tail_is_one_remote_command_and_a_moved_file_is_found_again() {
    let _tree = lock();
    let host = CiHost::load();
    let dir = LogDir::new(&root(&host), "moved");
    // A name no other file on the host has.
    let name = format!("moved-{}.log", std::process::id());
    let old = dir.file(&format!("a/{name}"), b"one\ntwo\nthree\n");
    let new = dir.dir.join("b");
    let tail = format!("logs tail {name} -n 2");

    let text = format!(
        "logs scan\n{tail}\nexec mkdir {new} && mv {old} {new}/\n{tail}\n{tail}\n",
        new = new.display(),
    );
    let run = script(&host, &text);
    let err = run.stderr();
    assert_eq!(run.code(), 0, "{err}");
    let tails: Vec<usize> = execs_per_line(&err)
        .into_iter()
        .filter(|(line, _)| *line == tail)
        .map(|(_, n)| n)
        .collect();
    // Warm: one command. Moved: the remembered path fails, one listing, the
    // new path. Then the new path is remembered: one command again.
    assert_eq!(tails, [1, 3, 1], "{err}");
    assert!(!err.contains("No such file"), "{err}");
    assert_eq!(
        run.stdout().matches("two\nthree\n").count(),
        3,
        "{}",
        run.stdout()
    );
}

#[test]
#[ignore = "needs the CI host: bash .ci/run"]
fn a_removed_file_is_reported_and_a_symlink_is_never_followed() {
    let _tree = lock();
    let host = CiHost::load();
    let dir = LogDir::new(&root(&host), "removed");
    let gone = dir.file("gone/gone.log", b"bye\n");
    let kept = dir.file("kept/kept.log", b"2025-01-01T00:00:00Z ERROR kept: x\n");
    let suffix = dir.suffix("gone/gone.log");
    // Named like a log, pointing at a root-only file outside the log root.
    let link = dir.path("link/link.log");
    std::fs::create_dir_all(dir.path("link")).unwrap();
    std::os::unix::fs::symlink("/etc/shadow", &link).unwrap();

    let text = format!(
        "logs tail {kept} -n 1\n\
         logs scan\n\
         exec rm {gone}\n\
         logs tail {suffix}\n\
         logs stats {kept} -o json\n\
         logs tail /etc/passwd\n\
         logs tail {link}\n\
         logs follow {link}\n\
         logs tail {}/apps/../../../../etc/passwd.log\n",
        root(&host),
    );
    let run = script(&host, &text);
    let err = run.stderr();
    // Typed by hand, never listed: looked up first.
    assert_eq!(
        execs_of(&err, &format!("logs tail {kept} -n 1")),
        2,
        "{err}"
    );
    assert!(
        err.contains(&format!("no log file matches '{link}'")),
        "{err}"
    );
    assert!(!run.stdout().contains("root:"), "/etc/shadow was shown");
    assert!(
        err.contains(&format!("no log file matches '{suffix}'")),
        "{err}"
    );
    assert_eq!(execs_of(&err, &format!("logs tail {suffix}")), 2, "{err}");
    assert_eq!(
        execs_of(&err, &format!("logs stats {kept} -o json")),
        1,
        "{err}"
    );
    assert!(run.stdout().contains("\"errors\": 1"), "{}", run.stdout());
    assert_eq!(err.matches("no log file matches").count(), 5, "{err}");
    assert!(!run.stdout().contains("root:"), "{}", run.stdout());
}

#[test]
#[ignore = "needs the CI host: bash .ci/run"]
fn grep_all_over_thousands_of_long_names_just_works() {
    let _tree = lock();
    let host = CiHost::load();
    let dir = LogDir::new(&root(&host), "many");
    let count = 3000;
    let long = "n".repeat(80);
    let mut mine = Vec::new();
    for i in 0..count {
        let text = format!("needle {i}\nother\n");
        mine.push(dir.file(&format!("many/{i:05}-{long}.log"), text.as_bytes()));
    }
    let bytes: usize = mine.iter().map(|p| p.len() + 1).sum();
    assert!(bytes > 128 * 1024, "more than one argument can hold");

    let run = host
        .oneshot("vmsadmin")
        .args(["logs", "grep", "needle", "--all", "-c", "-o", "json"])
        .run();
    let err = run.stderr();
    assert_eq!(run.code(), 0, "{err}");
    let mut counted: Vec<String> = run
        .stdout()
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("JSON lines"))
        .filter(|v| v["count"] == 1)
        .map(|v| v["file"].as_str().unwrap().to_string())
        .filter(|f| f.starts_with(dir.dir.to_str().unwrap()))
        .collect();
    counted.sort();
    assert_eq!(counted, mine, "every file once, counted");
}

#[test]
#[ignore = "needs the CI host: bash .ci/run"]
fn a_file_whose_name_is_not_utf8_opens_by_the_name_shown() {
    use std::os::unix::ffi::OsStrExt;
    let _tree = lock();
    let host = CiHost::load();
    let dir = LogDir::new(&root(&host), "bytes");
    let name: &[u8] = b"it's \xff\xfe 100%.log";
    let path = dir.dir.join(std::ffi::OsStr::from_bytes(name));
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&path)
        .expect("create the file");
    file.write_all(b"2025-01-01T00:00:00Z ERROR bytes: first\nsecond\n")
        .expect("write it");
    let shown = dir.suffix(&String::from_utf8_lossy(name));

    let text = format!(
        "logs tail '{s}' -n 1\n\
         logs grep -c ERROR '{s}' -o json\n\
         logs stats '{s}' -o json\n\
         logs grep second --all -o json\n",
        s = shown.replace('\'', "'\\''"),
    );
    let run = script(&host, &text);
    let (out, err) = (run.stdout(), run.stderr());
    assert_eq!(run.code(), 0, "{err}");
    assert!(!err.contains("No such file"), "{err}");
    assert!(out.starts_with("second\n"), "{out}");
    let full = format!("{}/{}", dir.dir.display(), String::from_utf8_lossy(name));
    let json = serde_json::json!({ "file": full, "count": 1 }).to_string();
    assert!(out.contains(&json), "grep -c:\n{out}");
    assert!(out.contains("\"lines\": 2"), "stats:\n{out}");
    let found = out
        .lines()
        .filter(|l| l.contains("\"text\":\"second\""))
        .any(|l| l.contains(&full));
    assert!(found, "grep --all:\n{out}");
}
