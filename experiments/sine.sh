#!/usr/bin/env bash
# MAML vs RoML (α = 0.05) on sine regression (RoML's setting: 1→40→40→1 ReLU, 20 tasks per batch,
# 5 inner steps; CEM over amplitude/phase/frequency with batch 200, β = 0.2, s = 0.5, ν = 0).
# Scores are −(test MSE after adaptation); the summary prints them as losses are read: higher is better.
set -euo pipefail
cd "$(dirname "$0")/.."
seeds="${SEEDS:-5}"
iterations="${ITERATIONS:-5000}"
out="${OUT:-experiments/out}/sine"
mkdir -p "$out"
for seed in $(seq 1 "$seeds"); do
  for method in baseline roml; do
    f="$out/$method-s$seed.json"
    [ -f "$f" ] && continue
    ./metarl train --family Sine --learner maml --method "$method" --alpha 0.05 --seed "$seed" \
      --iterations "$iterations" --meta-batch 20 --cem-batch 200 \
      --test-tasks 10000 --validation-tasks 32 --validate-every 100 --log-every 500 --out "$f.tmp"
    mv "$f.tmp" "$f"
  done
done
./metarl summarize "$out"/*.json
