//! From parsed arguments to an exit status: pick the mode, build the app,
//! open the implicit session of `--host` / `--session`, and run.

use std::io::IsTerminal;
use std::time::Duration;

use crate::app::{App, Settings};
use crate::cli::{Cli, Command, Format, GlobalArgs, TopCommand};
use crate::error::{Error, Result, exit};
use crate::output::{Mode, Style};
use crate::session::OpenRequest;
use crate::store::{Paths, config::Config};

/// Logs go to stderr, coloured as `--color` says; `VMSDBG_LOG` wins, else
/// `-v` and `-vv` raise our crates only and `-vvv` adds the SSH library's.
pub fn init_logging(verbose: u8, color: crate::cli::ColorChoice) {
    let filter = match verbose {
        0 => "warn",
        1 => "warn,vmsdbg=info",
        2 => "warn,vmsdbg=debug",
        _ => "debug,vmsdbg=trace",
    };
    let filter = std::env::var("VMSDBG_LOG").unwrap_or_else(|_| filter.to_string());
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
        .with_writer(std::io::stderr)
        .with_ansi(log_colour(color))
        .without_time()
        .try_init();
}

fn log_colour(choice: crate::cli::ColorChoice) -> bool {
    use crate::cli::ColorChoice;
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => std::io::stderr().is_terminal() && !no_color,
    }
}

pub fn run(cli: Cli) -> i32 {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("vmsdbg: cannot start the async runtime: {e}");
            return exit::FAILED;
        }
    };
    match cli.command {
        #[cfg(feature = "demo")]
        Some(TopCommand::Demo(args)) => crate::demo::run(cli.global, args, &runtime),
        #[cfg(not(feature = "demo"))]
        Some(TopCommand::Demo(_)) => {
            eprintln!("vmsdbg: this build has no demo (built without the 'demo' feature)");
            exit::USAGE
        }
        Some(TopCommand::Shell(command)) => {
            let shown = std::env::args().skip(1).collect::<Vec<_>>().join(" ");
            one_shot(cli.global, command, &shown, &runtime)
        }
        None => shell(cli.global, &runtime),
    }
}

/// One line when the config file is unusable, before a command that may
/// need a profile from it.
pub fn warn_config(app: &App) {
    if let Some(problem) = &app.config_problem {
        eprintln!("warning: {problem}; its profiles are ignored until it is fixed");
    }
}

/// Report an error the way every mode does: one line on stderr, then the status.
pub fn fail(error: &Error) -> i32 {
    eprintln!("{}", error.shown());
    error.exit_code()
}

fn mode_for(global: &GlobalArgs) -> Mode {
    match global.script.is_some() || !std::io::stdin().is_terminal() {
        true => Mode::Script,
        false => Mode::Interactive,
    }
}

/// Build the app and open `--host` / `--session` if given.
pub fn build_app(
    global: &GlobalArgs,
    mode: Mode,
    runtime: &tokio::runtime::Runtime,
) -> Result<App> {
    let paths = Paths::from_env();
    // Only --session needs a profile now; everything else can run, and
    // `config check` shows the problem (the others warn: `warn_config`).
    let (config, config_problem) = match Config::load(&paths.config_file()) {
        Ok(config) => (config, None),
        Err(e) if global.session.is_some() => return Err(e.into()),
        Err(e) => (Config::default(), Some(e.to_string())),
    };
    let settings = Settings {
        format: global.output.format.unwrap_or(Format::Table),
        timeout: Duration::from_secs(global.timeout),
        color: global.color,
        idle_timeout: None,
    };
    let mut app = App {
        registry: Default::default(),
        style: Style::resolve(global.color, mode, global.quiet),
        settings,
        mode,
        quiet: global.quiet,
        paths,
        config,
        config_problem,
        connect_defaults: global.connect.clone(),
    };
    match runtime.block_on(open_implicit(&mut app, global)) {
        Ok(()) => Ok(app),
        // A session that connected but could not elevate stays usable: say why
        // and go on, as `session new` does.
        Err(e) if app.registry.active().is_ok() => {
            eprintln!("{}", e.shown());
            Ok(app)
        }
        Err(e) => Err(e),
    }
}

