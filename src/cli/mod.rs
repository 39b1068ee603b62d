//! The one command grammar, shared by one-shot argv, REPL lines and script lines.
//!
//! [`Cli`] parses the process arguments: global options plus an optional command.
//! [`Line`] parses one REPL or script line with the same [`Command`] enum, so help
//! text, errors and completion come from one definition. Lines are split into words
//! like a POSIX shell does (see [`split`]).

pub mod split;

use std::path::PathBuf;

use clap::builder::TypedValueParser;
use clap::{Args, Parser, Subcommand, ValueEnum};

pub use split::{LineError, split_line};

/// Process arguments: `vmsdbg [OPTIONS] [COMMAND]`.
#[derive(Debug, Parser)]
#[command(
    name = "vmsdbg",
    version,
    about = "A shell for debugging VMS servers over SSH",
    long_about = "A shell for debugging VMS servers over SSH: named sessions, elevation, \
                  tenants, Redis, ConfigMaps and logs.\n\n\
                  With no command on a terminal it opens the REPL; with stdin from a file \
                  or pipe (or -f FILE) it runs a script, one command a line.",
    disable_help_subcommand = true
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Option<TopCommand>,
}

impl Cli {
    /// `--color` as given before the command, or after `demo`.
    pub fn color(&self) -> ColorChoice {
        match &self.command {
            #[cfg(feature = "demo")]
            Some(TopCommand::Demo(args)) => args.color.unwrap_or(self.global.color),
            _ => self.global.color,
        }
    }
}

/// Options that apply to the whole run.
#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// Open an implicit session to USER@HOST[:PORT] for this run
    #[arg(long, value_name = "USER@HOST[:PORT]")]
    pub host: Option<String>,

    /// Open the session named NAME from the config file's profiles
    #[arg(long, value_name = "NAME", conflicts_with = "host")]
    pub session: Option<String>,

    #[command(flatten)]
    pub connect: ConnectArgs,

    #[command(flatten)]
    pub output: OutputArgs,

    /// No progress bars or informational messages
    #[arg(short, long, global = true)]
    pub quiet: bool,

    /// More diagnostics on stderr (-v info, -vv debug, -vvv trace)
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,

    /// Run the commands in FILE, one a line, then exit
    #[arg(short = 'f', long = "file", value_name = "FILE")]
    pub script: Option<PathBuf>,

    /// In a script, go on after a failing line
    #[arg(long)]
    pub keep_going: bool,

    /// In a script, print each command (to stderr, `+ COMMAND`) before its output
    #[arg(long)]
    pub echo: bool,

    /// Seconds a remote command may go without sending anything (0: no limit)
    #[arg(long, value_name = "SECS", default_value_t = 30)]
    pub timeout: u64,

    /// When to use colour
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// How to reach and elevate on a host; shared by `--host` and `session new`.
#[derive(Debug, Clone, Default, Args)]
pub struct ConnectArgs {
    /// Identity (private key) file
    #[arg(short = 'i', long = "identity", value_name = "KEYFILE")]
    pub identity: Option<PathBuf>,

    /// Read the SSH password from environment variable VAR
    #[arg(long, value_name = "VAR")]
    pub password_env: Option<String>,

    /// Read the SSH password from FILE (mode 0600)
    #[arg(long, value_name = "FILE")]
    pub password_file: Option<PathBuf>,

    /// Read the sudo password from environment variable VAR (default: the SSH password)
    #[arg(long, value_name = "VAR")]
    pub sudo_password_env: Option<String>,

    /// Read the sudo password from FILE (mode 0600)
    #[arg(long, value_name = "FILE")]
    pub sudo_password_file: Option<PathBuf>,

    /// Read the tenants' Redis password (AUTH) from environment variable VAR
    #[arg(long, value_name = "VAR")]
    pub redis_password_env: Option<String>,

    /// How to become root
    #[arg(long, value_enum, value_name = "MODE")]
    pub sudo: Option<SudoMode>,

    /// Trust and record a host key not yet in known_hosts
    #[arg(long)]
    pub accept_new_host_key: bool,

    /// Most channels open at once on one connection (OpenSSH's MaxSessions is 10)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256).map(usize::from))]
    pub max_channels: Option<usize>,

    /// Seconds between SSH keepalives; three unanswered mark the session lost
    #[arg(long, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub keepalive: Option<u64>,
}

