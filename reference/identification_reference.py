"""Independent reference for amface.identification: CMC, TPIR@FPIR and the DET curve, the MegaFace protocol
(rank-k against nested distractor sets, TAR@FAR), and the LFW-BLUFR figures (VR@FAR, DIR@FAR at rank 1).

NumPy only; shares no code with the Java side and works by brute force on full score matrices in float64 (the
Java side streams blocks and keeps only top scores). For every case directory given on the command line it
reads case.json and writes identification_reference.json next to it.

Definitions (issue 18; see the Java package documentation):
  - score = dot product of the given vectors (the tests give small-integer vectors so scores are exact);
  - rank of a mated probe = 1 + #{non-mate gallery entries with score >= best mate score} (ties count against);
    a probe is mated when its label occurs in the gallery; distractors have no label;
  - CMC(r) = share of mated probes with rank <= r;
  - threshold at FPIR f: the smallest t among {-inf} and the non-mated probes' top scores with
    #{non-mated top > t} / #non-mated <= f; TPIR(R) = share of mated probes with rank <= R and mate score > t;
  - DET at rank R: for t = -inf and every distinct score among non-mated tops and mates within rank R,
    FPIR = #{non-mated top > t} / #non-mated, FNIR = 1 - #{mated, rank <= R, mate > t} / #mated;
  - MegaFace: for every ordered pair (p, g) of distinct images of one identity (identities with >= 2 images),
    rank = 1 + #{first N distractors d with s(p, d) >= s(p, g)}; TAR at FAR f: genuine = unordered same-identity
    pairs, impostors = all (image, distractor) pairs, threshold = the smallest impostor score t (or -inf) with
    #{impostors > t} / #impostors <= f, TAR = #{genuine > t} / #genuine;
  - BLUFR (the toolkit's EvalROC / OpenSetROC): a = round(far * n_imp) false alarms; a = 0: accept scores above
    every impostor; a = n_imp: accept all; else accept scores >= the a-th largest impostor score. Verification
    over the unordered pairs of the trial's test images; open set: impostor score = a non-mated probe's top
    gallery score, a mated probe counts when rank <= 1 and accepted; mean and std with ddof=1 over trials.
"""

import json
import os
import sys

import numpy as np

NO_LABEL = None


def scores(a, b):
    a = np.asarray(a, dtype=np.float64).reshape(len(a), -1)
    b = np.asarray(b, dtype=np.float64).reshape(len(b), -1)
    return a @ b.T


def search(probes, probe_labels, gallery, gallery_labels):
    """Per probe: mated, best mate score, rank, top non-mate score."""
    s = scores(probes, gallery)
    gl = np.array([(-10**9 if l is None else l) for l in gallery_labels])
    out = []
    for i, pl in enumerate(probe_labels):
        mate = gl == pl
        non = ~mate
        top = float(np.max(s[i, non])) if np.any(non) else float("-inf")
        if np.any(mate):
            best = float(np.max(s[i, mate]))
            rank = 1 + int(np.sum(s[i, non] >= best))
            out.append((True, best, rank, top))
        else:
            out.append((False, float("nan"), 0, top))
    return out


def cmc(res, max_rank):
    ranks = np.array([r for m, _, r, _ in res if m])
    return [float(np.mean(ranks <= k)) for k in range(1, max_rank + 1)]


def threshold_at_fpir(res, f):
    tops = np.array([t for m, _, _, t in res if not m])
    candidates = np.concatenate([[-np.inf], np.unique(tops)])
    fpir = np.array([np.mean(tops > c) for c in candidates])
    return float(np.min(candidates[fpir <= f])), tops


def tpir(res, t, rank):
    return float(np.mean([m_ok for m_ok in (r <= rank and s > t for m, s, r, _ in res if m)]))


def open_set(res, fpirs, ranks):
    points = []
    for f in fpirs:
        for rank in ranks:
            t, tops = threshold_at_fpir(res, f)
            points.append({"fpir_target": f, "rank": rank, "threshold": t, "fpir": float(np.mean(tops > t)), "tpir": tpir(res, t, rank)})
    return points


def det(res, rank):
    tops = np.array([t for m, _, _, t in res if not m])
    hits = np.array([s for m, s, r, _ in res if m and r <= rank])
    mated = sum(1 for m, *_ in res if m)
    ts = np.concatenate([[-np.inf], np.unique(np.concatenate([tops, hits]))])
    return {"threshold": [float(x) for x in ts], "fpir": [float(np.mean(tops > t)) for t in ts],
            "fnir": [1.0 - float(np.sum(hits > t)) / mated for t in ts]}


