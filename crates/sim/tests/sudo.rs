//! sudo on the simulated host, probe by probe, as `vmsdbg`'s elevation sends them.

mod common;

use common::{Script, drive, login, run};
use vmsdbg_sim::DEMO_PASSWORD;

const PROMPT: &str = "[vmsdbg:0123456789abcdef] ";

fn with_password(line: &str) -> String {
    format!("sudo -S -p '{PROMPT}' -- sh -c '{line}'")
}

#[tokio::test]
async fn probe_tells_nopasswd_from_password() {
    let host = common::demo_host().await;
    let ops = login(&host, "ops").await;
    let r = run(&ops, "sudo -n true").await;
    assert_eq!((r.code, r.err().as_str()), (Some(0), ""));
    let r = run(&ops, "sudo -n -- sh -c 'id -u; kubectl get ns -o name'").await;
    assert!(r.out().starts_with("0\nnamespace/"), "{}", r.out());

    let admin = login(&host, "admin").await;
    let r = run(&admin, "sudo -n true").await;
    assert_eq!(
        (r.code, r.err().as_str()),
        (Some(1), "sudo: a password is required\n")
    );
}

#[tokio::test]
async fn password_sent_after_the_prompt_elevates() {
    let host = common::demo_host().await;
    let admin = login(&host, "admin").await;
    let script = Script {
        answers: vec![(PROMPT, DEMO_PASSWORD)],
        eof_after_answers: true,
        ..Script::default()
    };
    let r = drive(&admin, &with_password("whoami"), script).await;
    assert_eq!(r.out(), "root\n");
    assert_eq!(r.err(), PROMPT, "only the prompt reaches stderr");
    assert_eq!(r.code, Some(0));
}

#[tokio::test]
async fn wrong_password_three_times_fails() {
    let host = common::demo_host().await;
    let admin = login(&host, "admin").await;
    let answers = vec![(PROMPT, "nope"), (PROMPT, "nope"), (PROMPT, "nope")];
    let r = drive(
        &admin,
        &with_password("true"),
        Script {
            answers,
            ..Script::default()
        },
    )
    .await;
    let want = format!(
        "{PROMPT}Sorry, try again.\n{PROMPT}Sorry, try again.\n{PROMPT}sudo: 3 incorrect password attempts\n"
    );
    assert_eq!(r.err(), want);
    assert_eq!(r.code, Some(1));
    assert!(r.stdout.is_empty());
}

#[tokio::test]
async fn eof_without_password_is_refused() {
    let host = common::demo_host().await;
    let admin = login(&host, "admin").await;
    let script = Script {
        eof_after_answers: true,
        ..Script::default()
    };
    let r = drive(&admin, &with_password("true"), script).await;
    assert_eq!(r.err(), format!("{PROMPT}sudo: no password was provided\n"));
    assert_eq!(r.code, Some(1));
}

#[tokio::test]
async fn requiretty_needs_a_pty_and_prompts_on_it() {
    let host = common::demo_host().await;
    let tty = login(&host, "tty").await;
    let r = run(&tty, "sudo -n true").await;
    assert_eq!(r.err(), "sudo: sorry, you must have a tty to run sudo\n");
    assert_eq!(r.code, Some(1));

    let marker = "vmsdbg-begin-00112233aabbccdd";
    let line = format!(
        "sudo -p '{PROMPT}' -- sh -c 'printf '\\''%s\\n'\\'' {marker}; kubectl get ns -o name; echo oops >&2'"
    );
    let script = Script {
        pty: true,
        answers: vec![(PROMPT, DEMO_PASSWORD)],
        ..Script::default()
    };
    let r = drive(&tty, &line, script).await;
    assert_eq!(r.code, Some(0));
    assert!(
        r.stderr.is_empty(),
        "a PTY merges stderr into the data stream"
    );
    let out = r.out();
    let after = out
        .split_once(&format!("{marker}\n"))
        .expect("marker line")
        .1;
    assert!(after.starts_with("namespace/"), "{after}");
    assert!(after.ends_with("oops\n"), "{after}");
    assert!(
        out.starts_with(&format!("{PROMPT}\n")),
        "prompt, then sudo's newline: {out:?}"
    );
    assert!(!out.contains(DEMO_PASSWORD), "no echo of the password");
}

#[tokio::test]
async fn without_s_and_without_tty_sudo_cannot_ask() {
    let host = common::demo_host().await;
    let admin = login(&host, "admin").await;
    let r = run(&admin, &format!("sudo -p '{PROMPT}' true")).await;
    assert!(
        r.err()
            .starts_with("sudo: a terminal is required to read the password")
    );
    assert_eq!(r.code, Some(1));
}

#[tokio::test]
async fn users_outside_sudoers_are_told_so() {
    let mut config = vmsdbg_sim::SimConfig::demo();
    config.users.push(vmsdbg_sim::SimUser::with_password(
        "guest",
        DEMO_PASSWORD,
        vmsdbg_sim::SudoPolicy::None,
    ));
    let host = vmsdbg_sim::SimHost::start(config).await.expect("starts");
    let guest = login(&host, "guest").await;
    let script = Script {
        answers: vec![(PROMPT, DEMO_PASSWORD)],
        ..Script::default()
    };
    let r = drive(&guest, &with_password("true"), script).await;
    assert_eq!(
        r.err(),
        format!("{PROMPT}guest is not in the sudoers file.\n")
    );
    assert_eq!(r.code, Some(1));
}
