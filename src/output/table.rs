//! Drawing one [`Table`] for people: comfy-table wrapped to the terminal's width when
//! stdout is a terminal and the table is small enough for that to be quick; otherwise
//! unwrapped, with the last column written as it is rather than padded.
//!
//! Every cell passes through [`safe::visible`] first, so no remote text reaches the
//! terminal with its control characters.

use std::borrow::Cow;
use std::io::Write;

use comfy_table::{ContentArrangement, Table as Comfy, presets};

use super::safe::{self, Layout};
use super::{Style, Table};

/// Above this many rows a table is not wrapped, even on a terminal: comfy-table
/// re-wraps every cell, which takes longer than a person can read the result.
const WRAP_MAX_ROWS: usize = 500;

/// Above this many bytes of cell text a table is not wrapped either (a hash of
/// pretty-printed JSON values reaches it with a few hundred fields).
const WRAP_MAX_BYTES: usize = 128 << 10;

/// Writes `table`'s header and rows (not its title).
pub(super) fn write_table(
    table: &Table,
    style: &Style,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let rows: Vec<Vec<Cow<'_, str>>> = table
        .rows
        .iter()
        .map(|row| row.iter().map(|c| safe::visible(c, Layout::Cell)).collect())
        .collect();
    let headers: Vec<Cow<'_, str>> = table
        .headers
        .iter()
        .map(|h| safe::visible(h, Layout::Cell))
        .collect();
    match style.width {
        Some(width) if fits_wrapping(&rows) => write_wrapped(&headers, &rows, width, style, out),
        _ => write_unwrapped(&headers, &rows, style, out),
    }
}

