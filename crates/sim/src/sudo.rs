//! sudo as sudo 1.9 behaves for the invocations `vmsdbg` makes: `-n` probes, `-S -p`
//! password prompts on stderr, prompts on the terminal when a PTY is there, three
//! tries, `requiretty`, NOPASSWD and users who are not in sudoers.
//!
//! Credentials are never cached: each exec request is a fresh login shell with its own
//! parent process, so sudo's per-tty timestamp never applies, as on a real host.

use crate::config::SudoPolicy;
use crate::exec::Shell;
use crate::io::{Dest, Stop};

/// A parsed sudo command line.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct SudoArgs {
    /// `-n`: never prompt.
    pub(crate) non_interactive: bool,
    /// `-S`: read the password from stdin, prompt on stderr.
    pub(crate) stdin: bool,
    /// `-p PROMPT`.
    pub(crate) prompt: Option<String>,
    /// The command to run as root.
    pub(crate) command: Vec<String>,
}

/// Parses sudo's options; `Err` carries the message sudo prints, with status 1.
pub(crate) fn parse(args: &[String]) -> Result<SudoArgs, String> {
    let mut parsed = SudoArgs::default();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--" => break,
            "-n" | "--non-interactive" => parsed.non_interactive = true,
            "-S" | "--stdin" => parsed.stdin = true,
            "-k" | "--reset-timestamp" => {}
            "-p" | "--prompt" => {
                let value = rest
                    .next()
                    .ok_or("sudo: option requires an argument -- 'p'\n")?;
                parsed.prompt = Some(value.clone());
            }
            "-u" | "--user" => match rest.next().map(String::as_str) {
                Some("root" | "#0") => {}
                Some(other) => return Err(format!("sudo: unknown user {other}\n")),
                None => return Err("sudo: option requires an argument -- 'u'\n".to_string()),
            },
            flag if flag.starts_with("-p") && flag.len() > 2 => {
                parsed.prompt = Some(flag[2..].to_string());
            }
            flag if flag.starts_with('-') && flag.len() > 1 => {
                let letter = flag.chars().nth(1).unwrap_or('-');
                return Err(format!("sudo: invalid option -- '{letter}'\n{USAGE}"));
            }
            _ => {
                parsed.command.push(arg.clone());
                break;
            }
        }
    }
    parsed.command.extend(rest.cloned());
    if parsed.command.is_empty() {
        return Err(USAGE.to_string());
    }
    Ok(parsed)
}

const USAGE: &str = "usage: sudo -h | -K | -k | -V\n\
usage: sudo -v [-ABkNnS] [-g group] [-h host] [-p prompt] [-u user]\n\
usage: sudo -l [-ABkNnS] [-g group] [-h host] [-p prompt] [-U user] [-u user] [command [arg ...]]\n\
usage: sudo [-ABbEHkNnPS] [-C num] [-D directory] [-g group] [-h host] [-p prompt] [-R directory] [-T timeout] [-u user] [VAR=value] [-i | -s] [command [arg ...]]\n";

/// Expands sudo's prompt escapes: `%p`/`%u` (the user), `%h`/`%H` (the host), `%%`.
fn expand_prompt(prompt: &str, user: &str) -> String {
    prompt
        .replace("%%", "\u{0}")
        .replace("%p", user)
        .replace("%u", user)
        .replace("%h", "vms")
        .replace("%H", "vms")
        .replace('\u{0}', "%")
}

