//! The set of open sessions, the active one, and `@NAME` lookup.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::Session;
use crate::error::{Error, Result};

#[derive(Default)]
pub struct Registry {
    sessions: BTreeMap<String, Arc<Session>>,
    active: Option<String>,
}

impl Registry {
    pub fn insert(&mut self, session: Session) -> Arc<Session> {
        let name = session.name.clone();
        let session = Arc::new(session);
        self.sessions.insert(name.clone(), session.clone());
        self.active = Some(name);
        session
    }

    pub fn contains(&self, name: &str) -> bool {
        self.sessions.contains_key(name)
    }

    pub fn get(&self, name: &str) -> Result<Arc<Session>> {
        self.sessions
            .get(name)
            .cloned()
            .ok_or_else(|| Error::UnknownSession(name.to_string()))
    }

    pub fn active(&self) -> Result<Arc<Session>> {
        let name = self.active.as_deref().ok_or(Error::NoSession)?;
        self.get(name)
    }

    pub fn active_name(&self) -> Option<&str> {
        self.active.as_deref()
    }

    pub fn set_active(&mut self, name: &str) -> Result<()> {
        self.get(name)?;
        self.active = Some(name.to_string());
        Ok(())
    }

    pub fn remove(&mut self, name: &str) -> Result<Arc<Session>> {
        let session = self
            .sessions
            .remove(name)
            .ok_or_else(|| Error::UnknownSession(name.to_string()))?;
        if self.active.as_deref() == Some(name) {
            self.active = self.sessions.keys().next().cloned();
        }
        Ok(session)
    }

    pub fn all(&self) -> Vec<Arc<Session>> {
        self.sessions.values().cloned().collect()
    }

    pub fn names(&self) -> Vec<String> {
        self.sessions.keys().cloned().collect()
    }
}

/// Session names: letters, digits, `-`, `_`, `.`; not starting with `-` or `@`.
pub fn validate_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        && !name.starts_with('-')
        && name != "all";
    if ok {
        Ok(())
    } else {
        Err(Error::Usage(format!(
            "'{}' is not a session name (letters, digits, '-', '_', '.'; 'all' is reserved)",
            name.escape_debug()
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(validate_name("vms-1.prod_a").is_ok());
        for bad in ["", "a b", "-x", "all", "a;b", "é"] {
            assert!(validate_name(bad).is_err(), "{bad}");
        }
    }
}
