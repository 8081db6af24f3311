"""Splits `metarl train --out` results of MQL runs at a latent boundary: test tasks inside the
training range vs outside it. Usage: mql_split.py BOUNDARY RESULT.json..."""
import json
import statistics
import sys


def mean(xs):
    return statistics.fmean(xs) if xs else float("nan")


boundary = float(sys.argv[1])
print(f"{'run':<28} {'split':<16} {'tasks':>5} {'no adaptation':>14} {'MQL adapted':>12} {'random':>10}")
for path in sys.argv[2:]:
    with open(path) as f:
        scores = json.load(f)["testScores"]
    latents = [z[0] for z in scores["latents"]]
    name = path.rsplit("/", 1)[-1].removesuffix(".json")
    for label, keep in (("in distribution", lambda z: z <= boundary), ("out of distr.", lambda z: z > boundary)):
        idx = [i for i, z in enumerate(latents) if keep(z)]
        pick = lambda key: [scores[key][i] for i in idx]
        print(f"{name:<28} {label:<16} {len(idx):>5} {mean(pick('preFinal')):>14.1f} {mean(pick('final')):>12.1f} {mean(pick('random')):>10.1f}")
    burn = [m["meanScore"] for m in json.load(open(path))["metrics"] if m["diagnostics"].get("burn_in") == 1]
    if burn:
        print(f"{name:<28} {'burn-in (random) training returns':<40} {mean(burn):.1f}")
