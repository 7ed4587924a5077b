//! Property tests over the whole registry: every primitive is total on random valid values,
//! plus algebraic laws that tie primitives together.
//!
//! `PROPTEST_CASES` scales every property (default 256 cases each); the totality test runs
//! that many cases per primitive. `cargo test --release --test suite -- properties:: --nocapture`
//! prints how many random grids the totality test drew.

use crate::common;
use arc_solver::Grid;
use arc_solver::dsl::{Na, ParamTy, PrimDef, Ty, Value, registry};
use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence, RngSeed, TestCaseError, TestRunner};
use std::sync::atomic::{AtomicU64, Ordering};

/// Random grids drawn so far by the totality test.
static GRIDS_DRAWN: AtomicU64 = AtomicU64::new(0);

/// A random valid grid of any shape `1..=30 × 1..=30`: a palette of 1 to 10 colours, laid out
/// as noise, 2×2 blocks, a left-right mirror or a lattice of separator lines, so that the
/// structure-seeking primitives meet inputs they apply to.
fn grid() -> impl Strategy<Value = Grid> {
    grid_up_to(30)
}

/// A random side `1..=max`, half the time at most 6 (so that primitives whose output grows,
/// like `kron` or `upscale`, often get inputs they fit).
fn side(max: usize) -> impl Strategy<Value = usize> {
    prop_oneof![1..=max.min(6), 1..=max]
}

/// A random grid as [`grid`] makes, each side at most `max`.
fn grid_up_to(max: usize) -> impl Strategy<Value = Grid> {
    (side(max), side(max), 1u8..=10, 0u8..4).prop_flat_map(|(h, w, n_colors, layout)| {
        prop::collection::vec(0..n_colors, h * w).prop_map(move |cells| {
            GRIDS_DRAWN.fetch_add(1, Ordering::Relaxed);
            let at = |r: usize, c: usize| cells[r * w + c];
            let g = match layout {
                0 => Grid::from_fn(h, w, at),
                1 => Grid::from_fn(h, w, |r, c| at(r / 2, c / 2)),
                2 => Grid::from_fn(h, w, |r, c| at(r, c.min(w - 1 - c))),
                _ => Grid::from_fn(h, w, |r, c| if r % 4 == 3 || c % 4 == 3 { n_colors - 1 } else { at(r, c) }),
            };
            g.expect("shape is in range")
        })
    })
}

/// Several random grids of one shape (what combining primitives usually get).
fn same_shape_grids() -> impl Strategy<Value = Vec<Grid>> {
    (side(30), side(30), 1usize..=4).prop_flat_map(|(h, w, n)| {
        prop::collection::vec(prop::collection::vec(0u8..10, h * w), n).prop_map(move |parts| {
            GRIDS_DRAWN.fetch_add(parts.len() as u64, Ordering::Relaxed);
            parts.into_iter().map(|cells| Grid::from_cells(h, w, cells).expect("valid cells")).collect()
        })
    })
}

/// One to six parts drawn with repetition from a few same-shape grids (so that some parts
/// are equal, as `pick_common` and `pick_unique` need).
fn repeated_grids() -> impl Strategy<Value = Vec<Grid>> {
    (same_shape_grids(), prop::collection::vec(0usize..4, 1..=6))
        .prop_map(|(pool, picks)| picks.iter().map(|&i| pool[i % pool.len()].clone()).collect())
}

/// A random value of type `t`.
fn value(t: Ty) -> BoxedStrategy<Value> {
    match t {
        Ty::Grid => grid().prop_map(Value::Grid).boxed(),
        Ty::Grids => prop_oneof![same_shape_grids(), prop::collection::vec(grid(), 1..5), repeated_grids()]
            .prop_map(Value::Grids)
            .boxed(),
        Ty::Obj => {
            grid().prop_map(|g| Value::Obj(common::largest_blob(&g).unwrap_or_else(|| common::whole(&g)))).boxed()
        }
        Ty::Objs => grid().prop_map(|g| Value::Objs(common::blobs(&g))).boxed(),
        Ty::Int => (-5i64..40).prop_map(Value::Int).boxed(),
        Ty::Color => (0u8..10).prop_map(Value::Color).boxed(),
        // Parts as cut, and parts placed anywhere (past the grid, past a grid's reach).
        Ty::Parts => prop_oneof![
            grid().prop_map(|g| Value::Parts(common::blob_parts(&g))),
            (grid(), 0usize..40, 0usize..40, 0u8..10).prop_map(|(g, top, left, bg)| {
                let mut ps = common::blob_parts(&g);
                ps.items[0].top = top;
                ps.items[0].left = left;
                ps.items[0].cut.0 = left;
                ps.bg = bg;
                Value::Parts(ps)
            }),
        ]
        .boxed(),
    }
}

