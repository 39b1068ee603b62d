//! One session channel's standard streams: stdin gathered from channel data, stdout
//! and stderr written as data and extended data (or both as data on a PTY, with the
//! terminal's newline translation), and the armed "drop the connection" fault.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

use russh::server::Msg;
use russh::{ChannelMsg, ChannelReadHalf, ChannelWriteHalf, Pty};

/// Why a command stopped before finishing normally.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stop {
    /// The channel or the connection closed; nothing more can be written.
    Cancelled,
    /// `exit N` ended the script.
    Exit(u32),
}

/// Where a command's descriptor writes to after redirections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dest {
    /// The channel's standard output.
    Stdout,
    /// The channel's standard error.
    Stderr,
    /// `/dev/null`.
    Null,
    /// The pipe to the next command of a pipeline.
    Pipe,
}

/// The terminal a PTY request described.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PtyModes {
    /// Output processing turns `\n` into `\r\n` (OPOST and ONLCR both on).
    pub(crate) onlcr: bool,
}

impl PtyModes {
    /// Reads the modes the client sent; unspecified modes keep their usual defaults (on).
    pub(crate) fn from_request(modes: &[(Pty, u32)]) -> PtyModes {
        let on = |which: Pty| {
            modes
                .iter()
                .find(|(m, _)| *m == which)
                .is_none_or(|(_, v)| *v != 0)
        };
        PtyModes {
            onlcr: on(Pty::OPOST) && on(Pty::ONLCR),
        }
    }
}

/// The streams of one session channel.
pub(crate) struct Io {
    rx: ChannelReadHalf,
    tx: ChannelWriteHalf<Msg>,
    stdin: VecDeque<u8>,
    eof: bool,
    closed: bool,
    /// Set once a PTY was requested.
    pub(crate) pty: Option<PtyModes>,
    /// The connection's socket, when the drop fault is armed for this command.
    kill: Option<Arc<std::net::TcpStream>>,
    /// Output buffers of the pipelines being run, innermost last.
    pipes: Vec<Vec<u8>>,
    /// Piped stdin of the commands being run, innermost last; it replaces the channel.
    inputs: Vec<VecDeque<u8>>,
}

impl Io {
    pub(crate) fn new(rx: ChannelReadHalf, tx: ChannelWriteHalf<Msg>) -> Io {
        Io {
            rx,
            tx,
            stdin: VecDeque::new(),
            eof: false,
            closed: false,
            pty: None,
            kill: None,
            pipes: Vec::new(),
            inputs: Vec::new(),
        }
    }

    /// Waits for the next channel message; returns it after recording stdin effects.
    pub(crate) async fn next_message(&mut self) -> Option<ChannelMsg> {
        if self.closed {
            return None;
        }
        let msg = self.rx.wait().await;
        match &msg {
            Some(ChannelMsg::Data { data }) => self.stdin.extend(data.iter()),
            Some(ChannelMsg::Eof) => self.eof = true,
            Some(ChannelMsg::Close) | None => self.closed = true,
            _ => {}
        }
        msg
    }

    /// Resolves when the channel or connection closes; stdin is kept meanwhile.
    pub(crate) async fn closed(&mut self) {
        while self.next_message().await.is_some() && !self.closed {}
    }

    /// Reads one line of stdin (terminated by `\n` or, from a terminal, `\r`), without
    /// its terminator. `Ok(None)` at end of input with nothing read.
    pub(crate) async fn read_line(&mut self) -> Result<Option<Vec<u8>>, Stop> {
        if let Some(input) = self.inputs.last_mut() {
            let end = input
                .iter()
                .position(|&b| b == b'\n')
                .map_or(input.len(), |at| at + 1);
            let mut line: Vec<u8> = input.drain(..end).collect();
            if line.last() == Some(&b'\n') {
                line.pop();
            } else if line.is_empty() {
                return Ok(None);
            }
            return Ok(Some(line));
        }
        loop {
            if let Some(at) = self.stdin.iter().position(|&b| b == b'\n' || b == b'\r') {
                let mut line: Vec<u8> = self.stdin.drain(..=at).collect();
                line.pop();
                // A terminal sends `\r\n` for Enter when ICRNL is off; drop the `\n` too.
                if self.stdin.front() == Some(&b'\n') && self.pty.is_some() {
                    self.stdin.pop_front();
                }
                return Ok(Some(line));
            }
            if self.eof {
                let rest: Vec<u8> = self.stdin.drain(..).collect();
                return Ok((!rest.is_empty()).then_some(rest));
            }
            if self.closed || self.next_message().await.is_none() {
                return Err(Stop::Cancelled);
            }
        }
    }

