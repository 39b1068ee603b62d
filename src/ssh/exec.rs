//! Running one command on its own exec channel.
//!
//! A command is finished when its channel reports an exit status and closes: no
//! sleeps and no prompt scraping of a long-lived shell. Output goes to an
//! [`OutputSink`] as it arrives, stdout and stderr apart. Two small mechanisms
//! serve elevation without knowing about sudo: a [`PromptReply`] answers one exact
//! prompt once (a second appearance means the answer was wrong), and a start
//! marker hides whatever a PTY shows before the command itself begins.

use std::sync::Arc;
use std::time::Duration;

use russh::client::Msg;
use russh::{ChannelMsg, ChannelWriteHalf, Pty};

use super::SshError;
use super::connect::Connection;
use crate::secret::Secret;

/// Where a command's output goes as it arrives.
pub trait OutputSink: Send {
    fn stdout(&mut self, data: &[u8]);
    fn stderr(&mut self, data: &[u8]);
}

/// Collects output in memory, for commands whose output is parsed.
#[derive(Debug, Default)]
pub struct Collect {
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

impl OutputSink for Collect {
    fn stdout(&mut self, data: &[u8]) {
        self.stdout.extend_from_slice(data);
    }
    fn stderr(&mut self, data: &[u8]) {
        self.stderr.extend_from_slice(data);
    }
}

/// One remote command line and how to drive its channel.
#[derive(Debug, Clone, Default)]
pub struct RemoteCommand {
    /// Exactly what the remote shell runs.
    pub line: String,
    /// Run on a pseudo-terminal (echo off, no output processing).
    pub pty: bool,
    /// Answer this prompt when it appears.
    pub reply: Option<PromptReply>,
    /// Drop stdout up to and including this line (PTY preamble).
    pub start_marker: Option<String>,
    /// Bytes for the command's stdin, sent after any prompt answer, then EOF.
    /// Secrets a remote program needs (a Redis password) travel here, never in the line.
    pub stdin: Vec<u8>,
    /// `NAME=VALUE` in the environment of every process the command starts on
    /// the host, so a cancelled command can be found and stopped there (see
    /// `Session::run`).
    pub cancel_marker: Option<String>,
}

/// Send `answer` (plus a newline) once `prompt` appears, on stderr, or on stdout
/// for a PTY. The answer is never sent unless the prompt appeared.
#[derive(Debug, Clone)]
pub struct PromptReply {
    pub prompt: String,
    pub answer: Option<Secret>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecOutcome {
    /// The exit status, or `None` when the command died of a signal.
    pub status: Option<u32>,
    pub signal: Option<String>,
}

impl ExecOutcome {
    pub fn success(&self) -> bool {
        self.status == Some(0)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ExecError {
    #[error(transparent)]
    Ssh(#[from] SshError),
    /// The prompt came back after it was answered: the answer was wrong.
    #[error("the prompt was repeated after it was answered")]
    PromptRepeated,
    /// The prompt appeared and there is nothing to answer it with.
    #[error("the prompt appeared and no answer is available")]
    NoAnswer,
    #[error("timed out after {}s", .0.as_secs())]
    TimedOut(Duration),
    /// The line is longer than the host can take as one argument.
    #[error(
        "the remote command line is {} KiB; a host takes lines under {} KiB \
         (pass big data on stdin or in a file)",
        .0 / 1024,
        (MAX_LINE + 1) / 1024
    )]
    TooLong(usize),
}

/// sshd hands the line to `sh -c` as one argument, and Linux refuses a single
/// argument of 128 KiB or more (MAX_ARG_STRLEN) — larger lines are refused
/// here instead of reaching the host (OpenSSH resets the whole connection for a
/// request packet past its limit).
pub const MAX_LINE: usize = 128 * 1024 - 1;

/// `work`, or [`ExecError::TimedOut`] when `limit` passes first.
async fn within<T>(limit: Option<Duration>, work: impl Future<Output = T>) -> Result<T, ExecError> {
    match limit {
        Some(limit) => tokio::time::timeout(limit, work)
            .await
            .map_err(|_| ExecError::TimedOut(limit)),
        None => Ok(work.await),
    }
}

/// VEOF, the terminal's end-of-input character (Ctrl-D).
const EOF_CHAR: u8 = 0x04;

impl Connection {
    /// Run `command`, streaming into `sink`; `limit` bounds the wait for a
    /// channel and then each silence (a command still sending runs on).
    pub async fn run(
        &self,
        command: &RemoteCommand,
        sink: &mut dyn OutputSink,
        limit: Option<Duration>,
    ) -> Result<ExecOutcome, ExecError> {
        self.run_answering(command, sink, limit)
            .await
            .map(|(outcome, _)| outcome)
    }

