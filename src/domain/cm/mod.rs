//! One ConfigMap's contents, from `kubectl get configmap NAME -n NS -o json`:
//! its text data, its binary data (base64, shown only by size) and what its
//! `config` key holds. Tenant ConfigMaps usually carry one JSON document under
//! `config`; [`Config`] says whether this one does.

pub mod pretty;

use std::collections::BTreeMap;

use base64::Engine as _;
use serde::Deserialize;

/// The key whose value is the tenant's configuration document.
pub const CONFIG_KEY: &str = "config";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigMapDoc {
    pub name: String,
    pub namespace: String,
    /// Text entries, exactly as stored.
    pub data: BTreeMap<String, String>,
    /// Binary entries, base64 as the API gives them.
    pub binary_data: BTreeMap<String, String>,
}

/// What the `config` key holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Config<'a> {
    /// A JSON document: the exact stored text.
    Json(&'a str),
    /// Text that is not JSON, and why.
    NotJson { reason: String },
    /// There is no `config` key.
    Missing,
}

#[derive(Debug, thiserror::Error)]
#[error("cannot parse kubectl's ConfigMap JSON: {0}")]
pub struct CmError(String);

#[derive(Deserialize)]
struct Raw {
    #[serde(default)]
    metadata: RawMeta,
    #[serde(default)]
    data: Option<BTreeMap<String, String>>,
    #[serde(default, rename = "binaryData")]
    binary_data: Option<BTreeMap<String, String>>,
}

#[derive(Default, Deserialize)]
struct RawMeta {
    #[serde(default)]
    name: String,
    #[serde(default)]
    namespace: String,
}

/// Parse one ConfigMap object (not a list).
pub fn parse(json: &[u8]) -> Result<ConfigMapDoc, CmError> {
    let raw: Raw = serde_json::from_slice(json).map_err(|e| CmError(e.to_string()))?;
    Ok(ConfigMapDoc {
        name: raw.metadata.name,
        namespace: raw.metadata.namespace,
        data: raw.data.unwrap_or_default(),
        binary_data: raw.binary_data.unwrap_or_default(),
    })
}

impl ConfigMapDoc {
    pub fn config(&self) -> Config<'_> {
        let Some(text) = self.data.get(CONFIG_KEY) else {
            return Config::Missing;
        };
        match serde_json::from_str::<serde::de::IgnoredAny>(text) {
            Ok(_) => Config::Json(text),
            Err(e) => Config::NotJson {
                reason: e.to_string(),
            },
        }
    }

    /// Binary entries with their decoded size (`None`: not valid base64).
    pub fn binary_sizes(&self) -> Vec<(String, Option<usize>)> {
        let engine = base64::engine::general_purpose::STANDARD;
        self.binary_data
            .iter()
            .map(|(key, value)| (key.clone(), engine.decode(value).ok().map(|b| b.len())))
            .collect()
    }

    /// Every key, text and binary, for "no such key" messages.
    pub fn keys(&self) -> Vec<&str> {
        let text = self.data.keys().map(String::as_str);
        text.chain(self.binary_data.keys().map(String::as_str))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(data: &str) -> ConfigMapDoc {
        let json = format!(
            r#"{{"apiVersion":"v1","kind":"ConfigMap",
                "metadata":{{"name":"acme-config","namespace":"acme"}},{data}}}"#
        );
        parse(json.as_bytes()).unwrap()
    }

    #[test]
    fn json_config_is_the_stored_text() {
        let cm = doc(r#""data":{"config":"{\"b\":1,\"a\":\"say \\\"hi\\\"\"}"}"#);
        assert_eq!(cm.config(), Config::Json(r#"{"b":1,"a":"say \"hi\""}"#));
        assert_eq!(cm.name, "acme-config");
    }

    #[test]
    fn not_json_and_missing() {
        let cm = doc(r#""data":{"config":"tenant=acme\n"}"#);
        assert!(matches!(cm.config(), Config::NotJson { .. }));
        let cm = doc(r#""data":{"settings.ini":"[a]"}"#);
        assert_eq!(cm.config(), Config::Missing);
        let cm = doc(r#""data":null"#);
        assert_eq!(cm.config(), Config::Missing);
    }

    #[test]
    fn binary_sizes_are_decoded_lengths() {
        let cm = doc(r#""binaryData":{"logo.png":"iVBORw0KGgoAAAAN//4=","bad":"!!"}"#);
        assert_eq!(
            cm.binary_sizes(),
            [
                ("bad".to_string(), None),
                ("logo.png".to_string(), Some(14))
            ]
        );
        assert_eq!(cm.keys(), ["bad", "logo.png"]);
    }
}
