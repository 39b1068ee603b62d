//! Completion from the clap tree plus what the shell already knows.
//!
//! Commands, subcommands, options and option values come from the one clap
//! definition, so completion never drifts from the grammar. Session names,
//! tenants, ConfigMaps, log files and Redis keys come from a [`Known`]
//! snapshot that the REPL refreshes after every command: completing never
//! waits on the network.
//!
//! A candidate that is a whole word ends in a space, as in bash, so Tab on a
//! unique match leaves the cursor ready for the next word (`ten` → `tenant `).
//! Options that take a value (`--output`, which also accepts `--output=`)
//! and anything ending in `/` get none: more of the same word may follow.

use clap::Command;

/// What the shell knew after the last command.
#[derive(Debug, Default, Clone)]
pub struct Known {
    pub sessions: Vec<String>,
    pub tenants: Vec<String>,
    pub configmaps: Vec<String>,
    pub log_files: Vec<String>,
    pub redis_keys: Vec<String>,
}

/// The line grammar with global options propagated to every subcommand.
pub fn grammar() -> Command {
    use clap::CommandFactory;
    let mut command = crate::cli::Line::command();
    command.build();
    command
}

/// Candidates for the word ending at the end of `before` (the text left of
/// the cursor), each ending in a space when it is a whole word (see the
/// module doc); returns where that word starts.
pub fn complete(before: &str, grammar: &Command, known: &Known) -> (usize, Vec<String>) {
    let (done, partial, start) = split_words(before);
    let mut words: &[String] = &done;

    if words.is_empty() && partial.starts_with('@') {
        let names = known
            .sessions
            .iter()
            .map(|s| format!("@{s}"))
            .chain(["@all".to_string()]);
        let found = matching(names, partial);
        return (start, found.into_iter().map(spaced).collect());
    }
    if words.first().is_some_and(|w| w.starts_with('@')) {
        words = &words[1..];
    }

    let (command, path, pending) = walk(grammar, words);
    let candidates = match pending {
        Some(option) => option_values(command, &option, known),
        None if partial.starts_with('-') => options(command),
        None if command.has_subcommands() => subcommands(command),
        None => positional(command, &path, &words[path.len()..], known),
    };
    let found = matching(candidates.into_iter(), partial);
    let ended = |word: String| match word.starts_with('-') && takes_value(command, &word) {
        true => word,
        false => spaced(word),
    };
    (start, found.into_iter().map(ended).collect())
}

/// A whole word with the space that ends it; a path to a directory stays open.
fn spaced(word: String) -> String {
    match word.ends_with('/') {
        true => word,
        false => word + " ",
    }
}

/// Finished words, the partial word at the cursor, and where it starts. A
/// space inside quotes or after a backslash does not end a word.
fn split_words(before: &str) -> (Vec<String>, &str, usize) {
    let start = last_word_start(before);
    let partial = &before[start..];
    let done = shlex::split(&before[..start])
        .unwrap_or_else(|| before[..start].split_whitespace().map(unquote).collect());
    (done, partial, start)
}

fn last_word_start(line: &str) -> usize {
    let (mut start, mut quote, mut escaped) = (0, None, false);
    for (i, c) in line.char_indices() {
        match (quote, c) {
            _ if escaped => escaped = false,
            (Some('\''), '\'') => quote = None,
            (Some('\''), _) => {}
            (_, '\\') => escaped = true,
            (Some('"'), '"') => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, c) if c.is_whitespace() => start = i + c.len_utf8(),
            (None, _) => {}
        }
    }
    start
}

/// The text a partial word stands for, closing a quote left open.
fn open_word(partial: &str) -> Option<String> {
    ["", "'", "\""].iter().find_map(|close| {
        let words = shlex::split(&format!("{partial}{close}"))?;
        (words.len() == 1)
            .then(|| words.into_iter().next())
            .flatten()
    })
}

fn unquote(word: &str) -> String {
    shlex::split(word)
        .and_then(|w| w.into_iter().next())
        .unwrap_or_else(|| word.to_string())
}

