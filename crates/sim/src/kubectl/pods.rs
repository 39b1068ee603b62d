//! A pod's JSON, derived from the few fields a world gives (ready/containers, STATUS,
//! restarts): phase, conditions and per-container states consistent with what kubectl's
//! table would show for the same pod.

use serde_json::{Value, json};

use crate::world::Pod;

/// The pod's `status.phase` for a STATUS column value.
fn phase(status: &str) -> &'static str {
    match status {
        "Completed" => "Succeeded",
        "Error" | "OOMKilled" => "Failed",
        "Pending" | "ContainerCreating" | "ImagePullBackOff" | "ErrImagePull" | "Init:0/1" => {
            "Pending"
        }
        _ => "Running",
    }
}

/// Name of the `index`th container: the workload's name for the first, then sidecars.
fn container_name(pod: &Pod, index: u32) -> String {
    if index > 0 {
        return format!("sidecar-{index}");
    }
    // Drop the generated suffixes (`-7d9f8b6c4-x2kq9`, `-0`) to get the workload name.
    let parts: Vec<&str> = pod.name.split('-').collect();
    let keep = parts.iter().rposition(|part| !looks_generated(part));
    parts[..keep.map_or(1, |i| i + 1)].join("-")
}

/// Whether a name segment is an ordinal or a generated suffix.
fn looks_generated(part: &str) -> bool {
    const ALPHABET: &str = "bcdfghjklmnpqrstvwxz2456789";
    let all_digits = !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    let suffix_len = matches!(part.len(), 5 | 9 | 10);
    all_digits || (suffix_len && part.chars().all(|c| ALPHABET.contains(c)))
}

/// The `state` of one container, by whether it is ready and the pod's STATUS.
fn container_state(status: &str, ready: bool, started: &str) -> Value {
    if ready {
        return json!({"running": {"startedAt": started}});
    }
    match status {
        "Completed" => json!({"terminated": {
            "exitCode": 0, "reason": "Completed", "startedAt": started, "finishedAt": started,
        }}),
        "Error" | "OOMKilled" => json!({"terminated": {
            "exitCode": 1, "reason": status, "startedAt": started, "finishedAt": started,
        }}),
        "Running" => json!({"running": {"startedAt": started}}),
        reason => json!({"waiting": {"reason": reason, "message": waiting_message(reason)}}),
    }
}

fn waiting_message(reason: &str) -> String {
    match reason {
        "CrashLoopBackOff" => "back-off 5m0s restarting failed container".to_string(),
        "ImagePullBackOff" => {
            "Back-off pulling image \"registry.local/vms/app:latest\"".to_string()
        }
        other => other.to_string(),
    }
}

/// The pod as `kubectl get pod -o json` prints it.
pub(crate) fn pod_json(pod: &Pod, mut metadata: Value) -> Value {
    let app = container_name(pod, 0);
    metadata["labels"] = json!({"app.kubernetes.io/name": app});
    let containers: Vec<Value> = (0..pod.containers)
        .map(|i| json!({"name": container_name(pod, i), "image": format!("registry.local/vms/{app}:1.8.2")}))
        .collect();
    let spec = json!({
        "containers": containers,
        "nodeName": "vms",
        "restartPolicy": if pod.status == "Completed" { "Never" } else { "Always" },
    });

    let started = pod.creation_timestamp.as_str();
    let mut status = json!({
        "phase": phase(&pod.status),
        "qosClass": "BestEffort",
        "startTime": started,
    });
    // An unscheduled pod has no container statuses yet, only a failed condition.
    if pod.status == "Pending" {
        status["conditions"] = json!([{
            "type": "PodScheduled", "status": "False", "reason": "Unschedulable",
            "message": "0/1 nodes are available: 1 Insufficient memory.",
        }]);
    } else {
        status["hostIP"] = json!("192.168.56.10");
        status["podIP"] = json!(format!(
            "10.244.0.{}",
            2 + super::objects::fnv(&pod.name, 9) % 250
        ));
        status["containerStatuses"] = json!(container_statuses(pod, &app, started));
    }
    json!({"apiVersion": "v1", "kind": "Pod", "metadata": metadata, "spec": spec, "status": status})
}

fn container_statuses(pod: &Pod, app: &str, started: &str) -> Vec<Value> {
    (0..pod.containers)
        .map(|i| {
            let ready = i < pod.ready;
            // Restarts belong to the first container that is not ready, else the first.
            let restarts = if (pod.ready < pod.containers && i == pod.ready)
                || (pod.ready == pod.containers && i == 0)
            {
                pod.restarts
            } else {
                0
            };
            json!({
                "name": container_name(pod, i),
                "image": format!("registry.local/vms/{app}:1.8.2"),
                "ready": ready,
                "restartCount": restarts,
                "started": ready,
                "state": container_state(&pod.status, ready, started),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::World;

    fn find<'a>(world: &'a World, name_part: &str, status: &str) -> &'a Pod {
        world
            .pods
            .iter()
            .find(|p| p.name.contains(name_part) && p.status == status)
            .expect("the built-in world has it")
    }

    #[test]
    fn crash_looping_pod_waits_with_its_reason() {
        let world = World::builtin_at(1_750_000_000);
        let pod = find(&world, "worker", "CrashLoopBackOff");
        let json = pod_json(pod, json!({}));
        assert_eq!(json["status"]["phase"], "Running");
        let statuses = json["status"]["containerStatuses"]
            .as_array()
            .expect("statuses");
        let waiting = &statuses[1]["state"]["waiting"]["reason"];
        assert_eq!(waiting, "CrashLoopBackOff");
        assert_eq!(statuses[1]["restartCount"], pod.restarts);
        assert_eq!(statuses[0]["name"], "globex-worker");
    }

    #[test]
    fn completed_and_pending_pods() {
        let world = World::builtin_at(1_750_000_000);
        let done = pod_json(find(&world, "migrate", "Completed"), json!({}));
        assert_eq!(done["status"]["phase"], "Succeeded");
        let reason = &done["status"]["containerStatuses"][0]["state"]["terminated"]["reason"];
        assert_eq!(reason, "Completed");
        let pending = pod_json(find(&world, "reports", "Pending"), json!({}));
        assert_eq!(pending["status"]["phase"], "Pending");
        assert!(pending["status"].get("containerStatuses").is_none());
    }
}
