"""A kernel interrupt stops training cleanly: checked on the "Java (amface)" kernel through jupyter_client.

    python environment/interrupt-test.py [--out DIR]

Starts the kernel, trains a tiny network on synthetic faces in a cell (amface.notebook.LiveTraining), waits until
the live progress bar has shown a few steps, sends an interrupt_request (the kernel spec's interrupt_mode is
"message", as JupyterLab's stop button sends it) and then checks: the cell ended with JJava's interruption error
within seconds, the kernel is alive, the trainer stopped and wrote a checkpoint (LiveTraining.awaitStopped), the
checkpoint resumes for a few more steps with output reaching the notebook, and the kernel still runs cells.
Exits non-zero naming the first check that failed.
"""
import argparse
import os
import queue
import re
import shutil
import sys
import time

import jupyter_client

KERNEL = "amface-java"


class Cell:
    def __init__(self, kc, code):
        self.kc = kc
        self.msg_id = kc.execute(code)
        self.outputs = []   # (msg_type, content)
        self.done = False

    def pump(self, timeout):
        """Reads this cell's iopub messages for up to timeout seconds; True once the kernel went idle for it."""
        end = time.monotonic() + timeout
        while not self.done and time.monotonic() < end:
            try:
                msg = self.kc.get_iopub_msg(timeout=max(0.05, min(0.5, end - time.monotonic())))
            except queue.Empty:
                continue
            if msg["parent_header"].get("msg_id") != self.msg_id:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind == "status":
                self.done = content["execution_state"] == "idle"
            else:
                self.outputs.append((kind, content))
        return self.done

    def text(self):
        parts = []
        for kind, c in self.outputs:
            if kind == "stream":
                parts.append(c["text"])
            elif kind in ("display_data", "update_display_data", "execute_result"):
                parts.append(c["data"].get("text/plain", ""))
            elif kind == "error":
                parts.append(f"{c['ename']}: {c['evalue']}")
        return "\n".join(parts)

    def errors(self):
        return [c for kind, c in self.outputs if kind == "error"]


