//! The DSL: typed, total grid primitives in one registry.
//!
//! Every primitive is a [`PrimDef`] row: a short lowercase `name` (the same in programs, the
//! model vocabulary, snapshots and tests), typed literal parameters ([`ParamTy`], printed
//! inline: `(recolor 6 2 input)`), typed dataflow arguments ([`Ty`]), a return type, a cost
//! (search depth is counted in cost units) and a one-line doc. Its function is total: on
//! any valid values it returns a valid [`Value`] or [`Na`] ("not applicable"), never a panic.
//!
//! A primitive's result depends only on what it is given: the evaluation context [`Ctx`], its
//! literal parameters and its dataflow arguments. The context is the one thing a primitive may
//! read besides those: today the task's background ([`Ctx::bg`] gives a grid's background in
//! it). There is no global or thread-local state that a result depends on: whoever runs programs
//! on a task's grids builds its context once ([`Ctx::for_task`]) and passes it down;
//! [`Ctx::plain`] reads every grid on its own. The one thread-local is a pure function's cache,
//! the connected components of the last grids seen (`util::components`): results are the same
//! with or without it, and the search, which reads the same grid's components over and over,
//! is faster with it.
//!
//! Each primitive is declared once, at its function, with `prim!`: the function's name is the
//! primitive's name, its first `///` line the doc, and its header the signature, cost and search
//! flag. Families live in submodules, each listing its primitives in a `PRIMS` table
//! (`prims!`); [`registry`] concatenates them in `FAMILIES` order, which is append-only once
//! a model has been trained on it (the guide's vocabulary is the registry's names in order).
//! Argument access shared by the families is in `args`, colour counting in [`color`].

/// Declares one primitive at its function: the first `///` line is the registry's one-line doc
/// (further doc lines document the function only), the header gives the context, parameter and
/// argument bindings with their types, the return type, the cost and, for a primitive callable
/// by name only, `search false`. The function keeps its name, which is also the primitive's name
/// (`stringify!`), and a same-named (type-namespace) item carries its registry row as `DEF`,
/// listed in the family's `PRIMS` table with `prims!`.
///
/// ```ignore
/// prim! {
///     /// Shift every cell n steps in a direction; cells that enter are 0.
///     fn shift_by(_ctx, p: [DIRS, ParamTy::Int { min: 2, max: 9 }], a: [Grid]) -> Grid, cost 3 {
///         ...
///     }
/// }
/// ```
macro_rules! prim {
    (
        #[doc = $doc:literal]
        $(#[$attr:meta])*
        $vis:vis fn $name:ident(
            $ctx:tt, $p:tt: [$($param:expr),* $(,)?], $a:tt: [$($arg:ident),* $(,)?]
        ) -> $ret:ident, cost $cost:literal $(, search $search:literal)? $body:block
    ) => {
        #[doc = $doc]
        $(#[$attr])*
        $vis fn $name(
            $ctx: &$crate::dsl::Ctx,
            $p: &[i8],
            $a: &[&$crate::dsl::Value],
        ) -> $crate::dsl::PrimResult $body

        #[doc(hidden)]
        #[allow(non_camel_case_types, dead_code)]
        $vis struct $name {}

        impl $name {
            /// The registry row.
            pub(crate) const DEF: $crate::dsl::PrimDef = $crate::dsl::PrimDef {
                name: stringify!($name),
                params: &[$($param),*],
                args: &[$($crate::dsl::Ty::$arg),*],
                ret: $crate::dsl::Ty::$ret,
                cost: $cost,
                search: true $(&& $search)?,
                doc: $doc.trim_ascii_start(),
                f: $name,
            };
        }
    };
}

/// A family's `PRIMS` table: the registry rows of primitives declared with `prim!`, in order.
macro_rules! prims {
    ($($name:ident),* $(,)?) => {
        &[$($name::DEF),*]
    };
}

pub(crate) mod args;
pub mod classify;
pub mod clean;
pub mod color;
pub mod crop;
pub mod geom;
pub mod scale;
pub mod split;
pub mod tile;
pub mod value;

pub mod count;
pub mod draw;
pub mod fill;
pub mod gravity;
pub mod lines;
pub mod object;
pub mod objmap;
pub mod parts;
pub mod pattern;
pub(crate) mod util;

pub use value::{Obj, Part, Parts, Ty, Value};

/// The background a task's test inputs should be read with, when the plain rule (a grid's most
/// common colour) would read them differently from every demonstration: `Some(c)` when every
/// demonstration input has the same most common colour `c` and some test input holds `c` but
/// has another most common colour (e.g. large shapes covering most of a test grid). Else `None`,
/// and nothing changes.
pub fn task_background(task: &crate::task::Task) -> Option<crate::grid::Color> {
    let first = color::majority(&task.train.first()?.input);
    let demos_agree = task.train.iter().all(|p| color::majority(&p.input) == first);
    let test_differs =
        task.test.iter().any(|t| color::majority(&t.input) != first && t.input.histogram()[first as usize] > 0);
    (demos_agree && test_differs).then_some(first)
}

/// The evaluation context: everything a primitive may read besides its parameters and
/// arguments. Built once per task ([`Ctx::for_task`]) by whoever runs programs on that task's
/// grids (the search, `arc run`, `--explain`, the tests, the guide's labelling), so the same
/// program gives the same grids everywhere. [`Ctx::plain`] reads every grid on its own.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Ctx {
    /// The task's background ([`task_background`]): grids that hold it are read with it as
    /// their background; `None` reads each grid's most common colour.
    pub bg: Option<crate::grid::Color>,
}

impl Ctx {
    /// No task: every grid's background is its own most common colour.
    pub fn plain() -> Ctx {
        Ctx { bg: None }
    }

    /// The context of a task's grids.
    pub fn for_task(task: &crate::task::Task) -> Ctx {
        Ctx { bg: task_background(task) }
    }

    /// The background of a grid read in this context: the task's background when there is one
    /// and the grid holds it, else the grid's most common colour (ties to the lower colour).
    pub fn bg(&self, g: &crate::grid::Grid) -> crate::grid::Color {
        match self.bg {
            Some(bg) if g.histogram()[bg as usize] > 0 => bg,
            _ => color::majority(g),
        }
    }
}

use std::collections::HashMap;
use std::sync::OnceLock;

/// "Not applicable": the primitive has no meaning on these values (e.g. cropping an empty
/// grid, an output side over 30). A clean refusal, never an error in the program itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not applicable: {0}")]
pub struct Na(pub &'static str);

/// Result of applying a primitive.
pub type PrimResult = Result<Value, Na>;

/// The type of one literal parameter; values are stored as `i8`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParamTy {
    /// A colour `0..=9`, printed as a digit.
    Color,
    /// A colour `0..=9` that the primitive paints into its result (printed as a digit): a
    /// program that fits the demos and paints a colour no demo output has is rare, so the
    /// search tries only the demo outputs' colours here.
    Paint,
    /// An integer in `min..=max`, printed in decimal.
    Int { min: i8, max: i8 },
    /// One of named choices, stored as the index, printed as the name (e.g. `up`, `down`).
    Choice(&'static [&'static str]),
}

