"""Plivo's side of a call that runs a ``<Dial>``, played against your server.

A simulated call goes the way a real one does:

1. Plivo requests the answer URL with the call's parameters, signed;
2. it reads the reply as Plivo XML and finds the ``<Dial>``;
3. the dial ends with some outcome (``DialStatus``);
4. Plivo requests the Dial's ``action`` URL with the outcome, signed, using the
   Dial's ``method``; with ``redirect="true"`` the call goes on with the XML
   that the action URL returns, so that reply must be Plivo XML too.

The simulator can deliver to a local address while signing for the public
URL your server is configured with, as a tunnel or reverse proxy does.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from urllib.parse import urlsplit

from . import plivo_data as pd
from .signature import compute_signature
from .transport import Exchange, send
from .xmlcheck import DialInstruction, Problem, check_xml, content_type_problem


class Signing(Enum):
    """How a request is signed."""

    VALID = "valid"  # as Plivo signs it
    NONE = "none"  # no signature headers at all
    FORGED = "forged"  # well-formed headers, signature made with another token


@dataclass
class CallReport:
    """Everything that happened in one simulated call, and the verdict."""

    outcome: str
    exchanges: list[Exchange] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    dial: DialInstruction | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict:
        return {
            "outcome": self.outcome,
            "ok": self.ok,
            "problems": [{"where": p.where, "message": p.message} for p in self.problems],
            "dial": None
            if self.dial is None
            else {
                "action": self.dial.action,
                "method": self.dial.method,
                "redirect": self.dial.redirect,
                "targets": list(self.dial.targets),
            },
            "exchanges": [e.to_dict() for e in self.exchanges],
        }


class Simulator:
    """Plays Plivo against the server whose answer URL is ``answer_url``.

    ``public_url`` is the base URL at which Plivo would reach that server (the
    server's ``PUBLIC_URL``). When given, requests are still delivered to
    ``answer_url``'s host but signed for ``public_url`` + the request path,
    and URLs found in the XML under ``public_url`` are delivered to the local
    host the same way. The simulator never sends a request to any other host.
    """

    def __init__(
        self,
        answer_url: str,
        auth_token: str,
        *,
        public_url: str | None = None,
        timeout: float = 15.0,
        seed: int | None = None,
    ) -> None:
        parts = urlsplit(answer_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"the answer URL must be an absolute http(s) URL, got {answer_url!r}")
        if not auth_token:
            raise ValueError("an auth token is needed to sign requests as Plivo does")
        self.answer_url = answer_url
        self.auth_token = auth_token
        self.local_base = f"{parts.scheme}://{parts.netloc}"
        self.public_base = (public_url or self.local_base).rstrip("/")
        public_parts = urlsplit(self.public_base)
        if public_parts.scheme not in ("http", "https") or not public_parts.netloc or public_parts.query:
            raise ValueError(f"the public URL must be an absolute http(s) URL without a query, got {public_url!r}")
        self.timeout = timeout
        self._random = random.Random(seed)

    # -- identifiers ------------------------------------------------------

    def new_uuid(self) -> str:
        return str(uuid.UUID(int=self._random.getrandbits(128), version=4))

    def new_nonce(self) -> str:
        return "".join(self._random.choice("0123456789") for _ in range(20))

    # -- URLs -------------------------------------------------------------

    def public_for(self, local_url: str) -> str:
        """The public URL that corresponds to a local one (path and query kept)."""
        parts = urlsplit(local_url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        return self.public_base + path

    def local_for(self, public_url: str) -> str | None:
        """Where to deliver a URL found in the XML, or None if it is not ours."""
        if public_url == self.public_base or public_url.startswith((self.public_base + "/", self.public_base + "?")):
            return self.local_base + public_url[len(self.public_base) :]
        if public_url.startswith(self.local_base + "/"):
            return public_url
        return None

    # -- requests ---------------------------------------------------------

    def signature_headers(
        self, method: str, signed_url: str, params: list[tuple[str, str]], signing: Signing = Signing.VALID
    ) -> dict[str, str]:
        if signing is Signing.NONE:
            return {}
        token = self.auth_token if signing is Signing.VALID else self.auth_token + "-forged"
        nonce = self.new_nonce()
        return {
            pd.SIGNATURE_HEADER: compute_signature(token, method, signed_url, nonce, params),
            pd.NONCE_HEADER: nonce,
        }

    def request(
        self,
        method: str,
        url: str,
        params: list[tuple[str, str]],
        *,
        label: str = "",
        signing: Signing = Signing.VALID,
        signed_url: str | None = None,
    ) -> Exchange:
        """Send Plivo's request for ``url`` (a local URL), signed for its public twin.

        For GET the parameters go in the query string and the signature covers
        them there; for POST they are the form body.
        """
        signed_url = signed_url or self.public_for(url)
        headers = self.signature_headers(method, signed_url, params, signing)
        return send(
            method, url, params=params, headers=headers, timeout=self.timeout, label=label, signed_url=signed_url
        )

    # -- the call ---------------------------------------------------------

    def answer_params(self, call_uuid: str) -> list[tuple[str, str]]:
        """What Plivo sends to the answer URL of an inbound call."""
        return [
            ("CallUUID", call_uuid),
            ("From", "+14155550123"),
            ("To", "+14155550199"),
            ("CallStatus", "ringing"),
            ("Direction", "inbound"),
            ("Event", "StartApp"),
        ]

    def action_params(self, outcome: str, a_leg: str) -> list[tuple[str, str]]:
        """What Plivo sends to the Dial action URL when the dial ends with ``outcome``."""
        return dial_action_params(outcome, a_leg, self.new_uuid)

    def call(
        self,
        outcome: str,
        *,
        answer_method: str = "POST",
        overrides: list[tuple[str, str]] | None = None,
        signing: Signing = Signing.VALID,
    ) -> CallReport:
        """Simulate one call whose dial ends with ``outcome``.

        ``overrides`` replace or add parameters, as ``-d Key=Value`` does on
        the command line: each goes to the request in which Plivo sends that
        parameter, and a parameter Plivo never sends goes to both.
        """
        pd.dial_outcome(outcome)  # fail early on an unknown outcome
        report = CallReport(outcome)
        call_uuid = self.new_uuid()

        answer = self.request(
            answer_method,
            self.answer_url,
            _apply(self.answer_params(call_uuid), overrides, _ACTION_NAMES),
            label="answer URL",
            signing=signing,
        )
        report.exchanges.append(answer)
        xml_report = _check_xml_reply(answer, report.problems)
        if xml_report is None:
            return report
        dials = xml_report.dials()
        if not dials:
            report.problems.append(Problem("Response", "no <Dial>: Plivo would not dial anyone"))
            return report
        dial = report.dial = dials[0]
        if not dial.action:
            report.problems.append(
                Problem("Response/Dial[1]@action", "no action URL: Plivo would report the dial outcome to nobody")
            )
            return report
        action_local = self.local_for(dial.action)
        if action_local is None:
            report.problems.append(
                Problem(
                    "Response/Dial[1]@action",
                    f"{dial.action!r} is not under the public URL {self.public_base!r}; "
                    "the simulator only calls the server under test",
                )
            )
            return report

        action = self.request(
            dial.method,
            action_local,
            _apply(self.action_params(outcome, call_uuid), overrides, _ANSWER_NAMES),
            label=f"action URL (DialStatus={outcome})",
            signing=signing,
            signed_url=dial.action,
        )
        report.exchanges.append(action)
        if dial.redirect:
            _check_xml_reply(action, report.problems)
        else:
            _check_status(action, report.problems)
        return report


def dial_action_params(status: str, a_leg: str, new_b_leg: Callable[[], str]) -> list[tuple[str, str]]:
    """The parameters of a Dial action request reporting ``status``.

    ``new_b_leg`` is called for a B-leg UUID only when the outcome means the
    callee answered (so a seeded run draws the same IDs); a status Plivo does
    not document (it may add some) is played like ``failed``.
    """
    played = pd.dial_outcome(status if status in pd.DIAL_STATUSES else "failed")
    return [
        ("DialStatus", status),
        ("DialRingStatus", "true" if played.rang else "false"),
        ("DialHangupCause", played.hangup_cause),
        ("DialALegUUID", a_leg),
        ("DialBLegUUID", new_b_leg() if played.answered else ""),
    ]


_ANSWER_NAMES = {p.name for p in pd.ANSWER_PARAMETERS}
_ACTION_NAMES = {p.name for p in pd.DIAL_ACTION_PARAMETERS}


def _apply(
    params: list[tuple[str, str]], overrides: list[tuple[str, str]] | None, elsewhere: set[str] = frozenset()
) -> list[tuple[str, str]]:
    """``params`` with ``overrides`` applied.

    An override replaces a parameter of this request; one that names a
    parameter of neither request (``elsewhere`` holds the other request's
    names) is added, so a ``-d`` lands where Plivo would send that parameter.
    """
    if not overrides:
        return params
    replaced = dict(overrides)
    names = {k for k, _ in params}
    kept = [(k, replaced.get(k, v)) for k, v in params]
    added = [(k, v) for k, v in replaced.items() if k not in names and k not in elsewhere]
    return kept + added


def _check_status(exchange: Exchange, problems: list[Problem]) -> bool:
    where = exchange.label
    if exchange.error:
        problems.append(Problem(where, f"no reply: {exchange.error}"))
        return False
    if exchange.status != 200:
        problems.append(Problem(where, f"HTTP {exchange.status} {exchange.reason}; Plivo needs 200"))
        return False
    return True


def _check_xml_reply(exchange: Exchange, problems: list[Problem]):
    """Check a reply that Plivo will execute; the XML report, or None if unusable."""
    if not _check_status(exchange, problems):
        return None
    content_type = content_type_problem(exchange.content_type)
    if content_type:
        problems.append(Problem(f"{exchange.label} {content_type.where}", content_type.message))
    xml_report = check_xml(exchange.body)
    problems.extend(Problem(f"{exchange.label} {p.where}", p.message) for p in xml_report.problems)
    return xml_report if xml_report.root is not None else None
