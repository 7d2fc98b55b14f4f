"""Reference MTCNN pipeline for the aligner's golden test.

The detection logic of facenet's detect_face (image pyramid, P-Net proposals, NMS, box regression, square boxes,
zero-padded crops, R-Net and O-Net refinement, landmarks), written here in NumPy, with the networks being the
ORIGINAL Caffe models of Zhang et al. run by OpenCV's DNN module, so nothing is shared with the Java port but the
algorithm: not the weights file format, not the network code, not the box code. The Caffe networks were trained
on transposed images (MATLAB's column-major order), so every network input is transposed here, as the original
MATLAB demo and facenet do. Images are decoded by OpenCV, as in the Java test.

Usage: align_mtcnn_golden.py CAFFE_DIR PHOTOS_ROOT OUT.csv IMAGE...  (images relative to PHOTOS_ROOT;
min size 20, factor 0.709, thresholds 0.6 0.7 0.7). Writes one row per detected face (face -1: none): image,face,x1,y1,x2,y2,score, then the 5 landmark x and the 5 landmark y.
"""
import os
import sys

import cv2
import numpy as np

MIN_SIZE, FACTOR, THRESHOLDS = 20.0, 0.709, (0.6, 0.7, 0.7)


def load_nets(caffe_dir):
    return [cv2.dnn.readNetFromCaffe(os.path.join(caffe_dir, f"det{n}.prototxt"),
                                     os.path.join(caffe_dir, f"det{n}.caffemodel")) for n in (1, 2, 3)]


def run(net, batch_nhwc, outputs):
    """batch_nhwc: float images [n, h, w, 3] scaled to [-1, 1]; Caffe gets them as [n, 3, w, h]."""
    net.setInput(np.ascontiguousarray(batch_nhwc.transpose(0, 3, 2, 1), dtype=np.float32))
    return net.forward(list(outputs))


def normalize(a):
    return (a.astype(np.float64) - 127.5) * 0.0078125


def nms(boxes, threshold, use_min):
    """Greedy suppression, best score first; returns kept row indices in that order."""
    if len(boxes) == 0:
        return np.zeros(0, dtype=int)
    x1, y1, x2, y2, s = boxes[:, 0], boxes[:, 1], boxes[:, 2], boxes[:, 3], boxes[:, 4]
    area = (x2 - x1 + 1) * (y2 - y1 + 1)
    order = np.argsort(-s, kind="stable")
    keep = []
    while order.size > 0:
        i, rest = order[0], order[1:]
        keep.append(i)
        iw = np.maximum(0.0, np.minimum(x2[i], x2[rest]) - np.maximum(x1[i], x1[rest]) + 1)
        ih = np.maximum(0.0, np.minimum(y2[i], y2[rest]) - np.maximum(y1[i], y1[rest]) + 1)
        inter = iw * ih
        overlap = inter / np.minimum(area[i], area[rest]) if use_min else inter / (area[i] + area[rest] - inter)
        order = rest[overlap <= threshold]
    return np.array(keep, dtype=int)


def to_square(b):
    b = b.copy()
    w, h = b[:, 2] - b[:, 0], b[:, 3] - b[:, 1]
    side = np.maximum(w, h)
    b[:, 0] += w * 0.5 - side * 0.5
    b[:, 1] += h * 0.5 - side * 0.5
    b[:, 2] = b[:, 0] + side
    b[:, 3] = b[:, 1] + side
    return b


def calibrate(b, reg):
    """Box regression relative to the inclusive width (x2 - x1 + 1)."""
    b = b.copy()
    w, h = b[:, 2] - b[:, 0] + 1, b[:, 3] - b[:, 1] + 1
    b[:, 0] += reg[:, 0] * w
    b[:, 1] += reg[:, 1] * h
    b[:, 2] += reg[:, 2] * w
    b[:, 3] += reg[:, 3] * h
    return b


def crop_batch(img, boxes, size):
    """Zero-padded crops of the integer boxes (1-based inclusive corners), area-resized in float."""
    h, w = img.shape[:2]
    out = np.zeros((len(boxes), size, size, 3))
    for k, (bx1, by1, bx2, by2) in enumerate(boxes[:, :4].astype(int)):
        tile = np.zeros((by2 - by1 + 1, bx2 - bx1 + 1, 3))
        sx0, sy0, sx1, sy1 = max(bx1 - 1, 0), max(by1 - 1, 0), min(bx2 - 1, w - 1), min(by2 - 1, h - 1)
        if sx1 >= sx0 and sy1 >= sy0:
            tile[sy0 - (by1 - 1):sy1 - (by1 - 1) + 1, sx0 - (bx1 - 1):sx1 - (bx1 - 1) + 1] = img[sy0:sy1 + 1, sx0:sx1 + 1]
        out[k] = cv2.resize(tile, (size, size), interpolation=cv2.INTER_AREA)
    return normalize(out)