/// Descend the clap tree along `words`; returns the command reached, the
/// subcommand path, and an option still waiting for its value.
fn walk<'c>(grammar: &'c Command, words: &[String]) -> (&'c Command, Vec<String>, Option<String>) {
    let mut command = grammar;
    let mut path = Vec::new();
    let mut pending = None;
    for word in words {
        if pending.take().is_some() {
            continue;
        }
        if word.starts_with('-') {
            pending = takes_value(command, word).then(|| word.clone());
            continue;
        }
        if let Some(sub) = command.find_subcommand(word) {
            command = sub;
            path.push(sub.get_name().to_string());
        }
    }
    (command, path, pending)
}

fn find_arg<'c>(command: &'c Command, word: &str) -> Option<&'c clap::Arg> {
    command.get_arguments().find(|a| {
        let long = word
            .strip_prefix("--")
            .is_some_and(|l| a.get_long() == Some(l));
        let short = word.strip_prefix('-').and_then(|s| s.chars().next());
        long || (word.len() == 2 && short.is_some() && a.get_short() == short)
    })
}

fn takes_value(command: &Command, word: &str) -> bool {
    find_arg(command, word).is_some_and(|a| a.get_action().takes_values())
}

fn options(command: &Command) -> Vec<String> {
    let args = command.get_arguments().filter(|a| !a.is_hide_set());
    args.filter_map(|a| a.get_long().map(|l| format!("--{l}")))
        .chain(["--help".into()])
        .collect()
}

fn subcommands(command: &Command) -> Vec<String> {
    let subs = command.get_subcommands().filter(|s| !s.is_hide_set());
    subs.flat_map(|s| {
        std::iter::once(s.get_name().to_string()).chain(s.get_visible_aliases().map(String::from))
    })
    .collect()
}

fn option_values(command: &Command, option: &str, known: &Known) -> Vec<String> {
    let Some(arg) = find_arg(command, option) else {
        return vec![];
    };
    if arg.get_id() == "tenant" {
        return known.tenants.clone();
    }
    arg.get_possible_values()
        .iter()
        .map(|v| v.get_name().to_string())
        .collect()
}

/// Values for the next positional argument of `command` (at `path`), after
/// the positional words already typed.
fn positional(command: &Command, path: &[String], typed: &[String], known: &Known) -> Vec<String> {
    let path: Vec<&str> = path.iter().map(String::as_str).collect();
    let typed: Vec<&str> = typed
        .iter()
        .map(String::as_str)
        .filter(|w| !w.starts_with('-'))
        .collect();
    let quoted = |list: &[String]| list.iter().map(|k| shell_word(k)).collect::<Vec<_>>();
    let fixed = |values: &[&str]| values.iter().map(|v| v.to_string()).collect::<Vec<_>>();
    match (path.as_slice(), typed.as_slice()) {
        (
            [
                "session",
                "use" | "info" | "close" | "reconnect" | "elevate",
            ],
            [],
        ) => known.sessions.clone(),
        (["tenant", "diff"], [] | [_]) => known.sessions.clone(),
        (["tenant", "use" | "show"], []) => known.tenants.clone(),
        (["cm", "show"], []) => known.configmaps.clone(),
        (["logs", "tail" | "follow" | "stats"], []) => quoted(&known.log_files),
        (["logs", "grep"], [_, ..]) => quoted(&known.log_files),
        (["redis", "get" | "type" | "ttl"], []) => quoted(&known.redis_keys),
        (["set"], ["output"]) => fixed(&["table", "json", "plain"]),
        (["set"], ["color"]) => fixed(&["auto", "always", "never"]),
        (_, typed) => {
            let mut positionals = command.get_positionals();
            let arg = positionals.nth(typed.len());
            arg.map(|a| {
                a.get_possible_values()
                    .iter()
                    .map(|v| v.get_name().to_string())
                    .collect()
            })
            .unwrap_or_default()
        }
    }
}

/// A word the line splitter gives back unchanged.
fn shell_word(text: &str) -> String {
    shlex::try_quote(text)
        .map(|q| q.into_owned())
        .unwrap_or_else(|_| text.to_string())
}