fn fits_wrapping(rows: &[Vec<Cow<'_, str>>]) -> bool {
    let bytes: usize = rows.iter().flatten().map(|c| c.len()).sum();
    rows.len() <= WRAP_MAX_ROWS && bytes <= WRAP_MAX_BYTES
}

/// comfy-table, wrapped to `width`.
fn write_wrapped(
    headers: &[Cow<'_, str>],
    rows: &[Vec<Cow<'_, str>>],
    width: u16,
    style: &Style,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let mut comfy = new_comfy(style);
    comfy.set_content_arrangement(ContentArrangement::Dynamic);
    comfy.set_width(width);
    comfy.set_header(headers.iter().map(|h| h.as_ref()));
    for row in rows {
        comfy.add_row(row.iter().map(|c| c.as_ref()));
    }
    // comfy-table pads the last column; trailing blanks only get in a reader's way.
    for line in comfy.lines() {
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

/// Unwrapped: comfy-table aligns the leading columns (names, indexes: short), and each
/// line of the last column (values: long, often many lines) follows its row's lines
/// as it is. Padding that column to its widest line made a 1 MB hash of JSON values a
/// 15 MB table, trailing blanks that were then trimmed again.
fn write_unwrapped(
    headers: &[Cow<'_, str>],
    rows: &[Vec<Cow<'_, str>>],
    style: &Style,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let columns = rows.iter().map(Vec::len).chain([headers.len()]).max();
    let Some(last) = columns.and_then(|n| n.checked_sub(1)) else {
        return Ok(());
    };
    let all_rows = std::iter::once(headers).chain(rows.iter().map(Vec::as_slice));
    let lead = Lead::draw(all_rows.clone(), last, style);
    let mut lead_lines = lead.lines.iter();

    for row in all_rows {
        let lead_height = match last {
            0 => 1,
            _ => row_height(&row[..last.min(row.len())]),
        };
        let value = row.get(last).map_or("", |c| c.as_ref());
        let mut values = value.split('\n');
        let height = lead_height.max(line_count(value));
        for i in 0..height {
            let lead_line = match i < lead_height {
                true => lead_lines.next().map_or("", String::as_str),
                false => &lead.blank,
            };
            write_line(out, lead_line, values.next().unwrap_or(""))?;
        }
    }
    Ok(())
}

/// The leading columns (all but the last) as comfy-table draws them, one string per
/// line, plus a blank as wide for the lines where only the last column goes on.
struct Lead {
    lines: Vec<String>,
    blank: String,
}

impl Lead {
    fn draw<'r, 'c: 'r>(
        rows: impl Iterator<Item = &'r [Cow<'c, str>]>,
        last: usize,
        style: &Style,
    ) -> Lead {
        if last == 0 {
            return Lead {
                lines: Vec::new(),
                blank: String::new(),
            };
        }
        let lead_cells = |row: &'r [Cow<'c, str>]| -> Vec<&'r str> {
            (0..last)
                .map(|i| row.get(i).map_or("", |c| c.as_ref()))
                .collect()
        };
        let mut rows = rows.map(lead_cells);
        let mut comfy = new_comfy(style);
        comfy.set_content_arrangement(ContentArrangement::Disabled);
        if let Some(header) = rows.next() {
            comfy.set_header(header);
        }
        rows.for_each(|row| {
            comfy.add_row(row);
        });
        // Each column is its widest line plus one blank either side (comfy's padding).
        let width: usize = comfy
            .column_max_content_widths()
            .iter()
            .map(|w| usize::from(*w) + 2)
            .sum();
        Lead {
            lines: comfy.lines().collect(),
            blank: " ".repeat(width),
        }
    }
}

/// One output line: the leading columns, then a line of the last column, without the
/// trailing blanks either may leave.
fn write_line(out: &mut dyn Write, lead: &str, value: &str) -> std::io::Result<()> {
    let value = value.trim_end();
    if value.is_empty() {
        return writeln!(out, "{}", lead.trim_end());
    }
    writeln!(out, "{lead} {value}")
}

/// Lines a row takes: its tallest cell's.
fn row_height(row: &[Cow<'_, str>]) -> usize {
    row.iter().map(|c| line_count(c)).max().unwrap_or(1)
}

/// Lines in a cell as comfy-table splits it: one more than its newlines.
fn line_count(cell: &str) -> usize {
    cell.bytes().filter(|b| *b == b'\n').count() + 1
}

fn new_comfy(style: &Style) -> Comfy {
    let mut comfy = Comfy::new();
    comfy.load_preset(presets::NOTHING);
    if !style.color {
        comfy.force_no_tty();
    }
    comfy
}

#[cfg(test)]
mod tests {
    use super::*;

    fn style(width: Option<u16>) -> Style {
        Style {
            color: false,
            progress: false,
            width,
            terminal: width.is_some(),
        }
    }

    fn draw(table: &Table, width: Option<u16>) -> String {
        let mut out = Vec::new();
        write_table(table, &style(width), &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn hash_table() -> Table {
        let mut table = Table::new(&["FIELD", "VALUE"]);
        table.row(vec!["device:1".into(), "{\n  \"a\": 1\n}".into()]);
        table.row(vec!["d2".into(), "short".into()]);
        table.row(vec!["two\nlines".into(), "x".into()]);
        table
    }

    #[test]
    fn unwrapped_tables_align_leading_columns_and_do_not_pad_the_last() {
        let expected = " FIELD     VALUE\n \
                          device:1  {\n             \
                          \"a\": 1\n           \
                          }\n \
                          d2        short\n \
                          two       x\n \
                          lines\n";
        assert_eq!(draw(&hash_table(), None), expected);
    }

    #[test]
    fn unwrapped_and_wrapped_agree_when_nothing_needs_wrapping() {
        assert_eq!(draw(&hash_table(), None), draw(&hash_table(), Some(200)));
    }

    #[test]
    fn a_narrow_terminal_wraps_small_tables_only() {
        let mut small = Table::new(&["KEY", "VALUE"]);
        small.row(vec!["k".into(), "word ".repeat(30)]);
        let wrapped = draw(&small, Some(40));
        assert!(
            wrapped.lines().all(|l| l.chars().count() <= 40),
            "{wrapped}"
        );

        let mut big = Table::new(&["KEY", "VALUE"]);
        for i in 0..=WRAP_MAX_ROWS {
            big.row(vec![i.to_string(), "word ".repeat(30)]);
        }
        let unwrapped = draw(&big, Some(40));
        assert_eq!(unwrapped.lines().count(), WRAP_MAX_ROWS + 2);
    }

    #[test]
    fn one_column_and_ragged_rows() {
        let mut keys = Table::new(&["KEY"]);
        keys.row(vec!["a".into()]);
        keys.row(vec!["b\nc".into()]);
        assert_eq!(draw(&keys, None), " KEY\n a\n b\n c\n");

        let mut ragged = Table::new(&["A", "B", "C"]);
        ragged.row(vec!["1".into()]);
        ragged.row(vec!["2".into(), "22".into(), "222".into()]);
        assert_eq!(draw(&ragged, None), " A  B   C\n 1\n 2  22  222\n");
    }

    /// What the unwrapped layout must equal: comfy-table drawing every column, padded,
    /// with each line's trailing blanks trimmed.
    fn comfy_reference(headers: &[&str], rows: &[Vec<String>]) -> String {
        let mut comfy = new_comfy(&style(None));
        comfy.set_content_arrangement(ContentArrangement::Disabled);
        comfy.set_header(headers.to_vec());
        rows.iter().for_each(|row| {
            comfy.add_row(row.clone());
        });
        comfy
            .lines()
            .map(|l| format!("{}\n", l.trim_end()))
            .collect()
    }

    proptest::proptest! {
        #[test]
        fn unwrapped_is_comfy_table_without_the_padding(
            rows in proptest::collection::vec(
                proptest::collection::vec("[a-z 日é\n]{0,7}", 1..5),
                1..7,
            )
        ) {
            let headers = ["A", "BB", "C"];
            let mut table = Table::new(&headers);
            rows.iter().for_each(|row| table.row(row.clone()));
            proptest::prop_assert_eq!(draw(&table, None), comfy_reference(&headers, &rows));
        }
    }

    #[test]
    fn cells_are_made_safe() {
        let mut table = Table::new(&["POD", "STATUS"]);
        table.row(vec!["p\x1b[2J".into(), "Crash\x1b]0;owned\x07".into()]);
        for width in [None, Some(80)] {
            let shown = draw(&table, width);
            assert!(
                !shown.contains('\x1b') && !shown.contains('\x07'),
                "{shown:?}"
            );
            assert!(shown.contains("p\u{241b}[2J") && shown.contains("\u{241b}]0;owned"));
        }
    }
}
