"""An insightface-style IResNet written from the published architecture, exported to ONNX as insightface does.

Independent of amface's code: the network below follows arcface_torch's backbones/iresnet.py as published
(Duta et al.'s improved residual units as insightface uses them; read, not copied):
  stem     conv3x3(3->C0, stride 1, no bias) - BN - PReLU
  unit     BN - conv3x3(stride 1) - BN - PReLU - conv3x3(stride s) - BN, plus identity, or on the first unit of a
           stage (s = 2) a conv1x1(stride 2) - BN projection
  head     BN2d - flatten - dropout - Linear(C*h*w -> E) - BN1d
All batch norms have eps 1e-5 (PyTorch's default, as in insightface). Weights are random; the running statistics
are set from one batch of random inputs and then perturbed at random, so every batch norm carries its own
non-trivial statistics while the activations stay of order one.

Export as insightface's torch2onnx.py does it: eval mode, the TorchScript exporter (dynamo=False; torch 2.15
defaults to the dynamo one), opset 11, input "data" [N, 3, H, W] with a dynamic batch (torch2onnx sets the
batch dim_param to 'None' afterwards with the onnx package; dynamic_axes writes the same), initializers not listed
as inputs. Eval-mode export fuses each Conv's following BN into the Conv's weights and bias; the pre-activation
BNs (unit BN, head BN2d) and the final BN1d stay BatchNormalization nodes: the node pattern of w600k_r50.onnx.

Usage: python reference/iresnet_onnx.py OUT.onnx [--units 2,2,2,2] [--widths 64,128,256,512] [--size 112]
       [--embedding 512] [--seed 1] [--unfused]   (--unfused: do_constant_folding=False, Conv and BN apart)
Prints "ok".
"""
import argparse

import torch
import torch.nn as nn

EPS = 1e-5


def conv(cin, cout, k, stride):
    return nn.Conv2d(cin, cout, k, stride, k // 2, bias=False)


class Unit(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.bn1 = nn.BatchNorm2d(cin, eps=EPS)
        self.conv1 = conv(cin, cout, 3, 1)
        self.bn2 = nn.BatchNorm2d(cout, eps=EPS)
        self.prelu = nn.PReLU(cout)
        self.conv2 = conv(cout, cout, 3, stride)
        self.bn3 = nn.BatchNorm2d(cout, eps=EPS)
        self.downsample = None
        if stride != 1 or cin != cout:
            self.downsample = nn.Sequential(conv(cin, cout, 1, stride), nn.BatchNorm2d(cout, eps=EPS))

    def forward(self, x):
        out = self.bn3(self.conv2(self.prelu(self.bn2(self.conv1(self.bn1(x))))))
        identity = x if self.downsample is None else self.downsample(x)
        out += identity
        return out


class IResNet(nn.Module):
    def __init__(self, units, widths, size, embedding):
        super().__init__()
        self.conv1 = conv(3, widths[0], 3, 1)
        self.bn1 = nn.BatchNorm2d(widths[0], eps=EPS)
        self.prelu = nn.PReLU(widths[0])
        self.stages, cin = [], widths[0]
        for k, (n, w) in enumerate(zip(units, widths)):
            stage = nn.Sequential(*[Unit(cin if i == 0 else w, w, 2 if i == 0 else 1) for i in range(n)])
            setattr(self, "layer%d" % (k + 1), stage)  # insightface's module names: layer1.0.bn1, ...
            self.stages.append(stage)
            cin = w
        side = size
        for _ in units:
            side = (side + 1) // 2
        self.bn2 = nn.BatchNorm2d(cin, eps=EPS)
        self.dropout = nn.Dropout(p=0.0, inplace=True)
        self.fc = nn.Linear(cin * side * side, embedding)
        self.features = nn.BatchNorm1d(embedding, eps=EPS)

    def forward(self, x):
        x = self.prelu(self.bn1(self.conv1(x)))
        for stage in self.stages:
            x = stage(x)
        x = self.bn2(x)
        x = torch.flatten(x, 1)
        x = self.dropout(x)
        return self.features(self.fc(x))


def randomise(net, size, generator):
    with torch.no_grad():
        for m in net.modules():
            if isinstance(m, nn.Conv2d):
                fan_in = m.weight[0].numel()
                m.weight.normal_(0, (1.0 / fan_in) ** 0.5, generator=generator)
            elif isinstance(m, nn.Linear):
                m.weight.normal_(0, (1.0 / m.in_features) ** 0.5, generator=generator)
                m.bias.normal_(0, 0.1, generator=generator)
            elif isinstance(m, nn.PReLU):
                m.weight.uniform_(0.05, 0.4, generator=generator)
            elif isinstance(m, (nn.BatchNorm2d, nn.BatchNorm1d)):
                m.weight.uniform_(0.5, 1.5, generator=generator)
                m.bias.normal_(0, 0.2, generator=generator)
                m.momentum = 1.0  # the next training-mode pass sets the running statistics to its batch's
        net.train()
        net(torch.rand(16, 3, size, size, generator=generator) * 2 - 1)
        for m in net.modules():
            if isinstance(m, (nn.BatchNorm2d, nn.BatchNorm1d)):
                std = m.running_var.sqrt()
                m.running_mean.add_(0.2 * std * torch.randn(m.running_mean.shape, generator=generator))
                m.running_var.mul_(torch.empty(m.running_var.shape).uniform_(0.7, 1.4, generator=generator))
                m.momentum = 0.1
    net.eval()


def main():
    a = argparse.ArgumentParser()
    a.add_argument("out")
    a.add_argument("--units", default="2,2,2,2")
    a.add_argument("--widths", default="64,128,256,512")
    a.add_argument("--size", type=int, default=112)
    a.add_argument("--embedding", type=int, default=512)
    a.add_argument("--seed", type=int, default=1)
    a.add_argument("--unfused", action="store_true")
    args = a.parse_args()
    units = [int(u) for u in args.units.split(",")]
    widths = [int(w) for w in args.widths.split(",")]
    torch.manual_seed(args.seed)
    g = torch.Generator().manual_seed(args.seed)
    net = IResNet(units, widths, args.size, args.embedding)
    randomise(net, args.size, g)
    x = torch.rand(1, 3, args.size, args.size, generator=g) * 2 - 1  # as torch2onnx: (img / 255 - 0.5) / 0.5
    kwargs = dict(input_names=["data"], keep_initializers_as_inputs=False, opset_version=11,
                  dynamic_axes={"data": {0: "None"}}, do_constant_folding=not args.unfused)
    if args.unfused:
        kwargs["training"] = torch.onnx.TrainingMode.PRESERVE
    with torch.no_grad():
        torch.onnx.export(net, x, args.out, dynamo=False, **kwargs)
    print("ok")


if __name__ == "__main__":
    main()
