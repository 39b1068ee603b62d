//! The russh server handler for one connection: authentication against the
//! configured users and the auth fault, session channels (capped by the MaxSessions
//! fault) handed to [`crate::channel`], and `direct-tcpip` to tenant Redis addresses.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use russh::server::{
    Auth, ChannelOpenHandle, Msg, PublicKeyOffer, Response, Session, VerifiedPublicKey,
};
use russh::{Channel, ChannelId, ChannelOpenFailure};

use crate::config::SimUser;
use crate::exec::Env;
use crate::faults::Faults;
use crate::redis_link::RedisDbs;
use crate::world::World;

/// What all connections of one host share.
pub(crate) struct HostState {
    /// Accounts by name.
    pub(crate) users: HashMap<String, Arc<SimUser>>,
    /// The world of users without their own, with its Redis databases.
    pub(crate) world: Site,
    /// Per-user worlds.
    pub(crate) user_worlds: HashMap<String, Site>,
    /// Fault switches.
    pub(crate) faults: Faults,
}

/// A world and its Redis databases, shared by every connection that sees it.
#[derive(Clone)]
pub(crate) struct Site {
    /// The world.
    pub(crate) world: Arc<World>,
    /// Its tenants' Redis databases.
    pub(crate) redis: Arc<RedisDbs>,
}

impl Site {
    /// Prepares a world for serving.
    pub(crate) fn new(world: World) -> Site {
        let redis = Arc::new(RedisDbs::from_world(&world));
        Site {
            world: Arc::new(world),
            redis,
        }
    }
}

/// One client connection.
pub(crate) struct Connection {
    host: Arc<HostState>,
    socket: Arc<std::net::TcpStream>,
    env: Option<Arc<Env>>,
    open_sessions: Arc<AtomicUsize>,
}

impl Connection {
    pub(crate) fn new(host: Arc<HostState>, socket: Arc<std::net::TcpStream>) -> Connection {
        Connection {
            host,
            socket,
            env: None,
            open_sessions: Arc::new(AtomicUsize::new(0)),
        }
    }

    fn user(&self, name: &str) -> Option<Arc<SimUser>> {
        if self.host.faults.snapshot().reject_auth {
            return None;
        }
        self.host.users.get(name).cloned()
    }

    /// Records a successful login and says so to russh.
    fn accept(&mut self, user: Arc<SimUser>) -> Auth {
        let site = self.host.user_worlds.get(&user.name);
        let Site { world, redis } = site.unwrap_or(&self.host.world).clone();
        let index = self.host.users.keys().filter(|n| **n < user.name).count() as u32;
        let uid = if user.is_root() { 0 } else { 1000 + index };
        let faults = self.host.faults.clone();
        self.env = Some(Arc::new(Env {
            user,
            world,
            faults,
            uid,
            redis,
        }));
        Auth::Accept
    }

    fn key_allowed(&self, name: &str, key: &russh::keys::PublicKey) -> Option<Arc<SimUser>> {
        let user = self.user(name)?;
        let allowed = user
            .authorized_keys
            .iter()
            .any(|k| k.key_data() == key.key_data());
        allowed.then_some(user)
    }
}

impl russh::server::Handler for Connection {
    type Error = russh::Error;

    async fn auth_password(&mut self, name: &str, password: &str) -> Result<Auth, Self::Error> {
        match self.user(name) {
            Some(user) if user.password.as_deref() == Some(password) => Ok(self.accept(user)),
            _ => Ok(Auth::reject()),
        }
    }

    async fn auth_publickey_offered(
        &mut self,
        name: &str,
        offer: PublicKeyOffer<'_>,
    ) -> Result<Auth, Self::Error> {
        Ok(match self.key_allowed(name, offer.public_key) {
            Some(_) => Auth::Accept,
            None => Auth::reject(),
        })
    }

    async fn auth_publickey(
        &mut self,
        name: &str,
        key: VerifiedPublicKey<'_>,
    ) -> Result<Auth, Self::Error> {
        match self.key_allowed(name, key.public_key) {
            Some(user) => Ok(self.accept(user)),
            None => Ok(Auth::reject()),
        }
    }

    async fn auth_keyboard_interactive<'a>(
        &'a mut self,
        name: &str,
        _submethods: &str,
        response: Option<Response<'a>>,
    ) -> Result<Auth, Self::Error> {
        let Some(user) = self.user(name).filter(|u| u.keyboard_interactive) else {
            return Ok(Auth::reject());
        };
        let Some(mut response) = response else {
            return Ok(Auth::Partial {
                name: "".into(),
                instructions: "".into(),
                prompts: vec![("Password: ".into(), false)].into(),
            });
        };
        let answer = response.next();
        let right = user.password.as_deref().map(str::as_bytes);
        match (answer, right) {
            (Some(given), Some(right)) if given.as_ref() == right => Ok(self.accept(user)),
            _ => Ok(Auth::reject()),
        }
    }

    async fn channel_open_session(
        &mut self,
        channel: Channel<Msg>,
        reply: ChannelOpenHandle,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        let Some(env) = self.env.clone() else {
            reply
                .reject(ChannelOpenFailure::AdministrativelyProhibited)
                .await;
            return Ok(());
        };
        let limit = self.host.faults.snapshot().max_sessions;
        let open = self.open_sessions.load(Ordering::SeqCst);
        if limit.is_some_and(|limit| open >= limit) {
            reply
                .reject(ChannelOpenFailure::AdministrativelyProhibited)
                .await;
            return Ok(());
        }

        self.open_sessions.fetch_add(1, Ordering::SeqCst);
        reply.accept().await;
        let counter = self.open_sessions.clone();
        let socket = self.socket.clone();
        tokio::spawn(async move {
            crate::channel::serve(channel, env, socket).await;
            counter.fetch_sub(1, Ordering::SeqCst);
        });
        Ok(())
    }

    async fn channel_open_direct_tcpip(
        &mut self,
        channel: Channel<Msg>,
        host: &str,
        port: u32,
        _originator: &str,
        _originator_port: u32,
        reply: ChannelOpenHandle,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        let Some(env) = self.env.clone() else {
            reply
                .reject(ChannelOpenFailure::AdministrativelyProhibited)
                .await;
            return Ok(());
        };
        if self.host.faults.snapshot().refuse_forwarding {
            reply
                .reject(ChannelOpenFailure::AdministrativelyProhibited)
                .await;
            return Ok(());
        }
        let db = env.redis.at(&env.world, host, port);
        crate::redis_link::open(channel, reply, db).await;
        Ok(())
    }

    async fn pty_request(
        &mut self,
        channel: ChannelId,
        _term: &str,
        _cols: u32,
        _rows: u32,
        _pix_width: u32,
        _pix_height: u32,
        _modes: &[(russh::Pty, u32)],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_success(channel)
    }

    async fn env_request(
        &mut self,
        channel: ChannelId,
        _name: &str,
        _value: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        // sshd's default AcceptEnv accepts only LANG and LC_*; refusing is harmless.
        session.channel_failure(channel)
    }

    async fn shell_request(
        &mut self,
        channel: ChannelId,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_failure(channel)
    }

    async fn exec_request(
        &mut self,
        channel: ChannelId,
        _data: &[u8],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_success(channel)
    }

    async fn subsystem_request(
        &mut self,
        channel: ChannelId,
        _name: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_failure(channel)
    }
}
