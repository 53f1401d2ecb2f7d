"""The command line as a user meets it: help, usage errors, and `ssmtui sim` end to end."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from ssmtui import __version__, cli
from ssmtui.model.filters import Filters
from ssmtui.poller.queries import command_filters
from ssmtui.sim.clock import ScaledClock
from tests.cli_runner import Run
from tests.conftest import START, client_for
from tests.wire import raw_call

SSMTUI = [sys.executable, "-m", "ssmtui"]


class RunningSim:
    def __init__(self, *args: str) -> None:
        self.process = subprocess.Popen(
            [*SSMTUI, "sim", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        self.first_line = self.process.stdout.readline().strip()
        self.endpoint = self.first_line.removeprefix("endpoint: ")

    def stop(self, signum: int = signal.SIGTERM) -> tuple[int, str]:
        self.process.send_signal(signum)
        _, stderr = self.process.communicate(timeout=30)
        return self.process.returncode, stderr


@pytest.fixture
def running() -> Iterator[RunningSim]:
    sim = RunningSim("--port", "0", "--seed", "1", "--start", "2026-11-27T08:00:00Z")
    yield sim
    if sim.process.poll() is None:
        sim.process.kill()
        sim.process.wait()


def test_version_and_help(ssmtui: Run) -> None:
    version = ssmtui("--version")
    assert (version.returncode, version.stdout.strip()) == (0, f"ssmtui {__version__}")
    help_text = ssmtui("--help")
    assert help_text.returncode == 0
    assert "sim" in help_text.stdout
    sim_help = ssmtui("sim", "--help")
    for flag in ("--host", "--port", "--scenario", "--seed", "--speed", "--fault", "--start"):
        assert flag in sim_help.stdout


def test_the_dashboard_without_a_terminal_says_so(ssmtui: Run) -> None:
    result = ssmtui("--demo")
    assert result.returncode == 2
    assert "the dashboard needs a terminal" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_dashboard_with_an_unknown_profile_is_one_sentence(ssmtui: Run) -> None:
    result = ssmtui("--profile", "no-such-profile")
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0
    assert "no-such-profile" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["sim", "--speed", "-1"], "argument --speed: must be zero or more, got '-1'"),
        (["sim", "--speed", "fast"], "argument --speed: expected a number, got 'fast'"),
        (["sim", "--port", "70000"], "argument --port: expected a port from 0 to 65535"),
        (["sim", "--seed", "x"], "argument --seed: expected a whole number"),
        (["sim", "--start", "noon"], "argument --start: expected an ISO-8601 time"),
        (["sim", "--fault", "flood"], "unknown fault kind 'flood'"),
        (["sim", "--host", "0.0.0.0"], "is not a loopback address"),
        (["sim", "--scenario", "nope"], "nope: scenario: no such file, and not a built-in"),
        (["sim", "--bogus"], "unrecognized arguments: --bogus"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
        (["--interval", "0.5"], "argument --interval: expected seconds from 1 to 300"),
        (["--demo", "--profile", "prod"], "--demo runs on the simulated fleet; drop --profile"),
        (["--seed", "3"], "--seed only applies to --demo"),
        (["--status", "Failed"], "--status Failed only matches finished commands"),
        (
            ["--instance", "i-0123456789abcdef0", "--status", "Pending"],
            "--status Pending cannot be combined with --instance",
        ),
    ],
)
def test_bad_input_gets_one_clear_sentence(ssmtui: Run, args: list[str], message: str) -> None:
    result = ssmtui(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_a_broken_scenario_file_names_its_line(ssmtui: Run, tmp_path: Path) -> None:
    path = tmp_path / "fleet.toml"
    path.write_text('[scenario]\nname = "x"\n[[group]]\ncount = "many"\nname = "a-{n}"\n')
    result = ssmtui("sim", "--scenario", str(path))
    assert result.returncode == 2
    assert f"{path}:4: group[1].count: expected a whole number" in result.stderr


def test_sim_prints_its_endpoint_serves_boto3_and_stops_on_sigterm(running: RunningSim) -> None:
    assert running.first_line.startswith("endpoint: http://127.0.0.1:")
    ssm = client_for(running.endpoint)
    commands = ssm.list_commands()["Commands"]
    assert len(commands) > 10
    executing = ssm.list_commands(Filters=[{"key": "ExecutionStage", "value": "Executing"}])
    assert executing["Commands"]
    code, stderr = running.stop(signal.SIGTERM)
    assert code == 0
    assert "Traceback" not in stderr


def test_sim_stops_cleanly_on_ctrl_c(running: RunningSim) -> None:
    assert client_for(running.endpoint).list_commands()["Commands"]
    code, stderr = running.stop(signal.SIGINT)
    assert (code, stderr) == (0, "")


def test_serving_beyond_loopback_needs_a_flag_and_warns() -> None:
    sim = RunningSim("--host", "0.0.0.0", "--allow-remote", "--seed", "1")
    try:
        port = sim.endpoint.rsplit(":", 1)[1]
        assert sim.endpoint == f"http://0.0.0.0:{port}"
        assert client_for(f"http://127.0.0.1:{port}").list_commands()["Commands"]
    finally:
        code, stderr = sim.stop()
    assert code == 0
    assert "warning: serving on 0.0.0.0, reachable from other machines" in stderr


def test_a_busy_port_is_one_sentence(ssmtui: Run, running: RunningSim) -> None:
    port = running.endpoint.rsplit(":", 1)[1]
    result = ssmtui("sim", "--port", port)
    assert result.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr


def simulated_now(endpoint: str) -> float:
    """The simulator's present, read from an online instance's last ping (now - 30 s)."""
    ssm = client_for(endpoint)
    instances = ssm.describe_instance_information(
        InstanceInformationFilterList=[{"key": "PingStatus", "valueSet": ["Online"]}]
    )["InstanceInformationList"]
    return instances[0]["LastPingDateTime"].timestamp() + 30


def test_a_scaled_clock_runs_speed_times_as_fast_and_zero_freezes_it() -> None:
    ticks = [100.0]
    fast = ScaledClock(START, 1000, monotonic=lambda: ticks[0])
    frozen = ScaledClock(START, 0, monotonic=lambda: ticks[0])
    ticks[0] += 0.05
    assert fast.now() - START == timedelta(seconds=50)
    assert frozen.now() == START


def test_speed_reaches_the_simulators_clock() -> None:
    sim = RunningSim("--seed", "1", "--speed", "0", "--start", "2026-11-27T08:00:00Z")
    try:
        first = simulated_now(sim.endpoint)
        assert simulated_now(sim.endpoint) == first == START.timestamp()  # frozen
    finally:
        sim.stop()


def test_the_simulators_log_quotes_what_clients_sent_neutralised() -> None:
    sim = RunningSim("--port", "0", "-v")
    try:
        status, _ = raw_call(
            sim.endpoint, "ListCommands", {"CommandId": "\x1b]0;pwned\x07" + "a" * 30}
        )
        assert status == 400
    finally:
        _, stderr = sim.stop()
    said = [line for line in stderr.splitlines() if "ValidationException" in line]
    assert len(said) == 1
    assert "\x1b" not in stderr
    assert "\x07" not in stderr
    assert "Changing event name" not in stderr  # -v is the simulator's log, not botocore's


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "800000d"], "argument --since: expected a time from 1970-01-01 on"),
        (["--since", "99999999999d"], "argument --since: expected a time from 1970-01-01 on"),
        (["snapshot", "--since", "3000000w"], "argument --since: expected a time from 1970"),
        (["snapshot", "--until", "0001-01-01T00:00:00Z"], "argument --until: expected a time"),
        (
            ["snapshot", "--endpoint-url", "http://127.0.0.1:99999"],
            "argument --endpoint-url: expected a port from 0 to 65535 in the URL, got "
            "'http://127.0.0.1:99999'",
        ),
        (["sim", "--speed", "inf"], "argument --speed: must be 10000 or less, got 'inf'"),
        (["sim", "--speed", "nan"], "argument --speed: must be zero or more, got 'nan'"),
        (["sim", "--start", "9999-12-31T23:59:00Z"], "argument --start: expected a time in"),
        (["sim", "--fault", "drop:from=nan"], "from must be a number of seconds, zero or more"),
        (["sim", "--fault", "latency:ms=-1"], "ms must be a number of milliseconds, zero or more"),
        (["sim", "--fault", "error:count=-1"], "after and count must be zero or more"),
    ],
)
def test_values_out_of_range_are_one_sentence(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    """In-process: argparse refuses them before anything starts."""
    with pytest.raises(SystemExit) as raised:
        cli.main(args)
    assert raised.value.code == 2
    sentence, *usage = capsys.readouterr().err.strip().splitlines()
    assert sentence.startswith("ssmtui")
    assert usage[0].startswith("usage: ssmtui")
    assert message in sentence
    assert "Error" not in sentence  # no exception class name leaks into the sentence


def test_times_go_to_aws_in_utc_with_four_digits_of_year() -> None:
    east = datetime(2026, 11, 27, 10, 0, tzinfo=timezone(timedelta(hours=2)))
    ancient = datetime(999, 1, 2, 3, 4, 5, tzinfo=UTC)
    sent = command_filters(Filters(since=east, until=ancient), "Executing")
    assert {f["key"]: f["value"] for f in sent} == {
        "ExecutionStage": "Executing",
        "InvokedAfter": "2026-11-27T08:00:00Z",
        "InvokedBefore": "0999-01-02T03:04:05Z",
    }
