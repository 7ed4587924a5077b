//! Throughput of the DSL primitives, per family, on 10×10 and 30×30 grids.
//!
//! One iteration applies every primitive of the family once (parameters: each type's first
//! value; colours 1 and 2); throughput is reported in primitive applications per second.
//! Run briefly: `cargo bench --bench primitives -- --warm-up-time 1 --measurement-time 2`.

#[path = "../tests/common/mod.rs"]
mod common;

use arc_solver::Grid;
use arc_solver::dsl::{
    ParamTy, PrimDef, Ty, Value, color, count, crop, fill, geom, gravity, object, pattern, scale, split, tile,
};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

/// The families to measure, by name (every table of the registry).
const FAMILIES: &[(&str, &[PrimDef])] = &[
    ("geom", geom::PRIMS),
    ("crop", crop::PRIMS),
    ("color", color::PRIMS),
    ("scale", scale::PRIMS),
    ("tile", tile::PRIMS),
    ("split", split::PRIMS),
    ("object", object::PRIMS),
    ("fill", fill::PRIMS),
    ("gravity", gravity::PRIMS),
    ("pattern", pattern::PRIMS),
    ("count", count::PRIMS),
];

/// A deterministic `n × n` grid: sparse objects of colours 1..=4 on 0, with a separator row
/// and column of 5 through the middle (a linear congruential sequence, fixed seed).
fn sample_grid(n: usize) -> Grid {
    let mut state: u32 = 12345;
    Grid::from_fn(n, n, |r, c| {
        state = state.wrapping_mul(1_103_515_245).wrapping_add(12345);
        if r == n / 2 || c == n / 2 {
            5
        } else if (state >> 16) % 3 == 0 {
            1 + ((state >> 20) % 4) as u8
        } else {
            0
        }
    })
    .expect("n is in 1..=30")
}

/// A prepared call: the primitive, its parameters and its arguments.
struct Call {
    prim: PrimDef,
    params: Vec<i8>,
    args: Vec<Value>,
}

fn prepare(p: &PrimDef, g: &Grid) -> Call {
    let mut colors = [1i8, 2].into_iter().cycle();
    let params = p
        .params
        .iter()
        .map(|t| match *t {
            ParamTy::Color | ParamTy::Paint => colors.next().unwrap_or(1),
            ParamTy::Int { min, .. } => min,
            ParamTy::Choice(_) => 0,
        })
        .collect();
    let args = p
        .args
        .iter()
        .map(|t| match t {
            Ty::Grid => Value::Grid(g.clone()),
            Ty::Grids => Value::Grids(common::halves(g)),
            Ty::Obj => Value::Obj(common::largest_blob(g).unwrap_or_else(|| common::whole(g))),
            Ty::Objs => Value::Objs(common::blobs(g)),
            Ty::Int => Value::Int(2),
            Ty::Color => Value::Color(1),
            Ty::Parts => Value::Parts(common::blob_parts(g)),
        })
        .collect();
    Call { prim: *p, params, args }
}

fn bench_families(c: &mut Criterion) {
    for n in [10, 30] {
        let g = sample_grid(n);
        let mut group = c.benchmark_group(format!("{n}x{n}"));
        for (family, prims) in FAMILIES {
            let calls: Vec<Call> = prims.iter().map(|p| prepare(p, &g)).collect();
            group.throughput(Throughput::Elements(calls.len() as u64));
            group.bench_function(*family, |b| {
                b.iter(|| {
                    for call in &calls {
                        let refs: Vec<&Value> = call.args.iter().collect();
                        let _ = black_box(call.prim.apply(&arc_solver::dsl::Ctx::plain(), black_box(&call.params), &refs));
                    }
                })
            });
        }
        group.finish();
    }
}

criterion_group!(benches, bench_families);
criterion_main!(benches);
