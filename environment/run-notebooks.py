"""Executes amface notebooks headlessly with nbclient on the "Java (amface)" kernel and checks them.

    python environment/run-notebooks.py [--mode smoke|full] [--save] [--out DIR] [NOTEBOOK ...]

First it checks the kernel's startup script (environment/kernel-startup.jshell): in a fresh kernel, cells that end
in a Backend, a TrainConfig, a Tablesaw table, an XChart chart and an RgbImage, using only the startup imports,
must show as text/html or image/png (amface.notebook.Renderers, registered with JJava's renderer).

A notebook fails when a cell raises, when a cell tagged ``expect-png`` ends without an image/png output (a figure),
when a cell tagged ``expect-html`` ends without text/html (a table, a progress bar), or when a code cell uses a
``%maven`` magic (the kernel's classpath comes from the library build, not from magics).
``--save`` writes the executed notebook back in place (atomically), so the committed outputs come from this code;
``--out`` writes executed copies elsewhere (CI keeps them under lib/target/test-artifacts/notebooks/).
Prints each notebook's run time and closes with an "N passed, N failed" line.
"""
import argparse
import glob
import os
import sys
import tempfile
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

KERNEL = "amface-java"


def outputs_with(cell, mime):
    return [o for o in cell.get("outputs", []) if mime in o.get("data", {})]


def check(nb):
    """Problems with an executed notebook, as short sentences (empty when it is fine)."""
    problems = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        tags = cell.metadata.get("tags", [])
        first = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
        where = f"cell {i} ({first[:60]!r})"
        if "%maven" in cell.source:
            problems.append(f"{where} uses a %maven magic")
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        if errors:
            problems.append(f"{where} raised {errors[0].get('ename')}: {errors[0].get('evalue')}")
        if "expect-png" in tags and not outputs_with(cell, "image/png"):
            problems.append(f"{where} should show a figure (image/png) but has none")
        if "expect-html" in tags and not outputs_with(cell, "text/html"):
            problems.append(f"{where} should show HTML (a table or progress bar) but has none")
    if not any("expect-png" in c.metadata.get("tags", []) for c in nb.cells):
        problems.append("declares no expected figure (tag a cell expect-png)")
    return problems


# (code, MIME type its value must show as): the startup script's imports and renderers, nothing imported here.
STARTUP_CELLS = [
    ("Backend.describe()", "text/html"),
    ("TrainConfig c = TrainConfig.defaults();\nc.m = 0.2;\nc", "text/html"),
    ('Table.create("t", StringColumn.create("a", "x", "y"))', "text/html"),
    ('XYChart ch = new XYChartBuilder().width(200).height(150).build();\n'
     'ch.addSeries("y", new double[] {0, 1}, new double[] {0, 1});\nch', "image/png"),
    ("new RgbImage(2, 2, new byte[12])", "image/png"),
]


def check_startup(timeout):
    """Problems with the kernel's startup imports and renderers, as short sentences (empty when they work)."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(code) for code, _ in STARTUP_CELLS]
    client = NotebookClient(nb, kernel_name=KERNEL, timeout=timeout, record_timing=False)
    try:
        client.execute()
    except Exception as e:  # a compile error (an import missing), the kernel dying at start, ...
        return [f"{type(e).__name__}: {str(e).strip().splitlines()[-1] if str(e).strip() else ''}"]
    problems = []
    for cell, (code, mime) in zip(nb.cells, STARTUP_CELLS):
        results = [o for o in cell.outputs if o.get("output_type") == "execute_result"]
        if not results or mime not in results[0].get("data", {}):
            got = sorted(results[0].get("data", {})) if results else "no result"
            problems.append(f"{code.splitlines()[-1]!r} should show as {mime}, got {got}")
    return problems


def write_atomically(nb, path):
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".ipynb", dir=directory)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes it private; a notebook is an ordinary file
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            nbformat.write(nb, f)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def run(path, mode, timeout, save, out_dir):
    nb = nbformat.read(path, as_version=4)
    name = os.path.basename(path)
    os.environ["AMFACE_NOTEBOOK_MODE"] = mode  # the kernel inherits the environment
    client = NotebookClient(nb, kernel_name=KERNEL, timeout=timeout, record_timing=False,
                            resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}})
    start = time.monotonic()
    problems = []
    stopped = None
    try:
        client.execute()
    except CellExecutionError as e:
        # nbclient stops at the first failing cell; its outputs hold the error, which check() reports.
        stopped = f"execution stopped at an error: {getattr(e, 'ename', '')}: {getattr(e, 'evalue', '')}"
    except Exception as e:  # kernel died, timeout, ...
        problems.append(f"{type(e).__name__}: {e}")
    seconds = time.monotonic() - start
    problems += check(nb)
    if stopped and not problems:
        problems.append(stopped)
    if out_dir:
        os.makedirs(out_dir, exist_ok=True)
        write_atomically(nb, os.path.join(out_dir, name))
    if save and not problems:
        write_atomically(nb, path)
    return name, seconds, problems


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("notebooks", nargs="*", help="default: notebooks/*.ipynb")
    ap.add_argument("--mode", choices=["smoke", "full"], default=os.environ.get("AMFACE_NOTEBOOK_MODE") or "smoke")
    ap.add_argument("--save", action="store_true", help="write outputs back into the notebooks (only when they pass)")
    ap.add_argument("--out", help="folder for executed copies")
    ap.add_argument("--timeout", type=int, default=None, help="seconds per cell (default: 900 smoke, none full)")
    args = ap.parse_args()
    paths = args.notebooks or sorted(glob.glob(os.path.join(here, "..", "notebooks", "*.ipynb")))
    if not paths:
        print("run-notebooks: no notebooks found", file=sys.stderr)
        return 1
    timeout = args.timeout if args.timeout is not None else (900 if args.mode == "smoke" else -1)
    print("== kernel startup: imports and renderers ...", flush=True)
    start = time.monotonic()
    problems = check_startup(timeout if timeout > 0 else 300)
    if problems:
        print(f"FAILED kernel startup after {time.monotonic() - start:.1f} s (environment/kernel-startup.jshell):")
        for p in problems:
            print(f"  - {p}")
        print("notebooks: not run")
        return 1
    print(f"ok     kernel startup  {time.monotonic() - start:.1f} s ({len(STARTUP_CELLS)} cells shown by amface's renderers)", flush=True)
    passed = failed = 0
    for path in paths:
        print(f"== {os.path.basename(path)} ({args.mode}) ...", flush=True)
        name, seconds, problems = run(path, args.mode, timeout, args.save, args.out)
        if problems:
            failed += 1
            print(f"FAILED {name} after {seconds:.1f} s:")
            for p in problems:
                print(f"  - {p}")
        else:
            passed += 1
            print(f"ok     {name}  {seconds:.1f} s ({args.mode})" + ("  [outputs saved]" if args.save else ""))
        sys.stdout.flush()
    print(f"notebooks: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
