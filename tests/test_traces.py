"""The stack-trace detectors (tests/harness/traces.py) on what each stack really prints,
and on the plain messages and lines that must not set them off."""

from __future__ import annotations

import pytest
from harness.traces import find_traces

#: family -> a sample of what it writes when an exception escapes.
TRACES = {
    "Python": 'Traceback (most recent call last):\n  File "app.py", line 3, in <module>\nValueError: x',
    "Ruby": "app/controllers/dial_status_controller.rb:12:in `action': boom (RuntimeError)",
    "Java": 'Exception in thread "main" java.lang.IllegalStateException\n\tat com.example.App.main(App.java:9)',
    "Node": "TypeError: x is not a function\n    at Server.<anonymous> (/app/server.js:10:5)",
    "Go": "panic: boom\n\ngoroutine 1 [running]:\nmain.main()",
    "PHP": "PHP Fatal error:  Uncaught Error: Call to undefined function f() in /app/x.php:3",
    "Laravel": (
        '[2026-12-01 11:42:19] production.ERROR: boom {"exception":"[object] (RuntimeException(code: 0): boom'
        " at /app/app/Http/Controllers/DialStatusController.php:54)\n[stacktrace]\n"
        "#0 /usr/share/php/Illuminate/Routing/ControllerDispatcher.php(48): App\\\\Http\\\\Controllers->action()\n"
        '#1 {main}\n"}'
    ),
    "nginx relaying PHP-FPM": (
        '2026/12/01 11:42:19 [error] 2463#2463: *4 FastCGI sent in stderr: "PHP message: PHP Warning:  Undefined'
        ' array key "x" in /app/app/Http/Controllers/DialStatusController.php on line 20" while reading response'
        ' header from upstream, client: 127.0.0.1, server: , request: "POST /dialstatus/action/ HTTP/1.1"'
    ),
}

#: What servers print when all is well: start-up errors, framework notices, the contract's lines.
PLAIN = [
    "Not starting: PLIVO_AUTH_TOKEN is not set. Set it to your Plivo auth token.",
    'PORT must be a number from 1 to 65535, not "abc".',
    "2026/12/01 11:42:19 [notice] 2463#2463: signal process started",
    "[01-Dec-2026 11:42:19] NOTICE: fpm is running, pid 2462",
    "Puma starting in single mode...\n* Listening on http://127.0.0.1:8082",
    "dial-status status=busy aleg=a#0_/x bleg= hangup_cause=#1_[internal_function] rang=true",
    "request-refused reason=bad-signature url=http://127.0.0.1:8084/dialstatus/?%23stacktrace",
]


@pytest.mark.parametrize("family", TRACES)
def test_each_family_is_detected(family):
    found = find_traces(TRACES[family])
    assert any(report.startswith(f"{family}-style stack trace") for report in found), found


@pytest.mark.parametrize("text", PLAIN)
def test_plain_output_is_not_a_trace(text):
    assert find_traces(text) == []
