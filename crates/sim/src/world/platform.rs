//! The built-in world's platform pieces: system and platform namespaces with their
//! services and pods, spare volumes, and the sample log files.

use super::builder::{Clock, DAY, HOUR, add_namespace, pod, service};
use super::{LogFile, PersistentVolume, PersistentVolumeClaim, ServicePort, ServiceType, World};

/// System and platform namespaces with their usual services and pods.
pub(crate) fn add_platform(world: &mut World, clock: Clock) {
    let born = clock.ago(420 * DAY);
    for ns in ["default", "kube-node-lease", "kube-public", "kube-system"] {
        add_namespace(world, ns, &born);
    }
    for ns in ["ingress-nginx", "metallb-system", "message-server"] {
        add_namespace(world, ns, &clock.ago(419 * DAY));
    }

    let https = vec![ServicePort {
        name: Some("https".into()),
        ..ServicePort::tcp(443)
    }];
    world.services.push(service(
        "default",
        "kubernetes",
        ServiceType::ClusterIP,
        "10.96.0.1",
        https.clone(),
        &born,
    ));
    let dns = vec![
        ServicePort {
            name: Some("dns".into()),
            protocol: "UDP".into(),
            ..ServicePort::tcp(53)
        },
        ServicePort {
            name: Some("dns-tcp".into()),
            ..ServicePort::tcp(53)
        },
        ServicePort {
            name: Some("metrics".into()),
            ..ServicePort::tcp(9153)
        },
    ];
    world.services.push(service(
        "kube-system",
        "kube-dns",
        ServiceType::ClusterIP,
        "10.96.0.10",
        dns,
        &born,
    ));

    let web = vec![
        ServicePort::node("http", 80, 30080),
        ServicePort::node("https", 443, 30443),
    ];
    let mut ingress = service(
        "ingress-nginx",
        "ingress-nginx-controller",
        ServiceType::LoadBalancer,
        "10.96.12.34",
        web,
        &born,
    );
    ingress.load_balancer_ingress = vec!["203.0.113.5".into()];
    world.services.push(ingress);
    world.services.push(service(
        "ingress-nginx",
        "ingress-nginx-controller-admission",
        ServiceType::ClusterIP,
        "10.96.12.35",
        https.clone(),
        &born,
    ));
    world.services.push(service(
        "metallb-system",
        "metallb-webhook-service",
        ServiceType::ClusterIP,
        "10.96.13.2",
        https,
        &born,
    ));
    let kafka = vec![ServicePort::tcp(9092)];
    world.services.push(service(
        "message-server",
        "message-server",
        ServiceType::ClusterIP,
        "10.96.50.10",
        kafka,
        &born,
    ));
    let admin = vec![ServicePort::node("admin", 8443, 32443)];
    world.services.push(service(
        "message-server",
        "message-server-admin",
        ServiceType::NodePort,
        "10.96.50.11",
        admin,
        &born,
    ));

    add_platform_pods(world, clock);
}

fn add_platform_pods(world: &mut World, clock: Clock) {
    let up = clock.ago(33 * DAY + 4 * HOUR);
    let system = [
        ("kube-system", "coredns-76f75df574-8xk2p"),
        ("kube-system", "coredns-76f75df574-qw7vz"),
        ("kube-system", "etcd-vms"),
        ("kube-system", "kube-apiserver-vms"),
        ("kube-system", "kube-controller-manager-vms"),
        ("kube-system", "kube-proxy-5mz9t"),
        ("kube-system", "kube-scheduler-vms"),
        ("ingress-nginx", "ingress-nginx-controller-7c6974c4d8-j9shd"),
        ("metallb-system", "controller-5c46fb7c9c-n2w8l"),
        ("metallb-system", "speaker-t6hbk"),
        ("message-server", "message-server-0"),
    ];
    for (ns, name) in system {
        world.pods.push(pod(ns, name, (1, 1), "Running", 1, &up));
    }
    let jobs = [
        "ingress-nginx-admission-create-x7kd2",
        "ingress-nginx-admission-patch-r4m5n",
    ];
    for name in jobs {
        world.pods.push(pod(
            "ingress-nginx",
            name,
            (0, 1),
            "Completed",
            0,
            &clock.ago(419 * DAY),
        ));
    }
    world.pods.push(pod(
        "message-server",
        "message-server-1",
        (0, 1),
        "ImagePullBackOff",
        0,
        &clock.ago(7 * 60),
    ));
}

