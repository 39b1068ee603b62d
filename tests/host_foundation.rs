//! The foundation against the CI's real OpenSSH sshd, sudo and kubectl
//! stand-in (set up by `.ci/host-setup.sh`). Ignored by a plain `cargo test`;
//! `.ci/run` runs them with `--include-ignored`.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::{CiHost, all_text_under, read_world, world_tenants};

fn tenant_names(json: &serde_json::Value) -> BTreeSet<String> {
    let list = json.as_array().expect("tenant list is an array");
    list.iter()
        .map(|t| t["name"].as_str().expect("name").to_string())
        .collect()
}

#[test]
#[ignore = "needs the CI host: bash .ci/run"]
fn one_shot_tenant_list_is_exactly_the_world() {
    let host = CiHost::load();
    // One command: the database is built on the way, and stdout is only the JSON.
    let run = host
        .oneshot("vmsadmin")
        .args(["tenant", "list", "-o", "json"])
        .run()
        .ok();
    assert!(run.stderr().contains("building it"), "{}", run.stderr());
    let world = Path::new(host.var("VMSDBG_CI_VMSADMIN_WORLD"));
    assert_eq!(tenant_names(&run.json()), world_tenants(world));
}

#[test]
#[ignore = "needs the CI host: bash .ci/run"]
fn tenant_show_gives_redis_and_configmaps_exactly() {
    let host = CiHost::load();
    let world = read_world(Path::new(host.var("VMSDBG_CI_VMSADMIN_WORLD")));
    let services = world["services"].as_array().unwrap();
    let redis = services
        .iter()
        .find(|s| {
            let name = s["name"].as_str().unwrap_or("");
            let ip = s["clusterIP"].as_str().unwrap_or("None");
            let port = s["ports"]
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p["port"] == 6379);
            name.contains("redis") && ip != "None" && port
        })
        .expect("the world has a Redis service");
    let tenant = redis["namespace"].as_str().unwrap();

    let script = format!("tenant build\ntenant show {tenant} -o json\n");
    let out = host.oneshot("vmsadmin").stdin(&script).run().ok().stdout();
    let shown: serde_json::Value = serde_json::from_str(&out[out.find('{').unwrap()..]).unwrap();
    assert_eq!(shown["name"], tenant);
    assert_eq!(shown["redis"]["cluster_ip"], redis["clusterIP"]);
    assert_eq!(shown["redis"]["service"], redis["name"]);

    let expected: BTreeSet<&str> = world["configmaps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["namespace"] == tenant)
        .filter_map(|c| c["name"].as_str())
        .collect();
    let got: BTreeSet<&str> = shown["configmaps"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["name"].as_str())
        .collect();
    assert_eq!(got, expected);
}

#[test]
#[ignore = "needs the CI host: bash .ci/run"]
fn two_sessions_two_users_stay_isolated() {
    let host = CiHost::load();
    let key = host.var("VMSDBG_CI_VMSKEY_KEY");
    let script = format!(
        "session new a {} --password-env VMSDBG_CI_VMSADMIN_PASSWORD --accept-new-host-key\n\
         session new b {} -i {key}\n\
         @a tenant build\n",
        host.target("vmsadmin"),
        host.target("vmskey"),
    );
    // Building a must not give b a database.
    let run = host
        .vmsdbg()
        .stdin(&(script + "session info b -o json\n"))
        .run()
        .ok();
    let out = run.stdout();
    let info: serde_json::Value = serde_json::from_str(&out[out.rfind("{\n").unwrap()..]).unwrap();
    assert_eq!(info["name"], "b");
    assert!(info["tenants"].is_null(), "b has no database: {info}");

    let script = format!(
        "session new a {} --password-env VMSDBG_CI_VMSADMIN_PASSWORD --accept-new-host-key\n\
         session new b {} -i {key}\n\
         @a tenant build\n@b tenant build\n\
         @a tenant list -o json\n@b tenant list -o json\n",
        host.target("vmsadmin"),
        host.target("vmskey"),
    );
    let out = host
        .vmsdbg()
        .args(["-q"])
        .stdin(&script)
        .run()
        .ok()
        .stdout();
    let arrays: Vec<serde_json::Value> =
        serde_json::Deserializer::from_str(&out[out.find('[').unwrap()..])
            .into_iter()
            .collect::<Result<_, _>>()
            .unwrap();
    let a = tenant_names(&arrays[0]);
    let b = tenant_names(&arrays[1]);
    assert_eq!(
        a,
        world_tenants(Path::new(host.var("VMSDBG_CI_VMSADMIN_WORLD")))
    );
    assert_eq!(
        b,
        world_tenants(Path::new(host.var("VMSDBG_CI_VMSKEY_WORLD")))
    );
    assert_ne!(a, b, "the CI gives the two users different worlds");
}

