//! Shared helpers for the object, filling, gravity, pattern and counting families:
//! neighbourhoods, an object's colour, connected components and object painting. Argument access
//! is in [`super::args`], colour counting in [`super::color`].

use super::color::{histogram_of, majority_of};
use super::{Na, Obj, ParamTy, Value};
use crate::grid::{Color, Grid, MAX_SIDE};
use std::cell::RefCell;
use std::rc::Rc;

/// The four orthogonal steps (up, down, left, right).
pub(crate) const N4: [(i64, i64); 4] = [(-1, 0), (1, 0), (0, -1), (0, 1)];
/// The eight steps to the cells around a cell.
pub(crate) const N8: [(i64, i64); 8] = [(-1, 0), (1, 0), (0, -1), (0, 1), (-1, -1), (-1, 1), (1, -1), (1, 1)];

/// Connectivity choice: orthogonal (4) or with diagonals (8).
pub const CONN: ParamTy = ParamTy::Choice(&["c4", "c8"]);
/// Axis choice for row / column operations.
pub const AXES: ParamTy = ParamTy::Choice(&["h", "v", "hv"]);
/// The four directions, then the diagonals, then the unions: orthogonal, diagonal, all eight.
pub const RAY_DIRS: ParamTy = ParamTy::Choice(&[
    "up", "down", "left", "right", "up_left", "up_right", "down_left", "down_right", "orth", "diag", "all",
]);

/// The steps of a [`RAY_DIRS`] choice.
pub(crate) fn ray_steps(choice: i8) -> &'static [(i64, i64)] {
    match choice {
        0 => &N8[0..1],
        1 => &N8[1..2],
        2 => &N8[2..3],
        3 => &N8[3..4],
        4 => &N8[4..5],
        5 => &N8[5..6],
        6 => &N8[6..7],
        7 => &N8[7..8],
        8 => &N8[0..4],
        9 => &N8[4..8],
        _ => &N8,
    }
}

/// The most common colour among the masked cells of an object (ties to the lower colour).
pub(crate) fn obj_color(o: &Obj) -> Color {
    majority_of(&histogram_of(o.grid.cells().iter().zip(&o.mask).filter(|&(_, &m)| m).map(|(&c, _)| c)))
}

/// The cells of `g` not of colour `bg`, in reading order, as `(row, col, colour)`.
pub(crate) fn fg_cells(g: &Grid, bg: Color) -> impl Iterator<Item = (usize, usize, Color)> + '_ {
    (0..g.h()).flat_map(move |r| (0..g.w()).map(move |c| (r, c, g.get(r, c)))).filter(move |&(_, _, v)| v != bg)
}

/// A mutable copy of a grid's cells, turned back into a grid value by [`Canvas::finish`].
#[derive(Clone)]
pub(crate) struct Canvas {
    pub h: usize,
    pub w: usize,
    pub cells: Vec<Color>,
}

impl Canvas {
    /// A canvas holding a copy of `g`.
    pub fn of(g: &Grid) -> Canvas {
        Canvas { h: g.h(), w: g.w(), cells: g.cells().to_vec() }
    }

    /// A canvas of `h × w` cells, all `color`.
    pub fn filled(h: usize, w: usize, color: Color) -> Canvas {
        Canvas { h, w, cells: vec![color; h * w] }
    }

    /// The colour at a signed position, or `None` outside.
    #[inline]
    pub fn at(&self, r: i64, c: i64) -> Option<Color> {
        if r < 0 || c < 0 || r >= self.h as i64 || c >= self.w as i64 {
            None
        } else {
            Some(self.cells[r as usize * self.w + c as usize])
        }
    }

    /// Sets a cell when the signed position is inside.
    #[inline]
    pub fn put(&mut self, r: i64, c: i64, color: Color) {
        if r >= 0 && c >= 0 && (r as usize) < self.h && (c as usize) < self.w {
            self.cells[r as usize * self.w + c as usize] = color;
        }
    }

    /// Draws an object's member cells at its own position shifted by `(dr, dc)`.
    pub fn draw(&mut self, o: &Obj, dr: i64, dc: i64) {
        let w = o.grid.w();
        for (i, &c) in o.grid.cells().iter().enumerate() {
            if o.mask[i] {
                self.put((o.top + i / w) as i64 + dr, (o.left + i % w) as i64 + dc, c);
            }
        }
    }

