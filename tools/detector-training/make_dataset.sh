#!/bin/sh
# Generates the training, validation and test sets with the project's scanner simulator, each
# from its own seed, into work/data/{train,val,test}. A split whose manifest.json exists is kept;
# an interrupted one is regenerated (it is written to a temporary folder first).
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
DATA=${DATA:-$HERE/work/data}
# split:seed:bags (one 640x480 top view per bag, 70 % of bags carry at least one threat)
SPLITS=${SPLITS:-"train:1001:4000 train2:1004:4000 val:2002:400 test:3003:600"}
mkdir -p "$DATA"
for spec in $SPLITS; do
  name=${spec%%:*}; rest=${spec#*:}; seed=${rest%%:*}; count=${rest#*:}
  if [ -f "$DATA/$name/manifest.json" ]; then
    echo "$name: $DATA/$name exists, kept"
    continue
  fi
  rm -rf "$DATA/$name.partial"
  (cd "$ROOT" && nice -n 10 npx tsx device-adapters/scanner-sim/src/main.ts dataset \
    --out "$DATA/$name.partial" --count "$count" --seed "$seed" --views 1 --threat-rate 0.7 --progress 500)
  mv "$DATA/$name.partial" "$DATA/$name"
done
