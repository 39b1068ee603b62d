//! The little POSIX `sh` the simulated host runs exec requests through: words with
//! single quotes, double quotes and backslashes; lists joined by `;`, newlines, `&&`
//! and `||`; pipes; `#` comments; and the redirections `>/dev/null`, `2>/dev/null`,
//! `2>&1`, `>&2`. Background jobs, subshells, input redirection and `$` expansion are
//! outside this subset and fail with an error rather than run something else.

/// How a list item connects to the one before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Join {
    /// First item, or after `;` / newline: always runs.
    Always,
    /// After `&&`: runs if the previous status was 0.
    And,
    /// After `||`: runs if the previous status was not 0.
    Or,
    /// After `|`: part of the previous item's pipeline, reading its output.
    Pipe,
}

/// Where a redirected stream goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A file path (only `/dev/null` is writable in the simulation).
    File(String),
    /// Another descriptor (`2>&1`).
    Fd(u32),
}

/// One `N>TARGET` redirection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    /// The descriptor redirected (1 for `>`).
    pub fd: u32,
    /// Where it goes.
    pub target: Target,
}

/// One simple command of a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// How it joins the previous item.
    pub join: Join,
    /// The command and its arguments, quotes removed.
    pub words: Vec<String>,
    /// Redirections, in order.
    pub redirects: Vec<Redirect>,
}

/// Why a command line could not be parsed; `Display` is the line `sh` prints.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SyntaxError {
    /// A quote was never closed.
    #[error("sh: 1: Syntax error: Unterminated quoted string")]
    Unterminated,
    /// An operator appeared where a command was expected.
    #[error("sh: 1: Syntax error: \"{0}\" unexpected")]
    Unexpected(String),
    /// A construct outside the simulated subset.
    #[error("sh: 1: {0}: not supported by the simulated shell")]
    Unsupported(String),
}

#[derive(Debug, PartialEq)]
enum Tok {
    Word(String),
    Op(&'static str),
    Redir(u32, bool),
}

/// Splits `line` into words, operators and redirections.
fn tokenize(line: &str) -> Result<Vec<Tok>, SyntaxError> {
    let mut toks = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = line.chars().peekable();
    let flush = |toks: &mut Vec<Tok>, word: &mut String, in_word: &mut bool| {
        if *in_word {
            toks.push(Tok::Word(std::mem::take(word)));
            *in_word = false;
        }
    };
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' => flush(&mut toks, &mut word, &mut in_word),
            '\n' | ';' => {
                flush(&mut toks, &mut word, &mut in_word);
                toks.push(Tok::Op(";"));
            }
            '#' if !in_word => {
                while chars.peek().is_some_and(|&c| c != '\n') {
                    chars.next();
                }
            }
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => word.push(c),
                        None => return Err(SyntaxError::Unterminated),
                    }
                }
            }
            '"' => {
                in_word = true;
                double_quoted(&mut chars, &mut word)?;
            }
            '\\' => match chars.next() {
                Some('\n') => {}
                Some(c) => {
                    in_word = true;
                    word.push(c);
                }
                None => {
                    in_word = true;
                    word.push('\\');
                }
            },
            '&' | '|' => {
                flush(&mut toks, &mut word, &mut in_word);
                let doubled = chars.next_if_eq(&c).is_some();
                toks.push(Tok::Op(match (c, doubled) {
                    ('&', true) => "&&",
                    ('|', true) => "||",
                    ('&', false) => "&",
                    _ => "|",
                }));
            }
            '>' => {
                let fd = if in_word && !word.is_empty() && word.bytes().all(|b| b.is_ascii_digit())
                {
                    let fd = word.parse().unwrap_or(1);
                    word.clear();
                    in_word = false;
                    fd
                } else {
                    flush(&mut toks, &mut word, &mut in_word);
                    1
                };
                let dup = chars.next_if_eq(&'&').is_some();
                toks.push(Tok::Redir(fd, dup));
            }
            '<' | '(' | ')' | '`' | '$' => {
                return Err(SyntaxError::Unsupported(c.to_string()));
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    flush(&mut toks, &mut word, &mut in_word);
    Ok(toks)
}

/// Reads a double-quoted string after its opening quote.
fn double_quoted(
    chars: &mut std::iter::Peekable<std::str::Chars<'_>>,
    word: &mut String,
) -> Result<(), SyntaxError> {
    loop {
        match chars.next() {
            Some('"') => return Ok(()),
            Some('\\') => match chars.next() {
                Some(c @ ('$' | '`' | '"' | '\\')) => word.push(c),
                Some('\n') => {}
                Some(c) => {
                    word.push('\\');
                    word.push(c);
                }
                None => return Err(SyntaxError::Unterminated),
            },
            Some(c @ ('$' | '`')) => return Err(SyntaxError::Unsupported(c.to_string())),
            Some(c) => word.push(c),
            None => return Err(SyntaxError::Unterminated),
        }
    }
}

