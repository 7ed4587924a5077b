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

use super::finish::Finisher;
use super::guide::{STEPS, quantize};
use super::state::{HashIndex, Node, Recipe, state_hash, value_bytes};
use crate::dsl::{Ctx, ParamTy, PrimDef, PrimId, Ty, Value, param_product, registry};
use crate::grid::{Color, Grid, N_COLORS};
use super::SearchConfig;
use crate::answer::colors::apply_map;
use crate::solver::StopReason;
use crate::task::Task;
use std::time::Instant;

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
    /// Found by the refinement phase ([`SearchConfig::refine_share`]): a program grown step by
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

/// One primitive as the search uses it: its parameter instantiations and adjusted cost.
#[derive(Clone)]
struct Move {
    prim: PrimId,
    def: &'static PrimDef,
    params: Vec<Vec<i8>>,
    cost: u32,
}

/// The parameter values worth trying for this task: colours seen in the task, small integers,
/// every named choice.
fn param_values(t: &ParamTy, colors: &[Color]) -> Vec<i8> {
    match *t {
        ParamTy::Color | ParamTy::Paint => colors.iter().map(|&c| c as i8).collect(),
        ParamTy::Int { min, max } => (min.max(-4)..=max.min(9)).collect(),
        ParamTy::Choice(_) => t.values(),
    }
}

/// Colours that occur anywhere in the task's demos and test inputs, ascending.
pub fn task_colors(task: &Task) -> Vec<Color> {
    colors_in(task.train.iter().flat_map(|p| [&p.input, &p.output]).chain(task.test.iter().map(|t| &t.input)))
}

/// Colours that occur in any of `grids`, ascending.
fn colors_in<'g>(grids: impl Iterator<Item = &'g Grid>) -> Vec<Color> {
    let mut seen = [false; N_COLORS];
    for g in grids {
        for (c, &n) in g.histogram().iter().enumerate() {
            seen[c] |= n > 0;
        }
    }
    (0..N_COLORS as Color).filter(|&c| seen[c as usize]).collect()
}

const MAX_PARAM_SETS: usize = 256;

