"""Raw bytes to a server and what came back: for requests no HTTP client would send."""

from __future__ import annotations

import re
import socket
import time
from dataclasses import dataclass, field

_STATUS_LINE = re.compile(rb"HTTP/\d(?:\.\d)? (\d{3})")


@dataclass
class RawReply:
    data: bytes = b""
    closed: bool = False  # the server closed the connection
    error: str | None = None  # e.g. a reset
    statuses: list[int] = field(default_factory=list)
    size: int = 0  # bytes of the request

    def describe(self) -> str:
        head = self.data[:300].decode("latin-1")
        how = "closed" if self.closed else "still open"
        return f"statuses {self.statuses}, connection {how}{', ' + self.error if self.error else ''}, reply {head!r}"


def statuses_in(data: bytes) -> list[int]:
    """Status codes of the final (non-1xx) responses in ``data``, read one after another."""
    return [status for status, _ in _responses(data)]


def exchange(
    port: int,
    chunks: list[bytes],
    *,
    pause: float = 0.0,
    timeout: float = 10.0,
    responses: int = 1,
) -> RawReply:
    """Send ``chunks`` (``pause`` seconds apart) to 127.0.0.1:``port``; read until closed,
    ``responses`` replies seen (with their bodies, when a length says so), or ``timeout``."""
    reply = RawReply(size=sum(len(chunk) for chunk in chunks))
    deadline = time.monotonic() + timeout
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as connection:
        try:
            for index, chunk in enumerate(chunks):
                if index and pause:
                    time.sleep(pause)
                connection.sendall(chunk)
        except OSError as error:  # the server may answer and close before reading it all
            reply.error = f"while sending: {type(error).__name__}"
        while time.monotonic() < deadline:
            connection.settimeout(max(0.05, deadline - time.monotonic()))
            try:
                data = connection.recv(65536)
            except TimeoutError:
                break
            except OSError as error:
                reply.error = f"while reading: {type(error).__name__}"
                break
            if not data:
                reply.closed = True
                break
            reply.data += data
            if _complete(reply.data) >= responses:
                break
    reply.statuses = statuses_in(reply.data)
    return reply


def _complete(data: bytes) -> int:
    return sum(1 for _, whole in _responses(data) if whole)


def _responses(data: bytes) -> list[tuple[int, bool]]:
    """(status, whole) of each response in ``data``; a response without a length ends the list."""
    found, position = [], 0
    while True:
        status = _STATUS_LINE.match(data, position)
        end = data.find(b"\r\n\r\n", position)
        if not status or end < 0:
            if status:
                found.append((int(status.group(1)), False))
            return found
        code, head = int(status.group(1)), data[position:end].lower()
        if 100 <= code < 200:  # 100 Continue: an interim reply, the real one follows
            position = end + 4
            continue
        length = re.search(rb"\r\ncontent-length:\s*(\d+)", head)
        if length:
            body_end = end + 4 + int(length.group(1))
        elif b"transfer-encoding: chunked" in head:
            last = data.find(b"\r\n0\r\n\r\n", end)
            body_end = last + 7 if last >= 0 else len(data) + 1
        else:
            found.append((code, True))
            return found
        found.append((code, len(data) >= body_end))
        if len(data) < body_end:
            return found
        position = body_end
