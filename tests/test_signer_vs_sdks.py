"""dialsim's signer against Plivo's own SDK helpers where signing is least obvious:
a repeated key (Plivo signs every value, sorted) and non-ASCII values (signed
decoded, as UTF-8), in a GET's query and in a POST's body.

The Python SDK is a test dependency; the Node SDK is the one the Node example
installs (its setup is run first, as for its server tests).
"""

from __future__ import annotations

import json
import subprocess
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from harness.examples import load_examples
from harness.skips import require_ready
from plivo.utils.signature_v3 import validate_v3_signature

from dialsim.signature import compute_signature

TOKEN = "MTZkZjY4YzE0ZGQ1ODk2NTJlY2Zh"
NONCE = "05429567804466091622"
URL = "https://calls.example.test:8443/dialstatus/action/"
NODE = next(example for example in load_examples() if example.key == "node")

#: name -> (method, the URL's own query, Plivo's parameters)
CASES = {
    "post-repeated-body-field": ("POST", "", [("DialStatus", "busy"), ("Tag", "zeta"), ("Tag", "alpha"), ("Tag", "")]),
    "post-repeated-query-key": ("POST", "?tag=2&tag=1", [("DialStatus", "busy")]),
    "get-repeated-query-key": ("GET", "?next=a%26b%3Dc&tag=2&tag=1", [("DialStatus", "busy"), ("tag", "0")]),
    "post-non-ascii-body": ("POST", "", [("DialStatus", "busy"), ("CallerName", "José Müller 李")]),
    "get-non-ascii-query": ("GET", "", [("DialStatus", "busy"), ("CallerName", "José Müller 李")]),
}


def signed(name: str) -> tuple[str, str, str, str]:
    """(method, the URL as delivered, the body or "", dialsim's signature) for a case."""
    method, query, params = CASES[name]
    signature = compute_signature(TOKEN, method, URL + query, NONCE, params)
    if method == "GET":
        return method, URL + query + ("&" if query else "?") + urlencode(params), "", signature
    return method, URL + query, urlencode(params), signature


def decoded(text: str) -> dict[str, list[str]]:
    return parse_qs(text, keep_blank_values=True)


@pytest.mark.parametrize("name", CASES)
def test_python_sdk_agrees(name):
    method, delivered, body, signature = signed(name)
    base = delivered.split("?")[0]
    # plivo 4.63 cannot read a non-ASCII escape in a URL's query, so a GET's are given decoded.
    url, params = (base, decoded(urlsplit(delivered).query)) if method == "GET" else (delivered, decoded(body))
    assert validate_v3_signature(method, url, NONCE, TOKEN, signature, params), f"{name}: plivo-python disagrees"
    tampered = {key: values[:1] for key, values in params.items()}  # one value of each key only
    if tampered != params:
        assert not validate_v3_signature(method, url, NONCE, TOKEN, signature, tampered)


NODE_CHECK = """
const { validateV3Signature } = require(process.argv[1]);
const cases = JSON.parse(require("fs").readFileSync(0, "utf8"));
const verdicts = cases.map(([method, url, params, signature]) =>
  validateV3Signature(method, url, process.argv[2], process.argv[3], signature, params));
process.stdout.write(JSON.stringify(verdicts));
"""


def test_node_sdk_agrees():
    require_ready(NODE)
    cases = []
    for name in CASES:
        method, delivered, body, signature = signed(name)
        # As the Node example calls it: a GET's URL with its query, a POST's form as Express reads it.
        params = {} if method == "GET" else {k: v if len(v) > 1 else v[0] for k, v in decoded(body).items()}
        cases.append([method, delivered, params, signature])
    done = subprocess.run(
        ["node", "-e", NODE_CHECK, str(NODE.directory / "node_modules" / "plivo"), NONCE, TOKEN],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    verdicts = dict(zip(CASES, json.loads(done.stdout), strict=True))
    assert all(verdicts.values()), (
        f"the Node SDK disagrees with dialsim on {[n for n, ok in verdicts.items() if not ok]}"
    )
