//! Authentication, in OpenSSH's order: agent keys, identity files, password,
//! keyboard-interactive.
//!
//! A password is asked for on the terminal only when every key has failed and
//! none was supplied by `--password-env` / `--password-file`. A typed password
//! that the server refuses is asked for again, three times in all (OpenSSH's
//! `NumberOfPasswordPrompts`), so a retyped password reaches the next prompt
//! instead of the shell; a supplied one is tried once. The accepted password is
//! handed back so sudo and reconnects can use it without asking again.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use russh::client::{self, AuthResult, KeyboardInteractiveAuthResponse};
use russh::keys::{PrivateKey, PrivateKeyWithHashAlg};
use russh::{MethodKind, MethodSet};

use super::connect::Client;
use super::{SshError, Target};
use crate::secret::Secret;

/// How many times a password typed on the terminal is asked for.
const PROMPTS: usize = 3;

#[derive(Debug, Clone, Default)]
pub struct AuthOptions {
    /// `-i KEYFILE`; without it OpenSSH's default key files are tried.
    pub identity: Option<PathBuf>,
    pub password: Option<Secret>,
    /// Whether we may ask on the terminal (password, key passphrase).
    pub may_prompt: bool,
    /// Try keys held by `$SSH_AUTH_SOCK`.
    pub use_agent: bool,
}

pub struct AuthOutcome {
    pub method: &'static str,
    pub password: Option<Secret>,
}

type Handle = client::Handle<Client>;

/// What has happened so far, for choosing the next method and for the final error.
#[derive(Debug, Default)]
struct Attempts {
    /// Methods offered, in order, each once.
    tried: Vec<&'static str>,
    /// The methods the server last said may continue; `None` before its first answer.
    allowed: Option<MethodSet>,
    /// `allowed` as it was before the first password: which methods carry one.
    /// Kept apart because russh-based servers drop `password` from the list
    /// after any refusal, while OpenSSH keeps offering it.
    for_passwords: Option<MethodSet>,
}

impl Attempts {
    fn offered(&mut self, method: &'static str) {
        if !self.tried.contains(&method) {
            self.tried.push(method);
        }
    }

    /// Remember what a refusal says about the methods left.
    fn refused(&mut self, result: &AuthResult) {
        if let AuthResult::Failure {
            remaining_methods, ..
        } = result
        {
            self.allowed = Some(remaining_methods.clone());
        }
    }

    /// Whether the server may take `method`; unknown until it has refused once.
    fn allows(&self, method: MethodKind) -> bool {
        self.allowed
            .as_ref()
            .is_none_or(|methods| methods.contains(&method))
    }

    /// Whether a password may go by `method`, as the server said before the first one.
    fn carries_passwords(&self, method: MethodKind) -> bool {
        self.for_passwords
            .as_ref()
            .is_none_or(|methods| methods.contains(&method))
    }
}

pub async fn authenticate(
    handle: &mut Handle,
    target: &Target,
    options: &AuthOptions,
) -> Result<AuthOutcome, SshError> {
    let user = target.user.as_str();
    let mut attempts = Attempts::default();

    if options.use_agent && try_agent(handle, user, &mut attempts).await {
        return Ok(AuthOutcome {
            method: "agent",
            password: None,
        });
    }
    for path in identity_files(options) {
        if try_identity(handle, user, &path, options, &mut attempts).await? {
            return Ok(AuthOutcome {
                method: "publickey",
                password: None,
            });
        }
    }

    attempts.for_passwords = attempts.allowed.clone();
    let outcome = match &options.password {
        Some(password) => offer_password(handle, user, password, &mut attempts)
            .await
            .map(|method| (method, password.clone())),
        None if options.may_prompt => ask_until_accepted(handle, target, &mut attempts).await?,
        None => None,
    };
    if let Some((method, password)) = outcome {
        return Ok(AuthOutcome {
            method,
            password: Some(password),
        });
    }

    let tried = if attempts.tried.is_empty() {
        "nothing to offer".to_string()
    } else {
        attempts.tried.join(", ")
    };
    Err(SshError::Auth {
        user: user.to_string(),
        host: target.host.clone(),
        tried,
    })
}

