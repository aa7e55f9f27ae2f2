"""An example server run as a real process, with its standard output captured."""

from __future__ import annotations

import atexit
import os
import secrets
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path

from .examples import Example, Readiness

#: The auth token the example servers check signatures with: shaped like a
#: Plivo auth token, new every session so that nothing depends on it.
AUTH_TOKEN = "MT" + secrets.token_hex(19)

START_TIMEOUT = 120.0  # a cold JVM or Rails boot on two busy cores
LOG_PREFIX = "dial-status "


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class OutputLog:
    """Lines a process writes to stdout, collected by a reader thread."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self._changed = threading.Condition()

    def feed(self, stream) -> None:
        for raw in iter(stream.readline, b""):
            with self._changed:
                self.lines.append(raw.decode("utf-8", errors="replace").rstrip("\n"))
                self._changed.notify_all()

    def mark(self) -> int:
        with self._changed:
            return len(self.lines)

    def status_lines(self, since: int = 0) -> list[str]:
        with self._changed:
            return [line for line in self.lines[since:] if line.startswith(LOG_PREFIX)]

    def wait_for(self, predicate, since: int, timeout: float = 10.0) -> str | None:
        """The first status line after ``since`` for which ``predicate`` holds."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for line in self.lines[since:]:
                    if line.startswith(LOG_PREFIX) and predicate(line):
                        return line
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return None
                self._changed.wait(remaining)

    def text(self, last: int = 60) -> str:
        with self._changed:
            return "\n".join(self.lines[-last:])


class ExampleServer:
    """One running example, configured through the contract's environment."""

    def __init__(
        self,
        readiness: Readiness,
        *,
        auth_token: str | None,
        public_url: str | None = None,
        dial_number: str = "+14155550142",
        port: int | None = None,
    ) -> None:
        self.example: Example = readiness.example
        self.port = port or free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.public_url = (public_url or self.base_url).rstrip("/")
        self.auth_token = auth_token
        self.dial_number = dial_number
        env = dict(os.environ)
        for name in ("PLIVO_AUTH_TOKEN", "PUBLIC_URL", "DIAL_NUMBER", "HOST", "PORT"):
            env.pop(name, None)
        env.update(readiness.env)
        env.update(HOST="127.0.0.1", PORT=str(self.port), PUBLIC_URL=self.public_url, DIAL_NUMBER=dial_number)
        if auth_token is not None:
            env["PLIVO_AUTH_TOKEN"] = auth_token
        self.env = env
        self.log = OutputLog()
        self.stderr_path: Path | None = None
        self.process: subprocess.Popen | None = None

    # -- life cycle --------------------------------------------------------

    def start(self, tmp_dir: Path) -> None:
        self.stderr_path = tmp_dir / f"{self.example.key}-{self.port}.stderr"
        stderr = open(self.stderr_path, "wb")
        self.process = subprocess.Popen(
            self.example.run,
            cwd=self.example.directory,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=stderr,
            start_new_session=True,  # its own process group, so stop() reaches its children
        )
        stderr.close()
        threading.Thread(target=self.log.feed, args=(self.process.stdout,), daemon=True).start()

    def wait_until_listening(self, timeout: float = START_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"{self.example.label} exited with {self.process.returncode} before listening\n{self.output()}"
                )
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(
            f"{self.example.label} did not listen on port {self.port} within {timeout:g} s\n{self.output()}"
        )

    def wait_for_exit(self, timeout: float) -> int | None:
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            return None

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)
            except ProcessLookupError:
                pass
        # Children that outlived their parent in the group (e.g. a dev server's workers).
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        if self.process.stdout:
            self.process.stdout.close()

    def output(self) -> str:
        stderr = ""
        if self.stderr_path and self.stderr_path.exists():
            stderr = "\n".join(self.stderr_path.read_text(errors="replace").splitlines()[-40:])
        return f"--- stdout (last lines) ---\n{self.log.text()}\n--- stderr (last lines) ---\n{stderr}"

    # -- URLs --------------------------------------------------------------

    @property
    def answer_url(self) -> str:
        return f"{self.base_url}/dialstatus/"

    @property
    def action_url(self) -> str:
        return f"{self.base_url}/dialstatus/action/"


class ServerPool:
    """Starts each (example, configuration) once per test session; stops all at the end."""

    def __init__(self, tmp_dir: Path) -> None:
        self.tmp_dir = tmp_dir
        self._servers: dict[tuple, ExampleServer] = {}
        # Also on an interrupted run that skips fixture teardown.
        atexit.register(self.stop_all)

    def get(self, readiness: Readiness, **config) -> ExampleServer:
        key = (readiness.example.key, tuple(sorted(config.items())))
        server = self._servers.get(key)
        if server is None or not server.alive():
            if server is not None:
                server.stop()
            server = ExampleServer(readiness, **config)
            self._servers[key] = server
            server.start(self.tmp_dir)
            try:
                server.wait_until_listening()
            except RuntimeError:
                server.stop()
                del self._servers[key]
                raise
        return server

    def stop_all(self) -> None:
        for server in self._servers.values():
            server.stop()
        self._servers.clear()
