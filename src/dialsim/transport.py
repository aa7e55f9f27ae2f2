"""One HTTP exchange with the server under test, recorded in full.

HTTP/1.1 is written and read here directly on a socket rather than through
a client library: the simulator must also send what a well-behaved client
never would (any method, any body, any Content-Length) and still record what
came back; and a call's requests are its hot path, where ``http.client``'s
general machinery took about a third of the simulator's CPU time. One
connection per request, as Plivo makes them, and each request is written in
one piece when it is small.
"""

from __future__ import annotations

import functools
import re
import socket
import ssl
import time
from dataclasses import dataclass, field
from urllib.parse import quote_plus, urlsplit

#: Bodies are written in pieces so that a server that answers early (413)
#: and closes the connection can still be heard.
_CHUNK = 64 * 1024

#: The most of a reply body that is read; the rest is left unread. Plivo
#: itself takes at most 100 KB of XML, so anything near this is a fault.
MAX_REPLY_BYTES = 1024 * 1024

#: The most of a reply's status line and headers that is read.
MAX_HEAD_BYTES = 64 * 1024

#: Seconds to wait for a reply (for the whole reply, not just its first byte).
DEFAULT_TIMEOUT = 10.0

#: What may not be sent in a header value (a tab aside), and in a method, a
#: request target or a header name: it would end the line early or split it,
#: and smuggle in another.
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
_CONTROL_OR_SPACE = re.compile(r"[\x00-\x20\x7f]")
#: What ``quote_plus`` leaves as it is: most of Plivo's values, sent without a call.
_FORM_PLAIN = re.compile(r"[A-Za-z0-9_.~-]*")
_STATUS_LINE = re.compile(rb"HTTP/(\d)\.(\d) ([0-9]{3})(?: (.*))?")


class ReplyError(Exception):
    """The server's reply is not HTTP the simulator can read."""


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
        query = f"{query}&{form_encode(params)}" if query else form_encode(params)
    if query:
        target = f"{target}?{query}"
    delivered = f"{parts.scheme}://{parts.netloc}{target}"
    if body is None and method != "GET" and params:
        body = form_encode(params).encode("ascii")
        headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
    if body is not None:
        headers.setdefault("Content-Length", str(len(body)))
    headers.setdefault("User-Agent", "dialsim (Plivo call simulator)")
    exchange = Exchange(label, method, delivered, signed_url, params, headers)

    try:
        hostname, port, host = _endpoint(parts.scheme, parts.netloc)
        request = _request_head(method, target, host, headers)
    except ValueError as error:  # e.g. a line break in a header: no such request can be sent
        exchange.error = f"cannot send this request: {error}"
        return exchange
    body = body or b""
    sock = None
    started = time.monotonic()
    try:
        try:
            sock = _connect(parts.scheme, hostname, port, timeout)
        except OSError as error:
            exchange.unreachable = True
            exchange.error = f"cannot connect to {parts.netloc}: {_describe(error, timeout)}"
            return exchange
        try:
            if len(body) <= _CHUNK:
                sock.sendall(request + body)  # one write: a small request leaves in one packet
            else:
                sock.sendall(request)
                for start in range(0, len(body), _CHUNK):
                    sock.sendall(body[start : start + _CHUNK])
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server stopped reading; its answer may still be there
        reply = _Reply(sock, started + timeout)
        exchange.status, exchange.reason, reply_headers = reply.head()
        exchange.reply_headers = {name: value for name, value in reply_headers}
        if method == "HEAD" or exchange.status in (204, 304) or exchange.status < 200:
            exchange.body, exchange.truncated = b"", False
        else:
            exchange.body, exchange.truncated = reply.body(reply_headers, max_reply_bytes)
    except (OSError, ReplyError) as error:
        exchange.error = _describe(error, timeout)
    finally:
        exchange.seconds = time.monotonic() - started
        if sock is not None:
            sock.close()
    return exchange


def form_encode(params: list[tuple[str, str]]) -> str:
    """``application/x-www-form-urlencoded``, as ``urllib.parse.urlencode`` writes it."""
    return "&".join(
        f"{k if _FORM_PLAIN.fullmatch(k) else quote_plus(k)}={v if _FORM_PLAIN.fullmatch(v) else quote_plus(v)}"
        for k, v in params
    )


@functools.lru_cache(maxsize=64)
def _endpoint(scheme: str, netloc: str) -> tuple[str, int, str]:
    """The host to connect to, its port and the Host header; ValueError for a port out of range."""
    parts = urlsplit(f"{scheme}://{netloc}")
    default_port = 443 if scheme == "https" else 80
    port = parts.port
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    return parts.hostname, port or default_port, host if port in (None, default_port) else f"{host}:{port}"


