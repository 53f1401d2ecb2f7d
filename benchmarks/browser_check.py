"""``ssmtui serve`` opened in headless Chromium: do the commands reach the page, and how soon?

Starts ``ssmtui serve --demo`` (or ``--kiosk``) on a free loopback port and Chromium headless
with its DevTools port, loads the page, and reads what the page's own WebSocket received until
a command's document name is in it (the terminal draws on a canvas, so the page has no text to
read; the bytes its terminal was given are the next best thing). Prints the seconds to the
first byte and to the first command, and saves a screenshot of the page.

    .venv/bin/python -m benchmarks.browser_check [--kiosk] [--screenshot screenshots/browser.png]

Needs ``chromium`` on PATH (Debian: ``apt-get install chromium``); not part of the test suite,
which runs where no browser is installed.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import itertools
import json
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp

EXPECTED = "AWS-RunShellScript"
HOOK = """
window.__ssmtuiBytes = 0;
window.__ssmtuiText = "";
const Original = window.WebSocket;
window.WebSocket = function (...args) {
  const socket = new Original(...args);
  socket.addEventListener("message", (event) => {
    if (typeof event.data !== "string") {
      window.__ssmtuiBytes += event.data.byteLength;
      window.__ssmtuiText += new TextDecoder().decode(event.data);
    }
  });
  return socket;
};
window.WebSocket.prototype = Original.prototype;
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class DevTools:
    """One page's DevTools Protocol session: send a method, wait for its answer."""

    def __init__(self, socket: aiohttp.ClientWebSocketResponse) -> None:
        self.socket = socket
        self.ids = itertools.count(1)

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        number = next(self.ids)
        await self.socket.send_json({"id": number, "method": method, "params": params})
        while True:
            message = await self.socket.receive_json()
            if message.get("id") == number:
                return dict(message.get("result", {}))

    async def value(self, expression: str) -> Any:
        answer = await self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return answer.get("result", {}).get("value")


async def page_target(port: int, deadline: float) -> str:
    async with aiohttp.ClientSession() as session:
        while time.monotonic() < deadline:
            with contextlib.suppress(aiohttp.ClientError):
                async with session.get(f"http://127.0.0.1:{port}/json") as answer:
                    for target in await answer.json():
                        if target.get("type") == "page":
                            return str(target["webSocketDebuggerUrl"])
            await asyncio.sleep(0.2)
    raise SystemExit("browser_check: Chromium's DevTools did not answer")


async def check(url: str, devtools_port: int, screenshot: Path, timeout: float) -> int:
    deadline = time.monotonic() + timeout
    target = await page_target(devtools_port, deadline)
    async with aiohttp.ClientSession() as session, session.ws_connect(target) as socket:
        tools = DevTools(socket)
        await tools.call("Page.enable")
        await tools.call("Page.addScriptToEvaluateOnNewDocument", source=HOOK)
        started = time.monotonic()
        await tools.call("Page.navigate", url=url)
        first_byte = found = None
        while time.monotonic() < deadline:
            received = await tools.value("window.__ssmtuiBytes || 0")
            if received and first_byte is None:
                first_byte = time.monotonic() - started
            if await tools.value(f"(window.__ssmtuiText || '').includes({json.dumps(EXPECTED)})"):
                found = time.monotonic() - started
                break
            await asyncio.sleep(0.2)
        await asyncio.sleep(1.0)  # let the terminal draw what it was given
        shot = await tools.call("Page.captureScreenshot", format="png")
        screenshot.write_bytes(base64.b64decode(shot["data"]))
    print(f"first byte from the app: {_seconds(first_byte)}")
    print(f"commands on the page:    {_seconds(found)}")
    print(f"screenshot:              {screenshot}")
    return 0 if found is not None else 1


def _seconds(value: float | None) -> str:
    return f"{value:.2f} s" if value is not None else "never"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kiosk", action="store_true", help="serve the wall view")
    parser.add_argument("--screenshot", type=Path, default=Path("screenshots/browser.png"))
    parser.add_argument("--timeout", type=float, default=60.0)
    args = parser.parse_args()
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        print("browser_check: no chromium on PATH (apt-get install chromium)", file=sys.stderr)
        return 2
    port, devtools = free_port(), free_port()
    served = [sys.executable, "-m", "ssmtui", "serve", "--port", str(port), "--demo"]
    served += ["--kiosk"] if args.kiosk else []
    with tempfile.TemporaryDirectory() as profile:
        server = subprocess.Popen(
            served, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
        )
        chromium = subprocess.Popen(
            [
                browser,
                "--headless",
                "--no-sandbox",
                "--enable-unsafe-swiftshader",
                f"--user-data-dir={profile}",
                f"--remote-debugging-port={devtools}",
                "--window-size=1600,1000",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            assert server.stdout is not None
            printed = server.stdout.readline()  # 'serving: URL', once the port is bound
            if not printed.startswith("serving: "):
                print(f"browser_check: serve said {printed!r}", file=sys.stderr)
                return 1
            url = printed.removeprefix("serving: ").strip()
            return asyncio.run(check(url, devtools, args.screenshot, args.timeout))
        finally:
            for process in (chromium, server):
                process.terminate()
                process.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