async fn open_implicit(app: &mut App, global: &GlobalArgs) -> Result<()> {
    let (name, target) = match (&global.host, &global.session) {
        (Some(host), _) => (implicit_name(host), Some(host.as_str())),
        (None, Some(name)) => (name.clone(), None),
        (None, None) => return Ok(()),
    };
    let profile = app.config.profiles.get(&name).cloned();
    if target.is_none() && profile.is_none() {
        return Err(Error::Usage(format!(
            "no profile '{name}' in {} (config check lists them)",
            app.paths.config_file().display()
        )));
    }
    let timeout = app.settings.timeout;
    let request = OpenRequest::resolve(
        target,
        profile.as_ref(),
        &global.connect,
        app.may_prompt(),
        timeout,
    )?;
    crate::cmd::session::open(app, name, request)
        .await
        .map(|_| ())
}

/// `admin@vms1.example.net:22` → `vms1`: short, and a valid session name.
fn implicit_name(host: &str) -> String {
    let host = host.rsplit('@').next().unwrap_or(host);
    let host = host.trim_start_matches('[');
    let first = host.split(['.', ':', ']']).next().unwrap_or("host");
    let name: String = first
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    if name.is_empty() || name.chars().all(|c| c.is_ascii_digit()) {
        "host".into()
    } else {
        name
    }
}

fn one_shot(
    global: GlobalArgs,
    command: Command,
    shown: &str,
    runtime: &tokio::runtime::Runtime,
) -> i32 {
    let mut app = match build_app(&global, Mode::OneShot, runtime) {
        Ok(app) => app,
        Err(e) => return fail(&e),
    };
    if !matches!(command, Command::Config(_)) {
        warn_config(&app);
    }
    let status = match runtime.block_on(app.run_parsed(command, shown)) {
        Ok(_) => exit::OK,
        Err(e) => fail(&e),
    };
    close_all(&mut app, runtime);
    status
}

fn shell(global: GlobalArgs, runtime: &tokio::runtime::Runtime) -> i32 {
    let mode = mode_for(&global);
    let mut app = match build_app(&global, mode, runtime) {
        Ok(app) => app,
        Err(e) => return fail(&e),
    };
    let status = run_shell(&mut app, &global, mode, runtime);
    close_all(&mut app, runtime);
    status
}

/// The REPL, or a script from `-f FILE` or stdin.
pub fn run_shell(
    app: &mut App,
    global: &GlobalArgs,
    mode: Mode,
    runtime: &tokio::runtime::Runtime,
) -> i32 {
    warn_config(app);
    let script = |name: String, input: Box<dyn std::io::BufRead>| crate::script::Script {
        name,
        input,
        keep_going: global.keep_going,
        echo: global.echo,
    };
    match (&global.script, mode) {
        (Some(path), _) => match std::fs::File::open(path) {
            Ok(file) => {
                let input = Box::new(std::io::BufReader::new(file));
                script(path.display().to_string(), input).run(app, runtime)
            }
            Err(e) => fail(&Error::failed(format!(
                "cannot read script {}: {e}",
                path.display()
            ))),
        },
        (None, Mode::Script) => {
            let input = Box::new(std::io::stdin().lock());
            script("<stdin>".to_string(), input).run(app, runtime)
        }
        (None, _) => crate::repl::run(app, runtime).unwrap_or_else(|e| fail(&e)),
    }
}

pub fn close_all(app: &mut App, runtime: &tokio::runtime::Runtime) {
    let sessions = app.registry.all();
    runtime.block_on(async {
        crate::session::finish_stops().await;
        for session in sessions {
            session.connection().close().await;
        }
    });
}

#[cfg(test)]
mod tests {
    use super::implicit_name;

    #[test]
    fn implicit_names() {
        assert_eq!(implicit_name("admin@vms1.example.net:22"), "vms1");
        assert_eq!(implicit_name("127.0.0.1:2222"), "host");
        assert_eq!(implicit_name("root@[::1]:22"), "host");
    }
}
