"""Splits `metarl train --out` results of MQL runs at a latent boundary: test tasks inside the
training range vs outside it. Usage: mql_split.py BOUNDARY RESULT.json..."""
import json
import statistics
import sys


def mean(xs):
    return statistics.fmean(xs) if xs else float("nan")


boundary = float(sys.argv[1])
print(f"{'run':<28} {'split':<16} {'tasks':>5} {'no adaptation':>14} {'MQL adapted':>12} {'random':>10} {'ESS':>6} {'lambda':>7}")
for path in sys.argv[2:]:
    with open(path) as f:
        document = json.load(f)
    scores = document["testScores"]
    adaptations = document.get("adaptations") or []
    latents = [z[0] for z in scores["latents"]]
    name = path.rsplit("/", 1)[-1].removesuffix(".json")
    for label, keep in (("in distribution", lambda z: z <= boundary), ("out of distr.", lambda z: z > boundary)):
        idx = [i for i, z in enumerate(latents) if keep(z)]
        pick = lambda key: [scores[key][i] for i in idx]
        ess = mean([a["effectiveSampleSize"] for a in adaptations if keep(a["latent"][0])])
        lam = mean([a["lambda"] for a in adaptations if keep(a["latent"][0])])
        print(f"{name:<28} {label:<16} {len(idx):>5} {mean(pick('preFinal')):>14.1f} {mean(pick('final')):>12.1f} {mean(pick('random')):>10.1f} {ess:>6.3f} {lam:>7.3f}")
    burn = [m["meanScore"] for m in document["metrics"] if m["diagnostics"].get("burn_in") == 1]
    if burn:
        print(f"{name:<28} {'burn-in (random) training returns':<40} {mean(burn):.1f}")
