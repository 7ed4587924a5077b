//! Search states: the values of one expression on every example at once (demo inputs, then
//! test inputs), with a fixed-key hash for deduplication and a size estimate for the memory cap.

use crate::dsl::{PrimId, Value};
use crate::program::Expr;
use std::hash::{BuildHasherDefault, Hash, Hasher};

pub use crate::hash::FxHasher;

/// A hasher for keys that already are hashes.
#[derive(Default, Clone, Copy)]
pub struct PassHasher(u64);

impl Hasher for PassHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | b as u64;
        }
    }

    fn write_u64(&mut self, i: u64) {
        self.0 = i;
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Map from a state hash to its node.
pub type HashIndex = std::collections::HashMap<u64, u32, BuildHasherDefault<PassHasher>>;

/// The hash of a state (its values on every example).
pub fn state_hash(vals: &[Value]) -> u64 {
    let mut h = FxHasher::default();
    vals.hash(&mut h);
    h.finish()
}

/// Approximate heap bytes of a value, for the memory cap.
pub fn value_bytes(v: &Value) -> usize {
    const GRID: usize = 40;
    let heap = match v {
        Value::Grid(g) => GRID + g.cells().len(),
        Value::Grids(gs) => 24 + gs.iter().map(|g| GRID + g.cells().len()).sum::<usize>(),
        Value::Obj(o) => 2 * (GRID + o.mask.len()),
        Value::Objs(os) => 24 + os.iter().map(|o| 2 * (GRID + o.mask.len())).sum::<usize>(),
        Value::Parts(ps) => 24 + ps.items.iter().map(|p| GRID + 24 + p.grid.cells().len()).sum::<usize>(),
        Value::Int(_) | Value::Color(_) => 0,
    };
    std::mem::size_of::<Value>() + heap
}

/// How a node's values were made: the input itself, or a primitive over earlier nodes.
#[derive(Debug, Clone)]
pub enum Recipe {
    Input,
    Call { prim: PrimId, params: Vec<i8>, args: Vec<u32> },
    /// A `grid -> grid` primitive mapped over every part of an earlier node ([`Expr::Map`]).
    Map { prim: PrimId, params: Vec<i8>, arg: u32 },
}

impl Recipe {
    /// The nodes it is made from.
    pub fn args(&self) -> &[u32] {
        match self {
            Recipe::Input => &[],
            Recipe::Call { args, .. } => args,
            Recipe::Map { arg, .. } => std::slice::from_ref(arg),
        }
    }
}

/// One distinct state found by the search.
#[derive(Debug)]
pub struct Node {
    /// The values on every example: demo inputs first, then test inputs.
    pub vals: Vec<Value>,
    /// The cheapest cost found so far, in guide steps.
    pub cost: u32,
    /// The cheapest way found so far to make it.
    pub recipe: Recipe,
    /// Whether it has been expanded (its cost is then final).
    pub expanded: bool,
    /// A finishing step's result (or a state stored past the storage cap): judged, never
    /// expanded (unless a move reaches it).
    pub leaf: bool,
    /// Steps of its recipe from the input (the deepest argument counted; 0 for the input).
    pub depth: u8,
}

impl Node {
    /// Its values on the demo inputs (the first `n_train`).
    pub fn demos(&self, n_train: usize) -> &[Value] {
        &self.vals[..n_train]
    }

    /// Its values on the test inputs (after the first `n_train`).
    pub fn tests(&self, n_train: usize) -> &[Value] {
        &self.vals[n_train..]
    }
}

/// Rebuilds the expression of node `id`.
pub fn expr_of(nodes: &[Node], id: u32) -> Expr {
    match &nodes[id as usize].recipe {
        Recipe::Input => Expr::Input,
        Recipe::Call { prim, params, args } => {
            Expr::Call { prim: *prim, params: params.clone(), args: args.iter().map(|&a| expr_of(nodes, a)).collect() }
        }
        Recipe::Map { prim, params, arg } => Expr::Map { prim: *prim, params: params.clone(), arg: Box::new(expr_of(nodes, *arg)) },
    }
}

impl super::engine::Enumeration {
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
                r => 1 + r.args().iter().map(|&a| depth_of(nodes, memo, a)).max().unwrap_or(0),
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
