//! Helpers shared by the primitive test targets: sample values of every DSL type built from a
//! grid, and a readable rendering of primitive results.

#![allow(dead_code)]

use arc_solver::Grid;
use arc_solver::dsl::{Na, Obj, Part, Parts, Value};

/// The monochrome 4-connected blobs of non-zero cells, in row-major order of their first cell.
/// (A tiny test-side helper, independent of the object primitives.)
pub fn blobs(g: &Grid) -> Vec<Obj> {
    let (h, w) = g.shape();
    let mut seen = vec![false; h * w];
    let mut out = Vec::new();
    for start in 0..h * w {
        let color = g.cells()[start];
        if color == 0 || seen[start] {
            continue;
        }
        seen[start] = true;
        let mut cells = vec![start];
        let mut i = 0;
        while i < cells.len() {
            let (r, c) = (cells[i] / w, cells[i] % w);
            i += 1;
            let near = [(r.wrapping_sub(1), c), (r + 1, c), (r, c.wrapping_sub(1)), (r, c + 1)];
            for (nr, nc) in near {
                if nr < h && nc < w && !seen[nr * w + nc] && g.get(nr, nc) == color {
                    seen[nr * w + nc] = true;
                    cells.push(nr * w + nc);
                }
            }
        }
        let top = cells.iter().map(|&k| k / w).min().unwrap_or(0);
        let left = cells.iter().map(|&k| k % w).min().unwrap_or(0);
        let bh = cells.iter().map(|&k| k / w).max().unwrap_or(0) - top + 1;
        let bw = cells.iter().map(|&k| k % w).max().unwrap_or(0) - left + 1;
        let mut mask = vec![false; bh * bw];
        for &k in &cells {
            mask[(k / w - top) * bw + (k % w - left)] = true;
        }
        let grid =
            Grid::from_fn(bh, bw, |r, c| if mask[r * bw + c] { color } else { 0 }).expect("a blob fits its grid");
        out.push(Obj { top, left, grid, mask });
    }
    out
}

/// The largest blob (first in row-major order on ties), if any.
pub fn largest_blob(g: &Grid) -> Option<Obj> {
    let bs = blobs(g);
    let best = bs.iter().map(Obj::size).max()?;
    bs.into_iter().find(|b| b.size() == best)
}

/// The whole grid as one object (every cell a member).
pub fn whole(g: &Grid) -> Obj {
    Obj { top: 0, left: 0, grid: g.clone(), mask: vec![true; g.h() * g.w()] }
}

/// The blobs of a grid as parts that keep their place (see-through 0); the whole grid as one part
/// when it has none.
pub fn blob_parts(g: &Grid) -> Parts {
    let part = |top: usize, left: usize, grid: Grid| Part { top, left, cut: (top, left, grid.h(), grid.w()), grid };
    let mut items: Vec<Part> = blobs(g).into_iter().map(|o| part(o.top, o.left, o.grid)).collect();
    if items.is_empty() {
        items.push(part(0, 0, g.clone()));
    }
    Parts { h: g.h(), w: g.w(), bg: 0, items }
}

/// The left and right halves of a grid (an odd middle column left out), then the left half
/// again; a grid one cell wide gives itself twice.
pub fn halves(g: &Grid) -> Vec<Grid> {
    let (h, w) = g.shape();
    if w < 2 {
        return vec![g.clone(), g.clone()];
    }
    let half = w / 2;
    let left = Grid::from_fn(h, half, |r, c| g.get(r, c)).expect("half fits");
    let right = Grid::from_fn(h, half, |r, c| g.get(r, w - half + c)).expect("half fits");
    vec![left.clone(), right, left]
}

/// Renders an object: its position, then its box with non-member cells shown as `.`.
fn render_obj(o: &Obj) -> String {
    let mut s = format!("obj at ({}, {}), {} cells\n", o.top, o.left, o.size());
    for r in 0..o.grid.h() {
        for c in 0..o.grid.w() {
            s.push(if o.has(r, c) { (b'0' + o.grid.get(r, c)) as char } else { '.' });
        }
        s.push('\n');
    }
    s
}

/// A readable rendering of a primitive's result: grids as digit rows, lists numbered,
/// `Na(reason)` for not applicable.
pub fn render(v: &Result<Value, Na>) -> String {
    match v {
        Err(Na(why)) => format!("Na({why})\n"),
        Ok(Value::Grid(g)) => format!("grid {}x{}\n{}", g.h(), g.w(), g.to_text()),
        Ok(Value::Grids(gs)) => {
            let mut s = format!("{} grids\n", gs.len());
            for (i, g) in gs.iter().enumerate() {
                s += &format!("[{i}] {}x{}\n{}", g.h(), g.w(), g.to_text());
            }
            s
        }
        Ok(Value::Obj(o)) => render_obj(o),
        Ok(Value::Objs(os)) => {
            let mut s = format!("{} objs\n", os.len());
            for (i, o) in os.iter().enumerate() {
                s += &format!("[{i}] {}", render_obj(o));
            }
            s
        }
        Ok(Value::Parts(ps)) => {
            let mut s = format!("{} parts of {}x{}, see-through {}\n", ps.items.len(), ps.h, ps.w, ps.bg);
            for (i, p) in ps.items.iter().enumerate() {
                s += &format!("[{i}] at ({}, {}) cut from {:?}\n{}", p.top, p.left, p.cut, p.grid.to_text());
            }
            s
        }
        Ok(Value::Int(n)) => format!("int {n}\n"),
        Ok(Value::Color(c)) => format!("color {c}\n"),
    }
}

/// Whether a value is valid: grids are valid by construction, so lists must be non-empty
/// and objects must have a mask matching their box with at least one member.
pub fn is_valid(v: &Value) -> bool {
    let obj_ok = |o: &Obj| o.mask.len() == o.grid.h() * o.grid.w() && o.mask.iter().any(|&m| m);
    match v {
        Value::Grid(_) | Value::Int(_) => true,
        Value::Grids(gs) => !gs.is_empty(),
        Value::Obj(o) => obj_ok(o),
        Value::Objs(os) => os.iter().all(obj_ok),
        Value::Color(c) => *c < 10,
        Value::Parts(ps) => !ps.items.is_empty() && ps.bg < 10,
    }
}
