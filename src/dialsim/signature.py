"""Plivo's V3 request signature (``X-Plivo-Signature-V3``), computed as Plivo does.

The algorithm, as every Plivo SDK implements it and as Plivo's published test
vectors confirm:

1. the base URL is ``scheme://host[:port]/path`` of the URL Plivo requested;
2. for GET, the URL's own query parameters and Plivo's parameters are sorted by
   key (code-point order) and appended as ``?k=v&k=v``; for POST, the URL's
   query (sorted, ``k=v&...``) and a ``.`` come first, then the body parameters
   sorted by key and concatenated as ``keyvalue`` with no separator;
3. the message is that string, a ``.`` and the nonce;
4. the signature is Base64(HMAC-SHA256(auth token, message)).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
from collections.abc import Iterable, Mapping
from urllib.parse import parse_qsl, urlsplit

Params = Mapping[str, str] | Iterable[tuple[str, str]]


def _pairs(params: Params | None) -> list[tuple[str, str]]:
    if params is None:
        return []
    if isinstance(params, Mapping):
        return list(params.items())
    return list(params)


def base_string(method: str, url: str, params: Params | None = None) -> str:
    """The string Plivo signs (before the nonce) for a request to ``url``.

    ``params`` are Plivo's parameters: the form body of a POST, or the
    parameters a GET appends to the URL's query string. Values are the
    decoded values.
    """
    method = method.upper()
    if method not in ("GET", "POST"):
        raise ValueError(f"Plivo signs only GET and POST requests, not {method!r}")
    base, query = _split(url)
    body = _pairs(params)
    if method == "GET":
        merged = sorted([*query, *body])
        return base + ("?" + "&".join(f"{k}={v}" for k, v in merged) if merged else "")
    joined_query = "&".join(f"{k}={v}" for k, v in sorted(query))
    if not body:
        return base + ("?" + joined_query if joined_query else "")
    joined_body = "".join(f"{k}{v}" for k, v in sorted(body))
    return base + "?" + (joined_query + "." if joined_query else "") + joined_body


@functools.lru_cache(maxsize=256)
def _split(url: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """The base URL and the query's pairs; a call signs for the same few URLs again and again."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"not an absolute http(s) URL: {url!r}")
    return f"{parts.scheme}://{parts.netloc}{parts.path}", tuple(parse_qsl(parts.query, keep_blank_values=True))


def compute_signature(auth_token: str, method: str, url: str, nonce: str, params: Params | None = None) -> str:
    """Base64 HMAC-SHA256 of ``base_string(...) + "." + nonce`` keyed by the auth token."""
    message = f"{base_string(method, url, params)}.{nonce}"
    digest = hmac.new(auth_token.encode(), message.encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def validate_signature(
    auth_token: str,
    method: str,
    url: str,
    nonce: str,
    header_value: str,
    params: Params | None = None,
) -> bool:
    """True when one of the comma-separated signatures in ``header_value`` matches.

    Pieces are compared exactly (no whitespace trimming), as the SDKs do, and
    in constant time.
    """
    expected = compute_signature(auth_token, method, url, nonce, params)
    return any(hmac.compare_digest(piece, expected) for piece in header_value.split(","))
