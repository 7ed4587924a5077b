//! Composition of partial pieces (icecuber's idea): shape-right states that are right wherever
//! they paint are stacked until together they cover every demo output.
//!
//! Layers stack first painter wins (the top layer paints a cell first), and each layer paints
//! in one of three modes (icecuber's): its piece's foreground cells, its background cells
//! (clearing what lies under them) or all its cells. A piece need only be right on the cells no
//! layer above it paints, so a piece wrong somewhere can go under one that covers its mistake. A
//! greedy cover (the piece adding most still-uncovered cells, the first found on ties) finds
//! short stacks of at most `MAX_LAYERS`. The canvas is the background or one of the best
//! partial candidates: the layers then only have to cover the cells it gets wrong.
//!
//! A stack is an answer's `layers` form ([`crate::answer::layers`]): its test grids are made by
//! the same [`stack`] that replays it.

use super::engine::Enumeration;
use super::guide::STEPS;
use super::rank::Prediction;
use super::state::expr_of;
use crate::answer::Answer;
use crate::answer::layers::{Layer, Paints, stack};
use crate::dsl::color::background;
use crate::program::Program;
use crate::grid::{Color, Grid};

/// Most layers in a stack (a stack of more layers than demos is a weak fit).
const MAX_LAYERS: usize = 10;

/// The modes a layer may paint in.
const MODES: [Paints; 3] = [Paints::Foreground, Paints::Background, Paints::All];

/// A set of demo cells (all demos' output cells, concatenated).
#[derive(Clone, PartialEq, Eq, Hash)]
struct Cells(Vec<u64>);

impl Cells {
    fn new(n: usize) -> Cells {
        Cells(vec![0; n.div_ceil(64)])
    }

    fn insert(&mut self, i: usize) {
        self.0[i / 64] |= 1 << (i % 64);
    }

    fn count_new(&self, covered: &Cells) -> u32 {
        self.0.iter().zip(&covered.0).map(|(a, b)| (a & !b).count_ones()).sum()
    }

    /// Cells of `self` that are in `need` and not yet `covered`.
    fn intersect_count_new(&self, need: &Cells, covered: &Cells) -> u32 {
        self.0.iter().zip(&need.0).zip(&covered.0).map(|((a, n), c)| (a & n & !c).count_ones()).sum()
    }

    fn is_empty(&self) -> bool {
        self.0.iter().all(|&w| w == 0)
    }

    /// Whether every cell of `self` is in `other`.
    fn within(&self, other: &Cells) -> bool {
        self.0.iter().zip(&other.0).all(|(a, b)| a & !b == 0)
    }

    /// The cells of the first `total` not in `self`.
    fn complement(&self, total: usize) -> Cells {
        let mut out = Cells(self.0.iter().map(|w| !w).collect());
        if !total.is_multiple_of(64)
            && let Some(last) = out.0.last_mut()
        {
            *last &= (1u64 << (total % 64)) - 1;
        }
        out
    }

    fn and(&self, other: &Cells) -> Cells {
        Cells(self.0.iter().zip(&other.0).map(|(a, b)| a & b).collect())
    }

    fn union(&mut self, other: &Cells) {
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a |= b;
        }
    }
}

/// The demo grids of a state, when it has one per demo output with the same shape.
fn demo_grids<'a>(en: &'a Enumeration, id: u32, outputs: &[&Grid]) -> Option<Vec<&'a Grid>> {
    let grids: Option<Vec<&Grid>> = en.nodes[id as usize].demos(en.n_train).iter().map(|v| v.as_grid()).collect();
    grids.filter(|gs| gs.iter().zip(outputs).all(|(g, o)| g.shape() == o.shape()))
}

/// The cells where `grids` differ from `outputs` (when `wrong`) or where `grids` are not
/// background (otherwise).
fn cells_where(grids: &[&Grid], outputs: &[&Grid], total: usize, bg: Color, wrong: bool) -> Cells {
    let mut set = Cells::new(total);
    let mut at = 0;
    for (g, want) in grids.iter().zip(outputs) {
        for (i, (&a, &b)) in g.cells().iter().zip(want.cells()).enumerate() {
            if if wrong { a != b } else { a != bg } {
                set.insert(at + i);
            }
        }
        at += want.cells().len();
    }
    set
}

/// A piece: a state's id, the mode it paints in, the demo cells it paints and those of them it
/// gets wrong.
struct Piece {
    id: u32,
    /// Its place among the enumeration's pieces (cheapest first).
    at: usize,
    mode: Paints,
    paints: Cells,
    wrong: Cells,
}

