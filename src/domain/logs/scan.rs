//! `logs scan`: the log files under a root, parsed from `find -printf`
//! records (`SIZE<TAB>MTIME<TAB>PATH<NUL>`, see [`super::remote::scan`]).
//! NUL-terminated records keep any file name, newlines and tabs included.

use serde::Serialize;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// One log file as the scan saw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LogFile {
    /// Absolute path on the host; a name that is not UTF-8 shows U+FFFD here.
    pub path: String,
    /// The path's bytes when they are not UTF-8 (so `path` is not the name):
    /// commands name the file by these.
    #[serde(skip)]
    pub raw: Option<Vec<u8>>,
    /// `apps/<app>/...` gives `<app>`; `vms-admin.log` gives `vms-admin`.
    pub app: String,
    /// Bytes.
    pub size: u64,
    /// Modification time, RFC 3339 UTC, whole seconds.
    pub mtime: String,
}

/// Parse the scan output; records that do not parse are skipped (they cannot
/// come from the documented command), and the result is sorted by path.
pub fn parse_scan(output: &[u8], root: &str) -> Vec<LogFile> {
    let mut files: Vec<LogFile> = output
        .split(|&b| b == 0)
        .filter(|record| !record.is_empty())
        .filter_map(|record| parse_record(record, root))
        .collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files.dedup_by(|a, b| a.path == b.path && a.raw == b.raw);
    files
}

fn parse_record(record: &[u8], root: &str) -> Option<LogFile> {
    let mut fields = record.splitn(3, |&b| b == b'\t');
    let number = |field: &[u8]| {
        std::str::from_utf8(field)
            .ok()
            .map(|t| t.trim().to_string())
    };
    let size = number(fields.next()?)?.parse().ok()?;
    let mtime = number(fields.next()?)?.parse::<f64>().ok()?;
    let bytes = fields.next()?;
    let (path, raw) = match std::str::from_utf8(bytes) {
        Ok(path) => (path.to_string(), None),
        Err(_) => (
            String::from_utf8_lossy(bytes).into_owned(),
            Some(bytes.to_vec()),
        ),
    };
    Some(LogFile {
        app: app_of(&path, root),
        path,
        raw,
        size,
        mtime: rfc3339(mtime),
    })
}

/// The application a file belongs to, from its place under `root`.
pub fn app_of(path: &str, root: &str) -> String {
    let root = root.trim_end_matches('/');
    let relative = path
        .strip_prefix(root)
        .map(|rest| rest.trim_start_matches('/'))
        .unwrap_or(path);
    let under_apps = relative
        .strip_prefix("apps/")
        .and_then(|r| r.split_once('/'));
    if let Some((app, _)) = under_apps {
        return app.to_string();
    }
    let name = relative.rsplit('/').next().unwrap_or(relative);
    name.split(".log").next().unwrap_or(name).to_string()
}

fn rfc3339(unix: f64) -> String {
    let whole = unix.floor() as i64;
    OffsetDateTime::from_unix_timestamp(whole)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROOT: &str = "/var/log/versa/vms";

    #[test]
    fn records_parse_and_sort() {
        let output = b"55651\t1736899200.5170000000\t/var/log/versa/vms/apps/vms-api/vms-api.log\0\
                       2234\t1733328000.0000000000\t/var/log/versa/vms/vms-admin.log\0\
                       0\t1733328000.9\t/var/log/versa/vms/apps/x/it's a\tlog.log\0";
        let files = parse_scan(output, ROOT);
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "/var/log/versa/vms/apps/vms-api/vms-api.log",
                "/var/log/versa/vms/apps/x/it's a\tlog.log",
                "/var/log/versa/vms/vms-admin.log",
            ]
        );
        assert_eq!(files[0].app, "vms-api");
        assert_eq!(files[0].size, 55651);
        assert_eq!(files[0].mtime, "2025-01-15T00:00:00Z");
        assert_eq!(files[1].app, "x");
        assert_eq!(files[2].app, "vms-admin");
    }

    #[test]
    fn a_name_that_is_not_utf8_keeps_its_bytes() {
        let files = parse_scan(b"5\t1733328000\t/r/apps/x/bad\xff.log\0", "/r");
        assert_eq!(files[0].path, "/r/apps/x/bad\u{fffd}.log");
        assert_eq!(files[0].raw.as_deref(), Some(&b"/r/apps/x/bad\xff.log"[..]));
        assert_eq!(files[0].app, "x");
        let json = serde_json::to_value(&files[0]).unwrap();
        assert!(json.get("raw").is_none(), "{json}");
        assert!(parse_scan(b"5\t1\t/r/ok.log\0", "/r")[0].raw.is_none());
    }

    #[test]
    fn garbage_records_are_skipped() {
        let files = parse_scan(b"find: oops\0\0abc\tdef\t/x\0", ROOT);
        assert!(files.is_empty());
    }

    #[test]
    fn apps_come_from_the_directory() {
        assert_eq!(app_of("/r/apps/api/api.log.1", "/r/"), "api");
        assert_eq!(app_of("/r/apps/api/sub/x.log", "/r"), "api");
        assert_eq!(app_of("/r/vms-admin.log", "/r"), "vms-admin");
    }
}
