//! One snapshot file per host and user: the latest tenant build and the one
//! before it, so a new build can say what changed.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{StoreError, private_dir, write_private_cache};
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
    if let Some(dir) = path.parent() {
        private_dir(dir)?;
    }
    // Borrowed, so neither database is copied; the same shape as `Snapshot`.
    let record = SnapshotRef {
        latest: Some(db),
        previous: previous.as_ref(),
    };
    // Compact: a 500-tenant snapshot is over a megabyte and only this code reads it.
    let json = serde_json::to_vec(&record).expect("tenant db is plain data");
    write_private_cache(path, &json)?;
    Ok(previous)
}

#[derive(Serialize)]
struct SnapshotRef<'a> {
    latest: Option<&'a TenantDb>,
    previous: Option<&'a TenantDb>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::tenant::BuildInfo;

    fn build(number: u64) -> TenantDb {
        TenantDb {
            metadata: BuildInfo {
                host: "h".into(),
                port: 22,
                user: "u".into(),
                built_at: "2026-12-04T00:00:00Z".into(),
                build_number: number,
                duration_ms: 1,
            },
            tenants: Default::default(),
        }
    }

    #[test]
    fn each_save_moves_latest_to_previous() {
        let dir = tempfile::tempdir().unwrap();
        let path = file_for(&dir.path().join("snapshots"), "u", "h", 22);
        assert!(save(&path, load(&path), &build(1)).unwrap().is_none());
        let previous = save(&path, load(&path), &build(2)).unwrap();
        assert_eq!(previous.unwrap().metadata.build_number, 1);

        let stored = load(&path);
        let numbers = |db: Option<TenantDb>| db.map(|d| d.metadata.build_number);
        assert_eq!(numbers(stored.latest), Some(2));
        assert_eq!(numbers(stored.previous), Some(1));
    }
}
