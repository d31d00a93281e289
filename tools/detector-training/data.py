"""Dataset loading: the scanner simulator's YOLO-format folders, letterboxed once and cached.

The letterbox is the same one the TypeScript pipeline (and Ultralytics) applies before the
model: scale to fit 320x320 keeping the aspect ratio (640x480 -> 320x240), bilinear resampling
with half-pixel centres (OpenCV INTER_LINEAR), padding of value 114 split equally on both sides
(40 rows above, 40 below).
"""

import json
import os

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

from model import CLASSES, IMGSZ

PAD_VALUE = 114


def letterbox_params(width, height, size=IMGSZ):
    """Scale and padding (left, top) that fit a width x height image into size x size."""
    gain = min(size / width, size / height)
    new_w, new_h = round(width * gain), round(height * gain)
    # Ultralytics splits the padding with round(d -/+ 0.1): the odd pixel goes to the bottom/right
    dw, dh = (size - new_w) / 2, (size - new_h) / 2
    left, top = round(dw - 0.1), round(dh - 0.1)
    return gain, new_w, new_h, left, top


def letterbox(rgb, size=IMGSZ):
    """HxWx3 uint8 -> size x size x 3 uint8 letterboxed, and (gain, left, top)."""
    h, w = rgb.shape[:2]
    gain, new_w, new_h, left, top = letterbox_params(w, h, size)
    x = torch.from_numpy(rgb).permute(2, 0, 1)[None].float()
    if (new_w, new_h) != (w, h):
        x = F.interpolate(x, size=(new_h, new_w), mode="bilinear", align_corners=False)
    out = np.full((size, size, 3), PAD_VALUE, dtype=np.uint8)
    out[top : top + new_h, left : left + new_w] = x[0].permute(1, 2, 0).round().clamp(0, 255).byte().numpy()
    return out, (gain, left, top)


def read_labels(path, width, height):
    """YOLO label file -> [K, 5] float32 rows (cls, x1, y1, x2, y2) in image pixels."""
    rows = []
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                parts = line.split()
                if len(parts) != 5:
                    continue
                c, cx, cy, bw, bh = int(parts[0]), *map(float, parts[1:])
                rows.append([c, (cx - bw / 2) * width, (cy - bh / 2) * height, (cx + bw / 2) * width, (cy + bh / 2) * height])
    return np.array(rows, dtype=np.float32).reshape(-1, 5)


def check_classes(folder):
    with open(os.path.join(folder, "classes.txt")) as f:
        names = [l.strip() for l in f if l.strip()]
    if names != CLASSES:
        raise SystemExit(f"{folder}: classes {names} differ from the model's {CLASSES}")


def build_cache(folder, cache_path):
    """Letterbox every image of a dataset folder once; keep pixels and labels in one .npz."""
    check_classes(folder)
    names = sorted(n[:-4] for n in os.listdir(os.path.join(folder, "images")) if n.endswith(".png"))
    images = np.empty((len(names), IMGSZ, IMGSZ, 3), dtype=np.uint8)
    boxes, sizes, letter = [], [], []
    for i, name in enumerate(names):
        rgb = np.array(Image.open(os.path.join(folder, "images", name + ".png")).convert("RGB"))
        h, w = rgb.shape[:2]
        images[i], (gain, left, top) = letterbox(rgb)
        lab = read_labels(os.path.join(folder, "labels", name + ".txt"), w, h)
        boxes.append(np.concatenate([np.full((len(lab), 1), i, np.float32), lab], 1))
        sizes.append((w, h))
        letter.append((gain, left, top))
        if (i + 1) % 500 == 0:
            print(f"  cached {i + 1}/{len(names)} images of {folder}", flush=True)
    with open(os.path.join(folder, "manifest.json")) as f:
        manifest = json.load(f)
    tmp = cache_path + ".tmp.npz"
    np.savez(
        tmp,
        images=images,
        boxes=np.concatenate(boxes).reshape(-1, 6),  # img, cls, x1, y1, x2, y2 in original pixels
        sizes=np.array(sizes, dtype=np.float32),
        letter=np.array(letter, dtype=np.float32),
        names=np.array(names),
        manifest=np.array(json.dumps(manifest)),
    )
    os.replace(tmp, cache_path)


class Split:
    """One cached split: letterboxed pixels plus ground truth in original and input pixels."""

    def __init__(self, folder, cache_dir):
        os.makedirs(cache_dir, exist_ok=True)
        cache_path = os.path.join(cache_dir, os.path.basename(os.path.normpath(folder)) + ".npz")
        if not os.path.exists(cache_path) or os.path.getmtime(cache_path) < os.path.getmtime(os.path.join(folder, "manifest.json")):
            print(f"caching {folder} -> {cache_path}", flush=True)
            build_cache(folder, cache_path)
        z = np.load(cache_path)
        self.images = z["images"]
        self.boxes = z["boxes"]
        self.sizes = z["sizes"]
        self.letter = z["letter"]
        self.names = list(z["names"])
        self.manifest = json.loads(str(z["manifest"]))
        # Ground truth per image in original pixels (for mAP) and in letterboxed input pixels (for training)
        self.gt = [self.boxes[self.boxes[:, 0] == i, 1:] for i in range(len(self.names))]
        self.gt_input = []
        for i, g in enumerate(self.gt):
            gain, left, top = self.letter[i]
            b = g.copy()
            b[:, [1, 3]] = b[:, [1, 3]] * gain + left
            b[:, [2, 4]] = b[:, [2, 4]] * gain + top
            self.gt_input.append(b)

    def __len__(self):
        return len(self.names)


class Merged:
    """Several cached splits used as one (e.g. two training sets from different seeds)."""

    def __init__(self, splits):
        offsets = np.cumsum([0] + [len(s) for s in splits])
        self.images = np.concatenate([s.images for s in splits])
        self.boxes = np.concatenate([s.boxes + np.array([o, 0, 0, 0, 0, 0], np.float32) for s, o in zip(splits, offsets)])
        self.sizes = np.concatenate([s.sizes for s in splits])
        self.letter = np.concatenate([s.letter for s in splits])
        self.names = [n for s in splits for n in s.names]
        self.manifests = [s.manifest for s in splits]
        self.gt = [g for s in splits for g in s.gt]
        self.gt_input = [g for s in splits for g in s.gt_input]

    def __len__(self):
        return len(self.names)
