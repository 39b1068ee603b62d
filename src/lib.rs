//! vmsdbg: a shell for debugging VMS servers over SSH.
//!
//! - [`cli`]: the one clap grammar for argv, REPL and script lines
//! - [`app`]: runs parsed commands against the session registry
//! - [`cmd`]: one module per command family
//! - [`repl`], [`script`]: the interactive and scripted ways in
//! - [`fanout`]: `@all` / `@a,b`: one command on several sessions, gathered output
//! - [`session`]: named sessions, their registry, opening and reconnecting
//! - [`ssh`]: russh connection, host keys, auth, exec channels, tunnels
//! - [`elevate`]: sudo detection, password exchange, PTY fallback
//! - [`quote`]: POSIX sh quoting and Kubernetes name validation
//! - [`domain`]: Kubernetes objects and the tenant database
//! - [`output`]: table/json/plain rendering, colour and progress decisions
//! - [`store`]: paths, config, snapshots, audit log
//! - [`secret`]: passwords that never print
//! - [`error`]: the top-level error and exit codes

pub mod app;
pub mod cli;
pub mod cmd;
#[cfg(feature = "demo")]
pub mod demo;
pub mod domain;
pub mod elevate;
pub mod error;
pub mod fanout;
pub mod output;
pub mod quote;
pub mod repl;
pub mod run;
pub mod script;
pub mod secret;
pub mod session;
pub mod ssh;
pub mod store;