#[test]
#[ignore = "needs the CI host: bash .ci/run"]
fn every_kind_of_user_elevates() {
    let host = CiHost::load();
    let cases = [
        ("vmsadmin", vec![], "root (sudo, password)"),
        ("vmstty", vec![], "root (sudo on a tty)"),
        (
            "vmskey",
            vec!["-i", host.var("VMSDBG_CI_VMSKEY_KEY")],
            "root (sudo, no password)",
        ),
    ];
    for (user, extra, elevation) in cases {
        let run = host
            .oneshot(user)
            .args(extra)
            .args(["session", "info", "-o", "json"])
            .run()
            .ok();
        assert_eq!(run.json()["elevation"], elevation, "{user}");
        // Elevated commands work, and the tty path gives clean output.
        let id = host
            .oneshot(user)
            .args(extra_for(&host, user))
            .args(["exec", "id -u"])
            .run()
            .ok();
        assert_eq!(id.stdout(), "0\n", "{user}");
    }
}

fn extra_for<'a>(host: &'a CiHost, user: &str) -> Vec<&'a str> {
    match user {
        "vmskey" => vec!["-i", host.var("VMSDBG_CI_VMSKEY_KEY")],
        _ => vec![],
    }
}

#[test]
#[ignore = "needs the CI host: bash .ci/run"]
fn requiretty_keeps_stdout_and_exit_status() {
    let host = CiHost::load();
    let run = host
        .oneshot("vmstty")
        .args(["exec", "printf 'a\\nb\\n'; exit 3"])
        .run();
    assert_eq!(run.code(), 3, "{}", run.stderr());
    assert_eq!(run.stdout(), "a\nb\n");

    // A command reading its input ends at once: the terminal gets its EOF
    // (^D) after sudo has started the command, not before the timeout.
    let run = host
        .oneshot("vmstty")
        .args(["--timeout", "20", "exec", "cat; echo done"])
        .run();
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert_eq!(run.stdout(), "done\n");
}

#[test]
#[ignore = "needs the CI host: bash .ci/run"]
fn wrong_ssh_password_exits_3() {
    let host = CiHost::load();
    let run = host
        .vmsdbg()
        .env("WRONG", "not-the-password")
        .args(["--host", &host.target("vmsadmin"), "--accept-new-host-key"])
        .args(["--password-env", "WRONG", "status"])
        .run()
        .code_is(3);
    assert!(
        run.stderr()
            .contains("authentication failed for vmsadmin@127.0.0.1"),
        "{}",
        run.stderr()
    );
    assert!(!run.stderr().contains("not-the-password"));
}

#[test]
#[ignore = "needs the CI host: bash .ci/run"]
fn wrong_sudo_password_leaves_the_session_connected() {
    let host = CiHost::load();
    let script = format!(
        "session new a {} --password-env VMSDBG_CI_VMSADMIN_PASSWORD --sudo-password-env WRONG --accept-new-host-key\n\
         session list -o json\n\
         tenant build\n",
        host.target("vmsadmin")
    );
    let run = host
        .vmsdbg()
        .env("WRONG", "bad-sudo-pw")
        .args(["--keep-going"])
        .stdin(&script)
        .run();
    assert_eq!(run.code(), 1);
    let err = run.stderr();
    assert!(
        err.contains("<stdin>:1: a: sudo rejected the password"),
        "{err}"
    );
    assert!(err.contains("<stdin>:3: a: not elevated"), "{err}");
    assert!(!err.contains("bad-sudo-pw"));
    let list: serde_json::Value = serde_json::from_str(&run.stdout()).unwrap();
    assert_eq!(list[0]["state"], "connected");
}

