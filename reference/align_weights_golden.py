"""Golden summary of facenet's MTCNN weight files as numpy reads them (np.load with pickles, latin1): for each
layer and parameter the shape, the sum, and the first and last 3 values in C order, as CSV. The Java loader, which never
unpickles with Python semantics, must reproduce them. Usage: align_weights_golden.py MTCNN_DIR OUT.csv"""
import sys

import numpy as np

mtcnn_dir, out = sys.argv[1], sys.argv[2]
rows = ["name,shape,sum,head0,head1,head2,tail0,tail1,tail2"]
for n in (1, 2, 3):
    d = np.load(f"{mtcnn_dir}/det{n}.npy", allow_pickle=True, encoding="latin1").item()
    for layer, params in sorted(d.items()):
        for name, a in sorted(params.items()):
            c = np.ascontiguousarray(a, dtype=np.float64).ravel()
            size = c.size  # indices wrap for arrays shorter than 3
            values = [c.sum(), *(c[i % size] for i in (0, 1, 2, size - 3, size - 2, size - 1))]
            rows.append(f"det{n}/{layer}/{name}," + "x".join(map(str, a.shape)) + "," + ",".join(repr(float(v)) for v in values))
with open(out, "w") as f:
    f.write("\n".join(rows) + "\n")
