"""Plivo facts used by the simulator and rendered by the guide's reference pages.

This module is the project's single source of truth for Plivo data: call and
dial statuses, the parameters Plivo sends, the XML grammar the simulator checks
and the hangup causes. The docs render their tables from it (see
``docs/hooks/plivo_tables.py``), so nothing here is typed twice.

Every record says whether Plivo's documentation confirms it. Only confirmed
facts are presented as Plivo's behaviour; the rest is labelled as the
simulator's own choice.
"""

from __future__ import annotations

from dataclasses import dataclass

# --------------------------------------------------------------------------
# Statuses
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Status:
    value: str
    meaning: str


#: ``CallStatus`` values sent in voice callbacks (Plivo's call-status page;
#: the answer URL's own values are on its XML request page).
CALL_STATUSES: tuple[Status, ...] = (
    Status("in-progress", "The call was answered and is still going on; the Hangup API can end it."),
    Status("completed", "The call ended: one of the parties hung up, or the Hangup API ended it."),
    Status(
        "ringing",
        "The call is ringing. An incoming call's answer URL request carries it, and so does the ring URL request of "
        "an outbound call.",
    ),
    Status("no-answer", "Nobody answered the call."),
    Status("busy", "The called line was busy."),
    Status(
        "cancel",
        "The call was cancelled before it was answered. Plivo's pages disagree on who cancels it: the caller, or "
        "the called party.",
    ),
    Status(
        "timeout",
        "Connecting the call timed out, because of a terminating carrier or network delay at Plivo.",
    ),
)


@dataclass(frozen=True)
class DialOutcome:
    """One value of ``DialStatus`` and how the simulator plays it.

    ``rang`` and ``hangup_cause`` are what the simulator sends with this
    outcome. Plivo documents the ``DialStatus`` values, that ``DialRingStatus``
    is ``true``/``false`` and that ``DialBLegUUID`` is empty when nobody
    answered; the pairing of a status with a hangup cause and a ring status is
    *not* documented, so the simulator's choice is marked unconfirmed.
    """

    status: str
    meaning: str
    rang: bool
    hangup_cause: str
    answered: bool  # a B leg exists only when the callee answered

    #: Whether Plivo documents the hangup cause/ring status paired here.
    pairing_confirmed: bool = False


#: ``DialStatus`` values (Plivo's dial status reporting page), in the order
#: the guide lists them. Plivo lists only the values: each ``meaning`` is this
#: guide's reading of the value, not Plivo's wording.
DIAL_OUTCOMES: tuple[DialOutcome, ...] = (
    DialOutcome("completed", "The callee answered; the bridged call has ended.", True, "NORMAL_CLEARING", True),
    DialOutcome("busy", "The callee's line was busy or rejected the call.", True, "USER_BUSY", False),
    DialOutcome("no-answer", "The callee's phone rang but nobody answered in time.", True, "NO_ANSWER", False),
    DialOutcome(
        "failed", "The call could not be placed, for example an invalid number.", False, "UNALLOCATED_NUMBER", False
    ),
    DialOutcome(
        "timeout", "Connecting timed out at a carrier or in Plivo's network.", False, "RECOVERY_ON_TIMER_EXPIRE", False
    ),
)

DIAL_STATUSES: tuple[str, ...] = tuple(o.status for o in DIAL_OUTCOMES)


def dial_outcome(status: str) -> DialOutcome:
    for outcome in DIAL_OUTCOMES:
        if outcome.status == status:
            return outcome
    raise KeyError(f"unknown DialStatus {status!r}; known: {', '.join(DIAL_STATUSES)}")


# --------------------------------------------------------------------------
# Parameters Plivo sends
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Parameter:
    name: str
    meaning: str
    #: A value as the simulator sends it ("" where the table shows none).
    example: str = ""
    #: Whether a Plivo page confirms that Plivo sends this parameter here.
    confirmed: bool = True
    #: The page the row comes from: Plivo's own, or the old open-source server's code.
    source: str = ""
    #: False for a parameter Plivo sends that the simulator does not (it needs a caller).
    simulated: bool = True


