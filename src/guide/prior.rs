//! A guide that many solver threads can share: `tch` tensors are not `Sync`, so each thread
//! builds its own network from the shared weights on first use and keeps it.
//!
//! That network is thread-local state, kept on purpose: a network cannot be shared between
//! threads, rebuilding it for every task would read and check the weights each time, and a
//! thread that keeps its own network sets libtorch's thread count ([`super::one_thread`]) once,
//! as it builds it, before any network runs on it. It changes no result: every copy is the same
//! checked weights (keyed by their checksum).

use super::ttt::{TttConfig, adapt_to_candidates};
use super::{GuideError, GuideMeta, NeuralGuide, VocabPolicy};
use crate::dsl::PrimId;
use crate::search::Guide;
use crate::task::Task;
use std::cell::RefCell;
use std::path::{Path, PathBuf};

/// The shipped (or any saved) guide, with test-time training settings.
#[derive(Debug, Clone)]
pub struct NeuralPrior {
    prefix: PathBuf,
    pub meta: GuideMeta,
    pub ttt: TttConfig,
    /// Registry primitives added since training (scored uniform).
    pub unseen: usize,
}

thread_local! {
    /// This thread's network, keyed by the weights' checksum (see the module's doc: why per thread).
    static LOCAL: RefCell<Option<(String, NeuralGuide)>> = const { RefCell::new(None) };
}

impl NeuralPrior {
    /// Loads (and checks) the guide at `prefix`; primitives added to the registry since
    /// training are allowed and scored uniform (see [`NeuralPrior::unseen`]).
    pub fn load(prefix: &Path, ttt: TttConfig) -> Result<NeuralPrior, GuideError> {
        let g = NeuralGuide::load_with(prefix, VocabPolicy::AllowAdded)?;
        Ok(NeuralPrior { prefix: prefix.to_path_buf(), unseen: g.unseen(), meta: g.meta, ttt })
    }

    /// Probability per primitive for this task, before any test-time training (only
    /// [`NeuralPrior::probs_after`] trains).
    pub fn probs(&self, task: &Task) -> Vec<f32> {
        self.with_guide(|guide| guide.predict(&task.train))
    }

    /// Probability per primitive for this task after the first share of the search found
    /// `candidates`, and the training steps run: the guide first learns the candidates'
    /// primitives from the task's own demos (no steps when no candidate has a primitive or
    /// test-time training is off).
    pub fn probs_after(&self, task: &Task, candidates: &[Vec<PrimId>]) -> (Vec<f32>, u64) {
        self.with_guide(|guide| {
            let (adapted, losses) = adapt_to_candidates(guide, task, candidates, &self.ttt);
            (adapted.predict(&task.train), losses.len() as u64)
        })
    }

    /// Runs `f` on this thread's copy of the network.
    fn with_guide<T>(&self, f: impl FnOnce(&NeuralGuide) -> T) -> T {
        LOCAL.with(|cell| {
            let mut local = cell.borrow_mut();
            if local.as_ref().is_none_or(|(sha, _)| *sha != self.meta.sha256) {
                super::one_thread();
                let g = NeuralGuide::load_with(&self.prefix, VocabPolicy::AllowAdded).expect("the guide loaded before, with the same checksum");
                *local = Some((self.meta.sha256.clone(), g));
            }
            let (_, guide) = local.as_ref().expect("just set");
            f(guide)
        })
    }
}

/// The neural guide as the search's prior (its probabilities sum to 1, as the search compares
/// them with the uniform `1/n`).
impl Guide for NeuralPrior {
    fn name(&self) -> String {
        // `c`: trained on candidates (the name kept from when there was another source).
        let ttt = if self.ttt.steps == 0 { String::new() } else { format!("+ttt{}c", self.ttt.steps) };
        let unseen = if self.unseen == 0 { String::new() } else { format!(" ({} primitives unseen in training)", self.unseen) };
        format!("neural{ttt}{unseen}")
    }

    fn prim_probs(&self, task: &Task) -> Vec<f32> {
        self.probs(task)
    }

    fn prim_probs_after(&self, task: &Task, candidates: &[Vec<PrimId>]) -> (Vec<f32>, u64) {
        self.probs_after(task, candidates)
    }
}
