#!/usr/bin/env bash
# RL² vs E-RL² (both on the baseline method and under RoML α = 0.1) on Point-Robot navigation:
# a trial is 2 episodes of one task; "before adaptation" is the trial's first episode, "after" its
# exploit episode(s). E-RL² zeroes the first episode's rewards in its objective, so the gap between
# the two shows what the policy does with an episode it is free to spend exploring.
# FAMILY=Krazy-World runs the same on Krazy World.
source "$(dirname "$0")/common.sh"
family="${FAMILY:-Point-Robot}"
iterations="${ITERATIONS:-1000}"
seeds="${SEEDS:-3}"
out="$out_root/rl2-$family"
mkdir -p "$out"
cat > "$out/spec.jsonc" <<JSON
{ "family": "$family", "alpha": 0.1, "metaBatch": 10,
  "rl2": { "episodesPerTrial": 2, "exploreEpisodes": 1, "trialsPerTask": 4, "threads": 1 },
  "cem": { "batchSize": 40, "alpha": 0.1, "originalFraction": 0.2, "minBatchUpdate": 0.2, "softUpdate": 0.5 },
  "evaluation": { "testTasks": 100, "validationTasks": 20, "validateEvery": 100 } }
JSON
for learner in ${LEARNERS:-rl2 erl2}; do
  for method in ${METHODS:-baseline}; do
    for seed in $(seq 1 "$seeds"); do
      f="$out/$learner-$method-s$seed"
      [ -f "$f.json" ] && continue
      metarl train --spec "$out/spec.jsonc" --learner "$learner" --method "$method" --seed "$seed" --iterations "$iterations" \
        --log-every 100 --out "$f.json.tmp"
      mv "$f.json.tmp" "$f.json"
    done
  done
done
metarl summarize "$out"/*.json
rm -rf "$snapshot"
