"""The config file: checked field by field, under the flags; the theme remembered; bad flags."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from textual.theme import BUILTIN_THEMES

from ssmtui import cli
from ssmtui.cli import config_file as settings
from ssmtui.cli.checks import THEMES
from tests.scripted_poller import scripted_app, shown

GOOD = """\
region = "eu-west-1"
interval = 10
bell = true

[filters]
stage = "all"
status = "Failed"
since = "2h"
"""


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A config home of its own: the file goes in ``home / "ssmtui" / "config.toml"``."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    (tmp_path / "config" / "ssmtui").mkdir(parents=True)
    return tmp_path / "config" / "ssmtui" / "config.toml"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_flags_win_over_the_file_and_the_file_over_the_defaults(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home.write_text(GOOD)
    code, out, _ = run(capsys, "config", "--interval", "2")
    assert code == 0
    lines = out.splitlines()
    assert f"# config file: {home} (found)" in lines
    assert 'region = "eu-west-1"  # config file' in lines
    assert "interval = 2  # flag" in lines
    assert "bell = true  # config file" in lines
    assert 'status = "Failed"  # config file' in lines
    assert 'theme = "textual-dark"  # default' in lines
    assert any(line.startswith("since = ") and line.endswith("# config file") for line in lines)


def test_without_a_file_the_defaults_are_said_to_be_the_defaults(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "config")
    assert code == 0
    assert f"# config file: {home} (not found: built-in defaults)" in out.splitlines()
    assert "interval = 5  # default" in out.splitlines()


@pytest.mark.parametrize(
    ("text", "sentence"),
    [
        ('region = "eu-west-1"\ninterval = "fast"\n', ":2: interval: expected a number"),
        ("interval = 0.5\n", ":1: interval: expected seconds from 1 to 300, got '0.5'"),
        ('\n[filters]\nstatus = "Broken"\n', ":3: filters.status: expected one of Pending"),
        ('regoin = "x"\n', ":1: regoin: unknown field (known: bell, endpoint_url, filters"),
        ("[filters]\ncolour = 1\n", ":2: filters.colour: unknown [filters] field"),
        ('bell = "yes"\n', ":1: bell: expected true or false, got 'yes'"),
        ('theme = "pink"\n', ":1: theme: expected one of "),
        ("filters = 3\n", ":1: filters: expected a table: [filters]"),
        ("region = [\n", ": not valid TOML: "),
        pytest.param(
            "region = " + "[" * 3000 + "]" * 3000 + "\n",
            ": nested too deeply to be a config file",
            id="nested-3000-deep",
        ),
        ('"\\u001b[31m" = 1\n', ": '\\x1b[31m': unknown field (known: "),
    ],
)
def test_a_wrong_field_is_named_with_its_file_and_line_and_exits_2(
    home: Path, capsys: pytest.CaptureFixture[str], text: str, sentence: str
) -> None:
    home.write_text(text)
    code, out, err = run(capsys, "snapshot")
    assert (code, out) == (2, "")
    assert err.startswith(f"ssmtui: {home}{sentence}")
    assert len(err.splitlines()) == 1


def test_a_named_config_file_must_exist(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nope.toml"
    assert run(capsys, "--config", str(missing), "config") == (
        2,
        "",
        f"ssmtui: {missing}: no such config file\n",
    )


def test_the_demo_ignores_the_aws_settings_of_the_file_but_not_those_of_the_flags(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home.write_text('region = "eu-west-1"\n')
    code, _, err = run(capsys, "--demo")  # under pytest: no terminal, and that is all it says
    assert (code, err) == (2, cli_no_terminal())
    with pytest.raises(SystemExit) as raised:
        cli.main(["--demo", "--profile", "prod"])
    err = capsys.readouterr().err
    assert raised.value.code == 2
    assert err.startswith("ssmtui: --demo runs on the simulated fleet; drop --profile\nusage: ")


def cli_no_terminal() -> str:
    return (
        "ssmtui: the dashboard needs a terminal; for a one-off report to a pipe or file, use "
        "'ssmtui snapshot'\n"
    )


def test_a_bad_flag_is_one_sentence_first_and_the_usage_after(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as raised:
        cli.main(["--interval", "0"])
    err = capsys.readouterr().err
    assert raised.value.code == 2
    first, *rest = err.splitlines()
    assert first == "ssmtui: argument --interval: expected seconds from 1 to 300, got '0'"
    assert rest[0].startswith("usage: ssmtui ")


async def test_a_theme_picked_in_the_palette_is_remembered_and_the_first_is_not(
    home: Path,
) -> None:
    app, poller = scripted_app(None)
    picked: list[str] = []
    app._remember_theme = picked.append
    async with app.run_test() as pilot:
        await shown(pilot, poller)
        assert picked == []
        app.theme = "nord"
        await pilot.pause()
    assert picked == ["nord"]
    settings.remember_theme("nord")
    assert settings.remembered_theme() == "nord"
    settings.theme_memory().write_text("no-such-theme\n")
    assert settings.remembered_theme() is None


async def test_no_color_is_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app, poller = scripted_app(None)
    async with app.run_test() as pilot:
        await shown(pilot, poller)
        assert app.no_color  # Textual then draws in monochrome; ssmtui must not undo it


@pytest.mark.parametrize("kind", ["fifo", "device", "folder", "large"])
def test_only_a_regular_file_under_a_mebibyte_is_read_as_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    path = tmp_path / "config.toml"
    if kind == "fifo":
        os.mkfifo(path)  # opening it would wait for a writer forever
    elif kind == "device":
        path = Path("/dev/zero")  # read whole, it fills memory
    elif kind == "folder":
        path.mkdir()
    else:
        path.write_text("# padding\n" * 110_000)
    code, out, err = run(capsys, "--config", str(path), "config")
    assert (code, out) == (2, "")
    assert err.startswith(f"ssmtui: {path}: ")
    assert err.rstrip().endswith("so not a config file")
    assert len(err.splitlines()) == 1


def test_config_shows_what_a_terminal_would_act_on_in_a_value_as_escapes(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home.write_text('profile = "prod\\u202e\\u0085ops"\n')
    code, out, _ = run(capsys, "config")
    assert code == 0
    assert 'profile = "prod\\u202e\\u0085ops"  # config file' in out.splitlines()
    assert "\u202e" not in out
    assert "\u0085" not in out


@pytest.mark.parametrize(
    "flag", [["--document", "AWS-RunShellScript\n"], ["--instance", "i-0123456789abcdef0\n"]]
)
def test_a_name_with_a_trailing_line_break_is_refused(
    capsys: pytest.CaptureFixture[str], flag: list[str]
) -> None:
    with pytest.raises(SystemExit) as raised:
        cli.main(["snapshot", *flag])
    assert raised.value.code == 2
    assert f"argument {flag[0]}: expected " in capsys.readouterr().err


def test_the_themes_the_flags_know_are_textuals_own() -> None:
    assert sorted(THEMES) == sorted(BUILTIN_THEMES)
