//! Files the shell keeps: config and profiles, history, tenant snapshots and
//! the audit log. Every path can be moved by an environment variable so tests
//! and operators can keep them apart; files are 0600, directories 0700.

pub mod audit;
pub mod config;
pub mod paths;
pub mod snapshots;
pub mod ssh_config;

use std::path::{Path, PathBuf};

pub use paths::Paths;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot {action} {path}: {reason}")]
    Io {
        action: &'static str,
        path: PathBuf,
        reason: String,
    },

    #[error("config file {path} is invalid: {reason}")]
    Config { path: PathBuf, reason: String },

    #[error("{path} exists (add --force to overwrite)")]
    Exists { path: PathBuf },
}

impl StoreError {
    pub fn io(action: &'static str, path: &Path, error: std::io::Error) -> Self {
        StoreError::Io {
            action,
            path: path.to_path_buf(),
            reason: error.to_string(),
        }
    }
}

/// Create `dir` (and parents) with mode 0700.
pub fn private_dir(dir: &Path) -> Result<(), StoreError> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(|e| StoreError::io("create directory", dir, e))
}

/// Write `data` to `path` atomically (temp file + rename), mode 0600.
pub fn write_private(path: &Path, data: &[u8]) -> Result<(), StoreError> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;

    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .map_err(|e| StoreError::io("create directory", parent, e))?;
    }
    let tmp = path.with_extension(format!("tmp.{}", std::process::id()));
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&tmp)
        .map_err(|e| StoreError::io("write", &tmp, e))?;
    file.write_all(data)
        .and_then(|_| file.sync_all())
        .map_err(|e| StoreError::io("write", &tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| StoreError::io("write", path, e))
}
