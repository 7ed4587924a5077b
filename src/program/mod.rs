//! Programs as data: a typed expression over registry primitives, with a text form that
//! prints and parses back, a type checker and an interpreter.
//!
//! Text form: `input` is the task's input grid; a call is `(name p1 .. pk a1 .. an)` with
//! the primitive's literal parameters first, then its argument expressions, e.g.
//! `(recolor 6 2 (rot90 input))`.

use crate::dsl::{Ctx, Na, PrimId, Ty, Value, registry};
use crate::grid::Grid;
use std::fmt;

/// The deepest nesting of calls the text form accepts (programs and answers alike): the parser
/// refuses a deeper text before any recursive step, so type checking, evaluation, printing and
/// hashing, which recurse over the tree, stay far from the stack's limit.
pub const MAX_DEPTH: usize = 256;

/// A program expression.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Expr {
    /// The input grid.
    Input,
    /// A primitive applied to literal parameters and argument expressions.
    Call { prim: PrimId, params: Vec<i8>, args: Vec<Expr> },
    /// A `grid -> grid` primitive with its literal parameters applied to every part (or grid) of
    /// its argument, a list of parts or grids: `(map (mirror_lr) (parts c4 mono bgmost input))`
    /// ([`crate::dsl::parts::map_parts`]).
    Map { prim: PrimId, params: Vec<i8>, arg: Box<Expr> },
}

/// Why a program text does not parse or type-check.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProgramError {
    #[error("parse error at byte {pos}: {msg}")]
    Parse { pos: usize, msg: String },
    #[error("unknown primitive `{0}`")]
    UnknownPrim(String),
    #[error("`{prim}`: parameter {index} `{text}` is not {expected}")]
    BadParam { prim: String, index: usize, text: String, expected: String },
    #[error("`{prim}`: expected {expected} argument(s), got {got}")]
    Arity { prim: String, expected: usize, got: usize },
    #[error("`{prim}`: parameter {index} ({expected}) is missing: its {count} literal parameter(s) come before the arguments, found `{found}`")]
    MissingParam { prim: String, index: usize, count: usize, expected: String, found: String },
    #[error("the program nests deeper than {MAX_DEPTH} calls (the limit of the text form)")]
    TooDeep,
    #[error("`{prim}`: argument {index} has type {got}, expected {expected}")]
    Type { prim: String, index: usize, expected: &'static str, got: &'static str },
    #[error("the program gives a {0}, not a grid")]
    NotGrid(&'static str),
    #[error("`map` takes a grid -> grid primitive, not `{0}`")]
    NotMappable(String),
}

