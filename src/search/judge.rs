//! The judge: how a new state fits the demo outputs (exactly, up to a colour map, or by how many
//! cells it gets right), and what the enumeration records of it (solutions, composition pieces,
//! partial candidates, the local-rule learner's bases, the stop rules' first fits).

use super::engine::Search;
use super::guide::STEPS;
use crate::answer::colors::apply_map;
use crate::dsl::Value;
use crate::grid::{Color, Grid, N_COLORS};
use crate::solver::StopReason;

/// How a state fits the demos.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fit {
    /// Every demo output exactly.
    Exact,
    /// Every demo output after recolouring by this map (identity where `None`); `weak` when
    /// some colour it changes is seen in one demo only.
    ColorMap { map: [Option<Color>; N_COLORS], weak: bool },
}

/// A state that reproduces the demos.
#[derive(Debug, Clone)]
pub struct Found {
    pub node: u32,
    /// Cost in guide steps, including the colour map's.
    pub cost: u32,
    pub fit: Fit,
    /// Found by the refinement phase ([`crate::search::Budget::refine_share`]): a program grown step by
    /// step toward the demos, so possibly fitted to them by chance.
    pub refined: bool,
}

impl Found {
    /// Whether the fit may be memorised rather than learnt: a colour change seen once, or a
    /// program the refinement phase grew toward the demos. A weak fit ranks after the learnt
    /// rules and does not stop the search.
    pub fn weak(&self) -> bool {
        self.fit.weak() || self.refined
    }
}

impl Fit {
    /// Whether the fit may be memorised rather than learnt (a colour change seen once).
    pub fn weak(&self) -> bool {
        matches!(self, Fit::ColorMap { weak: true, .. })
    }
}

/// A shape-right state and how many demo cells it gets right.
#[derive(Debug, Clone, Copy)]
pub struct Partial {
    pub node: u32,
    pub cost: u32,
    /// Demo cells right, out of all demo output cells.
    pub right: usize,
}

/// How a new state fits the demos, before it is stored.
pub(super) struct Verdict {
    /// A fit to every demo, with its cost.
    pub(super) fit: Option<(Fit, u32)>,
    /// Demo cells right, when the state is shape-right.
    pub(super) right: Option<usize>,
    /// Worth storing even as a leaf.
    pub(super) interesting: bool,
}

/// The consistent colour map from `got` to `want` over all demos, if one exists, and how many
/// of the colours it changes are seen in one demo only (with two demos or more; a change seen
/// once may be memorised rather than learnt).
pub(super) fn color_map(got: &[&Grid], want: &[&Grid]) -> Option<([Option<Color>; N_COLORS], u32)> {
    let mut map = [None; N_COLORS];
    let mut demos = [0usize; N_COLORS];
    for (g, w) in got.iter().zip(want) {
        for (c, &n) in g.histogram().iter().enumerate() {
            demos[c] += (n > 0) as usize;
        }
        for (&a, &b) in g.cells().iter().zip(w.cells()) {
            match map[a as usize] {
                None => map[a as usize] = Some(b),
                Some(m) if m != b => return None,
                _ => {}
            }
        }
    }
    let once = (0..N_COLORS).filter(|&c| map[c].is_some_and(|m| m as usize != c) && demos[c] < got.len().min(2)).count();
    Some((map, once as u32))
}

/// Extra cost units per colour change seen in one demo only.
const WEAK_PENALTY: u32 = 2;

/// Whether the map says where every colour of `g` goes (a map learnt on the demos is only
/// trusted on test grids whose colours it has seen).
fn maps_every_color(map: &[Option<Color>; N_COLORS], g: &Grid) -> bool {
    g.histogram().iter().zip(map).all(|(&n, m)| n == 0 || m.is_some())
}

/// Number of colours a map changes.
pub fn map_changes(map: &[Option<Color>; N_COLORS]) -> u32 {
    map.iter().enumerate().filter(|(c, m)| m.is_some_and(|m| m as usize != *c)).count() as u32
}

impl Search<'_> {
    /// How a new state fits the demo outputs.
    pub(super) fn judge(&self, vals: &[Value], cost: u32) -> Verdict {
        let mut v = Verdict { fit: None, right: None, interesting: false };
        let got: Vec<&Grid> = vals[..self.targets.len()].iter().filter_map(Value::as_grid).collect();
        if got.len() != self.targets.len() || got.iter().zip(&self.targets).any(|(g, t)| g.shape() != t.shape()) {
            return v;
        }
        let right: usize = got
            .iter()
            .zip(&self.targets)
            .map(|(g, t)| g.cells().iter().zip(t.cells()).filter(|(a, b)| a == b).count())
            .sum();
        if right == self.out_cells {
            v.fit = Some((Fit::Exact, cost));
        } else if let Some((map, once)) = color_map(&got, &self.targets)
            && vals[self.targets.len()..].iter().all(|t| t.as_grid().is_some_and(|g| maps_every_color(&map, g)))
        {
            let cost = cost + (map_changes(&map) + WEAK_PENALTY * once) * STEPS;
            v.fit = Some((Fit::ColorMap { map, weak: once > 0 }, cost));
        }
        let partial_rank = self.partials.partition_point(|q| q.right >= right);
        v.interesting = v.fit.is_some() || self.pieces.len() < self.cfg.keep.pieces || partial_rank < self.cfg.keep.partials;
        v.right = Some(right);
        v
    }

    /// Records a stored state's verdict: a solution, a composition piece, a partial candidate.
    pub(super) fn record(&mut self, id: u32, v: Verdict) {
        let Some(right) = v.right else { return };
        if let Some((fit, cost)) = v.fit {
            if !fit.weak() && !self.refining && self.solid_at.is_none() {
                // Two attempts: the bounded extra work starts once solid fits give two different
                // predictions for the test inputs (or one, when nothing else can differ).
                let tests: Option<Vec<Grid>> = self.nodes[id as usize].tests(self.targets.len())
                    .iter()
                    .map(|v| {
                        v.as_grid().map(|g| match &fit {
                            Fit::ColorMap { map, .. } => apply_map(g, map),
                            Fit::Exact => g.clone(),
                        })
                    })
                    .collect();
                match (&self.first_solid, tests) {
                    (None, Some(t)) => self.first_solid = Some((t, self.work)),
                    (Some((first, _)), Some(t)) if *first != t => self.solid_at = Some(self.work),
                    _ => {}
                }
            }
            self.solutions.push(Found { node: id, cost, fit, refined: self.refining });
            if self.solutions.len() >= self.cfg.limits.max_solutions {
                self.stop = Some(StopReason::Solved);
            }
        }
        if id != 0 && self.first_right.len() < self.cfg.learn.local_bases {
            self.first_right.push(id);
        }
        if self.pieces.len() < self.cfg.keep.pieces {
            self.pieces.push(id);
        }
        let p = Partial { node: id, cost: self.nodes[id as usize].cost, right };
        let at = self.partials.partition_point(|q| q.right >= p.right);
        // The refinement phase's states are grown toward the demos' cells: their near misses are
        // not offered as partial guesses (nor as the test-time training's candidates).
        if at < self.cfg.keep.partials && !self.refining {
            self.partials.insert(at, p);
            self.partials.truncate(self.cfg.keep.partials);
        }
    }
}
