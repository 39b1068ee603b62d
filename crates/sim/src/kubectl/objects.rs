//! World objects as the API server returns them: the JSON kubectl prints for `-o json`,
//! with the fields a real cluster fills in (uid, resourceVersion, clusterIPs, ipFamilies,
//! container states) so parsers meet realistic documents.

use serde_json::{Value, json};

use super::args::Kind;
use crate::world::{
    ConfigMap, Namespace, PersistentVolume, PersistentVolumeClaim, Pod, Service, ServiceType, World,
};

/// One object of the world, of any kind the simulator serves.
#[derive(Debug, Clone, Copy)]
pub enum Obj<'a> {
    /// A service.
    Service(&'a Service),
    /// A ConfigMap.
    ConfigMap(&'a ConfigMap),
    /// A pod.
    Pod(&'a Pod),
    /// A namespace.
    Namespace(&'a Namespace),
    /// A persistent volume.
    PersistentVolume(&'a PersistentVolume),
    /// A persistent volume claim.
    PersistentVolumeClaim(&'a PersistentVolumeClaim),
}

/// Every object of `kind`, sorted by namespace then name as the API server lists them.
pub fn list(world: &World, kind: Kind) -> Vec<Obj<'_>> {
    let mut objects: Vec<Obj<'_>> = match kind {
        Kind::Service => world.services.iter().map(Obj::Service).collect(),
        Kind::ConfigMap => world.configmaps.iter().map(Obj::ConfigMap).collect(),
        Kind::Pod => world.pods.iter().map(Obj::Pod).collect(),
        Kind::Namespace => world.namespaces.iter().map(Obj::Namespace).collect(),
        Kind::PersistentVolume => world
            .persistent_volumes
            .iter()
            .map(Obj::PersistentVolume)
            .collect(),
        Kind::PersistentVolumeClaim => world
            .persistent_volume_claims
            .iter()
            .map(Obj::PersistentVolumeClaim)
            .collect(),
    };
    objects.sort_by(|a, b| (a.namespace(), a.name()).cmp(&(b.namespace(), b.name())));
    objects
}

impl<'a> Obj<'a> {
    /// The namespace, or `""` for cluster-scoped objects.
    pub fn namespace(&self) -> &'a str {
        match self {
            Obj::Service(s) => &s.namespace,
            Obj::ConfigMap(c) => &c.namespace,
            Obj::Pod(p) => &p.namespace,
            Obj::PersistentVolumeClaim(c) => &c.namespace,
            Obj::Namespace(_) | Obj::PersistentVolume(_) => "",
        }
    }

    /// The object's name.
    pub fn name(&self) -> &'a str {
        match self {
            Obj::Service(s) => &s.name,
            Obj::ConfigMap(c) => &c.name,
            Obj::Pod(p) => &p.name,
            Obj::Namespace(n) => &n.name,
            Obj::PersistentVolume(v) => &v.name,
            Obj::PersistentVolumeClaim(c) => &c.name,
        }
    }

    /// The creation timestamp.
    pub fn created(&self) -> &'a str {
        match self {
            Obj::Service(s) => &s.creation_timestamp,
            Obj::ConfigMap(c) => &c.creation_timestamp,
            Obj::Pod(p) => &p.creation_timestamp,
            Obj::Namespace(n) => &n.creation_timestamp,
            Obj::PersistentVolume(v) => &v.creation_timestamp,
            Obj::PersistentVolumeClaim(c) => &c.creation_timestamp,
        }
    }

    /// The object as `kubectl get -o json` prints it.
    pub fn to_json(self) -> Value {
        match self {
            Obj::Service(s) => service(s, self.metadata("Service")),
            Obj::ConfigMap(c) => configmap(c, self.metadata("ConfigMap")),
            Obj::Pod(p) => super::pods::pod_json(p, self.metadata("Pod")),
            Obj::Namespace(n) => namespace(n, self.metadata("Namespace")),
            Obj::PersistentVolume(v) => volume(v, self.metadata("PersistentVolume")),
            Obj::PersistentVolumeClaim(c) => claim(c, self.metadata("PersistentVolumeClaim")),
        }
    }

    /// `metadata` with a stable uid and resourceVersion derived from kind and name.
    fn metadata(&self, kind: &str) -> Value {
        let key = format!("{kind}/{}/{}", self.namespace(), self.name());
        let mut meta = json!({
            "creationTimestamp": self.created(),
            "name": self.name(),
            "resourceVersion": (fnv(&key, 1) % 9_000_000 + 1_000).to_string(),
            "uid": uid(&key),
        });
        if !self.namespace().is_empty() {
            meta["namespace"] = json!(self.namespace());
        }
        meta
    }
}

fn object(kind: &str, metadata: Value) -> Value {
    json!({"apiVersion": "v1", "kind": kind, "metadata": metadata})
}

