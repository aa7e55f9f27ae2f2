"""Each example is prepared (toolchain check, setup, SDK probe) once per session."""

from __future__ import annotations

from .examples import Example, Readiness, prepare

_prepared: dict[str, Readiness] = {}


def readiness_of(example: Example) -> Readiness:
    if example.key not in _prepared:
        _prepared[example.key] = prepare(example)
    return _prepared[example.key]


def prepared() -> list[Readiness]:
    return list(_prepared.values())
