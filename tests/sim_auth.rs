//! Logging in as a new user meets it, against the simulated VMS: host-key
//! messages that name the port.

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