pub(crate) fn add_spare_volumes(world: &mut World, clock: Clock) {
    let rwx = vec!["ReadWriteMany".to_string()];
    world.persistent_volumes.push(PersistentVolume {
        name: "backup-nfs".into(),
        capacity: "100Gi".into(),
        access_modes: rwx.clone(),
        reclaim_policy: "Retain".into(),
        status: "Available".into(),
        claim: None,
        storage_class: String::new(),
        creation_timestamp: clock.ago(200 * DAY),
    });
    world.persistent_volumes.push(PersistentVolume {
        name: "old-archive".into(),
        capacity: "50Gi".into(),
        access_modes: rwx.clone(),
        reclaim_policy: "Retain".into(),
        status: "Released".into(),
        claim: Some("message-server/archive".into()),
        storage_class: String::new(),
        creation_timestamp: clock.ago(300 * DAY),
    });
    world.persistent_volume_claims.push(PersistentVolumeClaim {
        namespace: "message-server".into(),
        name: "spool".into(),
        status: "Pending".into(),
        volume: None,
        capacity: "20Gi".into(),
        access_modes: rwx,
        storage_class: "fast-ssd".into(),
        creation_timestamp: clock.ago(5 * 60),
    });
}

/// A few log files under `/var/log/versa/vms`, including rotated, gzip and non-UTF-8
/// ones; the logs commands grow this set.
pub(crate) fn add_logs(world: &mut World, clock: Clock) {
    let root = "/var/log/versa/vms";
    let mtime = clock.ago(90);
    let admin = (0..40)
        .map(|i| {
            let level = if i % 9 == 4 { "ERROR" } else { "INFO" };
            format!(
                "2025-06-01T10:{:02}:00Z {level} vms-admin: request {i} handled\n",
                i % 60
            )
        })
        .collect::<String>();
    world.logs.push(LogFile::text(
        &format!("{root}/vms-admin.log"),
        admin,
        &mtime,
    ));
    let api = "2025-06-01T10:00:00Z INFO api: started\n2025-06-01T10:00:05Z Error api: \
               redis timeout after 5s\n2025-06-01T10:00:06Z INFO api: retry ok\n";
    world.logs.push(LogFile::text(
        &format!("{root}/apps/api/api.log"),
        api.to_string(),
        &mtime,
    ));
    let rotated = "2025-05-31T23:59:59Z INFO api: rotating\n";
    world.logs.push(LogFile::text(
        &format!("{root}/apps/api/api.log.1"),
        rotated.into(),
        &clock.ago(DAY),
    ));
    let gz = [
        0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0, 0x03, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ];
    world.logs.push(LogFile::bytes(
        &format!("{root}/apps/api/api.log.2.gz"),
        &gz,
        &clock.ago(2 * DAY),
    ));
    let mut raw = b"2025-06-01T10:00:00Z INFO worker: payload ".to_vec();
    raw.extend_from_slice(&[0xff, 0xfe, 0x00, 0xc3, 0x28]);
    raw.extend_from_slice(b"\n2025-06-01T10:00:01Z ERROR worker: bad frame\n");
    raw.extend_from_slice(
        format!("2025-06-01T10:00:02Z INFO worker: {}\n", "x".repeat(8192)).as_bytes(),
    );
    world.logs.push(LogFile::bytes(
        &format!("{root}/apps/worker/worker.log"),
        &raw,
        &mtime,
    ));
}
