//! `session new|use|list|info|close|reconnect|elevate`, and [`Batch`]: a
//! script's consecutive `session new` lines opened concurrently.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde_json::json;
use tokio::sync::oneshot;

use crate::app::{App, Flow};
use crate::cli::{Command, ConnectArgs, Format, Line};
use crate::cli::{SessionCmd, SessionNew};
use crate::error::{Error, Result};
use crate::output::{Report, Table, progress};
use crate::session::open::{ConnectGate, records_new_keys};
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
    let (name, request) = prepare(inv, args, connect)?;
    let session = open(inv, name, request).await?;
    Ok(Some(connected_report(&session)))
}

/// Check a `session new` and resolve what to open, without connecting.
fn prepare(inv: &App, args: SessionNew, connect: &ConnectArgs) -> Result<(String, OpenRequest)> {
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
        return Err(Error::Usage(format!(
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
    Ok((args.name, request))
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

/// Consecutive `session new` lines of a script, opening at once.
///
/// Each line's open runs as its own task; the tasks then take turns in line
/// order to print (`--echo`, the report or `FILE:LINE: error`), so output
/// appears as soon as a line and all lines before it are done, even while the
/// script waits for more input. A line that stops the script tells every
/// later line to close what it opened and print nothing. The sessions join
/// the registry in line order when the batch is drained, before any other
/// line runs.
pub struct Batch {
    file: String,
    echo: bool,
    keep_going: bool,
    style: crate::output::Style,
    quiet: bool,
    gate: Arc<ConnectGate>,
    /// Names opened by this batch: a repeat must see the earlier line's result.
    names: HashSet<String>,
    pending: Vec<Pending>,
    /// The last pending line's "go on" signal, for the next line to wait on.
    turn: Option<oneshot::Receiver<bool>>,
    /// Set by a line that stops the script, so no later line starts.
    stopped: Arc<AtomicBool>,
}

struct Pending {
    line: String,
    number: usize,
    task: tokio::task::JoinHandle<Outcome>,
}

/// What one line's task did, for the registry and the audit log.
enum Outcome {
    /// Connected; `problem` is a failed elevation, already printed.
    Opened {
        session: Box<Session>,
        problem: Option<Error>,
        took: Duration,
    },
    /// Printed already.
    Failed { error: Error, took: Duration },
    /// An earlier line stopped the script: closed, nothing printed.
    Skipped,
}

/// Failures among drained lines and whether the script must stop.
#[derive(Debug, Default)]
pub struct Drained {
    pub failures: usize,
    /// The last failure's exit status.
    pub status: i32,
    pub stop: bool,
}

/// One line ready to open.
struct Planned {
    name: String,
    request: OpenRequest,
    format: Format,
}

impl Batch {
    pub fn new(app: &App, file: &str, echo: bool, keep_going: bool) -> Batch {
        Batch {
            file: file.to_string(),
            echo,
            keep_going,
            style: crate::output::Style {
                progress: false,
                ..app.style.clone()
            },
            quiet: app.quiet,
            gate: Arc::new(ConnectGate::default()),
            names: HashSet::new(),
            pending: Vec::new(),
            turn: None,
            stopped: Arc::new(AtomicBool::new(false)),
        }
    }

    /// Whether a line of this batch has stopped the script.
    pub fn stopped(&self) -> bool {
        self.stopped.load(Ordering::SeqCst)
    }

    /// Start `line` if it is a `session new` that can open beside the pending
    /// ones; `false`: drain the batch and run the line the ordinary way (any
    /// other command, a name already in the batch, a line that would ask for
    /// a password or that is in error).
    pub fn add(
        &mut self,
        app: &App,
        runtime: &tokio::runtime::Runtime,
        line: &str,
        number: usize,
    ) -> bool {
        let Some(planned) = plan(app, line) else {
            return false;
        };
        if !self.names.insert(planned.name.clone()) {
            return false;
        }
        let (next, turn) = oneshot::channel();
        let job = Job {
            file: self.file.clone(),
            line: line.to_string(),
            number,
            echo: self.echo,
            keep_going: self.keep_going,
            style: self.style.clone(),
            quiet: self.quiet,
            gate: self.gate.clone(),
            stopped: self.stopped.clone(),
            previous: self.turn.replace(turn),
            next,
        };
        let task = runtime.spawn(job.run(planned));
        let line = line.to_string();
        self.pending.push(Pending { line, number, task });
        true
    }

    /// Wait for every pending line, register the sessions in line order and
    /// write their audit entries.
    pub async fn drain(&mut self, app: &mut App) -> Drained {
        let mut drained = Drained::default();
        for pending in std::mem::take(&mut self.pending) {
            let outcome = pending.task.await.unwrap_or_else(|e| {
                let error = Error::failed(format!("opening the session failed: {e}"));
                eprintln!("{}:{}: {}", self.file, pending.number, error.shown());
                Outcome::Failed {
                    error,
                    took: Duration::ZERO,
                }
            });
            let (result, took) = match outcome {
                Outcome::Skipped => continue,
                Outcome::Opened {
                    session,
                    problem,
                    took,
                } => {
                    app.registry.insert(*session);
                    (problem.map_or(Ok(Flow::Continue), Err), took)
                }
                Outcome::Failed { error, took } => (Err(error), took),
            };
            let started = Instant::now()
                .checked_sub(took)
                .unwrap_or_else(Instant::now);
            app.audit(&pending.line, None, &result, started);
            if let Err(error) = result {
                drained.failures += 1;
                drained.status = error.exit_code();
                drained.stop |= stops(self.keep_going, drained.status);
            }
        }
        self.names.clear();
        self.turn = None;
        self.stopped.store(false, Ordering::SeqCst);
        drained
    }
}

/// Whether a failure with this status ends the script.
pub(crate) fn stops(keep_going: bool, status: i32) -> bool {
    !keep_going || status == crate::error::exit::INTERRUPTED
}

/// A script line that can join a batch: `session new` with nothing wrong that
/// the ordinary path would report before connecting, and no prompt possible.
fn plan(app: &App, line: &str) -> Option<Planned> {
    if line.trim_start().starts_with('@') {
        return None;
    }
    let words = crate::cli::split_line(line).ok()?;
    let parsed = <Line as clap::Parser>::try_parse_from(&words).ok()?;
    let Command::Session(SessionCmd::New(args)) = parsed.command else {
        return None;
    };
    let format = parsed.output.format.unwrap_or(app.settings.format);
    let (name, request) = prepare(app, args, &app.connect_defaults).ok()?;
    // A line that may prompt, or record a host key, runs on its own: a key must
    // never be trusted (nor a password sent) for a line the script does not
    // reach because an earlier one failed.
    if request.may_prompt || records_new_keys(&request.host_keys) {
        return None;
    }
    Some(Planned {
        name,
        request,
        format,
    })
}

/// One line's task: open, wait for the line before to finish printing, print.
struct Job {
    file: String,
    line: String,
    number: usize,
    echo: bool,
    keep_going: bool,
    style: crate::output::Style,
    quiet: bool,
    gate: Arc<ConnectGate>,
    stopped: Arc<AtomicBool>,
    /// `true` from the line before once it printed and the script goes on.
    previous: Option<oneshot::Receiver<bool>>,
    next: oneshot::Sender<bool>,
}

impl Job {
    async fn run(self, planned: Planned) -> Outcome {
        let started = Instant::now();
        let opened = tokio::select! {
            opened = planned.request.open_gated(&self.gate) => opened,
            _ = tokio::signal::ctrl_c() => Err(Error::Interrupted),
        };
        let took = started.elapsed();

        // A dropped sender means the line before ended abnormally: stop too.
        let go = match self.previous {
            Some(previous) => previous.await.unwrap_or(false),
            None => true,
        };
        if !go {
            if let Ok((conn, _, _)) = opened {
                conn.close().await;
            }
            let _ = self.next.send(false);
            return Outcome::Skipped;
        }

        if self.echo {
            eprintln!("+ {}", self.line);
        }
        let name = planned.name;
        let outcome = match opened {
            Ok((conn, elevator, problem)) => {
                let session = Session::new(name.clone(), planned.request, conn, elevator);
                let problem = match problem {
                    Some(problem) => Some(Error::from(problem).in_session(&name)),
                    None => {
                        let report = connected_report(&session);
                        crate::app::print_report(&report, planned.format, &self.style, self.quiet)
                            .err()
                    }
                };
                Outcome::Opened {
                    session: Box::new(session),
                    problem,
                    took,
                }
            }
            Err(error) => Outcome::Failed {
                error: error.in_session(&name),
                took,
            },
        };
        let failure = match &outcome {
            Outcome::Opened { problem, .. } => problem.as_ref(),
            Outcome::Failed { error, .. } => Some(error),
            Outcome::Skipped => None,
        };
        let go_on = match failure {
            Some(error) => {
                eprintln!("{}:{}: {}", self.file, self.number, error.shown());
                !stops(self.keep_going, error.exit_code())
            }
            None => true,
        };
        if !go_on {
            self.stopped.store(true, Ordering::SeqCst);
        }
        let _ = self.next.send(go_on);
        outcome
    }
}
