//! Each fault, switched on at runtime, changes what a client sees; switched off, the
//! host is healthy again.

mod common;

use std::time::{Duration, Instant};

use common::{login, run};
use russh::ChannelOpenFailure;
use vmsdbg_sim::DEMO_PASSWORD;

#[tokio::test]
async fn latency_delays_every_command() {
    let host = common::demo_host().await;
    let ssh = login(&host, "admin").await;
    host.faults().set_latency(Duration::from_millis(400));
    let started = Instant::now();
    assert_eq!(run(&ssh, "true").await.code, Some(0));
    assert!(started.elapsed() >= Duration::from_millis(400));
    host.faults().clear();
    let started = Instant::now();
    run(&ssh, "true").await;
    assert!(started.elapsed() < Duration::from_millis(400));
}

#[tokio::test]
async fn drop_cuts_the_connection_mid_command() {
    let host = common::demo_host().await;
    host.faults().drop_connection_on(Some("get pods"));
    let root = login(&host, "root").await;
    assert_eq!(run(&root, "kubectl get svc -A -o name").await.code, Some(0));
    let r = run(&root, "kubectl get pods -A -o json").await;
    assert_eq!(r.code, None, "no exit status from a dropped connection");
    assert!(!r.events.contains(&"exit"));
    tokio::time::timeout(Duration::from_secs(5), async {
        while !root.is_closed() {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .expect("the client notices the dead connection");

    host.faults().drop_connection_on(None);
    let again = login(&host, "root").await;
    assert_eq!(
        run(&again, "kubectl get pods -A -o name").await.code,
        Some(0)
    );
}

#[tokio::test]
async fn stall_never_answers_but_other_commands_do() {
    let host = common::demo_host().await;
    host.faults().stall_on(Some("get svc"));
    let root = login(&host, "root").await;
    let mut channel = root.channel_open_session().await.expect("open");
    channel
        .exec(true, "kubectl get svc -A")
        .await
        .expect("exec");
    // sshd accepts the exec request, then the command never produces anything.
    let waited = tokio::time::timeout(Duration::from_millis(500), async {
        loop {
            match channel.wait().await {
                Some(russh::ChannelMsg::Success) => continue,
                other => return other,
            }
        }
    })
    .await;
    assert!(
        waited.is_err(),
        "a stalled channel says nothing: {waited:?}"
    );
    assert_eq!(run(&root, "echo alive").await.out(), "alive\n");
}

#[tokio::test]
async fn forwarding_refused_like_allow_tcp_forwarding_no() {
    let host = common::demo_host().await;
    let ssh = login(&host, "admin").await;
    let elsewhere = ssh
        .channel_open_direct_tcpip("127.0.0.1", 1, "127.0.0.1", 40000)
        .await;
    let err = elsewhere.expect_err("nothing listens there");
    assert!(
        matches!(
            err,
            russh::Error::ChannelOpenFailure(ChannelOpenFailure::ConnectFailed)
        ),
        "{err:?}"
    );

    host.faults().refuse_forwarding(true);
    let redis = ssh
        .channel_open_direct_tcpip("127.10.0.11", 6379, "127.0.0.1", 40000)
        .await;
    let err = redis.expect_err("forwarding is off");
    let prohibited =
        russh::Error::ChannelOpenFailure(ChannelOpenFailure::AdministrativelyProhibited);
    assert!(
        matches!(err, ref e if e.to_string() == prohibited.to_string()),
        "{err:?}"
    );
}

#[tokio::test]
async fn forced_requiretty_applies_to_every_user() {
    let host = common::demo_host().await;
    let ops = login(&host, "ops").await;
    host.faults().force_requiretty(true);
    let r = run(&ops, "sudo -n true").await;
    assert_eq!(r.err(), "sudo: sorry, you must have a tty to run sudo\n");
    host.faults().force_requiretty(false);
    assert_eq!(run(&ops, "sudo -n true").await.code, Some(0));
}

#[tokio::test]
async fn rejected_auth_refuses_even_the_right_password() {
    let host = common::demo_host().await;
    host.faults().reject_auth(true);
    let (mut ssh, _) = common::connect(&host).await;
    assert!(
        !ssh.authenticate_password("admin", DEMO_PASSWORD)
            .await
            .expect("runs")
            .success()
    );
    host.faults().reject_auth(false);
    assert!(
        ssh.authenticate_password("admin", DEMO_PASSWORD)
            .await
            .expect("runs")
            .success()
    );
}

#[tokio::test]
async fn rotated_host_key_greets_the_next_connection() {
    let host = common::demo_host().await;
    let (_first, first_key) = common::connect(&host).await;
    let before = first_key.lock().expect("lock").clone().expect("key seen");
    assert_eq!(before, host.public_key());
    let rotated = host.faults().rotate_host_key();
    let (_second, second_key) = common::connect(&host).await;
    let after = second_key.lock().expect("lock").clone().expect("key seen");
    assert_ne!(before, after);
    assert_eq!(after, rotated);
}

#[tokio::test]
async fn session_channel_limit_refuses_extra_channels() {
    let host = common::demo_host().await;
    host.faults().max_sessions(Some(2));
    let ssh = login(&host, "admin").await;
    let a = ssh.channel_open_session().await.expect("first");
    let b = ssh.channel_open_session().await.expect("second");
    let err = ssh
        .channel_open_session()
        .await
        .expect_err("third is over the limit");
    assert!(
        matches!(
            err,
            russh::Error::ChannelOpenFailure(ChannelOpenFailure::AdministrativelyProhibited)
        ),
        "{err:?}"
    );
    a.exec(true, "true").await.expect("exec");
    let mut a = a;
    while a.wait().await.is_some() {}
    drop(b);
    let deadline = Instant::now() + Duration::from_secs(5);
    while ssh.channel_open_session().await.is_err() {
        assert!(
            Instant::now() < deadline,
            "a finished channel frees its slot"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn shutdown_cuts_live_connections() {
    let host = common::demo_host().await;
    let ssh = login(&host, "admin").await;
    let addr = host.addr();
    host.shutdown().await;
    tokio::time::timeout(Duration::from_secs(5), async {
        while !ssh.is_closed() {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .expect("connection closed by shutdown");
    assert!(
        tokio::net::TcpStream::connect(addr).await.is_err(),
        "listener closed"
    );
}
