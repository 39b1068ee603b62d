//! `vmsdbg-sim`: a simulated VMS host for `vmsdbg demo` and the hermetic tests.
//!
//! - [`world`]: the data a simulated host answers from, and the built-in world.
//! - [`clock`]: RFC 3339 timestamps and kubectl's ages.
//! - [`kubectl`]: kubectl's tables, JSON and errors rendered from a world.
//! - [`output`]: stdout, stderr and exit status of a simulated program.
//! - [`standin`]: the CI's kubectl stand-in (root only, world per sudo user).

pub mod clock;
pub mod kubectl;
pub mod output;
pub mod standin;
pub mod world;

pub use output::Output;
pub use world::World;
