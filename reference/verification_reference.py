"""Independent reference for amface's verification evaluator (the LFW 10-fold protocol of facenet's lfw.evaluate).

NumPy and scikit-learn only; shares no code with the Java side. For every case directory given on the command
line it reads case.json and its inputs, evaluates, and writes reference.json next to them.

case.json:
  {"folds": 10, "metric": "distance" | "cosine", "far_target": 0.001,
   and either "pairs": "pairs.txt", "embeddings": "embeddings.csv", "ext": ".jpg",
               optionally "mirrored": "mirrored.csv", "flip": "none" | "sum" | "mean" | "concat"
   or         "distances": "distances.csv"   (lines "distance,label", label 1 = same person)}

Protocol (the amface issue's wording):
  - embeddings L2-normalised; distance = squared Euclidean distance, or 1 - cosine similarity clipped to [0, 2];
  - KFold(folds, shuffle=False) over the pairs in file order;
  - accuracy: per fold, the threshold from np.arange(0, 4, 0.01) with the best accuracy on the other folds
    (first maximum = smallest threshold); "same" when distance < threshold;
  - ROC: per-fold test TPR / FPR on that grid, averaged over folds;
  - VAL: per fold, the largest threshold of np.arange(0, 4, 0.001) whose FAR on the other folds is <= the target
    (0 if none), VAL and FAR measured on the test fold;
  - AUC: sklearn roc_auc_score on all pairs with score = -distance;
  - EER: where FPR = 1 - TPR on the ROC polyline of sklearn's roc_curve, found by bisection.
"""

import json
import os
import sys

import numpy as np
from sklearn.metrics import roc_auc_score, roc_curve
from sklearn.model_selection import KFold

from lfw_pairs import read_pairs


def read_embeddings(path):
    with open(path) as f:
        header = f.readline().rstrip("\n").split(",")
        assert header[0] == "path"
        names, rows = [], []
        for line in f:
            if not line.strip():
                continue
            parts = line.rstrip("\n").split(",")
            names.append(parts[0])
            rows.append(parts[1:])
    # amface keeps embeddings as 32-bit floats, so the same text is read as float32 here too.
    values = np.array(rows, dtype=np.float32).astype(np.float64)
    return {name: values[i] for i, name in enumerate(names)}


def unit(v):
    norm = np.sqrt(np.sum(v * v))
    return v / norm if norm > 0 else np.zeros_like(v)


def combine(original, mirrored, flip):
    if flip == "none":
        return original
    if flip == "sum":
        return (original.astype(np.float32) + mirrored.astype(np.float32)).astype(np.float64)
    if flip == "mean":
        return ((original.astype(np.float32) + mirrored.astype(np.float32)) / np.float32(2)).astype(np.float64)
    if flip == "concat":
        # Each half normalised first (in float64), then stored as float32 like amface's combined embedding.
        return np.concatenate([unit(original), unit(mirrored)]).astype(np.float32).astype(np.float64)
    raise ValueError(flip)


def pair_distances(case, root):
    if "distances" in case:
        data = np.loadtxt(os.path.join(root, case["distances"]), delimiter=",", dtype=np.float64, ndmin=2)
        return data[:, 0], data[:, 1].astype(bool)
    pairs = read_pairs(os.path.join(root, case["pairs"]), case.get("ext", ".jpg"))
    emb = read_embeddings(os.path.join(root, case["embeddings"]))
    flip = case.get("flip", "none")
    if flip != "none":
        mirrored = read_embeddings(os.path.join(root, case["mirrored"]))
        emb = {k: combine(v, mirrored[k], flip) for k, v in emb.items()}
    left = np.stack([unit(emb[a]) for a, _, _ in pairs])
    right = np.stack([unit(emb[b]) for _, b, _ in pairs])
    same = np.array([s for _, _, s in pairs])
    if case.get("metric", "distance") == "cosine":
        dist = np.clip(1.0 - np.sum(left * right, axis=1), 0.0, 2.0)
    else:
        dist = np.sum(np.square(left - right), axis=1)
    return dist, same


