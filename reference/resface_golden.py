"""Golden files for amface's ResFace forward pass, computed by PyTorch (an independent implementation).

Writes lib/src/test/resources/golden/nn/resface_small.npz: a small ResFace (channels 8-16-32-64, one unit per
stage, 30x26 input so that odd sizes exercise the stride-2 rounding, 32-d embedding) with random weights, BN
statistics and PReLU slopes; a batch of inputs; and the outputs in eval mode (running statistics) and in training
mode (batch statistics), plus the running statistics of the first layer after that training-mode pass.

Keys: "<layer>/<param>" in amface's names and layouts (conv W [out, in, kh, kw]; FC W [in, out] with inputs in
NHWC flatten order), "input" (NHWC), "eval", "train", "stage1_down/mean_after", "stage1_down/var_after".

Run: environment/pyvenv torch reference/requirements-torch.txt, then python reference/resface_golden.py
"""
import os

import numpy as np
import torch
import torch.nn as nn

CHANNELS = [8, 16, 32, 64]
UNITS = [1, 1, 1, 1]
H, W = 30, 26
EMBEDDING = 32
BATCH = 4
EPS = 1e-3
MOMENTUM = 1 - 0.995  # PyTorch momentum = 1 - TF/amface decay


class ConvBnPrelu(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn = nn.BatchNorm2d(cout, eps=EPS, momentum=MOMENTUM)
        self.prelu = nn.PReLU(cout, 0.25)

    def forward(self, x):
        return self.prelu(self.bn(self.conv(x)))


def build():
    layers = {}
    order = []
    cin = 3
    for s, (c, n) in enumerate(zip(CHANNELS, UNITS), start=1):
        layers[f"stage{s}_down"] = ConvBnPrelu(cin, c, 2)
        order.append((f"stage{s}_down", None))
        for u in range(1, n + 1):
            layers[f"stage{s}_unit{u}_a"] = ConvBnPrelu(c, c, 1)
            layers[f"stage{s}_unit{u}_b"] = ConvBnPrelu(c, c, 1)
            order.append((f"stage{s}_unit{u}", c))
        cin = c
    h, w = H, W
    for _ in CHANNELS:
        h, w = (h + 1) // 2, (w + 1) // 2
    fc = nn.Linear(cin * h * w, EMBEDDING)
    return nn.ModuleDict(layers), order, fc, (cin, h, w)


def forward(layers, order, fc, x):
    for name, unit in order:
        if unit is None:
            x = layers[name](x)
        else:
            x = x + layers[name + "_b"](layers[name + "_a"](x))  # identity shortcut, no activation after the add
    return fc(torch.flatten(x, 1))  # PyTorch flattens C, H, W


def main():
    torch.manual_seed(20261129)
    layers, order, fc, (c, h, w) = build()
    with torch.no_grad():
        for m in layers.values():
            m.bn.weight.uniform_(0.5, 1.5)
            m.bn.bias.normal_(0, 0.2)
            m.bn.running_mean.normal_(0, 0.3)
            m.bn.running_var.uniform_(0.5, 2.0)
            m.prelu.weight.uniform_(0.05, 0.6)
    x = torch.rand(BATCH, 3, H, W) * 2 - 1
    layers.double(); fc.double()
    xd = x.double()
    out = {}
    for name, m in layers.items():
        out[f"{name}/W"] = m.conv.weight.detach().float().numpy()
        out[f"{name}/gamma"] = m.bn.weight.detach().float().numpy()
        out[f"{name}/beta"] = m.bn.bias.detach().float().numpy()
        out[f"{name}/alpha"] = m.prelu.weight.detach().float().numpy()
        out[f"{name}/mean"] = m.bn.running_mean.detach().float().numpy()
        out[f"{name}/var"] = m.bn.running_var.detach().float().numpy()
    # FC: PyTorch [E, C*H*W] over C,H,W order -> amface [H*W*C, E] over the NHWC flatten order
    wfc = fc.weight.detach().reshape(EMBEDDING, c, h, w).permute(0, 2, 3, 1).reshape(EMBEDDING, -1)
    out["embedding/W"] = wfc.t().contiguous().float().numpy()
    out["embedding/b"] = fc.bias.detach().float().numpy()
    out["input"] = x.permute(0, 2, 3, 1).contiguous().numpy()
    with torch.no_grad():
        layers.eval(); fc.eval()
        out["eval"] = forward(layers, order, fc, xd).float().numpy()
        layers.train(); fc.train()
        out["train"] = forward(layers, order, fc, xd).float().numpy()
    first = layers["stage1_down"].bn
    out["stage1_down/mean_after"] = first.running_mean.float().numpy()
    out["stage1_down/var_after"] = first.running_var.float().numpy()
    here = os.path.dirname(os.path.abspath(__file__))
    dest = os.path.join(here, "..", "lib", "src", "test", "resources", "golden", "nn", "resface_small.npz")
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    tmp = dest + ".tmp.npz"
    np.savez(tmp, **out)
    os.replace(tmp, dest)
    print(f"wrote {os.path.relpath(dest)}: {len(out)} arrays, {os.path.getsize(dest)} bytes")


if __name__ == "__main__":
    main()