#[test]
#[ignore = "needs the CI host: bash .ci/run"]
fn host_keys_unknown_accepted_and_changed() {
    let host = CiHost::load();
    let target = host.target("vmsadmin");
    let base = [
        "--host",
        target.as_str(),
        "--password-env",
        "VMSDBG_CI_VMSADMIN_PASSWORD",
    ];

    let cmd = host.vmsdbg().args(base).args(["session", "info"]);
    let run = cmd.run().code_is(3);
    assert!(
        run.stderr().contains("is not known (SHA256:"),
        "{}",
        run.stderr()
    );
    assert!(
        !cmd.path("known_hosts").exists(),
        "nothing recorded without consent"
    );

    let cmd = host
        .vmsdbg()
        .args(base)
        .args(["--accept-new-host-key", "session", "info"]);
    cmd.run().ok();
    let recorded = std::fs::read_to_string(cmd.path("known_hosts")).unwrap();
    assert!(recorded.starts_with(&format!("[127.0.0.1]:{} ", host.var("VMSDBG_CI_SSH_PORT"))));

    // Same algorithm, another key: refused even with --accept-new-host-key.
    let forged = "AAAAC3NzaC1lZDI1NTE5AAAAIAB3f7M2yH6mHhWq0Y7o8s3o4bL1Yq9m2yK3b0Gd2Bx5";
    let line = format!(
        "[127.0.0.1]:{} ssh-ed25519 {forged}\n",
        host.var("VMSDBG_CI_SSH_PORT")
    );
    let cmd = host
        .vmsdbg()
        .args(base)
        .args(["--accept-new-host-key", "session", "info"]);
    std::fs::write(cmd.path("known_hosts"), line).unwrap();
    let run = cmd.run().code_is(3);
    assert!(run.stderr().contains("HAS CHANGED"), "{}", run.stderr());

    // Known only by its RSA key (as after `ssh -o HostKeyAlgorithms=rsa-sha2-512`):
    // that key is asked for and matches, nothing new is recorded.
    let rsa = std::fs::read_to_string(host.var("VMSDBG_CI_HOSTKEY_RSA_PUB")).unwrap();
    let rsa: Vec<&str> = rsa.split_whitespace().take(2).collect();
    let line = format!(
        "[127.0.0.1]:{} {}\n",
        host.var("VMSDBG_CI_SSH_PORT"),
        rsa.join(" ")
    );
    let cmd = host.vmsdbg().args(base).args(["session", "info"]);
    std::fs::write(cmd.path("known_hosts"), &line).unwrap();
    cmd.run().ok();
    let after = std::fs::read_to_string(cmd.path("known_hosts")).unwrap();
    assert_eq!(after, line, "the RSA entry was enough");
}

#[test]
#[ignore = "needs the CI host: bash .ci/run"]
fn hostile_words_run_no_second_command() {
    let host = CiHost::load();
    let marker = "/tmp/vmsdbg-pwned";
    let _ = std::fs::remove_file(marker);
    let hostile = format!("x'; touch {marker} #");
    host.oneshot("vmsadmin")
        .args(["k", "get", "configmap", &hostile])
        .run();
    host.oneshot("vmsadmin")
        .args(["exec", &format!("ls \"{hostile}\"")])
        .run();
    let script = format!("exec ls \"x'; touch {marker} #\"\nk get cm \"$(touch {marker})\"\n");
    host.oneshot("vmsadmin")
        .args(["--keep-going"])
        .stdin(&script)
        .run();
    assert!(!Path::new(marker).exists(), "a hostile word ran a command");
}

#[test]
#[ignore = "needs the CI host: bash .ci/run"]
fn kubectl_passthrough_keeps_status_and_streams() {
    let host = CiHost::load();
    let ok = host.oneshot("vmsadmin").args(["k", "get", "ns"]).run().ok();
    assert!(ok.stdout().starts_with("NAME"), "{}", ok.stdout());
    let bad = host
        .oneshot("vmsadmin")
        .args(["kubectl", "get", "nonsense"])
        .run();
    assert_ne!(bad.code(), 0);
    assert!(bad.stderr().contains("nonsense"), "{}", bad.stderr());
}

