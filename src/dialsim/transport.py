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

    @property
    def content_type(self) -> str | None:
        for name, value in self.reply_headers.items():
            if name.lower() == "content-type":
                return value
        return None

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def to_dict(self) -> dict:
        return {
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
            "seconds": round(self.seconds, 4),
        }


def send(
    method: str,
    url: str,
    *,
    params: list[tuple[str, str]] | None = None,
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
    timeout: float = 15.0,
    label: str = "",
    signed_url: str | None = None,
) -> Exchange:
    """Send one request and record the exchange; never raises for network trouble.

    For GET, ``params`` are appended to the URL's query; otherwise they become
    an ``application/x-www-form-urlencoded`` body, unless ``body`` is given
    (sent as is, for malformed-input tests).
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
        connection.putrequest(method, target, skip_accept_encoding=True)
        for name, value in headers.items():
            connection.putheader(name, value)
        connection.endheaders()
        try:
            for start in range(0, len(body or b""), _CHUNK):
                connection.send(body[start : start + _CHUNK])
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server stopped reading; its answer may still be there
        response = connection.getresponse()
        exchange.status = response.status
        exchange.reason = response.reason
        exchange.reply_headers = {name: value for name, value in response.getheaders()}
        exchange.body = response.read()
    except TimeoutError:
        exchange.error = f"no reply within {timeout:g} s"
    except (OSError, http.client.HTTPException) as error:
        exchange.error = f"{type(error).__name__}: {error}"
    finally:
        exchange.seconds = time.monotonic() - started
        connection.close()
    return exchange
