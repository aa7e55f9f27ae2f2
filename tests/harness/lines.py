"""The lines an example writes to stdout, as the contract (examples/README.md) spells them."""

from __future__ import annotations

import re

from .server import HANGUP_PREFIX, LOG_PREFIX, REFUSED_PREFIX

#: What log_safe replaces with "_" (see examples/README.md, "Log lines").
UNSAFE_IN_LOG = re.compile("[\x00-\x20\x7f-\x9f\u2028\u2029]")

#: The shape of each kind of line; a line that starts like one and has another
#: shape is a merged, cut or forged line.
LINE_SHAPES = {
    LOG_PREFIX: re.compile(r"dial-status status=(\S*) aleg=(\S*) bleg=(\S*) hangup_cause=(\S*) rang=(\S*)"),
    HANGUP_PREFIX: re.compile(r"call-hangup call=(\S*) status=(\S*) hangup_cause=(\S*) duration=(\S*)"),
    REFUSED_PREFIX: re.compile(r"request-refused reason=(no-signature|bad-signature) url=(\S+)"),
}


def log_safe(value: str | None) -> str:
    """What the examples' log_safe makes of ``value`` (missing values are empty)."""
    return UNSAFE_IN_LOG.sub("_", value or "")


def expected_status_line(params: list[tuple[str, str]]) -> str:
    values = dict(params)
    return (
        f"dial-status status={log_safe(values.get('DialStatus'))}"
        f" aleg={log_safe(values.get('DialALegUUID'))}"
        f" bleg={log_safe(values.get('DialBLegUUID'))}"
        f" hangup_cause={log_safe(values.get('DialHangupCause'))}"
        f" rang={log_safe(values.get('DialRingStatus'))}"
    )


def expected_hangup_line(params: list[tuple[str, str]]) -> str:
    values = dict(params)
    return (
        f"call-hangup call={log_safe(values.get('CallUUID'))}"
        f" status={log_safe(values.get('CallStatus'))}"
        f" hangup_cause={log_safe(values.get('HangupCause'))}"
        f" duration={log_safe(values.get('Duration'))}"
    )


def shape_problem(line: str) -> str | None:
    """Why ``line`` is not a whole line of its kind, or None.

    The prefixes end in a space, which log_safe never lets through in a value,
    so a prefix after the start of a line means two lines merged or a forgery.
    """
    for prefix, shape in LINE_SHAPES.items():
        if line.startswith(prefix):
            matched = shape.fullmatch(line)
            if not matched:
                return f"not the shape of a {prefix.strip()} line"
            if any(UNSAFE_IN_LOG.search(value) for value in matched.groups()):
                return "a value that log_safe should have changed"
        if prefix in line[1:]:
            return f"{prefix.strip()!r} in the middle of the line"
    return None