def _request_head(method: str, target: str, host: str, headers: dict[str, str]) -> bytes:
    """The request line and headers, Host first; ValueError for what would break the request."""
    if not method or _CONTROL_OR_SPACE.search(method):
        raise ValueError(f"not a method that can be sent: {method!r}")
    if _CONTROL_OR_SPACE.search(target):
        raise ValueError(f"a URL with spaces or control characters cannot be sent: {target!r}")
    if not (method + target).isascii():
        raise ValueError(f"a request line is ASCII; escape the URL: {target!r}")
    lines = [f"{method} {target} HTTP/1.1"]
    if not any(name.lower() == "host" for name in headers):
        lines.append(f"Host: {host}")
    for name, value in headers.items():
        if not name or _CONTROL_OR_SPACE.search(name) or ":" in name or _CONTROL.search(value):
            raise ValueError(f"not a header that can be sent: {name!r}: {value!r}")
        lines.append(f"{name}: {value}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def _connect(scheme: str, hostname: str, port: int, timeout: float) -> socket.socket:
    sock = socket.create_connection((hostname, port), timeout=timeout)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    if scheme == "https":
        try:
            sock = ssl.create_default_context().wrap_socket(sock, server_hostname=hostname)
        except OSError:
            sock.close()
            raise
    return sock


class _Reply:
    """Reads one HTTP/1.x reply from ``sock``; every read bounded by ``deadline``."""

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        self.sock = sock
        self.deadline = deadline
        self.buffer = b""
        self.closed = False  # the server closed its side

    def _fill(self) -> bool:
        """Read what has arrived into the buffer; False once the server has closed."""
        if self.closed:
            return False
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError
        self.sock.settimeout(remaining)
        piece = self.sock.recv(_CHUNK)
        if not piece:
            self.closed = True
            return False
        self.buffer += piece
        return True

    def _line(self, limit: int) -> bytes | None:
        """One CRLF-ended line (without it), or None when the server closed first."""
        while True:
            end = self.buffer.find(b"\n")
            if end >= 0:
                line, self.buffer = self.buffer[:end], self.buffer[end + 1 :]
                return line.removesuffix(b"\r")
            if len(self.buffer) > limit:
                raise ReplyError(f"a line of the reply is longer than {limit} bytes")
            if not self._fill():
                return None

    def head(self) -> tuple[int, str, list[tuple[str, str]]]:
        """Status, reason and headers of the final reply (a 100 Continue is passed over)."""
        while True:
            status_line = self._line(MAX_HEAD_BYTES)
            if status_line is None:
                raise ReplyError("the server closed the connection without a reply")
            matched = _STATUS_LINE.fullmatch(status_line)
            if matched is None:
                raise ReplyError(f"not an HTTP status line: {status_line[:200]!r}")
            headers = self._headers()
            status = int(matched.group(3))
            if status != 100:
                return status, (matched.group(4) or b"").decode("latin-1").strip(), headers

    def _headers(self) -> list[tuple[str, str]]:
        headers: list[tuple[str, str]] = []
        size = 0
        while True:
            line = self._line(MAX_HEAD_BYTES)
            if line is None:
                raise ReplyError("the server closed the connection in the middle of the reply's headers")
            size += len(line)
            if size > MAX_HEAD_BYTES:
                raise ReplyError(f"the reply's headers are longer than {MAX_HEAD_BYTES} bytes")
            if not line:
                return headers
            text = line.decode("latin-1")
            if text[0] in " \t" and headers:  # an obsolete folded line continues the header before
                headers[-1] = (headers[-1][0], f"{headers[-1][1]} {text.strip()}")
            elif ":" in text:
                name, _, value = text.partition(":")
                headers.append((name, value.strip(" \t")))
            # a line without a colon is no header: passed over

    def body(self, headers: list[tuple[str, str]], limit: int) -> tuple[bytes, bool]:
        """Up to ``limit`` bytes of the body, and whether there was more."""
        fields = {name.lower(): value for name, value in headers}
        if "chunked" in fields.get("transfer-encoding", "").lower():
            return self._chunked(limit)
        length = fields.get("content-length", "").strip()
        if length.isdigit():
            return self._counted(int(length), limit)
        return self._counted(None, limit)  # no length: the body runs until the server closes

    def _counted(self, length: int | None, limit: int) -> tuple[bytes, bool]:
        wanted = limit + 1 if length is None else min(length, limit + 1)
        while len(self.buffer) < wanted and self._fill():
            pass
        body = self.buffer[:wanted]  # a body cut short by the server is taken as it came
        return body[:limit], len(body) > limit

    def _chunked(self, limit: int) -> tuple[bytes, bool]:
        pieces: list[bytes] = []
        size = 0
        while size <= limit:
            line = self._line(1024)
            if line is None:
                raise ReplyError("the server closed the connection in the middle of a chunked body")
            size_text = line.split(b";", 1)[0].strip()
            if not re.fullmatch(rb"[0-9A-Fa-f]{1,16}", size_text):
                raise ReplyError(f"not a chunk size: {line[:100]!r}")
            chunk = int(size_text, 16)
            if chunk == 0:
                return b"".join(pieces), False  # trailers, if any, are not needed
            wanted = min(chunk, limit + 1 - size)
            while len(self.buffer) < wanted:
                if not self._fill():
                    raise ReplyError("the server closed the connection in the middle of a chunk")
            pieces.append(self.buffer[:wanted])
            size += wanted
            if wanted < chunk:
                break  # past the limit: the rest is not read
            self.buffer = self.buffer[wanted:]
            if self._line(2) is None:
                raise ReplyError("the server closed the connection after a chunk")
        return b"".join(pieces)[:limit], True


def _describe(error: Exception, timeout: float) -> str:
    if isinstance(error, TimeoutError):
        return f"no reply within {timeout:g} s"
    return f"{type(error).__name__}: {error}"
