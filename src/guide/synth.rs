//! Synthetic tasks for training the guide: random well-typed programs from the registry
//! applied to input grids drawn from the ARC-AGI-1 TRAINING set (and simple generated grids).
//! Deterministic by seed. A task is kept only when its outputs are valid, not the inputs, not
//! constant, and not all alike.

use crate::dsl::{Ctx, ParamTy, PrimDef, PrimId, Ty, registry};
use crate::grid::{Color, Grid};
use crate::program::Expr;
use crate::rng::Rng;
use crate::task::{Pair, Task};

/// Input grids grouped by the task they come from (grids of one task share structure, so a
/// program that applies to one tends to apply to the others).
#[derive(Debug, Clone, Default)]
pub struct InputPool {
    pub groups: Vec<Vec<Grid>>,
    /// The context programs run in on these grids (a task's, for test-time training).
    pub ctx: Ctx,
}

impl InputPool {
    /// Every demo and test input of the given tasks, one group per task.
    pub fn from_tasks(tasks: &[Task]) -> InputPool {
        InputPool {
            groups: tasks
                .iter()
                .map(|t| t.train.iter().map(|p| p.input.clone()).chain(t.test.iter().map(|p| p.input.clone())).collect())
                .collect(),
            ctx: Ctx::plain(),
        }
    }
}

/// A synthetic task: demos made by a known program.
#[derive(Debug, Clone)]
pub struct SynthTask {
    pub program: Expr,
    pub pairs: Vec<Pair>,
    /// The distinct primitives the program uses (the guide's labels), sorted.
    pub labels: Vec<PrimId>,
}

/// A simple generated grid: a background with a few rectangles and scattered cells.
pub fn random_grid(rng: &mut Rng) -> Grid {
    let (h, w) = (rng.range(3, 16), rng.range(3, 16));
    let bg = if rng.chance(0.8) { 0 } else { rng.below(10) as Color };
    let mut g = Grid::new(h, w, bg).expect("3..=15 sides are valid");
    for _ in 0..rng.range(1, 4) {
        let c = rng.range(1, 9) as Color;
        let (r0, c0) = (rng.below(h), rng.below(w));
        let (rh, rw) = (rng.range(1, 4.min(h - r0)), rng.range(1, 4.min(w - c0)));
        for r in r0..r0 + rh {
            for cc in c0..c0 + rw {
                g.set(r, cc, c);
            }
        }
    }
    for _ in 0..rng.below(4) {
        g.set(rng.below(h), rng.below(w), rng.range(1, 9) as Color);
    }
    g
}

/// A random value for a parameter; colours are drawn from `palette` when it is not empty.
fn random_param(rng: &mut Rng, t: &ParamTy, palette: &[Color]) -> i8 {
    match t {
        ParamTy::Color | ParamTy::Paint if !palette.is_empty() && rng.chance(0.9) => *rng.pick(palette).expect("non-empty") as i8,
        _ => *rng.pick(&t.values()).unwrap_or(&0),
    }
}

/// A random expression of type `want` using at most `*budget` primitives (decremented).
pub(crate) fn random_expr(rng: &mut Rng, want: Ty, budget: &mut usize, palette: &[Color], first: bool) -> Option<Expr> {
    if want == Ty::Grid && !first && (*budget == 0 || rng.chance(0.3)) {
        return Some(Expr::Input);
    }
    if *budget == 0 {
        return None;
    }
    let reg = registry();
    let candidates: Vec<(usize, &PrimDef)> = reg.prims.iter().enumerate().filter(|(_, p)| p.search && p.ret == want).collect();
    let &(id, def) = rng.pick(&candidates)?;
    *budget -= 1;
    let params = def.params.iter().map(|t| random_param(rng, t, palette)).collect();
    let mut args = Vec::with_capacity(def.args.len());
    for (i, &t) in def.args.iter().enumerate() {
        // Extra grid arguments are usually the input itself.
        if i > 0 && t == Ty::Grid && rng.chance(0.6) {
            args.push(Expr::Input);
        } else {
            args.push(random_expr(rng, t, budget, palette, false)?);
        }
    }
    Some(Expr::Call { prim: id as PrimId, params, args })
}

