//! The object kinds of a world, each shaped like the Kubernetes fields kubectl shows.
//!
//! Field names follow the Kubernetes API (`clusterIP`, `nodePort`,
//! `creationTimestamp`) so a world file reads like the objects it stands for.

use std::collections::BTreeMap;

use base64::Engine as _;
use serde::{Deserialize, Serialize};

/// A namespace. `status` is `Active` unless a world says otherwise (`Terminating`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Namespace {
    /// Namespace name.
    pub name: String,
    /// `Active` or `Terminating`.
    #[serde(default = "active")]
    pub status: String,
    /// RFC 3339 creation time.
    pub creation_timestamp: String,
}

fn active() -> String {
    "Active".to_string()
}

impl Namespace {
    /// An active namespace created at `created`.
    pub fn new(name: &str, created: &str) -> Namespace {
        Namespace {
            name: name.to_string(),
            status: active(),
            creation_timestamp: created.to_string(),
        }
    }
}

/// A service's type, as `spec.type` spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ServiceType {
    /// Reachable on its cluster IP only.
    ClusterIP,
    /// Also on a port of every node.
    NodePort,
    /// Also on an external load-balancer address, once one is assigned.
    LoadBalancer,
}

impl ServiceType {
    /// The name kubectl prints.
    pub fn as_str(self) -> &'static str {
        match self {
            ServiceType::ClusterIP => "ClusterIP",
            ServiceType::NodePort => "NodePort",
            ServiceType::LoadBalancer => "LoadBalancer",
        }
    }
}

/// One port of a service.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ServicePort {
    /// Port name; required by Kubernetes only when a service has several ports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The service port.
    pub port: u16,
    /// `TCP`, `UDP` or `SCTP`.
    #[serde(default = "tcp")]
    pub protocol: String,
    /// The container port; defaults to `port`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_port: Option<u16>,
    /// The node port of NodePort and LoadBalancer services.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_port: Option<u16>,
}

fn tcp() -> String {
    "TCP".to_string()
}

impl ServicePort {
    /// An unnamed TCP port.
    pub fn tcp(port: u16) -> ServicePort {
        ServicePort {
            name: None,
            port,
            protocol: tcp(),
            target_port: None,
            node_port: None,
        }
    }

    /// A named TCP port exposed on a node port too.
    pub fn node(name: &str, port: u16, node_port: u16) -> ServicePort {
        ServicePort {
            name: Some(name.to_string()),
            node_port: Some(node_port),
            ..ServicePort::tcp(port)
        }
    }
}

/// A service.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Service {
    /// Namespace the service lives in.
    pub namespace: String,
    /// Service name.
    pub name: String,
    /// `spec.type`.
    #[serde(rename = "type")]
    pub kind: ServiceType,
    /// `spec.clusterIP`; `None` for a headless service.
    #[serde(rename = "clusterIP")]
    pub cluster_ip: String,
    /// `spec.ports`.
    #[serde(default)]
    pub ports: Vec<ServicePort>,
    /// `status.loadBalancer.ingress[].ip`; empty on a LoadBalancer means `<pending>`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub load_balancer_ingress: Vec<String>,
    /// RFC 3339 creation time.
    pub creation_timestamp: String,
}

/// A ConfigMap. `binaryData` values are base64, as in the API.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConfigMap {
    /// Namespace the ConfigMap lives in.
    pub namespace: String,
    /// ConfigMap name.
    pub name: String,
    /// Text entries.
    #[serde(default)]
    pub data: BTreeMap<String, String>,
    /// Binary entries, base64-encoded.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub binary_data: BTreeMap<String, String>,
    /// Labels.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    /// RFC 3339 creation time.
    pub creation_timestamp: String,
}

