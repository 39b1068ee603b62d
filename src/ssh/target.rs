//! `[USER@]HOST[:PORT]` as typed by an operator.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Target {
    pub user: String,
    pub host: String,
    pub port: u16,
}

impl Target {
    /// Parse `[USER@]HOST[:PORT]`; IPv6 hosts go in brackets (`[::1]:2222`).
    /// A missing user is `default_user`, a missing port 22.
    pub fn parse(text: &str, default_user: &str) -> Result<Target, String> {
        let (user, rest) = match text.rsplit_once('@') {
            Some((user, rest)) if !user.is_empty() => (user.to_string(), rest),
            Some(_) => return Err(format!("'{text}': empty user before '@'")),
            None => (default_user.to_string(), text),
        };
        let (host, port) = split_host_port(rest).ok_or_else(|| {
            format!("'{text}' is not [USER@]HOST[:PORT] (IPv6 hosts go in brackets)")
        })?;
        if host.is_empty() {
            return Err(format!("'{text}': no host name"));
        }
        if host.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(format!(
                "'{}': host names have no spaces",
                text.escape_debug()
            ));
        }
        Ok(Target { user, host, port })
    }

    /// The parts as typed: user and port only if given.
    pub fn parse_parts(text: &str) -> Result<(Option<String>, String, Option<u16>), String> {
        let user = text.rsplit_once('@').map(|(u, _)| u.to_string());
        let rest = text.rsplit_once('@').map_or(text, |(_, r)| r);
        let typed_port = rest.starts_with('[') && rest.contains("]:")
            || (!rest.starts_with('[') && rest.matches(':').count() == 1);
        let full = Target::parse(text, "-")?;
        Ok((user, full.host, typed_port.then_some(full.port)))
    }

    /// The local user name, OpenSSH's default for a target without `USER@`.
    pub fn local_user() -> String {
        std::env::var("USER")
            .or_else(|_| std::env::var("LOGNAME"))
            .unwrap_or_else(|_| "root".to_string())
    }
}

/// A host as messages name it: `HOST` on port 22, else `HOST:PORT`
/// (`[V6]:PORT` for IPv6), so an operator can tell two sshds on one address apart.
pub fn host_port(host: &str, port: u16) -> String {
    match (port, host.contains(':')) {
        (22, _) => host.to_string(),
        (_, true) => format!("[{host}]:{port}"),
        (_, false) => format!("{host}:{port}"),
    }
}

fn split_host_port(text: &str) -> Option<(String, u16)> {
    if let Some(inner) = text.strip_prefix('[') {
        let (host, after) = inner.split_once(']')?;
        let port = match after {
            "" => 22,
            _ => after.strip_prefix(':')?.parse().ok()?,
        };
        return Some((host.to_string(), port));
    }
    match text.rsplit_once(':') {
        Some((host, port)) if !host.contains(':') => Some((host.to_string(), port.parse().ok()?)),
        Some(_) => None,
        None => Some((text.to_string(), 22)),
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.host.contains(':') {
            write!(f, "{}@[{}]:{}", self.user, self.host, self.port)
        } else {
            write!(f, "{}@{}:{}", self.user, self.host, self.port)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(text: &str) -> Result<Target, String> {
        Target::parse(text, "me")
    }

    #[test]
    fn forms() {
        assert_eq!(
            t("vms1").unwrap(),
            Target {
                user: "me".into(),
                host: "vms1".into(),
                port: 22
            }
        );
        let full = t("admin@127.0.0.1:2222").unwrap();
        assert_eq!(
            (full.user.as_str(), full.host.as_str(), full.port),
            ("admin", "127.0.0.1", 2222)
        );
        let v6 = t("root@[::1]:2200").unwrap();
        assert_eq!((v6.host.as_str(), v6.port), ("::1", 2200));
        assert_eq!(v6.to_string(), "root@[::1]:2200");
    }

    #[test]
    fn messages_name_the_port_unless_it_is_22() {
        assert_eq!(host_port("127.0.0.1", 2222), "127.0.0.1:2222");
        assert_eq!(host_port("vms1", 22), "vms1");
        assert_eq!(host_port("::1", 2200), "[::1]:2200");
    }

    #[test]
    fn bad_forms() {
        for bad in ["@h", "a@", "h:notaport", "h:99999", "::1", "a b"] {
            assert!(t(bad).is_err(), "{bad}");
        }
    }
}
