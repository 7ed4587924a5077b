//! Answers as data: everything the solver can return, with a text form that prints and parses
//! back, so that every solution replays from its text alone (`arc run "<answer>" <task>`).
//!
//! # Grammar
//!
//! ```text
//! answer  := program                                       a DSL program (see `program`)
//!          | (colormap {c>c ...} answer)                   the answer's grid recoloured: each
//!                                                          listed colour to its target, others kept
//!          | (normalized answer)                           the answer in ranked colours: each input
//!                                                          recoloured by its colour ranking (most
//!                                                          common -> 0, ties to the lower colour),
//!                                                          the answer applied, the result mapped back
//!          | (layers BG BASE [clear|whole] program ...)    pieces stacked on a canvas: BASE is `blank`
//!                                                          (every cell BG, the first piece's shape)
//!                                                          or a program; each piece's cells other than
//!                                                          BG painted on top (with `clear` its BG
//!                                                          cells, with `whole` all its cells), later
//!                                                          pieces last
//!          | (local_rule [lenient] FEATURE BG {key>c ...} program)
//!                                                          each cell of the program's grid through a
//!                                                          table over a key of its neighbourhood
//!                                                          (FEATURE, read on background BG; keys in
//!                                                          hex); an unseen key gives nothing, or with
//!                                                          `lenient` keeps the cell's colour
//!          | (object_rule SEG PROP BG {k,v>c|keep ...})    objects cut out by SEG (c4, c8, c8_multi)
//!                                                          on background BG, each painted by a table
//!                                                          over (colour or -1, PROP value)
//!          | (cell_rule [lenient] PROP BG {r,c>ACT ...})   in a grid cut by separator lines, each cell
//!                                                          changed by ACT (keep, clear, fill_own,
//!                                                          copy_fullest, fill_0..fill_9) by a table over
//!                                                          its PROP key
//!          | (partial answer)                              a best guess that fits no demo exactly
//! ```
//!
//! The heads `colormap`, `normalized`, `layers`, `local_rule`, `object_rule`, `cell_rule` and
//! `partial` are not primitive names, so any other parenthesised form is a program. Learnt tables
//! list every key the demos showed. An answer runs on one input grid at a time in the task's
//! [`Ctx`]; [`Answer::apply`] runs it on every demo and test input of a task.

use crate::dsl::Ctx;
use crate::grid::{Color, Grid, N_COLORS};
use crate::program::{EvalError, MAX_DEPTH, Program, ProgramError};
use crate::search::colors::Perm;
use crate::search::compose::Paints;
use crate::search::learn::cells::{self, Act, CellRule};
use crate::search::learn::local::{Feature, LocalRule};
use crate::search::learn::objects::{self, ObjectRule};
use crate::task::Task;
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

/// The heads of answer forms that are not programs.
pub const KEYWORDS: [&str; 7] = ["colormap", "normalized", "layers", "local_rule", "object_rule", "cell_rule", "partial"];

/// A colour map: `to[c]` is the new colour of `c` (identity where `None`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ColorMap(pub [Option<Color>; N_COLORS]);

impl ColorMap {
    /// The map with only the entries that change a colour (the others are the identity anyway).
    pub fn from_partial(map: &[Option<Color>; N_COLORS]) -> ColorMap {
        ColorMap(std::array::from_fn(|c| map[c].filter(|&t| t as usize != c)))
    }

    /// Recolours a grid.
    pub fn apply(&self, g: &Grid) -> Grid {
        crate::search::engine::apply_map(g, &self.0)
    }
}

/// One layer of [`Answer::Layers`]: a program's grid and which of its cells it paints.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Layer {
    pub paints: Paints,
    pub program: Program,
}

impl fmt::Display for Layer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.paints.marker() {
            Some(m) => write!(f, "{m} {}", self.program),
            None => write!(f, "{}", self.program),
        }
    }
}

