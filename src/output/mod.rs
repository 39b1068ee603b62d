//! Rendering results: tables (comfy-table, sized to the terminal), JSON (a
//! stable schema, see docs/json-schema.md) and plain (tab-separated, one record
//! a line); plus the decisions about colour and progress, made once per run.
//! Whatever a person reads (tables, text, notes, plain output on a terminal) goes
//! through [`safe`] here, so remote text cannot drive the terminal.

pub mod progress;
pub mod safe;
pub mod stream;
mod table;

use std::borrow::Cow;
use std::io::{BufWriter, IsTerminal, Write};

use serde_json::Value;

use self::safe::Layout;

use crate::cli::{ColorChoice, Format};

/// How the run was started; decides prompts, colours and bars.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Interactive,
    Script,
    OneShot,
}

/// Terminal facts and operator choices, resolved once and passed down.
#[derive(Debug, Clone)]
pub struct Style {
    pub color: bool,
    pub progress: bool,
    /// The terminal's width when stdout is one (and it could be read); tables are
    /// wrapped to it.
    pub width: Option<u16>,
    /// Stdout is a terminal: plain output is then made safe to show too (see [`safe`]).
    pub terminal: bool,
}

impl Style {
    pub fn resolve(choice: ColorChoice, mode: Mode, quiet: bool) -> Style {
        let stdout_tty = std::io::stdout().is_terminal();
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let dumb = std::env::var("TERM").is_ok_and(|t| t == "dumb");
        let color = match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => stdout_tty && !no_color && !dumb && mode != Mode::Script,
        };
        let progress = std::io::stderr().is_terminal() && !quiet && mode != Mode::Script;
        let width = stdout_tty.then(terminal_width).flatten();
        Style {
            color,
            progress,
            width,
            terminal: stdout_tty,
        }
    }
}

fn terminal_width() -> Option<u16> {
    let columns = std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok());
    usable_width(columns.or_else(|| comfy_table::Table::new().width()))
}

/// A terminal that reports a width too small for any table (0 from `script`
/// or `docker exec -t` without a size) is treated as having none: tables are
/// not squeezed into one character per column.
fn usable_width(width: Option<u16>) -> Option<u16> {
    width.filter(|w| *w >= MIN_WIDTH)
}

const MIN_WIDTH: u16 = 20;

/// A table of strings with fixed headers.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub title: Option<String>,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(headers: &[&str]) -> Table {
        Table {
            title: None,
            headers: headers.iter().map(|h| h.to_string()).collect(),
            rows: vec![],
        }
    }

    pub fn titled(mut self, title: impl Into<String>) -> Table {
        self.title = Some(title.into());
        self
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }
}

/// What a command produced: the JSON form always, and either tables or text
/// for the human forms. Notes go to stderr so stdout stays data.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub json: Value,
    pub tables: Vec<Table>,
    pub text: Option<String>,
    /// `text` carries the command's own colours (its remote parts already made safe):
    /// colour sequences in it survive [`safe::visible`].
    pub styled: bool,
    pub notes: Vec<String>,
}

impl Report {
    pub fn table(table: Table, json: Value) -> Report {
        Report {
            json,
            tables: vec![table],
            ..Report::default()
        }
    }

    pub fn text(text: impl Into<String>, json: Value) -> Report {
        Report {
            json,
            text: Some(text.into()),
            ..Report::default()
        }
    }

    /// Marks `text` as coloured by the command itself (see [`Report::styled`]).
    pub fn with_colours(mut self) -> Report {
        self.styled = true;
        self
    }

    /// Adds a note for stderr; notes are for people, so they are made safe here.
    pub fn note(mut self, note: impl Into<String>) -> Report {
        let note = note.into();
        self.notes
            .push(safe::visible(&note, Layout::Text).into_owned());
        self
    }

    /// Render into `out` (stdout) in `format`.
    pub fn render(
        &self,
        format: Format,
        style: &Style,
        out: &mut dyn Write,
    ) -> std::io::Result<()> {
        // Stdout is line-buffered: unbuffered, a 20,000-row table or a 1 MB JSON
        // document costs a write call per line, which took longer than the rendering.
        let mut out = BufWriter::with_capacity(1 << 16, out);
        match format {
            Format::Json if self.json.is_null() && self.text.is_none() => {}
            Format::Json => {
                serde_json::to_writer_pretty(&mut out, &self.json)?;
                writeln!(out)?;
            }
            Format::Plain => self.render_plain(style, &mut out)?,
            Format::Table => self.render_tables(style, &mut out)?,
        }
        out.flush()
    }

    fn render_plain(&self, style: &Style, out: &mut dyn Write) -> std::io::Result<()> {
        if let Some(text) = &self.text {
            return write_text(out, &plain_safe(text, self.text_layout(), style));
        }
        for table in &self.tables {
            for row in &table.rows {
                let cells: Vec<String> = row
                    .iter()
                    .map(|c| plain_safe(&plain_cell(c), Layout::Text, style).into_owned())
                    .collect();
                writeln!(out, "{}", cells.join("\t"))?;
            }
        }
        Ok(())
    }