#[test]
#[ignore = "needs the CI host: bash .ci/run"]
fn unelevated_kubectl_is_named() {
    let host = CiHost::load();
    let run = host
        .oneshot("vmsadmin")
        .args(["--sudo", "none", "tenant", "build"])
        .run()
        .code_is(1);
    assert!(run.stderr().contains("not elevated"), "{}", run.stderr());
    let run = host
        .oneshot("vmsnosudo")
        .args(["tenant", "build"])
        .run()
        .code_is(1);
    assert!(run.stderr().contains("not elevated"), "{}", run.stderr());
    // Told NOPASSWD where sudo wants a password: said in those words.
    let run = host
        .oneshot("vmsadmin")
        .args(["--sudo", "nopasswd", "tenant", "build"])
        .run()
        .code_is(1);
    let err = run.stderr();
    assert!(err.contains("sudo wants a password on this host"), "{err}");
}

#[test]
#[ignore = "needs the CI host: bash .ci/run"]
fn unelevated_exec_runs_as_the_login_user() {
    let host = CiHost::load();
    // --sudo none is the operator's choice: no note.
    let run = host
        .oneshot("vmsadmin")
        .args(["--sudo", "none", "exec", "id -un"])
        .run()
        .ok();
    assert_eq!(run.stdout(), "vmsadmin\n");
    assert!(!run.stderr().contains("not elevated"), "{}", run.stderr());
    // Refused by sudo: it still runs, and says as whom.
    let run = host
        .oneshot("vmsnosudo")
        .args(["exec", "id -un"])
        .run()
        .ok();
    assert_eq!(run.stdout(), "vmsnosudo\n");
    let err = run.stderr();
    assert!(
        err.contains("not elevated") && err.contains("running as vmsnosudo"),
        "{err}"
    );
    // A refused sudo password is the operator's to fix: nothing runs.
    let run = host
        .oneshot("vmsadmin")
        .env("WRONG", "not-the-sudo-password")
        .args(["--sudo-password-env", "WRONG", "exec", "id -un"])
        .run()
        .code_is(1);
    assert_eq!(run.stdout(), "");
    assert!(
        run.stderr().contains("sudo rejected the password"),
        "{}",
        run.stderr()
    );
}

#[test]
#[ignore = "needs the CI host: bash .ci/run"]
fn scripts_stop_at_the_first_failure_with_file_and_line() {
    let host = CiHost::load();
    let cmd = host.oneshot("vmsadmin");
    let file = cmd.path("check.vms");
    std::fs::write(
        &file,
        "# health check\n\ntenant build\ntenant use no-such-tenant\ntenant list\n",
    )
    .unwrap();
    let run = cmd.args(["-f", file.to_str().unwrap()]).run().code_is(1);
    let err = run.stderr();
    assert!(err.contains(&format!("{}:4: ", file.display())), "{err}");
    assert!(err.contains("no tenant 'no-such-tenant'"), "{err}");
    assert!(!run.stdout().contains("TENANT"), "line 5 must not run");
}

#[test]
#[ignore = "needs the CI host: bash .ci/run"]
fn secrets_stay_out_of_argv_files_and_errors() {
    let host = CiHost::load();
    let cmd = host
        .oneshot("vmsadmin")
        .args(["exec", "sleep 2; echo done"]);
    let child = cmd
        .command()
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let secrets = host.secrets();
    let mut seen = String::new();
    for _ in 0..15 {
        let ps = std::process::Command::new("ps")
            .args(["-eo", "args"])
            .output()
            .unwrap();
        seen.push_str(&String::from_utf8_lossy(&ps.stdout));
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let out = child.wait_with_output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "done\n");
    assert!(seen.contains("sleep 2"), "ps saw the remote command");

    let script = "tenant build\nhistory\nsession info\ntenant export\n";
    let run = host.oneshot("vmsadmin").stdin(script);
    let output = run.run().ok();
    let files = all_text_under(run.dir.path());
    for secret in secrets {
        assert!(!seen.contains(&secret), "a password showed in ps");
        assert!(!output.stdout().contains(&secret) && !output.stderr().contains(&secret));
        assert!(
            !files.contains(&secret),
            "a password reached a file under the data dir"
        );
    }
    assert!(
        files.contains("\"command\":\"tenant build\""),
        "the audit log has the commands"
    );
}

