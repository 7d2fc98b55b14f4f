#!/usr/bin/env python3
"""The people an LFW fold-out model may be evaluated on (for amface ident-eval --identities).

A fold-out model of fold k (configs/sweep-lfw-foldout.properties, protocol b) trained on every identity of the
aligned tree with at least MIN_IMAGES images that appears in no pair of fold k. It may be evaluated on
  - the people of fold k's pairs (held out), and
  - the people with a single image in the aligned tree (LFW's singletons), which training never saw because it
    takes only people with MIN_IMAGES >= 2 images;
this script writes both lists' union, and checks the training list it reconstructs against the run's
run.properties (classes, classes.sha256) so that the reconstruction is the model's real training set.

  python3 reference/lfw_foldout_identities.py ALIGNED_TREE pairs.txt FOLD MIN_IMAGES run.properties OUT.txt
Standard library only.
"""
import hashlib
import os
import sys


def main(tree, pairs_file, fold, min_images, run_properties, out):
    with open(pairs_file) as f:
        header = f.readline().split()
        folds, per = int(header[0]), int(header[1])
        lines = [l.split() for l in f if l.strip()]
    fold_lines = lines[(fold - 1) * 2 * per: fold * 2 * per]
    held_out = set()
    for p in fold_lines:
        held_out.add(p[0])
        held_out.add(p[2] if len(p) == 4 else p[0])
    counts = {d: len([f for f in os.listdir(os.path.join(tree, d)) if not f.startswith('.')])
              for d in os.listdir(tree) if os.path.isdir(os.path.join(tree, d))}
    training = sorted(d for d, n in counts.items() if n >= min_images and d not in held_out)
    singletons = sorted(d for d, n in counts.items() if n == 1)
    props = {}
    with open(run_properties) as f:
        for line in f:
            if '=' in line and not line.startswith('#'):
                k, v = line.rstrip('\n').split('=', 1)
                props[k.strip()] = v.strip()
    sha = hashlib.sha256(("\n".join(training) + "\n").encode()).hexdigest()
    if int(props['classes']) != len(training) or props['classes.sha256'] != sha:
        sys.exit(f"the reconstructed training set ({len(training)} people, sha256 {sha}) is not the run's "
                 f"({props['classes']} people, {props['classes.sha256']}): wrong fold, minImages or tree")
    overlap = set(training) & (held_out | set(singletons))
    if overlap:
        sys.exit(f"{len(overlap)} evaluation people are in the training set, e.g. {sorted(overlap)[:5]}")
    allowed = sorted(held_out | set(singletons))
    with open(out, 'w') as f:
        f.write("\n".join(allowed) + "\n")
    multi = sum(1 for d in held_out if counts.get(d, 0) >= 2)
    print(f"training set checked: {len(training)} people, sha256 matches run.properties")
    print(f"fold {fold}: {len(held_out)} people in its pairs ({multi} with two or more images); "
          f"{len(singletons)} singletons ({len(set(singletons) & held_out)} of them in fold {fold}'s pairs); "
          f"none of them trained on; wrote {len(allowed)} names to {out}")


if __name__ == '__main__':
    if len(sys.argv) != 7:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6])