/// Runs `sudo ARGS` in `shell`, with the command's stdout/stderr going to `out`/`err`.
pub(crate) async fn run(
    shell: &mut Shell<'_>,
    args: &[String],
    out: Dest,
    err: Dest,
) -> Result<u32, Stop> {
    let parsed = match parse(args) {
        Ok(parsed) => parsed,
        Err(msg) => return fail(shell, err, &msg).await,
    };
    if shell.root {
        return shell.run_argv(&parsed.command, out, err).await;
    }

    let user = shell.env.user.clone();
    let requiretty = user.requiretty || shell.env.faults.snapshot().force_requiretty;
    if requiretty && shell.io.pty.is_none() {
        return fail(shell, err, "sudo: sorry, you must have a tty to run sudo\n").await;
    }
    if user.sudo != SudoPolicy::NoPasswd {
        if parsed.non_interactive {
            return fail(shell, err, "sudo: a password is required\n").await;
        }
        let code = authenticate(shell, &parsed, err).await?;
        if code != 0 {
            return Ok(code);
        }
        if user.sudo == SudoPolicy::None {
            let msg = format!("{} is not in the sudoers file.\n", user.name);
            return fail(shell, err, &msg).await;
        }
    }

    shell.root = true;
    let result = shell.run_argv(&parsed.command, out, err).await;
    shell.root = false;
    result
}

async fn fail(shell: &mut Shell<'_>, err: Dest, msg: &str) -> Result<u32, Stop> {
    shell.io.write(err, msg.as_bytes()).await?;
    Ok(1)
}

/// Asks for the password up to three times; `Ok(0)` once it is right.
async fn authenticate(shell: &mut Shell<'_>, parsed: &SudoArgs, err: Dest) -> Result<u32, Stop> {
    let user = shell.env.user.clone();
    let on_tty = !parsed.stdin;
    if on_tty && shell.io.pty.is_none() {
        let msg = "sudo: a terminal is required to read the password; either use the -S \
                   option to read from standard input or configure an askpass helper\n\
                   sudo: a password is required\n";
        return fail(shell, err, msg).await;
    }
    let default_prompt = format!("[sudo] password for {}: ", user.name);
    let prompt = expand_prompt(
        parsed.prompt.as_deref().unwrap_or(&default_prompt),
        &user.name,
    );
    // On a terminal sudo talks to /dev/tty, which is the channel's data stream.
    let talk = if on_tty { Dest::Stdout } else { err };

    for attempt in 1..=3 {
        shell.io.write(talk, prompt.as_bytes()).await?;
        let Some(line) = shell.io.read_line().await? else {
            if on_tty {
                shell.io.write(talk, b"\n").await?;
            }
            return fail(shell, err, "sudo: no password was provided\n").await;
        };
        if on_tty {
            // Echo is off, so sudo ends the prompt line itself.
            shell.io.write(talk, b"\n").await?;
        }
        if user
            .password
            .as_deref()
            .is_some_and(|p| p.as_bytes() == line.as_slice())
        {
            return Ok(0);
        }
        if attempt < 3 {
            shell.io.write(talk, b"Sorry, try again.\n").await?;
        }
    }
    fail(shell, err, "sudo: 3 incorrect password attempts\n").await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn parses_the_wrappers_vmsdbg_sends() {
        let p = parse(&args(&[
            "-S",
            "-p",
            "[vmsdbg:ab] ",
            "--",
            "sh",
            "-c",
            "true",
        ]))
        .expect("ok");
        assert!(p.stdin && !p.non_interactive);
        assert_eq!(p.prompt.as_deref(), Some("[vmsdbg:ab] "));
        assert_eq!(p.command, ["sh", "-c", "true"]);
        let p = parse(&args(&["-n", "true"])).expect("ok");
        assert!(p.non_interactive);
        assert_eq!(p.command, ["true"]);
        let p = parse(&args(&["-n", "--", "-x"])).expect("ok");
        assert_eq!(p.command, ["-x"]);
    }

    #[test]
    fn refuses_what_sudo_refuses() {
        assert!(
            parse(&args(&["-n"]))
                .expect_err("no command")
                .starts_with("usage: sudo")
        );
        let err = parse(&args(&["-Z", "true"])).expect_err("bad flag");
        assert!(err.starts_with("sudo: invalid option -- 'Z'"), "{err}");
        assert_eq!(
            parse(&args(&["-u", "bob", "id"])),
            Err("sudo: unknown user bob\n".into())
        );
    }

    #[test]
    fn prompt_escapes() {
        assert_eq!(
            expand_prompt("[sudo] %p@%h 100%%: ", "admin"),
            "[sudo] admin@vms 100%: "
        );
    }
}