/// The consistent colour map from `got` to `want` over all demos, if one exists, and how many
/// of the colours it changes are seen in one demo only (with two demos or more; a change seen
/// once may be memorised rather than learnt).
fn color_map(got: &[&Grid], want: &[&Grid]) -> Option<([Option<Color>; N_COLORS], u32)> {
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

/// One unit of scheduled work in a cost bucket.
#[derive(Debug, Clone, Copy)]
enum Job {
    /// Expand a state: apply (or, by cost, schedule) every move that takes it.
    Expand(u32),
    /// Apply the unary moves `from..to` of the state's type (all of one cost) to a state.
    Unary { id: u32, from: u16, to: u16 },
    /// Apply the multi-argument moves `from..to` (all of one cost) with a state in each position
    /// its type fits, the other positions from the first `pools[t]` states of each type's pool
    /// (the pools as they were when the state was expanded).
    Multi { id: u32, from: u16, to: u16, pools: [u16; 6] },
}

/// Runs of equal cost in moves sorted by cost: `(cost, from, to)`.
fn cost_groups(moves: &[Move]) -> Vec<(u32, u16, u16)> {
    let mut out: Vec<(u32, u16, u16)> = Vec::new();
    for (i, m) in moves.iter().enumerate() {
        match out.last_mut() {
            Some(g) if g.0 == m.cost => g.2 = i as u16 + 1,
            _ => out.push((m.cost, i as u16, i as u16 + 1)),
        }
    }
    out
}

/// A set of moves by argument type, cheapest first, with their runs of equal cost.
struct Moves {
    unary: [Vec<Move>; 6],
    multi: Vec<Move>,
    unary_groups: [Vec<(u32, u16, u16)>; 6],
    multi_groups: Vec<(u32, u16, u16)>,
}

impl Moves {
    /// The moves, sorted by cost (registry order among equals), and their runs.
    fn new(mut unary: [Vec<Move>; 6], mut multi: Vec<Move>) -> Moves {
        for moves in unary.iter_mut() {
            moves.sort_by_key(|m| m.cost);
        }
        multi.sort_by_key(|m| m.cost);
        let unary_groups = std::array::from_fn(|t| cost_groups(&unary[t]));
        let multi_groups = cost_groups(&multi);
        Moves { unary, multi, unary_groups, multi_groups }
    }
}

/// How a new state fits the demos, before it is stored.
struct Verdict {
    /// A fit to every demo, with its cost.
    fit: Option<(Fit, u32)>,
    /// Demo cells right, when the state is shape-right.
    right: Option<usize>,
    /// Worth storing even as a leaf.
    interesting: bool,
}

/// Approximate bytes per stored state besides its values (node, index entry, queue entry).
const NODE_BYTES: usize = 128;

/// The refinement beam's next round from the children of this one, each `(cells right, cost,
/// id, parent)`: the `width` children with the most demo cells right (then the cheapest, then
/// the first stored) not extended before, at most `per_parent` of one parent (0: any number) so
/// that one state's many equally good variants do not fill the beam.
fn next_beam(mut next: Vec<(usize, u32, u32, u32)>, done: &std::collections::HashSet<u32>, width: usize, per_parent: usize) -> Vec<u32> {
    next.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    next.dedup_by_key(|x| x.2);
    let mut taken: std::collections::HashMap<u32, usize> = std::collections::HashMap::new();
    next.into_iter()
        .filter(|x| !done.contains(&x.2))
        .filter(|x| {
            let n = taken.entry(x.3).or_default();
            *n += 1;
            per_parent == 0 || *n <= per_parent
        })
        .map(|x| x.2)
        .take(width)
        .collect()
}

struct Search<'a> {
    cfg: &'a SearchConfig,
    /// The task's evaluation context, passed to every primitive.
    ctx: Ctx,
    /// Primitive applications allowed.
    allowed: u64,
    targets: Vec<&'a Grid>,
    out_cells: usize,
    n_ex: usize,
    nodes: Vec<Node>,
    index: HashIndex,
    buckets: Vec<Vec<Job>>,
    /// Expanded states per type, cheapest first (at most `pool`).
    pools: [Vec<u32>; 6],
    /// Every move, cheapest first.
    moves: Moves,
    /// Finishing steps tried on every new grid state of the wrong shape ([`super::config::MoveRules::finish`]).
    finishers: Vec<Finisher>,
    /// The demo outputs' shapes.
    target_shapes: Vec<(usize, usize)>,
    solutions: Vec<Found>,
    partials: Vec<Partial>,
    pieces: Vec<u32>,
    first_right: Vec<u32>,
    work: u64,
    work_by_prim: Vec<u64>,
    bytes: usize,
    stop: Option<StopReason>,
    /// The storage cap was reached: new states are no longer queued.
    full: bool,
    /// The wall-clock safety cap: past it the search stops ([`StopReason::Cap`]).
    deadline: Instant,
    children: u64,
    /// In the refinement phase ([`Search::refine`]): new states are not queued (nor limited by
    /// the cost buckets), and `reached` collects the states its child steps made or found again.
    refining: bool,
    reached: Vec<u32>,
    /// The test predictions of the first solid fit, and the work done when it was found.
    first_solid: Option<(Vec<Grid>, u64)>,
    /// Work allowed after the first solid fit ([`super::config::StopRules::after_first_solid_share`]).
    after_first: u64,
    /// The work done when a second solid fit with other test predictions was found.
    solid_at: Option<u64>,
    /// Work allowed after that ([`super::config::StopRules::after_solid_share`] of the budget).
    after_solid: u64,
}

fn ty_index(t: Ty) -> usize {
    match t {
        Ty::Grid => 0,
        Ty::Grids => 1,
        Ty::Obj => 2,
        Ty::Objs => 3,
        Ty::Int => 4,
        Ty::Color => 5,
    }
}

fn value_ty_index(v: &Value) -> usize {
    ty_index(v.ty())
}

/// The cost of a primitive's move under a prior: registry cost moved by its probability,
/// quantised first ([`quantize`]), so that float kernels that differ in their last bits from one
/// CPU to another give the same costs (the uniform prior's costs are the registry's either way).
fn prior_cost(cfg: &SearchConfig, def: &PrimDef, probs: &[f32], prim: usize) -> u32 {
    let n = registry().len();
    cfg.move_cost(def.cost, quantize(probs.get(prim).copied().unwrap_or(1.0 / n as f32)), n)
}

/// The task's moves under a prior, cheapest first.
fn task_moves(task: &Task, probs: &[f32], cfg: &SearchConfig) -> Moves {
    let reg = registry();
    let colors = task_colors(task);
    let mut unary: [Vec<Move>; 6] = Default::default();
    let mut multi = Vec::new();
    for (i, def) in reg.prims.iter().enumerate() {
        if !def.search || def.args.is_empty() {
            continue;
        }
        let lists: Vec<Vec<i8>> = def.params.iter().map(|t| param_values(t, &colors)).collect();
        let params = param_product(&lists, MAX_PARAM_SETS);
        // A move with many parameter settings is many programs: each costs a little more.
        let spread = (STEPS as f32 * cfg.moves.param_cost * (params.len().max(1) as f32).ln()).round() as u32;
        let mv = Move { prim: i as PrimId, def, params, cost: prior_cost(cfg, def, probs, i) + spread };
        if mv.params.is_empty() {
            continue;
        }
        if def.args.len() == 1 {
            unary[ty_index(def.args[0])].push(mv);
        } else {
            multi.push(mv);
        }
    }
    // Cheapest moves first (registry order among equals): a guide that lowers a primitive's
    // cost also has it tried earlier within each expansion.
    Moves::new(unary, multi)
}