    /// [`Connection::run`], also telling whether the command's prompt
    /// appeared and was answered (sudo asked for the password).
    pub async fn run_answering(
        &self,
        command: &RemoteCommand,
        sink: &mut dyn OutputSink,
        limit: Option<Duration>,
    ) -> Result<(ExecOutcome, bool), ExecError> {
        if command.line.len() > MAX_LINE {
            return Err(ExecError::TooLong(command.line.len()));
        }
        // `limit` bounds the wait for a channel and then each silence: a
        // command still sending output is making progress and runs on.
        let (_permit, channel) = within(limit, self.open_session_channel()).await??;
        let (mut reader, writer) = channel.split();
        let guard = CloseGuard::new(writer, &self.link);
        // Command lines carry no secrets by construction: passwords only travel on stdin.
        tracing::debug!(line = %command.line, pty = command.pty, "exec");

        if command.pty {
            let modes = [(Pty::ECHO, 0), (Pty::OPOST, 0), (Pty::ONLCR, 0)];
            let pty = guard
                .writer
                .request_pty(false, "dumb", 200, 50, 0, 0, &modes)
                .await;
            pty.map_err(|e| self.channel_error(e))?;
        }
        self.link.count_out(command.line.len());
        guard
            .writer
            .exec(true, command.line.as_bytes())
            .await
            .map_err(|e| self.channel_error(e))?;
        // Input goes after sudo's password; on a terminal only once the
        // command has started, since sudo flushes the terminal's pending input
        // when it has read the password.
        let gated = command.pty && command.start_marker.is_some();
        let mut stdin_sent = command.reply.is_none() && !gated;
        if stdin_sent {
            self.send_stdin(&guard, command).await?;
        }

        let mut state = Flow::new(command);
        while let Some(message) = within(limit, reader.wait()).await? {
            if let Some(reply) = state.handle(message, sink, &self.link)? {
                guard
                    .writer
                    .data_bytes(reply)
                    .await
                    .map_err(|e| self.channel_error(e))?;
                if !gated {
                    self.send_stdin(&guard, command).await?;
                    stdin_sent = true;
                }
            }
            if gated && !stdin_sent && state.settled {
                self.send_stdin(&guard, command).await?;
                stdin_sent = true;
            }
        }
        guard.finished();
        state.finish(sink);

        match (state.status, state.signal) {
            (None, None) => Err(self.lost_error().into()),
            (status, signal) => Ok((ExecOutcome { status, signal }, state.answered)),
        }
    }

    async fn send_stdin(
        &self,
        guard: &CloseGuard,
        command: &RemoteCommand,
    ) -> Result<(), ExecError> {
        let mut input = command.stdin.clone();
        if command.pty {
            // A terminal has no EOF of its own: ^D at the start of a line is
            // one (a second ^D ends a last line that has no newline).
            if !input.is_empty() && !input.ends_with(b"\n") {
                input.push(EOF_CHAR);
            }
            input.push(EOF_CHAR);
        }
        if !input.is_empty() {
            self.link.count_out(input.len());
            guard
                .writer
                .data_bytes(input)
                .await
                .map_err(|e| self.channel_error(e))?;
        }
        let _ = guard.writer.eof().await;
        Ok(())
    }

