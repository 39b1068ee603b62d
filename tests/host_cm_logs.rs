//! `cm` and `logs` against the CI host's real sshd, sudo, coreutils, grep, awk and
//! kubectl stand-in (set up by `.ci/host-setup.sh`). Ignored by a plain `cargo test`;
//! `.ci/run` runs them as root with `--include-ignored`.
//!
//! The log tests write their own root-only files (0600 in a 0700 directory) under
//! the CI log root, in a directory named after the process and the test, and remove
//! them when done (also on failure); a lock keeps them from seeing each other's files.
//! Every expectation comes from the host itself: the filesystem, `tail`, `grep`,
//! `wc`, or the stand-in kubectl on the same world.

mod common;

use std::collections::BTreeMap;
use std::io::{BufWriter, Read, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;
use common::log_dir::{LogDir, lock};
use common::{CiHost, Run, Vmsdbg, read_world};
use serde_json::Value;

/// The edge cases of issue 5, returned as (name, path).
fn edge_files(app: &LogDir) -> BTreeMap<&'static str, String> {
    let mut files = BTreeMap::new();
    let mut normal = String::new();
    for i in 0..40 {
        let level = ["INFO", "WARN", "ERROR", "DEBUG"][i % 4];
        normal.push_str(&format!(
            "2025-02-0{}T{:02}:{:02}:00Z {level} svc: event {i}\n",
            1 + i / 20,
            (i * 2) % 24,
            i % 60
        ));
    }
    files.insert("current", app.file("svc.log", normal.as_bytes()));
    files.insert(
        "rotated",
        app.file(
            "svc.log.1",
            b"2025-01-31T23:59:59Z ERROR svc: before rotation\n",
        ),
    );
    app.file("svc.log.2.gz", &[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 3, 0]);
    let long = format!(
        "2025-02-01T00:00:00Z INFO long: start\n2025-02-01T00:00:01Z ERROR long: {}\nend\n",
        "y".repeat(200 * 1024)
    );
    files.insert("long", app.file("long.log", long.as_bytes()));
    let mut bad = b"2025-02-01T00:00:00Z INFO bad: \xff\xfe\x00 \xc3\x28 end\n".to_vec();
    bad.extend_from_slice(b"2025-02-01T00:00:01Z ERROR bad: \xe2\x82 cut euro\nlast no newline");
    files.insert("invalid_utf8", app.file("bad-utf8.log", &bad));
    files.insert(
        "crlf",
        app.file(
            "crlf.log",
            b"2025-02-01T01:00:00Z INFO crlf: one\r\n2025-02-01T01:00:01Z Error crlf: two\r\n",
        ),
    );
    files.insert(
        "quoted",
        app.file(
            "it's a log.log",
            format!(
                "2025-02-01T02:00:00Z ERROR quoted: it's here\n$(touch {}) `id` ; rm -rf /\n",
                injected_marker()
            )
            .as_bytes(),
        ),
    );
    files.insert("empty", app.file("empty.log", b""));
    files
}

/// A file that exists only if a log line was ever run as a command.
fn injected_marker() -> String {
    format!("/tmp/vmsdbg-injected-{}", std::process::id())
}

/// Root runs the real tools here; this is what the host says.
fn host_tool(program: &str, args: &[&str]) -> Vec<u8> {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program}: {e}"));
    out.stdout
}

/// Lines of the host tool's output as the logs commands split them.
fn lines_of(bytes: &[u8]) -> Vec<Vec<u8>> {
    let mut lines: Vec<Vec<u8>> = bytes.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
    if bytes.ends_with(b"\n") || bytes.is_empty() {
        lines.pop();
    }
    lines
}

fn exact(record: &Value) -> Vec<u8> {
    match record["base64"].as_str() {
        Some(b64) => base64::engine::general_purpose::STANDARD
            .decode(b64)
            .expect("base64"),
        None => record["text"].as_str().expect("text").as_bytes().to_vec(),
    }
}