    /// Sets an object's member cells (at its own position) to `color`.
    pub fn blank(&mut self, o: &Obj, color: Color) {
        let w = o.grid.w();
        for (i, &m) in o.mask.iter().enumerate() {
            if m {
                self.put((o.top + i / w) as i64, (o.left + i % w) as i64, color);
            }
        }
    }

    /// The finished grid value.
    pub fn finish(self) -> Result<Value, Na> {
        Grid::from_cells(self.h, self.w, self.cells).map(Value::Grid).map_err(|_| Na("result shape outside 1..=30"))
    }
}

/// Labels the connected regions of cells for which `same(a, b)` holds between neighbours and
/// `keep(cell)` holds, with 4- or 8-connectivity. Returns one list of flat indices per region,
/// in row-major order of each region's first cell.
pub(crate) fn regions(
    g: &Grid,
    conn8: bool,
    keep: impl Fn(Color) -> bool,
    same: impl Fn(Color, Color) -> bool,
) -> Vec<Vec<usize>> {
    let (h, w) = g.shape();
    let cells = g.cells();
    let steps: &[(i64, i64)] = if conn8 { &N8 } else { &N4 };
    let mut seen = [false; MAX_SIDE * MAX_SIDE];
    let mut out = Vec::new();
    let mut stack = Vec::with_capacity(64);
    for start in 0..h * w {
        if seen[start] || !keep(cells[start]) {
            continue;
        }
        seen[start] = true;
        stack.push(start);
        let mut region = Vec::new();
        while let Some(i) = stack.pop() {
            region.push(i);
            let (r, c) = ((i / w) as i64, (i % w) as i64);
            for &(dr, dc) in steps {
                let (nr, nc) = (r + dr, c + dc);
                if nr < 0 || nc < 0 || nr >= h as i64 || nc >= w as i64 {
                    continue;
                }
                let j = nr as usize * w + nc as usize;
                if !seen[j] && keep(cells[j]) && same(cells[i], cells[j]) {
                    seen[j] = true;
                    stack.push(j);
                }
            }
        }
        region.sort_unstable();
        out.push(region);
    }
    out
}

/// Builds an object from flat cell indices of `g`; cells of the box outside the object hold `bg`.
pub(crate) fn obj_from_cells(g: &Grid, cells: &[usize], bg: Color) -> Option<Obj> {
    let w = g.w();
    let (mut r0, mut c0, mut r1, mut c1) = (usize::MAX, usize::MAX, 0, 0);
    for &i in cells {
        let (r, c) = (i / w, i % w);
        r0 = r0.min(r);
        c0 = c0.min(c);
        r1 = r1.max(r);
        c1 = c1.max(c);
    }
    if cells.is_empty() {
        return None;
    }
    let (bh, bw) = (r1 - r0 + 1, c1 - c0 + 1);
    let mut mask = vec![false; bh * bw];
    let mut box_cells = vec![bg; bh * bw];
    for &i in cells {
        let k = (i / w - r0) * bw + (i % w - c0);
        mask[k] = true;
        box_cells[k] = g.cells()[i];
    }
    let grid = Grid::from_cells(bh, bw, box_cells).ok()?;
    Some(Obj { top: r0, left: c0, grid, mask })
}

/// Connected components of the non-background cells: single-colour (`multi = false`) or
/// any non-background colours together, 4- or 8-connected.
///
/// Shared, not recomputed: the search applies many moves (and parameter settings) to the same
/// grid one after another, and most of them start from the same components, so the last
/// [`COMPONENTS_CACHED`] results of each thread are kept, keyed by the grid's contents and the
/// arguments (a pure function's cache: results are the same with or without it). It is
/// per thread rather than in [`super::Ctx`], which is a plain value (`Copy`, compared, hashed)
/// and which some callers (the learners) do not have.
pub(crate) fn components(g: &Grid, conn8: bool, multi: bool, bg: Color) -> Rc<[Obj]> {
    let key = (grid_key(g), conn8, multi, bg);
    COMPONENTS.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some((_, _, objs)) = cache.entries.iter().find(|(k, grid, _)| *k == key && grid == g) {
            return objs.clone();
        }
        let objs: Rc<[Obj]> = regions(g, conn8, |c| c != bg, |a, b| multi || a == b)
            .iter()
            .filter_map(|cells| obj_from_cells(g, cells, bg))
            .collect();
        let entry = (key, g.clone(), objs.clone());
        if cache.entries.len() < COMPONENTS_CACHED {
            cache.entries.push(entry);
        } else {
            let next = cache.next;
            cache.entries[next] = entry;
        }
        cache.next = (cache.next + 1) % COMPONENTS_CACHED;
        objs
    })
}

