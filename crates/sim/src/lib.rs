//! `vmsdbg-sim`: a simulated VMS host for `vmsdbg demo` and the hermetic tests.
//!
//! - [`world`]: the data a simulated host answers from, and the built-in world.
//! - [`clock`]: RFC 3339 timestamps and kubectl's ages.
//! - [`kubectl`]: kubectl's tables, JSON and errors rendered from a world.
//! - [`output`]: stdout, stderr and exit status of a simulated program.
//! - [`standin`]: the CI's kubectl stand-in (root only, world per sudo user).
//! - [`config`]: users, passwords, keys and sudo policies of a simulated host.
//! - [`faults`]: failures a test switches on while the host runs.
//! - [`server`]: [`SimHost`], the SSH server itself.
//! - `handler`, `channel`, `io`: russh plumbing for one connection and one channel.
//! - `shell`, `exec`, `builtins`, `filters`, `sudo`: the command lines the host understands.
//! - `logcmds`: the log commands vmsdbg sends (`find -printf`, `tail -F`, `grep -Z`, stats).
//! - [`redis_data`]: a tenant's Redis data and the `redis-cli --no-raw` emulation.
//! - [`resp`]: the in-process RESP responder behind `direct-tcpip`.
//! - `redis_link`: `redis-cli` and `direct-tcpip` towards tenant Redis data.

pub mod clock;
pub mod config;
pub mod faults;
pub mod kubectl;
pub mod output;
pub mod redis_data;
pub mod resp;
pub mod server;
pub mod shell;
pub mod standin;
pub mod world;

mod builtins;
mod channel;
mod exec;
mod filters;
mod handler;
mod io;
mod logcmds;
mod redis_link;
mod sudo;

pub use config::{DEMO_PASSWORD, SimConfig, SimUser, SudoPolicy};
pub use faults::{FaultState, Faults};
pub use output::Output;
pub use server::{SimError, SimHost};
pub use world::World;
