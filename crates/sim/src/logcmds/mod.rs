//! The log commands `vmsdbg` sends (see `docs/remote-commands.md`), over the world's
//! log files, with the GNU options they use:
//!
//! - `find START... -type f -name GLOB '!' -name GLOB -printf FORMAT`
//! - `tail -n N [-F] -- FILE` (`-F` prints, then waits until the channel closes, since
//!   a world's files never grow)
//! - `grep -a -H -Z -F|-E [-i] -n|-c [-m N] -e PATTERN -- FILE...` (or stdin)
//! - `awk PROGRAM FILE`, for vmsdbg's stats program only, recognised by its first line
//!   `# vmsdbg-stats 1` and computed here the way awk computes it; any other program
//!   is refused, as this host has no awk interpreter.
//!
//! Files are root-only, as on a VMS: another user gets each tool's real
//! "Permission denied". Plain `tail`/`grep` without these options (an operator's
//! `exec ... | grep x`) stay with [`crate::filters`]; [`claims`] decides.

mod ere;

use crate::builtins;
use crate::exec::Shell;
use crate::io::{Dest, Stop};
use crate::output::Output;
use crate::world::World;

use ere::Ere;

/// Whether this module runs `name args` rather than the plain filters.
pub(crate) fn claims(name: &str, args: &[String]) -> bool {
    let gnu = |flags: &[&str]| args.iter().any(|a| flags.contains(&a.as_str()));
    match name {
        "find" | "awk" => true,
        "tail" => gnu(&["-F", "--"]),
        "grep" => gnu(&["-a", "-H", "-Z", "-E", "-m", "--"]),
        _ => false,
    }
}

/// Runs one claimed command.
pub(crate) async fn run(
    shell: &mut Shell<'_>,
    name: &str,
    args: &[String],
    out: Dest,
    err: Dest,
) -> Result<u32, Stop> {
    let world = &shell.env.world;
    let root = shell.root;
    let output = match name {
        "find" => find(world, args, root),
        "awk" => awk(world, args, root),
        "grep" => {
            let stdin = match grep_reads_stdin(args) {
                true => Some(shell.io.read_all().await?),
                false => None,
            };
            grep(world, args, root, stdin)
        }
        _ => return tail(shell, args, out, err).await,
    };
    shell.io.write(out, &output.stdout).await?;
    shell.io.write(err, &output.stderr).await?;
    Ok(output.code)
}

/// `find`: files under each start point matching the expression, in path order.
fn find(world: &World, args: &[String], root: bool) -> Output {
    let starts: Vec<&String> = args
        .iter()
        .take_while(|a| !a.starts_with('-') && *a != "!")
        .collect();
    let expr = &args[starts.len()..];
    let test = match FindTest::parse(expr) {
        Ok(test) => test,
        Err(message) => return Output::fail(1, message),
    };
    let mut out = Output::default();
    for start in starts {
        let dir = format!("{}/", start.trim_end_matches('/'));
        let under: Vec<&crate::world::LogFile> = world
            .logs
            .iter()
            .filter(|f| &f.path == start || f.path.starts_with(&dir))
            .collect();
        let problem = match (under.is_empty(), root) {
            (true, _) => Some("No such file or directory"),
            (false, false) => Some("Permission denied"),
            (false, true) => None,
        };
        if let Some(problem) = problem {
            let line = format!("find: '{start}': {problem}\n");
            out.stderr.extend_from_slice(line.as_bytes());
            out.code = 1;
            continue;
        }
        let mut under = under;
        under.sort_by(|a, b| a.path.cmp(&b.path));
        for file in under.into_iter().filter(|f| test.matches(&f.path)) {
            out.stdout.extend(test.print(world, file));
        }
    }
    out
}

/// The expression vmsdbg gives find: `-type f`, `-name`, `!`/`-not`, `-printf`.
#[derive(Default)]
struct FindTest {
    names: Vec<(bool, String)>,
    printf: Option<String>,
}

