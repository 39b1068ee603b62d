//! The simple programs of the simulated host, as pure functions from arguments to an
//! [`Output`]: `echo` and `printf` as dash has them, `id`, `whoami`, and `cat` over the
//! world's log files (root-only, like the real `/var/log/versa/vms`).

use crate::output::Output;
use crate::world::World;

/// Who a command runs as.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Identity<'a> {
    /// Login name, or `root` under sudo.
    pub(crate) name: &'a str,
    /// Numeric user id.
    pub(crate) uid: u32,
}

/// dash's `echo`: `-n` drops the newline; `\n`, `\t`, `\\` and `\c` are interpreted.
pub(crate) fn echo(args: &[String]) -> Output {
    let (newline, args) = match args.first().map(String::as_str) {
        Some("-n") => (false, &args[1..]),
        _ => (true, args),
    };
    let mut out = Vec::new();
    for (i, arg) in args.iter().enumerate() {
        if i > 0 {
            out.push(b' ');
        }
        if !unescape(arg, &mut out) {
            return Output::ok(out);
        }
    }
    if newline {
        out.push(b'\n');
    }
    Output::ok(out)
}

/// Appends `text` with backslash escapes resolved; `false` after `\c` (stop output).
fn unescape(text: &str, out: &mut Vec<u8>) -> bool {
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            let mut buf = [0; 4];
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            continue;
        }
        match chars.next() {
            Some('n') => out.push(b'\n'),
            Some('t') => out.push(b'\t'),
            Some('r') => out.push(b'\r'),
            Some('\\') => out.push(b'\\'),
            Some('c') => return false,
            Some(other) => {
                out.push(b'\\');
                let mut buf = [0; 4];
                out.extend_from_slice(other.encode_utf8(&mut buf).as_bytes());
            }
            None => out.push(b'\\'),
        }
    }
    true
}

/// `printf FORMAT [ARGS...]`: `%s`, `%d`, `%%` and backslash escapes; the format is
/// reused while arguments remain, as POSIX printf does.
pub(crate) fn printf(args: &[String]) -> Output {
    let Some((format, mut rest)) = args.split_first() else {
        return Output::fail(2, "printf: usage: printf format [arguments]\n");
    };
    let mut out = Vec::new();
    loop {
        let used = printf_once(format, rest, &mut out);
        rest = &rest[used.min(rest.len())..];
        if used == 0 || rest.is_empty() {
            break;
        }
    }
    Output::ok(out)
}

/// One pass over the format; returns how many arguments it consumed.
fn printf_once(format: &str, args: &[String], out: &mut Vec<u8>) -> usize {
    let mut used = 0;
    let mut chars = format.chars().peekable();
    let mut literal = String::new();
    while let Some(c) = chars.next() {
        if c != '%' {
            literal.push(c);
            continue;
        }
        unescape(&std::mem::take(&mut literal), out);
        match chars.next() {
            Some('%') => out.push(b'%'),
            Some('s') | Some('b') => {
                out.extend_from_slice(args.get(used).map_or("", String::as_str).as_bytes());
                used += 1;
            }
            Some('d') | Some('i') => {
                let n: i64 = args.get(used).and_then(|a| a.parse().ok()).unwrap_or(0);
                out.extend_from_slice(n.to_string().as_bytes());
                used += 1;
            }
            Some(other) => out.extend_from_slice(format!("%{other}").as_bytes()),
            None => out.push(b'%'),
        }
    }
    unescape(&literal, out);
    used
}

/// `id`, `id -u`, `id -un`, `id -g`, `id -gn`.
pub(crate) fn id(args: &[String], who: Identity<'_>) -> Output {
    let flags: String = args.iter().map(|a| a.trim_start_matches('-')).collect();
    let line = match flags.as_str() {
        "u" | "g" => who.uid.to_string(),
        "un" | "nu" | "gn" | "ng" => who.name.to_string(),
        "" => {
            let groups = if who.uid == 0 {
                String::new()
            } else {
                ",27(sudo)".to_string()
            };
            format!(
                "uid={0}({1}) gid={0}({1}) groups={0}({1}){groups}",
                who.uid, who.name
            )
        }
        _ => return Output::fail(1, format!("id: invalid option -- '{flags}'\n")),
    };
    Output::ok(format!("{line}\n"))
}

/// `cat FILE...` over the world's log files.
pub(crate) fn cat_files(world: &World, paths: &[String], root: bool) -> Output {
    let mut out = Output::default();
    for path in paths {
        match read_file(world, path, root) {
            Ok(bytes) => out.stdout.extend_from_slice(&bytes),
            Err(error) => {
                out.stderr
                    .extend_from_slice(format!("cat: {path}: {error}\n").as_bytes());
                out.code = 1;
            }
        }
    }
    out
}

/// A log file's bytes, or why it cannot be read (`Permission denied` unless root,
/// `Is a directory`, `No such file or directory`).
pub(crate) fn read_file(world: &World, path: &str, root: bool) -> Result<Vec<u8>, &'static str> {
    match world.log_file(path) {
        Some(_) if !root => Err("Permission denied"),
        Some(file) => Ok(file.contents()),
        None if is_directory(world, path) => Err("Is a directory"),
        None => Err("No such file or directory"),
    }
}

/// Whether `path` is a directory holding some log file.
fn is_directory(world: &World, path: &str) -> bool {
    let dir = format!("{}/", path.trim_end_matches('/'));
    world.logs.iter().any(|f| f.path.starts_with(&dir))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn printf_reuses_its_format() {
        assert_eq!(printf(&s(&["%s\\n", "a", "b c"])).stdout_text(), "a\nb c\n");
        assert_eq!(printf(&s(&["x%d%%\\n", "5"])).stdout_text(), "x5%\n");
        assert_eq!(printf(&s(&["plain"])).stdout_text(), "plain");
    }

    #[test]
    fn echo_like_dash() {
        assert_eq!(echo(&s(&["a", "b\\tc"])).stdout_text(), "a b\tc\n");
        assert_eq!(echo(&s(&["-n", "x"])).stdout_text(), "x");
    }

    #[test]
    fn id_and_cat_respect_the_user() {
        let admin = Identity {
            name: "admin",
            uid: 1000,
        };
        assert_eq!(id(&s(&["-u"]), admin).stdout_text(), "1000\n");
        assert_eq!(id(&s(&["-un"]), admin).stdout_text(), "admin\n");
        let world = World::builtin_at(1_750_000_000);
        let path = "/var/log/versa/vms/vms-admin.log".to_string();
        let denied = cat_files(&world, std::slice::from_ref(&path), false);
        assert_eq!(
            denied.stderr_text(),
            format!("cat: {path}: Permission denied\n")
        );
        assert_eq!(denied.code, 1);
        let read = cat_files(&world, std::slice::from_ref(&path), true);
        assert!(read.stdout_text().contains("vms-admin: request 0 handled"));
        let dir = cat_files(&world, &s(&["/var/log/versa/vms/apps"]), true);
        assert!(dir.stderr_text().ends_with("Is a directory\n"));
    }
}