impl ParamTy {
    /// Every value of this parameter type, in order.
    pub fn values(&self) -> Vec<i8> {
        match *self {
            ParamTy::Color | ParamTy::Paint => (0..10).collect(),
            ParamTy::Int { min, max } => (min..=max).collect(),
            ParamTy::Choice(names) => (0..names.len() as i8).collect(),
        }
    }

    /// Whether `v` is a value of this type.
    pub fn contains(&self, v: i8) -> bool {
        match *self {
            ParamTy::Color | ParamTy::Paint => (0..10).contains(&v),
            ParamTy::Int { min, max } => (min..=max).contains(&v),
            ParamTy::Choice(names) => v >= 0 && (v as usize) < names.len(),
        }
    }

    /// What a value of this type is, for messages: `a colour 0..=9`, `one of mono, multi`.
    pub fn describe(&self) -> String {
        match *self {
            ParamTy::Color | ParamTy::Paint => "a colour 0..=9".to_string(),
            ParamTy::Int { min, max } => format!("an integer in {min}..={max}"),
            ParamTy::Choice(names) => format!("one of {}", names.join(", ")),
        }
    }

    /// The text form of a value.
    pub fn show(&self, v: i8) -> String {
        match *self {
            ParamTy::Choice(names) => names.get(v as usize).copied().unwrap_or("?").to_string(),
            _ => v.to_string(),
        }
    }

    /// Parses the text form of a value.
    pub fn parse(&self, s: &str) -> Option<i8> {
        let v = match *self {
            ParamTy::Choice(names) => names.iter().position(|n| *n == s)? as i8,
            _ => parse_int::<i8>(s)?,
        };
        self.contains(v).then_some(v)
    }
}

/// An integer in plain decimal: an optional `-` and digits (Rust's `parse` also takes `+2`, which
/// does not print back).
pub fn parse_int<T: std::str::FromStr>(s: &str) -> Option<T> {
    if s.starts_with('+') {
        return None;
    }
    s.parse().ok()
}

/// Every combination of parameter values (one value from each list, in order), at most `cap`
/// (first values first).
pub fn param_product(lists: &[Vec<i8>], cap: usize) -> Vec<Vec<i8>> {
    let mut out = vec![Vec::new()];
    for list in lists {
        let mut next = Vec::with_capacity(out.len().saturating_mul(list.len()).min(cap));
        for prefix in &out {
            for &v in list {
                if next.len() == cap {
                    break;
                }
                let mut p = prefix.clone();
                p.push(v);
                next.push(p);
            }
        }
        out = next;
    }
    out
}