/// Why running a program gave no grid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EvalError {
    #[error("`{prim}` {na}")]
    NotApplicable { prim: &'static str, na: Na },
    #[error("the program gives a {0}, not a grid")]
    NotGrid(&'static str),
}

impl Expr {
    /// A call by primitive name; panics on an unknown name (for tests and hand-written programs).
    pub fn call(name: &str, params: &[i8], args: Vec<Expr>) -> Expr {
        let prim = registry().id(name).unwrap_or_else(|| panic!("unknown primitive {name}"));
        Expr::Call { prim, params: params.to_vec(), args }
    }

    /// The type this expression gives, or why it is ill-typed.
    pub fn type_check(&self) -> Result<Ty, ProgramError> {
        match self {
            Expr::Input => Ok(Ty::Grid),
            Expr::Call { prim, params, args } => {
                let def = registry().get(*prim);
                if params.len() != def.params.len() {
                    return Err(ProgramError::Arity { prim: def.name.into(), expected: def.params.len(), got: params.len() });
                }
                for (i, (t, &v)) in def.params.iter().zip(params).enumerate() {
                    if !t.contains(v) {
                        return Err(ProgramError::BadParam {
                            prim: def.name.into(),
                            index: i,
                            text: v.to_string(),
                            expected: t.describe(),
                        });
                    }
                }
                if args.len() != def.args.len() {
                    return Err(ProgramError::Arity { prim: def.name.into(), expected: def.args.len(), got: args.len() });
                }
                for (i, (t, a)) in def.args.iter().zip(args).enumerate() {
                    let got = a.type_check()?;
                    if got != *t {
                        return Err(ProgramError::Type { prim: def.name.into(), index: i, expected: t.name(), got: got.name() });
                    }
                }
                Ok(def.ret)
            }
            Expr::Map { prim, params, arg } => {
                let def = registry().get(*prim);
                if def.args != [Ty::Grid] || def.ret != Ty::Grid {
                    return Err(ProgramError::NotMappable(def.name.into()));
                }
                Self::check_params(def, params)?;
                match arg.type_check()? {
                    t @ (Ty::Parts | Ty::Grids) => Ok(t),
                    got => Err(ProgramError::Type { prim: "map".into(), index: 0, expected: "parts", got: got.name() }),
                }
            }
        }
    }

    /// Checks a call's literal parameters against the primitive's.
    fn check_params(def: &crate::dsl::PrimDef, params: &[i8]) -> Result<(), ProgramError> {
        if params.len() != def.params.len() {
            return Err(ProgramError::Arity { prim: def.name.into(), expected: def.params.len(), got: params.len() });
        }
        for (i, (t, &v)) in def.params.iter().zip(params).enumerate() {
            if !t.contains(v) {
                return Err(ProgramError::BadParam { prim: def.name.into(), index: i, text: v.to_string(), expected: t.describe() });
            }
        }
        Ok(())
    }

    /// Evaluates on one input grid, in context `ctx`.
    pub fn eval(&self, ctx: &Ctx, input: &Grid) -> Result<Value, EvalError> {
        match self {
            Expr::Input => Ok(Value::Grid(input.clone())),
            Expr::Call { prim, params, args } => {
                let def = registry().get(*prim);
                let vals = args.iter().map(|a| a.eval(ctx, input)).collect::<Result<Vec<_>, _>>()?;
                let refs: Vec<&Value> = vals.iter().collect();
                def.apply(ctx, params, &refs).map_err(|na| EvalError::NotApplicable { prim: def.name, na })
            }
            Expr::Map { prim, params, arg } => {
                let def = registry().get(*prim);
                let v = arg.eval(ctx, input)?;
                crate::dsl::parts::map_parts(def, ctx, params, &v).map_err(|na| EvalError::NotApplicable { prim: def.name, na })
            }
        }
    }

    /// Evaluates on one input grid, in context `ctx`, and requires a grid result.
    pub fn run(&self, ctx: &Ctx, input: &Grid) -> Result<Grid, EvalError> {
        match self.eval(ctx, input)? {
            Value::Grid(g) => Ok(g),
            v => Err(EvalError::NotGrid(v.ty().name())),
        }
    }

    /// Total cost: the sum of the primitives' costs.
    pub fn cost(&self) -> u32 {
        match self {
            Expr::Input => 0,
            Expr::Call { prim, args, .. } => registry().get(*prim).cost + args.iter().map(Expr::cost).sum::<u32>(),
            Expr::Map { prim, arg, .. } => registry().get(*prim).cost + arg.cost(),
        }
    }

    /// The primitives used, in pre-order (with repeats).
    pub fn prims(&self) -> Vec<PrimId> {
        let mut out = Vec::new();
        self.visit(&mut |e| {
            if let Expr::Call { prim, .. } | Expr::Map { prim, .. } = e {
                out.push(*prim);
            }
        });
        out
    }

    fn visit(&self, f: &mut impl FnMut(&Expr)) {
        f(self);
        match self {
            Expr::Call { args, .. } => args.iter().for_each(|a| a.visit(f)),
            Expr::Map { arg, .. } => arg.visit(f),
            Expr::Input => {}
        }
    }
}

/// Program trees as data: the edits the guide's label cleaning (`guide::synth::simplify`,
/// `canonicalize`) makes.
impl Expr {
    /// The expressions made from this one by replacing one grid-valued call with one of its grid
    /// arguments (the type is kept: grid for grid).
    pub fn without_one_call(&self) -> Vec<Expr> {
        if let Expr::Map { prim, params, arg } = self {
            let inner = arg.without_one_call().into_iter().map(|a| Expr::Map { prim: *prim, params: params.clone(), arg: Box::new(a) });
            return std::iter::once((**arg).clone()).chain(inner).collect();
        }
        let Expr::Call { prim, params, args } = self else { return Vec::new() };
        let def = registry().get(*prim);
        let mut out = Vec::new();
        if def.ret == Ty::Grid {
            out.extend(args.iter().zip(def.args.iter()).filter(|(_, t)| **t == Ty::Grid).map(|(a, _)| a.clone()));
        }
        for (i, a) in args.iter().enumerate() {
            for v in a.without_one_call() {
                let mut args = args.clone();
                args[i] = v;
                out.push(Expr::Call { prim: *prim, params: params.clone(), args });
            }
        }
        out
    }

    /// The call nodes as paths of argument indices, in pre-order.
    pub fn call_paths(&self) -> Vec<Vec<usize>> {
        fn walk(e: &Expr, path: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
            let args: &[Expr] = match e {
                Expr::Call { args, .. } => args,
                Expr::Map { arg, .. } => std::slice::from_ref(&**arg),
                Expr::Input => return,
            };
            out.push(path.clone());
            for (i, a) in args.iter().enumerate() {
                path.push(i);
                walk(a, path, out);
                path.pop();
            }
        }
        let mut out = Vec::new();
        walk(self, &mut Vec::new(), &mut out);
        out
    }

    /// The node at `path` (as given by [`Expr::call_paths`]).
    pub fn node_at(&self, path: &[usize]) -> &Expr {
        path.iter().fold(self, |e, &i| match e {
            Expr::Call { args, .. } => &args[i],
            Expr::Map { arg, .. } => arg,
            Expr::Input => e,
        })
    }

    /// This expression with the call at `path` (as given by [`Expr::call_paths`]) given primitive
    /// `prim` and parameters `params`, its arguments kept.
    pub fn with_call(&self, path: &[usize], prim: PrimId, params: &[i8]) -> Expr {
        match (self, path.split_first()) {
            (Expr::Call { args, .. }, None) => Expr::Call { prim, params: params.to_vec(), args: args.clone() },
            (Expr::Call { prim: p, params: ps, args }, Some((&i, rest))) => {
                let mut args = args.clone();
                args[i] = args[i].with_call(rest, prim, params);
                Expr::Call { prim: *p, params: ps.clone(), args }
            }
            (Expr::Map { arg, .. }, None) => Expr::Map { prim, params: params.to_vec(), arg: arg.clone() },
            (Expr::Map { prim: p, params: ps, arg }, Some((_, rest))) => {
                Expr::Map { prim: *p, params: ps.clone(), arg: Box::new(arg.with_call(rest, prim, params)) }
            }
            (Expr::Input, _) => Expr::Input,
        }
    }
}

/// A whole program: an expression that gives a grid.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Program(pub Expr);

impl Program {
    /// Type-checks and wraps an expression.
    pub fn new(e: Expr) -> Result<Program, ProgramError> {
        match e.type_check()? {
            Ty::Grid => Ok(Program(e)),
            t => Err(ProgramError::NotGrid(t.name())),
        }
    }

    /// Runs on one input grid, in context `ctx`.
    pub fn run(&self, ctx: &Ctx, input: &Grid) -> Result<Grid, EvalError> {
        self.0.run(ctx, input)
    }

    /// Total cost.
    pub fn cost(&self) -> u32 {
        self.0.cost()
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Input => f.write_str("input"),
            Expr::Call { prim, params, args } => {
                let def = registry().get(*prim);
                write!(f, "({}", def.name)?;
                for (t, &v) in def.params.iter().zip(params) {
                    write!(f, " {}", t.show(v))?;
                }
                for a in args {
                    write!(f, " {a}")?;
                }
                f.write_str(")")
            }
            Expr::Map { prim, params, arg } => {
                let def = registry().get(*prim);
                write!(f, "(map ({}", def.name)?;
                for (t, &v) in def.params.iter().zip(params) {
                    write!(f, " {}", t.show(v))?;
                }
                write!(f, ") {arg})")
            }
        }
    }
}

