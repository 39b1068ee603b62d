//! Runs parsed commands against the registry of sessions.
//!
//! [`App`] holds what lives for the whole run: the sessions, the shell settings,
//! the decided terminal style and the store paths. [`App::run_line`] takes one
//! REPL or script line (with an optional `@NAME` prefix), parses it with the one
//! clap grammar, runs it under Ctrl-C, renders its report and writes the audit log.

use std::io::Write;
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Parser;

use crate::cli::{self, ColorChoice, Command, ConnectArgs, Format, Line};
use crate::cmd;
use crate::error::{Error, Result};
use crate::output::{Mode, Report, Style};
use crate::session::{Registry, Session};
use crate::store::{Paths, audit, config::Config};

/// Shell settings: per REPL, not per session.
#[derive(Debug, Clone)]
pub struct Settings {
    pub format: Format,
    pub timeout: Duration,
    pub color: ColorChoice,
    /// Close sessions idle this long; `None`: never.
    pub idle_timeout: Option<Duration>,
}

pub struct App {
    pub registry: Registry,
    pub settings: Settings,
    pub style: Style,
    pub mode: Mode,
    pub quiet: bool,
    pub paths: Paths,
    pub config: Config,
    /// Why the config file could not be used, when it could not (its profiles are then empty).
    pub config_problem: Option<String>,
    /// Connection flags given on the process command line; `session new` starts from them.
    pub connect_defaults: ConnectArgs,
}

/// What the caller does after a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Continue,
    Exit,
}

/// Everything a per-session command needs: the app (read-only, so several
/// sessions can run one command concurrently), the session it acts on, the
/// output format, and where its output goes.
pub struct Invocation<'a> {
    pub app: &'a App,
    /// `@NAME` target, else the active session.
    pub on: Option<Arc<Session>>,
    pub format: Format,
    pub connect: ConnectArgs,
    /// Set under `@all`: streamed output is buffered here instead of printed,
    /// so each session's block comes out whole.
    pub capture: Option<Capture>,
}

pub use crate::output::stream::Capture;

impl Invocation<'_> {
    /// The session this command acts on.
    pub fn session(&self) -> Result<Arc<Session>> {
        match &self.on {
            Some(session) => Ok(session.clone()),
            None => self.app.registry.active(),
        }
    }

    /// A sink for streamed output that respects fan-out capture.
    pub fn stream(&self) -> crate::output::stream::Stream {
        crate::output::stream::Stream::new(self.capture.clone())
    }

    /// A note for the operator (stderr), or into the block under fan-out.
    pub fn note(&self, text: &str) {
        if self.app.quiet {
            return;
        }
        // Notes often name remote things (a log path): keep them terminal-safe.
        let text = crate::output::safe::visible(text, crate::output::safe::Layout::Text);
        let line = format!("{text}\n");
        crate::ssh::OutputSink::stderr(&mut self.stream(), line.as_bytes());
    }

    /// The per-command limit; `set timeout 0` turns it off.
    pub fn timeout(&self) -> Option<Duration> {
        Some(self.app.settings.timeout).filter(|t| !t.is_zero())
    }
}

impl App {
    pub fn may_prompt(&self) -> bool {
        self.mode == Mode::Interactive
            || (self.mode == Mode::OneShot && std::io::IsTerminal::is_terminal(&std::io::stdin()))
    }