/// The function behind a primitive: the evaluation context, literal parameters, then dataflow
/// arguments.
pub type PrimFn = fn(&Ctx, &[i8], &[&Value]) -> PrimResult;

/// One primitive of the registry.
#[derive(Clone, Copy)]
pub struct PrimDef {
    /// Short lowercase name, used everywhere (program text, vocabulary, snapshots).
    pub name: &'static str,
    /// Literal parameters, printed before the arguments.
    pub params: &'static [ParamTy],
    /// Dataflow argument types.
    pub args: &'static [Ty],
    /// Result type.
    pub ret: Ty,
    /// Search cost in cost units (cheap common moves 1, exotic ones more).
    pub cost: u32,
    /// Enumerated by blind search (false: callable by name only).
    pub search: bool,
    /// One line in plain words.
    pub doc: &'static str,
    /// The implementation.
    pub f: PrimFn,
}

impl std::fmt::Debug for PrimDef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PrimDef({})", self.name)
    }
}

impl PrimDef {
    /// Every setting of the parameters: every value of every parameter type (one empty setting
    /// when there are none).
    pub fn param_settings(&self) -> Vec<Vec<i8>> {
        param_product(&self.params.iter().map(ParamTy::values).collect::<Vec<_>>(), usize::MAX)
    }

    /// The signature as text: `color color grid -> grid`.
    pub fn signature(&self) -> String {
        let mut parts: Vec<String> = self
            .params
            .iter()
            .map(|p| match p {
                ParamTy::Color => "color".to_string(),
                ParamTy::Paint => "paint".to_string(),
                ParamTy::Int { min, max } => format!("int[{min}..{max}]"),
                ParamTy::Choice(c) => format!("{{{}}}", c.join("|")),
            })
            .collect();
        parts.extend(self.args.iter().map(|t| t.name().to_string()));
        format!("{} -> {}", parts.join(" "), self.ret.name())
    }

    /// Applies the primitive after checking parameter ranges and argument types, so a
    /// malformed call is `Na` rather than a panic inside the implementation.
    pub fn apply(&self, ctx: &Ctx, params: &[i8], args: &[&Value]) -> PrimResult {
        if params.len() != self.params.len() || args.len() != self.args.len() {
            return Err(Na("wrong arity"));
        }
        if !self.params.iter().zip(params).all(|(t, &v)| t.contains(v)) {
            return Err(Na("parameter out of range"));
        }
        if !self.args.iter().zip(args).all(|(t, v)| v.ty() == *t) {
            return Err(Na("argument of the wrong type"));
        }
        (self.f)(ctx, params, args)
    }
}

/// Index of a primitive in the registry (and in the model vocabulary).
pub type PrimId = u16;

/// The registry: all primitives, in vocabulary order, with a name index.
pub struct Registry {
    pub prims: Vec<PrimDef>,
    by_name: HashMap<&'static str, PrimId>,
}

impl Registry {
    fn build() -> Registry {
        let mut prims: Vec<PrimDef> = Vec::new();
        for table in FAMILIES {
            prims.extend_from_slice(table);
        }
        // Unit tests of this crate also get primitives that misbehave on purpose (at the end, so
        // no other primitive's id moves).
        #[cfg(test)]
        prims.extend_from_slice(crate::testing::FAULTY);
        let mut by_name = HashMap::new();
        for (i, p) in prims.iter().enumerate() {
            let old = by_name.insert(p.name, i as PrimId);
            assert!(old.is_none(), "primitive name {} registered twice", p.name);
        }
        Registry { prims, by_name }
    }

    /// The primitive with this name.
    pub fn id(&self, name: &str) -> Option<PrimId> {
        self.by_name.get(name).copied()
    }

    /// The primitive with this id.
    pub fn get(&self, id: PrimId) -> &PrimDef {
        &self.prims[id as usize]
    }

    /// Number of primitives.
    pub fn len(&self) -> usize {
        self.prims.len()
    }

    /// Whether the registry is empty (never, in practice).
    pub fn is_empty(&self) -> bool {
        self.prims.is_empty()
    }
}

/// Every family's table, in registry order. Append new families at the end.
const FAMILIES: &[&[PrimDef]] = &[
    geom::PRIMS, crop::PRIMS, color::PRIMS, scale::PRIMS, tile::PRIMS, split::PRIMS,
    object::PRIMS, fill::PRIMS, gravity::PRIMS, pattern::PRIMS, count::PRIMS, classify::PRIMS,
    draw::PRIMS, objmap::PRIMS, lines::PRIMS, clean::PRIMS, parts::PRIMS,
];

/// The global registry.
pub fn registry() -> &'static Registry {
    static R: OnceLock<Registry> = OnceLock::new();
    R.get_or_init(Registry::build)
}
