//! `logs scan|tail|grep|follow|stats`: the VMS application logs under the
//! session's log root (root-only files).
//!
//! Every command but `scan` resolves FILE to one log file: against the
//! session's last listing when it has one that names it, else as an absolute
//! log path under the root, else against a fresh scan; so the logs commands
//! only ever read log files, and a warm `logs tail` is one remote command. A
//! name from the last listing that has since vanished gets one fresh scan and
//! a retry (`grep --all` always scans). Output streams:
//! lines are printed as they arrive, held one at a time (see
//! [`crate::domain::logs::lines`]), so a 200 MB file or a 200 KB line never
//! sits in memory whole. An unelevated session still runs the commands, as
//! the login user, and a "Permission denied" becomes the elevation hint.

use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};

use crate::app::Invocation;
use crate::cli::{Format, LogsCmd, LogsFollow, LogsGrep, LogsStats, LogsTail};
use crate::domain::logs::grep::{GrepParser, GrepRecord};
use crate::domain::logs::remote::{self, GrepQuery, PathWord};
use crate::domain::logs::resolve::remembered;
use crate::domain::logs::stats::{self, Stats};
use crate::domain::logs::{Line, LogFile, Splitter, parse_scan, resolve};
use crate::elevate::ElevateError;
use crate::error::{Error, Result};
use crate::output::stream::Stream;
use crate::output::{Report, Table, progress};
use crate::session::{Session, remote_failure};
use crate::ssh::exec::Collect;
use crate::ssh::{ExecOutcome, OutputSink};

pub async fn run(inv: &mut Invocation<'_>, command: LogsCmd) -> Result<Option<Report>> {
    let session = inv.session()?;
    match command {
        LogsCmd::Scan => scan(inv, &session).await.map(Some),
        LogsCmd::Tail(args) => tail(inv, &session, &args).await.map(|_| None),
        LogsCmd::Grep(args) => grep(inv, &session, &args).await.map(|_| None),
        LogsCmd::Follow(args) => follow(inv, &session, &args).await.map(|_| None),
        LogsCmd::Stats(args) => stats(inv, &session, &args).await.map(Some),
    }
}

async fn scan(inv: &Invocation<'_>, session: &Arc<Session>) -> Result<Report> {
    let files = scan_files(inv, session).await?;
    let mut table = Table::new(&["FILE", "APP", "SIZE", "MODIFIED"]);
    for file in &files {
        table.row(vec![
            file.path.clone(),
            file.app.clone(),
            file.size.to_string(),
            file.mtime.clone(),
        ]);
    }
    let json = serde_json::to_value(&files).expect("log files are plain data");
    let mut report = Report::table(table, json);
    if files.is_empty() {
        let root = &session.request.log_root;
        report = report.note(format!("no log files under {root}"));
    }
    Ok(report)
}

/// The log files under the session's root, sorted by path; remembered for
/// Tab and for resolving FILE next time.
async fn scan_files(inv: &Invocation<'_>, session: &Session) -> Result<Vec<LogFile>> {
    let root = &session.request.log_root;
    let line = remote::scan(root)?;
    let mut out = Collect::default();
    let outcome = run_remote(session, &line, &mut out, inv.timeout()).await?;
    // find says "No such file or directory" for a root without vms-admin.log
    // or without apps/; the rest of the listing is still right.
    let only_missing = String::from_utf8_lossy(&out.stderr)
        .lines()
        .all(|l| l.trim().is_empty() || l.ends_with("No such file or directory"));
    if !outcome.success() && !only_missing {
        return Err(failure(session, &line, &outcome, &out.stderr));
    }
    let files = parse_scan(&out.stdout, root);
    remember(session, root, &files);
    Ok(files)
}

/// Keep the files just listed, as the suffixes `logs tail` accepts: Tab
/// offers them, and [`locate`] resolves FILE against them.
fn remember(session: &Session, root: &str, files: &[LogFile]) {
    let prefix = format!("{}/", root.trim_end_matches('/'));
    let names = files
        .iter()
        .map(|f| f.path.strip_prefix(&prefix).unwrap_or(&f.path).to_string())
        .collect();
    session
        .seen
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .log_files = names;
}

/// The full paths of the last listing.
fn last_listing(session: &Session) -> Vec<String> {
    let seen = session.seen.lock().unwrap_or_else(|p| p.into_inner());
    remembered(&session.request.log_root, &seen.log_files)
}

