#!/usr/bin/python3
"""The CEM's task distribution over training, from `metarl grain show cem/RUN --history --json` files:
one row per run with φ (per latent dimension) after every STEP-th CEM update, and the mean over runs.
    cem_phi.py STEP FILE...
"""
import json
import sys


def main():
    step = int(sys.argv[1])
    rows = []
    for path in sys.argv[2:]:
        with open(path) as f:
            cem = json.load(f)["view"]  # one document: the grain's view and its update records ("history")
        history = [[latent[0] for latent in p] for p in cem["phiHistory"]]  # φ per latent after each update
        picks = [[latent[0] for latent in cem["phi0"]]] + history[step - 1::step]
        if len(history) % step:
            picks.append(history[-1])
        rows.append((cem["runId"], cem["latents"], len(history), picks))
    if not rows:
        return
    latents = rows[0][1]
    updates = rows[0][2]
    marks = [0] + list(range(step, updates + 1, step)) + ([updates] if updates % step else [])
    print(f"φ per latent ({', '.join(latents)}; φ0 = {rows[0][3][0]}) after CEM update:")
    print(f"{'run':40} " + " ".join(f"{m:>14}" for m in marks))
    for run, _, _, picks in rows:
        print(f"{run:40} " + " ".join(f"{fmt(p):>14}" for p in picks))
    means = [[sum(r[3][i][d] for r in rows) / len(rows) for d in range(len(latents))] for i in range(len(marks))]
    print(f"{'mean of ' + str(len(rows)) + ' runs':40} " + " ".join(f"{fmt(m):>14}" for m in means))


def fmt(values):
    return "/".join(f"{v:.3f}" for v in values)


if __name__ == "__main__":
    main()
