"""PyTorch peer for `amface bench`: the same backbones, batch, threads and input, timed the same way.

Prints one JSON line per phase: {"model", "phase", "img_per_s", "step_seconds": [...], "peak_rss_mb", "autocast",
"channels_last"}. The training step is forward + softmax cross-entropy over `--classes` + backward + SGD with
momentum, as in amface's benchmark loop; inference is a forward pass in eval mode under torch.inference_mode().

`--channels-last` keeps the model and input in NHWC (torch.channels_last) and `--autocast bf16` runs the forward
under torch.autocast("cpu", dtype=torch.bfloat16) (backward follows the forward's dtypes, no GradScaler: bf16 has
fp32's exponent range): together the configuration PyTorch's CPU performance guide recommends.
"""
import contextlib
import argparse
import json
import resource
import statistics
import time

import torch
import torch.nn as nn


def conv_bn_prelu(cin, cout, stride):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, stride, 1, bias=False),
                         nn.BatchNorm2d(cout, eps=1e-3, momentum=0.005), nn.PReLU(cout, 0.25))


class ResFaceUnit(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.body = nn.Sequential(conv_bn_prelu(c, c, 1), conv_bn_prelu(c, c, 1))

    def forward(self, x):
        return x + self.body(x)


class ResFace(nn.Module):
    """SphereFace-style residual net: stride-2 conv per stage, identity units, flatten, dropout, FC."""

    def __init__(self, channels, units, height, width, embedding, keep):
        super().__init__()
        layers, cin = [], 3
        for c, n in zip(channels, units):
            layers.append(conv_bn_prelu(cin, c, 2))
            layers += [ResFaceUnit(c) for _ in range(n)]
            cin = c
        self.features = nn.Sequential(*layers)
        h, w = height, width
        for _ in channels:
            h, w = (h + 1) // 2, (w + 1) // 2
        self.dropout = nn.Dropout(1 - keep)
        self.fc = nn.Linear(cin * h * w, embedding)

    def forward(self, x):
        return self.fc(self.dropout(torch.flatten(self.features(x), 1)))


class IRUnit(nn.Module):
    """ArcFace improved residual unit: BN-conv-BN-PReLU-conv(stride)-BN, projection shortcut when needed."""

    def __init__(self, cin, cout, stride):
        super().__init__()
        self.body = nn.Sequential(nn.BatchNorm2d(cin, eps=1e-3), nn.Conv2d(cin, cout, 3, 1, 1, bias=False),
                                  nn.BatchNorm2d(cout, eps=1e-3), nn.PReLU(cout, 0.25),
                                  nn.Conv2d(cout, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout, eps=1e-3))
        self.shortcut = None
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, 0, bias=False), nn.BatchNorm2d(cout, eps=1e-3))

    def forward(self, x):
        return self.body(x) + (x if self.shortcut is None else self.shortcut(x))


class LResNetEIR(nn.Module):
    def __init__(self, channels, units, height, width, embedding, keep):
        super().__init__()
        self.stem = conv_bn_prelu(3, 64, 1)
        blocks, cin = [], 64
        for c, n in zip(channels, units):
            blocks.append(IRUnit(cin, c, 2))
            blocks += [IRUnit(c, c, 1) for _ in range(n - 1)]
            cin = c
        self.blocks = nn.Sequential(*blocks)
        h, w = height, width
        for _ in channels:
            h, w = (h + 1) // 2, (w + 1) // 2
        self.out = nn.Sequential(nn.BatchNorm2d(cin, eps=1e-3), nn.Dropout(1 - keep), nn.Flatten(),
                                 nn.Linear(cin * h * w, embedding), nn.BatchNorm1d(embedding, eps=1e-3))

    def forward(self, x):
        return self.out(self.blocks(self.stem(x)))


MODELS = {
    "resface20": lambda h, w: ResFace([64, 128, 256, 512], [1, 2, 4, 1], h, w, 512, 0.8),
    "resface36": lambda h, w: ResFace([64, 128, 256, 512], [2, 4, 8, 2], h, w, 512, 0.8),
    "resface64": lambda h, w: ResFace([64, 128, 256, 512], [3, 8, 16, 3], h, w, 512, 0.8),
    "lresnet50e-ir": lambda h, w: LResNetEIR([64, 128, 256, 512], [3, 4, 14, 3], h, w, 512, 0.6),
}


def peak_rss_mb():
    # VmHWM is this process's own peak; ru_maxrss would include the peak of the JVM that started us (Linux
    # carries the parent's maxrss over fork + exec)
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def timed(step, warmup, steps):
    for _ in range(warmup):
        step()
    times = []
    for _ in range(steps):
        t0 = time.perf_counter()
        step()
        times.append(time.perf_counter() - t0)
    return times


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", required=True, choices=sorted(MODELS))
    p.add_argument("--phase", required=True, choices=["train", "infer"])
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--height", type=int, default=112)
    p.add_argument("--width", type=int, default=96)
    p.add_argument("--classes", type=int, default=10575)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--steps", type=int, default=5)
    p.add_argument("--channels-last", action="store_true", help="NHWC memory format (torch.channels_last)")
    p.add_argument("--autocast", choices=["none", "bf16"], default="none", help="CPU autocast to bfloat16")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(0)
    net = MODELS[a.model](a.height, a.width)
    x = torch.rand(a.batch, 3, a.height, a.width) * 2 - 1
    if a.channels_last:
        net = net.to(memory_format=torch.channels_last)
        x = x.contiguous(memory_format=torch.channels_last)

    def autocast():
        if a.autocast == "bf16":
            return torch.autocast("cpu", dtype=torch.bfloat16)
        return contextlib.nullcontext()
    if a.phase == "train":
        head = nn.Linear(512, a.classes, bias=False)
        labels = torch.randint(0, a.classes, (a.batch,))
        params = list(net.parameters()) + list(head.parameters())
        opt = torch.optim.SGD(params, lr=0.01, momentum=0.9, weight_decay=5e-4)
        loss_fn = nn.CrossEntropyLoss()
        net.train()

        def step():
            opt.zero_grad(set_to_none=True)
            with autocast():
                loss = loss_fn(head(net(x)), labels)
            loss.backward()
            opt.step()
    else:
        net.eval()

        def step():
            with torch.inference_mode(), autocast():
                net(x)
    times = timed(step, a.warmup, a.steps)
    med = statistics.median(times)
    print(json.dumps({"model": a.model, "phase": a.phase, "img_per_s": a.batch / med,
                      "step_seconds": times, "peak_rss_mb": peak_rss_mb(), "torch": torch.__version__,
                      "threads": torch.get_num_threads(),
                      "autocast": a.autocast, "channels_last": a.channels_last}), flush=True)


if __name__ == "__main__":
    main()
