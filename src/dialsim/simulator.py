"""Plivo's side of a call that runs a ``<Dial>``, played against your server.

A simulated call goes the way a real one does:

1. Plivo requests the answer URL with the call's parameters, signed, and
   runs the Plivo XML it gets back, verb by verb;
2. a ``<Dial>`` ends with an outcome (``DialStatus``). On the way, Plivo
   sends the dial's ``callbackUrl`` the events it asks for; then it requests
   the Dial's ``action`` URL with the outcome, by the Dial's ``method``. With
   ``redirect="true"`` the XML the action URL returns replaces the rest of the
   document, so that reply must be Plivo XML too (another ``<Dial>`` is played
   with the next outcome); with ``redirect="false"`` the reply is ignored and
   the document goes on;
3. ``<Redirect>`` fetches the next document; ``<Speak>``, ``<Play>`` and
   ``<Wait>`` are played, with no request; ``<Hangup>`` or the end of the
   document ends the call;
4. when the call ends, Plivo requests the hangup URL (by default the answer
   URL) with ``CallStatus=completed``, the duration and the hangup cause.

The simulator can deliver to a local address while signing for the public
URL your server is configured with, as a tunnel or reverse proxy does. It
never sends a request to any other host: a URL elsewhere is a problem.
"""

from __future__ import annotations

import math
import random
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from urllib.parse import urlsplit

from . import plivo_data as pd
from .signature import compute_signature
from .transport import DEFAULT_TIMEOUT, MAX_REPLY_BYTES, Exchange, send
from .xmlcheck import DialInstruction, Problem, XmlReport, check_xml, content_type_problem

#: The most requests one call may make before its hangup request (answer,
#: callback, action and redirect requests each count as one), so that XML that
#: loops is reported, not followed forever.
MAX_STEPS = 10

#: Simulated seconds, for the hangup request's Duration.
_RING_SECONDS = 10
_TALK_SECONDS = 30
_PLAYED_SECONDS = 3
_BILLING_INCREMENT = 60


class Signing(Enum):
    """How a request is signed."""

    VALID = "valid"  # as Plivo signs it
    NONE = "none"  # no signature headers at all
    FORGED = "forged"  # well-formed headers, signature made with another token


class Expect(Enum):
    """What the server must do with the requests."""

    ACCEPTED = "accepted"  # behave as Plivo requires
    REFUSED = "refused"  # refuse every request with 403 (for --unsigned/--forged)


