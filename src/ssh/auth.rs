//! Authentication, in OpenSSH's order: agent keys, identity files, password,
//! keyboard-interactive.
//!
//! A password is asked for on the terminal only when every key has failed and
//! none was supplied by `--password-env` / `--password-file`; once typed it is
//! reused for keyboard-interactive and handed back so sudo and reconnects can
//! use it without asking again.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use russh::client::{self, AuthResult, KeyboardInteractiveAuthResponse};
use russh::keys::{PrivateKey, PrivateKeyWithHashAlg};

use super::connect::Client;
use super::{SshError, Target};
use crate::secret::Secret;

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

pub async fn authenticate(
    handle: &mut Handle,
    target: &Target,
    options: &AuthOptions,
) -> Result<AuthOutcome, SshError> {
    let user = target.user.as_str();
    let mut tried: Vec<&'static str> = Vec::new();

    if options.use_agent && try_agent(handle, user, &mut tried).await {
        return Ok(AuthOutcome {
            method: "agent",
            password: None,
        });
    }
    for path in identity_files(options) {
        if try_identity(handle, user, &path, options, &mut tried).await? {
            return Ok(AuthOutcome {
                method: "publickey",
                password: None,
            });
        }
    }

    let password = match &options.password {
        Some(p) => Some(p.clone()),
        None if options.may_prompt => Some(ask_password(target)?),
        None => None,
    };
    if let Some(password) = password {
        if try_password(handle, user, &password, &mut tried).await? {
            return Ok(AuthOutcome {
                method: "password",
                password: Some(password),
            });
        }
        if try_keyboard_interactive(handle, user, &password, &mut tried).await? {
            let method = "keyboard-interactive";
            return Ok(AuthOutcome {
                method,
                password: Some(password),
            });
        }
    }

    let tried = if tried.is_empty() {
        "nothing to offer".to_string()
    } else {
        tried.join(", ")
    };
    Err(SshError::Auth {
        user: user.to_string(),
        host: target.host.clone(),
        tried,
    })
}

fn ask_password(target: &Target) -> Result<Secret, SshError> {
    let question = format!("{}@{}'s password: ", target.user, target.host);
    Secret::prompt(&question).map_err(SshError::Credentials)
}

async fn try_agent(handle: &mut Handle, user: &str, tried: &mut Vec<&'static str>) -> bool {
    if std::env::var_os("SSH_AUTH_SOCK").is_none() {
        return false;
    }
    let Ok(mut agent) = russh::keys::agent::client::AgentClient::connect_env().await else {
        return false;
    };
    let Ok(identities) = agent.request_identities().await else {
        return false;
    };
    tried.push("agent");
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
        if matches!(result, Ok(AuthResult::Success)) {
            return true;
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
    tried: &mut Vec<&'static str>,
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
    if !tried.contains(&"publickey") {
        tried.push("publickey");
    }
    let hash = handle
        .best_supported_rsa_hash()
        .await
        .ok()
        .flatten()
        .flatten();
    let key = PrivateKeyWithHashAlg::new(Arc::new(key), hash);
    let result = handle.authenticate_publickey(user, key).await;
    Ok(matches!(result, Ok(AuthResult::Success)))
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
    tried: &mut Vec<&'static str>,
) -> Result<bool, SshError> {
    tried.push("password");
    let result = handle.authenticate_password(user, password.expose()).await;
    Ok(matches!(result, Ok(AuthResult::Success)))
}

/// Answer every hidden prompt with the password; visible prompts get an empty
/// answer. Bounded, so a server that keeps asking cannot loop us forever.
async fn try_keyboard_interactive(
    handle: &mut Handle,
    user: &str,
    password: &Secret,
    tried: &mut Vec<&'static str>,
) -> Result<bool, SshError> {
    tried.push("keyboard-interactive");
    let Ok(mut reply) = handle
        .authenticate_keyboard_interactive_start(user, None)
        .await
    else {
        return Ok(false);
    };
    for _round in 0..5 {
        let prompts = match reply {
            KeyboardInteractiveAuthResponse::Success => return Ok(true),
            KeyboardInteractiveAuthResponse::Failure { .. } => return Ok(false),
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
            Err(_) => return Ok(false),
        }
    }
    Ok(false)
}
