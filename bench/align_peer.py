"""The peer of `amface bench align`: facenet-pytorch's MTCNN on the CPU, timed on the same images, threads,
minimum face size, pyramid factor and thresholds as amface.

Usage: align_peer.py LIST THREADS MIN_SIZE FACTOR T1 T2 T3 [WARMUP]
LIST holds one image path per line. Images are decoded first (untimed), then each is detected on its own, as an
alignment loop does, in two ways that use THREADS cores: (a) one process, torch.set_num_threads(THREADS), images
one after another (PyTorch's usual way); (b) THREADS forked processes with one torch thread each, sharing the
images (the split amface uses). Prints 'peer facenet-pytorch <version> torch <version>', then for each way
'peer_images_per_second_<a|b> <x>' and 'peer_faces_<a|b> <n>'.
"""
import importlib
import subprocess
import sys
import time


def ensure_facenet_pytorch():
    # facenet-pytorch pins an older torch; it runs on the current one, so it is installed without its pins.
    try:
        importlib.import_module("facenet_pytorch")
    except ImportError:
        subprocess.check_call([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                               "torchvision==0.29.2", "facenet-pytorch==2.6.0"], stdout=sys.stderr)


STATE = {}


def _init_worker(min_size, factor, thresholds):
    import torch
    from facenet_pytorch import MTCNN
    torch.set_num_threads(1)
    STATE["mtcnn"] = MTCNN(keep_all=True, min_face_size=min_size, factor=factor, thresholds=thresholds, device="cpu")
    with torch.inference_mode():
        for img in STATE["images"][:3]:
            STATE["mtcnn"].detect(img, landmarks=True)


def _detect(i):
    import torch
    with torch.inference_mode():
        boxes, _, _ = STATE["mtcnn"].detect(STATE["images"][i], landmarks=True)
    return 0 if boxes is None else len(boxes)


def main():
    list_file, threads = sys.argv[1], int(sys.argv[2])
    min_size, factor = float(sys.argv[3]), float(sys.argv[4])
    thresholds = [float(v) for v in sys.argv[5:8]]
    warmup = int(sys.argv[8]) if len(sys.argv) > 8 else 5
    ensure_facenet_pytorch()
    import multiprocessing
    import numpy as np
    import torch
    from PIL import Image
    from facenet_pytorch import MTCNN

    with open(list_file) as f:
        paths = [line.strip() for line in f if line.strip()]
    images = [np.asarray(Image.open(p).convert("RGB")) for p in paths]
    STATE["images"] = images

    # (b) first, before this process starts torch's thread pools (forking after that is unsafe).
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(threads, initializer=_init_worker, initargs=(min_size, factor, thresholds)) as pool:
        pool.map(_detect, range(threads), chunksize=1)  # every worker is up and warm
        start = time.perf_counter()
        faces_b = sum(pool.map(_detect, range(len(images)), chunksize=4))
        seconds_b = time.perf_counter() - start

    torch.set_num_threads(threads)
    mtcnn = MTCNN(keep_all=True, min_face_size=min_size, factor=factor, thresholds=thresholds, device="cpu")
    print(f"peer facenet-pytorch 2.6.0 torch {torch.__version__}", flush=True)
    with torch.inference_mode():
        for img in images[:warmup]:
            mtcnn.detect(img, landmarks=True)
        faces_a = 0
        start = time.perf_counter()
        for img in images:
            boxes, probs, points = mtcnn.detect(img, landmarks=True)
            faces_a += 0 if boxes is None else len(boxes)
        seconds_a = time.perf_counter() - start
    print(f"peer_images_per_second_a {len(images) / seconds_a:.3f}")
    print(f"peer_faces_a {faces_a}")
    print(f"peer_images_per_second_b {len(images) / seconds_b:.3f}")
    print(f"peer_faces_b {faces_b}")


if __name__ == "__main__":
    main()
