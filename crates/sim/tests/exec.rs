//! Exec requests on the simulated host: built-ins, kubectl, the shell subset, streams
//! and exit statuses as OpenSSH delivers them.

mod common;

use common::{login, run};

#[tokio::test]
async fn streams_are_apart_and_end_like_openssh() {
    let host = common::demo_host().await;
    let ssh = login(&host, "admin").await;
    let r = run(&ssh, "echo out; echo err >&2; false").await;
    assert_eq!(r.out(), "out\n");
    assert_eq!(r.err(), "err\n");
    assert_eq!(r.code, Some(1));
    let tail: Vec<_> = r.events.iter().rev().take(3).rev().copied().collect();
    assert_eq!(tail, ["exit", "eof", "close"]);
}

#[tokio::test]
async fn unknown_commands_are_not_found() {
    let host = common::demo_host().await;
    let ssh = login(&host, "admin").await;
    let r = run(&ssh, "frobnicate --now").await;
    assert_eq!(r.err(), "sh: 1: frobnicate: not found\n");
    assert_eq!(r.code, Some(127));
}

#[tokio::test]
async fn kubectl_needs_root() {
    let host = common::demo_host().await;
    let admin = login(&host, "admin").await;
    let r = run(&admin, "kubectl get svc -A -o json").await;
    assert_eq!(r.code, Some(1));
    assert!(
        r.err()
            .starts_with("The connection to the server localhost:8080 was refused")
    );
    assert!(r.stdout.is_empty());

    let root = login(&host, "root").await;
    let r = run(&root, "kubectl get svc -A -o json").await;
    assert_eq!(r.code, Some(0), "{}", r.err());
    let list: serde_json::Value = serde_json::from_slice(&r.stdout).expect("json");
    assert_eq!(list["kind"], "List");
    let r = run(&root, "kubectl 'get' 'configmap' 'nope' '-n' 'acme'").await;
    assert_eq!(
        r.err(),
        "Error from server (NotFound): configmaps \"nope\" not found\n"
    );
}

#[tokio::test]
async fn shell_subset_quotes_lists_and_sh_c() {
    let host = common::demo_host().await;
    let ssh = login(&host, "admin").await;
    let r = run(
        &ssh,
        "printf '%s\\n' 'it'\\''s' \"a b\" && sh -c 'id -u; whoami' x || echo no",
    )
    .await;
    assert_eq!(r.out(), "it's\na b\n1000\nadmin\n");
    assert_eq!(r.code, Some(0));
    let r = run(&ssh, "echo '; touch /tmp/pwned #'").await;
    assert_eq!(r.out(), "; touch /tmp/pwned #\n");
    let r = run(&ssh, "echo 'unterminated").await;
    assert_eq!(r.code, Some(2));
    assert!(r.err().contains("Unterminated quoted string"));
    let r = run(&ssh, "sh -c 'exit 7'; echo after").await;
    assert_eq!((r.out().as_str(), r.code), ("after\n", Some(0)));
    let r = run(&ssh, "cat /nope 2>/dev/null").await;
    assert_eq!((r.stderr.len(), r.code), (0, Some(1)));
}

#[tokio::test]
async fn logs_are_root_only() {
    let host = common::demo_host().await;
    let path = "/var/log/versa/vms/vms-admin.log";
    let admin = login(&host, "admin").await;
    let r = run(&admin, &format!("cat {path}")).await;
    assert_eq!(r.err(), format!("cat: {path}: Permission denied\n"));
    let root = login(&host, "root").await;
    let r = run(&root, &format!("cat {path}")).await;
    assert!(r.out().contains("INFO vms-admin"));
}

#[tokio::test]
async fn sleep_ends_when_its_channel_closes() {
    let host = common::demo_host().await;
    host.faults().max_sessions(Some(1));
    let ssh = login(&host, "admin").await;
    let channel = ssh.channel_open_session().await.expect("open");
    channel.exec(true, "sleep 30").await.expect("exec");
    assert!(
        ssh.channel_open_session().await.is_err(),
        "the sleeping channel holds the only slot"
    );
    channel.close().await.expect("close");
    drop(channel);
    // The slot frees once the sleep is cancelled; it must not take the full 30 s.
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        if let Ok(ch) = ssh.channel_open_session().await {
            drop(ch);
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "sleep was not cancelled"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn pipes_feed_filters() {
    let host = common::demo_host().await;
    let root = login(&host, "root").await;
    let r = run(&root, "kubectl get pods -A | grep CrashLoopBackOff | wc -l").await;
    assert_eq!((r.out().as_str(), r.code), ("2\n", Some(0)), "{}", r.err());
    let r = run(
        &root,
        "kubectl get pods -A | grep -c NoSuchPod || echo none",
    )
    .await;
    assert_eq!(r.out(), "0\nnone\n");
    let log = "/var/log/versa/vms/vms-admin.log";
    let r = run(&root, &format!("tail -n 2 {log} | head -n 1")).await;
    assert!(r.out().contains("request 38 handled"), "{}", r.out());
    let admin = login(&host, "admin").await;
    let r = run(&admin, &format!("grep ERROR {log}")).await;
    assert_eq!(r.err(), format!("grep: {log}: Permission denied\n"));
    assert_eq!(r.code, Some(2));
}
