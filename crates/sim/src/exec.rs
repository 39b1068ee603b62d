//! Runs an exec request's command line on the simulated host: the shell subset from
//! [`crate::shell`], then each simple command as a built-in (`echo`, `printf`, `sleep`,
//! `id`, `whoami`, `cat`, `kubectl`, `sudo`, `sh -c`, `redis-cli`, `exit`), anything
//! else failing with `sh`'s "not found" and status 127.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use crate::builtins::{self, Identity};
use crate::config::SimUser;
use crate::faults::Faults;
use crate::filters;
use crate::io::{Dest, Io, Stop};
use crate::output::Output;
use crate::shell::{self, Item, Join, Target};
use crate::world::World;

/// What every command of one connection shares: who logged in and what they see.
pub(crate) struct Env {
    /// The logged-in user.
    pub(crate) user: Arc<SimUser>,
    /// The world this user sees.
    pub(crate) world: Arc<World>,
    /// The host's fault switches.
    pub(crate) faults: Faults,
    /// The user's numeric id (0 for root).
    pub(crate) uid: u32,
    /// The Redis databases of this user's world.
    pub(crate) redis: Arc<crate::redis_link::RedisDbs>,
}

/// A shell running one command line on one channel.
pub(crate) struct Shell<'a> {
    /// Connection-wide state.
    pub(crate) env: &'a Env,
    /// The channel's streams.
    pub(crate) io: &'a mut Io,
    /// Whether commands run as root (the root user, or inside sudo).
    pub(crate) root: bool,
}

type Flow<'b> = Pin<Box<dyn Future<Output = Result<u32, Stop>> + Send + 'b>>;

