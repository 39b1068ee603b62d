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

/// Write `data` to `path` atomically (temp file + rename), mode 0600. The
/// directory must exist: a mistyped export path is an error, not a new tree.
/// On any failure the temp file is removed and `path` is untouched.
pub fn write_private(path: &Path, data: &[u8]) -> Result<(), StoreError> {
    write_atomic(path, data, true)
}

/// [`write_private`] without waiting for the disk: for files that are only a
/// cache (the tenant snapshots), where a crash costs a change report, not data.
pub fn write_private_cache(path: &Path, data: &[u8]) -> Result<(), StoreError> {
    write_atomic(path, data, false)
}

fn write_atomic(path: &Path, data: &[u8], durable: bool) -> Result<(), StoreError> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;

    // Replacing is for regular files only: never a directory, nor a device,
    // pipe or symlink that --force would silently turn into a file.
    if let Ok(meta) = std::fs::symlink_metadata(path) {
        let kind = meta.file_type();
        let why = match () {
            _ if kind.is_file() => None,
            _ if kind.is_dir() => Some("it is a directory (give a file name)"),
            _ if kind.is_symlink() => Some("it is a symbolic link (give the real file)"),
            _ => Some("it is not a regular file (a device, pipe or socket)"),
        };
        if let Some(why) = why {
            return Err(StoreError::io("write", path, std::io::Error::other(why)));
        }
    }
    let parent = path.parent().filter(|p| !p.as_os_str().is_empty());
    if let Some(parent) = parent.filter(|p| !p.is_dir()) {
        let why = std::io::Error::other("no such directory");
        return Err(StoreError::io("write into", parent, why));
    }
    let tmp = path.with_extension(format!("tmp.{}", std::process::id()));
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&tmp)
        .map_err(|e| StoreError::io("write", &tmp, e))?;
    let written = file
        .write_all(data)
        .and_then(|_| if durable { file.sync_all() } else { Ok(()) })
        .map_err(|e| StoreError::io("write", &tmp, e))
        .and_then(|_| std::fs::rename(&tmp, path).map_err(|e| StoreError::io("write", path, e)));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let entries = std::fs::read_dir(dir).unwrap();
        let mut names: Vec<String> = entries
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn writes_private_files_atomically() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.json");
        write_private(&path, b"one").unwrap();
        write_private(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        assert_eq!(names(dir.path()), ["out.json"]);
    }

    #[test]
    fn a_directory_or_a_missing_one_is_refused_and_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let err = write_private(dir.path(), b"x").unwrap_err().to_string();
        assert!(err.contains("is a directory"), "{err}");

        let link = dir.path().join("link.json");
        std::os::unix::fs::symlink("target.json", &link).unwrap();
        let err = write_private(&link, b"x").unwrap_err().to_string();
        assert!(err.contains("symbolic link"), "{err}");
        assert!(!dir.path().join("target.json").exists());
        std::fs::remove_file(&link).unwrap();

        let fifo = dir.path().join("fifo");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        let err = write_private(&fifo, b"x").unwrap_err().to_string();
        assert!(err.contains("not a regular file"), "{err}");
        assert!(
            !std::fs::metadata(&fifo).unwrap().is_file(),
            "the pipe is still a pipe"
        );
        std::fs::remove_file(&fifo).unwrap();

        let typo = dir.path().join("exprots/out.json");
        let err = write_private(&typo, b"x").unwrap_err().to_string();
        assert!(err.contains("no such directory"), "{err}");
        assert!(names(dir.path()).is_empty(), "{:?}", names(dir.path()));
    }
}