/// FILE resolved to a path on the host.
#[derive(Debug, Clone)]
struct Target {
    /// As shown (U+FFFD for bytes that are not UTF-8).
    path: String,
    /// As sent.
    word: PathWord,
    /// Found without listing just now (in the last listing, or as a direct
    /// path), so a "No such file" means the listing is stale: scan once more.
    unchecked: bool,
}

/// FILE as typed → one path, with no remote work when the session's last
/// listing resolves it or it is an absolute log path under the root; else
/// (never listed, a new file, or ambiguous there) from a fresh scan.
async fn locate(inv: &Invocation<'_>, session: &Session, query: &str) -> Result<Target> {
    // Only names the scan listed (`find -type f`): a path typed by hand could be
    // a symlink named like a log, pointing anywhere, so it is looked up first.
    let known = last_listing(session);
    match from_listing(&known, query) {
        Some(path) => unchecked(path),
        None => relocate(inv, session, query).await,
    }
}

/// The path `query` names in the last listing, if it names one there. A
/// remembered name with U+FFFD is not the file's real name (a scan has its
/// bytes), so it does not count.
// Known gap: a listed file replaced by a symlink after the listing is followed; only a
// `-type f` test in the same remote command (a `find ... -exec tail`) would close it.
fn from_listing(known: &[String], query: &str) -> Option<String> {
    let path = resolve(known, query).ok()?;
    (!path.contains('\u{fffd}')).then(|| path.clone())
}

/// A path found without listing just now.
fn unchecked(path: String) -> Result<Target> {
    Ok(Target {
        word: PathWord::text(&path)?,
        path,
        unchecked: true,
    })
}

/// FILE resolved against a fresh scan.
async fn relocate(inv: &Invocation<'_>, session: &Session, query: &str) -> Result<Target> {
    let files = scan_files(inv, session).await?;
    let file = resolve(&files, query).map_err(|e| Error::failed(e.to_string()))?;
    listed(file)
}

/// A file of a fresh scan as a target.
fn listed(file: &LogFile) -> Result<Target> {
    Ok(Target {
        path: file.path.clone(),
        word: PathWord::of(file)?,
        unchecked: false,
    })
}

async fn tail(inv: &Invocation<'_>, session: &Arc<Session>, args: &LogsTail) -> Result<()> {
    let show = match (args.errors, args.pretty) {
        (true, _) => Show::Errors,
        (_, true) => Show::Pretty,
        _ => Show::All,
    };
    let mut target = locate(inv, session, &args.file).await?;
    loop {
        let line = match args.errors {
            true => remote::tail_errors(&target.word, args.lines),
            false => remote::tail(&target.word, args.lines),
        };
        let mut sink = LineSink::new(Printer::new(inv, show), &target.path, false);
        let outcome = run_remote(session, &line, &mut sink, inv.timeout()).await?;
        if target.unchecked && sink.missing() {
            target = relocate(inv, session, &args.file).await?;
            continue;
        }
        sink.finish();
        return sink.settle(session, &line, &outcome, &[0]);
    }
}

async fn follow(inv: &Invocation<'_>, session: &Arc<Session>, args: &LogsFollow) -> Result<()> {
    let show = if args.errors { Show::Errors } else { Show::All };
    let mut target = locate(inv, session, &args.file).await?;
    loop {
        let line = remote::follow(&target.word, args.lines);
        if !inv.app.quiet && inv.format != Format::Json {
            inv.note(&format!("following {} (Ctrl-C stops)", target.path));
        }
        // No time limit: a follow runs until Ctrl-C, which the app turns into
        // cancelling this future; dropping it closes the channel, and the
        // session stops the remote `tail -F` (`Session::run`). Unelevated, the
        // `tail` lingers until its next write (SIGPIPE).
        let mut sink = LineSink::new(Printer::new(inv, show), &target.path, true);
        sink.hold_missing = target.unchecked;
        let outcome = run_remote(session, &line, &mut sink, None).await?;
        if target.unchecked && sink.missing() {
            target = relocate(inv, session, &args.file).await?;
            continue;
        }
        sink.finish();
        return sink.settle(session, &line, &outcome, &[0]);
    }
}

