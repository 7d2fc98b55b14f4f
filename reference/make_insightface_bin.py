"""Writes insightface-style verification files ((bins, issame_list) pickles) for amface's InsightfaceBin tests.

Usage: make_insightface_bin.py OUT_DIR ISSAME IMAGE...
  ISSAME  comma-separated 0/1, one per pair; IMAGE files are the encoded images, two per pair, in order.

Writes, each checked by loading it back with Python's own pickle:
  py3-protocol4.bin   pickle.dump((bins, issame), protocol=4): bytes objects
  py3-protocol2.bin   protocol 2 from Python 3: bytes become _codecs.encode(text, 'latin1') calls
  py2-protocol2.bin   what Python 2 wrote (insightface's own files): str objects as BINSTRING / SHORT_BINSTRING,
                      assembled opcode by opcode here; Python 3 reads it with encoding='bytes'
  refused.bin         a pickle that would call os.system: a reader must refuse it (nothing here runs it)
"""

import os
import pickle
import struct
import sys


def py2_protocol2(bins, issame):
    out = bytearray(b"\x80\x02")  # PROTO 2
    memo = 0

    def put():
        nonlocal memo
        out.extend(b"q" + bytes([memo]) if memo < 256 else b"r" + struct.pack("<I", memo))
        memo += 1

    out.extend(b"]")  # EMPTY_LIST (bins)
    put()
    out.extend(b"(")  # MARK
    for b in bins:
        if len(b) < 256:
            out.extend(b"U" + bytes([len(b)]) + b)  # SHORT_BINSTRING
        else:
            out.extend(b"T" + struct.pack("<i", len(b)) + b)  # BINSTRING
        put()
    out.extend(b"e")  # APPENDS
    out.extend(b"]")  # EMPTY_LIST (issame)
    put()
    out.extend(b"(")
    for s in issame:
        out.extend(b"\x88" if s else b"\x89")  # NEWTRUE / NEWFALSE
    out.extend(b"e")
    out.extend(b"\x86")  # TUPLE2
    put()
    out.extend(b".")  # STOP
    return bytes(out)


class _Refused:
    def __reduce__(self):
        return (os.system, ("echo this must never run",))


def main(out_dir, issame_text, images):
    issame = [t.strip() == "1" for t in issame_text.split(",")]
    bins = []
    for path in images:
        with open(path, "rb") as f:
            bins.append(f.read())
    assert len(bins) == 2 * len(issame), (len(bins), len(issame))
    os.makedirs(out_dir, exist_ok=True)

    files = {
        "py3-protocol4.bin": pickle.dumps((bins, issame), protocol=4),
        "py3-protocol2.bin": pickle.dumps((bins, issame), protocol=2),
        "py2-protocol2.bin": py2_protocol2(bins, issame),
    }
    for name, data in files.items():
        loaded_bins, loaded_issame = pickle.loads(data, encoding="bytes")
        assert [bytes(b) for b in loaded_bins] == bins and list(loaded_issame) == issame, name
        with open(os.path.join(out_dir, name), "wb") as f:
            f.write(data)
    assert b"_codecs" in files["py3-protocol2.bin"] and b"_codecs" not in files["py3-protocol4.bin"]
    with open(os.path.join(out_dir, "refused.bin"), "wb") as f:
        f.write(pickle.dumps((_Refused(), issame), protocol=2))
    print("wrote", ", ".join(list(files) + ["refused.bin"]))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