/// Ask on the terminal and offer each answer, up to [`PROMPTS`] times.
async fn ask_until_accepted(
    handle: &mut Handle,
    target: &Target,
    attempts: &mut Attempts,
) -> Result<Option<(&'static str, Secret)>, SshError> {
    let question = format!("{}@{}'s password: ", target.user, target.host);
    for round in 0..PROMPTS {
        if round > 0 {
            eprintln!("Permission denied, please try again.");
        }
        let password = Secret::prompt(&question).map_err(SshError::Credentials)?;
        if let Some(method) = offer_password(handle, &target.user, &password, attempts).await {
            return Ok(Some((method, password)));
        }
        // A server that hung up (too many failures) cannot be asked again.
        if handle.is_closed() {
            break;
        }
    }
    Ok(None)
}

/// Offer one password by `password`, then by keyboard-interactive; returns
/// the method that took it.
async fn offer_password(
    handle: &mut Handle,
    user: &str,
    password: &Secret,
    attempts: &mut Attempts,
) -> Option<&'static str> {
    if attempts.carries_passwords(MethodKind::Password) {
        if try_password(handle, user, password, attempts).await {
            return Some("password");
        }
        // Still offered after a refusal (OpenSSH): the password itself was
        // wrong, and keyboard-interactive would only check it again, one more
        // failure towards the server's MaxAuthTries.
        if attempts.allows(MethodKind::Password) {
            return None;
        }
    }
    if attempts.carries_passwords(MethodKind::KeyboardInteractive)
        && try_keyboard_interactive(handle, user, password, attempts).await
    {
        return Some("keyboard-interactive");
    }
    None
}

async fn try_agent(handle: &mut Handle, user: &str, attempts: &mut Attempts) -> bool {
    if std::env::var_os("SSH_AUTH_SOCK").is_none() {
        return false;
    }
    let Ok(mut agent) = russh::keys::agent::client::AgentClient::connect_env().await else {
        return false;
    };
    let Ok(identities) = agent.request_identities().await else {
        return false;
    };
    attempts.offered("agent");
    for identity in identities {
        let key = identity.public_key().into_owned();
        let hash = handle
            .best_supported_rsa_hash()
            .await
            .ok()
            .flatten()
            .flatten();
        let result = handle
            .authenticate_publickey_with(user, key, hash, &mut agent)
            .await;
        match result {
            Ok(AuthResult::Success) => return true,
            Ok(refusal) => attempts.refused(&refusal),
            Err(_) => {}
        }
    }
    false
}

/// `-i` first, then the default files that exist, as OpenSSH does.
fn identity_files(options: &AuthOptions) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = options.identity.iter().cloned().collect();
    if let Some(ssh_dir) = dirs::home_dir().map(|h| h.join(".ssh")) {
        for name in ["id_ed25519", "id_ecdsa", "id_rsa"] {
            let path = ssh_dir.join(name);
            if path.is_file() && !files.contains(&path) {
                files.push(path);
            }
        }
    }
    files
}

async fn try_identity(
    handle: &mut Handle,
    user: &str,
    path: &Path,
    options: &AuthOptions,
    attempts: &mut Attempts,
) -> Result<bool, SshError> {
    let explicit = options.identity.as_deref() == Some(path);
    let key = match load_key(path, options.may_prompt) {
        Ok(key) => key,
        // A default key we cannot use is skipped, as OpenSSH does; `-i` is an error.
        Err(e) if explicit => return Err(e),
        Err(e) => {
            tracing::info!("skipping {}: {e}", path.display());
            return Ok(false);
        }
    };

    attempts.offered("publickey");
    let hash = handle
        .best_supported_rsa_hash()
        .await
        .ok()
        .flatten()
        .flatten();
    let key = PrivateKeyWithHashAlg::new(Arc::new(key), hash);
    match handle.authenticate_publickey(user, key).await {
        Ok(AuthResult::Success) => Ok(true),
        Ok(refusal) => {
            attempts.refused(&refusal);
            Ok(false)
        }
        Err(_) => Ok(false),
    }
}

