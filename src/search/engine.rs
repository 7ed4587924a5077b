//! The enumeration: best-first over distinct states, cheapest first, until the work budget,
//! a safety cap or the cost limit stops it.
//!
//! A state is the vector of one expression's values on every example (demo inputs, then test
//! inputs); applying a primitive maps the whole vector, and any `Na` kills the branch. States
//! are deduplicated by hash, keeping the cheapest recipe. Unary primitives extend each state as
//! it is expanded; primitives of several arguments combine it with the cheapest states
//! already expanded (a pool per type). Every new grid state is checked against the demo
//! outputs: exact fits are solutions, fits up to a consistent colour map are solutions at a
//! higher cost, and shape-right states are kept as partial candidates and composition pieces.
//!
//! This room holds the store and the scheduler (`Search`: states by id with their hash index,
//! cost buckets, pools) and the loop that applies moves; beside it, `moves` (which moves
//! a task has and their costs), `judge` (how a state fits the demos, what is recorded),
//! `refine` (the beam over partial candidates) and [`super::finish`] (finishing steps).

use super::finish::Finisher;
use super::guide::STEPS;
pub use super::judge::{Fit, Found, Partial, map_changes};
use super::moves::{Move, Moves, prior_cost, task_moves, value_ty_index};
use super::state::{HashIndex, Node, Recipe, state_hash, value_bytes};
use crate::dsl::{Ctx, Ty, Value, registry};
use crate::grid::Grid;
use super::SearchConfig;
use crate::solver::StopReason;
use crate::task::Task;
use std::time::Instant;

/// Everything one enumeration found.
pub struct Enumeration {
    /// All distinct states, by id; state 0 is the input.
    pub nodes: Vec<Node>,
    pub solutions: Vec<Found>,
    /// The best partial candidates, most cells right first.
    pub partials: Vec<Partial>,
    /// Composition pieces: shape-right grid states in the order found (cheapest first).
    pub pieces: Vec<u32>,
    /// The first [`super::config::Learn::local_bases`] shape-right grid states other than the input, in
    /// the order found (cheapest first): the local-rule learner's bases.
    pub first_right: Vec<u32>,
    pub stop: StopReason,
    pub work: u64,
    /// The work by primitive (registry order): where the budget went.
    pub work_by_prim: Vec<u64>,
    /// Number of demos (the first values of every state).
    pub n_train: usize,
    /// The demo outputs.
    pub targets: Vec<Grid>,
}

/// Approximate bytes per stored state besides its values (node, index entry, queue entry).
const NODE_BYTES: usize = 128;

/// One unit of scheduled work in a cost bucket.
#[derive(Debug, Clone, Copy)]
pub(super) enum Job {
    /// Expand a state: apply (or, by cost, schedule) every move that takes it.
    Expand(u32),
    /// Apply the unary moves `from..to` of the state's type (all of one cost) to a state.
    Unary { id: u32, from: u16, to: u16 },
    /// Apply the multi-argument moves `from..to` (all of one cost) with a state in each position
    /// its type fits, the other positions from the first `pools[t]` states of each type's pool
    /// (the pools as they were when the state was expanded).
    Multi { id: u32, from: u16, to: u16, pools: [u16; Ty::COUNT] },
    /// Map the grid moves `from..to` (all of one cost) over every part of a parts state
    /// ([`super::parts`]).
    Map { id: u32, from: u16, to: u16 },
}

/// The enumeration's state: the store of states, the scheduler's buckets and pools, what it
/// found so far and its stop rules.
pub(super) struct Search<'a> {
    pub(super) cfg: &'a SearchConfig,
    /// The task's evaluation context, passed to every primitive.
    pub(super) ctx: Ctx,
    /// Primitive applications allowed.
    pub(super) allowed: u64,
    pub(super) targets: Vec<&'a Grid>,
    pub(super) out_cells: usize,
    pub(super) n_ex: usize,
    pub(super) nodes: Vec<Node>,
    pub(super) index: HashIndex,
    pub(super) buckets: Vec<Vec<Job>>,
    /// Expanded states per type, cheapest first (at most `pool`).
    pub(super) pools: [Vec<u32>; Ty::COUNT],
    /// Every move, cheapest first.
    pub(super) moves: Moves,
    /// Finishing steps tried on every new grid state of the wrong shape ([`super::config::MoveRules::finish`]).
    pub(super) finishers: Vec<Finisher>,
    /// The joins tried on every new parts state ([`super::parts`]).
    pub(super) joins: Vec<super::parts::Join>,
    /// The demo outputs' shapes.
    pub(super) target_shapes: Vec<(usize, usize)>,
    pub(super) solutions: Vec<Found>,
    pub(super) partials: Vec<Partial>,
    pub(super) pieces: Vec<u32>,
    pub(super) first_right: Vec<u32>,
    pub(super) work: u64,
    pub(super) work_by_prim: Vec<u64>,
    pub(super) bytes: usize,
    pub(super) stop: Option<StopReason>,
    /// The storage cap was reached: new states are no longer queued.
    pub(super) full: bool,
    /// The wall-clock safety cap: past it the search stops ([`StopReason::Cap`]).
    pub(super) deadline: Instant,
    pub(super) children: u64,
    /// In the refinement phase ([`Search::refine`]): new states are not queued (nor limited by
    /// the cost buckets), and `reached` collects the states its child steps made or found again.
    pub(super) refining: bool,
    pub(super) reached: Vec<u32>,
    /// The test predictions of the first solid fit, and the work done when it was found.
    pub(super) first_solid: Option<(Vec<Grid>, u64)>,
    /// Work allowed after the first solid fit ([`super::config::StopRules::after_first_solid_share`]).
    pub(super) after_first: u64,
    /// The work done when a second solid fit with other test predictions was found.
    pub(super) solid_at: Option<u64>,
    /// Work allowed after that ([`super::config::StopRules::after_solid_share`] of the budget).
    pub(super) after_solid: u64,
}

