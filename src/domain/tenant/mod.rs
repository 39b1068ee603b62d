//! The tenant database: per tenant its services, Redis, ConfigMaps and pods,
//! built from one `tenant build` and compared with the build before it.

pub mod build;
pub mod diff;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Namespaces that are never tenants unless configured otherwise.
pub const SYSTEM_NAMESPACES: [&str; 4] =
    ["kube-system", "kube-public", "kube-node-lease", "default"];

/// One build of one session's tenants. This is also the `tenant export` and
/// snapshot JSON schema (documented in docs/json-schema.md).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TenantDb {
    pub metadata: BuildInfo,
    pub tenants: BTreeMap<String, Tenant>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BuildInfo {
    pub host: String,
    pub port: u16,
    pub user: String,
    /// RFC 3339, UTC.
    pub built_at: String,
    pub build_number: u64,
    pub duration_ms: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Tenant {
    /// Service names, sorted, without duplicates.
    pub services: Vec<String>,
    pub redis: Option<RedisService>,
    pub configmaps: Vec<ConfigMapSummary>,
    pub pods: Vec<PodSummary>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RedisService {
    pub service: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub cluster_ip: String,
    pub external_ip: String,
    pub ports: String,
    pub age: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConfigMapSummary {
    pub name: String,
    pub data_count: usize,
    pub age: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PodSummary {
    pub name: String,
    pub ready: String,
    pub status: String,
    pub restarts: u32,
    pub age: String,
}