/// The files `logs grep` searches: all of a fresh scan for `--all`, else each
/// FILE, from the last listing when every one resolves there.
async fn grep_targets(
    inv: &Invocation<'_>,
    session: &Session,
    args: &LogsGrep,
) -> Result<Vec<Target>> {
    if !args.all {
        let known = last_listing(session);
        let found: Option<Vec<String>> =
            args.files.iter().map(|q| from_listing(&known, q)).collect();
        if let Some(found) = found {
            return found.into_iter().map(unchecked).collect();
        }
    }
    let files = scan_files(inv, session).await?;
    if args.all {
        return files.iter().map(listed).collect();
    }
    let resolve_listed = |query: &String| {
        let file = resolve(&files, query).map_err(|e| Error::failed(e.to_string()))?;
        listed(file)
    };
    args.files.iter().map(resolve_listed).collect()
}

/// One `logs grep`: what to ask and where the output goes.
struct GrepJob<'a> {
    query: GrepQuery<'a>,
    sink: GrepSink,
}

async fn grep(inv: &Invocation<'_>, session: &Arc<Session>, args: &LogsGrep) -> Result<()> {
    let targets = grep_targets(inv, session, args).await?;
    if targets.is_empty() {
        let root = &session.request.log_root;
        return Err(Error::failed(format!(
            "no log files under {root} to search"
        )));
    }
    let mut job = GrepJob {
        query: GrepQuery {
            pattern: &args.pattern,
            regex: args.regex,
            ignore_case: args.ignore_case,
            count: args.count,
            max: args.max,
        },
        sink: GrepSink::new(Printer::new(inv, Show::All), args.count),
    };
    let mut run = grep_run(inv, session, &mut job, &targets).await?;
    let vanished: Vec<usize> = (0..targets.len())
        .filter(|&i| remote::grep_says_missing(&job.sink.stderr, &targets[i].path))
        .collect();
    forget_vanished(&mut job.sink, &mut run, &targets, &vanished);
    let stale: Vec<usize> = vanished
        .into_iter()
        .filter(|&i| targets[i].unchecked)
        .collect();
    if !stale.is_empty() {
        run = regrep(inv, session, &args.files, &mut job, &targets, &stale, run).await?;
    }
    let sink = &mut job.sink;
    sink.finish();
    // grep: 0 some match, 1 none, 2 trouble (even if other files matched).
    settle(
        session,
        &run.line,
        &run.outcome,
        &sink.stderr,
        &[0, 1],
        &mut sink.printer.out,
    )
}

/// Files that vanished before grep opened them (rotated away since a fresh
/// listing, or gone since the last one) are not trouble: drop grep's
/// complaints about them, and when nothing else went wrong the status is
/// grep's for the files it did read.
fn forget_vanished(sink: &mut GrepSink, run: &mut GrepRun, targets: &[Target], vanished: &[usize]) {
    if vanished.is_empty() {
        return;
    }
    let gone: Vec<&str> = vanished.iter().map(|&i| targets[i].path.as_str()).collect();
    sink.stderr = remote::drop_grep_missing(&sink.stderr, &gone);
    let quiet = String::from_utf8_lossy(&sink.stderr).trim().is_empty();
    if quiet && run.outcome.status == Some(2) {
        run.outcome.status = Some(if sink.matched { 0 } else { 1 });
    }
}

/// Some FILEs resolved from the last listing are gone: list again and search
/// what those FILEs name now (files the first run did not search already).
async fn regrep(
    inv: &Invocation<'_>,
    session: &Session,
    typed: &[String],
    job: &mut GrepJob<'_>,
    searched: &[Target],
    vanished: &[usize],
    first: GrepRun,
) -> Result<GrepRun> {
    let files = scan_files(inv, session).await?;
    let mut again: Vec<Target> = Vec::new();
    for &i in vanished {
        let file = resolve(&files, &typed[i]).map_err(|e| Error::failed(e.to_string()))?;
        let known = |t: &Target| t.path == file.path;
        if !searched.iter().any(known) && !again.iter().any(known) {
            again.push(listed(file)?);
        }
    }
    if again.is_empty() {
        return Ok(first);
    }
    let second = grep_run(inv, session, job, &again).await?;
    Ok(first.merge(second))
}

/// What one or more grep lines over a set of files ended with.
struct GrepRun {
    /// The line that decided the status (the first that failed, else the last).
    line: String,
    outcome: ExecOutcome,
}

