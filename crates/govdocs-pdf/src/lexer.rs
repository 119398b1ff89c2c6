//! A forgiving tokenizer for content streams and CMaps.
//!
//! It never fails: bytes it cannot make sense of are skipped, so one bad token costs one
//! operator, not the page. Inline image data (`BI … ID <binary> EI`) is skipped as a unit.

/// One operand of a content-stream operator.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Operand {
    Num(f32),
    Name(Vec<u8>),
    Str(Vec<u8>),
    Array(Vec<Operand>),
    /// A dictionary (property lists, inline image parameters); kept as key/value pairs.
    Dict(Vec<(Vec<u8>, Operand)>),
    Bool(bool),
    Null,
}

impl Operand {
    pub(crate) fn num(&self) -> Option<f32> {
        match self {
            Operand::Num(n) if n.is_finite() => Some(*n),
            _ => None,
        }
    }
}

/// A token: an operand or an operator keyword.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Token<'a> {
    Operand(Operand),
    Op(&'a [u8]),
    ArrayEnd,
    DictEnd,
}

/// Maximum nesting of arrays and dictionaries inside one operand.
const MAX_NESTING: usize = 32;

pub(crate) fn is_white(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'\x0c' | b'\0')
}

pub(crate) fn is_delim(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Tokenizer over a byte slice.
pub(crate) struct Lexer<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Lexer<'a> {
    pub(crate) fn new(data: &'a [u8]) -> Self {
        Lexer { data, pos: 0 }
    }

    fn skip_white_and_comments(&mut self) {
        while self.pos < self.data.len() {
            let b = self.data[self.pos];
            if is_white(b) {
                self.pos += 1;
            } else if b == b'%' {
                while self.pos < self.data.len()
                    && self.data[self.pos] != b'\n'
                    && self.data[self.pos] != b'\r'
                {
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
    }

    /// The next token, or `None` at the end of the data.
    pub(crate) fn next_token(&mut self) -> Option<Token<'a>> {
        loop {
            self.skip_white_and_comments();
            if self.pos >= self.data.len() {
                return None;
            }
            let b = self.data[self.pos];
            match b {
                b'/' => {
                    self.pos += 1;
                    return Some(Token::Operand(Operand::Name(self.read_name())));
                }
                b'(' => {
                    self.pos += 1;
                    return Some(Token::Operand(Operand::Str(self.read_literal())));
                }
                b'<' => {
                    if self.data.get(self.pos + 1) == Some(&b'<') {
                        self.pos += 2;
                        return Some(Token::Operand(self.read_dict(0)));
                    }
                    self.pos += 1;
                    return Some(Token::Operand(Operand::Str(self.read_hex())));
                }
                b'>' => {
                    self.pos += 1;
                    if self.data.get(self.pos) == Some(&b'>') {
                        self.pos += 1;
                    }
                    return Some(Token::DictEnd);
                }
                b'[' => {
                    self.pos += 1;
                    return Some(Token::Operand(self.read_array(0)));
                }
                b']' => {
                    self.pos += 1;
                    return Some(Token::ArrayEnd);
                }
                b'{' | b'}' | b')' => {
                    // PostScript procedures (in CMaps) and stray parentheses: skip.
                    self.pos += 1;
                    continue;
                }
                b'+' | b'-' | b'.' | b'0'..=b'9' => {
                    if let Some(n) = self.read_number() {
                        return Some(Token::Operand(Operand::Num(n)));
                    }
                    continue;
                }
                _ => {
                    let start = self.pos;
                    while self.pos < self.data.len()
                        && !is_white(self.data[self.pos])
                        && !is_delim(self.data[self.pos])
                    {
                        self.pos += 1;
                    }
                    let data: &'a [u8] = self.data;
                    let word = &data[start..self.pos];
                    return Some(match word {
                        b"true" => Token::Operand(Operand::Bool(true)),
                        b"false" => Token::Operand(Operand::Bool(false)),
                        b"null" => Token::Operand(Operand::Null),
                        _ => Token::Op(word),
                    });
                }
            }
        }
    }

    fn read_name(&mut self) -> Vec<u8> {
        let mut out = Vec::new();
        while self.pos < self.data.len() {
            let b = self.data[self.pos];
            if is_white(b) || is_delim(b) {
                break;
            }
            if b == b'#' {
                if let (Some(h), Some(l)) = (
                    self.data.get(self.pos + 1).and_then(|&c| hex_val(c)),
                    self.data.get(self.pos + 2).and_then(|&c| hex_val(c)),
                ) {
                    out.push(h * 16 + l);
                    self.pos += 3;
                    continue;
                }
            }
            out.push(b);
            self.pos += 1;
        }
        out
    }

    fn read_literal(&mut self) -> Vec<u8> {
        let mut out = Vec::new();
        let mut depth = 1usize;
        while self.pos < self.data.len() {
            let b = self.data[self.pos];
            self.pos += 1;
            match b {
                b'(' => {
                    depth += 1;
                    out.push(b);
                }
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                    out.push(b);
                }
                b'\\' => {
                    let Some(&e) = self.data.get(self.pos) else {
                        break;
                    };
                    self.pos += 1;
                    match e {
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'\r' => {
                            if self.data.get(self.pos) == Some(&b'\n') {
                                self.pos += 1;
                            }
                        }
                        b'\n' => {}
                        b'0'..=b'7' => {
                            let mut v: u32 = (e - b'0') as u32;
                            for _ in 0..2 {
                                match self.data.get(self.pos) {
                                    Some(&d @ b'0'..=b'7') => {
                                        v = v * 8 + (d - b'0') as u32;
                                        self.pos += 1;
                                    }
                                    _ => break,
                                }
                            }
                            out.push((v & 0xff) as u8);
                        }
                        other => out.push(other),
                    }
                }
                _ => out.push(b),
            }
        }
        out
    }

    fn read_hex(&mut self) -> Vec<u8> {
        let mut out = Vec::new();
        let mut hi: Option<u8> = None;
        while self.pos < self.data.len() {
            let b = self.data[self.pos];
            self.pos += 1;
            if b == b'>' {
                break;
            }
            if let Some(v) = hex_val(b) {
                match hi.take() {
                    None => hi = Some(v),
                    Some(h) => out.push(h * 16 + v),
                }
            }
        }
        if let Some(h) = hi {
            out.push(h * 16);
        }
        out
    }

    fn read_number(&mut self) -> Option<f32> {
        let start = self.pos;
        let mut end = self.pos;
        let mut seen_digit = false;
        let mut seen_dot = false;
        while end < self.data.len() {
            let b = self.data[end];
            match b {
                b'0'..=b'9' => seen_digit = true,
                b'.' if !seen_dot => seen_dot = true,
                b'+' | b'-' if end == start => {}
                // "--5" and "1-2" style garbage: stop the number here.
                _ => break,
            }
            end += 1;
        }
        self.pos = end.max(start + 1);
        if !seen_digit {
            return Some(0.0);
        }
        let s = std::str::from_utf8(&self.data[start..end]).ok()?;
        match s.parse::<f32>() {
            Ok(v) => Some(v),
            Err(_) => {
                // "5." or "-.5" parse fine; anything else counts as 0 like most viewers do.
                Some(0.0)
            }
        }
    }

    fn read_array(&mut self, depth: usize) -> Operand {
        let mut items = Vec::new();
        loop {
            self.skip_white_and_comments();
            if self.pos >= self.data.len() {
                break;
            }
            match self.data[self.pos] {
                b'[' if depth + 1 < MAX_NESTING => {
                    self.pos += 1;
                    items.push(self.read_array(depth + 1));
                    continue;
                }
                b'<' if self.data.get(self.pos + 1) == Some(&b'<') && depth + 1 < MAX_NESTING => {
                    self.pos += 2;
                    items.push(self.read_dict(depth + 1));
                    continue;
                }
                b'[' | b'<' if self.at_nested_open() => {
                    items.push(self.skip_nested());
                    continue;
                }
                _ => {}
            }
            match self.next_token() {
                None | Some(Token::ArrayEnd) => break,
                Some(Token::Operand(o)) => items.push(o),
                Some(Token::DictEnd) => {}
                // An operator inside an array means a missing `]`: end the array here.
                Some(Token::Op(_)) => break,
            }
        }
        Operand::Array(items)
    }

    /// At a `[` or `<<`?
    fn at_nested_open(&self) -> bool {
        match self.data.get(self.pos) {
            Some(b'[') => true,
            Some(b'<') => self.data.get(self.pos + 1) == Some(&b'<'),
            _ => false,
        }
    }

    /// Skip an array or dictionary nested past [`MAX_NESTING`] without recursion (reading it
    /// through `next_token` would start again at depth 0 and could overflow the stack on
    /// `[[[[…`); it reads as `null`.
    fn skip_nested(&mut self) -> Operand {
        let mut open = 0usize;
        loop {
            self.skip_white_and_comments();
            let Some(&b) = self.data.get(self.pos) else {
                break;
            };
            let double = self.data.get(self.pos + 1) == Some(&b);
            match b {
                b'[' => {
                    open += 1;
                    self.pos += 1;
                }
                b'<' if double => {
                    open += 1;
                    self.pos += 2;
                }
                b']' | b'>' => {
                    self.pos += if b == b'>' && double { 2 } else { 1 };
                    open = open.saturating_sub(1);
                }
                b'(' => {
                    self.pos += 1;
                    self.read_literal();
                }
                b'<' => {
                    self.pos += 1;
                    self.read_hex();
                }
                _ => self.pos += 1,
            }
            if open == 0 {
                break;
            }
        }
        Operand::Null
    }

    fn read_dict(&mut self, depth: usize) -> Operand {
        let mut items = Vec::new();
        let mut key: Option<Vec<u8>> = None;
        loop {
            self.skip_white_and_comments();
            if self.pos >= self.data.len() {
                break;
            }
            let value = match self.data[self.pos] {
                b'[' if depth + 1 < MAX_NESTING => {
                    self.pos += 1;
                    Some(self.read_array(depth + 1))
                }
                b'<' if self.data.get(self.pos + 1) == Some(&b'<') && depth + 1 < MAX_NESTING => {
                    self.pos += 2;
                    Some(self.read_dict(depth + 1))
                }
                b'[' | b'<' if self.at_nested_open() => Some(self.skip_nested()),
                _ => match self.next_token() {
                    None | Some(Token::DictEnd) => break,
                    Some(Token::Operand(o)) => Some(o),
                    Some(Token::ArrayEnd) => None,
                    Some(Token::Op(_)) => None,
                },
            };
            let Some(value) = value else { continue };
            match key.take() {
                None => {
                    if let Operand::Name(n) = value {
                        key = Some(n);
                    }
                }
                Some(k) => items.push((k, value)),
            }
        }
        Operand::Dict(items)
    }

    /// After an `ID` operator: skip inline image data up to and including `EI`.
    pub(crate) fn skip_inline_image(&mut self) {
        // One white-space byte follows ID.
        if self.pos < self.data.len() && is_white(self.data[self.pos]) {
            self.pos += 1;
        }
        let d = self.data;
        let mut i = self.pos;
        while i + 1 < d.len() {
            if d[i] == b'E'
                && d[i + 1] == b'I'
                && (i == 0 || is_white(d[i - 1]))
                && (i + 2 >= d.len() || is_white(d[i + 2]) || is_delim(d[i + 2]))
            {
                self.pos = i + 2;
                return;
            }
            i += 1;
        }
        self.pos = d.len();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(data: &[u8]) -> Vec<Token<'_>> {
        let mut l = Lexer::new(data);
        let mut v = Vec::new();
        while let Some(t) = l.next_token() {
            v.push(t);
        }
        v
    }

    #[test]
    fn tokens() {
        let t = all(b"BT /F1 12 Tf [(A\\051b) -120 <00410042>] TJ 1 0 0 1 .5 -3. Tm ET");
        assert_eq!(t[0], Token::Op(b"BT"));
        assert_eq!(t[1], Token::Operand(Operand::Name(b"F1".to_vec())));
        assert_eq!(t[2], Token::Operand(Operand::Num(12.0)));
        assert_eq!(
            t[4],
            Token::Operand(Operand::Array(vec![
                Operand::Str(b"A)b".to_vec()),
                Operand::Num(-120.0),
                Operand::Str(vec![0, 0x41, 0, 0x42]),
            ]))
        );
        assert_eq!(t[10], Token::Operand(Operand::Num(0.5)));
        assert_eq!(t[11], Token::Operand(Operand::Num(-3.0)));
    }

    #[test]
    fn inline_image_is_skipped() {
        let mut l = Lexer::new(b"BI /W 2 /H 2 ID \x00EI\xff EI Q");
        let mut ops = Vec::new();
        while let Some(t) = l.next_token() {
            if let Token::Op(o) = t {
                if o == b"ID" {
                    l.skip_inline_image();
                }
                ops.push(o.to_vec());
            }
        }
        assert_eq!(ops, vec![b"BI".to_vec(), b"ID".to_vec(), b"Q".to_vec()]);
    }

    #[test]
    fn nesting_past_the_limit_is_skipped_without_recursion() {
        // 200 000 levels would overflow any thread's stack if each level recursed.
        for (open, close) in [(&b"["[..], &b"]"[..]), (b"<< /A ", b">> ")] {
            let data = [
                open.repeat(200_000),
                b"(x)".to_vec(),
                close.repeat(200_000),
                b" (after) Tj".to_vec(),
            ]
            .concat();
            let t = all(&data);
            assert_eq!(
                &t[t.len() - 2..],
                [
                    Token::Operand(Operand::Str(b"after".to_vec())),
                    Token::Op(b"Tj")
                ]
            );
        }
        // 40 levels: the first MAX_NESTING are arrays, the part past them reads as null.
        let data = [b"[".repeat(40), b"1".to_vec(), b"]".repeat(40)].concat();
        let t = all(&data);
        assert_eq!(t.len(), 1);
        let Token::Operand(first) = &t[0] else {
            panic!("{t:?}")
        };
        let mut cur = first.clone();
        let mut arrays = 0;
        while let Operand::Array(v) = cur {
            arrays += 1;
            assert_eq!(v.len(), 1);
            cur = v[0].clone();
        }
        assert_eq!(arrays, MAX_NESTING);
        assert_eq!(cur, Operand::Null);
    }

    #[test]
    fn garbage_does_not_stop() {
        let t = all(b") ) } 1-2 --3 (unterminated");
        assert!(t.len() >= 3);
    }
}
