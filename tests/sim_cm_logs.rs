//! `cm` and `logs` against the simulated VMS (`crates/sim`), hermetic: the binary
//! runs one-shot with `--host admin@127.0.0.1:PORT`, and every expectation is
//! computed from the same world the host serves, never hard-coded.

mod common;

use std::collections::BTreeMap;
use std::process::Stdio;
use std::time::{Duration, Instant};

use base64::Engine as _;
use common::{Run, Vmsdbg};
use serde_json::Value;
use vmsdbg_sim::{DEMO_PASSWORD, SimConfig, SimHost, World};

const ROOT: &str = "/var/log/versa/vms";
const PASSWORD_VAR: &str = "SIM_PASSWORD";

/// A simulated host and the world it serves.
struct Sim {
    host: SimHost,
    world: World,
}

async fn sim() -> Sim {
    let config = SimConfig::demo();
    let world = config.world.clone();
    let host = SimHost::start(config)
        .await
        .expect("the simulated VMS starts");
    Sim { host, world }
}

impl Sim {
    /// `vmsdbg --host USER@127.0.0.1:PORT --password-env VAR`, trusting the host's key.
    fn as_user(&self, user: &str) -> Vmsdbg {
        let port = self.host.port();
        let cmd = Vmsdbg::new()
            .env(PASSWORD_VAR, DEMO_PASSWORD)
            .args(["--host", &format!("{user}@127.0.0.1:{port}")])
            .args(["--password-env", PASSWORD_VAR]);
        let key = self.host.public_key().to_openssh().expect("openssh key");
        std::fs::write(
            cmd.path("known_hosts"),
            format!("[127.0.0.1]:{port} {key}\n"),
        )
        .expect("known_hosts");
        cmd
    }

    fn vmsdbg(&self) -> Vmsdbg {
        self.as_user("admin")
    }

    fn file(&self, suffix: &str) -> Vec<u8> {
        let file = self.world.logs.iter().find(|f| f.path.ends_with(suffix));
        file.expect("the world has this file").contents()
    }
}

/// Runs the command off the runtime that serves the simulated host.
async fn run(cmd: Vmsdbg) -> Run {
    tokio::task::spawn_blocking(move || cmd.run())
        .await
        .expect("the command ran")
}

/// `run`, keeping the command (and its temp dir) for a look at files afterwards.
async fn run_keep(cmd: Vmsdbg) -> (Vmsdbg, Run) {
    tokio::task::spawn_blocking(move || {
        let run = cmd.run();
        (cmd, run)
    })
    .await
    .expect("the command ran")
}

/// Lines of a byte file as the logs commands see them: split at `\n`, the last
/// line kept even without one.
fn lines_of(bytes: &[u8]) -> Vec<Vec<u8>> {
    let mut lines: Vec<Vec<u8>> = bytes.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
    if bytes.ends_with(b"\n") || bytes.is_empty() {
        lines.pop();
    }
    lines
}

/// The exact bytes of one JSON line record (`base64` when present, else `text`).
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

