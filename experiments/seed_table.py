#!/usr/bin/python3
"""Mean and CVaR over seeds, with Student-t 95% intervals, from run results of either kind: a sweep
run's stored result.json (under DATA/metarl/runs/RUN/) or a `metarl train --out` file — so a seed
trained outside its sweep (a rerun of a failed run) can stand beside the sweep's others.
    seed_table.py FILE...
Per seed, the test scores of the selected checkpoint (mean, CVaR_α) and of the final model, and the
mean before adaptation; rows by method and α, like `metarl sweep report`.
"""
import json
import math
import statistics
import sys

T95 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228]  # two-sided, df 1..10


def load(path):
    with open(path) as f:
        d = json.load(f)
    if "summary" in d:  # metarl train --out
        s = d["summary"]
        spec = s["spec"]
        return spec["method"], spec["alpha"], spec["seed"], s["best"], s["final"]
    r = d["result"]  # a sweep run's result.json
    return d["method"], d["alpha"], d["seed"], r["best"], r["final"]


def interval(values):
    if len(values) < 2:
        return statistics.fmean(values), 0.0
    return statistics.fmean(values), T95[len(values) - 2] * statistics.stdev(values) / math.sqrt(len(values))


def main():
    groups = {}
    for path in sys.argv[1:]:
        method, alpha, seed, best, final = load(path)
        key = (method, None if method == "baseline" else alpha)
        groups.setdefault(key, []).append((seed, best, final))
    print(f"{'method':8} {'α':>5} {'seeds':>5}  {'mean':>18} {'CVaR_α':>18} {'mean (final)':>18} {'CVaR_α (final)':>18} {'mean before adapt.':>18}")
    for (method, alpha), runs in sorted(groups.items(), key=lambda kv: (kv[0][0] != "baseline", kv[0])):
        cols = [[b["mean"] for _, b, _ in runs], [b["cvar"] for _, b, _ in runs], [f["mean"] for _, _, f in runs],
                [f["cvar"] for _, _, f in runs], [b["preMean"] for _, b, _ in runs]]
        cells = " ".join(f"{m:9.2f} ± {h:6.2f}" for m, h in map(interval, cols))
        print(f"{method:8} {'' if alpha is None else alpha:>5} {len(runs):>5}  {cells}   seeds {sorted(s for s, _, _ in runs)}")


if __name__ == "__main__":
    main()
