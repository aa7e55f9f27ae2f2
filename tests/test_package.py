"""The package as a stranger gets it: the wheel, built from the sources alone, in a clean venv.

Everything stays on this machine: the wheel is built without build isolation
(setuptools comes from the test extra) and installed with ``--no-index``; the
only server is a tiny one on 127.0.0.1 started here.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from urllib.parse import parse_qsl

import pytest

ROOT = Path(__file__).resolve().parents[1]
DISTRIBUTION = "plivo-dialsim"
TOKEN = "MTpackagetest00000000000000000000000000"
#: The first setuptools that reads pyproject.toml's SPDX `license` string.
SETUPTOOLS_NEEDED = 77
#: Hosts no real project URL is on.
PLACEHOLDER_HOSTS = (".invalid", ".example", ".test", "example.com", "example.org")


def _run(*command, **options) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(c) for c in command], capture_output=True, text=True, timeout=180, check=False, **options
    )


def _ok(done: subprocess.CompletedProcess) -> str:
    assert done.returncode == 0, f"{' '.join(done.args)} exited {done.returncode}:\n{done.stdout}{done.stderr}"
    return done.stdout


class _Answering(BaseHTTPRequestHandler):
    """An answer URL that dials, an action URL that apologises, and the hangup request taken."""

    def log_message(self, *args):
        pass

    def do_POST(self):
        form = dict(parse_qsl(self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()))
        base = f"http://127.0.0.1:{self.server.server_address[1]}"
        if self.path == "/dialstatus/" and form.get("CallStatus") != "completed":
            body = f'<Response><Dial action="{base}/dialstatus/action/"><Number>+15555550100</Number></Dial></Response>'
        elif self.path == "/dialstatus/action/":
            body = "<Response><Speak>Sorry, nobody could be reached.</Speak></Response>"
        else:
            body = "<Response/>"
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh venv with the wheel built from a copy of the sources installed in it; its bin/ directory."""
    try:
        setuptools_version = version("setuptools")
    except PackageNotFoundError:
        setuptools_version = "0"
    if int(setuptools_version.split(".")[0]) < SETUPTOOLS_NEEDED:
        pytest.fail(
            f"building the wheel offline needs setuptools >= {SETUPTOOLS_NEEDED} in this environment "
            f"(found {setuptools_version}); the test extra installs it: pip install -e '.[test]'",
            pytrace=False,
        )
    work = tmp_path_factory.mktemp("package")
    # A copy of what a fresh clone holds for the package, so no build output lands in the checkout.
    source = work / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(ROOT / name, source / name)
    shutil.copytree(ROOT / "src", source / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    wheels = work / "wheels"
    _ok(
        _run(
            sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q",
            "-w", wheels, source,
        )
    )  # fmt: skip
    (wheel,) = wheels.glob("plivo_dialsim-*.whl")
    venv = work / "venv"
    _ok(_run(sys.executable, "-m", "venv", venv))
    bin_dir = venv / "bin"
    _ok(_run(bin_dir / "python", "-m", "pip", "install", "--no-index", "--no-deps", "-q", wheel))
    return bin_dir


def test_the_wheel_is_the_only_dialsim_in_the_venv(installed):
    where = _ok(_run(installed / "python", "-c", "import dialsim; print(dialsim.__file__)"))
    assert Path(where.strip()).is_relative_to(installed.parent), f"dialsim imported from outside the venv: {where}"


def test_metadata_a_package_index_needs(installed):
    script = (
        "import json, importlib.metadata as m\n"
        f"d = m.distribution({DISTRIBUTION!r})\n"
        "meta = d.metadata\n"
        "print(json.dumps({k: meta.get_all(k) for k in set(meta.keys())}))\n"
    )
    meta = json.loads(_ok(_run(installed / "python", "-c", script)))
    assert meta["Name"] == [DISTRIBUTION]
    assert meta["License-Expression"] == ["MIT"]
    assert meta["Requires-Python"] == [">=3.11"]
    assert meta["Description-Content-Type"] == ["text/markdown"]
    assert "dialsim" in meta["Description"][0]  # the README is the long description
    assert "Framework :: Pytest" in meta["Classifier"]
    assert "Programming Language :: Python :: 3.11" in meta["Classifier"]
    for entry in meta.get("Project-URL", []):
        assert not any(host in entry for host in PLACEHOLDER_HOSTS), f"a made-up project URL: {entry}"
    required = [r for r in meta.get("Requires-Dist", []) if "extra ==" not in r]
    assert required == [], "the simulator needs the standard library only"


def test_the_command_runs(installed):
    out = _ok(_run(installed / "dialsim", "--help"))
    assert out.startswith("usage: dialsim")
    out = _ok(_run(installed / "dialsim", "call", "--help"))
    assert "--expect" in out and "--junit" in out and "exit status" in out


def test_a_real_call_from_the_installed_command(installed):
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Answering)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{httpd.server_address[1]}/dialstatus/"
        done = _run(installed / "dialsim", "call", url, "--auth-token", TOKEN, "--outcome", "busy", "--json")
    finally:
        httpd.shutdown()
        httpd.server_close()
    report = json.loads(_ok(done))
    assert report["ok"] is True and report["exit_status"] == 0
    assert [e["step"] for e in report["calls"][0]["exchanges"]] == ["answer", "action", "hangup"]


def test_the_pytest_plugin_is_registered(installed):
    script = (
        "import importlib.metadata as m\n"
        "print([(e.name, e.value, e.dist.name) for e in m.entry_points(group='pytest11')])\n"
    )
    out = _ok(_run(installed / "python", "-c", script))
    assert out.strip() == str([("dialsim", "dialsim.pytest_plugin", DISTRIBUTION)])
    # The module it names is in the wheel (pytest itself is not in this venv, so it is not imported here).
    found = _ok(
        _run(installed / "python", "-c", "import importlib.util as u; print(u.find_spec('dialsim.pytest_plugin'))")
    )
    assert "pytest_plugin.py" in found
