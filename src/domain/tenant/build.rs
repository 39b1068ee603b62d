//! Assembling tenants from the three kubectl listings.

use std::collections::BTreeMap;

use time::OffsetDateTime;

use super::{ConfigMapSummary, PodSummary, RedisService, Tenant};
use crate::domain::kube::age::age;
use crate::domain::kube::{ConfigMap, Pod, Service};

/// The port that marks a tenant's Redis service.
pub const REDIS_PORT: u32 = 6379;

/// Group services, ConfigMaps and pods by tenant. Tenants are the namespaces
/// that have services, minus `excluded`.
pub fn assemble(
    services: &[Service],
    configmaps: &[ConfigMap],
    pods: &[Pod],
    excluded: &[String],
    now: OffsetDateTime,
) -> BTreeMap<String, Tenant> {
    let mut tenants: BTreeMap<String, Tenant> = BTreeMap::new();
    let is_tenant = |ns: &str| !ns.is_empty() && !excluded.iter().any(|e| e == ns);

    for service in services.iter().filter(|s| is_tenant(&s.metadata.namespace)) {
        let tenant = tenants
            .entry(service.metadata.namespace.clone())
            .or_default();
        tenant.services.push(service.metadata.name.clone());
        if tenant.redis.is_none() {
            tenant.redis = redis_of(service, now);
        }
    }
    for tenant in tenants.values_mut() {
        tenant.services.sort();
        tenant.services.dedup();
    }

    for cm in configmaps {
        if let Some(tenant) = tenants.get_mut(&cm.metadata.namespace) {
            tenant.configmaps.push(ConfigMapSummary {
                name: cm.metadata.name.clone(),
                data_count: cm.data_count(),
                age: age(cm.metadata.creation_timestamp.as_deref(), now),
            });
        }
    }
    for pod in pods {
        if let Some(tenant) = tenants.get_mut(&pod.metadata.namespace) {
            tenant.pods.push(summarize_pod(pod, now));
        }
    }
    for tenant in tenants.values_mut() {
        tenant.configmaps.sort_by(|a, b| a.name.cmp(&b.name));
        tenant.pods.sort_by(|a, b| a.name.cmp(&b.name));
    }
    tenants
}

/// A service is the tenant's Redis when its name says so, it exposes 6379 and
/// it has a real ClusterIP (headless services are skipped).
fn redis_of(service: &Service, now: OffsetDateTime) -> Option<RedisService> {
    let named = service.metadata.name.contains("redis");
    let cluster_ip = service.cluster_ip()?;
    if !named || !service.exposes(REDIS_PORT) {
        return None;
    }
    Some(RedisService {
        service: service.metadata.name.clone(),
        kind: service
            .spec
            .kind
            .clone()
            .unwrap_or_else(|| "ClusterIP".into()),
        cluster_ip: cluster_ip.to_string(),
        external_ip: service.external_ip(),
        ports: service.ports_text(),
        age: age(service.metadata.creation_timestamp.as_deref(), now),
    })
}

pub fn summarize_pod(pod: &Pod, now: OffsetDateTime) -> PodSummary {
    PodSummary {
        name: pod.metadata.name.clone(),
        ready: pod.ready_text(),
        status: pod.status_text(),
        restarts: pod.restarts(),
        age: age(pod.metadata.creation_timestamp.as_deref(), now),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::kube::parse_list;
    use crate::domain::tenant::SYSTEM_NAMESPACES;

    #[test]
    fn tenants_from_the_fixture() {
        let json = include_bytes!("../../../tests/fixtures/svc-all.json");
        let services: Vec<Service> = parse_list("svc", json).unwrap();
        let excluded: Vec<String> = SYSTEM_NAMESPACES.iter().map(|s| s.to_string()).collect();
        let now = OffsetDateTime::now_utc();
        let tenants = assemble(&services, &[], &[], &excluded, now);

        assert_eq!(
            tenants.keys().collect::<Vec<_>>(),
            ["acme", "globex", "ingress-nginx"]
        );
        let acme = &tenants["acme"];
        assert_eq!(acme.services, ["redis", "redis-headless", "web"]);
        let redis = acme.redis.as_ref().unwrap();
        assert_eq!(
            (redis.service.as_str(), redis.cluster_ip.as_str()),
            ("redis", "10.96.12.7")
        );
        assert_eq!(
            tenants["globex"].redis.as_ref().unwrap().external_ip,
            "192.0.2.10"
        );
        assert!(tenants["ingress-nginx"].redis.is_none());
    }
}