/// Predictions made by stacking pieces, on a background canvas or on a partial candidate (the
/// pieces then repair the cells it gets wrong); empty when no stack reproduces every demo. Per
/// canvas a cover is sought among all pieces and among the cheapest `COVER_PREFIXES`, each
/// distinct cover a prediction.
pub fn overlays(en: &Enumeration) -> Vec<Prediction> {
    if en.pieces.is_empty() {
        return Vec::new();
    }
    let outputs: Vec<&Grid> = en.targets.iter().collect();
    let bg = background(&outputs);
    let total: usize = outputs.iter().map(|g| g.cells().len()).sum();
    // Each usable piece in each mode with the cells it paints, in the order found (cheapest
    // first); a piece with the same cells as an earlier one in its mode adds nothing.
    let mut pieces: Vec<Piece> = Vec::new();
    let mut seen: std::collections::HashSet<(Paints, Cells, Cells)> = std::collections::HashSet::new();
    let every = Cells::new(total).complement(total);
    for (at, &id) in en.pieces.iter().enumerate() {
        let Some(grids) = demo_grids(en, id, &outputs) else { continue };
        let fg = cells_where(&grids, &outputs, total, bg, false);
        let wrong_all = cells_where(&grids, &outputs, total, bg, true);
        for mode in MODES {
            let paints = match mode {
                Paints::Foreground => fg.clone(),
                Paints::Background => fg.complement(total),
                Paints::All => every.clone(),
            };
            if paints.is_empty() {
                continue;
            }
            let wrong = wrong_all.and(&paints);
            if seen.insert((mode, paints.clone(), wrong.clone())) {
                pieces.push(Piece { id, at, mode, paints, wrong });
            }
        }
    }
    // Covers are also sought among the cheapest pieces only: with many pieces the greedy choice
    // can spend its layers on large pieces that lead nowhere, and a cover a smaller search finds
    // is then kept by a larger one.
    let mut ends: Vec<usize> = COVER_PREFIXES.iter().map(|&n| pieces.partition_point(|p| p.at < n)).collect();
    ends.push(pieces.len());
    ends.dedup();
    ends.retain(|&e| e > 0);
    let bg_targets: Vec<Grid> = outputs.iter().filter_map(|o| Grid::new(o.h(), o.w(), bg).ok()).collect();
    let mut preds = Vec::new();
    for base in std::iter::once(None).chain(en.partials.iter().map(|p| Some(p.node))) {
        // The cells to paint: those the base gets wrong (on a blank canvas, every non-background one).
        let need = match base {
            None => cells_where(&bg_targets.iter().collect::<Vec<_>>(), &outputs, total, bg, true),
            Some(id) => match demo_grids(en, id, &outputs) {
                Some(grids) => cells_where(&grids, &outputs, total, bg, true),
                None => continue,
            },
        };
        if need.is_empty() {
            // A base right everywhere is an exact solution, found by the enumeration itself
            // (a finished fit is a partial candidate too); a stack of no pieces says nothing.
            continue;
        }
        let mut covers: Vec<Vec<usize>> = Vec::new();
        for &end in &ends {
            if let Some(c) = greedy_cover(&pieces[..end], &need, total, MAX_LAYERS)
                && !covers.contains(&c)
            {
                covers.push(c);
            }
        }
        for chosen in covers {
            if chosen.len() < 2 && base.is_none() {
                // One piece alone would be an exact solution, found by the enumeration itself.
                continue;
            }
            // The first painter is the top layer.
            let layers: Vec<&Piece> = chosen.into_iter().rev().map(|i| &pieces[i]).collect();
            let n_tests = en.nodes[0].vals.len() - en.n_train;
            let tests: Option<Vec<Grid>> = (0..n_tests)
                .map(|t| {
                    let grids: Option<Vec<(&Grid, Paints)>> =
                        layers.iter().map(|p| Some((en.nodes[p.id as usize].vals[en.n_train + t].as_grid()?, p.mode))).collect();
                    let base_grid = match base {
                        Some(id) => Some(en.nodes[id as usize].vals[en.n_train + t].as_grid()?),
                        None => None,
                    };
                    stack(base_grid, &grids?, bg)
                })
                .collect();
            let Some(tests) = tests else { continue };
            let program = |id: u32| Program(expr_of(&en.nodes, id));
            let answer = Answer::Layers {
                bg,
                base: base.map(program),
                pieces: layers.iter().map(|p| Layer { paints: p.mode, program: program(p.id) }).collect(),
            };
            let cost = layers.iter().map(|p| p.id).chain(base).map(|id| en.nodes[id as usize].cost + STEPS).sum();
            // More layers than demos: as many free choices as facts, possibly memorised (ranked
            // after solid fits, and it does not end the search).
            let weak = layers.len() > en.n_train;
            preds.push(Prediction { tests, answer, cost, votes: 1, weak });
        }
    }
    preds
}

