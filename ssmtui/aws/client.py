"""One aiobotocore client per (profile, region), opened and closed here, and nowhere else.

The reader is read-only by construction: a hook on the client refuses, before anything is
sent, every operation outside ``ALLOWED_OPERATIONS``, whoever holds the client. Every call is
counted and timed, every HTTP request too (so retries show), throttling is noticed, and a
record that does not fit the model is left out of its page and counted (``aws/records.py``),
for the poll's health line.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from functools import cache
from types import TracebackType
from typing import Any, Literal

from aiobotocore.config import AioConfig
from aiobotocore.session import AioSession
from botocore import xform_name
from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError, NoRegionError
from botocore.loaders import Loader, create_loader

from ssmtui import __version__
from ssmtui.aws.errors import AwsError, ErrorKind, translate
from ssmtui.aws.records import SKIPPED, screen_before_parse
from ssmtui.aws.trust_store import SharedTrustSession

ALLOWED_OPERATIONS: Mapping[str, frozenset[str]] = {
    "ssm": frozenset(
        {
            "ListCommands",
            "ListCommandInvocations",
            "GetCommandInvocation",
            "DescribeInstanceInformation",
        }
    ),
    "logs": frozenset({"GetLogEvents"}),
    "s3": frozenset({"GetObject"}),
    "sts": frozenset({"GetCallerIdentity"}),
}
OBJECT_LIMIT = 4 * 1024 * 1024
"""Bytes of an S3 output object read at most: a step's whole output is usually far less, and
a runaway log of gigabytes must not fill a jump host's memory."""
RetryMode = Literal["standard", "adaptive"]
"""botocore's retry modes. "standard" (the default here) retries throttling with exponential
backoff and jitter. "adaptive" adds a client-side token bucket that, once AWS has throttled,
keeps holding the client's own calls back for seconds after AWS has stopped (measured by
``benchmarks/recovery.py``): a poller that makes a few calls per interval gains nothing from it
and loses its quick recovery."""
_THROTTLING_CODES = {"ThrottlingException", "Throttling", "TooManyRequestsException"}


class ReadOnlyViolation(AwsError):
    """An attempt to call an operation ssmtui must never call."""

    def __init__(self, operation: str) -> None:
        super().__init__(
            ErrorKind.READ_ONLY,
            f"ssmtui is read-only and refused to call {operation}",
        )


@dataclass(frozen=True, slots=True)
class AwsTarget:
    """Where to connect: the standard credential chain picks the rest."""

    profile: str | None = None
    region: str | None = None
    endpoint_url: str | None = None
    access_key: str | None = None
    """Explicit credentials, for the embedded simulator only; real AWS uses the chain."""
    secret_key: str | None = None


@dataclass(slots=True)
class CallStats:
    """Running totals since the reader opened; the poller subtracts two to get one cycle's."""

    calls: Counter[str] = field(default_factory=Counter)
    requests: int = 0
    """HTTP requests sent: a call retried after throttling or a dropped connection is several."""
    throttled: int = 0
    seconds: float = 0.0
    skipped: int = 0
    """Records AWS sent that did not fit the model and were left out of their page."""
    last_skipped: str = ""
    """Why the latest of them was left out, in one sentence."""

    @property
    def retries(self) -> int:
        return max(0, self.requests - sum(self.calls.values()))

    def copy(self) -> CallStats:
        return CallStats(
            Counter(self.calls),
            self.requests,
            self.throttled,
            self.seconds,
            self.skipped,
            self.last_skipped,
        )

    def since(self, earlier: CallStats) -> CallStats:
        skipped = self.skipped - earlier.skipped
        return CallStats(
            self.calls - earlier.calls,
            self.requests - earlier.requests,
            self.throttled - earlier.throttled,
            self.seconds - earlier.seconds,
            skipped,
            self.last_skipped if skipped else "",
        )


def _refuse_mutations(model: Any, **_: Any) -> None:
    """botocore 'before-call' hook: nothing outside the allowlist leaves the machine."""
    service = model.service_model.service_name
    if model.name not in ALLOWED_OPERATIONS.get(service, frozenset()):
        raise ReadOnlyViolation(model.name)


@cache
def _service_models() -> Loader:
    """botocore's loader of service models and endpoint rules, shared by every reader of this
    process. Each session otherwise reads and parses the SSM model afresh (about 80 ms here);
    the data never changes while the process runs, and one process may open many readers
    (profiles, regions, tests)."""
    return create_loader()


