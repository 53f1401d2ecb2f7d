"""What the dashboard costs to keep open, today's tree beside an older one, in one run.

Two scenes, each the real dashboard in a pty (160x45, polling every ``--interval`` s), the
terminal read as it comes, measured over ``--seconds`` after ``--settle``:

  at rest   a simulator plays a small fleet whose one command finished an hour ago, so
            nothing executes and nothing changes between polls;
  demo      ``ssmtui --demo``: the built-in fleet, commands running and failing (its
            simulator runs in the dashboard's process, so its CPU counts too).

For each:

  CPU %                 of one core, the dashboard process alone (/proc utime + stime)
  bytes/s               written to the terminal
  write bursts/s        updates of the screen written out (output after 0.2 s of quiet): at
                        rest, the age line's once a second ("polled 3s ago") and a poll's

The older tree is ``git archive`` of ``--baseline``, run with the same Python and libraries.

Run: python -m benchmarks.at_rest [--seconds 60] [--settle 20] [--interval 5] [--baseline REV]
"""

from __future__ import annotations

import argparse
import os
import select
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.external_sim import external_sim
from benchmarks.startup import BASELINE, ENV, tree_of
from benchmarks.trees import in_pty

SIZE = (45, 160)
SCENARIO = """
[scenario]
name = "at-rest"
description = "A fleet with nothing executing: one command finished an hour ago"

[[group]]
count = 20
name = "web-{n:02d}"
platform = "Linux"
tags = { role = "web" }

[[command]]
at = "-60m"
document = "AWS-RunShellScript"
comment = "finished long ago"
targets = "tag:role=web"
duration = "2s..5s"
parameters = { commands = ["uptime"] }
"""
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime


def kept(tree: Path, where: list[str], args: argparse.Namespace) -> dict[str, float]:
    """The dashboard of ``tree`` run on ``where`` (``--endpoint-url URL`` or ``--demo``)."""
    env = os.environ | ENV | {"PYTHONPATH": str(tree), "TERM": "xterm-256color"}
    command = [sys.executable, "-m", "ssmtui", *where, "--interval", str(args.interval)]
    process, master = in_pty(command, SIZE, env, cwd=tree)
    written: list[tuple[float, int]] = []

    def read_for(seconds: float) -> None:
        until = time.perf_counter() + seconds
        while time.perf_counter() < until:
            ready, _, _ = select.select([master], [], [], 0.05)
            if ready:
                written.append((time.perf_counter(), len(os.read(master, 65536))))

    try:
        read_for(args.settle)
        written.clear()
        cpu, started = cpu_seconds(process.pid), time.perf_counter()
        read_for(args.seconds)
        cpu, spent = cpu_seconds(process.pid) - cpu, time.perf_counter() - started
    finally:
        process.kill()
        process.wait()
        os.close(master)
    return {
        "CPU %": 100 * cpu / spent,
        "bytes/s": sum(size for _, size in written) / spent,
        "write bursts/s": len(_bursts(written)) / spent,
    }


def _bursts(written: list[tuple[float, int]]) -> list[float]:
    """Times at which output started after 0.2 s of quiet: one burst per screen update."""
    starts, last = [], -1.0
    for at, _ in written:
        if at - last > 0.2:
            starts.append(at)
        last = at
    return starts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--settle", type=float, default=20.0)
    parser.add_argument("--interval", type=float, default=5.0)
    parser.add_argument("--baseline", default=BASELINE)
    args = parser.parse_args()
    trees = (("today", None), (args.baseline, args.baseline))
    scenes: dict[str, dict[str, dict[str, float]]] = {"at rest": {}, "demo": {}}
    with tempfile.TemporaryDirectory() as folder:
        scenario = Path(folder) / "at-rest.toml"
        scenario.write_text(SCENARIO)
        with external_sim("--scenario", str(scenario), "--seed", "1") as endpoint:
            for label, revision in trees:
                with tree_of(revision) as tree:
                    scenes["at rest"][label] = kept(tree, ["--endpoint-url", endpoint], args)
    for label, revision in trees:
        with tree_of(revision) as tree:
            scenes["demo"][label] = kept(tree, ["--demo"], args)
    load = os.getloadavg()[0]
    print(
        f"{args.seconds:g} s after {args.settle:g} s, polling every {args.interval:g} s, "
        f"{SIZE[1]}x{SIZE[0]} (load {load:.2f} on {os.cpu_count()} cores)"
    )
    for scene, reports in scenes.items():
        print(f"{scene:20}" + "".join(f"{label:>12}" for label in reports))
        for figure in reports["today"]:
            print(f"  {figure:18}" + "".join(f"{r[figure]:12.2f}" for r in reports.values()))


if __name__ == "__main__":
    main()