/// How many results [`components`] keeps per thread (a state's grids on all examples, in each
/// connectivity and colour mode, fit).
const COMPONENTS_CACHED: usize = 64;

/// The per-thread cache of [`components`]: entries replaced round-robin.
#[derive(Default)]
struct ComponentsCache {
    entries: Vec<((u64, bool, bool, Color), Grid, Rc<[Obj]>)>,
    next: usize,
}

thread_local! {
    static COMPONENTS: RefCell<ComponentsCache> = RefCell::default();
}

/// A fast hash of a grid's shape and cells (a cache key; equality is still checked).
fn grid_key(g: &Grid) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mut h = ((g.h() as u64) << 8 | g.w() as u64).wrapping_mul(K);
    let cells = g.cells();
    let mut chunks = cells.chunks_exact(8);
    for c in &mut chunks {
        let word = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        h = (h.rotate_left(5) ^ word).wrapping_mul(K);
    }
    for &c in chunks.remainder() {
        h = (h.rotate_left(5) ^ c as u64).wrapping_mul(K);
    }
    h
}

/// The cells of `g` equal to `color` that cannot reach the border through such cells
/// (4-connected): the enclosed pockets of that colour.
pub(crate) fn enclosed(g: &Grid, color: Color) -> Vec<bool> {
    let (h, w) = g.shape();
    let mut out = vec![false; h * w];
    for region in regions(g, false, |c| c == color, |_, _| true) {
        let touches = region.iter().any(|&i| i / w == 0 || i / w == h - 1 || i % w == 0 || i % w == w - 1);
        if !touches {
            for i in region {
                out[i] = true;
            }
        }
    }
    out
}

/// The background cells inside an object's box that the outside of the box cannot reach
/// (4-connected through non-member cells): the object's holes, as a box-sized mask.
pub(crate) fn holes(o: &Obj) -> Vec<bool> {
    let (h, w) = o.grid.shape();
    let mut outside = vec![false; h * w];
    let mut stack: Vec<usize> = (0..h * w)
        .filter(|&i| !o.mask[i] && (i / w == 0 || i / w == h - 1 || i % w == 0 || i % w == w - 1))
        .collect();
    for &i in &stack {
        outside[i] = true;
    }
    while let Some(i) = stack.pop() {
        let (r, c) = ((i / w) as i64, (i % w) as i64);
        for &(dr, dc) in &N4 {
            let (nr, nc) = (r + dr, c + dc);
            if nr < 0 || nc < 0 || nr >= h as i64 || nc >= w as i64 {
                continue;
            }
            let j = nr as usize * w + nc as usize;
            if !o.mask[j] && !outside[j] {
                outside[j] = true;
                stack.push(j);
            }
        }
    }
    (0..h * w).map(|i| !o.mask[i] && !outside[i]).collect()
}

/// An object's shape: box size and membership mask, colours ignored.
pub(crate) fn shape_key(o: &Obj) -> (usize, usize, &[bool]) {
    (o.grid.h(), o.grid.w(), &o.mask)
}

/// An object's look: box size, mask and member colours (position ignored).
pub(crate) fn look_key(o: &Obj) -> (usize, usize, Vec<Option<Color>>) {
    let cells = o.grid.cells().iter().zip(&o.mask).map(|(&c, &m)| m.then_some(c)).collect();
    (o.grid.h(), o.grid.w(), cells)
}

/// Helpers for the families' unit tests.
#[cfg(test)]
pub(crate) mod testing {
    use crate::grid::Grid;
    use crate::program::Program;

    /// A grid from rows of digits.
    pub fn g(rows: &[&str]) -> Grid {
        let rows: Vec<Vec<i64>> = rows.iter().map(|r| r.bytes().map(|b| (b - b'0') as i64).collect()).collect();
        Grid::from_rows(&rows).unwrap()
    }

