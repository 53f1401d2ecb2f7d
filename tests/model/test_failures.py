"""Failures grouped by what failed, on the errors real fleets write."""

# ruff: noqa: E501 (the error texts keep their real, long lines)

from __future__ import annotations

from dataclasses import replace

from ssmtui.model.failures import (
    cluster_failures,
    error_signature,
    failure_key,
    mask,
)
from ssmtui.model.output_limits import LISTED_STDERR_RULE
from ssmtui.model.status import InvocationStatus, PluginStatus
from ssmtui.model.types import Invocation, PluginResult

APT = """\
WARNING: apt does not have a stable CLI interface. Use with caution in scripts.
E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process {pid} (apt-get)
E: Unable to acquire the dpkg frontend lock (/var/lib/dpkg/lock-frontend), is another process using it?
failed to run commands: exit status 100"""
DNF = """\
Last metadata expiration check: 0:{m:02d}:11 ago on Tue 24 Nov 2026 08:{m:02d}:02 AM UTC.
Error: Failed to download metadata for repo 'appstream': Cannot download repomd.xml: Curl error (28): Timeout was reached for http://10.0.{n}.5/appstream/repodata/repomd.xml [Connection timed out after 30001 milliseconds]"""
POWERSHELL = """\
Get-Service : Cannot find any service with service name 'W3SVC'.
At C:\\ProgramData\\Amazon\\SSM\\InstanceData\\{instance}\\document\\orchestration\\{uuid}\\awsrunPowerShellScript\\0.awsrunPowerShellScript\\_script.ps1:1 char:1
+ Get-Service W3SVC
+ ~~~~~~~~~~~~~~~~~
    + CategoryInfo          : ObjectNotFound: (W3SVC:String) [Get-Service], ServiceCommandException
    + FullyQualifiedErrorId : NoServiceFoundForGivenName,Microsoft.PowerShell.Commands.GetServiceCommand"""
PATCH = """\
Traceback (most recent call last):
  File "/var/log/amazon/ssm/patch-baseline-operations/common_os_selector_methods.py", line {line}, in _install
Exception: Failed to install package kernel-5.10.{n}-183.736.amzn2.x86_64 on {host} at 2026-11-24T08:{m:02d}:41Z"""
SCRIPT = "checking /etc/app/config.yml\nconfig.yml: key 'port' missing\nfailed to run commands: exit status 3"


def failed(
    instance: str, step: str, code: int, *, stderr: str = "", stdout: str = ""
) -> Invocation:
    plugin = PluginResult(
        step,
        PluginStatus.FAILED,
        "Failed",
        code,
        output=stdout + (f"\n{LISTED_STDERR_RULE}\n" + stderr if stderr else ""),
    )
    return Invocation("c", instance, InvocationStatus.FAILED, "Failed", plugins=(plugin,))


def never_ran(instance: str, details: str) -> Invocation:
    status = InvocationStatus.TIMED_OUT if "Timed" in details else InvocationStatus.FAILED
    pending = PluginResult("run", PluginStatus(status), details)
    return Invocation("c", instance, status, details, plugins=(pending,))


def killed(instance: str, code: int, last_line: str) -> Invocation:
    plugin = PluginResult(
        "run", PluginStatus.TIMED_OUT, "Execution Timed Out", code, output=last_line
    )
    return Invocation(
        "c", instance, InvocationStatus.TIMED_OUT, "Execution Timed Out", plugins=(plugin,)
    )


def test_what_differs_from_host_to_host_is_masked() -> None:
    assert mask("held by process 4242 on 10.0.3.17:8080 at 08:15:02") == (
        "held by process N on <ip> at <time>"
    )
    assert mask("i-0a1b2c3d4e5f60718 and ip-10-0-1-23.ec2.internal") == "<id> and <host>"
    assert mask("sha 9f86d081884c7d65 in 3f2a1b7c-1111-4a2b-8c3d-0123456789ab") == (
        "sha <hex> in <uuid>"
    )
    assert mask("kernel-5.10.192-183.736.amzn2 for W3SVC") == "kernel-N.N.N-N.N.amzn2 for W3SVC"


def test_the_line_that_says_error_is_the_signature() -> None:
    assert error_signature(APT.format(pid=812)) == (
        "E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process N (apt-get)"
    )
    assert error_signature(DNF.format(m=7, n=9)).startswith(
        "Error: Failed to download metadata for repo 'appstream'"
    )
    powershell = POWERSHELL.format(
        instance="i-0a1b2c3d4e5f60718", uuid="3f2a1b7c-1111-4a2b-8c3d-0123456789ab"
    )
    assert error_signature(powershell) == (
        "Get-Service : Cannot find any service with service name 'W3SVC'."
    )
    patch = PATCH.format(line=88, n=192, host="ip-10-0-1-23", m=3)
    assert error_signature(patch) == (
        "Exception: Failed to install package kernel-N.N.N-N.N.amzn2.x86_64 on <host> at <time>"
    )
    assert error_signature(SCRIPT) == "config.yml: key 'port' missing"
    assert error_signature("") == ""


def test_the_same_failure_on_many_hosts_is_one_cluster_largest_first() -> None:
    fleet = [
        *(failed(f"i-a{n:02d}", "install", 100, stderr=APT.format(pid=800 + n)) for n in range(5)),
        *(failed(f"i-b{n:02d}", "install", 1, stderr=DNF.format(m=n, n=n)) for n in range(3)),
        failed("i-c00", "check", 3, stdout=SCRIPT),
        never_ran("i-d00", "Undeliverable"),
        never_ran("i-d01", "Delivery Timed Out"),
        killed("i-e00", 137, "processed 1200 files"),
        killed("i-e01", 137, "processed 88 files"),
        Invocation("c", "i-f00", InvocationStatus.SUCCESS, "Success"),
        Invocation("c", "i-g00", InvocationStatus.IN_PROGRESS, "In Progress"),
    ]
    clusters = cluster_failures(fleet)
    assert [(c.step, c.response_code, c.count) for c in clusters] == [
        ("install", 100, 5),
        ("install", 1, 3),
        ("run", 137, 2),  # killed: grouped by the time-out, not by where each one was
        ("", None, 1),
        ("", None, 1),
        ("check", 3, 1),
    ]
    apt = clusters[0]
    assert apt.example == "i-a00"
    assert apt.status == "Failed"
    assert apt.instances == tuple(f"i-a{n:02d}" for n in range(5))
    assert clusters[2].signature == "Execution Timed Out"
    assert {c.signature for c in clusters if not c.step} == {"Undeliverable", "Delivery Timed Out"}


def test_fetched_stderr_is_read_before_the_listed_output() -> None:
    listed = failed("i-1", "run", 1, stderr="Error: listed")
    fetched = PluginResult(
        "run", PluginStatus.FAILED, "Failed", 1, output="x", stdout="ok", stderr="Error: fetched"
    )
    assert failure_key(listed)[2] == "Error: listed"
    assert failure_key(replace(listed, plugins=(fetched,)))[2] == "Error: fetched"
