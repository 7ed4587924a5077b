//! The text form of answers (its grammar is in the [module doc](super)): the printer
//! ([`Answer`]'s `Display`), the reader ([`Answer`]'s `FromStr`, errors as [`AnswerError`] with
//! the byte where the text goes wrong) and serde as that text. Golden records store answers in
//! this form, so it must not change.

use super::layers::{Layer, Paints};
use super::rules::cells::{self, Act, CellRule};
use super::rules::correspond::{self, Change, MatchRule};
use super::rules::local::{Feature, LocalRule};
use super::rules::objects::{self, ObjectRule};
use super::{Answer, ColorMap, Order, Roles};
use crate::grid::{Color, N_COLORS};
use crate::program::{MAX_DEPTH, Program, ProgramError};
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

/// The heads of answer forms that are not programs.
pub const KEYWORDS: [&str; 9] =
    ["colormap", "normalized", "roles", "layers", "local_rule", "object_rule", "cell_rule", "partial", "match_rule"];

// ----------------------------------------------------------------------------- printing

fn write_table<K, V>(f: &mut fmt::Formatter<'_>, table: &BTreeMap<K, V>, entry: impl Fn(&K, &V) -> String) -> fmt::Result {
    f.write_str("{")?;
    for (i, (k, v)) in table.iter().enumerate() {
        if i > 0 {
            f.write_str(" ")?;
        }
        f.write_str(&entry(k, v))?;
    }
    f.write_str("}")
}

impl fmt::Display for Answer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Answer::Program(p) => write!(f, "{p}"),
            Answer::ColorMap { map, inner } => {
                let pairs: Vec<String> =
                    map.0.iter().enumerate().filter_map(|(c, t)| t.map(|t| format!("{c}>{t}"))).collect();
                write!(f, "(colormap {{{}}} {inner})", pairs.join(" "))
            }
            Answer::Normalized(inner) => write!(f, "(normalized {inner})"),
            Answer::Roles { roles, inner } => write!(f, "(roles {} {} {inner})", roles.order.name(), roles.keep_text()),
            Answer::Layers { bg, base, pieces } => {
                write!(f, "(layers {bg} ")?;
                match base {
                    Some(b) => write!(f, "{b}")?,
                    None => f.write_str("blank")?,
                }
                for p in pieces {
                    write!(f, " {p}")?;
                }
                f.write_str(")")
            }
            Answer::Local(r) => {
                write!(f, "(local_rule {}{} {} ", if r.lenient { "lenient " } else { "" }, r.feature.name(), r.bg)?;
                write_table(f, &r.table, |k, c| format!("{k:x}>{c}"))?;
                write!(f, " {})", r.base)
            }
            Answer::Objects(r) => {
                let seg = objects::SEGMENTATIONS.get(r.segmentation).map_or("?", |s| s.2);
                let prop = objects::PROPS.get(r.prop).map_or("?".to_string(), |p| p.name());
                write!(f, "(object_rule {seg} {}{prop} {} ", if r.with_colour { "colour+" } else { "" }, r.bg)?;
                write_table(f, &r.table, |(a, b), c| format!("{a},{b}>{}", c.map_or("keep".to_string(), |c| c.to_string())))?;
                f.write_str(")")
            }
            Answer::Cells(r) => {
                write!(f, "(cell_rule {}{} {} ", if r.lenient { "lenient " } else { "" }, r.prop.name(), r.bg)?;
                write_table(f, &r.table, |(a, b), act| format!("{a},{b}>{}", act.name()))?;
                f.write_str(")")
            }
            Answer::Match(r) => {
                let seg = objects::SEGMENTATIONS.get(r.segmentation).map_or("?", |s| s.2);
                let first = r.first.map_or(String::new(), |a| format!("{}+", correspond::feature_name(a)));
                write!(f, "(match_rule {seg} {first}{} {} ", correspond::feature_name(r.second), r.bg)?;
                write_table(f, &r.table, |(a, b), c| format!("{a},{b}>{}", c.name()))?;
                f.write_str(")")
            }
            Answer::Partial(inner) => write!(f, "(partial {inner})"),
        }
    }
}

