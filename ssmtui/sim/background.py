"""A simulator on its own thread and event loop, for synchronous callers.

boto3 and the AWS CLI block; a simulator on the caller's own event loop could never answer
them. Tests and benchmarks that drive it with blocking clients run it here instead.
"""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import Future
from types import TracebackType

from ssmtui.sim.server import SimServer


class BackgroundSim:
    """Runs ``server`` on a daemon thread from ``__enter__`` until ``__exit__``."""

    def __init__(self, server: SimServer) -> None:
        self.server = server
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="ssmtui-sim", daemon=True
        )

    @property
    def endpoint(self) -> str:
        return self.server.endpoint

    def __enter__(self) -> BackgroundSim:
        self._thread.start()
        started: Future[str] = asyncio.run_coroutine_threadsafe(self.server.start(), self._loop)
        started.result(timeout=30)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        asyncio.run_coroutine_threadsafe(self.server.stop(), self._loop).result(timeout=30)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=30)
        self._loop.close()
