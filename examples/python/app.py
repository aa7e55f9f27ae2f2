"""Dial status reporting with Flask and Plivo's Python SDK.

Plivo requests /dialstatus/ when a call comes in; the XML returned there dials
DIAL_NUMBER. When that dial ends, Plivo requests /dialstatus/action/ with the
outcome, and because the Dial has redirect="true", the call goes on with the
XML that URL returns.
"""

import functools
import os
import re
import sys

from flask import Flask, Response, abort, request
from plivo import plivoxml
from plivo.utils.signature_v3 import validate_v3_signature
from waitress import serve

PORT = int(os.environ.get("PORT", "8083"))
HOST = os.environ.get("HOST", "127.0.0.1")
AUTH_TOKEN = os.environ.get("PLIVO_AUTH_TOKEN", "")
# The base URL Plivo uses to reach this server (your tunnel or domain).
PUBLIC_URL = os.environ.get("PUBLIC_URL", f"http://127.0.0.1:{PORT}").rstrip("/")
DIAL_NUMBER = os.environ.get("DIAL_NUMBER", "+15555550100")

app = Flask(__name__)
# Plivo's callbacks are a few hundred bytes; refuse anything large with 413.
app.config["MAX_CONTENT_LENGTH"] = 64 * 1024


def xml_response(element):
    return Response(element.to_string(False), mimetype="application/xml")


# --8<-- [start:verify]
def plivo_signed(view):
    """Reject with 403 any request that does not carry a valid V3 signature."""

    @functools.wraps(view)
    def checked(*args, **kwargs):
        signature = request.headers.get("X-Plivo-Signature-V3", "")
        nonce = request.headers.get("X-Plivo-Signature-V3-Nonce", "")
        # Plivo signs the URL it called: our public URL, not the local one
        # Flask sees behind a tunnel or proxy.
        url = PUBLIC_URL + request.full_path.rstrip("?")
        # For POST only the form body is signed; a GET's parameters are
        # already in the URL's query string.
        params = request.form.to_dict(flat=False) if request.method == "POST" else {}
        try:
            valid = bool(signature and nonce) and validate_v3_signature(
                request.method, url, nonce, AUTH_TOKEN, signature, params
            )
        except Exception:  # the SDK raises on arguments it cannot validate
            valid = False
        if not valid:
            abort(403)
        return view(*args, **kwargs)

    return checked


# --8<-- [end:verify]


# --8<-- [start:answer]
@app.route("/dialstatus/", methods=["GET", "POST"])
@plivo_signed
def answer():
    dial = plivoxml.DialElement(action=f"{PUBLIC_URL}/dialstatus/action/", method="POST", redirect=True)
    dial.add(plivoxml.NumberElement(DIAL_NUMBER))
    return xml_response(plivoxml.ResponseElement().add(dial))


# --8<-- [end:answer]

# Control characters (CR and LF included) and spaces would let a caller forge
# log lines or fields, so each becomes "_".
UNSAFE_IN_LOG = re.compile(r"[\x00-\x20\x7f-\x9f]")


def for_log(value):
    return UNSAFE_IN_LOG.sub("_", value or "")


# --8<-- [start:action]
@app.route("/dialstatus/action/", methods=["GET", "POST"])
@plivo_signed
def dial_action():
    fields = request.form if request.method == "POST" else request.args
    status = fields.get("DialStatus")
    if not status:
        return Response("DialStatus is missing\n", status=400, mimetype="text/plain")
    print(
        f"dial-status status={for_log(status)}"
        f" aleg={for_log(fields.get('DialALegUUID'))}"
        f" bleg={for_log(fields.get('DialBLegUUID'))}"
        f" hangup_cause={for_log(fields.get('DialHangupCause'))}"
        f" rang={for_log(fields.get('DialRingStatus'))}",
        flush=True,
    )
    reply = plivoxml.ResponseElement()
    # redirect="true": Plivo runs this XML next. An empty <Response/> ends
    # the call; any other status (Plivo may add new ones) is a failed dial.
    if status != "completed":
        reply.add(plivoxml.SpeakElement("Sorry, the person you are calling could not be reached. Goodbye."))
    return xml_response(reply)


# --8<-- [end:action]


def main():
    if not AUTH_TOKEN:
        sys.exit("PLIVO_AUTH_TOKEN is not set: it is needed to check Plivo's signatures.")
    print(f"Serving on http://{HOST}:{PORT} (public URL {PUBLIC_URL})", flush=True)
    serve(app, host=HOST, port=PORT)


if __name__ == "__main__":
    main()
