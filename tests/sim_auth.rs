//! Logging in as a new user meets it, against the simulated VMS: host-key
//! messages that name the port, a wrong password typed at the prompt asked
//! for again (and one from the environment tried once), identity files that
//! cannot be used warned about and skipped, and failures that say how to
//! give a secret.

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
    for round in 0..2 {
        p.exp_string("password: ").unwrap();
        p.send_line(&format!("wrong-{round}")).unwrap();
    }
    // The third answer, and a password typed ahead in the same breath: it is
    // dropped with the failure instead of running as a command.
    p.exp_string("password: ").unwrap();
    p.send("wrong-2\ntyped-ahead-secret\n").unwrap();
    p.exp_string("authentication failed for ops@127.0.0.1")
        .unwrap();
    p.exp_string("vmsdbg> ").unwrap();
    p.send_line("exit").unwrap();
    let rest = p.exp_eof().unwrap();
    assert!(!rest.contains("typed-ahead-secret"), "{rest}");
    let kept = history(&cmd);
    assert!(!kept.contains("typed-ahead-secret"), "{kept}");
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

#[test]
fn a_missing_identity_file_is_a_warning_and_the_password_logs_in() {
    let sim = Sim::demo();
    let run = sim
        .oneshot("ops")
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
                   No such file or directory; trying other methods";
    assert!(run.stderr().contains(warning), "{}", run.stderr());
}

#[test]
fn a_missing_identity_file_from_a_profile_is_a_warning_too() {
    let sim = Sim::demo();
    let cmd = sim.vmsdbg();
    let config = format!(
        "[profiles.box]\nhost = \"127.0.0.1\"\nport = {}\nuser = \"ops\"\n\
         identity = \"/nonexistent/profile_key\"\npassword_env = \"{PASSWORD_VAR}\"\n",
        sim.port()
    );
    std::fs::create_dir_all(cmd.path("config")).unwrap();
    std::fs::write(cmd.path("config").join("config.toml"), config).unwrap();
    let run = cmd.stdin("session new box\nexec echo in\n").run().ok();
    assert!(run.stdout().contains("in\n"), "{}", run.stdout());
    assert!(
        run.stderr()
            .contains("identity file /nonexistent/profile_key not accessible"),
        "{}",
        run.stderr()
    );
}

#[test]
fn the_failure_names_the_identity_file_that_could_not_be_used() {
    let sim = Sim::demo();
    let run = sim
        .vmsdbg()
        .env("WRONG", "not-the-password")
        .args(["--host", &sim.target("ops"), "--password-env", "WRONG"])
        .args(["-i", "/nonexistent/id_ed25519", "exec", "true"])
        .run()
        .code_is(3);
    let failure = run
        .stderr()
        .lines()
        .find(|l| l.contains("authentication failed for ops@127.0.0.1"))
        .map(str::to_string)
        .unwrap_or_else(|| panic!("no failure line in {}", run.stderr()));
    assert!(
        failure.contains("identity file /nonexistent/id_ed25519 not accessible"),
        "{failure}"
    );
}

/// A new ed25519 key at `path`, encrypted with `passphrase`.
fn encrypted_key(path: &std::path::Path, passphrase: &str) {
    let made = std::process::Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", passphrase, "-f"])
        .arg(path)
        .output()
        .expect("ssh-keygen is installed (openssh-client)");
    assert!(made.status.success(), "{made:?}");
}

#[test]
fn an_encrypted_key_with_no_terminal_is_skipped_for_the_password() {
    let sim = Sim::demo();
    let cmd = sim.vmsdbg();
    let key = cmd.path("id_encrypted");
    encrypted_key(&key, "a-passphrase");
    let key = key.to_str().unwrap().to_string();

    let run = cmd
        .args(["--host", &sim.target("ops"), "--password-env", PASSWORD_VAR])
        .args(["-i", &key, "session", "info", "-o", "json"])
        .run()
        .ok();
    assert_eq!(run.json()["auth"], "password");
    assert!(
        run.stderr()
            .contains("is encrypted and there is no terminal to ask for its passphrase"),
        "{}",
        run.stderr()
    );
}

#[test]
fn no_terminal_and_no_password_says_how_to_give_one() {
    let sim = Sim::demo();
    let run = sim
        .vmsdbg()
        .args(["--host", &sim.target("ops"), "exec", "true"])
        .run()
        .code_is(3);
    let err = run.stderr();
    assert!(err.contains("(tried: nothing to offer;"), "{err}");
    assert!(
        err.contains("give -i KEY, --password-env VAR or --password-file FILE"),
        "{err}"
    );
}

#[test]
fn a_wrong_passphrase_at_the_prompt_is_asked_again() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("id_encrypted");
    encrypted_key(&key, "right-phrase");
    let public = std::fs::read_to_string(key.with_extension("pub")).unwrap();
    let public = russh::keys::PublicKey::from_openssh(&public).expect("a public key");

    let mut config = vmsdbg_sim::SimConfig::demo();
    config.users.push(vmsdbg_sim::SimUser {
        name: "keyed".into(),
        authorized_keys: vec![public],
        sudo: vmsdbg_sim::SudoPolicy::NoPasswd,
        ..vmsdbg_sim::SimUser::default()
    });
    let sim = Sim::start(config);
    let cmd = sim.vmsdbg();
    let mut p = repl(&cmd);
    p.exp_string("vmsdbg> ").unwrap();
    let key = key.to_str().unwrap();
    p.send_line(&format!("session new box {} -i {key}", sim.target("keyed")))
        .unwrap();
    p.exp_string("Enter passphrase for key").unwrap();
    p.send_line("wrong-phrase").unwrap();
    p.exp_string("Wrong passphrase, try again.").unwrap();
    p.exp_string("Enter passphrase for key").unwrap();
    p.send_line("right-phrase").unwrap();
    p.exp_string("box: connected").unwrap();
    p.exp_string("(publickey)").unwrap();
    p.send_line("exit").unwrap();
    p.exp_eof().unwrap();
}
