//! Line filters as GNU coreutils and grep print them, over stdin or the world's log
//! files: `head`/`tail` (`-n N`, `-N`, `-n +N`), `grep` (fixed strings, `-i -v -c -n
//! -F -e`), and `wc` (`-l -w -c`). Enough for `exec ... | grep Crash` and quick looks at
//! logs; regular expressions, `tail -f` and other options are refused with a message.

use crate::output::Output;

/// What to do with the input.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Filter {
    Head(usize),
    /// Last N lines, or from line N on (`-n +N`).
    Tail {
        count: usize,
        from_start: bool,
    },
    Grep {
        pattern: String,
        ignore_case: bool,
        invert: bool,
        count: bool,
        numbers: bool,
    },
    Wc(char),
}

/// A parsed filter command: what to do, and the files to read (stdin when empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FilterCall {
    filter: Filter,
    name: String,
    /// File operands; empty means stdin.
    pub(crate) files: Vec<String>,
}

/// Parses `head`, `tail`, `grep` or `wc` arguments; `Err` is the output to give.
pub(crate) fn parse(name: &str, args: &[String]) -> Result<FilterCall, Output> {
    let mut files = Vec::new();
    let mut lines: Option<(usize, bool)> = None;
    let mut grep = (None::<String>, false, false, false, false);
    let mut wc = 'a';
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let bad = || {
            Output::fail(
                if name == "grep" { 2 } else { 1 },
                format!("{name}: unsupported option '{arg}' in the simulated host\n"),
            )
        };
        match (name, arg.as_str()) {
            ("head" | "tail", "-n") => {
                lines = Some(count(rest.next().map_or("", String::as_str)).ok_or_else(bad)?)
            }
            ("head" | "tail", flag) if flag.starts_with('-') && flag.len() > 1 => {
                let value = flag.trim_start_matches("-n").trim_start_matches('-');
                lines = Some(count(value).ok_or_else(bad)?);
            }
            ("grep", "-i") => grep.1 = true,
            ("grep", "-v") => grep.2 = true,
            ("grep", "-c") => grep.3 = true,
            ("grep", "-n") => grep.4 = true,
            ("grep", "-F") => {}
            ("grep", "-e") => grep.0 = rest.next().cloned(),
            ("wc", "-l" | "-w" | "-c") => wc = arg.chars().nth(1).unwrap_or('l'),
            (_, "-") => files.push(arg.clone()),
            (_, flag) if flag.starts_with('-') && flag.len() > 1 => return Err(bad()),
            ("grep", _) if grep.0.is_none() => grep.0 = Some(arg.clone()),
            _ => files.push(arg.clone()),
        }
    }
    let filter = match name {
        "head" => Filter::Head(lines.map_or(10, |(n, _)| n)),
        "tail" => {
            let (count, from_start) = lines.unwrap_or((10, false));
            Filter::Tail { count, from_start }
        }
        "grep" => {
            let Some(pattern) = grep.0 else {
                return Err(Output::fail(
                    2,
                    "Usage: grep [OPTION]... PATTERNS [FILE]...\n",
                ));
            };
            Filter::Grep {
                pattern,
                ignore_case: grep.1,
                invert: grep.2,
                count: grep.3,
                numbers: grep.4,
            }
        }
        _ => Filter::Wc(wc),
    };
    Ok(FilterCall {
        filter,
        name: name.to_string(),
        files,
    })
}

/// `N` or `+N` as a line count.
fn count(text: &str) -> Option<(usize, bool)> {
    let (digits, from_start) = match text.strip_prefix('+') {
        Some(rest) => (rest, true),
        None => (text, false),
    };
    digits.parse().ok().map(|n| (n, from_start))
}

/// The message for a file that could not be read, as each tool words it.
pub(crate) fn open_error(call: &FilterCall, path: &str, reason: &str) -> Output {
    let (text, code) = match call.name.as_str() {
        "head" | "tail" => (
            format!(
                "{}: cannot open '{path}' for reading: {reason}\n",
                call.name
            ),
            1,
        ),
        "grep" => (format!("grep: {path}: {reason}\n"), 2),
        _ => (format!("wc: {path}: {reason}\n"), 1),
    };
    Output::fail(code, text)
}

