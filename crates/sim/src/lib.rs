//! `vmsdbg-sim`: a simulated VMS host for `vmsdbg demo` and the hermetic tests.
//!
//! - [`world`]: the data a simulated host answers from, and the built-in world.
//! - [`clock`]: RFC 3339 timestamps and kubectl's ages.
//! - [`kubectl`]: kubectl's tables, JSON and errors rendered from a world.

pub mod clock;
pub mod kubectl;
pub mod world;

pub use world::World;
