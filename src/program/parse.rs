//! The text form's parser: tokens, then a recursive descent that refuses nesting past
//! [`MAX_DEPTH`] before any recursive step, and type-checks what it read.

use super::{Expr, MAX_DEPTH, Program, ProgramError};
use crate::dsl::{PrimId, registry};
use std::str::FromStr;

/// A token of the text form with its byte position.
#[derive(Debug)]
enum Tok<'a> {
    Open(usize),
    Close(usize),
    Atom(usize, &'a str),
}

fn tokenize(s: &str) -> Vec<Tok<'_>> {
    let mut out = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'(' => {
                out.push(Tok::Open(i));
                i += 1;
            }
            b')' => {
                out.push(Tok::Close(i));
                i += 1;
            }
            c if c.is_ascii_whitespace() => i += 1,
            _ => {
                let start = i;
                while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'(' && b[i] != b')' {
                    i += 1;
                }
                out.push(Tok::Atom(start, &s[start..i]));
            }
        }
    }
    out
}

struct Parser<'a> {
    toks: Vec<Tok<'a>>,
    i: usize,
    len: usize,
    /// Calls open around the current token.
    depth: usize,
}

impl<'a> Parser<'a> {
    fn err(&self, msg: impl Into<String>) -> ProgramError {
        let pos = match self.toks.get(self.i) {
            Some(Tok::Open(p) | Tok::Close(p) | Tok::Atom(p, _)) => *p,
            None => self.len,
        };
        ProgramError::Parse { pos, msg: msg.into() }
    }

    fn expr(&mut self) -> Result<Expr, ProgramError> {
        match self.toks.get(self.i) {
            Some(Tok::Atom(_, "input")) => {
                self.i += 1;
                Ok(Expr::Input)
            }
            Some(Tok::Open(_)) => {
                if self.depth >= MAX_DEPTH {
                    return Err(ProgramError::TooDeep);
                }
                self.i += 1;
                let name = match self.toks.get(self.i) {
                    Some(Tok::Atom(_, n)) => *n,
                    _ => return Err(self.err("expected a primitive name after `(`")),
                };
                if name == "map" {
                    self.i += 1;
                    return self.map();
                }
                let (prim, params) = self.head(name)?;
                let mut args = Vec::new();
                self.depth += 1;
                while !matches!(self.toks.get(self.i), Some(Tok::Close(_)) | None) {
                    args.push(self.expr()?);
                }
                self.depth -= 1;
                if self.toks.get(self.i).is_none() {
                    return Err(self.err("missing `)`"));
                }
                self.i += 1;
                Ok(Expr::Call { prim, params, args })
            }
            Some(_) => Err(self.err("expected `input` or `(`")),
            None => Err(self.err("unexpected end of program")),
        }
    }

    /// The rest of `(map (name params..) arg)` after `map`.
    fn map(&mut self) -> Result<Expr, ProgramError> {
        if !matches!(self.toks.get(self.i), Some(Tok::Open(_))) {
            return Err(self.err("expected `(name params..)` after `map`"));
        }
        self.i += 1;
        let name = match self.toks.get(self.i) {
            Some(Tok::Atom(_, n)) => *n,
            _ => return Err(self.err("expected a primitive name after `(`")),
        };
        let (prim, params) = self.head(name)?;
        if !matches!(self.toks.get(self.i), Some(Tok::Close(_))) {
            return Err(self.err("`map` takes a primitive with its parameters only, then `)`"));
        }
        self.i += 1;
        self.depth += 1;
        let arg = self.expr()?;
        self.depth -= 1;
        if !matches!(self.toks.get(self.i), Some(Tok::Close(_))) {
            return Err(self.err("`map` takes one argument, then `)`"));
        }
        self.i += 1;
        Ok(Expr::Map { prim, params, arg: Box::new(arg) })
    }

    /// A primitive's name (at the current token) and its literal parameters.
    fn head(&mut self, name: &str) -> Result<(PrimId, Vec<i8>), ProgramError> {
                let prim = registry().id(name).ok_or_else(|| ProgramError::UnknownPrim(name.into()))?;
                let def = registry().get(prim);
                self.i += 1;
                let mut params = Vec::with_capacity(def.params.len());
                for (k, t) in def.params.iter().enumerate() {
                    match self.toks.get(self.i) {
                        Some(Tok::Atom(_, text)) if *text != "input" => {
                            let v = t.parse(text).ok_or_else(|| ProgramError::BadParam {
                                prim: name.into(),
                                index: k,
                                text: text.to_string(),
                                expected: t.describe(),
                            })?;
                            params.push(v);
                            self.i += 1;
                        }
                        Some(Tok::Close(_)) | None => {
                            return Err(ProgramError::Arity { prim: name.into(), expected: def.params.len(), got: k });
                        }
                        Some(Tok::Open(_) | Tok::Atom(..)) => {
                            let found = if let Some(Tok::Atom(_, text)) = self.toks.get(self.i) { text } else { "(" };
                            return Err(ProgramError::MissingParam {
                                prim: name.into(),
                                index: k,
                                count: def.params.len(),
                                expected: t.describe(),
                                found: found.to_string(),
                            });
                        }
                    }
                }
                Ok((prim, params))
    }
}

impl FromStr for Expr {
    type Err = ProgramError;

    fn from_str(s: &str) -> Result<Expr, ProgramError> {
        let mut p = Parser { toks: tokenize(s), i: 0, len: s.len(), depth: 0 };
        let e = p.expr()?;
        if p.i != p.toks.len() {
            return Err(p.err("trailing text after the program"));
        }
        e.type_check()?;
        Ok(e)
    }
}

impl FromStr for Program {
    type Err = ProgramError;

    fn from_str(s: &str) -> Result<Program, ProgramError> {
        Program::new(s.parse()?)
    }
}