fn json_lines(run: &Run) -> Vec<Value> {
    run.stdout()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// (file, line, bytes) records from `grep -a -H -Z -n` output. Parsed field by
/// field (name up to NUL, number up to `:`, text up to newline) so a file name
/// holding a newline cannot split a record.
fn host_grep_records(out: &[u8]) -> Vec<(String, u64, Vec<u8>)> {
    let mut records = Vec::new();
    let mut rest = out;
    while !rest.is_empty() {
        let nul = rest.iter().position(|&b| b == 0).expect("-Z record");
        let file = String::from_utf8_lossy(&rest[..nul]).into_owned();
        rest = &rest[nul + 1..];
        let colon = rest.iter().position(|&b| b == b':').expect("-n record");
        let line = std::str::from_utf8(&rest[..colon])
            .unwrap()
            .parse()
            .unwrap();
        rest = &rest[colon + 1..];
        let end = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
        records.push((file, line, rest[..end].to_vec()));
        rest = rest.get(end + 1..).unwrap_or_default();
    }
    records
}

fn our_grep_records(run: &Run) -> Vec<(String, u64, Vec<u8>)> {
    json_lines(run)
        .iter()
        .map(|r| {
            let file = r["file"].as_str().unwrap().to_string();
            (file, r["line"].as_u64().unwrap(), exact(r))
        })
        .collect()
}

/// What `logs scan` must list: regular files under ROOT/apps named `*.log*` but not
/// `*.gz`, plus ROOT/vms-admin.log, with their sizes.
fn files_on_disk(root: &str) -> BTreeMap<String, u64> {
    fn walk(dir: &Path, out: &mut BTreeMap<String, u64>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            let meta = std::fs::symlink_metadata(&path).expect("stat");
            if meta.is_dir() {
                walk(&path, out);
                continue;
            }
            let name = entry.file_name().to_string_lossy().into_owned();
            if meta.is_file() && name.contains(".log") && !name.ends_with(".gz") {
                out.insert(path.to_string_lossy().into_owned(), meta.len());
            }
        }
    }
    let mut files = BTreeMap::new();
    walk(&Path::new(root).join("apps"), &mut files);
    let admin = Path::new(root).join("vms-admin.log");
    if let Ok(meta) = std::fs::metadata(&admin) {
        files.insert(admin.to_string_lossy().into_owned(), meta.len());
    }
    files
}

fn admin(host: &CiHost) -> Vmsdbg {
    host.oneshot("vmsadmin")
}

#[test]
#[ignore = "needs the CI host: bash .ci/run"]
fn scan_lists_exactly_the_files_on_disk() {
    let _tree = lock();
    let host = CiHost::load();
    let root = host.var("VMSDBG_CI_LOG_ROOT").to_string();
    let app = LogDir::new(&root, "scan");
    let files = edge_files(&app);

    let run = admin(&host).args(["logs", "scan", "-o", "json"]).run().ok();
    let listed: BTreeMap<String, u64> = run
        .json()
        .as_array()
        .expect("an array")
        .iter()
        .map(|f| {
            let path = f["path"].as_str().unwrap().to_string();
            (path, f["size"].as_u64().unwrap())
        })
        .collect();
    assert_eq!(listed, files_on_disk(&root));
    for path in files.values() {
        assert!(listed.contains_key(path), "{path} not listed");
    }
    assert!(!listed.contains_key(&app.path("svc.log.2.gz")));
    let base = std::fs::read_to_string(host.var("VMSDBG_CI_LOG_BASE_LIST")).unwrap();
    for path in base.lines().filter(|p| !p.ends_with(".gz")) {
        assert!(listed.contains_key(path), "base file {path} not listed");
    }
}