    /// Open a session channel, queueing rather than failing at the server's
    /// channel limit. The limit we assume (`--max-channels`) may be above the
    /// server's MaxSessions: a refusal while our own channels are open means
    /// exactly that, so we run with one channel fewer from then on and wait
    /// for one of ours to finish.
    async fn open_session_channel(
        &self,
    ) -> Result<(tokio::sync::OwnedSemaphorePermit, russh::Channel<Msg>), SshError> {
        use std::sync::atomic::Ordering;
        for attempt in 0..64 {
            let permit = self
                .limiter
                .clone()
                .acquire_owned()
                .await
                .map_err(|_| self.lost_error())?;
            // Counted from the request on, so concurrent opens see each other;
            // the command's CloseGuard gives the count back when it ends.
            self.link.channels_open.fetch_add(1, Ordering::Relaxed);
            let error = match self.handle.channel_open_session().await {
                Ok(channel) => return Ok((permit, channel)),
                Err(error) => error,
            };
            let ours_open = self.link.channels_open.fetch_sub(1, Ordering::Relaxed) - 1;
            let refused = matches!(error, russh::Error::ChannelOpenFailure(_));
            // A first refusal with nothing of ours open is the server saying no;
            // after that, it may still be freeing the slot of our last channel.
            if !refused || (ours_open == 0 && attempt == 0) || self.lost().is_some() {
                return Err(self.channel_error(error));
            }
            tracing::info!(
                ours_open,
                "server refused a channel: lowering the channel limit"
            );
            if ours_open > 0 {
                permit.forget();
            }
            // Wait for one of ours to close. The server frees its slot a moment
            // after our side sees the close, so also look again after a short
            // while: that moment is not observable from here.
            let closed = self.link.channel_closed.notified();
            let _ = tokio::time::timeout(std::time::Duration::from_millis(200), closed).await;
        }
        Err(SshError::ChannelRefused {
            reason: "the server keeps refusing channels".into(),
        })
    }

    /// Open a `direct-tcpip` tunnel from the host to `host:port`.
    pub async fn open_tunnel(
        &self,
        host: &str,
        port: u16,
    ) -> Result<russh::ChannelStream<Msg>, SshError> {
        let channel = self
            .handle
            .channel_open_direct_tcpip(host, port as u32, "127.0.0.1", 0)
            .await
            .map_err(|e| self.channel_error(e))?;
        Ok(channel.into_stream())
    }

    fn lost_error(&self) -> SshError {
        let reason = self
            .lost()
            .unwrap_or_else(|| "the channel closed early".to_string());
        SshError::Lost { reason }
    }

    fn channel_error(&self, error: russh::Error) -> SshError {
        if self.lost().is_some() {
            return self.lost_error();
        }
        match error {
            russh::Error::ChannelOpenFailure(why) => SshError::ChannelRefused {
                reason: format!("{why:?}"),
            },
            russh::Error::SendError | russh::Error::Disconnect => {
                self.link.mark_lost(error.to_string());
                self.lost_error()
            }
            other => SshError::ChannelRefused {
                reason: other.to_string(),
            },
        }
    }
}

/// Per-channel state while messages arrive.
struct Flow {
    reply: Option<PromptReply>,
    on_stdout: bool,
    watcher: Option<PromptWatcher>,
    answered: bool,
    /// The command itself is running: its output is never taken for sudo's.
    settled: bool,
    gate: Option<StartGate>,
    status: Option<u32>,
    signal: Option<String>,
}

impl Flow {
    fn new(command: &RemoteCommand) -> Flow {
        let watcher = command
            .reply
            .as_ref()
            .map(|r| PromptWatcher::new(r.prompt.as_bytes()));
        Flow {
            reply: command.reply.clone(),
            on_stdout: command.pty,
            watcher,
            answered: false,
            settled: false,
            gate: command.start_marker.as_deref().map(StartGate::new),
            status: None,
            signal: None,
        }
    }

    /// Handle one message; returns bytes to send back when a prompt was answered.
    fn handle(
        &mut self,
        message: ChannelMsg,
        sink: &mut dyn OutputSink,
        link: &Arc<super::connect::Link>,
    ) -> Result<Option<Vec<u8>>, ExecError> {
        match message {
            ChannelMsg::Data { data } => {
                link.count_in(data.len());
                self.stdout(&data, sink)
            }
            ChannelMsg::ExtendedData { data, ext: 1 } => {
                link.count_in(data.len());
                self.stderr(&data, sink)
            }
            ChannelMsg::ExitStatus { exit_status } => {
                self.status = Some(exit_status);
                Ok(None)
            }
            ChannelMsg::ExitSignal { signal_name, .. } => {
                self.signal = Some(format!("{signal_name:?}"));
                Ok(None)
            }
            ChannelMsg::Failure => Err(SshError::ChannelRefused {
                reason: "the server would not run the command".into(),
            }
            .into()),
            _ => Ok(None),
        }
    }