impl FindTest {
    fn parse(expr: &[String]) -> Result<FindTest, String> {
        let mut test = FindTest::default();
        let mut words = expr.iter();
        let mut negate = false;
        while let Some(word) = words.next() {
            let mut value = || {
                words
                    .next()
                    .cloned()
                    .ok_or_else(|| format!("find: missing argument to `{word}'\n"))
            };
            match word.as_str() {
                "!" | "-not" => {
                    negate = !negate;
                    continue;
                }
                "-type" if value()? == "f" => {}
                "-name" => test.names.push((negate, value()?)),
                "-printf" => test.printf = Some(value()?),
                other => return Err(format!("find: unknown predicate `{other}'\n")),
            }
            negate = false;
        }
        Ok(test)
    }

    fn matches(&self, path: &str) -> bool {
        let base = path.rsplit('/').next().unwrap_or(path);
        self.names
            .iter()
            .all(|(negate, glob)| glob_match(glob.as_bytes(), base.as_bytes()) != *negate)
    }

    /// `-printf` with `%s`, `%T@`, `%p`, `%%` and `\t \n \0 \\`; plain `-print` without.
    fn print(&self, world: &World, file: &crate::world::LogFile) -> Vec<u8> {
        let Some(format) = &self.printf else {
            return format!("{}\n", file.path).into_bytes();
        };
        let mtime = crate::clock::parse_rfc3339(&file.mtime).unwrap_or_else(|| world.now_unix());
        let mut out = Vec::new();
        let mut chars = format.chars();
        while let Some(c) = chars.next() {
            match (c, c == '%' || c == '\\') {
                ('%', true) => match chars.next() {
                    Some('s') => out.extend(file.contents().len().to_string().bytes()),
                    Some('p') => out.extend(file.path.bytes()),
                    Some('T') if chars.next() == Some('@') => {
                        out.extend(format!("{mtime}.0000000000").bytes())
                    }
                    Some('%') => out.push(b'%'),
                    _ => {}
                },
                ('\\', true) => match chars.next() {
                    Some('t') => out.push(b'\t'),
                    Some('n') => out.push(b'\n'),
                    Some('0') => out.push(0),
                    Some(other) => out.extend(other.to_string().bytes()),
                    None => out.push(b'\\'),
                },
                (c, _) => out.extend(c.to_string().bytes()),
            }
        }
        out
    }
}

/// Shell glob on bytes: `*`, `?` and literal bytes.
fn glob_match(glob: &[u8], name: &[u8]) -> bool {
    match (glob.split_first(), name.split_first()) {
        (None, None) => true,
        (Some((b'*', rest)), _) => {
            glob_match(rest, name) || (!name.is_empty() && glob_match(glob, &name[1..]))
        }
        (Some((b'?', rest)), Some((_, tail))) => glob_match(rest, tail),
        (Some((g, rest)), Some((n, tail))) if g == n => glob_match(rest, tail),
        _ => false,
    }
}

/// `tail -n N [-F] -- FILE`.
async fn tail(shell: &mut Shell<'_>, args: &[String], out: Dest, err: Dest) -> Result<u32, Stop> {
    let mut count = 10usize;
    let mut follow = false;
    let mut files = Vec::new();
    let mut words = args.iter();
    let mut options = true;
    while let Some(word) = words.next() {
        match word.as_str() {
            "-n" if options => {
                let value = words.next().map_or("", String::as_str);
                let Ok(n) = value.parse() else {
                    let msg = format!("tail: invalid number of lines: '{value}'\n");
                    shell.io.write(err, msg.as_bytes()).await?;
                    return Ok(1);
                };
                count = n;
            }
            "-F" if options => follow = true,
            "--" if options => options = false,
            _ => files.push(word.clone()),
        }
    }
    let Some(path) = files.first() else {
        let input = shell.io.read_all().await?;
        shell.io.write(out, &last_lines(&input, count)).await?;
        return Ok(0);
    };
    let status = match builtins::read_file(&shell.env.world, path, shell.root) {
        Ok(bytes) => {
            shell.io.write(out, &last_lines(&bytes, count)).await?;
            0
        }
        Err(reason) => {
            let msg = format!("tail: cannot open '{path}' for reading: {reason}\n");
            shell.io.write(err, msg.as_bytes()).await?;
            1
        }
    };
    if !follow {
        return Ok(status);
    }
    // A world's files never change: follow means waiting for the client to stop.
    shell.io.closed().await;
    Err(Stop::Cancelled)
}

