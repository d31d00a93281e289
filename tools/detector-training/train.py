"""Train the reference threat detector on the CPU, with a checkpoint every epoch (and every few
minutes inside an epoch) so that `--resume` continues after an interruption.

  nice -n 15 /usr/bin/python3 train.py --data work/data --out work/run [--epochs 12] [--resume]
"""

import os

# Two OpenMP threads that spin while waiting for each other crawl on a busy shared machine;
# sleeping threads keep training fast when other jobs take the cores (set before torch loads).
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import argparse
import copy
import json
import math
import random
import time

import numpy as np
import torch
import torch.nn.functional as F

from data import Merged, Split
from loss import DetectionLoss
from metrics import average_precision, postprocess
from model import CLASSES, IMGSZ, Detector, count_params

MODEL_CONFIG = dict(width=(0, 32, 64, 128, 160), depth=(1, 1, 2, 1), head_ch=48)
# The hardest classes are sampled more often: a disposable lighter shows little more than its small
# metal head (its plastic body is nearly transparent), scissors and knives are thin steel lines.
CLASS_WEIGHT = {CLASSES.index("lighter"): 3.0, CLASSES.index("scissors"): 1.5, CLASSES.index("knife"): 1.5}


def sampling_weights(split):
    """Per image: the largest class weight among its boxes (1 for images without a weighted class)."""
    return [max([CLASS_WEIGHT.get(int(c), 1.0) for c in g[:, 0]] + [1.0]) for g in split.gt_input]


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", default="work/data", help="folder holding train/ and val/ (scanner-sim dataset folders)")
    p.add_argument("--train", default="train,train2", help="training split folders under DATA, comma-separated")
    p.add_argument("--out", default="work/run", help="checkpoints, log and history go here")
    p.add_argument("--epochs", type=int, default=16)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--lr", type=float, default=2e-3, help="AdamW learning rate after warm-up")
    p.add_argument("--crop", type=int, default=192, help="training crop size (a multiple of 32)")
    p.add_argument("--full-frac", type=float, default=0.05, help="share of the iterations, at the end, on whole 320 x 320 images")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--ckpt-minutes", type=float, default=5.0, help="also checkpoint inside an epoch this often")
    p.add_argument("--resume", action="store_true", help="continue from OUT/last.pt")
    return p.parse_args()


class EMA:
    """Exponential moving average of the weights (and BN statistics); evaluated and exported."""

    def __init__(self, model, decay=0.998, tau=300):
        self.model = copy.deepcopy(model).eval()
        for p in self.model.parameters():
            p.requires_grad_(False)
        self.decay, self.tau, self.updates = decay, tau, 0

    @torch.no_grad()
    def update(self, model):
        self.updates += 1
        d = self.decay * (1 - math.exp(-self.updates / self.tau))  # ramps up from 0
        msd = model.state_dict()
        for k, v in self.model.state_dict().items():
            if v.dtype.is_floating_point:
                v.mul_(d).add_(msd[k].detach(), alpha=1 - d)


def augment(x, gts, rng, out_size):
    """Random flips, a light scale/shift jitter and, for out_size < S, a crop around an object.

    x [B, 3, S, S] float in 0..1 (letterboxed); gts: list of [K, 5] (cls, x1, y1, x2, y2) in input
    pixels. Training mostly on 192 x 192 crops (every threat fits in one) costs a third of a full
    320 x 320 image; the network is fully convolutional, so it sees objects at the same scale.
    Returns [B, 3, out_size, out_size] and the boxes inside it; boxes mostly cut off are dropped."""
    B, _, S, _ = x.shape
    C = out_size
    pad = 114 / 255
    centres = torch.arange(C, dtype=torch.float32) + 0.5
    grids, out_gts = [], []
    for b in range(B):
        g = gts[b]
        s = rng.uniform(0.8, 1.2)
        tx, ty = rng.uniform(-0.1, 0.1) * S, rng.uniform(-0.1, 0.1) * S
        fx = -1.0 if rng.random() < 0.5 else 1.0
        fy = -1.0 if rng.random() < 0.5 else 1.0
        # forward map: output = f * s * (input - S/2) + S/2 + t  (then the crop at ox, oy)
        xs = fx * s * (g[:, [1, 3]] - S / 2) + S / 2 + tx
        ys = fy * s * (g[:, [2, 4]] - S / 2) + S / 2 + ty
        nb = np.stack([xs.min(1), ys.min(1), xs.max(1), ys.max(1)], 1).reshape(-1, 4)
        ox = oy = 0.0
        if C < S:
            if len(nb):
                pick = rng.choices(range(len(nb)), weights=[CLASS_WEIGHT.get(int(c), 1.0) for c in g[:, 0]])[0]
                x1, y1, x2, y2 = nb[pick]
                ox = rng.uniform(min(x1, x2 - C), max(x1, x2 - C))
                oy = rng.uniform(min(y1, y2 - C), max(y1, y2 - C))
            else:
                ox, oy = rng.uniform(0, S - C), rng.uniform(0, S - C)
            ox, oy = min(max(ox, 0.0), S - C), min(max(oy, 0.0), S - C)
        # inverse map for grid_sample: where in the input each output pixel centre comes from
        gx = (S / 2 + (ox + centres - S / 2 - tx) / (fx * s)) * 2 / S - 1
        gy = (S / 2 + (oy + centres - S / 2 - ty) / (fy * s)) * 2 / S - 1
        grids.append(torch.stack([gx[None].expand(C, C), gy[:, None].expand(C, C)], -1))
        if len(nb):
            nb = nb - np.array([ox, oy, ox, oy], dtype=np.float32)
            area0 = (nb[:, 2] - nb[:, 0]) * (nb[:, 3] - nb[:, 1])
            nb = nb.clip(0, C)
            area1 = (nb[:, 2] - nb[:, 0]) * (nb[:, 3] - nb[:, 1])
            keep = (area1 > 0.6 * area0) & (nb[:, 2] - nb[:, 0] > 4) & (nb[:, 3] - nb[:, 1] > 4)
            g = np.concatenate([g[keep, :1], nb[keep]], 1)
        out_gts.append(g.reshape(-1, 5).astype(np.float32))
    grid = torch.stack(grids)
    # sample (x - pad) with zero padding so the area outside the image comes back as the pad grey
    x = F.grid_sample(x - pad, grid, mode="bilinear", padding_mode="zeros", align_corners=False) + pad
    return x, out_gts