fn service(svc: &Service, metadata: Value) -> Value {
    let mut obj = object("Service", metadata);
    let ports: Vec<Value> = svc
        .ports
        .iter()
        .map(|p| {
            let mut port = json!({
                "port": p.port,
                "protocol": p.protocol,
                "targetPort": p.target_port.unwrap_or(p.port),
            });
            if let Some(name) = &p.name {
                port["name"] = json!(name);
            }
            if let Some(node_port) = p.node_port {
                port["nodePort"] = json!(node_port);
            }
            port
        })
        .collect();
    let mut spec = json!({
        "clusterIP": svc.cluster_ip,
        "clusterIPs": [svc.cluster_ip],
        "internalTrafficPolicy": "Cluster",
        "ipFamilies": ["IPv4"],
        "ipFamilyPolicy": "SingleStack",
        "ports": ports,
        "selector": {"app.kubernetes.io/name": svc.name},
        "sessionAffinity": "None",
        "type": svc.kind.as_str(),
    });
    if svc.kind != ServiceType::ClusterIP {
        spec["externalTrafficPolicy"] = json!("Cluster");
    }
    if svc.kind == ServiceType::LoadBalancer {
        spec["allocateLoadBalancerNodePorts"] = json!(true);
    }
    obj["spec"] = spec;
    let ingress: Vec<Value> = svc
        .load_balancer_ingress
        .iter()
        .map(|ip| json!({"ip": ip, "ipMode": "VIP"}))
        .collect();
    obj["status"] = if ingress.is_empty() {
        json!({"loadBalancer": {}})
    } else {
        json!({"loadBalancer": {"ingress": ingress}})
    };
    obj
}

fn configmap(cm: &ConfigMap, mut metadata: Value) -> Value {
    if !cm.labels.is_empty() {
        metadata["labels"] = json!(cm.labels);
    }
    let mut obj = object("ConfigMap", metadata);
    if !cm.data.is_empty() {
        obj["data"] = json!(cm.data);
    }
    if !cm.binary_data.is_empty() {
        obj["binaryData"] = json!(cm.binary_data);
    }
    obj
}

fn namespace(ns: &Namespace, mut metadata: Value) -> Value {
    metadata["labels"] = json!({"kubernetes.io/metadata.name": ns.name});
    let mut obj = object("Namespace", metadata);
    obj["spec"] = json!({"finalizers": ["kubernetes"]});
    obj["status"] = json!({"phase": ns.status});
    obj
}

fn volume(pv: &PersistentVolume, metadata: Value) -> Value {
    let mut obj = object("PersistentVolume", metadata);
    let mut spec = json!({
        "accessModes": pv.access_modes,
        "capacity": {"storage": pv.capacity},
        "hostPath": {"path": format!("/var/lib/vms-volumes/{}", pv.name), "type": ""},
        "persistentVolumeReclaimPolicy": pv.reclaim_policy,
        "volumeMode": "Filesystem",
    });
    if let Some((ns, name)) = pv.claim.as_deref().and_then(|c| c.split_once('/')) {
        spec["claimRef"] = json!({
            "apiVersion": "v1", "kind": "PersistentVolumeClaim", "name": name, "namespace": ns,
        });
    }
    if !pv.storage_class.is_empty() {
        spec["storageClassName"] = json!(pv.storage_class);
    }
    obj["spec"] = spec;
    obj["status"] = json!({"phase": pv.status});
    obj
}

fn claim(pvc: &PersistentVolumeClaim, metadata: Value) -> Value {
    let mut obj = object("PersistentVolumeClaim", metadata);
    let mut spec = json!({
        "accessModes": pvc.access_modes,
        "resources": {"requests": {"storage": pvc.capacity}},
        "volumeMode": "Filesystem",
    });
    if !pvc.storage_class.is_empty() {
        spec["storageClassName"] = json!(pvc.storage_class);
    }
    let mut status = json!({"phase": pvc.status});
    if let Some(volume) = &pvc.volume {
        spec["volumeName"] = json!(volume);
        status["accessModes"] = json!(pvc.access_modes);
        status["capacity"] = json!({"storage": pvc.capacity});
    }
    obj["spec"] = spec;
    obj["status"] = status;
    obj
}

/// FNV-1a over `text`, salted, for stable made-up identifiers.
pub(crate) fn fnv(text: &str, salt: u64) -> u64 {
    let mut hash = 0xcbf2_9ce4_8422_2325_u64 ^ salt;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// A UUID-shaped identifier derived from `key`.
fn uid(key: &str) -> String {
    let (a, b) = (fnv(key, 2), fnv(key, 3));
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        ((b >> 48) & 0x3fff) | 0x8000,
        b & 0xffff_ffff_ffff
    )
}
