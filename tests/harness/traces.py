"""Stack traces in a server's output: one detector per language family, in one place.

A stack trace where the contract asks for a plain message (or for nothing at
all) is a failure whatever the language, so every detector is applied to
every server's stderr and stdout; none of these patterns occurs in a plain
message or in one of the contract's lines.
"""

from __future__ import annotations

import re

#: family -> pattern of a line that only a stack trace prints.
TRACE_PATTERNS: dict[str, re.Pattern[str]] = {
    "Python": re.compile(r"^Traceback \(most recent call last\)", re.M),
    "Ruby": re.compile(r"^\s*(from )?\S+\.rb:\d+:in [`'<]", re.M),
    "Java": re.compile(r"^\tat \S|Exception in thread ", re.M),
    "Node": re.compile(r"^    at \S", re.M),
    "Go": re.compile(r"^goroutine \d+ \[", re.M),
    "PHP": re.compile(r"Stack trace:|PHP Fatal error", re.M),
    # Laravel's log record of an exception: a "[stacktrace]" line, then "#0 /path(line): ..." frames.
    "Laravel": re.compile(r"^\[stacktrace\]$|^#\d+ (/|\[internal function\])", re.M),
    # nginx relays whatever PHP-FPM's worker wrote to stderr (errors, warnings, exceptions).
    "nginx relaying PHP-FPM": re.compile(r'FastCGI sent in stderr: "PHP message: '),
}


def find_traces(text: str) -> list[str]:
    """Each detector that fires on ``text``, with the lines around its first hit."""
    found = []
    for family, pattern in TRACE_PATTERNS.items():
        hit = pattern.search(text)
        if hit:
            start = text.rfind("\n", 0, max(hit.start() - 200, 0)) + 1
            excerpt = text[start : hit.end() + 400]
            found.append(f"{family}-style stack trace:\n{excerpt}")
    return found