def detect(img, nets):
    pnet, rnet, onet = nets
    h, w = img.shape[:2]
    m = 12.0 / MIN_SIZE
    scales, minl, count = [], min(h, w) * m, 0
    while minl >= 12:
        scales.append(m * FACTOR ** count)
        minl *= FACTOR
        count += 1

    proposals = []
    for scale in scales:
        hs, ws = int(np.ceil(h * scale)), int(np.ceil(w * scale))
        level = normalize(cv2.resize(img, (ws, hs), interpolation=cv2.INTER_AREA))
        prob, reg = run(pnet, level[None], ("prob1", "conv4-2"))
        prob = prob[0, 1].T            # back to [rows, cols] of the upright image
        reg = reg[0].transpose(0, 2, 1)  # [4, rows, cols]
        rows, cols = np.where(prob >= THRESHOLDS[0])
        if rows.size == 0:
            continue
        boxes = np.column_stack([
            np.fix((2.0 * cols + 1) / scale), np.fix((2.0 * rows + 1) / scale),
            np.fix((2.0 * cols + 12) / scale), np.fix((2.0 * rows + 12) / scale),
            prob[rows, cols], reg[0, rows, cols], reg[1, rows, cols], reg[2, rows, cols], reg[3, rows, cols]])
        proposals.append(boxes[nms(boxes, 0.5, False)])
    if not proposals:
        return np.zeros((0, 15))
    boxes = np.vstack(proposals)
    boxes = boxes[nms(boxes, 0.7, False)]
    # P-Net regression is relative to x2 - x1 (no +1), unlike the later stages.
    bw, bh = boxes[:, 2] - boxes[:, 0], boxes[:, 3] - boxes[:, 1]
    boxes = np.column_stack([boxes[:, 0] + boxes[:, 5] * bw, boxes[:, 1] + boxes[:, 6] * bh,
                             boxes[:, 2] + boxes[:, 7] * bw, boxes[:, 3] + boxes[:, 8] * bh, boxes[:, 4]])
    boxes = to_square(boxes)
    boxes[:, :4] = np.fix(boxes[:, :4])

    prob, reg = run(rnet, crop_batch(img, boxes, 24), ("prob1", "conv5-2"))
    keep = prob[:, 1] > THRESHOLDS[1]
    boxes = np.column_stack([boxes[keep, :4], prob[keep, 1]])
    reg = reg[keep]
    if len(boxes) == 0:
        return np.zeros((0, 15))
    pick = nms(boxes, 0.7, False)
    boxes = to_square(calibrate(boxes[pick], reg[pick]))

    boxes[:, :4] = np.fix(boxes[:, :4])
    prob, reg, marks = run(onet, crop_batch(img, boxes, 48), ("prob1", "conv6-2", "conv6-3"))
    keep = prob[:, 1] > THRESHOLDS[2]
    boxes, reg, marks = np.column_stack([boxes[keep, :4], prob[keep, 1]]), reg[keep], marks[keep]
    if len(boxes) == 0:
        return np.zeros((0, 15))
    bw = (boxes[:, 2] - boxes[:, 0] + 1)[:, None]
    bh = (boxes[:, 3] - boxes[:, 1] + 1)[:, None]
    xs = bw * marks[:, 0:5] + boxes[:, 0:1] - 1
    ys = bh * marks[:, 5:10] + boxes[:, 1:2] - 1
    boxes = calibrate(boxes, reg)
    pick = nms(boxes, 0.7, True)
    return np.column_stack([boxes[pick], xs[pick], ys[pick]])


def main():
    caffe_dir, root, out, images = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
    nets = load_nets(caffe_dir)
    lines = ["image,face,x1,y1,x2,y2,score,lx0,lx1,lx2,lx3,lx4,ly0,ly1,ly2,ly3,ly4"]
    for name in images:
        img = cv2.cvtColor(cv2.imread(os.path.join(root, name), cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)
        faces = detect(img, nets)
        if len(faces) == 0:
            lines.append(f"{name},-1" + ",," * 7 + ",")
        for i, f in enumerate(faces):
            lines.append(f"{name},{i}," + ",".join(f"{v:.4f}" for v in f))
    with open(out, "w") as fh:
        fh.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
