"""``ssmtui serve``: the dashboard in a browser, closed to strangers.

Each browser tab gets its own ``ssmtui`` process, started with the dashboard flags given here
(``ssmtui serve --demo --kiosk`` serves the wall on the demo fleet), spoken to with
textual-serve's own process protocol and page. What textual-serve leaves open is closed here,
because a tab drives a dashboard that runs on the operator's AWS credentials:

- **A token per run.** Every page, script and socket lives under ``/<token>/``; the token is
  random, printed once in the URL, and any request without it is a 403. Jupyter's habit: the
  link is the key, and nobody else on a shared jump host has it.
- **The page's own Origin.** A WebSocket handshake whose ``Origin`` is not the page's own is
  a 403, so a web page open in the operator's browser cannot drive a tab even if it learnt
  the link; on loopback the ``Host`` must be a loopback name too (DNS rebinding).
- **Caps.** At most ``--max-sessions`` processes at once (one more tab gets a page that says
  so); a tab with no key, mouse or resize for ``--idle-minutes`` is closed; a closed tab's
  process is asked to quit, then terminated, then killed, and always reaped, within 5 s.
- **Nothing written to the host unasked.** Served sessions cannot save files or remember the
  theme (both write to the host, and a saved file's toast shows a host path) unless
  ``--allow-save`` says they may.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

DEFAULT_PORT = 8514
DEFAULT_MAX_SESSIONS = 4
DEFAULT_IDLE_MINUTES = 30
SAVE_ALLOWED = "SSMTUI_SERVE_ALLOW_SAVE"
"""Set to 1 in a served session's environment when ``--allow-save`` was given."""

_OWN = {
    "--host": True,
    "--port": True,
    "--allow-remote": False,
    "--max-sessions": True,
    "--idle-minutes": True,
    "--allow-save": False,
}
"""serve's own flags, and whether each takes a value: the rest go to the dashboard."""


def dashboard_argv(argv: Sequence[str]) -> list[str]:
    """The flags after ``serve`` that are the dashboard's, in the order given (the parser
    takes whole flags only, so each token here is a whole flag or its value)."""
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


def served_argv(argv: Sequence[str]) -> list[str]:
    """The process each browser session runs: this Python, this ssmtui, the dashboard flags."""
    return [sys.executable, "-m", "ssmtui", *dashboard_argv(argv)]


def saving_allowed() -> bool:
    """May this dashboard write files and remember the theme? Always on a terminal; in a
    served session only when ``serve --allow-save`` said so."""
    if not os.environ.get("TEXTUAL_DRIVER", "").endswith(":WebDriver"):
        return True
    return os.environ.get(SAVE_ALLOWED) == "1"


def run_serve(
    args: argparse.Namespace,
    argv: Sequence[str],
    complain: Callable[[str, object], None],
    is_loopback: Callable[[str], bool],
) -> int:
    """Serve until Ctrl-C; 1 with one sentence when the port cannot be had."""
    import logging  # noqa: PLC0415 (only this job pays for the server's imports)
    import socket  # noqa: PLC0415

    from aiohttp import web  # noqa: PLC0415

    from ssmtui.serve_guard import GuardedServer  # noqa: PLC0415

    loopback = is_loopback(args.host)
    if not loopback:
        complain(
            "ssmtui serve",
            f"warning: serving on {args.host}, reachable from other machines; anyone given "
            "the link sees what your AWS credentials can read",
        )
    try:
        listening = socket.create_server((args.host, args.port), reuse_port=False)
    except OSError as error:
        complain(
            "ssmtui serve", f"cannot listen on {args.host}:{args.port}: {error.strerror or error}"
        )
        return 1
    server = GuardedServer(
        served_argv(argv),
        host=args.host,
        port=listening.getsockname()[1],
        max_sessions=args.max_sessions,
        idle_seconds=args.idle_minutes * 60,
        allow_save=args.allow_save,
        loopback_only=loopback,
    )
    logging.basicConfig(level=logging.INFO, format="ssmtui serve: %(message)s")
    print(f"serving: {server.url()}", flush=True)
    web.run_app(server.make_app(), sock=listening, print=None, access_log=None)
    return 0
