//! Answers as data: everything the solver can return, with a text form that prints and parses
//! back, so that every solution replays from its text alone (`arc run "<answer>" <task>`).
//!
//! # Layering
//!
//! Answers lie below the search: this module and its rooms read only the vocabulary ([`grid`],
//! [`task`], [`dsl`], [`program`], and the fixed-key [`hash`]er), never the search or the
//! guide. What an answer *means* lives here: colour maps and permutations ([`colors`]), stacked
//! layers ([`layers`]), the learnt rules with their features, properties and actions
//! ([`rules`]), and the text form ([`text`]). The search only *finds* answers: its fits,
//! composition and learners build these types and predict through the same code that replays
//! them (the colour maps, [`layers::stack`], the rules' `paint`), so a replayed answer gives the
//! grids the search predicted.
//!
//! [`grid`]: crate::grid
//! [`task`]: crate::task
//! [`dsl`]: crate::dsl
//! [`program`]: crate::program
//! [`hash`]: crate::hash
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
//!          | (roles ORDER KEEP answer)                     the answer in colour roles: the colours in
//!                                                          KEEP (digits, or `-`) kept, each input's
//!                                                          others ranked by ORDER (common, rare) into
//!                                                          the colours not kept, the answer applied
//!                                                          in the task's background when it is kept,
//!                                                          the result mapped back
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
//!          | (match_rule SEG [FEAT+]FEAT BG {k,v>CHANGE ...})
//!                                                          objects cut out by SEG on background BG,
//!                                                          each changed by a table over (FEAT value
//!                                                          or -1, FEAT value), the features object
//!                                                          properties or relations (has_twin,
//!                                                          has_held_twin, touches_other, is_held,
//!                                                          fits_hole); CHANGE is keep, delete,
//!                                                          paint_C, twin_colour, held_twin_colour,
//!                                                          a turn (mirror_lr, rot90, ...),
//!                                                          slide_DIR, into_hole or shift_DY_DX:
//!                                                          changed objects are erased, then
//!                                                          painted where the change puts them
//!          | (cell_rule [lenient] PROP BG {r,c>ACT ...})   in a grid cut by separator lines, each cell
//!                                                          changed by ACT (keep, clear, fill_own,
//!                                                          copy_fullest, fill_0..fill_9) by a table over
//!                                                          its PROP key
//!          | (partial answer)                              a best guess that fits no demo exactly
//! ```
//!
//! The heads `colormap`, `normalized`, `roles`, `layers`, `local_rule`, `object_rule`, `match_rule`, `cell_rule` and
//! `partial` are not primitive names, so any other parenthesised form is a program. Learnt tables
//! list every key the demos showed. An answer runs on one input grid at a time in the task's
//! [`Ctx`]; [`Answer::apply`] runs it on every demo and test input of a task.

pub mod colors;
pub mod layers;
pub mod rules;
pub mod text;

pub use colors::ColorMap;
pub use layers::{Layer, Paints};
pub use rules::{CellRule, LocalRule, MatchRule, ObjectRule};
pub use text::{AnswerError, KEYWORDS};

use crate::dsl::Ctx;
use crate::grid::{Color, Grid};
use crate::program::{EvalError, Program};
use crate::task::Task;
use colors::Perm;
pub use colors::{Order, Roles};
use layers::stack;

/// Something the solver returns for a task, as data (see the module doc for the text form).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Answer {
    /// A DSL program.
    Program(Program),
    /// An answer's grid recoloured by a map.
    ColorMap { map: ColorMap, inner: Box<Answer> },
    /// An answer on the colour-normalised task.
    Normalized(Box<Answer>),
    /// An answer on the task in colour roles ([`Roles`]).
    Roles { roles: Roles, inner: Box<Answer> },
    /// Pieces stacked on a blank canvas of colour `bg` or on a base program's grid.
    Layers { bg: Color, base: Option<Program>, pieces: Vec<Layer> },
    /// A learnt local (cellular) rule.
    Local(LocalRule),
    /// A learnt object recolouring rule.
    Objects(ObjectRule),
    /// A learnt rule over the cells of a grid cut by separator lines.
    Cells(CellRule),
    /// A learnt object correspondence rule.
    Match(MatchRule),
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
            Answer::Roles { roles, inner } => {
                let perm = roles.perm(input);
                inner.run(&roles.ctx(ctx), &perm.apply(input)).map(|g| perm.inverse().apply(&g))
            }
            Answer::Layers { bg, base, pieces } => {
                let base = base.as_ref().map(|b| b.run(ctx, input)).transpose()?;
                let layers = pieces.iter().map(|p| p.program.run(ctx, input)).collect::<Result<Vec<_>, _>>()?;
                let refs: Vec<(&Grid, Paints)> = layers.iter().zip(pieces).map(|(g, p)| (g, p.paints)).collect();
                stack(base.as_ref(), &refs, *bg).ok_or(EvalError::NotApplicable {
                    prim: "layers",
                    na: crate::dsl::Na("pieces of different shapes"),
                })
            }
            Answer::Local(r) => r.run(ctx, input),
            Answer::Objects(r) => r.run(input),
            Answer::Cells(r) => r.run(input),
            Answer::Match(r) => r.run(input),
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
            Answer::ColorMap { inner, .. } | Answer::Normalized(inner) | Answer::Roles { inner, .. } | Answer::Partial(inner) => {
                inner.collect_prims(out)
            }
            Answer::Layers { base, pieces, .. } => {
                for p in base.iter().chain(pieces.iter().map(|l| &l.program)) {
                    out.extend(p.0.prims());
                }
            }
            Answer::Local(_) | Answer::Objects(_) | Answer::Cells(_) | Answer::Match(_) => {}
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


