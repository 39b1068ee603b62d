//! The `INFO` report: `# Section` headers followed by `field:value` lines, `\r\n`
//! line ends, blank lines between sections.

use serde_json::{Map, Value};

/// One section of the report, fields in the server's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub name: String,
    pub fields: Vec<(String, String)>,
}

/// Read a report. Lines before any header land in a section named `""`; lines
/// without a `:` are kept with an empty value, so nothing the server said is lost.
pub fn parse(report: &[u8]) -> Vec<Section> {
    let text = String::from_utf8_lossy(report);
    let mut sections: Vec<Section> = Vec::new();
    for line in text.lines().map(|l| l.trim_end_matches('\r')) {
        if line.trim().is_empty() {
            continue;
        }
        if let Some(name) = line.strip_prefix('#') {
            sections.push(Section {
                name: name.trim().to_string(),
                fields: Vec::new(),
            });
            continue;
        }
        if sections.is_empty() {
            sections.push(Section {
                name: String::new(),
                fields: Vec::new(),
            });
        }
        let (field, value) = line.split_once(':').unwrap_or((line, ""));
        if let Some(section) = sections.last_mut() {
            section.fields.push((field.to_string(), value.to_string()));
        }
    }
    sections
}

/// `{"server": {"redis_version": "7.2.4", ...}, "keyspace": {...}}`: section names in
/// lower case, values as the server wrote them (text).
pub fn to_json(sections: &[Section]) -> Value {
    let mut out = Map::new();
    for section in sections {
        let fields = section
            .fields
            .iter()
            .map(|(f, v)| (f.clone(), Value::String(v.clone())))
            .collect();
        out.insert(section.name.to_lowercase(), Value::Object(fields));
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPORT: &[u8] = b"# Server\r\nredis_version:7.2.4\r\nos:Linux 6.1 x86_64\r\n\r\n\
                            # Keyspace\r\ndb0:keys=42,expires=3,avg_ttl=0\r\n";

    #[test]
    fn sections_and_fields() {
        let sections = parse(REPORT);
        assert_eq!(sections.len(), 2);
        assert_eq!(sections[0].name, "Server");
        assert_eq!(
            sections[0].fields[1],
            ("os".into(), "Linux 6.1 x86_64".into())
        );
        let json = to_json(&sections);
        assert_eq!(json["keyspace"]["db0"], "keys=42,expires=3,avg_ttl=0");
    }

    #[test]
    fn empty_report_has_no_sections() {
        assert!(parse(b"").is_empty());
        assert_eq!(to_json(&[]), serde_json::json!({}));
    }
}
