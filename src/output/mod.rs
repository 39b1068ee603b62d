//! Rendering results: tables (comfy-table, sized to the terminal), JSON (a
//! stable schema, see docs/json-schema.md) and plain (tab-separated, one record
//! a line); plus the decisions about colour and progress, made once per run.

pub mod progress;
pub mod stream;

use std::io::{IsTerminal, Write};

use comfy_table::{ContentArrangement, Table as Comfy, presets};
use serde_json::Value;

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
    pub width: Option<u16>,
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
        }
    }
}

fn terminal_width() -> Option<u16> {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .or_else(|| comfy_table::Table::new().width())
}

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

    pub fn note(mut self, note: impl Into<String>) -> Report {
        self.notes.push(note.into());
        self
    }

    /// Render into `out` (stdout) in `format`.
    pub fn render(
        &self,
        format: Format,
        style: &Style,
        out: &mut dyn Write,
    ) -> std::io::Result<()> {
        match format {
            Format::Json if self.json.is_null() && self.text.is_none() => Ok(()),
            Format::Json => {
                serde_json::to_writer_pretty(&mut *out, &self.json)?;
                writeln!(out)
            }
            Format::Plain => self.render_plain(out),
            Format::Table => self.render_tables(style, out),
        }
    }

    fn render_plain(&self, out: &mut dyn Write) -> std::io::Result<()> {
        if let Some(text) = &self.text {
            return write_text(out, text);
        }
        for table in &self.tables {
            for row in &table.rows {
                let cells: Vec<String> = row.iter().map(|c| plain_cell(c)).collect();
                writeln!(out, "{}", cells.join("\t"))?;
            }
        }
        Ok(())
    }

    fn render_tables(&self, style: &Style, out: &mut dyn Write) -> std::io::Result<()> {
        if let Some(text) = &self.text {
            return write_text(out, text);
        }
        for (i, table) in self.tables.iter().enumerate() {
            if i > 0 {
                writeln!(out)?;
            }
            if let Some(title) = &table.title {
                writeln!(out, "{title}")?;
            }
            if table.rows.is_empty() {
                writeln!(out, "  (none)")?;
                continue;
            }
            // comfy-table pads the last column; trailing blanks only get in a reader's way.
            for line in comfy(table, style).to_string().lines() {
                writeln!(out, "{}", line.trim_end())?;
            }
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

/// Tabs and newlines inside a plain cell would break the one-record-a-line rule.
fn plain_cell(cell: &str) -> String {
    cell.replace('\\', "\\\\")
        .replace('\t', "\\t")
        .replace('\n', "\\n")
}

fn comfy(table: &Table, style: &Style) -> Comfy {
    let mut comfy = Comfy::new();
    comfy.load_preset(presets::NOTHING);
    // Wrapping to the terminal costs time on big tables (comfy-table re-wraps every
    // cell); piped output is not wrapped at all.
    let arrangement = match style.width {
        Some(_) => ContentArrangement::Dynamic,
        None => ContentArrangement::Disabled,
    };
    comfy.set_content_arrangement(arrangement);
    // Piped output gets a fixed width so scripts see stable tables.
    comfy.set_width(style.width.unwrap_or(120));
    if !style.color {
        comfy.force_no_tty();
    }
    comfy.set_header(&table.headers);
    for row in &table.rows {
        comfy.add_row(row);
    }
    comfy
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Report {
        let mut t = Table::new(&["NAME", "VALUE"]);
        t.row(vec!["a".into(), "one\ttwo".into()]);
        Report::table(t, serde_json::json!([{"name": "a"}]))
    }

    fn render(format: Format) -> String {
        let style = Style {
            color: false,
            progress: false,
            width: Some(80),
        };
        let mut out = Vec::new();
        sample().render(format, &style, &mut out).unwrap();
        String::from_utf8(out).unwrap()
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
}
