//! `status`, `kubectl`/`k` and `exec`: the cluster as a whole, and passthrough.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde_json::json;

use crate::app::Invocation;
use crate::cli::Format;
use crate::domain::kube::{self, ConfigMap, Named, Pod, Service};
use crate::domain::tenant::build::summarize_pod;
use crate::error::{Error, Result};
use crate::output::{Report, Table, progress};
use crate::quote;
use crate::session::{KUBECTL_UNELEVATED, Session, remote_failure};
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

/// An unelevated session runs `exec`/`kubectl` as its login user; say so,
/// unless the operator chose that with `--sudo none`.
/// A refused sudo password is an operator's mistake to fix, not a reason to run
/// the command as someone else: that stays an error.
fn note_unelevated(inv: &Invocation<'_>, session: &Session) -> Result<()> {
    match session.unelevated_reason() {
        Some(why) if why == crate::elevate::WRONG_PASSWORD => {
            Err(crate::elevate::ElevateError::NotElevated { reason: why }.into())
        }
        Some(why) if why != crate::elevate::SUDO_NONE => {
            inv.note(&format!(
                "{}: not elevated ({why}); running as {}",
                session.name, session.target.user
            ));
            Ok(())
        }
        _ => Ok(()),
    }
}

/// Stream a root command's output; its exit status becomes ours. With `-o json` the
/// run is held and printed as one object instead (see [`held_json`]).
async fn passthrough(inv: &Invocation<'_>, line: &str) -> Result<()> {
    // Known gap: under `@all` a block's JSON must be a Value, which a command that
    // returns nothing cannot give, so there the stream stays (fan-out wraps it).
    if inv.format == Format::Json && inv.capture.is_none() {
        return held_json(inv, line).await;
    }
    let session = inv.session()?;
    note_unelevated(inv, &session)?;
    let mut sink = Passthrough {
        inner: inv.stream(),
        saw_unelevated: false,
    };
    let outcome = session
        .run_as_root_or_user(line, &mut sink, inv.timeout())
        .await?;
    if sink.saw_unelevated {
        return Err(crate::elevate::ElevateError::KubectlUnelevated.into());
    }
    match outcome.status {
        Some(0) => Ok(()),
        Some(status) => Err(Error::RemoteStatus { status }),
        None => Err(remote_failure(line, &outcome, b"")),
    }
}

/// The most bytes of each stream kept for `-o json`; the rest is counted, not held.
const HELD_LIMIT: usize = 64 << 20;

/// One output stream held for `-o json`, up to `limit` bytes ([`HELD_LIMIT`]).
struct Held {
    bytes: Vec<u8>,
    cut: u64,
    limit: usize,
}

impl Default for Held {
    fn default() -> Held {
        Held {
            bytes: Vec::new(),
            cut: 0,
            limit: HELD_LIMIT,
        }
    }
}

impl Held {
    fn push(&mut self, data: &[u8]) {
        let room = self.limit.saturating_sub(self.bytes.len()).min(data.len());
        self.bytes.extend_from_slice(&data[..room]);
        self.cut += (data.len() - room) as u64;
    }

    /// `NAME` as text, plus `NAME_base64` when the text is not exactly the bytes
    /// (not UTF-8) and `NAME_cut` when bytes were dropped.
    fn fields(&self, name: &str, into: &mut serde_json::Map<String, serde_json::Value>) {
        let text = String::from_utf8_lossy(&self.bytes);
        if let std::borrow::Cow::Owned(_) = text {
            into.insert(format!("{name}_base64"), json!(BASE64.encode(&self.bytes)));
        }
        into.insert(name.to_string(), json!(text));
        if self.cut > 0 {
            into.insert(format!("{name}_cut"), json!(self.cut));
        }
    }
}

#[derive(Default)]
struct HeldRun {
    stdout: Held,
    stderr: Held,
}

impl OutputSink for HeldRun {
    fn stdout(&mut self, data: &[u8]) {
        self.stdout.push(data);
    }

    fn stderr(&mut self, data: &[u8]) {
        self.stderr.push(data);
    }
}

/// `exec`/`kubectl` with `-o json`: `{"stdout", "stderr", "exit", "signal"}` once the
/// command ends (docs/json-schema.md). A script gets the two streams apart and the
/// status in the document; our exit status still follows the remote one, as without
/// `-o json`, so `set -e` scripts behave the same either way.
async fn held_json(inv: &Invocation<'_>, line: &str) -> Result<()> {
    let session = inv.session()?;
    note_unelevated(inv, &session)?;
    let mut run = HeldRun::default();
    let outcome = session
        .run_as_root_or_user(line, &mut run, inv.timeout())
        .await?;
    if String::from_utf8_lossy(&run.stderr.bytes).contains(KUBECTL_UNELEVATED) {
        return Err(crate::elevate::ElevateError::KubectlUnelevated.into());
    }

    let mut doc = serde_json::Map::new();
    run.stdout.fields("stdout", &mut doc);
    run.stderr.fields("stderr", &mut doc);
    doc.insert("exit".into(), json!(outcome.status));
    doc.insert("signal".into(), json!(outcome.signal));
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    inv.stream().stdout(text.as_bytes());

    match outcome.status {
        Some(0) => Ok(()),
        Some(status) => Err(Error::RemoteStatus { status }),
        None => Err(remote_failure(line, &outcome, &run.stderr.bytes)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(held: &Held) -> serde_json::Value {
        let mut doc = serde_json::Map::new();
        held.fields("stdout", &mut doc);
        serde_json::Value::Object(doc)
    }

    #[test]
    fn held_text_is_exact_or_comes_with_base64() {
        let mut held = Held::default();
        held.push(b"a\n");
        held.push(b"b");
        assert_eq!(fields(&held), json!({"stdout": "a\nb"}));

        let mut raw = Held::default();
        raw.push(b"x\xff");
        let doc = fields(&raw);
        assert_eq!(doc["stdout"], "x\u{fffd}");
        assert_eq!(doc["stdout_base64"], BASE64.encode(b"x\xff"));
    }

    #[test]
    fn held_output_past_the_limit_is_counted_not_kept() {
        let mut held = Held {
            limit: 4,
            ..Held::default()
        };
        held.push(b"abc");
        held.push(b"defg");
        held.push(b"h");
        assert_eq!(fields(&held), json!({"stdout": "abcd", "stdout_cut": 4}));
    }
}
