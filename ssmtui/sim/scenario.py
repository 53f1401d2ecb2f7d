"""Scenario files: the fleet, the documents and the commands a simulated run plays.

A scenario is a TOML file (format in README.md, "Scenario files"). It is validated field by
field; every error names the file, the line and the field, because a user who wrote the file
needs to know where to look, not that "a value" was wrong.
"""

from __future__ import annotations

import difflib
import re
import string
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from ssmtui.model.filters import DOCUMENT_NAME
from ssmtui.sim import BUILTIN_SCENARIOS
from ssmtui.sim.documents import BUILTIN_DOCUMENTS, Document, Step
from ssmtui.sim.outputs import GENERATORS

PLATFORMS = ("Linux", "Windows", "MacOS")
PING_STATUSES = ("Online", "ConnectionLost", "Inactive")
_INSTANCE_ID = re.compile(r"^i-[0-9a-f]{17}$")
_DURATION = re.compile(r"^([+-]?)(\d+(?:\.\d+)?)(ms|s|m|h|d)?$")
_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0, None: 1.0}
_MAX_CONCURRENCY = re.compile(r"^([1-9][0-9]*|[1-9][0-9]%|[1-9]%|100%)$")
_MAX_ERRORS = re.compile(r"^([1-9][0-9]*|0|[1-9][0-9]%|[0-9]%|100%)$")


class ScenarioError(ValueError):
    """A scenario file that cannot be played, with where the problem is."""

    def __init__(self, file_name: str, line: int | None, where: str, message: str) -> None:
        location = f"{file_name}:{line}" if line else file_name
        super().__init__(f"{location}: {where}: {message}")
        self.file_name = file_name
        self.line = line
        self.where = where


@dataclass(frozen=True, slots=True)
class InstanceSpec:
    name: str
    platform: str = "Linux"
    ping: str = "Online"
    id: str | None = None
    tags: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class TargetSpec:
    """Which instances a command targets: ``all``, ``platform:P``, ``tag:K=V``, ``random:N``
    or an explicit list of instance names or ids."""

    kind: str
    value: str = ""
    names: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CommandSpec:
    document: str
    targets: TargetSpec
    at: float = 0.0
    comment: str = ""
    max_concurrency: str = "50"
    max_errors: str = "0"
    timeout_seconds: int = 3600
    execution_timeout: int = 3600
    duration: tuple[float, float] = (5.0, 30.0)
    delivery_delay: tuple[float, float] = (0.5, 3.0)
    failure_rate: float = 0.0
    hang_rate: float = 0.0
    exit_code: int = 1
    cancel_after: float | None = None
    output: str | None = None
    every: float | None = None
    until: float | None = None
    count: int = 1
    spread: float = 0.0
    output_s3_bucket: str | None = None
    output_s3_prefix: str = ""
    output_s3_region: str = "us-east-1"
    cloudwatch: bool = False
    cloudwatch_log_group: str | None = None
    parameters: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    document_version: str = "$DEFAULT"
    alarm: str | None = None
    """The CloudWatch alarm of the command's AlarmConfiguration (the API takes exactly one)."""
    alarm_after: float | None = None
    """Seconds after the request when that alarm goes into ALARM and stops the command."""


@dataclass(frozen=True, slots=True)
class Scenario:
    name: str
    description: str = ""
    instances: tuple[InstanceSpec, ...] = ()
    documents: Mapping[str, Document] = field(default_factory=dict)
    commands: tuple[CommandSpec, ...] = ()


# ---------------------------------------------------------------------------------------------
# Value parsers: each takes the raw TOML value and returns the typed one or raises ValueError
# with a sentence that says what was expected.


MAX_SPAN_DAYS = 3650
"""Durations and offsets reach at most ten years: simulated times must stay in a datetime."""
MIN_EVERY = 10.0
"""A repeating command comes back at most this often (seconds)."""
MAX_REPEATS_PER_SECOND = 1.0
"""What one [[command]] may add to the store: ``count`` copies every ``every`` seconds."""


