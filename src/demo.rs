//! `vmsdbg demo`: the embedded simulated VMS, started in this process, with a
//! session `demo` already connected (as `admin`) and elevated.
//!
//! The simulator listens on an ephemeral 127.0.0.1 port with a fresh host key;
//! the demo session trusts exactly that key and never touches known_hosts.

use std::io::IsTerminal;
use std::time::Duration;

use vmsdbg_sim::{DEMO_PASSWORD, SimConfig, SimHost, World};

use crate::cli::{DemoArgs, GlobalArgs, SudoMode};
use crate::error::{Error, exit};
use crate::output::Mode;
use crate::run::{build_app, fail};
use crate::secret::Secret;
use crate::session::{Credentials, OpenRequest};
use crate::ssh::{HostKeyPolicy, Target};

pub fn run(mut global: GlobalArgs, args: DemoArgs, runtime: &tokio::runtime::Runtime) -> i32 {
    // `vmsdbg demo -f FILE` and `vmsdbg -f FILE demo` mean the same.
    global.script = args.script.clone().or(global.script);
    // So are the other run-wide options, before or after `demo`.
    global.keep_going |= args.keep_going;
    global.echo |= args.echo;
    global.timeout = args.timeout.unwrap_or(global.timeout);
    global.color = args.color.unwrap_or(global.color);
    let mut config = SimConfig::demo();
    if let Some(path) = &args.world {
        match World::load(path) {
            Ok(world) => config.world = world,
            Err(e) => {
                return fail(&Error::failed(format!(
                    "cannot load world {}: {e}",
                    path.display()
                )));
            }
        }
    }
    let host = match runtime.block_on(SimHost::start(config)) {
        Ok(host) => host,
        Err(e) => {
            return fail(&Error::failed(format!(
                "cannot start the simulated VMS: {e}"
            )));
        }
    };
    if !global.quiet {
        eprintln!(
            "vmsdbg demo: a simulated VMS on 127.0.0.1:{} (nothing here is real; for a real host: \
             vmsdbg --host USER@HOST, or session new NAME USER@HOST)",
            host.port()
        );
    }

    let mode = match (args.command.is_empty(), global.script.is_some()) {
        (false, _) => Mode::OneShot,
        (true, true) => Mode::Script,
        (true, false) if std::io::stdin().is_terminal() => Mode::Interactive,
        (true, false) => Mode::Script,
    };
    let status = run_with(&global, &args, mode, &host, runtime);
    runtime.block_on(host.shutdown());
    status
}

fn run_with(
    global: &GlobalArgs,
    args: &DemoArgs,
    mode: Mode,
    host: &SimHost,
    runtime: &tokio::runtime::Runtime,
) -> i32 {
    let mut app = match build_app(global, mode, runtime) {
        Ok(app) => app,
        Err(e) => return fail(&e),
    };
    let request = demo_request(host, global);
    let opened = runtime.block_on(crate::cmd::session::open(&mut app, "demo".into(), request));
    if let Err(e) = opened {
        return fail(&e);
    }

    let status = match mode {
        Mode::OneShot => {
            // The words are already split by the caller's shell: parse them as
            // one-shot argv (so `exec 'a; b'` stays one shell command).
            let parsed = match <crate::cli::Line as clap::Parser>::try_parse_from(&args.command) {
                Ok(parsed) => parsed,
                Err(e) => {
                    return fail(&Error::Usage(e.render().to_string().trim_end().to_string()));
                }
            };
            if let Some(format) = parsed.output.format {
                app.settings.format = format;
            }
            let shown = args.command.join(" ");
            match runtime.block_on(app.run_parsed(parsed.command, &shown)) {
                Ok(_) => exit::OK,
                Err(e) => fail(&e),
            }
        }
        _ => crate::run::run_shell(&mut app, global, mode, runtime),
    };
    crate::run::close_all(&mut app, runtime);
    forget_builds(&app, host);
    status
}

/// The simulated host lives on a fresh port each run, so its tenant snapshots
/// (one per user that built) could never be found again: remove them rather
/// than leave files behind after every demo.
fn forget_builds(app: &crate::app::App, host: &SimHost) {
    let dir = app.paths.snapshots();
    let ours = crate::store::snapshots::file_for(&dir, "", DEMO_HOST, host.port());
    let Some(suffix) = ours.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return;
    };
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().ends_with(&suffix) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

const DEMO_USER: &str = "admin";
const DEMO_HOST: &str = "127.0.0.1";

fn demo_request(host: &SimHost, global: &GlobalArgs) -> OpenRequest {
    let target = Target {
        user: DEMO_USER.into(),
        host: DEMO_HOST.into(),
        port: host.port(),
    };
    OpenRequest {
        target,
        identity: None,
        credentials: Credentials {
            password: Some(Secret::new(DEMO_PASSWORD)),
            ..Credentials::default()
        },
        sudo: SudoMode::Auto,
        host_keys: HostKeyPolicy::Pinned(host.public_key()),
        max_channels: crate::session::open::DEFAULT_MAX_CHANNELS,
        keepalive: crate::session::open::KEEPALIVE,
        may_prompt: false,
        excluded: crate::domain::tenant::SYSTEM_NAMESPACES
            .iter()
            .map(|s| s.to_string())
            .collect(),
        log_root: crate::session::open::DEFAULT_LOG_ROOT.into(),
        timeout: Duration::from_secs(global.timeout),
    }
}