#[test]
#[ignore = "needs the CI host: bash .ci/run"]
fn tail_gives_what_tail_gives() {
    let _tree = lock();
    let host = CiHost::load();
    let root = host.var("VMSDBG_CI_LOG_ROOT").to_string();
    let app = LogDir::new(&root, "tail");
    let files = edge_files(&app);

    for (name, path) in &files {
        for n in ["1", "5", "250"] {
            let want = lines_of(&host_tool("tail", &["-n", n, "--", path]));
            let run = admin(&host)
                .args(["logs", "tail", path, "-n", n, "-o", "json"])
                .run()
                .ok();
            let got: Vec<Vec<u8>> = json_lines(&run).iter().map(exact).collect();
            assert_eq!(got, want, "{name} -n {n}");
        }
    }

    // By unique suffix; --errors is `grep -i error | tail -n N` on the host.
    let script = format!(
        "grep -a -i -F -e error -- '{}' | tail -n 3",
        files["current"]
    );
    let want = lines_of(&host_tool("sh", &["-c", &script]));
    let suffix = app.suffix("svc.log");
    let run = admin(&host)
        .args(["logs", "tail", &suffix, "-n", "3", "--errors", "-o", "json"])
        .run()
        .ok();
    assert_eq!(json_lines(&run).iter().map(exact).collect::<Vec<_>>(), want);

    // Text output: CRLF without the \r, bytes that are not UTF-8 escaped.
    let crlf = admin(&host)
        .args(["logs", "tail", &files["crlf"]])
        .run()
        .ok();
    assert!(!crlf.stdout().contains('\r'));
    assert_eq!(crlf.stdout().lines().count(), 2);
    let bad = admin(&host)
        .args(["logs", "tail", &files["invalid_utf8"]])
        .run()
        .ok();
    assert!(
        bad.stdout().contains("\\xff\\xfe\\x00 \\xc3("),
        "{}",
        bad.stdout()
    );
    assert!(bad.stdout().ends_with("last no newline\n"));
}

#[test]
#[ignore = "needs the CI host: bash .ci/run"]
fn grep_gives_what_grep_gives() {
    let _tree = lock();
    let host = CiHost::load();
    let root = host.var("VMSDBG_CI_LOG_ROOT").to_string();
    let app = LogDir::new(&root, "grep");
    let files = edge_files(&app);

    let scanned: Vec<String> = files_on_disk(&root).into_keys().collect();
    let cases: [(&[&str], &[&str]); 4] = [
        (&["-F", "-i"], &["-i"]),
        (&["-F"], &[]),
        (&["-E"], &["--regex"]),
        (&["-E", "-i"], &["--regex", "-i"]),
    ];
    let patterns = ["error", "it's", "ERROR .*(svc|long):", "\\$\\(touch"];
    for pattern in patterns {
        for (grep_flags, our_flags) in cases {
            let mut args = vec!["-a", "-H", "-Z", "-n"];
            args.extend_from_slice(grep_flags);
            args.extend(["-e", pattern, "--"]);
            args.extend(scanned.iter().map(String::as_str));
            let want = host_grep_records(&host_tool("grep", &args));
            let run = admin(&host)
                .args(["logs", "grep", pattern, "--all", "-o", "json"])
                .args(our_flags)
                .run()
                .ok();
            // A name that is not UTF-8 cannot reach the host grep from this lossy list
            // (tests/host_logs.rs covers such names), so it is left out of both sides.
            let mut ours = our_grep_records(&run);
            ours.retain(|(file, _, _)| !file.contains('\u{fffd}'));
            assert_eq!(ours, want, "{pattern} {our_flags:?}");
        }
    }

    // -c and -n (max) against grep's own -c and -m.
    let path = &files["current"];
    let want = host_tool(
        "grep",
        &["-a", "-c", "-i", "-m", "4", "-e", "error", "--", path],
    );
    let run = admin(&host)
        .args([
            "logs", "grep", "error", path, "-i", "-c", "-n", "4", "-o", "json",
        ])
        .run()
        .ok();
    let counted = json_lines(&run);
    assert_eq!(
        counted[0]["count"].as_u64().unwrap().to_string(),
        String::from_utf8_lossy(&want).trim()
    );

    // The quoted file name by suffix; its shell-looking line is just text.
    let quoted = admin(&host)
        .args([
            "logs",
            "grep",
            "rm -rf",
            &app.suffix("it's a log.log"),
            "-o",
            "json",
        ])
        .run()
        .ok();
    let records = our_grep_records(&quoted);
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].1, 2);
    assert!(!Path::new(&injected_marker()).exists());
}