    fn stdout(
        &mut self,
        data: &[u8],
        sink: &mut dyn OutputSink,
    ) -> Result<Option<Vec<u8>>, ExecError> {
        let (data, reply) = match self.on_stdout {
            true => self.watch(data)?,
            // With sudo -S the prompt is on stderr; output on stdout means the
            // command has started.
            false => {
                self.settled = true;
                (data.to_vec(), None)
            }
        };
        match &mut self.gate {
            Some(gate) => {
                if let Some(rest) = gate.feed(&data) {
                    // Past the start marker: the command's own output begins.
                    self.settled = true;
                    sink.stdout(&rest);
                }
            }
            None => sink.stdout(&data),
        }
        Ok(reply)
    }

    fn stderr(
        &mut self,
        data: &[u8],
        sink: &mut dyn OutputSink,
    ) -> Result<Option<Vec<u8>>, ExecError> {
        let (data, reply) = match self.on_stdout {
            false => self.watch(data)?,
            true => (data.to_vec(), None),
        };
        sink.stderr(&data);
        Ok(reply)
    }

    /// Strip the prompt from `data` and answer it once. After the answer only
    /// sudo's own "Sorry, try again." means the answer was wrong: the command's
    /// output may quote the prompt (`ps` shows sudo's command line) and is
    /// passed on untouched.
    fn watch(&mut self, data: &[u8]) -> Result<(Vec<u8>, Option<Vec<u8>>), ExecError> {
        if self.settled {
            return Ok((data.to_vec(), None));
        }
        if self.answered {
            let text = String::from_utf8_lossy(data);
            if text.contains("Sorry, try again") || text.contains("incorrect password") {
                return Err(ExecError::PromptRepeated);
            }
            return Ok((data.to_vec(), None));
        }
        let Some(watcher) = &mut self.watcher else {
            return Ok((data.to_vec(), None));
        };
        let (mut forward, prompts) = watcher.feed(data);
        if prompts == 0 {
            return Ok((forward, None));
        }
        if prompts > 1 {
            return Err(ExecError::PromptRepeated);
        }
        forward.extend(watcher.finish());
        self.answered = true;
        let answer = self.reply.as_ref().and_then(|r| r.answer.as_ref());
        let answer = answer.ok_or(ExecError::NoAnswer)?;
        let mut bytes = answer.expose().as_bytes().to_vec();
        bytes.push(b'\n');
        Ok((forward, Some(bytes)))
    }

    /// Flush held-back bytes. A PTY preamble that never reached the marker is
    /// sudo talking (an error), so it is shown on stderr.
    fn finish(&mut self, sink: &mut dyn OutputSink) {
        if let Some(watcher) = &mut self.watcher {
            let rest = watcher.finish();
            if !rest.is_empty() {
                if self.on_stdout {
                    sink.stdout(&rest)
                } else {
                    sink.stderr(&rest)
                }
            }
        }
        if let Some(gate) = self.gate.take() {
            let preamble = gate.unreleased();
            if !preamble.is_empty() {
                sink.stderr(&preamble);
            }
        }
    }
}

/// Finds and removes an exact prompt in a byte stream split at arbitrary points.
pub struct PromptWatcher {
    prompt: Vec<u8>,
    carry: Vec<u8>,
}

impl PromptWatcher {
    pub fn new(prompt: &[u8]) -> Self {
        PromptWatcher {
            prompt: prompt.to_vec(),
            carry: Vec::new(),
        }
    }

    /// Returns the bytes safe to pass on and how many prompts were removed.
    pub fn feed(&mut self, data: &[u8]) -> (Vec<u8>, usize) {
        let mut buf = std::mem::take(&mut self.carry);
        buf.extend_from_slice(data);
        let mut out = Vec::with_capacity(buf.len());
        let mut found = 0;
        let mut i = 0;
        while i < buf.len() {
            if buf[i..].starts_with(&self.prompt) {
                found += 1;
                i += self.prompt.len();
                continue;
            }
            // A tail that could still become the prompt waits for more bytes.
            if self.prompt.starts_with(&buf[i..]) {
                self.carry = buf[i..].to_vec();
                break;
            }
            out.push(buf[i]);
            i += 1;
        }
        (out, found)
    }