def parse_duration(value: object, *, signed: bool = False) -> float:
    """Seconds from ``90``, ``"90s"``, ``"2m"``, ``"1.5h"``, ``"-30m"`` (signed only)."""
    if isinstance(value, bool):
        raise ValueError(f"expected a duration such as '30s' or '5m', got {value!r}")
    if isinstance(value, int | float):
        seconds = float(value)
    elif isinstance(value, str) and (match := _DURATION.match(value.strip())):
        sign, number, unit = match.groups()
        seconds = float(number) * _UNITS[unit] * (-1 if sign == "-" else 1)
    else:
        raise ValueError(f"expected a duration such as '30s', '5m' or '1h', got {value!r}")
    if not abs(seconds) <= MAX_SPAN_DAYS * 86400:  # also rejects nan and inf
        raise ValueError(f"expected at most {MAX_SPAN_DAYS} days, got {value!r}")
    if seconds < 0 and not signed:
        raise ValueError(f"must not be negative, got {value!r}")
    return seconds


def _offset(value: object) -> float:
    return parse_duration(value, signed=True)


def _duration(value: object) -> float:
    return parse_duration(value)


def _every(value: object) -> float:
    seconds = parse_duration(value)
    if seconds < MIN_EVERY:
        raise ValueError(f"expected at least {MIN_EVERY:g}s between repeats, got {value!r}")
    return seconds


def _range(value: object) -> tuple[float, float]:
    """``"20s..2m"`` or a single duration, which means exactly that long."""
    if isinstance(value, str) and ".." in value:
        low_text, high_text = value.split("..", 1)
        low, high = parse_duration(low_text), parse_duration(high_text)
        if low > high:
            raise ValueError(f"the range {value!r} runs backwards")
        return low, high
    seconds = parse_duration(value)
    return seconds, seconds


