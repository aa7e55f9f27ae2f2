"""The hostile-input corpus: what a stranger can send to an example, one row per case.

tests/test_hostile.py sends every row to both URLs of every example, unsigned
and, where a signature means something (a well-formed GET or POST), signed
as Plivo would sign what a lenient parser reads. One more case is one more row.

A row is either a well-formed request described by its parts (``method``,
``query``, ``headers``, ``body``; Host, Connection: close and Content-Length
are added unless the row's headers set a length or chunking) or ``raw``
bytes sent as they are (``{path}`` is the URL path under test). ``mode``:

- ``"send"``: send it, read the reply;
- ``"pipeline"``: the request twice in one write; both are answered;
- ``"slow"``: trickle it a few bytes at a time for a few seconds (slow-loris),
  while Plivo's follow-up request is made;
- ``"idle"``: open connections and never write to them, while the follow-up is made;
- ``"close"``: send it and close the connection at once.

``reply``: ``"required"`` (a status line must come back), or ``"optional"``
(closing the connection, or waiting for bytes the client never sends, is a
fair answer to a protocol violation).
"""

from __future__ import annotations

from dataclasses import dataclass

FORM = b"Content-Type: application/x-www-form-urlencoded\r\n"
#: A Dial action body as Plivo sends it; cases bend it.
PLAIN = b"DialStatus=busy&DialALegUUID=hostile-aleg&DialBLegUUID=&DialHangupCause=USER_BUSY&DialRingStatus=true"


def every_field(value: bytes) -> bytes:
    """A form with ``value`` appended to every field the examples log."""
    names = [b"DialStatus", b"DialALegUUID", b"DialBLegUUID", b"DialHangupCause", b"DialRingStatus"]
    names += [b"CallUUID", b"CallStatus", b"HangupCause", b"Duration"]
    return b"&".join(name + b"=v" + value for name in names)


@dataclass(frozen=True)
class Case:
    name: str
    method: str = "POST"
    query: bytes = b""
    headers: bytes = b""
    body: bytes = b""
    raw: bytes | None = None
    mode: str = "send"
    reply: str = "required"

    @property
    def signable(self) -> bool:
        """Whether a signed variant means something: a well-formed GET or POST."""
        return (
            self.raw is None
            and self.method in ("GET", "POST")
            and self.mode in ("send", "pipeline")
            and b"X-Plivo-Signature" not in self.headers  # the row brings its own
        )