#[test]
#[ignore = "needs the CI host: bash .ci/run"]
fn a_large_file_streams_and_stats_match_the_host() {
    let _tree = lock();
    let host = CiHost::load();
    let root = host.var("VMSDBG_CI_LOG_ROOT").to_string();
    let app = LogDir::new(&root, "large");
    let path = app.path("large.log");
    {
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&path)
            .unwrap();
        let mut out = BufWriter::new(file);
        // ~40 MB over 40 hours; one line in 50 an error, one in 20 a warning.
        for i in 0..400_000u64 {
            let (hour, minute) = (i / 10_000, (i / 200) % 50);
            let level = match (i % 50, i % 20) {
                (0, _) => "ERROR",
                (_, 1) => "WARN",
                _ => "INFO",
            };
            writeln!(
                out,
                "2025-03-{:02}T{:02}:{minute:02}:00Z {level} large: record {i} {}",
                1 + hour / 24,
                hour % 24,
                "z".repeat(60)
            )
            .unwrap();
        }
    }

    let want = lines_of(&host_tool("tail", &["-n", "3", "--", &path]));
    let started = Instant::now();
    let run = admin(&host)
        .args([
            "logs",
            "tail",
            &app.suffix("large.log"),
            "-n",
            "3",
            "-o",
            "json",
        ])
        .run()
        .ok();
    assert_eq!(json_lines(&run).iter().map(exact).collect::<Vec<_>>(), want);
    assert!(started.elapsed() < Duration::from_secs(20));

    let stats = admin(&host)
        .args(["logs", "stats", &app.suffix("large.log"), "-o", "json"])
        .run()
        .ok()
        .json();
    let count = |args: &[&str]| -> u64 {
        let out = host_tool(args[0], &args[1..]);
        let text = String::from_utf8_lossy(&out);
        text.split_whitespace().next().unwrap().parse().unwrap()
    };
    assert_eq!(stats["lines"], count(&["wc", "-l", &path]));
    assert_eq!(
        stats["errors"],
        count(&["grep", "-a", "-c", "-i", "error", &path])
    );
    assert_eq!(
        stats["warnings"],
        count(&["grep", "-a", "-c", "-i", "warn", &path])
    );
    assert_eq!(stats["size"], std::fs::metadata(&path).unwrap().len());
    assert_eq!(stats["first"], "2025-03-01T00:00:00");
    assert_eq!(stats["last"], "2025-03-02T15:49:00");
    let per_hour = stats["errors_per_hour"].as_object().unwrap();
    assert_eq!(per_hour.len(), 40);
    let first_hour = count(&["grep", "-a", "-c", "^2025-03-01T00.*ERROR", &path]);
    assert_eq!(per_hour["2025-03-01T00"], first_hour);
}

/// Reads a child's stdout on a thread, line by line, into a channel.
fn line_reader(child: &mut std::process::Child) -> std::sync::mpsc::Receiver<String> {
    let mut stdout = child.stdout.take().expect("piped");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut pending = Vec::new();
        let mut buf = [0u8; 4096];
        while let Ok(n) = stdout.read(&mut buf) {
            if n == 0 {
                break;
            }
            pending.extend_from_slice(&buf[..n]);
            while let Some(at) = pending.iter().position(|&b| b == b'\n') {
                let line: Vec<u8> = pending.drain(..=at).collect();
                let text = String::from_utf8_lossy(&line[..at]).into_owned();
                if tx.send(text).is_err() {
                    return;
                }
            }
        }
    });
    rx
}