impl<'a> Shell<'a> {
    /// A shell for the connection's user.
    pub(crate) fn new(env: &'a Env, io: &'a mut Io) -> Shell<'a> {
        let root = env.user.is_root();
        Shell { env, io, root }
    }

    /// Parses and runs a script; syntax errors print as `sh` prints them, status 2.
    pub(crate) async fn run_script(
        &mut self,
        script: &str,
        out: Dest,
        err: Dest,
    ) -> Result<u32, Stop> {
        match shell::parse(script) {
            Ok(items) => self.run_items(&items, out, err).await,
            Err(syntax) => {
                self.io.write(err, format!("{syntax}\n").as_bytes()).await?;
                Ok(2)
            }
        }
    }

    async fn run_items(&mut self, items: &[Item], out: Dest, err: Dest) -> Result<u32, Stop> {
        let mut status = 0;
        let mut start = 0;
        while start < items.len() {
            // A pipeline is an item and the `| ...` items that follow it.
            let len = 1 + items[start + 1..]
                .iter()
                .take_while(|i| i.join == Join::Pipe)
                .count();
            let skip = match items[start].join {
                Join::Always | Join::Pipe => false,
                Join::And => status != 0,
                Join::Or => status == 0,
            };
            if !skip {
                status = self
                    .run_pipeline(&items[start..start + len], out, err)
                    .await?;
            }
            start += len;
        }
        Ok(status)
    }

    /// Runs the stages one after another, each reading what the previous one wrote;
    /// the status is the last stage's, as in `sh`.
    async fn run_pipeline(&mut self, stages: &[Item], out: Dest, err: Dest) -> Result<u32, Stop> {
        let mut status = 0;
        let mut piped: Option<Vec<u8>> = None;
        for (index, stage) in stages.iter().enumerate() {
            let last = index + 1 == stages.len();
            if !last {
                self.io.open_pipe();
            }
            if let Some(input) = piped.take() {
                self.io.push_input(input);
            }
            let result = self
                .run_item(stage, if last { out } else { Dest::Pipe }, err)
                .await;
            if index > 0 {
                self.io.pop_input();
            }
            if !last {
                piped = Some(self.io.close_pipe());
            }
            status = result?;
        }
        Ok(status)
    }

    async fn run_item(&mut self, item: &Item, mut out: Dest, mut err: Dest) -> Result<u32, Stop> {
        for redirect in &item.redirects {
            let dest = match &redirect.target {
                Target::File(path) if path == "/dev/null" => Dest::Null,
                Target::Fd(1) => out,
                Target::Fd(2) => err,
                Target::File(path) => {
                    let msg = format!("sh: 1: cannot create {path}: Read-only file system\n");
                    self.io.write(err, msg.as_bytes()).await?;
                    return Ok(2);
                }
                Target::Fd(n) => {
                    self.io
                        .write(err, format!("sh: 1: {n}: Bad file descriptor\n").as_bytes())
                        .await?;
                    return Ok(2);
                }
            };
            match redirect.fd {
                1 => out = dest,
                2 => err = dest,
                _ => {}
            }
        }
        if item.words.is_empty() {
            return Ok(0);
        }
        self.run_argv(&item.words, out, err).await
    }

    /// Runs one command (program and arguments) with its streams going to `out`/`err`.
    pub(crate) fn run_argv<'b>(&'b mut self, argv: &'b [String], out: Dest, err: Dest) -> Flow<'b> {
        Box::pin(async move {
            let Some((program, args)) = argv.split_first() else {
                return Ok(0);
            };
            let name = program.rsplit('/').next().unwrap_or(program);
            match name {
                "sudo" => crate::sudo::run(self, args, out, err).await,
                // `env NAME=VALUE... CMD`: the simulator keeps no environment.
                "env" => {
                    let rest = args.iter().position(|a| !a.contains('='));
                    match rest {
                        Some(at) => self.run_argv(&args[at..], out, err).await,
                        None => Ok(0),
                    }
                }
                "sh" | "bash" | "dash" => self.run_sh(args, out, err).await,
                "sleep" => self.sleep(args, err).await,
                "cat" if args.is_empty() || args.iter().all(|a| a == "-") => {
                    let input = self.io.read_all().await?;
                    self.io.write(out, &input).await?;
                    Ok(0)
                }
                "redis-cli" => self.redis_cli(args, out, err).await,
                _ if crate::logcmds::claims(name, args) => {
                    crate::logcmds::run(self, name, args, out, err).await
                }
                "head" | "tail" | "grep" | "wc" => self.filter(name, args, out, err).await,
                "exit" => Err(Stop::Exit(
                    args.first().and_then(|a| a.parse().ok()).unwrap_or(0),
                )),
                _ => {
                    let output = self.run_simple(name, args);
                    self.emit(&output, out, err).await
                }
            }
        })
    }

    /// Commands that need no streaming: computed whole, then written.
    fn run_simple(&self, name: &str, args: &[String]) -> Output {
        let who = self.identity();
        match name {
            // `export NAME=VALUE`: the simulator keeps no environment.
            "true" | ":" | "export" => Output::default(),
            "false" => Output::fail(1, ""),
            "echo" => builtins::echo(args),
            "printf" => builtins::printf(args),
            "id" => builtins::id(args, who),
            "whoami" => Output::ok(format!("{}\n", who.name)),
            "cat" => builtins::cat_files(&self.env.world, args, self.root),
            "kubectl" if !self.root => Output::fail(1, crate::kubectl::REFUSED),
            "kubectl" => crate::kubectl::run(&self.env.world, args),
            _ => Output::fail(127, format!("sh: 1: {name}: not found\n")),
        }
    }

    fn identity(&self) -> Identity<'_> {
        if self.root {
            Identity {
                name: "root",
                uid: 0,
            }
        } else {
            Identity {
                name: &self.env.user.name,
                uid: self.env.uid,
            }
        }
    }

    async fn emit(&mut self, output: &Output, out: Dest, err: Dest) -> Result<u32, Stop> {
        self.io.write(out, &output.stdout).await?;
        self.io.write(err, &output.stderr).await?;
        Ok(output.code)
    }

    /// `head`, `tail`, `grep`, `wc` over files or stdin.
    async fn filter(
        &mut self,
        name: &str,
        args: &[String],
        out: Dest,
        err: Dest,
    ) -> Result<u32, Stop> {
        let call = match filters::parse(name, args) {
            Ok(call) => call,
            Err(refusal) => return self.emit(&refusal, out, err).await,
        };
        let mut inputs: Vec<(Option<&str>, Vec<u8>)> = Vec::new();
        let mut failed = Output::default();
        if call.files.is_empty() {
            inputs.push((None, self.io.read_all().await?));
        }
        for path in &call.files {
            match builtins::read_file(&self.env.world, path, self.root) {
                Ok(bytes) => inputs.push((Some(path.as_str()), bytes)),
                Err(reason) => {
                    let refusal = filters::open_error(&call, path, reason);
                    failed.stderr.extend_from_slice(&refusal.stderr);
                    failed.code = refusal.code;
                }
            }
        }
        let mut output = filters::run(&call, &inputs);
        failed.stderr.append(&mut output.stderr);
        output.stderr = failed.stderr;
        if failed.code != 0 {
            output.code = failed.code;
        }
        self.emit(&output, out, err).await
    }

    /// `redis-cli`: stdin is read only when no command is on the command line.
    async fn redis_cli(&mut self, args: &[String], out: Dest, err: Dest) -> Result<u32, Stop> {
        let stdin = if crate::redis_link::redis_cli_has_command(args) {
            Vec::new()
        } else {
            self.io.read_all().await?
        };
        let env = self.env;
        let output = crate::redis_link::redis_cli(&env.world, &env.redis, args, &stdin);
        self.emit(&output, out, err).await
    }

    /// `sh -c SCRIPT [NAME ARGS...]`, or `sh` reading its script from stdin.
    async fn run_sh(&mut self, args: &[String], out: Dest, err: Dest) -> Result<u32, Stop> {
        let script = match args.first().map(String::as_str) {
            Some("-c") => match args.get(1) {
                Some(script) => script.clone(),
                None => {
                    self.io
                        .write(err, b"sh: 0: -c requires an argument\n")
                        .await?;
                    return Ok(2);
                }
            },
            None => String::from_utf8_lossy(&self.io.read_all().await?).into_owned(),
            Some(file) => {
                let msg = format!("sh: 0: cannot open {file}: No such file\n");
                self.io.write(err, msg.as_bytes()).await?;
                return Ok(2);
            }
        };
        match self.run_script(&script, out, err).await {
            Err(Stop::Exit(code)) => Ok(code),
            other => other,
        }
    }

    /// `sleep N`: waits, unless the channel or connection closes first.
    async fn sleep(&mut self, args: &[String], err: Dest) -> Result<u32, Stop> {
        let seconds = args
            .first()
            .and_then(|a| a.parse::<f64>().ok())
            .filter(|s| s.is_finite() && *s >= 0.0);
        let Some(seconds) = seconds else {
            let arg = args.first().map_or("", String::as_str);
            let msg = format!(
                "sleep: invalid time interval '{arg}'\nTry 'sleep --help' for more information.\n"
            );
            self.io.write(err, msg.as_bytes()).await?;
            return Ok(1);
        };
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs_f64(seconds)) => Ok(0),
            _ = self.io.closed() => Err(Stop::Cancelled),
        }
    }
}
