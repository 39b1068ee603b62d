//! Building blocks shared by the built-in world and the generator: one tenant's
//! services, ConfigMaps, pods and volumes from a short description, and the
//! `kube-root-ca.crt` every namespace has.

use base64::Engine as _;
use serde_json::json;

use super::rng::{Rng, fake_ca_pem, fake_uid};
use super::{
    ConfigMap, Namespace, PersistentVolume, PersistentVolumeClaim, Pod, Service, ServicePort,
    ServiceType, World,
};
use crate::clock::format_rfc3339;

/// Timestamps relative to the world's "now".
#[derive(Clone, Copy)]
pub(crate) struct Clock {
    pub(crate) now: i64,
}

impl Clock {
    /// The RFC 3339 instant `secs` seconds before now.
    pub(crate) fn ago(self, secs: i64) -> String {
        format_rfc3339(self.now - secs)
    }
}

pub(crate) const DAY: i64 = 86_400;
pub(crate) const HOUR: i64 = 3_600;

/// How a tenant's Redis is exposed.
#[derive(Clone)]
pub(crate) enum RedisShape {
    /// A ClusterIP service on this IP.
    ClusterIp(String),
    /// A LoadBalancer on this cluster IP, with an external IP or `<pending>`.
    LoadBalancer(String, Option<String>),
    /// A headless service next to a real ClusterIP one (the headless must be skipped).
    HeadlessBeside(String),
    /// Only a headless service: the tenant has no usable Redis.
    HeadlessOnly,
}

/// What the tenant's main ConfigMap holds.
#[derive(Clone, Copy, PartialEq)]
pub(crate) enum ConfigShape {
    /// A `config` key with nested JSON and escaped quotes.
    Json,
    /// A `config` key that is not JSON.
    NotJson,
    /// No `config` key at all.
    NoConfigKey,
    /// A JSON `config` plus binaryData.
    WithBinary,
}

/// Unhealthy pods to add to a tenant.
#[derive(Clone, Copy, Default)]
pub(crate) struct Trouble {
    pub(crate) crash_loop: bool,
    pub(crate) pending: bool,
    pub(crate) completed_job: bool,
}

/// One tenant, described in a line.
pub(crate) struct TenantSpec {
    pub(crate) name: String,
    pub(crate) age_days: i64,
    pub(crate) redis: RedisShape,
    pub(crate) config: ConfigShape,
    /// Node ports for a multi-port web service (`80:N/TCP,443:M/TCP`).
    pub(crate) web_node_ports: Option<(u16, u16)>,
    pub(crate) trouble: Trouble,
}

/// Adds a namespace with its `kube-root-ca.crt`.
pub(crate) fn add_namespace(world: &mut World, name: &str, created: &str) {
    world.namespaces.push(Namespace::new(name, created));
    let mut ca = ConfigMap::new(name, "kube-root-ca.crt", created);
    ca.data.insert("ca.crt".to_string(), fake_ca_pem());
    world.configmaps.push(ca);
}

/// A service with the given ports.
pub(crate) fn service(
    ns: &str,
    name: &str,
    kind: ServiceType,
    ip: &str,
    ports: Vec<ServicePort>,
    created: &str,
) -> Service {
    Service {
        namespace: ns.to_string(),
        name: name.to_string(),
        kind,
        cluster_ip: ip.to_string(),
        ports,
        load_balancer_ingress: Vec::new(),
        creation_timestamp: created.to_string(),
    }
}

/// A pod with the given readiness and status.
pub(crate) fn pod(
    ns: &str,
    name: &str,
    ready: (u32, u32),
    status: &str,
    restarts: u32,
    created: &str,
) -> Pod {
    Pod {
        namespace: ns.to_string(),
        name: name.to_string(),
        ready: ready.0,
        containers: ready.1,
        status: status.to_string(),
        restarts,
        creation_timestamp: created.to_string(),
    }
}

/// Adds every object of one tenant. `index` spreads service IPs apart.
pub(crate) fn add_tenant(
    world: &mut World,
    spec: &TenantSpec,
    index: usize,
    clock: Clock,
    rng: &mut Rng,
) {
    let t = spec.name.as_str();
    let created = clock.ago(spec.age_days * DAY + (index as i64) * 37 * 60);
    add_namespace(world, t, &created);

    add_redis(world, spec, &created);
    let api_ip = format!("10.96.{}.{}", 100 + index / 200, 10 + index % 200);
    let api = vec![ServicePort::tcp(8080)];
    world.services.push(service(
        t,
        &format!("{t}-api"),
        ServiceType::ClusterIP,
        &api_ip,
        api,
        &created,
    ));
    if let Some((http, https)) = spec.web_node_ports {
        let ports = vec![
            ServicePort::node("http", 80, http),
            ServicePort::node("https", 443, https),
        ];
        let web_ip = format!("10.97.{}.{}", index / 200, 10 + index % 200);
        world.services.push(service(
            t,
            &format!("{t}-web"),
            ServiceType::NodePort,
            &web_ip,
            ports,
            &created,
        ));
    }

    world
        .configmaps
        .push(tenant_config(t, spec.config, &created));
    add_pods(world, spec, clock, rng);
    add_redis_volume(world, t, &created, rng);
}

