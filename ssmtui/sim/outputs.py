"""Realistic stdout and stderr for simulated plugins.

Output is generated from a seeded random source on demand, never stored, so a fleet of 20,000
instances costs no memory for it and the same (seed, command, instance, step) always reads the
same. Some generators write more than the API returns (24,000 characters of stdout, 8,000 of
stderr) so that clients meet truncation; some write ANSI colour, as real scripts do.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

ESC = "\x1b"


@dataclass(frozen=True, slots=True)
class OutputContext:
    instance_id: str
    instance_name: str
    platform: str
    step: str
    exit_code: int
    """0 for success, the script's exit code for a failure, None-like 137 for a kill."""


Generator = Callable[[random.Random, OutputContext], tuple[str, str]]

_PACKAGES = (
    "openssl",
    "curl",
    "kernel",
    "glibc",
    "sudo",
    "openssh-server",
    "python3",
    "tzdata",
    "libxml2",
    "systemd",
    "bind-utils",
    "ca-certificates",
    "vim-minimal",
    "rsync",
    "git",
)
_SERVICES = ("nginx", "sshd", "amazon-ssm-agent", "chronyd", "crond", "node-exporter", "app")
_WIN_SERVICES = ("W3SVC", "WinRM", "AmazonSSMAgent", "Spooler", "MSSQLSERVER", "wuauserv")
_TRANSACTION_CHECKS = "".join(f"\n    Running transaction check ({step}/4)" for step in range(1, 5))
_KBS = ("KB5044284", "KB5043050", "KB5042881", "KB5041578", "KB5040437", "KB5039217")


def _shell_failure(rng: random.Random, ctx: OutputContext) -> str:
    reason = rng.choice(
        (
            "curl: (7) Failed to connect to artifacts.internal port 443: Connection refused",
            "mkdir: cannot create directory '/opt/app/releases': No space left on device",
            "Job for app.service failed because the control process exited with error code.",
            "E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 2114 (apt)",
            "/var/lib/amazon/ssm/script: line 4: jq: command not found",
        )
    )
    return f"{reason}\nfailed to run commands: exit status {ctx.exit_code}"


def shell(rng: random.Random, ctx: OutputContext) -> tuple[str, str]:
    lines = [
        f"host: {ctx.instance_name or ctx.instance_id}",
        f" {rng.randint(8, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d} up "
        f"{rng.randint(1, 400)} days,  load average: {rng.random():.2f}, {rng.random():.2f}, "
        f"{rng.random():.2f}",
    ]
    for service in rng.sample(_SERVICES, 3):
        lines.append(
            f"{ESC}[0;1;32m●{ESC}[0m {service}.service - {service}\n"
            f"     Active: {ESC}[0;1;32mactive (running){ESC}[0m since Mon; {rng.randint(2, 90)}"
            " days ago"
        )
    stderr = _shell_failure(rng, ctx) if ctx.exit_code else ""
    return "\n".join(lines) + "\n", stderr


def disk(rng: random.Random, ctx: OutputContext) -> tuple[str, str]:
    rows = ["Filesystem      Size  Used Avail Use% Mounted on"]
    for mount in ("/", "/boot", "/var", "/opt/app", "/data"):
        size = rng.choice((8, 20, 50, 100, 500))
        used = round(size * rng.uniform(0.1, 0.99), 1)
        rows.append(
            f"/dev/nvme0n1p{len(rows)}  {size:>4}G {used:>5}G {size - used:>5.1f}G "
            f"{int(100 * used / size):>3}% {mount}"
        )
    stderr = _shell_failure(rng, ctx) if ctx.exit_code else ""
    return "\n".join(rows) + "\n", stderr


def logs(rng: random.Random, ctx: OutputContext) -> tuple[str, str]:
    """A log dump longer than GetCommandInvocation returns, so clients see the cut."""
    lines = []
    for i in range(rng.randint(500, 900)):
        level = rng.choices(("INFO", "WARN", "ERROR"), weights=(90, 8, 2))[0]
        lines.append(
            f"2026-11-27T0{rng.randint(0, 7)}:{rng.randint(10, 59)}:{rng.randint(10, 59)}Z "
            f"{level:<5} [worker-{rng.randint(1, 16)}] request {i} handled in "
            f"{rng.randint(1, 900)} ms path=/api/v2/items/{rng.randint(1, 99999)}"
        )
    stderr = ""
    if ctx.exit_code:
        stderr = "\n".join(
            f"tail: warning: file /var/log/app/app-{i}.log truncated" for i in range(260)
        )
        stderr += "\n" + _shell_failure(rng, ctx)
    return "\n".join(lines) + "\n", stderr