impl ConfigMap {
    /// An empty ConfigMap.
    pub fn new(namespace: &str, name: &str, created: &str) -> ConfigMap {
        ConfigMap {
            namespace: namespace.to_string(),
            name: name.to_string(),
            data: BTreeMap::new(),
            binary_data: BTreeMap::new(),
            labels: BTreeMap::new(),
            creation_timestamp: created.to_string(),
        }
    }

    /// The DATA column of `kubectl get configmaps`: text plus binary entries.
    pub fn data_count(&self) -> usize {
        self.data.len() + self.binary_data.len()
    }
}

/// A pod, reduced to what `kubectl get pods` shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Pod {
    /// Namespace the pod lives in.
    pub namespace: String,
    /// Pod name.
    pub name: String,
    /// Containers that are ready.
    pub ready: u32,
    /// Containers in the pod.
    pub containers: u32,
    /// The STATUS column: `Running`, `Completed`, `CrashLoopBackOff`, `Pending`,
    /// `Error`, `ImagePullBackOff`, `ContainerCreating`...
    pub status: String,
    /// Restarts summed over containers.
    #[serde(default)]
    pub restarts: u32,
    /// RFC 3339 creation time.
    pub creation_timestamp: String,
}

/// A persistent volume.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PersistentVolume {
    /// Volume name.
    pub name: String,
    /// Size as a quantity (`10Gi`).
    pub capacity: String,
    /// `ReadWriteOnce`, `ReadOnlyMany`, `ReadWriteMany`, `ReadWriteOncePod`.
    pub access_modes: Vec<String>,
    /// `Retain`, `Delete` or `Recycle`.
    pub reclaim_policy: String,
    /// `Available`, `Bound`, `Released` or `Failed`.
    pub status: String,
    /// The bound claim as `namespace/name`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claim: Option<String>,
    /// Storage class name; empty for none.
    #[serde(default)]
    pub storage_class: String,
    /// RFC 3339 creation time.
    pub creation_timestamp: String,
}

/// A persistent volume claim.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PersistentVolumeClaim {
    /// Namespace the claim lives in.
    pub namespace: String,
    /// Claim name.
    pub name: String,
    /// `Pending`, `Bound` or `Lost`.
    pub status: String,
    /// The bound volume.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume: Option<String>,
    /// Requested size (`1Gi`); also the capacity once bound.
    pub capacity: String,
    /// Access modes, spelled as in the API.
    pub access_modes: Vec<String>,
    /// Storage class name; empty for none.
    #[serde(default)]
    pub storage_class: String,
    /// RFC 3339 creation time.
    pub creation_timestamp: String,
}

/// A file under the log root. Exactly one of `text` and `base64` holds its contents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LogFile {
    /// Absolute path, under `/var/log/versa/vms`.
    pub path: String,
    /// Contents as UTF-8 text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Contents as base64 bytes, for files that are not UTF-8 (or are gzip).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base64: Option<String>,
    /// RFC 3339 modification time.
    pub mtime: String,
}

impl LogFile {
    /// A text log file.
    pub fn text(path: &str, text: String, mtime: &str) -> LogFile {
        LogFile {
            path: path.to_string(),
            text: Some(text),
            base64: None,
            mtime: mtime.to_string(),
        }
    }

    /// A log file holding arbitrary bytes.
    pub fn bytes(path: &str, bytes: &[u8], mtime: &str) -> LogFile {
        let encoded = base64::engine::general_purpose::STANDARD.encode(bytes);
        LogFile {
            path: path.to_string(),
            text: None,
            base64: Some(encoded),
            mtime: mtime.to_string(),
        }
    }

    /// The file's bytes; a `base64` field that does not decode reads as empty.
    pub fn contents(&self) -> Vec<u8> {
        if let Some(text) = &self.text {
            return text.as_bytes().to_vec();
        }
        let engine = base64::engine::general_purpose::STANDARD;
        let decoded = self.base64.as_deref().map(|b| engine.decode(b));
        decoded.and_then(Result::ok).unwrap_or_default()
    }
}