impl GrepRun {
    /// Two runs as one grep: trouble anywhere wins, else a match anywhere.
    fn merge(self, other: GrepRun) -> GrepRun {
        let trouble = |run: &GrepRun| !matches!(run.outcome.status, Some(0 | 1));
        if trouble(&self) {
            return self;
        }
        if trouble(&other) || other.outcome.success() {
            return other;
        }
        self
    }
}

/// grep over `targets`, in as many lines as the command-line limit needs, one
/// after another into the same sink.
async fn grep_run(
    inv: &Invocation<'_>,
    session: &Session,
    job: &mut GrepJob<'_>,
    targets: &[Target],
) -> Result<GrepRun> {
    let words: Vec<&PathWord> = targets.iter().map(|t| &t.word).collect();
    let mut merged: Option<GrepRun> = None;
    for line in remote::grep_batches(&job.query, &words)? {
        let outcome = run_remote(session, &line, &mut job.sink, inv.timeout()).await?;
        let run = GrepRun { line, outcome };
        merged = Some(match merged {
            Some(before) => before.merge(run),
            None => run,
        });
    }
    merged.ok_or_else(|| Error::failed("no log files to search"))
}

async fn stats(inv: &Invocation<'_>, session: &Arc<Session>, args: &LogsStats) -> Result<Report> {
    let root = &session.request.log_root;
    let mut target = locate(inv, session, &args.file).await?;
    loop {
        let line = remote::stats(&target.word)?;
        let mut out = Collect::default();
        // One pass over what may be hundreds of MB: seconds, so say so.
        let message = format!("{}: reading {}", session.name, target.path);
        let bar = progress::spinner(&inv.app.style, message);
        let outcome = run_remote(session, &line, &mut out, inv.timeout()).await;
        bar.finish_and_clear();
        let outcome = outcome?;
        if !outcome.success() && target.unchecked && remote::says_missing(&out.stderr) {
            target = relocate(inv, session, &args.file).await?;
            continue;
        }
        if !outcome.success() {
            return Err(failure(session, &line, &outcome, &out.stderr));
        }
        let (file, facts) = stats::split_output(&out.stdout, root);
        let Some(file) = file else {
            let path = &target.path;
            return Err(Error::failed(format!("{path} is not a regular file")));
        };
        let stats = stats::parse_stats(facts).map_err(|e| Error::failed(e.to_string()))?;
        return Ok(stats_report(&file, &stats, inv.app.style.color));
    }
}

fn stats_report(file: &LogFile, stats: &Stats, color: bool) -> Report {
    let none = || "-".to_string();
    let mut facts = Table::new(&["FIELD", "VALUE"]).titled("Log file");
    let rows = [
        ("file", file.path.clone()),
        ("app", file.app.clone()),
        ("size", file.size.to_string()),
        ("modified", file.mtime.clone()),
        ("lines", stats.lines.to_string()),
        ("errors", stats.errors.to_string()),
        ("warnings", stats.warnings.to_string()),
        ("first", stats.first.clone().unwrap_or_else(none)),
        ("last", stats.last.clone().unwrap_or_else(none)),
    ];
    rows.into_iter()
        .for_each(|(k, v)| facts.row(vec![k.to_string(), v]));

    let bar = if color { '█' } else { '#' };
    let mut chart = Table::new(&["HOUR", "ERRORS", ""]).titled("Error lines per hour");
    for (hour, n, bars) in stats::chart(&stats.errors_per_hour, CHART_WIDTH, bar) {
        chart.row(vec![hour, n.to_string(), bars]);
    }

    let mut json = serde_json::to_value(stats).expect("stats are plain data");
    json["file"] = json!(file.path);
    json["app"] = json!(file.app);
    json["size"] = json!(file.size);
    json["mtime"] = json!(file.mtime);
    Report {
        json,
        tables: vec![facts, chart],
        ..Report::default()
    }
}

/// Longest bar of the per-hour chart, in characters.
const CHART_WIDTH: usize = 40;

/// Runs `line` as root when the session is elevated, else as the login user:
/// the files are root-only on a VMS, but running anyway gets the host's own
/// "Permission denied", which [`failure`] turns into the elevation hint.
async fn run_remote(
    session: &Session,
    line: &str,
    sink: &mut dyn OutputSink,
    limit: Option<Duration>,
) -> Result<ExecOutcome> {
    session.run_as_root_or_user(line, sink, limit).await
}

