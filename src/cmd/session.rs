//! `session new|use|list|info|close|reconnect|elevate`.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use serde_json::json;

use crate::app::App;
use crate::cli::ConnectArgs;
use crate::cli::{SessionCmd, SessionNew};
use crate::error::{Error, Result};
use crate::output::{Report, Table, progress};
use crate::session::registry::validate_name;
use crate::session::{OpenRequest, Session};

pub async fn run(
    app: &mut App,
    command: SessionCmd,
    connect: &ConnectArgs,
) -> Result<Option<Report>> {
    let inv = app;
    match command {
        SessionCmd::New(args) => new(inv, args, connect).await,
        SessionCmd::Use { name } => {
            inv.registry.set_active(&name)?;
            Ok(None)
        }
        SessionCmd::List => Ok(Some(list(inv))),
        SessionCmd::Info { name } => info(inv, name.as_deref()).map(Some),
        SessionCmd::Close { name, all } => close(inv, name.as_deref(), all).await,
        SessionCmd::Reconnect { name } => reconnect(inv, name.as_deref()).await,
        SessionCmd::Elevate { name } => elevate(inv, name.as_deref()).await,
    }
}

async fn new(inv: &mut App, args: SessionNew, connect: &ConnectArgs) -> Result<Option<Report>> {
    validate_name(&args.name)?;
    if inv.registry.contains(&args.name) {
        return Err(Error::failed(format!(
            "a session named '{}' is open already (session close {} first, or pick another name)",
            args.name, args.name
        )));
    }
    let profile = inv.config.profiles.get(&args.name);
    if profile.is_none() && args.target.is_none() {
        let (name, file) = (&args.name, inv.paths.config_file());
        return Err(Error::failed(format!(
            "no host given and no profile '{name}' in {} (give [USER@]HOST[:PORT], or add \
             [profiles.{name}] there)",
            file.display()
        )));
    }
    let timeout = inv.settings.timeout;
    let may_prompt = inv.may_prompt();
    // Flags after `session new` win; the process's own flags fill the gaps.
    let connect = crate::app::merge_connect(connect, args.connect);
    let request = OpenRequest::resolve(
        args.target.as_deref(),
        profile,
        &connect,
        may_prompt,
        timeout,
    )?;
    let session = open(inv, args.name, request).await?;
    Ok(Some(connected_report(&session)))
}

/// Connect, elevate, register. A wrong sudo password still registers the
/// (unelevated) session and then reports the error.
pub async fn open(inv: &mut App, name: String, request: OpenRequest) -> Result<Arc<Session>> {
    // No spinner when a password may be asked for: it would draw over the prompt.
    let style = match request.may_prompt {
        true => crate::output::Style {
            progress: false,
            ..inv.style.clone()
        },
        false => inv.style.clone(),
    };
    let bar = progress::spinner(&style, format!("connecting to {}", request.target));
    let opened = request.open().await;
    bar.finish_and_clear();
    let (conn, elevator, problem) = opened.map_err(|e| e.in_session(&name))?;
    let session = Session::new(name.clone(), request, conn, elevator);
    let session = inv.registry.insert(session);
    match problem {
        Some(problem) => Err(Error::from(problem).in_session(&name)),
        None => Ok(session),
    }
}

fn connected_report(session: &Session) -> Report {
    let conn = session.connection();
    let elevation = session.elevator().state.to_string();
    let text = format!(
        "{}: connected to {} ({}), {elevation}",
        session.name, session.target, conn.auth_method
    );
    Report::text(
        text,
        json!({
            "session": session.name,
            "target": session.target.to_string(),
            "auth": conn.auth_method,
            "elevation": elevation,
        }),
    )
}

fn state_of(session: &Session) -> &'static str {
    if session.lost().is_some() {
        "lost"
    } else {
        "connected"
    }
}

fn list(inv: &App) -> Report {
    let mut table = Table::new(&[
        "",
        "NAME",
        "TARGET",
        "ELEVATION",
        "STATE",
        "TENANTS",
        "SELECTED",
        "COMMANDS",
        "IDLE",
    ]);
    let mut json = Vec::new();
    let active = inv.registry.active_name().map(str::to_string);
    for session in inv.registry.all() {
        let is_active = active.as_deref() == Some(session.name.as_str());
        let tenants = session.tenant_db().map(|db| db.tenants.len());
        let commands = session.stats.commands.load(Ordering::Relaxed);
        let idle = crate::domain::kube::age::human_duration(session.idle_for().as_secs());
        let elevation = session.elevator().state.to_string();
        table.row(vec![
            if is_active { "*".into() } else { String::new() },
            session.name.clone(),
            session.target.to_string(),
            elevation.clone(),
            state_of(&session).into(),
            tenants.map_or("-".into(), |n| n.to_string()),
            session.selected().unwrap_or_else(|| "-".into()),
            commands.to_string(),
            idle.clone(),
        ]);
        json.push(json!({
            "name": session.name,
            "active": is_active,
            "target": session.target.to_string(),
            "elevation": elevation,
            "state": state_of(&session),
            "tenants": tenants,
            "selected": session.selected(),
            "commands": commands,
            "idle_seconds": session.idle_for().as_secs(),
        }));
    }
    Report::table(table, json.into())
}

