"""``ssmtui serve``: what each browser session runs, and where the page may listen."""

from __future__ import annotations

import shlex
import sys

import pytest

from ssmtui import cli
from ssmtui.serve import dashboard_argv, served_command


def test_the_dashboard_flags_go_to_each_session_and_serves_own_stay_behind() -> None:
    argv = ["--port", "9000", "--demo", "--host=127.0.0.1", "--kiosk", "--allow-remote"]
    assert dashboard_argv(argv) == ["--demo", "--kiosk"]
    assert served_command(["--stage", "all", "--port=9"]) == shlex.join(
        [sys.executable, "-m", "ssmtui", "--stage", "all"]
    )


def test_another_address_than_loopback_needs_a_flag(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        cli.main(["serve", "--host", "0.0.0.0", "--demo"])
    assert raised.value.code == 2
    first = capsys.readouterr().err.splitlines()[0]
    assert first == (
        "ssmtui serve: --host 0.0.0.0 is not a loopback address; the page has no login, so "
        "add --allow-remote if you mean it"
    )


def test_bad_dashboard_flags_are_refused_before_anything_is_served(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as raised:
        cli.main(["serve", "--demo", "--interval", "0"])
    assert raised.value.code == 2
    assert "argument --interval: expected seconds from 1 to 300" in capsys.readouterr().err
