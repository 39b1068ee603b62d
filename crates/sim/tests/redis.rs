//! Tenant Redis through the simulated host: `direct-tcpip` to the cluster IP reaches
//! the RESP responder, and `redis-cli --no-raw` runs on the exec path.

mod common;

use russh::ChannelOpenFailure;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

async fn resp_roundtrip(
    stream: &mut (impl AsyncReadExt + AsyncWriteExt + Unpin),
    request: &[u8],
    want: &[u8],
) {
    stream.write_all(request).await.expect("write");
    let mut got = vec![0; want.len()];
    stream.read_exact(&mut got).await.expect("read");
    assert_eq!(String::from_utf8_lossy(&got), String::from_utf8_lossy(want));
}

#[tokio::test]
async fn direct_tcpip_to_a_cluster_ip_speaks_resp() {
    let host = common::demo_host().await;
    let ssh = common::login(&host, "admin").await;
    let channel = ssh
        .channel_open_direct_tcpip("127.10.0.11", 6379, "127.0.0.1", 40000)
        .await
        .expect("open");
    let mut stream = channel.into_stream();
    resp_roundtrip(&mut stream, b"*1\r\n$4\r\nPING\r\n", b"+PONG\r\n").await;
    let get = b"*2\r\n$3\r\nGET\r\n$13\r\nacme:greeting\r\n";
    resp_roundtrip(&mut stream, get, b"$15\r\nhello from acme\r\n").await;
}

#[tokio::test]
async fn headless_and_unknown_addresses_refuse_like_a_closed_port() {
    let host = common::demo_host().await;
    let ssh = common::login(&host, "admin").await;
    for (ip, port) in [("None", 6379), ("127.10.0.11", 6380), ("127.10.9.9", 6379)] {
        let err = ssh
            .channel_open_direct_tcpip(ip, port, "127.0.0.1", 40000)
            .await
            .expect_err("refused");
        let want = russh::Error::ChannelOpenFailure(ChannelOpenFailure::ConnectFailed);
        assert_eq!(err.to_string(), want.to_string(), "{ip}:{port}");
    }
}

#[tokio::test]
async fn redis_cli_runs_on_the_host() {
    let host = common::demo_host().await;
    let ssh = common::login(&host, "admin").await;
    let r = common::run(
        &ssh,
        "redis-cli --no-raw -h 127.10.0.12 -p 6379 GET globex:greeting",
    )
    .await;
    assert_eq!(
        (r.out().as_str(), r.code),
        ("\"hello from globex\"\n", Some(0))
    );
    let script = common::Script {
        eof_after_answers: true,
        ..common::Script::default()
    };
    let r = common::drive(&ssh, "redis-cli --no-raw -h 127.10.0.12", script).await;
    assert_eq!(r.code, Some(0), "stdin mode ends at EOF: {}", r.err());
    let r = common::run(&ssh, "redis-cli -h 127.10.9.9 PING").await;
    assert_eq!(r.code, Some(1));
    assert!(
        r.err()
            .starts_with("Could not connect to Redis at 127.10.9.9:6379")
    );
}
