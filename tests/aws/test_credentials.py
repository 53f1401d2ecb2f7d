"""Credentials resolve when the reader opens, before the dashboard takes the screen."""

from __future__ import annotations

from pathlib import Path

import pytest

from ssmtui.aws.client import AwsTarget, SsmReader
from ssmtui.aws.errors import AwsError
from tests.cli_runner import Run

ROLE_PROFILES = """\
[profile base]
aws_access_key_id = testing
aws_secret_access_key = testing
[profile ops]
role_arn = arn:aws:iam::123456789012:role/ops
source_profile = base
region = eu-west-1
"""
UNREACHABLE_STS = (
    "cannot get AWS credentials for profile 'ops': "
    "the credential service (STS or SSO) cannot be reached; check the network"
)


@pytest.fixture
def role_without_sts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Profile ``ops`` assumes a role through an STS that cannot be reached, tried once."""
    config = tmp_path / "config"
    config.write_text(ROLE_PROFILES)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    monkeypatch.setenv("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:9")
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")


@pytest.mark.usefixtures("role_without_sts")
async def test_an_assumed_role_is_resolved_when_the_reader_opens() -> None:
    """botocore defers assume-role (and SSO, and the MFA prompt) to the first call; that call
    would come from under the dashboard. Here STS is unreachable, so opening must fail."""
    reader = SsmReader(AwsTarget(profile="ops"))
    with pytest.raises(AwsError) as raised:
        await reader.open()
    assert str(raised.value) == UNREACHABLE_STS
    await reader.close()


@pytest.mark.parametrize("job", [["snapshot"], []], ids=["snapshot", "dashboard"])
@pytest.mark.usefixtures("role_without_sts")
def test_a_role_that_cannot_be_assumed_is_one_sentence(ssmtui: Run, job: list[str]) -> None:
    result = ssmtui(*job, "--profile", "ops")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"ssmtui{' snapshot' if job else ''}: {UNREACHABLE_STS}"]