#: Where the rows below come from.
XML_REQUEST_PAGE = "https://docs.plivo.com/docs/voice/xml/request"
CALL_STATUS_PAGE = "https://www.plivo.com/docs/voice/xml/request/call-status/"
HANGUP_SUPPORT_PAGE = "https://support.plivo.com/hc/en-us/articles/360041883231"
CALL_OBJECT_PAGE = "https://www.plivo.com/docs/voice/api/call/the-call-object/"
HANGUP_CAUSES_PAGE = "https://docs.plivo.com/docs/voice/troubleshooting/hangup-causes"
CALLBACKS_PAGE = "https://docs.plivo.com/docs/voice/concepts/callbacks"
OLD_SERVER_SOURCE = "https://github.com/plivo/plivoframework/blob/master/src/plivo/rest/freeswitch/inboundsocket.py"


#: Sent to the Dial ``action`` URL when the dial ends.
DIAL_ACTION_PARAMETERS: tuple[Parameter, ...] = (
    Parameter("DialStatus", "Outcome of the dial: `completed`, `busy`, `failed`, `timeout` or `no-answer`.", "busy"),
    Parameter("DialRingStatus", "`true` if the dialled phone rang, `false` if it never did.", "true"),
    Parameter(
        "DialHangupCause",
        "Standard telephony hangup cause of the dialled leg, a name such as `NORMAL_CLEARING` (an example taken from "
        "Plivo's old open-source server; not confirmed for the hosted service).",
        "USER_BUSY",
    ),
    Parameter(
        "DialALegUUID",
        "`CallUUID` of the A leg: the inbound call that ran the `<Dial>`.",
        "6513270e-269e-4d37-b2a7-4de452e6b438",
    ),
    Parameter(
        "DialBLegUUID",
        "`CallUUID` of the B leg: the call to the dialled number. Empty when nobody answered.",
        "0f7c1b9a-3d52-4c1e-9a8f-2b6d4e1c7a90",
    ),
)

#: Sent to the answer URL (Plivo's XML request page); the simulator sends
#: all of these that apply to an inbound call.
ANSWER_PARAMETERS: tuple[Parameter, ...] = (
    Parameter("CallUUID", "Unique identifier of the call.", "6513270e-269e-4d37-b2a7-4de452e6b438"),
    Parameter("From", "Caller's number, with country code.", "+14155550123"),
    Parameter("To", "Called number: your Plivo number for an inbound call.", "+14155550199"),
    Parameter(
        "CallStatus",
        "`ringing`, `in-progress` or `completed`; for an outbound call that ended unanswered, also `busy`, `failed`, "
        "`timeout` or `no-answer`.",
        "ringing",
    ),
    Parameter("Direction", "`inbound` or `outbound`.", "inbound"),
    Parameter("Event", "`StartApp` on the request to the answer URL.", "StartApp"),
    Parameter("ALegUUID", "Outbound calls only: `CallUUID` of the first leg.", "6513270e-269e-4d37-b2a7-4de452e6b438"),
    Parameter(
        "ALegRequestUUID", "Outbound calls only: request ID of the first leg.", "6513270e-269e-4d37-b2a7-4de452e6b438"
    ),
    Parameter("ForwardedFrom", "Forwarded calls only, when the carrier provides it.", "+14155550142"),
    Parameter("HangupCause", "Only once the call has been hung up.", "NORMAL_CLEARING"),
    Parameter("Duration", "Only once the call has been hung up.", "42"),
    Parameter("BillDuration", "Only once the call has been hung up.", "60"),
)

