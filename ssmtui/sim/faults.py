"""Fault injection: the failures a real endpoint produces, on a schedule or at a rate.

A client is only as good as its behaviour on a bad day, so the simulator can throttle, fail
with 5xx, answer slowly, drop connections, reject expired credentials and send malformed bodies.
Faults are added from tests (``FaultInjector.add``) or the command line (``--fault SPEC``).
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

KINDS = (
    "throttle",
    "error",
    "latency",
    "drop",
    "expired",
    "denied",
    "reject",
    "malformed",
    "mistyped",
    "hostile",
)
FAULT_SPEC_HELP = (
    "KIND[:OPTION=VALUE,...] where KIND is throttle, error, latency, drop, expired, denied, "
    "reject, malformed, mistyped or hostile and the options are rate=0..1, every=N, after=N, "
    "count=N, op=OPERATION, from=SECONDS, for=SECONDS, status=5xx (error), ms=N (latency), "
    "code=CODE (reject), region=REGION (only that region's requests); e.g. throttle:rate=0.3 "
    "or error:every=5,status=503 or "
    "latency:ms=800,op=ListCommandInvocations"
)


@dataclass(slots=True)
class Fault:
    """One kind of failure and when it strikes.

    A request that matches ``operation`` (any when None) is a candidate; the first ``after``
    candidates pass, then every ``every``-th one (or each with probability ``rate``) gets the
    fault, at most ``count`` times in all, and only inside the window ``start``..``start+for``
    seconds after the injector was created, when one is given.
    """

    kind: str
    rate: float = 1.0
    every: int | None = None
    after: int = 0
    count: int | None = None
    operation: str | None = None
    start: float = 0.0
    duration: float | None = None
    status: int = 500
    latency: float = 1.0
    code: str = "ValidationException"
    """The error code a ``reject`` fault answers with (HTTP 400)."""
    region: str | None = None
    """Only requests signed for this region (any when None)."""
    seen: int = field(default=0, init=False)
    fired: int = field(default=0, init=False)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(
                f"unknown fault kind {self.kind!r}; expected one of {', '.join(KINDS)}"
            )
        if not 0 <= self.rate <= 1:
            raise ValueError("rate must be from 0 to 1")
        if self.every is not None and self.every < 1:
            raise ValueError("every must be 1 or more")
        if self.after < 0 or (self.count is not None and self.count < 0):
            raise ValueError("after and count must be zero or more")
        for name, unit, seconds in (
            ("from", "seconds", self.start),
            ("for", "seconds", self.duration),
            ("ms", "milliseconds", self.latency),
        ):
            if seconds is not None and not 0 <= seconds < math.inf:  # also rejects nan
                raise ValueError(f"{name} must be a number of {unit}, zero or more")
        if not 500 <= self.status <= 599:
            raise ValueError("status must be a 5xx HTTP status")


class FaultInjector:
    """Decides, request by request, which faults strike."""

    def __init__(self, seed: int = 0, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.faults: list[Fault] = []
        self._rng = random.Random(seed)
        self._monotonic = monotonic
        self.origin = monotonic()
        """The moment (``monotonic``) that faults' ``start`` and ``duration`` count from."""

    def add(self, fault: Fault) -> Fault:
        self.faults.append(fault)
        return fault

    def clear(self) -> None:
        self.faults.clear()

    def strike(self, operation: str, region: str = "") -> list[Fault]:
        """The faults this request meets, in the order they were added."""
        elapsed = self._monotonic() - self.origin
        struck = []
        for fault in self.faults:
            if fault.operation not in (None, operation) or fault.region not in (None, region):
                continue
            if elapsed < fault.start or (
                fault.duration is not None and elapsed > fault.start + fault.duration
            ):
                continue
            fault.seen += 1
            if fault.seen <= fault.after:
                continue
            if fault.count is not None and fault.fired >= fault.count:
                continue
            if fault.every is not None:
                hit = (fault.seen - fault.after) % fault.every == 0
            else:
                hit = fault.rate >= 1 or self._rng.random() < fault.rate
            if hit:
                fault.fired += 1
                struck.append(fault)
        return struck


def parse_fault(spec: str) -> Fault:
    """A Fault from its command-line form; raises ValueError with a sentence on bad input."""
    kind, _, options = spec.partition(":")
    values: dict[str, object] = {}
    readers: dict[str, tuple[str, Callable[[str], object]]] = {
        "rate": ("rate", float),
        "every": ("every", int),
        "after": ("after", int),
        "count": ("count", int),
        "op": ("operation", str),
        "from": ("start", float),
        "for": ("duration", float),
        "status": ("status", int),
        "ms": ("latency", lambda text: int(text) / 1000),
        "code": ("code", str),
        "region": ("region", str),
    }
    for option in filter(None, options.split(",")):
        name, equals, text = option.partition("=")
        if not equals or name not in readers:
            raise ValueError(f"bad fault option {option!r} in {spec!r}; expected {FAULT_SPEC_HELP}")
        attribute, reader = readers[name]
        try:
            values[attribute] = reader(text)
        except ValueError:
            raise ValueError(f"bad value {text!r} for {name} in fault {spec!r}") from None
    try:
        return Fault(kind=kind, **values)  # type: ignore[arg-type]
    except ValueError as error:
        raise ValueError(f"bad fault {spec!r}: {error}") from None
