"""Score the exported ONNX file on a held-out dataset the way the TypeScript pipeline runs it:
letterbox -> onnxruntime-node -> transpose -> best class -> threshold -> per-class NMS -> undo the
letterbox, then AP@0.5 per class and mAP@0.5.

  /usr/bin/python3 evaluate.py --model ../../assets/models/clearway-xray-ref-v1.onnx --data work/data/test
"""

import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # see train.py

import argparse
import json
import subprocess
import time

import numpy as np

from data import Split
from metrics import CONF_FOR_MAP, NMS_IOU, average_precision, postprocess
from model import CLASSES, IMGSZ

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", default=os.path.join(HERE, "../../assets/models/clearway-xray-ref-v1.onnx"))
    p.add_argument("--data", default=os.path.join(HERE, "work/data/test"))
    p.add_argument("--out", default=os.path.join(HERE, "work/eval"), help="metrics.json goes here")
    args = p.parse_args()
    os.makedirs(args.out, exist_ok=True)
    split = Split(args.data, os.path.join(args.data, "..", "..", "cache"))
    nc = len(CLASSES)
    inp, outp = os.path.join(args.out, "images.u8"), os.path.join(args.out, "output.f32")
    split.images.tofile(inp)
    t0 = time.time()
    subprocess.run(["node", os.path.join(HERE, "ort_run.mjs"), args.model, inp, str(len(split)), outp], check=True)
    out = np.fromfile(outp, dtype=np.float32)
    n_anchors = out.size // (len(split) * (4 + nc))
    out = out.reshape(len(split), 4 + nc, n_anchors)
    dets = [postprocess(out[i], split.letter[i], split.sizes[i]) for i in range(len(split))]
    aps, m = average_precision(dets, split.gt, nc)
    os.remove(inp)
    os.remove(outp)
    n_gt = {c: int((split.boxes[:, 1] == k).sum()) for k, c in enumerate(CLASSES)}
    result = {
        "model": os.path.relpath(args.model, os.path.join(HERE, "../..")),
        "data": os.path.relpath(args.data, HERE),
        "generator": split.manifest.get("generator"),
        "generatorVersion": split.manifest.get("generatorVersion"),
        "seed": split.manifest.get("seed"),
        "images": len(split),
        "boxes": int(len(split.boxes)),
        "boxesPerClass": n_gt,
        "imgsz": IMGSZ,
        "conf": CONF_FOR_MAP,
        "nmsIou": NMS_IOU,
        "ap50": {c: (None if a is None else round(a, 4)) for c, a in zip(CLASSES, aps)},
        "map50": round(m, 4),
        "seconds": round(time.time() - t0, 1),
    }
    with open(os.path.join(args.out, "metrics.json"), "w") as f:
        json.dump(result, f, indent=2)
    print(f"{result['model']} on {result['data']} (seed {result['seed']}, {len(split)} images, {len(split.boxes)} boxes)")
    print(f"{'class':<10} {'boxes':>5}  AP@0.5")
    for c, a in zip(CLASSES, aps):
        print(f"{c:<10} {n_gt[c]:>5}  {'-' if a is None else f'{a:.4f}'}")
    print(f"{'mAP@0.5':<10} {len(split.boxes):>5}  {m:.4f}")


if __name__ == "__main__":
    main()
