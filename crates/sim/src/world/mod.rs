//! The world a simulated VMS answers from: namespaces, services, ConfigMaps, pods,
//! volumes, log files and per-tenant Redis data.
//!
//! A world is plain data, serialised as JSON in the format documented in
//! `docs/world-format.md`. The kubectl renderers, the shell's `cat`, the RESP responder
//! and the CI's kubectl stand-in all read the same [`World`], so what a test puts in a
//! world is what every path of the client sees.

mod builder;
mod builtin;
mod builtin_logs;
mod generate;
mod platform;
mod rng;
mod types;

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

pub use types::{
    ConfigMap, LogFile, Namespace, PersistentVolume, PersistentVolumeClaim, Pod, Service,
    ServicePort, ServiceType,
};

/// One tenant's Redis data (see [`crate::redis_data`] for its JSON form).
pub type RedisData = crate::redis_data::RedisDb;

/// Everything a simulated VMS knows. Field order follows the documentation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct World {
    /// The instant ages are computed against (RFC 3339); absent means the wall clock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub now: Option<String>,
    /// Namespaces, system ones included.
    #[serde(default)]
    pub namespaces: Vec<Namespace>,
    /// Services in every namespace.
    #[serde(default)]
    pub services: Vec<Service>,
    /// ConfigMaps in every namespace.
    #[serde(default)]
    pub configmaps: Vec<ConfigMap>,
    /// Pods in every namespace.
    #[serde(default)]
    pub pods: Vec<Pod>,
    /// Cluster-scoped persistent volumes.
    #[serde(default)]
    pub persistent_volumes: Vec<PersistentVolume>,
    /// Persistent volume claims in every namespace.
    #[serde(default)]
    pub persistent_volume_claims: Vec<PersistentVolumeClaim>,
    /// Files under the log root (`/var/log/versa/vms`).
    #[serde(default)]
    pub logs: Vec<LogFile>,
    /// Redis data per tenant namespace; a namespace absent here has an empty Redis.
    #[serde(default)]
    pub redis: BTreeMap<String, RedisData>,
}

/// Why a world file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum WorldError {
    /// The file could not be read.
    #[error("cannot read world file {path}: {source}")]
    Read {
        /// The file named.
        path: String,
        /// The I/O failure.
        source: std::io::Error,
    },
    /// The file is not a world in the documented format.
    #[error("world file {path} is not valid: {source}")]
    Parse {
        /// The file named.
        path: String,
        /// Where the JSON went wrong.
        source: serde_json::Error,
    },
}

impl World {
    /// Reads a world from a JSON file and fills in namespaces it only implies.
    pub fn load(path: &Path) -> Result<World, WorldError> {
        let shown = path.display().to_string();
        let text = std::fs::read(path).map_err(|source| WorldError::Read {
            path: shown.clone(),
            source,
        })?;
        let mut world: World =
            serde_json::from_slice(&text).map_err(|source| WorldError::Parse {
                path: shown,
                source,
            })?;
        world.add_implied_namespaces();
        Ok(world)
    }

    /// The world as pretty JSON, as `vmsdbg-sim world builtin` prints it.
    pub fn to_json(&self) -> String {
        // Serialising plain data with string keys cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The instant to compute ages against, in Unix seconds.
    pub fn now_unix(&self) -> i64 {
        let fixed = self.now.as_deref().and_then(crate::clock::parse_rfc3339);
        fixed.unwrap_or_else(crate::clock::now_unix)
    }

    /// Whether a namespace exists.
    pub fn has_namespace(&self, name: &str) -> bool {
        self.namespaces.iter().any(|ns| ns.name == name)
    }

    /// The tenant Redis service reachable at `ip:port`, if any: a service whose name
    /// contains `redis`, with a real cluster IP equal to `ip` and a port `port`.
    pub fn redis_service_at(&self, ip: &str, port: u16) -> Option<&Service> {
        // A headless service (`clusterIP: None`) has no address to reach.
        if ip == "None" || ip.is_empty() {
            return None;
        }
        self.services.iter().find(|svc| {
            svc.name.contains("redis")
                && svc.cluster_ip == ip
                && svc.ports.iter().any(|p| p.port == port)
        })
    }

    /// The log file at exactly `path`, if the world has one.
    pub fn log_file(&self, path: &str) -> Option<&LogFile> {
        self.logs.iter().find(|file| file.path == path)
    }

    /// Adds a namespace entry for every namespace that objects name but the list lacks,
    /// so a hand-written world need not repeat them.
    pub fn add_implied_namespaces(&mut self) {
        let mut implied: Vec<(String, String)> = Vec::new();
        let named = self
            .services
            .iter()
            .map(|s| (&s.namespace, &s.creation_timestamp));
        let named = named
            .chain(
                self.configmaps
                    .iter()
                    .map(|c| (&c.namespace, &c.creation_timestamp)),
            )
            .chain(
                self.pods
                    .iter()
                    .map(|p| (&p.namespace, &p.creation_timestamp)),
            );
        for (namespace, created) in named {
            let known = self.namespaces.iter().any(|ns| &ns.name == namespace);
            if !known && !implied.iter().any(|(name, _)| name == namespace) {
                implied.push((namespace.clone(), created.clone()));
            }
        }
        for (name, created) in implied {
            self.namespaces.push(Namespace::new(&name, &created));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_round_trips() {
        let world = World::builtin_at(1_750_000_000);
        let back: World = serde_json::from_str(&world.to_json()).expect("parses");
        assert_eq!(back, world);
    }

    #[test]
    fn implied_namespaces_are_added() {
        let mut world = World::default();
        world
            .configmaps
            .push(ConfigMap::new("lonely", "x", "2025-01-01T00:00:00Z"));
        world.add_implied_namespaces();
        assert!(world.has_namespace("lonely"));
        assert_eq!(world.namespaces.len(), 1);
    }

    #[test]
    fn load_reports_bad_files() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("w.json");
        std::fs::write(&path, "{\"services\": 3}").expect("write");
        let err = World::load(&path).expect_err("must fail");
        assert!(err.to_string().contains("is not valid"), "{err}");
        let missing = World::load(&dir.path().join("none.json")).expect_err("must fail");
        assert!(missing.to_string().contains("cannot read"), "{missing}");
    }
}