impl fmt::Display for Program {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

mod parse;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_eval() {
        let p: Program = "(rot90 (shift right input))".parse().unwrap();
        assert_eq!(p.to_string(), "(rot90 (shift right input))");
        let g = Grid::from_rows(&[vec![1i64, 2], vec![3, 4]]).unwrap();
        assert_eq!(p.run(&Ctx::plain(), &g).unwrap().to_text(), "00\n31\n");
        assert!(matches!("(nope input)".parse::<Program>(), Err(ProgramError::UnknownPrim(_))));
        assert!(matches!("(shift sideways input)".parse::<Program>(), Err(ProgramError::BadParam { .. })));
        assert!(matches!("(rot90 input input)".parse::<Program>(), Err(ProgramError::Arity { .. })));
        assert!(matches!("(rot90 input".parse::<Program>(), Err(ProgramError::Parse { .. })));
    }

    #[test]
    fn maps_over_parts_print_parse_and_run() {
        assert!(registry().id("map").is_none(), "`map` is a form of the text, not a primitive");
        let text = "(paste (map (half bottom) (parts c4 multi bgmost input)))";
        let p: Program = text.parse().unwrap();
        assert_eq!(p.to_string(), text);
        assert_eq!(p.0.prims().len(), 3);
        let g = Grid::from_rows(&[vec![0i64, 0, 0], vec![1, 0, 0], vec![2, 0, 0], vec![0, 0, 0]]).unwrap();
        // The object's bottom half stays where it was.
        assert_eq!(p.run(&Ctx::plain(), &g).unwrap().to_text(), "000\n000\n200\n000\n");
        assert!(matches!("(map (recolor 1 2 input) input)".parse::<Program>(), Err(ProgramError::Parse { .. })));
        assert!(matches!("(map (rot90) input)".parse::<Program>(), Err(ProgramError::Type { .. })));
        assert!(matches!("(map (crop_obj) (parts c4 mono bgmost input))".parse::<Program>(), Err(ProgramError::NotMappable(_))));
        assert!(matches!("(map (rot90) (parts c4 mono bgmost input) input)".parse::<Program>(), Err(ProgramError::Parse { .. })));
        assert!(matches!("(rot90 (parts c4 mono bgmost input))".parse::<Program>(), Err(ProgramError::Type { .. })));
    }

    #[test]
    fn deep_texts_are_refused_before_any_recursion() {
        let nest = |n: usize| format!("{}input{}", "(rot90 ".repeat(n), ")".repeat(n));
        assert!(nest(MAX_DEPTH).parse::<Program>().is_ok());
        assert_eq!(nest(MAX_DEPTH + 1).parse::<Program>(), Err(ProgramError::TooDeep));
        // Far past the limit: refused, never a stack overflow.
        assert_eq!(nest(100_000).parse::<Program>(), Err(ProgramError::TooDeep));
    }

    #[test]
    fn missing_parameters_and_signed_numbers_are_named() {
        let e = "(recolor input 1 input)".parse::<Program>().unwrap_err();
        assert!(matches!(&e, ProgramError::MissingParam { index: 0, count: 2, found, .. } if found == "input"), "{e}");
        assert!(e.to_string().contains("parameter 0"), "{e}");
        assert!(matches!("(recolor +2 1 input)".parse::<Program>(), Err(ProgramError::BadParam { .. })));
        assert!("(recolor 2 1 input)".parse::<Program>().is_ok());
    }
}