// ----------------------------------------------------------------------------- parsing

/// Why an answer text does not parse or type-check.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    #[error("parse error at byte {pos}: {msg}")]
    Parse { pos: usize, msg: String },
    #[error("in the program at byte {pos}: {err}")]
    Program { pos: usize, err: ProgramError },
}

struct Reader<'a> {
    s: &'a str,
    i: usize,
    /// Answer forms open around the current position (at most [`MAX_DEPTH`]).
    depth: usize,
}

impl<'a> Reader<'a> {
    fn err<T>(&self, msg: impl Into<String>) -> Result<T, AnswerError> {
        Err(AnswerError::Parse { pos: self.i, msg: msg.into() })
    }

    fn skip_ws(&mut self) {
        while self.s[self.i..].starts_with(|c: char| c.is_ascii_whitespace()) {
            self.i += 1;
        }
    }

    /// The position of the next token.
    fn next_pos(&mut self) -> usize {
        self.skip_ws();
        self.i
    }

    fn peek(&mut self) -> Option<u8> {
        self.skip_ws();
        self.s.as_bytes().get(self.i).copied()
    }

    fn expect(&mut self, c: u8) -> Result<(), AnswerError> {
        if self.peek() == Some(c) {
            self.i += 1;
            Ok(())
        } else {
            self.err(format!("expected `{}`", c as char))
        }
    }