/// Something the solver returns for a task, as data (see the module doc for the text form).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Answer {
    /// A DSL program.
    Program(Program),
    /// An answer's grid recoloured by a map.
    ColorMap { map: ColorMap, inner: Box<Answer> },
    /// An answer on the colour-normalised task.
    Normalized(Box<Answer>),
    /// Pieces stacked on a blank canvas of colour `bg` or on a base program's grid.
    Layers { bg: Color, base: Option<Program>, pieces: Vec<Layer> },
    /// A learnt local (cellular) rule.
    Local(LocalRule),
    /// A learnt object recolouring rule.
    Objects(ObjectRule),
    /// A learnt rule over the cells of a grid cut by separator lines.
    Cells(CellRule),
    /// A partial candidate: a best guess that reproduces no demo exactly.
    Partial(Box<Answer>),
}

/// What an answer gives on every demo input and every test input of a task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replay {
    pub demos: Vec<Result<Grid, EvalError>>,
    pub tests: Vec<Result<Grid, EvalError>>,
}

impl Replay {
    /// Whether every demo output is reproduced.
    pub fn fits_demos(&self, task: &Task) -> bool {
        self.demos.iter().zip(&task.train).all(|(g, p)| g.as_ref() == Ok(&p.output))
    }
}

impl Answer {
    /// The answer's grid for one input, in the task's context `ctx`.
    pub fn run(&self, ctx: &Ctx, input: &Grid) -> Result<Grid, EvalError> {
        match self {
            Answer::Program(p) => p.run(ctx, input),
            Answer::ColorMap { map, inner } => inner.run(ctx, input).map(|g| map.apply(&g)),
            Answer::Normalized(inner) => {
                // In ranked colours every grid's most common colour is 0, so the task background
                // (`dsl::task_background`) of the normalised task is never set: a plain context.
                let rank = Perm::ranking(input);
                inner.run(&Ctx::plain(), &rank.apply(input)).map(|g| rank.inverse().apply(&g))
            }
            Answer::Layers { bg, base, pieces } => {
                let base = base.as_ref().map(|b| b.run(ctx, input)).transpose()?;
                let layers = pieces.iter().map(|p| p.program.run(ctx, input)).collect::<Result<Vec<_>, _>>()?;
                let refs: Vec<(&Grid, Paints)> = layers.iter().zip(pieces).map(|(g, p)| (g, p.paints)).collect();
                crate::search::compose::stack(base.as_ref(), &refs, *bg).ok_or(EvalError::NotApplicable {
                    prim: "layers",
                    na: crate::dsl::Na("pieces of different shapes"),
                })
            }
            Answer::Local(r) => r.run(ctx, input),
            Answer::Objects(r) => r.run(input),
            Answer::Cells(r) => r.run(input),
            Answer::Partial(inner) => inner.run(ctx, input),
        }
    }

    /// The answer on every demo and test input of a task, in the task's context.
    pub fn apply(&self, ctx: &Ctx, task: &Task) -> Replay {
        Replay {
            demos: task.train.iter().map(|p| self.run(ctx, &p.input)).collect(),
            tests: task.test.iter().map(|t| self.run(ctx, &t.input)).collect(),
        }
    }

    /// The distinct primitives of the programs inside (sorted; learnt rules have none).
    pub fn prims(&self) -> Vec<crate::dsl::PrimId> {
        let mut out = Vec::new();
        self.collect_prims(&mut out);
        out.sort_unstable();
        out.dedup();
        out
    }

    fn collect_prims(&self, out: &mut Vec<crate::dsl::PrimId>) {
        match self {
            Answer::Program(p) => out.extend(p.0.prims()),
            Answer::ColorMap { inner, .. } | Answer::Normalized(inner) | Answer::Partial(inner) => inner.collect_prims(out),
            Answer::Layers { base, pieces, .. } => {
                for p in base.iter().chain(pieces.iter().map(|l| &l.program)) {
                    out.extend(p.0.prims());
                }
            }
            Answer::Local(_) | Answer::Objects(_) | Answer::Cells(_) => {}
        }
    }

    /// The plain DSL program, when the answer is one.
    pub fn as_program(&self) -> Option<&Program> {
        match self {
            Answer::Program(p) => Some(p),
            _ => None,
        }
    }
}

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
                let at = self.next_pos();
                let seg = self.atom()?;
                let Some(segmentation) = objects::SEGMENTATIONS.iter().position(|s| s.2 == seg) else {
                    self.i = at;
                    return self.err(format!("unknown segmentation `{seg}`"));
                };
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
mod tests {
    use super::*;
    use crate::dsl::registry;

