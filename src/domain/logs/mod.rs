//! VMS application logs: the files under a session's log root and what the
//! remote tools say about them. [`scan`] parses the listing, [`resolve`] turns
//! what the operator typed into one of the listed files, [`lines`] splits and
//! shows streamed lines, [`grep`] parses grep's output, [`stats`] the one-pass
//! summary, and [`remote`] builds the exact command lines sent for all of it.

pub mod grep;
pub mod lines;
pub mod remote;
pub mod resolve;
pub mod scan;
pub mod stats;

pub use lines::{Line, Splitter};
pub use resolve::{ResolveError, resolve};
pub use scan::{LogFile, parse_scan};
