//! kubectl's default tables: the columns each kind shows and the tab-writer layout
//! (minimum width 6, padding 3, last column unpadded) that makes them line up.

use super::args::Kind;
use super::objects::Obj;
use crate::clock::{human_age, parse_rfc3339};
use crate::world::{Service, ServiceType};

/// The column headers for `kind`, without `NAMESPACE`.
pub fn headers(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Service => &[
            "NAME",
            "TYPE",
            "CLUSTER-IP",
            "EXTERNAL-IP",
            "PORT(S)",
            "AGE",
        ],
        Kind::ConfigMap => &["NAME", "DATA", "AGE"],
        Kind::Pod => &["NAME", "READY", "STATUS", "RESTARTS", "AGE"],
        Kind::Namespace => &["NAME", "STATUS", "AGE"],
        Kind::PersistentVolume => &[
            "NAME",
            "CAPACITY",
            "ACCESS MODES",
            "RECLAIM POLICY",
            "STATUS",
            "CLAIM",
            "STORAGECLASS",
            "VOLUMEATTRIBUTESCLASS",
            "REASON",
            "AGE",
        ],
        Kind::PersistentVolumeClaim => &[
            "NAME",
            "STATUS",
            "VOLUME",
            "CAPACITY",
            "ACCESS MODES",
            "STORAGECLASS",
            "VOLUMEATTRIBUTESCLASS",
            "AGE",
        ],
    }
}

/// One table row for `obj`, without the namespace, with ages relative to `now`.
pub fn cells(obj: &Obj<'_>, now: i64) -> Vec<String> {
    let age =
        parse_rfc3339(obj.created()).map_or_else(|| "<unknown>".to_string(), |t| human_age(t, now));
    let mut row = match obj {
        Obj::Service(s) => vec![
            s.name.clone(),
            s.kind.as_str().to_string(),
            s.cluster_ip.clone(),
            external_ip(s),
            ports(s),
        ],
        Obj::ConfigMap(c) => vec![c.name.clone(), c.data_count().to_string()],
        Obj::Pod(p) => vec![
            p.name.clone(),
            format!("{}/{}", p.ready, p.containers),
            p.status.clone(),
            p.restarts.to_string(),
        ],
        Obj::Namespace(n) => vec![n.name.clone(), n.status.clone()],
        Obj::PersistentVolume(v) => vec![
            v.name.clone(),
            v.capacity.clone(),
            access_modes(&v.access_modes),
            v.reclaim_policy.clone(),
            v.status.clone(),
            v.claim.clone().unwrap_or_default(),
            v.storage_class.clone(),
            "<unset>".to_string(),
            String::new(),
        ],
        Obj::PersistentVolumeClaim(c) => {
            let bound = c.volume.is_some();
            let shown = |text: String| if bound { text } else { String::new() };
            vec![
                c.name.clone(),
                c.status.clone(),
                c.volume.clone().unwrap_or_default(),
                shown(c.capacity.clone()),
                shown(access_modes(&c.access_modes)),
                c.storage_class.clone(),
                "<unset>".to_string(),
            ]
        }
    };
    row.push(age);
    row
}

/// EXTERNAL-IP: `<none>` unless a LoadBalancer, which shows its ingress or `<pending>`.
fn external_ip(svc: &Service) -> String {
    match (svc.kind, svc.load_balancer_ingress.is_empty()) {
        (ServiceType::LoadBalancer, true) => "<pending>".to_string(),
        (ServiceType::LoadBalancer, false) => svc.load_balancer_ingress.join(","),
        _ => "<none>".to_string(),
    }
}

/// PORT(S): `6379/TCP`, `80:31234/TCP,443:31443/TCP`, or `<none>`.
fn ports(svc: &Service) -> String {
    if svc.ports.is_empty() {
        return "<none>".to_string();
    }
    let each = svc.ports.iter().map(|p| match p.node_port {
        Some(node) => format!("{}:{node}/{}", p.port, p.protocol),
        None => format!("{}/{}", p.port, p.protocol),
    });
    each.collect::<Vec<_>>().join(",")
}

/// ACCESS MODES: `RWO`, `RWX,ROX`...
fn access_modes(modes: &[String]) -> String {
    let short = modes.iter().map(|m| match m.as_str() {
        "ReadWriteOnce" => "RWO",
        "ReadOnlyMany" => "ROX",
        "ReadWriteMany" => "RWX",
        "ReadWriteOncePod" => "RWOP",
        other => other,
    });
    short.collect::<Vec<_>>().join(",")
}

/// Lays rows out as Go's tabwriter does for kubectl: every column but the last is as
/// wide as its widest cell plus 3, and at least 6.
pub fn layout(rows: &[Vec<String>]) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![6; columns];
    for row in rows {
        for (i, cell) in row.iter().enumerate().take(row.len().saturating_sub(1)) {
            widths[i] = widths[i].max(cell.chars().count() + 3);
        }
    }
    let mut out = String::new();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            out.push_str(cell);
            if i + 1 < row.len() {
                let pad = widths[i] - cell.chars().count();
                out.extend(std::iter::repeat_n(' ', pad));
            }
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_pads_like_tabwriter() {
        let rows = vec![
            vec!["NAME".to_string(), "DATA".to_string(), "AGE".to_string()],
            vec![
                "kube-root-ca.crt".to_string(),
                "1".to_string(),
                "5d".to_string(),
            ],
        ];
        let want = "NAME               DATA   AGE\nkube-root-ca.crt   1      5d\n";
        assert_eq!(layout(&rows), want);
    }
}
