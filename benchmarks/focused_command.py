"""Following the 20,000-instance command: today's status tracking, the sweep it replaced, and a
naive poller, in one run.

Each strategy runs in a process of its own (``focus_worker.py``) on the ``large`` scenario (same
seed, same fleet), its clock stepped 5 s a cycle, the command in focus from the first cycle.
It prints, per strategy:

  first cycle       calls and MB of the cycle that brought the command into focus (with its
                    fill cycles, for today's tree)
  calls / cycle     median and max over the cycles after the first
  KB / cycle        median response bytes over those cycles
  rows shown        after the first cycle, and when every instance is a row
  wrong rows        rows whose status is not the simulator's at that cycle, median / max
  oldest wrong row  the longest any row went without showing the truth, in seconds
  CPU / cycle       median CPU of the client (the in-process simulator's work subtracted)

"sweep" is the Poller of ``--baseline`` (by default the last commit before tracking by status).

Run: python -m benchmarks.focused_command [--cycles 60] [--baseline REV]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from benchmarks.external_sim import ROOT
from benchmarks.fleet_screen import print_side_by_side
from benchmarks.trees import baseline_tree

WORKER = Path(__file__).with_name("focus_worker.py")
BASELINE = "bd94596"
"""The last commit before the focused command was tracked by status."""


def run_worker(tree: Path, strategy: str, cycles: int) -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "cycles.json"
        subprocess.run(
            [
                *(sys.executable, str(WORKER), "--strategy", strategy),
                *("--cycles", str(cycles), "--out", str(out)),
            ],
            env=os.environ | {"PYTHONPATH": str(tree)},
            cwd=tree,
            check=True,
        )
        records: list[dict[str, Any]] = json.loads(out.read_text())
        return records


def summary(records: list[dict[str, Any]]) -> dict[str, str]:
    first, rest = records[0], records[1:]
    calls = [r["calls"] for r in rest]
    filled = next((i for i, r in enumerate(records) if r["rows"] == 20_000), None)
    wrong = [r["wrong"] for r in rest]
    return {
        "first cycle": f"{first['calls']} calls, {first['bytes'] / 1e6:.1f} MB",
        "calls / cycle": f"{statistics.median(calls):.0f} / {max(calls)}",
        "KB / cycle": f"{statistics.median(r['bytes'] for r in rest) / 1000:.0f}",
        "rows shown": f"{first['rows']}; all at cycle {filled}"
        if filled is not None
        else f"{first['rows']}; {records[-1]['rows']} at the end",
        "wrong rows": f"{statistics.median(wrong):.0f} / {max(wrong)}",
        "oldest wrong row": f"{max(r['oldest'] for r in records):.0f} s",
        "CPU / cycle": f"{statistics.median(r['cpu'] for r in rest) * 1000:.0f} ms",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--cycles", type=int, default=60, help="5 s cycles (default 60)")
    parser.add_argument("--baseline", default=BASELINE, help="git revision of the sweep")
    args = parser.parse_args()
    reports = {}
    with baseline_tree(args.baseline) as older:
        for name, tree, strategy in (
            (f"sweep ({args.baseline})", older, "poller"),
            ("status tracking", ROOT, "poller"),
            ("naive", ROOT, "naive"),
        ):
            print(f"{name}: {args.cycles} cycles", flush=True)
            reports[name] = summary(run_worker(tree, strategy, args.cycles))
    print_side_by_side(reports, label=18, column=28)


if __name__ == "__main__":
    main()