    /// Reads stdin to its end.
    pub(crate) async fn read_all(&mut self) -> Result<Vec<u8>, Stop> {
        if let Some(input) = self.inputs.last_mut() {
            return Ok(input.drain(..).collect());
        }
        while !self.eof {
            if self.closed || self.next_message().await.is_none() {
                return Err(Stop::Cancelled);
            }
        }
        Ok(self.stdin.drain(..).collect())
    }

    /// Starts collecting what a pipeline stage writes to [`Dest::Pipe`].
    pub(crate) fn open_pipe(&mut self) {
        self.pipes.push(Vec::new());
    }

    /// Ends the innermost pipe and returns what was written to it.
    pub(crate) fn close_pipe(&mut self) -> Vec<u8> {
        self.pipes.pop().unwrap_or_default()
    }

    /// Makes `bytes` the stdin of the commands that follow, until [`Io::pop_input`].
    pub(crate) fn push_input(&mut self, bytes: Vec<u8>) {
        self.inputs.push(bytes.into());
    }

    /// Restores the previous stdin.
    pub(crate) fn pop_input(&mut self) {
        self.inputs.pop();
    }

    /// Arms the drop fault: the next write sends half its bytes, then the connection dies.
    pub(crate) fn arm_kill(&mut self, socket: Arc<std::net::TcpStream>) {
        self.kill = Some(socket);
    }

    /// Writes `bytes` to `dest`.
    pub(crate) async fn write(&mut self, dest: Dest, bytes: &[u8]) -> Result<(), Stop> {
        if dest == Dest::Null || bytes.is_empty() {
            return Ok(());
        }
        if dest == Dest::Pipe {
            if let Some(pipe) = self.pipes.last_mut() {
                pipe.extend_from_slice(bytes);
            }
            return Ok(());
        }
        if self.kill.is_some() {
            let half = &bytes[..bytes.len() / 2];
            let _ = self.send(dest, half).await;
            return Err(self.kill_now().await);
        }
        self.send(dest, bytes).await
    }

    async fn send(&mut self, dest: Dest, bytes: &[u8]) -> Result<(), Stop> {
        let sent = match self.pty {
            Some(modes) => {
                let shown = if modes.onlcr {
                    onlcr(bytes)
                } else {
                    bytes.to_vec()
                };
                self.tx.data(&shown[..]).await
            }
            None if dest == Dest::Stderr => self.tx.extended_data(1, bytes).await,
            None => self.tx.data(bytes).await,
        };
        sent.map_err(|_| Stop::Cancelled)
    }

    /// Cuts the TCP connection under the SSH session, as a network failure would.
    async fn kill_now(&mut self) -> Stop {
        if let Some(socket) = self.kill.take() {
            // Give the half-written output a moment to reach the client first; this is
            // fault injection, where a short fixed wait is the point.
            tokio::time::sleep(Duration::from_millis(30)).await;
            let _ = socket.shutdown(std::net::Shutdown::Both);
        }
        self.closed = true;
        Stop::Cancelled
    }

    /// Ends the command the way OpenSSH does: exit-status, EOF, close.
    pub(crate) async fn finish(&mut self, code: u32) {
        if self.kill.is_some() {
            self.kill_now().await;
            return;
        }
        let _ = self.tx.exit_status(code).await;
        let _ = self.tx.eof().await;
        let _ = self.tx.close().await;
    }

    /// Closes the channel without an exit status (a refused request).
    pub(crate) async fn abandon(&mut self) {
        let _ = self.tx.eof().await;
        let _ = self.tx.close().await;
    }
}

/// `\n` → `\r\n`, as a terminal with ONLCR shows output.
fn onlcr(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() + bytes.len() / 16);
    for &b in bytes {
        if b == b'\n' {
            out.push(b'\r');
        }
        out.push(b);
    }
    out
}