/// Runs the enumeration on a task with a guide's per-primitive probabilities, allowed `work`
/// primitive applications, its wall-clock safety cap counted from now.
pub fn enumerate(task: &Task, probs: &[f32], cfg: &SearchConfig, work: u64) -> Enumeration {
    enumerate_until(task, probs, cfg, work, Instant::now() + cfg.limits.wall)
}

/// [`enumerate`] with the safety cap at `deadline`: past it the enumeration stops with
/// [`StopReason::Cap`] (a safety net: work decides every normal run).
pub fn enumerate_until(task: &Task, probs: &[f32], cfg: &SearchConfig, work: u64, deadline: Instant) -> Enumeration {
    Enumerator::start(task, probs, cfg, deadline, work).into_enumeration()
}

/// A running enumeration.
struct Enumerator<'a> {
    s: Search<'a>,
}

impl<'a> Enumerator<'a> {
    /// Starts the enumeration of `task` under the prior `probs` and runs it within `work`
    /// primitive applications.
    fn start(task: &'a Task, probs: &[f32], cfg: &'a SearchConfig, deadline: Instant, work: u64) -> Enumerator<'a> {
        let reg = registry();
        let ctx = Ctx::for_task(task);
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

impl Enumeration {
    /// Per program depth (steps from the input, the deepest argument counted), how many states
    /// were stored and how many of them expanded (depth 0 is the input).
    pub fn states_by_depth(&self) -> Vec<(usize, usize)> {
        let mut depth: Vec<Option<u8>> = vec![None; self.nodes.len()];
        fn depth_of(nodes: &[Node], memo: &mut [Option<u8>], id: u32) -> u8 {
            if let Some(d) = memo[id as usize] {
                return d;
            }
            let d = match &nodes[id as usize].recipe {
                Recipe::Input => 0,
                Recipe::Call { args, .. } => 1 + args.iter().map(|&a| depth_of(nodes, memo, a)).max().unwrap_or(0),
            };
            memo[id as usize] = Some(d);
            d
        }
        let mut out: Vec<(usize, usize)> = Vec::new();
        for (id, node) in self.nodes.iter().enumerate() {
            let d = depth_of(&self.nodes, &mut depth, id as u32) as usize;
            if out.len() <= d {
                out.resize(d + 1, (0, 0));
            }
            out[d].0 += 1;
            out[d].1 += (node.expanded && !node.leaf) as usize;
        }
        out
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
        }
    }

    /// Expands state `id`: joins its type's pool, and every move that can take it as an
    /// argument is scheduled in the bucket of the cost of the states it makes.
    fn expand(&mut self, id: u32) {
        let ty = value_ty_index(&self.nodes[id as usize].vals[0]);
        if self.pools[ty].len() < self.cfg.moves.pool {
            self.pools[ty].push(id);
        }
        let pools: [u16; 6] = std::array::from_fn(|t| self.pools[t].len().min(u16::MAX as usize) as u16);
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

    /// Applies multi-argument moves `range` with state `id` as an argument.
    fn apply_multi(&mut self, id: u32, range: std::ops::Range<usize>, pools: &[u16; 6]) {
        let multi = std::mem::take(&mut self.moves.multi);
        for mv in &multi[range] {
            if !self.combine(mv, id, pools) {
                break;
            }
        }
        self.moves.multi = multi;
    }

    /// Applies a multi-argument move with `id` in each position its type fits, the other
    /// positions taken from the first `pools[t]` states of the pools. False when the search must
    /// stop.
    fn combine(&mut self, mv: &Move, id: u32, pools: &[u16; 6]) -> bool {
        let ty = value_ty_index(&self.nodes[id as usize].vals[0]);
        let arity = mv.def.args.len();
        let width = if arity == 2 { self.cfg.moves.pool } else { (self.cfg.moves.pool as f64).sqrt() as usize };
        for pos in 0..arity {
            if ty_index(mv.def.args[pos]) != ty {
                continue;
            }
            let lists: Vec<Vec<u32>> = (0..arity)
                .map(|j| {
                    if j == pos {
                        vec![id]
                    } else {
                        let t = ty_index(mv.def.args[j]);
                        self.pools[t].iter().copied().take(width.min(pools[t] as usize)).collect()
                    }
                })
                .collect();
            if lists.iter().any(Vec::is_empty) {
                continue;
            }
            let mut combo = vec![0usize; arity];
            'combos: loop {
                let args: Vec<u32> = combo.iter().zip(&lists).map(|(&k, l)| l[k]).collect();
                // Each combination is made once, when its last-expanded argument is expanded;
                // with `id` in several positions, from the first of them.
                let fresh = args.iter().enumerate().all(|(j, &a)| j == pos || a != id || j > pos);
                if fresh {
                    let cost = mv.cost + args.iter().map(|&a| self.nodes[a as usize].cost).sum::<u32>();
                    for params in &mv.params {
                        if !self.child(mv, params, &args, cost) {
                            return false;
                        }
                    }
                }
                for j in (0..arity).rev() {
                    combo[j] += 1;
                    if combo[j] < lists[j].len() {
                        continue 'combos;
                    }
                    combo[j] = 0;
                }
                break;
            }
        }
        true
    }

