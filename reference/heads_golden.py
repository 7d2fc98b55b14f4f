"""Golden files for the margin heads (amface.head), written with PyTorch autograd in float64.

Independent of the Java code: each head is written the way the PyTorch implementations it re-creates write it
(F.normalize, clamp, torch.where, arccos, cross_entropy), and autograd supplies the gradients of the mean loss
with respect to the embeddings x, the class weights W, the bias b (plain softmax) and a learned scale s.

Conventions shared with amface (documented in amface.head.Margin):
  - cosines are clamped to [-1, 1]; angles are taken of the cosine clamped to [-1 + 1e-7, 1 - 1e-7];
  - ArcFace threshold handling as insightface arcface_torch: cos(theta + m) where cos > cos(pi - m), else
    cos - m sin(m); easy margin: cos(theta + m) where cos > 0, else cos;
  - SphereFace: logits scaled by |x|, target (lambda cos + psi) / (1 + lambda), psi = (-1)^k cos(m theta) - 2k,
    lambda = max(lambda_min, base (1 + gamma step)^-power); the margin warm-up w scales psi's weight 1/(1+lambda).

Every case has rows whose target cosine is exactly +1 and -1, and a row with a non-target cosine of +1.

Usage: python reference/heads_golden.py OUT_DIR
"""
import json
import math
import os
import sys

import torch
import torch.nn.functional as F

torch.set_num_threads(1)
torch.set_default_dtype(torch.float64)
ANGLE_EPS = 1e-7


def cosines(x, W):
    return (F.normalize(x, dim=1, eps=1e-12) @ F.normalize(W, dim=0, eps=1e-12)).clamp(-1.0, 1.0)


def with_target(cos, labels, target):
    onehot = F.one_hot(labels, cos.shape[1]).to(cos.dtype)
    return cos * (1 - onehot) + target[:, None] * onehot


def head_logits(case, x, W, b, s, labels):
    kind = case["kind"]
    warm = case.get("warm", 1.0)
    if kind == "softmax":
        return x @ W + b
    cos = cosines(x, W)
    t = cos.gather(1, labels[:, None])[:, 0]
    if kind == "cosine":  # AM-softmax / CosFace / NormFace
        final = t - warm * case["m"]
    elif kind == "arc":
        m = warm * case["m"]
        tc = t.clamp(-1 + ANGLE_EPS, 1 - ANGLE_EPS)
        cos_theta_m = tc * math.cos(m) - torch.sqrt(1.0 - tc * tc) * math.sin(m)
        if case["easy"]:
            final = torch.where(t > 0, cos_theta_m, t)
        else:
            final = torch.where(t > math.cos(math.pi - m), cos_theta_m, t - math.sin(math.pi - m) * m)
    elif kind == "combined":
        m1 = 1 + warm * (case["m1"] - 1)
        m2 = warm * case["m2"]
        m3 = warm * case["m3"]
        theta = torch.acos(t.clamp(-1 + ANGLE_EPS, 1 - ANGLE_EPS))
        final = torch.cos(m1 * theta + m2) - m3
    elif kind == "sphere":
        m = case["m"]
        lam = max(case["lambda_min"], case["lambda_base"] * (1 + case["gamma"] * case["step"]) ** (-case["power"]))
        w = warm / (1 + lam)
        theta = torch.acos(t.clamp(-1 + ANGLE_EPS, 1 - ANGLE_EPS))
        k = torch.floor(m * theta / math.pi).detach()
        # cos(m theta) as the Chebyshev polynomial T_m(t): cos(m acos(t)) has an infinite derivative at |t| = 1.
        cos_m_theta = {1: t, 2: 2 * t**2 - 1, 3: 4 * t**3 - 3 * t, 4: 8 * t**4 - 8 * t**2 + 1,
                       5: 16 * t**5 - 20 * t**3 + 5 * t}[m]
        psi = (-1.0) ** k * cos_m_theta - 2 * k
        final = (1 - w) * t + w * psi
        return with_target(cos, labels, final) * x.norm(dim=1)[:, None]
    else:
        raise ValueError(kind)
    return s * with_target(cos, labels, final)


def make_inputs(gen, batch, dim, classes):
    x = torch.randn(batch, dim, generator=gen)
    W = torch.randn(dim, classes, generator=gen) * 0.3
    labels = torch.randint(0, classes, (batch,), generator=gen)
    # Edge rows: target cos = +1, target cos = -1, a non-target cos = +1.
    x[0] = 2.5 * W[:, labels[0]]
    x[1] = -0.7 * W[:, labels[1]]
    other = (labels[2] + 1) % classes
    x[2] = 1.3 * W[:, other]
    return x, W, labels


CASES = [
    {"name": "softmax", "kind": "softmax"},
    {"name": "normface", "kind": "cosine", "s": 16.0, "m": 0.0},
    {"name": "am", "kind": "cosine", "s": 30.0, "m": 0.35},
    {"name": "am_learned_s_warm", "kind": "cosine", "s": 30.0, "m": 0.35, "learn_s": True, "warm": 0.5},
    {"name": "arcface", "kind": "arc", "s": 30.0, "m": 0.5, "easy": False},
    {"name": "arcface_easy", "kind": "arc", "s": 30.0, "m": 0.5, "easy": True},
    {"name": "arcface_warm", "kind": "arc", "s": 16.0, "m": 0.5, "easy": False, "warm": 0.25},
    {"name": "combined", "kind": "combined", "s": 30.0, "m1": 1.0, "m2": 0.3, "m3": 0.2},
    {"name": "combined_m1", "kind": "combined", "s": 20.0, "m1": 1.35, "m2": 0.25, "m3": 0.1, "warm": 0.8},
    {"name": "sphereface", "kind": "sphere", "m": 4, "lambda_base": 1000.0, "gamma": 0.12, "power": 1.0,
     "lambda_min": 5.0, "step": 100},
    {"name": "sphereface_late", "kind": "sphere", "m": 4, "lambda_base": 1000.0, "gamma": 0.12, "power": 1.0,
     "lambda_min": 5.0, "step": 100000},
]


def main(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    for i, case in enumerate(CASES):
        gen = torch.Generator().manual_seed(1000 + i)
        batch, dim, classes = 7, 6, 5
        x, W, labels = make_inputs(gen, batch, dim, classes)
        x.requires_grad_(True)
        W.requires_grad_(True)
        b = (torch.randn(classes, generator=gen) * 0.1).requires_grad_(True) if case["kind"] == "softmax" else None
        s = torch.tensor(case.get("s", 1.0), requires_grad=bool(case.get("learn_s")))
        z = head_logits(case, x, W, b, s, labels)
        loss = F.cross_entropy(z, labels)
        loss.backward()
        record = dict(case)
        record.update({
            "x": x.detach().tolist(), "W": W.detach().tolist(), "labels": labels.tolist(),
            "b": None if b is None else b.detach().tolist(),
            "loss": loss.item(),
            "dX": x.grad.tolist(), "dW": W.grad.tolist(),
            "dB": None if b is None else b.grad.tolist(),
            "dS": s.grad.item() if s.grad is not None else None,
            "cos": cosines(x.detach(), W.detach()).tolist(),
        })
        with open(os.path.join(out_dir, case["name"] + ".json"), "w") as f:
            json.dump(record, f, indent=1)
        print(f"{case['name']}: loss {loss.item():.6f}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "lib/src/test/resources/golden/head")
