//! kubectl's AGE column: the two most significant units (`5d3h`, `12m`, `45s`).

use time::OffsetDateTime;

/// The age of an RFC 3339 timestamp at `now`, as kubectl prints it; `<unknown>`
/// for a missing or unparsable timestamp.
pub fn age(timestamp: Option<&str>, now: OffsetDateTime) -> String {
    let parsed = timestamp.and_then(|t| {
        OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339).ok()
    });
    match parsed {
        Some(created) => human_duration((now - created).whole_seconds().max(0) as u64),
        None => "<unknown>".into(),
    }
}

/// Like kubectl's `duration.HumanDuration`, simplified to the cases it prints most.
pub fn human_duration(secs: u64) -> String {
    let (m, h, d) = (secs / 60, secs / 3600, secs / 86400);
    match secs {
        s if s < 120 => format!("{s}s"),
        _ if m < 10 => match secs % 60 {
            0 => format!("{m}m"),
            s => format!("{m}m{s}s"),
        },
        _ if h < 3 => format!("{m}m"),
        _ if h < 8 => match m % 60 {
            0 => format!("{h}h"),
            mm => format!("{h}h{mm}m"),
        },
        _ if h < 48 => format!("{h}h"),
        _ if h < 24 * 8 => match h % 24 {
            0 => format!("{d}d"),
            hh => format!("{d}d{hh}h"),
        },
        _ if d < 365 * 2 => format!("{d}d"),
        _ => format!("{}y{}d", d / 365, d % 365),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kubectl_style() {
        assert_eq!(human_duration(45), "45s");
        assert_eq!(human_duration(5 * 60 + 3), "5m3s");
        assert_eq!(human_duration(75 * 60), "75m");
        assert_eq!(human_duration(5 * 3600 + 20 * 60), "5h20m");
        assert_eq!(human_duration(30 * 3600), "30h");
        assert_eq!(human_duration(5 * 86400 + 3 * 3600), "5d3h");
        assert_eq!(human_duration(40 * 86400), "40d");
        assert_eq!(human_duration(800 * 86400), "2y70d");
    }

    #[test]
    fn from_timestamps() {
        let now = OffsetDateTime::parse(
            "2026-12-04T12:00:00Z",
            &time::format_description::well_known::Rfc3339,
        )
        .unwrap();
        assert_eq!(age(Some("2026-12-04T11:59:15Z"), now), "45s");
        assert_eq!(age(None, now), "<unknown>");
        assert_eq!(age(Some("yesterday"), now), "<unknown>");
    }
}