fn last_lines(bytes: &[u8], count: usize) -> Vec<u8> {
    let lines: Vec<&[u8]> = bytes.split_inclusive(|&b| b == b'\n').collect();
    lines[lines.len().saturating_sub(count)..].concat()
}

/// What `grep` was asked.
#[derive(Default)]
struct GrepArgs {
    pattern: Option<String>,
    regex: bool,
    ignore_case: bool,
    count: bool,
    numbers: bool,
    names: bool,
    null: bool,
    max: Option<u64>,
    files: Vec<String>,
}

impl GrepArgs {
    fn parse(args: &[String]) -> Result<GrepArgs, String> {
        let mut parsed = GrepArgs::default();
        let mut words = args.iter();
        let mut options = true;
        while let Some(word) = words.next() {
            match word.as_str() {
                w if !options || !w.starts_with('-') || w == "-" => {
                    match parsed.pattern.is_none() && options {
                        true => parsed.pattern = Some(w.to_string()),
                        false => parsed.files.push(w.to_string()),
                    }
                }
                "--" => options = false,
                "-a" | "-F" => {}
                "-E" => parsed.regex = true,
                "-i" => parsed.ignore_case = true,
                "-c" => parsed.count = true,
                "-n" => parsed.numbers = true,
                "-H" => parsed.names = true,
                "-Z" => parsed.null = true,
                "-e" => parsed.pattern = words.next().cloned(),
                "-m" => {
                    let value = words.next().map_or("", String::as_str);
                    let max = value.parse().map_err(|_| "grep: invalid max count\n")?;
                    parsed.max = Some(max);
                }
                other => {
                    let flag = other.trim_start_matches('-');
                    return Err(format!(
                        "grep: invalid option -- '{flag}'\n\
                         Usage: grep [OPTION]... PATTERNS [FILE]...\n"
                    ));
                }
            }
            if !options && parsed.pattern.is_none() {
                // `--` before any pattern: the next word is the pattern.
                parsed.pattern = words.next().cloned();
            }
        }
        Ok(parsed)
    }
}

fn grep_reads_stdin(args: &[String]) -> bool {
    GrepArgs::parse(args).is_ok_and(|a| a.files.is_empty())
}

/// `grep` over files (or stdin): status 0 matched, 1 nothing, 2 trouble.
fn grep(world: &World, args: &[String], root: bool, stdin: Option<Vec<u8>>) -> Output {
    let parsed = match GrepArgs::parse(args) {
        Ok(parsed) => parsed,
        Err(message) => return Output::fail(2, message),
    };
    let Some(pattern) = parsed.pattern.clone() else {
        return Output::fail(2, "Usage: grep [OPTION]... PATTERNS [FILE]...\n");
    };
    let matcher = match Matcher::new(&pattern, parsed.regex, parsed.ignore_case) {
        Ok(matcher) => matcher,
        Err(message) => return Output::fail(2, format!("{message}\n")),
    };
    let mut out = Output::default();
    let (mut matched, mut trouble) = (false, false);
    let inputs: Vec<(String, Result<Vec<u8>, &str>)> = match stdin {
        Some(bytes) => vec![("(standard input)".to_string(), Ok(bytes))],
        None => parsed
            .files
            .iter()
            .map(|f| (f.clone(), builtins::read_file(world, f, root)))
            .collect(),
    };
    let names = parsed.names || inputs.len() > 1;
    for (name, contents) in inputs {
        match contents {
            Ok(bytes) => {
                let label = match (names, parsed.null) {
                    (false, _) => Vec::new(),
                    (true, true) => [name.as_bytes(), b"\0"].concat(),
                    (true, false) => [name.as_bytes(), b":"].concat(),
                };
                matched |= grep_one(&parsed, &matcher, &label, &bytes, &mut out.stdout);
            }
            Err(reason) => {
                let line = format!("grep: {name}: {reason}\n");
                out.stderr.extend_from_slice(line.as_bytes());
                trouble = true;
            }
        }
    }
    out.code = match (trouble, matched) {
        (true, _) => 2,
        (false, true) => 0,
        (false, false) => 1,
    };
    out
}

