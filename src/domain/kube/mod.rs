//! Kubernetes objects as `kubectl get ... -o json` prints them, and kubectl's
//! human conventions (ages like `5d3h`, ports like `80:31234/TCP`).

pub mod age;

use serde::Deserialize;

/// `kubectl ... -o json` of a list: `{"kind": "List", "items": [...]}`.
#[derive(Debug, Deserialize)]
pub struct List<T> {
    #[serde(default = "Vec::new")]
    pub items: Vec<T>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Metadata {
    pub name: String,
    pub namespace: String,
    pub creation_timestamp: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Service {
    #[serde(default)]
    pub metadata: Metadata,
    #[serde(default)]
    pub spec: ServiceSpec,
    #[serde(default)]
    pub status: ServiceStatus,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ServiceSpec {
    #[serde(rename = "type")]
    pub kind: Option<String>,
    #[serde(rename = "clusterIP")]
    pub cluster_ip: Option<String>,
    pub ports: Vec<ServicePort>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ServicePort {
    pub port: u32,
    pub node_port: Option<u32>,
    pub protocol: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ServiceStatus {
    pub load_balancer: LoadBalancerStatus,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LoadBalancerStatus {
    pub ingress: Option<Vec<Ingress>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Ingress {
    pub ip: Option<String>,
    pub hostname: Option<String>,
}

impl Service {
    /// kubectl's PORT(S) column: `6379/TCP`, `80:31234/TCP,443:31443/TCP`.
    pub fn ports_text(&self) -> String {
        let port = |p: &ServicePort| {
            let protocol = p.protocol.as_deref().unwrap_or("TCP");
            match p.node_port {
                Some(node) => format!("{}:{node}/{protocol}", p.port),
                None => format!("{}/{protocol}", p.port),
            }
        };
        let all: Vec<String> = self.spec.ports.iter().map(port).collect();
        if all.is_empty() {
            "<none>".into()
        } else {
            all.join(",")
        }
    }

    /// kubectl's EXTERNAL-IP column: ingress addresses, `<pending>` for a
    /// LoadBalancer without one, `<none>` otherwise.
    pub fn external_ip(&self) -> String {
        let ingress = self
            .status
            .load_balancer
            .ingress
            .as_deref()
            .unwrap_or_default();
        let addresses: Vec<&str> = ingress
            .iter()
            .filter_map(|i| i.ip.as_deref().or(i.hostname.as_deref()))
            .collect();
        match (addresses.is_empty(), self.spec.kind.as_deref()) {
            (false, _) => addresses.join(","),
            (true, Some("LoadBalancer")) => "<pending>".into(),
            (true, _) => "<none>".into(),
        }
    }

    pub fn exposes(&self, port: u32) -> bool {
        self.spec.ports.iter().any(|p| p.port == port)
    }

    /// A real ClusterIP (not headless `None`, not empty).
    pub fn cluster_ip(&self) -> Option<&str> {
        match self.spec.cluster_ip.as_deref() {
            None | Some("") | Some("None") => None,
            Some(ip) => Some(ip),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfigMap {
    #[serde(default)]
    pub metadata: Metadata,
    #[serde(default)]
    pub data: Option<serde_json::Map<String, serde_json::Value>>,
    #[serde(default)]
    pub binary_data: Option<serde_json::Map<String, serde_json::Value>>,
}

impl ConfigMap {
    /// kubectl's DATA column counts both `data` and `binaryData` keys.
    pub fn data_count(&self) -> usize {
        let count = |m: &Option<serde_json::Map<String, serde_json::Value>>| {
            m.as_ref().map_or(0, |m| m.len())
        };
        count(&self.data) + count(&self.binary_data)
    }
}

#[derive(Debug, Deserialize)]
pub struct Pod {
    #[serde(default)]
    pub metadata: Metadata,
    #[serde(default)]
    pub status: PodStatus,
    #[serde(default)]
    pub spec: PodSpec,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PodSpec {
    pub containers: Vec<serde_json::Value>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PodStatus {
    pub phase: Option<String>,
    pub reason: Option<String>,
    pub container_statuses: Vec<ContainerStatus>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ContainerStatus {
    pub ready: bool,
    pub restart_count: u32,
    pub state: Option<ContainerState>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ContainerState {
    pub waiting: Option<StateReason>,
    pub terminated: Option<StateReason>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct StateReason {
    pub reason: Option<String>,
}

impl Pod {
    /// kubectl's READY column: `1/2`.
    pub fn ready_text(&self) -> String {
        let ready = self
            .status
            .container_statuses
            .iter()
            .filter(|c| c.ready)
            .count();
        let total = self
            .spec
            .containers
            .len()
            .max(self.status.container_statuses.len());
        format!("{ready}/{total}")
    }

    pub fn all_ready(&self) -> bool {
        let statuses = &self.status.container_statuses;
        !statuses.is_empty() && statuses.iter().all(|c| c.ready)
    }

    /// kubectl's STATUS column: a container's waiting/terminated reason
    /// (`CrashLoopBackOff`) wins over the pod phase.
    pub fn status_text(&self) -> String {
        let reason = self.status.container_statuses.iter().find_map(|c| {
            let state = c.state.as_ref()?;
            let reason = state.waiting.as_ref().or(state.terminated.as_ref())?;
            reason.reason.clone()
        });
        reason
            .or_else(|| self.status.reason.clone())
            .or_else(|| self.status.phase.clone())
            .unwrap_or_else(|| "Unknown".into())
    }

    pub fn restarts(&self) -> u32 {
        self.status
            .container_statuses
            .iter()
            .map(|c| c.restart_count)
            .sum()
    }

    /// Running and ready, or finished successfully.
    pub fn healthy(&self) -> bool {
        match self.status_text().as_str() {
            "Completed" | "Succeeded" => true,
            "Running" => self.all_ready(),
            _ => false,
        }
    }
}

/// Any object where only the name and namespace matter (namespaces, PVs, PVCs).
#[derive(Debug, Deserialize)]
pub struct Named {
    #[serde(default)]
    pub metadata: Metadata,
}

#[derive(Debug, thiserror::Error)]
#[error("cannot parse the output of '{command}': {reason}")]
pub struct ParseError {
    pub command: String,
    pub reason: String,
}

/// Parse a `kubectl get ... -o json` list.
pub fn parse_list<T: for<'de> Deserialize<'de>>(
    command: &str,
    json: &[u8],
) -> Result<Vec<T>, ParseError> {
    serde_json::from_slice::<List<T>>(json)
        .map(|list| list.items)
        .map_err(|e| ParseError {
            command: command.to_string(),
            reason: e.to_string(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SERVICES: &str = include_str!("../../../tests/fixtures/svc-all.json");

    #[test]
    fn services_from_real_shaped_json() {
        let services: Vec<Service> = parse_list("svc", SERVICES.as_bytes()).unwrap();
        let by_name = |n: &str| services.iter().find(|s| s.metadata.name == n).unwrap();

        let redis = by_name("redis");
        assert_eq!(redis.cluster_ip(), Some("10.96.12.7"));
        assert_eq!(redis.ports_text(), "6379/TCP");
        assert_eq!(redis.external_ip(), "<none>");

        let headless = by_name("redis-headless");
        assert_eq!(headless.cluster_ip(), None);

        let web = by_name("web");
        assert_eq!(web.ports_text(), "80:31234/TCP,443:31443/TCP");
        assert_eq!(web.external_ip(), "<pending>");

        let lb = by_name("redis-lb");
        assert_eq!(lb.external_ip(), "192.0.2.10");
    }

    #[test]
    fn pods_status_and_ready() {
        let json = r#"{"items":[
          {"metadata":{"name":"a","namespace":"t"},"spec":{"containers":[{},{}]},
           "status":{"phase":"Running","containerStatuses":[
             {"ready":true,"restartCount":1,"state":{"running":{}}},
             {"ready":false,"restartCount":41,"state":{"waiting":{"reason":"CrashLoopBackOff"}}}]}},
          {"metadata":{"name":"b","namespace":"t"},"status":{"phase":"Pending"}}]}"#;
        let pods: Vec<Pod> = parse_list("pods", json.as_bytes()).unwrap();
        assert_eq!(pods[0].ready_text(), "1/2");
        assert_eq!(pods[0].status_text(), "CrashLoopBackOff");
        assert_eq!(pods[0].restarts(), 42);
        assert!(!pods[0].healthy());
        assert_eq!(pods[1].status_text(), "Pending");
        assert_eq!(pods[1].ready_text(), "0/0");
    }

    #[test]
    fn configmap_counts_binary_data() {
        let json = r#"{"items":[{"metadata":{"name":"c","namespace":"t"},
            "data":{"config":"{}"},"binaryData":{"blob":"AAE="}}]}"#;
        let cms: Vec<ConfigMap> = parse_list("cm", json.as_bytes()).unwrap();
        assert_eq!(cms[0].data_count(), 2);
    }

    #[test]
    fn garbage_is_a_parse_error() {
        let err = parse_list::<Pod>(
            "kubectl get pods -A -o json",
            b"The connection to the server",
        )
        .unwrap_err();
        assert!(err.to_string().contains("kubectl get pods"));
    }
}
