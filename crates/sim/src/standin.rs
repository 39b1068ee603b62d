//! The CI's kubectl stand-in: `vmsdbg-sim` installed (or linked) as `kubectl` on a real
//! host behind a real sshd and sudo. Like kubectl on a VMS it works only for root, and it
//! answers from a world file chosen per sudo user, so two users can see two worlds.

use std::path::{Path, PathBuf};

use crate::output::Output;
use crate::world::{World, WorldError};

/// Where per-user and default world files live on a CI host.
pub const WORLDS_DIR: &str = "/etc/vmsdbg-ci/worlds";

/// The world file to use, in order: `$VMSDBG_WORLD`, `WORLDS_DIR/$SUDO_USER.json`,
/// `WORLDS_DIR/default.json`; `None` means the built-in world.
pub fn world_path(
    vmsdbg_world: Option<&str>,
    sudo_user: Option<&str>,
    dir: &Path,
) -> Option<PathBuf> {
    if let Some(path) = vmsdbg_world.filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(path));
    }
    let per_user = sudo_user
        .filter(|u| !u.is_empty() && !u.contains('/'))
        .map(|u| dir.join(format!("{u}.json")));
    let default = Some(dir.join("default.json"));
    [per_user, default]
        .into_iter()
        .flatten()
        .find(|p| p.is_file())
}

/// Loads the world the environment picks.
pub fn load_world() -> Result<World, WorldError> {
    let env_world = std::env::var("VMSDBG_WORLD").ok();
    let sudo_user = std::env::var("SUDO_USER").ok();
    let path = world_path(
        env_world.as_deref(),
        sudo_user.as_deref(),
        Path::new(WORLDS_DIR),
    );
    match path {
        Some(path) => World::load(&path),
        None => Ok(World::builtin()),
    }
}

/// Whether this process runs as root.
pub fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

/// Runs kubectl as the stand-in does: refused unless root, else rendered from the world.
pub fn run_kubectl(args: &[String]) -> Output {
    if !is_root() {
        return Output::fail(1, crate::kubectl::REFUSED);
    }
    match load_world() {
        Ok(world) => crate::kubectl::run(&world, args),
        Err(err) => Output::fail(1, format!("error: {err}\n")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_wins_then_sudo_user_then_default() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        assert_eq!(world_path(None, Some("alice"), root), None);

        std::fs::write(root.join("default.json"), "{}").expect("write");
        assert_eq!(
            world_path(None, Some("alice"), root),
            Some(root.join("default.json"))
        );

        std::fs::write(root.join("alice.json"), "{}").expect("write");
        assert_eq!(
            world_path(None, Some("alice"), root),
            Some(root.join("alice.json"))
        );
        assert_eq!(
            world_path(None, Some("bob"), root),
            Some(root.join("default.json"))
        );
        assert_eq!(
            world_path(None, Some("../alice"), root),
            Some(root.join("default.json"))
        );

        let env = world_path(Some("/tmp/w.json"), Some("alice"), root);
        assert_eq!(env, Some(PathBuf::from("/tmp/w.json")));
    }
}
