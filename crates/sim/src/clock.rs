//! Timestamps in world files and the ages kubectl prints.
//!
//! World files store RFC 3339 instants (`2025-03-01T09:30:00Z`), as Kubernetes does;
//! kubectl tables show the time since then in its own compact form (`5d3h`, `12m`),
//! which [`human_age`] reproduces rule for rule.

use std::time::{SystemTime, UNIX_EPOCH};

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// Seconds since the Unix epoch, now.
pub fn now_unix() -> i64 {
    let since = SystemTime::now().duration_since(UNIX_EPOCH);
    since.map(|d| d.as_secs() as i64).unwrap_or(0)
}

/// Formats Unix seconds as `YYYY-MM-DDTHH:MM:SSZ`, the form the API server uses.
pub fn format_rfc3339(unix: i64) -> String {
    let Ok(at) = OffsetDateTime::from_unix_timestamp(unix) else {
        return "1970-01-01T00:00:00Z".to_string();
    };
    at.format(&Rfc3339)
        .unwrap_or_else(|_| "1970-01-01T00:00:00Z".to_string())
}

/// Parses an RFC 3339 instant into Unix seconds; `None` when it is not one.
pub fn parse_rfc3339(text: &str) -> Option<i64> {
    OffsetDateTime::parse(text, &Rfc3339)
        .ok()
        .map(|at| at.unix_timestamp())
}

/// The age kubectl prints for something created at `created` when it is `now`,
/// following apimachinery's `HumanDuration` (`45s`, `3m20s`, `2h5m`, `5d3h`, `400d`, `2y3d`).
pub fn human_age(created: i64, now: i64) -> String {
    let secs = now - created;
    if secs < -1 {
        return "<invalid>".to_string();
    }
    if secs < 0 {
        return "0s".to_string();
    }
    if secs < 120 {
        return format!("{secs}s");
    }

    let minutes = secs / 60;
    if minutes < 10 {
        return with_rest(minutes, "m", secs % 60, "s");
    }
    if minutes < 180 {
        return format!("{minutes}m");
    }

    let hours = secs / 3600;
    if hours < 8 {
        return with_rest(hours, "h", minutes % 60, "m");
    }
    if hours < 48 {
        return format!("{hours}h");
    }
    if hours < 24 * 8 {
        return with_rest(hours / 24, "d", hours % 24, "h");
    }
    if hours < 24 * 365 * 2 {
        return format!("{}d", hours / 24);
    }
    if hours < 24 * 365 * 8 {
        return with_rest(hours / 24 / 365, "y", (hours / 24) % 365, "d");
    }
    format!("{}y", hours / 24 / 365)
}

/// `5d3h`, or `5d` when the smaller unit is zero.
fn with_rest(big: i64, big_unit: &str, small: i64, small_unit: &str) -> String {
    if small == 0 {
        format!("{big}{big_unit}")
    } else {
        format!("{big}{big_unit}{small}{small_unit}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_follow_kubectl_rules() {
        let cases = [
            (0, "0s"),
            (119, "119s"),
            (200, "3m20s"),
            (600, "10m"),
            (3 * 3600 - 1, "179m"),
            (2 * 3600 + 5 * 60 + 3 * 3600, "5h5m"),
            (9 * 3600, "9h"),
            (5 * 86400 + 3 * 3600, "5d3h"),
            (7 * 86400, "7d"),
            (400 * 86400, "400d"),
            (3 * 365 * 86400 + 86400, "3y1d"),
            (10 * 365 * 86400, "10y"),
        ];
        for (secs, want) in cases {
            assert_eq!(
                human_age(1_000_000_000, 1_000_000_000 + secs),
                want,
                "{secs}"
            );
        }
        assert_eq!(human_age(10, 5), "<invalid>");
    }

    #[test]
    fn rfc3339_round_trips() {
        let unix = 1_740_821_400;
        let text = format_rfc3339(unix);
        assert_eq!(text, "2025-03-01T09:30:00Z");
        assert_eq!(parse_rfc3339(&text), Some(unix));
        assert_eq!(parse_rfc3339("yesterday"), None);
    }
}
