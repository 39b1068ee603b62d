//! The simulated VMS for the hermetic tests: a [`SimHost`] on its own Tokio
//! runtime that lives as long as the test's [`Sim`] value, plus the facts a test
//! compares against (a world's tenants) and the pinned known_hosts line that lets
//! a `vmsdbg` command trust the host without `--accept-new-host-key`.

#![allow(dead_code)]

use std::collections::BTreeSet;

use vmsdbg_sim::faults::Faults;
use vmsdbg_sim::world::{Service, ServicePort, ServiceType};
use vmsdbg_sim::{DEMO_PASSWORD, SimConfig, SimHost, World};

use crate::common::Vmsdbg;

/// The environment variable the tests put the demo password in.
pub const PASSWORD_VAR: &str = "SIM_PASSWORD";

/// Namespaces that are never tenants (DESIGN.md section 2).
const SYSTEM: [&str; 4] = ["kube-system", "kube-public", "kube-node-lease", "default"];

/// A running simulated host. Dropping it stops the host, then its runtime.
pub struct Sim {
    host: Option<SimHost>,
    runtime: tokio::runtime::Runtime,
}

impl Sim {
    /// Starts a host from `config` on 127.0.0.1 and an ephemeral port.
    pub fn start(config: SimConfig) -> Sim {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a Tokio runtime for the simulator");
        let host = runtime
            .block_on(SimHost::start(config))
            .expect("the simulated VMS starts");
        Sim {
            host: Some(host),
            runtime,
        }
    }

    /// The demo users (`admin`, `ops`, `tty`, `root`) on the built-in world.
    pub fn demo() -> Sim {
        Sim::start(SimConfig::demo())
    }

    fn host(&self) -> &SimHost {
        self.host.as_ref().expect("the host runs until drop")
    }

    pub fn port(&self) -> u16 {
        self.host().port()
    }

    pub fn faults(&self) -> Faults {
        self.host().faults()
    }

    /// `USER@127.0.0.1:PORT`.
    pub fn target(&self, user: &str) -> String {
        format!("{user}@127.0.0.1:{}", self.port())
    }

    /// The known_hosts line for the host key new connections see now.
    pub fn known_hosts_line(&self) -> String {
        let key = self.host().public_key();
        let text = key.to_openssh().expect("a host key encodes");
        format!("[127.0.0.1]:{} {text}\n", self.port())
    }

    /// Adds this host's key to `cmd`'s known_hosts, as a previous visit would have.
    pub fn pin(&self, cmd: Vmsdbg) -> Vmsdbg {
        use std::io::Write;
        let path = cmd.path("known_hosts");
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .expect("known_hosts opens");
        file.write_all(self.known_hosts_line().as_bytes())
            .expect("known_hosts written");
        cmd.env(PASSWORD_VAR, DEMO_PASSWORD)
    }

    /// A pinned command with the demo password in [`PASSWORD_VAR`].
    pub fn vmsdbg(&self) -> Vmsdbg {
        self.pin(Vmsdbg::new())
    }

    /// `vmsdbg --host USER@127.0.0.1:PORT --password-env SIM_PASSWORD`, pinned.
    pub fn oneshot(&self, user: &str) -> Vmsdbg {
        let target = self.target(user);
        self.vmsdbg()
            .args(["--host", &target, "--password-env", PASSWORD_VAR])
    }

    /// A script line opening session `name` as `user` with the demo password.
    pub fn session_new(&self, name: &str, user: &str) -> String {
        let target = self.target(user);
        format!("session new {name} {target} --password-env {PASSWORD_VAR}\n")
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        // Stop the host inside its runtime so its connections end cleanly.
        if let Some(host) = self.host.take() {
            self.runtime.block_on(host.shutdown());
        }
    }
}

/// Tenants of a world: namespaces with services, minus the system ones.
pub fn tenants_of(world: &World) -> BTreeSet<String> {
    world
        .services
        .iter()
        .map(|s| s.namespace.clone())
        .filter(|ns| !SYSTEM.contains(&ns.as_str()))
        .collect()
}

/// Tenants whose Redis the client should find: a service named `*redis*` with a
/// real cluster IP exposing 6379.
pub fn tenants_with_redis(world: &World) -> BTreeSet<String> {
    let tenants = tenants_of(world);
    world
        .services
        .iter()
        .filter(|s| tenants.contains(&s.namespace))
        .filter(|s| s.name.contains("redis") && s.cluster_ip != "None")
        .filter(|s| s.ports.iter().any(|p| p.port == 6379))
        .map(|s| s.namespace.clone())
        .collect()
}

/// Tenant names of a `tenant list -o json` array.
#[track_caller]
pub fn listed(json: &serde_json::Value) -> BTreeSet<String> {
    let list = json
        .as_array()
        .unwrap_or_else(|| panic!("not a tenant list: {json}"));
    list.iter()
        .map(|t| t["name"].as_str().expect("a tenant has a name").to_string())
        .collect()
}

/// A plain ClusterIP web service, for worlds a test shapes itself.
pub fn web_service(namespace: &str, name: &str, ip: &str) -> Service {
    Service {
        namespace: namespace.to_string(),
        name: name.to_string(),
        kind: ServiceType::ClusterIP,
        cluster_ip: ip.to_string(),
        ports: vec![ServicePort::tcp(80)],
        load_balancer_ingress: vec![],
        creation_timestamp: "2025-01-01T00:00:00Z".to_string(),
    }
}

/// The JSON documents in `text`, in order, skipping anything before the first.
#[track_caller]
pub fn json_docs(text: &str) -> Vec<serde_json::Value> {
    let start = text
        .find(['{', '['])
        .unwrap_or_else(|| panic!("no JSON in:\n{text}"));
    serde_json::Deserializer::from_str(&text[start..])
        .into_iter()
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| panic!("bad JSON ({e}) in:\n{text}"))
}
