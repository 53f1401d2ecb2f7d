"""Clients of one process share the SSL context of their trust store, unless they need their
own (a client certificate, a proxy)."""

from __future__ import annotations

import ssl
from pathlib import Path

import pytest
from botocore.httpsession import DEFAULT_CA_BUNDLE

from ssmtui.aws import trust_store
from ssmtui.aws.client import SsmReader
from ssmtui.aws.errors import AwsError
from ssmtui.aws.trust_store import SharedTrustSession
from ssmtui.sim.server import SimServer
from tests.aws_fixtures import target_for


@pytest.fixture(autouse=True)
def no_context_built_yet(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(trust_store, "_contexts", {})


def context_of(session: SharedTrustSession, proxy_url: str | None = None) -> ssl.SSLContext:
    context, _ = session._build_ssl_contexts(proxy_url)
    assert isinstance(context, ssl.SSLContext)
    return context


def test_sessions_that_trust_the_same_bundle_share_one_verifying_context() -> None:
    first = context_of(SharedTrustSession(verify=True))
    assert context_of(SharedTrustSession(verify=True)) is first
    assert first.verify_mode == ssl.CERT_REQUIRED
    assert first.check_hostname
    assert first.get_ca_certs()  # the bundle was loaded into it

    own_bundle = context_of(SharedTrustSession(verify=DEFAULT_CA_BUNDLE))
    unverified = context_of(SharedTrustSession(verify=False))
    assert own_bundle is not first
    assert unverified is not first
    assert unverified.verify_mode == ssl.CERT_NONE


def test_a_client_certificate_or_a_proxy_gets_a_context_of_its_own(tmp_path: Path) -> None:
    shared = context_of(SharedTrustSession(verify=True))
    through_proxy = SharedTrustSession(verify=True)
    assert context_of(through_proxy, "http://proxy.internal:3128") is not shared

    missing = tmp_path / "client.pem"
    with pytest.raises(FileNotFoundError):  # its certificate is loaded into its own context
        context_of(SharedTrustSession(verify=True, client_cert=str(missing)))
    assert context_of(SharedTrustSession(verify=True)) is shared  # and never into the shared


async def test_every_client_the_readers_open_uses_the_one_context(server: SimServer) -> None:
    async with (
        SsmReader(target_for(server.endpoint)) as first,
        SsmReader(target_for(server.endpoint)) as second,
    ):
        await first.call("ListCommands")
        await second.call("ListCommands")
        with pytest.raises(AwsError, match="log"):  # no such group: the answer is not the point
            await second.log_events("no-such-group", "stream", None)
    assert len(trust_store._contexts) == 1  # SSM twice and CloudWatch Logs: one bundle read
