"""``ssmtui sim`` in a process of its own, as a user runs it: benchmarks then measure the
client alone, never the simulator's work on the same event loop."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@contextmanager
def external_sim(*options: str) -> Iterator[str]:
    """The simulator started with ``options``; yields its endpoint, and stops it after."""
    process = subprocess.Popen(
        [sys.executable, "-m", "ssmtui", "sim", *options],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert process.stdout is not None
    endpoint = process.stdout.readline().strip().removeprefix("endpoint: ")
    try:
        yield endpoint
    finally:
        process.terminate()
        process.wait(timeout=30)
