#!/usr/bin/env python3
"""Trains the guide network with PyTorch on a GPU, from `arc export-guide-data` arrays.

`arc train-guide` trains the same network through tch on CPU (or CUDA when its libtorch has
it). This script is for machines whose PyTorch has CUDA but where tch's libtorch does not:
it mirrors `src/guide/model.rs` (layer names, shapes, forward), `src/guide/data.rs` (the 23
planes per pair) and `src/guide/train.rs` (the loss, Adam, cosine decay, top-5 recall), and
writes `<out>.safetensors` with the network's variable names plus `<out>.record.json`. Then
`arc adopt-guide --weights <out>.safetensors --record <out>.record.json` checks the weights
against the registry, measures them on the validation split in Rust and writes `models/guide.*`.

It mirrors the network without the pairs' global features (`NetConfig.features = false`, i.e.
`arc train-guide --no-features`): those features are computed in Rust (`data::pair_features`)
and are not exported yet. The labels are the exported ones, so they are canonicalised as in Rust.

Data on the GPU: every distinct grid once (unpadded); batches are gathered into
`[batch, 5 pairs, 23, 30, 30]` on the device. Augmentation (`--recolor P`): with probability P
a task's colours 1..9 are permuted (0, the usual background, is kept), a change that keeps the
program's primitives.

Usage: train_guide_gpu.py --data DIR --out PREFIX (--steps N | --minutes M) [--batch 256 ...]
With --minutes, the step count is fixed before training from the timed speed of a throwaway
copy, so that the cosine schedule spans the run; the count is recorded and `--steps` with it
repeats the run.
"""
import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

S = 30  # MAX_SIDE
N_COLORS = 10
CHANNELS = 2 * N_COLORS + 3


class Net(nn.Module):
    """src/guide/model.rs: x [b, p, 23, 30, 30], mask [b, p] -> logits [b, n_prims]."""

    def __init__(self, width, hidden, n_prims):
        super().__init__()
        w = width
        self.c1 = nn.Conv2d(CHANNELS, w, 3, padding=1)
        self.c2 = nn.Conv2d(w, 2 * w, 3, stride=2, padding=1)
        self.c3 = nn.Conv2d(2 * w, 2 * w, 3, stride=2, padding=1)
        self.fc1 = nn.Linear(8 * w, hidden)
        self.fc2 = nn.Linear(hidden, n_prims)

    def forward(self, x, mask):
        b, p = x.shape[:2]
        # [b*p, 23, 30, 30] -> [b*p, 2w, 8, 8]
        h = F.relu(self.c3(F.relu(self.c2(F.relu(self.c1(x.flatten(0, 1)))))))
        h = h.float()
        # per pair: mean and max over space -> [b, p, 4w]
        pair = torch.cat([h.mean(dim=(2, 3)), h.amax(dim=(2, 3))], 1).reshape(b, p, -1)
        # over pairs, masked: mean and max -> [b, 8w]
        m = mask.unsqueeze(-1)
        mean = (pair * m).sum(1) / m.sum(1).clamp_min(1.0)
        mx = (pair + (m - 1.0) * 1e4).amax(1)
        task = torch.cat([mean, mx], 1)
        return self.fc2(F.relu(self.fc1(task)))


def loss_fn(logits, y):
    """src/guide/train.rs `loss`: softmax cross-entropy against the normalised multi-hot labels."""
    target = y / y.sum(1, keepdim=True).clamp_min(1.0)
    return -(target * logits.float().log_softmax(1)).sum(1).mean()


