#!/usr/bin/env bash
# Baseline (MAML-TRPO, mean objective) vs RoML (α = 0.05) on Khazad-Dum: test mean and CVaR, and
# on fixed noise levels the bridge the adapted policy heads for and how often it falls.
# CEM: batch 128 (8 meta-iterations of 16 tasks), β = 0.05, ν = 0.2, s = 0.5.
source "$(dirname "$0")/common.sh"
seeds="${SEEDS:-3}"
iterations="${ITERATIONS:-300}"
out="$out_root/khazad-dum"
mkdir -p "$out"
cat > "$out/spec.jsonc" <<JSON
{ "family": "Khazad-Dum", "learner": "maml-trpo", "alpha": 0.05, "metaBatch": 16,
  "rl": { "episodesPerTask": 10, "hidden": [64, 64] },
  "cem": { "batchSize": 128, "alpha": 0.05, "originalFraction": 0.2, "minBatchUpdate": 0.05, "softUpdate": 0.5 },
  "evaluation": { "testTasks": 300, "validationTasks": 32, "validateEvery": 20 } }
JSON
for seed in $(seq 1 "$seeds"); do
  for method in baseline roml; do
    f="$out/$method-s$seed"
    [ -f "$f.json" ] && continue
    metarl train --spec "$out/spec.jsonc" --method "$method" --seed "$seed" --iterations "$iterations" \
      --log-every 25 --out "$f.json.tmp" --save-model "$f.model"
    mv "$f.json.tmp" "$f.json"
  done
done
metarl summarize "$out"/*.json
for f in "$out"/*.model; do metarl evaluate --model "$f" --test-tasks 100 --noise 0 0.1 0.5 1.0; done
rm -rf "$snapshot"
