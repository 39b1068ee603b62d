//! The exact command lines the logs commands send (documented in
//! `docs/remote-commands.md`). Every path and pattern is quoted with
//! [`quote::sh`]; nothing else varies. The lines use only POSIX tools with
//! the GNU options a VMS (Linux) has: `find -printf`, `tail -F`, `grep -a -Z -m`,
//! and `awk`; each reads its file once, streaming, so a 200 MB file never
//! crosses the connection whole.

use super::scan::LogFile;
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

/// A file's path as one word for the remote shell: quoted text, or, for a
/// name that is not UTF-8 (which no command line of text can hold as is), a
/// `printf` in a command substitution that writes its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathWord(String);

impl PathWord {
    /// A path that is text.
    pub fn text(path: &str) -> Result<PathWord, QuoteError> {
        quote::sh(path).map(PathWord)
    }

    /// A listed file, by its bytes when its name is not UTF-8.
    pub fn of(file: &LogFile) -> Result<PathWord, QuoteError> {
        match &file.raw {
            Some(raw) => PathWord::bytes(raw),
            None => PathWord::text(&file.path),
        }
    }

    /// Any path bytes but NUL: `"$(printf 'FORMAT')"` with every byte outside
    /// printable ASCII as a `\NNN` octal escape. A command substitution drops
    /// trailing newlines, so those follow it as a quoted word part.
    pub fn bytes(raw: &[u8]) -> Result<PathWord, QuoteError> {
        if let Ok(text) = std::str::from_utf8(raw) {
            return PathWord::text(text);
        }
        if raw.contains(&0) {
            return Err(QuoteError::Nul(String::from_utf8_lossy(raw).into_owned()));
        }
        let body = raw.len() - raw.iter().rev().take_while(|&&b| b == b'\n').count();
        let mut word = String::from("\"$(printf '");
        for &b in &raw[..body] {
            match b {
                b'%' => word.push_str("%%"),
                b'\\' => word.push_str("\\\\"),
                b'\'' => word.push_str("\\047"),
                b' '..=b'~' => word.push(char::from(b)),
                _ => word.push_str(&format!("\\{b:03o}")),
            }
        }
        word.push_str("')\"");
        if body < raw.len() {
            word.push_str(&quote::sh(&"\n".repeat(raw.len() - body))?);
        }
        Ok(PathWord(word))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The last `lines` lines of `path`.
pub fn tail(path: &PathWord, lines: u64) -> String {
    format!("tail -n {lines} -- {}", path.as_str())
}

/// The last `lines` lines of `path` that contain `error` in any case: grep
/// reads the file on the host and only those lines cross.
pub fn tail_errors(path: &PathWord, lines: u64) -> String {
    let path = path.as_str();
    format!("grep -a -i -F -e error -- {path} | tail -n {lines}")
}

/// `tail -F`: the last `lines` lines, then new ones, following the name across
/// rotation (a replaced or truncated file). `tail -F` waits for a missing file
/// to appear, so a `tail -n 0` first makes a vanished name fail at once.
pub fn follow(path: &PathWord, lines: u64) -> String {
    let path = path.as_str();
    format!("tail -n 0 -- {path} && tail -n {lines} -F -- {path}")
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

/// Most bytes of one grep line once the elevation wrapper has quoted it again:
/// the whole line travels as one argument (`sh -c LINE`), which Linux caps at
/// 128 KiB (`MAX_ARG_STRLEN`); the rest is room for the wrapper.
pub const GREP_LINE_BUDGET: usize = 100 * 1024;

/// grep over `paths` as one or more lines, each within [`GREP_LINE_BUDGET`]
/// once quoted by the elevation wrapper, run one after another; every path is in
/// exactly one line, in order. A line always holds at least one path.
pub fn grep_batches(query: &GrepQuery<'_>, paths: &[&PathWord]) -> Result<Vec<String>, QuoteError> {
    let head = grep(query, &[])?.len();
    let mut lines = Vec::new();
    let mut start = 0;
    let mut used = head;
    for (i, path) in paths.iter().enumerate() {
        let cost = estimate(path.as_str());
        if i > start && used + cost > GREP_LINE_BUDGET {
            fit(query, &paths[start..i], &mut lines)?;
            start = i;
            used = head;
        }
        used += cost;
    }
    if start < paths.len() {
        fit(query, &paths[start..], &mut lines)?;
    }
    Ok(lines)
}

/// A quoted word's share of a line quoted again: a `'` may become `'"'"'`, and
/// in double quotes `"`, `\`, `$` and `` ` `` gain a backslash; plus a space.
fn estimate(quoted: &str) -> usize {
    let quotes = quoted.matches('\'').count();
    let escaped = quoted.matches(['"', '\\', '$', '`']).count();
    quoted.len() + 1 + 6 * quotes + escaped
}

/// One grep line for `paths`, or halves of them until each line fits (the
/// estimate is meant to be generous; this makes the limit certain).
fn fit(
    query: &GrepQuery<'_>,
    paths: &[&PathWord],
    lines: &mut Vec<String>,
) -> Result<(), QuoteError> {
    let line = grep(query, paths)?;
    if paths.len() < 2 || wrapped_len(&line)? <= GREP_LINE_BUDGET {
        lines.push(line);
        return Ok(());
    }
    let (left, right) = paths.split_at(paths.len() / 2);
    fit(query, left, lines)?;
    fit(query, right, lines)
}

/// Length of `line` once the elevation wrapper has quoted it (`sh -c LINE`).
fn wrapped_len(line: &str) -> Result<usize, QuoteError> {
    Ok(quote::sh(line)?.len())
}

/// Whether a tool's stderr says a file it was given does not exist (GNU tools
/// and the simulated host word it the same way).
pub fn says_missing(stderr: &[u8]) -> bool {
    String::from_utf8_lossy(stderr).contains(MISSING)
}

/// Whether grep's stderr says `path` does not exist.
pub fn grep_says_missing(stderr: &[u8], path: &str) -> bool {
    String::from_utf8_lossy(stderr).contains(&grep_missing_line(path))
}

/// `stderr` without grep's "No such file" line for each of `paths`.
pub fn drop_grep_missing(stderr: &[u8], paths: &[&str]) -> Vec<u8> {
    let mut kept = String::from_utf8_lossy(stderr).into_owned();
    for path in paths {
        kept = kept.replace(&format!("{}\n", grep_missing_line(path)), "");
    }
    kept.into_bytes()
}

fn grep_missing_line(path: &str) -> String {
    format!("grep: {path}: {MISSING}")
}

const MISSING: &str = "No such file or directory";

/// grep over `paths`: `-a` so bytes that are not text still print as lines,
/// `-H -Z` so every record starts with the file name and a NUL, `-n` for line
/// numbers; the pattern after `-e` so it may start with `-`.
pub fn grep(query: &GrepQuery<'_>, paths: &[&PathWord]) -> Result<String, QuoteError> {
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
        line.push_str(path.as_str());
    }
    Ok(line)
}

/// The one-pass summary of `path` (see [`STATS_PROGRAM`]), after the file's
/// own scan record (`SIZE<TAB>MTIME<TAB>PATH<NUL>`, as [`scan`] prints it, and
/// nothing when `path` is not a regular file); a missing file stops the line
/// before awk starts.
pub fn stats(path: &PathWord) -> Result<String, QuoteError> {
    let path = path.as_str();
    Ok(format!(
        "find {path} -type f -printf '%s\\t%T@\\t%p\\0' && awk {} {path}",
        quote::sh(STATS_PROGRAM)?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(path: &str) -> PathWord {
        PathWord::text(path).unwrap()
    }

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
        let path_word = word(path);
        let lines = [
            tail(&path_word, 5),
            follow(&path_word, 5),
            stats(&path_word).unwrap(),
        ];
        for line in lines {
            let words = shlex::split(&line).unwrap();
            assert_eq!(words.last().map(String::as_str), Some(path));
        }
        let query = GrepQuery {
            pattern: "-e $(id)",
            ..GrepQuery::default()
        };
        let words = shlex::split(&grep(&query, &[&path_word]).unwrap()).unwrap();
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
            grep(&query, &[&word("/x.log"), &word("/y.log")]).unwrap(),
            "grep -a -H -Z -E -i -c -m 3 -e 'a|b' -- /x.log /y.log"
        );
    }

    #[test]
    fn tail_errors_filters_on_the_host() {
        assert_eq!(
            tail_errors(&word("/v/a.log"), 250),
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

    #[test]
    fn follow_and_stats_fail_early_on_a_missing_file() {
        assert_eq!(
            follow(&word("/v/a b.log"), 5),
            "tail -n 0 -- '/v/a b.log' && tail -n 5 -F -- '/v/a b.log'"
        );
        let line = stats(&word("/v/a.log")).unwrap();
        assert!(
            line.starts_with("find /v/a.log -type f -printf '%s\\t%T@\\t%p\\0' && awk "),
            "{line}"
        );
    }

    #[test]
    fn grep_batches_keep_every_path_once_and_stay_under_the_budget() {
        let query = GrepQuery {
            pattern: "x",
            ..GrepQuery::default()
        };
        let owned: Vec<String> = (0..3000)
            .map(|i| format!("/var/log/versa/vms/apps/app-{i}/it's {i} a \"log\".log"))
            .collect();
        let words: Vec<PathWord> = owned.iter().map(|p| word(p)).collect();
        let paths: Vec<&PathWord> = words.iter().collect();
        let lines = grep_batches(&query, &paths).unwrap();
        assert!(lines.len() > 1, "3000 long names need several lines");
        let mut seen = Vec::new();
        for line in &lines {
            assert!(
                wrapped_len(line).unwrap() <= GREP_LINE_BUDGET,
                "{}",
                line.len()
            );
            let words = shlex::split(line).unwrap();
            let at = words.iter().position(|w| w == "--").unwrap();
            seen.extend(words[at + 1..].iter().cloned());
        }
        assert_eq!(seen, owned);

        let one = grep_batches(&query, &paths[..2]).unwrap();
        assert_eq!(one, [grep(&query, &paths[..2]).unwrap()]);
    }

    #[test]
    fn missing_files_are_recognised_by_path() {
        let stderr =
            b"grep: /v/a.log: No such file or directory\ngrep: /v/b.log: Permission denied\n";
        assert!(says_missing(stderr));
        assert!(grep_says_missing(stderr, "/v/a.log"));
        assert!(!grep_says_missing(stderr, "/v/b.log"));
        assert!(!says_missing(b"tail: /v/a.log: Permission denied\n"));
    }

    #[test]
    fn a_name_that_is_not_utf8_is_written_by_printf() {
        let raw = b"/v/apps/x/it's 100%\\ \xff\xfe$(id)`id`\x01.log\n\n";
        let path = PathWord::bytes(raw).unwrap();
        assert!(
            path.as_str().starts_with("\"$(printf '"),
            "{}",
            path.as_str()
        );
        assert_eq!(PathWord::bytes(b"/v/a.log").unwrap(), word("/v/a.log"));
        assert!(PathWord::bytes(b"/v/\xff\0").is_err());

        // The local sh turns the word back into exactly those bytes, once.
        let script = format!("printf '%s|' {}", path.as_str());
        let Ok(out) = std::process::Command::new("sh")
            .args(["-c", &script])
            .output()
        else {
            return;
        };
        let mut want = raw.to_vec();
        want.push(b'|');
        assert_eq!(out.stdout, want, "{}", String::from_utf8_lossy(&out.stderr));
    }
}