/// Parses a command line into its list of simple commands.
pub fn parse(line: &str) -> Result<Vec<Item>, SyntaxError> {
    let mut items = Vec::new();
    let mut current = Item {
        join: Join::Always,
        words: Vec::new(),
        redirects: Vec::new(),
    };
    let mut toks = tokenize(line)?.into_iter().peekable();
    while let Some(tok) = toks.next() {
        match tok {
            Tok::Word(w) => current.words.push(w),
            Tok::Redir(fd, dup) => {
                let Some(Tok::Word(target)) = toks.next() else {
                    return Err(SyntaxError::Unexpected("newline".to_string()));
                };
                let target = match (dup, target.parse()) {
                    (true, Ok(n)) => Target::Fd(n),
                    _ => Target::File(target),
                };
                current.redirects.push(Redirect { fd, target });
            }
            Tok::Op("&") => return Err(SyntaxError::Unsupported("&".to_string())),
            Tok::Op(op) => {
                let join = match op {
                    "&&" => Join::And,
                    "||" => Join::Or,
                    "|" => Join::Pipe,
                    _ => Join::Always,
                };
                let empty = current.words.is_empty() && current.redirects.is_empty();
                if empty && (join != Join::Always || current.join != Join::Always) {
                    return Err(SyntaxError::Unexpected(op.to_string()));
                }
                if !empty {
                    items.push(std::mem::replace(
                        &mut current,
                        Item {
                            join,
                            words: Vec::new(),
                            redirects: Vec::new(),
                        },
                    ));
                } else {
                    current.join = join;
                }
            }
        }
    }
    if current.words.is_empty() && current.join != Join::Always {
        return Err(SyntaxError::Unexpected("end of file".to_string()));
    }
    if !current.words.is_empty() || !current.redirects.is_empty() {
        items.push(current);
    }
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<Vec<String>> {
        parse(line)
            .expect("parses")
            .into_iter()
            .map(|i| i.words)
            .collect()
    }

    #[test]
    fn quotes_and_backslashes() {
        assert_eq!(
            words(r#"printf '%s\n' "a \"b\" \$c" d\ e ''"#),
            [["printf", "%s\\n", "a \"b\" $c", "d e", ""]]
        );
        assert_eq!(words("echo 'it'\\''s'"), [["echo", "it's"]]);
    }

    #[test]
    fn sudo_wrapper_round_trips_through_sh_c() {
        let line = "sudo -S -p '[vmsdbg:00ff] ' -- sh -c 'printf '\\''%s\\n'\\'' M; kubectl '\\''get'\\'''";
        let items = parse(line).expect("parses");
        assert_eq!(items.len(), 1);
        let script = items[0].words.last().expect("script");
        assert_eq!(script, "printf '%s\\n' M; kubectl 'get'");
        assert_eq!(
            words(script),
            [vec!["printf", "%s\\n", "M"], vec!["kubectl", "get"]]
        );
    }

    #[test]
    fn lists_and_joins() {
        let items = parse("true && echo a || echo b; false\necho c # comment").expect("parses");
        let joins: Vec<Join> = items.iter().map(|i| i.join).collect();
        assert_eq!(
            joins,
            [
                Join::Always,
                Join::And,
                Join::Or,
                Join::Always,
                Join::Always
            ]
        );
        assert_eq!(items[4].words, ["echo", "c"]);
    }

    #[test]
    fn pipelines_join_items() {
        let items = parse("kubectl get pods -A | grep Crash || echo none").expect("parses");
        let joins: Vec<Join> = items.iter().map(|i| i.join).collect();
        assert_eq!(joins, [Join::Always, Join::Pipe, Join::Or]);
        assert_eq!(items[1].words, ["grep", "Crash"]);
    }

    #[test]
    fn redirections() {
        let items = parse("cat x 2>/dev/null >&2 2>&1").expect("parses");
        let want = vec![
            Redirect {
                fd: 2,
                target: Target::File("/dev/null".into()),
            },
            Redirect {
                fd: 1,
                target: Target::Fd(2),
            },
            Redirect {
                fd: 2,
                target: Target::Fd(1),
            },
        ];
        assert_eq!(items[0].redirects, want);
    }

    #[test]
    fn injection_attempts_stay_data_or_fail() {
        assert_eq!(
            words("echo '; touch /tmp/pwned #'"),
            [["echo", "; touch /tmp/pwned #"]]
        );
        assert!(matches!(
            parse("echo $(touch x)"),
            Err(SyntaxError::Unsupported(_))
        ));
        assert!(matches!(
            parse("echo a &"),
            Err(SyntaxError::Unsupported(_))
        ));
        assert!(matches!(parse("| sh"), Err(SyntaxError::Unexpected(_))));
        assert!(matches!(parse("echo a |"), Err(SyntaxError::Unexpected(_))));
        assert_eq!(parse("echo 'open"), Err(SyntaxError::Unterminated));
        assert!(matches!(parse("&& true"), Err(SyntaxError::Unexpected(_))));
    }
}
