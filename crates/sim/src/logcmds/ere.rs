//! POSIX extended regular expressions, as much of them as `grep -E` over log lines
//! needs: literals, `.`, bracket expressions (ranges, negation, `[:alpha:]`-style
//! classes), `^`, `$`, groups, `|`, and the repetitions `* + ? {m} {m,} {m,n}`, plus
//! GNU's `\w \W \s \S`. Bytes, not characters: `.` matches one byte. Matching runs a
//! Pike VM over the compiled program, so time stays linear in the line length.

/// Why a pattern does not compile; `Display` is grep's message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum EreError {
    #[error("grep: Unmatched ( or \\(")]
    UnmatchedParen,
    #[error("grep: Unmatched [, [^, [:, [., or [=")]
    UnmatchedBracket,
}

#[derive(Debug, Clone)]
enum Node {
    Set(Box<[bool; 256]>),
    Start,
    End,
    Concat(Vec<Node>),
    Alt(Vec<Node>),
    Repeat(Box<Node>, u32, Option<u32>),
}

#[derive(Debug, Clone)]
enum Inst {
    Set(Box<[bool; 256]>),
    Split(usize, usize),
    Jmp(usize),
    Start,
    End,
    Match,
}

/// A compiled pattern.
#[derive(Debug, Clone)]
pub(crate) struct Ere {
    prog: Vec<Inst>,
}

impl Ere {
    /// Compiles `pattern`; `ignore_case` folds ASCII letters.
    pub(crate) fn new(pattern: &str, ignore_case: bool) -> Result<Ere, EreError> {
        let mut parser = Parser {
            bytes: pattern.as_bytes(),
            at: 0,
            depth: 0,
            fold: ignore_case,
        };
        let node = parser.alt()?;
        if parser.at < parser.bytes.len() {
            return Err(EreError::UnmatchedParen);
        }
        let mut prog = Vec::new();
        compile(&node, &mut prog);
        prog.push(Inst::Match);
        Ok(Ere { prog })
    }

    /// Whether the pattern matches anywhere in `line`.
    pub(crate) fn is_match(&self, line: &[u8]) -> bool {
        let mut current: Vec<usize> = Vec::new();
        let mut next: Vec<usize> = Vec::new();
        let mut seen = vec![usize::MAX; self.prog.len()];
        for pos in 0..=line.len() {
            self.add(&mut current, &mut seen, 0, pos, line.len());
            for &pc in &current {
                match &self.prog[pc] {
                    Inst::Match => return true,
                    Inst::Set(set) if pos < line.len() && set[line[pos] as usize] => {
                        self.add(&mut next, &mut seen, pc + 1, pos + 1, line.len());
                    }
                    _ => {}
                }
            }
            std::mem::swap(&mut current, &mut next);
            next.clear();
        }
        false
    }

    /// Adds `pc` and everything reachable from it without reading a byte.
    fn add(&self, list: &mut Vec<usize>, seen: &mut [usize], pc: usize, pos: usize, len: usize) {
        if seen[pc] == pos {
            return;
        }
        seen[pc] = pos;
        match &self.prog[pc] {
            Inst::Jmp(to) => self.add(list, seen, *to, pos, len),
            Inst::Split(a, b) => {
                self.add(list, seen, *a, pos, len);
                self.add(list, seen, *b, pos, len);
            }
            Inst::Start if pos == 0 => self.add(list, seen, pc + 1, pos, len),
            Inst::End if pos == len => self.add(list, seen, pc + 1, pos, len),
            Inst::Start | Inst::End => {}
            Inst::Set(_) | Inst::Match => list.push(pc),
        }
    }
}

fn compile(node: &Node, prog: &mut Vec<Inst>) {
    match node {
        Node::Set(set) => prog.push(Inst::Set(set.clone())),
        Node::Start => prog.push(Inst::Start),
        Node::End => prog.push(Inst::End),
        Node::Concat(parts) => parts.iter().for_each(|p| compile(p, prog)),
        Node::Alt(choices) => compile_alt(choices, prog),
        Node::Repeat(inner, min, max) => compile_repeat(inner, *min, *max, prog),
    }
}

fn compile_alt(choices: &[Node], prog: &mut Vec<Inst>) {
    let Some((first, rest)) = choices.split_first() else {
        return;
    };
    if rest.is_empty() {
        return compile(first, prog);
    }
    let split = prog.len();
    prog.push(Inst::Split(split + 1, 0));
    compile(first, prog);
    let jump = prog.len();
    prog.push(Inst::Jmp(0));
    let other = prog.len();
    compile_alt(rest, prog);
    prog[split] = Inst::Split(split + 1, other);
    prog[jump] = Inst::Jmp(prog.len());
}

