//! The neural guide: given a task's demonstrations, a probability per primitive that a solving
//! program uses it. `data` encodes grids, `model` is the network, `synth` makes training tasks,
//! `train` is the loop; this module saves and loads a trained guide with its provenance
//! (`models/guide.safetensors` + `models/guide.json`) and scores tasks.

pub mod data;
pub mod export;
pub mod model;
pub mod prior;
pub mod synth;
pub mod train;
pub mod ttt;

use crate::dsl::registry;
use crate::task::Pair;
use model::{Net, NetConfig};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use tch::{Device, nn};
use train::{Metrics, TrainConfig};

/// Everything saved beside the weights.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GuideMeta {
    /// Primitive names in output order: must match the registry.
    pub vocab: Vec<String>,
    pub net: NetConfig,
    pub train: TrainConfig,
    /// What the guide was trained on.
    pub data: String,
    pub metrics: Metrics,
    /// The command that made it.
    pub command: String,
    /// sha256, hex, of the weights file's bytes followed by `\nnet:` and the `net` config and
    /// `\nvocab:` and the vocabulary as compact JSON (see [`checksum`]): an edited config or
    /// vocabulary fails the check as edited weights do.
    pub sha256: String,
}

/// Why a guide cannot be loaded.
#[derive(Debug, thiserror::Error)]
pub enum GuideError {
    #[error("{0}: cannot read: {1}")]
    Io(PathBuf, std::io::Error),
    #[error("{0}: bad metadata: {1}")]
    Meta(PathBuf, serde_json::Error),
    #[error("{path}: checksum mismatch: the metadata says {expected}, the weights, the `net` config and the vocabulary hash to {got}")]
    Checksum { path: PathBuf, expected: String, got: String },
    #[error("{0}: bad `net` config: {1}")]
    Config(PathBuf, String),
    #[error("{0}: {1}")]
    Read(PathBuf, crate::fsio::ReadError),
    #[error("{0}: the weights do not fit the `net` config: {1}")]
    Shape(PathBuf, String),
    #[error("{0}: the weights hold non-finite values (NaN or infinity) in `{1}`")]
    NotFinite(PathBuf, String),
    #[error(
        "no guide found: none given (--guide PATH or ARC_GUIDE=PATH, a prefix of PATH.json and PATH.safetensors) \
         and no `models/guide.json` beside the executable {0} or in the 3 folders above it; or search with --no-guide"
    )]
    NotFound(PathBuf),
    #[error(
        "the guide's vocabulary does not match the DSL registry (retrain with `arc train-guide`): {}",
        .0
    )]
    Vocab(String),
    #[error("libtorch: {0}")]
    Torch(#[from] tch::TchError),
}

/// The differences between a trained vocabulary and the registry, or `None` when they match.
pub fn vocab_mismatch(trained: &[String], current: &[&str]) -> Option<String> {
    if trained.iter().map(String::as_str).eq(current.iter().copied()) {
        return None;
    }
    let added: Vec<&str> = current.iter().copied().filter(|n| !trained.iter().any(|t| t == n)).collect();
    let removed: Vec<&str> = trained.iter().map(String::as_str).filter(|t| !current.contains(t)).collect();
    let moved = trained.iter().zip(current).position(|(t, c)| t != c).filter(|_| added.is_empty() && removed.is_empty());
    let mut parts = Vec::new();
    if !added.is_empty() {
        parts.push(format!("added since training: {}", added.join(", ")));
    }
    if !removed.is_empty() {
        parts.push(format!("removed since training: {}", removed.join(", ")));
    }
    if let Some(i) = moved {
        parts.push(format!("order differs from position {i} (`{}` vs `{}`)", trained[i], current[i]));
    }
    Some(parts.join("; "))
}

/// The largest weights file read (256 MiB; the largest network within [`NetConfig::check`]'s
/// bounds holds about 40 MB of weights).
pub const MAX_WEIGHTS_BYTES: u64 = 256 << 20;

/// The largest metadata file read (16 MiB).
pub const MAX_META_BYTES: u64 = 16 << 20;

