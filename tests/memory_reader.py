"""An in-memory reader for the fetch plan's unit tests: SSM's listings served from model records.

It stands where ``ssmtui.aws.client.SsmReader`` stands (the plan's ``Reader`` protocol): the
test holds the truth as model records, changes it between (or during) cycles, and reads which
calls the plan made. Records go out in AWS's own shape (``model/aws_shape.py``), so the plan parses
them as it parses AWS's. No socket, no botocore: a cycle takes a millisecond.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime
from typing import Any

from ssmtui.aws.client import CallStats, follow_pages
from ssmtui.aws.errors import AwsError, ErrorKind
from ssmtui.model.aws_shape import render_command, render_invocation
from ssmtui.model.types import Command, Invocation
from ssmtui.poller.reader import Page
from ssmtui.sim.api import INVOCATION_STATUS_FILTERS

PAGE = 50


class MemoryReader:
    region = "eu-west-1"
    endpoint = "memory"

    def __init__(self, commands: Iterable[Command] = (), invocations: Iterable[Invocation] = ()):
        self.stats = CallStats()
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.commands = {c.command_id: c for c in commands}
        self.invocations: dict[str, dict[str, Invocation]] = {cid: {} for cid in self.commands}
        self.refused: dict[str, AwsError] = {}
        """Operations that fail, and how."""
        self.logs: dict[tuple[str, str], list[str]] = {}
        """CloudWatch Logs streams by (group, stream): their lines so far."""
        self.objects: dict[tuple[str, str], bytes] = {}
        """S3 objects by (bucket, key)."""
        self.before_call: Callable[[str, dict[str, Any]], None] | None = None
        """Called before each call is answered: a test moves the fleet on mid-cycle here."""
        self.put(*invocations)

    # -- the truth, as the test changes it -----------------------------------------------

    def put(self, *records: Invocation) -> None:
        """Replace (or add) these invocations; their commands' counts follow, as AWS's do."""
        for record in records:
            self.invocations.setdefault(record.command_id, {})[record.instance_id] = record
        for command_id in {r.command_id for r in records}:
            self.recount(command_id)

    def recount(self, command_id: str) -> None:
        invocations = self.invocations[command_id].values()
        details = [i.status_details for i in invocations if i.terminal]
        self.commands[command_id] = replace(
            self.commands[command_id],
            target_count=len(invocations),
            completed_count=len(details),
            error_count=sum(d in ("Failed", "Execution Timed Out") for d in details),
            delivery_timed_out_count=details.count("Delivery Timed Out"),
        )

    def set_command(self, command: Command) -> None:
        """A new state of a command (its status); its counts stay those of its invocations."""
        self.commands[command.command_id] = command
        self.recount(command.command_id)

    def count(self, operation: str, **wanted: Any) -> int:
        """Calls of ``operation`` whose parameters include ``wanted``."""
        return sum(
            1
            for name, params in self.calls
            if name == operation and all(params.get(k) == v for k, v in wanted.items())
        )

    def status_lists(self) -> list[str]:
        """The Status filter of each ListCommandInvocations call, in order ("" for none)."""
        return [
            next((f["value"] for f in params.get("Filters", []) if f["key"] == "Status"), "")
            for name, params in self.calls
            if name == "ListCommandInvocations" and "InstanceId" not in params
        ]

    def forget_calls(self) -> None:
        self.calls.clear()

    # -- the Reader protocol ---------------------------------------------------------------

    async def call(self, operation: str, **params: Any) -> dict[str, Any]:
        self.calls.append((operation, params))
        self.stats.calls[operation] += 1
        self.stats.requests += 1
        if self.before_call is not None:
            self.before_call(operation, params)
        if operation in self.refused:
            raise self.refused[operation]
        answer: Callable[[dict[str, Any]], dict[str, Any]] = {
            "ListCommands": self._list_commands,
            "ListCommandInvocations": self._list_invocations,
            "GetCommandInvocation": self._get_invocation,
        }[operation]
        return answer(params)

    async def log_events(
        self, group: str, stream: str, token: str | None
    ) -> tuple[list[dict[str, Any]], str | None]:
        """Two events a page, from the token's index; the same token back at the end."""
        self._count("GetLogEvents", {"group": group, "stream": stream, "token": token})
        if (group, stream) not in self.logs:
            raise AwsError(ErrorKind.REQUEST, "no stream", code="ResourceNotFoundException")
        lines = self.logs[(group, stream)]
        start = int(token[2:]) if token else 0
        page = lines[start : start + 2]
        return [{"message": line} for line in page], f"f/{start + len(page)}"

    async def read_object(self, bucket: str, key: str, limit: int) -> tuple[bytes, int]:
        self._count("GetObject", {"Bucket": bucket, "Key": key})
        if (bucket, key) not in self.objects:
            raise AwsError(ErrorKind.REQUEST, "no such key", code="NoSuchKey")
        data = self.objects[(bucket, key)]
        return data[:limit], len(data)

    def _count(self, operation: str, params: dict[str, Any]) -> None:
        self.calls.append((operation, params))
        self.stats.calls[operation] += 1
        if operation in self.refused:
            raise self.refused[operation]

    async def page(self, operation: str, result_key: str, **params: Any) -> Page:
        response = await self.call(operation, **params)
        return response[result_key], response.get("NextToken")

    async def pages(
        self, operation: str, result_key: str, *, max_pages: int | None = None, **params: Any
    ) -> Page:
        return await follow_pages(self.page, operation, result_key, max_pages, params)

    # -- answers ---------------------------------------------------------------------------

    def _list_commands(self, params: dict[str, Any]) -> dict[str, Any]:
        commands = list(self.commands.values())
        if "CommandId" in params:
            if params["CommandId"] not in self.commands:
                raise AwsError(ErrorKind.REQUEST, "no such command", code="InvalidCommandId")
            commands = [self.commands[params["CommandId"]]]
        for item in params.get("Filters", []):
            if item["key"] == "ExecutionStage":
                executing = item["value"] == "Executing"
                commands = [c for c in commands if c.terminal != executing]
            elif item["key"] == "InvokedAfter":
                after = datetime.fromisoformat(item["value"].replace("Z", "+00:00"))
                commands = [c for c in commands if c.requested and c.requested >= after]
        answer = _paged("Commands", commands, params)
        answer["Commands"] = [render_command(c) for c in answer["Commands"]]
        return answer

    def _list_invocations(self, params: dict[str, Any]) -> dict[str, Any]:
        records = sorted(
            self.invocations.get(params["CommandId"], {}).values(), key=lambda i: i.instance_id
        )
        if "InstanceId" in params:
            records = [i for i in records if i.instance_id == params["InstanceId"]]
        for item in params.get("Filters", []):
            # what each Status value matches, as the simulator reads the API
            field, wanted = INVOCATION_STATUS_FILTERS[item["value"]]
            records = [i for i in records if _field(i, field) == wanted]
        details = bool(params.get("Details"))
        answer = _paged("CommandInvocations", records, params)
        answer["CommandInvocations"] = [
            # with Details, AWS always sends CommandPlugins, if only an empty list
            render_invocation(
                replace(i, plugins=i.plugins or ()) if details else replace(i, plugins=None)
            )
            for i in answer["CommandInvocations"]
        ]
        return answer

    def _get_invocation(self, params: dict[str, Any]) -> dict[str, Any]:
        invocation = self.invocations[params["CommandId"]][params["InstanceId"]]
        plugin = next(p for p in invocation.plugins or () if p.name == params["PluginName"])
        return {
            "Status": str(plugin.status),
            "StandardOutputContent": plugin.stdout or "",
            "StandardErrorContent": plugin.stderr or "",
        }


def _field(invocation: Invocation, field: str) -> str:
    """The simulator names a filter's field ``status`` or ``details``."""
    return invocation.status if field == "status" else invocation.status_details


def _paged(key: str, items: list[Any], params: dict[str, Any]) -> dict[str, Any]:
    start = int(params.get("NextToken", "0"))
    size = params.get("MaxResults", PAGE)
    answer: dict[str, Any] = {key: items[start : start + size]}
    if start + size < len(items):
        answer["NextToken"] = str(start + size)
    return answer
