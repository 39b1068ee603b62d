//! `config.toml`: host profiles and defaults.
//!
//! ```toml
//! [profiles.vms1]
//! host = "vms1.example.net"
//! user = "admin"
//! port = 22
//! identity = "~/.ssh/id_ed25519"
//! sudo = "auto"
//! log_root = "/var/log/versa/vms"
//! password_env = "VMS1_PASSWORD"
//! sudo_password_env = "VMS1_SUDO_PASSWORD"
//! excluded_namespaces = ["kube-system", "kube-public", "kube-node-lease", "default"]
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::StoreError;
use crate::cli::SudoMode;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub profiles: BTreeMap<String, Profile>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub host: Option<String>,
    pub user: Option<String>,
    pub port: Option<u16>,
    pub identity: Option<PathBuf>,
    pub sudo: Option<SudoMode>,
    pub log_root: Option<String>,
    pub password_env: Option<String>,
    pub sudo_password_env: Option<String>,
    pub redis_password_env: Option<String>,
    pub excluded_namespaces: Option<Vec<String>>,
}

impl Config {
    /// Load the file; a missing file is an empty config.
    pub fn load(path: &Path) -> Result<Config, StoreError> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
            Err(e) => return Err(StoreError::io("read", path, e)),
        };
        toml::from_str(&text).map_err(|e| {
            let line = e
                .span()
                .map(|span| text[..span.start].matches('\n').count() + 1);
            let at = line.map(|n| format!("line {n}: ")).unwrap_or_default();
            StoreError::Config {
                path: path.to_path_buf(),
                reason: format!("{at}{}", e.message()),
            }
        })
    }
}

/// Expand a leading `~/` to the home directory.
pub fn expand_home(path: &Path) -> PathBuf {
    match (path.strip_prefix("~"), dirs::home_dir()) {
        (Ok(rest), Some(home)) => home.join(rest),
        _ => path.to_path_buf(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_parses() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(
            &path,
            "[profiles.vms1]\nhost = \"h\"\nport = 2222\nsudo = \"nopasswd\"\n",
        )
        .unwrap();
        let config = Config::load(&path).unwrap();
        let p = &config.profiles["vms1"];
        assert_eq!(
            (p.host.as_deref(), p.port, p.sudo),
            (Some("h"), Some(2222), Some(SudoMode::Nopasswd))
        );
    }

    #[test]
    fn unknown_keys_are_reported() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(&path, "[profiles.a]\nhots = \"h\"\n").unwrap();
        let err = Config::load(&path).unwrap_err().to_string();
        assert!(err.contains("line 2: unknown field `hots`"), "{err}");
    }

    #[test]
    fn missing_file_is_empty() {
        assert!(
            Config::load(Path::new("/nonexistent/vmsdbg.toml"))
                .unwrap()
                .profiles
                .is_empty()
        );
    }
}
