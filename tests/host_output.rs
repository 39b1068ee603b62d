//! `-o json` for `exec` against the CI's real OpenSSH sshd, sudo and `sh`: the two
//! streams apart, bytes that are not UTF-8 kept exactly, the remote status in the
//! document and in vmsdbg's own exit status. Ignored by a plain `cargo test`;
//! `.ci/run` runs it with `--include-ignored`.

mod common;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use common::CiHost;

#[test]
#[ignore = "needs the CI host: bash .ci/run"]
fn exec_json_holds_both_streams_exact_bytes_and_the_status() {
    let host = CiHost::load();
    let command = r"printf 'a\377\n'; printf 'oops\n' >&2; id -u; exit 3";
    let run = host
        .oneshot("vmsadmin")
        .args(["-o", "json", "exec", command])
        .run()
        .code_is(3);
    let doc = run.json();
    // `id -u` shows the command ran elevated, as exec without -o json does.
    assert_eq!(doc["stdout"], "a\u{fffd}\n0\n", "{doc}");
    assert_eq!(doc["stdout_base64"], BASE64.encode(b"a\xff\n0\n"));
    assert_eq!(doc["stderr"], "oops\n");
    assert!(doc.get("stderr_base64").is_none(), "{doc}");
    assert_eq!(doc["exit"], 3);
    assert_eq!(doc["signal"], serde_json::Value::Null);

    let ok = host
        .oneshot("vmsadmin")
        .args(["-o", "json", "exec", "echo fine"])
        .run()
        .ok();
    assert_eq!(ok.json()["stdout"], "fine\n");
    assert_eq!(ok.json()["exit"], 0);
}
