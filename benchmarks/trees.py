"""What the benchmarks that compare two trees share: an older tree to run, and a terminal."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import tarfile
import tempfile
import termios
from collections.abc import Iterator
from contextlib import contextmanager
from io import BytesIO
from pathlib import Path

from benchmarks.external_sim import ROOT


@contextmanager
def baseline_tree(revision: str) -> Iterator[Path]:
    """``revision``'s package unpacked in a temporary folder, to put first on PYTHONPATH."""
    archive = subprocess.run(
        ["git", "archive", revision, "ssmtui"], cwd=ROOT, capture_output=True, check=True
    ).stdout
    with tempfile.TemporaryDirectory(prefix="ssmtui-baseline-") as folder:
        with tarfile.open(fileobj=BytesIO(archive)) as tar:
            tar.extractall(folder, filter="data")
        yield Path(folder)


def in_pty(
    command: list[str], size: tuple[int, int], env: dict[str, str], cwd: Path | None = None
) -> tuple[subprocess.Popen[bytes], int]:
    """``command`` started in a new pty of ``size`` (rows, columns) and a session of its own;
    the process, and the pty's master end to read what it draws."""
    master, slave = sized_pty(*size)
    process = subprocess.Popen(
        command, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=cwd, start_new_session=True
    )
    os.close(slave)
    return process, master


def sized_pty(rows: int, columns: int) -> tuple[int, int]:
    """A pseudo-terminal of that size: its (master, slave) descriptors."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    return master, slave
