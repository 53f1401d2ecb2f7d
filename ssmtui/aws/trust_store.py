"""The TLS trust store, read once per process rather than once per client.

aiobotocore builds a fresh SSL context for every client's connection pool, and building one
parses the whole CA bundle: about 35 ms of CPU each. One process opens many clients (a reader
per profile and region, its CloudWatch Logs and S3 clients, each reader again after a
reconnect), and they all trust the same bundle. An SSL context is safe to share between
connections, event loops and threads once built, so the context of each ``verify`` setting is
built once and handed to every client asking for the same.

Only the plain case is shared: a client with a certificate of its own, or going through a
proxy (whose context aiobotocore amends with the proxy's own bundle and certificate), gets a
context of its own as before. Should aiobotocore rename the method overridden here, clients
simply build their own again: slower, never wrong.
"""

from __future__ import annotations

import ssl
import threading
from typing import Any

from aiobotocore.httpsession import AIOHTTPSession

_contexts: dict[object, ssl.SSLContext] = {}
_building = threading.Lock()  # aiobotocore builds contexts in worker threads


class SharedTrustSession(AIOHTTPSession):
    """aiobotocore's HTTP session, with the endpoint's SSL context shared (``AioConfig``'s
    ``http_session_cls``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._shared_key: object | None = (
            None if kwargs.get("client_cert") else ("verify", kwargs.get("verify", True))
        )

    def _build_ssl_contexts(self, proxy_url: str | None) -> Any:
        if proxy_url or self._shared_key is None:
            return super()._build_ssl_contexts(proxy_url)  # type: ignore[misc]  # not in the stubs
        with _building:
            context = _contexts.get(self._shared_key)
            if context is None:
                context, _ = super()._build_ssl_contexts(None)  # type: ignore[misc]
                _contexts[self._shared_key] = context
        return context, None
