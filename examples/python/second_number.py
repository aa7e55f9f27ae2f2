"""Recipe: try a second number when the first is busy or does not answer.

The same server as app.py, with one change: when the dial to DIAL_NUMBER ends
busy or unanswered, the action URL dials SECOND_NUMBER, whose outcome Plivo
reports to /dialstatus/second/. That URL is app.py's action handler, so the
caller hears the apology only when the second dial fails too.
"""

import os

from flask import Flask

from app import MAX_BODY, answer, dial_action, dial_reply, log_dial_status, plivo_params, plivo_signed, run

SECOND_NUMBER = os.environ.get("SECOND_NUMBER", "+15555550101")
TRY_AGAIN_ON = ("busy", "no-answer")

app = Flask(__name__)
app.config["MAX_CONTENT_LENGTH"] = MAX_BODY
app.add_url_rule("/dialstatus/", view_func=answer, methods=["GET", "POST"])
app.add_url_rule("/dialstatus/second/", view_func=dial_action, methods=["GET", "POST"])


@app.route("/dialstatus/action/", methods=["GET", "POST"])
@plivo_signed
def first_dial_action():
    fields = plivo_params()
    if fields.get("DialStatus") not in TRY_AGAIN_ON:
        return dial_action.__wrapped__()  # app.py's reply; the signature is checked already
    log_dial_status(fields)
    return dial_reply(SECOND_NUMBER, "/dialstatus/second/")


if __name__ == "__main__":
    run(app)
