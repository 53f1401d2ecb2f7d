"""Whether a host is this machine only: what ssmtui's servers listen on unless told, and the
only names a browser may reach the served page by."""

from __future__ import annotations

import ipaddress


def is_loopback(host: str) -> bool:
    """``127.0.0.1``, ``::1`` (bracketed or not), ``localhost`` or a name under it."""
    name = host.strip("[]").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False
