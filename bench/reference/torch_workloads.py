#!/usr/bin/python3
"""Reference side of bench `torch`: the same workloads as bench/MetaRl.Bench/TorchWorkloads.cs,
in Python PyTorch (Debian's python3-torch 1.13); the C# side runs on TorchSharp's libtorch.

Batch mode prints one JSON object {"workload": [seconds per iteration, ...]}:
    torch_workloads.py --threads N [--scale S] [--only a,b]
Serve mode (what the C# bench uses, to interleave the two sides finely) reads lines
"<workload> <threads> <reps>" on stdin and answers each with one JSON list of seconds per iteration:
    torch_workloads.py --serve
"""
import argparse
import json
import time

import torch


def mlp_adam_setup():
    # MLP 20 -> 64 -> 64 -> 6 (tanh), batch 256, MSE to a fixed target, backward, Adam step.
    g = torch.Generator().manual_seed(1)
    net = torch.nn.Sequential(torch.nn.Linear(20, 64), torch.nn.Tanh(), torch.nn.Linear(64, 64), torch.nn.Tanh(),
                              torch.nn.Linear(64, 6))
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    x = torch.randn(256, 20, generator=g)
    y = torch.randn(256, 6, generator=g)

    def step():
        opt.zero_grad()
        loss = torch.nn.functional.mse_loss(net(x), y)
        loss.backward()
        opt.step()

    return step


def maml_sine_setup():
    # One MAML meta-iteration: 20 sine tasks, 5 inner SGD steps (lr 0.01, second order),
    # net 1 -> 40 -> 40 -> 1 (ReLU), 10 support + 10 query points per task, Adam outer step.
    g = torch.Generator().manual_seed(2)
    net = torch.nn.Sequential(torch.nn.Linear(1, 40), torch.nn.ReLU(), torch.nn.Linear(40, 40), torch.nn.ReLU(),
                              torch.nn.Linear(40, 1))
    params = list(net.parameters())
    opt = torch.optim.Adam(params, lr=1e-3)
    tasks = []
    for _ in range(20):
        amp = 0.1 + 4.9 * torch.rand(1, generator=g)
        phase = 2 * torch.pi * torch.rand(1, generator=g)
        xs = -5 + 10 * torch.rand(10, 1, generator=g)
        xq = -5 + 10 * torch.rand(10, 1, generator=g)
        tasks.append((xs, amp * torch.sin(xs + phase), xq, amp * torch.sin(xq + phase)))

    def forward(x, p):
        h = torch.relu(torch.nn.functional.linear(x, p[0], p[1]))
        h = torch.relu(torch.nn.functional.linear(h, p[2], p[3]))
        return torch.nn.functional.linear(h, p[4], p[5])

    def step():
        opt.zero_grad()
        outer = 0.0
        for xs, ys, xq, yq in tasks:
            fast = params
            for _ in range(5):
                loss = torch.nn.functional.mse_loss(forward(xs, fast), ys)
                grads = torch.autograd.grad(loss, fast, create_graph=True)
                fast = [w - 0.01 * gw for w, gw in zip(fast, grads)]
            outer = outer + torch.nn.functional.mse_loss(forward(xq, fast), yq)
        (outer / len(tasks)).backward()
        opt.step()

    return step


def gru_context_setup():
    # GRU context encoder: history 20, batch 256, input 27 (action 6 + reward 1 + observation 20),
    # hidden 32; the final hidden state through a linear head; forward + backward.
    g = torch.Generator().manual_seed(3)
    gru = torch.nn.GRU(27, 32, num_layers=1)
    head = torch.nn.Linear(32, 1)
    x = torch.randn(20, 256, 27, generator=g)
    params = list(gru.parameters()) + list(head.parameters())

    def step():
        for p in params:
            p.grad = None
        _, h = gru(x)
        loss = head(h[-1]).square().mean()
        loss.backward()

    return step


