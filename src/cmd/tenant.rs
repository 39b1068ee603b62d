//! `tenant build|list|show|use|export`: the per-session tenant database.

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use serde_json::json;
use time::OffsetDateTime;

use crate::app::{Invocation, now_rfc3339};
use crate::cli::TenantCmd;
use crate::domain::kube::{self, ConfigMap, Pod, Service};
use crate::domain::tenant::{BuildInfo, Tenant, TenantDb, build, diff};
use crate::error::{Error, Result};
use crate::output::{Report, Table, progress};
use crate::session::Session;
use crate::store::{StoreError, snapshots, write_private};

pub const GET_SERVICES: &str = "kubectl get svc -A -o json";
pub const GET_CONFIGMAPS: &str = "kubectl get configmaps -A -o json";
pub const GET_PODS: &str = "kubectl get pods -A -o json";

pub async fn run(inv: &mut Invocation<'_>, command: TenantCmd) -> Result<Option<Report>> {
    let session = inv.session()?;
    match command {
        TenantCmd::Build => build_tenants(inv, &session).await.map(Some),
        TenantCmd::List => list(&ensure_db(inv, &session).await?).map(Some),
        TenantCmd::Show { tenant } => {
            let db = ensure_db(inv, &session).await?;
            show(&session, &db, tenant.as_deref()).map(Some)
        }
        TenantCmd::Use { tenant } => {
            tenant_in(&ensure_db(inv, &session).await?, &tenant)?;
            session.select(Some(tenant));
            Ok(None)
        }
        TenantCmd::Diff { a, b, previous } => {
            diff_cmd(inv, &session, a, b, previous).await.map(Some)
        }
        TenantCmd::Export { file, force } => {
            export(&ensure_db(inv, &session).await?, file.as_deref(), force)
        }
    }
}

/// Fetch the three listings concurrently, assemble, snapshot, report changes.
async fn build_tenants(inv: &Invocation<'_>, session: &Arc<Session>) -> Result<Report> {
    let started = Instant::now();
    let limit = inv.timeout();
    let bar = progress::spinner(
        &inv.app.style,
        format!("{}: fetching services, ConfigMaps, pods", session.name),
    );
    // The last snapshot is read while the lists are in flight, and each list
    // is parsed as soon as it has arrived.
    let target = &session.target;
    let path = snapshots::file_for(
        &inv.app.paths.snapshots(),
        &target.user,
        &target.host,
        target.port,
    );
    let load_path = path.clone();
    let recorded = tokio::task::spawn_blocking(move || snapshots::load(&load_path));
    let fetched = tokio::try_join!(
        fetch_list::<Service>(session, GET_SERVICES, limit),
        fetch_list::<ConfigMap>(session, GET_CONFIGMAPS, limit),
        fetch_list::<Pod>(session, GET_PODS, limit),
    );
    bar.finish_and_clear();
    let (services, configmaps, pods) = fetched?;
    let now = OffsetDateTime::now_utc();
    let tenants = build::assemble(&services, &configmaps, &pods, &session.excluded, now);
    // A snapshot that cannot be read only costs the change report, as in `load`.
    let recorded = recorded.await.unwrap_or_default();
    let last_number = recorded
        .latest
        .as_ref()
        .map_or(0, |db| db.metadata.build_number);
    let db = TenantDb {
        metadata: BuildInfo {
            host: target.host.clone(),
            port: target.port,
            user: target.user.clone(),
            built_at: now_rfc3339(),
            build_number: last_number + 1,
            duration_ms: started.elapsed().as_millis() as u64,
        },
        tenants,
    };
    let previous = snapshots::save(&path, recorded, &db)?;
    session
        .stats
        .builds
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    if session
        .selected()
        .is_some_and(|t| !db.tenants.contains_key(&t))
    {
        session.select(None);
    }
    let report = build_report(&db, previous.as_ref());
    session.set_tenant_db(db);
    Ok(report)
}