/// Waits for a line equal to `want`, failing after 20 s.
fn expect_line(rx: &std::sync::mpsc::Receiver<String>, want: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match rx.recv_timeout(left) {
            Ok(line) if line == want => return,
            Ok(_) => continue,
            Err(_) => break,
        }
    }
    panic!("no line {want:?} within 20 s");
}

fn append(path: &str, line: &str) {
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(path)
        .expect("open to append");
    writeln!(file, "{line}").expect("append");
}

#[test]
#[ignore = "needs the CI host: bash .ci/run"]
fn follow_survives_rotation_and_stops_on_ctrl_c() {
    let _tree = lock();
    let host = CiHost::load();
    let root = host.var("VMSDBG_CI_LOG_ROOT").to_string();
    let app = LogDir::new(&root, "follow");
    let path = app.file("follow.log", b"2025-04-01T00:00:00Z INFO follow: first\n");

    let suffix = app.suffix("follow.log");
    let cmd = admin(&host).args(["logs", "follow", &suffix, "-n", "1"]);
    let mut child = cmd
        .command()
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("vmsdbg starts");
    let rx = line_reader(&mut child);
    expect_line(&rx, "2025-04-01T00:00:00Z INFO follow: first");

    append(&path, "appended before rotation");
    expect_line(&rx, "appended before rotation");

    // Rotate as logrotate does: rename, then a new file under the old name.
    std::fs::rename(&path, app.path("follow.log.1")).expect("rotate");
    let fresh = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&path)
        .expect("new file");
    drop(fresh);
    append(&path, "written after rotation");
    expect_line(&rx, "written after rotation");

    // Truncation too (copytruncate rotation). The new content is shorter than
    // what tail has read, so it sees the truncation however the events interleave.
    std::fs::write(&path, b"").expect("truncate");
    append(&path, "truncated");
    expect_line(&rx, "truncated");

    let kill = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(kill.success());
    let status = child.wait().expect("exits");
    assert_eq!(status.code(), Some(130));
}

#[test]
#[ignore = "needs the CI host: bash .ci/run"]
fn unelevated_sessions_get_the_elevation_hint() {
    let host = CiHost::load();
    let unelevated: [&dyn Fn() -> Vmsdbg; 2] = [
        &|| host.oneshot("vmsadmin").args(["--sudo", "none"]),
        // Not in sudoers: detection leaves the session unelevated.
        &|| host.oneshot("vmsnosudo"),
    ];
    for session in unelevated {
        for args in [
            &["logs", "scan"][..],
            &["logs", "tail", "vms-admin.log"][..],
            &["logs", "grep", "x", "--all"][..],
        ] {
            let run = session().args(args).run().code_is(1);
            let err = run.stderr();
            assert!(err.contains("not elevated"), "{args:?}: {err}");
            assert!(err.contains("Permission denied"), "{args:?}: {err}");
            assert!(err.contains("session elevate"), "{args:?}: {err}");
        }
    }
}

// ---- ConfigMaps from the kubectl stand-in ----

/// The stand-in's answer on the vmsadmin world, run locally as root.
fn kubectl(host: &CiHost, args: &[&str]) -> Vec<u8> {
    let out = Command::new(host.var("VMSDBG_CI_KUBECTL"))
        .args(args)
        .env("VMSDBG_WORLD", host.var("VMSDBG_CI_VMSADMIN_WORLD"))
        .output()
        .expect("kubectl stand-in runs");
    out.stdout
}

/// JSON text without the whitespace between tokens.
fn compact(text: &str) -> String {
    let mut out = String::new();
    let (mut in_string, mut escaped) = (false, false);
    for c in text.chars() {
        match (in_string, escaped, c) {
            (true, true, _) => escaped = false,
            (true, false, '\\') => escaped = true,
            (true, false, '"') | (false, _, '"') => in_string = !in_string,
            (false, _, c) if c.is_whitespace() => continue,
            _ => {}
        }
        out.push(c);
    }
    out
}