@dataclass
class CallReport:
    """Everything that happened in one simulated call, and the verdict."""

    outcome: str  # the first dial's outcome
    exchanges: list[Exchange] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    dial: DialInstruction | None = None  # the answer's first <Dial>
    outcomes: list[str] = field(default_factory=list)  # the outcomes the dials ended with, in order
    ended: str = ""  # one of pd.CALL_ENDINGS' endings, or "" when no call took place
    expect: Expect = Expect.ACCEPTED

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def unreachable(self) -> bool:
        """True when a request found nothing listening."""
        return any(e.unreachable for e in self.exchanges)

    def _last(self, step: str) -> Exchange | None:
        return next((e for e in reversed(self.exchanges) if e.step == step), None)

    @property
    def answer(self) -> Exchange | None:
        return self._last("answer")

    @property
    def action(self) -> Exchange | None:
        """The last request to a Dial's action URL."""
        return self._last("action")

    @property
    def hangup(self) -> Exchange | None:
        return self._last("hangup")

    def problems_of(self, index: int | None) -> list[Problem]:
        """The problems about exchange ``index`` (None: about the call as a whole)."""
        return [p for p in self.problems if p.exchange == index]

    def to_dict(self) -> dict:
        return {
            "outcome": self.outcome,
            "outcomes": list(self.outcomes),
            "expect": self.expect.value,
            "ok": self.ok,
            "ended": self.ended,
            "problems": [{"where": p.where, "message": p.message, "exchange": p.exchange} for p in self.problems],
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
    host the same way. ``hangup_url`` is the application's hangup URL
    (default: the answer URL), local or public. The simulator never sends a
    request to any other host.
    """

    def __init__(
        self,
        answer_url: str,
        auth_token: str,
        *,
        public_url: str | None = None,
        hangup_url: str | None = None,
        hangup_method: str = "POST",
        timeout: float = DEFAULT_TIMEOUT,
        seed: int | None = None,
        max_steps: int = MAX_STEPS,
        max_reply_bytes: int = MAX_REPLY_BYTES,
    ) -> None:
        parts = urlsplit(answer_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"the answer URL must be an absolute http(s) URL, got {answer_url!r}")
        if not auth_token:
            raise ValueError("an auth token is needed to sign requests as Plivo does")
        if hangup_method not in ("GET", "POST"):
            raise ValueError(f"the hangup method must be GET or POST, got {hangup_method!r}")
        for name, url in (("answer", answer_url), ("public", public_url)):
            if url and not _has_valid_port(url):
                raise ValueError(f"the {name} URL's port is not a port number from 0 to 65535: {url!r}")
        if timeout <= 0 or max_steps < 1 or max_reply_bytes < 1:
            raise ValueError("the timeout, the step limit and the reply limit must be positive")
        self.answer_url = answer_url
        self.auth_token = auth_token
        self.local_base = f"{parts.scheme}://{parts.netloc}"
        self.public_base = (public_url or self.local_base).rstrip("/")
        public_parts = urlsplit(self.public_base)
        if public_parts.scheme not in ("http", "https") or not public_parts.netloc or public_parts.query:
            raise ValueError(f"the public URL must be an absolute http(s) URL without a query, got {public_url!r}")
        self.hangup_url = self.local_for(hangup_url) if hangup_url else answer_url
        if self.hangup_url is None:
            raise ValueError(
                f"the hangup URL {hangup_url!r} is not on the server under test "
                f"({self.local_base} or {self.public_base})"
            )
        self.hangup_method = hangup_method
        self.timeout = timeout
        self.max_steps = max_steps
        self.max_reply_bytes = max_reply_bytes
        self._random = random.Random(seed)
        self._checked_documents: dict[bytes, XmlReport] = {}

    # -- identifiers ------------------------------------------------------

    def new_uuid(self) -> str:
        return str(uuid.UUID(int=self._random.getrandbits(128), version=4))

    def new_nonce(self) -> str:
        """20 random digits; drawn as ``random.choice`` draws them, so a seed gives the same IDs as it always did."""
        draw = self._random.getrandbits
        digits = []
        while len(digits) < 20:
            digit = draw(4)
            if digit < 10:
                digits.append(_DIGITS[digit])
        return "".join(digits)

    def checked(self, body: bytes) -> XmlReport:
        """``check_xml(body)``; a server sends the same few documents call after call, each is parsed once.

        The simulator only reads the parsed documents, so one can serve every call.
        """
        report = self._checked_documents.get(body)
        if report is None:
            report = check_xml(body)
            if len(body) <= _CACHED_DOCUMENT_BYTES:
                if len(self._checked_documents) >= _CACHED_DOCUMENTS:
                    self._checked_documents.clear()
                self._checked_documents[body] = report
        return report

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
        if public_url == self.local_base or public_url.startswith((self.local_base + "/", self.local_base + "?")):
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
            method,
            url,
            params=params,
            headers=headers,
            timeout=self.timeout,
            label=label,
            signed_url=signed_url,
            max_reply_bytes=self.max_reply_bytes,
        )

    # -- parameters -------------------------------------------------------

    def call_params(self, call_uuid: str) -> list[tuple[str, str]]:
        """The parameters that describe the call in every request about it."""
        return [
            ("CallUUID", call_uuid),
            ("From", _CALLER),
            ("To", _CALLED),
            ("Direction", "inbound"),
        ]

    def answer_params(self, call_uuid: str) -> list[tuple[str, str]]:
        """What Plivo sends to the answer URL of an inbound call."""
        return [*self.call_params(call_uuid), ("CallStatus", "ringing"), ("Event", "StartApp")]

    def action_params(self, outcome: str, a_leg: str) -> list[tuple[str, str]]:
        """What Plivo sends to the Dial action URL when the dial ends with ``outcome``."""
        return dial_action_params(outcome, a_leg, self.new_uuid)

    def hangup_params(self, call_uuid: str, *, ending: str = "end", duration: int = 0) -> list[tuple[str, str]]:
        """What Plivo sends to the hangup URL when a call of ``duration`` seconds ends so."""
        how = pd.call_ending(ending)
        billed = math.ceil(duration / _BILLING_INCREMENT) * _BILLING_INCREMENT
        return [
            *self.call_params(call_uuid),
            ("CallStatus", "completed"),
            ("Event", "Hangup"),
            ("Duration", str(duration)),
            ("BillDuration", str(billed)),
            ("HangupCause", how.hangup_cause),
            ("HangupCauseCode", str(how.cause_code)),
            ("HangupCauseName", pd.hangup_cause_name(how.cause_code)),
            ("HangupSource", how.hangup_source),
        ]

    # -- the call ---------------------------------------------------------

    def call(
        self,
        outcome: str | Sequence[str],
        *,
        answer_method: str = "POST",
        overrides: list[tuple[str, str]] | None = None,
        signing: Signing = Signing.VALID,
        expect: Expect = Expect.ACCEPTED,
    ) -> CallReport:
        """Simulate one whole call; its dials end with ``outcome``.

        ``outcome`` is a ``DialStatus``, or a list of them: one per ``<Dial>``
        played, in order (the last one is used again for any further dial).
        ``overrides`` replace or add parameters, as ``-d Key=Value`` does on
        the command line: each replaces the parameter in the requests where
        Plivo sends it, and one Plivo never sends is added to every request.
        With ``expect=Expect.REFUSED`` every request must be refused with 403.
        """
        outcomes = [outcome] if isinstance(outcome, str) else list(outcome)
        if not outcomes:
            raise ValueError("at least one outcome is needed")
        for each in outcomes:
            pd.dial_outcome(each)  # fail early on an unknown outcome
        return _Call(self, outcomes, overrides or [], signing, expect).play(answer_method)


_DIGITS = "0123456789"

#: The documents a Simulator keeps parsed: a server's few replies, each small.
_CACHED_DOCUMENTS = 32
_CACHED_DOCUMENT_BYTES = 8 * 1024
_CALLER = "+14155550123"
_CALLED = "+14155550199"

#: Every parameter name Plivo sends in some request, so that an override of
#: one of them lands only where Plivo sends it.
_PLIVO_NAMES = frozenset(
    p.name
    for p in (*pd.ANSWER_PARAMETERS, *pd.DIAL_ACTION_PARAMETERS, *pd.HANGUP_PARAMETERS, *pd.DIAL_CALLBACK_PARAMETERS)
)

_PLAYED_VERBS = ("Speak", "Play", "Wait")


class _Call:
    """The state of one call while it is played."""

    def __init__(
        self,
        sim: Simulator,
        outcomes: list[str],
        overrides: list[tuple[str, str]],
        signing: Signing,
        expect: Expect,
    ) -> None:
        self.sim = sim
        self.outcomes = outcomes
        self.overrides = overrides
        self.signing = signing
        self.expect = expect
        self.report = CallReport(outcomes[0], expect=expect)
        self.call_uuid = sim.new_uuid()
        self.steps = 1  # the answer request is the first
        self.seconds = 0

    # -- playing ----------------------------------------------------------

    def play(self, answer_method: str) -> CallReport:
        report = self.report
        answer = self.send(
            "answer", answer_method, self.sim.answer_url, self.sim.answer_params(self.call_uuid), "answer URL"
        )
        if answer.unreachable:
            return report  # nothing is listening: there is no call to hang up
        root = self.xml_reply(answer)
        if root is None:
            report.ended = "error"
        else:
            if self.expect is Expect.ACCEPTED and root.find("Dial") is None:
                self.problem(f"{answer.label} Response", "no <Dial>: Plivo would not dial anyone", answer)
            report.ended = self.run(root, answer)
        if not report.unreachable:  # a server that went away mid-call is not asked again
            self.send_hangup()
        return report

    def run(self, root: ET.Element, source: Exchange) -> str:
        """Execute a document and the ones it leads to; the call's ending."""
        verbs = list(root)
        index = 0
        while index < len(verbs):
            verb = verbs[index]
            index += 1
            path = f"{source.label} Response/{verb.tag}"
            if verb.tag in _PLAYED_VERBS:
                source.played.append(_describe_verb(verb))
                self.seconds += _played_seconds(verb)
            elif verb.tag == "Hangup":
                source.played.append("<Hangup>")
                return "hangup"
            elif verb.tag == "Dial":
                went_on = self.dial(DialInstruction.of(verb), path, source)
                if isinstance(went_on, str):
                    return went_on
                if went_on is not None:
                    source, verbs, index = went_on[0], list(went_on[1]), 0
            elif verb.tag == "Redirect":
                went_on = self.redirect(verb, path, source)
                if isinstance(went_on, str):
                    return went_on
                source, verbs, index = went_on[0], list(went_on[1]), 0
            else:
                source.played.append(f"<{verb.tag}> (not simulated: skipped)")
        return "end"

    def next_outcome(self) -> str:
        played = len(self.report.outcomes)
        outcome = self.outcomes[min(played, len(self.outcomes) - 1)]
        self.report.outcomes.append(outcome)
        return outcome

    def dial(self, dial: DialInstruction, path: str, source: Exchange) -> tuple[Exchange, ET.Element] | str | None:
        """Play one ``<Dial>``: None to go on with the document, a new (exchange, root), or an ending."""
        if self.report.dial is None:
            self.report.dial = dial
        outcome = self.next_outcome()
        played = pd.dial_outcome(outcome)
        self.seconds += (_RING_SECONDS if played.rang else 0) + (_TALK_SECONDS if played.answered else 0)
        callback_local = None
        if dial.callback_url:
            callback_local = self.sim.local_for(dial.callback_url)
            if callback_local is None:
                self.outside(f"{path}@callbackUrl", dial.callback_url, source)
        b_leg = self.sim.new_uuid() if played.answered or callback_local else ""
        if callback_local:
            for event in _events_for(played):
                if not self.take_step():
                    return "error"
                params = dial_callback_params(event, played, self.call_uuid, b_leg, _CALLER, _target(dial))
                callback = self.send(
                    "callback",
                    dial.callback_method,
                    callback_local,
                    params,
                    f"callbackUrl (DialAction={event.action})",
                    signed_url=dial.callback_url,
                )
                if callback.unreachable:
                    return "error"
                self.status_reply(callback)
        if not dial.action:
            self.problem(f"{path}@action", "no action URL: Plivo would report the dial outcome to nobody", source)
            return None
        action_local = self.sim.local_for(dial.action)
        if action_local is None:
            self.outside(f"{path}@action", dial.action, source)
            return "error"
        if not self.take_step():
            return "error"
        action = self.send(
            "action",
            dial.method,
            action_local,
            _action_params(outcome, self.call_uuid, b_leg if played.answered else ""),
            f"action URL (DialStatus={outcome})",
            signed_url=dial.action,
        )
        if action.unreachable:
            return "error"
        if not dial.redirect:
            self.status_reply(action)
            return None
        root = self.xml_reply(action)
        return "error" if root is None else (action, root)

    def redirect(self, verb: ET.Element, path: str, source: Exchange) -> tuple[Exchange, ET.Element] | str:
        """Follow a ``<Redirect>``: a new (exchange, root), or an ending."""
        url = (verb.text or "").strip()
        method = (verb.get("method") or "POST").upper()
        local = self.sim.local_for(url)
        if local is None:
            self.outside(path, url, source)
            return "error"
        if not self.take_step():
            return "error"
        params = [*self.sim.call_params(self.call_uuid), ("CallStatus", "in-progress"), ("Event", "Redirect")]
        exchange = self.send("redirect", method if method in ("GET", "POST") else "POST", local, params, "Redirect URL")
        if exchange.unreachable:
            return "error"
        root = self.xml_reply(exchange)
        return "error" if root is None else (exchange, root)

    def send_hangup(self) -> None:
        params = self.sim.hangup_params(self.call_uuid, ending=self.report.ended or "error", duration=self.seconds)
        exchange = self.send("hangup", self.sim.hangup_method, self.sim.hangup_url, params, "hangup URL")
        if exchange.unreachable:
            return
        if self.status_reply(exchange) and self.expect is Expect.ACCEPTED:
            _check_hangup_body(self.sim.checked, exchange, self.report, len(self.report.exchanges) - 1)

    # -- requests and verdicts ----------------------------------------------

    def take_step(self) -> bool:
        """Count one more request; False when the call has had its share."""
        if self.steps >= self.sim.max_steps:
            self.problem(
                "call",
                f"more than {self.sim.max_steps} steps (requests before the hangup request): the XML keeps "
                "leading to more; a loop? The simulator stops here",
                None,
            )
            return False
        self.steps += 1
        return True

    def send(
        self,
        step: str,
        method: str,
        url: str,
        params: list[tuple[str, str]],
        label: str,
        *,
        signed_url: str | None = None,
    ) -> Exchange:
        exchange = self.sim.request(
            method, url, _apply(params, self.overrides), label=label, signing=self.signing, signed_url=signed_url
        )
        exchange.step = step
        self.report.exchanges.append(exchange)
        if exchange.unreachable:
            self.problem(label, f"no reply: {exchange.error}", exchange)
        return exchange

    def problem(self, where: str, message: str, exchange: Exchange | None) -> None:
        index = None if exchange is None else next(i for i, e in enumerate(self.report.exchanges) if e is exchange)
        self.report.problems.append(Problem(where, message, index))

    def outside(self, where: str, url: str, source: Exchange) -> None:
        self.problem(
            where,
            f"{url!r} is not under the public URL {self.sim.public_base!r}; the simulator only calls the server "
            "under test",
            source,
        )

    def judged(self, exchange: Exchange) -> bool:
        """Common checks; False when the reply cannot be used any further."""
        label = exchange.label
        if exchange.unreachable:
            return False  # reported when it was sent
        if exchange.error:
            self.problem(label, f"no reply: {exchange.error}", exchange)
            return False
        if self.expect is Expect.REFUSED:
            if exchange.status == 403:
                return False  # refused, as it must be: the call ends here
            self.problem(
                label,
                f"HTTP {exchange.status} {exchange.reason}: a request without a valid signature must be refused with 403",
                exchange,
            )
            return exchange.ok_status  # go on as Plivo would, to try the next request too
        if exchange.truncated:
            self.problem(
                label,
                f"the reply is longer than {self.sim.max_reply_bytes} bytes; the simulator read no further "
                "(Plivo takes at most 100 KB of XML)",
                exchange,
            )
            return False
        if exchange.status is not None and 300 <= exchange.status < 400:
            location = next((v for k, v in exchange.reply_headers.items() if k.lower() == "location"), "nowhere")
            self.problem(
                label,
                f"HTTP {exchange.status} {exchange.reason} to {location}: a redirect is a failure to Plivo, "
                "which needs the answer itself",
                exchange,
            )
            return False
        return True

    def status_reply(self, exchange: Exchange) -> bool:
        """Check a reply that Plivo only needs a 2xx for (its body is ignored)."""
        if not self.judged(exchange):
            return False
        if self.expect is Expect.ACCEPTED and not exchange.ok_status:
            self.problem(exchange.label, f"HTTP {exchange.status} {exchange.reason}; Plivo needs a 2xx", exchange)
            return False
        return True

    def xml_reply(self, exchange: Exchange) -> ET.Element | None:
        """Check a reply that Plivo will execute; its root, or None if the call cannot go on."""
        if not self.judged(exchange):
            return None
        if self.expect is Expect.REFUSED:
            accepted = self.sim.checked(exchange.body)  # accepted by mistake (already reported): play on
            return accepted.root if accepted.ok else None
        if exchange.status != 200:
            self.problem(exchange.label, f"HTTP {exchange.status} {exchange.reason}; Plivo needs 200", exchange)
            return None
        content_type = content_type_problem(exchange.content_type)
        if content_type:
            self.problem(f"{exchange.label} {content_type.where}", content_type.message, exchange)
        xml_report = self.sim.checked(exchange.body)
        for found in xml_report.problems:
            self.problem(f"{exchange.label} {found.where}", found.message, exchange)
        return xml_report.root if xml_report.ok else None


def _has_valid_port(url: str) -> bool:
    try:
        port = urlsplit(url).port  # ValueError for one out of range
    except ValueError:
        return False
    return port is None or port >= 0


def dial_action_params(status: str, a_leg: str, new_b_leg: Callable[[], str]) -> list[tuple[str, str]]:
    """The parameters of a Dial action request reporting ``status``.

    ``new_b_leg`` is called for a B-leg UUID only when the outcome means the
    callee answered (so a seeded run draws the same IDs); a status Plivo does
    not document (it may add some) is played like ``failed``.
    """
    played = pd.dial_outcome(status if status in pd.DIAL_STATUSES else "failed")
    return _action_params(status, a_leg, new_b_leg() if played.answered else "")


def _action_params(status: str, a_leg: str, b_leg: str) -> list[tuple[str, str]]:
    played = pd.dial_outcome(status if status in pd.DIAL_STATUSES else "failed")
    return [
        ("DialStatus", status),
        ("DialRingStatus", "true" if played.rang else "false"),
        ("DialHangupCause", played.hangup_cause),
        ("DialALegUUID", a_leg),
        ("DialBLegUUID", b_leg),
    ]


def dial_callback_params(
    event: pd.DialCallbackEvent, played: pd.DialOutcome, a_leg: str, b_leg: str, caller: str, dialled: str
) -> list[tuple[str, str]]:
    """The parameters of one ``callbackUrl`` event of a dial that ends as ``played``."""
    values = {
        "DialAction": event.action,
        "Event": event.event,
        "CallUUID": a_leg,
        "DialALegUUID": a_leg,
        "DialBLegUUID": b_leg,
        "DialBLegStatus": event.action,
        "DialBLegFrom": caller,
        "DialBLegTo": dialled,
        "DialBLegHangupCause": played.hangup_cause,
        "DialBLegDuration": str(_TALK_SECONDS if played.answered else 0),
        "DialBLegBillDuration": str(_BILLING_INCREMENT if played.answered else 0),
    }
    return [(name, values[name]) for name in event.parameters]


def _events_for(played: pd.DialOutcome) -> tuple[pd.DialCallbackEvent, ...]:
    if played.answered:
        return pd.DIAL_CALLBACK_EVENTS
    return tuple(e for e in pd.DIAL_CALLBACK_EVENTS if e.action == "hangup")


def _target(dial: DialInstruction) -> str:
    return dial.targets[0] if dial.targets else ""


def _describe_verb(verb: ET.Element) -> str:
    text = " ".join((verb.text or "").split())
    if len(text) > 100:
        text = text[:97] + "..."
    return f"<{verb.tag}> {text}".rstrip()


def _played_seconds(verb: ET.Element) -> int:
    if verb.tag == "Wait":
        length = verb.get("length", "1")
        return int(length) if length.isdigit() else 1
    return _PLAYED_SECONDS


def _apply(params: list[tuple[str, str]], overrides: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """``params`` with ``overrides`` applied.

    An override replaces a parameter of this request; one that names no
    parameter Plivo sends anywhere is added, so a ``-d`` lands where Plivo
    would send that parameter.
    """
    if not overrides:
        return params
    replaced = dict(overrides)
    names = {k for k, _ in params}
    kept = [(k, replaced.get(k, v)) for k, v in params]
    added = [(k, v) for k, v in replaced.items() if k not in names and k not in _PLIVO_NAMES]
    return kept + added


def _check_hangup_body(
    checked: Callable[[bytes], XmlReport], exchange: Exchange, report: CallReport, index: int
) -> None:
    """The call is over: a ``<Dial>`` in the reply to the hangup request dials nobody."""
    if not exchange.body.strip().startswith(b"<"):
        return
    root = checked(exchange.body).root
    if root is not None and next(root.iter("Dial"), None) is not None:
        report.problems.append(
            Problem(
                f"{exchange.label} Response/Dial",
                "a <Dial> in the reply to the hangup request: the call is over, Plivo dials nobody",
                index,
            )
        )
