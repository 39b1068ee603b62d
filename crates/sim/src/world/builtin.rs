//! The built-in world: a dozen tenants with every edge case the client must handle,
//! the platform namespaces that have no Redis, and the system namespaces.
//!
//! Timestamps are relative to an anchor instant so ages look like a live cluster's;
//! [`World::builtin`] anchors at the current hour, [`World::builtin_at`] at a fixed time
//! for tests. Variant 1 ([`World::builtin_variant`]) is a second, different world for a
//! second CI user.

use super::World;
use super::builder::{Clock, ConfigShape, HOUR, RedisShape, TenantSpec, Trouble, add_tenant};
use super::builtin_logs::add_edge_logs;
use super::platform::{add_logs, add_platform, add_spare_volumes};
use super::rng::Rng;
use crate::clock::now_unix;
use crate::redis_data::{RedisDb, sample_db};

/// Tenants of the built-in world: name, Redis exposure, config shape, web node ports,
/// trouble.
fn builtin_tenants() -> Vec<TenantSpec> {
    let ip = |n: u8| format!("127.10.0.{n}");
    let calm = Trouble::default();
    let crash = Trouble {
        crash_loop: true,
        ..calm
    };
    let pending = Trouble {
        pending: true,
        completed_job: true,
        ..calm
    };
    let spec = |name: &str, days, redis, config, web, trouble| TenantSpec {
        name: name.to_string(),
        age_days: days,
        redis,
        config,
        web_node_ports: web,
        trouble,
    };
    vec![
        spec(
            "acme",
            412,
            RedisShape::ClusterIp(ip(11)),
            ConfigShape::Json,
            Some((31234, 31443)),
            calm,
        ),
        spec(
            "globex",
            380,
            RedisShape::LoadBalancer(ip(12), Some("203.0.113.12".into())),
            ConfigShape::Json,
            None,
            crash,
        ),
        spec(
            "initech",
            301,
            RedisShape::LoadBalancer(ip(13), None),
            ConfigShape::NotJson,
            None,
            calm,
        ),
        spec(
            "umbrella",
            265,
            RedisShape::HeadlessBeside(ip(14)),
            ConfigShape::Json,
            Some((31235, 31444)),
            pending,
        ),
        spec(
            "hooli",
            240,
            RedisShape::ClusterIp(ip(15)),
            ConfigShape::NoConfigKey,
            None,
            calm,
        ),
        spec(
            "pied-piper",
            199,
            RedisShape::ClusterIp(ip(16)),
            ConfigShape::WithBinary,
            None,
            crash,
        ),
        spec(
            "soylent",
            150,
            RedisShape::HeadlessOnly,
            ConfigShape::Json,
            None,
            calm,
        ),
        spec(
            "stark-industries",
            120,
            RedisShape::ClusterIp(ip(18)),
            ConfigShape::Json,
            Some((31236, 31445)),
            calm,
        ),
        spec(
            "tyrell",
            77,
            RedisShape::ClusterIp(ip(19)),
            ConfigShape::Json,
            None,
            pending,
        ),
        spec(
            "wayne-enterprises",
            41,
            RedisShape::ClusterIp(ip(20)),
            ConfigShape::Json,
            None,
            calm,
        ),
        spec(
            "wonka",
            6,
            RedisShape::ClusterIp(ip(21)),
            ConfigShape::Json,
            None,
            calm,
        ),
        spec(
            "cyberdyne",
            0,
            RedisShape::ClusterIp(ip(22)),
            ConfigShape::Json,
            None,
            pending,
        ),
    ]
}

impl World {
    /// The built-in world, anchored at the start of the current hour.
    pub fn builtin() -> World {
        World::builtin_at(now_unix() / HOUR * HOUR)
    }

    /// The built-in world with every timestamp relative to `now` (Unix seconds).
    pub fn builtin_at(now: i64) -> World {
        World::builtin_variant(0, now)
    }