def td3_context_setup():
    # One TD3 update with MQL's context (HalfCheetah-Vel sizes): observation 20, action 6, context window
    # of 20 transitions x 27 features into a GRU of width 15 (actor and critic each have one), networks
    # (300, 300), batch 256; the clipped double-Q target with smoothing noise, the critics' step, the
    # actor's step and the Polyak update of both targets (policy delay 1, so every call does all of it).
    g = torch.Generator().manual_seed(4)
    obs, act, hist, feat, width, batch = 20, 6, 20, 27, 15, 256

    class Actor(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.gru = torch.nn.GRU(feat, width)
            self.body = torch.nn.Sequential(torch.nn.Linear(obs + width, 300), torch.nn.ReLU(), torch.nn.Linear(300, 300),
                                            torch.nn.ReLU(), torch.nn.Linear(300, act), torch.nn.Tanh())

        def forward(self, o, c):
            _, h = self.gru(c)
            return self.body(torch.cat([o, h[0]], 1))

    class Critic(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.gru = torch.nn.GRU(feat, width)

            def q():
                return torch.nn.Sequential(torch.nn.Linear(obs + act + width, 300), torch.nn.ReLU(), torch.nn.Linear(300, 300),
                                           torch.nn.ReLU(), torch.nn.Linear(300, 1))
            self.q1, self.q2 = q(), q()

        def forward(self, o, a, c):
            _, h = self.gru(c)
            x = torch.cat([o, a, h[0]], 1)
            return self.q1(x).squeeze(1), self.q2(x).squeeze(1)

        def first(self, o, a, c):  # Q1 alone (the actor's objective)
            _, h = self.gru(c)
            return self.q1(torch.cat([o, a, h[0]], 1)).squeeze(1)

    actor, critic, actor_t, critic_t = Actor(), Critic(), Actor(), Critic()
    actor_t.load_state_dict(actor.state_dict())
    critic_t.load_state_dict(critic.state_dict())
    opt_a = torch.optim.Adam(actor.parameters(), lr=1e-3)
    opt_c = torch.optim.Adam(critic.parameters(), lr=1e-3)
    o = torch.randn(batch, obs, generator=g)
    a = torch.rand(batch, act, generator=g) * 2 - 1
    r = torch.randn(batch, generator=g)
    o2 = torch.randn(batch, obs, generator=g)
    d = torch.zeros(batch)
    c = torch.randn(hist, batch, feat, generator=g)
    c2 = torch.randn(hist, batch, feat, generator=g)

    def step():
        with torch.no_grad():
            noise = (torch.randn(batch, act, generator=g) * 0.2).clamp(-0.5, 0.5)
            a2 = (actor_t(o2, c2) + noise).clamp(-1, 1)
            q1t, q2t = critic_t(o2, a2, c2)
            y = r + 0.99 * (1 - d) * torch.minimum(q1t, q2t)
        q1, q2 = critic(o, a, c)
        loss_c = ((q1 - y).square() + (q2 - y).square()).mean()
        opt_c.zero_grad()
        loss_c.backward()
        opt_c.step()
        for p in critic.parameters():  # frozen for the actor's step, as the learner does
            p.requires_grad_(False)
        q = critic.first(o, actor(o, c), c)
        loss_a = -q.mean()
        opt_a.zero_grad()
        loss_a.backward()
        for p in critic.parameters():
            p.requires_grad_(True)
        opt_a.step()
        with torch.no_grad():
            for net, tgt in ((actor, actor_t), (critic, critic_t)):
                for p, pt in zip(net.parameters(), tgt.parameters()):
                    pt.mul_(1 - 0.005).add_(p, alpha=0.005)

    return step


def td3_parts_setup(part):
    # Pieces of td3_context, to see where a difference comes from: one critic head's forward and
    # backward (341 -> 300 -> 300 -> 1, ReLU, batch 256); the GRU context encoder's forward and
    # backward (history 20, batch 256, 27 -> 15); an Adam step over the critic's parameters
    # (GRU + two heads) with fixed gradients.
    g = torch.Generator().manual_seed(5)
    if part == "linear":
        head = torch.nn.Sequential(torch.nn.Linear(341, 300), torch.nn.ReLU(), torch.nn.Linear(300, 300), torch.nn.ReLU(),
                                   torch.nn.Linear(300, 1))
        x = torch.randn(256, 341, generator=g)

        def step():
            head.zero_grad()
            head(x).sum().backward()
        return step
    if part == "gru":
        gru = torch.nn.GRU(27, 15)
        c = torch.randn(20, 256, 27, generator=g)

        def step():
            gru.zero_grad()
            _, h = gru(c)
            h[0].sum().backward()
        return step
    gru = torch.nn.GRU(27, 15)
    heads = [torch.nn.Sequential(torch.nn.Linear(41, 300), torch.nn.Linear(300, 300), torch.nn.Linear(300, 1)) for _ in range(2)]
    params = list(gru.parameters()) + [p for h in heads for p in h.parameters()]
    for p in params:
        p.grad = torch.randn(p.shape, generator=g)
    opt = torch.optim.Adam(params, lr=1e-3)
    return opt.step


def serve():
    import sys
    steps = {}
    for line in sys.stdin:
        name, threads, reps = line.split()
        torch.set_num_threads(int(threads))
        if name not in steps:
            steps[name] = SETUPS[name]()
            timed(steps[name], 3, warmup=0)
        print(json.dumps(timed(steps[name], int(reps), warmup=1)), flush=True)


def timed(step, reps, warmup):
    for _ in range(warmup):
        step()
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        step()
        times.append(time.perf_counter() - t)
    return times


SETUPS = {"mlp_adam": mlp_adam_setup, "maml_sine": maml_sine_setup, "gru_context": gru_context_setup, "td3_context": td3_context_setup,
          "td3_linear": lambda: td3_parts_setup("linear"), "td3_gru": lambda: td3_parts_setup("gru"), "td3_adam": lambda: td3_parts_setup("adam")}
WARMUP = {"mlp_adam": 50, "maml_sine": 5, "gru_context": 10, "td3_context": 5, "td3_linear": 20, "td3_gru": 10, "td3_adam": 20}
DEFAULT_REPS = {"mlp_adam": 300, "maml_sine": 20, "gru_context": 60, "td3_context": 30, "td3_linear": 200, "td3_gru": 60, "td3_adam": 200}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--serve", action="store_true")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--scale", type=float, default=1.0, help="multiplies the repetition counts")
    ap.add_argument("--only", default=None, help="comma-separated workload names")
    a = ap.parse_args()
    if a.serve:
        serve()
        return
    torch.set_num_threads(a.threads)
    out = {}
    for name, setup in SETUPS.items():
        if a.only and name not in a.only.split(","):
            continue
        out[name] = timed(setup(), max(3, int(DEFAULT_REPS[name] * a.scale)), WARMUP[name])
    print(json.dumps(out))


if __name__ == "__main__":
    main()