    /// The next atom (up to whitespace, a bracket or a brace).
    fn atom(&mut self) -> Result<&'a str, AnswerError> {
        self.skip_ws();
        let start = self.i;
        let b = self.s.as_bytes();
        while self.i < b.len() && !b[self.i].is_ascii_whitespace() && !b"(){}".contains(&b[self.i]) {
            self.i += 1;
        }
        if self.i == start {
            return self.err("expected a word");
        }
        Ok(&self.s[start..self.i])
    }

    /// The atom after an opening `(` at the current position, without consuming anything.
    fn head(&mut self) -> Option<&'a str> {
        if self.peek() != Some(b'(') {
            return None;
        }
        let save = self.i;
        self.i += 1;
        let head = self.atom().ok();
        self.i = save;
        head
    }

    fn number<T: FromStr>(&mut self, what: &str, ok: impl Fn(&T) -> bool) -> Result<T, AnswerError> {
        let start = self.next_pos();
        let text = self.atom()?;
        match crate::dsl::parse_int::<T>(text) {
            Some(v) if ok(&v) => Ok(v),
            _ => {
                self.i = start;
                self.err(format!("`{text}` is not {what}"))
            }
        }
    }

    fn color(&mut self) -> Result<Color, AnswerError> {
        self.number("a colour 0..9", |c: &Color| (*c as usize) < N_COLORS)
    }

    /// A DSL program: `input` or a balanced parenthesised form, parsed by [`Program`]'s parser.
    fn program(&mut self) -> Result<Program, AnswerError> {
        self.skip_ws();
        let start = self.i;
        if self.peek() == Some(b'(') {
            let b = self.s.as_bytes();
            let mut depth = 0usize;
            while self.i < b.len() {
                match b[self.i] {
                    b'(' => depth += 1,
                    b')' => {
                        depth -= 1;
                        if depth == 0 {
                            self.i += 1;
                            break;
                        }
                    }
                    b'{' | b'}' => return self.err("a program holds no braces"),
                    _ => {}
                }
                self.i += 1;
            }
            if depth != 0 {
                return self.err("missing `)`");
            }
        } else {
            self.atom()?;
        }
        let text = &self.s[start..self.i];
        text.parse::<Program>().map_err(|err| AnswerError::Program { pos: start, err })
    }

    /// `{entry entry ...}`, each entry `key>value`, read by `entry` from the two texts.
    fn table<K: Ord, V>(&mut self, entry: impl Fn(&str, &str) -> Option<(K, V)>) -> Result<BTreeMap<K, V>, AnswerError> {
        self.expect(b'{')?;
        let mut out = BTreeMap::new();
        while self.peek() != Some(b'}') {
            if self.peek().is_none() {
                return self.err("missing `}`");
            }
            let start = self.i;
            let text = self.atom()?;
            let parsed = text.split_once('>').and_then(|(k, v)| entry(k, v));
            match parsed {
                Some((k, v)) if !out.contains_key(&k) => {
                    out.insert(k, v);
                }
                Some(_) => {
                    self.i = start;
                    return self.err(format!("table key of `{text}` given twice"));
                }
                None => {
                    self.i = start;
                    return self.err(format!("`{text}` is not a table entry here"));
                }
            }
        }
        self.i += 1;
        Ok(out)
    }

    /// An optional marker of a layer's mode (`clear`, `whole`; the foreground without one).
    fn layer_mode(&mut self) -> Paints {
        let save = self.i;
        if self.peek() != Some(b'(')
            && let Some(mode) = self.atom().ok().and_then(Paints::from_marker)
        {
            return mode;
        }
        self.i = save;
        Paints::Foreground
    }

    fn lenient(&mut self) -> bool {
        let save = self.i;
        if self.atom().ok() == Some("lenient") {
            return true;
        }
        self.i = save;
        false
    }

    /// An object segmentation's name (`c4`, `c8`, `c8_multi`), as its index.
    fn segmentation(&mut self) -> Result<usize, AnswerError> {
        let at = self.next_pos();
        let seg = self.atom()?;
        match objects::SEGMENTATIONS.iter().position(|s| s.2 == seg) {
            Some(i) => Ok(i),
            None => {
                self.i = at;
                self.err(format!("unknown segmentation `{seg}`"))
            }
        }
    }

    fn answer(&mut self) -> Result<Answer, AnswerError> {
        let Some(head) = self.head().filter(|h| KEYWORDS.contains(h)) else {
            return self.program().map(Answer::Program);
        };
        if self.depth >= MAX_DEPTH {
            return self.err(format!("the answer nests deeper than {MAX_DEPTH} forms (the limit of the text form)"));
        }
        self.depth += 1;
        self.expect(b'(')?;
        self.atom()?;
        let answer = match head {
            "colormap" => {
                let table = self.table(|k, v| {
                    let (k, v) = (crate::dsl::parse_int::<Color>(k)?, crate::dsl::parse_int::<Color>(v)?);
                    ((k as usize) < N_COLORS && (v as usize) < N_COLORS && k != v).then_some((k, v))
                })?;
                let mut map = [None; N_COLORS];
                for (k, v) in table {
                    map[k as usize] = Some(v);
                }
                Answer::ColorMap { map: ColorMap(map), inner: Box::new(self.answer()?) }
            }
            "normalized" => Answer::Normalized(Box::new(self.answer()?)),
            "roles" => {
                let at = self.next_pos();
                let name = self.atom()?;
                let Some(order) = Order::from_name(name) else {
                    self.i = at;
                    return self.err(format!("unknown colour order `{name}` (common or rare)"));
                };
                let at = self.next_pos();
                let text = self.atom()?;
                let Some(keep) = Roles::parse_keep(text) else {
                    self.i = at;
                    return self.err(format!("`{text}` is not a set of kept colours (ascending digits, or `-`)"));
                };
                Answer::Roles { roles: Roles { keep, order }, inner: Box::new(self.answer()?) }
            }
            "partial" => Answer::Partial(Box::new(self.answer()?)),
            "layers" => {
                let bg = self.color()?;
                let base = if self.head().is_none() && self.s[self.i..].trim_start().starts_with("blank") {
                    self.atom()?;
                    None
                } else {
                    Some(self.program()?)
                };
                let mut pieces = Vec::new();
                while !matches!(self.peek(), Some(b')') | None) {
                    let paints = self.layer_mode();
                    pieces.push(Layer { paints, program: self.program()? });
                }
                if pieces.is_empty() {
                    return self.err("`layers` needs at least one piece");
                }
                Answer::Layers { bg, base, pieces }
            }
            "local_rule" => {
                let lenient = self.lenient();
                let at = self.next_pos();
                let name = self.atom()?;
                let Some(feature) = Feature::from_name(name) else {
                    self.i = at;
                    return self.err(format!("unknown feature set `{name}`"));
                };
                let bg = self.color()?;
                let table = self.table(|k, v| {
                    let c = crate::dsl::parse_int::<Color>(v).filter(|&c| (c as usize) < N_COLORS)?;
                    Some((u64::from_str_radix(k, 16).ok()?, c))
                })?;
                Answer::Local(LocalRule { feature, bg, table, lenient, base: self.program()? })
            }
            "object_rule" => {
                let segmentation = self.segmentation()?;
                let at = self.next_pos();
                let name = self.atom()?;
                let (with_colour, bare) = match name.strip_prefix("colour+") {
                    Some(rest) => (true, rest),
                    None => (false, name),
                };
                let Some(prop) = objects::Prop::index_of(bare) else {
                    self.i = at;
                    return self.err(format!("unknown object property `{name}`"));
                };
                let bg = self.color()?;
                let table = self.table(|k, v| {
                    let value = match v {
                        "keep" => None,
                        _ => Some(crate::dsl::parse_int::<Color>(v).filter(|&c| (c as usize) < N_COLORS)?),
                    };
                    Some((pair(k)?, value))
                })?;
                Answer::Objects(ObjectRule { segmentation, prop, with_colour, bg, table })
            }
            "match_rule" => {
                let segmentation = self.segmentation()?;
                let at = self.next_pos();
                let name = self.atom()?;
                let (first, second) = match name.split_once('+') {
                    Some((a, b)) => (correspond::feature_of(a).map(Some), correspond::feature_of(b)),
                    None => (Some(None), correspond::feature_of(name)),
                };
                let (Some(first), Some(second)) = (first, second) else {
                    self.i = at;
                    return self.err(format!("unknown object feature `{name}`"));
                };
                let bg = self.color()?;
                let table = self.table(|k, v| Some((pair(k)?, Change::from_name(v)?)))?;
                Answer::Match(MatchRule { segmentation, first, second, bg, table })
            }
            "cell_rule" => {
                let lenient = self.lenient();
                let at = self.next_pos();
                let name = self.atom()?;
                let Some(prop) = cells::Prop::from_name(name) else {
                    self.i = at;
                    return self.err(format!("unknown cell property `{name}`"));
                };
                let bg = self.color()?;
                let table = self.table(|k, v| Some((pair(k)?, Act::from_name(v)?)))?;
                Answer::Cells(CellRule { prop, bg, table, lenient })
            }
            _ => unreachable!("every keyword has a form"),
        };
        self.expect(b')')?;
        self.depth -= 1;
        Ok(answer)
    }
}

/// A table key `a,b` of two integers.
fn pair(text: &str) -> Option<(i64, i64)> {
    let (a, b) = text.split_once(',')?;
    Some((crate::dsl::parse_int(a)?, crate::dsl::parse_int(b)?))
}

impl FromStr for Answer {
    type Err = AnswerError;

    fn from_str(s: &str) -> Result<Answer, AnswerError> {
        let mut r = Reader { s, i: 0, depth: 0 };
        let a = r.answer()?;
        if r.peek().is_some() {
            return r.err("trailing text after the answer");
        }
        Ok(a)
    }
}

impl serde::Serialize for Answer {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Answer {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Answer, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests;
