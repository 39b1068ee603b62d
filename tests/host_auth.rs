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
