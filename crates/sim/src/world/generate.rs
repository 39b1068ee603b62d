//! A deterministic generator of large worlds for benchmarks: the same `(tenants, seed)`
//! gives the same world, byte for byte, on every machine.

use super::World;
use super::builder::{Clock, ConfigShape, RedisShape, TenantSpec, Trouble, add_tenant};
use super::rng::Rng;
use crate::redis_data::bulk_db;

const FIRST: &[&str] = &[
    "acme", "apex", "aurora", "blue", "cedar", "delta", "echo", "ember", "falcon", "granite",
    "harbor", "iris", "juniper", "kestrel", "lumen", "maple", "nova", "onyx", "pioneer", "quartz",
    "river", "summit", "terra", "umber", "vertex", "willow", "zephyr",
];
const SECOND: &[&str] = &[
    "bank",
    "cloud",
    "corp",
    "energy",
    "foods",
    "health",
    "labs",
    "logistics",
    "media",
    "motors",
    "networks",
    "retail",
    "systems",
    "telecom",
    "travel",
];

/// Keys in each generated tenant's Redis.
const KEYS_PER_TENANT: usize = 40;

impl World {
    /// A world with the built-in platform and system namespaces plus `tenants`
    /// generated tenants, timestamps relative to a fixed instant so output is stable.
    pub fn generate(tenants: usize, seed: u64) -> World {
        World::generate_at(tenants, seed, 1_767_225_600)
    }

    /// Like [`World::generate`], with timestamps relative to `now` (Unix seconds).
    pub fn generate_at(tenants: usize, seed: u64, now: i64) -> World {
        let clock = Clock { now };
        let mut world = World::builtin_variant(0, now);
        world.retain_platform();
        let mut rng = Rng::new(seed);
        for index in 0..tenants {
            let spec = generated_tenant(index, &mut rng);
            add_tenant(&mut world, &spec, index, clock, &mut rng);
            if !matches!(spec.redis, RedisShape::HeadlessOnly) {
                world
                    .redis
                    .insert(spec.name.clone(), bulk_db(KEYS_PER_TENANT));
            }
        }
        world
    }

    /// Drops every tenant object, keeping system and platform namespaces and the logs.
    fn retain_platform(&mut self) {
        const KEEP: &[&str] = &[
            "default",
            "kube-node-lease",
            "kube-public",
            "kube-system",
            "ingress-nginx",
            "metallb-system",
            "message-server",
        ];
        let keep = |ns: &str| KEEP.contains(&ns);
        self.namespaces.retain(|n| keep(&n.name));
        self.services.retain(|s| keep(&s.namespace));
        self.configmaps.retain(|c| keep(&c.namespace));
        self.pods.retain(|p| keep(&p.namespace));
        self.persistent_volume_claims.retain(|c| keep(&c.namespace));
        let claimed_by_platform = |claim: &Option<String>| {
            claim
                .as_deref()
                .is_none_or(|c| keep(c.split('/').next().unwrap_or("")))
        };
        self.persistent_volumes
            .retain(|v| claimed_by_platform(&v.claim));
        self.redis.clear();
    }
}

/// The `index`th tenant: a unique DNS-label name and a mix of edge cases.
fn generated_tenant(index: usize, rng: &mut Rng) -> TenantSpec {
    let first = FIRST[rng.below(FIRST.len() as u64) as usize];
    let second = SECOND[rng.below(SECOND.len() as u64) as usize];
    let name = format!("{first}-{second}-{index:04}");
    let ip = format!("127.10.{}.{}", 2 + index / 250, 1 + index % 250);

    let redis = match index % 37 {
        5 => RedisShape::HeadlessBeside(ip),
        11 => RedisShape::LoadBalancer(ip, None),
        19 => RedisShape::LoadBalancer(ip, Some(format!("203.0.113.{}", index % 250))),
        29 => RedisShape::HeadlessOnly,
        _ => RedisShape::ClusterIp(ip),
    };
    let config = match index % 23 {
        3 => ConfigShape::NotJson,
        7 => ConfigShape::NoConfigKey,
        13 => ConfigShape::WithBinary,
        _ => ConfigShape::Json,
    };
    let trouble = Trouble {
        crash_loop: rng.below(12) == 0,
        pending: rng.below(20) == 0,
        completed_job: rng.below(4) == 0,
    };
    let web_node_ports = index.is_multiple_of(5).then(|| {
        let base = 30000 + (index % 1300) as u16 * 2;
        (base, base + 1)
    });

    TenantSpec {
        name,
        age_days: 1 + rng.below(700) as i64,
        redis,
        config,
        web_node_ports,
        trouble,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_world_other_seed_other_world() {
        let a = World::generate(40, 7);
        assert_eq!(a, World::generate(40, 7));
        assert_ne!(a.to_json(), World::generate(40, 8).to_json());
    }

    #[test]
    fn five_hundred_tenants_have_unique_names_and_redis_ips() {
        let world = World::generate(500, 1);
        let tenants: Vec<_> = world
            .namespaces
            .iter()
            .filter(|n| n.name.ends_with(|c: char| c.is_ascii_digit()))
            .collect();
        assert_eq!(tenants.len(), 500);
        let mut ips: Vec<_> = world
            .services
            .iter()
            .filter(|s| s.name.contains("redis") && s.cluster_ip != "None")
            .map(|s| s.cluster_ip.clone())
            .collect();
        let count = ips.len();
        ips.sort();
        ips.dedup();
        assert_eq!(ips.len(), count);
        assert!(count > 450, "{count}");
    }
}