#[test]
#[ignore = "needs the CI host: bash .ci/run"]
fn cm_show_json_is_exactly_the_stored_document() {
    let host = CiHost::load();
    let world = read_world(Path::new(host.var("VMSDBG_CI_VMSADMIN_WORLD")));
    let mut checked = 0;
    for cm in world["configmaps"].as_array().unwrap() {
        let Some(config) = cm["data"]["config"].as_str() else {
            continue;
        };
        if serde_json::from_str::<Value>(config).is_err() {
            continue;
        }
        let (ns, name) = (
            cm["namespace"].as_str().unwrap(),
            cm["name"].as_str().unwrap(),
        );
        let run = admin(&host)
            .args(["cm", "show", name, "-t", ns, "-o", "json"])
            .run()
            .ok();
        // Same document, same key order, same escapes: only whitespace differs.
        assert_eq!(compact(&run.stdout()), compact(config), "{ns}/{name}");
        assert_eq!(run.json(), serde_json::from_str::<Value>(config).unwrap());
        checked += 1;
        if checked == 3 {
            break;
        }
    }
    assert!(checked > 0, "the world has JSON configs");
}

#[test]
#[ignore = "needs the CI host: bash .ci/run"]
fn cm_edge_cases_from_the_stand_in() {
    let host = CiHost::load();
    let world = read_world(Path::new(host.var("VMSDBG_CI_VMSADMIN_WORLD")));
    let cms = world["configmaps"].as_array().unwrap();
    let find = |test: &dyn Fn(&Value) -> bool| cms.iter().find(|c| test(c)).cloned();
    let not_json = find(&|c| {
        c["data"]["config"]
            .as_str()
            .is_some_and(|t| serde_json::from_str::<Value>(t).is_err())
    })
    .expect("a config that is not JSON");
    let no_config = find(&|c| c["name"] != "kube-root-ca.crt" && c["data"].get("config").is_none())
        .expect("a ConfigMap without config");
    let binary = find(&|c| c.get("binaryData").is_some()).expect("binaryData");

    let show = |cm: &Value, extra: &[&str]| -> Run {
        let (ns, name) = (
            cm["namespace"].as_str().unwrap(),
            cm["name"].as_str().unwrap(),
        );
        admin(&host)
            .args(["cm", "show", name, "-t", ns])
            .args(extra)
            .run()
            .ok()
    };
    let run = show(&not_json, &["-o", "json"]);
    assert!(
        run.stderr().contains("'config' is not JSON"),
        "{}",
        run.stderr()
    );
    assert_eq!(run.json()["data"], not_json["data"]);

    let run = show(&no_config, &["-o", "json"]);
    assert!(run.stderr().contains("no 'config' key"), "{}", run.stderr());
    assert_eq!(run.json()["data"], no_config["data"]);

    let run = show(&binary, &[]);
    for (key, value) in binary["binaryData"].as_object().unwrap() {
        let size = base64::engine::general_purpose::STANDARD
            .decode(value.as_str().unwrap())
            .unwrap()
            .len();
        assert!(
            run.stderr().contains(&format!("{key} ({size} bytes)")),
            "{}",
            run.stderr()
        );
    }

    let ns = binary["namespace"].as_str().unwrap();
    let raw = admin(&host)
        .args(["cm", "show", "kube-root-ca.crt", "-t", ns, "--raw"])
        .run()
        .ok();
    let want = kubectl(
        &host,
        &["describe", "configmap", "kube-root-ca.crt", "-n", ns],
    );
    assert_eq!(raw.0.stdout, want);
    let ca = admin(&host)
        .args([
            "cm",
            "show",
            "kube-root-ca.crt",
            "-t",
            ns,
            "--key",
            "ca.crt",
        ])
        .run()
        .ok();
    assert!(ca.stdout().starts_with("-----BEGIN CERTIFICATE-----"));

    let missing = admin(&host)
        .args(["cm", "show", "no-such-cm", "-t", ns])
        .run()
        .code_is(1);
    assert!(
        missing
            .stderr()
            .contains("Error from server (NotFound): configmaps \"no-such-cm\" not found"),
        "{}",
        missing.stderr()
    );
}
