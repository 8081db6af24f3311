#!/usr/bin/python3
"""Loads a policy written by `metarl export --model model.bin --pt policy.pt` into plain PyTorch.

    python3 docs/examples/load_policy.py policy.pt            # describes it
    python3 docs/examples/load_policy.py policy.pt obs.json   # prints its outputs for the rows in obs.json

The outputs are what the policy computes from an observation: the action mean (and the per-action
log standard deviation) of a Gaussian policy, the logits of a categorical one, the prediction of a
regression net. Works with torch 1.13 (Debian 12's python3-torch) and later.
"""
import json
import sys

import torch

ACTIVATIONS = {"tanh": torch.nn.Tanh, "relu": torch.nn.ReLU, "sigmoid": torch.nn.Sigmoid}


def load(path):
    """Returns (net, extras): net a torch.nn.Sequential with the exported weights, extras the file's other keys."""
    content = torch.load(path, map_location="cpu")
    if content.get("format") != "metarl-pytorch/1":
        raise ValueError(f"{path}: not a metarl export (format {content.get('format')!r})")
    sizes = content["sizes"]
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
        last = i == len(sizes) - 2
        activation = content["output_activation"] if last else content["hidden_activation"]
        if activation != "identity":
            layers.append(ACTIVATIONS[activation]())
    net = torch.nn.Sequential(*layers)
    net.load_state_dict(content["state_dict"])
    net.eval()
    return net, content


def main():
    net, content = load(sys.argv[1])
    if len(sys.argv) < 3:
        print(f"{content['kind']}: {content['family']} / {content['learner']} / {content['method']} "
              f"alpha={content['alpha']} seed={content['seed']} ({content['which']} model), sizes {content['sizes']}")
        return
    with open(sys.argv[2]) as f:
        rows = torch.tensor(json.load(f), dtype=torch.float32)
    with torch.no_grad():
        out = {"output": net(rows).tolist()}
    if "log_std" in content:
        out["log_std"] = content["log_std"].tolist()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
