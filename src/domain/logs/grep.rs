//! grep's output with `-H -Z`: every record is `FILE<NUL>REST<LF>`, where REST
//! is `LINENO:TEXT` (with `-n`) or `COUNT` (with `-c`). Parsing up to the NUL
//! first means file names with `:` or newlines cannot confuse the parser;
//! TEXT may hold anything but `\n`, and only its first [`MAX_LINE`] bytes are kept.

use super::lines::{Line, MAX_LINE};

/// One record of grep's output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GrepRecord {
    Match { file: String, line: u64, text: Line },
    Count { file: String, count: u64 },
}

/// Parses grep output as it arrives, chunk by chunk.
// Known gap: on a PTY session (requiretty) grep's stderr arrives mixed into stdout,
// so an error line would be read as the start of the next file name; telling
// the two apart needs stderr kept separate, i.e. no PTY.
#[derive(Debug)]
pub struct GrepParser {
    counting: bool,
    name: Vec<u8>,
    in_rest: bool,
    rest: Vec<u8>,
    cut: u64,
}

impl GrepParser {
    /// `counting` is whether grep ran with `-c`.
    pub fn new(counting: bool) -> GrepParser {
        GrepParser {
            counting,
            name: Vec::new(),
            in_rest: false,
            rest: Vec::new(),
            cut: 0,
        }
    }

    /// Feed one chunk; complete records go to `emit`.
    pub fn feed(&mut self, data: &[u8], emit: &mut dyn FnMut(GrepRecord)) {
        let mut data = data;
        while !data.is_empty() {
            if !self.in_rest {
                match data.iter().position(|&b| b == 0) {
                    Some(at) => {
                        self.name.extend_from_slice(&data[..at]);
                        self.in_rest = true;
                        data = &data[at + 1..];
                    }
                    None => {
                        self.name.extend_from_slice(data);
                        return;
                    }
                }
            }
            match data.iter().position(|&b| b == b'\n') {
                Some(at) => {
                    self.keep(&data[..at]);
                    data = &data[at + 1..];
                    if let Some(record) = self.take() {
                        emit(record);
                    }
                }
                None => {
                    self.keep(data);
                    return;
                }
            }
        }
    }

    /// A last record without its `\n` (grep always ends records, but a cut
    /// connection may not).
    pub fn finish(&mut self, emit: &mut dyn FnMut(GrepRecord)) {
        if let Some(record) = self.in_rest.then(|| self.take()).flatten() {
            emit(record);
        }
    }

    fn keep(&mut self, part: &[u8]) {
        let room = MAX_LINE.saturating_sub(self.rest.len());
        let kept = part.len().min(room);
        self.rest.extend_from_slice(&part[..kept]);
        self.cut += (part.len() - kept) as u64;
    }

    fn take(&mut self) -> Option<GrepRecord> {
        let file = String::from_utf8_lossy(&std::mem::take(&mut self.name)).into_owned();
        let rest = std::mem::take(&mut self.rest);
        let cut = std::mem::take(&mut self.cut);
        self.in_rest = false;
        if self.counting {
            let count = std::str::from_utf8(&rest).ok()?.trim().parse().ok()?;
            return Some(GrepRecord::Count { file, count });
        }
        let colon = rest.iter().position(|&b| b == b':')?;
        let line = std::str::from_utf8(&rest[..colon]).ok()?.parse().ok()?;
        let text = Line {
            bytes: rest[colon + 1..].to_vec(),
            cut,
        };
        Some(GrepRecord::Match { file, line, text })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(chunks: &[&[u8]], counting: bool) -> Vec<GrepRecord> {
        let mut parser = GrepParser::new(counting);
        let mut out = Vec::new();
        for chunk in chunks {
            parser.feed(chunk, &mut |r| out.push(r));
        }
        parser.finish(&mut |r| out.push(r));
        out
    }

    #[test]
    fn matches_split_anywhere() {
        let stream: &[u8] = b"/v/a:b.log\x0012:x ERROR: y\r\n/v/it's\na.log\x003:\xff z\n";
        for cut in 0..stream.len() {
            let records = parse(&[&stream[..cut], &stream[cut..]], false);
            assert_eq!(
                records,
                [
                    GrepRecord::Match {
                        file: "/v/a:b.log".into(),
                        line: 12,
                        text: Line::new(b"x ERROR: y\r".to_vec()),
                    },
                    GrepRecord::Match {
                        file: "/v/it's\na.log".into(),
                        line: 3,
                        text: Line::new(b"\xff z".to_vec()),
                    },
                ],
                "cut at {cut}"
            );
        }
    }

    #[test]
    fn counts() {
        let records = parse(&[b"/v/a.log\x004\n/v/b.log\x000\n"], true);
        assert_eq!(
            records,
            [
                GrepRecord::Count {
                    file: "/v/a.log".into(),
                    count: 4
                },
                GrepRecord::Count {
                    file: "/v/b.log".into(),
                    count: 0
                },
            ]
        );
    }
}
