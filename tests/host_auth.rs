//! Logging in to the CI host's OpenSSH server as a new user would: host-key
//! messages that name port 2222, a wrong password typed at the prompt asked
//! for again, identity files that cannot be used warned about and skipped,
//! and failures that say how to give a secret.

mod common;

use common::CiHost;

#[test]
#[ignore = "needs the CI host: bash .ci/run"]
fn unknown_host_key_names_the_port() {
    let host = CiHost::load();
    let run = host
        .vmsdbg()
        .args(["--host", &host.target("vmsadmin")])
        .args(["--password-env", "VMSDBG_CI_VMSADMIN_PASSWORD", "status"])
        .run()
        .code_is(3);
    let port = host.var("VMSDBG_CI_SSH_PORT");
    let expected = format!("host key of 127.0.0.1:{port} is not known");
    assert!(run.stderr().contains(&expected), "{}", run.stderr());
}

#[test]
#[ignore = "needs the CI host: bash .ci/run"]
fn a_wrong_password_at_the_prompt_is_asked_again_by_openssh() {
    let host = CiHost::load();
    let cmd = host.vmsdbg();
    let mut command = cmd.command();
    command.env("TERM", "xterm");
    let mut p = rexpect::session::spawn_command(command, Some(30_000)).expect("the REPL starts");
    p.exp_string("vmsdbg> ").unwrap();
    let target = host.target("vmsadmin");
    p.send_line(&format!("session new box {target} --accept-new-host-key"))
        .unwrap();
    p.exp_string("password: ").unwrap();
    p.send_line("not-the-password").unwrap();
    p.exp_string("Permission denied, please try again.")
        .unwrap();
    p.exp_string("password: ").unwrap();
    p.send_line(host.var("VMSDBG_CI_VMSADMIN_PASSWORD"))
        .unwrap();
    p.exp_string("box: connected").unwrap();
    p.exp_string("box> ").unwrap();
    p.send_line("exit").unwrap();
    p.exp_eof().unwrap();
}

#[test]
#[ignore = "needs the CI host: bash .ci/run"]
fn a_missing_identity_file_is_a_warning_and_the_password_logs_in() {
    let host = CiHost::load();
    let run = host
        .oneshot("vmsadmin")
        .args([
            "-i",
            "/nonexistent/id_ed25519",
            "session",
            "info",
            "-o",
            "json",
        ])
        .run()
        .ok();
    assert_eq!(run.json()["auth"], "password");
    let warning = "warning: identity file /nonexistent/id_ed25519 not accessible: \
                   No such file or directory";
    assert!(run.stderr().contains(warning), "{}", run.stderr());
}

#[test]
#[ignore = "needs the CI host: bash .ci/run"]
fn an_encrypted_key_with_no_terminal_is_named_in_the_failure() {
    // vmsops logs in by key only; its key is encrypted and there is no
    // terminal to ask for the passphrase, and no password to fall back on.
    let host = CiHost::load();
    let key = host.var("VMSDBG_CI_VMSOPS_KEY");
    let run = host
        .oneshot("vmsops")
        .args(["-i", key, "status"])
        .run()
        .code_is(3);
    let err = run.stderr();
    assert!(err.contains("warning: identity file"), "{err}");
    let failure = err
        .lines()
        .find(|l| l.contains("authentication failed for vmsops@127.0.0.1"))
        .unwrap_or_else(|| panic!("no failure line in {err}"));
    assert!(failure.contains("is encrypted"), "{failure}");
    assert!(failure.contains("--password-env VAR"), "{failure}");
    for secret in host.secrets() {
        assert!(!err.contains(&secret), "a secret reached stderr");
    }
}
