//! Test log files on the CI host: a directory of root-only files under the
//! log root's `apps/`, removed on drop, and the lock that keeps tests that
//! change the shared log tree from running at once.

use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

static LOG_TREE: Mutex<()> = Mutex::new(());

/// Held while a test changes or reads the whole log tree.
pub fn lock() -> MutexGuard<'static, ()> {
    LOG_TREE.lock().unwrap_or_else(|p| p.into_inner())
}

/// `ROOT/apps/vmsdbg-test-PID-TAG/`, created empty and removed on drop.
pub struct LogDir {
    pub dir: PathBuf,
}

impl LogDir {
    pub fn new(root: &str, tag: &str) -> LogDir {
        let dir = Path::new(root)
            .join("apps")
            .join(format!("vmsdbg-test-{}-{tag}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::DirBuilder::new()
            .mode(0o700)
            .recursive(true)
            .create(&dir)
            .expect("create the test dir (tests run as root)");
        LogDir { dir }
    }

    /// Writes a root-only file (and its directories) and returns its path as text.
    pub fn file(&self, name: &str, bytes: &[u8]) -> String {
        let path = self.dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("parent dirs");
        }
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&path)
            .expect("create a test log file");
        file.write_all(bytes).expect("write it");
        path.to_str().expect("UTF-8 test path").to_string()
    }

    pub fn path(&self, name: &str) -> String {
        self.dir.join(name).to_str().unwrap().to_string()
    }

    /// `DIR/NAME`: a suffix only this test's files have (the base tree may hold
    /// files of the same name, such as the simulator world's `it's a log.log`).
    pub fn suffix(&self, name: &str) -> String {
        let dir = self.dir.file_name().unwrap().to_str().unwrap();
        format!("{dir}/{name}")
    }
}

impl Drop for LogDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
