//! [`SimHost`]: a simulated VMS listening on a loopback port, speaking SSH through
//! russh's server side. It accepts connections until shut down (explicitly or on drop);
//! shutting down cuts every connection, which ends their channels and commands too.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use russh::keys::{Algorithm, PrivateKey, PublicKey};
use russh::{MethodKind, MethodSet};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::config::SimConfig;
use crate::faults::Faults;
use crate::handler::{Connection, HostState, Site};

/// Why a simulated host could not start.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    /// The loopback port could not be bound.
    #[error("cannot listen on 127.0.0.1:{port}: {source}")]
    Bind {
        /// The port asked for (0 for any).
        port: u16,
        /// The socket error.
        source: std::io::Error,
    },
}

/// A running simulated host.
pub struct SimHost {
    addr: SocketAddr,
    faults: Faults,
    stop: watch::Sender<bool>,
    accept_task: Option<JoinHandle<()>>,
}

/// A fresh Ed25519 host key.
pub fn generate_host_key() -> PrivateKey {
    // Ed25519 key generation from the OS RNG does not fail.
    PrivateKey::random(&mut rand::rng(), Algorithm::Ed25519).expect("ed25519 key generation")
}

impl SimHost {
    /// Starts listening on `127.0.0.1:config.port` and serving in the background.
    pub async fn start(config: SimConfig) -> Result<SimHost, SimError> {
        let port = config.port;
        let listener = TcpListener::bind(("127.0.0.1", port))
            .await
            .map_err(|source| SimError::Bind { port, source })?;
        let addr = listener
            .local_addr()
            .map_err(|source| SimError::Bind { port, source })?;

        let faults = Faults::new(config.host_key.clone().unwrap_or_else(generate_host_key));
        let host = Arc::new(host_state(config, faults.clone()));
        let (stop, stopped) = watch::channel(false);
        let accept_task = tokio::spawn(accept_loop(listener, host, stopped));
        tracing::info!(%addr, "simulated VMS listening");
        Ok(SimHost {
            addr,
            faults,
            stop,
            accept_task: Some(accept_task),
        })
    }

    /// The listening address (always on 127.0.0.1).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The listening port.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// The host key new connections see.
    pub fn public_key(&self) -> PublicKey {
        self.faults.host_key().public_key().clone()
    }

    /// A handle to switch faults while the host runs.
    pub fn faults(&self) -> Faults {
        self.faults.clone()
    }

    /// New host key for the next connections; returns its public half.
    pub fn rotate_host_key(&self) -> PublicKey {
        self.faults.rotate_host_key()
    }

    /// Stops accepting, cuts every connection and waits for the listener to close.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        if let Some(task) = self.accept_task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for SimHost {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

fn host_state(config: SimConfig, faults: Faults) -> HostState {
    let mut user_worlds = HashMap::new();
    let mut users = HashMap::new();
    for user in config.users {
        if let Some(world) = &user.world {
            user_worlds.insert(user.name.clone(), Site::new(world.clone()));
        }
        users.insert(user.name.clone(), Arc::new(user));
    }
    HostState {
        users,
        world: Site::new(config.world),
        user_worlds,
        faults,
    }
}

/// russh settings for one connection, with the host key current at connect time.
fn ssh_config(key: PrivateKey) -> russh::server::Config {
    let mut methods = MethodSet::empty();
    for kind in [
        MethodKind::PublicKey,
        MethodKind::Password,
        MethodKind::KeyboardInteractive,
    ] {
        methods.push(kind);
    }
    russh::server::Config {
        methods,
        keys: vec![key],
        auth_rejection_time: Duration::from_millis(20),
        auth_rejection_time_initial: Some(Duration::ZERO),
        inactivity_timeout: None,
        ..Default::default()
    }
}

async fn accept_loop(
    listener: TcpListener,
    host: Arc<HostState>,
    mut stopped: watch::Receiver<bool>,
) {
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => {
                    tracing::debug!(%peer, "connection");
                    tokio::spawn(serve_connection(stream, host.clone(), stopped.clone()));
                }
                Err(err) => tracing::warn!(%err, "accept failed"),
            },
            _ = stopped.changed() => return,
        }
    }
}

/// Runs one SSH connection until it ends or the host stops.
async fn serve_connection(
    stream: TcpStream,
    host: Arc<HostState>,
    mut stopped: watch::Receiver<bool>,
) {
    // Small SSH packets must not wait for Nagle's delayed ACK (about 40 ms a
    // round trip); russh sets this only in its own accept loop, not for run_stream.
    let _ = stream.set_nodelay(true);
    // Keep a second handle on the socket so faults and shutdown can cut it abruptly.
    let Ok(std_stream) = stream.into_std() else {
        return;
    };
    let Ok(socket) = std_stream.try_clone() else {
        return;
    };
    let Ok(stream) = TcpStream::from_std(std_stream) else {
        return;
    };
    let socket = Arc::new(socket);

    let config = Arc::new(ssh_config(host.faults.host_key()));
    let handler = Connection::new(host, socket.clone());
    let Ok(session) = russh::server::run_stream(config, stream, handler).await else {
        return;
    };
    tokio::select! {
        result = session => {
            if let Err(err) = result {
                tracing::debug!(%err, "connection ended");
            }
        }
        _ = stopped.changed() => {
            let _ = socket.shutdown(std::net::Shutdown::Both);
        }
    }
}
