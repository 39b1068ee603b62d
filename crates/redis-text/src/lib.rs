//! The text that `redis-cli --no-raw` prints, and the lines it reads on stdin.
//!
//! `vmsdbg` talks RESP to a tenant's Redis when it can, and falls back to running
//! `redis-cli --no-raw` on the VMS host when it cannot. The simulated VMS answers that
//! fallback too. Both sides need the same exact text format, so it lives here:
//!
//! - [`escape`] / [`unescape`]: one byte string in redis-cli's quoted form (`"a\n\xff"`).
//! - [`Reply`], [`render`], [`render_raw`]: a reply and the text redis-cli prints for it.
//! - [`parse`] / [`parse_all`]: that text back into replies.
//! - [`quote_arg`], [`command_line`], [`split_args`]: command lines written to redis-cli's
//!   stdin, so binary keys survive the trip, and how redis-cli splits them.
//! - [`glob_match`], [`format_double`]: two more texts a server writes or reads, kept
//!   beside the rest so a simulated server answers `SCAN MATCH` and scores as Redis does.
//!
//! The format follows redis-cli 7 (and `(empty list or set)` from redis-cli 5 and older).
//! RESP3-only reply types (maps, sets, doubles, booleans), which redis-cli prints only with
//! `-3`, are not modelled: vmsdbg never asks for RESP3.

mod args;
mod double;
mod error;
mod escape;
mod glob;
mod parse;
mod reply;

pub use args::{command_line, quote_arg, split_args};
pub use double::format_double;
pub use error::Error;
pub use escape::{escape, unescape};
pub use glob::glob_match;
pub use parse::{parse, parse_all};
pub use reply::{EmptyArrayText, Reply, is_raw_command, render, render_raw, render_with};
