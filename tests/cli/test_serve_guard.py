"""``ssmtui serve`` closed to strangers: the token, the Origin, the caps, the reaping.

Each test runs the real guarded server on 127.0.0.1 and speaks to it with a real HTTP and
WebSocket client. Sessions run small stand-in processes where the point is how a process is
ended (one that ignores the quit message, one that ignores SIGTERM too), and the real
dashboard where the point is the dashboard itself.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from ssmtui.cli.serve_guard import QUIT_GRACE, TERM_GRACE, GuardedServer

IGNORES_QUIT = [sys.executable, "-c", "import time\nwhile True: time.sleep(1)"]
IGNORES_TERM = [
    sys.executable,
    "-c",
    "import signal, time\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
    "print('ready', flush=True)\nwhile True: time.sleep(1)",
]


@asynccontextmanager
async def served(
    argv: Sequence[str] = IGNORES_QUIT, **options: object
) -> AsyncIterator[tuple[GuardedServer, str]]:
    """The guarded server on a free loopback port, and its base URL (without the token)."""
    options.setdefault("grace", (0.2, 0.2))  # the stand-ins never quit when asked
    options.setdefault("max_sessions", 4)
    options.setdefault("idle_seconds", 600.0)
    guard = GuardedServer(argv, host="127.0.0.1", port=0, **options)  # type: ignore[arg-type]
    server = TestServer(guard.make_app(), host="127.0.0.1", port=0)
    await server.start_server()
    try:
        yield guard, f"http://127.0.0.1:{server.port}"
    finally:
        await server.close()


def own_origin(base: str) -> dict[str, str]:
    return {"Origin": base}


def alive(pid: int) -> bool:
    """Is there a process (a zombie counts: it was not reaped) with this pid?"""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def socket_url(guard: GuardedServer, base: str) -> str:
    return f"{base.replace('http', 'ws')}/{guard.token}/ws"


async def open_tab(
    client: aiohttp.ClientSession, guard: GuardedServer, base: str, query: str = ""
) -> tuple[aiohttp.ClientWebSocketResponse, int]:
    """A tab opened from the page's own origin, and the pid of the one process it started."""
    tab = await client.ws_connect(socket_url(guard, base) + query, headers=own_origin(base))
    await until(lambda: any(s.pid for s in guard.sessions))
    (session,) = guard.sessions
    assert session.pid is not None
    return tab, session.pid


async def until(condition: object, seconds: float = 10.0) -> None:
    """Wait for a condition the server reaches by itself (a session ending)."""
    deadline = asyncio.get_running_loop().time() + seconds
    while not condition():  # type: ignore[operator]
        assert asyncio.get_running_loop().time() < deadline, "the condition never held"
        await asyncio.sleep(0.02)


async def test_every_request_without_the_token_is_refused() -> None:
    async with served() as (guard, base), aiohttp.ClientSession() as client:
        token = guard.token
        for path in ["/", "/ws", "/static/js/textual.js", f"/{token[:-1]}/", f"/x{token}/"]:
            async with client.get(base + path) as answer:
                assert answer.status == 403, path
        async with client.get(f"{base}/{token}/") as page:
            assert page.status == 200
            html = await page.text()
        assert (
            f'data-session-websocket-url="ws://127.0.0.1:{base.rsplit(":", 1)[1]}/{token}/ws"'
            in html
        )
        async with client.get(f"{base}/{token}/static/js/textual.js") as script:
            assert script.status == 200
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await client.ws_connect(base.replace("http", "ws") + "/ws", headers=own_origin(base))
        assert refused.value.status == 403
    assert len(guard.token) >= 32
    assert (
        GuardedServer([], host="127.0.0.1", port=1, max_sessions=1, idle_seconds=1).token
        != guard.token
    )


async def test_a_page_from_another_origin_or_host_name_cannot_open_the_socket() -> None:
    async with served() as (guard, base), aiohttp.ClientSession() as client:
        socket = socket_url(guard, base)
        for headers in [{"Origin": "https://evil.example"}, {}, {"Origin": "null"}]:
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await client.ws_connect(socket, headers=headers)
            assert refused.value.status == 403
        rebound = {"Host": f"evil.example:{base.rsplit(':', 1)[1]}"}
        async with client.get(f"{base}/{guard.token}/", headers=rebound) as page:
            assert page.status == 403  # DNS rebinding: a loopback server answers loopback names
        assert guard.sessions == set()


async def test_one_tab_more_than_max_sessions_gets_a_page_that_says_so() -> None:
    async with served(max_sessions=1) as (guard, base), aiohttp.ClientSession() as client:
        socket = socket_url(guard, base)
        first = await client.ws_connect(socket, headers=own_origin(base))
        await until(lambda: len(guard.sessions) == 1)
        async with client.get(f"{base}/{guard.token}/") as page:
            assert page.status == 503
            assert "1 dashboards are open, the most this server allows" in await page.text()
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await client.ws_connect(socket, headers=own_origin(base))
        assert refused.value.status == 503
        await first.close()
        await until(lambda: not guard.sessions)
        async with client.get(f"{base}/{guard.token}/") as page:
            assert page.status == 200


async def test_a_closed_tab_ends_and_reaps_its_process_even_one_that_ignores_sigterm() -> None:
    async with served(IGNORES_TERM) as (guard, base), aiohttp.ClientSession() as client:
        socket, pid = await open_tab(client, guard, base)
        assert alive(pid)
        await socket.close()
        await until(lambda: not guard.sessions)
        assert not alive(pid)


async def test_a_tab_left_idle_is_closed_and_its_process_reaped() -> None:
    async with (
        served(idle_seconds=0.3) as (guard, base),
        aiohttp.ClientSession() as client,
    ):
        socket, pid = await open_tab(client, guard, base)
        message = await socket.receive(timeout=10)
        assert message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
        await until(lambda: not guard.sessions)
        assert not alive(pid)


@pytest.mark.slow
async def test_the_dashboard_is_served_and_a_large_tab_closed_unread_leaves_no_process() -> None:
    dashboard = [sys.executable, "-m", "ssmtui", "--demo"]
    async with (
        served(dashboard, grace=(QUIT_GRACE, TERM_GRACE)) as (guard, base),
        aiohttp.ClientSession() as client,
    ):
        tab, _ = await open_tab(client, guard, base)
        drawn = b""
        while b"ssmtui" not in drawn:
            message = await tab.receive(timeout=30)
            assert message.type == aiohttp.WSMsgType.BINARY
            drawn += message.data
        await tab.close()
        await until(lambda: not guard.sessions)
        large, pid = await open_tab(client, guard, base, "?width=400&height=150")
        await large.close()  # nothing it drew was read
        await until(lambda: not guard.sessions)
        assert not alive(pid)
