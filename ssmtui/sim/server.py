"""The simulator on the wire: AWS JSON 1.1 over HTTP, as boto3 and the AWS CLI speak it.

Requests are POSTs with ``X-Amz-Target: AmazonSSM.<Operation>`` (or ``Logs_20140328.`` for
the CloudWatch Logs sliver), or GETs of S3 objects (``/<bucket>/<key>``, the output objects
the agent uploads, answered in S3's own XML on error); JSON answers are
``application/x-amz-json-1.1`` bodies, errors ``{"__type": code, "message": text}`` with HTTP
400 (5xx for server faults). Any credentials and region are accepted: signatures are not
checked.
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from aiohttp import web

from ssmtui.sim.api import SsmApi
from ssmtui.sim.clock import Clock
from ssmtui.sim.engine import Engine
from ssmtui.sim.errors import SimError
from ssmtui.sim.faults import Fault, FaultInjector
from ssmtui.sim.logs_api import LogsApi
from ssmtui.sim.s3_api import OPERATION as S3_OPERATION
from ssmtui.sim.s3_api import s3_error_xml
from ssmtui.sim.scenario import Scenario
from ssmtui.sim.tampering import HostileText, mistype
from ssmtui.sim.world import (
    STS_OPERATION,
    World,
    account_of,
    caller_identity,
    signed_access_key,
    signed_region,
    sts_error,
)

CONTENT_TYPE = "application/x-amz-json-1.1"
log = logging.getLogger("ssmtui.sim")


class SimServer:
    """One simulated SSM endpoint: engine, API, faults and an aiohttp server around them."""

    def __init__(
        self,
        scenario: Scenario,
        clock: Clock,
        *,
        seed: int = 0,
        host: str = "127.0.0.1",
        port: int = 0,
        start: datetime | None = None,
        regions: Sequence[str] = (),
    ) -> None:
        self.clock = clock
        begin = start or clock.now()
        self.worlds = {
            region: World(Engine(scenario, begin, seed=seed + index), clock)
            for index, region in enumerate(regions or ("",))
        }
        """One fleet per region the server was asked to serve (``regions``); without any, one
        fleet answers every region. A request goes to its region's fleet by the region in its
        signature, else to the first."""
        first = next(iter(self.worlds.values()))
        self.engine, self.api, self.logs, self.s3 = first.engine, first.api, first.logs, first.s3
        self.faults = FaultInjector(seed)
        self.hostile = HostileText()
        self.calls: Counter[str] = Counter()
        self.host = host
        self.port = port
        self._runner: web.AppRunner | None = None

    @property
    def endpoint(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def inject(self, fault: Fault) -> Fault:
        return self.faults.add(fault)

    async def start(self) -> str:
        app = web.Application(client_max_size=4 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(
            app, access_log=None, handle_signals=False, shutdown_timeout=1.0
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port, reuse_address=True)
        await site.start()
        sockets = getattr(site._server, "sockets", None) or []
        if sockets:
            self.port = sockets[0].getsockname()[1]
        return self.endpoint

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> SimServer:
        await self.start()
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.stop()

    def world(self, request: web.Request) -> tuple[str, World]:
        """The region a request was signed for, and the fleet that answers it."""
        region = signed_region(request.headers.get("Authorization", ""))
        return region, self.worlds.get(region) or next(iter(self.worlds.values()))

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        region, world = self.world(request)
        if request.method in ("GET", "HEAD") and "X-Amz-Target" not in request.headers:
            return await self._s3_get(request, region, world)
        if request.method == "POST" and "X-Amz-Target" not in request.headers:
            return await self._sts(request, region)
        target = request.headers.get("X-Amz-Target", "")
        prefix, _, operation = target.partition(".")
        api = world.apis.get(prefix)
        if request.method != "POST" or api is None or not operation:
            return _error(
                SimError(
                    "UnknownOperationException",
                    "Send POST requests with X-Amz-Target: AmazonSSM.<Operation>.",
                )
            )
        self.calls[operation] += 1
        body = await request.read()
        struck = self.faults.strike(operation, region)
        answer = await self._answer(api, operation, body, struck, request)
        if isinstance(answer, web.StreamResponse):
            return answer
        status, payload = answer
        if any(fault.kind == "mistyped" for fault in struck) and status == 200:
            payload = mistype(payload)
        if any(fault.kind == "hostile" for fault in struck):
            payload = self.hostile.dress(payload)
        return _json(status, payload)

    async def _sts(self, request: web.Request, region: str) -> web.StreamResponse:
        """STS GetCallerIdentity (the query protocol: a form POST, an XML answer): the
        account of the credentials that signed it. Faults strike it as any call."""
        form = await request.post()
        if form.get("Action") != "GetCallerIdentity":
            return sts_error("InvalidAction", "The simulator answers GetCallerIdentity only.")
        self.calls[STS_OPERATION] += 1
        for fault in self.faults.strike(STS_OPERATION, region):
            if fault.kind == "latency":
                await asyncio.sleep(fault.latency)
            else:
                return sts_error("AccessDenied", f"Injected {fault.kind}.")
        key = signed_access_key(request.headers.get("Authorization", ""))
        return caller_identity(account_of(key), key)

    async def _s3_get(self, request: web.Request, region: str, world: World) -> web.StreamResponse:
        """GetObject, path-style: ``/<bucket>/<key>``. Of the faults, a denial answers as S3
        does (403 AccessDenied, in XML); a latency delays it."""
        self.calls[S3_OPERATION] += 1
        for fault in self.faults.strike(S3_OPERATION, region):
            if fault.kind == "latency":
                await asyncio.sleep(fault.latency)
            elif fault.kind == "denied":
                return _s3_error(SimError("AccessDenied", "Access Denied", status=403))
        bucket, _, key = request.path.lstrip("/").partition("/")
        try:
            data = world.s3.get_object(bucket, key, self.clock.now().timestamp())
        except SimError as error:
            return _s3_error(error)
        return web.Response(body=data, content_type="binary/octet-stream")

    async def _answer(
        self,
        api: SsmApi | LogsApi,
        operation: str,
        body: bytes,
        struck: list[Fault],
        request: web.Request,
    ) -> tuple[int, dict[str, Any]] | web.StreamResponse:
        """The status and JSON of the answer, unless a fault answers for the service."""
        for fault in struck:
            answer = await self._apply(fault, request)
            if answer is not None:
                return answer
        try:
            params: Any = json.loads(body) if body.strip() else {}
        except ValueError:
            return _payload(SimError("SerializationException", "The request body is not JSON."))
        try:
            return 200, api.handle(operation, self.hostile.undress(params))
        except SimError as error:
            log.debug("%s -> %s: %s", operation, error.code, error.message)
            return _payload(error)
        except Exception:
            log.exception("the simulator failed on %s", operation)
            return _payload(SimError("InternalServerError", "The simulator failed.", status=500))

    async def _apply(
        self, fault: Fault, request: web.Request
    ) -> tuple[int, dict[str, Any]] | web.StreamResponse | None:
        """Carry out one fault; None means the request goes on (after a delay, or to be
        dressed or mistyped on its way back)."""
        if fault.kind in ("latency", "hostile", "mistyped"):
            await asyncio.sleep(fault.latency if fault.kind == "latency" else 0)
            return None
        if fault.kind == "throttle":
            return _payload(SimError("ThrottlingException", "Rate exceeded"))
        if fault.kind == "expired":
            return _payload(
                SimError(
                    "ExpiredTokenException", "The security token included in the request is expired"
                )
            )
        if fault.kind == "denied":
            return _payload(
                SimError(
                    "AccessDeniedException",
                    "User: arn:aws:sts::123456789012:assumed-role/ReadOnly/ops is not authorized "
                    "to perform: ssm:ListCommands because no identity-based policy allows it",
                )
            )
        if fault.kind == "reject":
            return _payload(SimError(fault.code, f"Injected {fault.code}."))
        if fault.kind == "error":
            code = "InternalServerError" if fault.status == 500 else "ServiceUnavailable"
            return _payload(SimError(code, "Injected server fault.", status=fault.status))
        if fault.kind == "malformed":
            return web.Response(
                status=200, body=b'{"Commands": [{"CommandId": "7c2c', content_type=CONTENT_TYPE
            )
        # drop: close the connection without an answer.
        if request.transport is not None:
            request.transport.abort()
        raise asyncio.CancelledError


def _json(status: int, payload: dict[str, Any]) -> web.Response:
    return web.Response(
        status=status,
        body=json.dumps(payload, separators=(",", ":")).encode(),
        content_type=CONTENT_TYPE,
        headers={"x-amzn-RequestId": str(uuid.uuid4())},
    )


def _payload(error: SimError) -> tuple[int, dict[str, Any]]:
    return error.status, {"__type": error.code, "message": error.message}


def _error(error: SimError) -> web.Response:
    return _json(*_payload(error))


def _s3_error(error: SimError) -> web.Response:
    return web.Response(
        status=error.status,
        text=s3_error_xml(error.code, error.message),
        content_type="application/xml",
    )