def far_threshold(impostors, f):
    candidates = np.concatenate([[-np.inf], np.unique(impostors)])
    far = np.array([np.sum(impostors > c) for c in candidates]) / len(impostors)
    return float(np.min(candidates[far <= f]))


def megaface(case):
    x = np.asarray(case["probes"], dtype=np.float64)
    labels = np.array(case["labels"])
    d = np.asarray(case["distractors"], dtype=np.float64)
    keep = np.array([np.sum(labels == l) >= 2 for l in labels])
    x, labels = x[keep], labels[keep]
    sp = scores(x, x)
    sd = scores(x, d)
    out = []
    for n in case["sizes"]:
        ranks = []
        for p in range(len(x)):
            for g in range(len(x)):
                if p != g and labels[p] == labels[g]:
                    ranks.append(1 + int(np.sum(sd[p, :n] >= sp[p, g])))
        ranks = np.array(ranks)
        genuine = np.array([sp[i, j] for i in range(len(x)) for j in range(i + 1, len(x)) if labels[i] == labels[j]])
        impostors = sd[:, :n].ravel()
        t = far_threshold(impostors, case["far"])
        out.append({"distractors": n, "cmc": [float(np.mean(ranks <= k)) for k in range(1, case["max_rank"] + 1)],
                    "threshold": t, "tar": float(np.mean(genuine > t))})
    return out


def toolkit_accept(genuine, impostors, far):
    """Share of genuine scores the BLUFR toolkit accepts at FAR far (its threshold rule)."""
    imp = np.sort(impostors)[::-1]
    a = int(np.floor(far * len(imp) + 0.5))  # MATLAB round: half away from zero (non-negative here)
    if a == 0:
        return float(np.mean(genuine > imp[0]))
    if a == len(imp):
        return 1.0
    return float(np.mean(genuine >= imp[a - 1]))


def blufr(case):
    feats = np.asarray(case["features"], dtype=np.float64)
    labels = np.array(case["labels"])
    vr, dirs = [], []
    for trial in case["trials"]:
        test = np.array(trial["test"])
        s = scores(feats[test], feats[test])
        lab = labels[test]
        i, j = np.tril_indices(len(test), -1)
        same = lab[i] == lab[j]
        pair = s[i, j]
        vr.append([toolkit_accept(pair[same], pair[~same], f) for f in case["fars"]])
        gal, prob = trial["gallery"], trial["probes"]
        res = search(feats[prob], list(labels[prob]), feats[gal], list(labels[gal]))
        tops = np.array([t for m, _, _, t in res if not m])
        imp = np.sort(tops)[::-1]
        a = int(np.floor(case["open_set_far"] * len(imp) + 0.5))
        hits = 0
        for m, sc, r, _ in res:
            if not m or r > 1:
                continue
            ok = sc > imp[0] if a == 0 else (True if a == len(imp) else sc >= imp[a - 1])
            hits += ok
        dirs.append(hits / sum(1 for m, *_ in res if m))
    vr = np.array(vr)
    return {"vr": vr.tolist(), "dir": dirs, "vr_mean": vr.mean(axis=0).tolist(), "vr_std": vr.std(axis=0, ddof=1).tolist(),
            "dir_mean": float(np.mean(dirs)), "dir_std": float(np.std(dirs, ddof=1))}


def main():
    for case_dir in sys.argv[1:]:
        with open(os.path.join(case_dir, "case.json")) as f:
            case = json.load(f)
        out = {}
        ident = case["identification"]
        gallery_labels = ident["gallery_labels"] + [None] * len(ident["distractors"])
        gallery = ident["gallery"] + ident["distractors"]
        res = search(ident["probes"], ident["probe_labels"], gallery, gallery_labels)
        out["ranks"] = [r for _, _, r, _ in res]
        out["cmc"] = cmc(res, ident["max_rank"])
        out["open_set"] = open_set(res, ident["fpirs"], ident["ranks"])
        out["det"] = {str(r): det(res, r) for r in ident["ranks"]}
        out["megaface"] = megaface(case["megaface"])
        out["blufr"] = blufr(case["blufr"])
        with open(os.path.join(case_dir, "identification_reference.json"), "w") as f:
            json.dump(out, f)


if __name__ == "__main__":
    main()
