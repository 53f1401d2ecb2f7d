"""The server behind ``ssmtui serve``: textual-serve's page and process protocol, guarded.

Imported only when ``serve`` runs (aiohttp, jinja2 and textual-serve cost every other
subcommand nothing). Why each guard exists is told in ``ssmtui.serve``.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import os
import secrets
import signal
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

import aiohttp_jinja2
import jinja2
import textual_serve
from aiohttp import WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.download_manager import DownloadManager

from ssmtui.cli.browser_session import SAVE_ALLOWED
from ssmtui.model.hosts import is_loopback

QUIT_GRACE = 2.0
"""Seconds a session's process has to quit when asked, before it is terminated."""
TERM_GRACE = 1.5
"""Seconds it has after SIGTERM, before SIGKILL: 3.5 s in all, inside the promised 5."""

log = logging.getLogger("ssmtui.serve")


class Session(AppService):
    """One tab's dashboard process, started without a shell in a session of its own, so that
    closing the tab can end the whole process group and reap it."""

    def __init__(
        self,
        argv: Sequence[str],
        *,
        allow_save: bool,
        grace: tuple[float, float] = (QUIT_GRACE, TERM_GRACE),
        **kwargs: Any,
    ) -> None:
        super().__init__("", **kwargs)
        self.argv = list(argv)
        self.allow_save = allow_save
        self.grace = grace
        self.stopped = False

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        environment = super()._build_environment(width, height)
        environment[SAVE_ALLOWED] = "1" if self.allow_save else "0"
        return environment

    async def _open_app_process(
        self, width: int = 80, height: int = 24
    ) -> asyncio.subprocess.Process:
        self._process = process = await asyncio.create_subprocess_exec(
            *self.argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=self._build_environment(width=width, height=height),
            start_new_session=True,
        )
        assert process.stdin is not None
        self._stdin = process.stdin
        return process

    async def stop(self) -> None:
        """Quit, then SIGTERM, then SIGKILL: the process is gone and reaped when this returns,
        even one blocked writing a screen nobody reads (a large tab, closed)."""
        if self.stopped:
            return
        self.stopped = True
        await self._download_manager.cancel_app_downloads(app_service_id=self.app_service_id)
        process = self._process
        quit_grace, term_grace = self.grace
        if process is not None and process.returncode is None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.send_meta({"type": "quit"}), quit_grace)
            if not await _ended(process, quit_grace):
                _signal_group(process.pid, signal.SIGTERM)
                if not await _ended(process, term_grace):
                    _signal_group(process.pid, signal.SIGKILL)
                    await process.wait()
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None


async def _ended(process: asyncio.subprocess.Process, seconds: float) -> bool:
    try:
        await asyncio.wait_for(process.wait(), seconds)
    except TimeoutError:
        return False
    return True


def _signal_group(pid: int, signum: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signum)