#: Sent to the hangup URL when the call ends. An application's hangup URL is
#: its answer URL unless another is set (Application page). Plivo's table of
#: these parameters could not be read: the XML request page confirms the
#: hangup cause and the durations once a call has ended; the call's own
#: parameters are those of every request, and the rest come from the call
#: object and a support article.
HANGUP_PARAMETERS: tuple[Parameter, ...] = (
    Parameter(
        "CallUUID", "Unique identifier of the call.", "6513270e-269e-4d37-b2a7-4de452e6b438", False, XML_REQUEST_PAGE
    ),
    Parameter("From", "Caller's number, with country code.", "+14155550123", False, XML_REQUEST_PAGE),
    Parameter("To", "Called number: your Plivo number for an inbound call.", "+14155550199", False, XML_REQUEST_PAGE),
    Parameter("Direction", "`inbound` or `outbound`.", "inbound", False, XML_REQUEST_PAGE),
    Parameter(
        "CallStatus",
        "`completed` once the call has ended (an unanswered outbound call may end `busy`, `failed`, `timeout` or "
        "`no-answer`).",
        "completed",
        True,
        CALL_STATUS_PAGE,
    ),
    Parameter("Event", "`Hangup` on the hangup request.", "Hangup", False, CALL_OBJECT_PAGE),
    Parameter("Duration", "Length of the call in seconds.", "42", True, XML_REQUEST_PAGE),
    Parameter("BillDuration", "Seconds billed for the call.", "60", True, XML_REQUEST_PAGE),
    Parameter(
        "HangupCause", "Why the call ended, as a telephony cause name.", "NORMAL_CLEARING", True, XML_REQUEST_PAGE
    ),
    Parameter(
        "HangupCauseCode",
        "Plivo's numeric hangup cause (its hangup-causes page).",
        "4010",
        False,
        HANGUP_CAUSES_PAGE,
    ),
    Parameter("HangupCauseName", "Plivo's name for that code.", "End Of XML Instructions", False, HANGUP_CAUSES_PAGE),
    Parameter(
        "HangupSource", "Who ended the call, e.g. `Caller` or `Answer XML`.", "Answer XML", False, HANGUP_SUPPORT_PAGE
    ),
)


@dataclass(frozen=True)
class CallEnding:
    """How a simulated call ended, and the hangup cause the simulator reports for it.

    The cause codes and names are rows of Plivo's hangup-causes page; which of
    them Plivo reports for each ending is the simulator's choice.
    """

    ending: str
    meaning: str
    hangup_cause: str
    cause_code: int
    hangup_source: str
    confirmed: bool = False


CALL_ENDINGS: tuple[CallEnding, ...] = (
    CallEnding("end", "The XML ran out of instructions.", "NORMAL_CLEARING", 4010, "Answer XML"),
    CallEnding("hangup", "A `<Hangup>` ended the call.", "NORMAL_CLEARING", 4000, "Answer XML"),
    CallEnding("error", "A reply Plivo could not use ended the call.", "NORMAL_CLEARING", 0, "Error"),
)


def call_ending(ending: str) -> CallEnding:
    for known in CALL_ENDINGS:
        if known.ending == ending:
            return known
    raise KeyError(f"unknown call ending {ending!r}")


def hangup_cause_name(code: int) -> str:
    for cause in HANGUP_CAUSES:
        if cause.code == code:
            return cause.name
    raise KeyError(f"no hangup cause {code}")


#: Sent to a Dial's ``callbackUrl`` as the dial goes on. Plivo says it sends
#: such events and expects no XML back (callbacks page); its list of their
#: parameters could not be read, so the names come from Plivo's old
#: open-source server and are marked unconfirmed.
DIAL_CALLBACK_PARAMETERS: tuple[Parameter, ...] = (
    Parameter(
        "DialAction", "The event: `answer`, `connected`, `hangup` or `digits`.", "answer", False, OLD_SERVER_SOURCE
    ),
    Parameter(
        "Event",
        "The event again, e.g. `DialAnswer`, `DialConnected`, `DialHangup`.",
        "DialAnswer",
        False,
        CALLBACKS_PAGE,
    ),
    Parameter("CallUUID", "`CallUUID` of the A leg.", "6513270e-269e-4d37-b2a7-4de452e6b438", False, OLD_SERVER_SOURCE),
    Parameter(
        "DialALegUUID", "`CallUUID` of the A leg.", "6513270e-269e-4d37-b2a7-4de452e6b438", False, OLD_SERVER_SOURCE
    ),
    Parameter(
        "DialBLegUUID", "`CallUUID` of the B leg.", "a170b338-3926-4059-b28c-105d1fb17c23", False, OLD_SERVER_SOURCE
    ),
    Parameter(
        "DialBLegStatus", "State of the B leg: `answer`, `connected` or `hangup`.", "answer", False, OLD_SERVER_SOURCE
    ),
    Parameter("DialBLegFrom", "Caller ID the B leg was dialled with.", "+14155550123", False, OLD_SERVER_SOURCE),
    Parameter("DialBLegTo", "Number the B leg dialled.", "+15555550100", False, OLD_SERVER_SOURCE),
    Parameter("DialBLegHangupCause", "On `hangup`: why the B leg ended.", "NORMAL_CLEARING", False, OLD_SERVER_SOURCE),
    Parameter("DialBLegDuration", "On `hangup`: seconds the B leg lasted.", "30", False, OLD_SERVER_SOURCE),
    Parameter("DialBLegBillDuration", "On `hangup`: seconds billed for the B leg.", "60", False, OLD_SERVER_SOURCE),
    Parameter(
        "DialBLegHangupCauseCode",
        "On `hangup`: Plivo's numeric cause (the hangup-causes page says DialHangup events carry it).",
        "",
        False,
        HANGUP_CAUSES_PAGE,
        simulated=False,
    ),
    Parameter(
        "DialDigitsMatch",
        "On `digits`: the `digitsMatch` pattern that was pressed.",
        "",
        False,
        OLD_SERVER_SOURCE,
        simulated=False,
    ),
    Parameter("DialDigitsPressedBy", "On `digits`: `ALeg` or `BLeg`.", "", False, CALLBACKS_PAGE, simulated=False),
)


