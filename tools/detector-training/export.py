"""Export the trained detector (EMA weights of the best validation epoch) to ONNX in the
Ultralytics YOLOv8/YOLO11 detection layout, with Ultralytics-style metadata, then check it:
onnx.checker, and onnxruntime-node on a test image against PyTorch.

  /usr/bin/python3 export.py --ckpt work/run/best.pt --out ../../assets/models/clearway-xray-ref-v1.onnx
"""

import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # see train.py

import argparse
import datetime
import subprocess
import sys

import numpy as np
import onnx
import torch

from data import Split
from model import CLASSES, IMGSZ, Detector, count_params

HERE = os.path.dirname(os.path.abspath(__file__))
VERSION = "1.0.0"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--ckpt", default=os.path.join(HERE, "work/run/best.pt"))
    p.add_argument("--out", default=os.path.join(HERE, "../../assets/models/clearway-xray-ref-v1.onnx"))
    p.add_argument("--check-data", default=os.path.join(HERE, "work/data/test"), help="dataset whose first image checks ONNX against PyTorch")
    p.add_argument("--opset", type=int, default=17)
    args = p.parse_args()
    torch.set_num_threads(2)

    ck = torch.load(args.ckpt)
    model = Detector(**ck["config"])
    model.load_state_dict(ck["ema"])
    model.eval()
    model.export_mode = True
    print(f"{args.ckpt}: epoch {ck.get('epoch')}, val mAP@0.5 {ck.get('val_map50', float('nan')):.4f}, {count_params(model) / 1e6:.2f} M parameters")

    dummy = torch.zeros(1, 3, IMGSZ, IMGSZ)
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    # Eval-mode export folds each BatchNorm into its convolution; shapes are static.
    torch.onnx.export(model, dummy, args.out, opset_version=args.opset, input_names=["images"], output_names=["output0"], do_constant_folding=True)

    m = onnx.load(args.out)
    meta = {
        "description": "Clearway reference X-ray threat detector (trained on the Clearway scanner simulator only)",
        "author": "Clearway",
        "date": datetime.date.today().isoformat(),
        "version": VERSION,
        "license": "Apache-2.0",
        "docs": "assets/models/clearway-xray-ref-v1.md",
        "stride": "32",
        "task": "detect",
        "batch": "1",
        "imgsz": str([IMGSZ, IMGSZ]),
        "names": str({i: n for i, n in enumerate(CLASSES)}),
    }
    del m.metadata_props[:]
    for k, v in meta.items():
        e = m.metadata_props.add()
        e.key, e.value = k, v
    m.producer_name = "clearway-detector-training"
    onnx.checker.check_model(m)
    onnx.save(m, args.out)
    ins = [(i.name, [d.dim_value for d in i.type.tensor_type.shape.dim]) for i in m.graph.input]
    outs = [(o.name, [d.dim_value for d in o.type.tensor_type.shape.dim]) for o in m.graph.output]
    print(f"wrote {args.out}: {os.path.getsize(args.out) / 1e6:.2f} MB, opset {args.opset}, inputs {ins}, outputs {outs}")
    for e in m.metadata_props:
        print(f"  {e.key}: {e.value}")

    # onnxruntime-node against PyTorch on the first check image
    split = Split(args.check_data, os.path.join(args.check_data, "..", "..", "cache"))
    img = split.images[:1]
    work = os.path.join(HERE, "work", "export-check")
    os.makedirs(work, exist_ok=True)
    img.tofile(os.path.join(work, "input.u8"))
    with torch.no_grad():
        ref = model(torch.from_numpy(img.copy()).permute(0, 3, 1, 2).float().div(255)).numpy()
    subprocess.run(["node", os.path.join(HERE, "ort_run.mjs"), args.out, os.path.join(work, "input.u8"), "1", os.path.join(work, "output.f32")], check=True)
    got = np.fromfile(os.path.join(work, "output.f32"), dtype=np.float32).reshape(ref.shape)
    diff = np.abs(got - ref)
    print(f"onnxruntime-node vs PyTorch on {split.names[0]}: output {list(got.shape)}, max abs diff boxes {diff[:, :4].max():.2e} px, scores {diff[:, 4:].max():.2e}")
    if diff[:, :4].max() > 1e-2 or diff[:, 4:].max() > 1e-4:
        sys.exit("ONNX output differs from PyTorch")


if __name__ == "__main__":
    main()
