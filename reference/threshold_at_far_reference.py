"""Independent reference for amface.eval.FarThreshold: the cosine-similarity threshold at a target FAR, per fold.

NumPy only; shares no code with the Java side and finds the threshold by brute force instead of by sorting. For
every case directory given on the command line it reads case.json and its inputs and writes
threshold_reference.json next to them.

case.json: {"folds": 10, "far_targets": [0.001, 0.01], "pairs": "pairs.txt", "embeddings": "embeddings.csv",
            "ext": ".jpg"}

Definition (the amface issue 17 wording):
  - similarity = dot product of the L2-normalised embeddings; "same" when similarity > threshold;
  - on a set of pairs, the threshold at FAR f is the smallest t (searched over every impostor similarity, where
    the FAR steps) with #{impostors with similarity > t} / #impostors <= f;
  - folds: contiguous, unshuffled, in pair order, the first n % k folds one larger (sklearn's KFold);
  - per fold: threshold chosen on the other folds, FAR and TAR measured on the fold; "threshold" on all pairs;
  - means and population standard deviations (np.std) over the folds.
"""

import json
import os
import sys

import numpy as np

from lfw_pairs import read_pairs


def read_embeddings(path):
    with open(path) as f:
        header = f.readline().rstrip("\n").split(",")
        assert header[0] == "path", header[:1]
        table = {}
        for line in f:
            if line.strip():
                parts = line.rstrip("\n").split(",")
                # amface keeps embeddings as 32-bit floats: read the text as float32 too.
                table[parts[0]] = np.array(parts[1:], dtype=np.float32).astype(np.float64)
    return table


def unit(v):
    norm = np.linalg.norm(v)
    return v / norm if norm > 0 else np.zeros_like(v)


def fold_bounds(n, k):
    sizes = np.full(k, n // k)
    sizes[: n % k] += 1
    ends = np.cumsum(sizes)
    return list(zip(ends - sizes, ends))


def threshold_at(sim, same, target):
    impostors = sim[~same]
    if len(impostors) == 0:
        raise ValueError("no impostors")
    candidates = np.unique(impostors)
    far = np.sum(impostors[None, :] > candidates[:, None], axis=1) / len(impostors)
    return float(np.min(candidates[far <= target]))


def rates(sim, same, t):
    accepted = sim > t
    genuine, impostors = int(np.sum(same)), int(np.sum(~same))
    tar = float(np.sum(accepted & same)) / genuine if genuine else 0.0
    far = float(np.sum(accepted & ~same)) / impostors if impostors else 0.0
    return far, tar


def evaluate(sim, same, folds, target):
    n = len(sim)
    fold_thr, fold_far, fold_tar = [], [], []
    for start, end in fold_bounds(n, folds):
        test = np.zeros(n, dtype=bool)
        test[start:end] = True
        t = threshold_at(sim[~test], same[~test], target)
        far, tar = rates(sim[test], same[test], t)
        fold_thr.append(t)
        fold_far.append(far)
        fold_tar.append(tar)
    return {
        "target_far": target,
        "threshold": threshold_at(sim, same, target),
        "fold_threshold": fold_thr,
        "fold_far": fold_far,
        "fold_tar": fold_tar,
        "threshold_std": float(np.std(fold_thr)),
        "far": float(np.mean(fold_far)),
        "far_std": float(np.std(fold_far)),
        "tar": float(np.mean(fold_tar)),
        "tar_std": float(np.std(fold_tar)),
    }


def main(case_dirs):
    for root in case_dirs:
        with open(os.path.join(root, "case.json")) as f:
            case = json.load(f)
        pairs = read_pairs(os.path.join(root, case["pairs"]), case.get("ext", ".jpg"))
        emb = read_embeddings(os.path.join(root, case["embeddings"]))
        left = np.stack([unit(emb[a]) for a, _, _ in pairs])
        right = np.stack([unit(emb[b]) for _, b, _ in pairs])
        sim = np.sum(left * right, axis=1)
        same = np.array([s for _, _, s in pairs])
        out = {"pairs": len(pairs), "similarity": sim.tolist(),
               "targets": [evaluate(sim, same, int(case["folds"]), float(t)) for t in case["far_targets"]]}
        with open(os.path.join(root, "threshold_reference.json"), "w") as f:
            json.dump(out, f, indent=1)
        print(f"{root}: {len(pairs)} pairs, " + ", ".join(f"FAR {t['target_far']:g} -> {t['threshold']:.6f}" for t in out["targets"]))


if __name__ == "__main__":
    main(sys.argv[1:])