/// One line for a failed command; a denied read on an unelevated session
/// says how to fix it.
fn failure(session: &Session, line: &str, outcome: &ExecOutcome, stderr: &[u8]) -> Error {
    let text = String::from_utf8_lossy(stderr);
    let denied = text.lines().find(|l| l.contains("Permission denied"));
    match denied {
        Some(denied) if !session.elevator().is_elevated() => ElevateError::NotElevated {
            reason: format!("{}; the log files are root-only", denied.trim()),
        }
        .into(),
        _ => remote_failure(line, outcome, stderr),
    }
}

/// After a streamed command: an accepted status passes any stderr on to the
/// operator; anything else (or a denied read when unelevated) is an error.
fn settle(
    session: &Session,
    line: &str,
    outcome: &ExecOutcome,
    stderr: &[u8],
    accepted: &[u32],
    out: &mut Stream,
) -> Result<()> {
    let text = String::from_utf8_lossy(stderr);
    // grep lines are batched under the limit (remote::grep_batches); this is
    // the plain answer should a host's limit still be lower.
    if text.contains("Argument list too long") {
        return Err(crate::error::Error::failed(
            "too many log files for one remote command line (name fewer files, or a narrower suffix)",
        ));
    }
    let denied = text.contains("Permission denied");
    let ok = outcome.status.is_some_and(|s| accepted.contains(&s));
    let needs_elevation = denied && !session.elevator().is_elevated();
    if ok && !needs_elevation {
        out.stderr(stderr);
        return Ok(());
    }
    Err(failure(session, line, outcome, stderr))
}

/// Most stderr kept to explain a failure; a chatty command cannot grow it further.
const STDERR_KEPT: usize = 64 * 1024;

fn keep_stderr(kept: &mut Vec<u8>, data: &[u8]) {
    let room = STDERR_KEPT.saturating_sub(kept.len());
    kept.extend_from_slice(&data[..data.len().min(room)]);
}

/// Which lines to print and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Show {
    All,
    /// Only lines containing `error` (any case).
    Errors,
    /// Every line, error lines in colour or behind a `!` column.
    Pretty,
}

/// Writes lines and grep records in the invocation's format, as they arrive.
struct Printer {
    out: Stream,
    format: Format,
    color: bool,
    show: Show,
}

const RED: &str = "\x1b[1;31m";
const MAGENTA: &str = "\x1b[35m";
const GREEN: &str = "\x1b[32m";
const CYAN: &str = "\x1b[36m";
const RESET: &str = "\x1b[0m";

impl Printer {
    fn new(inv: &Invocation<'_>, show: Show) -> Printer {
        Printer {
            out: inv.stream(),
            format: inv.format,
            color: inv.app.style.color,
            show,
        }
    }

    /// One line of `file` from tail or follow.
    fn line(&mut self, file: &str, line: &Line) {
        let error = line.is_error();
        if self.show == Show::Errors && !error {
            return;
        }
        let text = match self.format {
            Format::Json => {
                let mut fields = line.json_fields();
                fields.insert("file".into(), json!(file));
                fields.insert("error".into(), json!(error));
                json_line(Value::Object(fields))
            }
            _ => self.text_line(line, error),
        };
        self.out.stdout(text.as_bytes());
    }

    fn text_line(&self, line: &Line, error: bool) -> String {
        let shown = line.shown();
        match (self.show, self.color, error) {
            (Show::Pretty, true, true) => format!("{RED}{shown}{RESET}\n"),
            (Show::Pretty, false, true) => format!("! {shown}\n"),
            (Show::Pretty, false, false) => format!("  {shown}\n"),
            _ => format!("{shown}\n"),
        }
    }

    fn record(&mut self, record: GrepRecord) {
        let text = match (&record, self.format) {
            (GrepRecord::Match { file, line, text }, Format::Json) => {
                let mut fields = text.json_fields();
                fields.insert("file".into(), json!(file));
                fields.insert("line".into(), json!(line));
                json_line(Value::Object(fields))
            }
            (GrepRecord::Count { file, count }, Format::Json) => {
                json_line(json!({ "file": file, "count": count }))
            }
            (GrepRecord::Match { file, line, text }, Format::Plain) => {
                format!("{}\t{line}\t{}\n", plain(file), plain(&text.shown()))
            }
            (GrepRecord::Count { file, count }, Format::Plain) => {
                format!("{}\t{count}\n", plain(file))
            }
            (GrepRecord::Match { file, line, text }, Format::Table) => {
                let file = crate::domain::logs::lines::escape(file.as_bytes());
                match self.color {
                    true => format!(
                        "{MAGENTA}{file}{RESET}{CYAN}:{RESET}{GREEN}{line}{RESET}{CYAN}:{RESET}{}\n",
                        text.shown()
                    ),
                    false => format!("{file}:{line}:{}\n", text.shown()),
                }
            }
            (GrepRecord::Count { file, count }, Format::Table) => {
                let file = crate::domain::logs::lines::escape(file.as_bytes());
                format!("{file}:{count}\n")
            }
        };
        self.out.stdout(text.as_bytes());
    }
}

