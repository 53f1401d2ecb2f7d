"""Opaque, signed pagination tokens that point after the last item of a page.

A token is a cursor (the sort key of the last item returned), not an offset, so pages stay
correct while new commands arrive between calls. It is bound to the operation and the query
that produced it; anything else, or a tampered token, answers InvalidNextToken like AWS.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

from ssmtui.sim.errors import SimError


class TokenCodec:
    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    def encode(self, operation: str, query: str, cursor: list[Any]) -> str:
        body = json.dumps([operation, query, cursor], separators=(",", ":")).encode()
        signature = hmac.new(self._secret, body, hashlib.sha256).digest()[:12]
        return base64.urlsafe_b64encode(signature + body).decode().rstrip("=")

    def decode(self, token: str, operation: str, query: str) -> list[Any]:
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            signature, body = raw[:12], raw[12:]
            expected = hmac.new(self._secret, body, hashlib.sha256).digest()[:12]
            if not hmac.compare_digest(signature, expected):
                raise ValueError("bad signature")
            token_operation, token_query, cursor = json.loads(body)
        except (ValueError, TypeError) as error:
            raise SimError("InvalidNextToken", "The specified token isn't valid.") from error
        if token_operation != operation or token_query != query or not isinstance(cursor, list):
            raise SimError("InvalidNextToken", "The specified token isn't valid.")
        return cursor


def query_fingerprint(params: dict[str, Any]) -> str:
    """What a token is bound to: every parameter but the page size and the token itself."""
    relevant = {k: v for k, v in params.items() if k not in ("NextToken", "MaxResults")}
    encoded = json.dumps(relevant, sort_keys=True, separators=(",", ":")).encode()
    return hashlib.sha256(encoded).hexdigest()[:16]
