//! What the operator typed for FILE, turned into one listed log file: the
//! exact path, else a suffix that starts at a `/` (`api/api.log`), else any
//! suffix (`admin.log`). The first rule with matches decides; two or more
//! matches are ambiguous and the candidates are listed. The list may be a
//! fresh scan or the names a session remembers from its last one
//! ([`remembered`]).

use super::scan::LogFile;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResolveError {
    #[error("no log file matches '{query}' (logs scan lists them)")]
    NotFound { query: String },

    #[error(
        "'{query}' matches {} log files, give more of the path: {}",
        .candidates.len(),
        .candidates.join(", ")
    )]
    Ambiguous {
        query: String,
        candidates: Vec<String>,
    },
}

/// Anything with a path on the host: a scanned [`LogFile`], or a remembered path.
pub trait Listed {
    fn path(&self) -> &str;
}

impl Listed for LogFile {
    fn path(&self) -> &str {
        &self.path
    }
}

impl Listed for String {
    fn path(&self) -> &str {
        self
    }
}

/// The one file `query` names among `files`.
pub fn resolve<'a, F: Listed>(files: &'a [F], query: &str) -> Result<&'a F, ResolveError> {
    let bare = query.trim_start_matches("./");
    let rules: [&dyn Fn(&str) -> bool; 3] = [
        &|path| path == query,
        &|path| {
            path.strip_suffix(bare)
                .is_some_and(|head| head.ends_with('/') || bare.starts_with('/'))
        },
        &|path| path.ends_with(bare),
    ];
    for rule in rules {
        let found: Vec<&F> = files.iter().filter(|f| rule(f.path())).collect();
        match found.as_slice() {
            [] => continue,
            [one] => return Ok(one),
            many => {
                return Err(ResolveError::Ambiguous {
                    query: query.to_string(),
                    candidates: many.iter().map(|f| f.path().to_string()).collect(),
                });
            }
        }
    }
    Err(ResolveError::NotFound {
        query: query.to_string(),
    })
}

/// Full paths again from the names kept for completion (relative to `root`,
/// or absolute when a file was not under it).
pub fn remembered(root: &str, names: &[String]) -> Vec<String> {
    let root = root.trim_end_matches('/');
    names
        .iter()
        .map(|name| match name.starts_with('/') {
            true => name.clone(),
            false => format!("{root}/{name}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(paths: &[&str]) -> Vec<LogFile> {
        paths
            .iter()
            .map(|p| LogFile {
                path: p.to_string(),
                raw: None,
                app: String::new(),
                size: 0,
                mtime: String::new(),
            })
            .collect()
    }

    const TREE: &[&str] = &[
        "/v/apps/api/api.log",
        "/v/apps/api/api.log.1",
        "/v/apps/vms-api/vms-api.log",
        "/v/vms-admin.log",
    ];

    #[test]
    fn suffix_at_a_slash_beats_a_bare_suffix() {
        let files = files(TREE);
        assert_eq!(
            resolve(&files, "api.log").unwrap().path,
            "/v/apps/api/api.log"
        );
        assert_eq!(
            resolve(&files, "vms-admin.log").unwrap().path,
            "/v/vms-admin.log"
        );
        assert_eq!(
            resolve(&files, "admin.log").unwrap().path,
            "/v/vms-admin.log"
        );
        assert_eq!(
            resolve(&files, "/v/apps/api/api.log.1").unwrap().path,
            "/v/apps/api/api.log.1"
        );
    }

    #[test]
    fn ambiguous_suffix_lists_candidates() {
        let files = files(TREE);
        let err = resolve(&files, "log").unwrap_err();
        let ResolveError::Ambiguous { candidates, .. } = &err else {
            panic!("{err}")
        };
        assert_eq!(candidates.len(), 3);
        assert!(
            err.to_string().contains("/v/apps/vms-api/vms-api.log"),
            "{err}"
        );
    }

    #[test]
    fn unknown_is_not_found() {
        let files = files(TREE);
        assert!(matches!(
            resolve(&files, "nope.log"),
            Err(ResolveError::NotFound { .. })
        ));
        assert!(matches!(
            resolve(&files, "/etc/shadow"),
            Err(ResolveError::NotFound { .. })
        ));
    }

    #[test]
    fn remembered_names_resolve_like_the_scan() {
        let names = vec!["apps/api/api.log".to_string(), "vms-admin.log".to_string()];
        let paths = remembered("/v/", &names);
        assert_eq!(paths, ["/v/apps/api/api.log", "/v/vms-admin.log"]);
        assert_eq!(resolve(&paths, "api.log").unwrap(), "/v/apps/api/api.log");
        assert!(matches!(
            resolve(&paths, "/etc/shadow"),
            Err(ResolveError::NotFound { .. })
        ));
    }
}
