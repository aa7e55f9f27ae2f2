"""One HTTP exchange with the server under test, recorded in full.

Built on ``http.client`` rather than a friendlier client because the simulator
must also send what a well-behaved client never would (any method, any body,
any Content-Length) and still record what came back.
"""

from __future__ import annotations

import http.client
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

#: Bodies are written in pieces so that a server that answers early (413)
#: and closes the connection can still be heard.
_CHUNK = 64 * 1024

#: The most of a reply body that is read; the rest is left unread. Plivo
#: itself takes at most 100 KB of XML, so anything near this is a fault.
MAX_REPLY_BYTES = 1024 * 1024

#: Seconds to wait for a reply (for the whole reply, not just its first byte).
DEFAULT_TIMEOUT = 10.0


@dataclass
class Exchange:
    """A request the simulator sent and what the server answered."""

    label: str
    method: str
    url: str  # where the request was delivered
    signed_url: str | None  # the URL the signature covers (the public URL)
    params: list[tuple[str, str]]
    request_headers: dict[str, str]
    status: int | None = None
    reason: str = ""
    reply_headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    error: str | None = None  # set when no HTTP reply was received
    seconds: float = 0.0
    #: Which part of the call this request is: "answer", "callback", "action",
    #: "redirect" or "hangup" ("" for a request outside a call).
    step: str = ""
    #: True when the connection itself failed: nothing was listening.
    unreachable: bool = False
    #: True when the reply body was longer than the simulator reads.
    truncated: bool = False
    #: The verbs of this reply's XML that were played without a request.
    played: list[str] = field(default_factory=list)

    @property
    def content_type(self) -> str | None:
        for name, value in self.reply_headers.items():
            if name.lower() == "content-type":
                return value
        return None

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    @property
    def ok_status(self) -> bool:
        return self.status is not None and 200 <= self.status < 300

    def to_dict(self) -> dict:
        return {
            "step": self.step,
            "label": self.label,
            "method": self.method,
            "url": self.url,
            "signed_url": self.signed_url,
            "params": [list(p) for p in self.params],
            "request_headers": self.request_headers,
            "status": self.status,
            "reply_headers": self.reply_headers,
            "body": self.text,
            "error": self.error,
            "unreachable": self.unreachable,
            "truncated": self.truncated,
            "played": list(self.played),
            "seconds": round(self.seconds, 4),
        }


def send(
    method: str,
    url: str,
    *,
    params: list[tuple[str, str]] | None = None,
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    label: str = "",
    signed_url: str | None = None,
    max_reply_bytes: int = MAX_REPLY_BYTES,
) -> Exchange:
    """Send one request and record the exchange; never raises for network trouble.

    For GET, ``params`` are appended to the URL's query; otherwise they become
    an ``application/x-www-form-urlencoded`` body, unless ``body`` is given
    (sent as is, for malformed-input tests). ``timeout`` bounds the whole
    exchange, so a server that trickles its reply cannot hold it up longer;
    at most ``max_reply_bytes`` of the body are read. Redirects are recorded,
    never followed.
    """
    params = list(params or [])
    headers = dict(headers or {})
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an absolute http(s) URL: {url!r}")
    target = parts.path or "/"
    query = parts.query
    if method == "GET" and params:
        query = f"{query}&{urlencode(params)}" if query else urlencode(params)
    if query:
        target = f"{target}?{query}"
    delivered = f"{parts.scheme}://{parts.netloc}{target}"
    if body is None and method != "GET" and params:
        body = urlencode(params).encode("ascii")
        headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
    if body is not None:
        headers.setdefault("Content-Length", str(len(body)))
    headers.setdefault("User-Agent", "dialsim (Plivo call simulator)")
    exchange = Exchange(label, method, delivered, signed_url, params, headers)

    connection_class = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = connection_class(parts.hostname, parts.port, timeout=timeout)
    started = time.monotonic()
    try:
        try:
            connection.connect()
        except (OSError, http.client.HTTPException) as error:
            exchange.unreachable = True
            exchange.error = f"cannot connect to {parts.netloc}: {_describe(error, timeout)}"
            return exchange
        sock = connection.sock  # kept: the connection lets go of it once the reply is read
        connection.putrequest(method, target, skip_accept_encoding=True)
        for name, value in headers.items():
            connection.putheader(name, value)
        connection.endheaders()
        try:
            for start in range(0, len(body or b""), _CHUNK):
                connection.send(body[start : start + _CHUNK])
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server stopped reading; its answer may still be there
        sock.settimeout(max(started + timeout - time.monotonic(), 0.001))
        response = connection.getresponse()
        exchange.status = response.status
        exchange.reason = response.reason
        exchange.reply_headers = {name: value for name, value in response.getheaders()}
        exchange.body, exchange.truncated = _read_body(response, sock, started + timeout, max_reply_bytes)
    except (OSError, http.client.HTTPException, ValueError) as error:
        exchange.error = _describe(error, timeout)
    finally:
        exchange.seconds = time.monotonic() - started
        connection.close()
    return exchange


def _describe(error: Exception, timeout: float) -> str:
    if isinstance(error, TimeoutError):
        return f"no reply within {timeout:g} s"
    return f"{type(error).__name__}: {error}"


def _read_body(response, sock, deadline: float, limit: int) -> tuple[bytes, bool]:
    """Up to ``limit`` bytes of the body, and whether there was more; bounded by ``deadline``."""
    pieces: list[bytes] = []
    size = 0
    while size <= limit:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError
        sock.settimeout(remaining)
        piece = response.read1(min(_CHUNK, limit + 1 - size))
        if not piece:
            return b"".join(pieces), False
        pieces.append(piece)
        size += len(piece)
    return b"".join(pieces)[:limit], True