fn info(inv: &App, name: Option<&str>) -> Result<Report> {
    let session = match name {
        Some(name) => inv.registry.get(name)?,
        None => inv.registry.active()?,
    };
    let conn = session.connection();
    let link = &conn.link;
    let stats = &session.stats;
    let db = session.tenant_db();
    let since = session.connected_since();
    let since = since
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    let fields: Vec<(&str, serde_json::Value)> = vec![
        ("name", json!(session.name)),
        ("target", json!(session.target.to_string())),
        ("state", json!(state_of(&session))),
        ("lost_reason", json!(session.lost())),
        ("auth", json!(conn.auth_method)),
        (
            "host_key",
            json!(crate::ssh::known_hosts::fingerprint(&conn.host_key)),
        ),
        ("elevation", json!(session.elevator().state.to_string())),
        ("connected_since", json!(since)),
        ("commands", json!(stats.commands.load(Ordering::Relaxed))),
        ("failures", json!(stats.failures.load(Ordering::Relaxed))),
        ("bytes_in", json!(link.bytes_in.load(Ordering::Relaxed))),
        ("bytes_out", json!(link.bytes_out.load(Ordering::Relaxed))),
        (
            "channels_open",
            json!(link.channels_open.load(Ordering::Relaxed)),
        ),
        ("idle_seconds", json!(session.idle_for().as_secs())),
        ("tenants", json!(db.as_ref().map(|d| d.tenants.len()))),
        (
            "build_number",
            json!(db.as_ref().map(|d| d.metadata.build_number)),
        ),
        ("selected", json!(session.selected())),
        ("log_root", json!(session.request.log_root)),
    ];
    let mut table = Table::new(&["FIELD", "VALUE"]);
    for (key, value) in &fields {
        let shown = match value {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Null => "-".into(),
            other => other.to_string(),
        };
        table.row(vec![key.to_string(), shown]);
    }
    let json: serde_json::Map<String, serde_json::Value> = fields
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    Ok(Report::table(table, json.into()))
}

async fn close(inv: &mut App, name: Option<&str>, all: bool) -> Result<Option<Report>> {
    let names = match (name, all) {
        (_, true) => inv.registry.names(),
        (Some(name), false) => vec![name.to_string()],
        (None, false) => return Err(Error::Usage("session close NAME or --all".into())),
    };
    for name in names {
        let session = inv.registry.remove(&name)?;
        session.connection().close().await;
    }
    Ok(None)
}

async fn reconnect(inv: &mut App, name: Option<&str>) -> Result<Option<Report>> {
    let session = match name {
        Some(name) => inv.registry.get(name)?,
        None => inv.registry.active()?,
    };
    reopen(inv, &session).await?;
    Ok(Some(connected_report(&session)))
}

/// Open the session's connection again with the same target and credential
/// sources (asking again for what was asked the first time). The tenant
/// database, selected tenant and counters stay.
pub async fn reopen(app: &App, session: &Session) -> Result<()> {
    let bar = progress::spinner(&app.style, format!("reconnecting {}", session.name));
    let opened = session.request.open().await;
    bar.finish_and_clear();
    let (conn, elevator, problem) = opened?;
    session.connection().close().await;
    session.replace(conn, elevator);
    match problem {
        Some(problem) => Err(problem.into()),
        None => Ok(()),
    }
}

/// Before a command on a lost session: say so, reconnect once, go on.
pub async fn revive(app: &App, session: &Session, note: impl Fn(&str)) -> Result<()> {
    let Some(reason) = session.lost() else {
        return Ok(());
    };
    if session.request.may_prompt && !app.may_prompt() {
        return Err(crate::ssh::SshError::Lost { reason }.into());
    }
    note(&format!(
        "{}: connection lost ({reason}); reconnecting",
        session.name
    ));
    reopen(app, session).await
}

async fn elevate(inv: &mut App, name: Option<&str>) -> Result<Option<Report>> {
    let session = match name {
        Some(name) => inv.registry.get(name)?,
        None => inv.registry.active()?,
    };
    let mut request = session.request.clone();
    request.may_prompt = inv.may_prompt();
    let (elevator, problem) = request.elevate(&session.connection()).await?;
    session.set_elevator(elevator);
    if let Some(problem) = problem {
        return Err(problem.into());
    }
    Ok(Some(connected_report(&session)))
}
