"""The examples in examples/, as the index tests/examples.toml describes them."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import tomllib

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES_DIR = ROOT / "examples"
TESTS_DIR = ROOT / "tests"
#: The one list of the examples (see its header for the keys).
INDEX = TESTS_DIR / "examples.toml"

SETUP_TIMEOUT = 30 * 60  # a first Maven or npm download can be slow


@dataclass(frozen=True)
class Example:
    key: str  # the directory name under examples/
    directory: Path
    label: str
    framework: str
    server: str
    port: int
    fence: str
    main: str
    verify: str
    install: tuple[tuple[str, ...], ...]
    run: tuple[str, ...]
    sdk_name: str
    sdk_registry: str
    requires: tuple[str, ...]
    runs: str  # "real SDK", "stand-in" or "not run"
    setup: tuple[tuple[str, ...], ...]
    sdk_probe: tuple[str, ...] | None = None
    standin_env: dict[str, str] = field(default_factory=dict)
    also_started_by: tuple[tuple[str, ...], ...] = ()
    #: hostile-corpus case name -> the known fault of the HTTP server (not the app) that fails it
    server_faults: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_entry(cls, entry: dict) -> Example:
        test = entry.get("test", {})
        install = tuple(tuple(command) for command in entry.get("install", ()))
        return cls(
            key=entry["key"],
            directory=EXAMPLES_DIR / entry["key"],
            label=entry["label"],
            framework=entry["framework"],
            server=entry["server"],
            port=int(entry["port"]),
            fence=entry["fence"],
            main=entry["main"],
            verify=entry.get("verify", entry["main"]),
            install=install,
            run=tuple(entry["run"]),
            sdk_name=entry["sdk"]["name"],
            sdk_registry=entry["sdk"]["registry"],
            requires=tuple(entry.get("requires", ())),
            runs=entry["runs"],
            setup=tuple(tuple(command) for command in test["setup"]) if "setup" in test else install,
            sdk_probe=tuple(test["sdk_probe"]) if "sdk_probe" in test else None,
            standin_env={k: v.format(tests=TESTS_DIR) for k, v in test.get("standin_env", {}).items()},
            also_started_by=tuple(tuple(command) for command in test.get("also_started_by", ())),
            server_faults=dict(test.get("server_faults", {})),
        )


def load_examples() -> list[Example]:
    """Every example in the index, in the guide's order."""
    return [Example.from_entry(entry) for entry in tomllib.loads(INDEX.read_text())["example"]]


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
                readiness.sdk = f"SDK stand-in ({example.sdk_name} from {example.sdk_registry} not installed here)"
                readiness.env = dict(example.standin_env)
            else:
                readiness.skip_reason = (
                    f"{example.label}: Plivo SDK {example.sdk_name} ({example.sdk_registry}) is not installed here"
                )
    return readiness
