"""The lines an example writes to stdout, as the contract (examples/README.md) spells them."""

from __future__ import annotations

import re

from .server import HANGUP_PREFIX, LOG_PREFIX, REFUSED_PREFIX

#: The one wording of every failed dial's <Speak> (examples/README.md, "The action URL").
APOLOGY = "Sorry, the person you are calling could not be reached. Goodbye."

#: What log_safe replaces with "_" (see examples/README.md, "Log lines").
UNSAFE_IN_LOG = re.compile("[\x00-\x20\x7f-\x9f\u2028\u2029]")

#: Each logged line's name and fields: (field in the line, Plivo parameter it holds).
STATUS_FIELDS = (
    ("status", "DialStatus"),
    ("aleg", "DialALegUUID"),
    ("bleg", "DialBLegUUID"),
    ("hangup_cause", "DialHangupCause"),
    ("rang", "DialRingStatus"),
)
HANGUP_FIELDS = (
    ("call", "CallUUID"),
    ("status", "CallStatus"),
    ("hangup_cause", "HangupCause"),
    ("duration", "Duration"),
)


def _shape(prefix: str, fields) -> re.Pattern[str]:
    return re.compile(re.escape(prefix) + " ".join(f"{name}=(\\S*)" for name, _ in fields))


#: The shape of each kind of line; a line that starts like one and has another
#: shape is a merged, cut or forged line.
LINE_SHAPES = {
    LOG_PREFIX: _shape(LOG_PREFIX, STATUS_FIELDS),
    HANGUP_PREFIX: _shape(HANGUP_PREFIX, HANGUP_FIELDS),
    REFUSED_PREFIX: re.compile(r"request-refused reason=(no-signature|bad-signature) url=(\S+)"),
}


def log_safe(value: str | None) -> str:
    """What the examples' log_safe makes of ``value`` (missing values are empty)."""
    return UNSAFE_IN_LOG.sub("_", value or "")


def _line(prefix: str, fields, params: list[tuple[str, str]]) -> str:
    values = dict(params)
    return prefix + " ".join(f"{name}={log_safe(values.get(parameter))}" for name, parameter in fields)


def expected_status_line(params: list[tuple[str, str]]) -> str:
    return _line(LOG_PREFIX, STATUS_FIELDS, params)


def expected_hangup_line(params: list[tuple[str, str]]) -> str:
    return _line(HANGUP_PREFIX, HANGUP_FIELDS, params)


def shape_problem(line: str) -> str | None:
    """Why ``line``, when it starts like one of the examples' lines, is not a whole one; else None.

    A merged line fails too: the prefixes end in a space, and log_safe lets no
    space through in a value. Lines of other shapes (a framework's own log) are
    not the examples' and are not judged here.
    """
    for prefix, shape in LINE_SHAPES.items():
        if line.startswith(prefix):
            matched = shape.fullmatch(line)
            if not matched:
                return f"not the shape of a {prefix.strip()} line"
            if any(UNSAFE_IN_LOG.search(value) for value in matched.groups()):
                return "a value that log_safe should have changed"
    return None
