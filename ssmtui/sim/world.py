"""One region's fleet and the APIs that answer for it; and who signed a request.

The simulator may serve several regions (``ssmtui sim --region a,b``), each its own fleet, so a
client that polls several regions sees several fleets. Signatures are never checked, but the
region and access key in them are read: the region picks the fleet, the key the account that
STS GetCallerIdentity names.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from xml.sax.saxutils import escape

from aiohttp import web

from ssmtui.sim.api import SsmApi
from ssmtui.sim.clock import Clock
from ssmtui.sim.engine import Engine
from ssmtui.sim.logs_api import TARGET_PREFIX as LOGS_TARGET_PREFIX
from ssmtui.sim.logs_api import LogsApi
from ssmtui.sim.s3_api import S3Api

SSM_TARGET_PREFIX = "AmazonSSM"
STS_OPERATION = "GetCallerIdentity"
_CREDENTIAL = re.compile(r"Credential=([^/,\s]+)/\d{8}/([^/,\s]+)/")
_STS_NS = "https://sts.amazonaws.com/doc/2011-06-15/"


class World:
    """A region's fleet, with its SSM, CloudWatch Logs and S3 answers."""

    def __init__(self, engine: Engine, clock: Clock) -> None:
        self.engine = engine
        self.api = SsmApi(engine, clock)
        self.logs = LogsApi(engine, clock)
        self.s3 = S3Api(engine)
        self.apis: dict[str, SsmApi | LogsApi] = {
            SSM_TARGET_PREFIX: self.api,
            LOGS_TARGET_PREFIX: self.logs,
        }


def signed_region(authorization: str) -> str:
    """The region of a SigV4 ``Authorization`` header's credential scope; '' without one."""
    match = _CREDENTIAL.search(authorization)
    return match.group(2) if match else ""


def signed_access_key(authorization: str) -> str:
    match = _CREDENTIAL.search(authorization)
    return match.group(1) if match else ""


def account_of(access_key: str) -> str:
    """A 12-digit account id that stays the same for the same access key."""
    digest = hashlib.sha256(access_key.encode("utf-8", "replace")).hexdigest()
    return f"{int(digest, 16) % 10**12:012d}"


def caller_identity(account: str, access_key: str) -> web.Response:
    arn = f"arn:aws:iam::{account}:user/{escape(access_key) or 'anonymous'}"
    body = (
        f'<GetCallerIdentityResponse xmlns="{_STS_NS}"><GetCallerIdentityResult>'
        f"<Arn>{arn}</Arn><UserId>AIDA{account}</UserId><Account>{account}</Account>"
        "</GetCallerIdentityResult><ResponseMetadata>"
        f"<RequestId>{uuid.uuid4()}</RequestId></ResponseMetadata></GetCallerIdentityResponse>"
    )
    return web.Response(body=body.encode(), content_type="text/xml")


def sts_error(code: str, message: str) -> web.Response:
    body = (
        f'<ErrorResponse xmlns="{_STS_NS}"><Error><Type>Sender</Type><Code>{escape(code)}</Code>'
        f"<Message>{escape(message)}</Message></Error>"
        f"<RequestId>{uuid.uuid4()}</RequestId></ErrorResponse>"
    )
    return web.Response(status=403, body=body.encode(), content_type="text/xml")