fn add_redis(world: &mut World, spec: &TenantSpec, created: &str) {
    let t = spec.name.as_str();
    let name = format!("{t}-redis");
    let port = || {
        vec![ServicePort {
            name: Some("redis".to_string()),
            ..ServicePort::tcp(6379)
        }]
    };
    let headless = |n: &str| service(t, n, ServiceType::ClusterIP, "None", port(), created);
    match &spec.redis {
        RedisShape::ClusterIp(ip) => {
            world.services.push(service(
                t,
                &name,
                ServiceType::ClusterIP,
                ip,
                port(),
                created,
            ));
        }
        RedisShape::LoadBalancer(ip, external) => {
            let mut ports = port();
            ports[0].node_port = Some(30379);
            let mut svc = service(t, &name, ServiceType::LoadBalancer, ip, ports, created);
            svc.load_balancer_ingress = external.iter().cloned().collect();
            world.services.push(svc);
        }
        RedisShape::HeadlessBeside(ip) => {
            world
                .services
                .push(headless(&format!("{t}-redis-headless")));
            world.services.push(service(
                t,
                &name,
                ServiceType::ClusterIP,
                ip,
                port(),
                created,
            ));
        }
        RedisShape::HeadlessOnly => world.services.push(headless(&name)),
    }
}

fn tenant_config(t: &str, shape: ConfigShape, created: &str) -> ConfigMap {
    let mut cm = ConfigMap::new(t, &format!("{t}-config"), created);
    cm.labels
        .insert("app.kubernetes.io/part-of".to_string(), "vms".to_string());
    let config = json!({
        "tenant": t,
        "displayName": format!("{} \"production\"", t.to_uppercase()),
        "redis": {"host": format!("{t}-redis"), "port": 6379, "db": 0},
        "features": {"sso": true, "audit": {"enabled": true, "retentionDays": 90}},
        "banner": format!("Welcome to {t}\nSay \"hi\""),
        "limits": [{"name": "sessions", "max": 25}, {"name": "rate", "perMinute": 600}],
    });
    match shape {
        ConfigShape::Json | ConfigShape::WithBinary => {
            cm.data.insert("config".to_string(), config.to_string());
        }
        ConfigShape::NotJson => {
            let text =
                format!("# legacy settings\ntenant={t}\nredis.host={t}-redis\nredis.port=6379\n");
            cm.data.insert("config".to_string(), text);
        }
        ConfigShape::NoConfigKey => {
            cm.data.insert(
                "settings.ini".to_string(),
                format!("[tenant]\nname = {t}\n"),
            );
            cm.data.insert("log-level".to_string(), "debug".to_string());
        }
    }
    if shape == ConfigShape::WithBinary {
        let logo: Vec<u8> = [
            0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0xff, 0xfe,
        ]
        .to_vec();
        let encoded = base64::engine::general_purpose::STANDARD.encode(logo);
        cm.binary_data.insert("logo.png".to_string(), encoded);
    }
    cm
}

fn add_pods(world: &mut World, spec: &TenantSpec, clock: Clock, rng: &mut Rng) {
    let t = spec.name.as_str();
    let up = clock.ago(spec.age_days * DAY / 2 + 3 * HOUR);
    let rs = rng.suffix(10);
    for _ in 0..2 {
        let name = format!("{t}-api-{rs}-{}", rng.suffix(5));
        world.pods.push(pod(t, &name, (1, 1), "Running", 0, &up));
    }
    world
        .pods
        .push(pod(t, &format!("{t}-redis-0"), (1, 1), "Running", 0, &up));
    if spec.trouble.crash_loop {
        let name = format!("{t}-worker-{}-{}", rng.suffix(10), rng.suffix(5));
        let restarts = 20 + rng.below(200) as u32;
        world.pods.push(pod(
            t,
            &name,
            (1, 2),
            "CrashLoopBackOff",
            restarts,
            &clock.ago(2 * DAY + 5 * HOUR),
        ));
    }
    if spec.trouble.pending {
        let name = format!("{t}-reports-{}-{}", rng.suffix(10), rng.suffix(5));
        world
            .pods
            .push(pod(t, &name, (0, 1), "Pending", 0, &clock.ago(12 * 60)));
    }
    if spec.trouble.completed_job {
        let name = format!("{t}-migrate-{}", rng.suffix(5));
        world.pods.push(pod(
            t,
            &name,
            (0, 1),
            "Completed",
            0,
            &clock.ago(spec.age_days * DAY),
        ));
    }
}

fn add_redis_volume(world: &mut World, t: &str, created: &str, rng: &mut Rng) {
    let claim = format!("redis-data-{t}-redis-0");
    let volume = format!("pvc-{}", fake_uid(rng));
    let rwo = vec!["ReadWriteOnce".to_string()];
    world.persistent_volumes.push(PersistentVolume {
        name: volume.clone(),
        capacity: "1Gi".to_string(),
        access_modes: rwo.clone(),
        reclaim_policy: "Delete".to_string(),
        status: "Bound".to_string(),
        claim: Some(format!("{t}/{claim}")),
        storage_class: "local-path".to_string(),
        creation_timestamp: created.to_string(),
    });
    world.persistent_volume_claims.push(PersistentVolumeClaim {
        namespace: t.to_string(),
        name: claim,
        status: "Bound".to_string(),
        volume: Some(volume),
        capacity: "1Gi".to_string(),
        access_modes: rwo,
        storage_class: "local-path".to_string(),
        creation_timestamp: created.to_string(),
    });
}