/// One kubectl list, fetched as root and parsed on a blocking thread.
async fn fetch_list<T>(
    session: &Session,
    command: &'static str,
    limit: Option<std::time::Duration>,
) -> Result<Vec<T>>
where
    T: serde::de::DeserializeOwned + Send + 'static,
{
    let bytes = session.capture_elevated(command, limit).await?;
    let parsed = tokio::task::spawn_blocking(move || kube::parse_list(command, &bytes)).await;
    let parsed = parsed.map_err(|e| Error::failed(format!("{command}: parser stopped: {e}")))?;
    parsed.map_err(|e| Error::failed(e.to_string()))
}

fn build_report(db: &TenantDb, previous: Option<&TenantDb>) -> Report {
    let with_redis = db.tenants.values().filter(|t| t.redis.is_some()).count();
    let changes = previous.map(|p| diff::compare(p, db));
    let mut text = format!(
        "built {} tenants ({with_redis} with Redis) in {} ms, build #{}\n",
        db.tenants.len(),
        db.metadata.duration_ms,
        db.metadata.build_number
    );
    match &changes {
        None => text.push_str("first build of this host: nothing to compare\n"),
        Some(c) if c.is_empty() => text.push_str("no changes since the previous build\n"),
        Some(c) => {
            text.push_str("changes since the previous build:\n");
            for line in c.lines() {
                text.push_str(&format!("  {line}\n"));
            }
        }
    }
    let json = json!({
        "tenants": db.tenants.len(),
        "with_redis": with_redis,
        "build_number": db.metadata.build_number,
        "duration_ms": db.metadata.duration_ms,
        "changes": changes,
    });
    Report::text(text, json)
}

/// The session's database, built first if this session has none yet (so a
/// one-shot `vmsdbg --host H tenant list` works on its own).
pub async fn ensure_db(inv: &Invocation<'_>, session: &Arc<Session>) -> Result<TenantDb> {
    if let Some(db) = session.tenant_db() {
        return Ok(db);
    }
    let name = &session.name;
    inv.note(&format!(
        "{name}: no tenant database yet, building it (tenant build)"
    ));
    build_tenants(inv, session).await?;
    session
        .tenant_db()
        .ok_or_else(|| Error::failed("tenant build left no database"))
}

pub fn tenant_in(db: &TenantDb, name: &str) -> Result<Tenant> {
    db.tenants.get(name).cloned().ok_or_else(|| {
        Error::failed(format!(
            "no tenant '{}' (tenant list shows them)",
            name.escape_debug()
        ))
    })
}

fn list(db: &TenantDb) -> Result<Report> {
    let mut table = Table::new(&[
        "TENANT",
        "SERVICES",
        "REDIS",
        "CONFIGMAPS",
        "PODS",
        "UNHEALTHY",
    ]);
    let mut json = Vec::new();
    for (name, tenant) in &db.tenants {
        let redis = tenant.redis.as_ref().map(|r| r.cluster_ip.clone());
        let unhealthy = unhealthy(tenant);
        table.row(vec![
            name.clone(),
            tenant.services.len().to_string(),
            redis.clone().unwrap_or_else(|| "-".into()),
            tenant.configmaps.len().to_string(),
            tenant.pods.len().to_string(),
            unhealthy.to_string(),
        ]);
        json.push(json!({
            "name": name,
            "services": tenant.services.len(),
            "redis": redis,
            "configmaps": tenant.configmaps.len(),
            "pods": tenant.pods.len(),
            "unhealthy_pods": unhealthy,
        }));
    }
    Ok(Report::table(table, json.into()))
}

fn unhealthy(tenant: &Tenant) -> usize {
    let healthy = |status: &str, ready: &str| {
        let (up, total) = ready.split_once('/').unwrap_or(("0", "0"));
        matches!(status, "Completed" | "Succeeded") || (status == "Running" && up == total)
    };
    tenant
        .pods
        .iter()
        .filter(|p| !healthy(&p.status, &p.ready))
        .count()
}

