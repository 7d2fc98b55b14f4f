"""The peer of `amface bench align`: facenet-pytorch's MTCNN on the CPU, timed on the same images, threads,
minimum face size, pyramid factor and thresholds as amface.

Usage: align_peer.py LIST THREADS MIN_SIZE FACTOR T1 T2 T3 [WARMUP]
LIST holds one image path per line. Images are decoded first (untimed), then each is detected on its own, as
an alignment loop does. Prints 'peer facenet-pytorch <version> torch <version>', then
'peer_images_per_second <x>' and 'peer_faces <n>'.
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


def main():
    list_file, threads = sys.argv[1], int(sys.argv[2])
    min_size, factor = float(sys.argv[3]), float(sys.argv[4])
    thresholds = [float(v) for v in sys.argv[5:8]]
    warmup = int(sys.argv[8]) if len(sys.argv) > 8 else 5
    ensure_facenet_pytorch()
    import numpy as np
    import torch
    from PIL import Image
    import facenet_pytorch
    from facenet_pytorch import MTCNN

    torch.set_num_threads(threads)
    torch.set_num_interop_threads(1)
    with open(list_file) as f:
        paths = [line.strip() for line in f if line.strip()]
    images = [np.asarray(Image.open(p).convert("RGB")) for p in paths]
    mtcnn = MTCNN(keep_all=True, min_face_size=min_size, factor=factor, thresholds=thresholds, device="cpu")
    print(f"peer facenet-pytorch {facenet_pytorch.__version__ if hasattr(facenet_pytorch, '__version__') else '2.6.0'} "
          f"torch {torch.__version__} threads {torch.get_num_threads()}", flush=True)
    with torch.inference_mode():
        for img in images[:warmup]:
            mtcnn.detect(img, landmarks=True)
        faces = 0
        start = time.perf_counter()
        for img in images:
            boxes, probs, points = mtcnn.detect(img, landmarks=True)
            faces += 0 if boxes is None else len(boxes)
        seconds = time.perf_counter() - start
    print(f"peer_images_per_second {len(images) / seconds:.3f}")
    print(f"peer_faces {faces}")


if __name__ == "__main__":
    main()
