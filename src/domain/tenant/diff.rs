//! What changed between two builds: tenants added or removed, Redis moved,
//! services and ConfigMaps added or removed.

use std::collections::BTreeSet;

use serde::Serialize;

use super::TenantDb;

#[derive(Debug, Default, PartialEq, Serialize)]
pub struct Changes {
    pub tenants_added: Vec<String>,
    pub tenants_removed: Vec<String>,
    pub redis_changed: Vec<RedisChange>,
    pub services_added: Vec<(String, String)>,
    pub services_removed: Vec<(String, String)>,
    pub configmaps_added: Vec<(String, String)>,
    pub configmaps_removed: Vec<(String, String)>,
}

#[derive(Debug, PartialEq, Serialize)]
pub struct RedisChange {
    pub tenant: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        *self == Changes::default()
    }

    /// One line per change, for the operator.
    pub fn lines(&self) -> Vec<String> {
        let mut out = Vec::new();
        out.extend(self.tenants_added.iter().map(|t| format!("+ tenant {t}")));
        out.extend(self.tenants_removed.iter().map(|t| format!("- tenant {t}")));
        for change in &self.redis_changed {
            let show = |ip: &Option<String>| ip.clone().unwrap_or_else(|| "none".into());
            let (before, after) = (show(&change.before), show(&change.after));
            out.push(format!(
                "~ tenant {}: redis {before} -> {after}",
                change.tenant
            ));
        }
        let pairs = |sign: char, what: &str, list: &[(String, String)]| {
            list.iter()
                .map(move |(t, n)| format!("{sign} {what} {t}/{n}"))
                .collect::<Vec<_>>()
        };
        out.extend(pairs('+', "service", &self.services_added));
        out.extend(pairs('-', "service", &self.services_removed));
        out.extend(pairs('+', "configmap", &self.configmaps_added));
        out.extend(pairs('-', "configmap", &self.configmaps_removed));
        out
    }
}

pub fn compare(before: &TenantDb, after: &TenantDb) -> Changes {
    let old: BTreeSet<&String> = before.tenants.keys().collect();
    let new: BTreeSet<&String> = after.tenants.keys().collect();
    let mut changes = Changes {
        tenants_added: new.difference(&old).map(|s| s.to_string()).collect(),
        tenants_removed: old.difference(&new).map(|s| s.to_string()).collect(),
        ..Changes::default()
    };

    for name in old.intersection(&new) {
        let (a, b) = (&before.tenants[*name], &after.tenants[*name]);
        let ip = |t: &super::Tenant| t.redis.as_ref().map(|r| r.cluster_ip.clone());
        if ip(a) != ip(b) {
            let (before, after) = (ip(a), ip(b));
            changes.redis_changed.push(RedisChange {
                tenant: name.to_string(),
                before,
                after,
            });
        }
        let cms = |t: &super::Tenant| t.configmaps.iter().map(|c| c.name.clone()).collect();
        set_diff(
            name,
            &a.services,
            &b.services,
            &mut changes.services_added,
            &mut changes.services_removed,
        );
        let (ca, cb): (Vec<String>, Vec<String>) = (cms(a), cms(b));
        set_diff(
            name,
            &ca,
            &cb,
            &mut changes.configmaps_added,
            &mut changes.configmaps_removed,
        );
    }
    changes
}

fn set_diff(
    tenant: &str,
    before: &[String],
    after: &[String],
    added: &mut Vec<(String, String)>,
    removed: &mut Vec<(String, String)>,
) {
    let old: BTreeSet<&String> = before.iter().collect();
    let new: BTreeSet<&String> = after.iter().collect();
    added.extend(
        new.difference(&old)
            .map(|n| (tenant.to_string(), n.to_string())),
    );
    removed.extend(
        old.difference(&new)
            .map(|n| (tenant.to_string(), n.to_string())),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::tenant::{BuildInfo, RedisService, Tenant};

    fn db(tenants: &[(&str, &[&str], Option<&str>)]) -> TenantDb {
        let metadata = BuildInfo {
            host: "h".into(),
            port: 22,
            user: "u".into(),
            built_at: "t".into(),
            build_number: 1,
            duration_ms: 1,
        };
        let tenants = tenants
            .iter()
            .map(|(name, services, ip)| {
                let redis = ip.map(|ip| RedisService {
                    service: "redis".into(),
                    kind: "ClusterIP".into(),
                    cluster_ip: ip.into(),
                    external_ip: "<none>".into(),
                    ports: "6379/TCP".into(),
                    age: "1d".into(),
                });
                let services = services.iter().map(|s| s.to_string()).collect();
                (
                    name.to_string(),
                    Tenant {
                        services,
                        redis,
                        ..Tenant::default()
                    },
                )
            })
            .collect();
        TenantDb { metadata, tenants }
    }

    #[test]
    fn finds_each_kind_of_change() {
        let before = db(&[
            ("a", &["redis", "web"], Some("10.0.0.1")),
            ("gone", &["x"], None),
        ]);
        let after = db(&[
            ("a", &["redis", "api"], Some("10.0.0.2")),
            ("new", &["y"], None),
        ]);
        let changes = compare(&before, &after);
        assert_eq!(changes.tenants_added, ["new"]);
        assert_eq!(changes.tenants_removed, ["gone"]);
        assert_eq!(changes.redis_changed[0].after.as_deref(), Some("10.0.0.2"));
        assert_eq!(
            changes.services_added,
            [("a".to_string(), "api".to_string())]
        );
        assert_eq!(
            changes.services_removed,
            [("a".to_string(), "web".to_string())]
        );
        assert!(
            changes
                .lines()
                .contains(&"~ tenant a: redis 10.0.0.1 -> 10.0.0.2".to_string())
        );
    }

    #[test]
    fn same_build_has_no_changes() {
        let one = db(&[("a", &["redis"], Some("10.0.0.1"))]);
        assert!(compare(&one, &one.clone()).is_empty());
    }
}