/// Runs the enumeration on a task with a guide's per-primitive probabilities, allowed `work`
/// primitive applications, its wall-clock safety cap counted from now.
pub fn enumerate(task: &Task, probs: &[f32], cfg: &SearchConfig, work: u64) -> Enumeration {
    enumerate_until(task, Ctx::for_task(task), probs, cfg, work, Instant::now() + cfg.limits.wall)
}

/// [`enumerate`] with programs run in `ctx` (the task's own, [`Ctx::for_task`], unless its
/// answers replay in another) and the safety cap at `deadline`: past it the enumeration stops
/// with [`StopReason::Cap`] (a safety net: work decides every normal run).
pub fn enumerate_until(task: &Task, ctx: Ctx, probs: &[f32], cfg: &SearchConfig, work: u64, deadline: Instant) -> Enumeration {
    Enumerator::start(task, ctx, probs, cfg, deadline, work).into_enumeration()
}

/// A running enumeration.
struct Enumerator<'a> {
    s: Search<'a>,
}

impl<'a> Enumerator<'a> {
    /// Starts the enumeration of `task` under the prior `probs` and runs it within `work`
    /// primitive applications.
    fn start(task: &'a Task, ctx: Ctx, probs: &[f32], cfg: &'a SearchConfig, deadline: Instant, work: u64) -> Enumerator<'a> {
        let reg = registry();
        let moves = task_moves(task, probs, cfg);
        let inputs: Vec<Value> =
            task.train.iter().map(|p| &p.input).chain(task.test.iter().map(|t| &t.input)).cloned().map(Value::Grid).collect();
        let targets: Vec<&Grid> = task.train.iter().map(|p| &p.output).collect();
        let target_shapes = targets.iter().map(|g| g.shape()).collect();
        // Finishing steps read their parameters off the shapes. Where the demos keep their shape,
        // only the steps whose shapes alone say they fit (scalings and tilings by a whole ratio) are
        // tried: crops and resizes of every odd-shaped state there took a fifth of the work of 10
        // same-shape training tasks.
        let changes_shape = !task.keeps_shape();
        let mut finishers = if cfg.moves.finish { super::finish::finishers(changes_shape) } else { Vec::new() };
        for f in &mut finishers {
            f.cost = prior_cost(cfg, f.def, probs, f.prim as usize);
        }
        let mut s = Search {
            cfg,
            ctx,
            allowed: work,
            out_cells: targets.iter().map(|g| g.cells().len()).sum(),
            targets,
            n_ex: inputs.len(),
            nodes: Vec::new(),
            index: HashIndex::default(),
            buckets: vec![Vec::new(); (cfg.limits.max_cost * STEPS + 1) as usize],
            pools: Default::default(),
            moves,
            finishers,
            joins: super::parts::joins(cfg, probs),
            target_shapes,
            solutions: Vec::new(),
            partials: Vec::new(),
            pieces: Vec::new(),
            first_right: Vec::new(),
            work: 0,
            work_by_prim: vec![0; reg.len()],
            bytes: 0,
            stop: None,
            full: false,
            deadline,
            children: 0,
            refining: false,
            reached: Vec::new(),
            first_solid: None,
            solid_at: None,
            after_solid: (cfg.budget.work() as f64 * cfg.stop.after_solid_share.max(0.0) as f64) as u64,
            after_first: (cfg.budget.work() as f64 * cfg.stop.after_first_solid_share.max(0.0) as f64) as u64,
        };
        let h = state_hash(&inputs);
        let verdict = s.judge(&inputs, 0);
        s.insert(inputs, h, 0, Recipe::Input, 0, true);
        let shape_right = verdict.right.is_some();
        s.record(0, verdict);
        if !shape_right {
            s.finish(0);
        }
        // The refinement phase's share is held back from the enumeration by cost.
        let reserve = (work as f64 * cfg.refine.share.clamp(0.0, 1.0) as f64) as u64;
        s.allowed = work - reserve;
        s.run();
        s.allowed = work;
        if reserve > 0 && !s.solutions.iter().any(|f| !f.weak()) && s.stop != Some(StopReason::Cap) {
            let before = s.stop.take();
            s.refine();
            s.stop = s.stop.or(before);
        }
        Enumerator { s }
    }

    /// Why the last run stopped (solved when it found a fit, unless the safety cap stopped it).
    fn stop(&self) -> StopReason {
        let stop = self.s.stop.unwrap_or(StopReason::Exhausted);
        if self.s.solutions.is_empty() || stop == StopReason::Cap { stop } else { StopReason::Solved }
    }

    /// What the enumeration found.
    fn into_enumeration(self) -> Enumeration {
        let stop = self.stop();
        let s = self.s;
        Enumeration {
            n_train: s.targets.len(),
            targets: s.targets.iter().map(|&g| g.clone()).collect(),
            nodes: s.nodes,
            solutions: s.solutions,
            partials: s.partials,
            pieces: s.pieces,
            first_right: s.first_right,
            stop,
            work: s.work,
            work_by_prim: s.work_by_prim,
        }
    }
}

