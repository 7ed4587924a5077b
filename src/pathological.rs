//! Pathological but valid tasks, for the memory and time checks of one solve.

use crate::grid::Grid;
use crate::task::{Pair, Task, TestPair};

/// Ten valid tasks at the edges of what ARC allows, for the memory and time checks of one solve
/// (`examples/pathological.rs`, `tests/trials/faults.rs`): 30×30 noise, 900 single-cell objects,
/// 1×1 → 30×30 and back, ten demonstrations of noise, five tests, a full palette, thin strips,
/// a checkerboard, and one colour everywhere. Deterministic.
pub fn tasks() -> Vec<Task> {
    let mut rng = crate::rng::Rng::new(17);
    let mut noise = |h: usize, w: usize| Grid::from_fn(h, w, |_, _| rng.below(10) as u8).expect("a valid grid");
    let singles = |r: usize, c: usize| ((r * 3 + c) % 9 + 1) as u8;
    let of = |id: &str, train: Vec<(Grid, Grid)>, test: Vec<Grid>| Task {
        id: id.to_string(),
        train: train.into_iter().map(|(input, output)| Pair { input, output }).collect(),
        test: test.into_iter().map(|input| TestPair { input, output: None }).collect(),
    };
    let full = |h: usize, w: usize, f: &dyn Fn(usize, usize) -> u8| Grid::from_fn(h, w, |r, c| f(r, c)).expect("a valid grid");
    vec![
        of("noise_30x30", (0..3).map(|_| (noise(30, 30), noise(30, 30))).collect(), vec![noise(30, 30)]),
        of(
            "single_cells_900",
            (0..3).map(|k| (full(30, 30, &|r, c| singles(r + k, c)), full(30, 30, &|r, c| singles(c, r + k)))).collect(),
            vec![full(30, 30, &|r, c| singles(r + 5, c))],
        ),
        of("grow_1x1_to_30x30", (1..4).map(|k| (full(1, 1, &|_, _| k), full(30, 30, &|_, _| k))).collect(), vec![full(1, 1, &|_, _| 7)]),
        of("shrink_30x30_to_1x1", (0..3).map(|_| (noise(30, 30), noise(1, 1))).collect(), vec![noise(30, 30)]),
        of("ten_demos_of_noise", (0..10).map(|_| (noise(30, 30), noise(30, 30))).collect(), vec![noise(30, 30)]),
        of("five_tests", (0..3).map(|_| (noise(30, 30), noise(30, 30))).collect(), (0..5).map(|_| noise(30, 30)).collect()),
        of(
            "full_palette",
            (0..3).map(|k| (full(30, 30, &|r, c| ((r + c + k) % 10) as u8), full(30, 30, &|r, c| ((r * c + k) % 10) as u8))).collect(),
            vec![full(30, 30, &|r, c| ((r + 2 * c) % 10) as u8)],
        ),
        of("strips_1x30_to_30x1", (0..3).map(|_| (noise(1, 30), noise(30, 1))).collect(), vec![noise(1, 30)]),
        of(
            "checkerboard_c4_singles",
            (1..4).map(|k| (full(30, 30, &|r, c| if (r + c) % 2 == 0 { k } else { 0 }), full(30, 30, &|r, c| if (r + c) % 2 == 1 { k } else { 0 }))).collect(),
            vec![full(30, 30, &|r, c| if (r + c) % 2 == 0 { 9 } else { 0 })],
        ),
        of("one_colour_to_noise", (1..4).map(|k| (full(30, 30, &|_, _| k), noise(30, 30))).collect(), vec![full(30, 30, &|_, _| 5)]),
    ]
}
