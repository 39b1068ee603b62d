//! Output against the simulated VMS: names a hostile host chose (a pod state, a
//! ConfigMap name, a log file name holding terminal escape sequences) are shown, never
//! obeyed, in tables; JSON keeps them exact. And `-o json` for the passthrough
//! commands: `exec` and `kubectl` print one object, `cm show --raw` kubectl's document.

mod common;
mod sim_support;

use serde_json::Value;
use sim_support::Sim;
use vmsdbg_sim::SimConfig;
use vmsdbg_sim::world::{ConfigMap, LogFile, Pod};

/// Retitles the terminal (OSC 0, ended by BEL), then clears the screen.
const HOSTILE: &str = "x\x1b]0;owned\x07\x1b[2J";
/// How a table shows [`HOSTILE`]: control pictures for ESC and BEL.
const SHOWN: &str = "x\u{241b}]0;owned\u{2407}\u{241b}[2J";

/// The built-in world plus an unhealthy pod, a ConfigMap and a log file in acme whose
/// names or states carry [`HOSTILE`].
fn hostile_config() -> SimConfig {
    let mut config = SimConfig::demo();
    let world = &mut config.world;
    let now = "2025-01-01T00:00:00Z".to_string();
    world.pods.push(Pod {
        namespace: "acme".into(),
        name: "acme-evil-0".into(),
        ready: 0,
        containers: 1,
        status: format!("Crash{HOSTILE}"),
        restarts: 3,
        creation_timestamp: now.clone(),
    });
    world.configmaps.push(ConfigMap {
        namespace: "acme".into(),
        name: format!("cm{HOSTILE}"),
        data: [("config".to_string(), "{}".to_string())].into(),
        binary_data: Default::default(),
        labels: Default::default(),
        creation_timestamp: now.clone(),
    });
    let path = format!("/var/log/versa/vms/apps/vms-api/evil{HOSTILE}.log");
    world
        .logs
        .push(LogFile::text(&path, "one line\n".into(), &now));
    config
}

#[test]
fn hostile_names_are_shown_not_obeyed_in_tables_and_exact_in_json() {
    let sim = Sim::start(hostile_config());
    let script = format!(
        "{}tenant use acme\nstatus\ncm list\nlogs scan\ntenant show\n",
        sim.session_new("vms", "admin")
    );
    let run = sim.vmsdbg().stdin(&script).run().ok();
    let out = run.stdout();
    assert!(
        !out.contains(['\x1b', '\x07']),
        "raw escapes reached stdout:\n{out:?}"
    );
    for shown in [
        format!("Crash{SHOWN}"),
        format!("cm{SHOWN}"),
        format!("evil{SHOWN}.log"),
    ] {
        assert!(out.contains(&shown), "{shown:?} missing:\n{out}");
    }

    // JSON is data: the same names, byte for byte.
    let json = sim
        .vmsdbg()
        .stdin(&format!(
            "{}status -o json\n",
            sim.session_new("vms", "admin")
        ))
        .run()
        .ok();
    let docs = sim_support::json_docs(&json.stdout());
    let status = docs.last().expect("status JSON");
    let pods = status["unhealthy_pods"].as_array().expect("a pod list");
    let evil = pods.iter().find(|p| p["name"] == "acme-evil-0");
    let evil = evil.unwrap_or_else(|| panic!("no evil pod in {status}"));
    assert_eq!(evil["status"], format!("Crash{HOSTILE}"));
}

#[test]
fn exec_and_kubectl_with_json_print_one_object_and_keep_the_status() {
    let sim = Sim::demo();
    let failing = sim
        .oneshot("admin")
        .args(["-o", "json", "exec", "echo out; echo err >&2; false"])
        .run()
        .code_is(1);
    let doc = failing.json();
    assert_eq!(doc["stdout"], "out\n");
    assert_eq!(doc["stderr"], "err\n");
    assert_eq!(doc["exit"], 1);
    assert_eq!(doc["signal"], Value::Null);
    assert!(doc.get("stdout_base64").is_none(), "{doc}");

    let kubectl = sim
        .oneshot("admin")
        .args(["-o", "json", "kubectl", "get", "ns", "-o", "name"])
        .run()
        .ok();
    let doc = kubectl.json();
    assert_eq!(doc["exit"], 0);
    let names = doc["stdout"].as_str().expect("stdout is text");
    assert!(names.lines().any(|l| l == "namespace/acme"), "{doc}");
}

#[test]
fn cm_show_raw_with_json_is_kubectls_document() {
    let sim = Sim::demo();
    let world = vmsdbg_sim::World::builtin();
    let cm = world
        .configmaps
        .iter()
        .find(|c| c.namespace == "acme" && c.name != "kube-root-ca.crt")
        .expect("acme has a ConfigMap");
    let run = sim
        .oneshot("admin")
        .args(["cm", "show", &cm.name, "-t", "acme", "--raw", "-o", "json"])
        .run()
        .ok();
    let doc = run.json();
    assert_eq!(doc["kind"], "ConfigMap");
    assert_eq!(doc["metadata"]["name"], cm.name.as_str());
    assert_eq!(doc["metadata"]["namespace"], "acme");
    let data: std::collections::BTreeMap<String, String> =
        serde_json::from_value(doc["data"].clone()).expect("data is text");
    assert_eq!(data, cm.data);

    // Without -o json, --raw is still kubectl describe's text.
    let text = sim
        .oneshot("admin")
        .args(["cm", "show", &cm.name, "-t", "acme", "--raw"])
        .run()
        .ok();
    assert!(text.stdout().starts_with("Name:"), "{}", text.stdout());
}

#[test]
fn cm_show_raw_on_a_terminal_shows_hostile_keys_and_values_safely() {
    let mut config = SimConfig::demo();
    config.world.configmaps.push(ConfigMap {
        namespace: "acme".into(),
        name: "acme-raw".into(),
        data: [(format!("key{HOSTILE}"), format!("value{HOSTILE}"))].into(),
        binary_data: Default::default(),
        labels: Default::default(),
        creation_timestamp: "2025-01-01T00:00:00Z".into(),
    });
    let sim = Sim::start(config);
    let cmd = sim
        .oneshot("admin")
        .args(["cm", "show", "-t", "acme", "acme-raw", "--raw"]);
    let mut command = cmd.command();
    command.env("TERM", "xterm");
    let mut p = rexpect::session::spawn_command(command, Some(20_000)).expect("vmsdbg starts");
    let shown = p.exp_eof().expect("vmsdbg ends");
    // rexpect reads bytes as Latin-1, so the pictures arrive mangled: check that
    // both hostile strings arrived and not one raw ESC or BEL did.
    assert_eq!(shown.matches("]0;owned").count(), 2, "{shown:?}");
    assert!(
        !shown.contains(['\x1b', '\x07']),
        "raw escapes reached the terminal: {shown:?}"
    );
}
