//! `@all COMMAND` and `@a,b,c COMMAND`: one command on several sessions at once.
//!
//! Each session runs its own copy of the command concurrently, with its output
//! captured, so blocks never interleave. Blocks come out in session-name order;
//! sessions whose output and status are identical are gathered under one
//! header (as `clush -b` does) unless `--no-gather`. With `-o json` the result
//! is one object keyed by session. The status is the worst of the sessions'.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use clap::Parser;
use indicatif::{MultiProgress, ProgressBar};
use serde_json::{Value, json};

use crate::app::{App, Invocation};
use crate::cli::{Format, Line};
use crate::cmd;
use crate::error::{Error, Result};
use crate::output::progress;
use crate::session::Session;

/// What one session produced.
struct Block {
    name: String,
    text: Vec<u8>,
    json: Value,
    status: i32,
}

/// Sessions named by `@all` or `@a,b,c`.
pub fn select(app: &App, spec: &str) -> Result<Vec<Arc<Session>>> {
    if spec == "all" {
        let all = app.registry.all();
        if all.is_empty() {
            return Err(Error::NoSession);
        }
        return Ok(all);
    }
    let mut names: Vec<&str> = spec.split(',').filter(|n| !n.is_empty()).collect();
    names.sort_unstable();
    names.dedup();
    if names.is_empty() {
        return Err(Error::Usage(
            "@ needs session names: @a,b COMMAND or @all COMMAND".into(),
        ));
    }
    names
        .into_iter()
        .map(|name| app.registry.get(name))
        .collect()
}

pub async fn run(app: &App, sessions: &[Arc<Session>], words: &[String], line: &str) -> Result<()> {
    let first = Line::try_parse_from(words).map_err(|e| Error::Usage(e.render().to_string()))?;
    let format = first.output.format.unwrap_or(app.settings.format);
    let gather = !first.no_gather;
    if cmd::shell_level(first.command).is_ok() {
        return Err(Error::Usage(
            "@all runs commands that act on a session, not shell commands".into(),
        ));
    }

    let bars = MultiProgress::new();
    let runs = sessions.iter().map(|session| {
        let bar = bars.add(progress::spinner(&app.style, session.name.clone()));
        one(app, session.clone(), words, line, format, bar)
    });
    let mut blocks = futures::future::join_all(runs).await;
    let _ = bars.clear();
    blocks.sort_by(|a, b| a.name.cmp(&b.name));

    print(&blocks, format, gather);
    let failed: Vec<&Block> = blocks.iter().filter(|b| b.status != 0).collect();
    if failed.is_empty() {
        return Ok(());
    }
    Err(Error::FanOut {
        failed: failed.len(),
        total: blocks.len(),
        names: failed
            .iter()
            .map(|b| b.name.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        code: failed.iter().map(|b| b.status).max().unwrap_or(1),
    })
}

async fn one(
    app: &App,
    session: Arc<Session>,
    words: &[String],
    line: &str,
    format: Format,
    bar: ProgressBar,
) -> Block {
    let name = session.name.clone();
    let capture = Arc::new(Mutex::new(Vec::new()));
    // Parsed again per session: a parsed command is consumed by running it.
    let parsed = Line::try_parse_from(words).expect("parsed once already");
    let connect = app.connect_defaults.clone();
    let command = crate::app::with_raw_exec(parsed.command, line);
    let mut inv = Invocation {
        app,
        on: Some(session.clone()),
        format,
        connect,
        capture: Some(capture.clone()),
    };
    let revived = cmd::session::revive(app, &session, |text| inv.note(text)).await;
    let result = match revived {
        Ok(()) => cmd::dispatch(&mut inv, command).await,
        Err(e) => Err(e),
    };
    session.touch(result.is_ok());
    bar.finish_and_clear();

    let mut text = std::mem::take(&mut *capture.lock().unwrap_or_else(|p| p.into_inner()));
    let streamed = String::from_utf8_lossy(&text).into_owned();
    let (json, status) = match result {
        Ok(Some(report)) => {
            let _ = report.render(format, &app.style, &mut text);
            for note in &report.notes {
                text.extend_from_slice(format!("{note}\n").as_bytes());
            }
            (report.json, 0)
        }
        Ok(None) => (json!({ "output": streamed }), 0),
        Err(e) => {
            text.extend_from_slice(format!("error: {e}\n").as_bytes());
            (json!({ "error": e.to_string() }), e.exit_code())
        }
    };
    Block {
        name,
        text,
        json,
        status,
    }
}

fn print(blocks: &[Block], format: Format, gather: bool) {
    if format == Format::Json {
        let map: serde_json::Map<String, Value> = blocks
            .iter()
            .map(|b| (b.name.clone(), b.json.clone()))
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&Value::Object(map)).unwrap_or_default()
        );
        return;
    }
    // Group by identical output and status, keeping first-appearance (name) order.
    let mut groups: BTreeMap<usize, (Vec<&str>, &Block)> = BTreeMap::new();
    let mut seen: Vec<(usize, &Block)> = Vec::new();
    for (i, block) in blocks.iter().enumerate() {
        let same = seen
            .iter()
            .find(|(_, b)| gather && b.text == block.text && b.status == block.status);
        match same {
            Some((first, _)) => groups
                .get_mut(first)
                .expect("group exists")
                .0
                .push(&block.name),
            None => {
                seen.push((i, block));
                groups.insert(i, (vec![block.name.as_str()], block));
            }
        }
    }
    let mut out = String::new();
    for (names, block) in groups.values() {
        out.push_str(&format!("==> {} <==\n", names.join(", ")));
        out.push_str(&String::from_utf8_lossy(&block.text));
        if !block.text.ends_with(b"\n") && !block.text.is_empty() {
            out.push('\n');
        }
    }
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    let _ = stdout
        .write_all(out.as_bytes())
        .and_then(|_| stdout.flush());
}
