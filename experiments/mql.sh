#!/usr/bin/env bash
# Meta-Q-Learning on HalfCheetah-Vel, short budget, with an out-of-distribution split: the 20
# meta-training tasks have goal velocities in [0, 3.5] m/s (latent [0, 0.5]); the 40 test tasks are
# drawn over the whole [0, 7] m/s, so about half lie outside the training range. Prints, per seed,
# TD3-context without adaptation, after MQL's adaptation, and a uniform random policy on the same
# test tasks — in distribution (≤ 3.5 m/s) and out of it.
source "$(dirname "$0")/common.sh"
iterations="${ITERATIONS:-80}"
seeds="${SEEDS:-1}"
out="$out_root/mql"
mkdir -p "$out"
cat > "$out/spec.jsonc" <<JSON
{ "family": "HalfCheetah-Vel", "learner": "mql", "alpha": 0.1, "metaBatch": 5,
  "mql": { "trainingTasks": 20, "trainingLatentRange": [[0, 0.5]], "burnInSteps": 5000, "threads": 1 },
  "evaluation": { "testTasks": 40, "validationTasks": 4, "validateEvery": 0 } }
JSON
for method in ${METHODS:-baseline}; do
  for seed in $(seq 1 "$seeds"); do
    f="$out/$method-s$seed"
    [ -f "$f.json" ] && continue
    metarl train --spec "$out/spec.jsonc" --method "$method" --seed "$seed" --iterations "$iterations" \
      --log-every 5 --out "$f.json.tmp"
    mv "$f.json.tmp" "$f.json"
  done
done
/usr/bin/python3 experiments/mql_split.py 0.5 "$out"/*.json
rm -rf "$snapshot"
