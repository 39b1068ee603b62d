//! One file per command family, each owning its arguments' meaning, remote
//! calls and report. [`dispatch`] is the only place that matches on [`Command`].

pub mod cluster;
pub mod cm;
pub mod logs;
pub mod redis;
pub mod session;
pub mod shell;
pub mod tenant;

use crate::app::{App, Invocation};
use crate::cli::{Command, ConfigCmd, ConnectArgs, Format, SessionCmd, SettingKey};
use crate::error::Result;
use crate::output::Report;

/// Commands about the shell rather than one session; they may change the app.
#[allow(clippy::large_enum_variant)] // one per line; see `SessionCmd`
pub enum ShellCommand {
    Session(SessionCmd),
    Help(Vec<String>),
    Set(Option<SettingKey>, Option<String>),
    History(Option<usize>),
    Config(ConfigCmd),
    Completions(clap_complete::Shell),
}

/// Split shell-level commands from per-session ones.
pub fn shell_level(command: Command) -> std::result::Result<ShellCommand, Box<Command>> {
    match command {
        Command::Session(sub) => Ok(ShellCommand::Session(sub)),
        Command::Help { command } => Ok(ShellCommand::Help(command)),
        Command::Set { key, value } => Ok(ShellCommand::Set(key, value)),
        Command::History { count } => Ok(ShellCommand::History(count)),
        Command::Config(sub) => Ok(ShellCommand::Config(sub)),
        Command::Completions { shell } => Ok(ShellCommand::Completions(shell)),
        other => Err(Box::new(other)),
    }
}

pub async fn run_shell_level(
    app: &mut App,
    command: ShellCommand,
    _format: Format,
    connect: &ConnectArgs,
) -> Result<Option<Report>> {
    match command {
        ShellCommand::Session(sub) => session::run(app, sub, connect).await,
        ShellCommand::Help(path) => shell::help(&path).map(Some),
        ShellCommand::Set(key, value) => shell::set(app, key, value).map(Some),
        ShellCommand::History(count) => shell::history(app, count).map(Some),
        ShellCommand::Config(sub) => shell::config(app, sub).map(Some),
        ShellCommand::Completions(kind) => Ok(Some(shell::completions(kind))),
    }
}

/// Run a per-session command.
pub async fn dispatch(inv: &mut Invocation<'_>, command: Command) -> Result<Option<Report>> {
    match command {
        Command::Tenant(sub) => tenant::run(inv, sub).await,
        Command::Redis(sub) => redis::run(inv, sub).await,
        Command::Cm(sub) => cm::run(inv, sub).await,
        Command::Logs(sub) => logs::run(inv, sub).await,
        Command::Status => cluster::status(inv).await.map(Some),
        Command::Kubectl { args } => cluster::kubectl(inv, &args).await.map(|_| None),
        Command::Exec { command } => cluster::exec(inv, &command.join(" ")).await.map(|_| None),
        // Shell-level commands never reach here (see `shell_level`).
        Command::Session(_) | Command::Help { .. } | Command::Set { .. } => Ok(None),
        Command::History { .. } | Command::Exit => Ok(None),
        Command::Config(_) | Command::Completions { .. } => Ok(None),
    }
}
