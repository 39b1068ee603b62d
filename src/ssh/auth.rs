//! Authentication, in OpenSSH's order: agent keys, identity files, password,
//! keyboard-interactive.
//!
//! An identity file that is missing, unreadable, malformed, or encrypted with
//! no terminal to ask its passphrase is not fatal: `-i` (or a profile's or
//! `~/.ssh/config`'s `IdentityFile`) gets a one-line warning on stderr and the
//! other methods go on, as with OpenSSH; the reason is kept for the final
//! error should nothing else work.
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

/// How many times a password or passphrase typed on the terminal is asked for.
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
    /// Why something could not be offered (an identity file, say).
    problems: Vec<String>,
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

/// Log in as `target.user`, trying each method in turn; the error names
/// what was offered and what could not be.
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
        if try_identity(handle, user, &path, options, &mut attempts).await {
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

    let no_password = options.password.is_none() && !options.may_prompt;
    Err(SshError::Auth {
        user: user.to_string(),
        host: target.host.clone(),
        tried: failure_text(&attempts, no_password),
    })
}

/// The parenthesised part of the final error: what was offered, what could
/// not be, and how to give a secret when there was no way to ask for one.
fn failure_text(attempts: &Attempts, no_password: bool) -> String {
    let mut parts = vec![if attempts.tried.is_empty() {
        "nothing to offer".to_string()
    } else {
        attempts.tried.join(", ")
    }];
    parts.extend(attempts.problems.iter().cloned());
    if no_password {
        parts.push(
            "no password given (scripts and runs without a terminal never ask): \
             give -i KEY, --password-env VAR or --password-file FILE"
                .to_string(),
        );
    }
    parts.join("; ")
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

/// Offer one key file. A file that cannot be used is noted (and, when the
/// operator named it, warned about) and skipped, never fatal.
async fn try_identity(
    handle: &mut Handle,
    user: &str,
    path: &Path,
    options: &AuthOptions,
    attempts: &mut Attempts,
) -> bool {
    let key = match load_key(path, options.may_prompt) {
        Ok(key) => key,
        Err(problem) => {
            let text = problem.describe(path);
            if options.identity.as_deref() == Some(path) {
                eprintln!("warning: {text}; trying other methods");
            } else {
                tracing::info!("skipping {text}");
            }
            attempts.problems.push(text);
            return false;
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
        Ok(AuthResult::Success) => true,
        Ok(refusal) => {
            attempts.refused(&refusal);
            false
        }
        Err(_) => false,
    }
}

/// Why a key file could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
enum KeyProblem {
    /// Missing, unreadable, a directory: the OS's words.
    NotAccessible(String),
    /// Encrypted, and no terminal to ask for its passphrase.
    Encrypted,
    /// Every passphrase typed was wrong (or the prompt failed).
    NoPassphrase(String),
    /// Not a private key we can read.
    Invalid(String),
}

impl KeyProblem {
    fn describe(&self, path: &Path) -> String {
        // Paths come from config files and flags: show control characters escaped.
        let shown = path.display().to_string().escape_debug().to_string();
        match self {
            KeyProblem::NotAccessible(why) => {
                format!("identity file {shown} not accessible: {why}")
            }
            KeyProblem::Encrypted => format!(
                "identity file {shown} is encrypted and there is no terminal to ask for \
                 its passphrase"
            ),
            KeyProblem::NoPassphrase(why) => format!("identity file {shown} not used: {why}"),
            KeyProblem::Invalid(why) => format!("cannot load identity file {shown}: {why}"),
        }
    }
}

/// An I/O error in OpenSSH's words: `No such file or directory`, without
/// Rust's `(os error 2)`.
fn os_words(error: &std::io::Error) -> String {
    let text = error.to_string();
    match text.find(" (os error ") {
        Some(end) => text[..end].to_string(),
        None => text,
    }
}

fn load_key(path: &Path, may_prompt: bool) -> Result<PrivateKey, KeyProblem> {
    let text =
        std::fs::read_to_string(path).map_err(|e| KeyProblem::NotAccessible(os_words(&e)))?;
    match russh::keys::decode_secret_key(&text, None) {
        Ok(key) => Ok(key),
        Err(russh::keys::Error::KeyIsEncrypted) if may_prompt => ask_passphrase(path, &text),
        Err(russh::keys::Error::KeyIsEncrypted) => Err(KeyProblem::Encrypted),
        Err(e) => Err(KeyProblem::Invalid(e.to_string())),
    }
}

/// Ask for the passphrase of an encrypted key, up to [`PROMPTS`] times.
fn ask_passphrase(path: &Path, text: &str) -> Result<PrivateKey, KeyProblem> {
    let shown = path.display().to_string().escape_debug().to_string();
    let question = format!("Enter passphrase for key '{shown}': ");
    for round in 0..PROMPTS {
        if round > 0 {
            eprintln!("Wrong passphrase, try again.");
        }
        let phrase = Secret::prompt(&question).map_err(KeyProblem::NoPassphrase)?;
        if let Ok(key) = russh::keys::decode_secret_key(text, Some(phrase.expose())) {
            return Ok(key);
        }
    }
    Err(KeyProblem::NoPassphrase("wrong passphrase".into()))
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
    fn a_missing_key_file_is_described_in_openssh_words() {
        let path = Path::new("/nonexistent/id_ed25519");
        let problem = load_key(path, false).expect_err("no such file");
        assert_eq!(
            problem.describe(path),
            "identity file /nonexistent/id_ed25519 not accessible: No such file or directory"
        );
    }

    #[test]
    fn unusable_key_files_are_problems_not_errors() {
        let dir = tempfile::tempdir().unwrap();
        let garbage = dir.path().join("garbage");
        std::fs::write(&garbage, "not a key\n").unwrap();
        assert!(matches!(
            load_key(&garbage, false),
            Err(KeyProblem::Invalid(_))
        ));

        let encrypted = dir.path().join("encrypted");
        let made = std::process::Command::new("ssh-keygen")
            .args(["-q", "-t", "ed25519", "-N", "phrase", "-f"])
            .arg(&encrypted)
            .output()
            .expect("ssh-keygen is installed (openssh-client)");
        assert!(made.status.success());
        let problem = load_key(&encrypted, false).expect_err("encrypted");
        assert_eq!(problem, KeyProblem::Encrypted);
        assert!(problem.describe(&encrypted).contains("no terminal"));
    }

    #[test]
    fn the_failure_keeps_what_could_not_be_offered() {
        let attempts = Attempts {
            tried: vec!["password"],
            problems: vec!["identity file k not accessible: No such file or directory".into()],
            ..Attempts::default()
        };
        assert_eq!(
            failure_text(&attempts, false),
            "password; identity file k not accessible: No such file or directory"
        );
    }

    #[test]
    fn nothing_to_offer_says_how_to_give_a_secret() {
        let text = failure_text(&Attempts::default(), true);
        assert_eq!(
            text,
            "nothing to offer; no password given (scripts and runs without a terminal \
             never ask): give -i KEY, --password-env VAR or --password-file FILE"
        );
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
