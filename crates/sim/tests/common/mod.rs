//! A small russh client for the simulator's tests: connect, log in, run a command on
//! its own channel and collect stdout, stderr, exit status and the order of events.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use russh::client::{self, Handle};
use russh::keys::{PrivateKey, PrivateKeyWithHashAlg, PublicKey};
use russh::{ChannelMsg, Pty};
use vmsdbg_sim::{DEMO_PASSWORD, SimConfig, SimHost};

/// Remembers the host key the server presented.
pub struct Client {
    pub seen_key: Arc<Mutex<Option<PublicKey>>>,
}

impl client::Handler for Client {
    type Error = russh::Error;

    async fn check_server_key(
        &mut self,
        key: &russh::keys::PublicKeyOrCertificate,
    ) -> Result<bool, Self::Error> {
        if let russh::keys::PublicKeyOrCertificate::PublicKey { key, .. } = key {
            *self.seen_key.lock().expect("lock") = Some(key.clone());
        }
        Ok(true)
    }
}

pub async fn demo_host() -> SimHost {
    SimHost::start(SimConfig::demo()).await.expect("sim starts")
}

pub async fn connect(host: &SimHost) -> (Handle<Client>, Arc<Mutex<Option<PublicKey>>>) {
    let seen = Arc::new(Mutex::new(None));
    let client = Client {
        seen_key: seen.clone(),
    };
    let config = Arc::new(client::Config::default());
    let handle = client::connect(config, host.addr(), client)
        .await
        .expect("connects");
    (handle, seen)
}

/// Connects and logs in with a password; panics if refused.
pub async fn login(host: &SimHost, user: &str) -> Handle<Client> {
    let (mut handle, _) = connect(host).await;
    let auth = handle
        .authenticate_password(user, DEMO_PASSWORD)
        .await
        .expect("auth runs");
    assert!(auth.success(), "{user} must log in");
    handle
}

pub async fn login_key(host: &SimHost, user: &str, key: &PrivateKey) -> bool {
    let (mut handle, _) = connect(host).await;
    let key = PrivateKeyWithHashAlg::new(Arc::new(key.clone()), None);
    handle
        .authenticate_publickey(user, key)
        .await
        .expect("auth runs")
        .success()
}

/// Everything one command produced, in arrival order.
#[derive(Debug, Default)]
pub struct Run {
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    pub code: Option<u32>,
    pub events: Vec<&'static str>,
}

impl Run {
    pub fn out(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }
    pub fn err(&self) -> String {
        String::from_utf8_lossy(&self.stderr).into_owned()
    }
}

/// How to drive a command.
#[derive(Default)]
pub struct Script<'a> {
    /// Request a PTY (echo off, no output processing) first.
    pub pty: bool,
    /// When stderr (or, on a PTY, stdout) ends with `.0`, send `.1`.
    pub answers: Vec<(&'a str, &'a str)>,
    /// Send EOF once the answers are used up.
    pub eof_after_answers: bool,
}

pub async fn run(handle: &Handle<Client>, command: &str) -> Run {
    drive(handle, command, Script::default()).await
}

pub async fn drive(handle: &Handle<Client>, command: &str, script: Script<'_>) -> Run {
    let mut channel = handle.channel_open_session().await.expect("channel opens");
    if script.pty {
        let modes = [(Pty::ECHO, 0), (Pty::OPOST, 0)];
        channel
            .request_pty(true, "xterm", 80, 24, 0, 0, &modes)
            .await
            .expect("pty");
    }
    channel.exec(true, command).await.expect("exec");
    let mut answers = script.answers.into_iter();
    let mut next = answers.next();
    if next.is_none() && script.eof_after_answers {
        channel.eof().await.expect("eof");
    }
    let mut run = Run::default();
    while let Some(msg) = tokio::time::timeout(Duration::from_secs(10), channel.wait())
        .await
        .expect("no hang")
    {
        match msg {
            ChannelMsg::Data { data } => {
                run.stdout.extend_from_slice(&data);
                run.events.push("data");
            }
            ChannelMsg::ExtendedData { data, ext: 1 } => {
                run.stderr.extend_from_slice(&data);
                run.events.push("stderr");
            }
            ChannelMsg::ExitStatus { exit_status } => {
                run.code = Some(exit_status);
                run.events.push("exit");
            }
            ChannelMsg::Eof => run.events.push("eof"),
            ChannelMsg::Close => run.events.push("close"),
            _ => continue,
        }
        if let Some((prompt, answer)) = next {
            let seen = if script.pty { &run.stdout } else { &run.stderr };
            if seen.ends_with(prompt.as_bytes()) {
                channel
                    .data(format!("{answer}\n").as_bytes())
                    .await
                    .expect("answer");
                next = answers.next();
                if next.is_none() && script.eof_after_answers {
                    channel.eof().await.expect("eof");
                }
            }
        }
    }
    run
}
