//! Who may log in to a simulated host and what each user may do: passwords, keys,
//! keyboard-interactive, sudo policy, `requiretty`, and an optional world of their own.

use russh::keys::{PrivateKey, PublicKey};

use crate::world::World;

/// What sudo lets a user do, as their sudoers entry would.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SudoPolicy {
    /// Not in sudoers at all.
    #[default]
    None,
    /// `ALL=(ALL) ALL`: sudo asks for the user's password.
    Password,
    /// `ALL=(ALL) NOPASSWD: ALL`.
    NoPasswd,
}

/// One account on the simulated host. The user named `root` is root.
#[derive(Debug, Clone, Default)]
pub struct SimUser {
    /// Login name.
    pub name: String,
    /// Password for SSH `password` auth, keyboard-interactive and sudo; `None` disables
    /// password logins (sudo then never succeeds with a password).
    pub password: Option<String>,
    /// Keys accepted for `publickey` auth.
    pub authorized_keys: Vec<PublicKey>,
    /// Whether keyboard-interactive auth (one `Password:` prompt) is offered.
    pub keyboard_interactive: bool,
    /// The user's sudoers entry.
    pub sudo: SudoPolicy,
    /// `Defaults:USER requiretty`: sudo refuses to run without a PTY.
    pub requiretty: bool,
    /// A world only this user sees (kubectl, logs, Redis); `None` uses the host's.
    pub world: Option<World>,
}

impl SimUser {
    /// A user with a password and the given sudo policy.
    pub fn with_password(name: &str, password: &str, sudo: SudoPolicy) -> SimUser {
        SimUser {
            name: name.to_string(),
            password: Some(password.to_string()),
            sudo,
            ..SimUser::default()
        }
    }

    /// Whether this is the superuser.
    pub fn is_root(&self) -> bool {
        self.name == "root"
    }
}

/// Everything a [`crate::SimHost`] needs to start.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// The world users see unless they have their own.
    pub world: World,
    /// Accounts.
    pub users: Vec<SimUser>,
    /// The host key; `None` generates a fresh Ed25519 key.
    pub host_key: Option<PrivateKey>,
    /// Loopback port to listen on; 0 picks a free one.
    pub port: u16,
}

/// The demo password of `admin`, `tty` and `root`.
pub const DEMO_PASSWORD: &str = "vmsdemo";

impl SimConfig {
    /// The built-in world with the demo users: `admin` (password, sudo with password,
    /// keyboard-interactive too), `ops` (password, NOPASSWD sudo), `tty` (password, sudo
    /// with password and `requiretty`) and `root`; every password is `vmsdemo`.
    pub fn demo() -> SimConfig {
        let mut admin = SimUser::with_password("admin", DEMO_PASSWORD, SudoPolicy::Password);
        admin.keyboard_interactive = true;
        let ops = SimUser::with_password("ops", DEMO_PASSWORD, SudoPolicy::NoPasswd);
        let mut tty = SimUser::with_password("tty", DEMO_PASSWORD, SudoPolicy::Password);
        tty.requiretty = true;
        let root = SimUser::with_password("root", DEMO_PASSWORD, SudoPolicy::NoPasswd);
        SimConfig {
            world: World::builtin(),
            users: vec![admin, ops, tty, root],
            host_key: None,
            port: 0,
        }
    }

    /// The account named `name`.
    pub fn user(&self, name: &str) -> Option<&SimUser> {
        self.users.iter().find(|u| u.name == name)
    }
}