/// Candidates that continue `partial`, compared as typed and also as the
/// words they stand for, so `a` and `'a k` both find the key `'a key'`.
fn matching(candidates: impl Iterator<Item = String>, partial: &str) -> Vec<String> {
    let wanted = open_word(partial);
    let continues = |c: &String| {
        c.starts_with(partial) || wanted.as_deref().is_some_and(|w| unquote(c).starts_with(w))
    };
    let mut out: Vec<String> = candidates.filter(continues).collect();
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    fn known() -> Known {
        Known {
            sessions: vec!["vms1".into(), "vms2".into()],
            tenants: vec!["acme".into(), "globex".into()],
            configmaps: vec!["acme-config".into()],
            log_files: vec!["/var/log/versa/vms/vms-admin.log".into()],
            redis_keys: vec!["session:1".into(), "a key".into()],
        }
    }

    fn c(line: &str) -> Vec<String> {
        complete(line, &grammar(), &known()).1
    }

    #[test]
    fn commands_and_subcommands_from_clap() {
        assert_eq!(c("ten"), ["tenant "]);
        assert!(c("tenant ").contains(&"build ".to_string()));
        assert_eq!(c("tenant bu"), ["build "]);
        assert!(c("k").contains(&"k ".to_string()), "aliases complete too");
    }

    #[test]
    fn values_from_what_the_shell_knows() {
        assert_eq!(c("session use v"), ["vms1 ", "vms2 "]);
        assert_eq!(c("tenant use g"), ["globex "]);
        assert_eq!(c("@v"), ["@vms1 ", "@vms2 "]);
        assert_eq!(c("@vms1 tenant show a"), ["acme "]);
        assert_eq!(c("tenant diff vms1 v"), ["vms1 ", "vms2 "]);
    }

    #[test]
    fn option_values_from_value_enums() {
        assert_eq!(c("tenant list -o j"), ["json "]);
        assert_eq!(c("set output p"), ["plain "]);
        assert!(c("tenant list --o").contains(&"--output".to_string()));
    }

    #[test]
    fn keys_with_spaces_complete_with_or_without_the_quote() {
        assert_eq!(c("redis get a"), ["'a key' "]);
        assert_eq!(c("redis get 'a"), ["'a key' "]);
        assert_eq!(c("redis get 'a k"), ["'a key' "]);
        assert_eq!(c("redis get a\\ k"), ["'a key' "]);
        assert_eq!(c("redis get s"), ["session:1 "]);
        let (start, _) = complete("redis get 'a k", &grammar(), &known());
        assert_eq!(
            start,
            "redis get ".len(),
            "the quoted word is replaced whole"
        );
    }

    #[test]
    fn whole_words_end_in_a_space_and_open_ones_do_not() {
        assert_eq!(
            c("tenant li"),
            ["list "],
            "`ten<Tab>list` read `tenantlist`"
        );
        assert_eq!(c("@a"), ["@all "]);
        assert_eq!(c("tenant list --no-g"), ["--no-gather "]);
        assert_eq!(c("tenant list --he"), ["--help "]);
        assert_eq!(
            c("tenant list --outp"),
            ["--output"],
            "a value may follow `=`"
        );
        assert_eq!(
            c("logs tail /var/log/versa/vms/vms-a"),
            ["/var/log/versa/vms/vms-admin.log "]
        );
        let mut dirs = known();
        dirs.log_files = vec!["/var/log/versa/".into()];
        let (_, found) = complete("logs tail /var/log/v", &grammar(), &dirs);
        assert_eq!(found, ["/var/log/versa/"], "a directory stays open");
    }

    #[test]
    fn quoted_finished_words_still_walk_the_grammar() {
        assert_eq!(c("@vms1 'tenant' show a"), ["acme "]);
    }

    #[test]
    fn partial_word_start_is_reported() {
        let (start, _) = complete("tenant use gl", &grammar(), &known());
        assert_eq!(start, "tenant use ".len());
    }

    #[test]
    fn large_database_completes_every_match() {
        let mut big = known();
        big.tenants = (0..500).map(|i| format!("tenant-{i:03}")).collect();
        let (_, found) = complete("tenant use tenant-4", &grammar(), &big);
        assert_eq!(found.len(), 100);
        assert_eq!(found[0], "tenant-400 ");
    }
}
