//! Profiles from config.toml, aliases from ~/.ssh/config, `config path|check`,
//! and script options, against the simulated VMS.

mod common;
mod sim_support;

use sim_support::{PASSWORD_VAR, Sim, listed, tenants_of};
use vmsdbg_sim::World;

#[test]
fn session_new_with_a_profile_name_uses_the_profile() {
    let sim = Sim::demo();
    let cmd = sim.vmsdbg();
    std::fs::create_dir_all(cmd.path("config")).unwrap();
    let profile = format!(
        "[profiles.vms1]\nhost = \"127.0.0.1\"\nuser = \"admin\"\nport = {}\npassword_env = \"{PASSWORD_VAR}\"\n",
        sim.port()
    );
    std::fs::write(cmd.path("config/config.toml"), profile).unwrap();

    let run = cmd
        .stdin("session new vms1\ntenant list -o json\n")
        .run()
        .ok();
    let out = run.stdout();
    let json: serde_json::Value = serde_json::from_str(&out[out.find('[').unwrap()..]).unwrap();
    assert_eq!(listed(&json), tenants_of(&World::builtin()));
    assert!(
        out.starts_with("vms1: connected to admin@127.0.0.1:"),
        "{out}"
    );
}

#[test]
fn one_shot_session_flag_opens_a_profile() {
    let sim = Sim::demo();
    let cmd = sim.vmsdbg();
    std::fs::create_dir_all(cmd.path("config")).unwrap();
    let profile = format!(
        "[profiles.lab]\nhost = \"ops@127.0.0.1:{}\"\npassword_env = \"{PASSWORD_VAR}\"\nsudo = \"nopasswd\"\n",
        sim.port()
    );
    std::fs::write(cmd.path("config/config.toml"), profile).unwrap();
    let run = cmd
        .args(["--session", "lab", "session", "info", "-o", "json"])
        .run()
        .ok();
    assert_eq!(run.json()["elevation"], "root (sudo, no password)");
    assert_eq!(run.json()["name"], "lab");
}

#[test]
fn ssh_config_alias_gives_host_port_and_user() {
    let sim = Sim::demo();
    let cmd = sim.vmsdbg();
    let ssh_config = cmd.path("ssh_config");
    let text = format!(
        "Host labvms\n  HostName 127.0.0.1\n  Port {}\n  User ops\n",
        sim.port()
    );
    std::fs::write(&ssh_config, text).unwrap();
    let run = cmd
        .env("VMSDBG_SSH_CONFIG", ssh_config.to_str().unwrap())
        .args([
            "--host",
            "labvms",
            "--password-env",
            PASSWORD_VAR,
            "session",
            "info",
            "-o",
            "json",
        ])
        .run()
        .ok();
    assert_eq!(
        run.json()["target"],
        format!("ops@127.0.0.1:{}", sim.port())
    );
}

#[test]
fn config_check_names_the_bad_key_and_path_prints_the_file() {
    let cmd = common::Vmsdbg::new();
    std::fs::create_dir_all(cmd.path("config")).unwrap();
    std::fs::write(
        cmd.path("config/config.toml"),
        "[profiles.a]\nhots = \"x\"\n",
    )
    .unwrap();
    let with = |args: &[&str]| common::Run(cmd.command().args(args).output().unwrap());
    let run = with(&["config", "check"]).code_is(1);
    assert!(run.stderr().contains("hots"), "{}", run.stderr());

    assert_eq!(run.stderr().matches("hots").count(), 1, "said once");

    // A broken file stops only what needs a profile from it.
    let expected = cmd.path("config/config.toml");
    let run = with(&["config", "path"]).ok();
    assert_eq!(run.stdout().trim(), expected.to_str().unwrap());
    let run = with(&["history"]).ok();
    let warning = run.stderr();
    assert!(warning.starts_with("warning: config file"), "{warning}");
    assert!(
        warning.contains("line 2: unknown field `hots`"),
        "{warning}"
    );
    let run = with(&["--session", "a", "status"]).code_is(1);
    assert!(run.stderr().contains("hots"), "{}", run.stderr());
}

#[test]
fn echo_keep_going_and_continued_lines_in_scripts() {
    let sim = Sim::demo();
    let cmd = sim.oneshot("admin");
    let file = cmd.path("script.vms");
    let script =
        "# a comment\ntenant use nobody\ntenant \\\n  list \\\n  -o plain\nkubectl get nonsense\n";
    std::fs::write(&file, script).unwrap();
    let run = cmd
        .args(["--echo", "--keep-going", "-f", file.to_str().unwrap()])
        .run();
    let err = run.stderr();
    assert!(err.contains("+ tenant use nobody"), "{err}");
    assert!(err.contains(&format!("{}:2: ", file.display())), "{err}");
    assert!(
        err.contains(&format!("{}:6: ", file.display())),
        "the line number of a failing line: {err}"
    );
    assert!(err.contains("2 line(s) failed"), "{err}");
    assert!(run.stdout().contains("acme\t"), "{}", run.stdout());
    // The status is the last failure's: kubectl's own exit status.
    assert_ne!(run.code(), 0);
}

#[test]
fn at_name_output_is_labelled_in_tables_only() {
    let sim = Sim::demo();
    let script = sim.session_new("a", "admin")
        + &sim.session_new("b", "ops")
        + "@a exec echo from-a\n@a tenant list -o json\n";
    let run = sim.vmsdbg().args(["-q"]).stdin(&script).run().ok();
    let out = run.stdout();
    assert!(out.contains("==> a <==\nfrom-a\n"), "{out}");
    assert_eq!(
        out.matches("==> a <==").count(),
        1,
        "-o json output is not labelled: {out}"
    );
}

#[test]
fn a_failing_continued_command_reports_its_first_line() {
    let sim = Sim::demo();
    let cmd = sim.oneshot("admin");
    let file = cmd.path("continued.vms");
    std::fs::write(
        &file,
        "# header\n\ntenant \\\n  use \\\n  nobody\ntenant list\n",
    )
    .unwrap();
    let run = cmd.args(["-f", file.to_str().unwrap()]).run().code_is(1);
    let err = run.stderr();
    assert!(err.contains(&format!("{}:3: ", file.display())), "{err}");
    assert!(err.contains("no tenant 'nobody'"), "{err}");
}

#[test]
fn an_unknown_profile_is_a_usage_error() {
    let run = common::Vmsdbg::new().args(["--session", "nope", "status"]);
    let run = run.run().code_is(2);
    assert!(
        run.stderr().contains("no profile 'nope'"),
        "{}",
        run.stderr()
    );
    let run = common::Vmsdbg::new()
        .stdin("session new nope\n")
        .run()
        .code_is(2);
    assert!(
        run.stderr().starts_with("<stdin>:1: no host given"),
        "{}",
        run.stderr()
    );
}