    /// Run one line; `Ok(Flow::Exit)` ends the shell.
    pub async fn run_line(&mut self, line: &str) -> Result<Flow> {
        let started = Instant::now();
        let (target, rest) = split_target(line);
        let words = cli::split_line(rest).map_err(|e| Error::Usage(e.to_string()))?;
        if words.is_empty() {
            return match target {
                Some(spec) => Err(Error::Usage(format!(
                    "@{spec} needs a command to run (e.g. @{spec} status)"
                ))),
                None => Ok(Flow::Continue),
            };
        }
        let on = match target {
            Some(spec) if spec == "all" || spec.contains(',') => {
                // Help and usage errors are the line's own, said once, not per session.
                if let Err(e) = Line::try_parse_from(&words) {
                    return self.clap_outcome(e, &words);
                }
                let sessions = crate::fanout::select(self, spec)?;
                // Ctrl-C ends the whole fan-out: every session's command is dropped,
                // which closes its channel; the sessions stay.
                let work = crate::fanout::run(self, &sessions, &words, rest);
                let result = tokio::select! {
                    result = work => result.map(|_| Flow::Continue),
                    _ = tokio::signal::ctrl_c() => Err(Error::Interrupted),
                };
                self.audit(line, None, &result, started);
                return result;
            }
            Some(name) => Some(self.registry.get(name)?),
            None => None,
        };
        let parsed = match Line::try_parse_from(&words) {
            Ok(parsed) => parsed,
            Err(e) => return self.clap_outcome(e, &words),
        };
        let command = with_raw_exec(parsed.command, rest);
        let format = parsed.output.format.unwrap_or(self.settings.format);
        if let (Some(session), Format::Table) = (&on, format) {
            // `@NAME` output is labelled with whose it is; JSON and plain stay pure data.
            println!("==> {} <==", session.name);
        }
        let result = self
            .run_command(command, on.clone(), parsed.output.format)
            .await;
        self.audit(line, on.as_deref(), &result, started);
        result
    }

    /// Run an already parsed command (one-shot), with the same bookkeeping.
    pub async fn run_parsed(&mut self, command: Command, shown: &str) -> Result<Flow> {
        let started = Instant::now();
        let result = self.run_command(command, None, None).await;
        self.audit(shown, None, &result, started);
        result
    }

    async fn run_command(
        &mut self,
        command: Command,
        on: Option<Arc<Session>>,
        format: Option<Format>,
    ) -> Result<Flow> {
        if matches!(command, Command::Exit) {
            return Ok(Flow::Exit);
        }
        let format = format.unwrap_or(self.settings.format);
        let connect = self.connect_defaults.clone();
        let report = match cmd::shell_level(command) {
            Ok(shell) => self.run_shell_level(shell, format, &connect).await?,
            Err(command) => self.run_on_session(*command, on, format, connect).await?,
        };
        if let Some(report) = report {
            self.print(&report, format)?;
        }
        Ok(Flow::Continue)
    }

    /// Commands about the shell itself: sessions, settings, help, history.
    async fn run_shell_level(
        &mut self,
        command: cmd::ShellCommand,
        format: Format,
        connect: &ConnectArgs,
    ) -> Result<Option<Report>> {
        let work = cmd::run_shell_level(self, command, format, connect);
        tokio::select! {
            result = work => result,
            _ = tokio::signal::ctrl_c() => Err(Error::Interrupted),
        }
    }

    /// A command that acts on one session (the active one, or `@NAME`).
    async fn run_on_session(
        &self,
        command: Command,
        on: Option<Arc<Session>>,
        format: Format,
        connect: ConnectArgs,
    ) -> Result<Option<Report>> {
        let session = match &on {
            Some(session) => session.clone(),
            None => self.registry.active()?,
        };
        let mut inv = Invocation {
            app: self,
            on: Some(session.clone()),
            format,
            connect,
            capture: None,
        };
        let work = async {
            cmd::session::revive(self, &session, |text| inv.note(text)).await?;
            cmd::dispatch(&mut inv, command).await
        };
        let result = tokio::select! {
            result = work => result,
            _ = tokio::signal::ctrl_c() => Err(Error::Interrupted),
        };
        session.touch(result.is_ok());
        result.map_err(|e| e.in_session(&session.name))
    }

    /// Print a report to stdout and its notes to stderr. A closed stdout pipe is not an error.
    pub fn print(&self, report: &Report, format: Format) -> Result<()> {
        print_report(report, format, &self.style, self.quiet)
    }

