//! The exact command lines the logs commands send (documented in
//! `docs/remote-commands.md`). Every path and pattern is quoted with
//! [`quote::sh`]; nothing else varies. The lines use only POSIX tools with
//! the GNU options a VMS (Linux) has: `find -printf`, `tail -F`, `grep -a -Z -m`,
//! and `awk`; each reads its file once, streaming, so a 200 MB file never
//! crosses the connection whole.

use crate::quote::{self, QuoteError};

/// The `awk` program behind `logs stats`; its first line names it so the
/// simulated host can recognise it. Output, one fact a line:
/// `lines N`, `errors N`, `warns N`, then `first TS` and `last TS` when any line
/// starts with an ISO timestamp, then `hour YYYY-MM-DDTHH N` per hour with
/// error lines. Error and warning lines are those containing `error` / `warn`
/// in any case; a CRLF line loses its `\r` first.
pub const STATS_PROGRAM: &str = r#"# vmsdbg-stats 1
{
  sub(/\r$/, "")
  low = tolower($0)
  t = ""
  if ($0 ~ /^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9][T ][0-9][0-9]:[0-9][0-9]:[0-9][0-9]/) {
    t = substr($0, 1, 10) "T" substr($0, 12, 8)
    if (first == "") first = t
    last = t
  }
  if (index(low, "error")) { errors++; if (t != "") hour[substr(t, 1, 13)]++ }
  if (index(low, "warn")) warns++
}
END {
  printf "lines %d\nerrors %d\nwarns %d\n", NR, errors, warns
  if (first != "") printf "first %s\nlast %s\n", first, last
  for (h in hour) printf "hour %s %d\n", h, hour[h]
}
"#;

/// The root without a trailing slash (but `/` stays `/`).
fn trimmed(root: &str) -> &str {
    match root.trim_end_matches('/') {
        "" => "/",
        trimmed => trimmed,
    }
}

/// Every `*.log*` file under `ROOT/apps` except `*.gz`, plus `ROOT/vms-admin.log`,
/// as `SIZE<TAB>MTIME<TAB>PATH<NUL>` records.
pub fn scan(root: &str) -> Result<String, QuoteError> {
    let root = trimmed(root);
    let apps = quote::sh(&format!("{root}/apps"))?;
    let admin = quote::sh(&format!("{root}/vms-admin.log"))?;
    Ok(format!(
        "find {apps} {admin} -type f -name '*.log*' '!' -name '*.gz' -printf '%s\\t%T@\\t%p\\0'"
    ))
}

/// The last `lines` lines of `path`.
pub fn tail(path: &str, lines: u64) -> Result<String, QuoteError> {
    Ok(format!("tail -n {lines} -- {}", quote::sh(path)?))
}

/// The last `lines` lines of `path` that contain `error` in any case: grep
/// reads the file on the host and only those lines cross.
pub fn tail_errors(path: &str, lines: u64) -> Result<String, QuoteError> {
    Ok(format!(
        "grep -a -i -F -e error -- {} | tail -n {lines}",
        quote::sh(path)?
    ))
}

/// `tail -F`: the last `lines` lines, then new ones, following the name across
/// rotation (a replaced or truncated file).
pub fn follow(path: &str, lines: u64) -> Result<String, QuoteError> {
    Ok(format!("tail -n {lines} -F -- {}", quote::sh(path)?))
}

/// What `logs grep` asks of grep.
#[derive(Debug, Clone, Default)]
pub struct GrepQuery<'a> {
    pub pattern: &'a str,
    /// Extended regex (`-E`) instead of a fixed string (`-F`).
    pub regex: bool,
    pub ignore_case: bool,
    /// Count matching lines per file (`-c`).
    pub count: bool,
    /// At most this many matches per file (`-m`).
    pub max: Option<u64>,
}

/// grep over `paths`: `-a` so bytes that are not text still print as lines,
/// `-H -Z` so every record starts with the file name and a NUL, `-n` for line
/// numbers; the pattern after `-e` so it may start with `-`.
pub fn grep(query: &GrepQuery<'_>, paths: &[&str]) -> Result<String, QuoteError> {
    let mut line = String::from("grep -a -H -Z");
    line.push_str(if query.regex { " -E" } else { " -F" });
    if query.ignore_case {
        line.push_str(" -i");
    }
    line.push_str(if query.count { " -c" } else { " -n" });
    if let Some(max) = query.max {
        line.push_str(&format!(" -m {max}"));
    }
    line.push_str(&format!(" -e {} --", quote::sh(query.pattern)?));
    for path in paths {
        line.push(' ');
        line.push_str(&quote::sh(path)?);
    }
    Ok(line)
}

/// The one-pass summary of `path` (see [`STATS_PROGRAM`]).
pub fn stats(path: &str) -> Result<String, QuoteError> {
    Ok(format!(
        "awk {} {}",
        quote::sh(STATS_PROGRAM)?,
        quote::sh(path)?
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scan_line_is_the_documented_one() {
        assert_eq!(
            scan("/var/log/versa/vms/").unwrap(),
            "find /var/log/versa/vms/apps /var/log/versa/vms/vms-admin.log -type f \
             -name '*.log*' '!' -name '*.gz' -printf '%s\\t%T@\\t%p\\0'"
        );
        let words = shlex::split(&scan("/logs/it's").unwrap()).unwrap();
        assert_eq!(words[1], "/logs/it's/apps");
    }

    #[test]
    fn hostile_names_stay_one_word() {
        let path = "/v/apps/x/a b'; touch /tmp/pwned #.log";
        for line in [tail(path, 5), follow(path, 5), stats(path)] {
            let words = shlex::split(&line.unwrap()).unwrap();
            assert_eq!(words.last().map(String::as_str), Some(path));
        }
        let query = GrepQuery {
            pattern: "-e $(id)",
            ..GrepQuery::default()
        };
        let words = shlex::split(&grep(&query, &[path]).unwrap()).unwrap();
        assert_eq!(
            words,
            [
                "grep", "-a", "-H", "-Z", "-F", "-n", "-e", "-e $(id)", "--", path
            ]
        );
    }

    #[test]
    fn grep_flags_follow_the_query() {
        let query = GrepQuery {
            pattern: "a|b",
            regex: true,
            ignore_case: true,
            count: true,
            max: Some(3),
        };
        assert_eq!(
            grep(&query, &["/x.log", "/y.log"]).unwrap(),
            "grep -a -H -Z -E -i -c -m 3 -e 'a|b' -- /x.log /y.log"
        );
    }

    #[test]
    fn tail_errors_filters_on_the_host() {
        assert_eq!(
            tail_errors("/v/a.log", 250).unwrap(),
            "grep -a -i -F -e error -- /v/a.log | tail -n 250"
        );
    }

    #[test]
    fn stats_program_runs_in_awk_when_available() {
        // The program must be valid for the host's awk (mawk or gawk).
        let Ok(out) = std::process::Command::new("awk")
            .arg(STATS_PROGRAM)
            .arg("/dev/null")
            .output()
        else {
            return;
        };
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(out.stdout, b"lines 0\nerrors 0\nwarns 0\n");
    }
}
