"""What the fetch plan needs of whatever answers its calls.

``ssmtui.aws.client.SsmReader`` is the real one; the plan's unit tests use an in-memory reader
of their own that serves model records, so the plan is tested in milliseconds and without a
socket, while the simulator keeps the end-to-end tests honest.
"""

from __future__ import annotations

from typing import Any, Protocol

from ssmtui.aws.client import CallStats

Page = tuple[list[dict[str, Any]], str | None]
"""A call's records under its result key, and the NextToken to go on from, if any."""


class Reader(Protocol):
    stats: CallStats
    """Running totals of calls, requests, throttling and skipped records."""
    region: str
    endpoint: str

    async def call(self, operation: str, **params: Any) -> dict[str, Any]:
        """One call; AwsError on any failure."""
        ...

    async def page(self, operation: str, result_key: str, **params: Any) -> Page: ...

    async def pages(
        self, operation: str, result_key: str, *, max_pages: int | None = None, **params: Any
    ) -> Page:
        """Every page (or ``max_pages`` of them) from ``NextToken`` in ``params`` or the top."""
        ...

    async def log_events(
        self, group: str, stream: str, token: str | None
    ) -> tuple[list[dict[str, Any]], str | None]:
        """One GetLogEvents page of a stream from ``token`` (else from its head), and the
        nextForwardToken."""
        ...

    async def read_object(self, bucket: str, key: str, limit: int) -> tuple[bytes, int]:
        """The first ``limit`` bytes of an S3 object, and its whole size."""
        ...
