//! The REPL as an operator meets it, through a pseudo-terminal, on the
//! embedded demo (hermetic): Tab completion of each kind, hints, Ctrl-R,
//! help, multi-line input, history.

mod common;

use std::time::Duration;

use rexpect::session::PtySession;

fn demo() -> (common::Vmsdbg, PtySession) {
    let cmd = common::Vmsdbg::new().args(["demo"]);
    let mut command = cmd.command();
    command.env("TERM", "xterm");
    let mut p = rexpect::session::spawn_command(command, Some(15_000)).expect("spawn the demo");
    p.exp_string("demo> ").expect("the demo prompt");
    (cmd, p)
}

/// Type `text` (no Enter), then a Tab, then Enter; the effect shows the completion.
fn tab_enter(p: &mut PtySession, text: &str) {
    keys(p, text);
    keys(p, "\t");
    keys(p, "\r");
}

/// Wait for the prompt, then a moment: keys typed while the editor is still
/// switching the terminal to raw mode can be dropped by the terminal.
fn settle(p: &mut PtySession, prompt: &str) {
    p.exp_string(prompt).unwrap();
    std::thread::sleep(Duration::from_millis(250));
}

/// Send keys now (rexpect buffers `send` until a flush).
fn keys(p: &mut PtySession, text: &str) {
    p.send(text).unwrap();
    p.flush().unwrap();
    std::thread::sleep(Duration::from_millis(150));
}

#[test]
fn tab_completes_commands_tenants_sessions_and_values() {
    let (_cmd, mut p) = demo();
    p.send_line("tenant build").unwrap();
    p.exp_string("built ").unwrap();

    tab_enter(&mut p, "tenant us");
    // `tenant use` with no tenant: a usage error, and the prompt again.
    p.exp_string("required").unwrap();
    settle(&mut p, "demo> ");

    tab_enter(&mut p, "tenant use acm");
    settle(&mut p, "demo:acme> ");

    // Redis keys come from the last `redis keys`, never from a call while typing.
    p.send_line("redis keys -o plain").unwrap();
    p.exp_string("acme:cache:token").unwrap();
    settle(&mut p, "demo:acme> ");
    tab_enter(&mut p, "redis type acme:cache:to");
    p.exp_string("string").unwrap();
    settle(&mut p, "demo:acme> ");

    // ConfigMaps of the selected tenant, from the tenant database.
    tab_enter(&mut p, "cm show acme-con");
    p.exp_string("displayName").unwrap();
    settle(&mut p, "demo:acme> ");

    // Log files come from the last listing.
    p.send_line("logs scan -o plain").unwrap();
    // Wait for the output itself: the echoed line also contains the prompt text.
    p.exp_string("vms-admin.log\tvms-admin").unwrap();
    settle(&mut p, "demo:acme> ");
    std::thread::sleep(Duration::from_millis(300));
    tab_enter(&mut p, "logs tail vms-adm");
    p.exp_string("vms-admin: request").unwrap();
    settle(&mut p, "demo:acme> ");

    tab_enter(&mut p, "session use de");
    settle(&mut p, "demo:acme> ");

    keys(&mut p, "@de");
    keys(&mut p, "\t");
    tab_enter(&mut p, " tenant list -o jso");
    p.exp_string("\"unhealthy_pods\"").unwrap();
    settle(&mut p, "demo:acme> ");

    p.send_line("exit").unwrap();
    p.exp_eof().unwrap();
}

#[test]
fn hints_help_multiline_and_reverse_search() {
    let (cmd, mut p) = demo();
    // A usage hint for a fully typed command.
    keys(&mut p, "tenant show ");
    p.exp_string("[TENANT]").unwrap();
    p.send_control('u').unwrap();
    p.send_control('c').unwrap();
    settle(&mut p, "demo> ");
    // Typing ahead while the editor leaves and re-enters raw mode can be lost
    // by the terminal: give the new prompt its moment, as a person would.
    std::thread::sleep(Duration::from_millis(300));

    p.send_line("help tenant").unwrap();
    p.exp_string("Build and browse").unwrap();
    settle(&mut p, "demo> ");

    // A trailing backslash continues the line.
    p.send_line("tenant \\").unwrap();
    p.send_line("list -o plain").unwrap();
    p.exp_string("globex\t").unwrap();
    settle(&mut p, "demo> ");

    // Ctrl-R finds the earlier line; Enter runs it.
    p.send_line("set timeout 42").unwrap();
    settle(&mut p, "demo> ");
    p.send_control('r').unwrap();
    keys(&mut p, "tenant \\");
    p.send_control('c').unwrap();
    settle(&mut p, "demo> ");
    std::thread::sleep(Duration::from_millis(300));
    p.send_control('r').unwrap();
    keys(&mut p, "timeout 4");
    keys(&mut p, "\r");
    p.exp_string("42").unwrap();
    settle(&mut p, "demo> ");

    p.send_control('d').unwrap();
    p.exp_eof().unwrap();
    let history = std::fs::read_to_string(cmd.path("data/history")).unwrap();
    assert!(
        history.contains("tenant  list -o plain"),
        "continued lines are one entry: {history}"
    );
    assert_eq!(
        history.matches("set timeout 42").count(),
        1,
        "duplicates collapse: {history}"
    );
}