    /// clap's help and version are output, not errors; the rest is a usage error.
    fn clap_outcome(&self, error: clap::Error, words: &[String]) -> Result<Flow> {
        use clap::error::ErrorKind;
        match error.kind() {
            ErrorKind::DisplayHelp => {
                let path: Vec<String> = words
                    .iter()
                    .take_while(|w| !w.starts_with('-'))
                    .cloned()
                    .collect();
                let text =
                    cmd::shell::help_text(&path).unwrap_or_else(|| error.render().to_string());
                print!("{text}");
                Ok(Flow::Continue)
            }
            ErrorKind::DisplayVersion => {
                print!("{}", error.render());
                Ok(Flow::Continue)
            }
            _ => Err(Error::Usage(one_line_usage(&error.render().to_string()))),
        }
    }

    pub(crate) fn audit(
        &self,
        line: &str,
        on: Option<&Session>,
        result: &Result<Flow>,
        started: Instant,
    ) {
        let session = on
            .map(|s| s.name.clone())
            .or_else(|| self.registry.active_name().map(str::to_string));
        let session = session.and_then(|n| self.registry.get(&n).ok());
        let status = match result {
            Ok(_) => 0,
            Err(e) => e.exit_code(),
        };
        let entry = audit::Entry {
            time: now_rfc3339(),
            session: session.as_deref().map(|s| s.name.as_str()),
            host: session.as_deref().map(|s| s.target.host.as_str()),
            user: session.as_deref().map(|s| s.target.user.as_str()),
            command: audit::redact(line.trim()),
            status,
            duration_ms: started.elapsed().as_millis() as u64,
        };
        audit::append(&self.paths.audit_log(), &entry);
    }

    /// Close sessions idle past `set idle-timeout`, saying so.
    // Known gap: this runs before each REPL prompt, so an idle session is closed
    // when the operator comes back, not at the moment it expires; a sweeper task
    // over the registry would close it on time.
    pub async fn close_idle(&mut self) {
        let Some(limit) = self.settings.idle_timeout else {
            return;
        };
        for session in self.registry.all() {
            if session.idle_for() < limit {
                continue;
            }
            let idle = crate::domain::kube::age::human_duration(session.idle_for().as_secs());
            eprintln!(
                "{}: closed after {idle} idle (set idle-timeout)",
                session.name
            );
            session.connection().close().await;
            let _ = self.registry.remove(&session.name);
        }
    }

    /// What completion may offer now: no network, just what is known.
    pub fn known(&self) -> crate::repl::complete::Known {
        let mut known = crate::repl::complete::Known {
            sessions: self.registry.names(),
            ..Default::default()
        };
        let Ok(session) = self.registry.active() else {
            return known;
        };
        if let Some(db) = session.tenant_db() {
            known.tenants = db.tenants.keys().cloned().collect();
            let selected = session.selected().and_then(|t| db.tenants.get(&t).cloned());
            known.configmaps = selected
                .map(|t| t.configmaps.into_iter().map(|c| c.name).collect())
                .unwrap_or_default();
        }
        let seen = session
            .seen
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        known.log_files = seen.log_files;
        known.redis_keys = seen.redis_keys;
        known
    }

    /// The REPL prompt: `SESSION[:TENANT]> `, `vmsdbg> ` without a session.
    pub fn prompt(&self) -> String {
        let Ok(session) = self.registry.active() else {
            return "vmsdbg> ".to_string();
        };
        let lost = if session.lost().is_some() {
            " (lost)"
        } else {
            ""
        };
        match session.selected() {
            Some(tenant) => format!("{}:{tenant}{lost}> ", session.name),
            None => format!("{}{lost}> ", session.name),
        }
    }
}

/// [`App::print`] without the app, for work running beside it (script `session new` batches).
pub fn print_report(report: &Report, format: Format, style: &Style, quiet: bool) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    let written = report
        .render(format, style, &mut stdout)
        .and_then(|_| stdout.flush());
    match written {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        Err(e) => return Err(Error::failed(format!("cannot write output: {e}"))),
        Ok(()) => {}
    }
    for note in &report.notes {
        if !quiet {
            eprintln!("{note}");
        }
    }
    Ok(())
}