CASES = [
    # -- percent-escapes and encodings
    Case("bad-percent-escape-body", headers=FORM, body=b"DialStatus=busy&DialALegUUID=%zz%&DialBLegUUID=%"),
    Case("bad-percent-escape-query", method="GET", query=b"?DialStatus=%zz&DialALegUUID=%4"),
    Case("invalid-utf8-body", headers=FORM, body=b"DialStatus=busy%ff%fe&DialALegUUID=\xff\xfe\xc3\x28"),
    Case("invalid-utf8-escaped-query", method="GET", query=b"?DialStatus=busy%ff&DialALegUUID=%c3%28"),
    # Bytes above 0x7F are not allowed in a request target: a protocol violation, so closing is fair.
    Case(
        "invalid-utf8-raw-query",
        method="GET",
        query=b"?DialStatus=busy\xff\xfe&DialALegUUID=\xc3\x28",
        reply="optional",
    ),
    # Valid UTF-8, unescaped: still not allowed in a request target, yet servers and proxies pass it on.
    Case(
        "utf8-raw-query",
        method="GET",
        query="?DialStatus=busy&DialALegUUID=hostile-aleg&CallerName=José_Müller_李".encode(),
        reply="optional",
    ),
    Case(
        "utf8-raw-query-post",
        query="?caller=José_Müller_李".encode(),
        headers=FORM,
        body=PLAIN + "&CallerName=José%20Müller%20李".encode(),
        reply="optional",
    ),
    Case("overlong-utf8-body", headers=FORM, body=b"DialStatus=%c0%afbusy&DialALegUUID=%e0%80%80"),
    # -- characters that end lines or forge fields, in every logged field
    Case("nul-escaped-every-field", headers=FORM, body=every_field(b"%00")),
    Case("nul-raw-body", headers=FORM, body=b"DialStatus=busy\x00&DialALegUUID=a\x00b"),
    Case("crlf-every-field", headers=FORM, body=every_field(b"%0D%0Adial-status%20status=completed%20aleg=forged")),
    Case("unicode-separators-every-field", headers=FORM, body=every_field(b"%E2%80%A8%E2%80%A9%C2%85x")),
    Case("escape-and-del-every-field", headers=FORM, body=every_field(b"%1B%5B2J%7F%09%20x")),
    Case("crlf-in-query", method="GET", query=b"?DialStatus=busy%0D%0Acall-hangup%20call=forged&CallStatus=x%0A"),
    # -- parameters
    Case("duplicate-parameters-body", headers=FORM, body=PLAIN + b"&DialStatus=completed&DialALegUUID=second"),
    Case("duplicate-parameters-query", method="GET", query=b"?DialStatus=busy&DialStatus=completed&DialALegUUID=x"),
    Case("empty-names-and-values", headers=FORM, body=b"=&==&&DialStatus&=busy&DialALegUUID="),
    Case("10000-fields", headers=FORM, body=b"DialStatus=busy&" + b"&".join(b"f%d=" % i for i in range(10000))),
    Case("1mb-field", headers=FORM, body=b"DialStatus=busy&DialALegUUID=" + b"a" * 1024 * 1024),
    # -- content types
    Case("json-body", headers=b"Content-Type: application/json\r\n", body=b'{"DialStatus": "busy"}'),
    Case(
        "multipart-body",
        headers=b"Content-Type: multipart/form-data; boundary=XyZ\r\n",
        body=b'--XyZ\r\nContent-Disposition: form-data; name="DialStatus"\r\n\r\nbusy\r\n--XyZ--\r\n',
    ),
    Case("multipart-without-boundary", headers=b"Content-Type: multipart/form-data\r\n", body=b"--\r\nDialStatus\r\n"),
    Case("no-content-type", body=PLAIN),
    Case("text-plain", headers=b"Content-Type: text/plain; charset=utf-8\r\n", body=PLAIN),
    Case(
        "form-with-odd-charset",
        headers=b"Content-Type: application/x-www-form-urlencoded; charset=ebcdic\r\n",
        body=PLAIN,
    ),
    Case("xml-body", headers=b"Content-Type: application/xml\r\n", body=b"<DialStatus>busy</DialStatus>"),
    Case("gzip-encoded-garbage", headers=FORM + b"Content-Encoding: gzip\r\n", body=b"\x1f\x8bnot really gzip"),
    # -- sizes
    Case("64kb-url", method="GET", query=b"?DialStatus=busy&pad=" + b"x" * 64 * 1024),
    Case("100kb-header", headers=FORM + b"X-Padding: " + b"h" * 100 * 1024 + b"\r\n", body=PLAIN),
    Case("1000-headers", headers=FORM + b"".join(b"X-H%d: %s\r\n" % (i, b"v" * 90) for i in range(1000)), body=PLAIN),
    # -- framing: chunks and lengths
    Case(
        "bad-chunk-size",
        headers=FORM + b"Transfer-Encoding: chunked\r\n",
        body=b"zz\r\nDialStatus=busy\r\n0\r\n\r\n",
        reply="optional",
    ),
    Case(
        "oversized-chunk-size",
        headers=FORM + b"Transfer-Encoding: chunked\r\n",
        body=b"ffffffffffffffffff\r\nDialStatus=busy\r\n0\r\n\r\n",
        reply="optional",
    ),
    Case(
        "negative-chunk-size",
        headers=FORM + b"Transfer-Encoding: chunked\r\n",
        body=b"-5\r\nDialStatus=busy\r\n0\r\n\r\n",
        reply="optional",
    ),
    Case(
        "chunk-longer-than-declared",
        headers=FORM + b"Transfer-Encoding: chunked\r\n",
        body=b"3\r\nDialStatus=busy\r\n0\r\n\r\n",
        reply="optional",
    ),
    Case("content-length-short", headers=FORM + b"Content-Length: 5\r\n", body=PLAIN, reply="optional"),
    Case("content-length-long", headers=FORM + b"Content-Length: 5000\r\n", body=PLAIN, reply="optional"),
    Case("content-length-negative", headers=FORM + b"Content-Length: -1\r\n", body=PLAIN, reply="optional"),
    Case("content-length-not-a-number", headers=FORM + b"Content-Length: 1e3\r\n", body=PLAIN, reply="optional"),
    Case(
        "content-length-twice",
        headers=FORM + b"Content-Length: 10\r\nContent-Length: 20\r\n",
        body=PLAIN,
        reply="optional",
    ),
    Case(
        "content-length-and-chunked",
        headers=FORM + b"Content-Length: 4\r\nTransfer-Encoding: chunked\r\n",
        body=b"f\r\nDialStatus=busy\r\n0\r\n\r\n",
        reply="optional",
    ),
    Case(
        "huge-content-length", headers=FORM + b"Content-Length: 99999999999999999999\r\n", body=PLAIN, reply="optional"
    ),
    # -- connections
    Case("pipelined", headers=FORM, body=PLAIN, mode="pipeline"),
    Case(
        "slow-loris",
        raw=b"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nX-Slow: "
        + b"s" * 40,
        mode="slow",
        reply="optional",
    ),
    Case("never-written", raw=b"", mode="idle", reply="optional"),
    Case("closed-mid-headers", raw=b"POST {path} HTTP/1.1\r\nHost: 127.", mode="close", reply="optional"),
    # -- methods, versions and request lines
    Case("odd-method", method="FOO", headers=FORM, body=PLAIN),
    Case("trace-method", method="TRACE"),
    Case("options-method", method="OPTIONS"),
    Case(
        "lowercase-method", raw=b"get {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", reply="optional"
    ),
    Case("connect-method", raw=b"CONNECT 127.0.0.1:80 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", reply="optional"),
    Case("http-0.9", raw=b"GET {path}\r\n\r\n", reply="optional"),
    Case("http-1.0-no-host", raw=b"GET {path} HTTP/1.0\r\n\r\n", reply="optional"),
    Case("http-1.1-no-host", raw=b"GET {path} HTTP/1.1\r\nConnection: close\r\n\r\n", reply="optional"),
    Case("http-9.9", raw=b"GET {path} HTTP/9.9\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", reply="optional"),
    Case("http-2-preface", raw=b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", reply="optional"),
    Case(
        "absolute-form-target",
        raw=b"GET http://elsewhere.example{path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
        reply="optional",
    ),
    Case("tls-client-hello", raw=b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 64, reply="optional"),
    Case(
        "header-without-colon", raw=b"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nNoColonHere\r\n\r\n", reply="optional"
    ),
    Case(
        "obsolete-line-folding",
        raw=b"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A: a\r\n  folded\r\nConnection: close\r\n\r\n",
        reply="optional",
    ),
    Case("bare-lf-line-ends", raw=b"GET {path} HTTP/1.1\nHost: 127.0.0.1\nConnection: close\n\n", reply="optional"),
    Case("expect-100-continue", headers=FORM + b"Expect: 100-continue\r\n", body=PLAIN),
    Case("get-with-body", method="GET", headers=FORM, body=PLAIN),
    # -- signature headers of every wrong shape
    Case(
        "signature-commas-only",
        headers=FORM + b"X-Plivo-Signature-V3: ,,,\r\nX-Plivo-Signature-V3-Nonce: 1\r\n",
        body=PLAIN,
    ),
    Case(
        "signature-not-base64",
        headers=FORM + b"X-Plivo-Signature-V3: !!\xff\xfe\r\nX-Plivo-Signature-V3-Nonce: \xff\r\n",
        body=PLAIN,
    ),
    Case(
        "signature-10000-entries",
        headers=FORM
        + b"X-Plivo-Signature-V3: "
        + b",".join([b"AAAA"] * 10000)
        + b"\r\nX-Plivo-Signature-V3-Nonce: 1\r\n",
        body=PLAIN,
    ),
    Case(
        "signature-header-twice",
        headers=FORM + b"X-Plivo-Signature-V3: a\r\nX-Plivo-Signature-V3: b\r\nX-Plivo-Signature-V3-Nonce: 1\r\n",
        body=PLAIN,
    ),
]