class SsmReader:
    """Read-only access to SSM Run Command for one profile and region."""

    def __init__(
        self,
        target: AwsTarget,
        *,
        attempts: int = 3,
        retry_mode: RetryMode = "standard",
        connect_timeout: float = 5.0,
        read_timeout: float = 20.0,
    ) -> None:
        self.target = target
        self.stats = CallStats()
        self._config = AioConfig(
            retries={"mode": retry_mode, "total_max_attempts": attempts},
            connect_timeout=connect_timeout,
            read_timeout=read_timeout,
            user_agent_extra=f"ssmtui/{__version__}",
            http_session_cls=SharedTrustSession,
        )
        self._stack: AsyncExitStack | None = None
        self._client: Any = None
        self._session: AioSession | None = None
        self._others: dict[str, Any] = {}
        """Clients of the other services output lives in (CloudWatch Logs, S3), opened on
        first use: most sessions never need them."""
        self.region: str = ""
        self.endpoint: str = ""

    async def __aenter__(self) -> SsmReader:
        await self.open()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    async def open(self) -> None:
        """Resolve profile, region and credentials, and create the client; AwsError if not."""
        session = AioSession(profile=self.target.profile)
        session.register_component("data_loader", _service_models())
        try:
            session.get_scoped_config()  # an unknown profile fails here, not on the first call
            region = self.target.region or session.get_config_variable("region")
            if not region:
                raise NoRegionError()
            if self.target.access_key is None:
                await self._resolve_credentials(session, self.target.profile)
            stack = AsyncExitStack()
            self._client = await stack.enter_async_context(
                session.create_client(
                    "ssm",
                    region_name=region,
                    endpoint_url=self.target.endpoint_url,
                    aws_access_key_id=self.target.access_key,
                    aws_secret_access_key=self.target.secret_key,
                    config=self._config,
                )
            )
        except (BotoCoreError, ClientError) as error:
            raise translate(error, "connect", self.target.endpoint_url or "AWS") from None
        except ValueError as error:  # botocore's word for a malformed endpoint URL or region
            raise AwsError(
                ErrorKind.CONFIG, f"cannot use that endpoint or region: {error}"
            ) from None
        self._stack = stack
        self._session = session
        self.region = region
        self.endpoint = self._client.meta.endpoint_url
        self._watch(self._client)
        self._client.meta.events.register("before-parse.ssm", screen_before_parse)

    def _watch(self, client: Any) -> None:
        """The read-only hook and the counters, on every client this reader opens."""
        events = client.meta.events
        events.register("before-call", _refuse_mutations)
        events.register("before-send", self._count_request)
        events.register("needs-retry", self._count_retry)

    @staticmethod
    async def _resolve_credentials(session: AioSession, profile: str | None) -> None:
        """Fetch them now: botocore defers assume-role, SSO and the MFA prompt to the first
        call, which would come from under the dashboard. The session keeps what it got, and the
        client made from it uses the same credentials."""
        credentials = await session.get_credentials()
        if credentials is None:
            raise NoCredentialsError()
        try:
            await credentials.get_frozen_credentials()
        except (BotoCoreError, ClientError) as error:
            whose = f"profile '{profile}'" if profile else "the default credentials"
            cause = translate(error, "the credential request", "the credential service")
            reason = (
                "the credential service (STS or SSO) cannot be reached; check the network"
                if cause.kind is ErrorKind.UNREACHABLE
                else str(cause)
            )
            raise AwsError(
                cause.kind, f"cannot get AWS credentials for {whose}: {reason}"
            ) from None

    async def close(self) -> None:
        if self._stack is not None:
            await self._stack.aclose()
            self._stack = None
            self._client = None
            self._others = {}

    async def client_of(self, service: str) -> Any:
        """The client of ``service`` (logs, s3) in this reader's session, region and endpoint,
        opened on first use; its hooks refuse mutations as the SSM client's do."""
        if service in self._others:
            return self._others[service]
        if self._stack is None or self._session is None:
            raise RuntimeError("the reader is not open")
        config = self._config
        if service == "s3" and self.target.endpoint_url:  # an endpoint of one's own: paths
            config = config.merge(AioConfig(s3={"addressing_style": "path"}))
        session: Any = self._session  # typed per service name; this one is a variable
        client = await self._stack.enter_async_context(
            session.create_client(
                service,
                region_name=self.region,
                endpoint_url=self.target.endpoint_url,
                aws_access_key_id=self.target.access_key,
                aws_secret_access_key=self.target.secret_key,
                config=config,
            )
        )
        self._watch(client)
        self._others[service] = client
        return client

    async def log_events(
        self, group: str, stream: str, token: str | None
    ) -> tuple[list[dict[str, Any]], str | None]:
        """One GetLogEvents page of a stream, from the top or from ``token`` (its
        nextForwardToken), oldest first; AwsError on failure."""
        params: dict[str, Any] = {"logGroupName": group, "logStreamName": stream}
        params.update({"nextToken": token} if token else {"startFromHead": True})
        response = await self._send(await self.client_of("logs"), "logs", "GetLogEvents", params)
        events = response.get("events")
        if not isinstance(events, list):
            raise AwsError(ErrorKind.MALFORMED, "GetLogEvents answered without events")
        forward = response.get("nextForwardToken")
        token = forward if isinstance(forward, str) else None
        return [e for e in events if isinstance(e, dict)], token

    async def read_object(
        self, bucket: str, key: str, limit: int = OBJECT_LIMIT
    ) -> tuple[bytes, int]:
        """The first ``limit`` bytes of an S3 object, and its whole size; read as a stream,
        so a huge object costs ``limit`` bytes, not its size."""
        s3 = await self.client_of("s3")
        response = await self._send(s3, "s3", "GetObject", {"Bucket": bucket, "Key": key})
        body = response["Body"]
        try:
            data = await _read_up_to(body, limit)
        except Exception as error:
            raise translate(error, "GetObject", self.endpoint, "s3") from None
        finally:
            body.close()
        size = response.get("ContentLength")
        return data, size if isinstance(size, int) else len(data)

    async def account(self) -> str:
        """The AWS account of these credentials (STS GetCallerIdentity), for the status line
        and the account column; AwsError on failure."""
        response = await self._send(await self.client_of("sts"), "sts", "GetCallerIdentity", {})
        account = response.get("Account")
        if not isinstance(account, str):
            raise AwsError(ErrorKind.MALFORMED, "GetCallerIdentity answered without Account")
        return account

    async def _send(
        self, client: Any, service: str, operation: str, params: dict[str, Any]
    ) -> dict[str, Any]:
        """One call of ``client``, allowlisted, counted and timed, whatever its service."""
        if operation not in ALLOWED_OPERATIONS.get(service, frozenset()):
            raise ReadOnlyViolation(operation)
        self.stats.calls[operation] += 1
        began = time.perf_counter()
        try:
            response: dict[str, Any] = await getattr(client, xform_name(operation))(**params)
        except Exception as error:
            raise translate(error, operation, self.endpoint, service) from None
        finally:
            self.stats.seconds += time.perf_counter() - began
        return response

    @property
    def client(self) -> Any:
        """The raw aiobotocore client (its hooks still refuse mutations), for event hooks."""
        if self._client is None:
            raise RuntimeError("the reader is not open")
        return self._client

    def _count_request(self, **_: Any) -> None:
        self.stats.requests += 1

    def _count_retry(self, response: Any = None, **_: Any) -> None:
        if response is None:
            return
        parsed = response[1] if isinstance(response, tuple) and len(response) > 1 else {}
        code = parsed.get("Error", {}).get("Code") if isinstance(parsed, dict) else None
        if code in _THROTTLING_CODES:
            self.stats.throttled += 1

    async def call(self, operation: str, **params: Any) -> dict[str, Any]:
        """One call of an allowlisted SSM operation; AwsError on any failure."""
        response = await self._send(self.client, "ssm", operation, params)
        skipped = response.pop(SKIPPED, ())
        if skipped:
            self.stats.skipped += len(skipped)
            self.stats.last_skipped = skipped[-1]
        return response

    async def page(
        self, operation: str, result_key: str, **params: Any
    ) -> tuple[list[dict[str, Any]], str | None]:
        """One call's items under ``result_key``, and its NextToken if there is one.

        botocore returns no keys at all for a 200 whose body is not JSON, so a missing list
        is a malformed answer, not an empty one.
        """
        response = await self.call(operation, **params)
        batch = response.get(result_key)
        if not isinstance(batch, list):
            raise AwsError(
                ErrorKind.MALFORMED,
                f"{operation} answered without {result_key}: not a valid SSM response",
            )
        token = response.get("NextToken")
        items = [item for item in batch if isinstance(item, dict)]
        return items, token if isinstance(token, str) and token else None

    async def pages(
        self, operation: str, result_key: str, *, max_pages: int | None = None, **params: Any
    ) -> tuple[list[dict[str, Any]], str | None]:
        """Items of every page (or of ``max_pages``), and the token to go on from, if any."""
        return await follow_pages(self.page, operation, result_key, max_pages, params)


PageCall = Callable[..., Awaitable[tuple[list[dict[str, Any]], str | None]]]


async def follow_pages(
    page: PageCall,
    operation: str,
    result_key: str,
    max_pages: int | None,
    params: dict[str, Any],
) -> tuple[list[dict[str, Any]], str | None]:
    """``page`` called again with each NextToken, up to ``max_pages`` calls: every reader
    pages the same way."""
    items: list[dict[str, Any]] = []
    calls = 0
    while True:
        batch, token = await page(operation, result_key, **params)
        items += batch
        calls += 1
        if token is None or (max_pages is not None and calls >= max_pages):
            return items, token
        params = {**params, "NextToken": token}


async def _read_up_to(body: Any, limit: int) -> bytes:
    """Up to ``limit`` bytes of a streamed body: one ``read`` gives what one network chunk
    held, so read on until the limit or the end."""
    chunks: list[bytes] = []
    got = 0
    while got < limit:
        chunk: bytes = await body.read(limit - got)
        if not chunk:
            break
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)
