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
from .traces import find_traces

#: The auth token the example servers check signatures with: shaped like a
#: Plivo auth token, new every session so that nothing depends on it.
AUTH_TOKEN = "MT" + secrets.token_hex(19)

START_TIMEOUT = 120.0  # a cold JVM or Rails boot on two busy cores
LOG_PREFIX = "dial-status "
HANGUP_PREFIX = "call-hangup "
REFUSED_PREFIX = "request-refused "


#: Variables a user's shell would have; nothing else of the test runner's
#: environment reaches a server.
PASSED_THROUGH = ("PATH", "HOME", "TMPDIR")


def clean_env(
    readiness: Readiness, *, auth_token: str | None, public_url: str | None, dial_number: str | None
) -> dict[str, str]:
    """The environment a README's run command gets: a shell's basics and the contract's variables."""
    env = {name: os.environ[name] for name in PASSED_THROUGH if name in os.environ}
    env.update(LANG="C.UTF-8", LC_ALL="C.UTF-8")
    env.update(readiness.env)  # the SDK stand-in, when the real SDK is not installed here
    if auth_token is not None:
        env["PLIVO_AUTH_TOKEN"] = auth_token
    if public_url is not None:
        env["PUBLIC_URL"] = public_url
    if dial_number is not None:
        env["DIAL_NUMBER"] = dial_number
    return env


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

    def status_lines(self, since: int = 0, prefix: str = LOG_PREFIX) -> list[str]:
        """Lines after ``since`` that start with ``prefix`` (by default, dial-status lines)."""
        with self._changed:
            return [line for line in self.lines[since:] if line.startswith(prefix)]

    def since(self, since: int) -> list[str]:
        with self._changed:
            return self.lines[since:]

    def wait_for(self, predicate, since: int, timeout: float = 10.0, prefix: str = LOG_PREFIX) -> str | None:
        """The first line after ``since`` starting with ``prefix`` for which ``predicate`` holds."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for line in self.lines[since:]:
                    if line.startswith(prefix) and predicate(line):
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
        env: dict[str, str] | None = None,
        command: tuple[str, ...] | None = None,
    ) -> None:
        self.example: Example = readiness.example
        self.port = port or free_port()
        #: The index's `run` unless a test names another start command ("{port}" filled in).
        self.command = tuple(part.replace("{port}", str(self.port)) for part in command or self.example.run)
        self.base_url = f"http://127.0.0.1:{self.port}"
        #: PUBLIC_URL exactly as a user would type it (None: the example's default).
        self.public_url_as_typed = public_url
        #: What Plivo signs for: the contract drops one trailing "/".
        self.public_url = (public_url or self.base_url).removesuffix("/")
        self.auth_token = auth_token
        self.dial_number = dial_number
        self.env = clean_env(readiness, auth_token=auth_token, public_url=public_url, dial_number=dial_number)
        self.env["PORT"] = str(self.port)
        self.env.update(env or {})
        self.log = OutputLog()
        self.stderr_path: Path | None = None
        self.process: subprocess.Popen | None = None
        self._stderr_checked = 0
        self._stdout_checked = 0

    # -- life cycle --------------------------------------------------------

    def start(self, tmp_dir: Path) -> None:
        self.stderr_path = tmp_dir / f"{self.example.key}-{self.port}-{id(self):x}.stderr"
        stderr = open(self.stderr_path, "wb")
        self.process = subprocess.Popen(
            self.command,
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

    def stderr_text(self) -> str:
        if self.stderr_path and self.stderr_path.exists():
            return self.stderr_path.read_text(errors="replace")
        return ""

    def new_traces(self) -> list[str]:
        """Stack traces written to stderr or stdout since the last call (each is reported once).

        stdout too: a server may route its error log there (PHP-FPM's goes
        wherever deploy/serve points it).
        """
        text = self.stderr_text()
        fresh, self._stderr_checked = text[self._stderr_checked :], len(text)
        lines = self.log.since(self._stdout_checked)
        self._stdout_checked += len(lines)
        return [f"stderr: {trace}" for trace in find_traces(fresh)] + [
            f"stdout: {trace}" for trace in find_traces("\n".join(lines))
        ]

    def problem_after_use(self) -> str | None:
        """Why the server is not fit after a test: it died, or wrote a stack trace."""
        if not self.alive():
            return f"{self.example.label}: the server died (exit {self.process.returncode})\n{self.output()}"
        traces = self.new_traces()
        if traces:
            return f"{self.example.label}: a stack trace in its output:\n" + "\n".join(traces)
        return None

    def group_pids(self) -> list[int]:
        """Every live process in the server's process group (it leads its own group)."""
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == self.process.pid:  # field 5 of stat: the process group
                pids.append(int(stat.parent.name))
        return pids

    def listening_addresses(self) -> list[tuple[str, int]]:
        """(address, port) of every TCP socket that a process of the server's group listens on."""
        inodes = set()
        for pid in self.group_pids():
            for fd in Path(f"/proc/{pid}/fd").glob("*"):
                try:
                    target = os.readlink(fd)
                except OSError:
                    continue
                if target.startswith("socket:["):
                    inodes.add(target[len("socket:[") : -1])
        found = []
        for table in ("tcp", "tcp6"):
            try:
                rows = Path(f"/proc/{self.process.pid}/net/{table}").read_text().splitlines()[1:]
            except OSError:
                continue
            for row in rows:
                cells = row.split()
                local, state, inode = cells[1], cells[3], cells[9]
                if state == "0A" and inode in inodes:  # 0A: LISTEN
                    found.append(_decode_proc_address(local))
        return found

    def output(self) -> str:
        stderr = "\n".join(self.stderr_text().splitlines()[-40:])
        return f"--- stdout (last lines) ---\n{self.log.text()}\n--- stderr (last lines) ---\n{stderr}"

    # -- URLs --------------------------------------------------------------

    @property
    def answer_url(self) -> str:
        return f"{self.base_url}/dialstatus/"

    @property
    def action_url(self) -> str:
        return f"{self.base_url}/dialstatus/action/"


def _decode_proc_address(text: str) -> tuple[str, int]:
    """An address of /proc/net/tcp{,6}: hex, each 32-bit word in host (little-endian) order."""
    address, port = text.split(":")
    raw = b"".join(bytes.fromhex(address[i : i + 8])[::-1] for i in range(0, len(address), 8))
    family = socket.AF_INET if len(raw) == 4 else socket.AF_INET6
    return socket.inet_ntop(family, raw), int(port, 16)


class ServerPool:
    """Starts each (example, configuration) once per test session; stops all at the end."""

    def __init__(self, tmp_dir: Path) -> None:
        self.tmp_dir = tmp_dir
        self._servers: dict[tuple, ExampleServer] = {}
        # Also on an interrupted run that skips fixture teardown.
        atexit.register(self.stop_all)

    def get(self, readiness: Readiness, **config) -> ExampleServer:
        key = (readiness.example.key, repr(sorted(config.items())))
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
