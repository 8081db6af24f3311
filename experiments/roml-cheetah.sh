#!/usr/bin/env bash
# RoML vs its baseline learner on the gym-faithful HalfCheetah-Vel and HalfCheetah-Mass, 5 seeds
# each, as two sweeps on the embedded local store, trained side by side (one core per sweep), then
# the report of each (table: mean and CVaR_0.05 of the test returns with 95% intervals over seeds;
# plots, the CEM's φ over training) under $OUT/reports.
# Learner: ProMP (the fastest per frame of our gradient-based learners on HalfCheetah-Vel),
# meta-batch 16 tasks × 5 episodes × 200 steps, pre and post adaptation = 32,000 frames per
# iteration. CEM as the RoML paper's MuJoCo settings except the batch: 64 tasks (4 iterations),
# ν = 0.2, β = 0.2, soft update 0.5, α = 0.05.
# ITERATIONS (default 400) sets the budget; SEEDS (default 5).
source "$(dirname "$0")/common.sh"
iterations="${ITERATIONS:-400}"
seeds="${SEEDS:-5}"
out="$out_root/roml-cheetah"
mkdir -p "$out"
for family in Vel Mass; do
  name="roml-hc-$(echo "$family" | tr 'A-Z' 'a-z')"
  cat > "$out/$name.jsonc" <<JSON
{
  "name": "$name",
  "family": "HalfCheetah-$family",
  "learner": "promp",
  "methods": ["baseline", "roml"],
  "alpha": [0.05],
  "seeds": $seeds,
  "budget": { "iterations": $iterations },
  "evaluation": { "testTasks": 100, "validationTasks": 16, "validateEvery": 25 },
  "resources": { "cores": 1 },
  "run": {
    "metaBatch": 16,
    "rl": { "episodesPerTask": 5, "hidden": [64, 64] },
    "cem": { "batchSize": 64, "originalFraction": 0.2, "minBatchUpdate": 0.2, "softUpdate": 0.5 }
  }
}
JSON
done
# Both sweeps at once, each on its own embedded silo and store with one core; a rerun resumes where they stopped.
for name in roml-hc-vel roml-hc-mass; do
  metarl sweep run "$out/$name.jsonc" --data "$out/data-$name" --cores 1 --report-dir "$out/reports" > "$out/$name.log" 2>&1 &
done
wait
for name in roml-hc-vel roml-hc-mass; do
  tail -n 30 "$out/$name.log"
  # The same table from each run's stored result (add a failed seed's rerun, `metarl train --spec` with
  # the run's spec from `metarl run show RUN --json`, as a further file), and the CEM's φ over training.
  /usr/bin/python3 experiments/seed_table.py "$out/data-$name"/metarl/runs/*/result.json
  for s in $(seq 1 "$seeds"); do
    metarl grain show "cem/$name-roml-a0.05-s$s" --history --json --data "$out/data-$name" > "$out/$name-cem-s$s.json"
  done
  /usr/bin/python3 experiments/cem_phi.py 20 "$out/$name"-cem-s*.json
done
rm -rf "$snapshot"
