"""The dashboard at fleet scale, today's tree beside an older one, in one run.

For each source tree in turn: a fresh ``ssmtui sim --scenario large`` (200 executing commands,
one on 20,000 instances; the same seed, so the same fleet from its start), and the real
dashboard in a terminal (a pty, 160x48, polling every 5 s) with that 20,000-instance command
selected, driven by ``benchmarks/fleet_probe.py``.
It prints, per tree:

  first page -> screen   its first ListCommandInvocations page parsed, to its rows written out
  poll apply p50/p99     handling one poll result on the screen (the ``Polled`` message)
  loop stall max/p99     how late a 5 ms ticker woke: the longest a key waited, GC included
  full GC max            the longest collection of the oldest generation
  key j p50/p99          a ``j``/``k`` in the instances pane to the moved cursor written out
  RSS / peak             resident memory at the end, and its peak
  idle CPU               CPU of the dashboard process alone while nobody types, once every
                         instance is a row (the screen and the poller both count)
  ... poller alone       the same for today's poller with no screen, right after, on the same
                         simulator (``poller_alone.py``): the rest of idle CPU is the screen's

The older tree is ``git archive`` of ``--baseline`` (by default the last commit before the
screen was rebuilt for fleet scale), run with the same Python and libraries.

Run: python -m benchmarks.fleet_screen [--minutes 5] [--idle-seconds 60] [--baseline REV]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

import boto3

from benchmarks.external_sim import ROOT, external_sim
from benchmarks.trees import baseline_tree, in_pty

PROBE = Path(__file__).with_name("fleet_probe.py")
BASELINE = "4cb4a09"
"""The last commit before the screen was rebuilt for fleet scale (one state, virtual tables)."""
SIZE = (48, 160)
ENV = {
    "AWS_ACCESS_KEY_ID": "bench",
    "AWS_SECRET_ACCESS_KEY": "bench",
    "AWS_CONFIG_FILE": "/nonexistent",
    "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent",
    "AWS_EC2_METADATA_DISABLED": "true",
    "TERM": "xterm-256color",
}


def biggest_command(endpoint: str) -> tuple[str, int]:
    ssm = boto3.client(
        "ssm",
        endpoint_url=endpoint,
        region_name="eu-west-1",
        aws_access_key_id="bench",
        aws_secret_access_key="bench",
    )
    pages = ssm.get_paginator("list_commands").paginate(
        Filters=[{"key": "ExecutionStage", "value": "Executing"}]
    )
    commands = [c for page in pages for c in page["Commands"]]
    biggest = max(commands, key=lambda c: c["TargetCount"])
    return biggest["CommandId"], biggest["TargetCount"]


def run_probe(
    tree: Path, endpoint: str, command: tuple[str, int], args: argparse.Namespace
) -> dict[str, Any]:
    """The dashboard of ``tree`` in a pty whose output is read (and dropped) as it comes."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "probe.json"
        env = os.environ | ENV | {"PYTHONPATH": str(tree)}
        probe = [
            *(sys.executable, str(PROBE), "--endpoint", endpoint, "--out", str(out)),
            *("--command", command[0], "--targets", str(command[1])),
            *("--minutes", str(args.minutes), "--idle-seconds", str(args.idle_seconds)),
        ]
        process, master = in_pty(probe, SIZE, env)
        drain = threading.Thread(target=_drain, args=(master,), daemon=True)
        drain.start()
        process.wait(timeout=args.minutes * 60 + args.idle_seconds + 900)
        drain.join(timeout=5)
        os.close(master)
        if not out.exists():
            raise RuntimeError(f"the probe in {tree} wrote nothing (exit {process.returncode})")
        report: dict[str, Any] = json.loads(out.read_text())
        if "error" in report:
            raise RuntimeError(f"the probe in {tree} failed: {report['error']}")
        return report


def run_poller_alone(endpoint: str, command: tuple[str, int], args: argparse.Namespace) -> float:
    """Today's poller with no screen, on the same simulator, for as long as the idle phase."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "alone.json"
        subprocess.run(
            [
                *(sys.executable, "-m", "benchmarks.poller_alone", "--endpoint", endpoint),
                *("--command", command[0], "--targets", str(command[1])),
                *("--seconds", str(args.idle_seconds), "--out", str(out)),
            ],
            cwd=ROOT,
            env=os.environ | ENV,
            check=True,
            timeout=args.idle_seconds + 600,
        )
        report: dict[str, float] = json.loads(out.read_text())
        return report["idle_cpu"]


def _drain(fd: int) -> None:
    while True:
        try:
            if not os.read(fd, 65536):
                return
        except OSError:
            return


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def ms(value: float) -> str:
    return f"{value * 1000:7.1f} ms"


def lines(report: dict[str, Any]) -> dict[str, str]:
    applies, stalls, keys = report["applies"], report["stalls"], report["keys"]
    return {
        "first page -> screen": ms(report["first_page"]),
        "poll apply p50 / p99": f"{ms(statistics.median(applies) if applies else float('nan'))}"
        f" / {ms(percentile(applies, 0.99))}  ({len(applies)} polls)",
        "loop stall max / p99": f"{ms(max(stalls, default=0.0))} / {ms(percentile(stalls, 0.99))}",
        "full GC max": f"{ms(max(report['gc'], default=0.0))}  ({len(report['gc'])} runs)",
        "key j p50 / p99": f"{ms(statistics.median(keys))} / {ms(percentile(keys, 0.99))}"
        f"  ({len(keys)} keys)",
        "rows in the instances pane": str(report["rows"]),
        "RSS / peak": f"{report['rss_mb']:6.1f} MB / {report['peak_rss_mb']:6.1f} MB",
        "idle CPU": f"{report['idle_cpu'] * 100:5.2f} %  ({report['idle_polls']} polls)",
    }


def print_side_by_side(reports: dict[str, dict[str, str]], *, label: int, column: int) -> None:
    """One row per measure, one column per tree or strategy."""
    names = list(reports)
    print(" " * label + "".join(f"{name:>{column}}" for name in names))
    for measure in reports[names[0]]:
        print(f"{measure:{label}}" + "".join(f"{reports[n][measure]:>{column}}" for n in names))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--minutes", type=float, default=5.0, help="of polling with keys")
    parser.add_argument("--idle-seconds", type=float, default=60.0)
    parser.add_argument("--baseline", default=BASELINE, help="git revision to compare with")
    args = parser.parse_args()
    reports = {}
    with baseline_tree(args.baseline) as older:
        for name, tree in ((f"baseline {args.baseline}", older), ("today", ROOT)):
            # a fresh simulator each: the same fleet from its start
            with external_sim("--scenario", "large", "--seed", "7") as endpoint:
                command = biggest_command(endpoint)
                print(f"{name}: {command[0]} on {command[1]} instances selected", flush=True)
                reports[name] = lines(run_probe(tree, endpoint, command, args))
                reports[name]["idle CPU, poller alone"] = (
                    f"{run_poller_alone(endpoint, command, args) * 100:5.2f} %"
                    if tree == ROOT
                    else "—"  # the older tree's poller is driven another way
                )
    print_side_by_side(reports, label=28, column=34)


if __name__ == "__main__":
    main()
