"""PyTorch's int8 inference for `amface bench`: post-training static quantization of the peer's backbones
(bench/resface_torch.py) the way PyTorch's CPU guide recommends: FX graph mode (torch.ao.quantization), the x86
backend (fbgemm + oneDNN kernels), the default x86 qconfig (per-channel symmetric weights, histogram-observed
activations), calibrated on `--calibration-batches` batches, input in channels_last.

Prints one JSON line: {"model", "phase": "infer", "precision": "int8", "img_per_s", "step_seconds", "peak_rss_mb",
"torch", "threads", "load_average"}. Random input, like the peer: the speed does not depend on the values.
"""
import argparse
import json
import os
import statistics
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from resface_torch import MODELS, peak_rss_mb, timed  # noqa: E402  (the peer's models, unchanged)

from torch.ao.quantization import get_default_qconfig_mapping  # noqa: E402
from torch.ao.quantization.quantize_fx import convert_fx, prepare_fx  # noqa: E402


def quantize(net, example, batches):
    torch.backends.quantized.engine = "x86"
    prepared = prepare_fx(net.eval(), get_default_qconfig_mapping("x86"), example_inputs=(example,))
    with torch.inference_mode():
        for i in range(batches):
            g = torch.Generator().manual_seed(100 + i)
            prepared(torch.rand(example.shape, generator=g).contiguous(memory_format=torch.channels_last) * 2 - 1)
    return convert_fx(prepared)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", required=True, choices=sorted(MODELS))
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--height", type=int, default=112)
    p.add_argument("--width", type=int, default=96)
    p.add_argument("--calibration-batches", type=int, default=4)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--steps", type=int, default=5)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(0)
    net = MODELS[a.model](a.height, a.width)
    x = (torch.rand(a.batch, 3, a.height, a.width) * 2 - 1).contiguous(memory_format=torch.channels_last)
    q = quantize(net, x, a.calibration_batches)

    def step():
        with torch.inference_mode():
            q(x)

    times = timed(step, a.warmup, a.steps)
    med = statistics.median(times)
    print(json.dumps({"model": a.model, "phase": "infer", "precision": "int8", "img_per_s": a.batch / med,
                      "step_seconds": times, "peak_rss_mb": peak_rss_mb(), "torch": torch.__version__,
                      "threads": torch.get_num_threads(), "load_average": os.getloadavg()[0]}), flush=True)


if __name__ == "__main__":
    main()
