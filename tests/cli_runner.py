"""The command line run in this process, as ``python -m ssmtui`` would run it.

Starting a Python process per case costs about a second here (imports of botocore and
Textual); ``cli.main(argv)`` in-process costs milliseconds and goes through the same parser,
readers and printing. A subprocess stays only where a process is the point: signals, a
server that keeps running, the terminal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from ssmtui import cli


@dataclass(frozen=True)
class Ran:
    """What a user sees of one run: the exit status and both streams."""

    returncode: int
    stdout: str
    stderr: str


Run = Callable[..., Ran]


@pytest.fixture
def ssmtui(capsys: pytest.CaptureFixture[str]) -> Run:
    """``ssmtui(*argv)`` runs the command line and returns what it printed and its status;
    argparse's exits (usage errors, ``--help``, ``--version``) are a status like any other."""

    def run(*argv: str) -> Ran:
        capsys.readouterr()
        try:
            code = cli.main(list(argv))
        except SystemExit as exited:
            code = exited.code if isinstance(exited.code, int) else int(exited.code is not None)
        out, err = capsys.readouterr()
        return Ran(code, out, err)

    return run