    /// Variant 0 is the built-in world; variant 1 keeps only the second half of its
    /// tenants, adds two of its own and moves their Redis to `127.10.1.x`, so two CI
    /// users see worlds that differ in tenants and Redis addresses.
    pub fn builtin_variant(variant: u32, now: i64) -> World {
        let clock = Clock { now };
        let mut tenants = builtin_tenants();
        if variant % 2 == 1 {
            tenants = variant_tenants(tenants);
        }
        let mut world = World::default();
        add_platform(&mut world, clock);
        let mut rng = Rng::new(0x5eed_0000 + u64::from(variant));
        for (index, spec) in tenants.iter().enumerate() {
            add_tenant(&mut world, spec, index, clock, &mut rng);
            if !matches!(spec.redis, RedisShape::HeadlessOnly) {
                world
                    .redis
                    .insert(spec.name.clone(), tenant_redis(&spec.name, index == 0));
            }
        }
        add_spare_volumes(&mut world, clock);
        add_logs(&mut world, clock);
        add_edge_logs(&mut world, clock);
        world
    }
}

/// A tenant's Redis: every type and every hostile key name; only the first tenant keeps
/// the 1 MiB value, so world files stay small enough to load on every kubectl call.
fn tenant_redis(tenant: &str, with_blob: bool) -> RedisDb {
    let mut db = sample_db(tenant);
    if !with_blob {
        db.entries.remove(format!("{tenant}:blob:1mib").as_bytes());
    }
    db
}

fn variant_tenants(tenants: Vec<TenantSpec>) -> Vec<TenantSpec> {
    let half = tenants.len() / 2;
    let mut kept: Vec<TenantSpec> = tenants.into_iter().skip(half).collect();
    for (i, spec) in kept.iter_mut().enumerate() {
        if let RedisShape::ClusterIp(ip) = &mut spec.redis {
            *ip = format!("127.10.1.{}", 11 + i);
        }
    }
    for (i, name) in ["zenith", "orbital"].into_iter().enumerate() {
        kept.push(TenantSpec {
            name: name.to_string(),
            age_days: 3 + i as i64,
            redis: RedisShape::ClusterIp(format!("127.10.1.{}", 40 + i)),
            config: ConfigShape::Json,
            web_node_ports: None,
            trouble: Trouble::default(),
        });
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::ServiceType;

    fn world() -> World {
        World::builtin_at(1_750_000_000)
    }

    #[test]
    fn has_every_namespace_class() {
        let world = world();
        for ns in [
            "kube-system",
            "default",
            "ingress-nginx",
            "message-server",
            "acme",
        ] {
            assert!(world.has_namespace(ns), "{ns}");
        }
        assert_eq!(world.namespaces.len(), 7 + 12);
        let with_ca = world
            .configmaps
            .iter()
            .filter(|c| c.name == "kube-root-ca.crt")
            .count();
        assert_eq!(with_ca, world.namespaces.len());
    }

    #[test]
    fn has_the_redis_edge_cases() {
        let world = world();
        let redis: Vec<_> = world
            .services
            .iter()
            .filter(|s| s.name.contains("redis"))
            .collect();
        assert!(redis.iter().any(|s| s.cluster_ip == "None"));
        let lbs: Vec<_> = redis
            .iter()
            .filter(|s| s.kind == ServiceType::LoadBalancer)
            .collect();
        assert!(lbs.iter().any(|s| s.load_balancer_ingress.is_empty()));
        assert!(lbs.iter().any(|s| !s.load_balancer_ingress.is_empty()));
        assert_eq!(
            world
                .redis_service_at("127.10.0.11", 6379)
                .map(|s| s.namespace.as_str()),
            Some("acme")
        );
        assert!(world.redis_service_at("127.10.0.11", 6380).is_none());
    }

    #[test]
    fn variant_one_differs() {
        let other = World::builtin_variant(1, 1_750_000_000);
        assert!(!other.has_namespace("acme"));
        assert!(other.has_namespace("zenith"));
        assert!(other.redis_service_at("127.10.1.12", 6379).is_some());
    }
}
