//! The `vmsdbg-sim` command line: help never starts a server, and a word it
//! does not know is an error instead of being ignored.

use std::process::{Command, Stdio};
use std::time::Duration;

fn sim(args: &[&str]) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_vmsdbg-sim"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("vmsdbg-sim starts");
    // A server would run until Ctrl-C: give it a moment, then stop it.
    for _ in 0..50 {
        if child.try_wait().expect("wait").is_some() {
            return child.wait_with_output().expect("output");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    child.kill().ok();
    panic!("vmsdbg-sim {args:?} kept running (started a server?)");
}

#[test]
fn help_prints_usage_and_exits() {
    for args in [
        &["--help"][..],
        &["serve", "--help"],
        &["world", "generate", "-h"],
    ] {
        let out = sim(args);
        assert!(out.status.success(), "{args:?}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.starts_with("usage: vmsdbg-sim"), "{args:?}: {text}");
    }
}

#[test]
fn unknown_words_are_usage_errors() {
    for (args, word) in [
        (&["serve", "--prot", "22"][..], "--prot"),
        (&["world", "builtin", "--variant", "1", "extra"], "extra"),
    ] {
        let out = sim(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(&format!("unexpected '{word}'")),
            "{args:?}: {err}"
        );
    }
}
