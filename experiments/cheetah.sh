#!/usr/bin/env bash
# HalfCheetah-Vel on a short budget: MAML-TRPO and ProMP, post- vs pre-adaptation vs a random
# policy, and RoML (α = 0.05) vs the baseline learner (mean and CVaR of the test returns).
# CEM: batch 40 (4 meta-iterations of 10 tasks), ν = 0.2, β = 0.2, s = 0.5.
source "$(dirname "$0")/common.sh"
iterations="${ITERATIONS:-60}"
seed="${SEED:-1}"
out="$out_root/cheetah"
mkdir -p "$out"
cat > "$out/spec.jsonc" <<JSON
{ "family": "HalfCheetah-Vel", "alpha": 0.05, "metaBatch": 10,
  "rl": { "episodesPerTask": 10, "hidden": [64, 64] },
  "cem": { "batchSize": 40, "alpha": 0.05, "originalFraction": 0.2, "minBatchUpdate": 0.2, "softUpdate": 0.5 },
  "evaluation": { "testTasks": 40, "validationTasks": 16, "validateEvery": 20 } }
JSON
for run in "maml-trpo baseline" "maml-trpo roml" "promp baseline"; do
  set -- $run
  f="$out/$1-$2-s$seed"
  [ -f "$f.json" ] && continue
  metarl train --spec "$out/spec.jsonc" --learner "$1" --method "$2" --seed "$seed" --iterations "$iterations" \
    --log-every 5 --out "$f.json.tmp" --save-model "$f.model"
  mv "$f.json.tmp" "$f.json"
done
metarl summarize "$out"/*.json
for f in "$out"/*.model; do metarl evaluate --model "$f" --which final --test-tasks 40; done
rm -rf "$snapshot"
