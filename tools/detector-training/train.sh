#!/bin/sh
# The whole offline pipeline: dataset -> train -> export -> evaluate. Every step is resumable:
# run it again after an interruption and it continues where it stopped.
#   tools/detector-training/train.sh            (16 epochs: about two hours on 2 quiet CPU cores, far longer on busy ones)
#   EPOCHS=20 tools/detector-training/train.sh  (more epochs; resumes from the last checkpoint)
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
cd "$HERE"
PY=${PY:-/usr/bin/python3}
EPOCHS=${EPOCHS:-16}
MODEL=${MODEL:-$HERE/../../assets/models/clearway-xray-ref-v1.onnx}
./make_dataset.sh
nice -n 15 "$PY" train.py --data work/data --out work/run --epochs "$EPOCHS" --resume
nice -n 15 "$PY" export.py --ckpt work/run/best.pt --out "$MODEL"
nice -n 15 "$PY" evaluate.py --model "$MODEL" --data work/data/test --out work/eval
