//! One snapshot file per host and user: the latest tenant build and the one
//! before it, so a new build can say what changed.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{StoreError, private_dir, write_private};
use crate::domain::tenant::TenantDb;

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Snapshot {
    pub latest: Option<TenantDb>,
    pub previous: Option<TenantDb>,
}

/// `snapshots/USER@HOST_PORT.json`, with anything odd in the name replaced.
pub fn file_for(dir: &Path, user: &str, host: &str, port: u16) -> PathBuf {
    let safe = |s: &str| -> String {
        s.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                    c
                } else {
                    '_'
                }
            })
            .collect()
    };
    dir.join(format!("{}@{}_{port}.json", safe(user), safe(host)))
}

pub fn load(path: &Path) -> Snapshot {
    // A missing or damaged snapshot only costs the change report; never fail a build on it.
    std::fs::read(path)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default()
}

/// Record `db` as the latest build; the old latest becomes previous.
/// `snapshot` is what [`load`] gave for `path` before the build, so the file
/// is read once per build.
pub fn save(
    path: &Path,
    mut snapshot: Snapshot,
    db: &TenantDb,
) -> Result<Option<TenantDb>, StoreError> {
    let previous = snapshot.latest.take();
    snapshot.previous = previous.clone();
    snapshot.latest = Some(db.clone());
    if let Some(dir) = path.parent() {
        private_dir(dir)?;
    }
    // Compact: a 500-tenant snapshot is over a megabyte and only this code reads it.
    let json = serde_json::to_vec(&snapshot).expect("tenant db is plain data");
    write_private(path, &json)?;
    Ok(previous)
}