@dataclass(frozen=True)
class DialCallbackEvent:
    """One ``callbackUrl`` event the simulator sends, with its parameter names."""

    action: str  # DialAction
    event: str  # Event
    when: str
    parameters: tuple[str, ...]
    confirmed: bool = False


_EVERY_EVENT = (
    "DialAction",
    "Event",
    "CallUUID",
    "DialALegUUID",
    "DialBLegUUID",
    "DialBLegStatus",
    "DialBLegFrom",
    "DialBLegTo",
)
_HANGUP_EVENT = ("DialBLegHangupCause", "DialBLegDuration", "DialBLegBillDuration")

#: In the order they are sent. An unanswered dial sends only ``hangup``.
DIAL_CALLBACK_EVENTS: tuple[DialCallbackEvent, ...] = (
    DialCallbackEvent("answer", "DialAnswer", "the callee answers", _EVERY_EVENT),
    DialCallbackEvent("connected", "DialConnected", "the callee is bridged to the caller", _EVERY_EVENT),
    DialCallbackEvent("hangup", "DialHangup", "the B leg ends, answered or not", _EVERY_EVENT + _HANGUP_EVENT),
)

# --------------------------------------------------------------------------
# Plivo XML grammar checked by the simulator
# --------------------------------------------------------------------------

BOOLEAN = "true/false"
HTTP_METHOD = "GET/POST"
URL = "absolute http(s) URL"
POSITIVE_INT = "positive integer"
TEXT = "text"
KEY = "one of 0-9, #, *"


@dataclass(frozen=True)
class Attribute:
    name: str
    kind: str  # one of the kind constants above
    default: str
    meaning: str
    #: Why part of this row is not confirmed by Plivo's documentation ("" when it is).
    unconfirmed: str = ""


#: Attributes of ``<Dial>``: the whitelist every Plivo server SDK shares.
DIAL_ATTRIBUTES: tuple[Attribute, ...] = (
    Attribute("action", URL, "none", "Requested when the dial ends, with the dial outcome."),
    Attribute("method", HTTP_METHOD, "POST", "HTTP method used to request `action`."),
    Attribute(
        "redirect",
        BOOLEAN,
        "true",
        "`true`: the call continues with the XML that `action` returns. `false`: the reply is ignored and the call "
        "continues after `<Dial>`.",
        unconfirmed="what `false` does comes from Plivo's old open-source server, not the hosted service's docs",
    ),
    Attribute("timeout", POSITIVE_INT, "no default", "Seconds the callee has to answer."),
    Attribute("timeLimit", POSITIVE_INT, "14400", "Longest the bridged call may last, in seconds."),
    Attribute("hangupOnStar", BOOLEAN, "false", "The caller can press `*` to drop the callee and go on with the XML."),
    Attribute("callerId", TEXT, "caller's number", "Caller ID shown to the callee (spelt `callerId`, not `callerID`)."),
    Attribute("callerName", TEXT, "caller's name", "Caller name shown to the callee, at most 50 characters."),
    Attribute("confirmSound", URL, "none", "XML with `Play`, `Speak` or `Wait` played to the callee on answer."),
    Attribute("confirmKey", KEY, "none", "Key the callee must press to accept the call."),
    Attribute("confirmTimeout", POSITIVE_INT, "120", "Seconds the callee has to press `confirmKey`."),
    Attribute(
        "dialMusic",
        TEXT,
        "none",
        "URL that returns XML (`Play`, `Speak`, `Wait`) for what the caller hears while the dial rings, not an audio "
        "file; or `real` for the real ringback.",
    ),
    Attribute("callbackUrl", URL, "none", "Receives real-time dial events; no XML is expected back."),
    Attribute(
        "callbackMethod",
        HTTP_METHOD,
        "POST",
        "HTTP method used to request `callbackUrl`.",
        unconfirmed="the `POST` default comes from Plivo's old open-source server; current docs give none",
    ),
    Attribute("digitsMatch", TEXT, "none", "Digit patterns pressed on the A leg, reported to `callbackUrl`."),
    Attribute("digitsMatchBLeg", TEXT, "none", "Digit patterns pressed on the B leg, reported to `callbackUrl`."),
    Attribute("sipHeaders", TEXT, "none", "`key=value` pairs, comma separated, sent to a SIP callee."),
)