impl Search<'_> {
    fn run(&mut self) {
        let mut c = 0;
        while c < self.buckets.len() && self.stop.is_none() {
            if let Some(best) = self.solutions.iter().map(|f| f.cost).min()
                && c as u32 > best + self.cfg.stop.after_solution * STEPS
            {
                self.stop = Some(StopReason::Solved);
                break;
            }
            // By cost, a job in this bucket makes states of this same cost: drain it until empty.
            loop {
                let bucket = std::mem::take(&mut self.buckets[c]);
                if bucket.is_empty() {
                    break;
                }
                for job in bucket {
                    self.job(job, c as u32);
                    if self.stop.is_some() {
                        break;
                    }
                }
                if self.stop.is_some() {
                    break;
                }
            }
            c += 1;
        }
    }

    fn job(&mut self, job: Job, c: u32) {
        match job {
            Job::Expand(id) => {
                let node = &mut self.nodes[id as usize];
                if node.expanded || node.cost != c {
                    return;
                }
                node.expanded = true;
                self.expand(id);
            }
            Job::Unary { id, from, to } => {
                self.apply_unary(id, from as usize..to as usize);
            }
            Job::Multi { id, from, to, pools } => {
                self.apply_multi(id, from as usize..to as usize, &pools);
            }
            Job::Map { id, from, to } => {
                self.apply_map(id, from as usize..to as usize);
            }
        }
    }

    /// Expands state `id`: joins its type's pool, and every move that can take it as an
    /// argument is scheduled in the bucket of the cost of the states it makes.
    fn expand(&mut self, id: u32) {
        let ty = value_ty_index(&self.nodes[id as usize].vals[0]);
        if self.pools[ty].len() < self.cfg.moves.pool {
            self.pools[ty].push(id);
        }
        let pools: [u16; Ty::COUNT] = std::array::from_fn(|t| self.pools[t].len().min(u16::MAX as usize) as u16);
        let moves = &self.moves;
        let base = self.nodes[id as usize].cost;
        let last = self.buckets.len() as u32;
        for &(cost, from, to) in &moves.unary_groups[ty] {
            if base + cost < last {
                self.buckets[(base + cost) as usize].push(Job::Unary { id, from, to });
            }
        }
        for &(cost, from, to) in &moves.multi_groups {
            if base + cost < last {
                self.buckets[(base + cost) as usize].push(Job::Multi { id, from, to, pools });
            }
        }
        if self.maps_over(id) {
            for &(cost, from, to) in &moves.unary_groups[Ty::Grid.index()] {
                if base + cost < last {
                    self.buckets[(base + cost) as usize].push(Job::Map { id, from, to });
                }
            }
        }
    }

    /// Applies unary moves `range` of state `id`'s type to it.
    fn apply_unary(&mut self, id: u32, range: std::ops::Range<usize>) {
        let ty = value_ty_index(&self.nodes[id as usize].vals[0]);
        let base = self.nodes[id as usize].cost;
        let unary = std::mem::take(&mut self.moves.unary[ty]);
        'moves: for mv in &unary[range] {
            for params in &mv.params {
                if !self.child(mv, params, &[id], base + mv.cost) {
                    break 'moves;
                }
            }
        }
        self.moves.unary[ty] = unary;
    }

    /// Makes one child state; false when the search must stop.
    pub(super) fn child(&mut self, mv: &Move, params: &[i8], args: &[u32], cost: u32) -> bool {
        self.child_of(mv, params, args, cost, false)
    }

    /// Makes one child state, the move applied to its arguments or (`map`) mapped over the parts
    /// of its one argument; false when the search must stop.
    pub(super) fn child_of(&mut self, mv: &Move, params: &[i8], args: &[u32], cost: u32, map: bool) -> bool {
        if cost as usize >= self.buckets.len() && !self.refining {
            return true;
        }
        if self.work + self.n_ex as u64 > self.allowed {
            self.stop = Some(StopReason::Budget);
            return false;
        }
        if self.solid_at.is_some_and(|at| self.work >= at + self.after_solid)
            || self.first_solid.as_ref().is_some_and(|(_, at)| self.work >= at + self.after_first)
        {
            self.stop = Some(StopReason::Solved);
            return false;
        }
        self.children += 1;
        if self.children % 1024 == 0 && Instant::now() > self.deadline {
            self.stop = Some(StopReason::Cap);
            return false;
        }
        let mut vals = Vec::with_capacity(self.n_ex);
        let mut argv: Vec<&Value> = Vec::with_capacity(args.len());
        for e in 0..self.n_ex {
            argv.clear();
            argv.extend(args.iter().map(|&a| &self.nodes[a as usize].vals[e]));
            // A mapped step is one application per part.
            let units = if map { super::parts::len(argv[0]).max(1) as u64 } else { 1 };
            self.work += units;
            self.work_by_prim[mv.prim as usize] += units;
            let out = if map { crate::dsl::parts::map_parts(mv.def, &self.ctx, params, argv[0]) } else { (mv.def.f)(&self.ctx, params, &argv) };
            match out {
                Ok(v) => vals.push(v),
                Err(_) => return true,
            }
            // A step that changes nothing on any demo is not learnt from them: dropped (before
            // its test values are made).
            if args.len() == 1
                && e + 1 == self.targets.len()
                && vals[..] == self.nodes[args[0] as usize].vals[..vals.len()]
            {
                return true;
            }
        }
        let ret = if map { vals[0].ty() } else { mv.def.ret };
        if vals.iter().any(|v| v.ty() != ret) {
            return true;
        }
        let h = state_hash(&vals);
        let recipe = || {
            if map {
                Recipe::Map { prim: mv.prim, params: params.to_vec(), arg: args[0] }
            } else {
                Recipe::Call { prim: mv.prim, params: params.to_vec(), args: args.to_vec() }
            }
        };
        let depth = 1 + args.iter().map(|&a| self.nodes[a as usize].depth).max().unwrap_or(0);
        if let Some(&old) = self.index.get(&h) {
            let node = &mut self.nodes[old as usize];
            if node.vals != vals {
                return true;
            }
            if self.refining {
                self.reached.push(old);
                return true;
            }
            if node.leaf && !self.full {
                // A move reaches a finishing step's result: from now on it is a state like any
                // other, made by the move (queued at its cost, never in a bucket already passed).
                node.leaf = false;
                node.expanded = false;
                node.cost = cost;
                node.recipe = recipe();
                node.depth = depth;
                self.buckets[cost as usize].push(Job::Expand(old));
            } else if !node.expanded && cost < node.cost {
                node.cost = cost;
                node.recipe = recipe();
                node.depth = depth;
                self.buckets[cost as usize].push(Job::Expand(old));
            }
            return true;
        }
        let verdict = self.judge(&vals, cost);
        if !self.full {
            self.insert(vals, h, cost, recipe(), depth, !self.refining);
        } else if verdict.interesting {
            // Over the storage cap, new states are leaves: kept only when they fit, not expanded.
            self.insert(vals, h, cost, recipe(), depth, false);
        } else {
            return true;
        }
        let id = self.nodes.len() as u32 - 1;
        if self.refining {
            self.reached.push(id);
        }
        let shape_right = verdict.right.is_some();
        self.record(id, verdict);
        if !shape_right && self.stop.is_none() {
            self.finish(id);
            self.join(id);
        }
        self.stop.is_none()
    }

    /// Stores a new state, queued for expansion when `queue`.
    pub(super) fn insert(&mut self, vals: Vec<Value>, hash: u64, cost: u32, recipe: Recipe, depth: u8, queue: bool) {
        let id = self.nodes.len() as u32;
        self.bytes += NODE_BYTES + vals.iter().map(value_bytes).sum::<usize>();
        self.index.insert(hash, id);
        self.nodes.push(Node { vals, cost, recipe, expanded: !queue, leaf: false, depth });
        if queue {
            self.buckets[cost as usize].push(Job::Expand(id));
        }
        self.full |= self.nodes.len() >= self.cfg.limits.max_states || self.bytes >= self.cfg.limits.max_bytes;
    }

}
