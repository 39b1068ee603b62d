//! One session channel from open to close: collect the PTY request, take the exec
//! request, apply the faults that concern commands (latency, stall, drop), run the
//! command line, and end as OpenSSH does (exit-status, EOF, close).

use std::sync::Arc;

use russh::server::Msg;
use russh::{Channel, ChannelMsg};

use crate::exec::{Env, Shell};
use crate::io::{Dest, Io, PtyModes, Stop};

/// Serves a session channel until it closes.
pub(crate) async fn serve(channel: Channel<Msg>, env: Arc<Env>, socket: Arc<std::net::TcpStream>) {
    let (rx, tx) = channel.split();
    let mut io = Io::new(rx, tx);

    let command = loop {
        match io.next_message().await {
            Some(ChannelMsg::RequestPty { terminal_modes, .. }) => {
                io.pty = Some(PtyModes::from_request(&terminal_modes));
            }
            Some(ChannelMsg::Exec { command, .. }) => break command,
            // The handler refused the shell request; there is nothing to run.
            Some(ChannelMsg::RequestShell { .. }) => return io.abandon().await,
            Some(_) => {}
            None => return,
        }
    };
    let line = String::from_utf8_lossy(&command).into_owned();
    tracing::debug!(user = %env.user.name, %line, "exec");

    let faults = env.faults.snapshot();
    if !faults.latency.is_zero() {
        tokio::select! {
            _ = tokio::time::sleep(faults.latency) => {}
            _ = io.closed() => return,
        }
    }
    if faults
        .stall_on
        .as_deref()
        .is_some_and(|needle| line.contains(needle))
    {
        // A stalled command answers nothing until the client gives up on the channel.
        return io.closed().await;
    }
    if faults
        .drop_on
        .as_deref()
        .is_some_and(|needle| line.contains(needle))
    {
        io.arm_kill(socket);
    }

    let mut shell = Shell::new(&env, &mut io);
    let status = shell.run_script(&line, Dest::Stdout, Dest::Stderr).await;
    match status {
        Ok(code) | Err(Stop::Exit(code)) => io.finish(code).await,
        Err(Stop::Cancelled) => {}
    }
}