class Data:
    """The exported arrays, on `device`, and batch encoding there."""

    def __init__(self, folder, device):
        load = lambda name: np.load(os.path.join(folder, name + ".npy"))
        self.meta = json.load(open(os.path.join(folder, "meta.json")))
        self.device = device
        self.cells = torch.from_numpy(load("cells")).to(device)
        hw = torch.from_numpy(load("grid_hw").astype(np.int64)).to(device)
        self.h, self.w = hw[:, 0], hw[:, 1]
        sizes = self.h * self.w
        self.offset = torch.cumsum(sizes, 0) - sizes
        self.grids = torch.from_numpy(load("task_grids").astype(np.int64)).to(device)  # [T, 5, 2]
        labels = torch.from_numpy(load("task_labels").astype(np.int64)).to(device)  # [T, L]
        self.n_prims = len(self.meta["vocab"])
        y = torch.zeros(labels.shape[0], self.n_prims + 1, device=device)
        y.scatter_(1, torch.where(labels < 0, self.n_prims, labels), 1.0)
        self.y = y[:, : self.n_prims].contiguous()
        split = torch.from_numpy(load("task_split")).to(device)
        self.train_idx = torch.nonzero(split == 0).squeeze(1)
        self.val_idx = torch.nonzero(split == 1).squeeze(1)
        self.hind_idx = torch.nonzero(split == 2).squeeze(1)
        r = torch.arange(S, device=device)
        self.r, self.c = r.view(1, 1, 1, S, 1), r.view(1, 1, 1, 1, S)

    def encode(self, idx, perm=None):
        """idx [b] -> x [b, 5, 23, 30, 30] (float), mask [b, 5], y [b, n_prims]; `perm` [b, 10]
        maps colours per task."""
        g = self.grids[idx]  # [b, 5, 2]
        present = g[:, :, 0] >= 0
        gi = g.clamp_min(0)
        h = self.h[gi][..., None, None]
        w = self.w[gi][..., None, None]
        inside = (self.r < h) & (self.c < w) & present[:, :, None, None, None]  # [b, 5, 2, 30, 30]
        flat = torch.where(inside, self.offset[gi][..., None, None] + self.r * w + self.c, 0)
        v = self.cells[flat].long()
        if perm is not None:
            base = N_COLORS * torch.arange(len(idx), device=v.device).view(-1, 1, 1, 1, 1)
            v = perm.reshape(-1)[v + base]
        v = torch.where(inside, v, N_COLORS)
        oh = F.one_hot(v, N_COLORS + 1).permute(0, 1, 2, 5, 3, 4)  # [b, 5, 2, 11, 30, 30]
        planes = [oh[:, :, 0, :N_COLORS], inside[:, :, 0, None], oh[:, :, 1, :N_COLORS], inside[:, :, 1, None]]
        changed = inside[:, :, 0] & inside[:, :, 1] & (v[:, :, 0] != v[:, :, 1])
        x = torch.cat([p.to(torch.float32) for p in planes] + [changed[:, :, None].to(torch.float32)], 2)
        return x, present.to(torch.float32), self.y[idx]


def random_perms(b, share, gen, device):
    """[b, 10] colour maps: identity, or with probability `share` a permutation of 1..9."""
    keys = torch.rand(b, 9, generator=gen, device=device)
    perm = torch.cat([torch.zeros(b, 1, dtype=torch.long, device=device), keys.argsort(1) + 1], 1)
    ident = torch.arange(N_COLORS, device=device).expand(b, N_COLORS)
    use = torch.rand(b, 1, generator=gen, device=device) < share
    return torch.where(use, perm, ident)


@torch.no_grad()
def evaluate(net, data, idx, amp):
    """src/guide/train.rs `evaluate`: mean loss and top-5 recall."""
    net.eval()
    total, recall = 0.0, 0.0
    for k in range(0, len(idx), 256):
        chunk = idx[k : k + 256]
        x, m, y = data.encode(chunk)
        with torch.autocast("cuda", dtype=torch.bfloat16, enabled=amp):
            logits = net(x, m).float()
        total += loss_fn(logits, y).item() * len(chunk)
        top = logits.topk(5, 1).indices
        hit = torch.gather(y, 1, top).sum(1)
        recall += (hit / y.sum(1).clamp_min(1.0)).sum().item()
    net.train()
    return total / len(idx), recall / len(idx)


def make_batch(data, args, gen, share):
    b = args.batch
    n_h = round(b * args.hindsight_share) if len(data.hind_idx) else 0
    t = data.train_idx[torch.randint(len(data.train_idx), (b - n_h,), generator=gen, device=data.device)]
    hi = data.hind_idx[torch.randint(len(data.hind_idx), (n_h,), generator=gen, device=data.device)] if n_h else t[:0]
    idx = torch.cat([t, hi])
    perm = random_perms(b, share, gen, data.device) if share > 0 else None
    return data.encode(idx, perm)


def lr_at(step, args):
    """Linear warm-up, then cosine decay to 0 (step counts from 1)."""
    if step <= args.warmup:
        return args.lr * step / args.warmup
    t = (step - 1 - args.warmup) / max(1, args.steps - args.warmup)
    return args.lr * 0.5 * (1.0 + math.cos(math.pi * t))


def build(args, n_prims, device):
    torch.manual_seed(args.seed)
    net = Net(args.width, args.hidden, n_prims).to(device).to(memory_format=torch.channels_last)
    opt = torch.optim.Adam(net.parameters(), lr=args.lr)
    return net, opt


def step_once(net, opt, batch, lr, amp):
    x, m, y = batch
    for g in opt.param_groups:
        g["lr"] = lr
    with torch.autocast("cuda", dtype=torch.bfloat16, enabled=amp):
        loss = loss_fn(net(x, m), y)
    opt.zero_grad(set_to_none=True)
    loss.backward()
    opt.step()
    return loss