    fn text_layout(&self) -> Layout {
        match self.styled {
            true => Layout::Styled,
            false => Layout::Text,
        }
    }

    fn render_tables(&self, style: &Style, out: &mut dyn Write) -> std::io::Result<()> {
        if let Some(text) = &self.text {
            return write_text(out, &safe::visible(text, self.text_layout()));
        }
        for (i, table) in self.tables.iter().enumerate() {
            if i > 0 {
                writeln!(out)?;
            }
            if let Some(title) = &table.title {
                writeln!(out, "{}", safe::visible(title, Layout::Cell))?;
            }
            if table.rows.is_empty() {
                writeln!(out, "  (none)")?;
                continue;
            }
            table::write_table(table, style, out)?;
        }
        Ok(())
    }
}

fn write_text(out: &mut dyn Write, text: &str) -> std::io::Result<()> {
    out.write_all(text.as_bytes())?;
    if !text.is_empty() && !text.ends_with('\n') {
        writeln!(out)?;
    }
    Ok(())
}

/// Piped plain output is data for a script and stays as it came; on a terminal it is
/// read by a person and made safe like a table.
fn plain_safe<'a>(text: &'a str, layout: Layout, style: &Style) -> Cow<'a, str> {
    match style.terminal {
        true => safe::visible(text, layout),
        false => Cow::Borrowed(text),
    }
}

/// Tabs and newlines inside a plain cell would break the one-record-a-line rule.
fn plain_cell(cell: &str) -> String {
    cell.replace('\\', "\\\\")
        .replace('\t', "\\t")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: &str = "name\x1b]0;owned\x07\x1b[2J";

    #[test]
    fn a_terminal_without_a_size_gets_unwrapped_tables() {
        assert_eq!(usable_width(Some(0)), None);
        assert_eq!(usable_width(Some(5)), None);
        assert_eq!(usable_width(Some(80)), Some(80));
        assert_eq!(usable_width(None), None);
    }

    fn sample() -> Report {
        let mut t = Table::new(&["NAME", "VALUE"]);
        t.row(vec!["a".into(), "one\ttwo".into()]);
        Report::table(t, serde_json::json!([{"name": "a"}]))
    }

    fn style(terminal: bool) -> Style {
        Style {
            color: false,
            progress: false,
            width: terminal.then_some(80),
            terminal,
        }
    }

    fn draw(report: &Report, format: Format, terminal: bool) -> String {
        let mut out = Vec::new();
        report.render(format, &style(terminal), &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn render(format: Format) -> String {
        draw(&sample(), format, true)
    }

    #[test]
    fn plain_is_tab_separated_and_escaped() {
        assert_eq!(render(Format::Plain), "a\tone\\ttwo\n");
    }

    #[test]
    fn json_is_the_json() {
        let v: Value = serde_json::from_str(&render(Format::Json)).unwrap();
        assert_eq!(v[0]["name"], "a");
    }

    #[test]
    fn table_has_headers() {
        let text = render(Format::Table);
        assert!(text.contains("NAME") && text.contains("VALUE"), "{text}");
    }

    #[test]
    fn hostile_text_is_shown_not_obeyed_on_a_terminal() {
        let mut table = Table::new(&["NAME"]).titled(HOSTILE);
        table.row(vec![HOSTILE.into()]);
        let tabled = Report::table(table, Value::Null);
        let text = Report::text(HOSTILE, Value::Null);
        for (report, format) in [
            (&tabled, Format::Table),
            (&tabled, Format::Plain),
            (&text, Format::Table),
            (&text, Format::Plain),
        ] {
            let shown = draw(report, format, true);
            assert!(!shown.contains(['\x1b', '\x07']), "{format:?}: {shown:?}");
            assert!(shown.contains("name\u{241b}]0;owned\u{2407}"), "{shown:?}");
        }
    }

    #[test]
    fn piped_plain_output_is_left_as_data() {
        let text = Report::text(HOSTILE, Value::Null);
        assert_eq!(draw(&text, Format::Plain, false), format!("{HOSTILE}\n"));
        // A table is for people wherever it goes.
        assert!(!draw(&text, Format::Table, false).contains('\x1b'));
    }

    #[test]
    fn own_colours_survive_and_notes_are_safe() {
        let coloured = Report::text("\x1b[32m\"v\"\x1b[0m\x1b[2J", Value::Null).with_colours();
        let shown = draw(&coloured, Format::Table, true);
        assert_eq!(shown, "\x1b[32m\"v\"\x1b[0m\u{241b}[2J\n");
        let noted = Report::default().note(HOSTILE);
        assert!(!noted.notes[0].contains('\x1b'), "{:?}", noted.notes);
    }
}
