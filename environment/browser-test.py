"""The real-browser test: JupyterLab on loopback, a notebook opened in headless Chromium, its first cells run
on the "Java (amface)" kernel until a PNG plot appears in an output area; a screenshot is kept.

    python environment/browser-test.py [--notebook 02-training.ipynb] [--out DIR] [--timeout 300]

The notebook is copied to a scratch folder first, so the browser never autosaves over the committed file.
Chromium is Debian's (/usr/bin/chromium, or $AMFACE_CHROMIUM), driven by Playwright; no browser is downloaded.
"""
import argparse
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import sync_playwright

FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]
PNG_IN_OUTPUT = ".jp-OutputArea-output img[src^='data:image/png']"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_server(base, token, proc, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"JupyterLab exited with code {proc.returncode} before it answered")
        try:
            with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"JupyterLab did not answer on {base} within {timeout} s")


def run_first_cells(page, count):
    """Runs cells 0..count-1 one at a time as a person would (select, Shift+Enter), checking each code cell started."""
    for i in range(count):
        cell = page.locator(".jp-Notebook .jp-Cell").nth(i)
        code = "jp-CodeCell" in (cell.get_attribute("class") or "")
        for attempt in range(3):
            cell.scroll_into_view_if_needed()
            cell.locator(".jp-InputPrompt").first.click()
            page.keyboard.press("Escape")  # command mode
            page.keyboard.press("Shift+Enter")
            if not code:
                break
            try:
                # "[*]:" once queued, "[n]:" when done; still "[ ]:" means the key press was lost: press again.
                page.wait_for_function(
                    "c => /\\[(\\*|\\d+)\\]/.test(c.querySelector('.jp-InputPrompt').textContent)",
                    arg=cell.element_handle(), timeout=10_000)
                break
            except PlaywrightTimeout:
                if attempt == 2:
                    raise RuntimeError(f"cell {i} did not start after 3 tries")


def copy_without_outputs(source, target):
    """Copies the notebook with every output cleared (the committed plots must not count), and returns how many
    cells from the top must run before the first cell that declares a figure has run."""
    with open(source, encoding="utf-8") as f:
        nb = json.load(f)
    first_figure = None
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
        if first_figure is None and "expect-png" in cell.get("metadata", {}).get("tags", []):
            first_figure = i
    if first_figure is None:
        raise SystemExit(f"browser-test: {source} declares no figure (no cell tagged expect-png)")
    with open(target, "w", encoding="utf-8") as f:
        json.dump(nb, f, indent=1)
    return first_figure + 1


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--notebook", default="02-training.ipynb")
    ap.add_argument("--out", default=os.path.join(root, "lib", "target", "test-artifacts", "notebooks"))
    ap.add_argument("--timeout", type=int, default=300, help="seconds to wait for the plot")
    args = ap.parse_args()
    chromium = os.environ.get("AMFACE_CHROMIUM", "/usr/bin/chromium")
    if not os.path.exists(chromium):
        raise SystemExit(f"browser-test: no Chromium at {chromium} (Debian: apt install chromium)")

    os.makedirs(args.out, exist_ok=True)
    work = os.path.join(args.out, "browser-work")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(os.path.join(work, "notebooks"))
    os.makedirs(os.path.join(work, "profile"))
    os.makedirs(os.path.join(work, "jupyter-runtime"))
    cells = copy_without_outputs(os.path.join(root, "notebooks", args.notebook), os.path.join(work, "notebooks", args.notebook))

    port, token = free_port(), secrets.token_hex(16)
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ, AMFACE_NOTEBOOK_MODE=os.environ.get("AMFACE_NOTEBOOK_MODE", "smoke"),
               JUPYTER_RUNTIME_DIR=os.path.join(work, "jupyter-runtime"))
    log = open(os.path.join(args.out, "browser-jupyterlab.log"), "w")
    lab = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
         "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={work}/notebooks",
         "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
         "--LabApp.extension_manager=readonly", "--MappingKernelManager.default_kernel_name=amface-java"]
        + (["--allow-root"] if os.geteuid() == 0 else []),  # CI runs as root
        stdout=log, stderr=subprocess.STDOUT, env=env, cwd=work)
    shot = os.path.join(args.out, "browser-" + args.notebook.replace(".ipynb", ".png"))
    start = time.monotonic()
    try:
        wait_for_server(base, token, lab, 60)
        with sync_playwright() as p:
            browser = p.chromium.launch_persistent_context(
                os.path.join(work, "profile"), executable_path=chromium, headless=True, args=FLAGS,
                viewport={"width": 1400, "height": 1000})
            try:
                page = browser.new_page()
                page.goto(f"{base}/lab/tree/{args.notebook}?token={token}", timeout=60_000)
                page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
                # The kernel must be ours and connected before the cells are sent. JJava leaves the status
                # "Unknown" until the first execution, then Idle/Busy.
                page.get_by_text(re.compile(r"Java \(amface\) \| (Idle|Unknown)")).first.wait_for(timeout=180_000)
                if page.locator(PNG_IN_OUTPUT).count():
                    raise RuntimeError("a plot was on the page before any cell ran")
                run_first_cells(page, cells)
                figure_cell = page.locator(".jp-Notebook .jp-Cell").nth(cells - 1)
                img = figure_cell.locator(PNG_IN_OUTPUT).first
                img.wait_for(timeout=args.timeout * 1000)
                img.scroll_into_view_if_needed()
                size = img.evaluate("i => [i.naturalWidth, i.naturalHeight]")
                try:  # JupyterLab's first-run "notified about news?" toast would cover part of the screenshot
                    page.locator(".jp-toast-button", has_text="No").first.click(timeout=2_000)
                except PlaywrightTimeout:
                    pass
                errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count()
                page.screenshot(path=shot)
                if size[0] < 100 or size[1] < 100:
                    raise RuntimeError(f"the plot is only {size[0]}x{size[1]} pixels")
                kernel = page.locator(".jp-Toolbar-kernelName").first.inner_text().strip()
                print(f"browser-test: {args.notebook}: a {size[0]}x{size[1]} PNG plot appeared after {time.monotonic() - start:.1f} s "
                      f"on kernel '{kernel}' ({errors} stderr outputs); screenshot {shot}")
                if "amface" not in kernel:
                    raise RuntimeError(f"the notebook ran on kernel '{kernel}', not 'Java (amface)'")
            except BaseException:
                try:
                    page.screenshot(path=shot)
                    print(f"browser-test: screenshot of the failure: {shot}", file=sys.stderr)
                except Exception:
                    pass
                raise
            finally:
                browser.close()
    finally:
        try:
            req = urllib.request.Request(f"{base}/api/shutdown?token={token}", method="POST")
            urllib.request.urlopen(req, timeout=10).close()
        except OSError:
            pass
        try:
            lab.wait(timeout=30)
        except subprocess.TimeoutExpired:
            lab.terminate()
            lab.wait(timeout=30)
        log.close()
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception as e:
        print(f"browser-test: FAILED: {type(e).__name__}: {e}", file=sys.stderr)
        sys.exit(1)