def command(args):
    """The command line that repeats this run: `--minutes M` becomes the `--steps` it chose."""
    argv, out, skip = sys.argv, [], False
    for a in argv:
        if skip:
            skip = False
        elif a == "--minutes":
            skip = True
        elif not a.startswith("--minutes="):
            out.append(a)
    if "--steps" not in out:
        out += ["--steps", str(args.steps)]
    return "python3 " + " ".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--steps", type=int)
    ap.add_argument("--minutes", type=float, help="fix --steps from the measured speed to fill this time")
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--warmup", type=int, default=1000)
    ap.add_argument("--width", type=int, default=32)
    ap.add_argument("--hidden", type=int, default=256)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--hindsight-share", type=float, default=0.1)
    ap.add_argument("--recolor", type=float, default=0.5, help="share of tasks with colours 1..9 permuted")
    ap.add_argument("--val-every", type=int, default=2000)
    ap.add_argument("--no-amp", action="store_true")
    args = ap.parse_args()
    if (args.steps is None) == (args.minutes is None):
        ap.error("give exactly one of --steps and --minutes")
    t0 = time.time()
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    amp = device.type == "cuda" and not args.no_amp
    torch.backends.cudnn.benchmark = True
    torch.backends.cuda.matmul.allow_tf32 = True
    torch.backends.cudnn.allow_tf32 = True
    data = Data(args.data, device)
    n = data.n_prims
    print(f"data: {len(data.train_idx)} training, {len(data.val_idx)} validation, {len(data.hind_idx)} hindsight tasks, "
          f"{len(data.h)} grids; device {device} ({torch.cuda.get_device_name() if device.type == 'cuda' else 'cpu'}); "
          f"loaded in {time.time() - t0:.1f}s", flush=True)
    gen = torch.Generator(device=device)
    if args.minutes is not None:
        # A throwaway copy times the steps; the real run starts from the seed again.
        args.steps = 10**9
        net, opt = build(args, n, device)
        gen.manual_seed(args.seed + 1)
        for i in range(60):
            if i == 20:
                if device.type == "cuda":
                    torch.cuda.synchronize()
                t1 = time.time()
            step_once(net, opt, make_batch(data, args, gen, args.recolor), 1e-4, amp)
        if device.type == "cuda":
            torch.cuda.synchronize()
        per_step = (time.time() - t1) / 40
        per_val = per_step * len(data.val_idx) / args.batch
        left = args.minutes * 60 - (time.time() - t0)
        args.steps = max(1000, int(left / (per_step * 1.08 + per_val / args.val_every)) // 1000 * 1000)
        print(f"timing: {per_step * 1000:.1f} ms/step -> --steps {args.steps}", flush=True)
        del net, opt
    net, opt = build(args, n, device)
    gen.manual_seed(args.seed)
    ema, t1 = None, time.time()
    history = []
    for step in range(1, args.steps + 1):
        loss = step_once(net, opt, make_batch(data, args, gen, args.recolor), lr_at(step, args), amp)
        if step % 100 == 0 or step % args.val_every == 0 or step == args.steps:
            l = loss.item()
            ema = l if ema is None else 0.9 * ema + 0.1 * l
        if step % args.val_every == 0 or step == args.steps:
            vl, vr = evaluate(net, data, data.val_idx, amp)
            history.append({"step": step, "train_loss": ema, "val_loss": vl, "val_top5_recall": vr})
            print(f"step {step}/{args.steps}: loss {ema:.4f} | val loss {vl:.4f}, top-5 recall {vr:.3f} "
                  f"[{time.time() - t1:.0f}s]", flush=True)
    from safetensors.torch import save_file

    state = {k: v.detach().float().contiguous().cpu() for k, v in net.state_dict().items()}
    save_file(state, args.out + ".safetensors")
    m = data.meta
    record = {
        "vocab": m["vocab"],
        "net": {"width": args.width, "hidden": args.hidden, "n_prims": n, "features": False},
        "train": {
            "steps": args.steps, "batch": args.batch, "lr": args.lr, "seed": args.seed,
            "max_prims": m["config"]["max_prims"], "val_tasks": m["config"]["val_tasks"],
            "val_every": args.val_every, "hindsight_share": args.hindsight_share, "cosine": True,
        },
        "train_loss": ema,
        "data": f"{m['data']}; {m['counts']['train']} training tasks exported by `{m['command']}`; trained by "
                f"scripts/train_guide_gpu.py (PyTorch {torch.__version__}, "
                f"{torch.cuda.get_device_name() if device.type == 'cuda' else 'cpu'}, bf16 autocast: {amp}), "
                f"batch {args.batch}, warm-up {args.warmup} steps then cosine decay, colours 1..9 permuted in a "
                f"{args.recolor} share of tasks",
        "command": command(args),
        "history": history,
        "seconds": time.time() - t0,
    }
    json.dump(record, open(args.out + ".record.json", "w"), indent=1)
    print(f"wrote {args.out}.safetensors and {args.out}.record.json in {time.time() - t0:.0f}s", flush=True)


if __name__ == "__main__":
    main()