#[test]
#[ignore = "needs the CI host: bash .ci/run"]
fn output_quoting_the_sudo_prompt_is_just_output() {
    // `ps` shows sudo's own command line, prompt included, while the command runs:
    // on stdout (the tty path) and on stderr (the -S path) it must stay output.
    let host = CiHost::load();
    for (user, redirect) in [("vmstty", ""), ("vmsadmin", " >&2")] {
        let script =
            format!("exec ps -eo args | grep '[v]msdbg:'{redirect}\nsession info -o json\n");
        let run = host.oneshot(user).stdin(&script).run().ok();
        let seen = run.stdout() + &run.stderr();
        assert!(seen.contains("sudo"), "{user}: ps output shown: {seen}");
        let info: serde_json::Value =
            serde_json::from_str(&run.stdout()[run.stdout().rfind("{\n").unwrap()..]).unwrap();
        assert!(
            info["elevation"].as_str().unwrap().starts_with("root"),
            "{user}: still elevated: {info}"
        );
    }
}

#[test]
#[ignore = "needs the CI host: bash .ci/run"]
fn the_timeout_counts_silence_not_the_whole_command() {
    let host = CiHost::load();
    // 4 s in all but never 2 s without output: runs to the end.
    let streaming = "for i in 1 2 3 4; do echo $i; sleep 1; done";
    let run = host
        .oneshot("vmsadmin")
        .args(["--timeout", "2", "exec", streaming])
        .run();
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert_eq!(run.stdout(), "1\n2\n3\n4\n");

    let run = host
        .oneshot("vmsadmin")
        .args(["--timeout", "2", "exec", "echo start; sleep 4; echo end"])
        .run()
        .code_is(1);
    assert_eq!(run.stdout(), "start\n");
    assert!(
        run.stderr().contains("nothing from the host for 2s"),
        "{}",
        run.stderr()
    );
}

#[test]
#[ignore = "needs the CI host: bash .ci/run"]
fn a_cancelled_command_does_not_run_on_as_root() {
    let host = CiHost::load();
    // Each sleep is its own pattern, so the checks cannot see another test's.
    let gone = |pattern: &str| {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        loop {
            let found = std::process::Command::new("pgrep")
                .args(["-f", pattern])
                .output()
                .expect("pgrep");
            if !found.status.success() {
                return true;
            }
            if std::time::Instant::now() > deadline {
                return false;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    };
    // The timeout, on a terminal (requiretty) and without one, where sudo's
    // child shell has a child of its own and a pipe.
    for (user, line, pattern) in [
        ("vmstty", "sleep 44.25", "^sleep 44[.]25$"),
        ("vmsadmin", "sleep 44.5 | cat; echo never", "^sleep 44[.]5$"),
    ] {
        let run = host
            .oneshot(user)
            .args(["--timeout", "2", "exec", line])
            .run()
            .code_is(1);
        assert!(run.stderr().contains("timed out"), "{}", run.stderr());
        assert!(gone(pattern), "{user}: {line} still runs on the host");
    }
    // Ctrl-C (SIGINT) on a one-shot run.
    let mut child = host
        .oneshot("vmsadmin")
        .args(["exec", "sleep 44.75"])
        .command()
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("vmsdbg starts");
    // Wait until it runs on the host, then interrupt.
    let running = || {
        std::process::Command::new("pgrep")
            .args(["-f", "^sleep 44[.]75$"])
            .output()
            .expect("pgrep")
            .status
            .success()
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    while !running() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert!(running(), "the command never started on the host");
    let pid = child.id().to_string();
    std::process::Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .expect("kill");
    let status = child.wait().expect("vmsdbg ends");
    assert_eq!(status.code(), Some(130));
    assert!(
        gone("^sleep 44[.]75$"),
        "sleep 44.75 still runs after Ctrl-C"
    );
}