/// Samples one synthetic task, or `None` when this draw gave nothing usable (callers retry).
pub fn sample_task(rng: &mut Rng, pool: &InputPool, max_prims: usize) -> Option<SynthTask> {
    let n_pairs = rng.range(3, 5);
    let mut inputs: Vec<Grid> = if pool.groups.is_empty() || rng.chance(0.15) {
        (0..n_pairs).map(|_| random_grid(rng)).collect()
    } else {
        let group = rng.pick(&pool.groups)?;
        let mut g = group.clone();
        for i in (1..g.len()).rev() {
            g.swap(i, rng.below(i + 1));
        }
        g.truncate(n_pairs);
        g
    };
    while inputs.len() < 3 {
        inputs.push(random_grid(rng));
    }
    let mut palette: Vec<Color> = inputs.iter().flat_map(|g| g.cells().iter().copied()).collect();
    palette.sort_unstable();
    palette.dedup();
    let mut budget = rng.range(1, max_prims);
    let program = random_expr(rng, Ty::Grid, &mut budget, &palette, true)?;
    let mut pairs = Vec::with_capacity(inputs.len());
    for input in inputs {
        let output = program.run(&pool.ctx, &input).ok()?;
        pairs.push(Pair { input, output });
    }
    let unchanged = pairs.iter().filter(|p| p.input == p.output).count();
    let constant = pairs.iter().all(|p| p.output.histogram().iter().filter(|&&n| n > 0).count() == 1);
    let alike = pairs.windows(2).all(|w| w[0].output == w[1].output);
    if unchanged * 2 > pairs.len() || constant || alike {
        return None;
    }
    let program = canonicalize(&pool.ctx, simplify(&pool.ctx, program, &pairs), &pairs);
    let mut labels = program.prims();
    labels.sort_unstable();
    labels.dedup();
    Some(SynthTask { program, pairs, labels })
}

/// `program` without the calls that do nothing on these pairs (e.g. recolouring an absent
/// colour, cropping a grid to itself): each such call is replaced by its grid argument while
/// every pair's output stays the same. What is left is what the task needs, so only its
/// primitives become labels (a no-op call is not visible in the data and cannot be learnt).
pub fn simplify(ctx: &Ctx, program: Expr, pairs: &[Pair]) -> Expr {
    let mut program = program;
    while let Some(shorter) = program.without_one_call()
        .into_iter()
        .find(|v| pairs.iter().all(|p| v.run(ctx, &p.input).is_ok_and(|o| o == p.output)))
    {
        program = shorter;
    }
    program
}

/// For each primitive, the ones a call to it may be replaced by when canonicalising: search
/// primitives with the same argument and result types that come first in the search's order
/// (lower cost, then lower id), each with all its parameter settings (at most 100).
fn earlier_alternatives() -> &'static [Vec<(PrimId, Vec<Vec<i8>>)>] {
    static ALT: std::sync::OnceLock<Vec<Vec<(PrimId, Vec<Vec<i8>>)>>> = std::sync::OnceLock::new();
    ALT.get_or_init(|| {
        let reg = registry();
        let key = |i: usize| (reg.prims[i].cost, i);
        (0..reg.prims.len())
            .map(|i| {
                let d = &reg.prims[i];
                let mut alts: Vec<usize> = (0..reg.prims.len())
                    .filter(|&j| {
                        let e = &reg.prims[j];
                        e.search && key(j) < key(i) && e.args == d.args && e.ret == d.ret && e.param_settings().len() <= 100
                    })
                    .collect();
                alts.sort_by_key(|&j| key(j));
                alts.into_iter().map(|j| (j as PrimId, reg.prims[j].param_settings())).collect()
            })
            .collect()
    })
}