/// One file's matches (or count); returns whether any line matched.
fn grep_one(
    args: &GrepArgs,
    matcher: &Matcher,
    label: &[u8],
    bytes: &[u8],
    out: &mut Vec<u8>,
) -> bool {
    let mut hits = 0u64;
    for (index, line) in bytes.split_inclusive(|&b| b == b'\n').enumerate() {
        if args.max.is_some_and(|max| hits >= max) {
            break;
        }
        let content = line.strip_suffix(b"\n").unwrap_or(line);
        if !matcher.is_match(content) {
            continue;
        }
        hits += 1;
        if args.count {
            continue;
        }
        out.extend_from_slice(label);
        if args.numbers {
            out.extend_from_slice(format!("{}:", index + 1).as_bytes());
        }
        out.extend_from_slice(content);
        out.push(b'\n');
    }
    if args.count {
        out.extend_from_slice(label);
        out.extend_from_slice(format!("{hits}\n").as_bytes());
    }
    hits > 0
}

/// A fixed string (`-F`) or an extended regex (`-E`).
enum Matcher {
    Fixed { needle: Vec<u8>, fold: bool },
    Regex(Ere),
}

impl Matcher {
    fn new(pattern: &str, regex: bool, fold: bool) -> Result<Matcher, String> {
        if regex {
            return Ere::new(pattern, fold)
                .map(Matcher::Regex)
                .map_err(|e| e.to_string());
        }
        let needle = pattern.as_bytes().to_vec();
        Ok(Matcher::Fixed { needle, fold })
    }

    fn is_match(&self, line: &[u8]) -> bool {
        match self {
            Matcher::Regex(ere) => ere.is_match(line),
            Matcher::Fixed { needle, .. } if needle.is_empty() => true,
            Matcher::Fixed { needle, fold } => line.windows(needle.len()).any(|w| match fold {
                true => w.eq_ignore_ascii_case(needle),
                false => w == needle.as_slice(),
            }),
        }
    }
}

/// The first line of vmsdbg's stats program.
const STATS_MARK: &str = "# vmsdbg-stats 1";

/// `awk PROGRAM FILE...`, for the stats program only.
fn awk(world: &World, args: &[String], root: bool) -> Output {
    let args: Vec<&String> = args.iter().filter(|a| *a != "--").collect();
    let Some((program, files)) = args.split_first() else {
        return Output::fail(
            2,
            "usage: awk [-F value] [-v var=value] 'program' [file ...]\n",
        );
    };
    if program.lines().next() != Some(STATS_MARK) {
        let msg = "awk: the simulated host runs only vmsdbg's stats program\n";
        return Output::fail(2, msg);
    }
    let mut all = Vec::new();
    for path in files {
        match builtins::read_file(world, path, root) {
            Ok(bytes) => all.push(bytes),
            Err(reason) => return Output::fail(2, format!("awk: cannot open {path} ({reason})\n")),
        }
    }
    Output::ok(stats(&all))
}

/// What the stats program prints for these files, read one after another.
fn stats(files: &[Vec<u8>]) -> String {
    let (mut lines, mut errors, mut warns) = (0u64, 0u64, 0u64);
    let (mut first, mut last) = (None::<String>, None::<String>);
    let mut hours = std::collections::BTreeMap::<String, u64>::new();
    for bytes in files {
        for line in bytes.split_inclusive(|&b| b == b'\n') {
            lines += 1;
            let line = line.strip_suffix(b"\n").unwrap_or(line);
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            let stamp = timestamp(line);
            if let Some(t) = &stamp {
                first.get_or_insert_with(|| t.clone());
                last = Some(t.clone());
            }
            let has = |word: &[u8]| {
                line.windows(word.len())
                    .any(|w| w.eq_ignore_ascii_case(word))
            };
            if has(b"error") {
                errors += 1;
                if let Some(t) = &stamp {
                    *hours.entry(t[..13].to_string()).or_default() += 1;
                }
            }
            if has(b"warn") {
                warns += 1;
            }
        }
    }
    let mut out = format!("lines {lines}\nerrors {errors}\nwarns {warns}\n");
    if let (Some(first), Some(last)) = (first, last) {
        out.push_str(&format!("first {first}\nlast {last}\n"));
    }
    for (hour, n) in hours {
        out.push_str(&format!("hour {hour} {n}\n"));
    }
    out
}

