//! The built-in world's edge-case log files, for the logs commands and their tests: a
//! 200 KB line, CRLF line ends, a file name with a space and a single quote, an empty
//! file, and errors spread over several hours for `logs stats`. (Invalid UTF-8, a
//! rotated `.log.1` and a `.gz` to skip come with [`super::platform::add_logs`].)

use super::builder::{Clock, HOUR};
use super::{LogFile, World};

/// Length of the long line in `apps/bulk/bulk.log`, in bytes.
pub const LONG_LINE: usize = 200 * 1024;

/// Adds the edge-case files under `/var/log/versa/vms/apps`.
pub(crate) fn add_edge_logs(world: &mut World, clock: Clock) {
    let apps = "/var/log/versa/vms/apps";
    let mtime = clock.ago(120);

    let payload = "x".repeat(LONG_LINE - 60);
    let bulk = format!(
        "2025-06-01T09:00:00Z INFO bulk: start\n\
         2025-06-01T09:00:01Z ERROR bulk: payload {{\"blob\":\"{payload}\"}}\n\
         2025-06-01T09:00:02Z INFO bulk: done\n"
    );
    world.logs.push(LogFile::text(
        &format!("{apps}/bulk/bulk.log"),
        bulk,
        &mtime,
    ));

    let gateway: String = (0..12)
        .map(|i| {
            let level = match i % 4 {
                1 => "ERROR",
                2 => "WARN",
                _ => "INFO",
            };
            let hour = 8 + i / 4;
            format!(
                "2025-06-01T{hour:02}:{:02}:00Z {level} gateway: event {i}\r\n",
                i * 5
            )
        })
        .collect();
    world.logs.push(LogFile::text(
        &format!("{apps}/gateway/gateway.log"),
        gateway,
        &clock.ago(HOUR),
    ));

    let odd = "2025-06-01T10:00:00Z INFO billing: it's quoted\n\
               2025-06-01T10:00:01Z ERROR billing: invoice 'Q1' failed\n";
    world.logs.push(LogFile::text(
        &format!("{apps}/billing/it's a log.log"),
        odd.to_string(),
        &mtime,
    ));
    world.logs.push(LogFile::text(
        &format!("{apps}/billing/empty.log"),
        String::new(),
        &mtime,
    ));
}
