//! Shared test helpers: a hermetic command builder for the `vmsdbg` binary and
//! access to the CI host's facts (`/etc/vmsdbg-ci/env`, written by
//! `.ci/host-setup.sh`).

#![allow(dead_code)]

pub mod log_dir;
pub mod piped;

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// A `vmsdbg` command with its own config, data, home and known_hosts, no
/// colour, no ssh-agent, no stdin.
#[must_use]
pub struct Vmsdbg {
    pub dir: tempfile::TempDir,
    args: Vec<String>,
    envs: Vec<(String, String)>,
    stdin: Option<Vec<u8>>,
}

impl Vmsdbg {
    pub fn new() -> Vmsdbg {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("home")).expect("home dir");
        Vmsdbg {
            dir,
            args: vec![],
            envs: vec![],
            stdin: None,
        }
    }

    pub fn args<I: IntoIterator<Item = S>, S: AsRef<str>>(mut self, args: I) -> Self {
        self.args
            .extend(args.into_iter().map(|a| a.as_ref().to_string()));
        self
    }

    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.envs.push((key.to_string(), value.to_string()));
        self
    }

    pub fn stdin(mut self, text: &str) -> Self {
        self.stdin = Some(text.as_bytes().to_vec());
        self
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn command(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_vmsdbg"));
        cmd.args(&self.args)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", self.path("home"))
            .env("USER", "tester")
            .env("VMSDBG_CONFIG_DIR", self.path("config"))
            .env("VMSDBG_DATA_DIR", self.path("data"))
            .env("VMSDBG_KNOWN_HOSTS", self.path("known_hosts"))
            .env("NO_COLOR", "1")
            .env("COLUMNS", "120");
        for (k, v) in &self.envs {
            cmd.env(k, v);
        }
        cmd
    }

    #[track_caller]
    pub fn run(&self) -> Run {
        let mut cmd = self.command();
        cmd.stdin(if self.stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("vmsdbg starts");
        if let Some(input) = &self.stdin {
            use std::io::Write;
            let mut pipe = child.stdin.take().expect("stdin piped");
            pipe.write_all(input).expect("write stdin");
        }
        Run(child.wait_with_output().expect("vmsdbg finishes"))
    }
}

pub struct Run(pub Output);

impl Run {
    pub fn code(&self) -> i32 {
        self.0.status.code().unwrap_or(-1)
    }

    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.0.stdout).into_owned()
    }

    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.0.stderr).into_owned()
    }

    #[track_caller]
    pub fn ok(self) -> Run {
        assert_eq!(
            self.code(),
            0,
            "stdout:\n{}\nstderr:\n{}",
            self.stdout(),
            self.stderr()
        );
        self
    }

    #[track_caller]
    pub fn code_is(self, code: i32) -> Run {
        assert_eq!(
            self.code(),
            code,
            "stdout:\n{}\nstderr:\n{}",
            self.stdout(),
            self.stderr()
        );
        self
    }

    #[track_caller]
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.0.stdout).unwrap_or_else(|e| {
            panic!(
                "not JSON ({e}):\n{}\nstderr:\n{}",
                self.stdout(),
                self.stderr()
            )
        })
    }
}

/// Facts about the CI host.
pub struct CiHost {
    pub vars: HashMap<String, String>,
}

impl CiHost {
    /// Panics with a clear message when the host is not set up: these tests
    /// are `#[ignore]`d and run by `.ci/run`, which sets it up first.
    pub fn load() -> CiHost {
        let path = "/etc/vmsdbg-ci/env";
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| {
            panic!("{path}: {e} (run `bash .ci/run`, which sets up the CI host)")
        });
        let vars = text
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| l.split_once('='))
            .map(|(k, v)| (k.to_string(), v.trim_matches('"').to_string()))
            .collect();
        CiHost { vars }
    }

    pub fn var(&self, key: &str) -> &str {
        self.vars
            .get(key)
            .unwrap_or_else(|| panic!("{key} missing from /etc/vmsdbg-ci/env"))
    }

    pub fn target(&self, user: &str) -> String {
        format!("{user}@127.0.0.1:{}", self.var("VMSDBG_CI_SSH_PORT"))
    }

    /// A command preloaded with every CI variable, so `--password-env` can name them.
    pub fn vmsdbg(&self) -> Vmsdbg {
        let mut cmd = Vmsdbg::new();
        for (k, v) in &self.vars {
            cmd = cmd.env(k, v);
        }
        cmd
    }

    /// `vmsdbg --host USER@... --accept-new-host-key`, with the password for password users.
    pub fn oneshot(&self, user: &str) -> Vmsdbg {
        let password_var = format!("VMSDBG_CI_{}_PASSWORD", user.to_uppercase());
        let mut cmd = self
            .vmsdbg()
            .args(["--host", &self.target(user), "--accept-new-host-key"]);
        if self.vars.contains_key(&password_var) {
            cmd = cmd.args(["--password-env", &password_var]);
        }
        cmd
    }

    pub fn secrets(&self) -> Vec<String> {
        let secret = |k: &String| k.contains("PASSWORD") || k.contains("PASSPHRASE");
        self.vars
            .iter()
            .filter(|(k, _)| secret(k))
            .map(|(_, v)| v.clone())
            .collect()
    }
}

/// Tenants of a world file: namespaces with services, minus the system ones.
pub fn world_tenants(path: &Path) -> BTreeSet<String> {
    let world = read_world(path);
    let system = ["kube-system", "kube-public", "kube-node-lease", "default"];
    world["services"]
        .as_array()
        .map(|services| {
            services
                .iter()
                .filter_map(|s| s["namespace"].as_str())
                .filter(|ns| !system.contains(ns))
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

pub fn read_world(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).expect("world is JSON")
}

/// Every file under `dir`, as text (lossy), for secret scans.
pub fn all_text_under(dir: &Path) -> String {
    let mut out = String::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.push_str(&all_text_under(&path));
        } else if let Ok(bytes) = std::fs::read(&path) {
            out.push_str(&String::from_utf8_lossy(&bytes));
        }
    }
    out
}
