//! `vmsdbg-sim`: the simulated VMS from the command line.
//!
//! Installed as `kubectl` (argv[0]), it is the CI's kubectl stand-in. Otherwise:
//! `world builtin [--variant N]`, `world generate --tenants N --seed S`,
//! `serve [--port P] [--world FILE]` and `kubectl ARGS...`.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use russh::keys::HashAlg;
use vmsdbg_sim::{Output, SimConfig, SimHost, SimUser, SudoPolicy, World, standin};

const USAGE: &str = "usage: vmsdbg-sim world builtin [--variant N]
       vmsdbg-sim world generate --tenants N [--seed S]
       vmsdbg-sim serve [--port P] [--world FILE]
       vmsdbg-sim kubectl ARGS...
       (as `kubectl`: the CI's kubectl stand-in)
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let program = args.first().map(|a| {
        Path::new(a)
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned()
    });
    if program.as_deref() == Some("kubectl") {
        return emit(standin::run_kubectl(&args[1..]));
    }
    let words: Vec<&str> = args.iter().skip(1).map(String::as_str).collect();
    if let ["kubectl", rest @ ..] = words.as_slice() {
        return emit(standin::run_kubectl(&to_owned(rest)));
    }
    if words.iter().any(|w| matches!(*w, "-h" | "--help" | "help")) {
        print!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let (run, rest, flags): (Subcommand, _, &[&str]) = match words.as_slice() {
        ["world", "builtin", rest @ ..] => (world_builtin, rest, &["--variant"]),
        ["world", "generate", rest @ ..] => (world_generate, rest, &["--tenants", "--seed"]),
        ["serve", rest @ ..] => (serve, rest, &["--port", "--world"]),
        _ => return usage_error(),
    };
    match unknown_word(rest, flags) {
        Some(word) => fail(&format!("unexpected '{word}' (vmsdbg-sim --help)")),
        None => run(rest),
    }
}

/// A subcommand's entry point, given the words after its name.
type Subcommand = fn(&[&str]) -> ExitCode;

/// The first word that is neither one of `flags` nor the value after one.
fn unknown_word<'a>(words: &[&'a str], flags: &[&str]) -> Option<&'a str> {
    let mut expect_value = false;
    for word in words {
        match expect_value {
            true => expect_value = false,
            false if flags.contains(word) => expect_value = true,
            false => return Some(word),
        }
    }
    None
}

fn to_owned(words: &[&str]) -> Vec<String> {
    words.iter().map(|w| w.to_string()).collect()
}

/// Writes an [`Output`] to our stdout and stderr and turns its status into ours.
fn emit(out: Output) -> ExitCode {
    let _ = std::io::stdout().write_all(&out.stdout);
    let _ = std::io::stderr().write_all(&out.stderr);
    ExitCode::from(u8::try_from(out.code).unwrap_or(1))
}

fn usage_error() -> ExitCode {
    eprint!("{USAGE}");
    ExitCode::from(2)
}

/// The value of `--name VALUE` in `words`, parsed; `Err` on a bad value.
fn flag<T: std::str::FromStr>(words: &[&str], name: &str) -> Result<Option<T>, String> {
    let Some(at) = words.iter().position(|w| *w == name) else {
        return Ok(None);
    };
    let value = words
        .get(at + 1)
        .ok_or_else(|| format!("{name} needs a value"))?;
    value
        .parse()
        .map(Some)
        .map_err(|_| format!("{name}: invalid value '{value}'"))
}

fn print_world(world: &World) -> ExitCode {
    println!("{}", world.to_json());
    ExitCode::SUCCESS
}

fn world_builtin(words: &[&str]) -> ExitCode {
    match flag::<u32>(words, "--variant") {
        Ok(variant) => {
            let now = vmsdbg_sim::clock::now_unix() / 3600 * 3600;
            print_world(&World::builtin_variant(variant.unwrap_or(0), now))
        }
        Err(msg) => fail(&msg),
    }
}

fn world_generate(words: &[&str]) -> ExitCode {
    let tenants = flag::<usize>(words, "--tenants");
    let seed = flag::<u64>(words, "--seed");
    match (tenants, seed) {
        (Ok(Some(tenants)), Ok(seed)) => print_world(&World::generate(tenants, seed.unwrap_or(1))),
        (Ok(None), _) => fail("world generate needs --tenants N"),
        (Err(msg), _) | (_, Err(msg)) => fail(&msg),
    }
}

/// `serve`: the SSH simulator in the foreground until Ctrl-C.
fn serve(words: &[&str]) -> ExitCode {
    let port = match flag::<u16>(words, "--port") {
        Ok(port) => port.unwrap_or(0),
        Err(msg) => return fail(&msg),
    };
    let mut config = SimConfig::demo();
    config.port = port;
    match flag::<String>(words, "--world") {
        Ok(Some(path)) => match World::load(Path::new(&path)) {
            Ok(world) => config.world = world,
            Err(err) => return fail(&err.to_string()),
        },
        Ok(None) => {}
        Err(msg) => return fail(&msg),
    }
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(err) => return fail(&format!("cannot start the async runtime: {err}")),
    };
    runtime.block_on(serve_until_interrupted(config))
}

async fn serve_until_interrupted(config: SimConfig) -> ExitCode {
    let users: Vec<String> = config.users.iter().map(describe_user).collect();
    let host = match SimHost::start(config).await {
        Ok(host) => host,
        Err(err) => return fail(&err.to_string()),
    };
    let fingerprint = host.public_key().fingerprint(HashAlg::Sha256);
    println!("vmsdbg-sim: simulated VMS on 127.0.0.1:{}", host.port());
    println!("host key: {fingerprint}");
    for user in users {
        println!("user: {user}");
    }
    println!("Ctrl-C stops it.");
    let _ = tokio::signal::ctrl_c().await;
    host.shutdown().await;
    ExitCode::SUCCESS
}

fn describe_user(user: &SimUser) -> String {
    let sudo = match user.sudo {
        SudoPolicy::None => "no sudo",
        SudoPolicy::Password => "sudo with password",
        SudoPolicy::NoPasswd => "sudo NOPASSWD",
    };
    let password = user.password.as_deref().unwrap_or("(none)");
    let tty = if user.requiretty { ", requiretty" } else { "" };
    format!("{} password {password} ({sudo}{tty})", user.name)
}

fn fail(msg: &str) -> ExitCode {
    eprintln!("vmsdbg-sim: {msg}");
    ExitCode::from(2)
}