/// clap's multi-line message as one line: the error, plus its tip if any.
fn one_line_usage(rendered: &str) -> String {
    let lines: Vec<&str> = rendered
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let first = lines.first().copied().unwrap_or("invalid command");
    let first = first.strip_prefix("error: ").unwrap_or(first);
    // "...were not provided:" names what is missing on the next line.
    let joined;
    let first = match (first.ends_with(':'), lines.get(1)) {
        (true, Some(next)) => {
            joined = format!("{first} {next}");
            joined.as_str()
        }
        _ => first,
    };
    let tip = lines.iter().find_map(|l| l.strip_prefix("tip: "));
    match tip {
        Some(tip) => format!("{first} ({tip}; help lists the commands)"),
        None => format!("{first} (help COMMAND shows its usage)"),
    }
}

/// `@NAME rest` → (`NAME`, `rest`); a line without `@` has no target.
fn split_target(line: &str) -> (Option<&str>, &str) {
    let trimmed = line.trim_start();
    let Some(after_at) = trimmed.strip_prefix('@') else {
        return (None, line);
    };
    let end = after_at.find(char::is_whitespace).unwrap_or(after_at.len());
    (Some(&after_at[..end]), &after_at[end..])
}

/// The text after the word `exec` (options may stand before it: `--no-gather exec ...`).
fn after_exec_word(line: &str) -> &str {
    let mut rest = line;
    loop {
        let trimmed = rest.trim_start();
        let end = trimmed.find(char::is_whitespace).unwrap_or(trimmed.len());
        if end == 0 {
            return "";
        }
        let (word, tail) = trimmed.split_at(end);
        if word == "exec" {
            return tail.trim();
        }
        rest = tail;
    }
}

/// `exec` keeps the operator's own quoting: the remote shell gets the text as typed.
pub(crate) fn with_raw_exec(command: Command, line: &str) -> Command {
    match command {
        Command::Exec { command } => {
            let raw = after_exec_word(line).to_string();
            // Options clap took before the command (`exec -o json id`) are not part
            // of it: then the parsed words, quoted, are the command.
            let same = cli::split_line(&raw).is_ok_and(|words| words == command);
            let text = match same {
                true => raw,
                false => crate::quote::sh_join(command.iter().map(String::as_str))
                    .unwrap_or_else(|_| command.join(" ")),
            };
            Command::Exec {
                command: vec![text],
            }
        }
        other => other,
    }
}

/// Flags on the line win; the process's flags fill the gaps.
pub fn merge_connect(base: &ConnectArgs, line: ConnectArgs) -> ConnectArgs {
    ConnectArgs {
        identity: line.identity.or(base.identity.clone()),
        password_env: line.password_env.or(base.password_env.clone()),
        password_file: line.password_file.or(base.password_file.clone()),
        sudo_password_env: line.sudo_password_env.or(base.sudo_password_env.clone()),
        sudo_password_file: line.sudo_password_file.or(base.sudo_password_file.clone()),
        redis_password_env: line.redis_password_env.or(base.redis_password_env.clone()),
        sudo: line.sudo.or(base.sudo),
        accept_new_host_key: line.accept_new_host_key || base.accept_new_host_key,
        max_channels: line.max_channels.or(base.max_channels),
        keepalive: line.keepalive.or(base.keepalive),
    }
}

pub fn now_rfc3339() -> String {
    let now = time::OffsetDateTime::now_utc();
    now.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clap_errors_become_one_line_naming_what_is_missing() {
        let rendered = "error: the following required arguments were not provided:\n  <KEY>\n\nUsage: redis get <KEY>\n\nFor more information, try '--help'.\n";
        assert_eq!(
            one_line_usage(rendered),
            "the following required arguments were not provided: <KEY> (help COMMAND shows its usage)"
        );
        let with_tip = "error: unrecognized subcommand 'tenat'\n\n  tip: a similar subcommand exists: 'tenant'\n";
        assert!(one_line_usage(with_tip).contains("(a similar subcommand exists: 'tenant';"));
    }

    #[test]
    fn exec_text_starts_after_the_exec_word() {
        assert_eq!(
            after_exec_word(" --no-gather exec echo $X; y"),
            "echo $X; y"
        );
        assert_eq!(after_exec_word("tenant list"), "");
    }
}
