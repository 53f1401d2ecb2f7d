"""SSM documents the simulator knows: their steps (plugins) and which platform each step is for."""

from __future__ import annotations

from dataclasses import dataclass, field

from ssmtui.model.types import SKIPPED_BY_PRECONDITION


@dataclass(frozen=True, slots=True)
class Step:
    """One plugin of a document. ``platform`` set means the step has a platformType precondition."""

    name: str
    action: str = "aws:runShellScript"
    platform: str | None = None


@dataclass(frozen=True, slots=True)
class Document:
    name: str
    steps: tuple[Step, ...]
    platforms: frozenset[str] = field(default_factory=lambda: frozenset({"Linux", "MacOS"}))
    output: str = "shell"
    """The output generator (see ``outputs.GENERATORS``) used when a command names none."""

    def step(self, name: str) -> Step | None:
        return next((s for s in self.steps if s.name == name), None)


BUILTIN_DOCUMENTS: dict[str, Document] = {
    doc.name: doc
    for doc in (
        Document("AWS-RunShellScript", (Step("aws:runShellScript"),), output="shell"),
        Document(
            "AWS-RunPowerShellScript",
            (Step("aws:runPowerShellScript", "aws:runPowerShellScript"),),
            platforms=frozenset({"Windows", "Linux", "MacOS"}),
            output="powershell",
        ),
        Document(
            "AWS-RunPatchBaseline",
            (
                Step("PatchWindows", "aws:runPowerShellScript", "Windows"),
                Step("PatchLinux", "aws:runShellScript", "Linux"),
                Step("PatchMacOS", "aws:runShellScript", "MacOS"),
            ),
            platforms=frozenset({"Windows", "Linux", "MacOS"}),
            output="patch",
        ),
    )
}


def skipped_step_output(step: Step) -> str:
    """The step's Output when its platform precondition does not hold, in the SSM Agent's
    words (aws/amazon-ssm-agent, agent/framework/runpluginutil/runpluginutil.go); the step
    itself wrote nothing, so GetCommandInvocation shows no stdout for it."""
    return (
        f"{SKIPPED_BY_PRECONDITION}: "
        f"'\"StringEquals\": [platformType, {step.platform}]'. Step name: {step.name}"
    )
