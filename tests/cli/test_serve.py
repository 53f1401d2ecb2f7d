"""``ssmtui serve``: what each browser session runs, and where the page may listen."""

from __future__ import annotations

import sys

import pytest

from ssmtui import cli
from ssmtui.cli.parser import build_parser
from ssmtui.cli.serve import dashboard_argv, idle_seconds, served_argv


def test_the_dashboard_flags_go_to_each_session_and_serves_own_stay_behind() -> None:
    argv = ["--port", "9000", "--demo", "--host=127.0.0.1", "--kiosk", "--allow-remote"]
    argv += ["--max-sessions", "2", "--idle-minutes=5", "--allow-save"]
    assert dashboard_argv(argv) == ["--demo", "--kiosk"]
    assert served_argv(["--stage", "all", "--port=9"]) == [
        sys.executable,
        "-m",
        "ssmtui",
        "--stage",
        "all",
    ]


@pytest.mark.parametrize("abbreviated", [["--po", "9000"], ["--allow"], ["--max", "2"]])
def test_serve_takes_whole_flags_only_so_each_tab_gets_what_was_checked(
    abbreviated: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as raised:
        cli.main(["serve", "--demo", *abbreviated])
    assert raised.value.code == 2
    assert f"unrecognized arguments: {' '.join(abbreviated)}" in capsys.readouterr().err


def test_another_address_than_loopback_needs_a_flag(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        cli.main(["serve", "--host", "0.0.0.0", "--demo"])
    assert raised.value.code == 2
    first = capsys.readouterr().err.splitlines()[0]
    assert first == (
        "ssmtui serve: --host 0.0.0.0 is not a loopback address; whoever has the link reads "
        "with your AWS credentials, so add --allow-remote if you mean it"
    )


def test_bad_dashboard_flags_are_refused_before_anything_is_served(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as raised:
        cli.main(["serve", "--demo", "--interval", "0"])
    assert raised.value.code == 2
    assert "argument --interval: expected seconds from 1 to 300" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("flags", "seconds"),
    [
        ([], 1800),
        (["--kiosk"], None),
        (["--kiosk", "--idle-minutes", "5"], 300),
        (["--idle-minutes", "0"], None),
    ],
)
def test_a_tab_idles_out_after_half_an_hour_but_a_served_wall_never_does(
    flags: list[str], seconds: float | None
) -> None:
    args = build_parser().parse_args(["serve", "--demo", *flags])
    assert idle_seconds(args) == seconds