/// How many of the cheapest pieces covers are also sought among (besides all).
const COVER_PREFIXES: [usize; 3] = [32, 256, 1024];

/// Pieces (indices into `pieces`) that together paint every `need` cell, in painting order (the
/// first painter of a cell wins), chosen greedily: a piece right on every cell it paints that no
/// earlier piece paints, adding most still-uncovered `need` cells, then (on ties, and when no
/// piece adds a `need` cell) covering most cells at all (e.g. clearing cells to the background,
/// so that a piece wrong there can go under it), the first found on ties; at most `max` pieces;
/// `None` when they cannot. Layers without which the rest still covers are then dropped.
fn greedy_cover(pieces: &[Piece], need: &Cells, total: usize, max: usize) -> Option<Vec<usize>> {
    // A need cell no piece paints (e.g. a background cell a base gets wrong) is unreachable.
    let mut reach = Cells::new(total);
    for p in pieces {
        reach.union(&p.paints);
    }
    if need.count_new(&reach) > 0 {
        return None;
    }
    let mut covered = Cells::new(total);
    let mut chosen = Vec::new();
    while need.count_new(&covered) > 0 {
        if chosen.len() == max {
            return None;
        }
        let mut best: Option<((u32, u32), usize)> = None;
        for (i, p) in pieces.iter().enumerate() {
            if !p.wrong.within(&covered) {
                continue;
            }
            let gain = (p.paints.intersect_count_new(need, &covered), p.paints.count_new(&covered));
            if best.is_none_or(|b| gain > b.0) {
                best = Some((gain, i));
            }
        }
        let (_, i) = best.filter(|b| b.0 > (0, 0))?;
        chosen.push(i);
        covered.union(&pieces[i].paints);
    }
    prune(pieces, &mut chosen, need, total);
    Some(chosen)
}

