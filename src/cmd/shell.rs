//! `help`, `set` and `history`: the shell itself.

use clap::CommandFactory;
use serde_json::json;

use crate::app::App;
use crate::cli::{ColorChoice, Format, Line, SettingKey};
use crate::error::{Error, Result};
use crate::output::{Report, Style, Table};

/// `help` lists the command families; `help CMD...` prints that command's clap
/// help, the same text as `CMD --help` and one-shot `vmsdbg CMD --help`.
pub fn help(path: &[String]) -> Result<Report> {
    let command = Line::command();
    if path.is_empty() {
        let mut table = Table::new(&["COMMAND", "WHAT IT DOES"]);
        let mut json = Vec::new();
        for sub in command.get_subcommands() {
            let about = sub.get_about().map(|a| a.to_string()).unwrap_or_default();
            table.row(vec![sub.get_name().to_string(), about.clone()]);
            json.push(json!({ "command": sub.get_name(), "about": about }));
        }
        let note = "help COMMAND (or COMMAND --help) shows one command in full; @NAME COMMAND runs it on another session";
        return Ok(Report::table(table, json.into()).note(note));
    }
    let text = help_text(path).ok_or_else(|| {
        Error::Usage(format!("no command '{}' (help lists them)", path.join(" ")))
    })?;
    Ok(Report::text(text.clone(), json!({ "help": text })))
}

/// The long help of the command at `path`, rendered from the process grammar
/// so `help CMD`, `CMD --help` in the shell and `vmsdbg CMD --help` print the
/// same text. Only commands of the line grammar have help here: `demo` is a
/// way to start the process (`vmsdbg demo`), not something a line can run.
pub fn help_text(path: &[String]) -> Option<String> {
    let line = Line::command();
    path.iter()
        .try_fold(&line, |command, word| command.find_subcommand(word))?;

    let mut command = crate::cli::Cli::command();
    command.build();
    let mut current = &mut command;
    for word in path {
        current = current.find_subcommand_mut(word)?;
    }
    Some(current.render_long_help().to_string())
}

/// `set` alone shows the settings; `set KEY VALUE` changes one and shows them.
/// After `set output FORMAT` they are shown in the new format (printed here,
/// as the caller resolved the format before the line ran), so the
/// confirmation already looks like what follows.
// Known gap: a `-o` on the same `set output` line is not visible here, so it
// does not win; passing the line's own `-o` from `cmd::run_shell_level` would fix it.
pub fn set(inv: &mut App, key: Option<SettingKey>, value: Option<String>) -> Result<Report> {
    let changes_format = key == Some(SettingKey::Output);
    let report = change_setting(inv, key, value)?;
    if !changes_format {
        return Ok(report);
    }
    inv.print(&report, inv.settings.format)?;
    Ok(Report::default())
}

fn change_setting(inv: &mut App, key: Option<SettingKey>, value: Option<String>) -> Result<Report> {
    let settings = &mut inv.settings;
    match (key, value) {
        (None, _) => {}
        (Some(_), None) => {
            return Err(Error::Usage(
                "set KEY VALUE (set alone shows the settings)".into(),
            ));
        }
        (Some(SettingKey::Output), Some(v)) => settings.format = parse_enum::<Format>(&v)?,
        (Some(SettingKey::Timeout), Some(v)) => {
            let secs: u64 = v
                .parse()
                .map_err(|_| Error::Usage(format!("timeout is whole seconds, not '{v}'")))?;
            settings.timeout = std::time::Duration::from_secs(secs);
        }
        (Some(SettingKey::Color), Some(v)) => {
            settings.color = parse_enum::<ColorChoice>(&v)?;
            inv.style = Style::resolve(settings.color, inv.mode, inv.quiet);
        }
        (Some(SettingKey::IdleTimeout), Some(v)) => {
            let secs: u64 = v
                .parse()
                .map_err(|_| Error::Usage(format!("idle-timeout is whole seconds, not '{v}'")))?;
            settings.idle_timeout = (secs > 0).then(|| std::time::Duration::from_secs(secs));
        }
    }
    let s = &inv.settings;
    let format = format!("{:?}", s.format).to_lowercase();
    let color = format!("{:?}", s.color).to_lowercase();
    let mut table = Table::new(&["SETTING", "VALUE"]);
    table.row(vec!["output".into(), format.clone()]);
    table.row(vec!["timeout".into(), s.timeout.as_secs().to_string()]);
    table.row(vec!["color".into(), color.clone()]);
    let idle = s.idle_timeout.map_or(0, |d| d.as_secs());
    table.row(vec!["idle-timeout".into(), idle.to_string()]);
    let json = json!({
        "output": format,
        "timeout": s.timeout.as_secs(),
        "color": color,
        "idle_timeout": idle,
    });
    Ok(Report::table(table, json))
}

fn parse_enum<T: clap::ValueEnum>(value: &str) -> Result<T> {
    T::from_str(value, true).map_err(|_| {
        let names: Vec<String> = T::value_variants()
            .iter()
            .filter_map(|v| v.to_possible_value().map(|p| p.get_name().to_string()))
            .collect();
        Error::Usage(format!("'{value}' is not one of: {}", names.join(", ")))
    })
}

pub fn history(inv: &App, count: Option<usize>) -> Result<Report> {
    let path = inv.paths.history();
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    // rustyline's file starts with a version line.
    let lines: Vec<&str> = text.lines().filter(|l| !l.starts_with("#V")).collect();
    let skip = count.map_or(0, |n| lines.len().saturating_sub(n));
    let mut table = Table::new(&["#", "COMMAND"]);
    let mut json = Vec::new();
    for (i, line) in lines.iter().enumerate().skip(skip) {
        table.row(vec![(i + 1).to_string(), line.to_string()]);
        json.push(json!(line));
    }
    Ok(Report::table(table, json.into()))
}

/// `config path` and `config check`.
pub fn config(app: &App, command: crate::cli::ConfigCmd) -> Result<Report> {
    let path = app.paths.config_file();
    let shown = path.display().to_string();
    match command {
        crate::cli::ConfigCmd::Path => Ok(Report::text(shown.clone(), json!({ "path": shown }))),
        crate::cli::ConfigCmd::Check => {
            let config = crate::store::config::Config::load(&path)?;
            let names: Vec<&String> = config.profiles.keys().collect();
            let exists = path.exists();
            let text = match exists {
                true => format!(
                    "{shown}: ok, {} profile(s): {}",
                    names.len(),
                    names
                        .iter()
                        .map(|n| n.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                false => format!("{shown}: no config file (nothing to check; see README, Files)"),
            };
            Ok(Report::text(
                text,
                json!({ "path": shown, "exists": exists, "profiles": names }),
            ))
        }
    }
}

/// The completion script for `shell`, generated from the clap grammar.
pub fn completions(shell: clap_complete::Shell) -> Report {
    let mut command = crate::cli::Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "vmsdbg", &mut script);
    let text = String::from_utf8_lossy(&script).into_owned();
    Report::text(
        text.clone(),
        json!({ "shell": shell.to_string(), "script": text }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(path: &[&str]) -> Vec<String> {
        path.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn help_covers_what_a_line_can_run_and_not_demo() {
        let tenant = help_text(&words(&["tenant", "use"])).unwrap_or_default();
        assert!(tenant.contains("Usage: vmsdbg tenant use"), "{tenant}");
        assert!(help_text(&words(&["k"])).is_some(), "aliases have help");
        assert_eq!(help_text(&words(&["demo"])), None);
        assert!(help(&words(&["demo"])).is_err());
    }
}
