//! Where the simulated host meets the Redis side: `redis-cli` on the exec path and the
//! tenant lookup for `direct-tcpip` to a Redis cluster IP.
//!
//! The RESP responder and the `redis-cli --no-raw` renderer live in `resp` and
//! `redis_data`; until they are part of this crate, `redis-cli` is "not found" and
//! forwarding to a Redis address is refused as a closed port would be.

use crate::output::Output;
use crate::world::World;

/// `redis-cli ARGS` on the host.
pub(crate) fn redis_cli(_world: &World, _args: &[String]) -> Output {
    Output::fail(127, "sh: 1: redis-cli: not found\n")
}

/// The tenant namespace whose Redis listens on `host:port`, if any.
pub(crate) fn redis_tenant(world: &World, host: &str, port: u32) -> Option<String> {
    let port = u16::try_from(port).ok()?;
    world
        .redis_service_at(host, port)
        .map(|svc| svc.namespace.clone())
}

/// Connects an accepted-or-refused `direct-tcpip` open to the tenant's Redis.
pub(crate) async fn open(
    _channel: russh::Channel<russh::server::Msg>,
    reply: russh::server::ChannelOpenHandle,
    _world: &World,
    _tenant: &str,
) {
    reply.reject(russh::ChannelOpenFailure::ConnectFailed).await;
}