#[derive(Debug, Clone, Default, Args)]
pub struct OutputArgs {
    /// Output format
    #[arg(
        short = 'o',
        long = "output",
        value_enum,
        value_name = "FORMAT",
        global = true
    )]
    pub format: Option<Format>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
    Plain,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SudoMode {
    /// Root needs nothing; otherwise ask sudo whether a password is needed
    #[default]
    Auto,
    /// sudo always asks for a password
    Password,
    /// sudo never asks (NOPASSWD)
    Nopasswd,
    /// Do not elevate
    None,
}

/// Commands only the process arguments know.
#[derive(Debug, Subcommand)]
pub enum TopCommand {
    /// Start the embedded simulated VMS and open the shell on it
    Demo(DemoArgs),

    #[command(flatten)]
    Shell(Command),
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Load the simulated world from FILE (JSON, see docs/world-format.md)
    #[arg(long, value_name = "FILE")]
    pub world: Option<PathBuf>,

    /// Run the commands in FILE on the demo session, then exit
    #[arg(short = 'f', long = "file", value_name = "FILE")]
    pub script: Option<PathBuf>,

    /// In a script, go on after a failing line
    #[arg(long)]
    pub keep_going: bool,

    /// In a script, print each command (to stderr, `+ COMMAND`) before its output
    #[arg(long)]
    pub echo: bool,

    /// Seconds a remote command may go without sending anything (0: no limit)
    #[arg(long, value_name = "SECS")]
    pub timeout: Option<u64>,

    /// When to use colour
    #[arg(long, value_enum)]
    pub color: Option<ColorChoice>,

    /// A command to run on the demo session instead of opening the shell
    #[arg(
        trailing_var_arg = true,
        allow_hyphen_values = true,
        value_name = "COMMAND"
    )]
    pub command: Vec<String>,
}

/// One REPL or script line.
#[derive(Debug, Parser)]
#[command(
    name = "vmsdbg",
    no_binary_name = true,
    disable_help_subcommand = true,
    disable_version_flag = true
)]
pub struct Line {
    #[command(flatten)]
    pub output: OutputArgs,

    /// With @all: one block per session even when outputs are identical
    #[arg(long, global = true)]
    pub no_gather: bool,

    #[command(subcommand)]
    pub command: Command,
}

/// Everything that runs against the registry of sessions.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open, switch, inspect and close named SSH sessions
    #[command(subcommand)]
    Session(SessionCmd),

    /// Build and browse the active session's tenant database
    #[command(subcommand)]
    Tenant(TenantCmd),

    /// Read a tenant's Redis: keys, values, server facts (read-only)
    #[command(subcommand)]
    Redis(RedisCmd),

    /// A tenant's ConfigMaps: list, show, export
    #[command(subcommand)]
    Cm(CmCmd),

    /// VMS application logs under the session's log root (root-only files)
    #[command(subcommand)]
    Logs(LogsCmd),

    /// Cluster counts and unhealthy pods
    Status,

    /// Run kubectl as root on the host (passthrough)
    #[command(visible_alias = "k")]
    Kubectl {
        #[arg(
            trailing_var_arg = true,
            allow_hyphen_values = true,
            value_name = "ARGS"
        )]
        args: Vec<String>,
    },

    /// Run a shell command as root on the host, output streamed
    Exec {
        /// The command for the remote shell; in the shell it is sent exactly as typed,
        /// from a one-shot command line its words are joined with spaces (as ssh does)
        #[arg(
            trailing_var_arg = true,
            allow_hyphen_values = true,
            required = true,
            value_name = "SHELL-COMMAND"
        )]
        command: Vec<String>,
    },

    /// Show the config file's path, or check it
    #[command(subcommand)]
    Config(ConfigCmd),

    /// Print a shell completion script (bash, zsh, fish, elvish, powershell)
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },

    /// Show help for the shell or one command
    Help {
        #[arg(value_name = "COMMAND")]
        command: Vec<String>,
    },

    /// Show or change a shell setting (output, timeout, color, idle-timeout)
    Set {
        key: Option<SettingKey>,
        value: Option<String>,
    },

    /// Show the command history
    History {
        /// Show the last N entries
        count: Option<usize>,
    },

    /// Leave the shell
    #[command(visible_alias = "quit")]
    Exit,
}

