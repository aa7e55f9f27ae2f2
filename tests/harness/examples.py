"""The examples in examples/, as described by their example.toml files."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import tomllib

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES_DIR = ROOT / "examples"
TESTS_DIR = ROOT / "tests"

#: The guide's tab order; also the order in which tests run.
GUIDE_ORDER = ("node", "ruby", "python", "php", "dotnet", "java", "go")

SETUP_TIMEOUT = 30 * 60  # a first Maven or npm download can be slow


@dataclass(frozen=True)
class Example:
    key: str  # the directory name under examples/
    directory: Path
    label: str
    port: int
    requires: tuple[str, ...]
    setup: tuple[tuple[str, ...], ...]
    run: tuple[str, ...]
    sdk_name: str | None = None
    sdk_probe: tuple[str, ...] | None = None
    standin_env: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, directory: Path) -> Example:
        data = tomllib.loads((directory / "example.toml").read_text())
        sdk = data.get("sdk", {})
        return cls(
            key=directory.name,
            directory=directory,
            label=data["label"],
            port=int(data["port"]),
            requires=tuple(data.get("requires", ())),
            setup=tuple(tuple(command) for command in data.get("setup", ())),
            run=tuple(data["run"]),
            sdk_name=sdk.get("name"),
            sdk_probe=tuple(sdk["probe"]) if "probe" in sdk else None,
            standin_env={k: v.format(tests=TESTS_DIR) for k, v in sdk.get("standin_env", {}).items()},
        )


def load_examples() -> list[Example]:
    """Every example that has an example.toml, in the guide's order."""
    found = [Example.load(d) for d in EXAMPLES_DIR.iterdir() if (d / "example.toml").is_file()]
    rank = {key: index for index, key in enumerate(GUIDE_ORDER)}
    return sorted(found, key=lambda e: (rank.get(e.key, len(rank)), e.key))


@dataclass
class Readiness:
    """Whether an example can run here, and on what."""

    example: Example
    skip_reason: str | None = None
    setup_error: str | None = None
    sdk: str = "real SDK"
    env: dict[str, str] = field(default_factory=dict)

    @property
    def runnable(self) -> bool:
        return self.skip_reason is None and self.setup_error is None


def _tail(text: str, lines: int = 40) -> str:
    return "\n".join(text.splitlines()[-lines:])


def prepare(example: Example) -> Readiness:
    """Check the toolchain, run the example's setup, and probe for Plivo's SDK.

    A missing toolchain or SDK is a reason to skip, named in the report; a
    setup command that fails on a machine that has the toolchain is an error.
    """
    readiness = Readiness(example)
    missing = [tool for tool in example.requires if shutil.which(tool) is None]
    if missing:
        readiness.skip_reason = f"{example.label}: toolchain missing here: {', '.join(missing)} not found on PATH"
        return readiness
    for command in example.setup:
        try:
            done = subprocess.run(
                command,
                cwd=example.directory,
                capture_output=True,
                text=True,
                timeout=SETUP_TIMEOUT,
                stdin=subprocess.DEVNULL,
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            readiness.setup_error = f"{example.label}: setup step {' '.join(command)!r} failed: {error}"
            return readiness
        if done.returncode != 0:
            readiness.setup_error = (
                f"{example.label}: setup step {' '.join(command)!r} exited {done.returncode}:\n"
                + _tail(done.stdout + done.stderr)
            )
            return readiness
    if example.sdk_probe:
        probe = subprocess.run(
            example.sdk_probe, cwd=example.directory, capture_output=True, text=True, stdin=subprocess.DEVNULL
        )
        if probe.returncode != 0:
            if example.standin_env:
                readiness.sdk = f"SDK stand-in ({example.sdk_name} not installed here)"
                readiness.env = dict(example.standin_env)
            else:
                readiness.skip_reason = f"{example.label}: Plivo SDK {example.sdk_name} is not installed here"
    return readiness
