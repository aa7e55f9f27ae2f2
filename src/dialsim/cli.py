"""Command line: ``dialsim call``, ``dialsim sign`` and ``dialsim check-xml``.

Exit status: 0 when the server behaved as Plivo requires, 1 when it did not,
2 for a usage error.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from . import plivo_data as pd
from .signature import base_string, compute_signature
from .simulator import CallReport, Signing, Simulator
from .transport import Exchange
from .xmlcheck import check_xml

_BODY_LINES = 12
_BODY_CHARS = 1500


def _key_value(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {text!r}")
    return key, value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dialsim",
        description="Simulate Plivo's side of a <Dial> call against your server.",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    call = commands.add_parser(
        "call",
        help="play calls against an answer URL and check what the server does",
        description=(
            "Request ANSWER_URL as Plivo does, check the Plivo XML it returns, play the dial outcome(s) "
            "and request the Dial's action URL with them, signed with X-Plivo-Signature-V3."
        ),
    )
    call.add_argument("answer_url", metavar="ANSWER_URL", help="e.g. http://127.0.0.1:8083/dialstatus/")
    call.add_argument(
        "--outcome",
        choices=(*pd.DIAL_STATUSES, "all"),
        default="all",
        help="DialStatus to play (default: all five, one call each)",
    )
    call.add_argument("--answer-method", choices=("POST", "GET"), default="POST", help="method for the answer URL")
    call.add_argument(
        "--public-url",
        help="the server's PUBLIC_URL: sign for this base while delivering to ANSWER_URL's host, as a tunnel does",
    )
    call.add_argument("--auth-token", help="Plivo auth token to sign with (default: $PLIVO_AUTH_TOKEN)")
    call.add_argument(
        "-d",
        "--data",
        type=_key_value,
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override or add a parameter (repeatable); it goes to the request where Plivo sends it, or to both",
    )
    signing = call.add_mutually_exclusive_group()
    signing.add_argument("--unsigned", action="store_true", help="send no signature headers")
    signing.add_argument("--forged", action="store_true", help="sign with a wrong auth token")
    call.add_argument("--json", action="store_true", help="print a JSON report instead of a transcript")
    call.add_argument("--seed", type=int, help="make call UUIDs and nonces repeatable")
    call.add_argument("--timeout", type=float, default=15.0, help="seconds to wait for each reply (default 15)")

    sign = commands.add_parser("sign", help="print the V3 signature Plivo would send for a request")
    sign.add_argument("url", metavar="URL", help="the URL Plivo requests, with its query string")
    sign.add_argument("--method", choices=("POST", "GET"), default="POST")
    sign.add_argument("--nonce", required=True)
    sign.add_argument("--auth-token", help="default: $PLIVO_AUTH_TOKEN")
    sign.add_argument("-d", "--data", type=_key_value, action="append", default=[], metavar="KEY=VALUE")

    check = commands.add_parser("check-xml", help="check a Plivo XML document (a file, or - for stdin)")
    check.add_argument("file", metavar="FILE")
    return parser


def _auth_token(args: argparse.Namespace, parser: argparse.ArgumentParser) -> str:
    token = args.auth_token or os.environ.get("PLIVO_AUTH_TOKEN", "")
    if not token:
        parser.error("no auth token: pass --auth-token or set PLIVO_AUTH_TOKEN")
    return token


def _indent(text: str, prefix: str = "    ") -> list[str]:
    text = text.strip()
    if len(text) > _BODY_CHARS:
        text = text[:_BODY_CHARS] + f"… ({len(text) - _BODY_CHARS} more characters)"
    lines = text.splitlines() or [""]
    if len(lines) > _BODY_LINES:
        lines = lines[:_BODY_LINES] + [f"… ({len(lines) - _BODY_LINES} more lines)"]
    return [prefix + line for line in lines]


def _exchange_lines(exchange: Exchange) -> list[str]:
    where = "query string" if exchange.method == "GET" else "form body"
    url = exchange.url.split("?")[0] if exchange.method == "GET" else exchange.url
    lines = [f"  > {exchange.method} {url}  ({where})"]
    if exchange.signed_url and exchange.signed_url != url:
        lines.append(f"    signed for {exchange.signed_url}")
    if exchange.params:
        lines.append("    " + "  ".join(f"{k}={v}" for k, v in exchange.params))
    if exchange.error:
        lines.append(f"  < no reply: {exchange.error}")
        return lines
    lines.append(f"  < {exchange.status} {exchange.reason}  {exchange.content_type or '(no Content-Type)'}")
    if exchange.body:
        lines.extend(_indent(exchange.text))
    return lines


def transcript(reports: Sequence[CallReport]) -> str:
    """The human-readable account of simulated calls."""
    lines: list[str] = []
    for number, report in enumerate(reports, 1):
        lines.append(f"call {number} of {len(reports)}: the dial ends with DialStatus={report.outcome}")
        for exchange in report.exchanges:
            lines.extend(_exchange_lines(exchange))
        if report.ok:
            lines.append("  ok: every reply is what Plivo requires")
        for problem in report.problems:
            lines.append(f"  problem: {problem}")
        lines.append("")
    good = sum(r.ok for r in reports)
    verdict = "ok" if good == len(reports) else "FAILED"
    lines.append(f"verdict: {verdict}, {good} of {len(reports)} calls behaved as Plivo requires")
    return "\n".join(lines)


def _run_call(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    try:
        simulator = Simulator(
            args.answer_url,
            _auth_token(args, parser),
            public_url=args.public_url,
            timeout=args.timeout,
            seed=args.seed,
        )
    except ValueError as error:
        parser.error(str(error))
    signing = Signing.NONE if args.unsigned else Signing.FORGED if args.forged else Signing.VALID
    outcomes = pd.DIAL_STATUSES if args.outcome == "all" else (args.outcome,)
    reports = [
        simulator.call(outcome, answer_method=args.answer_method, overrides=args.data, signing=signing)
        for outcome in outcomes
    ]
    if args.json:
        print(json.dumps({"ok": all(r.ok for r in reports), "calls": [r.to_dict() for r in reports]}, indent=2))
    else:
        print(transcript(reports))
    return 0 if all(r.ok for r in reports) else 1


def _run_sign(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    token = _auth_token(args, parser)
    try:
        print(f"base string: {base_string(args.method, args.url, args.data)}")
        print(f"X-Plivo-Signature-V3-Nonce: {args.nonce}")
        print(f"X-Plivo-Signature-V3: {compute_signature(token, args.method, args.url, args.nonce, args.data)}")
    except ValueError as error:
        parser.error(str(error))
    return 0


def _run_check_xml(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    try:
        data = sys.stdin.buffer.read() if args.file == "-" else Path(args.file).read_bytes()
    except OSError as error:
        parser.error(f"cannot read {args.file}: {error.strerror}")
    report = check_xml(data)
    for problem in report.problems:
        print(f"problem: {problem}")
    if report.ok:
        print("ok: valid Plivo XML")
    return 0 if report.ok else 1


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    run = {"call": _run_call, "sign": _run_sign, "check-xml": _run_check_xml}[args.command]
    return run(args, parser)