#[derive(Debug, Subcommand)]
pub enum ConfigCmd {
    /// Where the config file is (it need not exist)
    Path,
    /// Parse the config file and report problems
    Check,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SettingKey {
    Output,
    Timeout,
    Color,
    /// Close sessions idle for this many seconds (0: never)
    IdleTimeout,
}

// Parsed once per line, so `New` carrying every connection flag costs nothing worth boxing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum SessionCmd {
    /// Open a session: session new NAME [USER@]HOST[:PORT]
    New(SessionNew),
    /// Make NAME the active session
    Use { name: String },
    /// List open sessions
    List,
    /// Details of one session (default: the active one)
    Info { name: Option<String> },
    /// Close a session, or all of them
    Close {
        #[arg(required_unless_present = "all")]
        name: Option<String>,
        #[arg(long, conflicts_with = "name")]
        all: bool,
    },
    /// Reconnect a session whose connection was lost
    Reconnect { name: Option<String> },
    /// Try to become root again (asks for the sudo password on a terminal)
    Elevate { name: Option<String> },
}

#[derive(Debug, Args)]
pub struct SessionNew {
    /// Session name (letters, digits, '-', '_', '.')
    pub name: String,

    /// Where to connect; omitted: the profile NAME from the config file
    #[arg(value_name = "[USER@]HOST[:PORT]")]
    pub target: Option<String>,

    #[command(flatten)]
    pub connect: ConnectArgs,
}

#[derive(Debug, Subcommand)]
pub enum TenantCmd {
    /// Fetch services, ConfigMaps and pods and build the tenant database
    Build,
    /// List tenants
    List,
    /// Show one tenant (default: the selected one)
    Show { tenant: Option<String> },
    /// Select a tenant for later commands
    Use { tenant: String },
    /// Compare two sessions' tenant databases, or this session's last two builds
    Diff {
        /// First session (default: the active one)
        #[arg(required_unless_present = "previous")]
        a: Option<String>,
        /// Second session
        #[arg(required_unless_present = "previous")]
        b: Option<String>,
        /// Compare the active session's last two builds of its host
        #[arg(long, conflicts_with_all = ["a", "b"])]
        previous: bool,
    },
    /// Write the tenant database as JSON to FILE (default: stdout)
    Export {
        file: Option<PathBuf>,
        /// Overwrite FILE if it exists
        #[arg(long)]
        force: bool,
    },
}

/// `redis ...`: every subcommand reads the selected tenant's Redis, or `-t TENANT`'s.
///
/// KEY and PATTERN arguments are taken as typed, except that an argument wrapped in
/// double quotes is read in redis-cli's quoted form (`"line\nbreak\xff"`), the form in
/// which `redis keys` shows keys that are not plain text. In the shell, protect such an
/// argument with single quotes: `redis get '"raw\x00\xff"'`.
#[derive(Debug, Subcommand)]
pub enum RedisCmd {
    /// List keys matching PATTERN (a Redis glob, default *), sorted; uses SCAN, never KEYS
    Keys(RedisKeys),
    /// Show the value of KEY, read according to its type
    Get(RedisGet),
    /// Show the type of KEY
    Type(RedisKey),
    /// Show the seconds KEY has left to live (-1: no expiry)
    Ttl(RedisKey),
    /// Check that the tenant's Redis answers, and by which path
    Ping(RedisOn),
    /// Show the server's INFO report, or one SECTION of it
    Info(RedisInfo),
    /// Count the keys
    Dbsize(RedisOn),
}

impl RedisCmd {
    /// The tenant option every subcommand carries.
    pub fn on(&self) -> &RedisOn {
        match self {
            RedisCmd::Keys(a) => &a.on,
            RedisCmd::Get(a) => &a.on,
            RedisCmd::Type(a) | RedisCmd::Ttl(a) => &a.on,
            RedisCmd::Ping(on) | RedisCmd::Dbsize(on) => on,
            RedisCmd::Info(a) => &a.on,
        }
    }
}

#[derive(Debug, Clone, Default, Args)]
pub struct RedisOn {
    /// Tenant whose Redis to read (default: the selected tenant)
    #[arg(short = 't', long = "tenant", value_name = "TENANT")]
    pub tenant: Option<String>,
}

#[derive(Debug, Args)]
pub struct RedisKeys {
    /// Redis glob (*, ?, [abc], \x); one in double quotes is read in redis-cli's quoted
    /// form ("\xff...")
    pub pattern: Option<String>,
    /// Stop after N keys
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub count: Option<u64>,
    /// Only keys of this type
    #[arg(long = "type", value_enum, value_name = "T")]
    pub kind: Option<RedisType>,
    #[command(flatten)]
    pub on: RedisOn,
}