/// A random value of a parameter type.
fn param(t: ParamTy) -> BoxedStrategy<i8> {
    match t {
        ParamTy::Color | ParamTy::Paint => (0i8..10).boxed(),
        ParamTy::Int { min, max } => (min..=max).boxed(),
        ParamTy::Choice(names) => (0..names.len() as i8).boxed(),
    }
}

/// Applies `p` to random parameters and arguments and checks the result is valid or `Na`;
/// gives the number of cases where `p` applied (was not `Na`).
fn check_total(p: &PrimDef) -> Result<u32, String> {
    let params: Vec<_> = p.params.iter().map(|&t| param(t)).collect();
    let args: Vec<_> = p.args.iter().map(|&t| value(t)).collect();
    let applied = std::cell::Cell::new(0u32);
    let mut runner = TestRunner::new(config());
    runner
        .run(&(params, args), |(params, args)| {
            let refs: Vec<&Value> = args.iter().collect();
            match p.apply(&arc_solver::dsl::Ctx::plain(), &params, &refs) {
                Err(Na(_)) => Ok(()),
                Ok(v) if v.ty() == p.ret && common::is_valid(&v) => {
                    applied.set(applied.get() + 1);
                    Ok(())
                }
                Ok(v) => Err(TestCaseError::fail(format!("invalid result {}", common::render(&Ok(v))))),
            }
        })
        .map_err(|e| format!("{}: {e}", p.name))?;
    Ok(applied.get())
}

#[test]
fn every_primitive_is_total() {
    let start = std::time::Instant::now();
    let mut failures = Vec::new();
    let mut applied = Vec::new();
    for p in &registry().prims {
        match check_total(p) {
            Ok(n) => applied.push(format!("{}:{n}", p.name)),
            Err(e) => failures.push(e),
        }
    }
    eprintln!(
        "totality: {} primitives x {} cases, {} random grids, {:.1}s\ncases applied (not Na) per primitive: {}",
        registry().len(),
        Config::default().cases,
        GRIDS_DRAWN.load(Ordering::Relaxed),
        start.elapsed().as_secs_f64(),
        applied.join(" ")
    );
    assert!(failures.is_empty(), "primitives that are not total:\n{}", failures.join("\n"));
}

/// Applies a registry primitive by name.
fn apply(name: &str, params: &[i8], args: &[&Value]) -> Result<Value, Na> {
    registry().get(registry().id(name).unwrap_or_else(|| panic!("no primitive {name}"))).apply(&arc_solver::dsl::Ctx::plain(), params, args)
}

/// Applies a registry primitive by name to a grid, expecting a grid back.
fn ap(name: &str, params: &[i8], g: &Grid) -> Result<Grid, Na> {
    match apply(name, params, &[&Value::Grid(g.clone())])? {
        Value::Grid(out) => Ok(out),
        other => panic!("{name} gave a {}", other.ty().name()),
    }
}

/// An upscale factor `k` and a grid small enough to upscale by it.
fn factor_and_grid() -> impl Strategy<Value = (i8, Grid)> {
    (2i8..=5).prop_flat_map(|k| (Just(k), grid_up_to(30 / k as usize)))
}

/// Applies a chain of `(name, params)` left to right.
fn chain(g: &Grid, steps: &[(&str, &[i8])]) -> Result<Grid, Na> {
    steps.iter().try_fold(g.clone(), |acc, (name, params)| ap(name, params, &acc))
}

