"""Dial status reporting with Flask and Plivo's Python SDK.

Plivo requests /dialstatus/ when a call comes in; the XML returned there dials
DIAL_NUMBER. When that dial ends, Plivo requests /dialstatus/action/ with the
outcome, and because the Dial has redirect="true", the call goes on with the
XML that URL returns. When the call ends, Plivo requests /dialstatus/ again.
"""

import functools
import hmac
import os
import re
import sys
import threading

from flask import Flask, Response, request
from plivo import plivoxml
from plivo.exceptions import ValidationError
from plivo.utils.signature_v3 import (
    construct_get_url,
    get_signature_v3,
    get_sorted_params_string,
    validate_v3_signature,
)
from waitress import serve

# Checked on import, so the app refuses to run without it whatever starts it.
AUTH_TOKEN = os.environ.get("PLIVO_AUTH_TOKEN")
if not AUTH_TOKEN:
    sys.exit("PLIVO_AUTH_TOKEN is not set: it is needed to check Plivo's signatures.")
HOST = os.environ.get("HOST", "127.0.0.1")
PORT = os.environ.get("PORT", "8083")
if not re.fullmatch(r"[0-9]{1,5}", PORT) or not 0 < int(PORT) < 65536:
    sys.exit(f"PORT must be a port number from 1 to 65535, not {PORT!r}.")
# The base URL Plivo uses to reach this server (your tunnel or domain).
PUBLIC_URL = os.environ.get("PUBLIC_URL", f"http://127.0.0.1:{PORT}").rstrip("/")
DIAL_NUMBER = os.environ.get("DIAL_NUMBER", "+15555550100")
APOLOGY = "Sorry, the person you are calling could not be reached. Goodbye."
# Plivo's requests are a few hundred bytes; larger bodies get 413.
MAX_BODY = 64 * 1024

app = Flask(__name__)
app.config["MAX_CONTENT_LENGTH"] = MAX_BODY

# Spaces, controls (CR and LF included) and Unicode line separators would let
# a caller forge log lines or fields, so each becomes "_".
UNSAFE_IN_LOG = re.compile("[\x00-\x20\x7f-\x9f\u2028\u2029]")
LOG_LOCK = threading.Lock()


def log_safe(value):
    return UNSAFE_IN_LOG.sub("_", value or "")


def log(line):
    # waitress answers on several threads: one locked, flushed write per line
    # keeps lines whole.
    with LOG_LOCK:
        print(line, flush=True)


def plivo_params():
    """Plivo's parameters: the form body of a POST, the query string of a GET."""
    return request.form if request.method == "POST" else request.args


def xml_response(element):
    return Response(element.to_string(False), mimetype="application/xml")


# --8<-- [start:verify]
def signature_matches(signature, nonce):
    """The SDK's V3 check of this request, for our public URL (not the local one a tunnel hides)."""
    # plivo 4.63 raises on a non-ASCII escape in a URL's query, so the query goes to it decoded.
    url, query = PUBLIC_URL + request.path, request.args.to_dict(flat=False)
    if request.method == "GET":
        return validate_v3_signature("GET", url, nonce, AUTH_TOKEN, signature, query)
    form = request.form.to_dict(flat=False)
    if not query:
        return validate_v3_signature("POST", url, nonce, AUTH_TOKEN, signature, form)
    # A POST with a query: the helper takes that only in the URL, so its own steps sign it.
    signed = construct_get_url(url, query, not form).decode() + get_sorted_params_string(form)
    expected = get_signature_v3(AUTH_TOKEN, signed, nonce).decode()
    return any(hmac.compare_digest(expected, candidate) for candidate in signature.split(","))


def plivo_signed(view):
    """Refuse with 403 any request that does not carry a valid V3 signature."""

    @functools.wraps(view)
    def checked(*args, **kwargs):
        signature = request.headers.get("X-Plivo-Signature-V3", "")
        nonce = request.headers.get("X-Plivo-Signature-V3-Nonce", "")
        query = request.query_string.decode("latin-1")
        url = PUBLIC_URL + request.path + (f"?{query}" if query else "")  # as Plivo called it, for the log
        if not (signature and nonce):
            reason = "no-signature"
        else:
            try:
                valid = signature_matches(signature, nonce)
            except (ValidationError, ValueError):  # arguments the SDK cannot validate
                valid = False
            reason = None if valid else "bad-signature"
        if reason:
            log(f"request-refused reason={reason} url={log_safe(url)}")
            return Response("Missing or invalid Plivo signature\n", status=403, mimetype="text/plain")
        return view(*args, **kwargs)

    return checked


# --8<-- [end:verify]


# --8<-- [start:answer]
def dial_reply(number, action_path):
    """XML that dials ``number`` and has Plivo report the outcome to ``action_path``."""
    dial = plivoxml.DialElement(action=PUBLIC_URL + action_path, method="POST", redirect=True)
    dial.add(plivoxml.NumberElement(number))
    return xml_response(plivoxml.ResponseElement().add(dial))


@app.route("/dialstatus/", methods=["GET", "POST"])
@plivo_signed
def answer():
    fields = plivo_params()
    if fields.get("CallStatus", "") in ("", "ringing", "in-progress"):
        return dial_reply(DIAL_NUMBER, "/dialstatus/action/")
    # Any other CallStatus is the hangup request: the call is over.
    log(
        f"call-hangup call={log_safe(fields.get('CallUUID'))}"
        f" status={log_safe(fields.get('CallStatus'))}"
        f" hangup_cause={log_safe(fields.get('HangupCause'))}"
        f" duration={log_safe(fields.get('Duration'))}"
    )
    return xml_response(plivoxml.ResponseElement())


# --8<-- [end:answer]


# --8<-- [start:action]
def log_dial_status(fields):
    log(
        f"dial-status status={log_safe(fields.get('DialStatus'))}"
        f" aleg={log_safe(fields.get('DialALegUUID'))}"
        f" bleg={log_safe(fields.get('DialBLegUUID'))}"
        f" hangup_cause={log_safe(fields.get('DialHangupCause'))}"
        f" rang={log_safe(fields.get('DialRingStatus'))}"
    )


@app.route("/dialstatus/action/", methods=["GET", "POST"])
@plivo_signed
def dial_action():
    fields = plivo_params()
    status = fields.get("DialStatus")
    if not status:
        return Response("DialStatus is missing\n", status=400, mimetype="text/plain")
    log_dial_status(fields)
    reply = plivoxml.ResponseElement()
    # redirect="true": Plivo runs this XML next. An empty <Response/> ends
    # the call; any other status (Plivo may add new ones) is a failed dial.
    if status != "completed":
        reply.add(plivoxml.SpeakElement(APOLOGY))
    return xml_response(reply)


# --8<-- [end:action]


def run(wsgi_app):
    """Serve ``wsgi_app`` with waitress on HOST:PORT, or exit with a message."""
    try:
        serve(wsgi_app, host=HOST, port=int(PORT))
    except (OSError, ValueError) as error:  # the port is taken, or HOST is no address here
        sys.exit(f"Cannot listen on {HOST}:{PORT}: {error}")


if __name__ == "__main__":
    run(app)
