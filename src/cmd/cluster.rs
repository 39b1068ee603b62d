//! `status`, `kubectl`/`k` and `exec`: the cluster as a whole, and passthrough.

use serde_json::json;

use crate::app::Invocation;
use crate::domain::kube::{self, ConfigMap, Named, Pod, Service};
use crate::domain::tenant::build::summarize_pod;
use crate::error::{Error, Result};
use crate::output::{Report, Table, progress};
use crate::quote;
use crate::session::{KUBECTL_UNELEVATED, remote_failure};
use crate::ssh::OutputSink;

use super::tenant::{GET_CONFIGMAPS, GET_PODS, GET_SERVICES};

const GET_NAMESPACES: &str = "kubectl get namespaces -o json";
const GET_PVS: &str = "kubectl get pv -o json";
const GET_PVCS: &str = "kubectl get pvc -A -o json";

pub async fn status(inv: &Invocation<'_>) -> Result<Report> {
    let session = inv.session()?;
    let limit = inv.timeout();
    let bar = progress::spinner(
        &inv.app.style,
        format!("{}: reading the cluster", session.name),
    );
    let fetched = tokio::try_join!(
        session.capture_elevated(GET_NAMESPACES, limit),
        session.capture_elevated(GET_PODS, limit),
        session.capture_elevated(GET_SERVICES, limit),
        session.capture_elevated(GET_PVS, limit),
        session.capture_elevated(GET_PVCS, limit),
        session.capture_elevated(GET_CONFIGMAPS, limit),
    );
    bar.finish_and_clear();
    let (ns, pods, svc, pv, pvc, cm) = fetched?;
    let parse_err = |e: kube::ParseError| Error::failed(e.to_string());

    let pods: Vec<Pod> = kube::parse_list(GET_PODS, &pods).map_err(parse_err)?;
    let counts = [
        (
            "namespaces",
            kube::parse_list::<Named>(GET_NAMESPACES, &ns)
                .map_err(parse_err)?
                .len(),
        ),
        ("pods", pods.len()),
        (
            "services",
            kube::parse_list::<Service>(GET_SERVICES, &svc)
                .map_err(parse_err)?
                .len(),
        ),
        (
            "persistentvolumes",
            kube::parse_list::<Named>(GET_PVS, &pv)
                .map_err(parse_err)?
                .len(),
        ),
        (
            "persistentvolumeclaims",
            kube::parse_list::<Named>(GET_PVCS, &pvc)
                .map_err(parse_err)?
                .len(),
        ),
        (
            "configmaps",
            kube::parse_list::<ConfigMap>(GET_CONFIGMAPS, &cm)
                .map_err(parse_err)?
                .len(),
        ),
    ];

    let mut totals = Table::new(&["RESOURCE", "COUNT"]).titled("Cluster");
    counts
        .iter()
        .for_each(|(k, n)| totals.row(vec![k.to_string(), n.to_string()]));
    let now = time::OffsetDateTime::now_utc();
    let mut unhealthy = Table::new(&["NAMESPACE", "POD", "READY", "STATUS", "RESTARTS", "AGE"])
        .titled("Unhealthy pods");
    let mut unhealthy_json = Vec::new();
    for pod in pods.iter().filter(|p| !p.healthy()) {
        let s = summarize_pod(pod, now);
        let ns = pod.metadata.namespace.clone();
        unhealthy.row(vec![
            ns.clone(),
            s.name.clone(),
            s.ready.clone(),
            s.status.clone(),
            s.restarts.to_string(),
            s.age.clone(),
        ]);
        let mut entry = serde_json::to_value(&s).expect("pod summary is plain data");
        entry["namespace"] = json!(ns);
        unhealthy_json.push(entry);
    }
    let counts_json: serde_json::Map<_, _> = counts
        .iter()
        .map(|(k, n)| (k.to_string(), json!(n)))
        .collect();
    let json = json!({ "counts": counts_json, "unhealthy_pods": unhealthy_json });
    Ok(Report {
        json,
        tables: vec![totals, unhealthy],
        ..Report::default()
    })
}

/// Streams remote output, watching stderr for kubectl's "not root" text.
struct Passthrough {
    inner: crate::output::stream::Stream,
    saw_unelevated: bool,
}

impl OutputSink for Passthrough {
    fn stdout(&mut self, data: &[u8]) {
        self.inner.stdout(data);
    }

    fn stderr(&mut self, data: &[u8]) {
        self.saw_unelevated |= String::from_utf8_lossy(data).contains(KUBECTL_UNELEVATED);
        self.inner.stderr(data);
    }
}

pub async fn kubectl(inv: &Invocation<'_>, args: &[String]) -> Result<()> {
    let quoted = quote::sh_join(args.iter().map(String::as_str))?;
    let line = if quoted.is_empty() {
        "kubectl".to_string()
    } else {
        format!("kubectl {quoted}")
    };
    passthrough(inv, &line).await
}

pub async fn exec(inv: &Invocation<'_>, command: &str) -> Result<()> {
    if command.trim().is_empty() {
        return Err(Error::Usage(
            "exec needs a shell command (exec uptime)".into(),
        ));
    }
    passthrough(inv, command).await
}

/// Stream a root command's output; its exit status becomes ours.
async fn passthrough(inv: &Invocation<'_>, line: &str) -> Result<()> {
    let session = inv.session()?;
    let mut sink = Passthrough {
        inner: inv.stream(),
        saw_unelevated: false,
    };
    let outcome = session.run_elevated(line, &mut sink, inv.timeout()).await?;
    if sink.saw_unelevated {
        return Err(crate::elevate::ElevateError::KubectlUnelevated.into());
    }
    match outcome.status {
        Some(0) => Ok(()),
        Some(status) => Err(Error::RemoteStatus { status }),
        None => Err(remote_failure(line, &outcome, b"")),
    }
}
