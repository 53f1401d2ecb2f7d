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
import sys
from collections.abc import Sequence
from typing import Any

from ssmtui.cli.checks import at_least_one
from ssmtui.cli.common import EXIT_FAILURE, add_listen_arguments, complain, remote_refused
from ssmtui.model.hosts import is_loopback

DEFAULT_PORT = 8514
DEFAULT_MAX_SESSIONS = 4
DEFAULT_IDLE_MINUTES = 30

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


def whole_minutes(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"expected a whole number of minutes, got {text!r}")
    return int(text)


def idle_seconds(args: argparse.Namespace) -> float | None:
    """How long a tab may go without input before it is closed; None: never (``0``, or a
    served wall, which nobody touches, unless ``--idle-minutes`` says otherwise)."""
    minutes = args.idle_minutes
    if minutes is None:
        minutes = 0 if args.kiosk else DEFAULT_IDLE_MINUTES
    return minutes * 60 if minutes else None


def add_parser(commands: Any) -> argparse.ArgumentParser:
    """``serve``'s own flags; the dashboard's are added after them."""
    serve: argparse.ArgumentParser = commands.add_parser(
        "serve",
        help="the dashboard in a web browser (textual-serve)",
        description=(
            "Serve the dashboard as a web page: each browser tab runs its own dashboard with "
            "the dashboard flags given here (e.g. 'ssmtui serve --demo --kiosk'). It listens "
            "on loopback, behind a token printed once in the URL; the socket answers only "
            "its own page, and takes whole flag names only."
        ),
        allow_abbrev=False,
    )
    add_listen_arguments(
        serve,
        port=DEFAULT_PORT,
        port_help=f"port (default {DEFAULT_PORT})",
        why="whoever has the link sees what your AWS credentials can read",
    )
    serve.add_argument(
        "--max-sessions",
        type=at_least_one,
        default=DEFAULT_MAX_SESSIONS,
        metavar="N",
        help=f"browser tabs served at once, each its own process (default {DEFAULT_MAX_SESSIONS})",
    )
    serve.add_argument(
        "--idle-minutes",
        type=whole_minutes,
        default=None,
        metavar="M",
        help=(
            "close a tab that has had no key, click or resize for M minutes; 0: never "
            f"(default {DEFAULT_IDLE_MINUTES}, and never with --kiosk: a wall is read, not "
            "touched)"
        ),
    )
    serve.add_argument(
        "--allow-save",
        action="store_true",
        help=(
            "let a tab save files (Ctrl+S, into this directory) and remember its theme: both "
            "write on this machine, so they are off by default"
        ),
    )
    serve.set_defaults(subparser=serve)
    return serve


def run(args: argparse.Namespace, argv: Sequence[str]) -> int:
    """Serve until Ctrl-C; 1 with one sentence when the port cannot be had. ``argv``: the
    flags after ``serve``."""
    import logging  # noqa: PLC0415 (only this job pays for the server's imports)
    import socket  # noqa: PLC0415

    from aiohttp import web  # noqa: PLC0415

    from ssmtui.cli.serve_guard import GuardedServer  # noqa: PLC0415

    if refusal := remote_refused(args, "whoever has the link reads with your AWS credentials"):
        args.subparser.error(refusal)
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
        return EXIT_FAILURE
    server = GuardedServer(
        served_argv(argv),
        host=args.host,
        port=listening.getsockname()[1],
        max_sessions=args.max_sessions,
        idle_seconds=idle_seconds(args),
        allow_save=args.allow_save,
        loopback_only=loopback,
    )
    logging.basicConfig(level=logging.INFO, format="ssmtui serve: %(message)s")
    print(f"serving: {server.url()}", flush=True)
    web.run_app(server.make_app(), sock=listening, print=None, access_log=None)
    return 0
