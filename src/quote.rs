//! Quoting for the remote POSIX shell, and validation of names with a known grammar.
//!
//! Everything the operator types that ends up inside a remote command line goes
//! through [`sh`] (arbitrary text: keys, paths, patterns) or is first parsed into a
//! [`KubeName`] (namespaces, ConfigMap names), so no input can start a second command.
//! Quoting is done by the `shlex` crate, whose quoter is written for POSIX `sh` and
//! refuses NUL bytes, which no shell argument can carry.

use std::fmt;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum QuoteError {
    #[error("'{0}' cannot be sent to a shell: it contains a NUL byte")]
    Nul(String),

    #[error(
        "'{name}' is not a valid Kubernetes {kind} name \
         (lowercase letters, digits, '-' and '.', at most 253 characters)"
    )]
    BadKubeName { kind: &'static str, name: String },
}

/// Quote one word for a POSIX shell, so the shell sees exactly `word`.
pub fn sh(word: &str) -> Result<String, QuoteError> {
    shlex::try_quote(word)
        .map(|quoted| quoted.into_owned())
        .map_err(|_| QuoteError::Nul(word.escape_debug().to_string()))
}

/// Quote every word and join them with spaces into one command line.
pub fn sh_join<'a>(words: impl IntoIterator<Item = &'a str>) -> Result<String, QuoteError> {
    let quoted: Result<Vec<String>, QuoteError> = words.into_iter().map(sh).collect();
    Ok(quoted?.join(" "))
}

/// A name valid as a Kubernetes object name (RFC 1123 subdomain): namespaces,
/// ConfigMaps, services. Such a name needs no quoting, but gets it anyway.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KubeName(String);

impl KubeName {
    pub fn parse(kind: &'static str, name: &str) -> Result<Self, QuoteError> {
        if is_dns_subdomain(name) {
            Ok(KubeName(name.to_string()))
        } else {
            let name = name.escape_debug().to_string();
            Err(QuoteError::BadKubeName { kind, name })
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for KubeName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// RFC 1123 subdomain: dot-separated labels of `[a-z0-9-]`, each starting and
/// ending with an alphanumeric, 253 characters at most.
fn is_dns_subdomain(name: &str) -> bool {
    let label_ok = |label: &str| {
        let bytes = label.as_bytes();
        let edge_ok = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
        !bytes.is_empty()
            && bytes.first().is_some_and(edge_ok)
            && bytes.last().is_some_and(edge_ok)
            && bytes.iter().all(|b| edge_ok(b) || *b == b'-')
    };
    !name.is_empty() && name.len() <= 253 && name.split('.').all(label_ok)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn plain_words_stay_readable() {
        assert_eq!(sh("kube-system").unwrap(), "kube-system");
    }

    #[test]
    fn injection_attempt_is_one_word() {
        let quoted = sh("x'; touch /tmp/pwned #").unwrap();
        let words = shlex::split(&quoted).unwrap();
        assert_eq!(words, vec!["x'; touch /tmp/pwned #".to_string()]);
    }

    #[test]
    fn nul_is_refused() {
        assert!(matches!(sh("a\0b"), Err(QuoteError::Nul(_))));
    }

    #[test]
    fn kube_names() {
        assert!(KubeName::parse("namespace", "acme-prod").is_ok());
        assert!(KubeName::parse("configmap", "kube-root-ca.crt").is_ok());
        for bad in ["", "Acme", "-a", "a-", "a b", "a;b", "a..b", "$(id)"] {
            assert!(KubeName::parse("namespace", bad).is_err(), "{bad:?}");
        }
        assert!(KubeName::parse("namespace", &"a".repeat(254)).is_err());
    }

    /// Runs the quoted word through a real `sh` and checks it arrives intact.
    fn through_sh(word: &str) -> String {
        let script = format!("printf '%s' {}", sh(word).unwrap());
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(script)
            .output()
            .expect("sh runs");
        String::from_utf8(out.stdout).expect("utf-8 in, utf-8 out")
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn quoting_survives_a_real_shell(word in "[^\u{0}]{0,40}") {
            prop_assert_eq!(through_sh(&word), word);
        }

        #[test]
        fn quoting_round_trips_through_split(word in "[^\u{0}]{0,60}") {
            let words = shlex::split(&sh(&word).unwrap()).unwrap();
            prop_assert_eq!(words, vec![word]);
        }
    }
}