/// `program` with each call replaced, while every pair's output stays the same, by the
/// earliest primitive in the search's order that does the same on these pairs (e.g. `unrepeat`
/// by `quadrant` when the inputs are 2x2 repetitions). The data cannot tell such primitives
/// apart, so the label is the one the search would try first rather than a coin toss between
/// equals.
pub fn canonicalize(ctx: &Ctx, program: Expr, pairs: &[Pair]) -> Expr {
    let mut program = program;
    'again: loop {
        for path in program.call_paths() {
            let Expr::Call { prim, .. } = program.node_at(&path) else { continue };
            for (q, settings) in &earlier_alternatives()[*prim as usize] {
                for params in settings {
                    let v = program.with_call(&path, *q, params);
                    if pairs.iter().all(|p| v.run(ctx, &p.input).is_ok_and(|o| o == p.output)) {
                        program = v;
                        continue 'again;
                    }
                }
            }
        }
        return program;
    }
}

/// Whether a program belongs to the held-out validation split (by a hash of its text, so the
/// same program never appears on both sides).
pub fn is_validation(program: &Expr) -> bool {
    let text = program.to_string();
    let h = text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ b as u64).wrapping_mul(0x100_0000_01b3));
    h % 10 == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simplify_drops_calls_that_do_nothing() {
        let parse = |t: &str| t.parse::<crate::program::Program>().unwrap().0;
        let flip = parse("(mirror_lr input)");
        let pairs: Vec<Pair> = [vec![vec![1u8, 0], vec![0, 0]], vec![vec![0, 2], vec![3, 0]]]
            .iter()
            .map(|rows| Grid::from_rows(rows).unwrap())
            .map(|input| Pair { output: flip.run(&Ctx::plain(), &input).unwrap(), input })
            .collect();
        // Recolouring 5 (absent from every input) does nothing; the mirror is needed.
        assert_eq!(simplify(&Ctx::plain(), parse("(mirror_lr (recolor 5 7 input))"), &pairs), flip);
        assert_eq!(simplify(&Ctx::plain(), parse("(recolor 5 7 (mirror_lr input))"), &pairs), flip);
        assert_eq!(simplify(&Ctx::plain(), flip.clone(), &pairs), flip);
    }

    #[test]
    fn canonicalize_picks_the_earliest_equal_primitive() {
        let parse = |t: &str| t.parse::<crate::program::Program>().unwrap().0;
        // Inputs symmetric up-down: a left-right mirror is also a half turn, which the search
        // tries first (same cost, lower id), so it becomes the label.
        let pairs_of = |program: &Expr| -> Vec<Pair> {
            [vec![vec![1u8, 2, 0], vec![1, 2, 0]], vec![vec![3, 0], vec![0, 4], vec![3, 0]]]
                .iter()
                .map(|rows| Grid::from_rows(rows).unwrap())
                .map(|input| Pair { output: program.run(&Ctx::plain(), &input).unwrap(), input })
                .collect()
        };
        let mirror = parse("(mirror_lr input)");
        let pairs = pairs_of(&mirror);
        assert_eq!(canonicalize(&Ctx::plain(), mirror, &pairs), parse("(rot180 input)"));
        // Inner calls too; and a program with nothing earlier is left as it is.
        let nested = parse("(mirror_lr (mirror_lr input))");
        assert_eq!(canonicalize(&Ctx::plain(), nested.clone(), &pairs_of(&nested)), parse("(rot180 (rot180 input))"));
        let turn = parse("(rot90 input)");
        assert_eq!(canonicalize(&Ctx::plain(), turn.clone(), &pairs_of(&turn)), turn);
    }

    #[test]
    fn deterministic_and_valid() {
        let pool = InputPool::default();
        let draw = |seed| {
            let mut rng = Rng::new(seed);
            (0..200).filter_map(|_| sample_task(&mut rng, &pool, 3)).map(|t| t.program.to_string()).collect::<Vec<_>>()
        };
        let a = draw(7);
        assert_eq!(a, draw(7));
        assert!(!a.is_empty(), "some draws must succeed");
        let mut rng = Rng::new(1);
        for _ in 0..100 {
            if let Some(t) = sample_task(&mut rng, &pool, 3) {
                assert!(!t.labels.is_empty());
                for p in &t.pairs {
                    assert_eq!(t.program.run(&Ctx::plain(), &p.input).unwrap(), p.output);
                }
            }
        }
    }
}