/// The proptest configuration: `PROPTEST_CASES` cases (default 256), a fixed seed unless
/// `PROPTEST_RNG_SEED` gives one (so a run is reproducible); shrunk failures are saved in
/// `proptest-regressions/properties.txt` and replayed first.
fn config() -> Config {
    let base = Config::default();
    let rng_seed = match base.rng_seed {
        RngSeed::Random => RngSeed::Fixed(20_241_125),
        seed => seed,
    };
    Config {
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct("proptest-regressions/properties.txt"))),
        source_file: Some(file!()),
        rng_seed,
        ..base
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn four_quarter_turns_are_identity(g in grid()) {
        prop_assert_eq!(chain(&g, &[("rot90", &[]), ("rot90", &[]), ("rot90", &[]), ("rot90", &[])]), Ok(g.clone()));
        prop_assert_eq!(chain(&g, &[("rot90", &[]), ("rot270", &[])]), Ok(g.clone()));
        prop_assert_eq!(chain(&g, &[("rot90", &[]), ("rot90", &[])]), ap("rot180", &[], &g));
    }

    #[test]
    fn mirrors_are_involutions(g in grid()) {
        for name in ["mirror_lr", "mirror_ud", "transpose", "antitranspose", "rot180"] {
            prop_assert_eq!(chain(&g, &[(name, &[]), (name, &[])]), Ok(g.clone()), "{}", name);
        }
    }

    #[test]
    fn transpose_is_quarter_turn_then_mirror(g in grid()) {
        prop_assert_eq!(chain(&g, &[("rot90", &[]), ("mirror_lr", &[])]), ap("transpose", &[], &g));
        prop_assert_eq!(chain(&g, &[("rot90", &[]), ("mirror_ud", &[])]), ap("antitranspose", &[], &g));
    }

    #[test]
    fn downscale_undoes_upscale((k, g) in factor_and_grid()) {
        prop_assert_eq!(chain(&g, &[("upscale", &[k]), ("downscale", &[k])]), Ok(g.clone()));
        prop_assert_eq!(chain(&g, &[("upscale", &[k]), ("downscale_any", &[k])]).is_ok(), true);
    }

    #[test]
    fn resize_crops_a_tiling_back(
        (ny, nx, g) in (1i8..=4, 1i8..=4)
            .prop_filter("a 1x1 tiling is the grid itself", |&n| n != (1, 1))
            .prop_flat_map(|(ny, nx)| (Just(ny), Just(nx), grid_up_to(30 / ny.max(nx) as usize)))
    ) {
        let back = chain(&g, &[("tile", &[ny, nx]), ("resize", &[g.h() as i8, g.w() as i8])]);
        prop_assert_eq!(back, Ok(g.clone()));
    }

    #[test]
    fn recolor_back_is_identity(g in grid(), (a, b) in (0i8..10, 1i8..10).prop_map(|(a, d)| (a, (a + d) % 10))) {
        // Make sure `b` is absent: its cells take `a`.
        let g = Grid::from_fn(g.h(), g.w(), |r, c| if g.get(r, c) == b as u8 { a as u8 } else { g.get(r, c) }).unwrap();
        prop_assert_eq!(chain(&g, &[("recolor", &[a, b]), ("recolor", &[b, a])]), Ok(g.clone()));
    }

    #[test]
    fn swap_and_invert_are_involutions(g in grid(), (a, b) in (0i8..9).prop_flat_map(|a| (Just(a), a + 1..10))) {
        prop_assert_eq!(chain(&g, &[("swap_colors", &[a, b]), ("swap_colors", &[a, b])]), Ok(g.clone()));
        if let Ok(inv) = ap("invert", &[], &g) {
            prop_assert_eq!(ap("invert", &[], &inv), Ok(g.clone()));
        }
    }

    #[test]
    fn trim_undoes_add_border(g in grid_up_to(28), c in 0i8..10) {
        prop_assert_eq!(chain(&g, &[("add_border", &[c]), ("trim", &[1])]), Ok(g.clone()));
    }

    #[test]
    fn half_undoes_mirror_extend(g in grid_up_to(15), d in 0i8..4) {
        // mirror_extend puts the mirror up, down, left, right; half takes top, bottom, left, right.
        let keep = [1i8, 0, 3, 2][d as usize];
        prop_assert_eq!(chain(&g, &[("mirror_extend", &[d]), ("half", &[keep])]), Ok(g.clone()));
    }

    #[test]
    fn roll_back_is_identity(g in grid(), d in 0i8..4, n in 1i8..=9) {
        let back = [1i8, 0, 3, 2][d as usize];
        if let Ok(rolled) = ap("roll", &[d, n], &g) {
            prop_assert_eq!(ap("roll", &[back, n], &rolled), Ok(g.clone()));
        }
    }

    #[test]
    fn cleanups_are_idempotent(g in grid(), s in 0i8..6) {
        let cleanups = [("crop", vec![]), ("dedupe", vec![]), ("drop_empty", vec![]), ("rank_colors", vec![])];
        for (name, params) in cleanups.into_iter().chain([("symmetrize", vec![s])]) {
            if let Ok(once) = ap(name, &params, &g) {
                prop_assert_eq!(ap(name, &params, &once), Ok(once.clone()), "{}", name);
            }
        }
    }

    #[test]
    fn splitting_and_joining_round_trips(g in grid(), n in 2usize..=4) {
        let input = Value::Grid(g.clone());
        if g.w() % n == 0 {
            let parts = apply("split_cols", &[n as i8], &[&input]).expect("width divides");
            prop_assert_eq!(apply("hcat", &[], &[&parts]), Ok(input.clone()));
        }
        if g.h() % n == 0 {
            let parts = apply("split_rows", &[n as i8], &[&input]).expect("height divides");
            prop_assert_eq!(apply("vcat", &[], &[&parts]), Ok(input.clone()));
        }
    }

    #[test]
    fn downscale_auto_undoes_upscale_of_irreducible_grids((k, g) in factor_and_grid()) {
        // Only when the grid itself has no repeated adjacent rows or columns is the block size k.
        let g = ap("dedupe", &[], &g).expect("dedupe applies to every grid");
        prop_assert_eq!(chain(&g, &[("upscale", &[k]), ("downscale_auto", &[])]), Ok(g.clone()));
    }

    #[test]
    fn unrepeat_tiles_back(g in grid()) {
        // Tile the grid by itself first, so that it often repeats.
        let g = ap("tile", &[2, 1], &g).or_else(|_| ap("tile", &[1, 2], &g)).unwrap_or(g);
        if let Ok(t) = ap("unrepeat", &[], &g) {
            prop_assert!(t.h() <= g.h() && t.w() <= g.w() && (t.h(), t.w()) != (g.h(), g.w()));
            let back = Grid::from_fn(g.h(), g.w(), |r, c| t.get(r % t.h(), c % t.w())).unwrap();
            prop_assert_eq!(back, g);
        }
    }

    #[test]
    fn fold_undoes_mirror_extend(g in grid_up_to(15), lr in any::<bool>()) {
        let (extend, fold) = if lr { (3i8, 0i8) } else { (1, 1) };
        prop_assert_eq!(chain(&g, &[("mirror_extend", &[extend]), ("fold", &[fold])]), Ok(g.clone()));
    }

    #[test]
    fn split_squares_then_join_round_trips(g in grid_up_to(10), n in 2i8..=3, across in any::<bool>()) {
        // A row (or column) of n squares made from the top-left square of g.
        let k = g.h().min(g.w());
        let square = Grid::from_fn(k, k, |r, c| g.get(r, c)).unwrap();
        let (ny, nx, join) = if across { (1, n, "hcat") } else { (n, 1, "vcat") };
        let strip = Value::Grid(ap("tile", &[ny, nx], &square).unwrap());
        let parts = apply("split_squares", &[], &[&strip]);
        prop_assert_eq!(parts.clone().map(|p| matches!(p, Value::Grids(ref v) if v.len() == n as usize)), Ok(true));
        prop_assert_eq!(apply(join, &[], &[&parts.unwrap()]), Ok(strip));
    }
}
