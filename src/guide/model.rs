//! The guide network: a small CNN per demo pair, pooled over pairs (order-invariant), then an
//! MLP with one logit per primitive (multi-label).

use super::data::CHANNELS;
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
}

/// The network.
#[derive(Debug)]
pub struct Net {
    c1: nn::Conv2D,
    c2: nn::Conv2D,
    c3: nn::Conv2D,
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
            fc1: nn::linear(vs / "fc1", 8 * w, cfg.hidden, Default::default()),
            fc2: nn::linear(vs / "fc2", cfg.hidden, cfg.n_prims, Default::default()),
            width: w,
        }
    }

    /// `x: [batch, pairs, CHANNELS, 30, 30]`, `mask: [batch, pairs]` -> logits `[batch, n_prims]`.
    pub fn forward(&self, x: &Tensor, mask: &Tensor) -> Tensor {
        let (b, p) = (x.size()[0], x.size()[1]);
        let e = 2 * self.width;
        // [b*p, C, 30, 30] -> [b*p, 2w, 8, 8]
        let h = x.flatten(0, 1).apply(&self.c1).relu().apply(&self.c2).relu().apply(&self.c3).relu();
        // Per pair: mean and max over space -> [b, p, 4w]
        let pair = Tensor::cat(&[h.mean_dim(&[2i64, 3][..], false, tch::Kind::Float), h.amax(&[2i64, 3][..], false)], 1)
            .reshape([b, p, 2 * e]);
        // Over pairs, masked: mean and max -> [b, 8w]
        let m = mask.unsqueeze(-1);
        let mean = (&pair * &m).sum_dim_intlist(&[1i64][..], false, tch::Kind::Float) / m.sum_dim_intlist(&[1i64][..], false, tch::Kind::Float).clamp_min(1.0);
        let max = (&pair + (m - 1.0) * 1e4).amax(&[1i64][..], false);
        let task = Tensor::cat(&[mean, max], 1);
        // [b, 8w] -> [b, hidden] -> [b, n_prims]
        self.fc2.forward(&self.fc1.forward(&task).relu())
    }
}
