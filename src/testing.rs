//! Helpers for unit tests: grids and tasks written as text.

use crate::dsl::{Ctx, PrimDef, PrimResult, Ty, Value};
use crate::grid::Grid;
use crate::task::{Pair, Task, TestPair};

/// The grid that makes [`FAULTY`]'s primitive panic: 29 × 30, all 6 but a 3 in the top-left
/// and a 4 in the bottom-right corner (no other test reaches it by chance).
pub fn poison() -> Grid {
    Grid::from_fn(29, 30, |r, c| match (r, c) {
        (0, 0) => 3,
        (28, 29) => 4,
        _ => 6,
    })
    .expect("a valid grid")
}

fn panic_on_poison(_ctx: &Ctx, _: &[i8], a: &[&Value]) -> PrimResult {
    match a.first() {
        Some(Value::Grid(g)) if *g == poison() => panic!("test_panic: the poison grid"),
        Some(Value::Grid(g)) => Ok(Value::Grid(g.clone())),
        _ => Err(crate::dsl::Na("expected a grid")),
    }
}

/// Primitives that break the DSL's totality on purpose, registered in unit tests only (after
/// every real primitive): `test_panic` is the identity, except that it panics on [`poison`].
pub const FAULTY: &[PrimDef] = &[PrimDef {
    name: "test_panic",
    params: &[],
    args: &[Ty::Grid],
    ret: Ty::Grid,
    cost: 1,
    search: true,
    doc: "The identity, but a panic on the poison grid (unit tests only).",
    f: panic_on_poison,
}];

/// A grid from rows of digits separated by `/`, e.g. `"120/304"`.
pub fn grid(text: &str) -> Grid {
    let rows: Vec<Vec<i64>> = text.split('/').map(|r| r.bytes().map(|b| (b - b'0') as i64).collect()).collect();
    Grid::from_rows(&rows).expect("a valid grid text")
}

/// A task from demo pairs and one test input (with its expected output when `want` is given).
pub fn task(pairs: &[(&str, &str)], test: &str, want: Option<&str>) -> Task {
    Task {
        id: "text".into(),
        train: pairs.iter().map(|(i, o)| Pair { input: grid(i), output: grid(o) }).collect(),
        test: vec![TestPair { input: grid(test), output: want.map(grid) }],
    }
}
