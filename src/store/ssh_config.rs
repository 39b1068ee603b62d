//! Host aliases from OpenSSH's `~/.ssh/config` (`$VMSDBG_SSH_CONFIG` moves it):
//! `HostName`, `User`, `Port` and `IdentityFile`, resolved as OpenSSH does
//! (first match wins, patterns and `Host *` included) by the `ssh2-config` crate.

use std::path::PathBuf;

use ssh2_config::{ParseRule, SshConfig};

/// What `~/.ssh/config` says about one host.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct SshHost {
    pub host_name: Option<String>,
    pub user: Option<String>,
    pub port: Option<u16>,
    pub identity: Option<PathBuf>,
}

pub fn path() -> Option<PathBuf> {
    std::env::var_os("VMSDBG_SSH_CONFIG")
        .map(PathBuf::from)
        .or_else(|| dirs::home_dir().map(|h| h.join(".ssh").join("config")))
}

/// Look `alias` up; a missing file means nothing is configured.
pub fn lookup(alias: &str) -> SshHost {
    let Some(path) = path() else {
        return SshHost::default();
    };
    let Ok(file) = std::fs::File::open(&path) else {
        return SshHost::default();
    };
    let mut reader = std::io::BufReader::new(file);
    let config = match SshConfig::default().parse(&mut reader, ParseRule::ALLOW_UNKNOWN_FIELDS) {
        Ok(config) => config,
        Err(e) => {
            tracing::warn!("ignoring {}: {e}", path.display());
            return SshHost::default();
        }
    };
    let params = config.query(alias);
    SshHost {
        host_name: params.host_name,
        user: params.user,
        port: params.port,
        identity: params
            .identity_file
            .and_then(|files| files.into_iter().next()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alias_resolution_like_openssh() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config");
        std::fs::write(
            &path,
            "Host vms1\n  HostName 10.1.2.3\n  User admin\n  Port 2222\n  IdentityFile /keys/vms1\n\
             Host vms*\n  User fallback\n  Port 2200\n\nHost *\n  ServerAliveInterval 30\n",
        )
        .unwrap();
        // SAFETY of the env change: this is the only test reading VMSDBG_SSH_CONFIG.
        unsafe { std::env::set_var("VMSDBG_SSH_CONFIG", &path) };
        let vms1 = lookup("vms1");
        assert_eq!(vms1.host_name.as_deref(), Some("10.1.2.3"));
        assert_eq!(vms1.user.as_deref(), Some("admin"), "first match wins");
        assert_eq!(vms1.port, Some(2222));
        assert_eq!(vms1.identity, Some(PathBuf::from("/keys/vms1")));
        let vms2 = lookup("vms2");
        assert_eq!(
            (vms2.host_name, vms2.user.as_deref(), vms2.port),
            (None, Some("fallback"), Some(2200))
        );
        assert_eq!(lookup("other"), SshHost::default());
    }
}
