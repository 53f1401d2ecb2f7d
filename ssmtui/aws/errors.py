"""AWS failures as one sentence an operator can act on.

Every exception botocore can raise on the read path is translated here, once, into an AwsError
with a kind (so the poller and the UI can react: retry, show a banner, exit) and a message that
says what to do. Text that came from AWS is neutralised, in the error itself, before anyone
quotes it.
"""

from __future__ import annotations

from enum import Enum

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    NoRegionError,
    PartialCredentialsError,
    ProfileNotFound,
    ReadTimeoutError,
    SSOError,
    TokenRetrievalError,
)

from ssmtui.model.text import neutralise


class ErrorKind(Enum):
    CONFIG = "config"
    CREDENTIALS = "credentials"
    ACCESS_DENIED = "access denied"
    THROTTLED = "throttled"
    UNREACHABLE = "unreachable"
    SERVER = "server error"
    MALFORMED = "malformed response"
    READ_ONLY = "read-only"
    REQUEST = "request"


class AwsError(Exception):
    """A failed AWS call, said in one sentence.

    The message and the code are neutralised here, once, whatever they quote (an error code,
    an id, a message the endpoint sent): a banner, stderr and the log show them as they are.
    """

    def __init__(self, kind: ErrorKind, message: str, code: str = "") -> None:
        message = neutralise(message, single_line=True)
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.code = neutralise(code, single_line=True)

    def __str__(self) -> str:
        return self.message


_EXPIRED = {"ExpiredToken", "ExpiredTokenException", "RequestExpired"}
_REJECTED = {
    "UnrecognizedClientException",
    "InvalidClientTokenId",
    "InvalidSignatureException",
    "SignatureDoesNotMatch",
    "IncompleteSignature",
}
_DENIED = {"AccessDeniedException", "AccessDenied", "UnauthorizedOperation"}
_THROTTLED = {
    "ThrottlingException",
    "Throttling",
    "TooManyRequestsException",
    "RequestLimitExceeded",
}


def translate(error: Exception, operation: str, endpoint: str, service: str = "ssm") -> AwsError:
    """The AwsError for anything botocore raised while calling ``operation`` of ``service``."""
    if isinstance(error, AwsError):
        return error
    if isinstance(error, ClientError):
        return _client_error(error, operation, service)
    if isinstance(error, ProfileNotFound):
        profile = error.kwargs.get("profile", "")
        return AwsError(
            ErrorKind.CONFIG,
            f"the AWS profile '{profile}' is not in your AWS config; "
            "check --profile or AWS_PROFILE",
        )
    if isinstance(error, NoRegionError):
        return AwsError(
            ErrorKind.CONFIG,
            "no AWS region is set: pass --region, set AWS_REGION, or add a region to the profile",
        )
    if isinstance(error, NoCredentialsError):
        return AwsError(
            ErrorKind.CREDENTIALS,
            "no AWS credentials were found: pass --profile, run 'aws configure' or "
            "'aws sso login', or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
        )
    if isinstance(error, PartialCredentialsError):
        return AwsError(ErrorKind.CREDENTIALS, f"the AWS credentials are incomplete: {error}")
    if isinstance(error, SSOError | TokenRetrievalError):
        return AwsError(
            ErrorKind.CREDENTIALS,
            "the AWS SSO session has expired or is missing: run 'aws sso login' for this profile",
        )
    if isinstance(error, ReadTimeoutError):
        return AwsError(ErrorKind.UNREACHABLE, f"{endpoint} did not answer {operation} in time")
    if isinstance(error, ConnectionClosedError):
        return AwsError(
            ErrorKind.UNREACHABLE, f"{endpoint} closed the connection before answering {operation}"
        )
    if isinstance(error, EndpointConnectionError | ConnectTimeoutError):
        return AwsError(
            ErrorKind.UNREACHABLE,
            f"cannot reach {endpoint}: check the network, --region or --endpoint-url",
        )
    if isinstance(error, BotoCoreError):
        return AwsError(ErrorKind.REQUEST, f"{operation} failed: {error}")
    return AwsError(ErrorKind.REQUEST, f"{operation} failed: {type(error).__name__}: {error}")


def _client_error(error: ClientError, operation: str, service: str) -> AwsError:
    details = error.response.get("Error", {})
    code = str(details.get("Code", "") or "")
    message = str(details.get("Message", "") or "")
    status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
    if code in _EXPIRED:
        return AwsError(
            ErrorKind.CREDENTIALS,
            "the AWS credentials have expired: refresh them ('aws sso login', or new session "
            "credentials)",
            code,
        )
    if code in _REJECTED:
        return AwsError(
            ErrorKind.CREDENTIALS,
            f"AWS rejected the credentials ({code}): check the access key, profile or clock",
            code,
        )
    if code in _DENIED:
        return AwsError(
            ErrorKind.ACCESS_DENIED,
            f"access denied to {service}:{operation}: the identity needs that permission"
            + (f" ({message})" if message else ""),
            code,
        )
    if code in _THROTTLED:
        return AwsError(
            ErrorKind.THROTTLED,
            f"AWS kept throttling {operation} after retries; try a longer --interval",
            code,
        )
    if isinstance(status, int) and status >= 500:
        return AwsError(
            ErrorKind.SERVER,
            f"AWS answered {operation} with a server error ({code or status})",
            code,
        )
    return AwsError(
        ErrorKind.REQUEST,
        f"{operation} failed: {code or status}" + (f": {message}" if message else ""),
        code,
    )