    #[test]
    fn prims_gathers_every_program_inside() {
        let a: Answer = "(normalized (layers 0 blank (rot90 input) (mirror_lr (rot90 input))))".parse().unwrap();
        let names: Vec<&str> = a.prims().iter().map(|&p| crate::dsl::registry().prims[p as usize].name).collect();
        let mut want = vec!["rot90", "mirror_lr"];
        want.sort_by_key(|n| crate::dsl::registry().prims.iter().position(|p| p.name == *n));
        assert_eq!(names, want);
        let r: Answer = "(partial (rot90 input))".parse().unwrap();
        assert_eq!(r.prims().len(), 1);
    }

    #[test]
    fn keywords_are_not_primitive_names() {
        for k in KEYWORDS {
            assert!(registry().id(k).is_none(), "`{k}` is a primitive: answers could not tell them apart");
        }
    }

    #[test]
    fn every_form_prints_and_parses_back() {
        for text in [
            "input",
            "(rot90 (shift right input))",
            "(colormap {0>2 8>0} (fill_empty_lines hv 8 input))",
            "(normalized (colormap {0>3 1>3} (corner tl 3 input)))",
            "(layers 0 blank (lines hv 0 input) (keep_color 2 input))",
            "(layers 5 (mirror_lr input) (keep_color 2 input))",
            "(local_rule parity 0 {10>1 21>3} input)",
            "(local_rule lenient region_size 0 {a0>1} (rot90 input))",
            "(object_rule c8_multi colour+size_is_3 0 {-1,1>2 4,0>keep})",
            "(object_rule c4 is_largest 0 {-1,1>2})",
            "(cell_rule lenient place 0 {0,0>fill_2 1,3>copy_fullest})",
            "(partial (reverse_ranks (recolor 2 4 input)))",
        ] {
            let a: Answer = text.parse().unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(a.to_string(), text);
        }
    }

    #[test]
    fn deep_answers_are_refused_not_overflowed() {
        let nest = |n: usize| format!("{}input{}", "(normalized ".repeat(n), ")".repeat(n));
        assert!(nest(MAX_DEPTH).parse::<Answer>().is_ok());
        for n in [MAX_DEPTH + 1, 200_000] {
            match nest(n).parse::<Answer>() {
                Err(AnswerError::Parse { msg, .. }) => assert!(msg.contains("nests deeper"), "{msg}"),
                other => panic!("{n} levels: {other:?}"),
            }
        }
        let deep_program = format!("(colormap {{1>2}} {}input{})", "(rot90 ".repeat(10_000), ")".repeat(10_000));
        assert!(matches!(deep_program.parse::<Answer>(), Err(AnswerError::Program { err: ProgramError::TooDeep, .. })));
        assert!("(colormap {+1>2} input)".parse::<Answer>().is_err());
    }

    #[test]
    fn bad_texts_say_where() {
        for (text, pos) in [
            ("(colormap {0>2 0>3} input)", 15),
            ("(local_rule nope 0 {} input)", 12),
            ("(layers 0 blank)", 15),
            ("(partial (rot90 input) input)", 23),
            ("(object_rule c4 size 0 {1>2})", 24),
            ("(cell_rule place 12 {})", 17),
        ] {
            match text.parse::<Answer>() {
                Err(AnswerError::Parse { pos: p, .. }) => assert_eq!(p, pos, "{text}"),
                other => panic!("{text}: {other:?}"),
            }
        }
        assert!(matches!("(colormap {} (nope input))".parse::<Answer>(), Err(AnswerError::Program { pos: 13, .. })));
        assert!(matches!("(count_objs (objects c4 all bg input))".parse::<Answer>(), Err(AnswerError::Program { .. })));
    }

    /// A random grid program (at least one call), from a seeded stream.
    fn random_program(rng: &mut crate::rng::Rng) -> Program {
        loop {
            let mut budget = rng.range(1, 4);
            if let Some(e) = crate::guide::synth::random_expr(rng, crate::dsl::Ty::Grid, &mut budget, &[0, 1, 2, 5], true) {
                return Program::new(e).expect("random programs type-check");
            }
        }
    }