fn contains_ci(line: &[u8], word: &str) -> bool {
    line.windows(word.len())
        .any(|w| w.eq_ignore_ascii_case(word.as_bytes()))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scan_lists_exactly_the_world_files_without_gz() {
    let sim = sim().await;
    let run = run(sim.vmsdbg().args(["logs", "scan", "-o", "json"]))
        .await
        .ok();
    let listed: BTreeMap<String, u64> = run
        .json()
        .as_array()
        .expect("an array")
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["size"].as_u64().unwrap(),
            )
        })
        .collect();
    let expected: BTreeMap<String, u64> = sim
        .world
        .logs
        .iter()
        .filter(|f| {
            let name = f.path.rsplit('/').next().unwrap();
            let in_apps = f.path.starts_with(&format!("{ROOT}/apps/"));
            (in_apps && name.contains(".log") && !name.ends_with(".gz"))
                || f.path == format!("{ROOT}/vms-admin.log")
        })
        .map(|f| (f.path.clone(), f.contents().len() as u64))
        .collect();
    assert_eq!(listed, expected);
    assert!(listed.keys().any(|p| p.contains("it's a log.log")));
    assert!(!listed.keys().any(|p| p.ends_with(".gz")));
    let json = run.json();
    let apps: Vec<&str> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["app"].as_str().unwrap())
        .collect();
    assert!(
        apps.contains(&"vms-admin") && apps.contains(&"api"),
        "{apps:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tail_gives_the_last_lines_by_suffix() {
    let sim = sim().await;
    let admin = lines_of(&sim.file("/vms-admin.log"));
    // Default 250 lines: the whole 40-line file.
    let all = run(sim.vmsdbg().args(["logs", "tail", "vms-admin.log"]))
        .await
        .ok();
    let want: String = admin
        .iter()
        .map(|l| format!("{}\n", String::from_utf8_lossy(l)))
        .collect();
    assert_eq!(all.stdout(), want);

    let last = run(sim
        .vmsdbg()
        .args(["logs", "tail", "apps/api/api.log", "-n", "2"]))
    .await
    .ok();
    let api = lines_of(&sim.file("/apps/api/api.log"));
    let want: String = api[api.len() - 2..]
        .iter()
        .map(|l| format!("{}\n", String::from_utf8_lossy(l)))
        .collect();
    assert_eq!(last.stdout(), want);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tail_errors_and_pretty_markers_when_piped() {
    let sim = sim().await;
    let admin = lines_of(&sim.file("/vms-admin.log"));
    let errors = run(sim
        .vmsdbg()
        .args(["logs", "tail", "vms-admin.log", "--errors", "-n", "2"]))
    .await
    .ok();
    let error_lines: Vec<&Vec<u8>> = admin.iter().filter(|l| contains_ci(l, "error")).collect();
    let want: String = error_lines[error_lines.len() - 2..]
        .iter()
        .map(|l| format!("{}\n", String::from_utf8_lossy(l)))
        .collect();
    assert_eq!(errors.stdout(), want);

    let pretty = run(sim
        .vmsdbg()
        .args(["logs", "tail", "vms-admin.log", "--pretty"]))
    .await
    .ok();
    let stdout = pretty.stdout();
    let shown: Vec<&str> = stdout.lines().map(|l| &l[..2]).collect();
    let marks: Vec<&str> = admin
        .iter()
        .map(|l| if contains_ci(l, "error") { "! " } else { "  " })
        .collect();
    assert_eq!(shown, marks);
    assert!(!pretty.stdout().contains('\x1b'), "no colour when piped");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_utf8_is_escaped_in_text_and_exact_in_json() {
    let sim = sim().await;
    let worker = lines_of(&sim.file("/apps/worker/worker.log"));
    let text = run(sim.vmsdbg().args(["logs", "tail", "worker.log"]))
        .await
        .ok();
    assert!(
        text.stdout().contains("payload \\xff\\xfe\\x00\\xc3("),
        "{}",
        text.stdout()
    );

    let json = run(sim
        .vmsdbg()
        .args(["logs", "tail", "worker.log", "-o", "json"]))
    .await
    .ok();
    let got: Vec<Vec<u8>> = json_lines(&json).iter().map(exact).collect();
    assert_eq!(got, worker);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crlf_lines_lose_their_cr_only_in_text() {
    let sim = sim().await;
    let gateway = lines_of(&sim.file("/apps/gateway/gateway.log"));
    assert!(gateway[0].ends_with(b"\r"), "the world file is CRLF");
    let text = run(sim.vmsdbg().args(["logs", "tail", "gateway.log"]))
        .await
        .ok();
    assert!(!text.stdout().contains('\r'));
    assert_eq!(text.stdout().lines().count(), gateway.len());
    let json = run(sim
        .vmsdbg()
        .args(["logs", "tail", "gateway.log", "-o", "json"]))
    .await
    .ok();
    let records = json_lines(&json);
    assert_eq!(records.iter().map(exact).collect::<Vec<_>>(), gateway);
    assert!(!records[0]["text"].as_str().unwrap().ends_with('\r'));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_200_kb_line_arrives_whole() {
    let sim = sim().await;
    let bulk = lines_of(&sim.file("/apps/bulk/bulk.log"));
    let long = bulk.iter().max_by_key(|l| l.len()).unwrap();
    assert!(long.len() > 200_000);
    let json = run(sim
        .vmsdbg()
        .args(["logs", "tail", "bulk.log", "-o", "json"]))
    .await
    .ok();
    let got: Vec<Vec<u8>> = json_lines(&json).iter().map(exact).collect();
    assert_eq!(got, bulk);
    let grep = run(sim
        .vmsdbg()
        .args(["logs", "grep", "blob", "bulk.log", "-o", "json"]))
    .await
    .ok();
    let records = json_lines(&grep);
    assert_eq!(records.len(), 1);
    assert_eq!(exact(&records[0]), *long);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn odd_names_work_and_cannot_inject() {
    let sim = sim().await;
    let odd = lines_of(&sim.file("/apps/billing/it's a log.log"));
    let tail = run(sim.vmsdbg().args(["logs", "tail", "it's a log.log"]))
        .await
        .ok();
    assert_eq!(tail.stdout().lines().count(), odd.len());

    // The pattern carries a quote and shell syntax; it is searched for literally.
    let grep = run(sim
        .vmsdbg()
        .args(["logs", "grep", "'Q1' failed", "it's a log.log"]))
    .await
    .ok();
    let want_line = odd
        .iter()
        .position(|l| contains_ci(l, "'Q1' failed"))
        .unwrap()
        + 1;
    assert_eq!(
        grep.stdout(),
        format!(
            "{ROOT}/apps/billing/it's a log.log:{want_line}:{}\n",
            String::from_utf8_lossy(&odd[want_line - 1])
        )
    );
    let hostile =
        run(sim
            .vmsdbg()
            .args(["logs", "grep", "x'; echo INJECTED; '", "it's a log.log"]))
        .await
        .ok();
    assert_eq!(hostile.stdout(), "");
    assert!(!hostile.stderr().contains("INJECTED"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn empty_file_and_ambiguous_or_unknown_names() {
    let sim = sim().await;
    let empty = run(sim.vmsdbg().args(["logs", "tail", "empty.log"]))
        .await
        .ok();
    assert_eq!(empty.stdout(), "");

    let ambiguous = run(sim.vmsdbg().args(["logs", "tail", ".log"]))
        .await
        .code_is(1);
    let listed = sim
        .world
        .logs
        .iter()
        .filter(|f| f.path.ends_with(".log"))
        .count();
    assert!(
        ambiguous
            .stderr()
            .contains(&format!("matches {listed} log files")),
        "{}",
        ambiguous.stderr()
    );
    assert!(
        ambiguous
            .stderr()
            .contains(&format!("{ROOT}/apps/gateway/gateway.log"))
    );

    let unknown = run(sim.vmsdbg().args(["logs", "tail", "nope.log"]))
        .await
        .code_is(1);
    assert!(unknown.stderr().contains("no log file matches 'nope.log'"));
    // Files outside the scan are not read, not even by exact path.
    let outside =
        run(sim
            .vmsdbg()
            .args(["logs", "tail", &format!("{ROOT}/apps/api/api.log.2.gz")]))
        .await
        .code_is(1);
    assert!(outside.stderr().contains("no log file matches"));
}

/// Every (file, line number, bytes) a fixed-string or case-folded search finds.
fn expected_matches(sim: &Sim, needle: &str, fold: bool) -> Vec<(String, u64, Vec<u8>)> {
    let mut files: Vec<&vmsdbg_sim::world::LogFile> = sim
        .world
        .logs
        .iter()
        .filter(|f| !f.path.ends_with(".gz"))
        .collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let mut out = Vec::new();
    for file in files {
        for (i, line) in lines_of(&file.contents()).into_iter().enumerate() {
            let hit = match fold {
                true => contains_ci(&line, needle),
                false => line.windows(needle.len()).any(|w| w == needle.as_bytes()),
            };
            if hit {
                out.push((file.path.clone(), i as u64 + 1, line));
            }
        }
    }
    out
}

fn records(run: &Run) -> Vec<(String, u64, Vec<u8>)> {
    json_lines(run)
        .iter()
        .map(|r| {
            (
                r["file"].as_str().unwrap().to_string(),
                r["line"].as_u64().unwrap(),
                exact(r),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn grep_all_fixed_case_folded_regex_count_and_max() {
    let sim = sim().await;
    let folded = run(sim
        .vmsdbg()
        .args(["logs", "grep", "error", "--all", "-i", "-o", "json"]))
    .await
    .ok();
    assert_eq!(records(&folded), expected_matches(&sim, "error", true));

    let exact_case = run(sim
        .vmsdbg()
        .args(["logs", "grep", "ERROR", "--all", "-o", "json"]))
    .await
    .ok();
    assert_eq!(records(&exact_case), expected_matches(&sim, "ERROR", false));

    // Regex: `.` and `|` mean something; as a fixed string they match nothing.
    let regex = run(sim.vmsdbg().args([
        "logs",
        "grep",
        "request [0-9]+ handled$|retry ok",
        "--all",
        "--regex",
        "-o",
        "json",
    ]))
    .await
    .ok();
    let admin = lines_of(&sim.file("/vms-admin.log"));
    assert_eq!(records(&regex).len(), admin.len() + 1);
    let fixed = run(sim
        .vmsdbg()
        .args(["logs", "grep", "request [0-9]+", "--all"]))
    .await
    .ok();
    assert_eq!(fixed.stdout(), "");

    let count = run(sim.vmsdbg().args([
        "logs",
        "grep",
        "-c",
        "-i",
        "error",
        "vms-admin.log",
        "api.log",
    ]))
    .await
    .ok();
    let n = |suffix: &str| {
        let lines = lines_of(&sim.file(suffix));
        lines.iter().filter(|l| contains_ci(l, "error")).count()
    };
    assert_eq!(
        count.stdout(),
        format!(
            "{ROOT}/vms-admin.log:{}\n{ROOT}/apps/api/api.log:{}\n",
            n("/vms-admin.log"),
            n("/apps/api/api.log")
        )
    );

    let max = run(sim.vmsdbg().args([
        "logs",
        "grep",
        "INFO",
        "vms-admin.log",
        "-n",
        "3",
        "-o",
        "json",
    ]))
    .await
    .ok();
    assert_eq!(
        records(&max).iter().map(|r| r.1).collect::<Vec<_>>(),
        [1, 2, 3]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stats_count_lines_errors_hours() {
    let sim = sim().await;
    let stats_run = run(sim
        .vmsdbg()
        .args(["logs", "stats", "gateway.log", "-o", "json"]))
    .await
    .ok();
    let stats = stats_run.json();
    let lines = lines_of(&sim.file("/apps/gateway/gateway.log"));
    let errors: Vec<&Vec<u8>> = lines.iter().filter(|l| contains_ci(l, "error")).collect();
    assert_eq!(stats["lines"], lines.len() as u64);
    assert_eq!(stats["errors"], errors.len() as u64);
    assert_eq!(
        stats["warnings"],
        lines.iter().filter(|l| contains_ci(l, "warn")).count() as u64
    );
    let mut per_hour: BTreeMap<String, u64> = BTreeMap::new();
    for line in &errors {
        *per_hour
            .entry(String::from_utf8_lossy(&line[..13]).into_owned())
            .or_default() += 1;
    }
    let got: BTreeMap<String, u64> =
        serde_json::from_value(stats["errors_per_hour"].clone()).unwrap();
    assert_eq!(got, per_hour);
    assert_eq!(
        stats["first"],
        String::from_utf8_lossy(&lines[0][..19]).as_ref()
    );
    let last = lines.last().unwrap();
    assert_eq!(stats["last"], String::from_utf8_lossy(&last[..19]).as_ref());
    assert_eq!(
        stats["size"],
        sim.file("/apps/gateway/gateway.log").len() as u64
    );

    let table = run(sim.vmsdbg().args(["logs", "stats", "gateway.log"]))
        .await
        .ok()
        .stdout();
    assert!(table.contains("Error lines per hour"), "{table}");
    let bars = table
        .lines()
        .filter(|l| l.trim_end().ends_with('#'))
        .count();
    assert_eq!(bars, per_hour.len(), "{table}");
}

/// Runs `cmd`, waits until its stdout holds `lines` lines, sends SIGINT (what
/// Ctrl-C sends), and returns the exit code and everything it printed.
fn interrupt_after(cmd: Vmsdbg, lines: usize) -> (Option<i32>, Vec<u8>) {
    use std::io::Read;
    let mut child = cmd
        .command()
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("vmsdbg starts");
    let mut stdout = child.stdout.take().expect("piped");
    let (tx, rx) = std::sync::mpsc::channel::<Vec<u8>>();
    let reader = std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = stdout.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let mut seen = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(20);
    while seen.iter().filter(|&&b| b == b'\n').count() < lines && Instant::now() < deadline {
        if let Ok(chunk) = rx.recv_timeout(Duration::from_millis(100)) {
            seen.extend(chunk);
        }
    }
    let kill = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(kill.success());
    let status = child.wait().expect("exits");
    reader.join().expect("reader ends");
    seen.extend(rx.try_iter().flatten());
    (status.code(), seen)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn follow_streams_until_interrupted() {
    let sim = sim().await;
    let cmd = sim.vmsdbg().args(["logs", "follow", "api.log", "-n", "2"]);
    let (code, seen) = tokio::task::spawn_blocking(move || interrupt_after(cmd, 2))
        .await
        .expect("ran");
    let api = lines_of(&sim.file("/apps/api/api.log"));
    let want: String = api[api.len() - 2..]
        .iter()
        .map(|l| format!("{}\n", String::from_utf8_lossy(l)))
        .collect();
    assert_eq!(String::from_utf8_lossy(&seen), want);
    // Ctrl-C ended the follow: 130, as for any interrupted command.
    assert_eq!(code, Some(130));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unelevated_read_gives_the_elevation_hint() {
    let sim = sim().await;
    for args in [
        vec!["logs", "scan"],
        vec!["logs", "tail", "/var/log/versa/vms/vms-admin.log"],
    ] {
        let run = run(sim.vmsdbg().args(["--sudo", "none"]).args(args))
            .await
            .code_is(1);
        let err = run.stderr();
        assert!(err.contains("not elevated"), "{err}");
        assert!(err.contains("Permission denied"), "{err}");
        assert!(err.contains("session elevate"), "{err}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requiretty_user_gets_the_same_lines() {
    let sim = sim().await;
    let worker = lines_of(&sim.file("/apps/worker/worker.log"));
    let json = run(sim
        .as_user("tty")
        .args(["logs", "tail", "worker.log", "-o", "json"]))
    .await
    .ok();
    let got: Vec<Vec<u8>> = json_lines(&json).iter().map(exact).collect();
    assert_eq!(got, worker);
}

// ---- ConfigMaps ----

fn world_config(sim: &Sim, namespace: &str, name: &str) -> vmsdbg_sim::world::ConfigMap {
    sim.world
        .configmaps
        .iter()
        .find(|c| c.namespace == namespace && c.name == name)
        .cloned()
        .expect("the world has this ConfigMap")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cm_list_for_one_tenant_and_all() {
    let sim = sim().await;
    let one = run(sim
        .vmsdbg()
        .args(["cm", "list", "-t", "acme", "-o", "json"]))
    .await
    .ok();
    let listed = one.json();
    let names: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    let mut want: Vec<&str> = sim
        .world
        .configmaps
        .iter()
        .filter(|c| c.namespace == "acme")
        .map(|c| c.name.as_str())
        .collect();
    want.sort();
    assert_eq!(names, want);
    let counts: Vec<u64> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["data_count"].as_u64().unwrap())
        .collect();
    let want_counts: Vec<u64> = want
        .iter()
        .map(|n| world_config(&sim, "acme", n).data_count() as u64)
        .collect();
    assert_eq!(counts, want_counts);

    let all = run(sim
        .vmsdbg()
        .args(["cm", "list", "--all", "--refresh", "-o", "json"]))
    .await
    .ok();
    let all = all.json();
    let tenants: std::collections::BTreeSet<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["tenant"].as_str().unwrap())
        .collect();
    assert!(
        tenants.contains("acme") && tenants.contains("hooli"),
        "{tenants:?}"
    );
    assert!(!tenants.contains("kube-system"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cm_show_json_is_the_stored_document() {
    let sim = sim().await;
    let stored = world_config(&sim, "acme", "acme-config");
    let document: Value = serde_json::from_str(&stored.data["config"]).unwrap();
    let run = run(sim
        .vmsdbg()
        .args(["cm", "show", "acme-config", "-t", "acme", "-o", "json"]))
    .await
    .ok();
    assert_eq!(run.json(), document);
    // Escaped quotes and nesting survive, and the pretty text is the same document.
    assert!(
        run.stdout()
            .contains(r#""displayName": "ACME \"production\"""#),
        "{}",
        run.stdout()
    );
    let pretty = run_pretty(&sim).await;
    let back: Value = serde_json::from_str(&pretty).expect("pretty text is JSON");
    assert_eq!(back, document);
}

async fn run_pretty(sim: &Sim) -> String {
    run(sim
        .vmsdbg()
        .args(["cm", "show", "acme-config", "-t", "acme"]))
    .await
    .ok()
    .stdout()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cm_show_not_json_no_config_key_binary_data_and_ca() {
    let sim = sim().await;
    let legacy = world_config(&sim, "initech", "initech-config");
    let run1 = run(sim
        .vmsdbg()
        .args(["cm", "show", "initech-config", "-t", "initech"]))
    .await
    .ok();
    assert!(
        run1.stderr().contains("'config' is not JSON"),
        "{}",
        run1.stderr()
    );
    assert!(run1.stdout().starts_with("==> config <==\n"));
    assert!(run1.stdout().contains(&legacy.data["config"]));

    let hooli = world_config(&sim, "hooli", "hooli-config");
    let run2 = run(sim
        .vmsdbg()
        .args(["cm", "show", "hooli-config", "-t", "hooli", "-o", "json"]))
    .await
    .ok();
    assert!(
        run2.stderr().contains("no 'config' key"),
        "{}",
        run2.stderr()
    );
    let data: BTreeMap<String, String> =
        serde_json::from_value(run2.json()["data"].clone()).unwrap();
    assert_eq!(data, hooli.data);

    let with_binary = sim
        .world
        .configmaps
        .iter()
        .find(|c| !c.binary_data.is_empty())
        .expect("a ConfigMap with binaryData");
    let run3 = run(sim.vmsdbg().args([
        "cm",
        "show",
        &with_binary.name,
        "-t",
        &with_binary.namespace,
    ]))
    .await
    .ok();
    for (key, value) in &with_binary.binary_data {
        let size = base64::engine::general_purpose::STANDARD
            .decode(value)
            .unwrap()
            .len();
        assert!(
            run3.stderr().contains(&format!("{key} ({size} bytes)")),
            "{}",
            run3.stderr()
        );
    }

    let ca = world_config(&sim, "acme", "kube-root-ca.crt");
    let run4 = run(sim.vmsdbg().args([
        "cm",
        "show",
        "kube-root-ca.crt",
        "-t",
        "acme",
        "--key",
        "ca.crt",
    ]))
    .await
    .ok();
    assert_eq!(run4.stdout().trim_end(), ca.data["ca.crt"].trim_end());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cm_show_raw_is_kubectl_describe_and_not_found_is_kubectls() {
    let sim = sim().await;
    let raw = run(sim
        .vmsdbg()
        .args(["cm", "show", "acme-config", "-t", "acme", "--raw"]))
    .await
    .ok();
    let args: Vec<String> = ["describe", "configmap", "acme-config", "-n", "acme"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let want = vmsdbg_sim::kubectl::run(&sim.world, &args);
    assert_eq!(raw.0.stdout, want.stdout);

    for extra in [vec![], vec!["--raw"]] {
        let missing = run(sim
            .vmsdbg()
            .args(["cm", "show", "nope", "-t", "acme"])
            .args(extra))
        .await
        .code_is(1);
        assert!(
            missing
                .stderr()
                .contains("Error from server (NotFound): configmaps \"nope\" not found"),
            "{}",
            missing.stderr()
        );
    }
    let bad = run(sim.vmsdbg().args(["cm", "show", "x;id", "-t", "acme"]))
        .await
        .code_is(1);
    assert!(
        bad.stderr()
            .contains("not a valid Kubernetes configmap name"),
        "{}",
        bad.stderr()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cm_export_writes_atomically_and_refuses_to_overwrite() {
    let sim = sim().await;
    let cmd = sim.vmsdbg();
    let file = cmd.path("acme-cms.json");
    let path = file.to_str().unwrap().to_string();
    let (cmd, first) = run_keep(cmd.args(["cm", "export", &path, "-t", "acme"])).await;
    let first = first.ok();
    assert!(
        first.stderr().contains("wrote 2 ConfigMaps"),
        "{}",
        first.stderr()
    );
    let written: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    let names: Vec<&str> = written["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["metadata"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["acme-config", "kube-root-ca.crt"]);
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
        0o600
    );

    let refused = run(sim.vmsdbg().args(["cm", "export", &path, "-t", "acme"]))
        .await
        .code_is(1);
    assert!(refused.stderr().contains("--force"), "{}", refused.stderr());
    run(sim
        .vmsdbg()
        .args(["cm", "export", &path, "--all", "--force"]))
    .await
    .ok();
    let all: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(
        all["items"].as_array().unwrap().len(),
        sim.world.configmaps.len()
    );
    drop(cmd);
}