fn json_line(value: Value) -> String {
    let mut text = serde_json::to_string(&value).unwrap_or_default();
    text.push('\n');
    text
}

/// A plain (tab-separated) field: tabs, newlines and backslashes escaped.
fn plain(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('\t', "\\t")
        .replace('\n', "\\n")
}

/// tail/follow output: lines to the printer; stderr kept, and for a follow
/// also shown as it comes (tail -F's "file truncated" and "has been replaced").
struct LineSink {
    lines: Splitter,
    printer: Printer,
    file: String,
    live_stderr: bool,
    /// Keep a "No such file" from a live stderr: the caller may list and retry.
    hold_missing: bool,
    /// Whether any stdout came.
    got_lines: bool,
    stderr: Vec<u8>,
}

impl LineSink {
    fn new(printer: Printer, file: &str, live_stderr: bool) -> LineSink {
        LineSink {
            lines: Splitter::default(),
            printer,
            file: file.to_string(),
            live_stderr,
            hold_missing: false,
            got_lines: false,
            stderr: Vec::new(),
        }
    }

    /// The file was not there (and so nothing was printed).
    fn missing(&self) -> bool {
        !self.got_lines && remote::says_missing(&self.stderr)
    }

    fn finish(&mut self) {
        let (printer, file) = (&mut self.printer, &self.file);
        self.lines.finish(&mut |line| printer.line(file, &line));
    }

    fn settle(
        mut self,
        session: &Session,
        line: &str,
        outcome: &ExecOutcome,
        accepted: &[u32],
    ) -> Result<()> {
        // A follow already showed its stderr.
        let stderr = std::mem::take(&mut self.stderr);
        if self.live_stderr && outcome.status.is_some_and(|s| accepted.contains(&s)) {
            return Ok(());
        }
        settle(
            session,
            line,
            outcome,
            &stderr,
            accepted,
            &mut self.printer.out,
        )
    }
}

impl OutputSink for LineSink {
    fn stdout(&mut self, data: &[u8]) {
        self.got_lines |= !data.is_empty();
        let (printer, file) = (&mut self.printer, &self.file);
        self.lines.feed(data, &mut |line| printer.line(file, &line));
    }

    fn stderr(&mut self, data: &[u8]) {
        keep_stderr(&mut self.stderr, data);
        let held = self.hold_missing && !self.got_lines && remote::says_missing(data);
        if self.live_stderr && !held {
            self.printer.out.stderr(data);
        }
    }
}

/// grep output: records to the printer as they complete; stderr kept.
struct GrepSink {
    parser: GrepParser,
    printer: Printer,
    stderr: Vec<u8>,
    /// Whether any line matched (a match, or a count above 0).
    matched: bool,
}

impl GrepSink {
    fn new(printer: Printer, counting: bool) -> GrepSink {
        GrepSink {
            parser: GrepParser::new(counting),
            printer,
            stderr: Vec::new(),
            matched: false,
        }
    }

    /// Print what grep left unterminated.
    fn finish(&mut self) {
        let (printer, matched) = (&mut self.printer, &mut self.matched);
        self.parser
            .finish(&mut |record| show_record(printer, matched, record));
    }
}

fn show_record(printer: &mut Printer, matched: &mut bool, record: GrepRecord) {
    *matched |= !matches!(record, GrepRecord::Count { count: 0, .. });
    printer.record(record);
}

impl OutputSink for GrepSink {
    fn stdout(&mut self, data: &[u8]) {
        let (printer, matched) = (&mut self.printer, &mut self.matched);
        self.parser
            .feed(data, &mut |record| show_record(printer, matched, record));
    }

    fn stderr(&mut self, data: &[u8]) {
        keep_stderr(&mut self.stderr, data);
    }
}