fn compile_repeat(inner: &Node, min: u32, max: Option<u32>, prog: &mut Vec<Inst>) {
    for _ in 0..min {
        compile(inner, prog);
    }
    match max {
        None => {
            let split = prog.len();
            prog.push(Inst::Split(split + 1, 0));
            compile(inner, prog);
            prog.push(Inst::Jmp(split));
            prog[split] = Inst::Split(split + 1, prog.len());
        }
        Some(max) => {
            let mut holes = Vec::new();
            for _ in min..max {
                holes.push(prog.len());
                prog.push(Inst::Split(prog.len() + 1, 0));
                compile(inner, prog);
            }
            let end = prog.len();
            for hole in holes {
                prog[hole] = Inst::Split(hole + 1, end);
            }
        }
    }
}

struct Parser<'a> {
    bytes: &'a [u8],
    at: usize,
    /// Open groups; a `)` outside any group is a literal, as in GNU grep.
    depth: usize,
    fold: bool,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn alt(&mut self) -> Result<Node, EreError> {
        let mut choices = vec![self.concat()?];
        while self.peek() == Some(b'|') {
            self.at += 1;
            choices.push(self.concat()?);
        }
        Ok(Node::Alt(choices))
    }

    fn concat(&mut self) -> Result<Node, EreError> {
        let mut parts = Vec::new();
        while let Some(b) = self.peek() {
            if b == b'|' || (b == b')' && self.depth > 0) {
                break;
            }
            let atom = self.atom()?;
            parts.push(self.repeats(atom));
        }
        Ok(Node::Concat(parts))
    }

    /// The repetition operators after an atom; GNU grep lets `^*` and `$?` pass,
    /// since repeating an anchor changes nothing.
    fn repeats(&mut self, mut node: Node) -> Node {
        while let Some((min, max)) = self.repeat_op() {
            if !matches!(node, Node::Start | Node::End) {
                node = Node::Repeat(Box::new(node), min, max);
            }
        }
        node
    }

    fn repeat_op(&mut self) -> Option<(u32, Option<u32>)> {
        let bounds = match self.peek()? {
            b'*' => (0, None),
            b'+' => (1, None),
            b'?' => (0, Some(1)),
            b'{' => return self.interval(),
            _ => return None,
        };
        self.at += 1;
        Some(bounds)
    }

    /// `{m}`, `{m,}`, `{m,n}`; anything else leaves `{` a literal.
    fn interval(&mut self) -> Option<(u32, Option<u32>)> {
        let rest = &self.bytes[self.at + 1..];
        let close = rest.iter().position(|&b| b == b'}')?;
        let body = std::str::from_utf8(&rest[..close]).ok()?;
        let bounds = match body.split_once(',') {
            None => {
                let n = body.parse().ok()?;
                (n, Some(n))
            }
            Some((m, "")) => (m.parse().ok()?, None),
            Some((m, n)) => (m.parse().ok()?, Some(n.parse().ok()?)),
        };
        if bounds.1.is_some_and(|max| max < bounds.0) {
            return None;
        }
        self.at += close + 2;
        Some(bounds)
    }

    fn atom(&mut self) -> Result<Node, EreError> {
        let b = self.bytes[self.at];
        self.at += 1;
        match b {
            b'(' => {
                self.depth += 1;
                let inner = self.alt()?;
                self.depth -= 1;
                if self.peek() != Some(b')') {
                    return Err(EreError::UnmatchedParen);
                }
                self.at += 1;
                Ok(inner)
            }
            b'[' => self.bracket(),
            b'.' => Ok(Node::Set(Box::new([true; 256]))),
            b'^' => Ok(Node::Start),
            b'$' => Ok(Node::End),
            // Nothing to repeat: GNU grep takes the operator literally.
            b'*' | b'+' | b'?' => Ok(self.literal(b)),
            b'\\' => Ok(self.escape()),
            b => Ok(self.literal(b)),
        }
    }

    fn escape(&mut self) -> Node {
        let Some(b) = self.peek() else {
            return self.literal(b'\\');
        };
        self.at += 1;
        let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
        let space = |c: u8| c.is_ascii_whitespace();
        match b {
            b'w' => set_of(word, false),
            b'W' => set_of(word, true),
            b's' => set_of(space, false),
            b'S' => set_of(space, true),
            b => self.literal(b),
        }
    }

    fn literal(&self, b: u8) -> Node {
        let mut set = [false; 256];
        set[b as usize] = true;
        if self.fold {
            set[b.to_ascii_lowercase() as usize] = true;
            set[b.to_ascii_uppercase() as usize] = true;
        }
        Node::Set(Box::new(set))
    }

    fn bracket(&mut self) -> Result<Node, EreError> {
        let mut set = [false; 256];
        let negate = self.peek() == Some(b'^');
        if negate {
            self.at += 1;
        }
        let mut first = true;
        loop {
            let b = self.peek().ok_or(EreError::UnmatchedBracket)?;
            if b == b']' && !first {
                self.at += 1;
                break;
            }
            first = false;
            if b == b'[' && self.bytes.get(self.at + 1) == Some(&b':') {
                self.named_class(&mut set)?;
                continue;
            }
            self.at += 1;
            let is_range = self.peek() == Some(b'-')
                && self.bytes.get(self.at + 1).is_some_and(|&c| c != b']');
            if is_range {
                let end = self.bytes[self.at + 1];
                self.at += 2;
                (b..=end).for_each(|c| set[c as usize] = true);
            } else {
                set[b as usize] = true;
            }
        }
        if self.fold {
            for c in b'a'..=b'z' {
                let either = set[c as usize] || set[c.to_ascii_uppercase() as usize];
                set[c as usize] = either;
                set[c.to_ascii_uppercase() as usize] = either;
            }
        }
        if negate {
            set.iter_mut().for_each(|v| *v = !*v);
            set[b'\n' as usize] = false;
        }
        Ok(Node::Set(Box::new(set)))
    }

    /// `[:alpha:]` and friends inside a bracket expression.
    fn named_class(&mut self, set: &mut [bool; 256]) -> Result<(), EreError> {
        let rest = &self.bytes[self.at + 2..];
        let end = rest
            .windows(2)
            .position(|w| w == b":]")
            .ok_or(EreError::UnmatchedBracket)?;
        let test: fn(u8) -> bool = match &rest[..end] {
            b"alpha" => |c| c.is_ascii_alphabetic(),
            b"digit" => |c| c.is_ascii_digit(),
            b"alnum" => |c| c.is_ascii_alphanumeric(),
            b"upper" => |c| c.is_ascii_uppercase(),
            b"lower" => |c| c.is_ascii_lowercase(),
            b"space" => |c| c.is_ascii_whitespace() || c == 0x0b,
            b"punct" => |c| c.is_ascii_punctuation(),
            b"xdigit" => |c| c.is_ascii_hexdigit(),
            _ => return Err(EreError::UnmatchedBracket),
        };
        (0..=255u8)
            .filter(|&c| test(c))
            .for_each(|c| set[c as usize] = true);
        self.at += 2 + end + 2;
        Ok(())
    }
}