def collate(split, idx, rng=None, out_size=IMGSZ):
    x = torch.from_numpy(split.images[idx]).permute(0, 3, 1, 2).float().div_(255)
    gts = [split.gt_input[i] for i in idx]
    if rng is not None:
        x, gts = augment(x, gts, rng, out_size)
    M = max([len(g) for g in gts] + [0])
    gt_cls = torch.full((len(idx), M), -1, dtype=torch.long)
    gt_box = torch.zeros((len(idx), M, 4))
    for b, g in enumerate(gts):
        if len(g):
            gt_cls[b, : len(g)] = torch.from_numpy(g[:, 0]).long()
            gt_box[b, : len(g)] = torch.from_numpy(g[:, 1:]).float()
    return x, gt_cls, gt_box, gt_cls >= 0


@torch.no_grad()
def evaluate(model, split, batch=32):
    """mAP@0.5 of the model's export-layout output, post-processed exactly as the TS pipeline does."""
    model.eval()
    was = model.export_mode
    model.export_mode = True
    dets = []
    for start in range(0, len(split), batch):
        idx = np.arange(start, min(start + batch, len(split)))
        x = torch.from_numpy(split.images[idx]).permute(0, 3, 1, 2).float().div_(255)
        out = model(x).numpy()
        for j, i in enumerate(idx):
            dets.append(postprocess(out[j], split.letter[i], split.sizes[i]))
    model.export_mode = was
    return average_precision(dets, split.gt, len(CLASSES))


def save(path, state):
    tmp = path + ".tmp"
    torch.save(state, tmp)
    os.replace(tmp, path)