def run_cell(kc, code, timeout):
    cell = Cell(kc, code)
    if not cell.pump(timeout):
        raise AssertionError(f"cell did not finish within {timeout} s: {code[:80]!r}")
    return cell


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "lib", "target", "test-artifacts", "notebooks"))
    args = ap.parse_args()
    run_dir = os.path.abspath(os.path.join(args.out, "interrupt-run"))
    data_dir = os.path.abspath(os.path.join(args.out, "interrupt-faces"))
    shutil.rmtree(run_dir, ignore_errors=True)
    t0 = time.monotonic()
    km, kc = jupyter_client.manager.start_new_kernel(kernel_name=KERNEL, startup_timeout=180)
    try:
        spec = km.kernel_spec
        assert spec.interrupt_mode == "message", f"kernel spec interrupt_mode is {spec.interrupt_mode!r}, expected 'message'"
        setup = run_cell(kc, f"""
import amface.notebook.*; import amface.train.*; import amface.data.*; import java.nio.file.*; import java.time.Duration;
SyntheticFaces.Written faces = SyntheticFaces.builder().seed(3).difficulty(0.1).size(32, 32).build()
    .writeDataset(Path.of("{data_dir}"), 6, 8, 0, 0, Progress.NONE);
TrainConfig c = TrainConfig.defaults();
c.data = faces.train(); c.out = Path.of("{run_dir}");
c.channels = "4,8,8,8"; c.units = "0,0,1,0"; c.input = "32x32"; c.embeddingSize = 16; c.s = 10; c.m = 0.2;
c.batch = 8; c.steps = 1_000_000; c.lrPolicy = "constant"; c.lr = 0.05; c.checkpointEvery = 1_000_000; c.cropPadding = 2;
LiveTraining live = LiveTraining.create();
""", 180)
        assert not setup.errors(), f"setup failed: {setup.text()}"

        # The training cell: interrupt once the progress bar shows a few steps.
        train = Cell(kc, "TrainResult result = live.run(Trainer.create(c));")
        steps_seen = 0
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and not train.done:
            train.pump(0.5)
            found = [int(n) for n in re.findall(r"train (\d+)/1000000", train.text())]
            steps_seen = max(found, default=0)
            if steps_seen >= 5:
                break
        assert not train.done, f"the training cell ended before the interrupt: {train.text()[-500:]}"
        assert steps_seen >= 5, f"no training progress seen within 180 s: {train.text()[-500:]}"
        sent = time.monotonic()
        km.interrupt_kernel()
        assert train.pump(30), "the cell did not end within 30 s of the interrupt"
        ended = time.monotonic() - sent
        errors = train.errors()
        assert errors and "interrupt" in (errors[0]["ename"] + errors[0]["evalue"]).lower(), \
            f"expected JJava's interruption error, got {errors or 'no error'}"
        assert km.is_alive(), "the kernel died on the interrupt"

        # The trainer finishes its step in the background and writes the checkpoint; awaitStopped waits for that.
        check = run_cell(kc, """
boolean stopped = LiveTraining.awaitStopped(Duration.ofMinutes(2));
TrainResult r = live.result();
System.out.println("stopped=" + stopped + " interrupted=" + (r != null && r.interrupted()) + " step=" + (r == null ? -1 : r.step())
    + " checkpoint=" + (r != null && Files.isRegularFile(r.checkpoint())));
if (live.failure() != null) live.failure().printStackTrace(System.out);
""", 180)
        out = check.text()
        m = re.search(r"stopped=(\w+) interrupted=(\w+) step=(-?\d+) checkpoint=(\w+)", out)
        assert m, f"no status line: {out}"
        assert m.group(1) == "true", "training was still running 2 minutes after the interrupt"
        assert m.group(2) == "true", f"the run did not end as interrupted: {out}"
        assert m.group(4) == "true", f"no checkpoint after the interrupt: {out}"
        step = int(m.group(3))
        assert step >= steps_seen, f"the checkpoint's step {step} is before the last step shown ({steps_seen})"

        # The checkpoint resumes, and the resumed run's output reaches the notebook.
        resume = run_cell(kc, f"""
java.util.Properties more = new java.util.Properties();
more.setProperty("steps", "{step + 3}");
TrainResult again = LiveTraining.create().run(Trainer.resume(c.out, more, null));
System.out.println("resumed to step " + again.step() + ", interrupted=" + again.interrupted());
""", 180)
        assert not resume.errors(), f"resume failed: {resume.text()}"
        assert f"resumed to step {step + 3}, interrupted=false" in resume.text(), resume.text()
        assert any(kind == "display_data" for kind, _ in resume.outputs), "the resumed run showed no progress bar or chart"
        # Deterministically, what the interrupt meets when it lands during a redraw: a display sent on an
        # interrupted thread must neither fail (JJava's socket raises EINTR) nor clear the flag the trainer checks.
        flag = run_cell(kc, """
boolean kept;
{ Thread.currentThread().interrupt(); LiveProgress.create().every(Duration.ZERO).start("redraw while interrupted", 3);
  kept = Thread.interrupted(); }
System.out.println("flag kept across a display: " + kept);
""", 60)
        assert "flag kept across a display: true" in flag.text(), f"a display on an interrupted thread lost the flag: {flag.text()}"
        alive = run_cell(kc, 'System.out.println("still " + (1 + 1));', 60)
        assert "still 2" in alive.text(), f"the kernel does not run cells after the interrupt: {alive.text()}"
        print(f"interrupt: training stopped after step {step} (the bar had shown {steps_seen}); the cell ended {ended:.1f} s after "
              f"the interrupt; checkpoint written and resumed to step {step + 3}; {time.monotonic() - t0:.0f} s in all")
        return 0
    except AssertionError as e:
        print(f"interrupt: FAILED: {e}")
        return 1
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


if __name__ == "__main__":
    sys.exit(main())