    /// A random inner answer: any kind while `depth` lasts, then a program.
    fn nested(rng: &mut crate::rng::Rng, depth: usize) -> Answer {
        let kind = if depth > 0 { rng.below(8) } else { 0 };
        random_answer(rng, kind, depth.saturating_sub(1))
    }

    /// A random answer of kind `kind` (every kind, nested ones to depth 2).
    fn random_answer(rng: &mut crate::rng::Rng, kind: usize, depth: usize) -> Answer {
        let color = |rng: &mut crate::rng::Rng| rng.below(N_COLORS) as Color;
        let n = rng.below(6);
        match kind % 8 {
            0 => Answer::Program(random_program(rng)),
            1 => {
                let mut map = [None; N_COLORS];
                for _ in 0..n {
                    let c = rng.below(N_COLORS);
                    map[c] = Some(color(rng)).filter(|&t| t as usize != c);
                }
                let inner = nested(rng, depth);
                Answer::ColorMap { map: ColorMap(map), inner: Box::new(inner) }
            }
            2 => Answer::Normalized(Box::new(nested(rng, depth))),
            3 => Answer::Layers {
                bg: color(rng),
                base: rng.chance(0.5).then(|| random_program(rng)),
                pieces: (0..=n)
                    .map(|_| Layer {
                        paints: [Paints::Foreground, Paints::Background, Paints::All][rng.below(3)],
                        program: random_program(rng),
                    })
                    .collect(),
            },
            4 => Answer::Local(LocalRule {
                feature: crate::search::learn::local::FEATURES[rng.below(14)],
                bg: color(rng),
                table: (0..n).map(|_| (rng.next_u64() >> rng.below(64), color(rng))).collect(),
                lenient: rng.chance(0.5),
                base: random_program(rng),
            }),
            5 => Answer::Objects(ObjectRule {
                segmentation: rng.below(3),
                prop: rng.below(objects::PROPS.len()),
                with_colour: rng.chance(0.5),
                bg: color(rng),
                table: (0..n)
                    .map(|_| ((rng.below(12) as i64 - 1, rng.next_u64() as i64), rng.chance(0.8).then(|| color(rng))))
                    .collect(),
            }),
            6 => Answer::Cells(CellRule {
                prop: cells::PROPS[rng.below(cells::PROPS.len())],
                bg: color(rng),
                table: (0..n).map(|_| ((rng.below(5) as i64 - 1, rng.below(9) as i64), cells::ACTS[rng.below(14)])).collect(),
                lenient: rng.chance(0.5),
            }),
            _ => Answer::Partial(Box::new(nested(rng, depth))),
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]
        /// Every kind of answer prints and parses back to itself.
        #[test]
        fn random_answers_round_trip(kind in 0usize..8, seed in proptest::prelude::any::<u64>()) {
            let a = random_answer(&mut crate::rng::Rng::new(seed), kind, 2);
            let text = a.to_string();
            let back: Answer = text.parse().map_err(|e| proptest::test_runner::TestCaseError::fail(format!("{text}: {e}")))?;
            proptest::prop_assert_eq!(back, a, "{}", text);
        }
    }

    #[test]
    fn answers_run_like_the_search_built_them() {
        let g = |s: &str| crate::testing::grid(s);
        let ctx = Ctx::plain();
        let map: Answer = "(colormap {1>2 2>1} (rot180 input))".parse().unwrap();
        assert_eq!(map.run(&ctx, &g("12/03")).unwrap(), g("30/12"));
        let layers: Answer = "(layers 0 blank (keep_color 1 input) (keep_color 2 input))".parse().unwrap();
        assert_eq!(layers.run(&ctx, &g("12/34")).unwrap(), g("12/00"));
        // Normalised: the input's most common colour is 5 (rank 0), then 3 (rank 1).
        let norm: Answer = "(normalized (recolor 1 0 input))".parse().unwrap();
        assert_eq!(norm.run(&ctx, &g("553/555")).unwrap(), g("555/555"));
    }
}
