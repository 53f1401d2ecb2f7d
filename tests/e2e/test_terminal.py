"""`ssmtui` as an operator starts it: a real process in a pseudo-terminal, reading an endpoint.

The Pilot tests drive the app in-process; this one goes through the command line, the
credential chain and Textual's own terminal driver, and presses keys as bytes.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

from ssmtui.model.status import is_terminal
from ssmtui.sim.background import BackgroundSim
from tests.aws_fixtures import no_aws_env

COUNT_AND_ANSWER = """\
import json, sys
with open(sys.argv[1], "a") as calls:
    calls.write("resolved\\n")
print(json.dumps({"Version": 1, "AccessKeyId": "testing", "SecretAccessKey": "testing"}))
"""


class Terminal:
    """A process on the far side of a pty, whose screen output we read as bytes."""

    def __init__(self, argv: list[str], env: dict[str, str], cols: int = 120, rows: int = 36):
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.process = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
        )
        os.close(slave)
        self.seen = bytearray()

    def _read(self, timeout: float) -> bool:
        """Take what the process wrote; False once it closed the terminal."""
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return True
        try:
            chunk = os.read(self.master, 65536)
        except OSError:  # EIO: the process ended and the pty closed
            return False
        self.seen += chunk
        return bool(chunk)

    def read_until(self, needle: bytes, what: str, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while needle not in self.seen:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not self._read(remaining):
                tail = bytes(self.seen[-2000:]).decode(errors="replace")
                raise AssertionError(f"the terminal never showed {what}; last output:\n{tail}")

    def press(self, keys: bytes) -> None:
        os.write(self.master, keys)

    def wait(self, timeout: float = 30.0) -> int:
        """Read to the end (a full pty would stall the process), then its exit status."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self._read(deadline - time.monotonic()):
            if self.process.poll() is not None and not select.select([self.master], [], [], 0)[0]:
                break
        return self.process.wait(timeout=max(0.0, deadline - time.monotonic()))

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        os.close(self.master)


def test_the_dashboard_on_an_endpoint_resolves_credentials_once_and_quits_cleanly(
    sim: BackgroundSim, tmp_path: Path
) -> None:
    calls = tmp_path / "credential-calls"
    helper = tmp_path / "credentials.py"
    helper.write_text(COUNT_AND_ANSWER)
    config = tmp_path / "config"
    config.write_text(
        "[profile counted]\n"
        f"credential_process = {sys.executable} {helper} {calls}\n"
        "region = us-east-1\n"
    )
    env = no_aws_env(AWS_CONFIG_FILE=str(config)) | {"TERM": "xterm-256color"}
    running = next(c for c in sim.server.engine.ordered if not is_terminal(c.status))

    argv = [sys.executable, "-m", "ssmtui", "--profile", "counted"]
    terminal = Terminal([*argv, "--endpoint-url", sim.endpoint], env)
    try:
        terminal.read_until(running.command_id[:8].encode(), "an executing command")
        terminal.read_until(b"profile counted", "the profile in the status line")
        terminal.press(b"q")
        assert terminal.wait() == 0
    finally:
        terminal.close()
    assert b"Traceback" not in terminal.seen
    assert b"\x1b[?1049l" in terminal.seen  # left the alternate screen: the terminal is back
    assert calls.read_text().splitlines() == ["resolved"]  # one resolution, one prompt at most
