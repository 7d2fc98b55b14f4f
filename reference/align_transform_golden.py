"""Golden similarity transforms and chips for the aligner, from scikit-image and OpenCV as the reference repository
(insightface's face_preprocess) uses them: SimilarityTransform().estimate(landmarks, template), warpAffine with
bilinear interpolation and a black border, and the centre-crop fallback resized with cv2.resize.

Usage: align_transform_golden.py PHOTOS_ROOT MTCNN_GOLDEN.csv OUT.csv
Rows: case,template,lx0..lx4,ly0..ly4,m00,m01,m02,m10,m11,m12,chip_sum,chip_weighted
(chip_* are empty for synthetic landmark sets; 'fallback' rows hold the centre crop of the image.)"""
import csv
import os
import sys

import cv2
import numpy as np
from skimage import transform as trans

TEMPLATE = np.array([[30.2946, 51.6963], [65.5318, 51.5014], [48.0252, 71.7366],
                     [33.5493, 92.3655], [62.7299, 92.2041]])
SIZES = {"112x96": (112, 96), "112x112": (112, 112)}


def template(size):
    t = TEMPLATE.copy()
    if size == "112x112":
        t[:, 0] += 8.0
    return t


def checksums(chip):
    flat = chip.astype(np.int64).ravel()
    return str(int(flat.sum())), str(int((flat * (np.arange(flat.size) % 97 + 1)).sum()))


def main():
    root, mtcnn_golden, out = sys.argv[1], sys.argv[2], sys.argv[3]
    rows = []
    rng = np.random.default_rng(6)
    cases = []
    # Synthetic landmark sets: the template moved by known similarities, a mirrored face (reflection), noise.
    for k in range(6):
        angle, scale = rng.uniform(-np.pi, np.pi), rng.uniform(0.3, 4.0)
        rot = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
        pts = scale * TEMPLATE @ rot.T + rng.uniform(-200, 200, 2) + rng.normal(0, 2.0 * k, (5, 2))
        cases.append((f"synthetic{k}", None, pts))
    cases.append(("mirrored", None, TEMPLATE * [-1, 1] + [200, 10]))
    with open(mtcnn_golden) as f:
        for r in csv.DictReader(f):
            if r["face"] == "0":
                pts = np.array([[float(r[f"lx{i}"]), float(r[f"ly{i}"])] for i in range(5)])
                cases.append((r["image"], r["image"], pts))
    for name, image, pts in cases:
        img = None
        if image is not None:
            img = cv2.cvtColor(cv2.imread(os.path.join(root, image), cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)
        for size, (h, w) in SIZES.items():
            tform = trans.SimilarityTransform()
            tform.estimate(pts, template(size))
            m = tform.params[0:2, :]
            sums = ["", ""]
            if img is not None:
                sums = checksums(cv2.warpAffine(img, m, (w, h), borderValue=0.0))
            rows.append([name, size, *pts[:, 0], *pts[:, 1], *m.ravel(), *sums])
        if img is not None and name.startswith("deepface/img1"):
            ih, iw = img.shape[:2]
            det = [int(iw * 0.0625), int(ih * 0.0625)]
            det += [iw - det[0], ih - det[1]]
            bb = [int(max(det[0] - 22, 0)), int(max(det[1] - 22, 0)), int(min(det[2] + 22, iw)), int(min(det[3] + 22, ih))]
            for size, (h, w) in SIZES.items():
                chip = cv2.resize(img[bb[1]:bb[3], bb[0]:bb[2], :], (w, h))
                rows.append(["fallback:" + name, size] + [""] * 16 + list(checksums(chip)))
    with open(out, "w", newline="") as f:
        wr = csv.writer(f)
        wr.writerow(["case", "template"] + [f"lx{i}" for i in range(5)] + [f"ly{i}" for i in range(5)]
                    + ["m00", "m01", "m02", "m10", "m11", "m12", "chip_sum", "chip_weighted"])
        for r in rows:
            wr.writerow([repr(float(v)) if isinstance(v, (float, np.floating)) else v for v in r])


if __name__ == "__main__":
    main()