/// The exit status `vmsdbg demo` ended with, after its end of file.
fn exit_code(p: &mut PtySession) -> i32 {
    p.exp_eof().unwrap();
    match p.process.wait().unwrap() {
        rexpect::process::wait::WaitStatus::Exited(_, code) => code,
        other => panic!("the shell did not exit normally: {other:?}"),
    }
}

#[test]
fn leaving_after_a_failed_command_exits_0() {
    let (_cmd, mut p) = demo();
    p.send_line("tenant use nobody").unwrap();
    p.exp_string("nobody").unwrap();
    settle(&mut p, "demo> ");
    p.send_control('d').unwrap();
    assert_eq!(exit_code(&mut p), 0, "Ctrl-D after a failure");

    let (_cmd, mut p) = demo();
    p.send_line("tenant use nobody").unwrap();
    p.exp_string("nobody").unwrap();
    settle(&mut p, "demo> ");
    p.send_line("exit").unwrap();
    assert_eq!(exit_code(&mut p), 0, "exit after a failure");
}
#[test]
fn set_output_confirms_in_the_new_format() {
    let (_cmd, mut p) = demo();
    p.send_line("set output json").unwrap();
    p.exp_string("\"idle_timeout\"").unwrap();
    settle(&mut p, "demo> ");
    p.send_line("set output table").unwrap();
    // The table, not the JSON of the previous setting.
    let (before, _) = p.exp_regex("idle-timeout[ │|]+0").unwrap();
    assert!(!before.contains("\"output\""), "{before}");
    settle(&mut p, "demo> ");
    p.send_line("exit").unwrap();
    p.exp_eof().unwrap();
}
#[test]
fn demo_is_not_a_shell_command_even_in_help() {
    let (_cmd, mut p) = demo();
    p.send_line("help demo").unwrap();
    p.exp_string("no command 'demo'").unwrap();
    settle(&mut p, "demo> ");
    p.send_line("exit").unwrap();
    p.exp_eof().unwrap();
}
#[test]
fn tab_on_a_whole_word_adds_the_space() {
    let (_cmd, mut p) = demo();
    p.send_line("tenant build").unwrap();
    p.exp_string("built ").unwrap();
    settle(&mut p, "demo> ");
    // Without the space `ten<Tab>list` would read `tenantlist`.
    keys(&mut p, "ten\t");
    keys(&mut p, "list -o plai\t");
    keys(&mut p, "\r");
    p.exp_string("globex\t").unwrap();
    settle(&mut p, "demo> ");
    p.send_line("exit").unwrap();
    p.exp_eof().unwrap();
}
#[test]
fn pasted_lines_run_one_by_one_and_enter_history_one_by_one() {
    let (cmd, mut p) = demo();
    // A bracketed paste: several lines, a continued one, a comment, a failing
    // line in the middle, a secret one; the terminal keeps the newlines in the
    // buffer.
    let pasted = concat!(
        "tenant build\n# a comment\ntenant use nobody\n",
        "exec PASSWORD=hunter2 true\ntenant \\\nlist -o plain\n",
    );
    keys(&mut p, &format!("\x1b[200~{pasted}\x1b[201~"));
    keys(&mut p, "\r");
    p.exp_string("built ").unwrap();
    p.exp_string("nobody").unwrap();
    p.exp_string("globex\t").unwrap();
    settle(&mut p, "demo> ");
    p.send_control('d').unwrap();
    p.exp_eof().unwrap();

    let history = std::fs::read_to_string(cmd.path("data/history")).unwrap();
    let entries: Vec<&str> = history.lines().filter(|l| !l.starts_with("#V")).collect();
    assert_eq!(
        entries,
        ["tenant build", "tenant use nobody", "tenant  list -o plain"],
        "one entry per pasted line, comments and secrets left out"
    );
}

#[test]
fn ctrl_c_stops_the_rest_of_a_paste() {
    let (cmd, mut p) = demo();
    keys(
        &mut p,
        "\x1b[200~exec sleep 30\nexec echo after-the-paste\n\x1b[201~",
    );
    keys(&mut p, "\r");
    std::thread::sleep(Duration::from_millis(800));
    p.send_control('c').unwrap();
    p.exp_string("interrupted").unwrap();
    settle(&mut p, "demo> ");
    p.send_line("exec echo still-here").unwrap();
    let (before, _) = p.exp_regex("\r\nstill-here").unwrap();
    assert!(!before.contains("\nafter-the-paste"), "{before}");
    settle(&mut p, "demo> ");
    p.send_control('d').unwrap();
    p.exp_eof().unwrap();
    let history = std::fs::read_to_string(cmd.path("data/history")).unwrap();
    assert!(
        !history.contains("after-the-paste"),
        "a line that never ran is not history: {history}"
    );
}