def _string(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected a string, got {value!r}")
    return value


def _non_empty(value: object) -> str:
    text = _string(value)
    if not text.strip():
        raise ValueError("must not be empty")
    return text


def _comment(value: object) -> str:
    text = _string(value)
    if len(text) > 100:
        raise ValueError(f"AWS allows 100 characters in a comment, this one has {len(text)}")
    return text


def _choice(options: tuple[str, ...]) -> Callable[[object], str]:
    def parse(value: object) -> str:
        if value not in options:
            raise ValueError(f"expected one of {', '.join(options)}, got {value!r}")
        return str(value)

    return parse


def _pattern(regex: re.Pattern[str], what: str) -> Callable[[object], str]:
    def parse(value: object) -> str:
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not regex.match(value):
            raise ValueError(f"expected {what}, got {value!r}")
        return value

    return parse


def _integer(low: int, high: int) -> Callable[[object], int]:
    def parse(value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError(f"expected a whole number from {low} to {high}, got {value!r}")
        return value

    return parse


def _rate(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise ValueError(f"expected a fraction from 0 to 1, got {value!r}")
    return float(value)


def _boolean(value: object) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"expected true or false, got {value!r}")
    return value


def _tags(value: object) -> dict[str, str]:
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise ValueError('expected a table of strings, such as { role = "web" }')
    return dict(value)


def _string_list(value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise ValueError("expected a non-empty list of strings")
    return tuple(value)


def _parameters(value: object) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, dict):
        raise ValueError('expected a table such as { commands = ["uptime"] }')
    parsed: dict[str, tuple[str, ...]] = {}
    for key, item in value.items():
        parsed[key] = (item,) if isinstance(item, str) else _string_list(item)
    return parsed


def _targets(value: object) -> TargetSpec:
    if isinstance(value, list):
        return TargetSpec("instances", names=_string_list(value))
    text = _string(value)
    if text == "all":
        return TargetSpec("all")
    kind, _, rest = text.partition(":")
    if kind == "platform" and rest in PLATFORMS:
        return TargetSpec("platform", rest)
    if kind == "tag" and "=" in rest and rest.split("=", 1)[0]:
        return TargetSpec("tag", rest)
    if kind == "random" and rest.isdigit() and int(rest) > 0:
        return TargetSpec("random", rest)
    raise ValueError(
        "expected 'all', 'platform:Linux|Windows|MacOS', 'tag:KEY=VALUE', 'random:N' "
        f"or a list of instance names, got {value!r}"
    )


def _name_pattern(value: object) -> str:
    """A group's name pattern: text with ``{n}`` fields (``{n:02d}``), nothing else to
    evaluate (no attributes, indexes or other names: a format string can reach them)."""
    pattern = _non_empty(value)
    wrong = f"{pattern!r} is not a name pattern such as 'web-{{n:02d}}'"
    try:
        fields = [field for field in string.Formatter().parse(pattern) if field[1] is not None]
    except ValueError as error:
        raise ValueError(f"{wrong} ({error})") from None
    for _, name, spec, conversion in fields:
        if name != "n" or conversion is not None or "{" in (spec or ""):
            raise ValueError(f"{wrong}: only {{n}} may be filled in, as {{n}} or {{n:03d}}")
        try:
            format(1, spec or "")
        except ValueError as error:
            raise ValueError(f"{wrong} ({error})") from None
    return pattern


def _platforms(value: object) -> tuple[str, ...]:
    platforms = _string_list(value)
    unknown = [p for p in platforms if p not in PLATFORMS]
    if unknown:
        raise ValueError(f"expected platforms from {', '.join(PLATFORMS)}, got {unknown[0]!r}")
    return platforms


def _output_kind(value: object) -> str:
    return _choice(tuple(GENERATORS))(value)


# ---------------------------------------------------------------------------------------------
# Tables: which fields each may hold and how each is parsed.

_Schema = Mapping[str, Callable[[object], object]]

SCENARIO_FIELDS: _Schema = {"name": _non_empty, "description": _string}
GROUP_FIELDS: _Schema = {
    "count": _integer(1, 100_000),
    "name": _name_pattern,
    "platform": _choice(PLATFORMS),
    "ping": _choice(PING_STATUSES),
    "tags": _tags,
}
INSTANCE_FIELDS: _Schema = {
    "name": _non_empty,
    "id": _pattern(_INSTANCE_ID, "an instance id such as i-0123456789abcdef0"),
    "platform": _choice(PLATFORMS),
    "ping": _choice(PING_STATUSES),
    "tags": _tags,
}
DOCUMENT_FIELDS: _Schema = {
    "name": _pattern(DOCUMENT_NAME, "3 to 128 letters, digits, '_', '-' or '.'"),
    "steps": _string_list,
    "platforms": _platforms,
    "output": _output_kind,
}
COMMAND_FIELDS: _Schema = {
    "document": _non_empty,
    "targets": _targets,
    "at": _offset,
    "comment": _comment,
    "max_concurrency": _pattern(_MAX_CONCURRENCY, "a number such as '50' or a percentage '10%'"),
    "max_errors": _pattern(_MAX_ERRORS, "a number such as '0' or a percentage '10%'"),
    "timeout_seconds": _integer(30, 2_592_000),
    "execution_timeout": _integer(1, 172_800),
    "duration": _range,
    "delivery_delay": _range,
    "failure_rate": _rate,
    "hang_rate": _rate,
    "exit_code": _integer(1, 255),
    "cancel_after": _duration,
    "output": _output_kind,
    "every": _every,
    "until": _offset,
    "count": _integer(1, 10_000),
    "spread": _duration,
    "output_s3_bucket": _pattern(re.compile(r"^[a-z0-9.\-]{3,63}$"), "an S3 bucket name"),
    "output_s3_prefix": _string,
    "output_s3_region": _pattern(re.compile(r"^[a-z]{2}(-[a-z]+)+-\d$"), "a region"),
    "cloudwatch": _boolean,
    "cloudwatch_log_group": _non_empty,
    "parameters": _parameters,
    "alarm": _non_empty,
    "alarm_after": _duration,
    "document_version": _non_empty,
}
TABLES: Mapping[str, tuple[_Schema, frozenset[str]]] = {
    "scenario": (SCENARIO_FIELDS, frozenset({"name"})),
    "group": (GROUP_FIELDS, frozenset({"count", "name"})),
    "instance": (INSTANCE_FIELDS, frozenset({"name"})),
    "document": (DOCUMENT_FIELDS, frozenset({"name", "steps"})),
    "command": (COMMAND_FIELDS, frozenset({"document", "targets"})),
}
_ARRAY_TABLES = ("group", "instance", "document", "command")


class _LineIndex:
    """Where each table and key stands in the file, so errors can name a line.

    tomllib reports lines only for syntax errors; this index recovers them for the values,
    for the plain ``[table]`` / ``[[table]]`` / ``key = value`` layout the format documents.
    """

    _HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.-]+)\s*\]\]?")
    _KEY = re.compile(r"^\s*([A-Za-z0-9_-]+)\s*=")

    def __init__(self, text: str) -> None:
        self.tables: dict[tuple[str, int], int] = {}
        self.keys: dict[tuple[str, int, str], int] = {}
        counts: dict[str, int] = {}
        current: tuple[str, int] = ("", 0)
        for number, line in enumerate(text.splitlines(), start=1):
            if header := self._HEADER.match(line):
                name = header.group(2)
                index = counts.get(name, 0)
                counts[name] = index + 1
                current = (name, index)
                self.tables[current] = number
            elif key := self._KEY.match(line):
                self.keys.setdefault((*current, key.group(1)), number)

    def line(self, table: str, index: int, key: str | None = None) -> int | None:
        if key is not None and (table, index, key) in self.keys:
            return self.keys[(table, index, key)]
        return self.tables.get((table, index))