/// Runs the filter over `inputs` (name, bytes), one per file or a single stdin.
pub(crate) fn run(call: &FilterCall, inputs: &[(Option<&str>, Vec<u8>)]) -> Output {
    let mut out = Output::default();
    let mut matched = false;
    for (index, (name, bytes)) in inputs.iter().enumerate() {
        let lines: Vec<&[u8]> = split_lines(bytes);
        match &call.filter {
            Filter::Head(n) | Filter::Tail { count: n, .. } => {
                if inputs.len() > 1 {
                    let gap = if index > 0 { "\n" } else { "" };
                    out.stdout.extend_from_slice(
                        format!("{gap}==> {} <==\n", name.unwrap_or("-")).as_bytes(),
                    );
                }
                let kept: &[&[u8]] = match &call.filter {
                    Filter::Tail {
                        from_start: true, ..
                    } => &lines[n.saturating_sub(1).min(lines.len())..],
                    Filter::Tail { .. } => &lines[lines.len().saturating_sub(*n)..],
                    _ => &lines[..(*n).min(lines.len())],
                };
                kept.iter().for_each(|l| out.stdout.extend_from_slice(l));
            }
            Filter::Grep { .. } => {
                matched |= grep(call, *name, inputs.len() > 1, &lines, &mut out.stdout)
            }
            Filter::Wc(mode) => {
                let n = match mode {
                    'l' => bytes.iter().filter(|&&b| b == b'\n').count(),
                    'w' => bytes
                        .split(|b| b.is_ascii_whitespace())
                        .filter(|w| !w.is_empty())
                        .count(),
                    _ => bytes.len(),
                };
                let line = name.map_or(format!("{n}\n"), |name| format!("{n} {name}\n"));
                out.stdout.extend_from_slice(line.as_bytes());
            }
        }
    }
    if matches!(call.filter, Filter::Grep { .. }) && !matched {
        out.code = 1;
    }
    out
}

/// Lines with their terminators (a last line may lack one).
fn split_lines(bytes: &[u8]) -> Vec<&[u8]> {
    bytes.split_inclusive(|&b| b == b'\n').collect()
}

/// Appends matching lines (or their count); returns whether anything matched.
fn grep(
    call: &FilterCall,
    name: Option<&str>,
    prefix: bool,
    lines: &[&[u8]],
    out: &mut Vec<u8>,
) -> bool {
    let Filter::Grep {
        pattern,
        ignore_case,
        invert,
        count,
        numbers,
    } = &call.filter
    else {
        return false;
    };
    let fold = |b: &[u8]| {
        if *ignore_case {
            b.to_ascii_lowercase()
        } else {
            b.to_vec()
        }
    };
    let needle = fold(pattern.as_bytes());
    let hits: Vec<(usize, &&[u8])> = lines
        .iter()
        .enumerate()
        .filter(|(_, line)| {
            let hay = fold(line);
            let found =
                needle.is_empty() || hay.windows(needle.len()).any(|w| w == needle.as_slice());
            found != *invert
        })
        .collect();
    let label = if prefix {
        format!("{}:", name.unwrap_or("(standard input)"))
    } else {
        String::new()
    };
    if *count {
        out.extend_from_slice(format!("{label}{}\n", hits.len()).as_bytes());
    } else {
        for (number, line) in &hits {
            let number = if *numbers {
                format!("{}:", number + 1)
            } else {
                String::new()
            };
            out.extend_from_slice(format!("{label}{number}").as_bytes());
            out.extend_from_slice(line);
            if !line.ends_with(b"\n") {
                out.push(b'\n');
            }
        }
    }
    !hits.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter(name: &str, args: &[&str], input: &str) -> Output {
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        let call = parse(name, &args).expect("parses");
        run(&call, &[(None, input.as_bytes().to_vec())])
    }

    #[test]
    fn head_tail_grep_wc_like_coreutils() {
        let text = "a\nb\nError c\nd\n";
        assert_eq!(filter("head", &["-n", "2"], text).stdout_text(), "a\nb\n");
        assert_eq!(filter("head", &["-1"], text).stdout_text(), "a\n");
        assert_eq!(filter("tail", &["-n", "1"], text).stdout_text(), "d\n");
        assert_eq!(
            filter("tail", &["-n", "+3"], text).stdout_text(),
            "Error c\nd\n"
        );
        assert_eq!(
            filter("grep", &["-i", "error"], text).stdout_text(),
            "Error c\n"
        );
        assert_eq!(
            filter("grep", &["-c", "-v", "Error"], text).stdout_text(),
            "3\n"
        );
        assert_eq!(filter("grep", &["-n", "d"], text).stdout_text(), "4:d\n");
        assert_eq!(filter("grep", &["zzz"], text).code, 1);
        assert_eq!(filter("wc", &["-l"], text).stdout_text(), "4\n");
    }

    #[test]
    fn unsupported_options_are_refused() {
        let args = vec!["-f".to_string(), "x.log".to_string()];
        let err = parse("tail", &args).expect_err("no follow");
        assert!(
            err.stderr_text().contains("unsupported option '-f'"),
            "{}",
            err.stderr_text()
        );
    }
}