#[derive(Debug, Args)]
pub struct RedisGet {
    /// The key; one in double quotes is read in redis-cli's quoted form ('"a\nb\xff"'),
    /// as redis keys shows it; put -- before a key that starts with '-'
    pub key: String,
    /// At most N items of a hash, list, set, sorted set or stream (0: all)
    #[arg(long, value_name = "N", default_value_t = 10_000)]
    pub limit: u64,
    /// At most BYTES of a string (0: all)
    #[arg(long, value_name = "BYTES", default_value_t = 16 << 20)]
    pub max_bytes: u64,
    #[command(flatten)]
    pub on: RedisOn,
}

#[derive(Debug, Args)]
pub struct RedisKey {
    /// The key; one in double quotes is read in redis-cli's quoted form ('"a\nb\xff"'),
    /// as redis keys shows it; put -- before a key that starts with '-'
    pub key: String,
    #[command(flatten)]
    pub on: RedisOn,
}

#[derive(Debug, Args)]
pub struct RedisInfo {
    /// One section (server, clients, memory, keyspace, ...)
    pub section: Option<String>,
    #[command(flatten)]
    pub on: RedisOn,
}

/// Key types `redis keys --type` filters on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RedisType {
    String,
    Hash,
    List,
    Set,
    Zset,
    Stream,
}

impl RedisType {
    /// The name Redis uses.
    pub fn name(self) -> &'static str {
        match self {
            RedisType::String => "string",
            RedisType::Hash => "hash",
            RedisType::List => "list",
            RedisType::Set => "set",
            RedisType::Zset => "zset",
            RedisType::Stream => "stream",
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum CmCmd {
    /// List ConfigMaps: name, data keys, age (from the tenant database)
    List(CmList),
    /// Show one ConfigMap: its `config` JSON pretty-printed, or its data key by key
    Show(CmShow),
    /// Write ConfigMaps as JSON (kubectl's document) to FILE (default: stdout)
    Export(CmExport),
}

#[derive(Debug, Args)]
pub struct CmList {
    /// Tenant (default: the selected one, else every tenant)
    #[arg(short = 't', long = "tenant", value_name = "T")]
    pub tenant: Option<String>,
    /// Every tenant
    #[arg(long, conflicts_with = "tenant")]
    pub all: bool,
    /// Fetch the ConfigMaps again before listing
    #[arg(long)]
    pub refresh: bool,
}

#[derive(Debug, Args)]
pub struct CmShow {
    /// ConfigMap name
    pub name: String,
    /// Tenant (namespace; default: the selected one)
    #[arg(short = 't', long = "tenant", value_name = "T")]
    pub tenant: Option<String>,
    /// What kubectl describe prints
    #[arg(long, conflicts_with_all = ["pretty", "key"])]
    pub raw: bool,
    /// The `config` key as pretty-printed JSON (the default)
    #[arg(long, conflicts_with = "key")]
    pub pretty: bool,
    /// Only the data key K, exactly as stored
    #[arg(long, value_name = "K")]
    pub key: Option<String>,
}

#[derive(Debug, Args)]
pub struct CmExport {
    /// Where to write (default: stdout)
    pub file: Option<PathBuf>,
    /// Tenant (default: the selected one, else every namespace)
    #[arg(short = 't', long = "tenant", value_name = "T")]
    pub tenant: Option<String>,
    /// Every namespace
    #[arg(long, conflicts_with = "tenant")]
    pub all: bool,
    /// Overwrite FILE if it exists
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Subcommand)]
pub enum LogsCmd {
    /// List the log files: apps/**/*.log* (no .gz) and vms-admin.log
    Scan,
    /// The last lines of a log file
    Tail(LogsTail),
    /// Search log files (fixed string; --regex for extended regex)
    Grep(LogsGrep),
    /// Stream new lines of a log file until Ctrl-C (follows rotation)
    Follow(LogsFollow),
    /// Size, lines, error and warning counts, time span, errors per hour
    Stats(LogsStats),
}

#[derive(Debug, Args)]
pub struct LogsTail {
    /// A path, or a unique suffix of a scanned file (vms-admin.log)
    pub file: String,
    /// How many lines
    #[arg(short = 'n', long = "lines", value_name = "N", default_value_t = 250)]
    pub lines: u64,
    /// Only the lines (of those N) that contain "error", any case
    #[arg(long, conflicts_with = "pretty")]
    pub errors: bool,
    /// Every line, error lines set apart (colour, or a `!` column when piped)
    #[arg(long)]
    pub pretty: bool,
}

#[derive(Debug, Args)]
pub struct LogsGrep {
    /// What to look for: a fixed string, or an extended regex with --regex
    #[arg(allow_hyphen_values = true)]
    pub pattern: String,
    /// Files (paths or unique suffixes); none with --all
    #[arg(value_name = "FILE", required_unless_present = "all")]
    pub files: Vec<String>,
    /// Every scanned log file
    #[arg(long, conflicts_with = "files")]
    pub all: bool,
    /// Ignore case
    #[arg(short = 'i', long)]
    pub ignore_case: bool,
    /// Count matching lines per file instead of showing them
    #[arg(short = 'c', long)]
    pub count: bool,
    /// At most N matches per file
    #[arg(short = 'n', long = "max", value_name = "N")]
    pub max: Option<u64>,
    /// PATTERN is an extended regular expression (grep -E)
    #[arg(long)]
    pub regex: bool,
}

#[derive(Debug, Args)]
pub struct LogsFollow {
    /// A path, or a unique suffix of a scanned file
    pub file: String,
    /// Lines of context shown before new ones
    #[arg(short = 'n', long = "lines", value_name = "N", default_value_t = 10)]
    pub lines: u64,
    /// Only lines that contain "error", any case
    #[arg(long)]
    pub errors: bool,
}

#[derive(Debug, Args)]
pub struct LogsStats {
    /// A path, or a unique suffix of a scanned file
    pub file: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn grammar_is_consistent() {
        Cli::command().debug_assert();
        Line::command().debug_assert();
    }