fn show(session: &Session, db: &TenantDb, name: Option<&str>) -> Result<Report> {
    let name = match name {
        Some(name) => name.to_string(),
        None => session.selected().ok_or_else(|| {
            Error::failed("no tenant selected (tenant show TENANT, or tenant use TENANT first)")
        })?,
    };
    let tenant = tenant_in(db, &name)?;

    let mut redis = Table::new(&[
        "SERVICE",
        "TYPE",
        "CLUSTER-IP",
        "EXTERNAL-IP",
        "PORT(S)",
        "AGE",
    ])
    .titled("Redis");
    if let Some(r) = &tenant.redis {
        redis.row(vec![
            r.service.clone(),
            r.kind.clone(),
            r.cluster_ip.clone(),
            r.external_ip.clone(),
            r.ports.clone(),
            r.age.clone(),
        ]);
    }
    let mut services = Table::new(&["SERVICE"]).titled("Services");
    tenant
        .services
        .iter()
        .for_each(|s| services.row(vec![s.clone()]));
    let mut cms = Table::new(&["NAME", "DATA", "AGE"]).titled("ConfigMaps");
    for cm in &tenant.configmaps {
        cms.row(vec![
            cm.name.clone(),
            cm.data_count.to_string(),
            cm.age.clone(),
        ]);
    }
    let mut pods = Table::new(&["NAME", "READY", "STATUS", "RESTARTS", "AGE"]).titled("Pods");
    for p in &tenant.pods {
        pods.row(vec![
            p.name.clone(),
            p.ready.clone(),
            p.status.clone(),
            p.restarts.to_string(),
            p.age.clone(),
        ]);
    }

    let mut json = serde_json::to_value(&tenant).expect("tenant is plain data");
    json["name"] = json!(name);
    let mut report = Report {
        json,
        tables: vec![redis, services, cms, pods],
        ..Report::default()
    };
    if tenant.redis.is_none() {
        report = report.note(format!("tenant '{name}' has no Redis service"));
    }
    Ok(report)
}

fn export(db: &TenantDb, file: Option<&Path>, force: bool) -> Result<Option<Report>> {
    let json = serde_json::to_value(db).expect("tenant db is plain data");
    let Some(path) = file else {
        return Ok(Some(Report::text(
            serde_json::to_string_pretty(&json).unwrap_or_default(),
            json,
        )));
    };
    if path.exists() && !force {
        return Err(StoreError::Exists {
            path: path.to_path_buf(),
        }
        .into());
    }
    let mut bytes = serde_json::to_vec_pretty(&json).expect("tenant db is plain data");
    bytes.push(b'\n');
    write_private(path, &bytes)?;
    let note = format!("wrote {} tenants to {}", db.tenants.len(), path.display());
    Ok(Some(Report::default().note(note)))
}

/// `tenant diff A B` or `tenant diff --previous`.
async fn diff_cmd(
    inv: &Invocation<'_>,
    session: &Arc<Session>,
    a: Option<String>,
    b: Option<String>,
    previous: bool,
) -> Result<Report> {
    let (label, before, after) = if previous {
        let target = &session.target;
        let path = snapshots::file_for(
            &inv.app.paths.snapshots(),
            &target.user,
            &target.host,
            target.port,
        );
        let snapshot = snapshots::load(&path);
        let (Some(before), Some(after)) = (snapshot.previous, snapshot.latest) else {
            return Err(Error::failed(format!(
                "fewer than two builds of {target} are recorded (run tenant build again later)"
            )));
        };
        let label = format!(
            "build #{} -> #{}",
            before.metadata.build_number, after.metadata.build_number
        );
        (label, before, after)
    } else {
        let (a, b) = (a.unwrap_or_default(), b.unwrap_or_default());
        let (sa, sb) = (inv.app.registry.get(&a)?, inv.app.registry.get(&b)?);
        let (before, after) = tokio::try_join!(ensure_db(inv, &sa), ensure_db(inv, &sb))?;
        (format!("{a} -> {b}"), before, after)
    };
    let changes = diff::compare(&before, &after);
    let mut table = Table::new(&["CHANGE"]).titled(label);
    changes
        .lines()
        .into_iter()
        .for_each(|line| table.row(vec![line]));
    let json = serde_json::to_value(&changes).expect("changes are plain data");
    Ok(Report::table(table, json))
}
