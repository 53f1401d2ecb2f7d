"""Start-up, today's tree beside an older one, in one run: what a user waits for before work.

For each source tree, run as ``python -m ssmtui`` with that tree first on PYTHONPATH and the
same Python and libraries:

  --version, --help      wall seconds, median of ``--runs``
  snapshot imports       seconds of imports ``ssmtui snapshot`` pays (``-X importtime``, the
                         top-level imports summed) against a simulator on 127.0.0.1
  demo first row         seconds from starting ``ssmtui --demo`` in a pty (160x45) to a
                         command's document name written to the terminal, the in-process
                         simulator's start included; median of ``--runs``

The older tree is ``git archive`` of ``--baseline`` (by default the commit this session's
work started from).

Run: python -m benchmarks.startup [--runs 5] [--baseline REV]
"""

from __future__ import annotations

import argparse
import os
import select
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from benchmarks.external_sim import ROOT, external_sim
from benchmarks.trees import baseline_tree, in_pty

BASELINE = "ae73c8e"
"""The tree before the browser page was guarded and the house rebuilt (the start of issue 21)."""
SIZE = (45, 160)
FIRST_ROW = b"AWS-RunShellScript"
"""A document name of the demo's commands: in the output, a command row is on screen."""
ENV = {
    "AWS_ACCESS_KEY_ID": "bench",
    "AWS_SECRET_ACCESS_KEY": "bench",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_CONFIG_FILE": "/nonexistent",
    "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent",
    "AWS_EC2_METADATA_DISABLED": "true",
}


@contextmanager
def tree_of(revision: str | None) -> Iterator[Path]:
    """Today's tree, or ``revision``'s package unpacked in a temporary folder."""
    if revision is None:
        yield ROOT
        return
    with baseline_tree(revision) as tree:
        yield tree


def environment(tree: Path) -> dict[str, str]:
    return os.environ | ENV | {"PYTHONPATH": str(tree), "PYTHONDONTWRITEBYTECODE": ""}


def wall(tree: Path, *argv: str) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "ssmtui", *argv],
        env=environment(tree),
        capture_output=True,
        check=False,
        cwd=tree,
    )
    return time.perf_counter() - started


def import_seconds(tree: Path, *argv: str) -> float:
    """The top-level imports of one run, summed (``-X importtime`` writes microseconds)."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "ssmtui", *argv],
        env=environment(tree),
        capture_output=True,
        text=True,
        check=False,
        cwd=tree,
    )
    total = 0
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _, cumulative, name = line.removeprefix("import time:").split("|")
        if not name.startswith("  "):  # a top-level import, not one nested in another
            total += int(cumulative)
    return total / 1e6


def first_row(tree: Path, timeout: float = 30.0) -> float:
    """Seconds from starting the demo in a terminal to a command row written out."""
    started = time.perf_counter()
    env = environment(tree) | {"TERM": "xterm-256color"}
    process, master = in_pty([sys.executable, "-m", "ssmtui", "--demo"], SIZE, env, cwd=tree)
    seen, found = b"", None
    try:
        while found is None and time.perf_counter() - started < timeout:
            ready, _, _ = select.select([master], [], [], 0.05)
            if ready:
                seen += os.read(master, 65536)
                if FIRST_ROW in seen:
                    found = time.perf_counter() - started
        os.write(master, b"q")
        quitting = time.perf_counter()
        while process.poll() is None and time.perf_counter() - quitting < 10:
            ready, _, _ = select.select([master], [], [], 0.05)  # drained, or it cannot quit
            if ready:
                try:
                    os.read(master, 65536)
                except OSError:
                    break
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(master)
    if found is None:
        raise RuntimeError(f"no command row within {timeout:g} s in {tree}")
    return found


def measure(tree: Path, endpoint: str, runs: int) -> dict[str, float]:
    snapshot = ("snapshot", "--endpoint-url", endpoint)
    return {
        "--version": statistics.median(wall(tree, "--version") for _ in range(runs)),
        "--help": statistics.median(wall(tree, "--help") for _ in range(runs)),
        "snapshot imports": statistics.median(import_seconds(tree, *snapshot) for _ in range(3)),
        "demo first row": statistics.median(first_row(tree) for _ in range(runs)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--baseline", default=BASELINE)
    args = parser.parse_args()
    reports = {}
    with external_sim() as endpoint:
        for label, revision in (("today", None), (args.baseline, args.baseline)):
            with tree_of(revision) as tree:
                reports[label] = measure(tree, endpoint, args.runs)
    load = os.getloadavg()[0]
    print(f"start-up, seconds (median of {args.runs}; load {load:.2f} on {os.cpu_count()} cores)")
    print(f"{'':20}" + "".join(f"{label:>12}" for label in reports))
    for figure in reports["today"]:
        print(f"{figure:20}" + "".join(f"{r[figure]:12.3f}" for r in reports.values()))


if __name__ == "__main__":
    main()
