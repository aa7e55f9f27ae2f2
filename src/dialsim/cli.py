"""Command line: ``dialsim call``, ``dialsim sign`` and ``dialsim check-xml``.

Exit status: 0 when the server behaved as Plivo requires (or, with
``--expect refused``, refused every request), 1 when it did not, 2 for a
usage error, 3 when the server could not be reached.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from . import plivo_data as pd
from .junit import junit_xml
from .signature import base_string, compute_signature
from .simulator import MAX_STEPS, CallReport, Expect, Signing, Simulator
from .transport import DEFAULT_TIMEOUT, Exchange
from .xmlcheck import check_xml

#: Exit statuses.
EXIT_OK = 0
EXIT_MISBEHAVED = 1
EXIT_USAGE = 2  # argparse's own
EXIT_UNREACHABLE = 3

_BODY_LINES = 12
_BODY_CHARS = 1500


def _key_value(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {text!r}")
    return key, value


def _outcomes(text: str) -> tuple[str, ...]:
    if text == "all":
        return ("all",)
    outcomes = tuple(part.strip() for part in text.split(","))
    for outcome in outcomes:
        if outcome not in pd.DIAL_STATUSES:
            raise argparse.ArgumentTypeError(
                f"unknown DialStatus {outcome!r}; expected 'all' or a comma list of {', '.join(pd.DIAL_STATUSES)}"
            )
    return outcomes


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dialsim",
        description="Play Plivo's side of a whole <Dial> call against your server, and check every reply.",
        epilog="exit status: 0 ok, 1 the server misbehaved, 2 usage error, 3 the server could not be reached",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    call = commands.add_parser(
        "call",
        help="play calls against an answer URL and check what the server does",
        description=(
            "Play a whole call as Plivo does, signed with X-Plivo-Signature-V3: request ANSWER_URL, run the Plivo "
            "XML it returns (Dial callbackUrl events, the action URL with the outcome, the XML the action URL "
            "returns, Redirects), then request the hangup URL; check every reply."
        ),
        epilog="exit status: 0 behaved as Plivo requires, 1 misbehaved, 2 usage error, 3 the server could not be reached",
    )
    call.add_argument("answer_url", metavar="ANSWER_URL", help="e.g. http://127.0.0.1:8083/dialstatus/")
    call.add_argument(
        "--outcome",
        type=_outcomes,
        default=("all",),
        metavar="STATUS[,STATUS...]",
        help=(
            f"how the dials end ({', '.join(pd.DIAL_STATUSES)}): one per <Dial> played, in order, e.g. busy,completed; "
            "default: all, one call for each"
        ),
    )
    call.add_argument("--answer-method", choices=("POST", "GET"), default="POST", help="method for the answer URL")
    call.add_argument(
        "--public-url",
        help="the server's PUBLIC_URL: sign for this base while delivering to ANSWER_URL's host, as a tunnel does",
    )
    call.add_argument("--hangup-url", help="the application's hangup URL, on the same server (default: the answer URL)")
    call.add_argument("--hangup-method", choices=("POST", "GET"), default="POST", help="method for the hangup URL")
    call.add_argument("--auth-token", help="Plivo auth token to sign with (default: $PLIVO_AUTH_TOKEN)")
    call.add_argument(
        "-d",
        "--data",
        type=_key_value,
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override or add a parameter (repeatable): it replaces it where Plivo sends it, or is added to every request",
    )
    signing = call.add_mutually_exclusive_group()
    signing.add_argument("--unsigned", action="store_true", help="send no signature headers")
    signing.add_argument("--forged", action="store_true", help="sign with a wrong auth token")
    call.add_argument(
        "--expect",
        choices=[e.value for e in Expect],
        default=Expect.ACCEPTED.value,
        help="refused: pass only if every request is refused with 403 (with --unsigned or --forged)",
    )
    output = call.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print a JSON report instead of a transcript")
    output.add_argument("-q", "--quiet", action="store_true", help="print only the problems and the verdict")
    call.add_argument("--junit", metavar="FILE", help="also write a JUnit XML report, one test case per request")
    call.add_argument("--seed", type=int, help="make call UUIDs and nonces repeatable")
    call.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        help=f"seconds to wait for each whole reply (default {DEFAULT_TIMEOUT:g})",
    )
    call.add_argument(
        "--max-steps",
        type=int,
        default=MAX_STEPS,
        help=f"most requests in one call before its hangup request (default {MAX_STEPS})",
    )

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


def _exchange_lines(report: CallReport, index: int, exchange: Exchange) -> list[str]:
    where = "query string" if exchange.method == "GET" else "form body"
    url = exchange.url.split("?")[0] if exchange.method == "GET" else exchange.url
    lines = [f"  > {exchange.method} {url}  ({exchange.step}, {where})"]
    if exchange.signed_url and exchange.signed_url != url:
        lines.append(f"    signed for {exchange.signed_url}")
    if exchange.params:
        lines.append("    " + "  ".join(f"{k}={v}" for k, v in exchange.params))
    if exchange.error:
        lines.append(f"  < no reply: {exchange.error}")
    else:
        lines.append(f"  < {exchange.status} {exchange.reason}  {exchange.content_type or '(no Content-Type)'}")
        if exchange.body:
            lines.extend(_indent(exchange.text))
    for verb in exchange.played:
        lines.append(f"  = played {verb}")
    for problem in report.problems_of(index):
        lines.append(f"  problem: {problem}")
    return lines


_ENDINGS = {
    "end": "the call ends: the XML has no more instructions",
    "hangup": "the call ends: <Hangup>",
    "error": "the call ends: a reply Plivo could not use",
}


def _headline(number: int, total: int, report: CallReport) -> str:
    played = report.outcomes or [report.outcome]
    if len(played) == 1:
        return f"call {number} of {total}: the dial ends with DialStatus={played[0]}"
    return f"call {number} of {total}: the dials end with DialStatus={', then '.join(played)}"


def _problem_lines(number: int, total: int, report: CallReport) -> list[str]:
    played = ", then ".join(report.outcomes or [report.outcome])
    return [f"call {number} of {total} (DialStatus={played}): problem: {p}" for p in report.problems]


def transcript(reports: Sequence[CallReport], *, quiet: bool = False) -> str:
    """The human-readable account of simulated calls; ``quiet``: only the problems and the verdict."""
    lines: list[str] = []
    refused = any(r.expect is Expect.REFUSED for r in reports)
    for number, report in enumerate(reports, 1):
        if quiet:
            lines.extend(_problem_lines(number, len(reports), report))
            continue
        lines.append(_headline(number, len(reports), report))
        for index, exchange in enumerate(report.exchanges):
            if exchange.step == "hangup" and report.ended:
                lines.append(f"  {_ENDINGS[report.ended]}")
            lines.extend(_exchange_lines(report, index, exchange))
        if report.ended and report.hangup is None:
            lines.append(f"  {_ENDINGS[report.ended]}")
        for problem in report.problems_of(None):
            lines.append(f"  problem: {problem}")
        if report.ok:
            lines.append(
                "  ok: every request was refused with 403" if refused else "  ok: every reply is what Plivo requires"
            )
        lines.append("")
    good = sum(r.ok for r in reports)
    verdict = "ok" if good == len(reports) else "FAILED"
    if refused:
        lines.append(f"verdict: {verdict}, {good} of {len(reports)} calls had every request refused with 403")
    else:
        lines.append(f"verdict: {verdict}, {good} of {len(reports)} calls behaved as Plivo requires")
    if any(r.unreachable for r in reports):
        lines.append("the server could not be reached: is it running, on that port?")
    return "\n".join(lines)


def exit_status(reports: Sequence[CallReport]) -> int:
    """3 when the server could not be reached, else 1 when a call went wrong, else 0."""
    if any(r.unreachable for r in reports):
        return EXIT_UNREACHABLE
    return EXIT_OK if all(r.ok for r in reports) else EXIT_MISBEHAVED


def _run_call(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    signing = Signing.NONE if args.unsigned else Signing.FORGED if args.forged else Signing.VALID
    expect = Expect(args.expect)
    if expect is Expect.REFUSED and signing is Signing.VALID:
        parser.error("--expect refused needs --unsigned or --forged: validly signed requests must be accepted")
    try:
        simulator = Simulator(
            args.answer_url,
            _auth_token(args, parser),
            public_url=args.public_url,
            hangup_url=args.hangup_url,
            hangup_method=args.hangup_method,
            timeout=args.timeout,
            seed=args.seed,
            max_steps=args.max_steps,
        )
    except ValueError as error:
        parser.error(str(error))
    plays = [(o,) for o in pd.DIAL_STATUSES] if args.outcome == ("all",) else [args.outcome]
    reports = [
        simulator.call(
            list(outcomes), answer_method=args.answer_method, overrides=args.data, signing=signing, expect=expect
        )
        for outcomes in plays
    ]
    if args.json:
        summary = {"ok": all(r.ok for r in reports), "exit_status": exit_status(reports)}
        print(json.dumps({**summary, "calls": [r.to_dict() for r in reports]}, indent=2))
    else:
        print(transcript(reports, quiet=args.quiet))
    if args.junit:
        try:
            Path(args.junit).write_text(junit_xml(reports), encoding="utf-8")
        except OSError as error:
            print(f"dialsim: cannot write {args.junit}: {error.strerror}", file=sys.stderr)
            return EXIT_USAGE
    return exit_status(reports)


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
