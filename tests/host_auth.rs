//! Logging in to the CI host's OpenSSH server as a new user would: host-key
//! messages that name port 2222.

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