/// The guide's checksum: sha256 of the weights file's bytes, `\nnet:` and the `net` config as
/// compact JSON, `\nvocab:` and the vocabulary as compact JSON, hex: two names swapped change
/// it. The weights are read by the bounded reader (a regular file of at most
/// [`MAX_WEIGHTS_BYTES`]).
pub fn checksum(weights: &Path, net: &NetConfig, vocab: &[String]) -> Result<String, GuideError> {
    let bytes = crate::fsio::read_bounded(weights, MAX_WEIGHTS_BYTES).map_err(|e| GuideError::Read(weights.to_path_buf(), e))?;
    let mut h = Sha256::new();
    h.update(&bytes);
    h.update(b"\nnet:");
    h.update(serde_json::to_string(net).expect("a config serialises").as_bytes());
    h.update(b"\nvocab:");
    h.update(serde_json::to_string(vocab).expect("names serialise").as_bytes());
    Ok(h.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

/// Checks that the weights file holds exactly the network's tensors, each of the shape the
/// config makes (loading copies into the variables, and a copy would broadcast a bias of
/// shape `[1]`).
fn check_shapes(weights: &Path, vs: &nn::VarStore) -> Result<(), GuideError> {
    let file = tch::Tensor::read_safetensors(weights)?;
    let vars = vs.variables();
    let bad = |e: String| GuideError::Shape(weights.to_path_buf(), e);
    for (name, t) in &file {
        let Some(v) = vars.get(name) else { return Err(bad(format!("a tensor `{name}` the network does not have"))) };
        if t.size() != v.size() {
            return Err(bad(format!("`{name}` has shape {:?}, the config makes {:?}", t.size(), v.size())));
        }
    }
    if let Some(name) = vars.keys().find(|n| !file.iter().any(|(f, _)| f == *n)) {
        return Err(bad(format!("no tensor `{name}`")));
    }
    Ok(())
}

/// The file pair of a guide: `<prefix>.safetensors` and `<prefix>.json`.
pub fn paths(prefix: &Path) -> (PathBuf, PathBuf) {
    (prefix.with_extension("safetensors"), prefix.with_extension("json"))
}

/// The default guide: `$ARC_GUIDE` when set, else `models/guide` in the executable's folder or
/// one of the 3 above it, else where it would be there (loading it then says what is missing);
/// see [`find_prefix`].
pub fn shipped_prefix() -> PathBuf {
    prefix_or_default(None)
}

/// The guide [`find_prefix`] finds, or where the default one would be when there is none.
pub fn prefix_or_default(given: Option<&Path>) -> PathBuf {
    find_prefix(given).unwrap_or_else(|e| match e {
        GuideError::NotFound(exe) => exe.join("models/guide"),
        _ => unreachable!("find_prefix fails with NotFound only"),
    })
}

/// The guide to use, or why none is found: `given` (e.g. `arc --guide PATH`) when there is one,
/// else `$ARC_GUIDE` (read here, a user's setting, never set by this crate) when set, else
/// `models/guide` in the executable's folder or one of the 3 above it (`target/release/arc`
/// finds its checkout's `models/`; an installed binary, one beside its `models/`). Never a path
/// fixed at build time: a copied binary does not silently use another checkout's guide. A path
/// given with its extension (`.json`, `.safetensors`) names the same pair; an empty one, none
/// (the executable's folders are searched).
pub fn find_prefix(given: Option<&Path>) -> Result<PathBuf, GuideError> {
    let named = match given {
        Some(p) => Some(p.to_path_buf()),
        None => std::env::var_os("ARC_GUIDE").map(PathBuf::from),
    };
    if let Some(p) = named.filter(|p| !p.as_os_str().is_empty()) {
        let known = p.extension().is_some_and(|e| e == "json" || e == "safetensors");
        return Ok(if known { p.with_extension("") } else { p });
    }
    let exe = crate::task::exe_dir();
    exe.ancestors().take(4).map(|d| d.join("models/guide")).find(|p| paths(p).1.is_file()).ok_or(GuideError::NotFound(exe))
}

/// Reads a guide's metadata alone (no weights, no checks but the format).
pub fn read_meta(prefix: &Path) -> Result<GuideMeta, GuideError> {
    let j = paths(prefix).1;
    let text = crate::fsio::read_bounded_text(&j, MAX_META_BYTES).map_err(|e| GuideError::Read(j.clone(), e))?;
    serde_json::from_str(&text).map_err(|e| GuideError::Meta(j.clone(), e))
}

/// How loading treats a registry that differs from the trained vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VocabPolicy {
    /// The registry must be exactly the trained vocabulary, in order.
    Exact,
    /// Primitives added to the registry since training are allowed (matched by name; they get
    /// the uniform probability); a trained primitive missing from the registry is still an error.
    AllowAdded,
}

/// A trained guide, ready to score tasks.
#[derive(Debug)]
pub struct NeuralGuide {
    pub vs: nn::VarStore,
    pub net: Net,
    pub meta: GuideMeta,
    /// For each registry primitive, its output in the network (`None`: added since training).
    pub outputs: Vec<Option<usize>>,
}

impl NeuralGuide {
    /// Saves weights and metadata (the checksum is computed here).
    pub fn save(vs: &nn::VarStore, mut meta: GuideMeta, prefix: &Path) -> Result<GuideMeta, GuideError> {
        let (w, j) = paths(prefix);
        if let Some(dir) = w.parent() {
            std::fs::create_dir_all(dir).map_err(|e| GuideError::Io(dir.to_path_buf(), e))?;
        }
        vs.save(&w)?;
        meta.sha256 = checksum(&w, &meta.net, &meta.vocab)?;
        let text = serde_json::to_string_pretty(&meta).expect("metadata serialises") + "\n";
        std::fs::write(&j, text).map_err(|e| GuideError::Io(j.clone(), e))?;
        Ok(meta)
    }

    /// Loads a guide, checking its checksum and that its vocabulary is exactly the registry.
    pub fn load(prefix: &Path) -> Result<NeuralGuide, GuideError> {
        Self::load_with(prefix, VocabPolicy::Exact)
    }

    /// Loads a guide, checking (in this order, before any tensor is made) its `net` config
    /// against [`NetConfig::check`]'s bounds, its checksum, its vocabulary against the registry
    /// by `policy`, and that `n_prims` is the vocabulary's size; then that every weight is finite.
    pub fn load_with(prefix: &Path, policy: VocabPolicy) -> Result<NeuralGuide, GuideError> {
        let (w, j) = paths(prefix);
        let meta = read_meta(prefix)?;
        meta.net.check().map_err(|e| GuideError::Config(j.clone(), e))?;
        let got = checksum(&w, &meta.net, &meta.vocab)?;
        if got != meta.sha256 {
            return Err(GuideError::Checksum { path: w, expected: meta.sha256, got });
        }
        let names: Vec<&str> = registry().prims.iter().map(|p| p.name).collect();
        if let Some(diff) = vocab_mismatch(&meta.vocab, &names) {
            let removed = meta.vocab.iter().any(|t| !names.contains(&t.as_str()));
            if policy == VocabPolicy::Exact || removed {
                return Err(GuideError::Vocab(diff));
            }
        }
        if meta.net.n_prims != meta.vocab.len() as i64 {
            let e = format!("`n_prims` is {}, but the vocabulary holds {} primitives", meta.net.n_prims, meta.vocab.len());
            return Err(GuideError::Config(j, e));
        }
        let outputs = names.iter().map(|n| meta.vocab.iter().position(|t| t == n)).collect();
        let mut vs = nn::VarStore::new(Device::Cpu);
        let net = Net::new(&vs.root(), meta.net);
        check_shapes(&w, &vs)?;
        vs.load(&w)?;
        for (name, t) in vs.variables() {
            if t.isfinite().all().int64_value(&[]) != 1 {
                return Err(GuideError::NotFinite(w, name));
            }
        }
        Ok(NeuralGuide { vs, net, meta, outputs })
    }

    /// Registry primitives the network was not trained on.
    pub fn unseen(&self) -> usize {
        self.outputs.iter().filter(|o| o.is_none()).count()
    }

    /// A probability per primitive (registry order, summing to 1): the share of a solving
    /// program's primitives that this one is expected to be.
    pub fn predict(&self, pairs: &[Pair]) -> Vec<f32> {
        let _guard = tch::no_grad_guard();
        let p = self.net.forward(&data::encode_tasks(&[pairs], Device::Cpu)).softmax(1, tch::Kind::Float).squeeze_dim(0);
        let p = Vec::<f32>::try_from(&p).expect("a float vector");
        if self.unseen() == 0 && self.outputs.iter().enumerate().all(|(i, o)| *o == Some(i)) {
            return p;
        }
        // Map to registry order; primitives added since training get the uniform share.
        let uniform = 1.0 / self.outputs.len() as f32;
        let mapped: Vec<f32> = self.outputs.iter().map(|o| o.map_or(uniform, |j| p[j])).collect();
        let total: f32 = mapped.iter().sum();
        mapped.iter().map(|x| x / total).collect()
    }
}

/// Makes libtorch compute on the calling thread alone (the one place that sets libtorch's thread
/// count). The solver runs one task per thread (`--jobs` threads on 2 shared cores), so
/// libtorch's own intra-op threads would only compete with them: a solver thread calls this as
/// it builds its network ([`prior::NeuralPrior`]); tests, benches and examples that run a
/// network themselves call it first.
pub fn one_thread() {
    tch::set_num_threads(1);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vocab_mismatch_says_what_differs() {
        let t: Vec<String> = ["a", "b"].iter().map(|s| s.to_string()).collect();
        assert_eq!(vocab_mismatch(&t, &["a", "b"]), None);
        assert_eq!(vocab_mismatch(&t, &["a", "b", "c"]).unwrap(), "added since training: c");
        assert_eq!(vocab_mismatch(&t, &["a"]).unwrap(), "removed since training: b");
        assert!(vocab_mismatch(&t, &["b", "a"]).unwrap().contains("order differs from position 0"));
    }
}