#: Attributes of ``<Number>``: the part every Plivo server SDK accepts.
NUMBER_ATTRIBUTES: tuple[Attribute, ...] = (
    Attribute("sendDigits", TEXT, "none", "DTMF digits sent after the callee answers; `w` waits half a second."),
    Attribute("sendOnPreanswer", BOOLEAN, "false", "Send `sendDigits` during early media, before the answer."),
    Attribute("sendDigitsMode", TEXT, "none", "How the digits are sent (SDK whitelists)."),
)

#: Attributes of ``<User>``, likewise.
USER_ATTRIBUTES: tuple[Attribute, ...] = (
    Attribute("sendDigits", TEXT, "none", "DTMF digits sent after the callee answers."),
    Attribute("sendOnPreanswer", BOOLEAN, "false", "Send `sendDigits` during early media."),
    Attribute("sipHeaders", TEXT, "none", "`key=value` pairs, comma separated."),
)


@dataclass(frozen=True)
class Element:
    """A Plivo XML element the simulator knows.

    ``attributes`` is None where this project has no checked list of the
    element's attributes: the simulator then accepts any attribute on it.
    """

    name: str
    attributes: tuple[Attribute, ...] | None
    children: tuple[str, ...] = ()
    text: str = "none"  # "none", "optional" or "required"


#: Verbs allowed directly under ``<Response>``.
RESPONSE_VERBS: tuple[str, ...] = (
    "Conference",
    "DTMF",
    "Dial",
    "GetDigits",
    "GetInput",
    "Hangup",
    "Message",
    "MultiPartyCall",
    "Play",
    "PreAnswer",
    "Record",
    "Redirect",
    "Speak",
    "Stream",
    "Wait",
)

ELEMENTS: dict[str, Element] = {
    "Response": Element("Response", (), RESPONSE_VERBS),
    "Dial": Element("Dial", DIAL_ATTRIBUTES, ("Number", "User")),
    "Number": Element("Number", NUMBER_ATTRIBUTES, (), "required"),
    "User": Element("User", USER_ATTRIBUTES, (), "required"),
    "Speak": Element("Speak", None, (), "required"),
    "Play": Element("Play", None, (), "required"),
    "Hangup": Element("Hangup", None),
    "Wait": Element("Wait", None),
    "Redirect": Element("Redirect", None, (), "required"),
}
# The verbs this project has no grammar for: known, not checked beyond the name.
for _verb in RESPONSE_VERBS:
    ELEMENTS.setdefault(_verb, Element(_verb, None, ("*",), "optional"))

#: Content types Plivo accepts for XML replies.
XML_CONTENT_TYPES: tuple[str, ...] = ("application/xml", "text/xml")

# --------------------------------------------------------------------------
# Hangup causes
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class HangupCause:
    code: int
    name: str
    group: str


#: The rows of Plivo's hangup-causes page that could be read and confirmed.
HANGUP_CAUSES: tuple[HangupCause, ...] = (
    HangupCause(0, "Unknown", "Unknown"),
    HangupCause(1000, "Canceled (Hangup Call API before answer)", "Canceled"),
    HangupCause(1010, "Canceled (Out Of Credits)", "Canceled"),
    HangupCause(1020, "Canceled (Simultaneous dial limit reached)", "Canceled"),
    HangupCause(2000, "Invalid Destination Address", "Destination issues"),
    HangupCause(2010, "Destination Out Of Service", "Destination issues"),
    HangupCause(2020, "Endpoint Not Registered", "Destination issues"),
    HangupCause(2030, "Destination Country Barred", "Destination issues"),
    HangupCause(2040, "Destination Number Barred", "Destination issues"),
    HangupCause(2060, "Loop Detected", "Destination issues"),
    HangupCause(4000, "Normal Hangup", "Normal"),
    HangupCause(4010, "End Of XML Instructions", "Normal"),
    HangupCause(4020, "Multiparty Call Ended", "Normal"),
    HangupCause(4030, "Kicked Out Of Multiparty Call", "Normal"),
)