    pub fn finish(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.carry)
    }
}

/// Holds back output until a line equal to the marker has passed.
struct StartGate {
    marker: Vec<u8>,
    held: Vec<u8>,
    open: bool,
}

/// The most preamble kept while waiting for the marker.
const GATE_LIMIT: usize = 64 * 1024;

impl StartGate {
    fn new(marker: &str) -> Self {
        StartGate {
            marker: marker.as_bytes().to_vec(),
            held: Vec::new(),
            open: false,
        }
    }

    /// Returns what may be shown now.
    fn feed(&mut self, data: &[u8]) -> Option<Vec<u8>> {
        if self.open {
            return Some(data.to_vec());
        }
        self.held.extend_from_slice(data);
        let mut line_start = 0;
        while let Some(nl) = self.held[line_start..].iter().position(|b| *b == b'\n') {
            let line = &self.held[line_start..line_start + nl];
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            line_start += nl + 1;
            if line == self.marker.as_slice() {
                self.open = true;
                let rest = self.held.split_off(line_start);
                self.held.clear();
                return Some(rest);
            }
        }
        if self.held.len() > GATE_LIMIT {
            let cut = self.held.len() - GATE_LIMIT;
            self.held.drain(..cut);
        }
        None
    }

    fn unreleased(self) -> Vec<u8> {
        if self.open { Vec::new() } else { self.held }
    }
}

/// Closes the channel if the command is abandoned (Ctrl-C, timeout, error), so
/// the remote side sees the close and the channel slot is freed.
struct CloseGuard {
    writer: Arc<ChannelWriteHalf<Msg>>,
    link: Arc<super::connect::Link>,
    done: bool,
}

impl CloseGuard {
    fn new(writer: ChannelWriteHalf<Msg>, link: &Arc<super::connect::Link>) -> Self {
        CloseGuard {
            writer: Arc::new(writer),
            link: link.clone(),
            done: false,
        }
    }

    fn finished(mut self) {
        self.done = true;
    }
}

impl Drop for CloseGuard {
    fn drop(&mut self) {
        self.link
            .channels_open
            .fetch_sub(1, std::sync::atomic::Ordering::Relaxed);
        if self.done {
            return;
        }
        let writer = self.writer.clone();
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(async move {
                let _ = writer.signal(russh::Sig::TERM).await;
                let _ = writer.close().await;
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prompt_split_across_chunks_is_found_and_removed() {
        let mut w = PromptWatcher::new(b"[vmsdbg:ab] ");
        let (a, n1) = w.feed(b"warning\n[vms");
        let (b, n2) = w.feed(b"dbg:ab] after");
        assert_eq!((n1, n2), (0, 1));
        assert_eq!([a, b].concat(), b"warning\nafter");
    }

    #[test]
    fn partial_prompt_at_end_is_released_by_finish() {
        let mut w = PromptWatcher::new(b"PROMPT");
        let (a, n) = w.feed(b"xxPRO");
        assert_eq!((a.as_slice(), n), (&b"xx"[..], 0));
        assert_eq!(w.finish(), b"PRO");
    }

    #[test]
    fn two_prompts_counted() {
        let mut w = PromptWatcher::new(b"P> ");
        let (out, n) = w.feed(b"P> Sorry, try again.\nP> ");
        assert_eq!(n, 2);
        assert_eq!(out, b"Sorry, try again.\n");
    }

    #[test]
    fn gate_drops_preamble_and_keeps_the_rest() {
        let mut g = StartGate::new("BEGIN-1");
        assert_eq!(g.feed(b"[sudo] password: \r\nBEG"), None);
        assert_eq!(
            g.feed(b"IN-1\r\nline one\n").as_deref(),
            Some(&b"line one\n"[..])
        );
        assert_eq!(g.feed(b"two\n").as_deref(), Some(&b"two\n"[..]));
    }

    #[test]
    fn gate_never_opened_gives_back_the_preamble() {
        let mut g = StartGate::new("BEGIN-1");
        assert_eq!(g.feed(b"Sorry, try again.\n"), None);
        assert_eq!(g.unreleased(), b"Sorry, try again.\n");
    }
}