fn set_of(test: impl Fn(u8) -> bool, negate: bool) -> Node {
    let mut set = [false; 256];
    (0..=255u8).for_each(|c| set[c as usize] = test(c) != negate);
    Node::Set(Box::new(set))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(pattern: &str, line: &str) -> bool {
        Ere::new(pattern, false)
            .expect("compiles")
            .is_match(line.as_bytes())
    }

    #[test]
    fn the_usual_log_patterns() {
        assert!(m("ERROR|WARN", "x WARN y"));
        assert!(!m("ERROR|WARN", "x INFO y"));
        assert!(m("^2025-01-1[45]T", "2025-01-15T00:00"));
        assert!(!m("^2025-01-1[45]T", " 2025-01-15T00:00"));
        assert!(m("timeout after [0-9]+s$", "redis timeout after 5s"));
        assert!(!m("timeout after [0-9]+s$", "redis timeout after 5s!"));
        assert!(m("(ab){2,3}c", "xababc"));
        assert!(!m("(ab){2,3}c", "xabc"));
        assert!(m("a.c", "a\u{ff}c") || m("a..c", "a\u{ff}c"));
        assert!(m("[[:digit:]]{3}", "status=200"));
        assert!(m("tenant=\\w+ path", "tenant=acme path"));
        assert!(m("a{", "a{"));
        assert!(m("", "anything"));
    }

    #[test]
    fn case_folding() {
        let e = Ere::new("error|[w]arn", true).unwrap();
        assert!(e.is_match(b"An ERROR"));
        assert!(e.is_match(b"WARN"));
        assert!(!e.is_match(b"info"));
    }

    #[test]
    fn bad_patterns_say_what_grep_says() {
        assert_eq!(Ere::new("(a", false).unwrap_err(), EreError::UnmatchedParen);
        assert_eq!(
            Ere::new("[a", false).unwrap_err(),
            EreError::UnmatchedBracket
        );
        assert!(m("a)", "a)"));
        assert!(m("*a", "x*a"));
        assert!(m("^*ab", "ab"));
    }
}
