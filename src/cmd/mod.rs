//! One file per command family, each owning its arguments' meaning, remote
//! calls and report. [`dispatch`] is the only place that matches on [`Command`].

pub mod cluster;
pub mod session;
pub mod shell;
pub mod tenant;

use crate::app::Invocation;
use crate::cli::Command;
use crate::error::Result;
use crate::output::Report;

pub async fn dispatch(inv: &mut Invocation<'_>, command: Command) -> Result<Option<Report>> {
    match command {
        Command::Session(sub) => session::run(inv, sub).await,
        Command::Tenant(sub) => tenant::run(inv, sub).await,
        Command::Status => cluster::status(inv).await.map(Some),
        Command::Kubectl { args } => cluster::kubectl(inv, &args).await.map(|_| None),
        Command::Exec { command } => cluster::exec(inv, &command.join(" ")).await.map(|_| None),
        Command::Help { command } => shell::help(&command).map(Some),
        Command::Set { key, value } => shell::set(inv, key, value).map(Some),
        Command::History { count } => shell::history(inv, count).map(Some),
        // The app handles exit before dispatch; reaching here is harmless.
        Command::Exit => Ok(None),
    }
}