    /// Runs a program text on a grid: the result as digits, or the error as text.
    pub fn try_run(prog: &str, x: &Grid) -> Result<String, String> {
        prog.parse::<Program>().unwrap().run(&crate::dsl::Ctx::plain(), x).map(|g| g.to_text()).map_err(|e| e.to_string())
    }

    /// Runs a program text that must give a grid.
    pub fn run(prog: &str, x: &Grid) -> String {
        try_run(prog, x).unwrap()
    }
}

#[cfg(test)]
mod tests {
    use super::testing::{g, run};
    use super::*;

    #[test]
    fn components_by_connectivity_and_colour() {
        let x = g(&["1100", "0120", "0002", "3000"]);
        assert_eq!(components(&x, false, false, 0).len(), 4);
        // 8-connectivity joins the 2s diagonally; multi-colour joins the 1s and the 2s.
        assert_eq!(components(&x, true, false, 0).len(), 3);
        let multi = components(&x, true, true, 0);
        assert_eq!(multi.len(), 2);
        assert_eq!(multi[0].size(), 5);
        assert_eq!((multi[0].top, multi[0].left, multi[0].grid.shape()), (0, 0, (3, 4)));
        assert_eq!(multi[0].grid.to_text(), "1100\n0120\n0002\n");
        assert_eq!(multi[1].grid.to_text(), "3\n");
    }

    #[test]
    fn components_cache_keys_on_contents_and_arguments() {
        let x = g(&["1100", "0120", "0002", "3000"]);
        let y = g(&["1100", "0120", "0002", "3003"]);
        for _ in 0..2 {
            assert_eq!(components(&x, false, false, 0).len(), 4);
            assert_eq!(components(&y, false, false, 0).len(), 5);
            assert_eq!(components(&x, true, true, 0).len(), 2);
            assert_eq!(components(&x, false, false, 1).len(), 5);
        }
        // Past the cache's size old entries are replaced, never confused.
        for k in 0..2 * COMPONENTS_CACHED {
            let z = Grid::from_fn(1, 1 + k % 30, |_, c| (c % 2) as u8).unwrap();
            assert_eq!(components(&z, false, false, 0).len(), (1 + k % 30) / 2);
        }
        assert_eq!(components(&x, false, false, 0).len(), 4);
    }

    #[test]
    fn enclosed_and_holes() {
        let x = g(&["0000", "0110", "0101", "0110", "0000"]);
        let e = enclosed(&x, 0);
        assert!(e[2 * 4 + 2]);
        assert_eq!(e.iter().filter(|&&b| b).count(), 1);
        let o = &components(&x, true, false, 0)[0];
        assert_eq!(holes(o).iter().filter(|&&b| b).count(), 1);
        assert_eq!(crate::dsl::Ctx::plain().bg(&x), 0);
    }

    #[test]
    fn task_background_reads_a_crowded_test_grid_like_the_demos() {
        use crate::task::{Pair, Task, TestPair};
        // Demos: a 0 background with one 5-rectangle each; the test: rectangles cover most of it.
        let pair = |i: &[&str]| Pair { input: g(i), output: g(i) };
        let test = g(&["555550", "555550", "555550", "555550", "555550", "000000"]);
        let mut task = Task {
            id: "crowded".into(),
            train: vec![pair(&["0000", "0550", "0550", "0000"]), pair(&["5500", "5500", "0000", "0000"])],
            test: vec![TestPair { input: test.clone(), output: None }],
        };
        assert_eq!(crate::dsl::task_background(&task), Some(0));
        // Read plainly, 5 is the test grid's background and nothing is inside a shape.
        assert!(!run("(interior 2 input)", &test).contains('2'));
        let ctx = crate::dsl::Ctx::for_task(&task);
        let prog: crate::program::Program = "(interior 2 input)".parse().unwrap();
        let inside = prog.run(&ctx, &test).unwrap().to_text();
        assert_eq!(inside.lines().nth(2), Some("522250"), "{inside}");
        assert_eq!(ctx.bg(&test), 0);
        // The plain context reads the grid on its own; and no setting when the test reads like
        // the demos.
        assert_eq!(crate::dsl::Ctx::plain().bg(&test), 5);
        task.test[0].input = g(&["0000", "0550", "0000", "0000"]);
        assert_eq!(crate::dsl::task_background(&task), None);
    }
}