fn load_key(path: &Path, may_prompt: bool) -> Result<PrivateKey, SshError> {
    let fail = |reason: String| SshError::Identity {
        path: path.to_path_buf(),
        reason,
    };
    match russh::keys::load_secret_key(path, None) {
        Ok(key) => Ok(key),
        Err(russh::keys::Error::KeyIsEncrypted) if may_prompt => {
            let question = format!("Enter passphrase for key '{}': ", path.display());
            let phrase = Secret::prompt(&question).map_err(fail)?;
            russh::keys::load_secret_key(path, Some(phrase.expose()))
                .map_err(|_| fail("wrong passphrase".into()))
        }
        Err(russh::keys::Error::KeyIsEncrypted) => Err(fail(
            "it is encrypted and there is no terminal to ask for its passphrase".into(),
        )),
        Err(e) => Err(fail(e.to_string())),
    }
}

async fn try_password(
    handle: &mut Handle,
    user: &str,
    password: &Secret,
    attempts: &mut Attempts,
) -> bool {
    attempts.offered("password");
    match handle.authenticate_password(user, password.expose()).await {
        Ok(AuthResult::Success) => true,
        Ok(refusal) => {
            attempts.refused(&refusal);
            false
        }
        Err(_) => false,
    }
}

/// Answer every hidden prompt with the password; visible prompts get an empty
/// answer. Bounded, so a server that keeps asking cannot loop us forever.
async fn try_keyboard_interactive(
    handle: &mut Handle,
    user: &str,
    password: &Secret,
    attempts: &mut Attempts,
) -> bool {
    attempts.offered("keyboard-interactive");
    let Ok(mut reply) = handle
        .authenticate_keyboard_interactive_start(user, None)
        .await
    else {
        return false;
    };
    for _round in 0..5 {
        let prompts = match reply {
            KeyboardInteractiveAuthResponse::Success => return true,
            KeyboardInteractiveAuthResponse::Failure {
                remaining_methods, ..
            } => {
                attempts.allowed = Some(remaining_methods);
                return false;
            }
            KeyboardInteractiveAuthResponse::InfoRequest { prompts, .. } => prompts,
        };
        let answers = prompts
            .iter()
            .map(|p| {
                if p.echo {
                    String::new()
                } else {
                    password.expose().to_string()
                }
            })
            .collect();
        match handle
            .authenticate_keyboard_interactive_respond(answers)
            .await
        {
            Ok(next) => reply = next,
            Err(_) => return false,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(methods: &[MethodKind]) -> AuthResult {
        AuthResult::Failure {
            remaining_methods: MethodSet::from(methods),
            partial_success: false,
        }
    }

    #[test]
    fn passwords_go_by_the_methods_listed_before_the_first_one() {
        let mut attempts = Attempts::default();
        assert!(attempts.carries_passwords(MethodKind::Password));

        // A key was refused; the server takes keyboard-interactive only.
        let kinds = [MethodKind::PublicKey, MethodKind::KeyboardInteractive];
        attempts.refused(&refusal(&kinds));
        attempts.for_passwords = attempts.allowed.clone();
        assert!(!attempts.carries_passwords(MethodKind::Password));
        assert!(attempts.carries_passwords(MethodKind::KeyboardInteractive));

        // Later refusals do not change how passwords go.
        attempts.refused(&refusal(&[MethodKind::PublicKey]));
        assert!(attempts.carries_passwords(MethodKind::KeyboardInteractive));
        assert!(!attempts.allows(MethodKind::KeyboardInteractive));
    }
}
