//! `logs stats`: the facts [`super::remote::STATS_PROGRAM`] prints, parsed,
//! and the per-hour error chart drawn from them.

use std::collections::BTreeMap;

use serde::Serialize;
use time::macros::format_description;
use time::{Duration, PrimitiveDateTime};

use super::scan::{LogFile, parse_scan};

/// What one pass over a log file found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Stats {
    pub lines: u64,
    /// Lines containing `error`, any case.
    pub errors: u64,
    /// Lines containing `warn`, any case.
    pub warnings: u64,
    /// First and last ISO timestamp at the start of a line (`YYYY-MM-DDTHH:MM:SS`).
    pub first: Option<String>,
    pub last: Option<String>,
    /// Timestamped error lines per hour (`YYYY-MM-DDTHH`).
    pub errors_per_hour: BTreeMap<String, u64>,
}

#[derive(Debug, thiserror::Error)]
#[error("cannot read the stats output: {0}")]
pub struct StatsError(String);

/// The output of [`super::remote::stats`] split into the file's scan record
/// (parsed with `root` as [`super::parse_scan`] does; `None` when find printed
/// none, i.e. the path is not a regular file) and the program's facts.
pub fn split_output<'a>(output: &'a [u8], root: &str) -> (Option<LogFile>, &'a [u8]) {
    let Some(at) = output.iter().position(|&b| b == 0) else {
        return (None, output);
    };
    let file = parse_scan(&output[..=at], root).into_iter().next();
    (file, &output[at + 1..])
}

/// Parse the program's output; `lines` must be there, unknown lines are ignored.
pub fn parse_stats(output: &[u8]) -> Result<Stats, StatsError> {
    let text = String::from_utf8_lossy(output);
    let mut stats = Stats::default();
    let mut saw_lines = false;
    for line in text.lines() {
        let mut words = line.split_whitespace();
        let (Some(key), Some(value)) = (words.next(), words.next()) else {
            continue;
        };
        let number = || {
            value
                .parse::<u64>()
                .map_err(|_| StatsError(line.to_string()))
        };
        match key {
            "lines" => {
                stats.lines = number()?;
                saw_lines = true;
            }
            "errors" => stats.errors = number()?,
            "warns" => stats.warnings = number()?,
            "first" => stats.first = Some(value.to_string()),
            "last" => stats.last = Some(value.to_string()),
            "hour" => {
                let count = words.next().and_then(|n| n.parse().ok());
                let count = count.ok_or_else(|| StatsError(line.to_string()))?;
                stats.errors_per_hour.insert(value.to_string(), count);
            }
            _ => {}
        }
    }
    if !saw_lines {
        return Err(StatsError(text.lines().next().unwrap_or("").to_string()));
    }
    Ok(stats)
}

/// Hours shown with empty bars between the first and last hour with errors,
/// up to this many; a longer span shows only the hours that had errors.
pub const MAX_FILLED_HOURS: i64 = 72;

/// One row per hour: the hour, its count and a bar scaled to `width` at most.
pub fn chart(
    per_hour: &BTreeMap<String, u64>,
    width: usize,
    bar: char,
) -> Vec<(String, u64, String)> {
    let hours = filled(per_hour);
    let top = hours.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    hours
        .into_iter()
        .map(|(hour, n)| {
            // Round up so that a single error still shows a mark.
            let len = (n as usize * width).div_ceil(top as usize);
            (hour, n, bar.to_string().repeat(len))
        })
        .collect()
}

/// The hours with errors, plus the empty hours between them when the span is short.
fn filled(per_hour: &BTreeMap<String, u64>) -> Vec<(String, u64)> {
    let given = || per_hour.iter().map(|(h, n)| (h.clone(), *n)).collect();
    let (Some(first), Some(last)) = (per_hour.keys().next(), per_hour.keys().next_back()) else {
        return Vec::new();
    };
    let (Some(start), Some(end)) = (parse_hour(first), parse_hour(last)) else {
        return given();
    };
    let span = (end - start).whole_hours();
    if span > MAX_FILLED_HOURS {
        return given();
    }
    (0..=span)
        .map(|i| {
            let hour = format_hour(start + Duration::hours(i));
            let n = per_hour.get(&hour).copied().unwrap_or(0);
            (hour, n)
        })
        .collect()
}

fn parse_hour(hour: &str) -> Option<PrimitiveDateTime> {
    let format = format_description!("[year]-[month]-[day]T[hour]:[minute]");
    PrimitiveDateTime::parse(&format!("{hour}:00"), &format).ok()
}

fn format_hour(t: PrimitiveDateTime) -> String {
    let format = format_description!("[year]-[month]-[day]T[hour]");
    t.format(&format).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scan_record_comes_off_the_front() {
        let out = b"2234\t1733328000.5\t/r/apps/gw/gw.log\0lines 3\nerrors 1\nwarns 0\n";
        let (file, rest) = split_output(out, "/r");
        let file = file.expect("a record");
        assert_eq!((file.path.as_str(), file.size), ("/r/apps/gw/gw.log", 2234));
        assert_eq!(file.app, "gw");
        assert_eq!(parse_stats(rest).unwrap().lines, 3);

        let (file, rest) = split_output(b"lines 0\nerrors 0\nwarns 0\n", "/r");
        assert!(file.is_none());
        assert_eq!(parse_stats(rest).unwrap().errors, 0);
    }

    #[test]
    fn output_parses() {
        let out = b"lines 120\nerrors 7\nwarns 3\nfirst 2025-01-15T00:00:21\n\
                    last 2025-01-15T03:59:01\nhour 2025-01-15T03 2\nhour 2025-01-15T00 5\n";
        let stats = parse_stats(out).unwrap();
        assert_eq!(stats.lines, 120);
        assert_eq!(stats.errors, 7);
        assert_eq!(stats.warnings, 3);
        assert_eq!(stats.first.as_deref(), Some("2025-01-15T00:00:21"));
        assert_eq!(stats.errors_per_hour["2025-01-15T00"], 5);
    }

    #[test]
    fn missing_lines_is_an_error() {
        assert!(parse_stats(b"awk: syntax error\n").is_err());
        assert!(parse_stats(b"lines x\n").is_err());
    }

    #[test]
    fn chart_fills_gaps_and_scales() {
        let per_hour: BTreeMap<String, u64> = [("2025-01-15T22", 10), ("2025-01-16T01", 1)]
            .into_iter()
            .map(|(h, n)| (h.to_string(), n))
            .collect();
        let rows = chart(&per_hour, 20, '#');
        let hours: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
        assert_eq!(
            hours,
            [
                "2025-01-15T22",
                "2025-01-15T23",
                "2025-01-16T00",
                "2025-01-16T01"
            ]
        );
        assert_eq!(rows[0].2, "#".repeat(20));
        assert_eq!(rows[1], ("2025-01-15T23".to_string(), 0, String::new()));
        assert_eq!(rows[3].2, "##");
    }

    #[test]
    fn long_spans_show_only_hours_with_errors() {
        let per_hour: BTreeMap<String, u64> = [("2025-01-01T00", 1), ("2025-02-01T00", 2)]
            .into_iter()
            .map(|(h, n)| (h.to_string(), n))
            .collect();
        assert_eq!(chart(&per_hour, 10, '#').len(), 2);
    }
}
