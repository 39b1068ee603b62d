//! Where the simulated host meets the Redis side: `redis-cli` on the exec path and
//! `direct-tcpip` to a tenant's Redis cluster IP, both answered from the tenant's
//! [`RedisDb`] by the shared command code in [`crate::redis_data`] and [`crate::resp`].

use std::collections::BTreeMap;
use std::sync::Arc;

use russh::ChannelOpenFailure;
use russh::server::{ChannelOpenHandle, Msg};

use crate::output::Output;
use crate::redis_data::{RedisDb, redis_cli_address, redis_cli_noraw, redis_cli_unreachable};
use crate::world::World;

/// A world's Redis databases, each behind an `Arc` so connections share them.
#[derive(Debug, Default)]
pub(crate) struct RedisDbs {
    by_tenant: BTreeMap<String, Arc<RedisDb>>,
}

impl RedisDbs {
    /// Takes every tenant's database out of `world` once, at host start.
    pub(crate) fn from_world(world: &World) -> RedisDbs {
        let by_tenant = world
            .redis
            .iter()
            .map(|(t, db)| (t.clone(), Arc::new(db.clone())));
        RedisDbs {
            by_tenant: by_tenant.collect(),
        }
    }

    /// The database behind `host:port`: the tenant whose Redis service has that
    /// cluster IP and port. A tenant without data has an empty Redis.
    pub(crate) fn at(&self, world: &World, host: &str, port: u32) -> Option<Arc<RedisDb>> {
        let port = u16::try_from(port).ok()?;
        let tenant = &world.redis_service_at(host, port)?.namespace;
        Some(self.by_tenant.get(tenant).cloned().unwrap_or_default())
    }
}

/// Whether a redis-cli argv names a command (else redis-cli reads commands from stdin).
pub(crate) fn redis_cli_has_command(args: &[String]) -> bool {
    const TAKES_VALUE: &[&str] = &["-h", "-p", "-a", "--pass", "--user", "-n", "-u"];
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        if TAKES_VALUE.contains(&arg.as_str()) {
            rest.next();
        } else if !arg.starts_with('-') {
            return true;
        }
    }
    false
}

/// `redis-cli ARGS` on the host, with `stdin` as its input.
pub(crate) fn redis_cli(world: &World, dbs: &RedisDbs, args: &[String], stdin: &[u8]) -> Output {
    let (host, port) = redis_cli_address(args);
    let (stdout, stderr, code) = match dbs.at(world, &host, u32::from(port)) {
        Some(db) => redis_cli_noraw(&db, args, stdin),
        None => redis_cli_unreachable(args, stdin),
    };
    Output {
        stdout,
        stderr,
        code: u32::try_from(code).unwrap_or(1),
    }
}

/// Answers a `direct-tcpip` open to a Redis address: accepted, and the channel is
/// served by the RESP responder until either side closes it.
pub(crate) async fn open(
    channel: russh::Channel<Msg>,
    reply: ChannelOpenHandle,
    db: Option<Arc<RedisDb>>,
) {
    let Some(db) = db else {
        // OpenSSH answers "connect failed" when nothing listens at the address.
        reply.reject(ChannelOpenFailure::ConnectFailed).await;
        return;
    };
    reply.accept().await;
    tokio::spawn(async move {
        if let Err(err) = crate::resp::serve(channel.into_stream(), db).await {
            tracing::debug!(%err, "redis channel ended");
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn tells_one_shot_from_stdin_mode() {
        assert!(redis_cli_has_command(&args(&[
            "--no-raw",
            "-h",
            "127.10.0.11",
            "-p",
            "6379",
            "GET",
            "k"
        ])));
        assert!(!redis_cli_has_command(&args(&[
            "--no-raw",
            "-h",
            "127.10.0.11",
            "-a",
            "pw"
        ])));
    }

    #[test]
    fn redis_cli_reaches_the_tenant_at_its_cluster_ip() {
        let world = World::builtin_at(1_750_000_000);
        let dbs = RedisDbs::from_world(&world);
        let out = redis_cli(
            &world,
            &dbs,
            &args(&["--no-raw", "-h", "127.10.0.11", "GET", "acme:greeting"]),
            b"",
        );
        assert_eq!(out.stdout_text(), "\"hello from acme\"\n");
        let nowhere = redis_cli(&world, &dbs, &args(&["-h", "127.10.9.9", "PING"]), b"");
        assert_eq!(nowhere.code, 1);
        assert!(
            nowhere
                .stderr_text()
                .contains("Could not connect to Redis at 127.10.9.9:6379")
        );
    }
}