def powershell(rng: random.Random, ctx: OutputContext) -> tuple[str, str]:
    rows = [
        "",
        "Status   Name               DisplayName",
        "------   ----               -----------",
    ]
    for service in _WIN_SERVICES:
        state = "Running" if rng.random() > 0.1 else "Stopped"
        rows.append(f"{state:<8} {service:<18} {service} service")
    stderr = ""
    if ctx.exit_code:
        stderr = (
            "Restart-Service : Service 'World Wide Web Publishing Service (W3SVC)' cannot be "
            "started due to the following error: Cannot start service W3SVC on computer '.'.\r\n"
            "At C:\\ProgramData\\Amazon\\SSM\\InstanceData\\script\\_script.ps1:3 char:1\r\n"
            "+ Restart-Service W3SVC\r\n"
            "    + CategoryInfo          : OpenError: (System.ServiceProcess.ServiceController:"
            "ServiceController) [Restart-Service], ServiceCommandException\r\n"
            "failed to run commands: exit status 1"
        )
    return "\r\n".join(rows) + "\r\n", stderr


def patch(rng: random.Random, ctx: OutputContext) -> tuple[str, str]:
    if ctx.platform == "Windows":
        updates = rng.sample(_KBS, rng.randint(1, len(_KBS)))
        lines = [
            "Patch Summary for " + (ctx.instance_name or ctx.instance_id),
            "PatchGroup          : prod",
            "BaselineId          : pb-0c10e65780a5b4d7e",
            "Operation           : Install",
            "",
            f"InstalledCount      : {len(updates)}",
            "MissingCount        : 0",
            f"FailedCount         : {1 if ctx.exit_code else 0}",
            "NotApplicableCount  : 1438",
        ]
        lines += [f"  Installing {kb} ... done" for kb in updates]
    else:
        updates = rng.sample(_PACKAGES, rng.randint(2, len(_PACKAGES)))
        lines = [
            "/usr/bin/python3",
            "/usr/bin/yum",
            "Using Yum version: 4.14.0",
            "Loading patch snapshot from snapshot.json",
            "Instance Id: " + ctx.instance_id,
            "Operation type: Install, reboot option: RebootIfNeeded",
            f"{rng.randint(1100, 1700)} package(s) installed, {len(updates)} to update",
        ]
        version = rng.getrandbits(32)
        for index, package in enumerate(updates):
            minor = (version >> index) % 40
            lines.append(f"  Upgrading: {package}-{1 + index % 9}.{minor}{_TRANSACTION_CHECKS}")
        verifying = "\n".join(f"  Verifying : {p}" for p in updates)
        lines += [verifying] * rng.randint(20, 60)  # long, as real patch logs are
        lines.append("Reboot required: " + ("yes" if "kernel" in updates else "no"))
    stderr = ""
    if ctx.exit_code:
        stderr = (
            "ERROR: Package installation failed: Cannot download repomd.xml: Curl error (28):"
            " Timeout was reached\nfailed to run commands: exit status 1"
        )
    return "\n".join(lines) + "\n", stderr


def deploy(rng: random.Random, ctx: OutputContext) -> tuple[str, str]:
    release = f"2026.11.{rng.randint(1, 27)}-{rng.randint(100, 999)}"
    messages = {
        "stopService": [f"Stopping app.service on {ctx.instance_name}", "app.service stopped"],
        "download": [
            f"Downloading s3://deploy-artifacts/app/{release}.tar.gz",
            f"Completed {rng.randint(40, 300)}.{rng.randint(0, 9)} MiB",
        ],
        "install": [f"Unpacking {release} into /opt/app/releases/{release}", "Linking current"],
        "startService": ["Starting app.service", "app.service started"],
        "healthCheck": [f"GET http://localhost:8080/health -> {200 if not ctx.exit_code else 503}"],
    }
    stdout = "\n".join(messages.get(ctx.step, [f"{ctx.step}: done"])) + "\n"
    stderr = _shell_failure(rng, ctx) if ctx.exit_code else ""
    return stdout, stderr


GENERATORS: dict[str, Generator] = {
    "shell": shell,
    "disk": disk,
    "logs": logs,
    "powershell": powershell,
    "patch": patch,
    "deploy": deploy,
}


def generate(kind: str, seed: str, ctx: OutputContext) -> tuple[str, str]:
    """The full stdout and stderr one step writes, before any API limit is applied."""
    rng = random.Random(f"{seed}/{ctx.instance_id}/{ctx.step}")
    return GENERATORS[kind](rng, ctx)
