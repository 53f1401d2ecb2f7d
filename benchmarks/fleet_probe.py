"""Inside one dashboard process: what the user waits for, measured where it happens.

Not run by hand: ``benchmarks.fleet_screen`` starts this file in a terminal (a pty) with
``ssmtui`` importable from the source tree under test, so that today's tree and an older one
are measured by the same code. It runs ``ssmtui --endpoint-url URL`` as a user would, and
alongside it, on the same event loop:

- selects the command named on the command line and times its first ListCommandInvocations
  page from the moment botocore parsed it to the moment its rows were written to the terminal;
- presses ``j`` (then ``k``) in the instances pane once a second and times each from the key
  event to the terminal write that shows the moved cursor;
- times every poll result's handling (the ``Polled`` message), and how late a 5 ms ticker
  wakes: the longest the loop was held, garbage collection included;
- then, once every instance is a row, leaves the keys alone and counts the CPU the process
  spends;
- and writes what it measured, as JSON, to the file named by ``--out``.

Only Textual's and ssmtui's public names are relied on where they are the same in both trees
(``Dashboard``, ``Polled``, ``SsmReader``, the ``#commands`` and ``#invocations`` tables); the
write to the terminal is seen through ``App._display``, the same Textual in both runs.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import sys
import time
from collections.abc import Callable, Coroutine
from functools import partial
from pathlib import Path
from typing import Any

from textual import events
from textual.app import App
from textual.message_pump import MessagePump

import ssmtui
from ssmtui import cli
from ssmtui.aws.client import SsmReader
from ssmtui.ui.app import Dashboard
from ssmtui.ui.messages import Polled

TICK = 0.005


class Probe:
    def __init__(self, command_id: str, targets: int) -> None:
        self.command_id = command_id
        self.targets = targets
        self.app: Dashboard | None = None
        self.stalls: list[float] = []
        self.applies: list[float] = []
        self.keys: list[float] = []
        self.first_page: float | None = None
        self.pages: list[float] = []
        self.writes: list[float] = []
        self.gc_pauses: list[float] = []
        self.ticker: asyncio.Future[None] | None = None
        self._gc_started = 0.0

    # -- hooks --------------------------------------------------------------------------

    def install(self) -> None:
        probe = self
        original_init = Dashboard.__init__

        def init(app: Dashboard, *args: Any, **kwargs: Any) -> None:
            original_init(app, *args, **kwargs)
            probe.app = app

        Dashboard.__init__ = init  # type: ignore[method-assign,assignment]

        original_open = SsmReader.open

        async def open_(reader: SsmReader) -> None:
            await original_open(reader)
            reader._client.meta.events.register(
                "after-call.ssm.ListCommandInvocations", probe._page_arrived
            )

        SsmReader.open = open_  # type: ignore[method-assign,assignment]

        original_display = App._display

        def display(app: App[Any], screen: Any, renderable: Any) -> None:
            original_display(app, screen, renderable)
            if renderable is not None:
                probe.writes.append(time.perf_counter())

        App._display = display  # type: ignore[method-assign,assignment]

        original_dispatch = MessagePump._dispatch_message
        handling: dict[int, float] = {}

        async def dispatch(pump: MessagePump, message: Any) -> Any:
            """A result's handling, wherever it is handled (the screen today, the app in older
            trees) and as it bubbles: summed per message."""
            if not isinstance(message, Polled):
                return await original_dispatch(pump, message)
            started = time.perf_counter()
            try:
                return await original_dispatch(pump, message)
            finally:
                spent = handling.get(id(message), 0.0) + time.perf_counter() - started
                handling[id(message)] = spent
                if isinstance(pump, App):  # the last stop of its bubbling
                    probe.applies.append(handling.pop(id(message)))

        MessagePump._dispatch_message = dispatch  # type: ignore[method-assign,assignment]
        gc.callbacks.append(self._gc)

    def _page_arrived(self, parsed: dict[str, Any], **_: Any) -> None:
        page = parsed.get("CommandInvocations") or [{}]
        if page[0].get("CommandId") == self.command_id:
            self.pages.append(time.perf_counter())

    def _gc(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._gc_started = time.perf_counter()
        elif info.get("generation") == 2:
            self.gc_pauses.append(time.perf_counter() - self._gc_started)

    # -- driving ------------------------------------------------------------------------

    async def tick(self) -> None:
        while True:
            started = time.perf_counter()
            await asyncio.sleep(TICK)
            self.stalls.append(time.perf_counter() - started - TICK)

    async def until(self, condition: Callable[[], object], limit: float = 120.0) -> None:
        started = time.perf_counter()
        while not condition():
            if time.perf_counter() - started > limit:
                raise TimeoutError("the dashboard never got there")
            await asyncio.sleep(0.01)

    async def next_write_after(self, moment: float) -> float:
        await self.until(lambda: self.writes and self.writes[-1] > moment, 10.0)
        return next(t for t in self.writes if t > moment)

    async def drive(self, minutes: float, idle_seconds: float, out: Path) -> None:
        self.ticker = asyncio.ensure_future(self.tick())
        try:
            report = await self._measure(minutes, idle_seconds)
            report["ssmtui"] = str(Path(ssmtui.__file__).parent.parent)
        except Exception as error:  # said in the report: the parent shows it
            report = {"error": f"{type(error).__name__}: {error}"}
        finally:
            if self.ticker is not None:
                self.ticker.cancel()
        out.write_text(json.dumps(report))
        if self.app is not None:
            self.app.exit()

    async def _measure(self, minutes: float, idle_seconds: float) -> dict[str, Any]:
        await self.until(lambda: self.app is not None and self.app.is_running)
        app = self.app
        assert app is not None
        await self.until(lambda: app.screen.query("#invocations"))  # composed and mounted
        commands: Any = app.screen.query_one("#commands")
        invocations: Any = app.screen.query_one("#invocations")
        await self.until(lambda: self.command_id in _keys(commands))
        await asyncio.sleep(1.0)  # the screen settles after its first poll

        self.pages.clear()
        # in the app's own context, as a key handler would: messages posted from outside it
        # are not delivered the same way
        row = commands.get_row_index(self.command_id)
        commands.call_later(partial(commands.move_cursor, row=row))
        await self.until(lambda: self.pages)
        page = self.pages[0]
        await self.until(lambda: invocations.row_count > 0)
        self.first_page = await self.next_write_after(page) - page

        invocations.call_later(invocations.focus)
        self.stalls.clear()
        self.applies.clear()
        self.gc_pauses.clear()
        ended = time.perf_counter() + minutes * 60
        direction = "j"
        while time.perf_counter() < ended:
            await asyncio.sleep(1.0)
            before = invocations.cursor_row
            pressed = time.perf_counter()
            app.post_message(events.Key(direction, direction))
            await self.until(lambda: invocations.cursor_row != before, 10.0)  # noqa: B023
            self.keys.append(await self.next_write_after(pressed) - pressed)
            direction = "k" if direction == "j" else "j"
        active = {
            "stalls": list(self.stalls),
            "applies": list(self.applies),
            "gc": list(self.gc_pauses),
        }

        await self.until(lambda: invocations.row_count >= self.targets, limit=600.0)
        if self.ticker is not None:
            self.ticker.cancel()  # it wakes 200 times a second: not part of the dashboard's CPU
        cpu, wall = time.process_time(), time.perf_counter()
        polls = len(self.applies)
        await asyncio.sleep(idle_seconds)
        idle_cpu = (time.process_time() - cpu) / (time.perf_counter() - wall)
        return {
            "first_page": self.first_page,
            "keys": self.keys,
            **active,
            "rows": invocations.row_count,
            "idle_cpu": idle_cpu,
            "idle_polls": len(self.applies) - polls,
            "rss_mb": _status_mb("VmRSS"),
            "peak_rss_mb": _status_mb("VmHWM"),
        }


def _keys(table: Any) -> list[str]:
    if hasattr(table, "row_keys"):
        keys = table.row_keys()
        return [getattr(key, "value", key) for key in keys]
    return [key.value for key in table.rows]


def _status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--command", required=True)
    parser.add_argument("--targets", type=int, required=True)
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--idle-seconds", type=float, default=60.0)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    probe = Probe(args.command, args.targets)
    probe.install()
    real_run = asyncio.run

    def run(main: Coroutine[Any, Any, int], **options: Any) -> int:
        async def alongside() -> int:
            driver = asyncio.ensure_future(probe.drive(args.minutes, args.idle_seconds, args.out))
            try:
                return await main
            finally:
                driver.cancel()

        return real_run(alongside(), **options)

    asyncio.run = run  # type: ignore[assignment]
    argv = ["--endpoint-url", args.endpoint, "--region", "eu-west-1", "--interval", "5"]
    sys.exit(cli.main(argv))


if __name__ == "__main__":
    main()