    #[test]
    fn connection_numbers_are_bounded() {
        let parse = |flag: &str, value: &str| {
            Cli::try_parse_from(["vmsdbg", flag, value, "--host", "h", "status"]).map(|_| ())
        };
        assert!(parse("--keepalive", "86400").is_ok());
        assert!(parse("--keepalive", "99999999999").is_err());
        assert!(parse("--keepalive", "0").is_err());
        assert!(parse("--max-channels", "8").is_ok());
        assert!(parse("--max-channels", "0").is_err());
    }

    fn line(words: &[&str]) -> Line {
        Line::try_parse_from(words).expect("parses")
    }

    #[test]
    fn output_flag_anywhere_on_a_line() {
        let parsed = line(&["tenant", "list", "-o", "json"]);
        assert_eq!(parsed.output.format, Some(Format::Json));
        assert!(matches!(parsed.command, Command::Tenant(TenantCmd::List)));
    }

    #[test]
    fn kubectl_passes_flags_through() {
        let parsed = line(&["k", "get", "pods", "-n", "acme", "-o", "wide"]);
        let Command::Kubectl { args } = parsed.command else {
            panic!("not kubectl")
        };
        assert_eq!(args, ["get", "pods", "-n", "acme", "-o", "wide"]);
    }

    #[test]
    fn one_shot_shares_the_commands() {
        let cli = Cli::try_parse_from(["vmsdbg", "--host", "a@b", "tenant", "list"]).unwrap();
        assert!(matches!(
            cli.command,
            Some(TopCommand::Shell(Command::Tenant(_)))
        ));
        assert_eq!(cli.global.host.as_deref(), Some("a@b"));
    }

    #[test]
    fn close_needs_a_name_or_all() {
        assert!(Line::try_parse_from(["session", "close"]).is_err());
        assert!(Line::try_parse_from(["session", "close", "--all"]).is_ok());
    }

    #[test]
    fn logs_grep_takes_grep_style_flags() {
        let parsed = line(&["logs", "grep", "-i", "-c", "error", "api.log", "-n", "5"]);
        let Command::Logs(LogsCmd::Grep(grep)) = parsed.command else {
            panic!("not logs grep")
        };
        assert!(grep.ignore_case && grep.count && !grep.regex);
        assert_eq!(grep.pattern, "error");
        assert_eq!(grep.files, ["api.log"]);
        assert_eq!(grep.max, Some(5));
        assert!(Line::try_parse_from(["logs", "grep", "x"]).is_err());
        assert!(Line::try_parse_from(["logs", "grep", "x", "--all", "a.log"]).is_err());
        assert!(Line::try_parse_from(["logs", "tail", "a", "--errors", "--pretty"]).is_err());
        assert!(Line::try_parse_from(["cm", "show", "x", "--raw", "--key", "k"]).is_err());
    }
}
