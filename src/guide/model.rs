//! The guide network: a small CNN per demo pair and (when `NetConfig::features`) a projection
//! of the pair's global features, pooled over pairs (order-invariant), then an MLP with one
//! logit per primitive (multi-label).

use super::data::{CHANNELS, Encoded, N_FEATURES};
use tch::nn::{self, Module};
use tch::Tensor;

/// Hyper-parameters of the network (saved with the weights).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct NetConfig {
    /// Channels of the convolution stages.
    pub width: i64,
    /// Hidden units of the MLP.
    pub hidden: i64,
    /// Outputs: the vocabulary size.
    pub n_prims: i64,
    /// Whether the pairs' global features (`data::pair_features`) feed the MLP besides the
    /// convolutions (false in guides trained before they existed).
    #[serde(default)]
    pub features: bool,
}

impl NetConfig {
    /// The widest convolution stages a guide may have.
    pub const MAX_WIDTH: i64 = 256;
    /// The most hidden units a guide may have.
    pub const MAX_HIDDEN: i64 = 4096;
    /// The most outputs (primitives) a guide may have.
    pub const MAX_PRIMS: i64 = 4096;

    /// Whether the sizes are within bounds (1..=[`Self::MAX_WIDTH`], 1..=[`Self::MAX_HIDDEN`],
    /// 1..=[`Self::MAX_PRIMS`]): checked before any layer is allocated.
    pub fn check(&self) -> Result<(), String> {
        let within = |name: &str, v: i64, max: i64| {
            if (1..=max).contains(&v) { Ok(()) } else { Err(format!("`{name}` is {v}, not in 1..={max}")) }
        };
        within("width", self.width, Self::MAX_WIDTH)?;
        within("hidden", self.hidden, Self::MAX_HIDDEN)?;
        within("n_prims", self.n_prims, Self::MAX_PRIMS)
    }
}

/// The network.
#[derive(Debug)]
pub struct Net {
    c1: nn::Conv2D,
    c2: nn::Conv2D,
    c3: nn::Conv2D,
    /// The per-pair projection of the global features (when `NetConfig::features`).
    f1: Option<nn::Linear>,
    fc1: nn::Linear,
    fc2: nn::Linear,
    width: i64,
}

impl Net {
    /// Builds the layers under `vs`.
    pub fn new(vs: &nn::Path, cfg: NetConfig) -> Net {
        let w = cfg.width;
        let conv = |name: &str, i, o, stride| {
            nn::conv2d(vs / name, i, o, 3, nn::ConvConfig { padding: 1, stride, ..Default::default() })
        };
        Net {
            c1: conv("c1", CHANNELS as i64, w, 1),
            c2: conv("c2", w, 2 * w, 2),
            c3: conv("c3", 2 * w, 2 * w, 2),
            f1: cfg.features.then(|| nn::linear(vs / "f1", N_FEATURES as i64, 2 * w, Default::default())),
            fc1: nn::linear(vs / "fc1", 8 * w + if cfg.features { 4 * w + 2 * N_FEATURES as i64 } else { 0 }, cfg.hidden, Default::default()),
            fc2: nn::linear(vs / "fc2", cfg.hidden, cfg.n_prims, Default::default()),
            width: w,
        }
    }

    /// `e.x: [batch, pairs, CHANNELS, 30, 30]`, `e.feats: [batch, pairs, N_FEATURES]`,
    /// `e.mask: [batch, pairs]` -> logits `[batch, n_prims]`.
    pub fn forward(&self, e: &Encoded) -> Tensor {
        let (x, mask) = (&e.x, &e.mask);
        let (b, p) = (x.size()[0], x.size()[1]);
        let c = 2 * self.width;
        // [b*p, C, 30, 30] -> [b*p, 2w, 8, 8]
        let h = x.flatten(0, 1).apply(&self.c1).relu().apply(&self.c2).relu().apply(&self.c3).relu();
        // Per pair: mean and max over space -> [b, p, 4w]
        let pair = Tensor::cat(&[h.mean_dim(&[2i64, 3][..], false, tch::Kind::Float), h.amax(&[2i64, 3][..], false)], 1)
            .reshape([b, p, 2 * c]);
        // Over pairs, masked: mean and max -> [b, 8w]
        let m = mask.unsqueeze(-1);
        let count = m.sum_dim_intlist(&[1i64][..], false, tch::Kind::Float).clamp_min(1.0);
        let mean = |t: &Tensor| (t * &m).sum_dim_intlist(&[1i64][..], false, tch::Kind::Float) / &count;
        let max = |t: &Tensor| (t + (&m - 1.0) * 1e4).amax(&[1i64][..], false);
        let mut task = vec![mean(&pair), max(&pair)];
        if let Some(f1) = &self.f1 {
            // Features: projected per pair [b, p, 2w] -> mean and max [b, 4w]; raw, mean and
            // min over pairs (min: what holds in every pair) -> [b, 2 * N_FEATURES].
            let proj = e.feats.apply(f1).relu();
            let min = -(max(&-&e.feats));
            task.extend([mean(&proj), max(&proj), mean(&e.feats), min]);
        }
        // [b, 8w (+ 4w + 2 N_FEATURES)] -> [b, hidden] -> [b, n_prims]
        self.fc2.forward(&self.fc1.forward(&Tensor::cat(&task, 1)).relu())
    }
}
