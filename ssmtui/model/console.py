"""Where the AWS console shows a command or one instance's invocation of it.

The Run Command pages of the Systems Manager console take the command id, then the instance
id, in the path, and the region as a parameter. The console's host differs by partition:
China and GovCloud regions have consoles of their own.
"""

from __future__ import annotations

from urllib.parse import quote, urlparse

_CONSOLE_BY_PREFIX = (
    ("cn-", "console.amazonaws.cn"),
    ("us-gov-", "console.amazonaws-us-gov.com"),
)


def console_host(region: str) -> str:
    for prefix, host in _CONSOLE_BY_PREFIX:
        if region.startswith(prefix):
            return f"{region}.{host}"
    return f"{region}.console.aws.amazon.com"


def console_url(region: str, command_id: str, instance_id: str | None = None) -> str:
    """The console page of the command, or of its invocation on ``instance_id``."""
    path = quote(command_id, safe="")
    if instance_id:
        path += f"/{quote(instance_id, safe='')}"
    region_part = quote(region, safe="")
    return f"https://{console_host(region)}/systems-manager/run-command/{path}?region={region_part}"


def is_aws_endpoint(endpoint: str) -> bool:
    """Whether ``endpoint`` is one of AWS's own (the console only knows those)."""
    host = urlparse(endpoint).hostname or ""
    return host.endswith((".amazonaws.com", ".amazonaws.com.cn", ".api.aws"))