    /// Makes one child state; false when the search must stop.
    fn child(&mut self, mv: &Move, params: &[i8], args: &[u32], cost: u32) -> bool {
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
            self.work += 1;
            self.work_by_prim[mv.prim as usize] += 1;
            argv.clear();
            argv.extend(args.iter().map(|&a| &self.nodes[a as usize].vals[e]));
            match (mv.def.f)(&self.ctx, params, &argv) {
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
        if vals.iter().any(|v| v.ty() != mv.def.ret) {
            return true;
        }
        let h = state_hash(&vals);
        let recipe = || Recipe::Call { prim: mv.prim, params: params.to_vec(), args: args.to_vec() };
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
        }
        self.stop.is_none()
    }

    /// The refinement phase: a beam over the best partial candidates. The `refine_width` states
    /// with the most demo cells right are each extended by every `grid -> grid` move (every
    /// parameter setting), whatever their cost; the children with the most cells right (cheapest
    /// first, then oldest) not yet extended are the next beam, until the work allowed is spent.
    /// Programs three or more steps deep that improve step by step are reached this way, which the
    /// enumeration by cost cannot afford. Every state made is judged like any other (fits, weak
    /// here; composition pieces) and never queued; none becomes a partial candidate.
    fn refine(&mut self) {
        let width = self.cfg.refine.width.max(1);
        let grid = ty_index(Ty::Grid);
        let moves: Vec<Move> = self.moves.unary[grid].iter().filter(|m| m.def.ret == Ty::Grid).cloned().collect();
        let mut done = std::collections::HashSet::new();
        let mut beam: Vec<u32> = self.partials.iter().map(|p| p.node).take(width).collect();
        self.refining = true;
        'rounds: while !beam.is_empty() {
            // (cells right, cost, id, parent) of every shape-right child.
            let mut next: Vec<(usize, u32, u32, u32)> = Vec::new();
            for &id in &beam {
                if !done.insert(id) {
                    continue;
                }
                let base = self.nodes[id as usize].cost;
                let mut go = true;
                'moves: for mv in &moves {
                    for params in &mv.params {
                        if !self.child(mv, params, &[id], base + mv.cost) {
                            go = false;
                            break 'moves;
                        }
                    }
                }
                for c in std::mem::take(&mut self.reached) {
                    if let Some(right) = self.right_of(c) {
                        next.push((right, self.nodes[c as usize].cost, c, id));
                    }
                }
                if !go {
                    break 'rounds;
                }
            }
            beam = next_beam(next, &done, width, self.cfg.refine.per_parent);
        }
        self.refining = false;
        self.reached.clear();
    }

    /// Demo cells right of a stored state, when it is shape-right.
    fn right_of(&self, id: u32) -> Option<usize> {
        let vals = &self.nodes[id as usize].vals[..self.targets.len()];
        let mut right = 0;
        for (v, t) in vals.iter().zip(&self.targets) {
            let g = v.as_grid().filter(|g| g.shape() == t.shape())?;
            right += g.cells().iter().zip(t.cells()).filter(|(a, b)| a == b).count();
        }
        Some(right)
    }

    /// Tries the finishing steps on state `id` (a grid state not of the demo outputs' shape):
    /// each step its shapes allow, with the parameters they give, on the demos first; a result
    /// that fits every demo is made on the test inputs too and kept as a leaf.
    fn finish(&mut self, id: u32) {
        if self.finishers.is_empty() {
            return;
        }
        let n_train = self.targets.len();
        let shapes: Option<Vec<(usize, usize)>> =
            self.nodes[id as usize].vals[..n_train].iter().map(|v| v.as_grid().map(Grid::shape)).collect();
        let Some(shapes) = shapes else { return };
        let finishers = std::mem::take(&mut self.finishers);
        let base = self.nodes[id as usize].cost;
        'steps: for f in &finishers {
            let Some(params) = (f.deduce)(&shapes, &self.target_shapes) else { continue };
            let cost = base + f.cost;
            if cost as usize >= self.buckets.len() {
                continue;
            }
            let mut vals = Vec::with_capacity(self.n_ex);
            for e in 0..self.n_ex {
                if self.work + 1 > self.allowed {
                    self.stop = Some(StopReason::Budget);
                    break 'steps;
                }
                self.work += 1;
                self.work_by_prim[f.prim as usize] += 1;
                let Ok(v) = (f.def.f)(&self.ctx, &params, &[&self.nodes[id as usize].vals[e]]) else { continue 'steps };
                let Some(g) = v.as_grid() else { continue 'steps };
                if e < n_train {
                    if g.shape() != self.target_shapes[e] {
                        continue 'steps;
                    }
                    if e + 1 == n_train {
                        // Only a fit is worth the test inputs' work.
                        let got: Vec<&Grid> = vals.iter().filter_map(Value::as_grid).chain([g]).collect();
                        if got != self.targets && color_map(&got, &self.targets).is_none() {
                            continue 'steps;
                        }
                    }
                }
                vals.push(v);
            }
            let h = state_hash(&vals);
            if self.index.contains_key(&h) {
                continue;
            }
            let verdict = self.judge(&vals, cost);
            if verdict.fit.is_none() {
                continue;
            }
            let depth = self.nodes[id as usize].depth + 1;
            self.insert(vals, h, cost, Recipe::Call { prim: f.prim, params, args: vec![id] }, depth, false);
            let leaf = self.nodes.len() as u32 - 1;
            self.nodes[leaf as usize].leaf = true;
            self.record(leaf, verdict);
            if self.stop.is_some() {
                break;
            }
        }
        self.finishers = finishers;
    }

    /// Stores a new state, queued for expansion when `queue`.
    fn insert(&mut self, vals: Vec<Value>, hash: u64, cost: u32, recipe: Recipe, depth: u8, queue: bool) {
        let id = self.nodes.len() as u32;
        self.bytes += NODE_BYTES + vals.iter().map(value_bytes).sum::<usize>();
        self.index.insert(hash, id);
        self.nodes.push(Node { vals, cost, recipe, expanded: !queue, leaf: false, depth });
        if queue {
            self.buckets[cost as usize].push(Job::Expand(id));
        }
        self.full |= self.nodes.len() >= self.cfg.limits.max_states || self.bytes >= self.cfg.limits.max_bytes;
    }

    /// How a new state fits the demo outputs.
    fn judge(&self, vals: &[Value], cost: u32) -> Verdict {
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
    fn record(&mut self, id: u32, v: Verdict) {
        let Some(right) = v.right else { return };
        if let Some((fit, cost)) = v.fit {
            if !fit.weak() && !self.refining && self.solid_at.is_none() {
                // Two attempts: the bounded extra work starts once solid fits give two different
                // predictions for the test inputs (or one, when nothing else can differ).
                let tests: Option<Vec<Grid>> = self.nodes[id as usize].vals[self.targets.len()..]
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

#[cfg(test)]
mod tests {
    use super::next_beam;
    use std::collections::HashSet;

    #[test]
    fn the_refinement_beam_takes_the_best_children_a_few_per_parent() {
        // (cells right, cost, id, parent): parent 1's four children are the best.
        let next = vec![(9, 3, 10, 1), (9, 2, 11, 1), (8, 1, 12, 1), (8, 4, 13, 1), (7, 1, 20, 2), (6, 1, 30, 3), (9, 2, 11, 2)];
        let none = HashSet::new();
        // Any number per parent: best first, cheaper first among equals, one place per child.
        assert_eq!(next_beam(next.clone(), &none, 4, 0), [11, 10, 12, 13]);
        // Two per parent leave room for the others' children.
        assert_eq!(next_beam(next.clone(), &none, 4, 2), [11, 10, 20, 30]);
        // States extended before are skipped, and do not count toward their parent's share.
        assert_eq!(next_beam(next.clone(), &HashSet::from([11]), 4, 2), [10, 12, 20, 30]);
        assert_eq!(next_beam(next, &none, 2, 1), [11, 20]);
    }
}
