"""What every subcommand says and how: exit statuses, the one-sentence complaint, reports on
stdout, and the parser that puts a bad flag's sentence first."""

from __future__ import annotations

import argparse
import logging
import sys
from typing import NoReturn

from ssmtui.model.hosts import is_loopback
from ssmtui.model.text import neutralise

EXIT_FAILURE = 1
"""AWS (or a port) could not be had."""
EXIT_USAGE = 2
"""Bad input: a flag, a value, a file."""


class Parser(argparse.ArgumentParser):
    """Bad flags get their one sentence first; the usage follows it, as a reminder."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: {message}\n{self.format_usage()}")


def complain(who: str, problem: object) -> None:
    """One sentence on stderr, the only way one gets there: whatever it quotes (an error code,
    a value from a scenario file) is neutralised, so it cannot drive the terminal."""
    print(f"{who}: {neutralise(str(problem), single_line=True)}", file=sys.stderr)


def emit(text: str) -> None:
    """A report on stdout as UTF-8, whatever the locale says, so a pipe always gets valid
    UTF-8 and a name in another script never stops the report half-way."""
    sys.stdout.flush()
    sys.stdout.buffer.write(text.encode("utf-8") + b"\n")
    sys.stdout.buffer.flush()


def quiet_library_logs() -> None:
    """Failures reach the user as one sentence each. Without a handler, Python would print
    library warnings (aiobotocore's failed credential refresh, with its traceback) on stderr,
    before that sentence or under the dashboard."""
    logging.getLogger().addHandler(logging.NullHandler())


def add_listen_arguments(
    parser: argparse.ArgumentParser, *, port: int, port_help: str, why: str
) -> None:
    """Where a server of ssmtui's listens: loopback, unless the user says otherwise."""
    from ssmtui.cli.checks import port as port_number  # noqa: PLC0415 (a cycle otherwise)

    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
    )
    parser.add_argument("--port", type=port_number, default=port, help=port_help)
    parser.add_argument(
        "--allow-remote",
        action="store_true",
        help=f"allow --host to be an address other than loopback ({why})",
    )


def remote_refused(args: argparse.Namespace, why: str) -> str | None:
    """A server of ssmtui's listens beyond loopback only when ``--allow-remote`` says so."""
    if is_loopback(args.host) or args.allow_remote:
        return None
    return (
        f"--host {args.host} is not a loopback address; {why}, so add --allow-remote if you mean it"
    )
