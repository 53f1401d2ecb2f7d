"""How long ``ssmtui export`` takes for a 1,000-instance command, against the simulator.

A simulator in a process of its own plays a fleet of ``--instances`` Linux instances and one
command on all of them that ended an hour ago (a few failed). ``ssmtui export`` runs as a user
types it, at its default rate, into a fresh folder; then once more into the same folder (a
resumed export, nothing left to fetch). It prints the wall time of each, the steps written,
and the files on disk.

Run: python -m benchmarks.export_fleet [--instances 1000] [--rate N]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.external_sim import ROOT, external_sim

SCENARIO = """
[scenario]
name = "export"
description = "One command on every instance, ended an hour ago"

[[group]]
count = {count}
name = "web-{{n:04d}}"
platform = "Linux"
tags = {{ role = "web" }}

[[command]]
at = "-90m"
document = "AWS-RunShellScript"
comment = "collect disk usage"
targets = "tag:role=web"
duration = "5s..40s"
max_concurrency = "100%"
max_errors = "10%"
failure_rate = 0.02
parameters = {{ commands = ["df -h"] }}
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--instances", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=None)
    args = parser.parse_args()
    env = os.environ | {
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        "AWS_DEFAULT_REGION": "eu-west-1",
    }
    with tempfile.TemporaryDirectory() as folder:
        scenario = Path(folder) / "export.toml"
        scenario.write_text(SCENARIO.format(count=args.instances))
        out = Path(folder) / "out"
        with external_sim("--scenario", str(scenario), "--seed", "1") as endpoint:
            listed = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "ssmtui",
                    "snapshot",
                    "--endpoint-url",
                    endpoint,
                    "--stage",
                    "all",
                    "--json",
                ],
                capture_output=True,
                text=True,
                env=env,
                cwd=ROOT,
                check=True,
            )
            (command,) = json.loads(listed.stdout)["Commands"]
            runs = []
            for label in ("fresh", "resumed"):
                started = time.perf_counter()
                done = subprocess.run(
                    [
                        sys.executable,
                        "-m",
                        "ssmtui",
                        "export",
                        command["CommandId"],
                        "--endpoint-url",
                        endpoint,
                        "--out",
                        str(out),
                        *(["--rate", str(args.rate)] if args.rate else []),
                    ],
                    capture_output=True,
                    text=True,
                    env=env,
                    cwd=ROOT,
                    check=False,
                )
                runs.append((label, time.perf_counter() - started, done))
        files = sum(1 for path in out.rglob("*") if path.is_file())
    load = os.getloadavg()[0]
    print(
        f"export of a {command['TargetCount']}-instance command "
        f"({command['StatusDetails']}, {command['ErrorCount']} errors), "
        f"load {load:.2f} on {os.cpu_count()} cores"
    )
    for label, seconds, done in runs:
        print(f"  {label:8} {seconds:6.1f} s  exit {done.returncode}  {done.stderr.strip()}")
    print(f"  files    {files}")


if __name__ == "__main__":
    main()
