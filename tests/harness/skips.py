"""Skips that CI controls: a run that sets DIALSIM_ALLOWED_SKIPS fails on any other."""

from __future__ import annotations

import os

import pytest

from .examples import Example, Readiness
from .readiness_cache import readiness_of


def skip_unless_allowed(name: str, reason: str) -> None:
    """Skip for ``reason``, unless this run said which skips it allows and ``name`` is not one."""
    allowed = os.environ.get("DIALSIM_ALLOWED_SKIPS")
    if allowed is not None and name not in allowed.replace(",", " ").split():
        pytest.fail(f"{reason} (DIALSIM_ALLOWED_SKIPS={allowed!r} does not allow skipping it)", pytrace=False)
    pytest.skip(reason)


def require_ready(example: Example) -> Readiness:
    """The example prepared to run here; a skip that names what is missing, or a failed setup."""
    readiness = readiness_of(example)
    if readiness.skip_reason:
        skip_unless_allowed(example.key, readiness.skip_reason)
    if readiness.setup_error:
        pytest.fail(readiness.setup_error, pytrace=False)
    return readiness
