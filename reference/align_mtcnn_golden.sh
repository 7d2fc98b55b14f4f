#!/usr/bin/env bash
# Regenerates lib/src/test/resources/golden/align/mtcnn-photos.csv from the shared photos (see align_mtcnn_golden.py).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
data="${AMFACE_SHARED_DATA:-$root/../shared/data}"
py=$("$root/environment/pyvenv" align-ref "$root/reference/requirements-align.txt")
"$py" "$root/reference/align_mtcnn_golden.py" "$data/mtcnn/caffe" "$data/photos" "$root/lib/src/test/resources/golden/align/mtcnn-photos.csv" \
  mtcnn-samples/test1.jpg mtcnn-samples/test2.jpg facenet-pytorch/kate_siegel/1.jpg \
  deepface/couple.jpg deepface/selfie-many-people.jpg deepface/img5.jpg deepface/img10.jpg deepface/img12.jpg \
  deepface/img14.jpg deepface/img16.jpg deepface/img17.jpg deepface/img21.jpg deepface/img25.jpg deepface/img27.jpg \
  deepface/img43.jpg deepface/img44.jpg deepface/img50.jpg deepface/img51.jpg deepface/img62.jpg
