"""LFW pairs files (pairs.txt) as the reference scripts read them, independently of amface's Java parser."""


def read_pairs(path, ext):
    pairs = []
    with open(path) as f:
        rows = [line.split() for line in f if line.strip()]
    if rows and len(rows[0]) <= 2 and all(tok.isdigit() for tok in rows[0]):
        rows = rows[1:]
    for row in rows:
        if len(row) == 3:
            name, a, b = row
            pairs.append((f"{name}/{name}_{int(a):04d}{ext}", f"{name}/{name}_{int(b):04d}{ext}", True))
        elif len(row) == 4:
            n1, a, n2, b = row
            pairs.append((f"{n1}/{n1}_{int(a):04d}{ext}", f"{n2}/{n2}_{int(b):04d}{ext}", False))
        else:
            raise ValueError(f"bad pairs line: {row}")
    return pairs