_FULL_PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>ssmtui</title></head>
<body style="font-family: monospace; background: #121212; color: #e0e0e0; padding: 2em">
<p>ssmtui serve: {count} dashboards are open, the most this server allows (--max-sessions
{count}). Close one of them, then reload this page.</p></body></html>"""


class GuardedServer:
    """textual-serve's page and process protocol behind a token, an Origin check and caps."""

    def __init__(
        self,
        argv: Sequence[str],
        *,
        host: str,
        port: int,
        max_sessions: int,
        idle_seconds: float | None,
        token: str | None = None,
        allow_save: bool = False,
        loopback_only: bool = True,
        grace: tuple[float, float] = (QUIT_GRACE, TERM_GRACE),
    ) -> None:
        self.argv = list(argv)
        self.host = host
        self.port = port
        self.token = token or secrets.token_urlsafe(24)
        self.max_sessions = max_sessions
        self.idle_seconds = idle_seconds
        self.allow_save = allow_save
        self.loopback_only = loopback_only
        self.grace = grace
        """Seconds a closed tab's process has to quit, then to end after SIGTERM."""
        self.sessions: set[Session] = set()
        self.download_manager = DownloadManager()
        package = Path(textual_serve.__file__).parent
        self.templates = package / "templates"
        self.statics = package / "static"

    @property
    def prefix(self) -> str:
        return f"/{self.token}"

    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}{self.prefix}/"

    def make_app(self) -> web.Application:
        app = web.Application(middlewares=[self._guard])
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates))
        app.add_routes(
            [
                web.get(f"{self.prefix}/", self.handle_index, name="index"),
                web.get(f"{self.prefix}/ws", self.handle_websocket, name="websocket"),
                web.static(f"{self.prefix}/static", self.statics, name="static"),
            ]
        )
        app.on_shutdown.append(self._stop_all)
        return app

    @web.middleware
    async def _guard(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        """The token before anything else; on loopback, a loopback Host (DNS rebinding)."""
        if self.loopback_only and not is_loopback(request.url.host or ""):
            return _refuse("this server answers only to a loopback address such as 127.0.0.1")
        first = request.path.split("/", 2)[1] if request.path.startswith("/") else ""
        if not hmac.compare_digest(first.encode(), self.token.encode()):
            return _refuse("open the link 'ssmtui serve' printed: it carries the page's token")
        return await handler(request)

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        if len(self.sessions) >= self.max_sessions:
            return web.Response(
                status=503,
                text=_FULL_PAGE.format(count=self.max_sessions),
                content_type="text/html",
            )
        origin = _own_origin(request)
        font_size = request.query.get("fontsize", "16")
        context = {
            "font_size": int(font_size) if font_size.isdigit() else 16,
            "app_websocket_url": f"ws://{request.host}{self.prefix}/ws",
            "config": {"static": {"url": f"{origin}{self.prefix}/static/"}},
            "application": {"name": "ssmtui"},
        }
        response = aiohttp_jinja2.render_template("app_index.html", request, context)
        response.headers["Referrer-Policy"] = "no-referrer"  # the token stays off other sites
        response.headers["X-Frame-Options"] = "DENY"
        return response

    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
        if request.headers.get("Origin") != _own_origin(request):
            return _refuse("this socket answers only the page it was served with")
        if len(self.sessions) >= self.max_sessions:
            return web.Response(status=503, text=f"at most {self.max_sessions} sessions")
        width = _size(request.query.get("width"), 80)
        height = _size(request.query.get("height"), 24)
        websocket = web.WebSocketResponse(heartbeat=15)
        await websocket.prepare(request)
        session = Session(
            self.argv,
            allow_save=self.allow_save,
            grace=self.grace,
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=websocket.close,
            download_manager=self.download_manager,
        )
        self.sessions.add(session)
        try:
            await session.start(width, height)
            await self._relay(websocket, session)
        finally:
            try:
                await session.stop()
            finally:
                self.sessions.discard(session)
            await websocket.close()
        return websocket

    async def _relay(self, websocket: web.WebSocketResponse, session: Session) -> None:
        """The browser's keys, mouse and size to the process, until the tab closes or has
        been idle for ``idle_seconds`` (None: it may stay idle)."""
        loop = asyncio.get_running_loop()
        last_input = loop.time()
        while True:
            wait = None
            if self.idle_seconds is not None:
                wait = max(last_input + self.idle_seconds - loop.time(), 0.01)
            try:
                message = await websocket.receive(timeout=wait)
            except TimeoutError:
                log.info("closing a session idle for %d s", self.idle_seconds)
                return
            if message.type != WSMsgType.TEXT:
                if message.type in (WSMsgType.CLOSE, WSMsgType.CLOSED, WSMsgType.ERROR):
                    return
                continue
            kind, data = _envelope(message.data)
            if kind == "stdin" and isinstance(data, str):
                last_input = loop.time()
                await session.send_bytes(data.encode("utf-8", "replace"))
            elif kind == "resize" and isinstance(data, dict):
                last_input = loop.time()
                await session.set_terminal_size(
                    _size(data.get("width"), 80), _size(data.get("height"), 24)
                )
            elif kind == "ping":
                await websocket.send_json(["pong", data])
            elif kind == "blur":
                await session.blur()
            elif kind == "focus":
                await session.focus()

    async def _stop_all(self, _app: web.Application) -> None:
        await asyncio.gather(*(session.stop() for session in list(self.sessions)))


def _own_origin(request: web.Request) -> str:
    """The origin the page was (or its socket is) asked for by: the page's own."""
    return f"{request.scheme}://{request.host}"


def _refuse(reason: str) -> web.Response:
    return web.Response(status=403, text=f"ssmtui serve: {reason}\n")


def _envelope(text: str) -> tuple[str, object]:
    """A browser message ``[kind, data]``; anything else is ignored, never a crash."""
    try:
        envelope = json.loads(text)
    except ValueError:
        return "", None
    if not isinstance(envelope, list) or not envelope or not isinstance(envelope[0], str):
        return "", None
    return envelope[0], envelope[1] if len(envelope) > 1 else None


def _size(value: object, default: int) -> int:
    """A terminal dimension from the browser, kept within what a screen can be."""
    try:
        number = int(str(value))
    except ValueError:
        return default
    return min(max(number, 10), 1000)