def rates(dist, same, thresholds):
    """TP, FP counts and totals for each threshold (rows) with "same" = dist < threshold."""
    predicted = dist[None, :] < thresholds[:, None]
    tp = np.sum(predicted & same[None, :], axis=1)
    fp = np.sum(predicted & ~same[None, :], axis=1)
    return tp, fp, int(np.sum(same)), int(np.sum(~same))


def safe_div(a, b):
    return np.zeros_like(a, dtype=np.float64) if b == 0 else a / float(b)


def evaluate(dist, same, folds, far_target):
    n = len(dist)
    kfold = KFold(n_splits=folds, shuffle=False)
    acc_grid = np.arange(0, 4, 0.01)
    val_grid = np.arange(0, 4, 0.001)
    fold_acc, fold_thr, tprs, fprs = [], [], [], []
    fold_val, fold_far, fold_val_thr = [], [], []
    for train, test in kfold.split(np.arange(n)):
        tp, fp, p, q = rates(dist[train], same[train], acc_grid)
        train_acc = (tp + (q - fp)) / float(len(train))
        best = int(np.argmax(train_acc))
        tp_t, fp_t, p_t, q_t = rates(dist[test], same[test], acc_grid)
        fold_thr.append(float(acc_grid[best]))
        fold_acc.append(float((tp_t[best] + (q_t - fp_t[best])) / float(len(test))))
        tprs.append(safe_div(tp_t, p_t))
        fprs.append(safe_div(fp_t, q_t))

        _, fp_v, _, q_v = rates(dist[train], same[train], val_grid)
        far_train = safe_div(fp_v, q_v)
        ok = np.nonzero(far_train <= far_target)[0]
        threshold = float(val_grid[ok[-1]]) if len(ok) else 0.0
        test_same = same[test]
        accepted = dist[test] < threshold
        n_same, n_diff = int(np.sum(test_same)), int(np.sum(~test_same))
        fold_val_thr.append(threshold)
        fold_val.append(0.0 if n_same == 0 else float(np.sum(accepted & test_same)) / n_same)
        fold_far.append(0.0 if n_diff == 0 else float(np.sum(accepted & ~test_same)) / n_diff)

    auc = float(roc_auc_score(same, -dist))
    fpr, tpr, _ = roc_curve(same, -dist, drop_intermediate=False)
    eer = equal_error_rate(fpr, tpr)
    return {
        "pairs": int(n),
        "acc_mean": float(np.mean(fold_acc)),
        "acc_std": float(np.std(fold_acc)),
        "fold_acc": fold_acc,
        "fold_threshold": fold_thr,
        "val": float(np.mean(fold_val)),
        "val_std": float(np.std(fold_val)),
        "far": float(np.mean(fold_far)),
        "auc": auc,
        "eer": eer,
        "fold_val": fold_val,
        "fold_far": fold_far,
        "fold_val_threshold": fold_val_thr,
        "roc_tpr": np.mean(np.array(tprs), axis=0).tolist(),
        "roc_fpr": np.mean(np.array(fprs), axis=0).tolist(),
    }


def equal_error_rate(fpr, tpr):
    """Bisection on the ROC polyline, parameterised by position along its points, for FPR - (1 - TPR) = 0."""
    index = np.arange(len(fpr), dtype=np.float64)

    def gap(s):
        return np.interp(s, index, fpr) - (1.0 - np.interp(s, index, tpr))

    lo, hi = 0.0, float(len(fpr) - 1)
    if gap(lo) >= 0:
        return float(fpr[0])
    for _ in range(200):
        mid = (lo + hi) / 2
        if gap(mid) >= 0:
            hi = mid
        else:
            lo = mid
    return float(np.interp(hi, index, fpr))


def main(case_dirs):
    for root in case_dirs:
        with open(os.path.join(root, "case.json")) as f:
            case = json.load(f)
        dist, same = pair_distances(case, root)
        result = evaluate(dist, same, int(case.get("folds", 10)), float(case.get("far_target", 1e-3)))
        with open(os.path.join(root, "reference.json"), "w") as f:
            json.dump(result, f, indent=1)
        print(f"{root}: {result['pairs']} pairs, acc {result['acc_mean']:.4f}, auc {result['auc']:.5f}, eer {result['eer']:.5f}")


if __name__ == "__main__":
    main(sys.argv[1:])
