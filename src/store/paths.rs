//! Where things live: `dirs` defaults, each overridable by an environment variable.
//!
//! | variable | default |
//! | --- | --- |
//! | `VMSDBG_CONFIG_DIR` | `dirs::config_dir()/vmsdbg` |
//! | `VMSDBG_DATA_DIR` | `dirs::data_dir()/vmsdbg` |
//! | `VMSDBG_HISTORY` | `$DATA/history` |
//! | `VMSDBG_KNOWN_HOSTS` | `~/.ssh/known_hosts` |

use std::path::PathBuf;

#[derive(Debug, Clone)]
pub struct Paths {
    pub config_dir: PathBuf,
    pub data_dir: PathBuf,
}

impl Paths {
    pub fn from_env() -> Paths {
        let pick = |var: &str, default: Option<PathBuf>| {
            std::env::var_os(var)
                .map(PathBuf::from)
                .or_else(|| default.map(|d| d.join("vmsdbg")))
                .unwrap_or_else(|| PathBuf::from(".vmsdbg"))
        };
        Paths {
            config_dir: pick("VMSDBG_CONFIG_DIR", dirs::config_dir()),
            data_dir: pick("VMSDBG_DATA_DIR", dirs::data_dir()),
        }
    }

    pub fn config_file(&self) -> PathBuf {
        self.config_dir.join("config.toml")
    }

    pub fn history(&self) -> PathBuf {
        std::env::var_os("VMSDBG_HISTORY")
            .map(PathBuf::from)
            .unwrap_or_else(|| self.data_dir.join("history"))
    }

    pub fn snapshots(&self) -> PathBuf {
        self.data_dir.join("snapshots")
    }

    pub fn audit_log(&self) -> PathBuf {
        self.data_dir.join("audit.log")
    }
}