/// `YYYY-MM-DD[T ]HH:MM:SS` at the start of a line, with `T` as the separator.
fn timestamp(line: &[u8]) -> Option<String> {
    let head = line.get(..19)?;
    let shape = b"dddd-dd-ddTdd:dd:dd";
    let fits = head.iter().zip(shape).all(|(&c, &s)| match s {
        b'd' => c.is_ascii_digit(),
        b'T' => c == b'T' || c == b' ',
        s => c == s,
    });
    if !fits {
        return None;
    }
    let text = std::str::from_utf8(head).ok()?;
    Some(format!("{}T{}", &text[..10], &text[11..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    fn world() -> World {
        World::builtin_at(1_750_000_000)
    }

    #[test]
    fn find_lists_logs_without_gz() {
        let args = s(&[
            "/var/log/versa/vms/apps",
            "/var/log/versa/vms/vms-admin.log",
            "-type",
            "f",
            "-name",
            "*.log*",
            "!",
            "-name",
            "*.gz",
            "-printf",
            "%p\\n",
        ]);
        let out = find(&world(), &args, true);
        assert_eq!(out.code, 0, "{}", out.stderr_text());
        let text = out.stdout_text();
        assert!(
            text.contains("/var/log/versa/vms/apps/api/api.log\n"),
            "{text}"
        );
        assert!(
            text.ends_with("/var/log/versa/vms/vms-admin.log\n"),
            "{text}"
        );
        assert!(!text.contains(".gz"), "{text}");
        let denied = find(&world(), &args, false);
        assert_eq!(denied.code, 1);
        assert!(
            denied
                .stderr_text()
                .starts_with("find: '/var/log/versa/vms/apps': Permission denied\n")
        );
    }

    #[test]
    fn grep_records_like_gnu_grep() {
        let path = "/var/log/versa/vms/apps/api/api.log";
        let args = s(&[
            "-a", "-H", "-Z", "-F", "-i", "-n", "-e", "error", "--", path,
        ]);
        let out = grep(&world(), &args, true, None);
        assert_eq!(out.code, 0);
        assert_eq!(
            out.stdout,
            format!("{path}\u{0}2:2025-06-01T10:00:05Z Error api: redis timeout after 5s\n")
                .into_bytes()
        );
        let count = s(&["-a", "-H", "-Z", "-E", "-c", "-e", "INFO|Error", "--", path]);
        assert_eq!(
            grep(&world(), &count, true, None).stdout,
            format!("{path}\u{0}3\n").into_bytes()
        );
        let denied = grep(&world(), &args, false, None);
        assert_eq!(denied.code, 2);
        assert_eq!(
            denied.stderr_text(),
            format!("grep: {path}: Permission denied\n")
        );
    }

    #[test]
    fn stats_mirror_the_awk_program() {
        let text = b"2025-01-15T10:00:00Z ERROR a\r\n2025-01-15 10:30:00 warn b\nno stamp error\n\
                     2025-01-15T12:00:00Z Error c";
        assert_eq!(
            stats(&[text.to_vec()]),
            "lines 4\nerrors 3\nwarns 1\nfirst 2025-01-15T10:00:00\nlast 2025-01-15T12:00:00\n\
             hour 2025-01-15T10 1\nhour 2025-01-15T12 1\n"
        );
        assert_eq!(stats(&[Vec::new()]), "lines 0\nerrors 0\nwarns 0\n");
    }

    #[test]
    fn other_awk_programs_are_refused() {
        let out = awk(&world(), &s(&["{print}", "/x"]), true);
        assert_eq!(out.code, 2);
    }

    #[test]
    fn claims_only_the_gnu_forms() {
        assert!(claims("tail", &s(&["-n", "5", "-F", "--", "/x"])));
        assert!(!claims("tail", &s(&["-n", "5"])));
        assert!(claims("grep", &s(&["-a", "-i", "x"])));
        assert!(!claims("grep", &s(&["-i", "x"])));
        assert!(claims("find", &s(&["/"])));
    }
}