# --------------------------------------------------------------------------
# Signatures and retries
# --------------------------------------------------------------------------

SIGNATURE_HEADER = "X-Plivo-Signature-V3"
NONCE_HEADER = "X-Plivo-Signature-V3-Nonce"


@dataclass(frozen=True)
class SignatureVector:
    url: str
    method: str
    signature: str


#: Plivo's published V3 test vectors (plivo-go ``utils_test.go``).
SIGNATURE_VECTOR_AUTH_TOKEN = "Y2Q2ZDgxZmY5YWRiOTI5YmQ1Njg0MTAxZWIyOTc4"
SIGNATURE_VECTOR_NONCE = "31627761595286130198"
SIGNATURE_VECTOR_PARAMS: dict[str, str] = {
    "Direction": "outbound",
    "From": "19792014278",
    "ALegUUID": "3e82ae9d-2c78-4d85-b1a4-6eae7dbafb36",
    "CallStatus": "in-progress",
    "BillRate": "0.002",
    "ParentAuthID": "MANWVLYTK4ZWU1YTY4QA",
    "To": "sip:PlivoSignature382029104058171078704104@phone-qa.voice.plivodev.com",
    "ALegRequestUUID": "3e82ae9d-2c78-4d85-b1a4-6eae7dbafb36",
    "CallUUID": "3e82ae9d-2c78-4d85-b1a4-6eae7dbafb36",
    "RequestUUID": "3e82ae9d-2c78-4d85-b1a4-6eae7dbafb36",
    "SIP-H-To": "<sip:PlivoSignature382029104058171078704104@52.9.11.55;transport=udp>;tag=1",
    "SessionStart": "2020-04-08 11:34:33.238707",
    "Event": "StartApp",
}
SIGNATURE_VECTORS: tuple[SignatureVector, ...] = (
    SignatureVector(
        "https://plivobin.non-prod.plivops.com/api/v1/validate_signature03.xml/?a=b&c=d",
        "POST",
        "k7Pusd4OxCIjR5IfA9iedDNu/h/gbdYqdzG/MiYtd1c=",
    ),
    SignatureVector(
        "https://plivobin.non-prod.plivops.com/api/v1/validate_signature03.xml/?a=b&c=d",
        "GET",
        "UBq8jAtd32wR8EK9VgxbBn4n5rpI/l1H9iN4WfSEHFQ=",
    ),
    SignatureVector(
        "https://plivobin.non-prod.plivops.com/api/v1/validate_signature03.xml",
        "POST",
        "iAjE5QqI37mbkYe4w3jTMudqEzbDufdqi7sYwTu64e0=",
    ),
    SignatureVector(
        "https://plivobin.non-prod.plivops.com/api/v1/validate_signature03.xml",
        "GET",
        "i/MQsaQSAd6fiKhOh2qeeeLHZ9faldADSb3/7+Akfbc=",
    ),
)


@dataclass(frozen=True)
class CallbackSetting:
    key: str
    meaning: str
    range: str
    default: str


#: Plivo's callback retry settings, set as a URL fragment (``#rt=5000&rc=2``).
CALLBACK_SETTINGS: tuple[CallbackSetting, ...] = (
    CallbackSetting("ct", "TCP connect timeout, ms", "100-10000", "2000"),
    CallbackSetting("rt", "Read timeout (first byte, and between packets), ms", "100-40000", "40000"),
    CallbackSetting("tt", "Total time including retries, ms", "100-55000", "55000"),
    CallbackSetting("rc", "Retries of the same URL", "0-5", "1"),
    CallbackSetting("rp", "Retry on: `4xx`, `5xx`, `ct`, `rt`, `all`", "comma list", "ct,rt"),
    CallbackSetting("er", "Edge region the request is sent from", "`nearest`, `local` or a named region", "nearest"),
)
