"""``ssmtui serve``: the dashboard in a browser, through textual-serve.

Each browser tab gets its own ``ssmtui`` process, started with the dashboard flags given here
(``ssmtui serve --demo --kiosk`` serves the wall on the demo fleet). The page has no login of
its own, so it listens on loopback unless ``--allow-remote`` says otherwise, with a warning.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from collections.abc import Callable, Sequence

DEFAULT_PORT = 8514
_OWN = {"--host": True, "--port": True, "--allow-remote": False}
"""serve's own flags, and whether each takes a value: the rest go to the dashboard."""


def dashboard_argv(argv: Sequence[str]) -> list[str]:
    """The flags after ``serve`` that are the dashboard's, in the order given."""
    passed: list[str] = []
    tokens = iter(argv)
    for token in tokens:
        name = token.split("=", 1)[0]
        if name in _OWN:
            if _OWN[name] and "=" not in token:
                next(tokens, None)
            continue
        passed.append(token)
    return passed


def served_command(argv: Sequence[str]) -> str:
    """The shell command textual-serve starts for each browser session."""
    return shlex.join([sys.executable, "-m", "ssmtui", *dashboard_argv(argv)])


def run_serve(
    args: argparse.Namespace,
    argv: Sequence[str],
    complain: Callable[[str, object], None],
    is_loopback: Callable[[str], bool],
) -> int:
    """Serve until Ctrl-C; 1 with one sentence when the port cannot be had."""
    from textual_serve.server import Server  # noqa: PLC0415 (only this job pays its import)

    if not is_loopback(args.host):
        complain(
            "ssmtui serve",
            f"warning: serving on {args.host}, reachable from other machines; the page has "
            "no login, and whoever opens it sees what your AWS credentials can read",
        )
    command = served_command(argv)
    server = Server(command, host=args.host, port=args.port, title="ssmtui")
    print(f"serving: http://{args.host}:{args.port}", flush=True)
    try:
        server.serve()
    except OSError as error:
        complain(
            "ssmtui serve", f"cannot listen on {args.host}:{args.port}: {error.strerror or error}"
        )
        return 1
    return 0