#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid::N_COLORS;
    use crate::answer::rules::{cells, correspond, local, objects};

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

    /// A random grid program (at least one call), from a seeded stream; a third of them map a
    /// step over parts and paint them back.
    fn random_program(rng: &mut crate::rng::Rng) -> Program {
        if rng.chance(0.3) {
            return random_part_program(rng);
        }
        loop {
            let mut budget = rng.range(1, 4);
            if let Some(e) = crate::guide::synth::random_expr(rng, crate::dsl::Ty::Grid, &mut budget, &[0, 1, 2, 5], true) {
                return Program::new(e).expect("random programs type-check");
            }
        }
    }

    /// `(paste (map (step ..) parts))` with a random splitting expression and a random step.
    fn random_part_program(rng: &mut crate::rng::Rng) -> Program {
        use crate::dsl::{Ty, registry};
        use crate::program::Expr;
        let reg = registry();
        let steps: Vec<usize> = (0..reg.len()).filter(|&i| reg.prims[i].args == [Ty::Grid] && reg.prims[i].ret == Ty::Grid).collect();
        loop {
            let mut budget = rng.range(1, 3);
            let Some(parts) = crate::guide::synth::random_expr(rng, Ty::Parts, &mut budget, &[0, 1, 2, 5], true) else { continue };
            let step = steps[rng.below(steps.len())];
            let params = reg.prims[step].params.iter().map(|t| { let v = t.values(); v[rng.below(v.len())] }).collect();
            let map = Expr::Map { prim: step as crate::dsl::PrimId, params, arg: Box::new(parts) };
            return Program::new(Expr::call("paste", &[], vec![map])).expect("random part programs type-check");
        }
    }

    /// A random inner answer: any kind while `depth` lasts, then a program.
    fn nested(rng: &mut crate::rng::Rng, depth: usize) -> Answer {
        let kind = if depth > 0 { rng.below(10) } else { 0 };
        random_answer(rng, kind, depth.saturating_sub(1))
    }

    /// A random answer of kind `kind` (every kind, nested ones to depth 2).
    fn random_answer(rng: &mut crate::rng::Rng, kind: usize, depth: usize) -> Answer {
        let color = |rng: &mut crate::rng::Rng| rng.below(N_COLORS) as Color;
        let n = rng.below(6);
        match kind % 10 {
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
                feature: local::FEATURES[rng.below(14)],
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
            7 => Answer::Partial(Box::new(nested(rng, depth))),
            9 => Answer::Match(MatchRule {
                segmentation: rng.below(3),
                first: rng.chance(0.5).then(|| rng.below(correspond::N_FEATURES)),
                second: rng.below(correspond::N_FEATURES),
                bg: color(rng),
                table: (0..n)
                    .map(|_| {
                        let change = match rng.below(9) {
                            0 => correspond::Change::Keep,
                            1 => correspond::Change::Delete,
                            2 => correspond::Change::Paint(color(rng)),
                            3 => correspond::Change::TwinColour,
                            4 => correspond::Change::HeldTwinColour,
                            5 => correspond::Change::Turn(correspond::Turn::ALL[rng.below(7)]),
                            6 => correspond::Change::Slide(rng.below(correspond::SLIDES.len()) as u8),
                            7 => correspond::Change::IntoHole,
                            _ => correspond::Change::Shift(rng.below(59) as i8 - 29, rng.below(59) as i8 - 29),
                        };
                        ((rng.below(12) as i64 - 1, rng.next_u64() as i64), change)
                    })
                    .collect(),
            }),
            _ => Answer::Roles {
                roles: Roles {
                    keep: std::array::from_fn(|_| rng.chance(0.3)),
                    order: Order::ALL[rng.below(Order::ALL.len())],
                },
                inner: Box::new(nested(rng, depth)),
            },
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]
        /// Every kind of answer prints and parses back to itself.
        #[test]
        fn random_answers_round_trip(kind in 0usize..10, seed in proptest::prelude::any::<u64>()) {
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