def _parse_table(
    raw: object, table: str, index: int, source: str, lines: _LineIndex
) -> dict[str, Any]:
    where = table if table == "scenario" else f"{table}[{index + 1}]"
    if not isinstance(raw, dict):
        raise ScenarioError(source, lines.line(table, index), where, "expected a table")
    schema, required = TABLES[table]
    parsed: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in schema:
            close = difflib.get_close_matches(key, schema, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            message = f"unknown field '{key}'{hint}"
            raise ScenarioError(source, lines.line(table, index, key), where, message)
        try:
            parsed[key] = schema[key](value)
        except ValueError as error:
            line = lines.line(table, index, key)
            raise ScenarioError(source, line, f"{where}.{key}", str(error)) from None
    for key in sorted(required - parsed.keys()):
        raise ScenarioError(source, lines.line(table, index), where, f"'{key}' is missing")
    return parsed


def parse_scenario(text: str, source: str = "<scenario>") -> Scenario:
    """Validate a scenario file's text; raises ScenarioError naming the line and field."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"line (\d+)", str(error))
        if match:
            line: int | None = int(match.group(1))
        else:  # "at end of document"
            line = max(1, len(text.splitlines()))
        raise ScenarioError(source, line, "syntax", str(error)) from None
    lines = _LineIndex(text)
    for key in data:
        if key not in TABLES:
            close = difflib.get_close_matches(key, TABLES, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            raise ScenarioError(source, lines.line(key, 0), key, f"unknown table{hint}")
    if "scenario" not in data:
        raise ScenarioError(source, None, "scenario", "the [scenario] table is missing")
    head = _parse_table(data["scenario"], "scenario", 0, source, lines)
    tables: dict[str, list[dict[str, Any]]] = {}
    for table in _ARRAY_TABLES:
        raw = data.get(table, [])
        if not isinstance(raw, list):
            message = f"write it as [[{table}]], once for each {table}"
            raise ScenarioError(source, lines.line(table, 0), table, message)
        tables[table] = [_parse_table(item, table, i, source, lines) for i, item in enumerate(raw)]

    instances = _instances(tables["group"], tables["instance"], source, lines)
    documents = _documents(tables["document"], source, lines)
    commands = _commands(tables["command"], documents, instances, source, lines)
    return Scenario(
        name=head["name"],
        description=head.get("description", ""),
        instances=instances,
        documents=documents,
        commands=commands,
    )


def _instances(
    groups: list[dict[str, Any]],
    singles: list[dict[str, Any]],
    source: str,
    lines: _LineIndex,
) -> tuple[InstanceSpec, ...]:
    specs = [
        InstanceSpec(
            name=group["name"].format(n=n),
            platform=group.get("platform", "Linux"),
            ping=group.get("ping", "Online"),
            tags=group.get("tags", {}),
        )
        for group in groups
        for n in range(1, group["count"] + 1)
    ]
    first_of: dict[str, int] = {}
    for index, single in enumerate(singles):
        if "id" in single:
            if single["id"] in first_of:
                line = lines.line("instance", index, "id")
                message = f"{single['id']} is already instance[{first_of[single['id']] + 1}]'s id"
                raise ScenarioError(source, line, f"instance[{index + 1}].id", message)
            first_of[single["id"]] = index
        specs.append(
            InstanceSpec(
                name=single["name"],
                platform=single.get("platform", "Linux"),
                ping=single.get("ping", "Online"),
                id=single.get("id"),
                tags=single.get("tags", {}),
            )
        )
    return tuple(specs)


def _documents(tables: list[dict[str, Any]], source: str, lines: _LineIndex) -> dict[str, Document]:
    documents = dict(BUILTIN_DOCUMENTS)
    for index, table in enumerate(tables):
        if table["name"] in documents:
            whose = "a built-in" if table["name"] in BUILTIN_DOCUMENTS else "another [[document]]"
            line = lines.line("document", index, "name")
            message = f"{table['name']!r} is already {whose} document's name"
            raise ScenarioError(source, line, f"document[{index + 1}].name", message)
        documents[table["name"]] = Document(
            name=table["name"],
            steps=tuple(Step(name) for name in table["steps"]),
            platforms=frozenset(table.get("platforms", ("Linux", "MacOS"))),
            output=table.get("output", "shell"),
        )
    return documents


def _commands(
    tables: list[dict[str, Any]],
    documents: Mapping[str, Document],
    instances: tuple[InstanceSpec, ...],
    source: str,
    lines: _LineIndex,
) -> tuple[CommandSpec, ...]:
    known_names = {spec.name for spec in instances} | {spec.id for spec in instances if spec.id}
    commands = []
    for index, table in enumerate(tables):
        where = f"command[{index + 1}]"
        if table["document"] not in documents:
            line = lines.line("command", index, "document")
            message = f"unknown document {table['document']!r}; add it as a [[document]] table"
            raise ScenarioError(source, line, f"{where}.document", message)
        targets: TargetSpec = table["targets"]
        unknown = [name for name in targets.names if name not in known_names]
        if unknown:
            line = lines.line("command", index, "targets")
            message = f"no instance is named {unknown[0]!r}"
            raise ScenarioError(source, line, f"{where}.targets", message)
        if len(targets.names) > 50:
            line = lines.line("command", index, "targets")
            message = "AWS takes at most 50 instance ids; use a tag for more"
            raise ScenarioError(source, line, f"{where}.targets", message)
        every, count = table.get("every"), table.get("count", 1)
        if every is not None and count / every > MAX_REPEATS_PER_SECOND:
            line = lines.line("command", index, "every")
            message = (
                f"{count} copies every {every:g}s is more than {MAX_REPEATS_PER_SECOND:g} "
                f"command a second; repeat less often or send fewer copies"
            )
            raise ScenarioError(source, line, f"{where}.every", message)
        if "alarm_after" in table and "alarm" not in table:
            line = lines.line("command", index, "alarm_after")
            message = "an alarm can only go off when the command has one: set 'alarm' too"
            raise ScenarioError(source, line, f"{where}.alarm_after", message)
        commands.append(CommandSpec(**table))
    return tuple(commands)


def load_scenario(name_or_path: str) -> Scenario:
    """A built-in scenario by name, or a scenario file by path."""
    if name_or_path in BUILTIN_SCENARIOS:
        text = resources.files("ssmtui.sim.scenarios").joinpath(f"{name_or_path}.toml")
        return parse_scenario(text.read_text(encoding="utf-8"), f"{name_or_path}.toml")
    path = Path(name_or_path)
    try:
        text_content = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        builtins = ", ".join(BUILTIN_SCENARIOS)
        message = f"no such file, and not a built-in scenario ({builtins})"
        raise ScenarioError(name_or_path, None, "scenario", message) from None
    except (OSError, UnicodeDecodeError) as error:
        raise ScenarioError(name_or_path, None, "scenario", f"cannot read it: {error}") from None
    return parse_scenario(text_content, str(path))
