//! `kubectl describe configmap`: the text block kubectl prints, which `cm show --raw`
//! passes through. Header fields align with a tab-writer of padding 2; data values are
//! printed verbatim after a `----` rule; binary entries show only their size.

use base64::Engine as _;

use crate::world::ConfigMap;

/// `kubectl describe configmap NAME -n NS` for `cm`.
pub fn configmap(cm: &ConfigMap) -> String {
    let mut out = String::new();
    let labels: Vec<String> = cm.labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let mut header = vec![
        ("Name:", cm.name.clone()),
        ("Namespace:", cm.namespace.clone()),
    ];
    if labels.is_empty() {
        header.push(("Labels:", "<none>".to_string()));
    } else {
        for (i, label) in labels.iter().enumerate() {
            header.push((if i == 0 { "Labels:" } else { "" }, label.clone()));
        }
    }
    header.push(("Annotations:", "<none>".to_string()));
    let width = header.iter().map(|(k, _)| k.len()).max().unwrap_or(0) + 2;
    for (key, value) in &header {
        out.push_str(&format!("{key:<width$}{value}\n"));
    }

    out.push_str("\nData\n====\n");
    for (key, value) in &cm.data {
        out.push_str(&format!("{key}:\n----\n{value}\n"));
    }
    out.push_str("\nBinaryData\n====\n");
    let engine = base64::engine::general_purpose::STANDARD;
    for (key, value) in &cm.binary_data {
        let size = engine.decode(value).map_or(0, |bytes| bytes.len());
        out.push_str(&format!("{key}: {size} bytes\n"));
    }
    out.push_str("\nEvents:  <none>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describes_data_and_binary_data() {
        let mut cm = ConfigMap::new("acme", "acme-config", "2025-01-01T00:00:00Z");
        cm.data
            .insert("config".into(), "{\"a\":\"b \\\"c\\\"\"}".into());
        cm.binary_data.insert("logo.png".into(), "AAEC".into());
        let want = "Name:         acme-config\n\
                    Namespace:    acme\n\
                    Labels:       <none>\n\
                    Annotations:  <none>\n\
                    \n\
                    Data\n\
                    ====\n\
                    config:\n\
                    ----\n\
                    {\"a\":\"b \\\"c\\\"\"}\n\
                    \n\
                    BinaryData\n\
                    ====\n\
                    logo.png: 3 bytes\n\
                    \n\
                    Events:  <none>\n";
        assert_eq!(configmap(&cm), want);
    }
}