def main():
    args = parse_args()
    torch.set_num_threads(args.threads)
    os.makedirs(args.out, exist_ok=True)
    cache = os.path.join(args.data, "..", "cache")
    train = Merged([Split(os.path.join(args.data, name), cache) for name in args.train.split(",")])
    val = Split(os.path.join(args.data, "val"), cache)
    print(f"train {len(train)} images ({len(train.boxes)} boxes), val {len(val)} images ({len(val.boxes)} boxes)", flush=True)

    last_path = os.path.join(args.out, "last.pt")
    ck = torch.load(last_path) if args.resume and os.path.exists(last_path) else None
    config = ck["config"] if ck else MODEL_CONFIG  # a resumed run keeps its own architecture
    torch.manual_seed(args.seed)
    model = Detector(**config)
    ema = EMA(model)
    decay, no_decay = [], []
    for n, p in model.named_parameters():
        (decay if p.ndim > 1 else no_decay).append(p)  # no weight decay on BN and biases
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 5e-4}, {"params": no_decay, "weight_decay": 0.0}], lr=args.lr, betas=(0.9, 0.999))
    criterion = DetectionLoss(model)
    iters_per_epoch = len(train) // args.batch
    total_iters = args.epochs * iters_per_epoch
    warmup = min(300, total_iters // 10)

    epoch, start_batch, perm, history, best, elapsed_before = 0, 0, None, [], -1.0, 0.0
    rng = random.Random(args.seed)
    if ck:
        model.load_state_dict(ck["model"])
        ema.model.load_state_dict(ck["ema"])
        ema.updates = ck["ema_updates"]
        opt.load_state_dict(ck["opt"])
        epoch, start_batch, perm = ck["epoch"], ck["batch"], ck["perm"]
        history, best, elapsed_before = ck["history"], ck["best"], ck["elapsed"]
        rng.setstate(ck["rng"])
        torch.set_rng_state(ck["torch_rng"])
        print(f"resumed from {last_path}: epoch {epoch + 1}, batch {start_batch}", flush=True)
    elif args.resume:
        print("nothing to resume, starting afresh", flush=True)
    print(f"model {count_params(model) / 1e6:.2f} M parameters, {args.epochs} epochs x {iters_per_epoch} iterations, batch {args.batch}", flush=True)

    weights = sampling_weights(train)
    t_start = time.time()

    def state(ep, batch_i, perm_):
        return {
            "model": model.state_dict(), "ema": ema.model.state_dict(), "ema_updates": ema.updates, "opt": opt.state_dict(),
            "epoch": ep, "batch": batch_i, "perm": perm_, "history": history, "best": best,
            "elapsed": elapsed_before + time.time() - t_start, "rng": rng.getstate(), "torch_rng": torch.get_rng_state(),
            "config": config, "args": vars(args),
        }

    while epoch < args.epochs:
        model.train()
        if perm is None:
            # an epoch is len(train) images drawn with replacement, weighted by class
            perm = rng.choices(range(len(train)), weights=weights, k=len(train))
        t_epoch, last_ckpt = time.time(), time.time()
        sums, n = {"loss": 0.0, "cls": 0.0, "box": 0.0, "l1": 0.0}, 0
        for bi in range(start_batch, iters_per_epoch):
            it = epoch * iters_per_epoch + bi
            # linear warm-up, then cosine decay to 5 % of the peak rate
            if it < warmup:
                lr = args.lr * (it + 1) / warmup
            else:
                lr = args.lr * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * (it - warmup) / max(1, total_iters - warmup))))
            for g in opt.param_groups:
                g["lr"] = lr
            idx = np.array(perm[bi * args.batch : (bi + 1) * args.batch])
            # crops for most of the run; the last iterations on whole images, as the model will see them
            size = IMGSZ if it >= total_iters * (1 - args.full_frac) else args.crop
            x, gt_cls, gt_box, gt_mask = collate(train, idx, rng, size)
            dist, logits = model(x)
            loss, parts = criterion(dist, logits, size, gt_cls, gt_box, gt_mask)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 10.0)
            opt.step()
            ema.update(model)
            sums["loss"] += loss.item()
            for k in ("cls", "box", "l1"):
                sums[k] += parts[k]
            n += 1
            if (bi + 1) % 50 == 0:
                rate = n * args.batch / (time.time() - t_epoch)
                print(f"  epoch {epoch + 1} batch {bi + 1}/{iters_per_epoch} loss {sums['loss'] / n:.3f} lr {lr:.2e} {rate:.1f} img/s", flush=True)
            if time.time() - last_ckpt > args.ckpt_minutes * 60 and bi + 1 < iters_per_epoch:
                save(last_path, state(epoch, bi + 1, perm))
                last_ckpt = time.time()
        train_s = time.time() - t_epoch
        aps, m = evaluate(ema.model, val)
        row = {"epoch": epoch + 1, **{k: round(v / max(n, 1), 4) for k, v in sums.items()}, "val_map50": round(m, 4),
               "val_ap50": {c: (None if a is None else round(a, 4)) for c, a in zip(CLASSES, aps)},
               "train_s": round(train_s, 1), "epoch_s": round(time.time() - t_epoch, 1)}
        history.append(row)
        print(f"epoch {epoch + 1}/{args.epochs} loss {row['loss']:.3f} (cls {row['cls']:.3f} box {row['box']:.3f} l1 {row['l1']:.3f}) "
              f"val mAP@0.5 {m:.4f} time {row['epoch_s']:.0f} s  [" + " ".join(f"{c} {a:.2f}" for c, a in zip(CLASSES, aps) if a is not None) + "]", flush=True)
        epoch, start_batch, perm = epoch + 1, 0, None
        if m > best:
            best = m
            save(os.path.join(args.out, "best.pt"), {"ema": ema.model.state_dict(), "config": config, "epoch": epoch, "val_map50": m})
        save(last_path, state(epoch, 0, None))
        with open(os.path.join(args.out, "history.json"), "w") as f:
            json.dump(history, f, indent=1)
    total = elapsed_before + time.time() - t_start
    print(f"done: {args.epochs} epochs, best val mAP@0.5 {best:.4f}, training time {total / 60:.1f} min (this run and any before it)", flush=True)


if __name__ == "__main__":
    main()