/// Drops the layers (first chosen first) without which the rest is still a valid cover of `need`.
fn prune(pieces: &[Piece], chosen: &mut Vec<usize>, need: &Cells, total: usize) {
    let valid = |order: &[usize]| {
        let mut covered = Cells::new(total);
        for &i in order {
            if !pieces[i].wrong.within(&covered) {
                return false;
            }
            covered.union(&pieces[i].paints);
        }
        need.count_new(&covered) == 0
    };
    let mut at = 0;
    while at < chosen.len() && chosen.len() > 1 {
        let mut without = chosen.clone();
        without.remove(at);
        if valid(&without) {
            *chosen = without;
        } else {
            at += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::grid;
    use crate::dsl::Value;
    use crate::search::state::{Node, Recipe};
    use crate::solver::StopReason;

    /// An enumeration holding these states (one demo, one test) as pieces, in this order.
    fn with_pieces(target: &str, pieces: &[[&str; 2]]) -> Enumeration {
        let nodes = pieces
            .iter()
            .map(|p| Node {
                vals: p.iter().map(|g| Value::Grid(grid(g))).collect(),
                cost: 4,
                recipe: Recipe::Input,
                expanded: true,
                leaf: false,
                depth: 1,
            })
            .collect();
        Enumeration {
            nodes,
            solutions: Vec::new(),
            partials: Vec::new(),
            pieces: (0..pieces.len() as u32).collect(),
            first_right: (0..pieces.len() as u32).collect(),
            stop: StopReason::Budget,
            work: 0,
            work_by_prim: Vec::new(),
            n_train: 1,
            targets: vec![grid(target)],
        }
    }

    #[test]
    fn covers_the_output_with_pieces_right_where_they_paint() {
        // Piece 0 paints a wrong 1 nothing covers; pieces 1 and 2 are right wherever they
        // paint and together cover the output.
        let en = with_pieces("1002/0000/3000", &[["1102/0000/0000", "00/00"], ["1000/0000/3000", "10/00"], ["0002/0000/0000", "02/00"]]);
        let preds = overlays(&en);
        assert_eq!(preds.len(), 1);
        assert_eq!(preds[0].tests, vec![grid("12/00")]);
        // Without piece 2 nothing covers the 2: no prediction.
        let en = with_pieces("1002/0000/3000", &[["1102/0000/0000", "00/00"], ["1000/0000/3000", "10/00"]]);
        assert!(overlays(&en).is_empty());
    }

    #[test]
    fn first_painter_wins_lets_a_piece_go_under_the_one_that_covers_its_mistake() {
        // Piece 0 gets the 1 right but paints a 1 where the 2 belongs; piece 1 paints just the 2.
        let en = with_pieces("1200/0000", &[["1100/0000", "33/00"], ["0200/0000", "04/00"]]);
        // Piece 1 first (on top), then piece 0 under it (painting all its cells).
        let preds = overlays(&en);
        assert_eq!(preds.len(), 1);
        assert_eq!(preds[0].tests, vec![grid("34/00")]);
        let Answer::Layers { pieces, .. } = &preds[0].answer else { panic!("{}", preds[0].answer) };
        assert_eq!(pieces.iter().map(|l| l.paints).collect::<Vec<_>>(), [Paints::All, Paints::Foreground]);
        // Two pieces for one demo: possibly memorised.
        assert!(preds[0].weak);
        // A piece wrong on a cell nothing above it covers is never used.
        let en = with_pieces("1200/0000", &[["1100/0000", "33/00"], ["0000/0000", "04/00"]]);
        assert!(overlays(&en).is_empty());
    }

    #[test]
    fn pieces_repair_a_partial_candidate() {
        // State 0 (a partial candidate, not a piece) gets the 1 and the 5 right but has a 3 where
        // the 2 belongs; piece 1 paints just the 2. On a blank canvas nothing paints the 1 and
        // the 5 without a mistake; on state 0 piece 1 alone repairs it.
        let mut en = with_pieces("1502/0000", &[["1503/0000", "17/00"], ["0002/0000", "02/00"]]);
        en.pieces = vec![1];
        assert!(overlays(&en).is_empty());
        en.partials = vec![crate::search::engine::Partial { node: 0, cost: 4, right: 7 }];
        let preds = overlays(&en);
        assert_eq!(preds.len(), 1);
        assert_eq!(preds[0].tests, vec![grid("12/00")]);
        assert!(matches!(&preds[0].answer, Answer::Layers { base: Some(b), pieces, .. } if b.to_string() == "input" && pieces.len() == 1), "{}", preds[0].answer);
        // One layer for one demo: a solid fit.
        assert!(!preds[0].weak);
    }

    #[test]
    fn a_cover_among_the_cheapest_pieces_is_kept_when_later_ones_steer_the_greedy_choice() {
        // Pieces 0 and 1 cover the output; a later piece paints three of its four cells, so the
        // greedy choice among all pieces takes it first and ends with another stack.
        let mut pieces = vec![["1200/0000", "55/00"], ["0034/0000", "00/66"]];
        pieces.extend(std::iter::repeat_n(["0000/0000", "00/00"], COVER_PREFIXES[0]));
        pieces.push(["1230/0000", "77/70"]);
        let en = with_pieces("1234/0000", &pieces);
        let tests: Vec<Vec<Grid>> = overlays(&en).into_iter().map(|p| p.tests).collect();
        assert_eq!(tests, [vec![grid("55/66")], vec![grid("77/76")]]);
    }

    #[test]
    fn modes_let_a_layer_clear_cells_or_paint_them_all() {
        // The output is piece 0 with its 3 cleared: piece 1 is background there (and right on its
        // other background cells), so it goes on top in `clear` mode and piece 0 under it (a
        // first choice of piece 0's own background cells, which unlocks nothing, is pruned).
        let en = with_pieces("1200/4000", &[["1203/4000", "56/78"], ["1100/1011", "10/01"]]);
        let preds = overlays(&en);
        assert_eq!(preds.len(), 1, "{:?}", preds.iter().map(|p| p.answer.to_string()).collect::<Vec<_>>());
        assert_eq!(preds[0].tests, vec![grid("50/08")]);
        let Answer::Layers { pieces, .. } = &preds[0].answer else { panic!("{}", preds[0].answer) };
        assert_eq!(pieces.iter().map(|l| l.paints).collect::<Vec<_>>(), [Paints::Foreground, Paints::Background]);
        // The text form says so, and replays.
        let text = preds[0].answer.to_string();
        assert_eq!(text, "(layers 0 blank input clear input)");
        let back: Answer = text.parse().unwrap();
        assert_eq!(back, preds[0].answer);
    }
}
