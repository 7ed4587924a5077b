//! A guide that many solver threads can share: `tch` tensors are not `Sync`, so each thread
//! builds its own network from the shared weights on first use and keeps it.

use super::ttt::{TttConfig, adapt};
use super::{GuideError, GuideMeta, NeuralGuide, VocabPolicy};
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
    /// This thread's network, keyed by the weights' checksum.
    static LOCAL: RefCell<Option<(String, NeuralGuide)>> = const { RefCell::new(None) };
}

impl NeuralPrior {
    /// Loads (and checks) the guide at `prefix`; primitives added to the registry since
    /// training are allowed and scored uniform (see [`NeuralPrior::unseen`]).
    pub fn load(prefix: &Path, ttt: TttConfig) -> Result<NeuralPrior, GuideError> {
        let g = NeuralGuide::load_with(prefix, VocabPolicy::AllowAdded)?;
        Ok(NeuralPrior { prefix: prefix.to_path_buf(), unseen: g.unseen(), meta: g.meta, ttt })
    }

    /// Probability per primitive for this task, after test-time training when enabled.
    pub fn probs(&self, task: &Task) -> Vec<f32> {
        LOCAL.with(|cell| {
            let mut local = cell.borrow_mut();
            if local.as_ref().is_none_or(|(sha, _)| *sha != self.meta.sha256) {
                super::one_thread();
                let g = NeuralGuide::load_with(&self.prefix, VocabPolicy::AllowAdded).expect("the guide loaded before, with the same checksum");
                *local = Some((self.meta.sha256.clone(), g));
            }
            let (_, guide) = local.as_ref().expect("just set");
            if self.ttt.steps == 0 {
                guide.predict(&task.train)
            } else {
                adapt(guide, task, &self.ttt).0.predict(&task.train)
            }
        })
    }
}

/// The neural guide as the search's prior (its probabilities sum to 1, as the search compares
/// them with the uniform `1/n`).
impl Guide for NeuralPrior {
    fn name(&self) -> String {
        let ttt = if self.ttt.steps == 0 { String::new() } else { format!("+ttt{}", self.ttt.steps) };
        let unseen = if self.unseen == 0 { String::new() } else { format!(" ({} primitives unseen in training)", self.unseen) };
        format!("neural{ttt}{unseen}")
    }

    fn prim_probs(&self, task: &Task) -> Vec<f32> {
        self.probs(task)
    }

    fn ttt_steps(&self) -> u64 {
        self.ttt.steps as u64
    }
}
